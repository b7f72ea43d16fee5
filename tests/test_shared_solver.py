"""The solver module shared by every model (docs/design/0040-shared-solver.md): results bitwise
those of the per-model solver it replaced, compiled once for all models (and cached across
processes), its lane stages still vectorised, a wrong argument a clear error."""

import hashlib
import os
import platform
import re
import subprocess
import sys
import textwrap

import numpy as np
import pytest

from neuroimmune import Protocol, SolverOptions, lps_bolus, solve
from neuroimmune.analysis.bench import virtual_patients
from neuroimmune.errors import SolverError

#: sha256 of (outputs, status, n_steps, y_end) of the innate model, computed with main at
#: 4071968 (the per-model solver: templates appended to each model's kernels) on x86-64 Linux
#: (glibc 2.36, numba 0.68.1, llvmlite 0.50.0); lanes=False with 20 patients and Rodas4 with 20
#: run solve_batch's parallel region, 40 on the lanes run two lane threads where numba has two.
MAIN = {
    (1, "dopri5", True): "2dcf06a28cf682dc3a626a144e06a47e8b1bdc211a09864789a54976d595784a",
    (3, "dopri5", True): "9b19d53f97e243659e091910e43c48802aa12bd41733de36da7219f2e78151a7",
    (5, "dopri5", True): "2bc2ed2158364e24a7068cdc54e421d87d03aec2b6332275d10a225dd7c78494",
    (20, "dopri5", False): "9fba599a078d01ca449a8f7007f8e95b7b25a4d5aa2174ae9093dd47c771cdc4",
    (40, "dopri5", True): "f1300133afd6a21a1d4476ed561a65d791a4a3c82ba0d5917f1bc564a7958c35",
    (3, "rodas4", True): "6f1473004bdd97330c6b9520ad9c8eba01c6d95abc6f48ce841d1a70c541f53a",
    (20, "rodas4", True): "1e05241c04624c232303960b776d9de10559313dec869341fd5bb7cc7aae52e3",
}


@pytest.mark.skipif(platform.machine() not in ("x86_64", "AMD64") or sys.platform != "linux",
                    reason="digests recorded on x86-64 Linux (libm's pow in the step control)")
@pytest.mark.parametrize("n, method, lanes", list(MAIN))
@pytest.mark.xdist_group("cold_innate")
def test_results_are_bitwise_those_of_the_per_model_solver(cold_innate, n, method, lanes):
    system = cold_innate.system  # compiled from an empty cache (tests/conftest.py)
    sol = solve(system, virtual_patients(system.p0, n, cv=0.3, seed=n),
                Protocol([lps_bolus(2.0)], clock_start=8.0), np.linspace(0.0, 24.0, 49),
                options=SolverOptions(method=method, lanes=lanes))
    h = hashlib.sha256()
    for a in (sol.outputs, sol.status, sol.n_steps, sol.y_end):
        h.update(np.ascontiguousarray(a).tobytes())
    assert h.hexdigest() == MAIN[n, method, lanes]


@pytest.mark.skipif(platform.machine() not in ("x86_64", "AMD64"),
                    reason="checks x86 packed instructions")
@pytest.mark.xdist_group("cold_innate")
def test_lane_stages_stay_vectorised(cold_innate):
    """The lane stages call rhs_lanes through a function value; their loops over the lanes
    still compile to packed arithmetic (426 packed and 440 scalar instructions on an AVX-512
    Xeon/EPYC, as main's stages without the rhs_lanes that LLVM inlined there; scalar code
    alone has a handful)."""
    stages = cold_innate.solver._dp5_lanes_stages  # compiled by a lane run in that process
    asm = stages.inspect_asm(stages.signatures[0])
    packed = len(re.findall(r"\bv(?:mul|add|sub|div)pd\b", asm))
    scalar = len(re.findall(r"\bv(?:mul|add|sub|div)sd\b", asm))
    assert packed > 200, (packed, scalar)


