#!/usr/bin/python3
"""EventIngestion checked with the gRPC C-core client (python3-grpcio), independent of our .NET code.

    /usr/bin/python3 ingest_client.py --server_port 50051

Streams pipelined batches on StreamEvents (one ack per batch, in order, all accepted), sends
IngestBatch with invalid events (per-event codes), retries a batch (same producer_id and
sequence: the same ack), repeats an event_id (a duplicate), and sends undecodable bytes
(INVALID_ARGUMENT). Prints PASS/FAIL; exits non-zero on failure.
"""

from __future__ import annotations

import argparse
import sys
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import _protos  # noqa: E402

_protos.setup()

import grpc  # noqa: E402
from analyticshub.v1 import events_pb2, ingest_pb2  # noqa: E402

from _common import CheckFailure, add_connection_args, check, create_channel  # noqa: E402

SERVICE = "/analyticshub.v1.EventIngestion/"


def telemetry(event_id: str | None = None, value: float = 12.5) -> events_pb2.AnalyticsEvent:
    event = events_pb2.AnalyticsEvent(
        event_id=event_id or str(uuid.uuid4()),
        time_unix_nano=time.time_ns(),
        source_module=events_pb2.LLM_OBSERVATORY,
        event_type=events_pb2.TELEMETRY,
        schema_version="1.0.0",
        environment="prod",
    )
    event.tags["model"] = "gpt-4o"
    event.telemetry.metric_name = "latency_ms"
    event.telemetry.metric_value = value
    event.telemetry.unit = "ms"
    return event


def run(channel: grpc.Channel, timeout: float) -> None:
    stream = channel.stream_stream(SERVICE + "StreamEvents", request_serializer=lambda m: m.SerializeToString(),
                                   response_deserializer=ingest_pb2.BatchAck.FromString)
    unary = channel.unary_unary(SERVICE + "IngestBatch", request_serializer=lambda m: m.SerializeToString(),
                                response_deserializer=ingest_pb2.BatchAck.FromString)
    raw = channel.unary_unary(SERVICE + "IngestBatch", request_serializer=lambda b: b,
                              response_deserializer=ingest_pb2.BatchAck.FromString)
    producer = "cpython-" + uuid.uuid4().hex

    batches = [ingest_pb2.EventBatch(events=[telemetry() for _ in range(100)], producer_id=producer, sequence=s)
               for s in range(1, 21)]
    acks = list(stream(iter(batches), timeout=timeout))
    check([a.sequence for a in acks] == list(range(1, 21)), f"stream acks out of order or missing: {[a.sequence for a in acks]}")
    check(all(a.accepted == 100 and a.rejected == 0 for a in acks), "a streamed batch was not fully accepted")

    bad = ingest_pb2.EventBatch(events=[telemetry(), telemetry("nope"), telemetry(value=-5)], producer_id=producer, sequence=21)
    ack = unary(bad, timeout=timeout)
    check((ack.accepted, ack.rejected) == (1, 2), f"expected 1 accepted, 2 rejected: {ack}")
    check([(r.index, r.code) for r in ack.rejections] == [(1, "invalid_uuid"), (2, "negative_metric")], f"codes: {ack.rejections}")
    check(ack.rejections[0].event_id == "nope" and ack.rejections[0].message, "a rejection lacks its event_id or message")

    again = unary(bad, timeout=timeout)
    check(again == ack, f"a retried batch got a different ack: {again} vs {ack}")

    repeat = ingest_pb2.EventBatch(events=[batches[0].events[0]], producer_id=producer, sequence=22)
    dup = unary(repeat, timeout=timeout)
    check((dup.accepted, dup.duplicates) == (0, 1), f"a repeated event_id was not a duplicate: {dup}")

    try:
        raw(b"\x0a\x64\x01\x02", timeout=timeout)
        raise CheckFailure("undecodable bytes were acknowledged")
    except grpc.RpcError as e:
        check(e.code() == grpc.StatusCode.INVALID_ARGUMENT, f"undecodable bytes: {e.code()} {e.details()}")
        check("Malformed EventBatch" in (e.details() or ""), f"unclear message: {e.details()}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_connection_args(parser)
    parser.add_argument("--timeout", type=float, default=30.0)
    args = parser.parse_args()
    channel = create_channel(args)
    try:
        run(channel, args.timeout)
    except (CheckFailure, grpc.RpcError) as e:
        print(f"FAIL: {e}")
        return 1
    finally:
        channel.close()
    print("PASS")
    return 0


if __name__ == "__main__":
    sys.exit(main())
