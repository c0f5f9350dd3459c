#!/usr/bin/python3
"""gRPC interop test client (gRPC C-core through grpcio), after grpc/grpc's
doc/interop-test-descriptions.md.

    /usr/bin/python3 interop_client.py --server_host 127.0.0.1 --server_port 50051 \
        --test_case large_unary [--use_tls false]

--test_case all runs every supported case in turn. Each case prints `PASS <case>` or
`FAIL <case>: <reason>`; the exit code is non-zero if any case failed.

Compression cases: gRPC Python cannot see the per-message "compressed" flag, so on a
plaintext connection these cases go through a local relay (_wiretap.WireTap) that reads
the flag off the wire. That makes their flag assertions real: the client checks that it
put the flags the spec asks for on the wire, and that the server's responses carry the
flags the request asked for. With --use_tls true the relay cannot read the stream, so
those flag assertions are skipped (and the output says so).
"""

from __future__ import annotations

import argparse
import contextlib
import sys
import time
import traceback
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterator, Optional

sys.path.insert(0, str(Path(__file__).resolve().parent))

import _protos  # noqa: E402

_protos.setup()

import grpc  # noqa: E402
from grpc._cython import cygrpc  # noqa: E402  (only for WriteFlag, see _uncompressed_next_write)

from grpc.testing import empty_pb2, messages_pb2  # noqa: E402

from _common import (  # noqa: E402
    CheckFailure,
    RequestPipe,
    add_connection_args,
    check,
    create_channel,
    rpc_error_text,
    str2bool,
)
from _wiretap import CLIENT_TO_SERVER, SERVER_TO_CLIENT, WireMessage, WireTap  # noqa: E402

Empty = empty_pb2.Empty
SimpleRequest = messages_pb2.SimpleRequest
SimpleResponse = messages_pb2.SimpleResponse
Payload = messages_pb2.Payload
BoolValue = messages_pb2.BoolValue
EchoStatus = messages_pb2.EchoStatus
ResponseParameters = messages_pb2.ResponseParameters
StreamingInputCallRequest = messages_pb2.StreamingInputCallRequest
StreamingInputCallResponse = messages_pb2.StreamingInputCallResponse
StreamingOutputCallRequest = messages_pb2.StreamingOutputCallRequest
StreamingOutputCallResponse = messages_pb2.StreamingOutputCallResponse

ECHO_INITIAL_KEY = "x-grpc-test-echo-initial"
ECHO_INITIAL_VALUE = "test_initial_metadata_value"
ECHO_TRAILING_KEY = "x-grpc-test-echo-trailing-bin"
ECHO_TRAILING_VALUE = b"\xab\xab\xab"

SPECIAL_STATUS_MESSAGE = "\t\ntest with whitespace\r\nand Unicode BMP \u263a and non-BMP \U0001f608\t\n"


# --------------------------------------------------------------------------------------
# Stub: method paths and (de)serializers by hand (no grpcio-tools here).
# --------------------------------------------------------------------------------------


class TestServiceStub:
    def __init__(self, channel: grpc.Channel) -> None:
        def path(method: str, service: str = "grpc.testing.TestService") -> str:
            return f"/{service}/{method}"

        self.empty_call = channel.unary_unary(
            path("EmptyCall"), Empty.SerializeToString, Empty.FromString
        )
        self.unary_call = channel.unary_unary(
            path("UnaryCall"), SimpleRequest.SerializeToString, SimpleResponse.FromString
        )
        self.streaming_output_call = channel.unary_stream(
            path("StreamingOutputCall"),
            StreamingOutputCallRequest.SerializeToString,
            StreamingOutputCallResponse.FromString,
        )
        self.streaming_input_call = channel.stream_unary(
            path("StreamingInputCall"),
            StreamingInputCallRequest.SerializeToString,
            StreamingInputCallResponse.FromString,
        )
        self.full_duplex_call = channel.stream_stream(
            path("FullDuplexCall"),
            StreamingOutputCallRequest.SerializeToString,
            StreamingOutputCallResponse.FromString,
        )
        self.unimplemented_call = channel.unary_unary(
            path("UnimplementedCall"), Empty.SerializeToString, Empty.FromString
        )
        self.unimplemented_service_call = channel.unary_unary(
            path("UnimplementedCall", "grpc.testing.UnimplementedService"),
            Empty.SerializeToString,
            Empty.FromString,
        )


