"""The mutation fuzzer, for spreadsheets: the example workbooks, mutated cell by cell (hostile
values, merged ranges, rows deleted or added) and saved as .xlsx or as CSV with raw-text
edits, must read to a PerfrulesError or a result, never anything else.

PERFRULES_FUZZ_EXAMPLES=N runs N/4 of these (the YAML fuzzer in test_fuzz.py runs the rest).
"""

from __future__ import annotations

import csv
import datetime
import io
import os
import tempfile
from pathlib import Path
from typing import Any

import openpyxl
import openpyxl.utils
from hypothesis import given, reject
from openpyxl.utils.exceptions import IllegalCharacterError
from hypothesis import strategies as st

import perfrules
from conftest import EXAMPLES, RULESETS
from perfrules.sources import spreadsheet
from perfrules.api import audit
from perfrules.errors import PerfrulesError
from perfrules.render import findings_table, table, to_json

import test_fuzz as yaml_fuzz  # the hostile words and the raw-text edits

PAIRS = [
    ("henan/zhengzhou-project-2021.yaml", "zhengzhou-project-2021.xlsx"),
    ("hunan/department-2021.yaml", "zhuzhou-department-2021.xlsx"),
    ("hunan/project-2021.yaml", "zhuzhou-project-2021.xlsx"),
    ("shanxi/yangquan-project-2024.yaml", "yangquan-project-2024.xlsx"),
]
SCHEMES = {r: perfrules.load(RULESETS / r) for r, _ in PAIRS}
BOOKS = {x: (EXAMPLES / x).read_bytes() for _, x in PAIRS}
TOTAL = int(os.environ.get("PERFRULES_FUZZ_EXAMPLES", "0") or 0)
EACH = max(1, TOTAL // 4) if TOTAL else 60
FOLDER = tempfile.TemporaryDirectory(prefix="perfrules-fuzz-")

CELLS: list[Any] = [*yaml_fuzz.WORDS, 1e30, 1e-300, -0.0, 1e16, 10**20, -5, 0, 0.1 + 0.2, True, False,
                    datetime.datetime(2021, 13 % 12 + 1, 1), datetime.date(1900, 1, 1), datetime.time(12, 0),
                    "=1/0", "=HYPERLINK(\"http://x\")", "项目\n名称", "总分", "合计", "小计", "三级指标", "等级：优",
                    "指标1", "(1)", "1~8、9", "1-100000", "要素1、3", "是", "否", "正向", "反向"]


def _csv(ws: Any) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    for row in ws.iter_rows(values_only=True):
        writer.writerow(["" if v is None else v for v in row])
    return out.getvalue()


class Case:
    def __init__(self, ruleset: str, book: str, steps: list[str], path: Path):
        self.ruleset, self.book, self.steps, self.path = ruleset, book, steps, path

    def __repr__(self) -> str:
        return f"Case({self.book} against {self.ruleset}: " + "; ".join(self.steps) + ")"

    def _repr_pretty_(self, p: Any, cycle: bool) -> None:
        p.text(repr(self))


@st.composite
def mutated(draw: st.DrawFn) -> Case:
    ruleset, name = draw(st.sampled_from(PAIRS))
    book = openpyxl.load_workbook(io.BytesIO(BOOKS[name]))
    ws = book.worksheets[0]
    steps: list[str] = []
    for _ in range(draw(st.integers(1, 4))):
        rows, cols = ws.max_row, ws.max_column
        action = draw(st.sampled_from(["cell", "cell", "cell", "merge", "unmerge", "delete_row", "insert_row"]))
        r, c = draw(st.integers(1, rows + 2)), draw(st.integers(1, cols + 1))
        if action == "cell":
            value = draw(st.sampled_from(CELLS) | st.text(max_size=20))
            try:
                ws.cell(row=r, column=c).value = value
            except (AttributeError, ValueError, TypeError, IllegalCharacterError):  # a merged (read-only) cell, a character openpyxl refuses
                continue
            steps.append(f"{openpyxl.utils.get_column_letter(c)}{r} = {value!r:.60}")
        elif action == "merge":
            r2, c2 = draw(st.integers(r, rows + 2)), draw(st.integers(c, cols + 1))
            ws.merge_cells(start_row=r, start_column=c, end_row=r2, end_column=c2)
            steps.append(f"merge {r},{c}:{r2},{c2}")
        elif action == "unmerge" and ws.merged_cells.ranges:
            rng = draw(st.sampled_from(sorted(str(x) for x in ws.merged_cells.ranges)))
            try:
                ws.unmerge_cells(rng)
            except KeyError:  # openpyxl loses track of a range after rows are inserted or deleted
                continue
            steps.append(f"unmerge {rng}")
        elif action == "delete_row":
            ws.delete_rows(r)
            steps.append(f"delete row {r}")
        elif action == "insert_row":
            ws.insert_rows(r)
            steps.append(f"insert row {r}")
    index = len(os.listdir(FOLDER.name))
    if draw(st.booleans()):
        path = Path(FOLDER.name) / f"{index}.xlsx"
        try:
            book.save(path)
        except Exception:  # openpyxl cannot write some of what it let us set: not a case for perfrules
            reject()
    else:
        text = yaml_fuzz.mutate_text(draw, _csv(ws)) if draw(st.booleans()) else _csv(ws)
        path = Path(FOLDER.name) / f"{index}.csv"
        path.write_text(text, encoding="utf-8")
        steps.append("as CSV" + (", text edited" if text != _csv(ws) else ""))
    return Case(ruleset, name, steps, path)


def exercise(case: Case) -> None:
    scheme = SCHEMES[case.ruleset]
    try:
        record = spreadsheet.read_input(case.path)
    except PerfrulesError as exc:
        assert exc.problems and all(str(p) for p in exc.problems)
        return
    result = scheme.evaluate(record)
    table(result, scheme)
    yaml_fuzz.assert_every_gap_said(result)
    audited = audit(scheme, record)
    findings_table(audited, scheme)
    to_json(audited)


_settings = yaml_fuzz.fuzz_settings(EACH)


@_settings
@given(mutated())
def test_mutated_workbooks_give_errors_or_findings_never_a_crash(case):
    try:
        exercise(case)
    finally:
        case.path.unlink(missing_ok=True)
