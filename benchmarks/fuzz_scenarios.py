"""Fuzz the scenario schema with generated and mutated scenario files.

Generates N files (half built from the schema with random values and misspelled keys, half
mutations of the built-in scenario files: a line deleted, duplicated or moved, a key misspelled,
a value replaced by another type), parses each with the same loader as `neuroimmune simulate`
and, for files that load, builds their protocol schedule on the standard model. Counts:
  ok            loaded (and scheduled, for standard-model files)
  clear error   a NeuroimmuneError with a one-line message that says how to fix it
  traceback     any other exception (a bug)
  ignored key   a file that loaded although it holds a key the schema does not know (a bug)
Run: .venv/bin/python benchmarks/fuzz_scenarios.py --n 40000 --seed 0   (about 2 min)
Results are written to docs/fuzzing.md by hand from the printed summary.
"""

from __future__ import annotations

import argparse
import random
import time
import traceback
from collections import Counter
from pathlib import Path

import tomli_w

from neuroimmune import NeuroimmuneError, compile_model, compose, scenarios
from neuroimmune.io.scenario import EVENT_TYPES, ScenarioFile, parse_scenario
from neuroimmune.model.library import STANDARD
from neuroimmune.profiles import apply_profiles

BUILTIN = sorted((Path(__file__).resolve().parents[1] / "src" / "neuroimmune" / "data"
                  / "scenarios").glob("*.toml"))
KEYS = {"top": list(ScenarioFile.model_fields), "time": ["end", "step", "clock_start",
                                                          "preequilibrate_days"],
        "output": ["variables"]}
NAMES = ["TNF", "IL6", "cortisol", "LPS", "kTNF", "stress", "propranolol", "EPI", "innate", "hpa",
         "fever", "autonomic", "gonadal", "glucocorticoids", "healthy-woman", "chronic-stress",
         "hydrocortisone", "x", ""]


def _value(rng: random.Random):
    kind = rng.randrange(9)
    if kind == 0:
        return rng.choice([True, False])
    if kind == 1:
        return rng.randint(-10**6, 10**6)
    if kind == 2:
        return rng.choice([0.0, -1.0, 1e-9, 1e9, 1e300, float("inf"), float("nan"), 0.05, 24.0])
    if kind == 3:
        return f"{rng.choice(['2', '-5', '0', '1e9', 'abc', '30'])} " \
               f"{rng.choice(['ng/kg', 'mg', 'h', 'min', 'mg/kg', '1/h', 'pg/mL', ''])}".strip()
    if kind == 4:
        return rng.choice(NAMES)
    if kind == 5:
        return [rng.choice(NAMES) for _ in range(rng.randrange(3))]
    if kind == 6:
        return {rng.choice(NAMES) or "k": rng.random()}
    if kind == 7:
        return rng.choice(["08:00", "25:00", "8:5", "__import__('os')", "1/0"])
    return rng.random() * rng.choice([1, 10, 100])


def _key(rng: random.Random, keys: list[str]) -> str:
    key = rng.choice(keys)
    if rng.random() < 0.15 and key:  # a typo
        i = rng.randrange(len(key))
        key = key[:i] + rng.choice("aeiosx_") + key[i + 1:]
    return key


def structured(rng: random.Random) -> str:
    doc: dict = {}
    for _ in range(rng.randrange(6)):
        doc[_key(rng, KEYS["top"])] = _value(rng)
    if rng.random() < 0.8:
        doc["time"] = {_key(rng, KEYS["time"]): _value(rng) for _ in range(rng.randrange(5))}
    events = []
    for _ in range(rng.randrange(4)):
        kind = rng.choice(list(EVENT_TYPES) + ["lps_blast"])
        fields = list(EVENT_TYPES.get(kind, EVENT_TYPES["lps_bolus"]).model_fields)
        event = {"type": kind}
        for _ in range(rng.randrange(6)):
            event[_key(rng, fields)] = _value(rng)
        events.append(event)
    if events:
        doc["events"] = events
    if rng.random() < 0.3:
        doc["output"] = {_key(rng, KEYS["output"]): _value(rng)}
    try:
        return tomli_w.dumps(doc)
    except (TypeError, ValueError):
        return "name = 1\n"


