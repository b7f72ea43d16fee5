"""compile_model(model) -> System: sympy rate laws to cached numba kernels.

The generated source of the model kernels (neuroimmune._codegen) is written to an on-disk cache
keyed by a hash of the model, so a second process imports it and numba loads the machine code
from its own cache instead of recompiling. The solver is one module for every model,
``ni_solver_<key>.py`` (the templates of neuroimmune.solvers, keyed by their source), which the
model kernels reach through function values (docs/design/0040-shared-solver.md). The symbolic
Jacobian and the implicit solver's `derived` are a third module, generated and compiled on a
model's first implicit (Rodas4) run (``kernels.jacobian_kernels()``; docs/design/0041-lazy-
jacobian.md). The math helpers those modules call (powers, sine and cosine, exp and pow) are one
more shared module, ``ni_helpers_<key>.py``, which each of them imports (docs/design/0045).

Next to each cached file ``ni_<key>.py`` (and ``ni_solver_<key>.py``) a record
``ni_<key>.sha256`` holds its sha256 and the full key; a file whose record is missing or
disagrees (edited, truncated, written for another model or by an older version) is never
executed: it is regenerated, with a warning, or refused with a ModelError where the folder is not
writable. What is executed is the verified bytes themselves (no second read), with a checked
hash-based ``.pyc`` (PEP 552) as bytecode cache.

``cached_system(recipe, build)`` is the warm start (docs/design/0028-warm-start.md): the System
of the model `build()` makes, from a plain-data description recorded under the recipe on the
first run, so that a later process needs neither sympy nor pint to rebuild the model; the model
itself is built only if someone asks for ``System.model``.
"""

from __future__ import annotations

import hashlib
import importlib.util
import marshal
import os
import re
import sys
import threading
import time
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType, ModuleType
from typing import TYPE_CHECKING, Any, Callable, Mapping

import numpy as np

from . import _warm
from .atomic import atomic_write_bytes
from .errors import ModelError, problem

if TYPE_CHECKING:
    from .model.core import Module

_LOADED: dict[str, ModuleType] = {}


@dataclass(frozen=True, eq=False)
class System:
    """A compiled model: names, units, defaults and the numba kernels. Immutable.

    ``model`` is the symbolic Module; a System from a cached description (cached_system) builds
    it on first access (then sympy is imported) and checks that it is the model the kernels were
    generated for."""

    key: str
    states: tuple[str, ...]
    state_units: tuple[str, ...]
    parameters: tuple[str, ...]
    parameter_units: tuple[str, ...]
    signals: tuple[str, ...]
    signal_units: tuple[str, ...]
    observables: tuple[str, ...]
    observable_units: tuple[str, ...]
    y0: np.ndarray
    p0: np.ndarray
    signal_defaults: np.ndarray
    nonnegative: np.ndarray
    kernels: ModuleType
    source_path: Path
    #: the model's name and citation, and the description of each state and observable
    name: str = ""
    citation: str = ""
    descriptions: Mapping[str, str] = field(default_factory=dict, repr=False)
    #: the Module, or None until built by `build` (a System from a cached description)
    built: "Module | None" = field(default=None, repr=False)
    build: "Callable[[], Module] | None" = field(default=None, repr=False)

    @property
    def model(self) -> "Module":
        """The symbolic model (built on first access for a System from a cached description)."""
        if self.built is not None:
            return self.built
        if self.build is None:
            raise ModelError(problem("System.model", "a System made by compile_model or "
                                     "cached_system", "a System without its model",
                                     "compile the model with compile_model"))
        model = self.build()
        if model_key(model) != self.key or not _same(_model_fields(model), self):
            raise ModelError(problem(
                "System.model", f"the model this System describes (kernel key "
                f"{self.key[:24]}, its names, units and defaults)",
                "another model (a stale cached description)",
                f"delete {_warm.cache_dir() / 'warm'} (it is rebuilt on the next run) and "
                "report it: the description's key should have changed with the model"))
        object.__setattr__(self, "built", model)
        return model

    @property
    def n_states(self) -> int:
        return len(self.states)

    @property
    def outputs(self) -> tuple[str, ...]:
        return self.states + self.observables

    @property
    def output_units(self) -> tuple[str, ...]:
        return self.state_units + self.observable_units

    def state_index(self, name: str) -> int:
        try:
            return self.states.index(name)
        except ValueError:
            raise ModelError(problem("species name", f"one of {list(self.states)}", name,
                                     "check the spelling (see `neuroimmune model`)")) from None

    def signal_index(self, name: str) -> int:
        try:
            return self.signals.index(name)
        except ValueError:
            raise ModelError(problem("signal name", f"one of {list(self.signals)}", name,
                                     "use a signal the model consumes (see `neuroimmune model`)")
                             ) from None


