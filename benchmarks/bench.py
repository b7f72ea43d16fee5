"""Same as `neuroimmune bench --json`: python benchmarks/bench.py [N]."""

import json
import sys

from neuroimmune.analysis.bench import run_benchmark

if __name__ == "__main__":
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    print(json.dumps(run_benchmark(n=n), indent=2))
