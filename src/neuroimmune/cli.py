"""Command line: `neuroimmune simulate SCENARIO`, `neuroimmune scenarios`, `neuroimmune validate`
and the others below."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Optional

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from ._version import __version__
from .errors import NeuroimmuneError, problem
from .progress import Tracker

app = typer.Typer(add_completion=True, no_args_is_help=True, pretty_exceptions_enable=False,
                  help="Simulate neuro-immune-endocrine communication. Research and teaching "
                       "tool, not for clinical decisions.")
err = Console(stderr=True)
out = Console()
PARAMETERS_OPTION = typer.Option(None, "--parameters", help="a parameter-set file (CSV "
                                 "written by `neuroimmune calibrate --out`) to use instead of "
                                 "the shipped calibrated set")


def _fail(exc: Exception) -> None:
    err.print(f"[bold red]error:[/] {escape(str(exc))}", highlight=False, soft_wrap=True)
    raise typer.Exit(code=2)


def _write_table(frame, path: Path) -> None:
    """A table as CSV, whole or not at all (folders made as needed)."""
    from .atomic import atomic_path

    path.parent.mkdir(parents=True, exist_ok=True)
    with atomic_path(path) as tmp:
        frame.to_csv(tmp, index=False)


def _show_version(value: bool) -> None:
    if value:
        out.print(f"neuroimmune {__version__}", highlight=False)
        raise typer.Exit()


@app.callback()
def _root(version: bool = typer.Option(False, "--version", callback=_show_version,
                                       is_eager=True, help="print the version and exit")) -> None:
    pass


def _check_paths(*checks) -> None:
    """(path, option, suffixes, is_folder) for each output option, checked before any work."""
    from .io import check_output_path

    for path, option, suffixes, directory in checks:
        if path is not None:
            check_output_path(path, option, suffixes, directory=directory)


@app.command()
def simulate(
    scenario: str = typer.Argument(..., help="built-in scenario name or path to a .toml file"),
    out_file: Optional[Path] = typer.Option(None, "--out", help="write results (.csv, .parquet "
                                            "or .nc)"),
    plot_file: Optional[Path] = typer.Option(None, "--plot", help="write a figure (.png/.pdf)"),
    method: str = typer.Option("dopri5", help="integrator: dopri5 or rodas4"),
    rtol: float = typer.Option(1e-6, help="relative tolerance"),
    parameters: Optional[Path] = PARAMETERS_OPTION,
    ensemble: bool = typer.Option(False, "--ensemble", help="run every member of the "
                                  "calibration ensemble as a patient and add the 5/50/95 % "
                                  "percentiles over the members (columns <output>_q05/_q50/"
                                  "_q95); the plot shows the band"),
    ensemble_file: Optional[Path] = typer.Option(None, "--ensemble-file", help="the ensemble "
                                                 "for --ensemble (implies it): a file written "
                                                 "by `neuroimmune calibrate --ensemble` "
                                                 "(default: the shipped one)"),
) -> None:
    """Run a scenario and write its results and/or a figure."""
    from . import io, scenarios
    from .solve import SolverOptions

    try:
        _check_paths((out_file, "--out", io.FORMATS, False),
                     (plot_file, "--plot", io.FIGURES, False))
        if out_file is not None:
            io.require_format(out_file)
        ensemble = ensemble or ensemble_file is not None
        if ensemble and parameters is not None:
            raise NeuroimmuneError(problem("--ensemble with --parameters", "one of them (each "
                                           "member takes the place of the parameter set)",
                                           "both", "drop one"))
        sc = scenarios.load(scenario)
        outputs = sc.outputs
        columns = list(outputs)
        options = SolverOptions(method=method, rtol=rtol)
        with Tracker("simulate", console=err,
                     note=f"{sc.name} (compiling on first use)") as progress:
            if not ensemble:
                ds = scenarios.simulate(sc, parameters=parameters, options=options)
            else:
                ds = scenarios.ensemble_band(scenarios.simulate_ensemble(
                    sc, ensemble_file, options=options), outputs)
                columns += [f"{o}_q{p:02.0f}" for o in outputs
                            for p in scenarios.BAND_PERCENTILES]
            progress.update(note="writing")
            if out_file is not None:
                io.write(ds, out_file, columns)
            if plot_file is not None:
                ds.ni.plot(outputs, plot_file, title=sc.description)
    except NeuroimmuneError as exc:
        _fail(exc)
    # plain arrays, not xarray operations (whose first use imports dask where it is installed:
    # 0.15-0.3 s of a warm start); the same statistics as ds.ni's (neuroimmune.statistics)
    from . import statistics as stats

    status = ds["status"].values
    failed = [(p, m) for p, m, code in zip(ds["patient"].values, ds["status_message"].values,
                                           status) if code != 0]
    for p, msg in failed:
        err.print(f"[yellow]patient {p}:[/] {escape(str(msg))}", highlight=False)
    converged = ds["preequilibration_converged"].values
    if sc.protocol.preequilibrate_days and not bool(converged.all()):
        days = int(ds["preequilibration_days"].values[~converged].max())
        early = (f" (stopped after {days} days: the day-to-day change did not shrink fast "
                 "enough to get there)" if days < sc.protocol.preequilibrate_days else "")
        err.print(f"[yellow]warning:[/] pre-equilibration did not reach the 24-h limit cycle "
                  f"within {sc.protocol.preequilibrate_days} days{early}: the results start "
                  "off the cycle. Fix: raise [time] preequilibrate_days (at most "
                  "1000) or check the [subject] values", highlight=False)
    if ensemble:
        _ensemble_summary(ds, sc, outputs, out_file, plot_file)
        return
    summary = Table(title=f"{sc.name}: {sc.description}", title_justify="left")
    for col in ("output", "unit", "start", "peak", "time of peak (h)", "end"):
        summary.add_column(col)
    t = ds["time"].values
    for name in outputs:
        y = ds[name].transpose("patient", "time").values[:1]
        summary.add_row(name, ds[name].attrs["units"], f"{float(y[0, 0]):.4g}",
                        f"{float(stats.peak(y, t)[0]):.4g}",
                        f"{float(stats.time_of_peak(y, t)[0]):.2f}",
                        f"{float(stats.end_value(y, t)[0]):.4g}")
    out.print(summary)
    for path in (out_file, plot_file):
        if path is not None:
            out.print(f"wrote {path}")
    if len(failed):
        raise typer.Exit(code=1)


def _ensemble_summary(ds, sc, outputs, out_file, plot_file) -> None:
    """simulate --ensemble: the peak over the members (5/50/95 %), the failed members."""
    import numpy as np

    ok = ds["status"].values == 0
    summary = Table(title=f"{sc.name}: {sc.description} ({ds.attrs['ensemble_used']} ensemble "
                    "members)", title_justify="left")
    for col in ("output", "unit", "peak 5 %", "peak median", "peak 95 %", "end median"):
        summary.add_column(col)
    for name in outputs:
        peaks = np.asarray(ds.ni.peak(name))[ok]
        q = np.percentile(peaks, [5, 50, 95]) if peaks.size else [float("nan")] * 3
        summary.add_row(name, ds[name].attrs["units"], *(f"{x:.4g}" for x in q),
                        f"{float(ds[f'{name}_q50'].values[-1]):.4g}")
    out.print(summary)
    if not ds.attrs.get("ensemble_applies", 1):
        err.print("[yellow]warning:[/] this scenario does not use the calibrated set "
                  "(calibrated = false, or a model without its parameters): every member is the "
                  "same", highlight=False)
    if ds.attrs["ensemble_failed"]:
        err.print(f"[yellow]warning:[/] {ds.attrs['ensemble_failed']} member(s) failed to solve "
                  "and are left out of the band", highlight=False)
    for path in (out_file, plot_file):
        if path is not None:
            out.print(f"wrote {path}")


@app.command("scenarios")
def list_scenarios() -> None:
    """List the built-in scenarios."""
    from .scenarios import BUILTIN

    for name, sc in BUILTIN.items():
        out.print(f"{name:30s} {sc.description}", highlight=False, soft_wrap=True)


def _standard_model(modules: Optional[list[str]]):
    from .errors import ScenarioError
    from .model.core import compose
    from .model.library import BY_NAME, STANDARD

    names = modules or [f().name for f in STANDARD]
    unknown = [m for m in names if m not in BY_NAME]
    if unknown:
        raise ScenarioError(f"--module: expected names among {sorted(BY_NAME)}, got {unknown!r}. "
                            "Fix: choose library modules (see `neuroimmune model`)")
    parts = [BY_NAME[m]() for m in names]
    return parts, (compose(*parts, name="+".join(names)) if len(parts) > 1 else parts[0])


@app.command("model")
def describe_model(
    as_json: bool = typer.Option(False, "--json", help="machine-readable output"),
    module: Optional[list[str]] = typer.Option(None, "--module", help="library modules to "
                                               "include (default: the standard model)"),
) -> None:
    """Modules, species and parameters of the model, with units and sources."""
    import json

    try:
        parts, model = _standard_model(module)
    except NeuroimmuneError as exc:
        _fail(exc)
    doc = {
        "modules": [{"name": m.name, "description": m.description, "citation": m.citation,
                     "species": list(m.species_names)} for m in parts],
        "species": [{"name": s.name, "unit": s.unit, "description": s.description,
                     "initial": s.initial, "module": model.owner(s.name)}
                    for s in model.species],
        "parameters": [{"name": p.name, "value": p.value, "unit": p.unit, "source": p.source,
                        "bounds": list(p.bounds) if p.bounds else None,
                        "description": p.description, "module": model.owner(p.name)}
                       for p in model.parameters],
        "inputs": [{"name": i.name, "unit": i.unit, "default": i.default, "hook": i.hook,
                    "description": i.description} for i in model.inputs],
        # copies of another module's reference value, replaced by it (docs/design/0006)
        "tied": [{"name": t.name, "module": t.module, "tied_to": t.to, "owner": t.owner,
                  "factor": t.factor, "text": f"tied to {t.to} of module {t.owner}"}
                 for t in model.tied],
    }
    if as_json:
        from .catalog import interactions

        doc["interactions"] = [{"source": e.source, "target": e.target,
                                "effect": "stimulates" if e.sign > 0 else "inhibits",
                                "module": e.module, "citations": list(e.citations)}
                               for e in interactions(model)]
    if as_json:
        sys.stdout.write(json.dumps(doc, indent=2) + "\n")
        return
    for m in doc["modules"]:
        out.print(f"[bold]{m['name']}[/]: {escape(m['description'])}")
        out.print(f"  source: {escape(m['citation'])}", highlight=False)
    table = Table(title="species", title_justify="left")
    for col in ("name", "unit", "module", "description"):
        table.add_column(col)
    for s in doc["species"]:
        table.add_row(s["name"], s["unit"], s["module"], s["description"])
    out.print(table)
    table = Table(title="parameters", title_justify="left")
    for col in ("name", "value", "unit", "module", "source"):
        table.add_column(col, overflow="fold")
    for p in doc["parameters"]:
        table.add_row(p["name"], f"{p['value']:.4g}", p["unit"], p["module"], p["source"])
    out.print(table)
    for t in doc["tied"]:
        out.print(f"{t['name']} ({t['module']}): {t['text']}", highlight=False)


@app.command()
def network(
    out_file: Path = typer.Option(..., "--out", help="figure file (.svg, .png or .pdf)"),
    module: Optional[list[str]] = typer.Option(None, "--module", help="library modules"),
) -> None:
    """Draw the two-way network (nervous, endocrine and immune clusters; stimulating and
    inhibiting edges) derived from the model's rate laws and the catalog."""
    from .catalog import entity, interactions
    from .io import FIGURES
    from .plotting import draw_network

    try:
        _check_paths((out_file, "--out", FIGURES, False))
        _, model = _standard_model(module)
        edges = interactions(model)
        names = {n for e in edges for n in (e.source, e.target)}
        draw_network({n: entity(n).system for n in names}, edges, out_file,
                     title="neuro-immune network: " + ", ".join(model.parts))
    except NeuroimmuneError as exc:
        _fail(exc)
    out.print(f"wrote {out_file} ({len(names)} nodes, {len(edges)} interactions)")


