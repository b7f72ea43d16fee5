"""Fuzz the command-line options of `simulate`, `population` and `sensitivity`.

Each case is one command line: a scenario (a tiny valid file, a built-in name, a missing, binary
or empty file, a folder), then options drawn from each command's own list, each with a value
that is valid, out of its domain, inf, nan, negative, huge, a string where a number is expected,
a path under a file, in a folder that cannot be written, or with the wrong suffix; options are
sometimes repeated and sometimes unknown. The typer app runs in this process
(typer.testing.CliRunner). Outcomes:
  ok             exit 0
  failed patients  exit 1 from `simulate` (some patients failed; each message says why)
  clear error    exit 2 with one `error: ... Fix: ...` line on stderr (neuroimmune's own check)
  usage error    exit 2 from click's own option parsing (it names the option and the value)
  traceback      any other exception or exit code (a bug)
  timeout        still running after --case-seconds (work that is valid but large)
Run: .venv/bin/python benchmarks/fuzz_cli.py --minutes 10 --seed 0   (docs/fuzzing.md)
"""

from __future__ import annotations

import argparse
import os
import random
import signal
import tempfile
import time
import traceback
from collections import Counter
from pathlib import Path

os.environ.setdefault("NEUROIMMUNE_PROGRESS_SECONDS", "3600")

from typer.testing import CliRunner  # noqa: E402

from neuroimmune.cli import app  # noqa: E402

TINY = """name = "tiny"
[time]
end = 2
step = 0.5
preequilibrate_days = 0
[[events]]
type = "lps_bolus"
dose = "2 ng/kg"
time = 0
"""
#: Values of each kind of option: (valid ones, invalid ones); a value is valid 60 % of the time.
#: Valid counts are kept small: a valid --n 10**9 is real work, not a bug.
VALUES = {
    "float": (["0.2", "1e-6", "2", "0.5", "1e-3", "3"],
              ["0", "-1", "1e-300", "1e300", "inf", "-inf", "nan", "abc", "", "1", "10",
               "2e-16", "1e9", "0x10", "1_000"]),
    "int": (["0", "1", "3", "42"],
            ["-1", "1.5", "abc", "", "18446744073709551616", "-18446744073709551617", "1e3"]),
    "count": (["1", "2", "3", "4"],
              ["0", "-1", "abc", "1.5", "", "1e3", "1000000000000", "-1000000000000",
               "18446744073709551616"]),
    "method": (["dopri5", "rodas4", "sobol", "morris"], ["euler", "", "DOPRI5", "1"]),
    "output": (["TNF.peak", "cortisol.auc", "TNF.time_to_peak", "IL6.end"],
               ["TNF.max", "X.peak", "TNF", "", ".peak", "TNF.peak.peak"]),
    "params": (["kTNF", "kTNF,k6"], ["kTNF,kTNF", "", ",", "nope", "kTNF,,k6", "kTNF, k6",
                                     "LPS"]),
    "plausible": (["TNF.peak=0:1e9"], ["TNF.peak=5:1", "X.peak=0:1", "TNF.peak",
                                       "TNF.peak=nan:inf", "TNF.peak=a:b", "=", "TNF.max=0:1"]),
    "profile": (["healthy-man=1", "healthy-woman=1"],
                ["healthy-man=0.5", "x=1", "healthy-man", "healthy-man=nan", "healthy-man=-1",
                 "healthy-man=2", "=1"]),
    "scheduler": ([], ["tcp://127.0.0.1:1", "garbage", "", "tcp://", "inproc://x"]),
}


def fast_connect():
    """An unreachable --scheduler fails after 2 s instead of Dask's default 30 s (from now on;
    the returned object, a context manager, puts the setting back on exit)."""
    try:
        import dask
    except ImportError:
        return None
    return dask.config.set({"distributed.comm.timeouts.connect": "2s"})


class CaseTimeout(Exception):
    """A case ran longer than its limit (valid but large work)."""


def _paths(root: Path) -> dict[str, list[str]]:
    """Candidate values of path options, relative to the working folder `root`."""
    (root / "afile").write_text("x")
    (root / "adir").mkdir(exist_ok=True)
    (root / "binary.toml").write_bytes(bytes(range(256)))
    (root / "empty.toml").write_text("")
    (root / "tiny.toml").write_text(TINY)
    (root / "ro").mkdir(exist_ok=True)
    (root / "bad.csv").write_text("name,value,unit\nkTNF,abc,1/h\n")
    (root / "trunc.csv").write_text("# rows: 5\nname,value,unit\nkTNF,1.0,1/h\n")
    files = ["out.csv", "out.parquet", "out.nc", "out.txt", "out", "afile", "adir",
             "afile/x.csv", "missing/deep/x.csv", "/proc/x.csv", "", ".csv", "adir/",
             "x" * 300 + ".csv", "out.CSV", "/dev/null", "ro/x.csv"]
    return {"scenario": ["tiny.toml", "tiny.toml", "tiny.toml", "lps-bolus", "lps-bolsu",
                         "missing.toml", "binary.toml", "empty.toml", "adir", "", "afile"],
            "out_file": files, "plot": ["p.png", "p.pdf", "p.svg", "p.txt", "afile/p.png",
                                        "adir", "", "/proc/p.png"],
            "out_dir": ["cohort", "cohort", "afile", "afile/c", "/proc/c", "", "adir",
                        "new/deep/c"],
            "parameters": ["bad.csv", "trunc.csv", "missing.csv", "binary.toml", "adir", ""]}


