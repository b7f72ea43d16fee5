"""The benchmark runs end to end and reports its fields (speed is measured by `bench`, not here)."""

import pytest

pytest.importorskip("roadrunner")


def test_benchmark_reports_every_field_and_both_engines_are_accurate():
    from neuroimmune.analysis.bench import run_benchmark

    r = run_benchmark(n=16, cores=1, n_reference=4, startup=False)
    for key in ("sims_per_s_per_core", "roadrunner_sims_per_s_per_core", "ratio", "latency_ms",
                "roadrunner_latency_ms", "max_rel_error", "roadrunner_max_rel_error", "n_states"):
        assert key in r
    assert r["n_states"] == 20 and r["failed_patients"] == 0
    assert r["ratio"] == pytest.approx(r["sims_per_s_per_core"]
                                       / r["roadrunner_sims_per_s_per_core"])
    # both engines at rtol 1e-6 are within 1 % of the rtol 1e-12 reference
    assert r["max_rel_error"] < 1e-2 and r["roadrunner_max_rel_error"] < 1e-2
