"""Plain-data records that let a fresh process skip work whose result is already known: the
description of a compiled System, a parsed built-in scenario, unit conversions of strings
(docs/design/0028-warm-start.md).

Every record is keyed by a hash of what determines it: its own inputs (given by the caller) and
the environment digest below (every source and data file of the installed package, the
package, Python and dependency versions). A record is JSON (never code, never a pickle), with the
key and a sha256 of its payload inside; a missing, unreadable, truncated, edited or foreign
record reads as absent, and the caller rebuilds (and rewrites) it. The records live in the
kernel cache folder (``NEUROIMMUNE_CACHE_DIR`` or the per-user cache), under ``warm/``, and are
trusted as the cached kernels next to them are (whoever can write there can change results).
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
from functools import lru_cache
from importlib.util import find_spec
from pathlib import Path
from typing import Any

from ._version import __version__
from .atomic import atomic_write_bytes

#: Version of the record layout (a change makes older records foreign).
FORMAT = 1
#: Dependencies whose behaviour the records depend on: the model is built with sympy, units are
#: converted with pint, parameter files read with pandas, scenario files validated with pydantic.
DEPENDENCIES = ("sympy", "pint", "numpy", "pandas", "pydantic")
#: Package files that determine models, scenarios and units (all of them: a record cannot go
#: stale through a file nobody thought of).
SOURCE_SUFFIXES = (".py", ".csv", ".toml", ".json", ".txt")
PACKAGE = Path(__file__).resolve().parent


def cache_dir() -> Path:
    """The kernel cache folder: NEUROIMMUNE_CACHE_DIR, else the per-user cache."""
    env = os.environ.get("NEUROIMMUNE_CACHE_DIR")
    if env:
        return Path(env)
    import platformdirs

    return Path(platformdirs.user_cache_dir("neuroimmune")) / "kernels"


def _dist_version(name: str) -> str:
    """The installed version of distribution `name`, from its .dist-info folder name next to the
    package (importlib.metadata costs 0.1 s of a warm start); importlib.metadata otherwise."""
    try:
        spec = find_spec(name)
    except (ImportError, ValueError):
        spec = None
    if spec is None or spec.origin is None:
        return "absent"
    site = Path(spec.origin).parent.parent
    prefix = f"{name.lower()}-"
    try:
        found = sorted(e for e in os.listdir(site)
                       if e.lower().startswith(prefix) and e.endswith(".dist-info"))
    except OSError:
        found = []
    if len(found) == 1:
        return f"{found[0][len(prefix):-len('.dist-info')]} at {spec.origin}"
    from importlib import metadata

    try:
        return f"{metadata.version(name)} at {spec.origin}"
    except metadata.PackageNotFoundError:
        return f"unknown at {spec.origin}"


@lru_cache(maxsize=1)
def environment_digest() -> str:
    """sha256 of the package version, the Python and dependency versions, and the path and
    content of every source and data file of the package."""
    h = hashlib.sha256()
    h.update(f"neuroimmune {__version__}\npython {sys.version}\n".encode())
    for dep in DEPENDENCIES:
        h.update(f"{dep} {_dist_version(dep)}\n".encode())
    files = []
    for folder, dirs, names in os.walk(PACKAGE):
        dirs[:] = sorted(d for d in dirs if d != "__pycache__" and not d.startswith("."))
        files += [Path(folder) / n for n in names if n.endswith(SOURCE_SUFFIXES)]
    for path in sorted(files):
        data = path.read_bytes()
        h.update(f"{path.relative_to(PACKAGE).as_posix()} {len(data)}\n".encode())
        h.update(data)
    return h.hexdigest()


def key(kind: str, *parts: str) -> str:
    """The key of a record of `kind` made from `parts` in this environment."""
    h = hashlib.sha256(f"{kind}\n{FORMAT}\n{environment_digest()}\n".encode())
    for part in parts:
        h.update(f"{len(part)}:{part}\n".encode())
    return h.hexdigest()


def _path(cache: Path, kind: str, key: str) -> Path:
    return cache / "warm" / f"{kind}-{key[:32]}.json"


def _digest(payload: Any) -> str:
    return hashlib.sha256(json.dumps(payload, sort_keys=True, separators=(",", ":"))
                          .encode()).hexdigest()


def read(kind: str, key: str, cache: Path | None = None) -> Any:
    """The payload recorded for (`kind`, `key`), or None when there is none that verifies."""
    path = _path(cache if cache is not None else cache_dir(), kind, key)
    try:
        record = json.loads(path.read_bytes())
    except (OSError, ValueError):  # missing, unreadable, not JSON (UnicodeDecodeError too)
        return None
    if (not isinstance(record, dict) or record.get("format") != FORMAT
            or record.get("kind") != kind or record.get("key") != key or "payload" not in record):
        return None
    payload = record["payload"]
    try:
        if record.get("sha256") != _digest(payload):
            return None
    except (TypeError, ValueError):
        return None
    return payload


def write(kind: str, key: str, payload: Any, cache: Path | None = None) -> None:
    """Record `payload` (JSON-able plain data) for (`kind`, `key`), atomically; a folder that
    cannot be written is left alone (the work is redone next time)."""
    path = _path(cache if cache is not None else cache_dir(), kind, key)
    data = json.dumps({"format": FORMAT, "kind": kind, "key": key, "sha256": _digest(payload),
                       "payload": payload}, sort_keys=True).encode()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        atomic_write_bytes(path, data)
    except OSError:
        pass