def _plausible(items: list[str]) -> dict:
    out = {}
    for item in items:
        try:
            key, rng = item.split("=")
            name, stat = key.rsplit(".", 1)
            lo, hi = (float(x) for x in rng.split(":"))
        except ValueError:
            raise NeuroimmuneError(f"--plausible: expected OUTPUT.STATISTIC=LOW:HIGH, got "
                                   f"{item!r}. Fix: e.g. --plausible cortisol.peak=5:40") from None
        out[(name, stat)] = (lo, hi)
    return out


def _profile_mix(items: list[str]) -> dict:
    out = {}
    for item in items:
        try:
            name, fraction = item.split("=")
            out[name] = float(fraction)
        except ValueError:
            raise NeuroimmuneError(f"--profile: expected NAME=FRACTION, got {item!r}. Fix: e.g. "
                                   "--profile healthy-man=0.5 --profile healthy-woman=0.5"
                                   ) from None
    return out


@app.command()
def population(
    scenario: str = typer.Argument(..., help="built-in scenario name or .toml file"),
    n: int = typer.Option(..., "--n", min=1, help="number of virtual patients"),
    out_dir: Path = typer.Option(..., "--out", help="output folder (resumable)"),
    seed: int = typer.Option(0, help="random seed"),
    cv: float = typer.Option(0.2, help="coefficient of variation of every free parameter"),
    chunk: int = typer.Option(1000, min=1, help="patients per chunk (memory bound)"),
    plausible: list[str] = typer.Option([], help="accept only OUTPUT.STAT=LOW:HIGH "
                                        "(peak, time_to_peak, auc, end); repeatable"),
    trajectories: bool = typer.Option(False, help="also write full trajectories"),
    profile: list[str] = typer.Option([], help="a mixture of subject profiles, NAME=FRACTION "
                                      "(fractions sum to 1; see neuroimmune.profiles); "
                                      "repeatable"),
    scheduler: Optional[str] = typer.Option(None, help="Dask scheduler address (e.g. "
                                            "tcp://host:8786) to run the chunks on a cluster"),
    parameters: Optional[Path] = PARAMETERS_OPTION,
) -> None:
    """Simulate a virtual population; per-patient summaries stream to Parquet chunks in OUT.
    Re-running the same command after an interruption resumes where it stopped."""
    from . import scenarios
    from .analysis.population import Population, read_summaries, require_parquet, run_cohort
    from .errors import require

    try:
        if seed < 0:  # checked before anything is written (numpy seeds are >= 0)
            raise NeuroimmuneError(problem("--seed", "an integer >= 0", seed, "e.g. --seed 1"))
        _check_paths((out_dir, "--out", (), True))
        require_parquet()
        if scheduler:
            require("distributed", "scale", "--scheduler", "dask[distributed]")
        if scheduler and parameters is not None:
            raise NeuroimmuneError("--parameters: expected no parameter file with --scheduler "
                                   f"(the workers load the scenario by name), got {parameters}. "
                                   "Fix: run without --scheduler, or put the values in the "
                                   "scenario's [subject] table")
        sc = scenarios.load(scenario)
        pop = Population(default_cv=cv, seed=seed, plausible=_plausible(plausible),
                         profiles=_profile_mix(profile))
        with Tracker("population", unit="chunks", console=err,
                     note=f"{sc.name} (compiling on first use)") as tracker:
            system = scenarios.system(sc, parameters)
            tracker.update(note=sc.name)

            def progress(done, total):
                tracker.update(done, total=total)

            if scheduler:
                from .distributed import run_cohort_dask

                with _dask_client(scheduler) as client:
                    run_cohort_dask(client, scenario, pop, n, out_dir, chunk_size=chunk,
                                    trajectories=trajectories, progress=progress)
            else:
                run_cohort(system, sc.protocol, sc.times(), pop, n, out_dir, scenario=sc,
                           outputs=sc.outputs, chunk_size=chunk,
                           trajectories=trajectories,
                           progress=progress)
    except NeuroimmuneError as exc:
        _fail(exc)
    frame = read_summaries(out_dir, columns=["patient", "status", "status_message"])
    bad = frame[frame["status"] != 0]
    out.print(f"wrote {len(frame)} patients to {out_dir} ({len(bad)} with solver failures)")
    if len(bad):  # the first one's message says when it failed and which input caused it
        first = bad.iloc[0]
        err.print(f"[yellow]patient {first['patient']}:[/] {escape(str(first['status_message']))}"
                  " (each failed patient's message is in the summaries' status_message column)",
                  highlight=False)


