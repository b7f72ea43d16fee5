"""Reading and writing: result tables (CSV, Parquet, NetCDF), observations to fit and SBML
export. The names are imported on first use (pandas and sympy only when needed: warm start,
docs/design/0028-warm-start.md)."""

import importlib
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .observations import read_observations
    from .paths import FIGURES, check_output_path
    from .sbml import to_sbml, write_sbml
    from .tables import FORMATS, read_csv, require_format, to_frame, units_of, write

_LAZY = {"read_observations": ".observations", "FIGURES": ".paths",
         "check_output_path": ".paths", "to_sbml": ".sbml", "write_sbml": ".sbml",
         "FORMATS": ".paths", "read_csv": ".tables", "require_format": ".tables",
         "to_frame": ".tables", "units_of": ".tables", "write": ".tables"}


def __getattr__(name):
    if name in _LAZY:
        value = getattr(importlib.import_module(_LAZY[name], __name__), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__():
    return sorted(set(globals()) | set(_LAZY))


__all__ = ["FIGURES", "FORMATS", "check_output_path", "read_csv", "read_observations",
           "require_format", "to_frame", "units_of", "write", "to_sbml", "write_sbml"]
