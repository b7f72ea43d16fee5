"""Where a cold start's compilation goes: numba's compile time per function, from an empty kernel
cache, for built-in scenarios run one after another in one process (docs/design/0044 and 0045).

    .venv/bin/python benchmarks/compile_profile.py [SCENARIO ...]

Default scenarios: lps-bolus tissue-injury lps-woman lps-brain lps-crp (five models). Prints the
process CPU time, numba's compile time of each top-level function summed over the models (a
callee compiled during its caller's compilation counts for the caller), and the nopython
pipeline's slowest passes for the first model's `rhs` and `derived`. Uses numba's compile
events (`numba.core.event`) and the dispatchers' compile metadata.
"""

import atexit
import collections
import json
import os
import shutil
import sys
import tempfile
import time

DEFAULT = ("lps-bolus", "tissue-injury", "lps-woman", "lps-brain", "lps-crp")


def main(names: list[str]) -> dict:
    from numba.core import event

    top: dict[str, float] = collections.defaultdict(float)
    started: dict = {}

    class Listener(event.Listener):
        def on_start(self, ev):
            started[id(ev.data["dispatcher"]), str(ev.data["args"])] = (time.perf_counter(),
                                                                         len(started))

        def on_end(self, ev):
            t0, depth = started.pop((id(ev.data["dispatcher"]), str(ev.data["args"])))
            if depth == 0:
                top[ev.data["dispatcher"].py_func.__name__] += time.perf_counter() - t0

    event.register("numba:compile", Listener())
    from neuroimmune import scenarios

    cpu = time.process_time()
    systems = []
    for name in names:
        sc = scenarios.load(name)
        scenarios.simulate(sc)
        systems.append(scenarios.system(sc))
    out = {"scenarios": names, "cpu_s": round(time.process_time() - cpu, 2),
           "compile_s_by_function": {k: round(v, 2) for k, v in
                                     sorted(top.items(), key=lambda kv: -kv[1])}}
    for fn in ("rhs", "derived"):
        f = getattr(systems[0].kernels, fn)
        meta = f.get_metadata(f.signatures[0])
        passes = meta["pipeline_times"]["nopython"]
        times = sorted(((v.init + v.run + v.finalize, k) for k, v in passes.items()),
                       reverse=True)
        out[f"{fn}_first_model"] = {"llvm_lock_s": round(meta["timers"]["llvm_lock"], 3),
                                    "compiler_lock_s": round(meta["timers"]["compiler_lock"], 3),
                                    "slowest_passes_s": {k: round(t, 3) for t, k in times[:4]}}
    return out


if __name__ == "__main__":
    cache = tempfile.mkdtemp(prefix="ni-compile-profile-")
    # removed at exit, after neuroimmune's own exit handlers (registered later, run earlier)
    # have written their warm-start records there
    atexit.register(shutil.rmtree, cache, True)
    os.environ["NEUROIMMUNE_CACHE_DIR"] = cache
    print(json.dumps(main(sys.argv[1:] or list(DEFAULT)), indent=2))
