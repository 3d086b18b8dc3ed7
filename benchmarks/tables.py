"""How the table reader's time grows with rows. Run: python benchmarks/tables.py [--rows 1000 10000 100000]

Writes a 自评表 of N indicator rows as CSV (and, with --xlsx, as a workbook), then times
reading it into an input (`spreadsheet.read`: grid plus header and row interpretation) and
prints seconds and seconds per 1,000 rows. A linear reader keeps the last column flat.
Timings are printed, never asserted (see tests/hostile/test_limits.py for the behaviour).
"""

from __future__ import annotations

import argparse
import csv
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from perfrules import limits  # noqa: E402
from perfrules.sources import spreadsheet  # noqa: E402

HEAD = ["一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分", "偏差原因分析"]


def rows(n: int) -> list[list[str]]:
    out = [["2021年度项目支出绩效自评表"], ["项目名称", "某某项目", "", "主管部门", "某某局"], HEAD]
    for i in range(n):
        level1 = ("产出指标", "效益指标", "满意度指标")[i * 3 // n]
        out.append([level1 if i % 50 == 0 else "", "数量指标", f"培训人数{i + 1}", "≥90%", f"{90 + i % 10}%", "1", "1", ""])
    out.append(["总分", "", "", "", "", str(n), str(n), ""])
    return out


def write_csv(path: Path, n: int) -> None:
    with path.open("w", encoding="utf-8", newline="") as f:
        csv.writer(f).writerows(rows(n))


def write_xlsx(path: Path, n: int) -> None:
    import openpyxl

    book = openpyxl.Workbook()
    ws = book.active
    ws.title = "自评表"
    for row in rows(n):
        ws.append(row)
    book.save(path)


def timed(path: Path) -> tuple[float, int]:
    start = time.perf_counter()
    doc = spreadsheet.read(path)
    return time.perf_counter() - start, len(doc.data["indicators"])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, nargs="+", default=[1_000, 10_000, 100_000])
    parser.add_argument("--xlsx", action="store_true", help="time .xlsx workbooks too (slower to write)")
    args = parser.parse_args()
    biggest = max(args.rows) + 10
    suffixes = [".csv", ".xlsx"] if args.xlsx else [".csv"]
    with tempfile.TemporaryDirectory() as tmp, limits.override(max_rows=max(biggest, limits.current().max_rows),
                                                               max_file_bytes=10**9, max_xlsx_bytes=10**10,
                                                               max_cells=10**9):
        print(f"{'rows':>8} {'file':>6} {'MB':>7} {'seconds':>9} {'s per 1k rows':>14}")
        for suffix in suffixes:
            for n in args.rows:
                path = Path(tmp) / f"in{n}{suffix}"
                (write_csv if suffix == ".csv" else write_xlsx)(path, n)
                seconds, read = timed(path)
                assert read == n, (read, n)
                mb = path.stat().st_size / 1e6
                print(f"{n:>8} {suffix:>6} {mb:>7.2f} {seconds:>9.2f} {seconds / n * 1000:>14.4f}")


if __name__ == "__main__":
    main()
