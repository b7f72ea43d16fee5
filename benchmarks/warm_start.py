"""Warm start of a labelled one-patient result: a fresh process with the kernel cache filled
imports neuroimmune, loads the standard model (from its cached System description where the tree
has one, docs/design/0028-warm-start.md; else builds and compiles it) and returns the first
`simulate` Dataset (issue #18: at most 1 s). Wall and CPU seconds of each child process,
taking turns between source trees when several are given (before/after on the same load).

    PYTHONPATH=src .venv/bin/python benchmarks/warm_start.py [--runs 7] [SRC_DIR ...]

Without SRC_DIR it times this checkout's `src`. The kernel cache is NEUROIMMUNE_CACHE_DIR
(filled by an untimed first run of each tree).
"""

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

CHILD = """
import numpy as np
from neuroimmune import Protocol, lps_bolus
from neuroimmune.results import simulate
try:  # the cached System description (docs/design/0028-warm-start.md)
    from neuroimmune.analysis.bench import bench_system
    system = bench_system("standard")
except ImportError:  # a tree from before it: build and compile the model
    from neuroimmune import compile_model, compose
    from neuroimmune.model.library import STANDARD
    system = compile_model(compose(*(f() for f in STANDARD)))
ds = simulate(system, Protocol([lps_bolus(2.0)], clock_start=8), np.linspace(0, 48, 49))
assert int(ds["status"].values[0]) == 0
"""


def child(src: str) -> tuple[float, float]:
    """(wall s, CPU s) of one fresh process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    subprocess.run([sys.executable, "-c", CHILD], check=True,
                   env={**os.environ, "PYTHONPATH": src})
    wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("src", nargs="*", default=[str(Path(__file__).parents[1] / "src")])
    ap.add_argument("--runs", type=int, default=7)
    args = ap.parse_args()
    for src in args.src:
        child(src)  # fill the kernel cache, warm the file-system cache
    times: dict[str, list[tuple[float, float]]] = {s: [] for s in args.src}
    for _ in range(args.runs):
        for src in args.src:
            times[src].append(child(src))
    out = {}
    for src, ts in times.items():
        walls, cpus = [w for w, _ in ts], [c for _, c in ts]
        out[src] = {"wall_s_min": min(walls), "wall_s_median": statistics.median(walls),
                    "cpu_s_min": min(cpus), "cpu_s_median": statistics.median(cpus)}
    print(json.dumps({s: {k: round(v, 3) for k, v in d.items()} for s, d in out.items()},
                     indent=2))


if __name__ == "__main__":
    main()
