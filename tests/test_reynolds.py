"""Reynolds et al. 2006 reduced acute-inflammation model: the three published outcomes, an
independent scipy re-implementation and the unit check. Expected numbers: shared
docs/literature.md section 2.1 and "Reproduction protocols"."""

import numpy as np
import pytest
from scipy.integrate import solve_ivp

from neuroimmune import Bolus, Protocol, SolverOptions, compile_model, simulate
from neuroimmune._unitcheck import check_units
from neuroimmune.model.library.damage import damage

TIGHT = SolverOptions(rtol=1e-10, atol=1e-12)
T = np.linspace(0.0, 500.0, 1001)
ORDER = ("pathogen", "phagocytes", "damage", "anti_inflammation")


@pytest.fixture(scope="module")
def damage_system():
    return compile_model(damage())


def _run(system, events=(), params=None, method="dopri5"):
    options = SolverOptions(method=method, rtol=TIGHT.rtol, atol=TIGHT.atol)
    ds = simulate(system, Protocol(list(events)), T, params=params, options=options)
    assert (ds["status"] == 0).all(), ds["status_message"].values
    return ds


def _at(ds, name, time):
    return float(ds.ni.value_at(name, time)[0])


def test_module_shape_and_units():
    m = damage()
    assert m.name == "damage"
    assert m.species_names == ORDER
    assert [s.initial for s in m.species] == [1.0, 0.0, 0.0, 0.125]
    assert all(p.name.startswith("rey_") for p in m.parameters)
    assert all(p.source for p in m.parameters)
    assert m.citation and m.description
    check_units(m)  # raises UnitError on any inconsistent rate law


@pytest.mark.parametrize("method", ["dopri5", "rodas4"])
def test_healthy_outcome(damage_system, method):
    ds = _run(damage_system, method=method)
    assert _at(ds, "pathogen", 24.0) < 1e-6  # cleared within a day
    # the damage transient: its peak is that of the independent scipy solution below (written
    # from the equations of literature.md section 2.1, which quotes it as "peak ~3.3")
    ref = solve_ivp(_reynolds_rhs, (0.0, 500.0), [1.0, 0.0, 0.0, 0.125], t_eval=T,
                    args=(HEALTHY,), method="LSODA", rtol=1e-10, atol=1e-12)
    assert float(ds["damage"].values[0].max()) == pytest.approx(ref.y[2].max(), rel=1e-5)
    assert float(ds.ni.peak("damage")[0]) > 3.0
    assert _at(ds, "damage", 500.0) < 1e-3  # damage repaired
    assert _at(ds, "phagocytes", 500.0) < 1e-3
    assert _at(ds, "anti_inflammation", 500.0) == pytest.approx(0.14, abs=0.005)


def test_septic_death_with_fast_pathogen_growth(damage_system):
    ds = _run(damage_system, params={"rey_kpg": 0.6})
    assert _at(ds, "pathogen", 500.0) == pytest.approx(4.9, abs=0.05)  # persists
    assert _at(ds, "damage", 500.0) == pytest.approx(17.5, abs=0.05)


def test_aseptic_death_with_large_inoculum(damage_system):
    ds = _run(damage_system, [Bolus("pathogen", 3.0, 0.0)])  # P0 = 1 + 3 = 4
    assert _at(ds, "pathogen", 0.0) == pytest.approx(4.0)
    assert _at(ds, "pathogen", 500.0) < 1e-6  # cleared ...
    assert _at(ds, "damage", 500.0) == pytest.approx(17.4, abs=0.05)  # ... but damage persists


# Written from the equations and the "HealthyOutcome" table in literature.md section 2.1, not
# from the module or the generated code.
HEALTHY = dict(k_pg=0.3, p_inf=20.0, k_pm=0.6, s_m=0.005, mu_m=0.002, k_mp=0.01, k_pn=1.8,
               k_np=0.1, k_nn=0.01, k_nd=0.02, s_nr=0.08, mu_nr=0.12, mu_n=0.05, k_dn=0.35,
               x_dn=0.06, mu_d=0.02, c_inf=0.28, s_c=0.0125, k_cn=0.04, k_cnd=48.0, mu_c=0.1)


def _reynolds_rhs(t, y, k):
    P, Ns, D, CA = y

    def f(x):
        return x / (1.0 + (CA / k["c_inf"]) ** 2)

    R = f(k["k_nn"] * Ns + k["k_np"] * P + k["k_nd"] * D)
    fN = f(Ns)
    fs = fN**6 / (k["x_dn"] ** 6 + fN**6)
    g = f(Ns + k["k_cnd"] * D)
    return [
        k["k_pg"] * P * (1 - P / k["p_inf"])
        - k["k_pm"] * k["s_m"] * P / (k["mu_m"] + k["k_mp"] * P) - k["k_pn"] * fN * P,
        k["s_nr"] * R / (k["mu_nr"] + R) - k["mu_n"] * Ns,
        k["k_dn"] * fs - k["mu_d"] * D,
        k["s_c"] + k["k_cn"] * g / (1 + g) - k["mu_c"] * CA,
    ]


@pytest.mark.parametrize("method", ["dopri5", "rodas4"])
def test_matches_independent_scipy_solution(damage_system, method):
    ref = solve_ivp(_reynolds_rhs, (0.0, 500.0), [1.0, 0.0, 0.0, 0.125], t_eval=T,
                    args=(HEALTHY,), method="LSODA", rtol=1e-10, atol=1e-12)
    assert ref.success
    ds = _run(damage_system, method=method)
    for k, name in enumerate(ORDER):
        ours, theirs = ds[name].values[0], ref.y[k]
        # 1e-6 relative, with an absolute floor of 1e-6 of the peak where a species decays to 0
        np.testing.assert_allclose(ours, theirs, rtol=1e-6, atol=1e-6 * np.abs(theirs).max(),
                                   err_msg=name)
