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
    # by construction (mu* = mean |elementary effect|, sigma a standard deviation): no size
    # of the TNF production effects is asserted, only that they are real and rank first
    assert (frame.mu_star >= 0).all() and (frame.sigma >= 0).all()
    f = frame.set_index("parameter")
    for name in ("kTNFM", "kTNF"):   # an effect larger than its bootstrap confidence interval
        assert f.loc[name, "mu_star"] > f.loc[name, "mu_star_conf"], name
    assert list(frame.parameter[:2]) == ["kTNFM", "kTNF"] or \
        set(frame.parameter[:2]) == {"kTNFM", "kTNF"}


def test_sobol_indices_are_consistent(lps):
    frame = sensitivity(*lps, "IL6.peak", method="sobol", n=64,
                        parameters=["k6M", "k6", "k8"], seed=1)
    st = dict(zip(frame.parameter, frame.ST))
    s1 = dict(zip(frame.parameter, frame.S1))
    f = frame.set_index("parameter")
    # IL-8 feeds back on nothing: its total index is solver-tolerance noise (rtol 1e-6 on the
    # peak, squared in a variance ratio), its first-order index zero within its confidence
    assert st["k8"] < 1e-6 and abs(s1["k8"]) <= f.loc["k8", "S1_conf"] + 1e-6
    # production (k6M) and clearance (k6) of IL-6 both act on its peak: they rank above k8
    assert list(frame.parameter[2:]) == ["k8"]
    # properties of the indices by construction, up to the bootstrap confidence intervals:
    # each within [0, 1], total >= first order, first-order indices summing to at most 1 and
    # total indices to at least 1 (independent inputs)
    conf = f.S1_conf + f.ST_conf
    assert ((f.S1 >= -f.S1_conf) & (f.S1 <= 1 + f.S1_conf)).all()
    assert ((f.ST >= -f.ST_conf) & (f.ST <= 1 + f.ST_conf)).all()
    assert (f.ST >= f.S1 - conf).all()
    assert f.S1.sum() <= 1 + f.S1_conf.sum()
    assert f.ST.sum() >= 1 - f.ST_conf.sum()
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