def mutated(rng: random.Random, texts: list[str]) -> str:
    lines = rng.choice(texts).splitlines()
    for _ in range(rng.randrange(1, 4)):
        if not lines:
            break
        i = rng.randrange(len(lines))
        op = rng.randrange(5)
        if op == 0:
            del lines[i]
        elif op == 1:
            lines.insert(rng.randrange(len(lines) + 1), lines[i])
        elif op == 2 and "=" in lines[i]:
            key, _, value = lines[i].partition("=")
            k = key.strip()
            if k:
                j = rng.randrange(len(k))
                k = k[:j] + rng.choice("aeiosx_") + k[j + 1:]
            lines[i] = f"{k} ={value}"
        elif op == 3 and "=" in lines[i]:
            key = lines[i].partition("=")[0]
            try:
                lines[i] = key + "= " + tomli_w.dumps({"v": _value(rng)})[4:].strip()
            except (TypeError, ValueError):
                pass
        else:
            lines.insert(rng.randrange(len(lines) + 1), lines.pop(i))
    return "\n".join(lines) + "\n"


def _unknown_keys(doc, model=ScenarioFile) -> list[str]:
    """Keys of a loaded document the schema does not declare (0 expected)."""
    import tomllib

    from neuroimmune.io.scenario import _table_of

    data = tomllib.loads(doc) if isinstance(doc, str) else doc
    out = []
    for key, value in data.items():
        field = model.model_fields.get(key)
        if field is None:
            out.append(key)
            continue
        sub = _table_of(field.annotation)
        items = value if isinstance(value, list) else [value]
        for item in items:
            if isinstance(item, dict) and sub is not None:
                target = EVENT_TYPES.get(item.get("type"), sub) if key == "events" else sub
                out += [f"{key}.{k}" for k in _unknown_keys(item, target)]
    return out


CUSTOM = """name = "custom"
modules = ["innate", "hpa"]
[[module]]
name = "il1"
species = [{name = "IL1b", unit = "pg/mL", initial = 1.0, description = "plasma IL-1beta"}]
parameters = [{name = "k_il1", value = 0.8, unit = "1/h", source = "test"}]
inputs = [{name = "TNF", unit = "pg/mL", default = 0.0}]
rates = {IL1b = "0.01*TNF - k_il1*(IL1b - 1)"}
[subject]
kTNF = "1.2 1/h"
[time]
end = 24
step = "6 min"
"""


def check(text: str, system) -> str:
    try:
        sc = parse_scenario(text, where="fuzz.toml", default_name="fuzz")
    except NeuroimmuneError as exc:
        msg = str(exc)
        return "clear error" if "\n" not in msg and "Fix:" in msg else "unclear error"
    except Exception:  # noqa: BLE001 - counting bugs is the point
        return "traceback"
    if _unknown_keys(text):
        return "ignored key"
    if all(m in ("innate", "hpa", "fever", "autonomic") for m in sc.modules):
        try:
            model = apply_profiles(system.model, sc.profiles)
            scenarios._subject(sc, model)
            sc.protocol.schedule(system, sc.t_end)
        except NeuroimmuneError as exc:
            return "clear error" if "\n" not in str(exc) else "unclear error"
        except Exception:  # noqa: BLE001
            return "traceback"
    return "ok"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=40_000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--show", type=int, default=3, help="tracebacks to print")
    args = parser.parse_args()
    rng = random.Random(args.seed)
    texts = [p.read_text() for p in BUILTIN] + [CUSTOM] * 4
    system = compile_model(compose(*(f() for f in STANDARD), name="standard"))
    counts: Counter = Counter()
    shown = 0
    t0 = time.perf_counter()
    for i in range(args.n):
        text = structured(rng) if i % 2 == 0 else mutated(rng, texts)
        outcome = check(text, system)
        counts[("structured" if i % 2 == 0 else "mutated", outcome)] += 1
        if outcome in ("traceback", "ignored key", "unclear error") and shown < args.show:
            shown += 1
            print(f"--- {outcome}:\n{text}")
            try:
                parse_scenario(text)
            except Exception:  # noqa: BLE001
                traceback.print_exc()
    print(f"{args.n} files in {time.perf_counter() - t0:.0f} s (seed {args.seed})")
    for (kind, outcome), n in sorted(counts.items()):
        print(f"{kind:10s} {outcome:14s} {n}")


if __name__ == "__main__":
    main()
