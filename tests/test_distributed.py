"""Dask: identical results in-process and on a LocalCluster of 2 workers, also when a worker is
killed mid-run."""

import json
import os
import signal
import threading
import time

import pandas as pd
import pytest

distributed = pytest.importorskip("distributed")

from neuroimmune import scenarios  # noqa: E402
from neuroimmune.analysis.population import Population, read_summaries, run_cohort  # noqa: E402
from neuroimmune.distributed import run_cohort_dask  # noqa: E402
from neuroimmune.scenarios import load  # noqa: E402

N, CHUNK = 96, 8
POP = Population(default_cv=0.2, seed=11)


@pytest.fixture(scope="module")
def reference_folder(tmp_path_factory):
    sc = load("lps-bolus")
    out = tmp_path_factory.mktemp("ref")
    run_cohort(scenarios.system(sc), sc.protocol, sc.times(), POP, N, out, scenario=sc,
               outputs=sc.outputs, chunk_size=CHUNK)
    return out


@pytest.fixture(scope="module")
def reference(reference_folder):
    return read_summaries(reference_folder)


@pytest.fixture(scope="module")
def reference_manifest(reference_folder):
    return json.loads((reference_folder / "manifest.json").read_text())


@pytest.fixture(scope="module")
def client():
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=None) as cluster:
        with distributed.Client(cluster) as c:
            yield c


def test_local_cluster_gives_bitwise_identical_results(client, reference, reference_manifest,
                                                       tmp_path):
    run_cohort_dask(client, "lps-bolus", POP, N, tmp_path, chunk_size=CHUNK)
    pd.testing.assert_frame_equal(read_summaries(tmp_path), reference, check_exact=True)
    # the same manifest as an in-process run: a folder can be resumed either way
    assert json.loads((tmp_path / "manifest.json").read_text()) == reference_manifest


def test_killed_worker_does_not_change_results(client, reference, tmp_path):
    pids = client.run(os.getpid)
    victim = next(iter(pids.values()))

    def kill_when_started():
        deadline = time.time() + 60
        while time.time() < deadline:
            if list((tmp_path / "summaries").glob("chunk_*.parquet")):
                os.kill(victim, signal.SIGKILL)
                return
            time.sleep(0.01)

    killer = threading.Thread(target=kill_when_started)
    killer.start()
    run_cohort_dask(client, "lps-bolus", POP, N, tmp_path, chunk_size=CHUNK)
    killer.join()
    result = read_summaries(tmp_path)
    assert len(result) == N and result["patient"].is_unique
    pd.testing.assert_frame_equal(result, reference, check_exact=True)
    assert victim not in client.run(os.getpid).values()  # the worker really was replaced


def test_the_cli_runs_a_cohort_on_a_scheduler(client, tmp_path):
    """`population --scheduler ADDRESS`: the cohort's chunks run on the cluster through the CLI's
    client, which is not the process's default (cli._dask_client gives it the work explicitly),
    and give the in-process results bitwise."""
    from typer.testing import CliRunner

    from neuroimmune.cli import app

    address = client.scheduler.address
    args = ["population", "lps-bolus", "--n", "16", "--chunk", "8", "--seed", "3",
            "--cv", "0.2"]
    local, remote = tmp_path / "local", tmp_path / "remote"
    runner = CliRunner()
    for out, extra in ((local, []), (remote, ["--scheduler", address])):
        result = runner.invoke(app, [*args, "--out", str(out), *extra])
        assert result.exit_code == 0, (result.stdout, result.stderr, result.exception)
    pd.testing.assert_frame_equal(read_summaries(remote), read_summaries(local),
                                  check_exact=True)
