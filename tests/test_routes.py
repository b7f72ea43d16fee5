"""Channel ablation (`neuroimmune routes`, neuroimmune.analysis.routes): the route table names
real coupling parameters, a cut sets exactly the documented values, a cut is neutral (the cut
model equals the model without the coupling), upstream outputs do not move, and the command's
errors, table, JSON, CSV and figure."""

from __future__ import annotations

import json

import numpy as np
import pytest
from typer.testing import CliRunner

import neuroimmune
from neuroimmune import NeuroimmuneError, Protocol, lps_bolus, simulate
from neuroimmune.analysis import routes as routes_module
from neuroimmune.analysis.routes import (
    ALL_ROUTES,
    NO_EFFECT,
    NOT_IN_MODEL,
    ROUTES,
    Cut,
    Route,
    ablate_routes,
    overrides,
)
from neuroimmune.cli import app
from neuroimmune.errors import ModelError
from neuroimmune.model.library import BY_NAME

runner = CliRunner()
ROUTE_NAMES = ["HPA -> immune", "sympathetic -> immune", "vagal -> immune", "cytokines -> brain",
               "sex steroids"]
#: What docs/routes.md documents for the standard model (innate, hpa, fever, autonomic).
DOCUMENTED = {
    "HPA -> immune": {"IC_GC_act": 1e12, "IC_GC_TNF": 1e12, "IC_GC_IL6": 1e12,
                      "IC_GC_IL8": 1e12, "s_GC_IL10": 0.0},
    "sympathetic -> immune": {"E_b2_TNF": 0.0, "s_b2_IL10": 0.0, "s_b2_IL6": 0.0},
    "vagal -> immune": {"E_a7": 0.0},
    "cytokines -> brain": {"s_TNF_CRH": 0.0, "s_brain_CRH": 0.0, "g_TNF_EPI": 0.0,
                           "g_TNF_NE": 0.0, "g_TNF_vagal": 0.0, "k_t": 0.0},
}


def invoke(*args):
    return runner.invoke(app, [str(a) for a in args])


def assert_cli_error(result, *needles):
    assert result.exit_code == 2, (result.exit_code, result.stdout, result.stderr)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error:") and "Fix" in lines[0], lines
    assert "Traceback" not in result.stderr and result.stdout == ""
    for n in needles:
        assert n in lines[0], (n, lines[0])


@pytest.fixture(scope="module")
def lps():
    from neuroimmune import scenarios

    sc = scenarios.load("lps-bolus")
    return sc, scenarios.system(sc)


@pytest.fixture(scope="module")
def lps_frame(lps):
    sc, system = lps
    return ablate_routes(system, sc.protocol, sc.times(), "TNF.peak")


# -- the table ----------------------------------------------------------------------------------
def test_the_table_has_the_five_routes_of_issue_17():
    assert [r.name for r in ROUTES] == ROUTE_NAMES


@pytest.mark.parametrize("route", ROUTES, ids=lambda r: r.name)
def test_every_named_parameter_is_a_free_parameter_of_its_module(route):
    """Fails loudly when a library module renames or drops a coupling parameter: update
    ROUTES and docs/routes.md."""
    for cut in route.cuts:
        module = BY_NAME[cut.module]()
        names = module.parameter_names
        assert cut.parameter in names, (f"route {route.name!r}: module {cut.module!r} has no "
                                        f"parameter {cut.parameter!r} any more")
        assert not module.parameter(cut.parameter).constant, cut  # must vary per patient
        assert cut.reason
    provided = {x for f in BY_NAME.values() for m in [f()]
                for x in m.species_names + tuple(o.name for o in m.observables)}
    assert set(route.carriers) <= provided


def test_a_cut_sets_exactly_the_documented_parameters(lps):
    _, system = lps
    table = {r.name: r for r in ROUTES}
    for name, values in DOCUMENTED.items():
        assert overrides(system, table[name]) == values, name
    assert overrides(system, table["sex steroids"]) is None  # no gonadal module
    assert NO_EFFECT == 1e12


def test_a_parameter_missing_from_a_composed_module_is_a_clear_error(lps, monkeypatch):
    sc, system = lps
    broken = Route("vagal -> immune", "x", ("a7_activation",),
                   (Cut("innate", "E_a7_renamed", 0.0, "gain 0"),))
    monkeypatch.setattr(routes_module, "ROUTES", (broken,))
    with pytest.raises(ModelError, match="E_a7_renamed") as info:
        ablate_routes(system, sc.protocol, sc.times(), "TNF.peak")
    assert "vagal -> immune" in str(info.value) and "Fix" in str(info.value)


