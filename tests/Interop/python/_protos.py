"""Generates the Python message modules for the interop protos and makes them importable.

Usage from the other scripts (which live in this folder):

    import _protos
    _protos.setup()
    from grpc.testing import messages_pb2

Run as a script (``/usr/bin/python3 _protos.py [--force]``) to (re)generate explicitly.

Only message modules are generated (``protoc --python_out``): there is no grpcio-tools
here, so the scripts build calls with ``channel.unary_unary(...)`` etc. themselves.

Why ``grpc.__path__`` is extended: the .proto files live under ``grpc/testing``,
``grpc/health`` and ``grpc/reflection``, so protoc emits modules such as
``grpc/testing/messages_pb2.py`` whose own imports read ``from grpc.testing import ...``.
Those names sit inside the grpcio package ``grpc``. A plain sys.path entry cannot supply
them (the real ``grpc`` is a regular package and wins), so the generated ``gen/grpc``
folder is appended to ``grpc.__path__`` as an extra portion of that package. grpcio
itself ships no ``grpc.testing``, ``grpc.health`` or ``grpc.reflection`` subpackage
(those come from separate pip packages that are not installed), so nothing is shadowed.
"""

from __future__ import annotations

import fcntl
import os
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO_ROOT = HERE.parents[2]  # tests/Interop/python -> repo root
GEN_DIR = HERE / "gen"
PROTOC = os.environ.get("PROTOC", "/usr/bin/protoc")

# (include root, [proto paths relative to that root]); globs are expanded.
PROTO_SETS: list[tuple[Path, list[str]]] = [
    (
        REPO_ROOT / "tests" / "AnalyticsHub.Interop.Server" / "Protos",
        ["grpc/testing/*.proto"],
    ),
    (
        REPO_ROOT / "protos",
        [
            "grpc/reflection/v1/reflection.proto",
            "grpc/reflection/v1alpha/reflection.proto",
            "grpc/health/v1/health.proto",
            "analyticshub/v1/*.proto",
        ],
    ),
]

_STAMP = GEN_DIR / ".stamp"
_LOCK = GEN_DIR / ".lock"
_done = False


def _proto_files() -> list[tuple[Path, list[Path]]]:
    result = []
    for root, patterns in PROTO_SETS:
        files: list[Path] = []
        for pattern in patterns:
            matches = sorted(root.glob(pattern))
            if not matches:
                raise FileNotFoundError(f"no .proto matches {root / pattern}")
            files.extend(matches)
        result.append((root, files))
    return result


def _expected_outputs(sets: list[tuple[Path, list[Path]]]) -> list[Path]:
    outputs = []
    for root, files in sets:
        for f in files:
            rel = f.relative_to(root).with_suffix("")
            outputs.append(GEN_DIR / rel.parent / (rel.name + "_pb2.py"))
    return outputs


def _stamp_text(sets: list[tuple[Path, list[Path]]]) -> str:
    # The list of inputs, so adding or removing a .proto also triggers a rebuild.
    return "\n".join(str(f) for _, files in sets for f in files) + "\n"


def _is_stale(sets: list[tuple[Path, list[Path]]]) -> bool:
    if not _STAMP.exists() or _STAMP.read_text() != _stamp_text(sets):
        return True
    stamp_mtime = _STAMP.stat().st_mtime
    if any(f.stat().st_mtime > stamp_mtime for _, files in sets for f in files):
        return True
    return not all(p.exists() for p in _expected_outputs(sets))


def generate(force: bool = False) -> bool:
    """Runs protoc into GEN_DIR if any output is missing or any .proto is newer.

    Returns True if protoc ran. A file lock serialises concurrent callers (for example
    several test processes started at once), so none of them imports a half-written module.
    """
    sets = _proto_files()
    GEN_DIR.mkdir(parents=True, exist_ok=True)
    with open(_LOCK, "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not force and not _is_stale(sets):
            return False
        for root, files in sets:
            cmd = [PROTOC, f"-I{root}", f"--python_out={GEN_DIR}", *map(str, files)]
            proc = subprocess.run(cmd, capture_output=True, text=True)
            if proc.returncode != 0:
                raise RuntimeError(f"protoc failed ({' '.join(cmd)}):\n{proc.stderr}")
        _STAMP.write_text(_stamp_text(sets))
        return True


def setup(force: bool = False) -> None:
    """Generates if needed and makes ``grpc.testing``, ``grpc.health.v1``,
    ``grpc.reflection.v1``/``v1alpha`` and ``analyticshub.v1`` importable."""
    global _done
    if _done and not force:
        return
    generate(force)
    import grpc  # the real grpcio package; see the module docstring

    gen_grpc = str(GEN_DIR / "grpc")
    if gen_grpc not in grpc.__path__:
        grpc.__path__.append(gen_grpc)
    if str(GEN_DIR) not in sys.path:
        sys.path.insert(0, str(GEN_DIR))  # for analyticshub.v1
    _done = True


if __name__ == "__main__":
    ran = generate(force="--force" in sys.argv[1:])
    print(f"{'generated' if ran else 'up to date'}: {GEN_DIR}")
