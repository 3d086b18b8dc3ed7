"""A province's year of unit tables through `perfrules.score_many`, on 1 and on 2 processes.

Run: python benchmarks/many.py                  # 50,000 distinct tables, jobs 1 and 2
     python benchmarks/many.py -n 10000 --jobs 2 --chunk 64
     python benchmarks/many.py --pool 5000      # 5,000 distinct tables cycled: what repeats cost
     python benchmarks/many.py --lazy           # tables generated as they are read, inside the timing

Scores n generated unit tables of the Zhengzhou project scheme (benchmarks/generate.py, a fixed
seed) from memory, as issue 13 asks: by default all n are distinct and generated before any clock
starts (it says how long that took and how much memory the tables hold), so that neither
generating them nor a table seen before flatters or burdens the figure. `--pool K` cycles K
distinct tables instead (after the first cycle the engine has remembered their indicator scores,
so it measures that memory more than scoring); `--lazy` generates each table as the stream reads
it, in the parent, inside the timing. Held tables are frozen out of the garbage collector
(`gc.freeze`; `--no-freeze` leaves them in) so that neither the parent's collections nor the
forked workers' walk them: they are the caller's data, not a cost of scoring.

For each job count it prints wall seconds and tables per second; tables per CPU second of the
parent and its workers together (the per-core rate, the figure that holds on a shared machine),
and the CPU milliseconds per table of the parent and of the workers apart; the peak memory
(ru_maxrss) of the parent at every tenth of the run, which stays flat if nothing accumulates, and
of the largest worker; and the load average (1 minute) at the start and end of the run. Every run
must give the same sum of totals and the same grade counts, or it stops.
"""

from __future__ import annotations

import argparse
import gc
import itertools
import os
import resource
import sys
import time
from collections import Counter
from decimal import Decimal
from pathlib import Path
from typing import Any, Iterable, Iterator

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))

import generate  # noqa: E402

import perfrules  # noqa: E402
from perfrules import many  # noqa: E402

SCHEME = "zhengzhou"
BLOCK = 500  # tables generated at a time (one seed each), with --lazy as the stream is read


def tables(n: int, seed: int) -> Iterator[dict[str, Any]]:
    """n distinct tables, generated BLOCK at a time as they are asked for."""
    for block in itertools.count():
        yield from generate.inputs(SCHEME, min(BLOCK, n - block * BLOCK), seed=seed + block)
        if (block + 1) * BLOCK >= n:
            return


def resident_mib() -> float:
    """This process's resident memory now (Linux), else its peak so far."""
    try:
        with open("/proc/self/statm", encoding="ascii") as f:
            return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20
    except OSError:
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def load() -> str:
    return f"{os.getloadavg()[0]:.2f}" if hasattr(os, "getloadavg") else "?"


def cpu(who: int) -> float:
    usage = resource.getrusage(who)
    return usage.ru_utime + usage.ru_stime


