"""A bounded fuzz of the scenario schema and the solver options (hypothesis): every generated or
mutated scenario file either loads or ends in a one-line error that says how to fix it; a file
that loads holds no key the schema does not know. The 40,000-file version is
benchmarks/fuzz_scenarios.py (docs/fuzzing.md)."""

from __future__ import annotations

import random
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from neuroimmune import NeuroimmuneError, SolverOptions
from neuroimmune.io.scenario import parse_scenario

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
fuzz = pytest.importorskip("fuzz_scenarios")

SETTINGS = settings(max_examples=250, deadline=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture])


@pytest.fixture(scope="module")
def texts():
    return [p.read_text() for p in fuzz.BUILTIN] + [fuzz.CUSTOM]


@SETTINGS
@given(seed=st.integers(0, 2**32 - 1))
def test_generated_scenario_files_load_or_fail_clearly(coupled_system, seed):
    rng = random.Random(seed)
    for _ in range(4):
        assert fuzz.check(fuzz.structured(rng), coupled_system) in ("ok", "clear error")


@SETTINGS
@given(seed=st.integers(0, 2**32 - 1))
def test_mutated_builtin_files_load_or_fail_clearly(coupled_system, texts, seed):
    rng = random.Random(seed)
    for _ in range(4):
        text = fuzz.mutated(rng, texts)
        assert fuzz.check(text, coupled_system) in ("ok", "clear error"), text


@SETTINGS
@given(doc=st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=12),
    lambda children: st.lists(children, max_size=3)
    | st.dictionaries(st.text(min_size=1, max_size=10), children, max_size=3), max_leaves=12))
def test_arbitrary_toml_values_never_crash_the_loader(doc):
    """Any TOML document (from hypothesis, with any key and value types) loads or fails clearly."""
    tomli_w = pytest.importorskip("tomli_w")
    if not isinstance(doc, dict):
        doc = {"name": doc}
    try:
        text = tomli_w.dumps(doc)
    except (TypeError, ValueError):  # None and friends are not TOML
        return
    try:
        parse_scenario(text, where="h.toml", default_name="h")
    except NeuroimmuneError as exc:
        assert "\n" not in str(exc) and "Fix:" in str(exc), str(exc)


@SETTINGS
@given(rtol=st.floats(allow_nan=True, allow_infinity=True) | st.integers() | st.text(max_size=5),
       method=st.text(max_size=8) | st.sampled_from(["dopri5", "rodas4"]),
       max_steps=st.integers(-5, 10**7) | st.floats())
def test_solver_options_are_valid_or_refused_clearly(rtol, method, max_steps):
    try:
        options = SolverOptions(method=method, rtol=rtol, max_steps=max_steps)
    except NeuroimmuneError as exc:
        assert "\n" not in str(exc) and "Fix:" in str(exc)
        return
    assert options.method in ("dopri5", "rodas4") and 0 < options.rtol
