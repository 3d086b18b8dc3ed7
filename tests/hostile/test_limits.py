"""Issue 10, "Time and memory": a table, a workbook or a file past a documented limit is a clear error;
reading is linear in rows (benchmarks/tables.py prints the timings; nothing here is timed)."""

from __future__ import annotations

import re
import zipfile
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from conftest import EXAMPLES, ROOT
from perfrules import limits
from perfrules.errors import InputError
from perfrules.sources import grid as grid_mod, spreadsheet
from perfrules.sources.sheet import read_grids

WORKBOOK = EXAMPLES / "zhuzhou-project-2021.xlsx"
HEAD = "一级指标,二级指标,三级指标,年度指标值,实际完成值,分值,得分\n"


def csv_of(path: Path, n: int) -> Path:
    body = "".join(f"产出指标,数量指标,培训人数{i},≥90%,95%,1,1\n" for i in range(n))
    path.write_text(HEAD + body + f"总分,,,,,{n},{n}\n", encoding="utf-8")
    return path


def rewrite(source: Path, target: Path, change) -> Path:
    """A copy of a workbook with `change(name, data) -> data` applied to each entry, plus any it adds."""
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as new:
        for entry in old.infolist():
            new.writestr(entry.filename, change(entry.filename, old.read(entry)))
    return target


class CountingRows(list):
    """A grid's rows that count how often the whole list is walked."""

    walks = 0

    def __iter__(self):
        CountingRows.walks += 1
        return super().__iter__()


def test_the_table_reader_walks_the_rows_a_bounded_number_of_times(tmp_path):
    """Grid.width was recomputed per cell: every row walked all rows (10,000 rows took 25 s)."""
    for n in (200, 2000):
        grid = grid_mod.load_csv(csv_of(tmp_path / f"in{n}.csv", n))
        grid.rows = CountingRows(grid.rows)
        CountingRows.walks = 0
        doc = read_grids([grid], grid.file)
        assert len(doc.data["indicators"]) == n
        assert CountingRows.walks < 20, (n, CountingRows.walks)  # quadratic was ~4 walks per row


def test_the_benchmark_script_runs(tmp_path):
    import subprocess
    import sys

    out = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "tables.py"), "--rows", "50", "100"],
                         capture_output=True, text=True, check=True).stdout
    assert "s per 1k rows" in out and len(out.splitlines()) == 3


def test_a_zip_bomb_workbook_is_refused_before_it_is_unpacked(tmp_path):
    bomb = tmp_path / "bomb.xlsx"

    def add_padding(name: str, data: bytes) -> bytes:
        return data

    rewrite(WORKBOOK, bomb, add_padding)
    with zipfile.ZipFile(bomb, "a", zipfile.ZIP_DEFLATED) as z, z.open("xl/padding.xml", "w") as f:
        block = b"\0" * 1_000_000
        for _ in range(60):  # 60 MB of XML in about 60 KB of zip
            f.write(block)
    assert bomb.stat().st_size < 1_000_000
    with pytest.raises(InputError, match=r"unpacks to 60\.\d+ MB, beyond the limit of 50 MB \(PERFRULES_MAX_XLSX_BYTES\)"):
        spreadsheet.read(bomb)


def test_the_unpacked_size_limit_is_a_setting():
    with limits.override(max_xlsx_bytes=10_000):
        with pytest.raises(InputError, match="PERFRULES_MAX_XLSX_BYTES"):
            spreadsheet.read(WORKBOOK)
    assert spreadsheet.read(WORKBOOK).data["indicators"]


def test_a_merged_range_over_the_whole_sheet_is_refused(tmp_path):
    """openpyxl makes one object per merged cell: A1:XFD1048576 is 17 billion of them."""
    def merge_everything(name: str, data: bytes) -> bytes:
        if name.startswith("xl/worksheets/sheet"):
            data, n = re.subn(rb"<mergeCell ", b'<mergeCell ref="B300:XFD1048576"/><mergeCell ', data, count=1)
            assert n == 1
        return data

    path = rewrite(WORKBOOK, tmp_path / "merged.xlsx", merge_everything)
    with pytest.raises(InputError, match=r"merged ranges cover more than 4,000,000 cells \(PERFRULES_MAX_CELLS\)"):
        spreadsheet.read(path)


def test_a_cell_far_down_the_sheet_is_refused_before_the_sheet_is_filled(tmp_path):
    book = openpyxl.Workbook()
    ws = book.active
    ws.title = "自评表"
    ws.append(["三级指标", "分值"])
    ws.append(["培训人数", 3])
    ws.cell(row=1_048_576, column=1, value="x")
    book.save(tmp_path / "far.xlsx")
    with pytest.raises(InputError, match=r"has 1,048,576 rows, beyond the limit of 200,000 \(PERFRULES_MAX_ROWS\)"):
        spreadsheet.read(tmp_path / "far.xlsx")
    book = openpyxl.Workbook()
    ws = book.active
    ws.append(["三级指标", "分值"])
    ws.cell(row=150_000, column=16_000, value="x")
    book.save(tmp_path / "wide.xlsx")
    with pytest.raises(InputError, match=r"more than 4,000,000 cells \(PERFRULES_MAX_CELLS\)"):
        spreadsheet.read(tmp_path / "wide.xlsx")


def test_a_csv_beyond_the_row_and_cell_limits_is_refused(tmp_path):
    path = csv_of(tmp_path / "in.csv", 150)
    with limits.override(max_rows=100):
        with pytest.raises(InputError, match=r"more than 100 rows \(PERFRULES_MAX_ROWS\)"):
            spreadsheet.read(path)
    with limits.override(max_cells=500):
        with pytest.raises(InputError, match=r"more than 500 cells \(PERFRULES_MAX_CELLS\)"):
            spreadsheet.read(path)
    assert len(spreadsheet.read(path).data["indicators"]) == 150


def test_a_file_beyond_the_size_limit_is_refused_without_reading_it_all(tmp_path):
    path = csv_of(tmp_path / "in.csv", 150)
    with limits.override(max_file_bytes=1_000):
        with pytest.raises(InputError, match=r"larger than the limit of 0.001 MB \(PERFRULES_MAX_FILE_BYTES\)"):
            spreadsheet.read(path)


def test_an_excel_number_beyond_the_bound_is_text_that_is_not_a_number(tmp_path):
    book = openpyxl.Workbook()
    ws = book.active
    ws.append(["三级指标", "年度指标值", "实际完成值", "分值"])
    ws.append(["培训人数", 750, 1e30, 3])
    ws.append(["参训率", 90, 95, 1e16])
    book.save(tmp_path / "huge.xlsx")
    doc = spreadsheet.read(tmp_path / "huge.xlsx")
    first, second = doc.data["indicators"]
    assert first["actual"] == "1000000000000000000000000000000" and second["weight"] == "10000000000000000"
    with pytest.raises(InputError, match=r"Sheet!D3: weight: must be a number"):
        spreadsheet.read_input(tmp_path / "huge.xlsx")


def test_every_limit_is_documented():
    text = (ROOT / "docs" / "limits.md").read_text(encoding="utf-8")
    for name, var in limits.ENV.items():
        assert f"`{var}`" in text, var
        default = getattr(limits.Limits(), name)
        shown = f"{default:,}" if isinstance(default, int) else "10^15"
        assert shown in text, (name, shown)
    assert limits.Limits().max_number == Decimal("1e15")
