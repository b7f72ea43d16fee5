"""Calibration procedure (issue #4): residuals, parameter recovery, the shipped calibrated set."""

import os
import re

import numpy as np
import pandas as pd
import pytest

from neuroimmune import scenarios
from neuroimmune.errors import NeuroimmuneError
from neuroimmune.model.core import compose
from neuroimmune.model.library import STANDARD
from neuroimmune.validation import calibrate as cal
from neuroimmune.validation.datasets import load_dataset

TRUTH = {"s_stress_CRH": 2.5, "s_TNF_CRH": 0.4, "g_TNF_EPI": 3.0}


@pytest.fixture(scope="module")
def problem():
    return cal.calibration_problem()


@pytest.fixture(scope="module")
def standard_parameters():
    return {p.name: p for p in compose(*(f() for f in STANDARD)).parameters}


def test_problem_frees_bounded_parameters_on_four_datasets(problem, standard_parameters):
    assert set(problem.parameters) == set(cal.FREE_PARAMETERS)
    for name in problem.parameters:
        p = standard_parameters[name]
        assert p.source and not p.constant
        lo, hi = problem.bounds[name]
        if name in cal.CALIBRATION_BOUNDS:  # narrower than declared; may exclude the default
            assert p.bounds[0] <= lo < hi <= p.bounds[1]
        elif p.value == 0:  # a zero default (mechanism off) starts at the log floor
            assert 0 < lo < hi == p.bounds[1] and p.value <= lo
        else:
            assert 0 < lo < hi and lo <= p.value <= hi
    # elimination rates stay within literature half-lives (cortisol 25-120 min)
    lo, hi = problem.bounds["w3"]
    assert np.log(2) / hi * 60 == pytest.approx(25) and np.log(2) / lo * 60 == pytest.approx(120)
    # ACTH: the measured 10-25 min, not the 34 min of the published lumped fit (declared bounds
    # keep the published value valid)
    lo, hi = problem.bounds["w2"]
    assert np.log(2) / hi * 60 == pytest.approx(10) and np.log(2) / lo * 60 == pytest.approx(25)
    assert not lo <= standard_parameters["w2"].value <= hi
    assert {b.scenario for b in problem.blocks} == {"lps-bolus", "circadian-day", "acute-stress"}
    blocks = {b.name: b for b in problem.blocks}
    # the LPS block is the mean of the 20 subjects: TNF peaks at 1.5-2 h at about 330-340 pg/mL
    tnf = blocks["lps_TNF"]
    assert tnf.times[np.argmax(tnf.values)] in (1.5, 2.0) and 300 < tnf.values.max() < 360
    # the 24-h profiles are absolute: Carroll peaks at 13.7 ug/dL in the morning, Yehuda at
    # 16.5 ug/dL around 08:00 once its 10:00 time origin is applied
    cort = blocks["carroll_cortisol"]
    assert cort.values.max() == pytest.approx(13.68, abs=0.01)
    assert 6 <= cort.times[cort.values.argmax()] <= 10
    yeh = blocks["yehuda_cortisol"]
    assert 6 <= yeh.times[yeh.values.argmax()] <= 10 and 15 < yeh.values.max() < 18
    assert np.all(np.diff(yeh.times) > 0) and yeh.times.max() < 24
    # Barber 1993 LPS-alone peaks: one value each, taken over 0-8 h after LPS
    peak = blocks["barber_cortisol_peak"]
    assert peak.kind == "peak" and peak.values.tolist() == [29.6] and peak.times.max() == 8.0
    y = np.array([[1.0, 3.0, 2.0], [0.5, 0.2, 0.1]])
    assert peak.transform(y).ravel().tolist() == [3.0, 0.5]
    # entrainment: hourly cortisol 1 and 4 days later, compared with today's (zero change)
    for lag in cal.PERIODIC_LAGS_DAYS:
        per = blocks[f"periodic_cortisol_{lag}d"]
        assert per.kind == "periodic" and np.all(per.values == 0) and per.times.size == 24
        assert np.allclose(per.baseline_times - per.times, 24.0 * lag)
        assert per.transform(y, y + 1.0).tolist() == np.ones_like(y).tolist()
    # TSST: healthy subjects' cortisol rises after the 30-min onset (peak rise 20-35 min later)
    tsst = blocks["tsst_cortisol"]
    assert tsst.times.min() > 0.5 and 0.8 <= tsst.times[tsst.values.argmax()] <= 1.1
    assert tsst.values.max() > 5