def test_a_wrong_argument_is_named(innate_system):
    k = innate_system.kernels
    n = innate_system.n_states
    args = [np.zeros((1, n)), innate_system.p0[None, :].copy(), 8.0, np.array([0.0, 1.0]),
            np.zeros((1, n)), np.zeros((1, n + len(innate_system.signals))),
            np.array([0.0, 1.0]), 1e-6, np.full(n, 1e-9), 1.0, 1000,
            np.zeros((1, 2, len(innate_system.outputs))), np.zeros(1, dtype=np.int64),
            np.zeros(1, dtype=np.int64), np.zeros((1, n))]
    args[8] = args[8].astype(np.float32)
    with pytest.raises(SolverError, match=r"argument 'atol' of the solver entry "
                                          r"solve_serial_dp5: expected array\(float64, 1d, C\)"):
        k.solve_serial_dp5(*args)
    args[8] = np.full(n, 1e-9)
    args[11] = np.zeros((1, len(innate_system.outputs), 2)).transpose(0, 2, 1)  # not contiguous
    with pytest.raises(SolverError, match="argument 'out' of the solver entry solve_batch"):
        k.solve_batch(0, *args)
    # nothing was compiled for the wrong types
    solver = k.shared_solver()
    assert len(solver.solve_serial_dp5.signatures) == 1
    assert len(solver.solve_batch.signatures) == 1


_RUN = textwrap.dedent("""
    import sys
    import numpy as np
    import numba
    from neuroimmune import Protocol, SolverOptions, compile_model, solve
    from neuroimmune.compile import helpers_module, solver_module
    from neuroimmune.model import Module, Parameter, Species, sym
    power = int(sys.argv[1])  # another model per power (another kernel key)
    x, k, a = sym("X"), sym("k_x"), sym("a_x")
    m = Module("decay", (Species("X", "1", 1.0, "test"),),
               (Parameter("k_x", 0.5, "1/h", "test"), Parameter("a_x", 2.0, "1", "test")),
               {"X": -k * a ** 1.5 * x ** power})
    system = compile_model(m)
    t = np.linspace(0.0, 4.0, 5)
    for n, method in ((1, "dopri5"), (16, "dopri5"), (2, "rodas4")):
        solve(system, np.tile(system.p0, (n, 1)), Protocol([]), t,
              options=SolverOptions(method=method))
    solver = solver_module()
    stats = [f.stats for f in vars(solver).values()
             if isinstance(f, numba.core.registry.CPUDispatcher)]
    model = [getattr(m, f).stats for m, f in ((system.kernels, "rhs"),
             (system.kernels, "rhs_lanes"), (system.kernels.jacobian_kernels(), "jac"))]
    helpers = [f.stats for f in vars(helpers_module()).values()
               if isinstance(f, numba.core.registry.CPUDispatcher)]
    print(sum(sum(s.cache_misses.values()) for s in stats),
          sum(sum(s.cache_hits.values()) for s in stats),
          sum(sum(s.cache_misses.values()) for s in model),
          sum(sum(s.cache_misses.values()) for s in helpers),
          sum(sum(s.cache_hits.values()) for s in helpers))
""")


@pytest.mark.xdist_group("cold_innate")
def test_a_second_model_compiles_only_its_own_kernels(cold_innate):
    """The first model (tests/conftest.py `cold_innate`, from an empty cache) compiles the solver
    and the math helpers; a second model in another process, same cache, loads every solver and
    helper function from numba's cache and compiles only its kernels."""
    assert cold_innate.dopri5["solve_serial_dp5"] == 1 and cold_innate.rodas4["solve_batch"] == 1
    assert sum(cold_innate.helpers.values()) > 0, "the first model compiles the math helpers"
    env = {**os.environ, "NEUROIMMUNE_CACHE_DIR": str(cold_innate.cache)}
    second = [int(v) for v in subprocess.run(
        [sys.executable, "-c", _RUN, "2"], env=env, capture_output=True, text=True,
        check=True).stdout.split()]
    assert second[0] == 0, "the second model compiles no solver function"
    assert second[1] == 3, "it loads the three entries from the cache"
    assert second[2] == 3, "and compiles its own kernels"
    assert second[3] == 0 and second[4] > 0, "but no math helper (docs/design/0045)"
    assert len(list(cold_innate.cache.glob("ni_solver_*.py"))) == 1
    assert len(list(cold_innate.cache.glob("ni_helpers_*.py"))) == 1


def test_read_only_inputs_are_copied_not_refused(innate_system):
    """An entry takes writable arrays only (one signature); read-only inputs, such as the values
    of an xarray time coordinate, are copied by solve()."""
    protocol = Protocol([lps_bolus(2.0)])
    t = np.linspace(0.0, 2.0, 5)
    P = virtual_patients(innate_system.p0, 2, seed=1)
    ref = solve(innate_system, P, protocol, t)
    t.flags.writeable = False
    P.flags.writeable = False
    sol = solve(innate_system, P, protocol, t)
    np.testing.assert_array_equal(sol.outputs, ref.outputs)
