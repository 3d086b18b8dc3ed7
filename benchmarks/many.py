"""A province's year of unit tables through `perfrules.score_many`, on 1 and on 2 processes.

Run: python benchmarks/many.py                  # 50,000 tables, jobs 1 and 2
     python benchmarks/many.py -n 10000 --jobs 2 --distinct

Scores n generated unit tables of the Zhengzhou project scheme (benchmarks/generate.py, a
fixed seed) from memory. By default it generates `--pool` distinct tables once, before any
clock starts, and cycles through them (generating is about a fifth of the cost of scoring,
and would otherwise run in the parent beside the workers); `--distinct` generates every
table anew as the stream is read, in the parent, inside the timing.

For each job count it prints tables per second (wall clock), the per-core rate (tables per
second ÷ jobs, and tables per CPU second of the parent and its workers together, the figure
that holds on a shared machine), and the peak memory (ru_maxrss) of the parent at every
tenth of the run, which stays flat if nothing accumulates, and of the largest worker.
Every run must give the same sum of totals and the same grade counts, or it stops.
"""

from __future__ import annotations

import argparse
import itertools
import resource
import sys
import time
from collections import Counter
from decimal import Decimal
from pathlib import Path
from typing import Any, Iterator

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))

import generate  # noqa: E402

import perfrules  # noqa: E402

SCHEME = "zhengzhou"
BLOCK = 500  # tables generated at a time with --distinct


def cycled(pool: list[dict[str, Any]], n: int) -> Iterator[dict[str, Any]]:
    return itertools.islice(itertools.cycle(pool), n)


def distinct(n: int, seed: int) -> Iterator[dict[str, Any]]:
    """n tables, each new, generated BLOCK at a time as the stream is read (never all at once)."""
    for block in itertools.count():
        for data in generate.inputs(SCHEME, min(BLOCK, n - block * BLOCK), seed=seed + block):
            yield data
        if (block + 1) * BLOCK >= n:
            return


def cpu(who: int) -> float:
    usage = resource.getrusage(who)
    return usage.ru_utime + usage.ru_stime


def run(scheme: perfrules.Scheme, tables: Iterator[dict[str, Any]], n: int, jobs: int) -> dict[str, Any]:
    checkpoints = {n * k // 10 for k in range(1, 11)}
    rss: list[int] = []
    total = Decimal(0)
    grades: Counter[str | None] = Counter()
    failed = 0
    cpu0 = cpu(resource.RUSAGE_SELF) + cpu(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    for done, outcome in enumerate(perfrules.score_many(scheme, tables, jobs=jobs), 1):
        if outcome.result is None:
            failed += 1
        else:
            total += outcome.result.total
            grades[outcome.result.grade] += 1
        if done in checkpoints:
            rss.append(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024)
    wall = time.perf_counter() - start
    # the workers have been joined when the stream ends: their CPU time and peak memory are counted now
    cpu_seconds = cpu(resource.RUSAGE_SELF) + cpu(resource.RUSAGE_CHILDREN) - cpu0
    return {"wall": wall, "cpu": cpu_seconds, "rss": rss, "failed": failed, "digest": (total, dict(grades)),
            "children_rss": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss // 1024}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("-n", type=int, default=50_000, help="tables per run (default 50,000)")
    parser.add_argument("--jobs", type=int, nargs="+", default=[1, 2], help="job counts to run (default 1 2)")
    parser.add_argument("--pool", type=int, default=5_000, help="distinct tables to cycle through (default 5,000)")
    parser.add_argument("--distinct", action="store_true", help="generate every table anew, inside the timing")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()

    scheme = perfrules.load(HERE.parent / generate.SCHEMES[SCHEME][0])
    pool: list[dict[str, Any]] = []
    if not args.distinct:
        start = time.perf_counter()
        pool = generate.inputs(SCHEME, min(args.pool, args.n), seed=args.seed)
        print(f"generated {len(pool):,} distinct tables in {time.perf_counter() - start:.1f} s (not timed below); "
              f"each run cycles through them")
    else:
        print("every table generated anew in the parent, inside the timing")
    print(f"scheme {scheme.id}: {sum(len(c.indicators) for c in scheme.categories)} indicators; "
          f"{args.n:,} tables per run; parent peak memory {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024} MiB "
          "before the first run")
    print()
    print("| jobs | seconds | tables/s | tables/s per job | tables per CPU second | parent peak MiB at 10%…100% | "
          "largest worker MiB |")
    print("|---|---|---|---|---|---|---|")
    digest = None
    for jobs in args.jobs:
        tables = distinct(args.n, args.seed) if args.distinct else cycled(pool, args.n)
        r = run(scheme, tables, args.n, jobs)
        if digest is not None and r["digest"] != digest:
            sys.exit(f"jobs={jobs} gave other results: {r['digest']} against {digest}")
        digest = r["digest"]
        rate = args.n / r["wall"]
        rss = r["rss"]
        workers = f"{r['children_rss']}" if jobs > 1 else "—"
        print(f"| {jobs} | {r['wall']:.1f} | {rate:,.0f} | {rate / jobs:,.0f} | {args.n / r['cpu']:,.0f} | "
              f"{rss[0]}…{rss[-1]} | {workers} |", flush=True)
        if r["failed"]:
            print(f"  ({r['failed']} tables could not be scored)")
    total, grades = digest
    print()
    print(f"every run: sum of totals {total}, grades {grades}")


if __name__ == "__main__":
    main()
