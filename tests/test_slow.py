"""Slow checks, excluded from the default run: `python -m pytest -m slow`."""

import numpy as np
import pytest

from neuroimmune import SolverOptions, scenarios
from neuroimmune.scenarios import BUILTIN

pytestmark = pytest.mark.slow
#: Absolute floor (in each output's unit): differences far below any measurable level, e.g. the
#: residual epinephrine of a subject without adrenal medulla (about 1e-11 pg/mL).
FLOOR = 1e-6


@pytest.mark.parametrize("name", sorted(BUILTIN))
def test_default_tolerance_is_adequate_for_every_builtin_scenario(name):
    """Results at the default rtol 1e-6 agree with rtol 1e-10 to 1e-3 of each output's range
    (plus FLOOR)."""
    sc = BUILTIN[name]
    coarse = scenarios.simulate(sc)
    fine = scenarios.simulate(sc, options=SolverOptions(rtol=1e-10, atol=1e-12))
    for out in sc.outputs:
        a, b = coarse[out].values[0], fine[out].values[0]
        scale = np.ptp(b) + 1e-9 * np.abs(b).max()
        assert np.max(np.abs(a - b)) < 1e-3 * scale + FLOOR, out


def test_rodas4_and_dopri5_agree_on_every_builtin_scenario():
    for sc in BUILTIN.values():
        a = scenarios.simulate(sc, options=SolverOptions(rtol=1e-9, atol=1e-11))
        # (a step budget for 100-day scenarios: chronic-stress needs more than the default
        # 200,000 Rodas4 steps at rtol 1e-9, and stopped with MAX_STEPS: NaN, not disagreement)
        b = scenarios.simulate(sc, options=SolverOptions(method="rodas4", rtol=1e-9, atol=1e-11,
                                                         max_steps=2_000_000))
        for out in sc.outputs:
            x, y = a[out].values[0], b[out].values[0]
            assert np.max(np.abs(x - y)) < 1e-4 * np.ptp(y) + FLOOR, (sc.name, out)
