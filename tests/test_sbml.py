"""SBML export: every trajectory is reproduced by an independent engine (libRoadRunner/CVODE)."""

import numpy as np
import pytest

roadrunner = pytest.importorskip("roadrunner")

from neuroimmune import (  # noqa: E402
    Protocol,
    SolverOptions,
    compose,
    hpa,
    innate,
    lps_bolus,
    one_compartment_drug,
    simulate,
)
from neuroimmune.io import to_sbml, write_sbml  # noqa: E402

TIGHT = SolverOptions(rtol=1e-10, atol=1e-12)


def _roadrunner(model, clock, t, names, **initial):
    rr = roadrunner.RoadRunner(to_sbml(model, clock_start=clock))
    rr.integrator.relative_tolerance = 1e-10
    rr.integrator.absolute_tolerance = 1e-12
    for k, v in initial.items():
        setattr(rr, k, v)
    return rr.simulate(float(t[0]), float(t[-1]), len(t), ["time", *names])


def _rel(a, b):
    return np.max(np.abs(a - b) / np.maximum(np.abs(b), 1e-3 * np.abs(b).max()))


def test_coupled_lps_model_agrees_with_roadrunner(coupled_system):
    t = np.linspace(0, 24, 97)
    names = ["TNF", "IL6", "IL10", "monocytes_activated", "CRH", "ACTH", "cortisol"]
    ref = _roadrunner(coupled_system.model, 8.0, t, names, LPS=2.0)
    ds = simulate(coupled_system, Protocol([lps_bolus(2.0)], clock_start=8.0), t, options=TIGHT)
    for k, name in enumerate(names):
        assert _rel(ds[name].values[0], ref[:, k + 1]) < 1e-6, name


def test_circadian_clock_across_midnight_agrees_with_roadrunner(hpa_system):
    t = np.linspace(0, 48, 193)
    ref = _roadrunner(hpa_system.model, 20.0, t, ["cortisol", "ACTH"])
    ds = simulate(hpa_system, Protocol([], clock_start=20.0), t, options=TIGHT)
    assert _rel(ds["cortisol"].values[0], ref[:, 1]) < 1e-6
    assert _rel(ds["ACTH"].values[0], ref[:, 2]) < 1e-6


def test_export_is_valid_sbml_with_sources_and_observables(tmp_path):
    import libsbml

    model = compose(innate(), hpa(),
                    one_compartment_drug("hc", ka=1.0, ke=0.5, volume=40.0, source="test"))
    path = write_sbml(model, tmp_path / "model.xml")
    doc = libsbml.readSBMLFromFile(str(path))
    assert doc.getNumErrors(libsbml.LIBSBML_SEV_ERROR) == 0
    assert (doc.getLevel(), doc.getVersion()) == (3, 2)
    m = doc.getModel()
    assert m.getNumSpecies() == len(model.species)
    assert m.getRateRule("TNF") is not None
    assert m.getAssignmentRule("hc") is not None  # the concentration observable
    assert "Windoloski" in m.getNotesString()
