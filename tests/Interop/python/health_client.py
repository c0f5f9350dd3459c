#!/usr/bin/python3
"""gRPC health checking client (grpc.health.v1.Health, grpc/grpc doc/health-checking.md).

    /usr/bin/python3 health_client.py --server_port 50051 [--service NAME] \
        [--expect SERVING|NOT_SERVING|SERVICE_UNKNOWN] [--watch]

Check (the default) asserts the reported status; for an unknown service (--expect
SERVICE_UNKNOWN) Check must fail with NOT_FOUND. With --watch it reads the first message
of the Watch stream instead, which reports SERVICE_UNKNOWN for an unknown service, then
cancels the stream. Prints PASS/FAIL; exits non-zero on failure.
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
from grpc.health.v1 import health_pb2  # noqa: E402

from _common import CheckFailure, add_connection_args, check, create_channel, rpc_error_text  # noqa: E402

Request = health_pb2.HealthCheckRequest
Response = health_pb2.HealthCheckResponse
STATUS_NAMES = ("SERVING", "NOT_SERVING", "SERVICE_UNKNOWN", "UNKNOWN")


def status_name(status: int) -> str:
    return Response.ServingStatus.Name(status) if status in Response.ServingStatus.values() else str(status)


def check_health(channel: grpc.Channel, service: str, expect: str, timeout: float) -> str:
    check_call = channel.unary_unary(
        "/grpc.health.v1.Health/Check", Request.SerializeToString, Response.FromString
    )
    try:
        response = check_call(Request(service=service), timeout=timeout)
    except grpc.RpcError as error:
        if expect == "SERVICE_UNKNOWN" and error.code() == grpc.StatusCode.NOT_FOUND:
            return f"Check({service!r}) failed with NOT_FOUND, as expected for an unknown service"
        raise CheckFailure(f"Check({service!r}) failed with {rpc_error_text(error)}") from None
    got = status_name(response.status)
    if expect == "SERVICE_UNKNOWN":
        raise CheckFailure(f"Check({service!r}) answered {got}, expected status NOT_FOUND")
    check(got == expect, f"Check({service!r}) answered {got}, expected {expect}")
    return f"Check({service!r}) = {got}"


def watch_health(channel: grpc.Channel, service: str, expect: str, timeout: float) -> str:
    watch_call = channel.unary_stream(
        "/grpc.health.v1.Health/Watch", Request.SerializeToString, Response.FromString
    )
    call = watch_call(Request(service=service), timeout=timeout)
    try:
        first = next(call, None)
    except grpc.RpcError as error:
        raise CheckFailure(f"Watch({service!r}) failed with {rpc_error_text(error)}") from None
    finally:
        call.cancel()  # Watch never ends by itself
    check(first is not None, f"Watch({service!r}) ended without a message (status {call.code()})")
    got = status_name(first.status)
    check(got == expect, f"Watch({service!r}) first message {got}, expected {expect}")
    return f"Watch({service!r}) first message = {got}"


def main(argv: Optional[list[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    add_connection_args(parser)
    parser.add_argument("--service", default="", help="service name to check ('' = the server as a whole)")
    parser.add_argument("--expect", default="SERVING", choices=STATUS_NAMES, help="expected status (default SERVING)")
    parser.add_argument("--watch", action="store_true", help="read the first message of Watch instead of Check")
    args = parser.parse_args(argv)

    channel = create_channel(args)
    try:
        action = watch_health if args.watch else check_health
        summary = action(channel, args.service, args.expect, args.rpc_timeout)
    except CheckFailure as failure:
        print(f"FAIL health: {failure}")
        return 1
    except grpc.RpcError as error:
        print(f"FAIL health: unexpected RPC error {rpc_error_text(error)}")
        return 1
    finally:
        channel.close()
    print(f"PASS health: {summary}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
