"""Score a warehouse export of indicator rows on Spark: `groupBy(unit).applyInPandas(...)`.

    pip install 'perfrules[spark]'      # and a Java runtime (java -version)
    python examples/spark_score.py [OUT_FOLDER]

The compiled scheme is pickled once, inside the function spark_scorer returns; each
executor's Python worker unpickles it on its first group and keeps it. Every group is one
unit's rows; the result has one row per unit, its decimals as exact text ("97.53"), cast
in Spark where a decimal type fits. On a cluster, install perfrules on the executors too
(the same version: the `perfrules` and `scheme_hash` columns say which scored a row).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from pyspark.sql import SparkSession, functions as F

import perfrules
from perfrules.frame import spark_scorer

HERE = Path(__file__).resolve().parent


def main(out: str | None = None) -> None:
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)  # local mode: workers run this Python
    spark = (SparkSession.builder.master("local[2]").appName("perfrules")
             .config("spark.ui.enabled", "false").getOrCreate())
    try:
        scheme = perfrules.load("henan/zhengzhou-project-2021")
        rows = spark.read.csv(str(HERE / "zhengzhou-rows.csv"), header=True)  # every column as text
        score_units, schema = spark_scorer(scheme, key="单位名称")
        units = rows.groupBy("单位名称").applyInPandas(score_units, schema)
        units = units.withColumn("total", F.col("total").cast("decimal(6,2)"))  # the scheme rounds to 2 places
        units.select("单位名称", "total", "grade", "incomplete", "scheme_hash").orderBy("单位名称").show(truncate=False)
        if out:
            units.write.mode("overwrite").parquet(out)
    finally:
        spark.stop()


if __name__ == "__main__":
    main(*sys.argv[1:2])