@dataclass
class Context:
    args: argparse.Namespace
    stub: TestServiceStub
    timeout: float
    notes: list[str] = field(default_factory=list)  # printed after PASS


# --------------------------------------------------------------------------------------
# Assertion helpers
# --------------------------------------------------------------------------------------


def zeros_payload(size: int) -> Payload:
    return Payload(type=messages_pb2.COMPRESSABLE, body=bytes(size))


def check_payload(payload: Payload, size: int, what: str) -> None:
    check(
        payload.type == messages_pb2.COMPRESSABLE,
        f"{what}: payload type {payload.type}, expected COMPRESSABLE",
    )
    check(len(payload.body) == size, f"{what}: payload body is {len(payload.body)} bytes, expected {size}")
    check(payload.body == bytes(size), f"{what}: payload body is not all zeros")


def expect_rpc_error(
    call: Callable[[], object], code: grpc.StatusCode, what: str, details: Optional[str] = None
) -> grpc.RpcError:
    """Runs call(), which must fail with `code` (and `details`, when given)."""
    try:
        call()
    except grpc.RpcError as error:
        check(error.code() == code, f"{what}: got status {rpc_error_text(error)}, expected {code.name}")
        if details is not None:
            check(
                error.details() == details,
                f"{what}: status message {error.details()!r}, expected {details!r}",
            )
        return error
    raise CheckFailure(f"{what}: call succeeded, expected status {code.name}")


def expect_ok(what: str, call: Callable[[], object]):
    """Runs call(), which must succeed; a failure names the step."""
    try:
        return call()
    except grpc.RpcError as error:
        raise CheckFailure(f"{what}: failed with {rpc_error_text(error)}") from None


def check_single_metadata(metadata, key: str, value, what: str) -> None:
    values = [m.value for m in (metadata or ()) if m.key == key]
    check(values == [value], f"{what}: {key} values {values!r}, expected [{value!r}]")


# --------------------------------------------------------------------------------------
# Compression helpers
# --------------------------------------------------------------------------------------


@contextlib.contextmanager
def compression_stub(ctx: Context) -> Iterator[tuple[TestServiceStub, Optional[WireTap]]]:
    """A stub on a fresh channel routed through a wire tap (plaintext) or direct (TLS)."""
    if ctx.args.use_tls:
        ctx.notes.append("compressed flags not verified: the wire tap cannot read TLS")
        channel = create_channel(ctx.args)
        try:
            yield TestServiceStub(channel), None
        finally:
            channel.close()
        return
    with WireTap(ctx.args.server_host, ctx.args.server_port) as tap:
        channel = create_channel(ctx.args, host="127.0.0.1", port=tap.port)
        try:
            yield TestServiceStub(channel), tap
        finally:
            channel.close()


def check_wire_flags(
    tap: Optional[WireTap], wire: list[WireMessage], direction: str, expected: list[bool], what: str
) -> None:
    """Asserts the compressed flags of the messages one call sent in one direction."""
    if tap is None:
        return
    check(not tap.errors, f"{what}: wire tap failed: {tap.errors}")
    flags = [m.compressed for m in wire if m.direction == direction]
    side = "client" if direction == CLIENT_TO_SERVER else "server"
    check(flags == expected, f"{what}: {side} sent messages with compressed flags {flags}, expected {expected}")


class _UncompressedNextWrite:
    """Makes the next message written on a client-streaming call go out uncompressed.

    client_compressed_streaming needs one compressed and one uncompressed request on the
    same call. gRPC Python only has per-call compression and no public per-message switch
    (the server side has ServicerContext.disable_next_message_compression, the client side
    nothing). grpc._channel builds every send-message operation with the module global
    _EMPTY_FLAGS, read at the moment the operation is built, on the thread that consumes
    the request iterator, which waits for each send to finish before pulling the next
    request. So setting that global to GRPC_WRITE_NO_COMPRESS while the request iterator
    hands out one message, and restoring it when the iterator is resumed, flags exactly
    that one message. This is private API of grpcio (Debian's 1.51 here); the wire tap
    verifies the result, so a grpcio that behaves otherwise makes the case fail rather
    than pass vacuously. Only one call may be in flight while it is active.
    """

    def __init__(self) -> None:
        import grpc._channel as channel_module

        self._module = channel_module
        self._saved = getattr(channel_module, "_EMPTY_FLAGS", None)
        if self._saved is None:
            raise CheckFailure("this grpcio has no grpc._channel._EMPTY_FLAGS: cannot send an uncompressed message on a compressed call")

    def activate(self) -> None:
        self._module._EMPTY_FLAGS = int(cygrpc.WriteFlag.no_compress)

    def restore(self) -> None:
        self._module._EMPTY_FLAGS = self._saved


