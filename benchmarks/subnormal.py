"""Cost of a subnormal start state: the full bench model, 1,000 patients at CV 0.2, started from
the flushed limit-cycle state and from the same state with damage's pathogen at 5.34e-322 (what
200 days of pre-equilibration left before the flush). Interleaved, CPU time.

PYTHONPATH=src .venv/bin/python benchmarks/subnormal.py"""

import time

import numpy as np

from neuroimmune.analysis import bench
from neuroimmune.compile import compile_model
from neuroimmune.protocol import Protocol, lps_bolus
from neuroimmune.solve import solve

if __name__ == "__main__":
    system = compile_model(bench._on_limit_cycle(bench.bench_model("full")))
    P = bench.virtual_patients(system.p0, 1000)
    t = np.linspace(0.0, 48.0, 49)
    protocol = Protocol([lps_bolus("2 ng/kg")], clock_start=8.0)
    starts = {"flushed": system.y0.copy(), "subnormal": system.y0.copy()}
    starts["subnormal"][system.state_index("pathogen")] = 5.34e-322
    solve(system, P[:32], protocol, t, y0=starts["subnormal"])  # load the kernels
    cpu: dict = {k: [] for k in starts}
    for _ in range(4):
        for name, y0 in starts.items():
            c0 = time.process_time()
            solve(system, P, protocol, t, y0=y0)
            cpu[name].append(time.process_time() - c0)
    for name, v in cpu.items():
        print(f"{name}: {len(P) / np.median(v):,.0f} sims per CPU-s (median of {len(v)})")
