"""Writing results: CSV (units in '#' header lines), Parquet (units in the schema metadata) and
NetCDF (units as attributes)."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import xarray as xr

from ..atomic import atomic_path, atomic_write
from ..errors import NeuroimmuneError, problem, require
from .paths import FORMATS

#: suffix -> (module it needs, extra that installs it)
FORMAT_EXTRAS = {".parquet": ("pyarrow", "formats"), ".nc": ("h5netcdf", "formats")}


def require_format(path: str | Path) -> None:
    """Raise MissingExtraError when writing `path` needs an extra that is not installed."""
    suffix = Path(path).suffix.lower()
    if suffix in FORMAT_EXTRAS:
        module, extra = FORMAT_EXTRAS[suffix]
        require(module, extra, f"writing {suffix} files")


def to_frame(ds: xr.Dataset, variables: list[str] | None = None) -> pd.DataFrame:
    """Wide table: time (h), clock (h), then one column per variable; a `patient` column when
    there is more than one patient."""
    names = variables or [str(v) for v in ds.data_vars if ds[v].dims == ("patient", "time")]
    missing = [v for v in names if v not in ds.data_vars]
    if missing:
        raise NeuroimmuneError(problem("outputs", f"names among {list(ds.data_vars)}", missing,
                                       "check the output names"))
    frame = ds[names].to_dataframe().reset_index()
    cols = ["patient", "time", "clock"] + names
    frame = frame[cols]
    if ds.sizes["patient"] == 1:
        frame = frame.drop(columns="patient")
    return frame


def units_of(ds: xr.Dataset, columns) -> dict[str, str]:
    units = {"time": "h", "clock": "h", "patient": "1"}
    for c in columns:
        if c in ds.data_vars:
            units[c] = ds[c].attrs.get("units", "1")
    return {c: units.get(c, "1") for c in columns}


def write(ds: xr.Dataset, path: str | Path, variables: list[str] | None = None) -> Path:
    """Write results to .csv, .parquet or .nc (chosen by the file suffix), atomically: the file
    is complete or absent (or the previous one), never truncated (neuroimmune.atomic)."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in FORMATS:
        raise NeuroimmuneError(problem("output file", f"a name ending in one of {FORMATS}",
                                       str(path), "e.g. --out results.csv"))
    require_format(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    if suffix == ".nc":
        missing = [v for v in variables or [] if v not in ds.data_vars]
        if missing:
            raise NeuroimmuneError(problem("outputs", f"names among {list(ds.data_vars)}",
                                           missing, "check the output names"))
        out = ds if variables is None else ds[variables + ["status", "status_message"]]
        out = out.copy()
        out["status_message"] = out["status_message"].astype(str)
        with atomic_path(path) as tmp:
            out.to_netcdf(tmp, engine="h5netcdf")
        return path
    frame = to_frame(ds, variables)
    units = units_of(ds, frame.columns)
    if suffix == ".csv":
        with atomic_write(path, "w") as fh:
            fh.write(f"# neuroimmune results; model: {ds.attrs.get('model', '')}; "
                     f"clock time at t=0: {ds.attrs.get('clock_start_h', '')} h\n")
            fh.write("# units: " + ", ".join(f"{c}={u}" for c, u in units.items()) + "\n")
            frame.to_csv(fh, index=False)
    else:
        import pyarrow as pa  # present: require_format checked it
        import pyarrow.parquet as pq

        table = pa.Table.from_pandas(frame, preserve_index=False)
        meta = dict(table.schema.metadata or {})
        meta[b"neuroimmune.units"] = json.dumps(units).encode()
        meta[b"neuroimmune.attrs"] = json.dumps({k: str(v) for k, v in ds.attrs.items()}).encode()
        with atomic_path(path) as tmp:
            pq.write_table(table.replace_schema_metadata(meta), tmp)
    return path


def read_csv(path: str | Path) -> pd.DataFrame:
    """Read a CSV written by `write` (skips the '#' header lines)."""
    return pd.read_csv(path, comment="#")