# --------------------------------------------------------------------------------------
# Test cases
# --------------------------------------------------------------------------------------


def empty_unary(ctx: Context) -> None:
    response = ctx.stub.empty_call(Empty(), timeout=ctx.timeout)
    check(response is not None, "EmptyCall returned no response")
    check(isinstance(response, Empty), f"EmptyCall returned {type(response).__name__}")


def large_unary(ctx: Context) -> None:
    request = SimpleRequest(response_size=314159, payload=zeros_payload(271828))
    response = ctx.stub.unary_call(request, timeout=ctx.timeout)
    check_payload(response.payload, 314159, "UnaryCall response")


def run_compression_probe(ctx, tap, send_uncompressed_claiming_compressed):
    """The spec's probe: a request that says expect_compressed=true but is sent uncompressed must
    be refused with INVALID_ARGUMENT, and the wire must show it went uncompressed."""
    probe_ok = False
    try:
        send_uncompressed_claiming_compressed()
        probe_ok = True
    except grpc.RpcError as error:
        check(
            error.code() == grpc.StatusCode.INVALID_ARGUMENT,
            f"probe (expect_compressed=true, sent uncompressed): got {rpc_error_text(error)}, expected INVALID_ARGUMENT",
        )
    wire = tap.take() if tap else []
    check_wire_flags(tap, wire, CLIENT_TO_SERVER, [False], "probe")
    if probe_ok:
        message = "probe (expect_compressed=true, sent uncompressed) succeeded, expected INVALID_ARGUMENT: the server does not check request compression"
        if not ctx.args.skip_compression_probe:
            raise CheckFailure(message)
        ctx.notes.append("probe not enforced (--skip_compression_probe): " + message)


def client_compressed_unary(ctx: Context) -> None:
    def request(expect_compressed: bool) -> SimpleRequest:
        return SimpleRequest(
            expect_compressed=BoolValue(value=expect_compressed),
            response_size=314159,
            payload=zeros_payload(271828),
        )

    with compression_stub(ctx) as (stub, tap):
        # 1. Probe: claims to be compressed but is not; the server must refuse it.
        run_compression_probe(ctx, tap, lambda: stub.unary_call(request(True), timeout=ctx.timeout))

        # 2. Compressed request, expect_compressed=true.
        response = expect_ok(
            "compressed request (expect_compressed=true)",
            lambda: stub.unary_call(request(True), timeout=ctx.timeout, compression=grpc.Compression.Gzip),
        )
        check_payload(response.payload, 314159, "compressed request: response")
        wire = tap.take() if tap else []
        check_wire_flags(tap, wire, CLIENT_TO_SERVER, [True], "compressed request")

        # 3. Uncompressed request, expect_compressed=false.
        response = expect_ok(
            "uncompressed request (expect_compressed=false)",
            lambda: stub.unary_call(request(False), timeout=ctx.timeout),
        )
        check_payload(response.payload, 314159, "uncompressed request: response")
        wire = tap.take() if tap else []
        check_wire_flags(tap, wire, CLIENT_TO_SERVER, [False], "uncompressed request")


def server_compressed_unary(ctx: Context) -> None:
    with compression_stub(ctx) as (stub, tap):
        for compressed in (True, False):
            what = f"response_compressed={str(compressed).lower()}"
            request = SimpleRequest(
                response_compressed=BoolValue(value=compressed),
                response_size=314159,
                payload=zeros_payload(271828),
            )
            response = expect_ok(what, lambda: stub.unary_call(request, timeout=ctx.timeout))
            check_payload(response.payload, 314159, f"{what}: response")
            wire = tap.take() if tap else []
            check_wire_flags(tap, wire, SERVER_TO_CLIENT, [compressed], what)


