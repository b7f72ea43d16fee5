"""Virtual populations: distributions, plausibility filter, reproducibility and resume after a
hard kill (no patient lost or duplicated)."""

import os
import signal
import subprocess
import sys
import time
from dataclasses import replace
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from neuroimmune import NeuroimmuneError, scenarios
from neuroimmune.analysis.population import Covariate, Population, read_summaries, run_cohort
from neuroimmune.scenarios import load
from neuroimmune.solve import solve


@pytest.fixture(scope="module")
def scenario():
    sc = load("lps-bolus")
    return sc, scenarios.system(sc)


def test_lognormal_cv_and_correlation(scenario):
    _, system = scenario
    pop = Population(cv={"kTNF": 0.3}, correlations={("kTNF", "k6"): 0.8},
                     default_cv=0.1, seed=3)
    P = pop.sample(system, 20000, np.random.default_rng(0))
    i, j = system.parameters.index("kTNF"), system.parameters.index("k6")
    logs = np.full(P.shape, np.nan)  # only the two parameters under test (some defaults are 0)
    logs[:, [i, j]] = np.log(P[:, [i, j]] / system.p0[[i, j]])
    assert logs[:, i].std() == pytest.approx(np.sqrt(np.log1p(0.3**2)), rel=0.03)
    assert logs[:, j].std() == pytest.approx(np.sqrt(np.log1p(0.1**2)), rel=0.03)
    assert np.corrcoef(logs[:, i], logs[:, j])[0, 1] == pytest.approx(0.8, abs=0.02)
    assert np.median(P[:, i]) == pytest.approx(system.p0[i], rel=0.02)


def test_bad_population_arguments_are_named(scenario):
    _, system = scenario
    for pop, needle in ((Population(cv={"nope": 0.2}), "Population.cv"),
                        (Population(default_cv=-1), "default_cv"),
                        (Population(default_cv=1e200), r"default_cv: expected a number in "
                                                       r"\[0, 10\]"),
                        (Population(cv={"kTNF": float("nan")}), r"cv\[kTNF\]"),
                        (Population(plausible={("TNF", "median"): (0, 1)}), "plausible")):
        with pytest.raises(NeuroimmuneError, match=needle):
            pop.validate(system)


def test_profile_mixture_and_covariates(scenario, tmp_path):
    sc, system = scenario
    age = Covariate("normal", 18.0, 80.0, mean=45.0, sd=15.0, reference=40.0,
                    effects={"a3": -0.01})
    pop = Population(profiles={"healthy-man": 0.7, "glucocorticoid-resistance": 0.3},
                     covariates={"age": age}, seed=1)
    P, cols = pop.draw(system, 4000, np.random.default_rng(0))
    resistant = cols["profile"] == "glucocorticoid-resistance"
    assert resistant.mean() == pytest.approx(0.3, abs=0.03)
    k = system.parameters.index("monocyte_GC_resistance")
    assert np.allclose(P[resistant, k], 3.0 * system.p0[k])
    assert np.allclose(P[~resistant, k], system.p0[k])
    x = cols["covariate.age"]
    assert x.min() >= 18 and x.max() <= 80 and x.mean() == pytest.approx(45.5, abs=1.0)
    assert (x < 30).mean() == pytest.approx(0.129, abs=0.02)  # truncated normal N(45, 15)
    j = system.parameters.index("a3")
    assert np.allclose(np.log(P[:, j] / system.p0[j]), -0.01 * (x - 40.0))
    # without profiles or covariates, draw is sample on the same random stream
    plain = Population(default_cv=0.2)
    P1, extra = plain.draw(system, 5, np.random.default_rng(4))
    assert extra == {} and np.array_equal(P1, plain.sample(system, 5, np.random.default_rng(4)))
    # the cohort records each patient's profile and covariate; resistant monocytes escape
    # cortisol's restraint of TNF after LPS
    kw = dict(scenario=sc.name, outputs=("TNF",), chunk_size=6)
    run_cohort(system, sc.protocol, sc.times(), replace(pop, covariates={}), 12,
               tmp_path / "mix", **kw)
    frame = read_summaries(tmp_path / "mix")
    assert set(frame["profile"]) == {"healthy-man", "glucocorticoid-resistance"}
    by = frame.groupby("profile")["TNF.peak"]
    assert by.min()["glucocorticoid-resistance"] > by.max()["healthy-man"]