def _value(rng: random.Random, kind: str, paths: dict[str, list[str]]) -> str:
    if kind in paths:
        return rng.choice(paths[kind])
    valid, invalid = VALUES[kind]
    return rng.choice(valid if valid and rng.random() < 0.6 else invalid)


COMMANDS = {
    "simulate": {"--out": "out_file", "--plot": "plot", "--method": "method",
                 "--rtol": "float", "--parameters": "parameters"},
    "population": {"--n": "count", "--out": "out_dir", "--seed": "int",
                   "--cv": "float", "--chunk": "count", "--plausible": "plausible",
                   "--trajectories": None, "--no-trajectories": None, "--profile": "profile",
                   "--scheduler": "scheduler", "--parameters": "parameters"},
    "sensitivity": {"--output": "output", "--method": "method", "--n": "count",
                    "--params": "params", "--fold": "float", "--seed": "int",
                    "--plot": "plot", "--out": "out_file", "--parameters": "parameters"},
}
#: Options a command cannot run without (mostly given, sometimes left out).
REQUIRED = {"population": ("--n", "--out"), "sensitivity": ("--output", "--params", "--n")}


def case(rng: random.Random, paths) -> list[str]:
    command = rng.choice(list(COMMANDS))
    args = [command]
    if rng.random() < 0.97:
        args.append(_value(rng, "scenario", paths))
    options = COMMANDS[command]
    chosen = [o for o in REQUIRED.get(command, ()) if rng.random() < 0.95]
    chosen += [o for o in options if o not in chosen and rng.random() < 0.3]
    if rng.random() < 0.15:
        chosen.append(rng.choice(list(options)))  # the same option twice
    if rng.random() < 0.05:
        chosen.append(rng.choice(["--bogus", "--rtl", "-n", "--n=3"]))
    rng.shuffle(chosen)
    for option in chosen:
        kind = options.get(option)
        if option in options and kind is None:
            args.append(option)
        elif option in options:
            args += [option, _value(rng, kind, paths)]
        else:
            args.append(option)
    return args


def classify(result) -> str:
    exc = result.exception
    if isinstance(exc, CaseTimeout):
        return "timeout"
    if exc is not None and not isinstance(exc, SystemExit):
        return "traceback"
    err = result.stderr
    if "Traceback" in err or "Traceback" in result.stdout:
        return "traceback"
    if result.exit_code == 0:
        return "ok"
    if result.exit_code == 1 and result.stdout and "patient" in err:
        return "failed patients"
    if result.exit_code == 2:
        lines = [line for line in err.splitlines() if line.strip()]
        errors = [line for line in lines if line.startswith("error:")]
        if len(errors) == 1 and errors[0] == lines[-1] and "Fix:" in errors[0]:
            return "clear error"
        if "Usage:" in err and "Invalid value" in err or "No such option" in err or \
                "Missing" in err or "Got unexpected extra argument" in err:
            return "usage error"
    return "traceback"


def _signature(result, outcome: str) -> str:
    """Where a traceback came from (exception type and the innermost neuroimmune frame)."""
    if outcome == "timeout" or not result.exc_info:
        return outcome if outcome == "timeout" else f"exit {result.exit_code}"
    frames = [f for f in traceback.extract_tb(result.exc_info[2]) if "neuroimmune" in f.filename]
    where = f"{Path(frames[-1].filename).name}:{frames[-1].lineno}" if frames else "?"
    return f"{type(result.exception).__name__} at {where}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=float, default=10.0, help="stop after this long")
    parser.add_argument("--cases", type=int, default=10**9, help="stop after this many")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--case-seconds", type=int, default=20)
    parser.add_argument("--show", type=int, default=5, help="tracebacks to print")
    args = parser.parse_args()
    rng = random.Random(args.seed)
    runner = CliRunner()
    fast_connect()
    counts: Counter = Counter()
    signatures: Counter = Counter()
    shown = 0

    def alarm(signum, frame):
        raise CaseTimeout()

    signal.signal(signal.SIGALRM, alarm)
    t0 = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        os.chdir(root)
        paths = _paths(root)
        os.chmod(root / "ro", 0o500)
        n = 0
        while n < args.cases and time.perf_counter() - t0 < 60 * args.minutes:
            argv = case(rng, paths)
            signal.alarm(args.case_seconds)
            try:
                result = runner.invoke(app, argv)
            finally:
                signal.alarm(0)
            outcome = classify(result)
            counts[(argv[0], outcome)] += 1
            n += 1
            if outcome in ("traceback", "timeout"):
                key = _signature(result, outcome)
                signatures[key] += 1
                if signatures[key] == 1 and shown < args.show:
                    shown += 1
                    print(f"--- {outcome} {key}: neuroimmune {' '.join(map(repr, argv))}")
                    print(result.stderr[-800:] or result.stdout[-800:])
                    if result.exc_info and outcome == "traceback":
                        traceback.print_exception(*result.exc_info, limit=-4)
            for folder in ("cohort", "new"):  # a fresh folder per case
                if (root / folder).exists():
                    import shutil

                    shutil.rmtree(root / folder, ignore_errors=True)
        os.chdir(Path(__file__).resolve().parent)
        os.chmod(root / "ro", 0o700)
    print(f"{n} command lines in {time.perf_counter() - t0:.0f} s (seed {args.seed})")
    for (command, outcome), k in sorted(counts.items()):
        print(f"{command:12s} {outcome:16s} {k}")
    bugs = sum(k for (_, o), k in counts.items() if o == "traceback")
    print(f"tracebacks: {bugs}")
    for key, k in signatures.most_common():
        print(f"  {k:6d}  {key}")


if __name__ == "__main__":
    main()