# -- behaviour ----------------------------------------------------------------------------------
def test_each_cut_equals_a_manual_simulation_with_the_documented_overrides(lps, lps_frame):
    sc, _ = lps
    rows = lps_frame.set_index("route")
    intact = float(simulate(sc).ni.peak("TNF")[0])
    assert rows.loc["intact", "value"] == pytest.approx(intact, rel=1e-9)
    everything = {}
    for name, values in DOCUMENTED.items():
        everything.update(values)
        manual = float(simulate(sc, params={k: [v] for k, v in values.items()}).ni.peak("TNF")[0])
        assert rows.loc[name, "value"] == pytest.approx(manual, rel=1e-9), name
        assert rows.loc[name, "change"] == pytest.approx(manual - intact, rel=1e-6, abs=1e-9)
    manual = float(simulate(sc, params={k: [v] for k, v in everything.items()}).ni.peak("TNF")[0])
    assert rows.loc[ALL_ROUTES, "value"] == pytest.approx(manual, rel=1e-9)


def test_shares_and_interaction_follow_their_definitions(lps_frame):
    f = lps_frame.set_index("route")
    single = f.loc[ROUTE_NAMES[:4]]
    assert (single["status"] == "cut").all()
    np.testing.assert_allclose(single["share"], single["change"].abs()
                               / single["change"].abs().sum())
    assert single["share"].sum() == pytest.approx(1.0)
    assert f.loc["sex steroids", "status"] == NOT_IN_MODEL
    assert np.isnan(f.loc["sex steroids", "value"]) and np.isnan(f.loc[ALL_ROUTES, "share"])
    np.testing.assert_allclose(f["change_pct"], 100 * f["change"] / f.loc["intact", "value"])
    assert lps_frame.attrs["interaction"] == pytest.approx(
        f.loc[ALL_ROUTES, "change"] - single["change"].sum())
    assert lps_frame.attrs["unit"] == "pg/mL"


def test_an_output_upstream_of_every_route_does_not_change(lps):
    """Circulating LPS is cleared at a fixed rate: no route reaches it. Its peak (the dose) is
    exact; its AUC differs by the integration error only (each patient takes its own steps),
    below the documented resolution, so no route gets a share."""
    sc, system = lps
    f = ablate_routes(system, sc.protocol, sc.times(), "LPS.peak")
    cut = f[f["status"] == "cut"]
    assert len(cut) == 5 and (cut["change"] == 0).all() and (cut["value"] == 2.0).all()
    assert (cut["share"].dropna() == 0).all() and f.attrs["interaction"] == 0
    f = ablate_routes(system, sc.protocol, sc.times(), "LPS.auc")
    assert f.attrs["resolution"] == pytest.approx(10 * 1e-6 * f.attrs["intact"])
    cut = f[f["status"] == "cut"]
    assert (cut["change"].abs() <= f.attrs["resolution"]).all()
    assert (cut["share"].dropna() == 0).all()


def _lps_protocol():
    return Protocol([lps_bolus("2 ng/kg", time=0)], clock_start="08:00")


T = np.linspace(0.0, 10.0, 201)


def test_cutting_every_route_leaves_the_innate_module_alone(coupled_system, innate_system):
    """Independent check that the cuts are neutral: with every route cut, the cytokines of the
    standard model equal those of the innate module simulated without any partner (its inputs
    at their resting defaults)."""
    f = ablate_routes(coupled_system, _lps_protocol(), T, "TNF.peak")
    alone = simulate(innate_system, _lps_protocol(), T)
    assert f.set_index("route").loc[ALL_ROUTES, "value"] == pytest.approx(
        float(alone.ni.peak("TNF")[0]), rel=1e-5)
    assert f.set_index("route").loc["intact", "value"] != pytest.approx(
        float(alone.ni.peak("TNF")[0]), rel=1e-3)  # the routes do carry something


