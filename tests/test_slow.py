"""Slow checks, excluded from the default run: `python -m pytest -m slow`."""

import numpy as np
import pytest

from neuroimmune import SolverOptions
from neuroimmune.scenarios import BUILTIN

pytestmark = pytest.mark.slow


@pytest.mark.parametrize("name", sorted(BUILTIN))
def test_default_tolerance_is_adequate_for_every_builtin_scenario(name):
    """Results at the default rtol 1e-6 agree with rtol 1e-10 to 1e-3 of each output's range."""
    sc = BUILTIN[name]
    coarse = sc.run()
    fine = sc.run(SolverOptions(rtol=1e-10, atol=1e-12))
    for out in sc.outputs:
        a, b = coarse[out].values[0], fine[out].values[0]
        scale = np.ptp(b) + 1e-9 * np.abs(b).max() + 1e-12
        assert np.max(np.abs(a - b)) / scale < 1e-3, out


def test_rodas4_and_dopri5_agree_on_every_builtin_scenario():
    for sc in BUILTIN.values():
        a = sc.run(SolverOptions(rtol=1e-9, atol=1e-11))
        b = sc.run(SolverOptions(method="rodas4", rtol=1e-9, atol=1e-11))
        for out in sc.outputs:
            x, y = a[out].values[0], b[out].values[0]
            assert np.max(np.abs(x - y)) / (np.ptp(y) + 1e-9) < 1e-4, (sc.name, out)