def test_residuals_vanish_on_the_models_own_data(problem):
    synthetic = problem.synthetic(problem.defaults)
    r0 = synthetic.residuals(problem.defaults)
    assert r0.shape == (problem.total_points(),)
    assert np.max(np.abs(r0)) < 1e-8
    moved = synthetic.residuals({**problem.defaults, "s_stress_CRH": 2.0})
    assert np.max(np.abs(moved)) > 1e-2
    # a batch of two identical rows gives the same residuals twice
    x = np.array([[problem.defaults[p] for p in problem.parameters]] * 2)
    rb = synthetic.residuals(x)
    assert rb.shape == (2, problem.total_points()) and np.allclose(rb, 0, atol=1e-8)


def test_recovers_known_coupling_constants_from_synthetic_data(problem):
    truth = {**problem.defaults, **TRUTH}
    sub = problem.synthetic(truth).subset(tuple(TRUTH))
    res = cal.run_calibration(sub, starts=1, seed=0, max_nfev=30)
    for name, value in TRUTH.items():
        assert res.parameters[name] == pytest.approx(value, rel=0.02), name
    assert res.cost < 1e-6 < res.initial_cost


def test_shipped_calibration_loads_within_bounds(standard_parameters):
    values = cal.load_calibrated()
    tied = {t.parameter for t in cal.TIES}
    assert values and set(values) == set(cal.FREE_PARAMETERS) | tied
    frame = pd.read_csv(cal.DEFAULT_PATH, comment="#")
    assert set(frame.loc[frame["optional"], "name"]) == {n for n, _ in cal.DERIVED_MEANS}
    for _, row in frame[~frame["optional"]].iterrows():
        p = standard_parameters[row["name"]]
        assert not p.constant and row["unit"] == p.unit
        assert row["previous_value"] == pytest.approx(p.value, rel=1e-5)
        assert row["lower"] <= row["value"] <= row["upper"]
        bounds = cal.CALIBRATION_BOUNDS.get(p.name, p.bounds)
        lower = bounds[0] if bounds[0] > 0 else bounds[1] / 1000
        assert row["lower"] == pytest.approx(lower, rel=1e-5)
        assert row["upper"] == pytest.approx(bounds[1], rel=1e-5)
    header = cal.calibration_header()
    for word in ("procedure:", "data:", "command:", "seed:", "final cost:", "date:"):
        assert word in header
    assert "lps_bolus_2ngkg_n20_individual" in header and "targets.csv" in header


def test_shipped_calibration_fits_better_than_the_defaults(problem):
    values = cal.load_calibrated()
    assert problem.cost(values) < problem.cost(problem.defaults)


@pytest.mark.xfail(strict=True, reason="design 0018: this set was found with the published "
                   "a5 ACTH^2 output; with the bounded adrenal it no longer beats (periodic "
                   "cost 0.0015), so it is no longer a regression case; none found yet")
def test_entrainment_term_penalises_an_axis_without_a_24h_limit_cycle(problem):
    """A set found without the entrainment term (kept here as a regression case): its HPA axis
    beats over ~10 days, so the day-to-day change of cortisol dominates its cost."""
    beating = {"a1": 4.80276e+14, "a2": 1.52206e+09, "a3": 1.29926e+06, "a4": 187063.0,
               "a5": 0.0222874, "w1": 2.2129, "w2": 1.29098, "w3": 1.42296, "circ_alpha": 4.73504,
               "circ_beta": 13.8888, "s_stress_CRH": 1.01651, "s_TNF_CRH": 1.25093,
               "g_TNF_EPI": 5.73114, "g_TNF_vagal": 5.21282, "K_TNF_vagal": 39.6477,
               "cortisol_ref": 12.6061}
    costs = problem.block_costs(beating)
    # "dominates": the periodicity block exceeds all the data blocks together (no size is
    # asserted; the data costs move whenever a module changes)
    assert costs["periodic_cortisol_4d"] > sum(
        v for k, v in costs.items() if not k.startswith("periodic"))
    assert problem.block_costs(problem.defaults)["periodic_cortisol_4d"] < 0.01
    cost, converged = cal.full_preequilibration(problem, beating)
    assert not converged and np.isfinite(cost)


