"""Warm start (issue #18, docs/design/0028-warm-start.md): a process that finds its compiled model
described in the cache builds no sympy model and imports neither sympy nor pint, and gives the
same results as the process that compiled it; a changed source, scenario or parameter file
invalidates the description; a corrupt or foreign record is rebuilt, never trusted."""

import importlib
import json
import pickle
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from neuroimmune import _warm, scenarios, units
from neuroimmune._mathsrc import helpers_key
from neuroimmune.compile import System, cached_system, compile_model
from neuroimmune.io._scenario_data import scenario_data, scenario_from_data
from neuroimmune.io.scenario import read_scenario
from neuroimmune.parameter_sets import CALIBRATED_PATH
from neuroimmune.solvers import solver_key

compile_module = importlib.import_module("neuroimmune.compile")

_RUN = """
import pickle, sys
from neuroimmune import scenarios
ds = scenarios.simulate("lps-bolus")
heavy = sorted(m for m in ("sympy", "pint", "pydantic.main", "neuroimmune.model.core",
                           "neuroimmune._codegen", "neuroimmune.profiles")
               if m in sys.modules)
with open(sys.argv[1], "wb") as fh:
    pickle.dump((ds, heavy), fh)
"""


def _copy_kernels(key: str, src: Path, dst: Path) -> None:
    """Only the kernel files of `key`, the shared solver and the math helpers (no warm records):
    a cold start that need not compile."""
    (dst / "__pycache__").mkdir(parents=True)
    for stem in (f"ni_{key[:24]}", f"ni_solver_{solver_key()[:24]}",
                 f"ni_helpers_{helpers_key()[:24]}"):
        for f in src.glob(f"{stem}*"):
            if f.suffix in (".py", ".sha256"):
                shutil.copy2(f, dst / f.name)
        for f in (src / "__pycache__").glob(f"{stem}*"):
            shutil.copy2(f, dst / "__pycache__" / f.name)


def _bitwise_identical(a, b) -> None:
    assert a.identical(b)
    assert list(a.variables) == list(b.variables) and a.attrs == b.attrs
    for name, var in a.variables.items():
        if var.dtype.kind == "f":
            assert np.array_equal(var.values.view(np.uint64), b[name].values.view(np.uint64)), name


@pytest.fixture(scope="module")
def lps_system():
    return scenarios.system(scenarios.load("lps-bolus"))


def test_a_warm_process_builds_no_model_and_gives_the_cold_process_dataset(tmp_path,
                                                                           lps_system):
    cache = tmp_path / "cache"
    _copy_kernels(lps_system.key, _warm.cache_dir(), cache)
    env = {**__import__("os").environ, "NEUROIMMUNE_CACHE_DIR": str(cache)}
    results = []
    for run in ("cold", "warm", "warm without the helpers file"):
        if run.endswith("file"):  # the math helpers are written again, without the generator
            helpers = list(cache.glob("ni_helpers_*"))
            assert len(helpers) == 2  # the module and its record (docs/design/0045)
            for f in helpers:
                f.unlink()
        out = tmp_path / f"{len(results)}.pickle"
        proc = subprocess.run([sys.executable, "-c", _RUN, str(out)], env=env,
                              capture_output=True, text=True)
        assert proc.returncode == 0, proc.stderr
        with open(out, "rb") as fh:  # written by the test's own child process
            results.append(pickle.load(fh))
    (cold, cold_heavy), (warm, warm_heavy), (rewritten, rewritten_heavy) = results
    assert "sympy" in cold_heavy and "neuroimmune.model.core" in cold_heavy  # it built the model
    assert warm_heavy == []  # no sympy, pint, model, code generator, profiles
    assert rewritten_heavy == [] and len(list(cache.glob("ni_helpers_*"))) == 2
    assert sorted(p.name.split("-")[0] for p in (cache / "warm").iterdir()) == [
        "scenario", "system", "units"]
    _bitwise_identical(cold, warm)
    _bitwise_identical(warm, rewritten)
    _bitwise_identical(warm, scenarios.simulate("lps-bolus"))  # and this process's own


class _Counting:
    """A model builder that counts its calls."""

    def __init__(self, build):
        self.build, self.calls = build, 0

    def __call__(self):
        self.calls += 1
        return self.build()


def _builder(system: System):
    """A builder of the model of `system` (the scenario's)."""
    sc = scenarios.load("lps-bolus")
    return _Counting(lambda: scenarios._model_of(sc, None))