def test_bad_profiles_and_covariates_are_named(scenario):
    _, system = scenario
    cases = (
        (Population(profiles={"healthy-man": 0.5}), "sum to 1"),
        (Population(profiles={"no-such": 1.0}), "Population.profiles"),
        (Population(profiles={"healthy-woman": 1.0}), "gonadal"),
        (Population(covariates={"age": Covariate("lognormal", 18, 80)}), "distribution"),
        (Population(covariates={"age": Covariate("uniform", 80, 18)}), "low < high"),
        (Population(covariates={"age": Covariate("normal", 18, 80, mean=45, sd=0)}), "sd > 0"),
        (Population(covariates={"age": Covariate("uniform", 18, 80, effects={"nope": 1})}),
         "effects"),
    )
    for pop, needle in cases:
        with pytest.raises(NeuroimmuneError, match=needle):
            pop.validate(system)


def test_plausibility_filter_and_reproducibility(scenario, tmp_path):
    sc, system = scenario
    pop = Population(default_cv=0.25, seed=7, plausible={("TNF", "peak"): (250.0, 500.0)})
    kw = dict(scenario=sc.name, outputs=("TNF", "cortisol"), chunk_size=8)
    run_cohort(system, sc.protocol, sc.times(), pop, 20, tmp_path / "a", **kw)
    run_cohort(system, sc.protocol, sc.times(), pop, 20, tmp_path / "b", **kw)
    a, b = read_summaries(tmp_path / "a"), read_summaries(tmp_path / "b")
    pd.testing.assert_frame_equal(a, b)
    assert list(a["patient"]) == list(range(20))
    assert a["TNF.peak"].between(250, 500).all()
    other = Population(default_cv=0.25, seed=8, plausible=pop.plausible)
    with pytest.raises(NeuroimmuneError, match=r"a different population \(seed: 7 -> 8\)"):
        run_cohort(system, sc.protocol, sc.times(), other, 20, tmp_path / "a", **kw)


def test_resume_after_sigkill_gives_identical_results(tmp_path, scenario):
    exe = Path(sys.executable).with_name("neuroimmune")
    args = [str(exe), "population", "lps-bolus", "--n", "240", "--chunk", "12", "--seed", "5"]
    full = tmp_path / "full"
    subprocess.run(args + ["--out", str(full)], check=True, capture_output=True)
    killed = tmp_path / "killed"
    proc = subprocess.Popen(args + ["--out", str(killed)], stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL, start_new_session=True)
    deadline = time.time() + 120
    while time.time() < deadline and proc.poll() is None:
        if len(list((killed / "summaries").glob("chunk_*.parquet"))) >= 2:
            os.killpg(proc.pid, signal.SIGKILL)
            break
        time.sleep(0.02)
    proc.wait()
    n_before = len(list((killed / "summaries").glob("chunk_*.parquet")))
    assert n_before < 20, "the run finished before it could be interrupted"
    subprocess.run(args + ["--out", str(killed)], check=True, capture_output=True)
    a, b = read_summaries(full), read_summaries(killed)
    assert len(b) == 240 and b["patient"].is_unique
    pd.testing.assert_frame_equal(a, b)


def test_cli_population_profile_mixture(tmp_path):
    from typer.testing import CliRunner

    from neuroimmune.cli import app

    runner = CliRunner()
    args = ["population", "lps-bolus", "--n", "8", "--chunk", "4", "--cv", "0.1",
            "--profile", "healthy-man=0.5", "--profile", "chronic-stress=0.5"]
    result = runner.invoke(app, args + ["--out", str(tmp_path / "mix")])
    assert result.exit_code == 0, result.output
    frame = read_summaries(tmp_path / "mix")
    assert len(frame) == 8 and set(frame["profile"]) <= {"healthy-man", "chronic-stress"}
    bad = runner.invoke(app, args[:-1] + ["chronic-stress", "--out", str(tmp_path / "bad")])
    assert bad.exit_code != 0 and "--profile" in bad.output and "Fix" in bad.output


def test_summaries_say_whether_each_patient_reached_a_limit_cycle(tmp_path):
    sc = load("lps-bolus")  # pre-equilibrates on the circadian limit cycle
    system = scenarios.system(sc)
    pop = Population(default_cv=0.1, seed=4)
    run_cohort(system, sc.protocol, sc.times(), pop, 8, tmp_path / "c", scenario=sc.name,
               outputs=("cortisol",), chunk_size=8)
    frame = read_summaries(tmp_path / "c")
    P = frame[[f"param.{name}" for name in system.parameters]].to_numpy()
    direct = solve(system, P, sc.protocol, sc.times())
    assert frame["preequilibration_converged"].tolist() == \
        direct.preequilibration_converged.tolist()
    assert frame["preequilibration_days"].tolist() == direct.preequilibration_days.tolist()
    assert (frame["preequilibration_days"] > 0).all()
