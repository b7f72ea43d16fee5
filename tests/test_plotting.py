"""One plotting module: Figures without pyplot, no backend switch on import, files only when
asked for."""

from __future__ import annotations

import subprocess
import sys
from types import SimpleNamespace

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
import xarray as xr
from matplotlib.figure import Figure

import neuroimmune.results  # noqa: F401  (registers the ds.ni accessor)
from neuroimmune import NeuroimmuneError, plotting


@pytest.fixture
def ds():
    t = np.linspace(0.0, 6.0, 61)
    y = np.stack([k * t * np.exp(-t) for k in (1.0, 2.0, 3.0)])
    return xr.Dataset({"TNF": (("patient", "time"), y, {"units": "pg/mL"}),
                       "IL6": (("patient", "time"), 2 * y, {"units": "pg/mL"}),
                       "status": ("patient", np.zeros(3, int))},
                      coords={"patient": np.arange(3), "time": t}, attrs={"clock_start_h": 8.0})


def test_importing_plotting_keeps_the_users_backend():
    code = ("import matplotlib; matplotlib.use('svg'); import neuroimmune.plotting, "
            "neuroimmune.results, neuroimmune.analysis.twins, neuroimmune.validation.report; "
            "import sys; print(matplotlib.get_backend()); "
            "print('matplotlib.pyplot' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["svg", "False"]


def test_accessor_plot_returns_a_figure_and_writes_only_when_asked(ds, tmp_path):
    before = set(tmp_path.iterdir())
    fig = ds.ni.plot()
    assert isinstance(fig, Figure) and len([a for a in fig.axes if a.get_visible()]) == 2
    assert set(tmp_path.iterdir()) == before
    fig = ds.ni.plot("TNF", tmp_path / "sub" / "tnf.svg", title="TNF")
    assert isinstance(fig, Figure)
    assert (tmp_path / "sub" / "tnf.svg").read_text().lstrip().startswith("<?xml")
    with pytest.raises(NeuroimmuneError, match="status"):
        ds.ni.plot(["status"])
    with pytest.raises(NeuroimmuneError, match="x.gif"):
        ds.ni.plot(path=tmp_path / "x.gif")
    assert plt.get_fignums() == []


def test_every_figure_function_returns_a_figure_without_pyplot(tmp_path):
    edges = [SimpleNamespace(source="TNF", target="cortisol", sign=1),
             SimpleNamespace(source="cortisol", target="TNF", sign=-1)]
    frame = pd.DataFrame({"parameter": ["a", "b"], "mu_star": [2.0, 1.0],
                          "mu_star_conf": [0.1, 0.1]})
    frame.attrs = {"output": "TNF.peak", "method": "morris", "n_simulations": 10}
    panel = plotting.Panel("p", "time (h)", "y", lines=[([0, 1], [0, 1], {"label": "m"})],
                           points=[([0.5], [0.4], [0.1], {"fmt": "o"})],
                           spans=[("x", 0.2, 0.4, {}), ("y", 0.1, 0.2, {})], legend_size=6)
    curves = pd.DataFrame({"subject": 1, "time": [0.0, 1.0], "TNF": [1.0, 3.0]})
    data = pd.DataFrame({"subject": 1, "output": "TNF", "time": [1.0], "value": [2.5]})
    one = pd.DataFrame({"TNF": [1.0]}, index=[1])
    figures = [plotting.draw_network({"TNF": "immune", "cortisol": "endocrine"}, edges),
               plotting.plot_sensitivity(frame), plotting.plot_panels([panel, panel]),
               plotting.plot_twin_fits(curves, data, one, one * 0.9, ["TNF"]),
               plotting.plot_twin_parameters({"k": np.array([0.5, 2.0])})]
    assert all(isinstance(f, Figure) for f in figures)
    plotting.plot_panels([panel], tmp_path / "p.png")
    assert (tmp_path / "p.png").read_bytes()[:4] == b"\x89PNG"
    with pytest.raises(NeuroimmuneError, match="network file"):
        plotting.draw_network({}, [], tmp_path / "n.txt")
    assert plt.get_fignums() == []


def test_long_network_labels_wrap_at_their_middle_underscore():
    from neuroimmune.plotting import _node_label

    assert _node_label("monocytes_resting") == "monocytes\nresting"
    assert _node_label("hypothalamic_TNF_signal") == "hypothalamic\nTNF_signal"
    assert _node_label("TNF") == "TNF" and _node_label("temperature") == "temperature"
