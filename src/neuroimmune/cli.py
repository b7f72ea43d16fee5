"""Command line: `neuroimmune simulate SCENARIO`, `neuroimmune scenarios`."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Optional

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.table import Table

from .errors import NeuroimmuneError

app = typer.Typer(add_completion=False, no_args_is_help=True, pretty_exceptions_enable=False,
                  help="Simulate neuro-immune-endocrine communication. Research and teaching "
                       "tool, not for clinical decisions.")
err = Console(stderr=True)
out = Console()


def _fail(exc: Exception) -> None:
    err.print(f"[bold red]error:[/] {escape(str(exc))}", highlight=False, soft_wrap=True)
    raise typer.Exit(code=2)


@app.command()
def simulate(
    scenario: str = typer.Argument(..., help="built-in scenario name or path to a .toml file"),
    out_file: Optional[Path] = typer.Option(None, "--out", help="write results (.csv, .parquet "
                                            "or .nc)"),
    plot_file: Optional[Path] = typer.Option(None, "--plot", help="write a figure (.png/.pdf)"),
    method: str = typer.Option("dopri5", help="integrator: dopri5 or rodas4"),
    rtol: float = typer.Option(1e-6, help="relative tolerance"),
) -> None:
    """Run a scenario and write its results and/or a figure."""
    from . import io, plotting, scenarios
    from .solve import SolverOptions

    try:
        sc = scenarios.load(scenario)
        options = SolverOptions(method=method, rtol=rtol)
        if out_file is not None and out_file.suffix.lower() not in io.FORMATS:
            raise NeuroimmuneError(f"--out: expected a file ending in one of {io.FORMATS}, got "
                                   f"{str(out_file)!r}. Fix: e.g. --out results.csv")
        with Progress(SpinnerColumn(), TextColumn("{task.description}"), TimeElapsedColumn(),
                      console=err, transient=True, disable=not err.is_terminal) as progress:
            task = progress.add_task(f"simulating {sc.name} (compiling on first use)", total=None)
            ds = sc.run(options)
            progress.update(task, description="writing")
            if out_file is not None:
                io.write(ds, out_file, list(sc.outputs))
            if plot_file is not None:
                plotting.plot(ds, sc.outputs, plot_file, title=sc.description)
    except NeuroimmuneError as exc:
        _fail(exc)
    failed = ds.ni.failed
    for p, msg in zip(failed["patient"].values, failed.values):
        err.print(f"[yellow]patient {p}:[/] {escape(str(msg))}", highlight=False)
    summary = Table(title=f"{sc.name}: {sc.description}", title_justify="left")
    for col in ("output", "unit", "start", "peak", "time of peak (h)", "end"):
        summary.add_column(col)
    for name in sc.outputs:
        da = ds[name].isel(patient=0)
        summary.add_row(name, da.attrs["units"], f"{float(da[0]):.4g}", f"{float(da.max()):.4g}",
                        f"{float(ds.ni.time_to_peak(name)[0]):.2f}", f"{float(da[-1]):.4g}")
    out.print(summary)
    for path in (out_file, plot_file):
        if path is not None:
            out.print(f"wrote {path}")
    if len(failed):
        raise typer.Exit(code=1)


@app.command("scenarios")
def list_scenarios() -> None:
    """List the built-in scenarios."""
    from .scenarios import BUILTIN

    for name, sc in BUILTIN.items():
        out.print(f"{name:16s} {sc.description}", highlight=False)


def main() -> None:
    try:
        app()
    except NeuroimmuneError as exc:  # errors raised outside a command body
        err.print(f"error: {escape(str(exc))}")
        sys.exit(2)


if __name__ == "__main__":
    main()