def _same(fields: dict[str, Any], system: System) -> bool:
    """Whether a model's `fields` (_model_fields) are those of `system`, bitwise; y0 and p0 not
    compared (a System may carry other defaults than its model's: dataclasses.replace, twins)."""
    return all(np.array_equal(v, getattr(system, k)) if isinstance(v, np.ndarray)
               else v == getattr(system, k) for k, v in fields.items() if k not in ("y0", "p0"))


def default_cache_dir() -> Path:
    return _warm.cache_dir()


def model_key(model: Module, jacobian: bool = True) -> str:
    """Hash of everything the generated code depends on."""
    from ._codegen import model_key as key

    return key(model, jacobian)


def compile_model(model: Module, *, cache_dir: str | Path | None = None,
                  unit_check: bool = True, jacobian: bool = True) -> System:
    """Compile a model (a Module, usually from compose()) to a System. Pure: the same model gives
    the same kernels; the only side effect is the on-disk kernel cache. `unit_check=False` and
    `jacobian=False` are for a model derived mechanically from a checked one (forward
    sensitivities, `compile_sensitivities`): its derivative terms have shapes the rate-law unit
    checker does not parse, and its symbolic Jacobian (second derivatives) would take minutes to
    generate; such a System runs on the explicit solver only."""
    from .model.core import Module

    if not isinstance(model, Module):
        raise ModelError(problem("compile_model(model)", "a Module (see neuroimmune.model)",
                                 type(model).__name__, "build the model with compose(...)"))
    return _compiled(model, model, model_key(model, jacobian), cache_dir, unit_check, jacobian)


def _compiled(model: Module, source: Module | Callable[[], tuple[Module, int]], key: str,
              cache_dir: str | Path | None, unit_check: bool, jacobian: bool) -> System:
    """The System of `model` (names, units, defaults) with the kernels of `source` (the same
    model, or a function building it and the number of error-controlled states, called only
    when the kernels must be generated)."""
    cache = Path(cache_dir) if cache_dir is not None else default_cache_dir()
    path = cache / f"ni_{key[:24]}.py"
    if key not in _LOADED:
        _LOADED[key] = _kernels(_load(lambda: _generate(source, unit_check, jacobian), key,
                                      cache, path), cache, key, source, jacobian)
    return System(key=key, **_model_fields(model), kernels=_LOADED[key], source_path=path,
                  built=model)


def _model_fields(model: Module) -> dict[str, Any]:
    """What a System holds of its model besides the kernels."""
    free = [p for p in model.parameters if not p.constant]
    descriptions = {s.name: s.description for s in model.species}
    descriptions.update({o.name: o.description for o in model.observables})
    return dict(
        states=model.species_names,
        state_units=tuple(s.unit for s in model.species),
        parameters=tuple(p.name for p in free),
        parameter_units=tuple(p.unit for p in free),
        signals=tuple(i.name for i in model.inputs),
        signal_units=tuple(i.unit for i in model.inputs),
        observables=tuple(o.name for o in model.observables),
        observable_units=tuple(o.unit for o in model.observables),
        y0=np.array([s.initial for s in model.species], dtype=float),
        p0=np.array([p.value for p in free], dtype=float),
        signal_defaults=np.array([i.default for i in model.inputs], dtype=float),
        nonnegative=np.array([s.nonnegative for s in model.species], dtype=bool),
        name=model.name,
        citation=model.citation,
        descriptions=MappingProxyType(descriptions),
    )


# -- the warm start: a System from its cached description -----------------------------------------
_NAMES = ("states", "state_units", "parameters", "parameter_units", "signals", "signal_units",
          "observables", "observable_units")
