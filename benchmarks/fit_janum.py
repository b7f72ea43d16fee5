"""CPU time of `neuroimmune fit` for one subject of the Janum endotoxemia study (docs/fitting.md).

    PYTHONPATH=src .venv/bin/python benchmarks/fit_janum.py [--subject 1] [--runs 2]
        [--gradient sensitivities|fd]

Writes the packaged individual data (lps_bolus_2ngkg_n20_individual_windoloski2024: TNF, IL-6,
IL-8 and IL-10 of 20 men after LPS 2 ng/kg) as a tidy CSV, then runs, each time in a fresh
process,

    neuroimmune fit janum.csv --scenario lps-bolus --free kTNF,k6,k8,k10 --subject 1 --out DIR

and reports the command's CPU time (user + system of the child process: import, model from the
kernel cache, fit, profile likelihoods, figures and files) and its wall time. The first run
compiles the kernels if the cache is empty (NEUROIMMUNE_CACHE_DIR); later runs show the warm
cost.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd

from neuroimmune.validation.datasets import load_dataset

DATASET = "lps_bolus_2ngkg_n20_individual_windoloski2024"
FREE = "kTNF,k6,k8,k10"


def tidy(path: Path) -> Path:
    wide = load_dataset(DATASET)
    long = wide.melt(id_vars=["subject", "time_h"], value_vars=["TNF", "IL6", "IL8", "IL10"],
                     var_name="output").rename(columns={"time_h": "time"}).dropna()
    long.assign(unit="pg/mL").to_csv(path, index=False)
    return path


def run(data: Path, subject: str, out: Path, gradient: str) -> dict:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    proc = subprocess.run([sys.executable, "-m", "neuroimmune", "fit", str(data), "--scenario",
                           "lps-bolus", "--free", FREE, "--subject", subject, "--out", str(out),
                           "--gradient", gradient],
                          capture_output=True, text=True, env={**os.environ, "COLUMNS": "120"})
    wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if proc.returncode != 0:
        raise SystemExit(proc.stdout + proc.stderr)
    fits = pd.read_csv(out / "fits.csv")
    return {"cpu_s": round(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime,
                           2), "wall_s": round(wall, 2),
            "fit_and_profiles_cpu_s": float(fits["cpu_seconds"].iloc[0]),
            "parameter_sets_solved": int(fits["n_evaluations"].iloc[0])}


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--subject", default="1")
    parser.add_argument("--runs", type=int, default=2)
    parser.add_argument("--gradient", default="sensitivities", choices=["sensitivities", "fd"])
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        data = tidy(Path(tmp) / "janum.csv")
        runs = [run(data, args.subject, Path(tmp) / f"out{k}", args.gradient)
                for k in range(args.runs)]
    print(json.dumps({"command": f"neuroimmune fit janum.csv --scenario lps-bolus --free {FREE} "
                      f"--subject {args.subject} --gradient {args.gradient} --out DIR",
                      "cores": os.cpu_count(),
                      "runs": runs}, indent=2))
