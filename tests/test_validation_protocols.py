"""Protocols behind the new out-of-sample targets (issue #16 item 2): the injected-hormone event,
validation protocol files, the statistics the targets use and the bands derived from spreads."""

import math

import numpy as np
import pytest
import xarray as xr

from neuroimmune.errors import NeuroimmuneError, ScenarioError
from neuroimmune.io.scenario import parse_scenario
from neuroimmune.model.library.hpa import cosyntropin_plasma_rise
from neuroimmune.protocol import Bolus
from neuroimmune.validation import bands
from neuroimmune.validation.datasets import protocol_names
from neuroimmune.validation.harness import validation_scenario
from neuroimmune.validation.rules import Course, find_rule

ACTH_TEST = """
name = "t"
[time]
end = 2
step = 0.5
[[events]]
type = "hormone"
hormone = "{hormone}"
amount = "{amount}"
"""


def test_cosyntropin_is_converted_by_moles_into_the_plasma_volume():
    # 250 ug of ACTH 1-24 (2933.4 g/mol) = 85.2 nmol; as ACTH 1-39 (4541.1 g/mol) in 2.8 L
    expected = 250e-6 / 2933.4 * 4541.1 * 1e12 / 2800.0
    assert cosyntropin_plasma_rise(250.0) == pytest.approx(expected, rel=1e-12)
    assert expected == pytest.approx(138_228, rel=1e-3)
    sc = parse_scenario(ACTH_TEST.format(hormone="cosyntropin", amount="1 ug"))
    (event,) = sc.protocol.events
    assert isinstance(event, Bolus) and event.species == "ACTH"
    assert event.amount == pytest.approx(cosyntropin_plasma_rise(1.0))
    # a milligram is a microgram x 1000: beyond the 250-ug test dose it needs the flag
    with pytest.raises(ScenarioError, match=r"at most 250 ug of cosyntropin.*Dickstein"):
        parse_scenario(ACTH_TEST.format(hormone="cosyntropin", amount="1 mg"))


def test_unknown_hormone_and_wrong_unit_are_clear_errors():
    with pytest.raises(ScenarioError, match=r"events\[0\].*hormone.*did you mean 'cosyntropin'"):
        parse_scenario(ACTH_TEST.format(hormone="cosyntropine", amount="1 ug"))
    with pytest.raises(ScenarioError, match=r"events\[0\].*amount"):
        parse_scenario(ACTH_TEST.format(hormone="cosyntropin", amount="1 ng/kg/min"))


def test_every_validation_protocol_loads():
    names = protocol_names()
    assert names, "no validation protocols packaged"
    for name in names:
        assert validation_scenario(name).name == name
    with pytest.raises(NeuroimmuneError, match="validation protocol"):
        validation_scenario("no-such-protocol")


def _course(values, onset=1.0, step=0.5):
    t = np.arange(len(values)) * step
    da = xr.DataArray(np.asarray(values, float), dims="time", coords={"time": t},
                      attrs={"units": "ug/dL"})
    return Course(da, da * 2.0, onset, "cortisol")


@pytest.mark.parametrize("text, expected", [
    ("value 30 min after onset", 14.0),
    ("value 1 h after onset", 20.0),
    ("rise 60 min after onset", 10.0),
    ("value 1 h after onset / pre-ACTH value", 2.0),
    ("mean value", (0.5 * (10 + 14) / 2 + 0.5 * (14 + 20) / 2) / 1.0),  # trapezoids, [1, 2] h
    ("mean / mean in healthy controls", 0.5),
    ("peak / peak in healthy controls", 0.5),
    ("area under the curve / area with LPS alone", 0.5),
    ("value 30 min after onset / value with LPS alone", 0.5),
])
def test_new_statistics(text, expected):
    c = _course([10, 10, 10, 14, 20])  # onset 1 h: 10 at 1 h, 14 at 1.5 h, 20 at 2 h
    rule, m = find_rule(text)
    assert rule.compute(c, m) == pytest.approx(expected)


def test_mean_2sem_band_from_sd_and_from_sem():
    assert bands.band(bands.MEAN_2SEM, 10.0, 4.0, "SD", 16) == (8.0, 12.0)
    assert bands.band(bands.MEAN_2SEM, 10.0, 1.0, "SEM", 16) == (8.0, 12.0)
    with pytest.raises(NeuroimmuneError, match="n"):
        bands.band(bands.MEAN_2SEM, 10.0, 4.0, "SD", math.nan)
    with pytest.raises(NeuroimmuneError, match="spread_kind"):
        bands.band(bands.MEAN_2SEM, 10.0, 4.0, "IQR", 10)
    with pytest.raises(NeuroimmuneError, match="band_rule"):
        bands.band("mean +- 1 SD", 10.0, 4.0, "SD", 10)
    assert bands.rounded(123.456) == 123.0 and bands.rounded(0.012345) == 0.0123


def test_auc_ratio_uses_the_same_length_of_time_after_each_challenge():
    """A scenario whose challenge comes 1 h after its start (lps-4ngkg-ibuprofen) is compared
    with a reference challenged at its start over equal windows, not over unequal remainders."""
    t = np.arange(0.0, 3.01, 0.5)
    tr = np.arange(0.0, 5.01, 0.5)
    da = xr.DataArray(np.ones_like(t), dims="time", coords={"time": t}, attrs={"units": "pg/mL"})
    ref = xr.DataArray(np.ones_like(tr), dims="time", coords={"time": tr},
                       attrs={"units": "pg/mL"})
    rule, m = find_rule("area under the curve / area with LPS alone")
    c = Course(da, ref, 1.0, "TNF", reference_onset=0.0)
    assert rule.compute(c, m) == pytest.approx(1.0)  # 2 h each, not 2 h over 5 h