def client_streaming(ctx: Context) -> None:
    sizes = (27182, 8, 1828, 45904)
    requests = [StreamingInputCallRequest(payload=zeros_payload(n)) for n in sizes]
    response = ctx.stub.streaming_input_call(iter(requests), timeout=ctx.timeout)
    check(
        response.aggregated_payload_size == 74922,
        f"aggregated_payload_size {response.aggregated_payload_size}, expected 74922",
    )


def client_compressed_streaming(ctx: Context) -> None:
    with compression_stub(ctx) as (stub, tap):
        # 1. Probe: an uncompressed message claiming expect_compressed=true must be refused.
        probe = StreamingInputCallRequest(
            expect_compressed=BoolValue(value=True), payload=zeros_payload(27182)
        )
        run_compression_probe(ctx, tap, lambda: stub.streaming_input_call(iter([probe]), timeout=ctx.timeout))

        # 2. One call: a compressed message (expect_compressed=true), then an uncompressed
        #    one (expect_compressed=false), then half-close.
        switch = _UncompressedNextWrite()

        def requests() -> Iterator[StreamingInputCallRequest]:
            yield StreamingInputCallRequest(
                expect_compressed=BoolValue(value=True), payload=zeros_payload(27182)
            )
            switch.activate()
            try:
                yield StreamingInputCallRequest(
                    expect_compressed=BoolValue(value=False), payload=zeros_payload(45904)
                )
            finally:
                switch.restore()  # runs when the consumer pulls again, before half-close

        try:
            response = expect_ok(
                "compressed then uncompressed request",
                lambda: stub.streaming_input_call(requests(), timeout=ctx.timeout, compression=grpc.Compression.Gzip),
            )
        finally:
            switch.restore()
        check(
            response.aggregated_payload_size == 73086,
            f"aggregated_payload_size {response.aggregated_payload_size}, expected 73086",
        )
        wire = tap.take() if tap else []
        check_wire_flags(tap, wire, CLIENT_TO_SERVER, [True, False], "compressed then uncompressed request")


def server_streaming(ctx: Context) -> None:
    sizes = (31415, 9, 2653, 58979)
    request = StreamingOutputCallRequest(
        response_parameters=[ResponseParameters(size=n) for n in sizes]
    )
    call = ctx.stub.streaming_output_call(request, timeout=ctx.timeout)
    responses = list(call)
    check(len(responses) == 4, f"got {len(responses)} responses, expected 4")
    for i, (response, size) in enumerate(zip(responses, sizes)):
        check_payload(response.payload, size, f"response {i}")
    check(call.code() == grpc.StatusCode.OK, f"call ended with {call.code()}")


def server_compressed_streaming(ctx: Context) -> None:
    request = StreamingOutputCallRequest(
        response_parameters=[
            ResponseParameters(compressed=BoolValue(value=True), size=31415),
            ResponseParameters(compressed=BoolValue(value=False), size=92653),
        ]
    )
    with compression_stub(ctx) as (stub, tap):
        call = stub.streaming_output_call(request, timeout=ctx.timeout)
        responses = list(call)
        check(call.code() == grpc.StatusCode.OK, f"call ended with {call.code()}")
        check(len(responses) == 2, f"got {len(responses)} responses, expected 2")
        check_payload(responses[0].payload, 31415, "response 0")
        check_payload(responses[1].payload, 92653, "response 1")
        wire = tap.take() if tap else []
        check_wire_flags(tap, wire, SERVER_TO_CLIENT, [True, False], "responses")


def ping_pong(ctx: Context) -> None:
    request_sizes = (27182, 8, 1828, 45904)
    response_sizes = (31415, 9, 2653, 58979)
    with RequestPipe() as pipe:
        call = ctx.stub.full_duplex_call(pipe, timeout=ctx.timeout)
        for i, (req_size, resp_size) in enumerate(zip(request_sizes, response_sizes)):
            pipe.add(
                StreamingOutputCallRequest(
                    response_parameters=[ResponseParameters(size=resp_size)],
                    payload=zeros_payload(req_size),
                )
            )
            response = next(call, None)
            check(response is not None, f"stream ended after {i} responses, expected 4")
            check_payload(response.payload, resp_size, f"response {i}")
        pipe.close()
        extra = list(call)
        check(not extra, f"got {4 + len(extra)} responses, expected 4")
        check(call.code() == grpc.StatusCode.OK, f"call ended with {call.code()}")


