"""Command-line conventions: version, `python -m`, output paths checked before any work,
missing extras named, progress in batch logs, calibrate never writes into the package."""

from __future__ import annotations

import hashlib
import io
import os
import subprocess
import sys
from pathlib import Path

import pytest
from rich.console import Console
from typer.testing import CliRunner

import neuroimmune
from neuroimmune import NeuroimmuneError
from neuroimmune.cli import app
from neuroimmune.errors import MissingExtraError, require
from neuroimmune.io import check_output_path
from neuroimmune.progress import Tracker

runner = CliRunner()
PACKAGE = Path(neuroimmune.__file__).parent


def invoke(*args, env=None):
    return runner.invoke(app, [str(a) for a in args], env=env)


def assert_cli_error(result, *needles):
    assert result.exit_code == 2, (result.exit_code, result.stdout, result.stderr,
                                   result.exception)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("error:") and "Fix" in lines[0], lines[0]
    assert "Traceback" not in result.stderr + result.stdout and result.stdout == ""
    for n in needles:
        assert n in lines[0], (n, lines[0])


# -- version, python -m, completion -------------------------------------------------------------
def test_version():
    result = invoke("--version")
    assert result.exit_code == 0
    assert result.stdout.strip() == f"neuroimmune {neuroimmune.__version__}"


def test_python_m_neuroimmune_and_completion():
    proc = subprocess.run([sys.executable, "-m", "neuroimmune", "--help"], capture_output=True,
                          text=True, timeout=120, env={**os.environ, "COLUMNS": "120"})
    assert proc.returncode == 0, proc.stderr
    for word in ("simulate", "validate", "--version", "--install-completion",
                 "--show-completion"):
        assert word in proc.stdout, word


# -- output paths -------------------------------------------------------------------------------
@pytest.fixture
def no_work(monkeypatch):
    """Every command's work fails the test: the path checks must come first."""
    import neuroimmune.analysis.population as population
    import neuroimmune.analysis.sensitivity as sensitivity
    import neuroimmune.analysis.twins as twins
    import neuroimmune.catalog as catalog
    import neuroimmune.scenarios as scenarios
    import neuroimmune.validation as validate
    import neuroimmune.validation.calibrate as calibrate

    def work(*args, **kwargs):
        raise AssertionError("work started before the output paths were checked")

    for module, name in ((scenarios, "load"), (population, "run_cohort"),
                         (sensitivity, "sensitivity"), (twins, "fit_twins"),
                         (validate, "run_validation"), (validate, "load_targets"),
                         (calibrate, "run_calibration"), (catalog, "interactions")):
        monkeypatch.setattr(module, name, work)


@pytest.fixture
def afile(tmp_path):
    path = tmp_path / "afile"
    path.write_text("keep me")
    return path


def _cases(afile: Path, folder: Path):
    under = afile / "x"
    return [
        (["simulate", "lps-bolus", "--out", f"{under}.csv"], "--out", "is a file, not a folder"),
        (["simulate", "lps-bolus", "--plot", f"{under}.png"], "--plot", "is a file, not a"),
        (["simulate", "lps-bolus", "--out", "/proc/x.csv"], "--out", "cannot write in '/proc'"),
        (["simulate", "lps-bolus", "--out", folder], "--out", "expected a file ending"),
        (["simulate", "lps-bolus", "--out", folder / "x.txt"], "--out", ".parquet"),
        (["network", "--out", f"{under}.svg"], "--out", "is a file, not a folder"),
        (["population", "lps-bolus", "--n", "2", "--out", afile], "--out", "is a file;"),
        (["population", "lps-bolus", "--n", "2", "--out", under], "--out", "is a file, not"),
        (["sensitivity", "lps-bolus", "--output", "TNF.peak", "--out", f"{under}.csv"],
         "--out", "is a file, not"),
        (["sensitivity", "lps-bolus", "--output", "TNF.peak", "--plot", f"{under}.png"],
         "--plot", "is a file, not"),
        (["validate", "--report", afile], "--report", "is a file;"),
        (["calibrate", "--out", f"{under}.csv"], "--out", "is a file, not"),
        (["calibrate", "--out", folder], "--out", "existing folder"),
        (["twins", "--out", under], "--out", "is a file, not"),
        (["fit", afile, "--scenario", "lps-bolus", "--free", "kTNF", "--out", afile], "--out",
         "is a file;"),
        (["fit", afile, "--scenario", "lps-bolus", "--free", "kTNF", "--out", under], "--out",
         "is a file, not"),
    ]


