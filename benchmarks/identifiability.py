"""The identifiability table of docs/identifiability.md: a likelihood profile of every calibrated
parameter (fixed on a log grid around the shipped point estimate, the other 20 re-optimised by
the estimation engine) and the marginal of the shipped calibration ensemble.

Run from a checkout (about 15-25 min on 2 cores):
    .venv/bin/python benchmarks/identifiability.py --out identifiability.csv
It prints the Markdown table pasted into docs/identifiability.md and writes one row per
parameter to --out (and every profile point to the same name with -points.csv).
    .venv/bin/python benchmarks/identifiability.py --table identifiability.csv
reprints the table from such a file with the marginals of the present ensemble file (no profiles
recomputed).
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import pandas as pd

from neuroimmune.parameter_sets import calibrated_ensemble
from neuroimmune.validation.ensemble import (
    PROFILE_MAX_NFEV,
    PROFILE_STEPS,
    ensemble_marginals,
    identifiability,
    identifiability_markdown,
)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", default=None, help="CSV, one row per parameter")
    ap.add_argument("--table", default=None, help="reprint from such a CSV")
    ap.add_argument("--parameters", default=None, help="comma-separated subset")
    ap.add_argument("--max-nfev", type=int, default=PROFILE_MAX_NFEV)
    ap.add_argument("--gradient", default="sensitivities", choices=["sensitivities", "fd"])
    args = ap.parse_args()
    if args.table:
        table = ensemble_marginals(pd.read_csv(args.table), calibrated_ensemble())
        print(identifiability_markdown(table))
        return
    t0 = time.perf_counter()
    table, profiles = identifiability(
        args.parameters.split(",") if args.parameters else None, max_nfev=args.max_nfev,
        gradient=args.gradient,
        progress=lambda m: print(f"[{time.perf_counter() - t0:6.0f} s] {m}", flush=True))
    print()
    print(identifiability_markdown(table))
    print()
    print(f"profile steps (natural-log units from the estimate): {PROFILE_STEPS}; evaluations "
          f"per profile point: {args.max_nfev}; gradient: {args.gradient}; "
          f"total {time.perf_counter() - t0:.0f} s")
    if args.out:
        out = Path(args.out)
        table.to_csv(out, index=False)
        points = out.with_name(out.stem + "-points.csv")
        pd.concat([p.table.assign(parameter=p.name) for p in profiles]).to_csv(points,
                                                                               index=False)
        print(f"wrote {out} and {points}")


if __name__ == "__main__":
    main()