def run(scheme: perfrules.Scheme, stream: Iterable[dict[str, Any]], n: int, jobs: int, chunk: int) -> dict[str, Any]:
    checkpoints = {n * k // 10 for k in range(1, 11)}
    rss: list[int] = []
    total = Decimal(0)
    grades: Counter[str | None] = Counter()
    failed = 0
    load_start = load()
    parent0, children0 = cpu(resource.RUSAGE_SELF), cpu(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    for done, outcome in enumerate(perfrules.score_many(scheme, stream, jobs=jobs, chunk=chunk), 1):
        if outcome.result is None:
            failed += 1
        else:
            total += outcome.result.total
            grades[outcome.result.grade] += 1
        if done in checkpoints:
            rss.append(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024)
    wall = time.perf_counter() - start
    # the workers have been joined when the stream ends: their CPU time and peak memory are counted now
    parent, children = cpu(resource.RUSAGE_SELF) - parent0, cpu(resource.RUSAGE_CHILDREN) - children0
    return {"wall": wall, "parent": parent, "children": children, "rss": rss, "failed": failed,
            "digest": (total, dict(grades)), "load": f"{load_start}–{load()}",
            "children_rss": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss // 1024}


def runs(scheme: perfrules.Scheme, args: argparse.Namespace, held: list[dict[str, Any]]) -> Any:
    """One run per job count, printed as a table row; the digest all of them gave."""
    digest = None
    for jobs in args.jobs:
        if args.lazy:
            stream: Iterable[dict[str, Any]] = tables(args.n, args.seed)
        else:
            stream = itertools.islice(itertools.cycle(held), args.n)
        r = run(scheme, stream, args.n, jobs, args.chunk)
        if digest is not None and r["digest"] != digest:
            sys.exit(f"jobs={jobs} gave other results: {r['digest']} against {digest}")
        digest = r["digest"]
        rss = r["rss"]
        workers = f"{r['children_rss']}" if jobs > 1 else "—"
        print(f"| {jobs} | {r['load']} | {r['wall']:.1f} | {args.n / r['wall']:,.0f} | "
              f"{args.n / (r['parent'] + r['children']):,.0f} | "
              f"{1000 * r['parent'] / args.n:.3f} / {1000 * r['children'] / args.n:.3f} | "
              f"{rss[0]}…{rss[-1]} | {workers} |", flush=True)
        if r["failed"]:
            print(f"  ({r['failed']} tables could not be scored)")
    return digest


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("-n", type=int, default=50_000, help="tables per run (default 50,000)")
    parser.add_argument("--jobs", type=int, nargs="+", default=[1, 2], help="job counts to run (default 1 2)")
    parser.add_argument("--chunk", type=int, default=many.CHUNK, help=f"score_many's chunk (default {many.CHUNK})")
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--pool", type=int, help="cycle this many distinct tables instead of n distinct ones")
    mode.add_argument("--lazy", action="store_true", help="generate each table as it is read, inside the timing")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--no-freeze", action="store_true", help="leave the held tables to the garbage collector")
    parser.add_argument("--worker-gc-default", action="store_true",
                        help="leave the workers' collector as Python sets it (score_many tunes its own; a comparison)")
    args = parser.parse_args()
    worker_gc = many.WORKER_GC
    if args.worker_gc_default:
        many.WORKER_GC = None  # read by each worker as it starts: the pool forks after this

    scheme = perfrules.load(HERE.parent / generate.SCHEMES[SCHEME][0])
    held: list[dict[str, Any]] = []
    if args.lazy:
        print("every table generated anew in the parent as the stream reads it, inside the timing")
    else:
        before, start = resident_mib(), time.perf_counter()
        held = list(tables(min(args.pool or args.n, args.n), args.seed))
        took = time.perf_counter() - start
        if not args.no_freeze:
            gc.collect()
            gc.freeze()
        print(f"generated {len(held):,} distinct tables in {took:.1f} s, before any clock; they hold "
              f"{resident_mib() - before:,.0f} MiB" + ("; each run cycles through them" if args.pool else ""))
    print(f"scheme {scheme.id}: {sum(len(c.indicators) for c in scheme.categories)} indicators; {args.n:,} tables "
          f"per run, chunks of {args.chunk}; workers' collector {many.WORKER_GC or 'as Python sets it'}; parent peak memory "
          f"{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024} MiB before the first run")
    print()
    print("| jobs | load | seconds | tables/s | tables per CPU second | CPU ms per table: parent / workers | "
          "parent peak MiB at 10%…100% | largest worker MiB |")
    print("|---|---|---|---|---|---|---|---|")
    try:
        digest = runs(scheme, args, held)
    finally:
        gc.unfreeze()  # as it was (this also runs inside the test suite)
        many.WORKER_GC = worker_gc
    total, grades = digest
    print()
    print(f"every run: sum of totals {total}, grades {grades}")


if __name__ == "__main__":
    main()
