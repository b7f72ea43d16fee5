"""Two `population` runs with different options into one folder at the same moment: one wins,
the other gets the clear error, in every trial (issue #15; docs/scale.md, docs/fuzzing.md).

    .venv/bin/python benchmarks/cohort_concurrency.py --trials 100

Two worker processes import neuroimmune once, then, for each trial, both receive the same fresh
folder at the same moment and run `population lps-bolus --n 4 --chunk 2 --seed 3 --cv C --out
DIR` (C = 0.2 in one, 0.3 in the other; the typer app in-process). A trial passes when exactly
one exits 0 and the other exits 2 with a one-line error (another run holds the folder's lock, or
the winner, already finished, left a manifest whose inputs differ: the message names
default_cv), and the folder's manifest and summaries are those of the winner's options alone
(each compared with a reference run of that option into its own folder). Tests run 10 trials
(tests/test_cohort_folders.py); this is the 100-trial run. Prints one JSON line.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

WORKER = """
import json, sys
from typer.testing import CliRunner
from neuroimmune.cli import app
runner = CliRunner()
cv = sys.argv[1]
print("ready", flush=True)
for line in sys.stdin:
    result = runner.invoke(app, ["population", "lps-bolus", "--n", "4", "--chunk", "2",
                                 "--seed", "3", "--cv", cv, "--out", line.strip()])
    print(json.dumps({"cv": cv, "rc": result.exit_code, "stderr": result.stderr,
                      "exception": repr(result.exception)}), flush=True)
"""


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--trials", type=int, default=100)
    args = ap.parse_args()
    from neuroimmune.analysis.population import read_summaries

    t0 = time.perf_counter()
    workers = [subprocess.Popen([sys.executable, "-c", WORKER, cv], stdin=subprocess.PIPE,
                                stdout=subprocess.PIPE, text=True) for cv in ("0.2", "0.3")]
    counts = {"passed": 0, "failed": 0, "lock error": 0, "manifest error": 0}
    failures = []
    try:
        for w in workers:
            assert w.stdout.readline().strip() == "ready"
        with tempfile.TemporaryDirectory() as tmp:
            root = Path(tmp)
            reference = {}
            for k, w in enumerate(workers):
                w.stdin.write(f"{root / f'ref{k}'}\n")
                w.stdin.flush()
                answer = json.loads(w.stdout.readline())
                assert answer["rc"] == 0, answer
                reference[answer["cv"]] = read_summaries(root / f"ref{k}")
            for trial in range(args.trials):
                out = root / f"trial{trial}"
                for w in workers:
                    w.stdin.write(f"{out}\n")
                for w in workers:  # both get the folder at the same moment
                    w.stdin.flush()
                answers = [json.loads(w.stdout.readline()) for w in workers]
                problem = _check(answers, out, reference, read_summaries, counts)
                counts["failed" if problem else "passed"] += 1
                if problem:
                    failures.append({"trial": trial, "problem": problem, "answers": answers})
    finally:
        for w in workers:
            w.stdin.close()
            w.wait(timeout=120)
    print(json.dumps({"trials": args.trials, **counts,
                      "seconds": round(time.perf_counter() - t0, 1)}))
    for f in failures[:3]:
        print(json.dumps(f)[:2000])
    sys.exit(1 if failures else 0)


def _check(answers, out: Path, reference, read_summaries, counts) -> str:
    """'' when one run won and the other got the clear error; else what went wrong."""
    winners = [a for a in answers if a["rc"] == 0]
    losers = [a for a in answers if a["rc"] != 0]
    if len(winners) != 1 or len(losers) != 1:
        return f"exit codes {[a['rc'] for a in answers]}"
    winner, loser = winners[0], losers[0]
    lines = [line for line in loser["stderr"].splitlines() if line.strip()]
    if loser["rc"] != 2 or len(lines) != 1 or not lines[0].startswith("error:") \
            or "Fix:" not in lines[0] or loser["exception"] not in ("SystemExit(2)", "None"):
        return "the loser's error is not one clear line"
    text = " ".join(lines[0].split())
    if "another run holds the folder" in text:
        counts["lock error"] += 1
    elif f"population (default_cv: {winner['cv']} -> {loser['cv']})" in text:
        counts["manifest error"] += 1
    else:
        return f"unexpected error: {text}"
    manifest = json.loads((out / "manifest.json").read_text())
    if manifest["inputs"]["population"]["default_cv"] != float(winner["cv"]):
        return "the manifest is not the winner's"
    if not read_summaries(out).equals(reference[winner["cv"]]):
        return "the summaries are not the winner's"
    return ""


if __name__ == "__main__":
    main()
