#!/usr/bin/python3
"""A reference gRPC interop server on gRPC C-core (grpcio), after grpc/grpc's
doc/interop-test-descriptions.md ("Server" section).

    /usr/bin/python3 reference_server.py --port 50052 [--use_tls false]

--port 0 picks a free port. Once serving, it prints one line to stdout:
    reference_server listening on 127.0.0.1:PORT
and runs until SIGINT/SIGTERM.

Serves grpc.testing.TestService (EmptyCall, UnaryCall, CacheableUnaryCall,
StreamingOutputCall, StreamingInputCall, FullDuplexCall, HalfDuplexCall; UnimplementedCall
and grpc.testing.UnimplementedService are deliberately absent so they answer
UNIMPLEMENTED). Server features: Echo Metadata, Echo Status, CompressedResponse (per call
and per message), CompressedRequest, Observe ResponseParameters.interval_us. Echo
Authenticated Username / OAuth scope need auth and are not served.

CompressedRequest: gRPC Python never shows a handler whether a request message arrived
compressed. So, on plaintext, the server puts a wire tap (_wiretap.WireTap) in front of its
gRPC server: the public port is the tap's, the tap relays every connection to the gRPC
server on an internal loopback port and notes the compressed flag of each request message,
and UnaryCall / StreamingInputCall look their request up there (see
RequestCompressionLedger). A request whose expect_compressed is present and does not
match how it arrived fails with INVALID_ARGUMENT, as the spec asks. With --use_tls true
(the tap cannot read TLS) or --check_request_compression false, expect_compressed is
accepted unchecked, and a client's compression "probe" then succeeds.

It also serves grpc.health.v1.Health and grpc.reflection.v1 / v1alpha ServerReflection,
so health_client.py and reflection_client.py can be checked against a known-good peer.
"""

from __future__ import annotations

import argparse
import hashlib
import signal
import sys
import threading
import time
import zlib
from collections import OrderedDict, deque
from concurrent import futures
from pathlib import Path
from typing import Iterable, Iterator, Optional

sys.path.insert(0, str(Path(__file__).resolve().parent))

import _protos  # noqa: E402

_protos.setup()

import grpc  # noqa: E402
from google.protobuf import descriptor_pool  # noqa: E402

from grpc.health.v1 import health_pb2  # noqa: E402
from grpc.reflection.v1 import reflection_pb2 as reflection_v1  # noqa: E402
from grpc.reflection.v1alpha import reflection_pb2 as reflection_v1alpha  # noqa: E402
from grpc.testing import empty_pb2, messages_pb2, test_pb2  # noqa: E402,F401  (test_pb2: descriptors for reflection)

from _common import str2bool  # noqa: E402
from _wiretap import CLIENT_TO_SERVER, WireMessage, WireTap  # noqa: E402

ECHO_INITIAL_KEY = "x-grpc-test-echo-initial"
ECHO_TRAILING_KEY = "x-grpc-test-echo-trailing-bin"
SERVER_ID = "python-reference-server"

TEST_SERVICE = "grpc.testing.TestService"
HEALTH_SERVICE = "grpc.health.v1.Health"
REFLECTION_SERVICES = ("grpc.reflection.v1.ServerReflection", "grpc.reflection.v1alpha.ServerReflection")

_STATUS_BY_NUMBER = {code.value[0]: code for code in grpc.StatusCode}


# --------------------------------------------------------------------------------------
# grpc.testing.TestService
# --------------------------------------------------------------------------------------


def _echo_metadata(context: grpc.ServicerContext, extra_initial: Iterable[tuple[str, str]] = ()) -> None:
    """Echo Metadata: x-grpc-test-echo-initial back as initial metadata (sent now, with
    extra_initial) and x-grpc-test-echo-trailing-bin back as trailing metadata."""
    metadata = context.invocation_metadata() or ()
    initial = [*extra_initial, *((m.key, m.value) for m in metadata if m.key == ECHO_INITIAL_KEY)]
    trailing = [(m.key, m.value) for m in metadata if m.key == ECHO_TRAILING_KEY]
    if initial:
        context.send_initial_metadata(initial)
    if trailing:
        context.set_trailing_metadata(trailing)


