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