_ARRAYS = {"y0": ("states", float), "p0": ("parameters", float),
           "signal_defaults": ("signals", float), "nonnegative": ("states", bool)}


def cached_system(recipe: str, build: Callable[[], Module], *,
                  cache_dir: str | Path | None = None) -> System:
    """The System of `build()` (compile_model's, with the default options), found by `recipe`:
    a text that, with the environment digest (every file of the package, the Python and
    dependency versions; neuroimmune._warm), determines the model. The first call builds and
    compiles the model and records a plain-data description of the System; a later process
    with the same recipe reads it and loads the cached kernels without building the model
    (no sympy, no pint). A missing, unreadable or foreign description, or kernels no longer in
    the cache, fall back to building the model (and the description is rewritten)."""
    cache = Path(cache_dir) if cache_dir is not None else default_cache_dir()
    key = _warm.key("system", recipe)
    found = _from_description(_warm.read("system", key, cache), build, cache)
    if found is not None:
        return found
    system = compile_model(build(), cache_dir=cache)
    _warm.write("system", key, _description(system), cache)
    return system


def _description(system: System) -> dict[str, Any]:
    out: dict[str, Any] = {name: list(getattr(system, name)) for name in _NAMES}
    out.update({name: getattr(system, name).tolist() for name in _ARRAYS})
    out.update(key=system.key, name=system.name, citation=system.citation,
               descriptions=dict(system.descriptions))
    return out


def _from_description(desc: Any, build: Callable[[], Module], cache: Path) -> System | None:
    """The System a description stands for, or None when it is not a valid description or its
    kernels are not in the cache."""
    if not isinstance(desc, dict):
        return None
    try:
        names = {n: tuple(desc[n]) for n in _NAMES}
        arrays = {n: np.array(desc[n], dtype=t) for n, (_, t) in _ARRAYS.items()}
        key, name, citation = desc["key"], desc["name"], desc["citation"]
        descriptions = dict(desc["descriptions"])
    except (KeyError, TypeError, ValueError):
        return None
    texts = [x for group in names.values() for x in group] + [name, citation]
    texts += [x for kv in descriptions.items() for x in kv]
    if (not all(isinstance(x, str) for x in texts) or not isinstance(key, str)
            or not re.fullmatch(r"[0-9a-f]{64}", key)
            or any(a.ndim != 1 or len(a) != len(names[_ARRAYS[n][0]]) for n, a in arrays.items())
            or any(len(names[n]) != len(names[u]) for n, u in zip(_NAMES[::2], _NAMES[1::2]))
            or any(type(v) is not (float if t is float else bool)
                   for n, (_, t) in _ARRAYS.items() for v in desc[n])):
        return None
    path = cache / f"ni_{key[:24]}.py"
    if key not in _LOADED:
        if not path.is_file():
            return None

        def source():  # only if the kernel file fails its check and must be regenerated
            model = build()
            if model_key(model) != key:
                raise ModelError(problem("cached System description", f"kernel key {key[:24]}",
                                         model_key(model)[:24], f"delete {cache / 'warm'}"))
            return model, None

        _LOADED[key] = _kernels(_load(lambda: _generate(source), key, cache, path), cache, key,
                                source, True)
    fields: dict[str, Any] = {**names, **arrays}
    return System(key=key, **fields, kernels=_LOADED[key], source_path=path,
                  name=name, citation=citation, descriptions=MappingProxyType(descriptions),
                  build=build)


# -- the on-disk cache ----------------------------------------------------------------------------
#: The integrity record next to a cached kernel file ``ni_<key>.py``: ``ni_<key>.sha256``.
_RECORD = "sha256 {digest}\nmodel key {key}\n"
_RECORD_RE = re.compile(rb"sha256 ([0-9a-f]{64})\nmodel key ([0-9a-f]{64})\n")
_PYC_CHECKED_HASH = 0b11  # PEP 552 flags: hash-based pyc, checked against the source


