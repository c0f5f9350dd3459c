#!/usr/bin/python3
"""gRPC server reflection client (grpc/grpc doc/server-reflection.md).

    /usr/bin/python3 reflection_client.py --server_port 50051 [--version v1|v1alpha] \
        [--expect_service NAME ...] [--resolve_method pkg.Service.Method ...]

On one ServerReflectionInfo stream it:
  1. sends list_services and prints the names; each --expect_service must be listed;
  2. for each --resolve_method, sends file_containing_symbol for the service, fetches any
     dependency the server did not send with file_by_filename, builds the files into a
     fresh DescriptorPool, finds the method and prints its input and output types;
  3. sends file_containing_symbol for a symbol that does not exist and asserts an
     error_response with error_code 5 (NOT_FOUND).
Then it half-closes and expects the stream to end OK. Prints PASS/FAIL; exits non-zero on failure.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Optional

sys.path.insert(0, str(Path(__file__).resolve().parent))

import _protos  # noqa: E402

_protos.setup()

import grpc  # noqa: E402
from google.protobuf import descriptor_pb2, descriptor_pool  # noqa: E402

from grpc.reflection.v1 import reflection_pb2 as reflection_v1  # noqa: E402
from grpc.reflection.v1alpha import reflection_pb2 as reflection_v1alpha  # noqa: E402

from _common import CheckFailure, RequestPipe, add_connection_args, check, create_channel, rpc_error_text  # noqa: E402

VERSIONS = {"v1": reflection_v1, "v1alpha": reflection_v1alpha}
UNKNOWN_SYMBOL = "grpc.interop.python.NoSuchService"
NOT_FOUND = grpc.StatusCode.NOT_FOUND.value[0]  # 5


class ReflectionSession:
    """One ServerReflectionInfo stream; ask() sends a request and reads its response."""

    def __init__(self, channel: grpc.Channel, version: str, timeout: float) -> None:
        self.pb2 = VERSIONS[version]
        method = channel.stream_stream(
            f"/grpc.reflection.{version}.ServerReflection/ServerReflectionInfo",
            self.pb2.ServerReflectionRequest.SerializeToString,
            self.pb2.ServerReflectionResponse.FromString,
        )
        self._pipe = RequestPipe()
        self._call = method(self._pipe, timeout=timeout)
        self.warnings: list[str] = []
        # Every file received on this stream, by name: servers may send a dependency only
        # the first time it is needed on a stream.
        self.files: dict[str, descriptor_pb2.FileDescriptorProto] = {}

    def ask(self, **fields):
        request = self.pb2.ServerReflectionRequest(**fields)
        self._pipe.add(request)
        try:
            response = next(self._call, None)
        except grpc.RpcError as error:
            raise CheckFailure(f"stream failed after sending {fields}: {rpc_error_text(error)}") from None
        check(response is not None, f"stream ended before answering {fields}")
        if not response.HasField("original_request"):
            self._warn("responses do not echo original_request")
        else:
            check(
                response.original_request == request,
                f"response to {fields} echoes a different original_request: {response.original_request}",
            )
        return response

    def ask_files(self, **fields) -> list[descriptor_pb2.FileDescriptorProto]:
        """Sends a file_* request; returns the files answered and remembers them."""
        response = self.ask(**fields)
        kind = response.WhichOneof("message_response")
        if kind == "error_response":
            err = response.error_response
            raise CheckFailure(f"{fields}: error_response {err.error_code} {err.error_message!r}")
        check(kind == "file_descriptor_response", f"{fields}: answered with {kind}, expected file_descriptor_response")
        protos = []
        for raw in response.file_descriptor_response.file_descriptor_proto:
            proto = descriptor_pb2.FileDescriptorProto.FromString(raw)
            self.files.setdefault(proto.name, proto)
            protos.append(proto)
        return protos

    def close(self) -> None:
        """Half-closes; the server must then end the stream with OK."""
        self._pipe.close()
        try:
            extra = list(self._call)
        except grpc.RpcError as error:
            raise CheckFailure(f"stream ended with {rpc_error_text(error)} after half-close") from None
        check(not extra, f"{len(extra)} unexpected responses after half-close")
        check(self._call.code() == grpc.StatusCode.OK, f"stream ended with {self._call.code()}")

    def abort(self) -> None:
        self._pipe.close()
        self._call.cancel()

    def _warn(self, text: str) -> None:
        if text not in self.warnings:
            self.warnings.append(text)


def list_services(session: ReflectionSession, expected: list[str]) -> list[str]:
    response = session.ask(list_services="")  # the content is not checked by servers
    kind = response.WhichOneof("message_response")
    check(kind == "list_services_response", f"list_services answered with {kind}")
    names = [s.name for s in response.list_services_response.service]
    for name in names:
        print(f"service {name}")
    missing = [name for name in expected if name not in names]
    check(not missing, f"services not listed: {missing}")
    return names


def resolve_method(session: ReflectionSession, full_name: str) -> None:
    service_name, _, method_name = full_name.rpartition(".")
    check(bool(service_name and method_name), f"--resolve_method {full_name!r} is not pkg.Service.Method")

    answered = session.ask_files(file_containing_symbol=service_name)
    check(bool(answered), f"file_containing_symbol {service_name!r}: no file in the answer")

    # Fetch the dependencies the server did not send (now or earlier on this stream).
    pending = [answered[0].name]
    seen: set[str] = set()
    while pending:
        name = pending.pop()
        if name in seen:
            continue
        seen.add(name)
        if name not in session.files:
            session.ask_files(file_by_filename=name)
            print(f"fetched {name} by file_by_filename")
            check(name in session.files, f"file_by_filename {name!r}: the answer does not contain that file")
        pending.extend(session.files[name].dependency)

    # A fresh pool, files added dependencies first.
    pool = descriptor_pool.DescriptorPool()
    added: set[str] = set()

    def add(name: str, path: tuple[str, ...] = ()) -> None:
        if name in added:
            return
        check(name not in path, f"dependency cycle: {' -> '.join(path + (name,))}")
        for dep in session.files[name].dependency:
            add(dep, path + (name,))
        pool.Add(session.files[name])
        added.add(name)

    for name in seen:
        add(name)

    try:
        service = pool.FindServiceByName(service_name)
    except KeyError:
        raise CheckFailure(f"{service_name} is not in the files answered for it ({sorted(seen)})") from None
    method = service.methods_by_name.get(method_name)
    check(method is not None, f"{service_name} has no method {method_name} (has {sorted(service.methods_by_name)})")
    # Streaming flags straight from the FileDescriptorProto the server sent.
    service_proto = next(s for s in session.files[service.file.name].service if s.name == service.name)
    method_proto = next(m for m in service_proto.method if m.name == method_name)
    print(
        f"method {full_name}: input {method.input_type.full_name}, output {method.output_type.full_name}"
        f" (client_streaming={str(method_proto.client_streaming).lower()},"
        f" server_streaming={str(method_proto.server_streaming).lower()}; file {service.file.name})"
    )


def unknown_symbol(session: ReflectionSession) -> None:
    response = session.ask(file_containing_symbol=UNKNOWN_SYMBOL)
    kind = response.WhichOneof("message_response")
    check(kind == "error_response", f"file_containing_symbol {UNKNOWN_SYMBOL!r} answered with {kind}, expected error_response")
    code = response.error_response.error_code
    check(code == NOT_FOUND, f"file_containing_symbol {UNKNOWN_SYMBOL!r}: error_code {code}, expected {NOT_FOUND} (NOT_FOUND)")
    print(f"unknown symbol {UNKNOWN_SYMBOL}: error_code {code} {response.error_response.error_message!r}")


def main(argv: Optional[list[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    add_connection_args(parser)
    parser.add_argument("--version", choices=sorted(VERSIONS), default="v1", help="reflection API version (default v1)")
    parser.add_argument("--expect_service", nargs="+", action="extend", default=[], metavar="NAME", help="service that must be listed")
    parser.add_argument(
        "--resolve_method", nargs="+", action="extend", default=[], metavar="pkg.Service.Method", help="method to resolve"
    )
    args = parser.parse_args(argv)

    channel = create_channel(args)
    session = ReflectionSession(channel, args.version, args.rpc_timeout)
    try:
        list_services(session, args.expect_service)
        for method in args.resolve_method:
            resolve_method(session, method)
        unknown_symbol(session)
        session.close()
    except CheckFailure as failure:
        session.abort()
        print(f"FAIL reflection {args.version}: {failure}")
        return 1
    except Exception as exc:  # e.g. a descriptor the pool rejects
        session.abort()
        print(f"FAIL reflection {args.version}: {type(exc).__name__}: {exc}")
        return 1
    finally:
        channel.close()
    warnings = "".join(f" [warning: {w}]" for w in session.warnings)
    print(f"PASS reflection {args.version}{warnings}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
