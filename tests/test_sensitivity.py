"""Global sensitivity with SALib: known structure is recovered (IL-8 has no path to TNF)."""

import pytest
from typer.testing import CliRunner

from neuroimmune import NeuroimmuneError, scenarios
from neuroimmune.analysis.sensitivity import sensitivity
from neuroimmune.cli import app
from neuroimmune.scenarios import load


@pytest.fixture(scope="module")
def lps():
    sc = load("lps-bolus")
    return scenarios.system(sc), sc.protocol, sc.times()


def test_morris_finds_tnf_production_and_ignores_il8(lps):
    frame = sensitivity(*lps, "TNF.peak", method="morris", n=12,
                        parameters=["kTNFM", "kTNF", "k8", "k8M"])
    mu = dict(zip(frame.parameter, frame.mu_star))
    # IL-8 feeds back on nothing: only solver-tolerance noise (rtol 1e-6) remains
    assert mu["k8"] < 1e-5 * mu["kTNFM"] and mu["k8M"] < 1e-5 * mu["kTNFM"]
    assert mu["kTNFM"] > 50 and mu["kTNF"] > 50
    assert list(frame.parameter[:2]) == ["kTNFM", "kTNF"] or \
        set(frame.parameter[:2]) == {"kTNFM", "kTNF"}


def test_sobol_indices_are_consistent(lps):
    frame = sensitivity(*lps, "IL6.peak", method="sobol", n=64,
                        parameters=["k6M", "k6", "k8"], seed=1)
    st = dict(zip(frame.parameter, frame.ST))
    s1 = dict(zip(frame.parameter, frame.S1))
    assert st["k8"] < 0.01 and abs(s1["k8"]) < 0.05
    assert st["k6M"] > 0.5 and st["k6"] > 0.1
    assert 0.7 < frame.S1.sum() < 1.2  # nearly additive model over this range
    assert frame.attrs["n_simulations"] == 64 * (3 + 2)


def test_bad_arguments(lps):
    for kwargs, needle in (({"output": "TNF.mean"}, "OUTPUT.STATISTIC"),
                           ({"output": "TNF.peak", "method": "fast"}, "sobol"),
                           ({"output": "TNF.peak", "parameters": ["nope"]}, "free parameters")):
        with pytest.raises(NeuroimmuneError, match=needle):
            sensitivity(*lps, **kwargs)


def test_cli_writes_figure_and_table(tmp_path):
    result = CliRunner().invoke(app, ["sensitivity", "lps-bolus", "--output", "TNF.peak",
                                      "--method", "morris", "--n", "6", "--params",
                                      "kTNFM,k8", "--plot", str(tmp_path / "s.png"),
                                      "--out", str(tmp_path / "s.csv")])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "s.png").stat().st_size > 5000
    assert "kTNFM" in (tmp_path / "s.csv").read_text()
