"""A province's year of indicator rows as one DataFrame, scored through pandas and through Dask.

Run: python benchmarks/frame.py                    # 100,000 unit tables (2.1 million rows), pandas and Dask
     python benchmarks/frame.py -n 10000 --modes pandas dask spark

Builds a frame of n Zhengzhou unit tables (benchmarks/generate.py, a fixed seed; `--pool`
distinct tables cycled, each copy under its own unit key), one row per indicator, before
any clock starts. Each mode runs in a fresh process, so that its peak memory is its own:

- pandas: `perfrules.frame.score(scheme, rows)` on one process;
- dask: `perfrules.frame.dask_score` over the frame cut into partitions at unit boundaries
  (`partitioned=True`: no shuffle timed), on `--workers` processes (the multiprocessing scheduler);
- spark: `groupBy("unit").applyInPandas` in Spark local mode on `--workers` cores (needs
  pyspark and Java; the frame is handed to Spark as Arrow first, outside the timing);
- spark-buckets: the same grouped by `pmod(hash(unit), workers × 16)`, many units per call.

For each it prints the wall time of scoring, tables per second, tables per CPU second of
the process and its workers (the per-core rate, the figure that holds on a shared machine;
not measured for Spark, whose Python workers the JVM starts), and the peak memory (ru_maxrss) of
the process and of its largest worker. Every mode must give the same sum of totals and
grade counts, or it stops.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time
from collections import Counter
from decimal import Decimal
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))

import generate  # noqa: E402

import perfrules  # noqa: E402

SCHEME = "zhengzhou"


def rows_frame(n: int, pool_size: int, seed: int) -> Any:
    """n unit tables as one frame of indicator rows, built column by column (a list per column)."""
    import pandas as pd

    pool = generate.inputs(SCHEME, min(pool_size, n), seed=seed)
    keys = sorted({k for data in pool for row in data["indicators"] for k in row})
    columns: dict[str, list[Any]] = {"unit": [], "year": [], **{k: [] for k in keys}}
    for i in range(n):
        data = pool[i % len(pool)]
        for row in data["indicators"]:
            columns["unit"].append(i)
            columns["year"].append(data.get("year"))
            for k in keys:
                columns[k].append(row.get(k))
    return pd.DataFrame({k: pd.Series(v, dtype=object) if k != "unit" else v for k, v in columns.items()})


def cpu(who: int) -> float:
    usage = resource.getrusage(who)
    return usage.ru_utime + usage.ru_stime


def digest(units: Any) -> tuple[str, dict[str, int]]:
    total = sum((Decimal(t) for t in units["total"] if t is not None), Decimal(0))
    return f"{total}", dict(Counter(str(g) for g in units["grade"]))


def run_pandas(scheme: perfrules.Scheme, rows: Any, workers: int) -> Any:
    from perfrules import frame

    return frame.score(scheme, rows)[1]


def run_dask(scheme: perfrules.Scheme, rows: Any, workers: int) -> Any:
    import dask
    import dask.dataframe as dd

    from perfrules import frame

    # element lists stay lists (Dask would turn an object column into text); the frame is cut at unit
    # boundaries: the index is the unit, sorted, and from_pandas never splits one value
    with dask.config.set({"dataframe.convert-string": False}):
        ddf = dd.from_pandas(rows.set_index("unit", drop=False).rename_axis(None), npartitions=workers * 8, sort=True)
        scored = frame.dask_score(scheme, ddf, partitioned=True)
        return scored.compute(scheduler="processes", num_workers=workers)


def run_spark(scheme: perfrules.Scheme, rows: Any, workers: int, buckets: int = 0) -> Any:
    import os

    from pyspark.sql import SparkSession, functions as F

    from perfrules import frame

    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    spark = (SparkSession.builder.master(f"local[{workers}]").appName("perfrules-benchmark")
             .config("spark.ui.enabled", "false").config("spark.sql.execution.arrow.pyspark.enabled", "true")
             .config("spark.sql.shuffle.partitions", str(workers * 8)).getOrCreate())
    # as a warehouse holds them: text, an element list as 1、2、3 (none present: 无)
    text = rows.assign(elements=["、".join(map(str, e)) or "无" if isinstance(e, list) else None for e in rows["elements"]])
    text = text.astype({c: str for c in text.columns if c not in ("unit", "year")}).replace({"None": None})
    table = spark.createDataFrame(text).cache()
    table.count()  # handed over before the clock starts
    function, schema = frame.spark_scorer(scheme, key_type="long")
    if buckets:  # many units per call: the per-call cost of pandas and Arrow spread over them
        table = table.withColumn("bucket", F.pmod(F.hash("unit"), F.lit(buckets)))
    start = time.perf_counter()
    units = table.groupBy("bucket" if buckets else "unit").applyInPandas(function, schema).toPandas()
    run_spark.seconds = time.perf_counter() - start  # type: ignore[attr-defined]
    spark.stop()
    return units


RUNS = {"pandas": run_pandas, "dask": run_dask, "spark": run_spark,
        "spark-buckets": lambda scheme, rows, workers: run_spark(scheme, rows, workers, buckets=workers * 16)}


def child(mode: str, n: int, pool: int, seed: int, workers: int) -> dict[str, Any]:
    scheme = perfrules.load(HERE.parent / generate.SCHEMES[SCHEME][0])
    rows = rows_frame(n, pool, seed)
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
    cpu0 = cpu(resource.RUSAGE_SELF) + cpu(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    units = RUNS[mode](scheme, rows, workers)
    wall = getattr(run_spark, "seconds", None) if mode.startswith("spark") else None
    wall = wall or time.perf_counter() - start
    used = cpu(resource.RUSAGE_SELF) + cpu(resource.RUSAGE_CHILDREN) - cpu0
    failed = int(units["error"].notna().sum())
    return {"mode": mode, "rows": len(rows), "units": len(units), "wall": wall, "cpu": used, "failed": failed,
            "rss_before": before, "rss": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024,
            "children_rss": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss // 1024,
            "digest": digest(units)}


def available(mode: str) -> str | None:
    """Why a mode cannot run here, or None."""
    import importlib.util
    import shutil

    need = {"pandas": ["pandas"], "dask": ["pandas", "dask"], "spark": ["pandas", "pyspark"],
            "spark-buckets": ["pandas", "pyspark"]}[mode]
    missing = [m for m in need if importlib.util.find_spec(m) is None]
    if missing:
        return f"{', '.join(missing)} not installed (pip install 'perfrules[{mode.split('-')[0]}]')"
    if mode.startswith("spark") and shutil.which("java") is None:
        return "no Java runtime"
    return None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("-n", type=int, default=100_000, help="unit tables (default 100,000: 2.1 million rows)")
    parser.add_argument("--modes", nargs="+", default=["pandas", "dask"], choices=sorted(RUNS))
    parser.add_argument("--workers", type=int, default=2, help="processes (Dask) or cores (Spark); default 2")
    parser.add_argument("--pool", type=int, default=2_000, help="distinct tables to cycle through (default 2,000)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(args.child, args.n, args.pool, args.seed, args.workers)))
        return

    print(f"{args.n:,} Zhengzhou unit tables ({min(args.pool, args.n):,} distinct, cycled), each mode in a fresh process")
    print()
    print("| mode | processes/cores | rows | seconds | tables/s | tables per CPU second | peak MiB (frame built → end) | "
          "largest worker MiB |")
    print("|---|---|---|---|---|---|---|---|")
    seen = None
    for mode in args.modes:
        why = available(mode)
        if why:
            print(f"| {mode} | skipped: {why} | | | | | | |")
            continue
        out = subprocess.run([sys.executable, __file__, "--child", mode, "-n", str(args.n), "--pool", str(args.pool),
                              "--seed", str(args.seed), "--workers", str(args.workers)],
                             capture_output=True, text=True, check=True).stdout
        r = json.loads(out.strip().splitlines()[-1])
        if seen is not None and r["digest"] != seen:
            sys.exit(f"{mode} gave other results: {r['digest']} against {seen}")
        seen = r["digest"]
        workers = 1 if mode == "pandas" else args.workers
        child_rss = f"{r['children_rss']}" if mode == "dask" else "—"
        per_cpu = "— (in Spark's workers)" if mode.startswith("spark") else f"{args.n / r['cpu']:,.0f}"
        print(f"| {mode} | {workers} | {r['rows']:,} | {r['wall']:.1f} | {args.n / r['wall']:,.0f} | {per_cpu} | "
              f"{r['rss_before']} → {r['rss']} | {child_rss} |", flush=True)
        if r["failed"]:
            print(f"  ({r['failed']} units could not be scored)")
    if seen is not None:
        print()
        print(f"every mode: sum of totals {seen[0]}, grades {seen[1]}")


if __name__ == "__main__":
    main()