def test_cutting_the_neural_routes_equals_the_model_without_the_autonomic_module(
        coupled_system):
    from neuroimmune import compile_model, compose, hpa, innate
    from neuroimmune.model.library import fever

    without = compile_model(compose(innate(), hpa(), fever()))
    for output in ("TNF.peak", "IL10.auc", "cortisol.peak"):
        f = ablate_routes(coupled_system, _lps_protocol(), T, output,
                          routes=["sympathetic -> immune", "vagal -> immune"])
        name, stat = output.split(".")
        ds = simulate(without, _lps_protocol(), T)
        ref = float(ds.ni.peak(name)[0] if stat == "peak" else ds.ni.auc(name)[0])
        assert f.set_index("route").loc[ALL_ROUTES, "value"] == pytest.approx(ref, rel=1e-5)


def test_a_route_whose_modules_are_absent_is_not_in_the_model(innate_system):
    f = ablate_routes(innate_system, _lps_protocol(), T, "TNF.peak")
    assert list(f["route"]) == ["intact"] + ROUTE_NAMES
    assert (f["status"].iloc[1:] == NOT_IN_MODEL).all()


def test_sex_steroids_are_cut_where_the_gonadal_module_is_composed():
    from neuroimmune import scenarios

    sc = scenarios.load("lps-woman")
    system = scenarios.system(sc)
    f = ablate_routes(system, sc.protocol, sc.times(), "TNF.peak").set_index("route")
    assert f.loc["sex steroids", "status"] == "cut"
    assert f.loc["sex steroids", "parameters"] == ("s_T_pro=0 a_E2_pro=0 a_P4_pro=0 s_T_IL10=0 "
                                                   "s_T_stress=0")
    # a woman's low testosterone raises TNF production (sex_proinflammatory > 1): cutting the
    # route takes that away
    assert f.loc["sex steroids", "change"] < 0
    assert "K_TNF_GnRH=1e+12" in f.loc["cytokines -> brain", "parameters"]
    # with the sex-steroid hooks at 1 she responds as the young man of lps-bolus (a model
    # without the gonadal module): an independent check that the cut is complete
    man = scenarios.load("lps-bolus")
    assert f.loc["sex steroids", "value"] == pytest.approx(
        float(simulate(man).ni.peak("TNF")[0]), rel=1e-5)


@pytest.mark.parametrize("output", ["TNF.peak", "IL6.peak"])
def test_the_sex_steroid_cut_removes_the_cycle_phase_difference(output):
    """Issue #17: estradiol and progesterone act on monocytes only through the sex-steroid route,
    so with it cut the luteal and the follicular woman respond alike (both as the young man),
    while intact the luteal response is larger (Bouman et al. 2001 Fertil Steril 76:555; the size
    is tested in test_gonadal.py)."""
    from neuroimmune import scenarios

    frames = {}
    for name in ("lps-woman", "lps-woman-luteal"):
        sc = scenarios.load(name)
        frames[name] = ablate_routes(scenarios.system(sc), sc.protocol, sc.times(),
                                     output).set_index("route")
    fol, lut = frames["lps-woman"], frames["lps-woman-luteal"]
    assert lut.attrs["intact"] > 1.05 * fol.attrs["intact"]
    assert lut.loc["sex steroids", "value"] == pytest.approx(fol.loc["sex steroids", "value"],
                                                             rel=1e-5)
    # every other single cut leaves the luteal response above the follicular one
    for route in ("HPA -> immune", "sympathetic -> immune", "vagal -> immune"):
        assert lut.loc[route, "value"] > 1.05 * fol.loc[route, "value"], route


@pytest.mark.parametrize("output, needle", [("TNF.pk", "'TNF.pk'"), ("TNFa.peak", "'TNFa.peak'"),
                                            ("TNF", "'TNF'")])
def test_bad_outputs_are_clear_errors(lps, output, needle):
    sc, system = lps
    with pytest.raises(NeuroimmuneError, match="--output") as info:
        ablate_routes(system, sc.protocol, sc.times(), output)
    assert needle in str(info.value) and "time_to_peak" in str(info.value)
    for bad in (["vagus"], [], ["vagal -> immune", "vagal -> immune"]):
        with pytest.raises(NeuroimmuneError, match="routes: expected names among"):
            ablate_routes(system, sc.protocol, sc.times(), "TNF.peak", routes=bad)