def _dask_client(address: str):
    """A dask.distributed Client connected to `address`, or a one-line error naming
    --scheduler (a malformed address, or no scheduler answering within Dask's connect timeout,
    distributed.comm.timeouts.connect).

    The client is not made the process's default (`set_as_default=False`): run_cohort_dask
    gives it its work explicitly. A default one, even a failed one until the garbage collector
    found it in its reference cycle, also set dask's scheduler setting and took later dask work
    in this process (e.g. writing a .nc file); collecting it by hand after a failure was not
    reliable (a fuzz test saw it stay the default)."""
    from distributed import Client

    try:
        return Client(address, set_as_default=False)
    except (OSError, TimeoutError, ValueError, TypeError) as exc:
        reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    raise NeuroimmuneError(problem("--scheduler", "the address of a running Dask scheduler (e.g. "
                                   "tcp://host:8786)", address, "start one with `dask "
                                   "scheduler`, or check the address and the network "
                                   f"({reason})"))


@app.command()
def sensitivity(
    scenario: str = typer.Argument(..., help="built-in scenario name or .toml file"),
    output: str = typer.Option(..., "--output", help="OUTPUT.STATISTIC, e.g. TNF.peak"),
    method: str = typer.Option("sobol", "--method", help="sobol or morris"),
    n: int = typer.Option(256, "--n", min=2, help="base sample size (Sobol: a power of 2)"),
    params: Optional[str] = typer.Option(None, "--params", help="comma-separated parameters "
                                         "(default: all free parameters)"),
    fold: float = typer.Option(2.0, help="each parameter varies from value/fold to value*fold"),
    seed: int = typer.Option(0, help="random seed"),
    plot_file: Optional[Path] = typer.Option(None, "--plot", help="bar chart (.png/.svg)"),
    out_file: Optional[Path] = typer.Option(None, "--out", help="indices as .csv"),
    parameters: Optional[Path] = PARAMETERS_OPTION,
) -> None:
    """Global sensitivity (SALib Sobol or Morris) of a per-patient statistic."""
    from . import scenarios
    from .analysis.sensitivity import sensitivity as run
    from .errors import require
    from .io import FIGURES
    from .plotting import plot_sensitivity

    try:
        _check_paths((out_file, "--out", (".csv",), False), (plot_file, "--plot", FIGURES, False))
        require("SALib", "sensitivity", "sensitivity analysis")
        sc = scenarios.load(scenario)
        with Tracker("sensitivity", unit="simulations", console=err,
                     note=f"{sc.name} (compiling on first use)") as tracker:
            system = scenarios.system(sc, parameters)
            tracker.update(note="")
            frame = run(system, sc.protocol, sc.times(), output, method=method, n=n,
                        parameters=params.split(",") if params else None, fold=fold, seed=seed,
                        progress=lambda done, total: tracker.update(done, total=total))
        if plot_file is not None:
            plot_sensitivity(frame, plot_file)
        if out_file is not None:
            _write_table(frame, out_file)
    except NeuroimmuneError as exc:
        _fail(exc)
    table = Table(title=f"{method} sensitivity of {output} ({frame.attrs['n_simulations']} "
                        "simulations)", title_justify="left")
    for col in frame.columns:
        table.add_column(col)
    for _, row in frame.head(15).iterrows():
        table.add_row(*(f"{v:.3g}" if isinstance(v, float) else str(v) for v in row))
    out.print(table)


