"""Every figure of the toolkit: simulation results, sensitivity bars, the interaction network,
validation panels, virtual-twin fits, fits to data and profile likelihoods.

Figures are built with ``matplotlib.figure.Figure`` directly, never pyplot: importing this module
does not change the matplotlib backend and no global figure is left open. Every function returns
the Figure and writes it only when given a `path` (.png, .pdf or .svg)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import xarray as xr
from matplotlib.figure import Figure

from .atomic import atomic_savefig
from .errors import NeuroimmuneError, problem

SUFFIXES = (".png", ".pdf", ".svg")


def _check_path(path, what: str, example: str) -> Path | None:
    if path is None:
        return None
    path = Path(path)
    if path.suffix.lower() not in SUFFIXES:
        raise NeuroimmuneError(problem(what, "a name ending in .png, .pdf or .svg", str(path),
                                       f"e.g. {example}"))
    return path


def _save(fig: Figure, path: Path | None, dpi: int) -> Figure:
    if path is not None:
        path.parent.mkdir(parents=True, exist_ok=True)
        atomic_savefig(fig, path, dpi=dpi)
    return fig


def _grid(n: int, size: tuple[float, float], cols: int = 3):
    """A constrained-layout figure with a grid of n panels (unused ones hidden)."""
    cols = min(cols, max(n, 1))
    rows = int(np.ceil(max(n, 1) / cols))
    fig = Figure(figsize=(size[0] * cols, size[1] * rows), layout="constrained")
    axes = fig.subplots(rows, cols, squeeze=False)
    for ax in list(axes.flat)[n:]:
        ax.set_visible(False)
    return fig, list(axes.flat)[:n]


def _hhmm(hours: float) -> str:
    minutes = int(round((hours % 24.0) * 60.0)) % 1440
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def plot(ds: xr.Dataset, variables=None, path=None, title: str | None = None) -> Figure:
    """One panel per variable against time (default: every variable with a time axis); every
    patient as a line (median and 5-95 % band when there are more than 20). Results of an
    ensemble (scenarios.ensemble_band: variables v_q05, v_q50, v_q95) show that band and median
    over the members' thin lines. Axes carry names and units. Also ``ds.ni.plot(...)``."""
    if variables is None:
        variables = [v for v in ds.data_vars if "time" in ds[v].dims
                     and ds[v].dims != ("time",)]
    variables = [variables] if isinstance(variables, str) else list(variables)
    missing = [v for v in variables if v not in ds.data_vars or "time" not in ds[v].dims]
    if missing or not variables:
        raise NeuroimmuneError(problem("plot variables", f"names among {list(ds.data_vars)}",
                                       missing, "choose variables the model has"))
    path = _check_path(path, "plot file", "--plot lps.png")
    fig, axes = _grid(len(variables), (4.2, 3.0))
    t = ds["time"].values
    clock0 = ds.attrs.get("clock_start_h", 0.0)
    for ax, name in zip(axes, variables):
        da = ds[name].transpose(..., "time")
        y = da.values.reshape(-1, t.size)
        if f"{name}_q05" in ds and f"{name}_q95" in ds:
            ax.plot(t, y.T, lw=0.5, color="0.6", alpha=0.35)
            ax.fill_between(t, ds[f"{name}_q05"].values, ds[f"{name}_q95"].values, alpha=0.3,
                            color="C0", label=f"ensemble 5-95 % "
                            f"({ds.attrs.get('ensemble_used', y.shape[0])} members)")
            if f"{name}_q50" in ds:
                ax.plot(t, ds[f"{name}_q50"].values, lw=1.6, color="C0", label="median")
            ax.legend(fontsize=8)
        elif y.shape[0] <= 20:
            ax.plot(t, y.T, lw=1.4)
        else:
            lo, med, hi = np.nanpercentile(y, [5, 50, 95], axis=0)
            ax.fill_between(t, lo, hi, alpha=0.3, label="5-95 %")
            ax.plot(t, med, lw=1.6, label="median")
            ax.legend(fontsize=8)
        ax.set_title(da.attrs.get("long_name", name), fontsize=9)
        ax.set_ylabel(f"{name} ({da.attrs.get('units', '1')})")
        ax.set_xlabel(f"time after start (h; t = 0 at {_hhmm(clock0)})")
        ax.grid(alpha=0.3)
    if title:
        fig.suptitle(title, fontsize=11)
    return _save(fig, path, 120)


