"""Compile time and warm-start time of the standard model, each in a fresh process.

    .venv/bin/python benchmarks/startup.py

compile_s: empty kernel cache -> code generation + numba compilation + first result.
warm_start_s: a new process with the cache filled -> import, load cached kernels, first result.
Both include the Python interpreter start and `import neuroimmune` (same as `neuroimmune bench`).
"""

import json

from neuroimmune.analysis.bench import startup_times

if __name__ == "__main__":
    print(json.dumps({k: round(v, 2) for k, v in startup_times().items()}))