def _same_system(a: System, b: System) -> None:
    for name in ("key", "states", "state_units", "parameters", "parameter_units", "signals",
                 "signal_units", "observables", "observable_units", "name", "citation"):
        assert getattr(a, name) == getattr(b, name), name
    for name in ("y0", "p0", "signal_defaults", "nonnegative"):
        x, y = getattr(a, name), getattr(b, name)
        assert x.dtype == y.dtype and x.tobytes() == y.tobytes(), name
    assert dict(a.descriptions) == dict(b.descriptions)
    assert a.kernels is b.kernels


def test_a_description_restores_the_compiled_system_without_building_the_model(tmp_path,
                                                                             lps_system):
    build = _builder(lps_system)
    first = cached_system("test recipe", build, cache_dir=tmp_path)
    assert build.calls == 1 and first.built is not None
    second = cached_system("test recipe", build, cache_dir=tmp_path)
    assert build.calls == 1 and second.built is None  # from the description
    _same_system(first, lps_system)
    _same_system(second, lps_system)
    sc = scenarios.load("lps-bolus")
    _bitwise_identical(scenarios.simulate(second, sc.protocol, sc.times()),
                       scenarios.simulate(lps_system, sc.protocol, sc.times()))
    # the model on demand: built once, checked against the kernel key
    assert second.model.species_names == lps_system.states and build.calls == 2
    assert second.model is second.model and build.calls == 2


def test_the_model_built_on_demand_must_be_the_described_one(tmp_path, lps_system):
    from neuroimmune.errors import ModelError
    from neuroimmune.model.library import innate

    cached_system("r", _builder(lps_system), cache_dir=tmp_path)
    other = cached_system("r", lambda: innate(), cache_dir=tmp_path)  # not what was recorded
    with pytest.raises(ModelError, match="stale cached description"):
        _ = other.model


def test_another_environment_digest_or_recipe_does_not_use_the_description(tmp_path,
                                                                         lps_system,
                                                                         monkeypatch):
    build = _builder(lps_system)
    monkeypatch.setattr(_warm, "environment_digest", lambda: "A")
    cached_system("r", build, cache_dir=tmp_path)
    cached_system("r", build, cache_dir=tmp_path)
    assert build.calls == 1
    monkeypatch.setattr(_warm, "environment_digest", lambda: "B")  # a package file changed
    cached_system("r", build, cache_dir=tmp_path)
    assert build.calls == 2
    cached_system("r2", build, cache_dir=tmp_path)  # another scenario or parameter set
    assert build.calls == 3


