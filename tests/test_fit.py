"""Parameter fitting recovers known parameters from synthetic data and reports bad input."""

import numpy as np
import pandas as pd
import pytest

from neuroimmune import NeuroimmuneError, Protocol, lps_bolus, solve
from neuroimmune.analysis.fit import fit

TRUE = {"kTNF": 2.1, "k6": 0.45, "kMA": 3.5}


def _synthetic(system, protocol, noise=0.0, seed=0):
    t = np.array([0.5, 1.0, 1.5, 2.0, 3.0, 4.0, 5.0, 6.0])
    sol = solve(system, TRUE, protocol, t)
    rows = []
    rng = np.random.default_rng(seed)
    for name in ("TNF", "IL6", "IL10"):
        y = sol.outputs[0, :, system.outputs.index(name)]
        sd = 0.05 * y + 1.0
        rows += [{"output": name, "time": ti, "value": v + noise * s * rng.standard_normal(),
                  "sd": s} for ti, v, s in zip(t, y, sd)]
    return pd.DataFrame(rows)


def test_recovers_known_parameters(innate_system):
    protocol = Protocol([lps_bolus(2.0)], clock_start=8)
    data = _synthetic(innate_system, protocol)
    result = fit(innate_system, protocol, data, list(TRUE), starts=3, seed=1)
    for name, value in TRUE.items():
        assert result.parameters[name] == pytest.approx(value, rel=1e-3), name
    assert result.cost < 1e-6
    assert len(result.starts) == 3


def test_noisy_data_gives_close_estimates(innate_system):
    protocol = Protocol([lps_bolus(2.0)], clock_start=8)
    data = _synthetic(innate_system, protocol, noise=1.0, seed=4)
    result = fit(innate_system, protocol, data, list(TRUE), starts=2)
    for name, value in TRUE.items():
        assert result.parameters[name] == pytest.approx(value, rel=0.15), name


def test_bad_input_is_named(innate_system):
    protocol = Protocol([lps_bolus(2.0)])
    good = pd.DataFrame({"output": ["TNF"], "time": [1.0], "value": [100.0]})
    cases = [(dict(data=good, parameters=["nope"]), "free parameters"),
             (dict(data=good.rename(columns={"value": "v"}), parameters=["kTNF"]), "columns"),
             (dict(data=good.assign(output="IL1b"), parameters=["kTNF"]), "output names"),
             (dict(data=good.assign(sd=0.0), parameters=["kTNF"]), "sd"),
             (dict(data=good, parameters=["kTNF"], bounds={"kTNF": (2.0, 1.0)}), "bounds")]
    for kwargs, needle in cases:
        with pytest.raises(NeuroimmuneError, match=needle):
            fit(innate_system, protocol, **kwargs)
