"""Reading and writing: result tables (CSV, Parquet, NetCDF), observations to fit and SBML
export."""

from .observations import read_observations
from .paths import FIGURES, check_output_path
from .sbml import to_sbml, write_sbml
from .tables import FORMATS, read_csv, require_format, to_frame, units_of, write

__all__ = ["FIGURES", "FORMATS", "check_output_path", "read_csv", "read_observations",
           "require_format", "to_frame", "units_of", "write", "to_sbml", "write_sbml"]
