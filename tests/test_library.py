"""Each library module reproduces its published source; couplings act in the physiological
direction. Expected numbers: shared docs/literature.md, "Reproduction protocols"."""

import numpy as np
import pytest

from neuroimmune import Infusion, Protocol, SolverOptions, Stressor, lps_bolus, simulate, solve

TIGHT = SolverOptions(rtol=1e-9, atol=1e-10)


@pytest.mark.parametrize("method", ["dopri5", "rodas4"])
def test_windoloski_2024_bolus_fit_is_reproduced(innate_system, method):
    t = np.arange(0, 12.0001, 0.005)
    ds = simulate(innate_system, Protocol([lps_bolus("2 ng/kg")]), t,
                  options=SolverOptions(method=method, rtol=1e-9, atol=1e-10))
    expected = {"TNF": (365.7, 1.71), "IL6": (749.0, 2.05), "IL8": (747.0, 2.12),
                "IL10": (42.2, 2.56)}
    for name, (peak, when) in expected.items():
        assert float(ds.ni.peak(name)[0]) == pytest.approx(peak, rel=2e-3), name
        assert float(ds.ni.time_to_peak(name)[0]) == pytest.approx(when, abs=0.015), name


def test_bangsgaard_ottesen_2017_control_subject_is_reproduced(hpa_system):
    t = np.arange(0, 120.0001, 1 / 60)
    ds = simulate(hpa_system, Protocol([], clock_start=0.0), t, options=TIGHT)
    day5 = ds.sel(time=slice(96, 120))
    acth, cort = day5["ACTH"][0], day5["cortisol"][0]
    clock = day5["clock"].values
    assert float(acth.min()) == pytest.approx(6.4, abs=0.05)
    assert float(acth.max()) == pytest.approx(22.6, abs=0.05)
    assert float(cort.min()) == pytest.approx(0.89, abs=0.01)
    assert float(cort.max()) == pytest.approx(8.22, abs=0.02)
    assert float(cort.mean()) == pytest.approx(3.27, abs=0.02)
    assert clock[int(np.argmax(acth.values))] == pytest.approx(6 + 56 / 60, abs=0.05)
    assert clock[int(np.argmin(acth.values))] == pytest.approx(1 + 36 / 60, abs=0.05)
    assert clock[int(np.argmax(cort.values))] == pytest.approx(7 + 27 / 60, abs=0.05)
    assert clock[int(np.argmin(cort.values))] == pytest.approx(2 + 2 / 60, abs=0.05)


DAYS = 120


def _lps(system, extra=(), clock="08:00", days=DAYS, t_end=12.0, params=None):
    t = np.arange(0, t_end + 1e-9, 0.02)
    protocol = Protocol([lps_bolus("2 ng/kg"), *extra], clock_start=clock,
                        preequilibrate_days=days)
    return simulate(system, protocol, t, params=params)


def test_lps_in_the_coupled_model_tnf_then_cortisol(coupled_system):
    ds = _lps(coupled_system)
    assert (ds["status"] == 0).all()
    t_tnf = float(ds.ni.time_to_peak("TNF")[0])
    t_cort = float(ds.ni.time_to_peak("cortisol")[0])
    assert 1.0 <= t_tnf <= 2.5
    assert t_cort > t_tnf
    base = ds.ni.value_at("ACTH", 0.0)
    assert float(ds.ni.peak("ACTH")[0] / base[0]) > 1.5


@pytest.mark.xfail(strict=True, reason="in-vitro free-cortisol potencies (Waage 1988/1990) leave "
                   "a cortisol infusion nearly inert on TNF (ratio ~0.98): validation T28, "
                   "docs/design/0016-glucocorticoid-immune-arm.md")
def test_cortisol_coupling_direction(coupled_system):
    """Extra cortisol (a hydrocortisone-like infusion into plasma cortisol) lowers TNF, IL-6 and
    IL-8 and shifts the balance towards IL-10 (Barber 1993; van der Poll 1996), more so at a
    higher dose."""
    ctrl = _lps(coupled_system)
    low = _lps(coupled_system, extra=[Infusion("cortisol", "40 ug/dL/h", 0.0, 6.0)])
    high = _lps(coupled_system, extra=[Infusion("cortisol", "200 ug/dL/h", 0.0, 6.0)])

    def ratio(ds, name):
        return float(ds.ni.peak(name)[0]) / float(ctrl.ni.peak(name)[0])

    for name in ("TNF", "IL6", "IL8"):
        assert ratio(high, name) < ratio(low, name) < 0.8, name
    assert ratio(low, "IL10") / ratio(low, "TNF") > 1.2


def test_tnf_drives_the_hpa_axis_and_removing_the_link_removes_it(coupled_system):
    with_link = _lps(coupled_system)
    unlinked = {"s_TNF_CRH": 1e-12}
    no_link = _lps(coupled_system, params=unlinked)
    rest = Protocol([], clock_start="08:00", preequilibrate_days=DAYS)
    t = with_link["time"].values
    at_rest = simulate(coupled_system, rest, t)
    # direction only (its size, peak / pre-LPS value, is validation target T17)
    assert float(with_link.ni.peak("cortisol")[0]) > float(at_rest.ni.peak("cortisol")[0])
    unlinked_rest = simulate(coupled_system, rest, t, params=unlinked)
    np.testing.assert_allclose(no_link["cortisol"], unlinked_rest["cortisol"], rtol=1e-4)


