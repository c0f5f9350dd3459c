#!/usr/bin/python3
"""Checks the Python clients against reference_server.py (both on gRPC C-core).

    /usr/bin/python3 selftest.py

Starts reference servers on free loopback ports, runs each client as a command with the
outcome it must have, prints PASS/FAIL per command and a closing "N passed, N failed";
exits non-zero on any failure. Takes a few seconds.
"""

from __future__ import annotations

import subprocess
import sys
import threading
from pathlib import Path

HERE = Path(__file__).resolve().parent
PYTHON = sys.executable or "/usr/bin/python3"
STARTUP_TIMEOUT = 30.0
COMMAND_TIMEOUT = 300.0


class Server:
    def __init__(self, *flags: str) -> None:
        self.flags = flags
        self.proc = subprocess.Popen(
            [PYTHON, str(HERE / "reference_server.py"), "--port", "0", *flags],
            stdout=subprocess.PIPE,
            text=True,
        )
        line: list[str] = []
        reader = threading.Thread(target=lambda: line.append(self.proc.stdout.readline()), daemon=True)
        reader.start()
        reader.join(STARTUP_TIMEOUT)
        if not line or "listening on" not in line[0]:
            self.stop()
            raise SystemExit(f"reference_server {' '.join(flags)} did not start: {line}")
        self.port = line[0].strip().rsplit(":", 1)[1]

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()


def run(results: list[bool], server: Server, script: str, *args: str, expect_rc: int = 0) -> None:
    cmd = [PYTHON, str(HERE / script), "--server_port", server.port, *args]
    label = " ".join([script, *args]) + (f"  (server {' '.join(server.flags)})" if server.flags else "")
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=COMMAND_TIMEOUT)
        ok = proc.returncode == expect_rc
        output = proc.stdout + proc.stderr
    except subprocess.TimeoutExpired:
        ok, output = False, "timed out\n"
    results.append(ok)
    print(f"{'PASS' if ok else 'FAIL'} {label}" + ("" if ok else f" (expected exit {expect_rc})"), flush=True)
    if not ok:
        print("".join(f"    {line}\n" for line in output.splitlines()), end="", flush=True)


def main() -> int:
    results: list[bool] = []
    resolve = [
        "--resolve_method",
        "grpc.testing.TestService.UnaryCall",
        "grpc.testing.TestService.FullDuplexCall",
        "grpc.health.v1.Health.Watch",
    ]
    expect = ["--expect_service", "grpc.testing.TestService", "grpc.health.v1.Health"]

    server = Server()
    try:
        run(results, server, "interop_client.py", "--test_case", "all")
        run(results, server, "health_client.py")
        run(results, server, "health_client.py", "--service", "grpc.testing.TestService")
        run(results, server, "health_client.py", "--service", "grpc.testing.TestService", "--watch")
        run(results, server, "health_client.py", "--service", "no.such.Service", "--expect", "SERVICE_UNKNOWN")
        run(results, server, "health_client.py", "--service", "no.such.Service", "--expect", "SERVICE_UNKNOWN", "--watch")
        run(results, server, "health_client.py", "--expect", "NOT_SERVING", expect_rc=1)
        for version in ("v1", "v1alpha"):
            run(results, server, "reflection_client.py", "--version", version, *expect, *resolve)
        run(results, server, "reflection_client.py", "--expect_service", "no.such.Service", expect_rc=1)
        run(results, server, "reflection_client.py", "--resolve_method", "grpc.testing.TestService.NoSuchMethod", expect_rc=1)
    finally:
        server.stop()

    # Without the request-compression check the compression probes cannot fail as the spec
    # wants; without dependencies in reflection answers the client must fetch them itself.
    server = Server(
        "--check_request_compression", "false",
        "--reflection_send_dependencies", "false",
        "--not_serving", "grpc.testing.TestService",
    )
    try:
        probes = "client_compressed_unary,client_compressed_streaming"
        run(results, server, "interop_client.py", "--test_case", probes, expect_rc=1)
        run(results, server, "interop_client.py", "--test_case", probes, "--skip_compression_probe", "true")
        run(results, server, "reflection_client.py", "--version", "v1alpha", *expect, *resolve)
        run(results, server, "health_client.py", "--service", "grpc.testing.TestService", "--expect", "NOT_SERVING")
        run(results, server, "health_client.py", "--service", "grpc.testing.TestService", "--expect", "NOT_SERVING", "--watch")
    finally:
        server.stop()

    failed = results.count(False)
    print(f"{len(results) - failed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