@pytest.mark.parametrize("case", range(16))
def test_every_output_path_is_checked_before_any_work(no_work, afile, tmp_path, case):
    folder = tmp_path / "folder.csv"
    folder.mkdir()
    args, option, needle = _cases(afile, folder)[case]
    assert_cli_error(invoke(*args), option, needle)
    assert afile.read_text() == "keep me"
    assert list(folder.iterdir()) == []


def test_console_script_rejects_a_path_under_a_file(afile):
    script = Path(sys.executable).with_name("neuroimmune")
    cmd = [str(script)] if script.exists() else [sys.executable, "-m", "neuroimmune"]
    proc = subprocess.run(cmd + ["simulate", "lps-bolus", "--out", str(afile / "x.csv")],
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 2, (proc.stdout, proc.stderr)
    assert "Traceback" not in proc.stderr and len(proc.stderr.strip().splitlines()) == 1
    assert "--out" in proc.stderr and "afile" in proc.stderr


def test_a_write_failure_after_the_checks_is_one_line(monkeypatch, capsys, tmp_path):
    import neuroimmune.io as nio
    from neuroimmune.cli import main

    def full(ds, path, variables=None):
        raise OSError(28, "No space left on device", str(path))

    monkeypatch.setattr(nio, "write", full)
    monkeypatch.setattr(sys, "argv", ["neuroimmune", "simulate", "lps-bolus", "--out",
                                      str(tmp_path / "x.csv")])
    with pytest.raises(SystemExit) as info:
        main()
    assert info.value.code == 2
    line = capsys.readouterr().err.strip()
    assert line.startswith("error: ") and "\n" not in line and "Traceback" not in line
    assert "x.csv" in line and "No space left on device" in line and "Fix" in line


def test_check_output_path_accepts_new_paths_and_creates_nothing(tmp_path):
    path = tmp_path / "new" / "deeper" / "x.CSV"
    assert check_output_path(path, "--out", (".csv",)) == path
    assert check_output_path(tmp_path / "report", "--report", directory=True)
    existing = tmp_path / "old.csv"
    existing.write_text("x")
    assert check_output_path(existing, "--out", (".csv",)) == existing
    assert sorted(p.name for p in tmp_path.iterdir()) == ["old.csv"]
    with pytest.raises(NeuroimmuneError, match="--out: expected a file ending in one of .csv"):
        check_output_path(tmp_path / "x.tsv", "--out", (".csv",))


# -- extras -------------------------------------------------------------------------------------
def test_require_names_the_extra(monkeypatch):
    monkeypatch.setitem(sys.modules, "roadrunner", None)
    with pytest.raises(MissingExtraError) as info:
        require("roadrunner", "bench", "bench", "libroadrunner")
    assert str(info.value) == ("bench needs libroadrunner: expected the 'bench' extra "
                               "installed, got it missing. Fix: pip install "
                               "'neuroimmune[bench]'")
    assert require("json", "none", "x").dumps([]) == "[]"


@pytest.mark.parametrize("blocked, args, extra", [
    ("roadrunner", ["bench", "--n", "1"], "bench"),
    ("libsbml", ["bench", "--n", "1"], "bench"),
    ("SALib", ["sensitivity", "lps-bolus", "--output", "TNF.peak"], "sensitivity"),
    ("emcee", ["calibrate", "--ensemble", "--out", "{tmp}/e.csv"], "calibrate"),
    ("pyarrow", ["simulate", "lps-bolus", "--out", "{tmp}/x.parquet"], "formats"),
    ("h5netcdf", ["simulate", "lps-bolus", "--out", "{tmp}/x.nc"], "formats"),
    ("pyarrow", ["population", "lps-bolus", "--n", "2", "--out", "{tmp}/c"], "scale"),
    ("distributed", ["population", "lps-bolus", "--n", "2", "--out", "{tmp}/c",
                     "--scheduler", "tcp://nowhere:1"], "scale"),
])
def test_commands_name_their_missing_extra(monkeypatch, no_work, tmp_path, blocked, args,
                                           extra):
    monkeypatch.setitem(sys.modules, blocked, None)
    result = invoke(*(a.format(tmp=tmp_path) for a in args))
    assert_cli_error(result, f"'{extra}' extra", f"pip install 'neuroimmune[{extra}]'")
    assert list(tmp_path.iterdir()) == []


def test_library_functions_name_their_missing_extra(monkeypatch):
    from neuroimmune import innate
    from neuroimmune.analysis.population import read_summaries
    from neuroimmune.io import to_sbml

    monkeypatch.setitem(sys.modules, "libsbml", None)
    with pytest.raises(MissingExtraError, match=r"neuroimmune\[sbml\]"):
        to_sbml(innate())
    monkeypatch.setitem(sys.modules, "pyarrow", None)
    with pytest.raises(MissingExtraError, match=r"neuroimmune\[scale\]"):
        read_summaries("anywhere")


OPTIONAL = ("roadrunner", "libsbml", "SALib", "pyarrow", "h5py", "h5netcdf", "dask", "emcee",
            "distributed")
LEAN = f"""
import sys
for name in {OPTIONAL!r}:
    sys.modules[name] = None  # as if not installed
from neuroimmune.cli import main
sys.argv = ["neuroimmune"] + sys.argv[1:]
main()
"""


def test_lean_install_simulates_to_csv_and_names_the_bench_extra(tmp_path):
    """Without any extra (imports blocked), a scenario still simulates to CSV."""
    def run(*args):
        return subprocess.run([sys.executable, "-c", LEAN, *args], capture_output=True,
                              text=True, timeout=300, cwd=tmp_path)

    proc = run("simulate", "lps-bolus", "--out", "x.csv")
    assert proc.returncode == 0, proc.stderr
    assert (tmp_path / "x.csv").read_text().startswith("# neuroimmune results")
    proc = run("bench", "--n", "1")
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    assert "pip install 'neuroimmune[bench]'" in proc.stderr


# -- progress -----------------------------------------------------------------------------------
class FakeClock:
    def __init__(self):
        self.now = 100.0

    def __call__(self):
        return self.now


def test_plain_progress_lines_every_interval_with_eta():
    stream, clock = io.StringIO(), FakeClock()
    console = Console(file=stream, force_terminal=False)
    with Tracker("validate", 41, "scenarios", console=console, interval=10, clock=clock) as p:
        clock.now += 5
        p.update(3, note="lps-bolus")
        assert stream.getvalue() == ""  # less than 10 s since the start
        clock.now += 30
        p.update(12, note="circadian-day")
        clock.now += 2
        p.update(13)  # 2 s after the last line: nothing
        clock.now += 63
        p.update(41, note="")
    lines = stream.getvalue().splitlines()
    assert lines == [
        "[neuroimmune] validate: 12/41 scenarios, 35 s elapsed, ETA 85 s (circadian-day)",
        "[neuroimmune] validate: 41/41 scenarios, 100 s elapsed",
        "[neuroimmune] validate: 41/41 scenarios, done in 100 s",
    ]


def test_progress_without_total_and_quiet_short_runs():
    stream, clock = io.StringIO(), FakeClock()
    console = Console(file=stream, force_terminal=False)
    with Tracker("simulate", console=console, interval=10, clock=clock, note="lps-bolus"):
        pass
    assert stream.getvalue() == ""  # a short run writes nothing
    with Tracker("simulate", console=console, interval=10, clock=clock,
                 note="lps-bolus") as p:
        clock.now += 12
        p.tick()
    assert stream.getvalue().splitlines()[0] == "[neuroimmune] simulate: 12 s elapsed (lps-bolus)"


def test_progress_on_a_terminal_is_a_bar_not_plain_lines():
    stream = io.StringIO()
    console = Console(file=stream, force_terminal=True)
    with Tracker("validate", 2, "scenarios", console=console, interval=0.001) as p:
        p.update(1, note="lps-bolus")
    assert "[neuroimmune]" not in stream.getvalue()


def test_bad_progress_interval_is_an_error():
    result = invoke("simulate", "lps-bolus", env={"NEUROIMMUNE_PROGRESS_SECONDS": "soon"})
    assert_cli_error(result, "NEUROIMMUNE_PROGRESS_SECONDS", "'soon'", "> 0")


def test_sensitivity_writes_progress_lines_to_a_batch_log(tmp_path):
    result = invoke("sensitivity", "lps-bolus", "--output", "TNF.peak", "--method", "morris",
                    "--n", "4", "--params", "kTNFM,k8",
                    env={"NEUROIMMUNE_PROGRESS_SECONDS": "0.001"})  # a run shorter than the
    # interval prints no line at all: with warm kernels the 12 simulations take about 50 ms
    assert result.exit_code == 0, (result.stderr, result.exception)
    lines = [ln for ln in result.stderr.splitlines() if ln.startswith("[neuroimmune] ")]
    assert lines and all(ln.startswith("[neuroimmune] sensitivity: ") for ln in lines)
    assert lines[-1].startswith("[neuroimmune] sensitivity: 12/12 simulations, done in ")


def test_sensitivity_creates_the_folders_of_its_outputs(tmp_path):
    out = tmp_path / "new" / "deeper" / "s.csv"
    result = invoke("sensitivity", "lps-bolus", "--output", "TNF.peak", "--method", "morris",
                    "--n", "4", "--params", "kTNFM,k8", "--out", out)
    assert result.exit_code == 0, (result.stderr, result.exception)
    assert "kTNFM" in out.read_text()


# -- calibrate never writes into the package ----------------------------------------------------
def _package_data_hashes() -> dict[str, str]:
    return {str(p.relative_to(PACKAGE)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(PACKAGE.rglob("*")) if p.is_file() and "__pycache__" not in p.parts}


def test_write_calibrated_requires_a_path():
    import inspect

    from neuroimmune.validation import calibrate as cal

    assert inspect.signature(cal.write_calibrated).parameters["path"].default is \
        inspect.Parameter.empty
    with pytest.raises(NeuroimmuneError, match="write_calibrated path"):
        cal.write_calibrated(None, None)


def test_calibrate_writes_into_the_working_directory_by_default(monkeypatch, tmp_path):
    from neuroimmune.validation import calibrate as cal

    written = []

    class Result:
        parameters, tied, cost, preeq_converged = {"a": 1.0}, {}, 1.0, True

    monkeypatch.setattr(cal, "run_calibration", lambda **kwargs: Result())
    monkeypatch.setattr(cal, "write_calibrated", lambda result, path: written.append(path) or
                        path)
    monkeypatch.chdir(tmp_path)
    result = invoke("calibrate", "--starts", "1", "--max-nfev", "1")
    assert result.exit_code == 0, (result.stderr, result.exception)
    assert [Path(p).resolve() for p in written] == [tmp_path / "calibration_standard.csv"]
    assert "wrote calibration_standard.csv" in result.stdout


def test_calibrate_leaves_the_package_byte_identical(monkeypatch, tmp_path):
    """A real (one-evaluation) calibration, about 2 s with cached kernels (finite differences:
    the 21-parameter sensitivity system is compiled by the slow tests and benchmarks only)."""
    before = _package_data_hashes()
    monkeypatch.chdir(tmp_path)
    result = invoke("calibrate", "--starts", "1", "--max-nfev", "1", "--gradient", "fd")
    assert result.exit_code == 0, (result.stderr, result.exception)
    assert (tmp_path / "calibration_standard.csv").read_text().startswith("# Calibrated")
    assert _package_data_hashes() == before


def test_bench_and_twins_report_their_steps():
    pytest.importorskip("roadrunner")
    from neuroimmune.analysis.bench import STEPS, run_benchmark
    from neuroimmune.analysis.twins import fit_twins

    steps = []
    run_benchmark(n=16, cores=1, n_reference=4, startup=False,
                  progress=lambda done, total, what: steps.append((done, total)))
    assert steps == [(k, STEPS) for k in range(STEPS)]
    done = []
    fit_twins(subjects=[1, 2], starts=1, max_nfev=1, progress=lambda *a: done.append(a))
    assert done == [(0, 2), (1, 2), (2, 2)]