def _kernels(module: ModuleType, cache: Path, key: str,
             source: Module | Callable[[], tuple[Module, int | None]], jacobian: bool
             ) -> ModuleType:
    """A model's kernel module with its entry points into the shared solver and
    ``jacobian_kernels()``, the implicit solver's kernels (generated on first use)."""
    from .solvers.entries import bind

    def jacobian_kernels() -> ModuleType:
        jkey = hashlib.sha256(f"{key}|Jacobian module".encode()).hexdigest()
        if jkey not in _LOADED:
            _LOADED[jkey] = _load(lambda: _generate_jacobian(source, jacobian), jkey, cache,
                                  cache / f"ni_{jkey[:24]}.py", "jacobian")
        return _LOADED[jkey]

    module.jacobian_kernels = jacobian_kernels  # type: ignore[attr-defined]
    bind(module, lambda: solver_module(cache))
    return module


def solver_module(cache: str | Path | None = None) -> ModuleType:
    """The solver module shared by every model (``ni_solver_<key>.py`` in the kernel cache)."""
    from .solvers import solver_key, solver_source

    key = solver_key()
    if key not in _LOADED:
        cache = Path(cache) if cache is not None else default_cache_dir()
        _LOADED[key] = _load(lambda: solver_source().encode(), key, cache,
                             cache / f"ni_solver_{key[:24]}.py", "solver")
    return _LOADED[key]


#: The import line of the math helpers in a kernel module, with their full key
#: (neuroimmune._mathsrc._helper_import).
_HELPERS_RE = re.compile(rb"^from neuroimmune_helpers_[0-9a-f]{24} import [^\n]*"
                         rb"  # helpers ([0-9a-f]{64})$", re.M)
#: Loading the helpers module, and executing a kernel module that imports it, one thread at a
#: time (the import reads sys.modules, which holds a module from the start of its execution).
_HELPERS_LOCK = threading.RLock()


def helpers_module(cache: str | Path | None = None, key: str | None = None,
                   kernel: Path | None = None) -> ModuleType:
    """The math helpers every kernel module imports (``ni_helpers_<key>.py`` in the kernel
    cache): compiled once per cache folder, not once per model (docs/design/0045). `key`: the
    one a kernel module's import line names (default: this neuroimmune's); `kernel`: that
    module's file, for the error when this neuroimmune would generate other helpers. Neither
    loading nor (re)writing the file imports sympy or the code generator."""
    from ._mathsrc import helpers_key, helpers_source

    cache = Path(cache) if cache is not None else default_cache_dir()
    key = helpers_key() if key is None else key
    path = cache / f"ni_helpers_{key[:24]}.py"

    def generate() -> bytes:
        if helpers_key() != key:  # a kernel file from another build of neuroimmune
            raise ModelError(problem(
                f"cached kernel module {kernel or '(unknown)'}", f"the math helpers it was "
                f"generated with, ni_helpers_{key[:24]}.py in {cache}", "a folder without that "
                f"file; this neuroimmune makes ni_helpers_{helpers_key()[:24]}.py", "delete "
                "the kernel module and its .sha256 record (both are regenerated on the next "
                "run)"))
        return helpers_source().encode()

    with _HELPERS_LOCK:
        if key not in _LOADED:
            _LOADED[key] = _load(generate, key, cache, path, "helpers")
        elif not path.is_file() and _writable(cache, path):
            # loaded from another cache folder in this process: this folder's kernel modules
            # import it too, in later processes
            _write_source(generate, key, cache, path, None)
        return _LOADED[key]


def _exec_kernels(path: Path, name: str, data: bytes, cache: Path) -> ModuleType:
    """`_exec_source`, after loading the helpers module the source imports (if it does) and
    making it the one its import finds."""
    found = _HELPERS_RE.search(data)
    if found is None:
        return _exec_source(path, name, data)
    with _HELPERS_LOCK:
        helpers = helpers_module(cache, found.group(1).decode(), path)
        sys.modules[helpers.__name__] = helpers
        return _exec_source(path, name, data)


