"""Options of the HPA module: ultradian modulation, plasma binding and the neutral hooks."""

import numpy as np
import pytest
from scipy.signal import find_peaks

from neuroimmune import Protocol, compile_model, simulate
from neuroimmune.model.library import bangsgaard_ottesen_hpa, bangsgaard_ottesen_hpa_ultradian


def _peaks(x):
    """Pulses with a prominence of at least 0.5 ug/dL."""
    return len(find_peaks(x, prominence=0.5)[0])


def test_ultradian_option_gives_hourly_cortisol_pulses_on_the_circadian_profile(hpa_system):
    t = np.arange(0.0, 24.0 + 1e-9, 1.0 / 12.0)
    protocol = Protocol([], clock_start=0.0, preequilibrate_days=60)
    plain = simulate(hpa_system, protocol, t)
    ultra = simulate(compile_model(bangsgaard_ottesen_hpa_ultradian()), protocol, t)
    assert (ultra["status"] == 0).all()
    c = ultra["cortisol"].values[0]
    assert _peaks(plain["cortisol"].values[0]) <= 2
    assert 6 <= _peaks(c) <= 24  # a pulse every 1-4 h
    # the circadian shape survives: morning cortisol above evening cortisol
    clock = ultra["clock"].values
    morning = c[(clock >= 6) & (clock <= 10)].mean()
    evening = c[(clock >= 20) & (clock <= 24)].mean()
    assert morning > 2 * evening


def test_hooks_at_their_defaults_leave_the_published_model_unchanged():
    """The hooks of docs/design/0003 are neutral: with and without them the module gives the
    same trajectories."""
    t = np.arange(0.0, 48.0 + 1e-9, 0.5)
    a = simulate(compile_model(bangsgaard_ottesen_hpa()), Protocol([], clock_start=0.0), t)
    b = simulate(compile_model(bangsgaard_ottesen_hpa(hooks=False)),
                 Protocol([], clock_start=0.0), t)
    for name in ("CRH", "ACTH", "cortisol"):
        np.testing.assert_allclose(a[name], b[name], rtol=1e-6, atol=1e-9)
    np.testing.assert_allclose(a["glucocorticoid"], a["cortisol"], rtol=1e-10)
    assert float(a["GR_occupancy"].max()) < float(a["MR_occupancy"].max())
    with pytest.raises(KeyError):
        a["nonexistent"]