def _default_routes_plot(scenario: str, output: str) -> Path:
    """./routes-SCENARIO-OUTPUT.png (characters other than letters, digits, _ and - as -)."""
    import re

    return Path(re.sub(r"[^\w-]", "-", f"routes-{Path(scenario).stem}-{output}") + ".png")


@app.command()
def routes(
    scenario: str = typer.Argument(..., help="built-in scenario name or .toml file"),
    output: str = typer.Option(..., "--output", help="OUTPUT.STATISTIC, e.g. TNF.peak "
                               "(statistics: peak, time_to_peak, auc, end)"),
    plot_file: Optional[Path] = typer.Option(None, "--plot", help="bar chart (.png/.pdf/.svg; "
                                             "default ./routes-SCENARIO-OUTPUT.png, e.g. "
                                             "routes-lps-bolus-TNF-peak.png)"),
    no_plot: bool = typer.Option(False, "--no-plot", help="write no figure"),
    out_file: Optional[Path] = typer.Option(None, "--out", help="the table as .csv"),
    as_json: bool = typer.Option(False, "--json", help="machine-readable output on stdout"),
    parameters: Optional[Path] = PARAMETERS_OPTION,
) -> None:
    """Channel ablation: cut each neuro-immune route (HPA -> immune, sympathetic -> immune,
    vagal -> immune, cytokines -> brain, sex steroids), then all at once, and show how much of
    OUTPUT each carries (docs/routes.md). One batch solve."""
    import json

    from . import scenarios
    from .analysis.routes import ablate_routes
    from .io import FIGURES
    from .plotting import plot_routes

    if no_plot and plot_file is not None:
        _fail(NeuroimmuneError(problem("--plot with --no-plot", "one of them", "both",
                                       "drop one")))
    if not no_plot and plot_file is None:
        plot_file = _default_routes_plot(scenario, output)
    try:
        _check_paths((out_file, "--out", (".csv",), False), (plot_file, "--plot", FIGURES, False))
        sc = scenarios.load(scenario)
        with Tracker("routes", console=err, note=f"{sc.name} (compiling on first use)") as tr:
            system = scenarios.system(sc, parameters)
            tr.update(note="solving")
            frame = ablate_routes(system, sc.protocol, sc.times(), output)
        if plot_file is not None:
            plot_routes(frame, plot_file, title=f"{sc.name}: routes carrying {output}")
        if out_file is not None:
            _write_table(frame, out_file)
    except NeuroimmuneError as exc:
        _fail(exc)
    a = frame.attrs
    if as_json:
        records = [{k: (None if isinstance(v, float) and v != v else v) for k, v in r.items()}
                   for r in frame.to_dict(orient="records")]
        sys.stdout.write(json.dumps({"scenario": sc.name, "output": output, "unit": a["unit"],
                                     "intact": a["intact"], "interaction": a["interaction"],
                                     "routes": records}, indent=2) + "\n")
    else:
        table = Table(title=f"{sc.name}: {output} = {a['intact']:.4g} {a['unit']} intact; each "
                      "route cut", title_justify="left")
        for col in ("route", "value", "change", "change %", "share"):
            table.add_column(col, justify="left" if col == "route" else "right")
        for _, r in frame.iterrows():
            if r["status"] not in ("cut", "intact"):
                table.add_row(r["route"], r["status"], "", "", "")
                continue
            base = r["status"] == "intact"
            table.add_row(r["route"], f"{r['value']:.4g}", "" if base else f"{r['change']:+.4g}",
                          "" if base else f"{r['change_pct']:+.1f}",
                          "" if r["share"] != r["share"] else f"{r['share']:.0%}")
        out.print(table)
        if a["interaction"] == a["interaction"]:
            out.print(f"interaction (all routes cut minus the sum of the single cuts): "
                      f"{a['interaction']:+.4g} {a['unit']}", highlight=False, soft_wrap=True)
    for path in (out_file, plot_file):
        if path is not None:
            (err if as_json else out).print(f"wrote {path}", highlight=False, soft_wrap=True)