def _maybe_echo_status(request, context: grpc.ServicerContext) -> None:
    """Echo Status: close the call with the requested status (ends the handler)."""
    if request.HasField("response_status") and request.response_status.code != 0:
        code = _STATUS_BY_NUMBER.get(request.response_status.code, grpc.StatusCode.UNKNOWN)
        context.abort(code, request.response_status.message)


def _payload(response_type: int, size: int, context: grpc.ServicerContext) -> messages_pb2.Payload:
    if response_type != messages_pb2.COMPRESSABLE:
        context.abort(grpc.StatusCode.INVALID_ARGUMENT, f"unsupported response_type {response_type}")
    if size < 0:
        context.abort(grpc.StatusCode.INVALID_ARGUMENT, f"negative response size {size}")
    return messages_pb2.Payload(type=messages_pb2.COMPRESSABLE, body=bytes(size))


def _decompress(body: bytes) -> Optional[bytes]:
    """Undoes gzip or deflate (zlib, or raw deflate); None if it is neither."""
    for wbits in (16 + zlib.MAX_WBITS, zlib.MAX_WBITS, -zlib.MAX_WBITS):
        try:
            return zlib.decompress(body, wbits)
        except zlib.error:
            continue
    return None


class RequestCompressionLedger:
    """Which request messages arrived compressed, as read off the wire by the WireTap.

    An entry is keyed by (connection, SHA-256 of the decompressed message). The connection
    is the port of the tap's socket to the gRPC server, which the handler sees as its
    peer's port; the message is matched by the exact bytes gRPC handed the deserializer
    (kept next to the parsed request). The tap records a message before relaying it, so
    its entry exists by the time a handler receives it. Identical messages on one
    connection are matched in order. Old entries nobody asked for are evicted.
    """

    _MAX_KEYS = 4096

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._entries: OrderedDict[tuple[int, bytes], deque[bool]] = OrderedDict()

    def record(self, message: WireMessage) -> None:  # called on the tap's threads
        if message.direction != CLIENT_TO_SERVER or message.body is None:
            return
        body = _decompress(message.body) if message.compressed else message.body
        if body is None:
            return
        key = (message.connection, hashlib.sha256(body).digest())
        with self._lock:
            flags = self._entries.get(key)
            if flags is None:
                flags = self._entries[key] = deque(maxlen=64)
            else:
                self._entries.move_to_end(key)
            flags.append(message.compressed)
            while len(self._entries) > self._MAX_KEYS:
                self._entries.popitem(last=False)

    def was_compressed(self, peer: str, raw: bytes) -> Optional[bool]:
        """True/False for a request seen on the wire; None if it was not seen."""
        try:
            port = int(peer.rsplit(":", 1)[1])  # "ipv4:127.0.0.1:PORT" or "ipv6:[::1]:PORT"
        except (IndexError, ValueError):
            return None
        key = (port, hashlib.sha256(raw).digest())
        with self._lock:
            flags = self._entries.get(key)
            if not flags:
                return None
            compressed = flags.popleft()
            if not flags:
                del self._entries[key]
            return compressed


def _with_raw(message_type):
    """A request deserializer that keeps the exact received bytes next to the message."""
    return lambda raw: (message_type.FromString(raw), raw)


