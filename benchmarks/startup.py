"""Compile time and warm-start time of the lps-bolus model, each in a fresh process.

    .venv/bin/python benchmarks/startup.py

cold: empty kernel cache -> code generation + numba compilation + first result.
warm: a second process with the cache filled -> import, load cached kernels, first result.
Both include the Python interpreter start and `import neuroimmune`.
"""

import json
import os
import subprocess
import sys
import tempfile
import time

CHILD = """
import numpy as np
from neuroimmune import Protocol, compile_model, compose, lps_bolus, simulate
from neuroimmune import bangsgaard_ottesen_hpa, windoloski_innate
system = compile_model(compose(windoloski_innate(), bangsgaard_ottesen_hpa()))
ds = simulate(system, Protocol([lps_bolus(2.0)], clock_start=8), np.linspace(0, 24, 481))
assert int(ds["status"][0]) == 0
"""


def timed_child(cache: str) -> float:
    env = {**os.environ, "NEUROIMMUNE_CACHE_DIR": cache}
    t0 = time.perf_counter()
    subprocess.run([sys.executable, "-c", CHILD], env=env, check=True)
    return time.perf_counter() - t0


def main() -> None:
    with tempfile.TemporaryDirectory() as cache:
        cold = timed_child(cache)
        warm = min(timed_child(cache) for _ in range(3))
    print(json.dumps({"cold_compile_s": round(cold, 2), "warm_start_s": round(warm, 2),
                      "cpu_count": os.cpu_count()}))


if __name__ == "__main__":
    main()