def test_shipped_calibration_has_a_24h_limit_cycle(problem):
    assert "converged (24-h limit cycle): yes" in cal.calibration_header()
    costs = problem.block_costs(cal.load_calibrated())
    assert costs["periodic_cortisol_1d"] < 0.1 and costs["periodic_cortisol_4d"] < 0.1


def test_validation_comparison_before_and_after():
    cmp = cal.validation_comparison().set_index("id")
    assert len(cmp) >= 32 and {"before", "after", "passed_before", "passed_after"} <= set(cmp)
    # the calibration moves both targets towards their data (the targets' own values: T24, the
    # TSST peak / pre-stress ratio 2.6 of the Nelson data, which the defaults overshoot; T18, the
    # 24-h morning peak 15.5 ug/dL of Debono 2009, which the published low-cortisol subject
    # undershoots); the direction is asserted, not a size read off an earlier run
    target = load_dataset("targets").set_index("id")["target"]
    assert cmp.loc["T24", "before"] > target["T24"] and cmp.loc["T18", "before"] < target["T18"]
    assert cmp.loc["T24", "after"] < cmp.loc["T24", "before"]
    assert cmp.loc["T18", "after"] > cmp.loc["T18", "before"]
    for t in ("T24", "T18"):
        assert abs(cmp.loc[t, "after"] - target[t]) < abs(cmp.loc[t, "before"] - target[t]), t


def test_bad_inputs_raise_clear_errors(problem, tmp_path):
    with pytest.raises(NeuroimmuneError, match="calibration parameters"):
        cal.calibration_problem(("not_a_parameter",))
    with pytest.raises(NeuroimmuneError, match="calibration parameters"):
        cal.calibration_problem(("cortisol_nmol_per_ugdl",))  # a structural constant
    with pytest.raises(NeuroimmuneError, match="sd"):
        cal.Block("x", "lps-bolus", "TNF", np.array([1.0]), np.array([1.0]), np.array([0.0]))
    with pytest.raises(NeuroimmuneError, match="baseline_times"):
        cal.Block("x", "circadian-day", "cortisol", np.array([1.0, 2.0]), np.zeros(2),
                  np.ones(2), "periodic", baseline_times=np.array([25.0]))
    with pytest.raises(NeuroimmuneError, match="kind"):
        cal.Block("x", "lps-bolus", "TNF", np.array([1.0]), np.array([1.0]), np.array([1.0]),
                  "log")
    with pytest.raises(NeuroimmuneError, match="output"):
        cal.calibration_problem(blocks=[cal.Block("x", "lps-bolus", "IL-6", np.array([1.0]),
                                                  np.array([1.0]), np.array([1.0]))])
    with pytest.raises(NeuroimmuneError, match="scenario"):
        cal.calibration_problem(blocks=[cal.Block("x", "no-such", "TNF", np.array([1.0]),
                                                  np.array([1.0]), np.array([1.0]))])
    with pytest.raises(NeuroimmuneError, match="starts"):
        cal.run_calibration(problem, starts=0)
    with pytest.raises(NeuroimmuneError, match="calibration values"):
        problem.residuals({"IC_GC_actt": 1.0})
    with pytest.raises(NeuroimmuneError, match="calibration file"):
        cal.load_calibrated(tmp_path / "missing.csv")
    bad = tmp_path / "bad.csv"
    bad.write_text("# header\nname,value\nIC_GC_act,abc\n")
    with pytest.raises(NeuroimmuneError, match="columns"):
        cal.load_calibrated(bad)


