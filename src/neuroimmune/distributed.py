"""Cohorts on a Dask cluster (dask.distributed): the same chunks, seeds and kernels as an
in-process run, so results are identical; a chunk whose worker dies is recomputed elsewhere.

Workers load the scenario by name (or TOML path, which must be readable on the workers) and take
the compiled kernels from the on-disk cache (set NEUROIMMUNE_CACHE_DIR to a shared folder on a
cluster). Output folders must be on a file system that every worker and the client can reach.
The manifest is the one an in-process run writes (the client holds the folder's lock), and a
worker refuses a chunk when the scenario it reads differs from the client's (a file edited
during the run).
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from . import scenarios
from .analysis.population import Population, run_cohort, scenario_content, write_chunk
from .compile import System
from .errors import NeuroimmuneError, problem, require
from .scenarios import Scenario, load
from .solve import SolverOptions


def _digest(sc: Scenario) -> dict[str, str]:
    return scenario_content(sc, sc.protocol, sc.times(), sc.outputs)


@lru_cache(maxsize=8)
def _scenario(spec: str, expected: tuple) -> tuple[Scenario, System]:
    """The scenario `spec` and its system, when its content is `expected` (the client's);
    cached per content, so an edited file is read again."""
    sc = load(spec)
    got = _digest(sc)
    if tuple(sorted(got.items())) != expected:
        changed = [k for k, v in expected if got.get(k) != v]
        raise NeuroimmuneError(problem(f"scenario {spec} on a worker", "the content the client "
                                       "read", f"a different content ({', '.join(changed)} "
                                       "changed)", "do not edit the scenario file during a run; "
                                       "give every worker the same file"))
    return sc, scenarios.system(sc)


def _remote_chunk(k: int, spec: str, pop: Population, n: int, chunk_size: int, out: str,
                  outputs: tuple, trajectories: bool, options: SolverOptions,
                  expected: tuple = ()) -> int:
    sc, system = _scenario(spec, expected)
    return write_chunk(system, sc.protocol, sc.times(), pop, outputs, k, n, chunk_size,
                       Path(out), trajectories, options)


def run_cohort_dask(client, spec: str, pop: Population, n: int, out_dir: str | Path, *,
                    chunk_size: int = 1000, trajectories: bool = False,
                    options: SolverOptions = SolverOptions(), progress=None) -> Path:
    """run_cohort with the chunks computed by `client` (a dask.distributed.Client); needs the
    'scale' extra."""
    as_completed = require("distributed", "scale", "running on a Dask cluster",
                           "dask[distributed]").as_completed

    sc = load(spec)  # read now, not from a cache: the manifest hashes this content
    system = scenarios.system(sc)
    expected = tuple(sorted(_digest(sc).items()))

    def map_chunks(todo):
        futures = client.map(_remote_chunk, list(todo), spec=spec, pop=pop, n=n,
                             chunk_size=min(chunk_size, n), out=str(out_dir),
                             outputs=sc.outputs, trajectories=trajectories, options=options,
                             expected=expected, pure=False)
        for future in as_completed(futures):
            yield future.result()

    return run_cohort(system, sc.protocol, sc.times(), pop, n, out_dir, scenario=sc,
                      outputs=sc.outputs, chunk_size=chunk_size, trajectories=trajectories,
                      options=options, map_chunks=map_chunks, progress=progress)
