"""Cohorts on a Dask cluster (dask.distributed): the same chunks, seeds and kernels as an
in-process run, so results are identical; a chunk whose worker dies is recomputed elsewhere.

Workers load the scenario by name (or TOML path, which must be readable on the workers) and take
the compiled kernels from the on-disk cache (set NEUROIMMUNE_CACHE_DIR to a shared folder on a
cluster). Output folders must be on a file system that every worker and the client can reach.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from . import scenarios
from .analysis.population import Population, run_cohort, write_chunk
from .compile import System
from .errors import require
from .scenarios import Scenario, load
from .solve import SolverOptions


@lru_cache(maxsize=8)
def _scenario(spec: str) -> tuple[Scenario, System]:
    sc = load(spec)
    return sc, scenarios.system(sc)


def _remote_chunk(k: int, spec: str, pop: Population, n: int, chunk_size: int, out: str,
                  outputs: tuple, trajectories: bool, options: SolverOptions) -> int:
    sc, system = _scenario(spec)
    return write_chunk(system, sc.protocol, sc.times(), pop, outputs, k, n, chunk_size,
                       Path(out), trajectories, options)


def run_cohort_dask(client, spec: str, pop: Population, n: int, out_dir: str | Path, *,
                    chunk_size: int = 1000, trajectories: bool = False,
                    options: SolverOptions = SolverOptions(), progress=None) -> Path:
    """run_cohort with the chunks computed by `client` (a dask.distributed.Client); needs the
    'scale' extra."""
    as_completed = require("distributed", "scale", "running on a Dask cluster",
                           "dask[distributed]").as_completed

    sc, system = _scenario(spec)

    def map_chunks(todo):
        futures = client.map(_remote_chunk, todo, spec=spec, pop=pop, n=n,
                             chunk_size=chunk_size, out=str(out_dir), outputs=sc.outputs,
                             trajectories=trajectories, options=options, pure=False)
        for future in as_completed(futures):
            yield future.result()

    return run_cohort(system, sc.protocol, sc.times(), pop, n, out_dir, scenario=sc.name,
                      outputs=sc.outputs, chunk_size=chunk_size, trajectories=trajectories,
                      options=options, map_chunks=map_chunks, progress=progress)