class _StreamResponder:
    """Sends StreamingOutputCallResponses with per-message compression.

    Call-level compression must be chosen before initial metadata goes out, and the echoed
    initial metadata is initial metadata; so both are deferred to the first response (as a
    C++ server sends them with its first write), and gzip is enabled for the call when the
    request being answered asks for any compressed response. Messages that did not ask
    for compression are then sent with disable_next_message_compression().
    """

    def __init__(self, context: grpc.ServicerContext) -> None:
        self._context = context
        self._started = False
        self._gzip = False

    def start(self, gzip: bool = False) -> None:
        if self._started:
            return
        self._started = True
        if gzip:
            self._context.set_compression(grpc.Compression.Gzip)
            self._gzip = True
        _echo_metadata(self._context)

    def responses(self, request: messages_pb2.StreamingOutputCallRequest) -> Iterator[messages_pb2.StreamingOutputCallResponse]:
        params = request.response_parameters
        self.start(gzip=any(p.compressed.value for p in params))
        _maybe_echo_status(request, self._context)
        for p in params:
            if p.compressed.value and not self._gzip:
                self._context.abort(
                    grpc.StatusCode.INVALID_ARGUMENT,
                    "reference server: a compressed response must be asked for in the call's first request",
                )
            payload = _payload(request.response_type, p.size, self._context)
            if p.interval_us > 0:
                time.sleep(p.interval_us / 1e6)
            if self._gzip and not p.compressed.value:
                self._context.disable_next_message_compression()
            yield messages_pb2.StreamingOutputCallResponse(payload=payload)


class TestService:
    def __init__(self, ledger: Optional[RequestCompressionLedger]) -> None:
        self._ledger = ledger  # None: request compression cannot be checked

    def _check_request_compression(self, request, raw: bytes, context: grpc.ServicerContext) -> None:
        """CompressedRequest: a present expect_compressed must match how the request arrived."""
        if not request.HasField("expect_compressed") or self._ledger is None:
            return
        expected = request.expect_compressed.value
        actual = self._ledger.was_compressed(context.peer(), raw)
        if actual is None:
            context.abort(grpc.StatusCode.INTERNAL, "reference server: its wire tap did not see this request")
        if actual != expected:
            context.abort(
                grpc.StatusCode.INVALID_ARGUMENT,
                f"expect_compressed is {str(expected).lower()} but the request arrived "
                f"{'compressed' if actual else 'uncompressed'}",
            )

    def empty_call(self, request: empty_pb2.Empty, context: grpc.ServicerContext) -> empty_pb2.Empty:
        _echo_metadata(context)
        return empty_pb2.Empty()

    def unary_call(self, request_and_raw, context: grpc.ServicerContext) -> messages_pb2.SimpleResponse:
        request, raw = request_and_raw
        self._check_request_compression(request, raw, context)
        if request.response_compressed.value:
            context.set_compression(grpc.Compression.Gzip)  # before initial metadata
        _echo_metadata(context)
        _maybe_echo_status(request, context)
        response = messages_pb2.SimpleResponse(
            payload=_payload(request.response_type, request.response_size, context)
        )
        if request.fill_server_id:
            response.server_id = SERVER_ID
        return response

    def cacheable_unary_call(self, request: messages_pb2.SimpleRequest, context: grpc.ServicerContext) -> messages_pb2.SimpleResponse:
        # The spec's cache-control header; real caching needs a caching proxy in front.
        _echo_metadata(context, extra_initial=(("cache-control", "max-age=60, public"),))
        body = str(time.time_ns()).encode()
        return messages_pb2.SimpleResponse(payload=messages_pb2.Payload(type=messages_pb2.COMPRESSABLE, body=body))

    def streaming_output_call(self, request, context) -> Iterator[messages_pb2.StreamingOutputCallResponse]:
        yield from _StreamResponder(context).responses(request)

    def streaming_input_call(self, request_iterator, context) -> messages_pb2.StreamingInputCallResponse:
        _echo_metadata(context)
        total = 0
        for request, raw in request_iterator:
            self._check_request_compression(request, raw, context)
            total += len(request.payload.body)
        return messages_pb2.StreamingInputCallResponse(aggregated_payload_size=total)

    def full_duplex_call(self, request_iterator, context) -> Iterator[messages_pb2.StreamingOutputCallResponse]:
        responder = _StreamResponder(context)
        for request in request_iterator:
            yield from responder.responses(request)
        responder.start()  # echo initial metadata even when there was nothing to answer

    def half_duplex_call(self, request_iterator, context) -> Iterator[messages_pb2.StreamingOutputCallResponse]:
        requests = list(request_iterator)  # answer only after the client half-closes
        responder = _StreamResponder(context)
        for request in requests:
            yield from responder.responses(request)
        responder.start()


