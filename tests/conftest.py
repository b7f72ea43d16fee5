import os
from pathlib import Path

import pytest

# Kernels compile once per checkout: a fresh clone (CI) compiles from scratch, reruns reuse them.
os.environ.setdefault("NEUROIMMUNE_CACHE_DIR",
                      str(Path(__file__).resolve().parents[1] / ".pytest_cache" / "kernels"))


@pytest.fixture(scope="session")
def innate_system():
    from neuroimmune import compile_model, innate

    return compile_model(innate())


@pytest.fixture(scope="session")
def hpa_system():
    from neuroimmune import compile_model, hpa

    return compile_model(hpa())


@pytest.fixture(scope="session")
def coupled_system():
    from neuroimmune import compile_model, compose
    from neuroimmune.model.library import STANDARD

    return compile_model(compose(*(f() for f in STANDARD), name="standard"))