def _load(generate: Callable[[], bytes], key: str, cache: Path, path: Path,
          kind: str = "kernels") -> ModuleType:
    """The module of `path`: the cached file if it verifies, else `generate()`d and written."""
    name = f"neuroimmune_{kind}_{key[:24]}"
    try:
        data: bytes | None = path.read_bytes()
    except FileNotFoundError:
        data = None
    if data is None:
        return _exec_kernels(path, name, _write_source(generate, key, cache, path, None), cache)
    found = _verify(data, _read_record(path), key)
    if found is None:
        return _exec_kernels(path, name, data, cache)

    def refusal(why: str) -> str:
        return problem(f"cached kernel source {path} ({why})",
                       f"the file neuroimmune generated for model key {key}, with sha256 and "
                       f"model key recorded in {path.with_suffix('.sha256').name}", found,
                       "delete the file, or have the folder's owner delete it (it is regenerated "
                       "on the next run), or point NEUROIMMUNE_CACHE_DIR at a folder you own")

    if not _writable(cache, path):
        raise ModelError(refusal("not executed; not regenerated: the folder is not writable by "
                                 "this process"))
    warnings.warn(f"neuroimmune: the cached kernel source {path} was not executed: it is "
                  f"{found}; regenerating it. If this recurs, something else writes to {cache}: "
                  "use a kernel cache folder only you can write (the default is per user; "
                  "docs/scale.md)", RuntimeWarning, stacklevel=3)
    try:
        data = _write_source(generate, key, cache, path, data)
    except OSError as exc:
        raise ModelError(refusal(f"not executed; regenerating it failed: {exc}")) from exc
    return _exec_kernels(path, name, data, cache)


def _read_record(path: Path) -> bytes | None:
    try:
        return path.with_suffix(".sha256").read_bytes()
    except FileNotFoundError:
        return None


def _verify(data: bytes, record: bytes | None, key: str) -> str | None:
    """None when `data` is the intact file for `key` according to its `record`; else what was
    found instead."""
    match = None if record is None else _RECORD_RE.fullmatch(record)
    if match is None:
        return ("a file without a valid integrity record (written by an older neuroimmune, or "
                "not by neuroimmune)")
    recorded, recorded_key = (g.decode() for g in match.groups())
    if recorded_key != key:
        return f"a file recorded for another model (key {recorded_key})"
    digest = hashlib.sha256(data).hexdigest()
    if digest != recorded:
        return (f"a file whose content has sha256 {digest}, not the recorded {recorded} "
                f"(edited or truncated: {len(data)} bytes)")
    return None


def _writable(cache: Path, path: Path) -> bool:
    """Whether this process may replace `path` and its record in `cache` (the atomic writer
    refuses a read-only file)."""
    return os.access(cache, os.W_OK | os.X_OK) and all(
        not f.exists() or os.access(f, os.W_OK) for f in (path, path.with_suffix(".sha256")))


def _generate(model: Module | Callable[[], tuple[Module, int | None]], unit_check: bool = True,
              jacobian: bool = True) -> bytes:
    """The kernel source of `model` (or of the model and number of error-controlled states that
    `model()` gives)."""
    from ._codegen import generate_source
    from ._unitcheck import check_units
    from .model.core import Module

    controlled = None
    if not isinstance(model, Module):
        model, controlled = model()
    if unit_check:
        check_units(model)
    return generate_source(model, jacobian, controlled).encode()


def _generate_jacobian(model: Module | Callable[[], tuple[Module, int | None]],
                       jacobian: bool) -> bytes:
    """The source of the Jacobian module of `model` (or of the model `model()` gives)."""
    from ._codegen import generate_jacobian_source
    from .model.core import Module

    if not isinstance(model, Module):
        model, _ = model()
    return generate_jacobian_source(model, jacobian).encode()


def _write_source(generate: Callable[[], bytes], key: str, cache: Path, path: Path,
                  found: bytes | None) -> bytes:
    """Generate the source, write it and then its integrity record (each atomically: concurrent
    compilers each replace them whole) and return the bytes written.

    When the file `found` there had other content, numba's cache files of that name are removed
    first: they were compiled from (or planted next to) that content, and numba unpickles its
    index before it checks its freshness (numba keys the index by a hash of the source file, so
    it would not use them for the new content). When the content is the same (a cache written
    before the record existed), numba's cache stays valid and is kept."""
    data = generate()
    cache.mkdir(parents=True, exist_ok=True)
    pycache = cache / "__pycache__"
    if found is not None and found != data and pycache.is_dir():
        for stale in pycache.glob(f"{path.stem}.*"):
            try:
                stale.unlink()
            except OSError:  # gone already, or in use (Windows): numba's content stamp applies
                pass
    atomic_write_bytes(path, data)
    atomic_write_bytes(path.with_suffix(".sha256"),
                       _RECORD.format(digest=hashlib.sha256(data).hexdigest(), key=key).encode())
    return data