def test_stressor_raises_acth_then_cortisol(coupled_system):
    t = np.arange(0, 3.0001, 1 / 60)
    protocol = Protocol([Stressor(0.5, "15 min", 1.0)], clock_start="13:30",
                        preequilibrate_days=DAYS)
    rest = Protocol([], clock_start="13:30", preequilibrate_days=DAYS)
    ds, base = simulate(coupled_system, protocol, t), simulate(coupled_system, rest, t)
    assert float(ds.ni.peak("ACTH")[0]) > float(base.ni.peak("ACTH")[0])   # direction only
    assert float(ds.ni.time_to_peak("cortisol")[0]) > float(ds.ni.time_to_peak("ACTH")[0]) > 0.5
    before = ds.sel(time=slice(0, 0.49))
    np.testing.assert_allclose(before["cortisol"], base.sel(time=slice(0, 0.49))["cortisol"],
                               rtol=1e-5)


def test_preequilibration_reaches_the_circadian_limit_cycle(hpa_system):
    t = np.array([0.0, 24.0])
    few = solve(hpa_system, None, Protocol([], clock_start=0.0, preequilibrate_days=5), t)
    assert not few.preequilibration_converged[0]  # the HPA limit cycle is approached slowly
    sol = solve(hpa_system, None, Protocol([], clock_start=0.0, preequilibrate_days=200), t)
    assert sol.preequilibration_converged[0]
    # on the limit cycle, the state 24 h later is the same
    np.testing.assert_allclose(sol.outputs[0, 0], sol.outputs[0, 1], rtol=1e-4)
    longer = solve(hpa_system, None, Protocol([], clock_start=0.0, preequilibrate_days=400), t,
                   options=SolverOptions(rtol=1e-8))
    np.testing.assert_allclose(sol.outputs, longer.outputs, rtol=1e-3)


def test_cortisol_reference_is_the_coupled_models_morning_level(coupled_system):
    """cortisol_ref is documented as the 08:00 cortisol of the coupled model at rest."""
    ds = simulate(coupled_system, Protocol([], clock_start="08:00", preequilibrate_days=DAYS),
                  np.array([0.0]))
    ref = coupled_system.model.parameter("cortisol_ref").value
    assert float(ds["cortisol"][0, 0]) == pytest.approx(ref, rel=0.02)


def test_monocyte_glucocorticoid_resistance_raises_production_at_every_cortisol_level():
    """A resistant monocyte (monocyte_GC_resistance 3) makes more TNF and IL-6 and no more IL-10
    than a healthy one below, at and above the reference cortisol; at 1 it is the healthy cell."""
    from neuroimmune.model.core import sym
    from neuroimmune.model.library import innate

    module = innate()
    values = {p.symbol: p.value for p in module.parameters}
    values.update({sym(i.name): i.default for i in module.inputs})
    values.update({sym("monocytes_activated"): 1000.0, sym("monocytes_resting"): 28200.0,
                   sym("LPS"): 1.0, sym("TNF"): 100.0, sym("IL6"): 100.0, sym("IL8"): 100.0,
                   sym("IL10"): 20.0,
                   sym("IL6_adrenergic"): 1.0})
    ref = module.parameter("cortisol_ref").value

    def rate(name, cortisol, resistance):
        v = {**values, sym("glucocorticoid"): cortisol, sym("monocyte_GC_resistance"): resistance}
        # the genomic GR signal at its steady state for this cortisol (its rate is linear in it)
        k = module.parameter("k_GC_genomic").value
        v[sym("GR_genomic")] = float(module.rates["GR_genomic"].subs({**v, sym("GR_genomic"): 0}))
        v[sym("GR_genomic")] /= k
        return float(module.rates[name].subs(v))

    for cortisol in (0.3 * ref, ref, 3.0 * ref):
        for name in ("TNF", "IL6"):
            assert rate(name, cortisol, 3.0) > rate(name, cortisol, 1.0), (name, cortisol)
        # IL-10 of activated monocytes is not glucocorticoid-inhibited (Visser 1998); GR raises
        # constitutive IL-10 (docs/design/0034-gc-il10.md), so resistance lowers it or leaves it
        assert rate("IL10", cortisol, 3.0) <= rate("IL10", cortisol, 1.0) + 1e-12, cortisol


def test_no_species_in_an_offset_unit_is_bounded_at_zero():
    """The solver rejects steps that take a non-negative species below 0. A Celsius temperature
    has no bound there (an offset unit): flagged, it made the full bench's patient with T_base
    drawn at 71 degC fail by step underflow when its fever set point fell through 0 degC, where
    libRoadRunner integrates on (docs/performance.md, twelfth session)."""
    from neuroimmune.model.library import EXTRA, STANDARD
    from neuroimmune.units import _registry

    ureg = _registry()
    offset = [s for m in (f() for f in STANDARD + EXTRA) for s in m.species
              if not ureg.Quantity(1.0, s.unit)._is_multiplicative]  # pint: degC, degF
    assert "temperature" in {s.name for s in offset}
    assert not [s.name for s in offset if s.nonnegative]