@app.command()
def bench(
    as_json: bool = typer.Option(False, "--json", help="machine-readable output"),
    n: int = typer.Option(10_000, "--n", min=1, help="virtual patients"),
    cores: Optional[int] = typer.Option(None, "--cores", min=1, help="cores (default: all)"),
    startup: bool = typer.Option(True, help="also time compile and warm start"),
    model: str = typer.Option("standard", "--model", help="standard (innate, HPA, fever, "
                              "autonomic) or full (plus every library module that composes "
                              "with it)"),
    cv: float = typer.Option(0.2, "--cv", help="patient variability: coefficient of variation "
                             "of the lognormal parameters (0 to 2)"),
    blocks: int = typer.Option(5, "--blocks", min=1, help="turns each engine takes "
                               "(interleaved, timed in CPU seconds)"),
) -> None:
    """Throughput (CPU time, engines interleaved), latency, failures and accuracy against
    libRoadRunner on the same patients."""
    import json

    from .analysis.bench import STEPS, run_benchmark

    try:
        with Tracker("bench", STEPS, "steps", console=err) as tracker:
            def progress(done, total, what):
                tracker.update(done, note=what)

            result = run_benchmark(n=n, cores=cores, startup=startup, progress=progress,
                                   model=model, cv=cv, blocks=blocks)
    except NeuroimmuneError as exc:
        _fail(exc)
    if as_json:
        sys.stdout.write(json.dumps(result, indent=2) + "\n")
        return
    table = Table(title="neuroimmune vs libRoadRunner", title_justify="left")
    table.add_column("metric")
    table.add_column("value")
    for key, value in result.items():
        table.add_row(key, f"{value:.4g}" if isinstance(value, float) else str(value))
    out.print(table)


@app.command()
def validate(
    as_json: bool = typer.Option(False, "--json", help="machine-readable output on stdout"),
    report: Optional[Path] = typer.Option(None, "--report", help="write a Markdown report with "
                                          "figures to this folder (DIR/index.md, DIR/*.png)"),
    strict: bool = typer.Option(False, "--strict", help="exit with status 1 when a target "
                                "fails"),
    ensemble: Optional[Path] = typer.Option(None, "--ensemble", help="ensemble file for the "
                                            "prediction intervals (default: the shipped "
                                            "calibration ensemble)"),
    members: Optional[int] = typer.Option(None, "--members", min=2, help="use this many "
                                          "ensemble members, evenly spaced over the file "
                                          "(default: all of them)"),
    no_ensemble: bool = typer.Option(False, "--no-ensemble", help="point values only, no "
                                     "prediction intervals"),
) -> None:
    """Run the validation targets (targets.csv): each built-in scenario once, each statistic
    against its accepted band, with the 90 % prediction interval over the calibration ensemble.
    See docs/validation.md."""
    import json

    from .parameter_sets import read_ensemble
    from .validation import load_targets, run_validation, scenarios_needed, write_report

    try:
        _check_paths((report, "--report", (), True))
        ens = None if no_ensemble else read_ensemble(ensemble).first(members)
        targets = load_targets()
        names = scenarios_needed(targets)
        with Tracker("validate", len(names), "scenarios", console=err) as tracker:
            ran: list[str] = []

            def progress(name):
                tracker.update(len(ran), note=f"{name} (compiling on first use)")
                ran.append(name)

            result = run_validation(targets, progress=progress, ensemble=ens)
            tracker.update(len(ran), note="")
            if report is not None:
                tracker.update(note="writing the report")
                index = write_report(result, report)
    except NeuroimmuneError as exc:
        _fail(exc)
    if as_json:
        sys.stdout.write(json.dumps(result.to_dict(), indent=2) + "\n")
    else:
        table = Table(title="validation targets", title_justify="left")
        for col in ("id", "sample", "scenario", "quantity", "statistic", "model", "90 % PI",
                    "band", "unit", "result"):
            table.add_column(col, overflow="fold")
        for r in result.results:
            band = f"[{r.lower:g}, {r.upper:g}]"
            pi = ("-" if r.prediction_interval is None else
                  "[{:.3g}, {:.3g}]".format(*r.prediction_interval))
            table.add_row(r.id, "in" if r.in_sample else "out", r.scenario or "?", r.quantity,
                          r.statistic,
                          "n/a" if r.value != r.value else f"{r.value:.3g}", pi, band, r.unit,
                          "pass" if r.passed else f"[red]FAIL[/] {escape(r.reason)}")
        out.print(table)
        out.print(result.summary, highlight=False)
    if report is not None:
        (err if as_json else out).print(f"wrote {index}", highlight=False)
    if strict and result.passed < result.total:
        raise typer.Exit(code=1)


