"""The benchmark runs end to end and reports its fields (speed is measured by `bench`, not here)."""

import numpy as np
import pytest

pytest.importorskip("roadrunner")

KEYS = ("sims_per_s_per_core", "roadrunner_sims_per_s_per_core", "ratio", "latency_ms",
        "simulate_latency_ms", "roadrunner_latency_ms", "max_rel_error",
        "roadrunner_max_rel_error", "n_states", "failed_patients", "roadrunner_failed_patients",
        "cpu_s", "roadrunner_cpu_s", "model", "cv")


def test_benchmark_reports_every_field_and_both_engines_are_accurate():
    from neuroimmune.analysis.bench import run_benchmark

    r = run_benchmark(n=16, cores=1, n_reference=4, startup=False, blocks=2)
    for key in KEYS:
        assert key in r
    assert r["model"] == "standard" and r["cv"] == 0.2 and r["blocks"] == 2
    from neuroimmune.analysis.bench import bench_model

    assert r["n_states"] == len(bench_model("standard").species)
    assert r["failed_patients"] == 0
    assert r["roadrunner_failed_patients"] == 0
    assert r["ratio"] == pytest.approx(r["sims_per_s_per_core"]
                                       / r["roadrunner_sims_per_s_per_core"])
    # the rates are patients per CPU second of each engine
    assert r["sims_per_s_per_core"] == pytest.approx(16 / r["cpu_s"])
    assert r["roadrunner_sims_per_s_per_core"] == pytest.approx(16 / r["roadrunner_cpu_s"])
    # both engines at rtol 1e-6 are within 1 % of the rtol 1e-12 reference
    assert r["max_rel_error"] < 1e-2 and r["roadrunner_max_rel_error"] < 1e-2


def test_full_model_has_every_module_that_composes():
    from neuroimmune.analysis.bench import bench_model
    from neuroimmune.model.library import EXTRA, REPLACES, STANDARD

    names = bench_model("full").name.split("+")
    assert names == [f().name for f in STANDARD] + [f().name for f in EXTRA
                                                    if f().name not in REPLACES]


@pytest.mark.slow
def test_full_model_engines_agree():
    """Slow suite: compiling the 71-state model on an empty cache takes 5-12 min of one core,
    half the default run's budget."""
    from neuroimmune.analysis.bench import bench_model, run_benchmark

    r = run_benchmark(n=8, cores=1, n_reference=4, startup=False, model="full", cv=0.3,
                      blocks=1)
    assert r["model"] == "full" and r["cv"] == 0.3
    assert r["n_states"] == len(bench_model("full").species)
    assert r["failed_patients"] == 0 and r["roadrunner_failed_patients"] == 0
    # CVODE at rtol 1e-6 is 1.4 % off the reference here (the HPA states), ours 0.02 %
    assert r["max_rel_error"] < 1e-3 and r["roadrunner_max_rel_error"] < 5e-2


def test_cv_zero_gives_the_nominal_subject_and_cv_sets_the_spread():
    from neuroimmune.analysis.bench import virtual_patients

    p0 = np.array([1.0, 2.0, 5.0])
    assert np.array_equal(virtual_patients(p0, 4, cv=0.0), np.tile(p0, (4, 1)))
    P = virtual_patients(p0, 200_000, cv=0.5)
    assert np.std(P / p0, axis=0) == pytest.approx([0.5] * 3, rel=0.02)
    assert np.mean(P / p0, axis=0) == pytest.approx([1.0] * 3, rel=0.01)


@pytest.mark.parametrize("args, message", [
    (["--model", "everything"], "bench model: expected one of ['standard', 'full'], got "
                                "'everything'. Fix: use --model standard"),
    (["--cv", "-0.1"], "patient variability (--cv): expected a coefficient of variation in "
                       "[0, 2], got -0.1. Fix: e.g. --cv 0.2"),
    (["--cv", "nan"], "patient variability (--cv): expected a coefficient of variation in "
                      "[0, 2], got nan"),
    (["--cv", "3"], "got 3.0. Fix: e.g. --cv 0.2"),
])
def test_bad_model_or_cv_is_a_clear_error(args, message):
    from typer.testing import CliRunner

    from neuroimmune.cli import app

    result = CliRunner().invoke(app, ["bench", "--n", "1", *args])
    assert result.exit_code == 2
    assert message in " ".join(result.output.split())