def empty_stream(ctx: Context) -> None:
    call = ctx.stub.full_duplex_call(iter(()), timeout=ctx.timeout)
    responses = list(call)
    check(not responses, f"got {len(responses)} responses, expected 0")
    check(call.code() == grpc.StatusCode.OK, f"call ended with {call.code()}")


def cancel_after_begin(ctx: Context) -> None:
    with RequestPipe() as pipe:  # never fed: the call has begun, no payload sent
        future = ctx.stub.streaming_input_call.future(pipe, timeout=ctx.timeout)
        future.cancel()
        check(future.cancelled(), "call was not cancelled")
        check(future.code() == grpc.StatusCode.CANCELLED, f"call ended with {future.code()}, expected CANCELLED")


def cancel_after_first_response(ctx: Context) -> None:
    with RequestPipe() as pipe:
        call = ctx.stub.full_duplex_call(pipe, timeout=ctx.timeout)
        pipe.add(
            StreamingOutputCallRequest(
                response_parameters=[ResponseParameters(size=31415)],
                payload=zeros_payload(27182),
            )
        )
        response = next(call, None)
        check(response is not None, "stream ended before the first response")
        check_payload(response.payload, 31415, "first response")
        call.cancel()
        expect_rpc_error(lambda: next(call), grpc.StatusCode.CANCELLED, "after cancel")
        check(call.code() == grpc.StatusCode.CANCELLED, f"call ended with {call.code()}, expected CANCELLED")


def timeout_on_sleeping_server(ctx: Context) -> None:
    with RequestPipe() as pipe:  # not half-closed: the server has nothing to answer
        call = ctx.stub.full_duplex_call(pipe, timeout=0.001)
        pipe.add(StreamingOutputCallRequest(payload=zeros_payload(27182)))
        expect_rpc_error(lambda: next(call), grpc.StatusCode.DEADLINE_EXCEEDED, "FullDuplexCall with 1 ms timeout")


def _status_echo(ctx: Context, message: str, duplex: bool) -> None:
    status = EchoStatus(code=2, message=message)
    expect_rpc_error(
        lambda: ctx.stub.unary_call(SimpleRequest(response_status=status), timeout=ctx.timeout),
        grpc.StatusCode.UNKNOWN,
        "UnaryCall",
        details=message,
    )
    if duplex:
        call = ctx.stub.full_duplex_call(
            iter([StreamingOutputCallRequest(response_status=status)]), timeout=ctx.timeout
        )
        expect_rpc_error(lambda: list(call), grpc.StatusCode.UNKNOWN, "FullDuplexCall", details=message)


def status_code_and_message(ctx: Context) -> None:
    _status_echo(ctx, "test status message", duplex=True)


def special_status_message(ctx: Context) -> None:
    _status_echo(ctx, SPECIAL_STATUS_MESSAGE, duplex=False)


def unimplemented_method(ctx: Context) -> None:
    expect_rpc_error(
        lambda: ctx.stub.unimplemented_call(Empty(), timeout=ctx.timeout),
        grpc.StatusCode.UNIMPLEMENTED,
        "grpc.testing.TestService/UnimplementedCall",
    )


def unimplemented_service(ctx: Context) -> None:
    expect_rpc_error(
        lambda: ctx.stub.unimplemented_service_call(Empty(), timeout=ctx.timeout),
        grpc.StatusCode.UNIMPLEMENTED,
        "grpc.testing.UnimplementedService/UnimplementedCall",
    )