@app.command()
def calibrate(
    starts: int = typer.Option(8, "--starts", min=1, help="multistart points"),
    seed: int = typer.Option(0, "--seed", help="seed of the start points"),
    max_nfev: int = typer.Option(150, "--max-nfev", min=1, help="evaluations per start"),
    screen: int = typer.Option(20, "--screen", min=0, help="screening round: every start runs "
                               "this many evaluations, then only the --finalists best go on to "
                               "--max-nfev (0, or at least --max-nfev: no screening round, "
                               "every start runs --max-nfev)"),
    finalists: int = typer.Option(2, "--finalists", min=1, help="starts that go on after the "
                                  "screening round"),
    workers: Optional[int] = typer.Option(None, "--workers", min=1, help="starts computed at "
                                          "once, each in its own process (default: the number "
                                          "of CPU cores); the result does not depend on it"),
    gradient: str = typer.Option("sensitivities", "--gradient", help="Jacobian: sensitivities "
                                 "(forward sensitivity equations) or fd (finite differences)"),
    out_file: Optional[Path] = typer.Option(None, "--out",
                                            help="where to write the calibrated set (.csv; "
                                            "default calibration_standard.csv, with --ensemble "
                                            "calibration_ensemble.csv, in the current folder; "
                                            "the shipped files are in src/neuroimmune/data/ of "
                                            "a checkout)"),
    compare: bool = typer.Option(False, "--compare", help="also compare every validation "
                                 "target with the defaults and with the calibrated set"),
    ensemble: bool = typer.Option(False, "--ensemble", help="instead of a point estimate: "
                                  "sample parameter sets consistent with the calibration data "
                                  "with emcee, started around the shipped point estimate "
                                  "(docs/design/0009-calibration-ensemble.md)"),
    walkers: int = typer.Option(48, "--walkers", min=4, help="--ensemble: emcee walkers (even, "
                                ">= 2 x the free parameters)"),
    steps: int = typer.Option(1200, "--steps", min=2, help="--ensemble: steps of each walker"),
    burn: int = typer.Option(400, "--burn", min=0, help="--ensemble: steps dropped as burn-in"),
    keep: int = typer.Option(60, "--keep", min=2, help="--ensemble: members kept (evenly "
                             "spaced over the post-burn-in samples)"),
) -> None:
    """Calibrate the standard model (HPA axis and the couplings these data inform) to the
    calibration data (the 20 LPS curves, the Carroll and Yehuda 24-h profiles, the Nelson TSST
    curves, the Barber LPS hormone peaks; never the validation targets) by multistart bounded
    least squares; see docs/calibration.md. Scenarios use the shipped set. With --ensemble,
    sample the posterior around the shipped set instead (the ensemble `validate` and `simulate
    --ensemble` use)."""
    from .validation.calibrate import run_calibration, validation_comparison, write_calibrated

    if ensemble:
        _calibrate_ensemble(out_file or Path("calibration_ensemble.csv"), walkers, steps, burn,
                            keep, seed)
        return
    out_file = out_file or Path("calibration_standard.csv")
    try:
        _check_paths((out_file, "--out", (".csv",), False))
        screen_nfev = screen if 0 < screen < max_nfev else None
        total = starts + (min(finalists, starts) if screen_nfev else 0)
        with Tracker("calibrate", total, "runs", console=err,
                     note="pre-equilibrating") as tracker:
            finished = []

            def progress(message):
                finished.append(message)
                tracker.update(len(finished), note=message)

            result = run_calibration(starts=starts, seed=seed, max_nfev=max_nfev,
                                     progress=progress, gradient=gradient,
                                     workers=workers or os.cpu_count() or 1,
                                     screen_nfev=screen_nfev, finalists=finalists)
            path = write_calibrated(result, out_file)
            values = {**result.parameters, **result.tied}
            if compare:
                tracker.update(note="comparing the validation targets")
            comparison = validation_comparison(values) if compare else None
    except NeuroimmuneError as exc:
        _fail(exc)
    table = Table(title=f"calibrated couplings (cost {result.cost:.4g})", title_justify="left")
    for col in ("parameter", "value"):
        table.add_column(col)
    for name, value in result.parameters.items():
        table.add_row(name, f"{value:.4g}")
    for name, value in result.tied.items():
        table.add_row(f"{name} (tied)", f"{value:.4g}")
    out.print(table)
    if comparison is not None:
        before = int(comparison["passed_before"].sum())
        after = int(comparison["passed_after"].sum())
        out.print(f"validation targets passing: {before} with the defaults, {after} with the "
                  f"calibrated set (of {len(comparison)})", highlight=False)
    if not result.preeq_converged:
        out.print("warning: with this set a scenario's pre-equilibration did not reach a 24-h "
                  "limit cycle (see the file header)", highlight=False)
    out.print(f"wrote {path}", highlight=False)


