"""The on-disk kernel cache executes only the file neuroimmune wrote: a cached source that was
edited, truncated or written for another model is regenerated (with a warning) or, in a folder
this process cannot write, refused with a ModelError; an intact file loads as it is."""

from __future__ import annotations

import hashlib
import importlib
import os
import warnings
from pathlib import Path

import numpy as np
import pytest

from neuroimmune import ModelError, compile_model
from neuroimmune.model import Module, Parameter, Species, sym

compile_module = importlib.import_module("neuroimmune.compile")


def _decay(name: str = "cachecheck", rate: float = 0.5) -> Module:
    """A one-species model no other test compiles (its kernel file is new in tmp_path)."""
    return Module(name, (Species(f"X_{name}", "1", 1.0, "test"),),
                  (Parameter(f"k_{name}", rate, "1/h", "test"),),
                  {f"X_{name}": -sym(f"k_{name}") * sym(f"X_{name}")})


def _rhs(system) -> float:
    """dX/dt at the initial state: -k * X0 = -0.5 (the kernels work)."""
    k = system.kernels
    q = np.zeros(max(k.N_DERIVED, 1))
    k.derived(system.p0, q)
    dy = np.zeros(system.n_states)
    k.rhs(0.0, 8.0, system.y0, system.p0, q,
          np.concatenate([np.zeros(system.n_states), system.signal_defaults]), dy)
    return float(dy[0])


@pytest.fixture
def fresh(monkeypatch):
    """No kernel module loaded in this process: compile_model reads the cache folder."""
    monkeypatch.setattr(compile_module, "_LOADED", {})

    def reset():
        monkeypatch.setattr(compile_module, "_LOADED", {})
    return reset


def _compiled(tmp_path: Path, reset) -> tuple[Module, Path]:
    model = _decay()
    system = compile_model(model, cache_dir=tmp_path)
    assert _rhs(system) == -0.5
    reset()
    return model, system.source_path


def test_cached_file_has_a_record_of_its_hash_and_model_key(tmp_path, fresh):
    model, path = _compiled(tmp_path, fresh)
    key = compile_module.model_key(model)
    assert path.name == f"ni_{key[:24]}.py"
    assert path.read_text() == compile_module.generate_source(model)  # generated code unchanged
    record = path.with_suffix(".sha256").read_text()
    assert record == f"sha256 {hashlib.sha256(path.read_bytes()).hexdigest()}\nmodel key {key}\n"


def test_intact_file_loads_without_regeneration(tmp_path, fresh, monkeypatch):
    model, path = _compiled(tmp_path, fresh)
    before = path.stat().st_mtime_ns
    monkeypatch.setattr(compile_module, "generate_source", None)  # any call would fail
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        system = compile_model(model, cache_dir=tmp_path)
    assert _rhs(system) == -0.5
    assert path.stat().st_mtime_ns == before


def test_tampered_file_is_not_executed_but_regenerated(tmp_path, fresh, monkeypatch):
    model, path = _compiled(tmp_path, fresh)
    marker = tmp_path / "MARKER"
    intact = path.read_bytes()
    with open(path, "a") as fh:
        fh.write(f"import os; os.system('touch {marker}')\n")
    monkeypatch.chdir(tmp_path)
    with pytest.warns(RuntimeWarning, match=r"(?s)not executed.*edited or truncated.*regenerat"):
        system = compile_model(model, cache_dir=tmp_path)
    assert not marker.exists()
    assert _rhs(system) == -0.5
    assert path.read_bytes() == intact
    fresh()  # the regenerated file now loads as it is
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert _rhs(compile_model(model, cache_dir=tmp_path)) == -0.5
    assert not marker.exists()


