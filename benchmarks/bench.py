"""Same as `neuroimmune bench --json`: python benchmarks/bench.py [N] [standard|full] [CV]."""

import json
import sys

from neuroimmune.analysis.bench import run_benchmark

if __name__ == "__main__":
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    model = sys.argv[2] if len(sys.argv) > 2 else "standard"
    cv = float(sys.argv[3]) if len(sys.argv) > 3 else 0.2
    print(json.dumps(run_benchmark(n=n, model=model, cv=cv), indent=2))