@dataclass
class Panel:
    """One panel of `plot_panels`: curves `lines` [(x, y, matplotlib kwargs)], error-bar points
    `points` [(x, y, yerr or None, kwargs)], shaded bands `spans` [("x" | "y", low, high,
    kwargs)]: "x" shades a time range, "y" a value range, and shaded areas between curves
    `bands` [(x, low, high, kwargs)] (e.g. an ensemble's 5-95 %)."""

    title: str = ""
    xlabel: str = ""
    ylabel: str = ""
    lines: list = field(default_factory=list)
    points: list = field(default_factory=list)
    spans: list = field(default_factory=list)
    bands: list = field(default_factory=list)
    title_size: float = 9.0
    legend_size: float | None = None
    xscale: str = "linear"


def plot_panels(panels, path=None, title: str | None = None, cols: int = 3,
                size: tuple[float, float] = (4.6, 3.4), dpi: int = 110) -> Figure:
    """A grid of Panels (used by the validation report: model, data and accepted bands)."""
    panels = list(panels)
    path = _check_path(path, "figure file", "figure.png")
    fig, axes = _grid(len(panels), size, cols)
    for ax, p in zip(axes, panels):
        for x, lo, hi, kw in p.bands:
            ax.fill_between(x, lo, hi, **kw)
        for x, y, kw in p.lines:
            ax.plot(x, y, **kw)
        for x, y, err, kw in p.points:
            ax.errorbar(x, y, yerr=err, **kw)
        for axis, lo, hi, kw in p.spans:
            (ax.axvspan if axis == "x" else ax.axhspan)(lo, hi, **kw)
        ax.set_xscale(p.xscale)
        ax.set_title(p.title, fontsize=p.title_size)
        ax.set_xlabel(p.xlabel)
        ax.set_ylabel(p.ylabel)
        ax.grid(alpha=0.3)
        if p.legend_size:
            ax.legend(fontsize=p.legend_size, loc="best")
    if title:
        fig.suptitle(title, fontsize=10)
    return _save(fig, path, dpi)


def plot_fit(curves, data, path=None, title: str | None = None) -> Figure:
    """Data and fitted curve, one panel per output. `curves`: long table (time, output, value);
    `data`: (output, time, value, unit, optionally sd: error bars where given)."""
    panels = []
    for name, d in data.groupby("output", sort=False):
        c = curves[curves["output"] == name]
        sd = d["sd"].to_numpy(float) if "sd" in d else None
        err = None if sd is None or np.isnan(sd).all() else np.nan_to_num(sd)
        panels.append(Panel(
            name, "time (h)", f"{name} ({d['unit'].iloc[0]})" if "unit" in d else name,
            lines=[(c["time"], c["value"], {"lw": 1.5, "color": "C0", "label": "fit"})],
            points=[(d["time"], d["value"], err, {"fmt": "o", "ms": 4, "color": "k",
                                                  "capsize": 2, "label": "data"})],
            legend_size=7))
    return plot_panels(panels, path, title)


def plot_profiles(profiles, path=None, title: str | None = None) -> Figure:
    """Profile likelihoods, one panel per parameter: the rise of the cost (-log L) against the
    value (a log axis over more than a decade), the threshold (dashed) and the interval
    (shaded; open sides reach the end of the profile). `profiles`: objects with parameter,
    values, costs, cost, value, threshold, lower, upper and identifiability
    (neuroimmune.analysis.estimate.Profile)."""
    panels = []
    for p in profiles:
        x = np.asarray(p.values, float)
        lo = p.lower if np.isfinite(p.lower) else x.min()
        hi = p.upper if np.isfinite(p.upper) else x.max()
        limited = getattr(p, "limited_by", ())
        panels.append(Panel(
            f"{p.parameter}: {p.identifiability}"
            + (f"\n(open where {', '.join(limited)} reached a bound)" if limited else ""),
            p.parameter, "cost rise (-log L)",
            lines=[(x, np.asarray(p.costs) - p.cost, {"marker": ".", "color": "C0"}),
                   ([x.min(), x.max()], [p.threshold] * 2, {"ls": "--", "color": "C3",
                                                            "lw": 1})],
            points=[([p.value], [0.0], None, {"fmt": "o", "color": "k", "ms": 4})],
            spans=[("x", lo, hi, {"color": "C2", "alpha": 0.15})],
            xscale="log" if x.max() > 10 * x.min() else "linear"))
    return plot_panels(panels, path, title)


