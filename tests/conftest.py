import os
from pathlib import Path

import pytest

# Kernels compile once per checkout: a fresh clone (CI) compiles from scratch, reruns reuse them.
os.environ.setdefault("NEUROIMMUNE_CACHE_DIR",
                      str(Path(__file__).resolve().parents[1] / ".pytest_cache" / "kernels"))
# The error-format tests expect exactly one stderr line; on a loaded machine a command that
# compiles would also print plain progress lines (every 10 s). Tests of the progress lines set
# their own interval.
os.environ.setdefault("NEUROIMMUNE_PROGRESS_SECONDS", "3600")


@pytest.fixture(scope="session")
def innate_system():
    from neuroimmune import compile_model, innate

    return compile_model(innate())


@pytest.fixture(scope="session")
def hpa_system():
    from neuroimmune import compile_model, hpa

    return compile_model(hpa(adrenal="published"))  # the published module (paper checks)


@pytest.fixture(scope="session")
def coupled_system():
    from neuroimmune import compile_model, compose
    from neuroimmune.model.library import STANDARD

    return compile_model(compose(*(f() for f in STANDARD), name="standard"))


@pytest.fixture(scope="session")
def calibration_peak_sem():
    """Relative standard error of the mean LPS 2 ng/kg peak in the data the standard model is
    calibrated to: TNF, IL-6, IL-10 from the n = 20 individual peaks (Janum; Windoloski 2024),
    cortisol from Barber 1993 (29.6 +- 2.9 ug/dL, SE). A module that should leave the LPS
    response "nearly unchanged" may move each peak by less than this: less than those studies
    could resolve."""
    import numpy as np

    from neuroimmune.validation.datasets import load_dataset

    d = load_dataset("lps_bolus_2ngkg_n20_individual_windoloski2024")
    peaks = d.groupby("subject")[["TNF", "IL6", "IL10"]].max()
    rel = (peaks.std() / peaks.mean() / np.sqrt(len(peaks))).to_dict()
    b = load_dataset("lps_2ngkg_hormone_peaks_barber1993").set_index("variable")
    rel["cortisol"] = b.loc["cortisol", "peak_se"] / b.loc["cortisol", "peak_mean"]
    return rel
