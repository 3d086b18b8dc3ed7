"""How fast perfrules loads a ruleset and evaluates inputs. Run: python benchmarks/evaluate.py

Speed is measured here, never asserted in a unit test. Load once, evaluate many: the
numbers below show what each costs on this machine.
"""

from __future__ import annotations

import argparse
import copy
import random
import statistics
import time
from pathlib import Path

import yaml

import perfrules
from generate import exact
from perfrules import values

ROOT = Path(__file__).resolve().parent.parent
PAIRS = [
    ("henan/zhengzhou-project-2021.yaml", "zhengzhou-project-2021.yaml"),
    ("hunan/department-2021.yaml", "zhuzhou-department-2021.yaml"),
    ("hunan/project-2021.yaml", "zhuzhou-project-2021.yaml"),
]


def timed(fn, repeat: int) -> list[float]:
    out = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        out.append(time.perf_counter() - start)
    return out


def varied(base: dict, n: int, seed: int) -> list[dict]:
    """n inputs like `base` whose percentage actuals vary, so the value cache does not flatter."""
    rng = random.Random(seed)
    out = []
    for _ in range(n):
        data = copy.deepcopy(base)
        for row in data["indicators"]:
            actual = row.get("actual")
            if isinstance(actual, str) and actual.endswith("%") and actual[:-1].replace(".", "").isdigit():
                row["actual"] = f"{rng.randint(0, 12000) / 100}%"
        out.append(data)
    return out


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("-n", type=int, default=2000, help="inputs evaluated per scheme")
    args = p.parse_args()
    print(f"{'ruleset':40} {'load ms':>9} {'eval µs (same)':>15} {'eval µs (varied)':>17} {'inputs/s':>9}")
    for ruleset, example in PAIRS:
        path = ROOT / "rulesets" / ruleset
        loads = timed(lambda: perfrules.load(path), 20)
        scheme = perfrules.load(path)
        raw = yaml.safe_load((ROOT / "examples" / example).read_text(encoding="utf-8"))
        base = exact(raw)
        same = timed(lambda: scheme.evaluate(base), args.n)
        inputs = varied(base, args.n, seed=1)
        values.clear_cache()
        # five batches, the median batch: this machine's timings wander from run to run
        per_input = []
        for batch in range(5):
            part = inputs[batch::5]
            start = time.perf_counter()
            for data in part:
                scheme.evaluate(data)
            per_input.append((time.perf_counter() - start) / len(part))
        each = statistics.median(per_input)
        print(f"{ruleset:40} {statistics.median(loads) * 1e3:9.2f} {statistics.median(same) * 1e6:15.0f} "
              f"{each * 1e6:17.0f} {1 / each:9.0f}")


if __name__ == "__main__":
    main()