def _test_service_handler(service: TestService) -> grpc.GenericRpcHandler:
    m = messages_pb2
    return grpc.method_handlers_generic_handler(
        TEST_SERVICE,
        {
            "EmptyCall": grpc.unary_unary_rpc_method_handler(
                service.empty_call, empty_pb2.Empty.FromString, empty_pb2.Empty.SerializeToString
            ),
            "UnaryCall": grpc.unary_unary_rpc_method_handler(
                service.unary_call, _with_raw(m.SimpleRequest), m.SimpleResponse.SerializeToString
            ),
            "CacheableUnaryCall": grpc.unary_unary_rpc_method_handler(
                service.cacheable_unary_call, m.SimpleRequest.FromString, m.SimpleResponse.SerializeToString
            ),
            "StreamingOutputCall": grpc.unary_stream_rpc_method_handler(
                service.streaming_output_call,
                m.StreamingOutputCallRequest.FromString,
                m.StreamingOutputCallResponse.SerializeToString,
            ),
            "StreamingInputCall": grpc.stream_unary_rpc_method_handler(
                service.streaming_input_call,
                _with_raw(m.StreamingInputCallRequest),
                m.StreamingInputCallResponse.SerializeToString,
            ),
            "FullDuplexCall": grpc.stream_stream_rpc_method_handler(
                service.full_duplex_call,
                m.StreamingOutputCallRequest.FromString,
                m.StreamingOutputCallResponse.SerializeToString,
            ),
            "HalfDuplexCall": grpc.stream_stream_rpc_method_handler(
                service.half_duplex_call,
                m.StreamingOutputCallRequest.FromString,
                m.StreamingOutputCallResponse.SerializeToString,
            ),
        },
    )


# --------------------------------------------------------------------------------------
# grpc.health.v1.Health
# --------------------------------------------------------------------------------------


class HealthService:
    def __init__(self, statuses: dict[str, int]) -> None:
        self._statuses = statuses

    def check(self, request: health_pb2.HealthCheckRequest, context) -> health_pb2.HealthCheckResponse:
        status = self._statuses.get(request.service)
        if status is None:
            context.abort(grpc.StatusCode.NOT_FOUND, f"unknown service {request.service!r}")
        return health_pb2.HealthCheckResponse(status=status)

    def watch(self, request: health_pb2.HealthCheckRequest, context) -> Iterator[health_pb2.HealthCheckResponse]:
        unknown = health_pb2.HealthCheckResponse.SERVICE_UNKNOWN
        yield health_pb2.HealthCheckResponse(status=self._statuses.get(request.service, unknown))
        # Statuses never change here: hold the stream open until the client goes away.
        ended = threading.Event()
        if context.add_callback(ended.set):
            ended.wait()


def _health_handler(service: HealthService) -> grpc.GenericRpcHandler:
    req, resp = health_pb2.HealthCheckRequest, health_pb2.HealthCheckResponse
    return grpc.method_handlers_generic_handler(
        HEALTH_SERVICE,
        {
            "Check": grpc.unary_unary_rpc_method_handler(service.check, req.FromString, resp.SerializeToString),
            "Watch": grpc.unary_stream_rpc_method_handler(service.watch, req.FromString, resp.SerializeToString),
        },
    )


# --------------------------------------------------------------------------------------
# grpc.reflection.{v1,v1alpha}.ServerReflection (doc/server-reflection.md)
# --------------------------------------------------------------------------------------


