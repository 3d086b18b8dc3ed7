"""Where perfrules' time per table goes: reading the input mapping against scoring it (engine).

Run: python benchmarks/split.py -n 500

For each scheme of benchmarks/generate.py: n generated inputs, read into Records
(`perfrules.sources.read`: copy, schema check, rows), then scored (`engine.evaluate` on the
Records), then `scheme.evaluate(dict)` whole. CPU time of this process (time.process_time),
best of --repeat runs, so that other processes on a shared machine disturb it less than a
wall clock; compare it with a run of the same command on another checkout, not with ratio.py.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import perfrules  # noqa: E402
from perfrules import engine, sources, values  # noqa: E402

import generate  # noqa: E402


def best(fn, repeat: int) -> float:  # type: ignore[no-untyped-def]
    """The least CPU seconds of `repeat` calls of fn (the parse cache cleared before each)."""
    times = []
    for _ in range(repeat):
        values.clear_cache()
        start = time.process_time()
        fn()
        times.append(time.process_time() - start)
    return min(times)


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("-n", type=int, default=500, help="inputs per scheme (default 500)")
    p.add_argument("--repeat", type=int, default=7, help="runs; the best counts (default 7)")
    args = p.parse_args()
    print(f"{args.n} generated inputs per scheme, CPU ms per table, best of {args.repeat}")
    print(f"{'scheme':18} {'read':>7} {'engine':>7} {'evaluate':>9}")
    for name in generate.SCHEMES:
        scheme = perfrules.load(generate.ROOT / generate.SCHEMES[name][0])
        data = generate.inputs(name, args.n, seed=5)
        records = [sources.read(d) for d in data]
        read = best(lambda: [sources.read(d) for d in data], args.repeat)
        scored = best(lambda: [engine.evaluate(scheme, r) for r in records], args.repeat)
        whole = best(lambda: [scheme.evaluate(d) for d in data], args.repeat)
        per = 1e3 / args.n
        print(f"{name:18} {read * per:7.3f} {scored * per:7.3f} {whole * per:9.3f}")


if __name__ == "__main__":
    main()
