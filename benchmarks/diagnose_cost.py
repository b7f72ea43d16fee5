"""What the failure diagnosis costs a cohort in which many patients fail (neuroimmune.diagnose).

    .venv/bin/python benchmarks/diagnose_cost.py [--n 200] [--cv 1.0] [--seed 0]

One population chunk of `lps-bolus` (120-day pre-equilibration, 24 h) at a lognormal CV of 1.0
on every parameter, where about one patient in six fails: the wall time of `run_chunk` with the
diagnosis as shipped, and with it switched off (MAX_PATIENTS = 0), after a warm-up; the number
of failed patients and how many messages name one input. Prints one JSON line.
"""

import argparse
import json
import time

import neuroimmune.diagnose as diagnose
from neuroimmune import scenarios
from neuroimmune.analysis.population import Population, run_chunk
from neuroimmune.solve import SolverOptions


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=200)
    ap.add_argument("--cv", type=float, default=1.0)
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args()
    sc = scenarios.load("lps-bolus")
    system = scenarios.system(sc)
    pop = Population(default_cv=args.cv, seed=args.seed)

    def chunk():
        t0 = time.perf_counter()
        frame, _ = run_chunk(system, sc.protocol, sc.times(), pop, sc.outputs, 0, 0, args.n,
                             SolverOptions())
        return time.perf_counter() - t0, frame

    chunk()  # warm-up (kernels loaded, nominal start cached)
    shipped = diagnose.MAX_PATIENTS
    diagnose.MAX_PATIENTS = 0
    off, _ = chunk()
    diagnose.MAX_PATIENTS = shipped
    on, frame = chunk()
    bad = frame[frame["status"] != 0]["status_message"]
    named = sum(("pushed the state out of range" in m) for m in bad)
    single = sum(("this patient's" in m) or ("that event" in m and "parameter values reset"
                                             not in m) for m in bad)
    print(json.dumps({"n": args.n, "cv": args.cv, "failed": len(bad),
                      "diagnosed": min(len(bad), shipped), "cause_named": named,
                      "one_input_named": single, "seconds_without_diagnosis": round(off, 2),
                      "seconds_with_diagnosis": round(on, 2)}))


if __name__ == "__main__":
    main()
