"""The numbers of docs/design/0039-monocyte-supply.md: the standard model (module defaults, 120-day
pre-equilibration, 08:00) with and without the marrow supply of monocytes.

    PYTHONPATH=src python benchmarks/monocyte_supply.py

Prints (1) the LPS 2 ng/kg peaks and the resting-pool deficit at 24 and 48 h, (2) days 5-10 of
Reynolds' septic infection (standard + tissue), (3) the 5-day repeated LPS (standard +
innate_extra, the lps-repeated-5d design): day-5 / day-1 peak rises, the in-sample tolerance
ratios (T53-T55) that were calibrated without the supply.
"""

from __future__ import annotations

import numpy as np

from neuroimmune import Bolus, Protocol, compile_model, compose, lps_bolus, simulate
from neuroimmune.model.library import STANDARD, innate_extra, tissue
from neuroimmune.model.library.innate import MONOCYTES_REST, TNF_REST
from neuroimmune.model.library.monocyte_supply import monocyte_supply


def run(modules, events, t_end, dt, params=None):
    system = compile_model(compose(*(f() for f in STANDARD), *modules))
    t = np.arange(0.0, t_end + 1e-9, dt)
    ds = simulate(system, Protocol(list(events), clock_start=8, preequilibrate_days=120), t,
                  params=params)
    assert (ds["status"] == 0).all(), ds["status_message"].values
    return ds


def both(extra, events, t_end, dt, params=None):
    return {label: run(extra + add, events, t_end, dt, params)
            for label, add in (("published pool", []), ("marrow supply", [monocyte_supply()]))}


def main() -> None:
    print("(1) LPS 2 ng/kg at 08:00")
    for label, ds in both([], [lps_bolus(2.0, 0.0)], 48.0, 0.1).items():
        peaks = {v: float(ds[v].max()) for v in ("TNF", "IL6", "IL10", "cortisol")}
        mr = ds["monocytes_resting"].values[0] / MONOCYTES_REST
        t = ds["time"].values
        deficit = {h: 1.0 - float(mr[np.argmin(abs(t - h))]) for h in (24.0, 48.0)}
        print(f"  {label:15s} peaks " + ", ".join(f"{k} {v:.4g}" for k, v in peaks.items())
              + f"; pool deficit {1 - mr.min():.3f} at its deepest, {deficit[24.0]:.3f} at 24 h,"
              f" {deficit[48.0]:.3f} at 48 h")
    print("(2) infection, growth 0.6 /h (Reynolds' septic set), days 5-10")
    for label, ds in both([tissue()], [Bolus("bacteria", 1.0, 0.0)], 240.0, 1.0,
                          {"k_B": 0.6}).items():
        late = ds["time"].values >= 120.0

        def part(v, ds=ds, late=late):
            return ds[v].values[0][late]
        print(f"  {label:15s} pool min {part('monocytes_resting').min() / MONOCYTES_REST:.4f} "
              f"of rest; TNF mean {part('TNF').mean() / TNF_REST:.2f} x rest; temperature mean "
              f"{part('temperature').mean():.2f} degC (start {ds['temperature'].values[0, 0]:.2f});"
              f" pathogen {part('bacteria').min():.3g}-{part('bacteria').max():.3g}; damage at "
              f"day 10 {part('tissue_damage')[-1]:.3g}")
    print("(3) LPS 2 ng/kg daily for 5 days (standard + innate_extra): day-5 / day-1 peak rise")
    events = [lps_bolus(2.0, 24.0 * d) for d in range(5)]
    for label, ds in both([innate_extra()], events, 120.0, 0.05).items():
        t = ds["time"].values

        def rise(v, day, ds=ds, t=t):
            y = ds[v].values[0]
            w = (t >= 24.0 * day) & (t < 24.0 * day + 24.0)
            return y[w].max() - y[w][0]
        print(f"  {label:15s} " + ", ".join(f"{v} {rise(v, 4) / rise(v, 0):.3f}"
                                            for v in ("TNF", "IL6", "IL10")))


if __name__ == "__main__":
    main()
