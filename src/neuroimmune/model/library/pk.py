"""Generic drug pharmacokinetics: one compartment with optional first-order oral absorption."""

from __future__ import annotations

from ..core import Module, Observable, Parameter, Species, sym


def one_compartment_drug(name: str, *, ka: float, ke: float, volume: float, source: str,
                         amount_unit: str = "mg", volume_unit: str = "L",
                         concentration_unit: str = "mg/L", bioavailability: float = 1.0) -> Module:
    """Species `<name>_gut` and `<name>_central` (amounts) and the observable `<name>`
    (plasma concentration). Dose it with ``protocol.DrugDose(name, ...)``.

    ka, ke in 1/h; volume in `volume_unit`; `source` cites where the values come from.
    """
    gut, central = sym(f"{name}_gut"), sym(f"{name}_central")
    kap, kep, vp, fp = (sym(f"{name}_{x}") for x in ("ka", "ke", "V", "F"))
    params = (
        Parameter(f"{name}_ka", ka, "1/h", source, description="oral absorption rate"),
        Parameter(f"{name}_ke", ke, "1/h", source, description="elimination rate"),
        Parameter(f"{name}_V", volume, volume_unit, source, description="volume of distribution"),
        Parameter(f"{name}_F", bioavailability, "1", source, bounds=(0.0, 1.0),
                  description="oral bioavailability"),
    )
    species = (
        Species(f"{name}_gut", amount_unit, 0.0, f"{name} in the gut (oral doses)"),
        Species(f"{name}_central", amount_unit, 0.0, f"{name} in the central compartment"),
    )
    rates = {f"{name}_gut": -kap * gut,
             f"{name}_central": fp * kap * gut - kep * central}
    obs = (Observable(name, concentration_unit, central / vp, f"plasma {name} concentration"),)
    return Module(f"pk_{name}", species, params, rates, observables=obs,
                  description=f"one-compartment pharmacokinetics of {name}", citation=source)
