"""The scenario schema (neuroimmune.io.scenario) and the restricted rate-law parser: every
built-in scenario is a TOML file read by the same schema as a user's file; unknown keys, wrong
types and values outside their domain are refused with the key path; nothing in a file runs as
code."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
import sympy as sp

from neuroimmune import ModelError, NeuroimmuneError, ScenarioError, scenarios
from neuroimmune.io.scenario import parse_scenario
from neuroimmune.model.core import hill_up, sym
from neuroimmune.model.expressions import parse_rate

DATA = Path(scenarios.__file__).parent / "data" / "scenarios"


def parse(text: str):
    return parse_scenario(textwrap.dedent(text), where="s.toml", default_name="s")


def error(text: str) -> str:
    with pytest.raises(ScenarioError) as e:
        parse(text)
    msg = str(e.value)
    assert "\n" not in msg and "Fix:" in msg, msg
    return msg


# -- built-ins are data --------------------------------------------------------------------------
def test_every_builtin_is_a_toml_file_read_by_the_user_schema():
    files = sorted(p.stem for p in DATA.glob("*.toml"))
    assert len(files) >= 40
    assert files == sorted(scenarios.BUILTIN) == scenarios.builtin_names()
    for name in files:  # the same loader as a user's file gives the same scenario
        assert scenarios.load(str(DATA / f"{name}.toml")) == scenarios.BUILTIN[name]


def test_scenarios_are_immutable_plain_data():
    sc = scenarios.BUILTIN["lps-bolus"]
    with pytest.raises(AttributeError):
        sc.name = "x"  # type: ignore[misc]
    with pytest.raises(TypeError):
        sc.subject["kTNF"] = 1.0  # type: ignore[index]
    assert not hasattr(sc, "run") and not hasattr(sc, "system")


# -- nothing is evaluated as code ----------------------------------------------------------------
EVIL = [
    "__import__('os').system('touch {marker}') - k*X",
    "().__class__.__base__.__subclasses__()",
    "X.__class__",
    "(lambda: 1)()",
    "[k for k in (1,)][0]",
    "open('{marker}', 'w')",
    "eval('1')",
    "exec('import os')",
    "k if X else X",
    "X[0]",
    "'text'",
    "k and X",
    "X < k",
    "exp(x=1)",
]


@pytest.mark.parametrize("rate", EVIL)
def test_code_in_a_rate_law_is_refused_and_has_no_effect(tmp_path, rate):
    marker = tmp_path / "PWNED"
    text = f"""
        name = "evil"
        modules = []
        [[module]]
        name = "m"
        rates = {{ X = "{rate.format(marker=marker)}" }}
        species = [{{name = "X", unit = "pg/mL", initial = 1.0}}]
        parameters = [{{name = "k", value = 1.0, unit = "1/h", source = "test"}}]
    """
    msg = error(text)
    assert "module[0] (m).rates.X" in msg
    assert not marker.exists()


def test_cli_refuses_a_scenario_that_tries_to_run_code(tmp_path):
    marker = tmp_path / "PWNED"
    path = tmp_path / "evil.toml"
    path.write_text(textwrap.dedent(f"""
        name = "evil"
        modules = ["innate", "hpa"]
        [[module]]
        name = "il1"
        species = [{{name = "IL1x", unit = "pg/mL", initial = 1.0}}]
        parameters = [{{name = "k_il1x", value = 0.8, unit = "1/h", source = "test"}}]
        inputs = [{{name = "TNF", unit = "pg/mL", default = 0.0}}]
        rates = {{IL1x = "__import__('os').system('touch {marker}') - k_il1x*IL1x"}}
    """))
    proc = subprocess.run([sys.executable, "-m", "neuroimmune.cli", "simulate", str(path),
                           "--out", str(tmp_path / "e.csv")], capture_output=True, text=True,
                          cwd=tmp_path)
    assert proc.returncode == 2, proc.stderr
    assert "Traceback" not in proc.stderr and "rates.IL1x" in proc.stderr
    assert not marker.exists() and not (tmp_path / "e.csv").exists()


def test_the_rate_parser_builds_the_arithmetic_it_is_given():
    names = {n: sym(n) for n in ("X", "k", "K")}
    X, k, K = names["X"], names["k"], names["K"]
    assert parse_rate("-k*X + 2**3 - X/K", names, "r") == -k * X + 8 - X / K
    assert parse_rate("exp(-k) * sqrt(X) + log(K) - abs(X)", names, "r") == \
        sp.exp(-k) * sp.sqrt(X) + sp.log(K) - sp.Abs(X)
    assert parse_rate("hill_up(X, K, 2) + min(X, k)", names, "r") == hill_up(X, K, 2) + \
        sp.Min(X, k)
    assert parse_rate("1.5e-3*X", names, "r") == sp.Float(1.5e-3) * X
    for bad, needle in (("Y*k", "'Y'"), ("exp(X, k)", "1 argument"), ("k*", "valid expression"),
                        ("", "non-empty"), ("1e999*X", "finite")):
        with pytest.raises(ModelError, match="Fix:") as e:
            parse_rate(bad, names, "r")
        assert needle in str(e.value), (bad, str(e.value))


# -- unknown keys, strict types, domains ------------------------------------------------------
@pytest.mark.parametrize("text, needles", [
    ("[time]\nprequilibrate_days = 0\n", ["time.prequilibrate_days", "'preequilibrate_days'"]),
    ("[time]\nends = 48\n", ["time.ends", "did you mean 'end'"]),
    ("[output]\nvariable = ['TNF']\n", ["output.variable", "'variables'"]),
    ('[[module]]\nname = "m"\nrate = {X = "1"}\n', ["module[0].rate", "'rates'"]),
    ('[[events]]\ntype = "lps_bolus"\ndose = 2\ntme = 1\n', ["events[0].tme", "'time'"]),
    # an inline table after [time] lands in [time]: refused, not ignored
    ('[time]\nend = 24\nevents = [{type = "lps_bolus", dose = 2}]\n', ["time.events"]),
    ("profiles = ['vagotomy']\n", ["profiles", "did you mean 'profile'"]),
    ("[time]\nend = 24\nstep = 7\n", ["time.step", "divides end"]),
    ("[time]\nend = 24\nstep = 5\n", ["time.step", "divides end"]),
    ("[time]\nend = true\n", ["time.end", "a number"]),
    ("[time]\nclock_start = true\n", ["time.clock_start"]),
    ("[time]\npreequilibrate_days = 100000\n", ["time.preequilibrate_days", "1000"]),
    ("[time]\nend = 1e9\n", ["time", "output points"]),
    ('[[events]]\ntype = "lps_bolus"\ndose = true\n', ["events[0].dose", "a number"]),
    ('[[events]]\ntype = "stressor"\nstart = 1\nduration = 1\nintensity = "strong"\n',
     ["events[0].intensity"]),
    ('[[events]]\ntype = ["lps_bolus"]\ndose = 2\n', ["events[0]"]),
    ("output = 5\n", ["output", "a table"]),
    ('[output]\nvariables = "TNF"\n', ["output.variables", "an array"]),
    ("[output]\nvariables = 0\n", ["output.variables"]),
    ("[subject]\nkTNF = true\n", ["subject.kTNF"]),
    ('profile = ["healthy-woman", "chronc-stress"]\n', ["'chronc-stress'",
                                                       "did you mean 'chronic-stress'"]),
    ('[[events]]\ntype = "drug"\ndrug = "hydrocortisone"\namount = "10 mg"\n'
     'route = "infusion"\n', ["duration"]),
    ('[[events]]\ntype = "drug"\ndrug = "hydrocortisone"\namount = "10 mg"\nroute = "oarl"\n',
     ["events[0].route", "'oarl'"]),
])
def test_the_schema_refuses_what_it_does_not_know(text, needles):
    msg = error(text)
    for n in needles:
        assert n in msg, f"{n!r} not in {msg!r}"


def test_end_is_the_end_and_step_divides_it():
    sc = parse("[time]\nend = 21\nstep = 7\n")
    assert list(sc.times()) == [0.0, 7.0, 14.0, 21.0]
    sc = parse('[time]\nend = 24\nstep = "10 min"\n')
    assert sc.times()[-1] == 24.0 and len(sc.times()) == 145


def test_signal_steps_and_repeated_stressors_are_data():
    sc = parse("""
        [[events]]
        type = "signal"
        signal = "propranolol"
        change = 100
        start = 0
        duration = 25
        [[events]]
        type = "stressor"
        start = 1
        duration = 2
        repeat_every = 24
        repeat_count = 3
    """)
    flat = sc.protocol._flat
    assert [type(e).__name__ for e in flat] == ["SignalStep", "Stressor", "Stressor", "Stressor"]
    assert [e.start for e in flat[1:]] == [1.0, 25.0, 49.0]
    assert flat[0].signal == "propranolol" and flat[0].change == 100.0


# -- profiles compose ------------------------------------------------------------------------
STORY = """
    name = "stressed-woman-hydrocortisone-lps"
    description = "a chronically stressed woman given hydrocortisone 20 mg by mouth at 08:00 and LPS 2 ng/kg at 10:00"
    modules = ["innate", "hpa", "fever", "autonomic", "gonadal", "glucocorticoids"]
    profile = ["healthy-woman", "chronic-stress"]
    [time]
    end = 24
    step = 0.1
    clock_start = "08:00"
    [[events]]
    type = "drug"
    drug = "hydrocortisone"
    amount = "20 mg"
    time = 0
    route = "oral"
    [[events]]
    type = "lps_bolus"
    dose = "2 ng/kg"
    time = 2
