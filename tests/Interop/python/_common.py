"""Helpers shared by the interop scripts: command-line flags, channels, request pipes."""

from __future__ import annotations

import argparse
import queue
import threading
from typing import Any, Optional

import grpc

DEFAULT_RPC_TIMEOUT = 30.0  # seconds; every call gets a deadline so nothing hangs forever


class CheckFailure(AssertionError):
    """A spec assertion did not hold."""


def check(condition: bool, message: str) -> None:
    if not condition:
        raise CheckFailure(message)


def str2bool(text: str) -> bool:
    lowered = text.strip().lower()
    if lowered in ("1", "true", "yes", "on"):
        return True
    if lowered in ("0", "false", "no", "off"):
        return False
    raise argparse.ArgumentTypeError(f"expected true or false, got {text!r}")


def add_connection_args(parser: argparse.ArgumentParser) -> None:
    """The connection flags of the interop spec's clients (the subset that applies here)."""
    parser.add_argument("--server_host", default="127.0.0.1", help="server host (default 127.0.0.1)")
    parser.add_argument("--server_port", type=int, required=True, help="server port")
    parser.add_argument(
        "--server_host_override",
        default=None,
        help="name to claim for TLS verification and :authority (default: --server_host)",
    )
    parser.add_argument(
        "--use_tls", type=str2bool, default=False, metavar="BOOL", help="use TLS (default false)"
    )
    parser.add_argument(
        "--ca_file",
        default=None,
        help="PEM file of root certificates for TLS (default: the system roots)",
    )
    parser.add_argument(
        "--rpc_timeout",
        type=float,
        default=DEFAULT_RPC_TIMEOUT,
        help=f"deadline in seconds for each call (default {DEFAULT_RPC_TIMEOUT:g})",
    )


def create_channel(
    args: argparse.Namespace,
    host: Optional[str] = None,
    port: Optional[int] = None,
) -> grpc.Channel:
    """A channel to the server named by the flags, or to (host, port) while still
    presenting the server's own name as :authority (used to go through the wire tap)."""
    host = host or args.server_host
    port = port or args.server_port
    target = f"[{host}]:{port}" if ":" in host else f"{host}:{port}"
    # :authority as if connected straight to the server, even when routed via a relay.
    authority_host = args.server_host_override or args.server_host
    if ":" in authority_host:
        authority_host = f"[{authority_host}]"
    options: list[tuple[str, Any]] = [("grpc.default_authority", f"{authority_host}:{args.server_port}")]
    if not args.use_tls:
        return grpc.insecure_channel(target, options=options)
    roots = None
    if args.ca_file:
        with open(args.ca_file, "rb") as f:
            roots = f.read()
    if args.server_host_override:
        options.append(("grpc.ssl_target_name_override", args.server_host_override))
    return grpc.secure_channel(target, grpc.ssl_channel_credentials(root_certificates=roots), options)


def rpc_error_text(error: grpc.RpcError) -> str:
    code = error.code() if hasattr(error, "code") else None
    details = error.details() if hasattr(error, "details") else None
    name = code.name if code is not None else "?"
    return f"{name} {details!r}"


_CLOSE = object()


class RequestPipe:
    """A request iterator for streaming calls, fed one message at a time.

    gRPC Python pulls requests from the iterator on its own thread; next() blocks until
    the test adds a message or half-closes. Leaving the `with` block half-closes, so the
    consuming thread never stays blocked after a test (for example after a cancel).
    """

    def __init__(self) -> None:
        self._queue: queue.Queue = queue.Queue()
        self._closed = threading.Event()

    def add(self, message: Any) -> None:
        self._queue.put(message)

    def close(self) -> None:
        if not self._closed.is_set():
            self._closed.set()
            self._queue.put(_CLOSE)

    def __iter__(self) -> "RequestPipe":
        return self

    def __next__(self) -> Any:
        item = self._queue.get()
        if item is _CLOSE:
            raise StopIteration
        return item

    def __enter__(self) -> "RequestPipe":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()