_CLUSTER_CENTRES = {"nervous": (-1.0, 0.9), "endocrine": (1.0, 0.9), "immune": (0.0, -0.8),
                    "environment": (-1.6, -1.4)}
_CLUSTER_COLOURS = {"nervous": "#6a51a3", "endocrine": "#d94801", "immune": "#2171b5",
                    "environment": "#525252"}


def _node_label(name: str) -> str:
    """A long species name on two lines at its middle underscore (monocytes_resting)."""
    if len(name) <= 10 or "_" not in name:
        return name
    cuts = [i for i, c in enumerate(name) if c == "_"]
    cut = min(cuts, key=lambda i: abs(i - len(name) / 2))
    return name[:cut] + "\n" + name[cut + 1:]


def draw_network(nodes: dict[str, str], edges, path=None, title: str = "") -> Figure:
    """Draw the interaction network: `nodes` maps a name to its system (nervous, endocrine,
    immune, environment); `edges` have .source, .target, .sign (+1 stimulating, -1 inhibiting).
    Systems are drawn as clusters; stimulating edges green with arrows, inhibiting red with bars."""
    path = _check_path(path, "network file", "--out network.svg")
    pos, radius = {}, {}
    for system, (cx, cy) in _CLUSTER_CENTRES.items():
        members = sorted(n for n, s in nodes.items() if s == system)
        r = radius[system] = 0.25 + 0.1 * len(members)
        for k, name in enumerate(members):
            a = 2 * np.pi * k / max(len(members), 1) + np.pi / 2
            pos[name] = (cx + r * np.cos(a), cy + 0.8 * r * np.sin(a))
    fig = Figure(figsize=(10, 8.5), layout="tight")
    ax = fig.subplots()
    for system, (cx, cy) in _CLUSTER_CENTRES.items():
        if any(s == system for s in nodes.values()):
            ax.text(cx, cy + 0.8 * radius[system] + 0.25, system, ha="center", fontsize=13,
                    weight="bold", color=_CLUSTER_COLOURS[system])
    for e in edges:
        (x0, y0), (x1, y1) = pos[e.source], pos[e.target]
        colour = "#238b45" if e.sign > 0 else "#cb181d"
        style = "-|>" if e.sign > 0 else "-["
        ax.annotate("", xy=(x1, y1), xytext=(x0, y0),
                    arrowprops=dict(arrowstyle=style, color=colour, lw=1.2, alpha=0.8,
                                    shrinkA=16, shrinkB=16, connectionstyle="arc3,rad=0.12"))
    for name, (x, y) in pos.items():
        ax.scatter([x], [y], s=1400, color=_CLUSTER_COLOURS[nodes[name]], alpha=0.85, zorder=3)
        ax.text(x, y, _node_label(name), ha="center", va="center",
                fontsize=7 if len(name) <= 8 else 5, color="white", weight="bold", zorder=4)
    ax.plot([], [], color="#238b45", label="stimulates (arrow)")
    ax.plot([], [], color="#cb181d", label="inhibits (bar)")
    ax.legend(loc="lower right", frameon=False)
    ax.set_title(title or "neuro-immune network", pad=28)
    ax.set_axis_off()
    ax.set_aspect("equal")
    return _save(fig, path, 130)


def plot_sensitivity(frame, path=None, top: int = 15) -> Figure:
    """Bar chart of the largest sensitivity indices (Sobol S1/ST, or Morris mu*)."""
    path = _check_path(path, "plot file", "--plot sobol.png")
    f = frame.head(top).iloc[::-1]
    fig = Figure(figsize=(7, 0.35 * len(f) + 1.5), layout="constrained")
    ax = fig.subplots()
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
    return _save(fig, path, 120)