def test_sensitivity_jacobian_agrees_with_central_differences(problem):
    """Issue #16 item 4: the calibration's Jacobian from the forward sensitivity equations,
    through every block kind (absolute, shape-free profiles, rise, peak, periodic) and the tie
    (cortisol_ref from circadian-day), against central differences of the residuals. Measured
    on all 21 free parameters (benchmarks, docs/calibration.md): 1e-8 to 2e-5."""
    sub = problem.subset(tuple(TRUTH))
    x = np.log([sub.defaults[p] for p in sub.parameters])
    J = sub.jacobian(x)
    h = 1e-5
    X = np.exp(x[None, :] + h * np.vstack([np.eye(len(x)), -np.eye(len(x))]))
    R = sub.residuals(X)
    fd = ((R[:len(x)] - R[len(x):]) / (2 * h)).T
    assert J.shape == (sub.total_points(), len(x))
    scale = np.abs(fd).max(axis=0)
    assert np.all(scale > 0)
    assert np.all(np.abs(J - fd).max(axis=0) <= 1e-4 * scale)
    with pytest.raises(NeuroimmuneError, match="gradient"):
        cal.run_calibration(sub, gradient="adjoint")


def test_write_and_load_roundtrip(problem, tmp_path):
    truth = {**problem.defaults, **TRUTH}
    sub = problem.synthetic(truth).subset(("s_stress_CRH",))
    res = cal.run_calibration(sub, starts=1, max_nfev=3, gradient="fd")
    path = cal.write_calibrated(res, tmp_path / "cal.csv")
    assert set(cal.load_calibrated(path)) == {"s_stress_CRH", "cortisol_ref"}
    assert "seed: 0" in cal.calibration_header(path)
    rows = re.search(r"^rows: (\d+) ", cal.calibration_header(path), re.M)  # checked on reading
    assert rows and int(rows.group(1)) == len(cal.read_parameter_set(path).values) >= 3
    path.write_text(path.read_text()[:-20])  # cut short
    with pytest.raises(NeuroimmuneError, match="truncated or edited"):
        cal.load_calibrated(path)


@pytest.mark.slow
def test_full_calibration_reproduces_the_shipped_cost():
    """Rerun the shipped procedure (the settings of its header) and get the same cost."""
    import re

    header = cal.calibration_header()
    settings = re.search(r"seed: (\d+); starts: (\d+); max_nfev: (\d+)", header)
    seed, starts, max_nfev = (int(g) for g in settings.groups())
    gradient = re.search(r"gradient: (\w+);", header).group(1)
    screen = re.search(r"screen: (\w+); finalists: (\d+);", header)
    shipped = float(re.search(r"final cost: ([0-9.eE+-]+);", header).group(1))
    res = cal.run_calibration(starts=starts, seed=seed, max_nfev=max_nfev, gradient=gradient,
                              screen_nfev=None if screen is None or screen.group(1) == "0"
                              else int(screen.group(1)),
                              finalists=2 if screen is None else int(screen.group(2)),
                              workers=os.cpu_count() or 1)
    assert res.cost == pytest.approx(shipped, rel=1e-2)
    assert res.cost < res.initial_cost  # the size of the drop is the shipped cost's, just above
    # the identified parameters (narrow spread over starts) agree; the others may wander on
    # flat directions of the cost between platforms
    shipped_values = cal.load_calibrated()
    for name in ("s_stress_CRH", "K_TNF_vagal"):
        assert res.parameters[name] == pytest.approx(shipped_values[name], rel=0.1)


