"""Packaged validation data keep their provenance and match the curated originals."""

import pytest

from neuroimmune import NeuroimmuneError
from neuroimmune.validation import bands, dataset_names, load_dataset, load_targets, provenance
from neuroimmune.validation.calibrate import (
    PUBLISHED_FIT_DATASETS,
    calibration_blocks,
    calibration_datasets,
)


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


def test_every_target_has_its_provenance():
    """Issue #16: each target names its source, the dataset and cohort its value comes from, how
    its band was derived, and whether that data was fitted (in_sample), with the reason in notes."""
    t = load_targets()
    assert len(t) >= 29
    for col in ("source", "dataset", "cohort", "band_rule", "notes"):
        blank = t["id"][t[col].astype(str).str.strip() == ""].tolist()
        assert not blank, (col, blank)
    assert t["in_sample"].dtype == bool
    for _, row in t.iterrows():
        word = "in-sample" if row["in_sample"] else "out-of-sample"
        assert word in row["notes"], (row["id"], row["notes"])  # the decision, with its reason


def test_no_calibration_block_reads_an_out_of_sample_target_dataset():
    """Issue #16: an out-of-sample target is evidence only if its data entered neither the
    calibration blocks nor the fit of a published module the model uses."""
    read = calibration_datasets()
    # the block sources name packaged files; the comparison below relies on that
    assert set(read) == {
        "lps_bolus_2ngkg_n20_individual_windoloski2024", "cortisol_acth_24h_carroll2007_controls",
        "cortisol_24h_yehuda1996_controls", "tsst_cortisol_nelson_vevapy_individual",
        "lps_2ngkg_hormone_peaks_barber1993"}
    fitted = set(read) | set(PUBLISHED_FIT_DATASETS)
    sources = " ".join(b.source for b in calibration_blocks())
    t = load_targets()
    out = t[~t["in_sample"]]
    assert len(out) > 0
    for _, row in out.iterrows():
        for name in fitted:
            assert name not in row["dataset"] and name not in row["source"], (row["id"], name)
        # a study named in the dataset column is not a calibration block source
        assert row["dataset"] not in sources, row["id"]
        for cohort in ("Janum", "Carroll", "Yehuda", "Nelson", "LPS-alone arm)"):
            assert not row["cohort"].startswith(cohort), (row["id"], row["cohort"])
    # and the reverse: targets whose dataset IS a fitted file are counted in-sample
    for _, row in t.iterrows():
        if any(name == row["dataset"] for name in fitted):
            assert row["in_sample"], row["id"]


def test_derived_bands_follow_their_rule():
    """Issue #16: a band derived from the data's own spread is what its written rule gives (mean
    +- 2 SEM from the published SD and n, or SEM), to the 3 significant figures the file keeps;
    a published interval is copied, with the study's n and the page it was read from."""
    t = load_targets()
    derived = t[t["band_rule"] == bands.MEAN_2SEM]
    assert len(derived) >= 20
    for _, row in derived.iterrows():
        lo, hi = bands.band(bands.MEAN_2SEM, row["target"], float(row["spread"]),
                            row["spread_kind"], float(row["n"]))
        assert (row["lower"], row["upper"]) == (bands.rounded(lo), bands.rounded(hi)), row["id"]
    new = t[t["url"].str.startswith("http")]
    assert len(new) >= 30
    for _, row in new.iterrows():
        assert row["band_rule"].startswith(bands.BAND_RULES), row["id"]
        assert float(row["n"]) >= 1, row["id"]


def test_in_sample_flag_is_checked(tmp_path):
    rows = load_targets().head(2).copy()
    rows["in_sample"] = ["true", "maybe"]
    f = tmp_path / "t.csv"
    rows.to_csv(f, index=False)
    with pytest.raises(NeuroimmuneError, match="in_sample"):
        load_targets(f)
    # a user's file without the provenance columns is read, every target out-of-sample
    rows.drop(columns=["dataset", "cohort", "band_rule", "in_sample"]).to_csv(f, index=False)
    assert not load_targets(f)["in_sample"].any()


def test_unknown_dataset():
    with pytest.raises(NeuroimmuneError, match="Fix"):
        load_dataset("nope")
