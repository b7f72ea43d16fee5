"""The layering model -> compile -> solve -> results -> io/cli is enforced (import-linter)."""

import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_import_contract_is_kept():
    exe = shutil.which("lint-imports") or str(Path(sys.executable).with_name("lint-imports"))
    result = subprocess.run([exe, "--config", str(ROOT / "pyproject.toml")], cwd=ROOT,
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "1 kept, 0 broken" in result.stdout


def test_public_api_is_curated():
    import neuroimmune

    for name in neuroimmune.__all__:
        assert hasattr(neuroimmune, name), name
    assert "simulate" in neuroimmune.__all__ and "compile_model" in neuroimmune.__all__
