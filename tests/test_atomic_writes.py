"""Nothing lost, nothing silently wrong: every file is written atomically (neuroimmune.atomic), so
a reader finds the previous complete file or the new complete one, never a truncated one; and a
parameter-set file cut short is refused instead of being used."""

from __future__ import annotations

import ast
import os
import random
import signal
import stat
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from matplotlib.figure import Figure

from neuroimmune import NeuroimmuneError, atomic
from neuroimmune.atomic import (
    atomic_path,
    atomic_savefig,
    atomic_write,
    atomic_write_bytes,
    atomic_write_text,
)
from neuroimmune.compile import default_cache_dir
from neuroimmune.parameter_sets import CALIBRATED_PATH, read_parameter_set

SRC = Path(atomic.__file__).resolve().parent
OLD = b"previous complete content\n"


class Boom(RuntimeError):
    pass


def _only(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


# -- (a) the helper: an exception midway leaves the previous file and no temporary file ---------
def _write_then_raise_text(path):
    with atomic_write(path, "w") as fh:
        fh.write("half of the new")
        fh.flush()
        raise Boom


def _write_then_raise_bytes(path):
    with atomic_write(path, "wb") as fh:
        fh.write(b"half of the new")
        raise Boom


def _path_then_raise(path):
    with atomic_path(path) as tmp:
        assert tmp.parent == path.parent and tmp.name.startswith(f".{path.stem}.{os.getpid()}.")
        assert tmp.suffix == path.suffix  # format-by-extension writers pick the same format
        pd.DataFrame({"a": range(1000)}).to_csv(tmp, index=False)
        raise Boom


def _savefig_then_raise(path):
    class Failing(Figure):
        def savefig(self, fname, **kwargs):
            Path(fname).write_bytes(b"\x89PNG partial")
            raise Boom

    atomic_savefig(Failing(), path)


@pytest.mark.parametrize("writer", [_write_then_raise_text, _write_then_raise_bytes,
                                    _path_then_raise, _savefig_then_raise])
def test_an_exception_midway_leaves_the_previous_file_and_no_temporary_file(tmp_path, writer):
    target = tmp_path / "result.png"
    target.write_bytes(OLD)
    with pytest.raises(Boom):
        writer(target)
    assert target.read_bytes() == OLD
    assert _only(tmp_path) == ["result.png"]
    new = tmp_path / "new.png"  # a file that did not exist stays absent
    with pytest.raises(Boom):
        writer(new)
    assert _only(tmp_path) == ["result.png"]


def test_the_file_is_replaced_whole_only_at_the_end(tmp_path):
    target = tmp_path / "table.csv"
    target.write_bytes(OLD)
    with atomic_write(target, "w") as fh:
        fh.write("new,")
        fh.flush()
        assert target.read_bytes() == OLD  # readers still see the old file while writing
        fh.write("content\n")
    assert target.read_text() == "new,content\n"
    assert _only(tmp_path) == ["table.csv"]
    assert atomic_write_bytes(target, b"\x00\x01") == target and target.read_bytes() == b"\x00\x01"
    assert atomic_write_text(target, "x\n") == target and target.read_text() == "x\n"


def test_permissions_links_and_read_only_targets_behave_as_with_open(tmp_path):
    target = tmp_path / "kept.csv"
    target.write_text("old\n")
    target.chmod(0o640)
    atomic_write_text(target, "new\n")
    assert stat.S_IMODE(target.stat().st_mode) == 0o640  # the replaced file's permissions
    fresh = tmp_path / "fresh.csv"
    atomic_write_text(fresh, "new\n")
    with open(tmp_path / "by_open.csv", "w") as fh:
        fh.write("new\n")
    assert (stat.S_IMODE(fresh.stat().st_mode)
            == stat.S_IMODE((tmp_path / "by_open.csv").stat().st_mode))  # not 0600
    link = tmp_path / "link.csv"
    link.symlink_to(target)
    atomic_write_text(link, "through the link\n")
    assert link.is_symlink() and target.read_text() == "through the link\n"
    if os.geteuid() != 0:  # root may write anything
        target.chmod(0o440)
        with pytest.raises(PermissionError):
            atomic_write_text(target, "refused\n")
        assert target.read_text() == "through the link\n"
    with pytest.raises(FileNotFoundError) as e:
        atomic_write_text(tmp_path / "no_such_folder" / "x.csv", "x")
    assert e.value.filename.endswith("x.csv")  # names the target, not a temporary file
    with pytest.raises(ValueError, match="atomic_write mode.*Fix:"):
        with atomic_write(tmp_path / "x.csv", "a"):
            pass


# -- (b) SIGKILL at a random moment: the previous complete file or the new complete one ---------
ROWS = 60_000
WRITER = textwrap.dedent("""
    import sys
    import numpy as np
    import xarray as xr
    from neuroimmune import io

    target, rows = sys.argv[1], int(sys.argv[2])
    t = np.arange(rows) * 0.01
    for stamp in range(1, 10_000):
        ds = xr.Dataset({"TNF": (("patient", "time"), np.sin(t)[None, :] + stamp),
                         "stamp": (("patient", "time"), np.full((1, rows), float(stamp)))},
                        coords={"patient": [0], "time": t, "clock": ("time", 8.0 + t)})
        io.write(ds, target)
        print(stamp, flush=True)
""")


@pytest.mark.parametrize("suffix", [".csv", ".parquet"])
def test_sigkill_during_a_write_leaves_a_complete_file(tmp_path, suffix):
    """Kill the real writer (neuroimmune.io.write, looping over ever-new results) at a random
    moment, mostly mid-write: the file always parses with every row, all from one write."""
    rng = random.Random(suffix)
    env = {**os.environ, "PYTHONPATH": str(SRC.parent)}
    kills = 0
    for trial in range(3):
        target = tmp_path / f"trial{trial}" / f"results{suffix}"
        proc = subprocess.Popen([sys.executable, "-c", WRITER, str(target), str(ROWS)],
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
        assert proc.stdout is not None
        first = proc.stdout.readline()  # one complete write, timed
        assert first.strip() == b"1", proc.stderr.read() if proc.stderr else ""
        start = time.monotonic()
        proc.stdout.readline()
        one_write = time.monotonic() - start
        time.sleep(rng.uniform(0.2, 1.8) * one_write)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        kills += proc.returncode == -signal.SIGKILL
        frame = (pd.read_csv(target, comment="#") if suffix == ".csv"
                 else pd.read_parquet(target))
        assert len(frame) == ROWS
        assert frame["stamp"].nunique() == 1  # every row from the same write
        stamp = frame["stamp"].iloc[0]
        np.testing.assert_allclose(frame["TNF"], np.sin(np.arange(ROWS) * 0.01) + stamp)
        assert [p.name for p in target.parent.iterdir() if not p.name.startswith(".")] == \
            [target.name]  # only hidden temporary files may be left over
    assert kills == 3


# -- (c) a parameter-set file cut short is refused ---------------------------------------------
def test_the_shipped_set_records_its_row_count_and_reads(tmp_path):
    text = CALIBRATED_PATH.read_text()
    assert "# rows: 24 " in text
    assert len(read_parameter_set(CALIBRATED_PATH).values) == 24


@pytest.mark.parametrize("cut", ["half", "last_row", "mid_last_row", "extra_row"])
def test_a_truncated_parameter_set_is_refused(tmp_path, cut):
    text = CALIBRATED_PATH.read_text()
    lines = text.splitlines(keepends=True)
    cuts = {"half": text[:len(text) // 2],
            "last_row": "".join(lines[:-1]),
            "mid_last_row": text[:-12],
            "extra_row": text + "kTNF,1.0,1/h\n"}
    path = tmp_path / "calibration_standard.csv"
    path.write_text(cuts[cut])
    with pytest.raises(NeuroimmuneError, match="truncated or edited file.*neuroimmune "
                       "calibrate") as e:
        read_parameter_set(path)
    assert str(path) in str(e.value) and "24 complete data rows" in str(e.value)


def test_a_hand_made_set_without_the_rows_line_is_not_checked(tmp_path):
    path = tmp_path / "mine.csv"
    path.write_text("# my values\nname,value,unit\nkTNF,1.5,1/h\nkIL6,0.5,1/h")  # no newline
    assert dict(read_parameter_set(path).values) == {"kTNF": 1.5, "kIL6": 0.5}


# -- (d) every writer goes through the helper ----------------------------------------------------
@pytest.fixture
def replaced(monkeypatch):
    """The targets os.replace moved a hidden temporary file of the same folder onto."""
    targets: list[Path] = []
    real = os.replace

    def spy(src, dst, *args, **kwargs):
        src, dst = Path(src), Path(dst)
        if dst.suffix in (".nbi", ".nbc"):  # numba's own cache index and data (numba's writer)
            return real(src, dst, *args, **kwargs)
        assert src.parent == dst.parent and src.name.startswith(f".{dst.stem}.")
        assert src.name.endswith(f".tmp{dst.suffix}")
        targets.append(dst)
        return real(src, dst, *args, **kwargs)

    monkeypatch.setattr(os, "replace", spy)
    return targets


def test_cli_simulate_network_and_sensitivity_write_through_the_helper(tmp_path, replaced):
    from typer.testing import CliRunner

    from neuroimmune.cli import app

    runner = CliRunner()
    outs = [tmp_path / f"r{s}" for s in (".csv", ".parquet", ".nc")]
    for out in outs:
        plot = out.with_suffix(out.suffix + ".png")
        result = runner.invoke(app, ["simulate", "lps-bolus", "--out", str(out),
                                     "--plot", str(plot)])
        assert result.exit_code == 0, result.output
    net = tmp_path / "network.svg"
    assert runner.invoke(app, ["network", "--out", str(net)]).exit_code == 0
    sens = [tmp_path / "sens.csv", tmp_path / "sens.png"]
    result = runner.invoke(app, ["sensitivity", "lps-bolus", "--output", "TNF.peak",
                                 "--method", "morris", "--n", "2", "--params", "kTNFM,k8",
                                 "--out", str(sens[0]), "--plot", str(sens[1])])
    assert result.exit_code == 0, result.output
    written = [p for out in outs for p in (out, out.with_suffix(out.suffix + ".png"))]
    written += [net, *sens]
    # the kernel cache's warm-start records go through the helper too (the spy checks every
    # replacement), but whether this process writes one depends on what ran before it
    cache = default_cache_dir().resolve()
    outputs = {p.resolve() for p in replaced if not p.resolve().is_relative_to(cache)}
    assert outputs == {p.resolve() for p in written}
    assert all(p.stat().st_size > 0 for p in written)


def test_library_writers_go_through_the_helper(tmp_path, replaced, innate_system):
    from neuroimmune import Protocol, compile_model, innate, simulate
    from neuroimmune.analysis.population import Population, run_cohort
    from neuroimmune.io import write_sbml
    from neuroimmune.model import Module, Parameter, Species, sym

    sbml = write_sbml(innate(), tmp_path / "model.xml")
    cache = tmp_path / "kernels"  # a model no other test compiles: its kernel file is new
    decay = Module("atomic_test", (Species("X_atomic", "1", 1.0, "test"),),
                   (Parameter("k_atomic", 0.5, "1/h", "test"),),
                   {"X_atomic": -sym("k_atomic") * sym("X_atomic")})
    compile_model(decay, cache_dir=cache)
    kernel = next(cache.glob("ni_*.py"))
    ds = simulate(innate_system, Protocol(), np.linspace(0, 2, 5))
    fig = tmp_path / "fig.pdf"
    ds.ni.plot(["TNF"], fig)
    cohort = run_cohort(innate_system, Protocol(), np.linspace(0, 2, 5), Population(seed=1), 3,
                        tmp_path / "cohort", scenario="test", outputs=["TNF"], chunk_size=2,
                        trajectories=True)
    chunks = sorted(cohort.glob("*/chunk_*.parquet"))
    assert len(chunks) == 4
    expected = [sbml, kernel, fig, cohort / "manifest.json", *chunks]
    assert {p.resolve() for p in expected} <= {p.resolve() for p in replaced}


WRITES = {"write_text", "write_bytes", "dump", "writeSBMLToFile"}  # never outside the helper
BY_NAME = {"to_csv", "to_parquet", "to_netcdf", "savefig", "write_table", "to_json",
           "to_excel", "to_hdf"}  # only to a name or handle from atomic_path/atomic_write


def test_no_source_file_writes_around_the_helper():
    """Every write call in src/neuroimmune writes to a temporary path or handle from
    neuroimmune.atomic (open() for writing, write_text and friends are only used there)."""
    offences = set()
    for file in sorted(SRC.rglob("*.py")):
        if file.name == "atomic.py":
            continue
        tree = ast.parse(file.read_text())
        for func in [n for n in ast.walk(tree)
                     if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Module))]:
            atomic_names = {item.optional_vars.id for n in ast.walk(func) if isinstance(n, ast.With)
                            for item in n.items
                            if isinstance(item.optional_vars, ast.Name)
                            and isinstance(item.context_expr, ast.Call)
                            and getattr(item.context_expr.func, "id", "")
                            in ("atomic_path", "atomic_write")}
            for call in [n for n in ast.walk(func) if isinstance(n, ast.Call)]:
                name = getattr(call.func, "attr", getattr(call.func, "id", ""))
                where = f"{file.relative_to(SRC)}:{call.lineno} {name}"
                target = call.args[1:2] if name == "write_table" else call.args[:1]
                if name in WRITES:
                    offences.add(where)
                elif name in BY_NAME and target and not (
                        isinstance(target[0], ast.Name) and target[0].id in atomic_names):
                    offences.add(where)
                elif name == "open" and _opens_for_writing(call):
                    offences.add(where)
    assert not offences, sorted(offences)


def _opens_for_writing(call: ast.Call) -> bool:
    """open(path, mode) or Path.open(mode) with a mode that writes."""
    mode = call.args[:1] if isinstance(call.func, ast.Attribute) else call.args[1:2]
    args = mode + [k.value for k in call.keywords if k.arg == "mode"]
    return any(isinstance(a, ast.Constant) and isinstance(a.value, str)
               and set(a.value) & set("wax+") for a in args)