"""  # noqa: E501 (TOML text: a one-line TOML string cannot be wrapped without changing it)


def test_profiles_compose_in_order():
    from neuroimmune.profiles import PROFILES

    sc = parse(STORY)
    assert sc.profiles == ("healthy-woman", "chronic-stress")
    model = scenarios.model(sc)
    system = scenarios.system(sc)
    p = dict(zip(system.parameters, system.p0))
    woman = PROFILES["healthy-woman"].parameters
    for name, value in woman.items():
        assert p[name] == pytest.approx(value)
    from neuroimmune.parameter_sets import calibrated_set

    cal = calibrated_set().values
    for name, factor in PROFILES["chronic-stress"].factors.items():
        base = cal.get(name, model.parameter(name).value)
        assert p[name] == pytest.approx(base * factor), name


def test_two_profiles_that_set_one_parameter_differently_are_an_error():
    sc = parse('profile = ["glucocorticoid-resistance", "chronic-stress"]\n')
    with pytest.raises(ScenarioError, match="monocyte_GC_resistance") as e:
        scenarios.system(sc)
    assert "glucocorticoid-resistance" in str(e.value) and "Fix:" in str(e.value)


def test_a_chronically_stressed_woman_given_hydrocortisone_and_lps_runs():
    ds = scenarios.simulate(parse(STORY))
    assert int(ds["status"][0]) == 0
    assert float(ds.ni.time_to_peak("TNF")[0]) > 2.0


# -- domains: doses people received, events that do something -------------------------------
@pytest.mark.parametrize("text, needles", [
    ('[[events]]\ntype = "lps_bolus"\ndose = "2 mg/kg"\n',
     ["events[0] (lps_bolus).dose", "at most 4 ng/kg", "Suffredini", "allow_extreme_doses"]),
    ('[[events]]\ntype = "lps_infusion"\nrate = "5 ng/kg/h"\n', ["at most 1 ng/kg/h", "Kiers"]),
    ('modules = ["innate", "hpa", "glucocorticoids"]\n[[events]]\ntype = "drug"\n'
     'drug = "hydrocortisone"\namount = "20 g"\n', ["at most 300 mg of hydrocortisone"]),
    ('[[events]]\ntype = "stressor"\nstart = 1\nduration = 0\n', ["duration", "> 0"]),
    ('[[events]]\ntype = "signal"\nsignal = "vns"\nstart = 1\nduration = "0 min"\n',
     ["duration"]),
    ('[[events]]\ntype = "lps_infusion"\nrate = 1\nduration = 0\n', ["duration"]),
    ('[[events]]\ntype = "stressor"\nstart = 1\nduration = 1\nintensity = -1\n',
     ["intensity", "greater than or equal to 0"]),
])
def test_doses_and_durations_outside_their_domain_are_refused(text, needles):
    msg = error(text)
    assert msg.count("s.toml") == 1, msg
    for n in needles:
        assert n in msg, f"{n!r} not in {msg!r}"


SEX = 'modules = ["innate", "hpa", "fever", "autonomic", "gonadal"]\n'


@pytest.mark.parametrize("text, needles", [
    # epinephrine: in the clinical unit, in another unit, and as the model's rate (pg/mL/h)
    ('[[events]]\ntype = "infusion"\nspecies = "EPI"\nrate = "150 ng/kg/min"\n',
     ["(infusion).rate", "at most 100 ng/kg/min of epinephrine", "Stratton et al. 1985 J Appl "
      "Physiol 58:1199", "allow_extreme_doses"]),
    ('[[events]]\ntype = "infusion"\nspecies = "EPI"\nrate = "0.2 ug/kg/min"\n',
     ["at most 100 ng/kg/min", "(= 200 ng/kg/min)"]),
    # 1e6 pg/mL/h into EPI: steady rise 1e6 / k_EPI (16.6/h) = 60 ng/mL, times the clearance
    # 61.5 mL/kg/min = 3.7e3 ng/kg/min (autonomic.epinephrine_infusion_rate, docs/sources)
    ('[[events]]\ntype = "infusion"\nspecies = "EPI"\nrate = 1e6\n',
     ["at most 100 ng/kg/min", "1e+06 pg/mL/h (the model's rate) (= 3.7e+03 ng/kg/min)"]),
    (SEX + '[[events]]\ntype = "infusion"\nspecies = "estradiol"\nrate = "0.3 mg/d"\n',
     ["at most 200 ug/d of transdermal estradiol", "Chetkowski et al. 1986 N Engl J Med "
      "314:1615", "(= 300 ug/d)"]),
    (SEX + '[[events]]\ntype = "infusion"\nspecies = "testosterone"\nrate = "1 g/d"\n',
     ["at most 100 mg/d of testosterone gel", "Wang et al. 2000 J Clin Endocrinol Metab "
      "85:2839"]),
    ('[[events]]\ntype = "stressor"\nstart = 0\nduration = 1\nintensity = 3\n',
     ["(stressor).intensity", "at most 1 stress intensity", "Dickerson & Kemeny 2004 Psychol "
      "Bull 130:355", "give intensity <= 1"]),
    ('[time]\nend = 96\n[[events]]\ntype = "stressor"\nstart = 0\nduration = "3 d"\n',
     ["(stressor).duration", "at most 24 h for one stressor", "Wisen et al. 2022 Front Psychol "
      "13:795759", "(= 72 h)", "repeat_every"]),
    # the stress signal written as a signal event is a stressor too
    ('[[events]]\ntype = "signal"\nsignal = "stress"\nstart = 0\nduration = 1\nchange = 5\n',
     ["(signal).change", "at most 1 stress intensity"]),
])
def test_epinephrine_sex_steroid_and_stressor_doses_outside_the_human_range_are_refused(
        text, needles):
    msg = error(text)
    for n in needles:
        assert n in msg, f"{n!r} not in {msg!r}"


@pytest.mark.parametrize("text", [
    '[[events]]\ntype = "infusion"\nspecies = "EPI"\nrate = "100 ng/kg/min"\n',
    SEX + '[[events]]\ntype = "infusion"\nspecies = "estradiol"\nrate = "200 ug/d"\n',
    SEX + '[[events]]\ntype = "infusion"\nspecies = "testosterone"\nrate = "100 mg/d"\n',
    '[[events]]\ntype = "stressor"\nstart = 0\nduration = "24 h"\nintensity = 1\n',
])
def test_the_largest_dose_studied_is_accepted_and_a_larger_one_with_the_flag(text):
    assert parse(text).protocol.events
    bigger = (text.replace('"100 ng', '"101 ng').replace('"200 ug', '"201 ug')
              .replace('"100 mg', '"101 mg').replace("intensity = 1", "intensity = 1.5"))
    error(bigger)
    assert parse("allow_extreme_doses = true\n" + bigger).protocol.events


def test_extreme_doses_need_to_be_asked_for():
    sc = parse('allow_extreme_doses = true\n[[events]]\ntype = "lps_bolus"\ndose = "2 ug/kg"\n')
    assert sc.protocol.events[0].amount == "2 ug/kg"
    assert parse('[[events]]\ntype = "lps_bolus"\ndose = "4 ng/kg"\n').protocol.events


@pytest.mark.parametrize("rtol", [10.0, 1.0, 0.05, 1e-15, float("nan"), True])
def test_solver_tolerances_are_bounded_to_meaningful_values(rtol):
    from neuroimmune import SolverError, SolverOptions

    with pytest.raises(SolverError, match="rtol.*Fix:"):
        SolverOptions(rtol=rtol)
    assert SolverOptions(rtol=1e-2).rtol == 1e-2 and SolverOptions(rtol=1e-14).rtol == 1e-14


# -- regression cases of the reliability review ----------------------------------------------
def test_a_drug_dose_without_its_module_names_the_module_to_add(coupled_system):
    from neuroimmune import ProtocolError

    sc = parse('[[events]]\ntype = "drug"\ndrug = "hydrocortisone"\namount = "20 mg"\n')
    with pytest.raises(ProtocolError, match="add 'glucocorticoids' to the scenario's modules"):
        sc.protocol.schedule(coupled_system, sc.t_end)


@pytest.mark.parametrize("params, needle", [
    ({"kTNF": ["a"]}, "params['kTNF']"), ({"kTNF": True}, "params['kTNF']"),
    ([["x"] * 3], "params"),
])
def test_non_numeric_parameter_values_are_refused(coupled_system, params, needle):
    from neuroimmune import SolverError
    from neuroimmune.solve import parameter_matrix

    with pytest.raises(SolverError, match="numbers") as e:
        parameter_matrix(coupled_system, params)
    assert needle in str(e.value) and "Fix:" in str(e.value)


@pytest.mark.parametrize("kwargs, needle", [
    ({"fold": float("inf")}, "finite factor > 1"), ({"fold": 1.0}, "finite factor > 1"),
    ({"parameters": ["kTNF", "kTNF"]}, "each parameter once"),
])
def test_sensitivity_options_are_checked(coupled_system, kwargs, needle):
    import numpy as np

    from neuroimmune.analysis.sensitivity import sensitivity
    from neuroimmune.protocol import Protocol

    with pytest.raises(NeuroimmuneError, match="Fix:") as e:
        sensitivity(coupled_system, Protocol(), np.linspace(0, 1, 3), "TNF.peak", method="morris",
                    n=4, **{"parameters": ["kTNF"], **kwargs})
    assert needle in str(e.value)


def test_simulate_warns_when_pre_equilibration_does_not_converge(tmp_path):
    from typer.testing import CliRunner

    from neuroimmune.cli import app

    path = tmp_path / "short.toml"
    path.write_text('[time]\nend = 1\nstep = 0.5\npreequilibrate_days = 1\n')
    result = CliRunner().invoke(app, ["simulate", str(path), "--out", str(tmp_path / "s.csv")])
    assert result.exit_code == 0, result.stderr
    assert "pre-equilibration did not reach the 24-h limit cycle within 1 days" in result.stderr
