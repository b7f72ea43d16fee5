"""Packaged validation data keep their provenance and match the curated originals."""

import pytest

from neuroimmune import NeuroimmuneError
from neuroimmune.validation import dataset_names, load_dataset, provenance


def test_every_dataset_loads_with_provenance():
    names = dataset_names()
    assert "targets" in names and "lps_bolus_2ngkg_n20_individual_windoloski2024" in names
    for name in names:
        frame = load_dataset(name)
        assert len(frame) > 0
        if name != "targets":
            assert "github.com" in provenance(name) or "et al" in provenance(name), name


def test_individual_lps_data_has_20_subjects_and_8_times():
    d = load_dataset("lps_bolus_2ngkg_n20_individual_windoloski2024")
    assert d.subject.nunique() == 20
    assert sorted(d.time_h.unique()) == [0.0, 1.0, 1.5, 2.0, 3.0, 4.0, 5.0, 6.0]
    assert list(d.columns) == ["subject", "time_h", "TNF", "IL6", "IL8", "IL10"]


def test_targets_have_bands():
    t = load_dataset("targets")
    assert len(t) >= 29 and {"id", "lower", "upper", "unit", "source"} <= set(t.columns)


def test_unknown_dataset():
    with pytest.raises(NeuroimmuneError, match="Fix"):
        load_dataset("nope")
