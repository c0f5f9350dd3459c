"""A passive TCP relay that reads the gRPC message flags off a plaintext HTTP/2 connection.

gRPC Python exposes neither the "compressed" bit of received messages nor that of the
messages it sends, and the interop spec's compression cases are about exactly that bit
(the 1-byte flag in front of each length-prefixed message). So the compression cases
route their channel through this relay: it forwards bytes unchanged in both directions
and, on the side, splits HTTP/2 frames, reassembles each stream's DATA payload and records
the flag and length of every gRPC message.

Only the frame layer is parsed (9-byte frame headers, DATA padding); HEADERS are never
decoded, so no HPACK is needed. Plaintext (h2c prior knowledge) only.

Used by interop_client.py (in front of the server under test, to check the flags of both
sides) and by reference_server.py (in front of its own gRPC server, which cannot otherwise
tell whether a request arrived compressed).

Every chunk is parsed *before* it is forwarded, so once an RPC has completed at the
client, everything that RPC put on the wire in either direction has been recorded.
"""

from __future__ import annotations

import socket
import struct
import threading
from dataclasses import dataclass
from typing import Callable, Optional

_PREFACE = b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"
_FRAME_DATA = 0x0
_FLAG_END_STREAM = 0x1
_FLAG_PADDED = 0x8

CLIENT_TO_SERVER = "c2s"
SERVER_TO_CLIENT = "s2c"


@dataclass(frozen=True)
class WireMessage:
    # The local port of the relay's socket to the server: unique per relayed connection
    # while it is open, and what the server sees as the peer's port.
    connection: int
    stream_id: int
    direction: str  # CLIENT_TO_SERVER or SERVER_TO_CLIENT
    compressed: bool
    length: int  # length on the wire (after compression, if any)
    body: Optional[bytes] = None  # the message as on the wire, if the tap captures bodies


class _StreamReassembler:
    """Splits one stream's DATA bytes into gRPC length-prefixed messages."""

    def __init__(self, capture_bodies: bool) -> None:
        self._capture = capture_bodies
        self._prefix = bytearray()
        self._compressed = False
        self._length = 0
        self._remaining = 0  # body bytes of the current message still to come
        self._body = bytearray()

    def feed(self, data: memoryview, emit: Callable[[bool, int, Optional[bytes]], None]) -> None:
        pos = 0
        while pos < len(data):
            if self._remaining:
                take = min(self._remaining, len(data) - pos)
                if self._capture:
                    self._body += data[pos : pos + take]
                self._remaining -= take
                pos += take
                if not self._remaining:
                    self._emit(emit)
                continue
            take = min(5 - len(self._prefix), len(data) - pos)
            self._prefix += data[pos : pos + take]
            pos += take
            if len(self._prefix) == 5:
                self._compressed = self._prefix[0] != 0
                (self._length,) = struct.unpack(">I", self._prefix[1:5])
                self._prefix.clear()
                self._remaining = self._length
                if not self._remaining:
                    self._emit(emit)

    def _emit(self, emit) -> None:
        body = bytes(self._body) if self._capture else None
        self._body.clear()
        emit(self._compressed, self._length, body)


class _DirectionParser:
    """Parses the HTTP/2 frames of one direction of one connection."""

    def __init__(self, tap: "WireTap", connection: int, direction: str) -> None:
        self._tap = tap
        self._connection = connection
        self._direction = direction
        self._buffer = bytearray()
        self._skip_preface = direction == CLIENT_TO_SERVER
        self._streams: dict[int, _StreamReassembler] = {}
        self._capture = tap.capture_bodies
        self.broken = False

    def feed(self, data: bytes) -> None:
        if self.broken:
            return
        self._buffer += data
        try:
            self._parse()
        except Exception as exc:  # never disturb the relayed traffic
            self.broken = True
            self._tap._note_error(f"{self._direction} parse error: {exc!r}")

    def _parse(self) -> None:
        buf = self._buffer
        if self._skip_preface:
            if len(buf) < len(_PREFACE):
                return
            if bytes(buf[: len(_PREFACE)]) != _PREFACE:
                raise ValueError("connection does not start with the HTTP/2 preface")
            del buf[: len(_PREFACE)]
            self._skip_preface = False
        while len(buf) >= 9:
            length = int.from_bytes(buf[0:3], "big")
            if len(buf) < 9 + length:
                return
            ftype, flags = buf[3], buf[4]
            stream_id = int.from_bytes(buf[5:9], "big") & 0x7FFFFFFF
            payload = memoryview(bytes(buf[9 : 9 + length]))
            del buf[: 9 + length]
            if ftype != _FRAME_DATA:
                continue
            if flags & _FLAG_PADDED:
                pad = payload[0]
                payload = payload[1 : len(payload) - pad]
            stream = self._streams.get(stream_id)
            if stream is None:
                stream = self._streams[stream_id] = _StreamReassembler(self._capture)
            stream.feed(
                payload,
                lambda compressed, n, body: self._tap._record(
                    WireMessage(self._connection, stream_id, self._direction, compressed, n, body)
                ),
            )
            if flags & _FLAG_END_STREAM:
                self._streams.pop(stream_id, None)


