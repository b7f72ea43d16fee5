"""Analyses on top of the solver: benchmarks (and later populations, fitting, sensitivity)."""