def plot_twin_fits(curves, data, baselines, r2, outputs, path=None) -> Figure:
    """Data points and fitted curves per subject, one row of panels per subject and one column
    per output. `curves`: long table (subject, time, one column per output); `data`: (subject,
    output, time, value); `baselines`: subject x output table (t = 0 points, open circles);
    `r2`: subject x output table of R²."""
    path = _check_path(path, "figure file", "twins_fits.png")
    subjects = list(r2.index)
    fig = Figure(figsize=(3 * len(outputs), 1.9 * len(subjects) + 0.6), layout="constrained")
    axes = fig.subplots(len(subjects), len(outputs), squeeze=False, sharex=True)
    for i, s in enumerate(subjects):
        c_s = curves[curves["subject"] == s]
        d_s = data[data["subject"] == s]
        for j, c in enumerate(outputs):
            ax = axes[i, j]
            d = d_s[d_s["output"] == c]
            ax.plot(c_s["time"], c_s[c], lw=1.3, color="C0")
            ax.plot(d["time"], d["value"], "o", ms=3.5, color="k")
            ax.plot([0.0], [baselines.loc[s, c]], "o", ms=3.5, mfc="none", color="k")
            ax.text(0.97, 0.9, f"R²={r2.loc[s, c]:.2f}", transform=ax.transAxes, ha="right",
                    va="top", fontsize=7)
            if i == 0:
                ax.set_title(f"{c} (pg/mL)", fontsize=9)
            if j == 0:
                ax.set_ylabel(f"subject {s}", fontsize=8)
            ax.tick_params(labelsize=7)
    for ax in axes[-1]:
        ax.set_xlabel("time after LPS (h)", fontsize=8)
    return _save(fig, path, 110)


def plot_twin_parameters(relative: dict[str, np.ndarray], path=None,
                         title: str = "") -> Figure:
    """Distribution of each fitted parameter relative to its population default (log scale;
    one point per subject, box = IQR). `relative[name]` = fitted / default per subject."""
    path = _check_path(path, "figure file", "twins_parameters.png")
    names = list(relative)
    fig = Figure(figsize=(1.0 * len(names) + 2, 4.0), layout="constrained")
    ax = fig.subplots()
    rel = [np.asarray(relative[p], float) for p in names]
    ax.boxplot(rel, showfliers=False, widths=0.5)
    rng = np.random.default_rng(0)
    for k, r in enumerate(rel, start=1):
        ax.plot(k + rng.uniform(-0.15, 0.15, len(r)), r, "o", ms=3, alpha=0.7, color="C1")
    ax.axhline(1.0, color="0.5", lw=0.8, ls="--")
    ax.set_yscale("log")
    ax.set_xticks(range(1, len(names) + 1), names)
    ax.set_ylabel("fitted / population default")
    ax.set_title(title)
    return _save(fig, path, 110)


def plot_routes(frame, path=None, title: str | None = None) -> Figure:
    """Channel ablation (neuroimmune.analysis.routes): one bar per route, the change of the
    output (% of the intact value) with that route cut, its share written beside it; the row
    with every route cut in another colour; routes not in the model named, without a bar."""
    path = _check_path(path, "plot file", "--plot routes.png")
    f = frame[frame["route"] != "intact"].iloc[::-1]
    fig = Figure(figsize=(7.5, 0.45 * len(f) + 1.6), layout="constrained")
    ax = fig.subplots()
    y = np.arange(len(f))
    pct = np.nan_to_num(f["change_pct"].to_numpy(float))
    every = (f["route"] == "all routes cut").to_numpy()
    ax.barh(y, pct, color=np.where(every, "C1", "C0"), height=0.6)
    ax.axvline(0.0, color="k", lw=0.8)
    span = max(float(np.max(np.abs(pct))) if len(pct) else 0.0, 1.0)
    for k, (_, row) in enumerate(f.iterrows()):
        if row["status"] not in ("cut", "intact"):
            label = row["status"]
        elif row["share"] == row["share"]:
            label = f"{row['change_pct']:+.1f} %  (share {row['share']:.0%})"
        else:
            label = f"{row['change_pct']:+.1f} %"
        right = pct[k] >= 0
        ax.text(pct[k] + (0.02 if right else -0.02) * span, k, label, va="center",
                ha="left" if right else "right", fontsize=8)
    ax.set_xlim(-1.6 * span, 1.6 * span)
    ax.set_yticks(y, f["route"])
    output = frame.attrs.get("output", "output")
    ax.set_xlabel(f"change of {output} with the route cut (% of intact "
                  f"{frame.attrs.get('intact', float('nan')):.4g} {frame.attrs.get('unit', '')})")
    ax.set_title(title or f"routes carrying {output}", fontsize=10)
    return _save(fig, path, 120)
