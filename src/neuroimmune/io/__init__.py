"""Reading and writing: result tables (CSV, Parquet, NetCDF) and SBML export."""

from .sbml import to_sbml, write_sbml
from .tables import FORMATS, read_csv, to_frame, units_of, write

__all__ = ["FORMATS", "read_csv", "to_frame", "units_of", "write", "to_sbml", "write_sbml"]
