"""What reading an input mapping costs: rows read before, new rows, and the rest of the document.

Run: python benchmarks/reading.py -n 1000

For each scheme of benchmarks/generate.py, n generated inputs read by `perfrules.sources.read`
(the mapping → Record step of `scheme.evaluate(dict)`), in CPU ms per table (time.process_time,
best of --repeat runs, the value parser's cache cleared before each; each Record dropped as
soon as it is read, as a caller of `scheme.evaluate` drops it, so that the garbage collector
does not walk the Records of the inputs read before):

  remembered  as `scheme.evaluate` reads them: rows read before (sources.mapping._ROWS) reused
  new rows    every row new: nothing remembered between inputs (_ROWS_MAX = 0)
  document    the inputs without their rows: funds, totals, figures … alone

Compare with a run of the same command on another checkout (PYTHONPATH=that/checkout), back to back.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import Any, Callable

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from perfrules import sources, values  # noqa: E402
from perfrules.sources import mapping  # noqa: E402

import generate  # noqa: E402


def best(fn: Callable[[], Any], repeat: int) -> float:
    """The least CPU seconds of `repeat` calls of fn (the parse cache, the rows and cells read before cleared first)."""
    times = []
    for _ in range(repeat):
        values.clear_cache()
        mapping.forget_rows()
        getattr(mapping, "_forget_cells", lambda: None)()  # (a checkout before 2026-11-30 night has none)
        start = time.process_time()
        fn()
        times.append(time.process_time() - start)
    return min(times)


def read_each(data: list[dict[str, Any]]) -> Callable[[], None]:
    def run() -> None:
        for d in data:
            sources.read(d)

    return run


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("-n", type=int, default=1000, help="inputs per scheme (default 1000)")
    p.add_argument("--repeat", type=int, default=7, help="runs; the best counts (default 7)")
    args = p.parse_args()
    print(f"{args.n} generated inputs per scheme, CPU ms per table, best of {args.repeat} ({mapping.__file__})")
    print(f"{'scheme':18} {'remembered':>10} {'new rows':>9} {'document':>9}")
    for name in generate.SCHEMES:
        data = generate.inputs(name, args.n, seed=5)
        documents = [{**d, "indicators": []} for d in data]
        remembered = best(read_each(data), args.repeat)
        keep = mapping._ROWS_MAX
        mapping._ROWS_MAX = 0
        try:
            new = best(read_each(data), args.repeat)
        finally:
            mapping._ROWS_MAX = keep
        document = best(read_each(documents), args.repeat)
        per = 1e3 / args.n
        print(f"{name:18} {remembered * per:10.3f} {new * per:9.3f} {document * per:9.3f}")


if __name__ == "__main__":
    main()