def _exec_source(path: Path, name: str, data: bytes) -> ModuleType:
    """Import the module `name` from the verified bytes `data` of `path` (not from a second
    read of the file, which could differ)."""
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None and spec.loader is not None  # a .py file path always has both
    module = importlib.util.module_from_spec(spec)
    code = _bytecode(path, data)
    sys.modules[name] = module
    exec(code, module.__dict__)
    return module


def _bytecode(path: Path, data: bytes):
    """The code object of `data`: from a checked hash-based .pyc (PEP 552) whose recorded hash
    is that of `data`, else compiled (and the .pyc written where the folder allows)."""
    source_hash = importlib.util.source_hash(data)
    try:
        pyc: Path | None = Path(importlib.util.cache_from_source(str(path)))
    except NotImplementedError:  # no cache tag on this interpreter
        pyc = None
    if pyc is not None:
        try:
            raw = pyc.read_bytes()
            if (raw[:4] == importlib.util.MAGIC_NUMBER
                    and int.from_bytes(raw[4:8], "little") == _PYC_CHECKED_HASH
                    and raw[8:16] == source_hash):
                return marshal.loads(raw[16:])
        except (OSError, EOFError, ValueError, TypeError):
            pass
    code = compile(data, str(path), "exec", dont_inherit=True)
    if pyc is not None and not sys.dont_write_bytecode:
        try:
            pyc.parent.mkdir(parents=True, exist_ok=True)
            atomic_write_bytes(pyc, importlib.util.MAGIC_NUMBER
                               + _PYC_CHECKED_HASH.to_bytes(4, "little") + source_hash
                               + marshal.dumps(code))
        except OSError:  # a read-only cache folder: compile again next time
            pass
    return code


def compile_sensitivities(model: Module, parameters, *, cache_dir: str | Path | None = None
                          ) -> System:
    """The model with forward sensitivities to `parameters` (model.sensitivity), compiled: its
    outputs include d_<variable>__d_<parameter> for every state and observable. Explicit solver
    only (no symbolic Jacobian); the step size is controlled on the model's own states, the
    sensitivities follow on the same steps (as CVODES with errconS off)."""
    from ._codegen import _GENERATOR_VERSION
    from .model.sensitivity import sensitivity_model, sensitivity_names, sensitivity_shell

    names = sensitivity_names(model, parameters)
    # keyed by the base model and the names: a cached system skips the symbolic derivation
    key = hashlib.sha256(f"{model_key(model)}|sensitivities (controlled states)|"
                         f"{','.join(names)}|"
                         f"{_GENERATOR_VERSION}".encode()).hexdigest()
    n = len(model.species)
    return _compiled(sensitivity_shell(model, names),
                     lambda: (sensitivity_model(model, names), n), key, cache_dir, False, False)


def compile_timed(model: Module, **kwargs) -> tuple[System, float]:
    """compile_model plus the wall time it took (used by the README's measurement command)."""
    t0 = time.perf_counter()
    system = compile_model(model, **kwargs)
    return system, time.perf_counter() - t0


#: Names of the code generator (neuroimmune._codegen) that this module has always offered.
_CODEGEN = ("generate_source", "generate_jacobian_source", "LANES", "_GENERATOR_VERSION",
            "_MAX_INT_POWER", "_KernelPrinter", "_LanePrinter", "_hoist", "_cse_block",
            "_loaded_once")
#: ... and of the helpers' source (neuroimmune._mathsrc; in _codegen before docs/design/0045).
_MATHSRC = ("_helpers", "_trig_helpers", "_MAX_EXACT_DIVISOR", "_PIO2", "_TWO_OVER_PI")


def __getattr__(name: str):
    if name in _MATHSRC:
        from . import _mathsrc

        return getattr(_mathsrc, name)
    if name in _CODEGEN:  # sympy is imported with the generator, on first use
        from . import _codegen

        return getattr(_codegen, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
