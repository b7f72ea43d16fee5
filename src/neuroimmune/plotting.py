"""Figures of simulation results (matplotlib, headless)."""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import xarray as xr  # noqa: E402

from .errors import NeuroimmuneError, problem  # noqa: E402


def plot(ds: xr.Dataset, variables, path: str | Path, title: str | None = None) -> Path:
    """One panel per variable against time; every patient as a line (median and 5-95 % band when
    there are more than 20). Axes carry names and units."""
    variables = list(variables)
    missing = [v for v in variables if v not in ds.data_vars]
    if missing:
        raise NeuroimmuneError(problem("plot variables", f"names among {list(ds.data_vars)}",
                                       missing, "choose variables the model has"))
    path = Path(path)
    if path.suffix.lower() not in (".png", ".pdf", ".svg"):
        raise NeuroimmuneError(problem("plot file", "a name ending in .png, .pdf or .svg",
                                       str(path), "e.g. --plot lps.png"))
    n = len(variables)
    cols = min(3, n)
    rows = int(np.ceil(n / cols))
    fig, axes = plt.subplots(rows, cols, figsize=(4.2 * cols, 3.0 * rows), squeeze=False,
                             constrained_layout=True)
    t = ds["time"].values
    clock0 = ds.attrs.get("clock_start_h", 0.0)
    for ax, name in zip(axes.flat, variables):
        da = ds[name]
        y = da.values
        if y.shape[0] <= 20:
            ax.plot(t, y.T, lw=1.4)
        else:
            lo, med, hi = np.nanpercentile(y, [5, 50, 95], axis=0)
            ax.fill_between(t, lo, hi, alpha=0.3, label="5-95 %")
            ax.plot(t, med, lw=1.6, label="median")
            ax.legend(fontsize=8)
        ax.set_title(da.attrs.get("long_name", name), fontsize=9)
        ax.set_ylabel(f"{name} ({da.attrs.get('units', '1')})")
        ax.set_xlabel(f"time after start (h; t = 0 at {int(clock0):02d}:"
                      f"{int(round(60 * (clock0 % 1))):02d})")
        ax.grid(alpha=0.3)
    for ax in list(axes.flat)[n:]:
        ax.set_visible(False)
    if title:
        fig.suptitle(title, fontsize=11)
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=120)
    plt.close(fig)
    return path