# -- command line -------------------------------------------------------------------------------
def test_cli_writes_the_table_csv_and_figure(tmp_path):
    csv, png = tmp_path / "r" / "routes.csv", tmp_path / "r" / "routes.png"
    result = invoke("routes", "lps-bolus", "--output", "TNF.peak", "--out", csv, "--plot", png)
    assert result.exit_code == 0, (result.stderr, result.exception)
    for name in ROUTE_NAMES + ["all routes cut", "not in this model", "interaction"]:
        assert name in result.stdout, name
    assert f"wrote {csv}" in result.stdout and f"wrote {png}" in result.stdout
    text = csv.read_text()
    assert text.splitlines()[0] == "route,status,parameters,value,change,change_pct,share"
    assert "E_a7=0" in text
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_cli_writes_the_default_figure_into_the_working_folder(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = invoke("routes", "lps-bolus", "--output", "TNF.peak", "--json")
    assert result.exit_code == 0, (result.stderr, result.exception)
    data = json.loads(result.stdout)
    assert data["output"] == "TNF.peak" and data["unit"] == "pg/mL"
    assert [r["route"] for r in data["routes"]] == ["intact"] + ROUTE_NAMES + [ALL_ROUTES]
    shares = [r["share"] for r in data["routes"] if r["share"] is not None]
    assert sum(shares) == pytest.approx(1.0)
    assert (tmp_path / "routes-lps-bolus-TNF-peak.png").is_file()
    assert "wrote routes-lps-bolus-TNF-peak.png" in result.stderr
    assert "routes-SCENARIO-OUTPUT.png" in invoke("routes", "--help").stdout


def test_cli_no_plot_writes_nothing(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = invoke("routes", "lps-bolus", "--output", "LPS.peak", "--no-plot")
    assert result.exit_code == 0, (result.stderr, result.exception)
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("args, needles", [
    (["lps-bolus", "--output", "TNF.pk"], ["--output", "'TNF.pk'", "e.g. --output TNF.peak"]),
    (["lps-bolu", "--output", "TNF.peak"], ["scenario", "did you mean 'lps-bolus'"]),
    (["lps-bolus", "--output", "TNF.peak", "--plot", "x.png", "--no-plot"], ["--no-plot"]),
    (["lps-bolus", "--output", "TNF.peak", "--plot", "x.txt"], ["--plot", ".png"]),
])
def test_cli_errors_are_one_line(tmp_path, monkeypatch, args, needles):
    monkeypatch.chdir(tmp_path)
    assert_cli_error(invoke("routes", *args), *needles)
    assert list(tmp_path.iterdir()) == []


def test_cli_checks_output_paths_before_any_work(tmp_path, monkeypatch):
    import neuroimmune.scenarios as scenarios

    def work(*args, **kwargs):
        raise AssertionError("work started before the output paths were checked")

    monkeypatch.setattr(scenarios, "load", work)
    monkeypatch.setattr(routes_module, "ablate_routes", work)
    afile = tmp_path / "afile"
    afile.write_text("keep me")
    assert_cli_error(invoke("routes", "lps-bolus", "--output", "TNF.peak", "--out",
                            afile / "x.csv"), "--out", "is a file, not")
    assert_cli_error(invoke("routes", "lps-bolus", "--output", "TNF.peak", "--plot",
                            afile / "x.png"), "--plot", "is a file, not")
    assert afile.read_text() == "keep me"


def test_public_api():
    assert neuroimmune.ablate_routes is ablate_routes
    assert neuroimmune.ROUTES is ROUTES
    assert {"ablate_routes", "ROUTES"} <= set(neuroimmune.__all__)


def test_a_failed_cut_leaves_shares_and_interaction_undefined():
    """A route whose solve failed is reported as such; the others' shares and the interaction
    would be sums with a term missing, so they are NaN rather than renormalised."""
    rows = [("intact", {}), ("a", {"x": 0.0}), ("b", {"y": 0.0}), ("all routes cut", {})]
    values = np.array([10.0, 12.0, np.nan, 15.0])
    frame = routes_module._frame(rows, values, np.array([0, 0, 3, 0]), 10.0, ["a", "b"],
                                 ["a", "b"], 1e-9)
    assert list(frame["status"]) == ["intact", "cut", "solve failed", "cut"]
    assert frame["share"].isna().all()
    assert np.isnan(routes_module._interaction(frame))
    ok = routes_module._frame(rows, np.array([10.0, 12.0, 9.0, 15.0]), np.zeros(4, int), 10.0,
                              ["a", "b"], ["a", "b"], 1e-9)
    assert list(ok["share"].iloc[1:3]) == pytest.approx([2 / 3, 1 / 3])
    assert routes_module._interaction(ok) == pytest.approx(5.0 - (2.0 - 1.0))
