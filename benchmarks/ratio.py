"""perfrules against a hand-written Decimal scorer of the same scheme, as a ratio, in one run.

Run: python benchmarks/ratio.py -n 1000

For the Zhengzhou project scheme and the Hunan department scheme: load the scheme once
with perfrules, generate 7 batches of n varied inputs (benchmarks/generate.py, a fixed
seed; every batch new inputs), and score each batch with both scorers, interleaved chunk
by chunk (10 inputs), alternating which goes first, so that the machine's noise hits
both. Every input's total, grade, category sums and indicator scores must be identical:
the run stops at the first difference and prints it, before any figure. The results checked are those
of the timed runs (scoring twice would warm perfrules' value cache for the timing).

Prints ms per table for each scorer (the median batch), the ratio perfrules ÷ hand-written
(the median of the batches' ratios) with its range, and as the noise figure how far the
batches spread: (slowest − fastest) ÷ median.

The inputs held for the run (7 × n of them) are frozen out of the garbage collector
(`gc.freeze`), as benchmarks/many.py does: every full collection walks whatever the
process holds, so without it the ratio would grow with how many inputs the harness made
in advance (`--no-freeze` leaves them in). Everything either scorer allocates, perfrules'
caches included, is collected as usual.
"""

from __future__ import annotations

import argparse
import gc
import statistics
import sys
import time
from pathlib import Path
from typing import Any, Callable

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import perfrules  # noqa: E402

import generate  # noqa: E402
from handwritten import hunan_department, zhengzhou  # noqa: E402

HANDWRITTEN: dict[str, Callable[[Any], Any]] = {
    "zhengzhou": zhengzhou.score,
    "hunan_department": hunan_department.score,
}


def load(scheme: str) -> perfrules.Scheme:
    return perfrules.load(generate.ROOT / generate.SCHEMES[scheme][0])


def first_difference(result: Any, scored: Any) -> str | None:
    """How a perfrules Result and a hand-written score differ (total, grade, categories, any indicator), or None."""
    if not result.complete:
        return f"perfrules left the total incomplete ({result.total}–{result.total_max}): not a generated form"
    if result.total != scored.total:
        return f"total: perfrules {result.total}, hand-written {scored.total}"
    if result.grade != scored.grade:
        return f"grade: perfrules {result.grade}, hand-written {scored.grade}"
    categories = {c.name: c.score for c in result.categories}
    if categories != scored.categories:
        return f"categories: perfrules {categories}, hand-written {scored.categories}"
    ours = {i.name: i for i in result.indicators}
    if set(ours) != set(scored.indicators):
        return f"indicators: perfrules {sorted(ours)}, hand-written {sorted(scored.indicators)}"
    for name, item in ours.items():
        if item.score != scored.indicators[name]:
            return (f"{name}: perfrules {item.score} ({item.explanation}), "
                    f"hand-written {scored.indicators[name]} ({scored.reasons[name]})")
    return None


def _batch(ours: Callable[[Any], Any], hand: Callable[[Any], Any], batch: list[Any], chunk: int,
           ) -> tuple[float, float, list[Any], list[Any]]:
    """Score a batch with both, chunk by chunk, alternating which goes first: seconds each, and the results."""
    gc.collect()
    t_ours = t_hand = 0.0
    results: list[Any] = []
    scores: list[Any] = []
    clock = time.perf_counter
    for k, start in enumerate(range(0, len(batch), chunk)):
        part = batch[start:start + chunk]
        for who in ((0, 1) if k % 2 == 0 else (1, 0)):
            begin = clock()
            if who == 0:
                results.extend([ours(data) for data in part])
                t_ours += clock() - begin
            else:
                scores.extend([hand(data) for data in part])
                t_hand += clock() - begin
    return t_ours, t_hand, results, scores


def run(scheme: str, n: int, batches: int, seed: int, chunk: int = 10, freeze: bool = True) -> dict[str, Any]:
    """Time both scorers over `batches` batches of n new inputs; stop at the first difference."""
    start = time.perf_counter()
    compiled = load(scheme)
    load_ms = (time.perf_counter() - start) * 1e3
    data = generate.inputs(scheme, n * batches, seed=seed)
    if freeze:  # the inputs held for the run are the harness's data: no collection walks them
        gc.collect()
        gc.freeze()
    ours_ms, hand_ms = [], []
    for b in range(batches):
        t_ours, t_hand, results, scores = _batch(compiled.evaluate, HANDWRITTEN[scheme], data[b * n:(b + 1) * n], chunk)
        for i, (result, scored) in enumerate(zip(results, scores)):
            diff = first_difference(result, scored)
            if diff is not None:
                sys.exit(f"{scheme}: input {b * n + i} (seed {seed}) scores differently: {diff}")
        ours_ms.append(t_ours / n * 1e3)
        hand_ms.append(t_hand / n * 1e3)
    ratios = [o / h for o, h in zip(ours_ms, hand_ms)]
    gc.unfreeze()
    return {"load_ms": load_ms, "ours": ours_ms, "hand": hand_ms, "ratios": ratios}


def spread(values: list[float]) -> float:
    """(slowest − fastest) ÷ median, in percent: how much the batches wander."""
    return (max(values) - min(values)) / statistics.median(values) * 100


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("-n", type=int, default=1000, help="inputs per batch and scheme (default 1000)")
    p.add_argument("--batches", type=int, default=7, help="batches per scheme (default 7)")
    p.add_argument("--seed", type=int, default=1, help="the generator's seed (default 1)")
    p.add_argument("--chunk", type=int, default=10, help="inputs scored by one scorer before the other takes a turn")
    p.add_argument("--no-freeze", action="store_true",
                   help="leave the held inputs to the garbage collector (every full collection walks them)")
    p.add_argument("--no-gc", action="store_true",
                   help="a diagnosis: the garbage collector off while the batches are timed (both scorers)")
    args = p.parse_args()
    if args.no_gc:
        gc.disable()
    print(f"{args.batches} batches of {args.n} generated inputs per scheme, seed {args.seed}; "
          f"ms per table = the median batch; identical totals, grades, category sums and indicator scores checked on every input; "
          f"held inputs {'left to' if args.no_freeze else 'frozen out of'} the garbage collector"
          + ("; the garbage collector off" if args.no_gc else ""))
    print(f"{'scheme':18} {'load ms':>8} {'perfrules ms':>13} {'hand ms':>8} {'ratio':>6} "
          f"{'ratio range':>12} {'noise perfrules':>16} {'noise hand':>11}")
    for scheme in generate.SCHEMES:
        r = run(scheme, args.n, args.batches, args.seed, args.chunk, freeze=not args.no_freeze)
        ours, hand, ratio = statistics.median(r["ours"]), statistics.median(r["hand"]), statistics.median(r["ratios"])
        print(f"{scheme:18} {r['load_ms']:8.1f} {ours:13.3f} {hand:8.3f} {ratio:5.1f}× "
              f"{min(r['ratios']):5.1f}–{max(r['ratios']):4.1f}× {spread(r['ours']):15.0f}% {spread(r['hand']):10.0f}%")
    print(f"all {args.n * args.batches} inputs per scheme scored identically by both")


if __name__ == "__main__":
    main()
