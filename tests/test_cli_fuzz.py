"""A bounded fuzz of the command-line options of simulate, population and sensitivity
(hypothesis over benchmarks/fuzz_cli.py's generator), and a regression case for each traceback
the 10-minute benchmark run found (docs/fuzzing.md)."""

from __future__ import annotations

import os
import random
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from neuroimmune.cli import app

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
fuzz = pytest.importorskip("fuzz_cli")
runner = CliRunner()
TINY = fuzz.TINY


def one_line_error(result, *needles) -> str:
    assert result.exit_code == 2, (result.exit_code, result.stderr, result.exception)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error:") and "Fix:" in lines[0], lines
    for n in needles:
        assert n in lines[0], (n, lines[0])
    return lines[0]


@pytest.fixture(scope="module")
def workdir(tmp_path_factory):
    root = tmp_path_factory.mktemp("cli-fuzz")
    setting = fuzz.fast_connect()
    paths = fuzz._paths(root)
    # the suite's version uses the tiny scenario where the benchmark also runs a built-in one
    # (its 120-day pre-equilibration is real work)
    paths["scenario"] = [s if s != "lps-bolus" else "tiny.toml" for s in paths["scenario"]]
    os.chmod(root / "ro", 0o500)
    yield root, paths
    os.chmod(root / "ro", 0o700)
    if setting is not None:
        setting.__exit__(None, None, None)


@settings(max_examples=30, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(seed=st.integers(0, 2**32 - 1))
def test_generated_command_lines_end_in_a_result_or_a_clear_error(workdir, monkeypatch, seed):
    root, paths = workdir
    monkeypatch.chdir(root)
    rng = random.Random(seed)
    for _ in range(5):
        argv = fuzz.case(rng, paths)
        result = runner.invoke(app, argv)
        outcome = fuzz.classify(result)
        assert outcome in ("ok", "failed patients", "clear error", "usage error"), (
            argv, result.stderr[-2000:], result.exception)


# -- regression cases of the benchmark run -------------------------------------------------------
@pytest.mark.parametrize("command", [["simulate", "x.toml", "--out"],
                                     ["population", "x.toml", "--n", "2", "--out"]])
def test_a_path_longer_than_the_file_system_allows_is_one_line(tmp_path, monkeypatch, command):
    # was: OSError [Errno 36] File name too long from Path.is_dir() in check_output_path
    monkeypatch.chdir(tmp_path)
    (tmp_path / "x.toml").write_text(TINY)
    name = "x" * 300 + (".csv" if command[0] == "simulate" else "")
    one_line_error(runner.invoke(app, command + [name]), "--out", "a path the file system "
                   "accepts", "File name too long")


@pytest.mark.parametrize("address", ["inproc://x", "garbage"])
def test_a_failed_scheduler_connection_leaves_no_dask_client_behind(tmp_path, monkeypatch,
                                                                    address):
    # was: after `population --scheduler inproc://x`, a later `simulate --out x.nc` in the same
    # process failed inside dask (the half-made Client stayed the default client)
    import dask
    import distributed

    monkeypatch.chdir(tmp_path)
    (tmp_path / "x.toml").write_text(TINY)
    one_line_error(runner.invoke(app, ["population", "x.toml", "--n", "2", "--out", "c",
                                       "--scheduler", address]), "--scheduler")
    assert dask.config.get("scheduler", None) is None
    with pytest.raises(ValueError, match="No clients found"):
        distributed.default_client()
    result = runner.invoke(app, ["simulate", "x.toml", "--out", "x.nc"])
    assert result.exit_code == 0, (result.stderr, result.exception)
    assert (tmp_path / "x.nc").stat().st_size > 0


@pytest.mark.parametrize("n", ["1000000000000", "18446744073709551616"])
def test_a_sensitivity_sample_larger_than_memory_is_refused_before_sampling(tmp_path,
                                                                            monkeypatch, n):
    # was: numpy MemoryError (1.71 PiB) or "Maximum allowed dimension exceeded" from SALib
    monkeypatch.chdir(tmp_path)
    (tmp_path / "x.toml").write_text(TINY)
    one_line_error(runner.invoke(app, ["sensitivity", "x.toml", "--output", "TNF.peak",
                                       "--params", "kTNF", "--n", n]),
                   "n (--n)", "a sample that fits in memory", "GB free")


def test_a_negative_sensitivity_seed_is_refused(tmp_path, monkeypatch):
    # was: ValueError "expected non-negative integer" from numpy inside SALib
    monkeypatch.chdir(tmp_path)
    (tmp_path / "x.toml").write_text(TINY)
    one_line_error(runner.invoke(app, ["sensitivity", "x.toml", "--output", "TNF.peak",
                                       "--params", "kTNF", "--n", "4", "--seed", "-1"]),
                   "seed (--seed)", "an integer >= 0")