def test_cli_calibrate_writes_the_set_with_its_provenance(tmp_path):
    from typer.testing import CliRunner

    from neuroimmune.cli import app

    runner = CliRunner()
    out = tmp_path / "cal.csv"
    result = runner.invoke(app, ["calibrate", "--starts", "1", "--max-nfev", "2", "--screen",
                                 "1", "--finalists", "1", "--workers", "1", "--gradient", "fd",
                                 "--out", str(out), "--compare"])
    assert result.exit_code == 0, result.output
    assert "cortisol_ref (tied)" in result.output
    assert "validation targets passing" in result.output
    values = cal.load_calibrated(out)
    assert set(values) == set(cal.FREE_PARAMETERS) | {t.parameter for t in cal.TIES}
    assert "neuroimmune calibrate --starts 1" in out.read_text()
    assert "--screen 1 --finalists 1" in out.read_text()
    bad = runner.invoke(app, ["calibrate", "--out", str(tmp_path / "cal.txt")])
    assert bad.exit_code == 2 and "--out" in bad.output and "Fix" in bad.output
    bad = runner.invoke(app, ["calibrate", "--finalists", "0", "--out", str(tmp_path / "c.csv")])
    assert bad.exit_code == 2 and "--finalists" in bad.output


def test_cortisol_ref_is_tied_to_the_axis_own_0800_cortisol(problem):
    """cortisol_ref is not fitted: it is the candidate axis's 08:00 cortisol, so the monocyte
    couplings equal 1 at the clock time of the Janum LPS challenge whatever the axis's level."""
    from dataclasses import replace

    from neuroimmune.scenarios import BUILTIN

    assert "cortisol_ref" not in problem.parameters
    shipped = cal.load_calibrated()
    sc = replace(BUILTIN["circadian-day"], calibrated=False)
    day = scenarios.simulate(replace(sc, subject={**sc.subject, **shipped}))
    at_8 = float(day.ni.value_at("cortisol", 8.0)[0])
    assert shipped["cortisol_ref"] == pytest.approx(at_8, rel=1e-3)
    # the tie follows the candidate: rescaling the axis's cortisol rescales it
    tied = problem.tied_values(problem.defaults)["cortisol_ref"]
    assert tied == pytest.approx(7.6, rel=0.05)  # the published axis's 08:00 value
    start = cal.amplitude_matched_start(problem)
    s = start["a5"] / problem.defaults["a5"]
    assert problem.tied_values(start)["cortisol_ref"] == pytest.approx(s * tied, rel=0.02)
    # the LPS scenario sees the tied value: residuals change when the tie is dropped
    untied = cal.calibration_problem(ties=())
    assert problem.cost(problem.defaults) != untied.cost(problem.defaults)
    with pytest.raises(NeuroimmuneError, match="tie of 'cortisol_ref'"):
        cal.calibration_problem(cal.FREE_PARAMETERS + ("cortisol_ref",))


def test_amplitude_matched_start_moves_along_the_cortisol_scale_symmetry(problem):
    """The second start rescales cortisol (a5, a2, a4) so that the mean 24-h cortisol equals the
    data's; CRH and ACTH stay where they were."""
    start = cal.amplitude_matched_start(problem)
    s = start["a5"] / problem.defaults["a5"]
    assert 1.3 < s < 3  # the published subject's cortisol is about half the group means
    assert start["a2"] == pytest.approx(problem.defaults["a2"] / s**2, rel=1e-9)
    assert start["a4"] == pytest.approx(problem.defaults["a4"] / s, rel=1e-9)
    blocks = [i for i, b in enumerate(problem.blocks)
              if b.output == "cortisol" and b.kind == "absolute"]
    data = sum(problem.blocks[i].values.sum() for i in blocks)
    before, after = problem.predictions(problem.defaults), problem.predictions(start)
    assert sum(after[i].sum() for i in blocks) == pytest.approx(data, rel=0.02)
    acth = [i for i, b in enumerate(problem.blocks) if b.name == "carroll_ACTH"][0]
    # approximately: the bounded adrenal's measured capacity and basal output are not scaled
    # (design 0018), and cortisol also acts on the monocytes, whose basal TNF drives CRH
    np.testing.assert_allclose(after[acth], before[acth], rtol=0.15)


def test_the_cli_defaults_are_the_shipped_procedure():
    """`neuroimmune calibrate` without options runs the procedure of the module constants (the CLI
    keeps literals so that its import stays light)."""
    import inspect

    from neuroimmune.cli import calibrate

    defaults = {n: p.default.default for n, p in inspect.signature(calibrate).parameters.items()}
    assert defaults["screen"] == cal.SCREEN_NFEV and defaults["finalists"] == cal.FINALISTS
