import os
from pathlib import Path

import pytest

# Kernels compile once per checkout: a fresh clone (CI) compiles from scratch, reruns reuse them.
os.environ.setdefault("NEUROIMMUNE_CACHE_DIR",
                      str(Path(__file__).resolve().parents[1] / ".pytest_cache" / "kernels"))
# The error-format tests expect exactly one stderr line; on a loaded machine a command that
# compiles would also print plain progress lines (every 10 s). Tests of the progress lines set
# their own interval.
os.environ.setdefault("NEUROIMMUNE_PROGRESS_SECONDS", "3600")


@pytest.fixture(scope="session")
def innate_system():
    from neuroimmune import compile_model, innate

    return compile_model(innate())


@pytest.fixture(scope="session")
def hpa_system():
    from neuroimmune import compile_model, hpa

    return compile_model(hpa(adrenal="published"))  # the published module (paper checks)


@pytest.fixture(scope="session")
def coupled_system():
    from neuroimmune import compile_model, compose
    from neuroimmune.model.library import STANDARD

    return compile_model(compose(*(f() for f in STANDARD), name="standard"))


@pytest.fixture(scope="session")
def calibration_peak_sem():
    """Relative standard error of the mean LPS 2 ng/kg peak in the data the standard model is
    calibrated to: TNF, IL-6, IL-10 from the n = 20 individual peaks (Janum; Windoloski 2024),
    cortisol from Barber 1993 (29.6 +- 2.9 ug/dL, SE). A module that should leave the LPS
    response "nearly unchanged" may move each peak by less than this: less than those studies
    could resolve."""
    import numpy as np

    from neuroimmune.validation.datasets import load_dataset

    d = load_dataset("lps_bolus_2ngkg_n20_individual_windoloski2024")
    peaks = d.groupby("subject")[["TNF", "IL6", "IL10"]].max()
    rel = (peaks.std() / peaks.mean() / np.sqrt(len(peaks))).to_dict()
    b = load_dataset("lps_2ngkg_hormone_peaks_barber1993").set_index("variable")
    rel["cortisol"] = b.loc["cortisol", "peak_se"] / b.loc["cortisol", "peak_mean"]
    return rel


@pytest.fixture(scope="session")
def cold_innate(tmp_path_factory):
    """The innate model, the shared solver and the math helpers compiled in this process from an
    empty cache folder (new dispatchers; numba keeps their assembly), and what each kind of run
    compiled: first Dormand-Prince runs (one patient, then the lanes), then one Rodas4 run; and
    the digest of tests/cold_run.py's runs. The tests that read it are marked
    `xdist_group("cold_innate")`: one pytest-xdist worker runs them all (`--dist loadgroup`,
    pyproject.toml), so the cold compilation happens once per test run. The process's module
    registry (`compile._LOADED`) is restored afterwards; later lane runs on this system look the
    solver module up there again (the same code, maybe another cache folder's copy), so what
    was compiled is read from `solver`, kept here."""
    import importlib
    import types

    import numpy as np

    from cold_run import compiled_signatures, digest
    from neuroimmune import Protocol, SolverOptions, compile_model, innate, lps_bolus, solve
    from neuroimmune.analysis.bench import virtual_patients

    compile_module = importlib.import_module("neuroimmune.compile")
    cache = tmp_path_factory.mktemp("cold-innate")
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(compile_module, "_LOADED", {})
        system = compile_model(innate(), cache_dir=cache)
        k = system.kernels
        solver = k.shared_solver()
        protocol = Protocol([lps_bolus(2.0)], clock_start=8.0)
        t = np.linspace(0.0, 12.0, 13)
        for n in (1, 3, 2 * k.LANES + 3):  # the serial kernel, then the lanes on every thread
            solve(system, virtual_patients(system.p0, n, seed=n), protocol, t)
        dopri5 = {**compiled_signatures(k), **compiled_signatures(solver)}
        files_dopri5 = sorted(p.name for p in cache.glob("ni_*.py"))
        helpers = compiled_signatures(compile_module.helpers_module(cache))
        solve(system, system.p0, protocol, t, options=SolverOptions(method="rodas4"))
        rodas4 = {**compiled_signatures(solver),
                  **{f"jacobian.{n}": c for n, c in
                     compiled_signatures(k.jacobian_kernels()).items()}}
        files_rodas4 = sorted(p.name for p in cache.glob("ni_*.py"))
        runs = digest(system)
    return types.SimpleNamespace(system=system, cache=cache, solver=solver, dopri5=dopri5,
                                 files_dopri5=files_dopri5, helpers=helpers, rodas4=rodas4,
                                 files_rodas4=files_rodas4, digest=runs,
                                 mtime=system.source_path.stat().st_mtime)