def _calibrate_ensemble(out_file: Path, walkers: int, steps: int, burn: int, keep: int,
                        seed: int) -> None:
    from .validation.ensemble import run_ensemble, write_ensemble

    try:
        _check_paths((out_file, "--out", (".csv",), False))
        with Tracker("calibrate --ensemble", steps, "steps", console=err,
                     note="emcee (vectorised: one batch solve per half-step)") as tracker:
            result = run_ensemble(walkers=walkers, steps=steps, burn=burn, keep=keep,
                                  seed=seed, progress=lambda i, n: tracker.update(i))
            tracker.update(note="writing")
            path = write_ensemble(result, out_file, out_name=str(out_file))
    except NeuroimmuneError as exc:
        _fail(exc)
    out.print(f"{len(result.members)} members; {result.sample.diagnostics()}", highlight=False)
    out.print(f"wrote {path} ({result.seconds / 60:.1f} min)", highlight=False)


@app.command()
def twins(
    subjects: Optional[str] = typer.Option(None, "--subjects", help="comma-separated subject ids "
                                           "of the Janum data (default: all 20)"),
    starts: int = typer.Option(4, "--starts", min=1, help="multistart points per subject"),
    max_nfev: int = typer.Option(100, "--max-nfev", min=1, help="evaluations per start"),
    seed: int = typer.Option(0, "--seed", help="seed of the start points"),
    out_dir: Optional[Path] = typer.Option(None, "--out", help="folder for the table, summary, "
                                           "Markdown and figures"),
) -> None:
    """Virtual twins: fit the innate module to each Janum subject's cytokine curves (LPS 2 ng/kg)
    and report the distribution of the fitted parameters (docs/twins.md)."""
    from .analysis.twins import fit_twins

    try:
        ids = None
        if subjects:
            try:
                ids = [int(x) for x in subjects.split(",")]
            except ValueError:
                raise NeuroimmuneError(f"--subjects: expected comma-separated integers such as "
                                       f"1,2,3, got {subjects!r}. Fix: list subject ids") from None
        _check_paths((out_dir, "--out", (), True))
        with Tracker("twins", unit="subjects", console=err,
                     note="fitting the virtual twins") as tracker:
            result = fit_twins(subjects=ids, starts=starts, seed=seed, max_nfev=max_nfev,
                               progress=lambda done, total: tracker.update(done, total=total))
            tracker.update(note="writing")
            written = result.save(out_dir) if out_dir is not None else []
    except NeuroimmuneError as exc:
        _fail(exc)
    out.print(result.to_markdown(), highlight=False, markup=False)
    for path in written:
        out.print(f"wrote {path}", highlight=False)


def _fit_bounds(items: list[str]) -> dict[str, tuple[float, float]]:
    out = {}
    for item in items:
        try:
            name, rng = item.split("=")
            lo, hi = (float(x) for x in rng.split(":"))
        except ValueError:
            raise NeuroimmuneError(problem("--bounds", "NAME=LOW:HIGH", item,
                                           "e.g. --bounds kTNF=0.5:5")) from None
        out[name.strip()] = (lo, hi)
    return out


def _scenario_system(spec: str, parameters: Optional[str]):
    """The compiled system of a scenario (a worker process of `fit` builds its own)."""
    from . import scenarios

    return scenarios.system(scenarios.load(spec), parameters)


def _overridden(sc, free: list[str]) -> dict[str, str]:
    """Free parameters that the scenario's [subject] table or profiles set: simulating with the
    fitted file would replace the fitted values, so they cannot be fitted in this scenario."""
    from .profiles import get

    out = {p: "its [subject] table" for p in free if p in sc.subject}
    for name in sc.profiles:
        prof = get(name)
        out.update({p: f"profile {name!r}" for p in free
                    if p in prof.parameters or p in prof.factors})
    return out