class ReflectionService:
    """Answers from the default descriptor pool, which holds every generated module imported."""

    def __init__(self, pb2, service_names: Iterable[str], send_dependencies: bool) -> None:
        self._pb2 = pb2
        self._services = sorted(service_names)
        self._send_dependencies = send_dependencies
        self._pool = descriptor_pool.Default()

    def info(self, request_iterator, context) -> Iterator:
        sent: set[str] = set()  # files already sent on this stream (dependencies are sent once)
        for request in request_iterator:
            yield self._answer(request, sent)

    def _answer(self, request, sent: set[str]):
        pb2 = self._pb2
        response = pb2.ServerReflectionResponse(valid_host=request.host, original_request=request)
        kind = request.WhichOneof("message_request")
        try:
            if kind == "list_services":
                response.list_services_response.service.extend(
                    pb2.ServiceResponse(name=name) for name in self._services
                )
            elif kind == "file_by_filename":
                self._add_files(response, self._pool.FindFileByName(request.file_by_filename), sent)
            elif kind == "file_containing_symbol":
                self._add_files(response, self._file_containing_symbol(request.file_containing_symbol), sent)
            elif kind == "file_containing_extension":
                ext = request.file_containing_extension
                message = self._pool.FindMessageTypeByName(ext.containing_type)
                self._add_files(response, self._pool.FindExtensionByNumber(message, ext.extension_number).file, sent)
            elif kind == "all_extension_numbers_of_type":
                message = self._pool.FindMessageTypeByName(request.all_extension_numbers_of_type)
                response.all_extension_numbers_response.base_type_name = message.full_name
                response.all_extension_numbers_response.extension_number.extend(
                    sorted(e.number for e in self._pool.FindAllExtensions(message))
                )
            else:
                response.error_response.error_code = grpc.StatusCode.UNIMPLEMENTED.value[0]
                response.error_response.error_message = f"unsupported request {kind!r}"
        except KeyError as exc:
            response.ClearField("message_response")
            response.error_response.error_code = grpc.StatusCode.NOT_FOUND.value[0]
            response.error_response.error_message = f"not found: {exc}"
        return response

    def _file_containing_symbol(self, symbol: str):
        try:
            return self._pool.FindFileContainingSymbol(symbol)
        except KeyError as not_found:
            # Methods, fields and enum values: look up the enclosing symbol.
            parent = symbol.rpartition(".")[0]
            try:
                return self._pool.FindFileContainingSymbol(parent)
            except KeyError:
                raise not_found from None

    def _add_files(self, response, file_descriptor, sent: set[str]) -> None:
        out = response.file_descriptor_response.file_descriptor_proto
        out.append(file_descriptor.serialized_pb)  # the file asked for: always
        sent.add(file_descriptor.name)
        if not self._send_dependencies:
            return
        stack = list(file_descriptor.dependencies)
        while stack:
            dep = stack.pop()
            if dep.name in sent:
                continue
            sent.add(dep.name)
            out.append(dep.serialized_pb)
            stack.extend(dep.dependencies)


def _reflection_handler(pb2, service: ReflectionService) -> grpc.GenericRpcHandler:
    package = pb2.DESCRIPTOR.package
    return grpc.method_handlers_generic_handler(
        f"{package}.ServerReflection",
        {
            "ServerReflectionInfo": grpc.stream_stream_rpc_method_handler(
                service.info,
                pb2.ServerReflectionRequest.FromString,
                pb2.ServerReflectionResponse.SerializeToString,
            )
        },
    )


# --------------------------------------------------------------------------------------
# main
# --------------------------------------------------------------------------------------