def test_the_environment_digest_covers_every_package_file(tmp_path, monkeypatch):
    copy = tmp_path / "neuroimmune"
    shutil.copytree(_warm.PACKAGE, copy, ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr(_warm, "PACKAGE", copy)
    digest = _warm.environment_digest.__wrapped__
    before = digest()
    assert digest() == before
    for changed in ("model/library/innate.py", "data/calibration_standard.csv",
                    "data/scenarios/lps-bolus.toml", "units.py"):
        path = copy / changed
        original = path.read_bytes()
        path.write_bytes(original + b"\n")
        assert digest() != before, changed
        path.write_bytes(original)
    assert digest() == before


def test_a_changed_parameter_file_is_read_again(tmp_path):
    sc = scenarios.load("lps-bolus")
    text = CALIBRATED_PATH.read_text()
    path = tmp_path / "set.csv"
    rows = [line for line in text.splitlines() if line and not line.startswith("#")]
    name = rows[1].split(",")[0]
    values = []
    for value in ("0.5", "0.25"):
        lines = [line if not line.startswith(f"{name},") else
                 ",".join([name, value, *line.split(",")[2:]])
                 for line in text.splitlines()]
        path.write_text("\n".join(lines) + "\n")
        system = scenarios.system(sc, path)
        values.append(system.p0[system.parameters.index(name)])
        again = scenarios.system(sc, path)  # from the description now
        assert again.p0[again.parameters.index(name)] == values[-1]
    assert values[0] != values[1]


def test_a_changed_scenario_file_is_read_again(tmp_path):
    source = Path(scenarios._folder() / "lps-bolus.toml").read_text()
    path = tmp_path / "mine.toml"
    for end in (24, 12):
        path.write_text(source.replace('name = "lps-bolus"', 'name = "mine"')
                        .replace("end = 24", f"end = {end}"))
        for _ in range(2):  # read, then from the record
            assert scenarios.load(path).t_end == end
            assert scenarios.load(path) == read_scenario(path)


@pytest.mark.parametrize("damage", ["truncated", "garbage", "foreign key", "payload edited",
                                    "wrong types", "empty"])
def test_a_corrupt_or_foreign_description_is_rebuilt(tmp_path, lps_system, damage):
    build = _builder(lps_system)
    cached_system("r", build, cache_dir=tmp_path)
    (record_path,) = (tmp_path / "warm").iterdir()
    record = json.loads(record_path.read_bytes())
    if damage == "truncated":
        record_path.write_bytes(record_path.read_bytes()[:200])
    elif damage == "garbage":
        record_path.write_bytes(b"\x80\x04\x95 not json")
    elif damage == "foreign key":
        record["key"] = "0" * 64
        record_path.write_text(json.dumps(record))
    elif damage == "payload edited":
        record["payload"]["p0"][0] *= 2
        record_path.write_text(json.dumps(record))
    elif damage == "wrong types":  # a consistent record of nonsense
        record["payload"]["y0"] = [str(v) for v in record["payload"]["y0"]]
        record["sha256"] = _warm._digest(record["payload"])
        record_path.write_text(json.dumps(record))
    else:
        record_path.write_bytes(b"")
    system = cached_system("r", build, cache_dir=tmp_path)
    assert build.calls == 2  # rebuilt, no crash
    _same_system(system, lps_system)
    again = cached_system("r", build, cache_dir=tmp_path)  # and recorded again
    assert build.calls == 2
    _same_system(again, lps_system)


def test_every_builtin_scenario_round_trips_through_its_record():
    for name in scenarios.builtin_names():
        sc = read_scenario(scenarios._folder() / f"{name}.toml")
        data = scenario_data(sc)
        if data is None:
            assert any(not isinstance(m, str) for m in sc.modules), name
            continue
        assert scenario_from_data(json.loads(json.dumps(data))) == sc, name


@pytest.mark.parametrize("data", [None, [], {}, {"name": "x"}, "text"])
def test_a_scenario_record_that_is_not_one_reads_as_absent(data, monkeypatch):
    assert scenario_from_data(data) is None
    sc = scenarios.load("lps-bolus")
    good = scenario_data(sc)
    bad = json.loads(json.dumps(good))
    bad["protocol"]["events"][0]["event"] = "os.system"
    assert scenario_from_data(bad) is None
    bad = json.loads(json.dumps(good))
    bad["t_end"] = "24"
    assert scenario_from_data(bad) is None


def test_unit_answers_are_pints_and_a_bad_record_entry_is_dropped(tmp_path, monkeypatch):
    monkeypatch.setenv("NEUROIMMUNE_CACHE_DIR", str(tmp_path))
    monkeypatch.setattr(units, "_MEMO", None)
    for value, unit in [("2 ng/kg", "ng/kg"), ("30 min", "h"), ("1.5 ug/dL", "nmol/L")]:
        try:
            expected = units._pint_magnitude(value, unit, "x")
        except Exception:
            continue
        assert units._string_magnitude.__wrapped__(value, unit, "x") == expected
    assert units.conversion_factor("h", "min") == 60.0
    units._flush()
    record = _warm.read("units", _warm.key("units"), tmp_path)
    assert record["m|30 min|h"] == 0.5 and record["f|h|min"] == 60.0
    record["m|30 min|h"] = "0.5"  # not a number: dropped when read
    _warm.write("units", _warm.key("units"), record, tmp_path)
    monkeypatch.setattr(units, "_MEMO", None)
    assert "m|30 min|h" not in units._memo() and units._memo()["f|h|min"] == 60.0
    monkeypatch.setattr(units, "_MEMO", None)


def test_neuroimmune_solve_is_the_function_after_its_module_is_imported():
    code = ("import neuroimmune.solve, types; from neuroimmune import solve, simulate;"
            "assert not isinstance(solve, types.ModuleType) and callable(simulate)")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr


def test_compile_model_still_gives_a_system_with_its_model(lps_system):
    sc = scenarios.load("lps-bolus")
    model = scenarios._model_of(sc, None)
    system = compile_model(model)
    assert system.model is model and system.built is model
    _same_system(system, lps_system)
    assert compile_module.model_key(model) == lps_system.key