class WireTap:
    """Listens on (listen_host, listen_port), relays every connection to (target_host, target_port).

    Recorded messages go to on_message(message) if given (called on the relay's threads),
    else to a list that take() returns.
    """

    def __init__(
        self,
        target_host: str,
        target_port: int,
        listen_host: str = "127.0.0.1",
        listen_port: int = 0,
        capture_bodies: bool = False,
        on_message: Optional[Callable[[WireMessage], None]] = None,
    ) -> None:
        self._target = (target_host, target_port)
        self.capture_bodies = capture_bodies
        self._on_message = on_message
        self._lock = threading.Lock()
        self._messages: list[WireMessage] = []
        self._errors: list[str] = []
        self._sockets: list[socket.socket] = []
        family = socket.AF_INET6 if ":" in listen_host else socket.AF_INET
        self._listener = socket.create_server((listen_host, listen_port), family=family)
        self.port = self._listener.getsockname()[1]
        self._closed = False
        threading.Thread(target=self._accept_loop, name="wiretap-accept", daemon=True).start()

    # -- results -------------------------------------------------------------------------

    def take(self) -> list[WireMessage]:
        """Returns the messages recorded since the previous take() and forgets them."""
        with self._lock:
            taken, self._messages = self._messages, []
            return taken

    @property
    def errors(self) -> list[str]:
        with self._lock:
            return list(self._errors)

    def _record(self, message: WireMessage) -> None:
        if self._on_message is not None:
            self._on_message(message)
            return
        with self._lock:
            self._messages.append(message)

    def _note_error(self, text: str) -> None:
        with self._lock:
            if len(self._errors) < 100:
                self._errors.append(text)

    # -- relay ---------------------------------------------------------------------------

    def _accept_loop(self) -> None:
        while not self._closed:
            try:
                client, _ = self._listener.accept()
            except OSError:
                return
            try:
                upstream = socket.create_connection(self._target, timeout=10)
                upstream.settimeout(None)
            except OSError as exc:
                self._note_error(f"cannot reach {self._target}: {exc}")
                client.close()
                continue
            for s in (client, upstream):
                s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            conn = upstream.getsockname()[1]
            pair = (client, upstream)
            with self._lock:
                self._sockets += pair
            pumps_left = [2]
            parsers = (
                _DirectionParser(self, conn, CLIENT_TO_SERVER),
                _DirectionParser(self, conn, SERVER_TO_CLIENT),
            )
            for src, dst, parser in ((client, upstream, parsers[0]), (upstream, client, parsers[1])):
                threading.Thread(
                    target=self._pump,
                    args=(src, dst, parser, pair, pumps_left),
                    name="wiretap-pump",
                    daemon=True,
                ).start()

    def _pump(self, src, dst, parser: _DirectionParser, pair, pumps_left: list[int]) -> None:
        try:
            while True:
                data = src.recv(65536)
                if not data:
                    break
                parser.feed(data)  # parse first: see the module docstring
                dst.sendall(data)
        except OSError:
            pass
        finally:
            try:
                dst.shutdown(socket.SHUT_WR)  # pass the end of this direction on
            except OSError:
                pass
            with self._lock:
                pumps_left[0] -= 1
                last = pumps_left[0] == 0
                if last:
                    self._sockets = [s for s in self._sockets if s not in pair]
            if last:  # both directions are done: release the connection
                for s in pair:
                    s.close()

    def close(self) -> None:
        self._closed = True
        with self._lock:
            sockets, self._sockets = self._sockets, []
        # shutdown() first: on Linux it wakes threads blocked in accept()/recv(), close() alone does not.
        for s in [self._listener, *sockets]:
            try:
                s.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            s.close()

    def __enter__(self) -> "WireTap":
        return self

    def __exit__(self, *exc) -> None:
        self.close()