def custom_metadata(ctx: Context) -> None:
    metadata = ((ECHO_INITIAL_KEY, ECHO_INITIAL_VALUE), (ECHO_TRAILING_KEY, ECHO_TRAILING_VALUE))

    # 1. UnaryCall.
    request = SimpleRequest(response_size=314159, payload=zeros_payload(271828))
    response, call = ctx.stub.unary_call.with_call(request, metadata=metadata, timeout=ctx.timeout)
    check_payload(response.payload, 314159, "UnaryCall response")
    check_single_metadata(call.initial_metadata(), ECHO_INITIAL_KEY, ECHO_INITIAL_VALUE, "UnaryCall initial metadata")
    check_single_metadata(call.trailing_metadata(), ECHO_TRAILING_KEY, ECHO_TRAILING_VALUE, "UnaryCall trailing metadata")

    # 2. FullDuplexCall, one request then half-close.
    request = StreamingOutputCallRequest(
        response_parameters=[ResponseParameters(size=314159)], payload=zeros_payload(271828)
    )
    call = ctx.stub.full_duplex_call(iter([request]), metadata=metadata, timeout=ctx.timeout)
    responses = list(call)
    check(call.code() == grpc.StatusCode.OK, f"FullDuplexCall ended with {call.code()}")
    check(len(responses) == 1, f"FullDuplexCall: got {len(responses)} responses, expected 1")
    check_payload(responses[0].payload, 314159, "FullDuplexCall response")
    check_single_metadata(call.initial_metadata(), ECHO_INITIAL_KEY, ECHO_INITIAL_VALUE, "FullDuplexCall initial metadata")
    check_single_metadata(call.trailing_metadata(), ECHO_TRAILING_KEY, ECHO_TRAILING_VALUE, "FullDuplexCall trailing metadata")


TEST_CASES: dict[str, Callable[[Context], None]] = {
    "empty_unary": empty_unary,
    "large_unary": large_unary,
    "client_streaming": client_streaming,
    "server_streaming": server_streaming,
    "ping_pong": ping_pong,
    "empty_stream": empty_stream,
    "cancel_after_begin": cancel_after_begin,
    "cancel_after_first_response": cancel_after_first_response,
    "timeout_on_sleeping_server": timeout_on_sleeping_server,
    "status_code_and_message": status_code_and_message,
    "special_status_message": special_status_message,
    "unimplemented_method": unimplemented_method,
    "unimplemented_service": unimplemented_service,
    "custom_metadata": custom_metadata,
    "client_compressed_unary": client_compressed_unary,
    "server_compressed_unary": server_compressed_unary,
    "client_compressed_streaming": client_compressed_streaming,
    "server_compressed_streaming": server_compressed_streaming,
}


# --------------------------------------------------------------------------------------
# Runner
# --------------------------------------------------------------------------------------


def run_case(name: str, args: argparse.Namespace) -> bool:
    channel = create_channel(args)  # a fresh channel per case, so cases cannot disturb each other
    ctx = Context(args=args, stub=TestServiceStub(channel), timeout=args.rpc_timeout)
    started = time.monotonic()
    try:
        TEST_CASES[name](ctx)
    except CheckFailure as failure:
        print(f"FAIL {name}: {failure}", flush=True)
        return False
    except grpc.RpcError as error:
        print(f"FAIL {name}: unexpected RPC error {rpc_error_text(error)}", flush=True)
        return False
    except Exception as exc:  # a bug in the case or an unexpected library behaviour
        print(f"FAIL {name}: {type(exc).__name__}: {exc}", flush=True)
        if args.verbose:
            traceback.print_exc()
        return False
    finally:
        channel.close()
    elapsed = time.monotonic() - started
    notes = "".join(f" [{note}]" for note in ctx.notes)
    print(f"PASS {name} ({elapsed:.2f}s){notes}", flush=True)
    return True


def main(argv: Optional[list[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    add_connection_args(parser)
    parser.add_argument(
        "--test_case",
        required=True,
        help="a test case name, a comma-separated list of names, or 'all': " + ", ".join(TEST_CASES),
    )
    parser.add_argument(
        "--skip_compression_probe",
        type=str2bool,
        default=False,
        metavar="BOOL",
        help="in client_compressed_*: report, instead of failing on, a probe the server accepts "
        "(for servers that cannot see request compression, such as reference_server.py)",
    )
    parser.add_argument("--verbose", action="store_true", help="print tracebacks of unexpected errors")
    args = parser.parse_args(argv)

    names = list(TEST_CASES) if args.test_case == "all" else [n.strip() for n in args.test_case.split(",") if n.strip()]
    unknown = [n for n in names if n not in TEST_CASES]
    if unknown or not names:
        parser.error(f"unknown test case(s) {unknown}; choose from: all, {', '.join(TEST_CASES)}")

    failed = [name for name in names if not run_case(name, args)]
    if len(names) > 1:
        print(f"{len(names) - len(failed)} passed, {len(failed)} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
