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


_CLUSTER_CENTRES = {"nervous": (-1.0, 0.9), "endocrine": (1.0, 0.9), "immune": (0.0, -0.8),
                    "environment": (-1.6, -1.4)}
_CLUSTER_COLOURS = {"nervous": "#6a51a3", "endocrine": "#d94801", "immune": "#2171b5",
                    "environment": "#525252"}


def draw_network(nodes: dict[str, str], edges, path: str | Path, title: str = "") -> Path:
    """Draw the interaction network: `nodes` maps a name to its system (nervous, endocrine,
    immune, environment); `edges` have .source, .target, .sign (+1 stimulating, -1 inhibiting).
    Systems are drawn as clusters; stimulating edges green with arrows, inhibiting red with bars."""
    path = Path(path)
    if path.suffix.lower() not in (".png", ".svg", ".pdf"):
        raise NeuroimmuneError(problem("network file", "a name ending in .svg, .png or .pdf",
                                       str(path), "e.g. --out network.svg"))
    pos, radius = {}, {}
    for system, (cx, cy) in _CLUSTER_CENTRES.items():
        members = sorted(n for n, s in nodes.items() if s == system)
        r = radius[system] = 0.25 + 0.1 * len(members)
        for k, name in enumerate(members):
            a = 2 * np.pi * k / max(len(members), 1) + np.pi / 2
            pos[name] = (cx + r * np.cos(a), cy + 0.8 * r * np.sin(a))
    fig, ax = plt.subplots(figsize=(10, 8.5))
    for system, (cx, cy) in _CLUSTER_CENTRES.items():
        if any(s == system for s in nodes.values()):
            ax.text(cx, cy + 0.8 * radius[system] + 0.25, system, ha="center", fontsize=13,
                    weight="bold",
                    color=_CLUSTER_COLOURS[system])
    for e in edges:
        (x0, y0), (x1, y1) = pos[e.source], pos[e.target]
        colour = "#238b45" if e.sign > 0 else "#cb181d"
        style = "-|>" if e.sign > 0 else "-["
        ax.annotate("", xy=(x1, y1), xytext=(x0, y0),
                    arrowprops=dict(arrowstyle=style, color=colour, lw=1.2, alpha=0.8,
                                    shrinkA=16, shrinkB=16, connectionstyle="arc3,rad=0.12"))
    for name, (x, y) in pos.items():
        ax.scatter([x], [y], s=1400, color=_CLUSTER_COLOURS[nodes[name]], alpha=0.85, zorder=3)
        ax.text(x, y, name, ha="center", va="center", fontsize=7 if len(name) <= 8 else 5,
                color="white",
                weight="bold", zorder=4)
    ax.plot([], [], color="#238b45", label="stimulates (arrow)")
    ax.plot([], [], color="#cb181d", label="inhibits (bar)")
    ax.legend(loc="lower right", frameon=False)
    ax.set_title(title or "neuro-immune network", pad=28)
    ax.set_axis_off()
    ax.set_aspect("equal")
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=130)
    plt.close(fig)
    return path


def plot_sensitivity(frame, path: str | Path, top: int = 15) -> Path:
    """Bar chart of the largest sensitivity indices (Sobol S1/ST, or Morris mu*)."""
    path = Path(path)
    if path.suffix.lower() not in (".png", ".pdf", ".svg"):
        raise NeuroimmuneError(problem("plot file", "a name ending in .png, .pdf or .svg",
                                       str(path), "e.g. --plot sobol.png"))
    f = frame.head(top).iloc[::-1]
    fig, ax = plt.subplots(figsize=(7, 0.35 * len(f) + 1.5), constrained_layout=True)
    y = np.arange(len(f))
    if "ST" in f:
        ax.barh(y + 0.2, f["ST"], height=0.4, xerr=f["ST_conf"], label="total (ST)")
        ax.barh(y - 0.2, f["S1"], height=0.4, xerr=f["S1_conf"], label="first order (S1)")
        ax.set_xlabel("Sobol index (fraction of variance)")
        ax.legend(loc="lower right")
    else:
        ax.barh(y, f["mu_star"], xerr=f["mu_star_conf"])
        ax.set_xlabel(f"Morris mu* (change of {frame.attrs.get('output', 'output')})")
    ax.set_yticks(y, f["parameter"])
    ax.set_title(f"sensitivity of {frame.attrs.get('output', '')} ({frame.attrs.get('method')}, "
                 f"{frame.attrs.get('n_simulations')} simulations)", fontsize=10)
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=120)
    plt.close(fig)
    return path