@app.command("fit")
def fit_data(
    data: Path = typer.Argument(..., help="tidy CSV: subject,time,output,value,unit[,sd] (time "
                                "in h after the scenario's t = 0; docs/fitting.md)"),
    scenario: str = typer.Option(..., "--scenario", help="built-in scenario name or .toml file "
                                 "(model, protocol, fixed values)"),
    free: str = typer.Option(..., "--free", help="comma-separated parameters to fit, e.g. "
                             "kTNF,k6"),
    subject: Optional[list[str]] = typer.Option(None, "--subject", help="fit only this subject "
                                                "(repeatable; default: every subject)"),
    out_dir: Optional[Path] = typer.Option(None, "--out", help="folder for parameter files, "
                                           "estimates.csv, fits.csv and figures"),
    noise: str = typer.Option("additive", "--noise", help="additive (value = model + error) "
                              "or proportional (log value = log model + error)"),
    starts: int = typer.Option(4, "--starts", min=1, help="multistart points per subject"),
    seed: int = typer.Option(0, "--seed", min=0, help="seed of the start points"),
    max_nfev: int = typer.Option(100, "--max-nfev", min=1, help="evaluations per start"),
    gradient: str = typer.Option("sensitivities", "--gradient", help="Jacobian of the fit: "
                                 "sensitivities (forward sensitivity equations) or fd (finite "
                                 "differences)"),
    bounds: list[str] = typer.Option([], "--bounds", help="NAME=LOW:HIGH (default: declared "
                                     "bounds, else value/10 to value*10); repeatable"),
    workers: Optional[int] = typer.Option(None, "--workers", min=1, help="processes fitting "
                                          "subjects in parallel (default: one per core from 3 "
                                          "subjects on)"),
    figures: bool = typer.Option(True, help="write the figures into --out"),
    parameters: Optional[Path] = typer.Option(None, "--parameters", help="a parameter-set file "
                                              "(from calibrate or fit) as the base values"),
) -> None:
    """Fit parameters of a scenario's model to your data, per subject: multistart least squares,
    profile-likelihood 95 % intervals and identifiability, a parameter file per subject that
    `simulate --parameters` takes (docs/fitting.md)."""
    import functools

    from . import scenarios
    from .analysis.fit import GRADIENTS, NOISE_MODELS, parameter_bounds
    from .analysis.fit_subjects import fit_subjects, save_fits
    from .io import read_observations
    from .parameter_sets import read_parameter_set

    try:
        _check_paths((out_dir, "--out", (), True))
        if noise not in NOISE_MODELS:
            raise NeuroimmuneError(problem("--noise", f"one of {list(NOISE_MODELS)}", noise,
                                           "e.g. --noise proportional"))
        if gradient not in GRADIENTS:
            raise NeuroimmuneError(problem("--gradient", f"one of {list(GRADIENTS)}", gradient,
                                           "e.g. --gradient fd"))
        names = [p.strip() for p in free.split(",") if p.strip()]
        box = _fit_bounds(bounds)
        sc = scenarios.load(scenario)
        base = read_parameter_set(parameters) if parameters is not None else None
        clash = _overridden(sc, names)
        if clash:
            raise NeuroimmuneError(problem("--free", "parameters the scenario leaves free",
                                           clash, "fit another parameter, or remove it from "
                                           "the scenario's [subject] table or profile"))
        with Tracker("fit", unit="subjects", console=err,
                     note=f"{sc.name} (compiling on first use)") as tracker:
            system = scenarios.system(sc, base)
            box = parameter_bounds(system, names, box)
            obs = read_observations(data, dict(zip(system.outputs, system.output_units)))
            if subject:
                have = list(dict.fromkeys(obs["subject"]))
                missing = [s for s in subject if s not in have]
                if missing:
                    raise NeuroimmuneError(problem("--subject", "subjects of the data",
                                                   missing, "choose among " +
                                                   ", ".join(have[:20])))
                obs = obs[obs["subject"].isin(subject)]
            tracker.update(note="fitting")
            fits = fit_subjects(
                system, sc.protocol, obs, names, bounds=box, starts=starts, seed=seed,
                max_nfev=max_nfev, noise=noise, workers=workers, gradient=gradient,
                make_system=functools.partial(_scenario_system, scenario,
                                              None if parameters is None else str(parameters)),
                progress=lambda done, total: tracker.update(done, total=total))
            written = []
            if out_dir is not None:
                tracker.update(note="writing")
                command = (f"neuroimmune fit {data.name} --scenario {scenario} --free "
                           f"{','.join(names)} --noise {noise} --starts {starts} --seed {seed} "
                           f"--max-nfev {max_nfev} --gradient {gradient}"
                           + "".join(f" --bounds {b}" for b in bounds)
                           + (f" --parameters {parameters}" if parameters else ""))
                written = save_fits(out_dir, fits, system, base=base, source=str(data.name),
                                    provenance=(f"command: {command}",
                                                f"scenario: {sc.name}: {sc.description}"),
                                    figures=figures)
    except NeuroimmuneError as exc:
        _fail(exc)
    table = Table(title=f"fit of {', '.join(names)} ({noise} noise; 95 % profile-likelihood "
                        "intervals)", title_justify="left")
    for col in ("subject", "status", "parameter", "value", "interval", "identifiability"):
        table.add_column(col, overflow="fold")
    for f in fits:
        if f.result is None:
            table.add_row(f.subject, "[red]failed[/]", "", "", "", escape(f.error))
            continue
        for _, r in f.result.table().iterrows():
            lo = f"{r['lower']:.4g}" if r["lower"] == r["lower"] else "open"
            hi = f"{r['upper']:.4g}" if r["upper"] == r["upper"] else "open"
            table.add_row(f.subject, f.status, r["parameter"], f"{r['value']:.4g}",
                          f"[{lo}, {hi}]" if r["kind"] == "model" else "",
                          r["identifiability"])
    out.print(table)
    for path in written:
        out.print(f"wrote {path}", highlight=False)
    failed = [f.subject for f in fits if f.result is None]
    for f in fits:
        if f.result is None:
            err.print(f"[yellow]subject {escape(f.subject)}:[/] {escape(f.error)}",
                      highlight=False)
    if failed:
        raise typer.Exit(code=1)


def main() -> None:
    try:
        app()
    except NeuroimmuneError as exc:  # errors raised outside a command body
        err.print(f"error: {escape(str(exc))}")
        sys.exit(2)
    except OSError as exc:  # the paths were checked; e.g. the disk filled up while writing
        err.print(f"error: {escape(exc.filename or 'output')}: expected to be written, got "
                  f"{escape(exc.strerror or str(exc))}. Fix: check the free space and the "
                  "permissions, or choose another path", highlight=False, soft_wrap=True)
        sys.exit(2)


if __name__ == "__main__":
    main()