class ReferenceServer:
    """The gRPC server, plus the wire tap in front of it when request compression is checked."""

    def __init__(self, args: argparse.Namespace) -> None:
        self._args = args
        self._tap: Optional[WireTap] = None
        check_compression = args.check_request_compression and not args.use_tls
        self._ledger = RequestCompressionLedger() if check_compression else None

        # Streaming handlers (Watch, FullDuplexCall) hold a thread each while open.
        self._server = grpc.server(futures.ThreadPoolExecutor(max_workers=args.max_workers))
        serving = health_pb2.HealthCheckResponse.SERVING
        statuses = {name: serving for name in ("", TEST_SERVICE, HEALTH_SERVICE, *REFLECTION_SERVICES)}
        for name in args.not_serving:
            statuses[name] = health_pb2.HealthCheckResponse.NOT_SERVING
        services = [TEST_SERVICE, HEALTH_SERVICE, *REFLECTION_SERVICES]
        send_deps = args.reflection_send_dependencies
        self._server.add_generic_rpc_handlers(
            (
                _test_service_handler(TestService(self._ledger)),
                _health_handler(HealthService(statuses)),
                _reflection_handler(reflection_v1, ReflectionService(reflection_v1, services, send_deps)),
                _reflection_handler(reflection_v1alpha, ReflectionService(reflection_v1alpha, services, send_deps)),
            )
        )

        if self._ledger is not None:
            # gRPC listens on an internal loopback port; the public port is the tap's.
            internal = self._server.add_insecure_port("127.0.0.1:0")
            if internal == 0:
                raise SystemExit("cannot listen on 127.0.0.1")
            self._tap = WireTap(
                "127.0.0.1",
                internal,
                listen_host=args.bind,
                listen_port=args.port,
                capture_bodies=True,
                on_message=self._ledger.record,
            )
            self.port = self._tap.port
            return

        address = f"[{args.bind}]:{args.port}" if ":" in args.bind else f"{args.bind}:{args.port}"
        if args.use_tls:
            if not (args.tls_cert_file and args.tls_key_file):
                raise SystemExit("--use_tls true needs --tls_cert_file and --tls_key_file")
            with open(args.tls_key_file, "rb") as f:
                key = f.read()
            with open(args.tls_cert_file, "rb") as f:
                cert = f.read()
            self.port = self._server.add_secure_port(address, grpc.ssl_server_credentials([(key, cert)]))
        else:
            self.port = self._server.add_insecure_port(address)
        if self.port == 0:
            raise SystemExit(f"cannot listen on {address}")

    def start(self) -> None:
        self._server.start()

    def stop(self, grace: Optional[float] = None) -> None:
        if self._tap is not None:
            self._tap.close()
        self._server.stop(grace).wait()


def main(argv: Optional[list[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--port", type=int, default=0, help="port to listen on; 0 picks a free one (default)")
    parser.add_argument("--bind", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    parser.add_argument("--use_tls", type=str2bool, default=False, metavar="BOOL", help="serve TLS (default false)")
    parser.add_argument("--tls_cert_file", help="PEM certificate chain, with --use_tls true")
    parser.add_argument("--tls_key_file", help="PEM private key, with --use_tls true")
    parser.add_argument(
        "--not_serving",
        action="append",
        default=[],
        metavar="SERVICE",
        help="report this service NOT_SERVING to health checks (repeatable)",
    )
    parser.add_argument(
        "--reflection_send_dependencies",
        type=str2bool,
        default=True,
        metavar="BOOL",
        help="with a reflection file answer, also send the file's transitive dependencies not yet "
        "sent on the stream (default true; false makes clients fetch them by file_by_filename)",
    )
    parser.add_argument(
        "--check_request_compression",
        type=str2bool,
        default=True,
        metavar="BOOL",
        help="check expect_compressed against the wire via a relay in front of the server "
        "(default true; plaintext only, see the module docstring)",
    )
    parser.add_argument("--max_workers", type=int, default=32, help="handler threads (default 32)")
    args = parser.parse_args(argv)

    server = ReferenceServer(args)
    server.start()
    print(f"reference_server listening on {args.bind}:{server.port}", flush=True)

    stop = threading.Event()
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: stop.set())
    stop.wait()
    server.stop(grace=1)
    return 0


if __name__ == "__main__":
    sys.exit(main())