@pytest.mark.parametrize("damage", ["truncated", "other model", "bad record", "no record"])
def test_damaged_or_foreign_files_are_regenerated(tmp_path, fresh, damage):
    model, path = _compiled(tmp_path, fresh)
    data = path.read_bytes()
    record = path.with_suffix(".sha256")
    if damage == "truncated":
        path.write_bytes(data[: len(data) // 2])
        expected = "edited or truncated"
    elif damage == "other model":  # a consistent file and record for another model
        other = _decay("cacheother", 0.25)
        other_data = compile_module.generate_source(other).encode()
        key = compile_module.model_key(other)
        path.write_bytes(other_data)
        record.write_text(f"sha256 {hashlib.sha256(other_data).hexdigest()}\nmodel key {key}\n")
        expected = f"another model \\(key {key}\\)"
    elif damage == "bad record":
        record.write_text(record.read_text()[:-10])
        expected = "without a valid integrity record"
    else:  # a cache written before the record existed
        record.unlink()
        expected = "without a valid integrity record"
    with pytest.warns(RuntimeWarning, match=expected):
        system = compile_model(model, cache_dir=tmp_path)
    assert _rhs(system) == -0.5
    assert path.read_bytes() == data and compile_module._verify(
        data, record.read_bytes(), compile_module.model_key(model)) is None


def test_older_cache_without_record_keeps_numba_cache(tmp_path, fresh):
    """Regenerating a file that had the same content (a cache written before the record existed)
    keeps numba's cache files: numba keys them by the source's content, which is unchanged."""
    model, path = _compiled(tmp_path, fresh)
    numba_files = sorted((tmp_path / "__pycache__").glob(f"{path.stem}.*.nb*"))
    assert numba_files
    path.with_suffix(".sha256").unlink()
    with pytest.warns(RuntimeWarning, match="without a valid integrity record"):
        system = compile_model(model, cache_dir=tmp_path)
    assert _rhs(system) == -0.5
    assert system.kernels.rhs.stats.cache_hits and not system.kernels.rhs.stats.cache_misses
    assert all(f.exists() for f in numba_files)


def test_regeneration_removes_the_stale_python_and_numba_cache_files(tmp_path, fresh):
    model, path = _compiled(tmp_path, fresh)
    pycache = tmp_path / "__pycache__"
    assert list(pycache.glob(f"{path.stem}.*.nbi"))  # numba cached rhs and derived
    planted = pycache / f"{path.stem}.rhs-99.py311.nbi"
    planted.write_bytes(b"not a pickle")
    unrelated = pycache / "other.rhs-1.py311.nbi"
    unrelated.write_bytes(b"kept")
    with open(path, "a") as fh:
        fh.write("# edited\n")
    with pytest.warns(RuntimeWarning):
        system = compile_model(model, cache_dir=tmp_path)
    assert not planted.exists() and unrelated.exists()
    assert _rhs(system) == -0.5


def _refusal_checks(tmp_path: Path, model: Module, path: Path) -> None:
    marker = tmp_path / "MARKER"
    tampered = path.read_bytes() + f"import os; os.system('touch {marker}')\n".encode()
    path.write_bytes(tampered)
    with pytest.raises(ModelError) as err:
        compile_model(model, cache_dir=tmp_path)
    message = str(err.value)
    assert str(path) in message
    assert compile_module.model_key(model) in message  # what was expected
    assert "edited or truncated" in message  # what was found
    assert "delete the file" in message and "NEUROIMMUNE_CACHE_DIR" in message  # the fix
    assert "not executed; not regenerated: the folder is not writable" in message
    assert not marker.exists()
    assert path.read_bytes() == tampered  # left alone


def test_tampered_file_in_a_folder_not_writable_is_refused(tmp_path, fresh, monkeypatch):
    """Not writable simulated (the tests may run as root, where chmod does not stop writes)."""
    model, path = _compiled(tmp_path, fresh)
    monkeypatch.setattr(compile_module, "_writable", lambda cache, path: False)
    monkeypatch.chdir(tmp_path)
    _refusal_checks(tmp_path, model, path)


def test_tampered_file_in_a_read_only_folder_is_refused(tmp_path, fresh, monkeypatch):
    """The same with a real read-only folder (chmod 0o555)."""
    cache = tmp_path / "kernels"
    model, path = _compiled(cache, fresh)
    monkeypatch.chdir(tmp_path)
    cache.chmod(0o555)
    try:
        try:
            (cache / "probe").touch()
        except PermissionError:
            pass
        else:
            (cache / "probe").unlink()
            pytest.skip("chmod 0o555 does not stop writes for this user (root): simulated in "
                        "test_tampered_file_in_a_folder_not_writable_is_refused")
        _refusal_checks(cache, model, path)
    finally:
        cache.chmod(0o755)


def test_regeneration_that_fails_to_write_is_a_model_error(tmp_path, fresh, monkeypatch):
    """A folder that looks writable but refuses the write (e.g. a sticky shared folder where
    the file belongs to someone else) gives the same clear error, not a bare OSError."""
    model, path = _compiled(tmp_path, fresh)
    path.write_bytes(path.read_bytes()[:100])

    def refuse(*args, **kwargs):
        raise PermissionError(13, "Permission denied", str(path))
    monkeypatch.setattr(compile_module, "atomic_write_bytes", refuse)
    with pytest.warns(RuntimeWarning), pytest.raises(ModelError, match="regenerating it failed"):
        compile_model(model, cache_dir=tmp_path)


def test_bytecode_cache_is_bound_to_the_verified_source(tmp_path, fresh, monkeypatch):
    """Python's bytecode for the kernel file is a checked hash-based .pyc of the verified bytes;
    a .pyc that does not match them (planted, stale, another Python's format) is not used."""
    monkeypatch.setattr("sys.dont_write_bytecode", False)
    model, path = _compiled(tmp_path, fresh)
    pyc = Path(importlib.util.cache_from_source(str(path)))
    data = pyc.read_bytes()
    assert int.from_bytes(data[4:8], "little") == 0b11
    assert data[8:16] == importlib.util.source_hash(path.read_bytes())
    marker = tmp_path / "MARKER"
    evil = compile(f"import os; os.system('touch {marker}')", str(path), "exec")
    import marshal

    for flags, source_hash in [(0b11, b"\0" * 8), (0b01, b"\0" * 8), (0, os.urandom(8))]:
        pyc.write_bytes(importlib.util.MAGIC_NUMBER + flags.to_bytes(4, "little") + source_hash
                        + marshal.dumps(evil))
        fresh()
        assert _rhs(compile_model(model, cache_dir=tmp_path)) == -0.5
        assert not marker.exists()
    assert pyc.read_bytes()[8:16] == importlib.util.source_hash(path.read_bytes())  # rewritten
