"""Spreadsheets in: read a 自评表 from .xlsx or .csv.

    record = spreadsheet.read_input("examples/zhuzhou-department-2021.xlsx")  # a checked Record

`perfrules.sources.read` sends .xlsx and .csv files here, so `scheme.evaluate("x.xlsx")`
works as for a YAML input (perfrules.render writes a scored one). docs/tables.md describes
the layouts and every header.
"""

from __future__ import annotations

import re
from pathlib import Path

from ..i18n import gettext as _
from ..errors import InputError, Problem
from ..record import Record
from .grid import TableDocument, load_csv, load_xlsx
from .mapping import read_document
from .sheet import read_grids

EXCEL = (".xlsx", ".xlsm")
TEXT = (".csv", ".tsv")
SUFFIXES = (*EXCEL, *TEXT, ".xls")  # .xls only to say what to do with it


def read_input(path: str | Path) -> Record:
    """A spreadsheet as a checked input; every unreadable cell is reported at once, in sheet order."""
    doc = read(path)
    problems = list(doc.problems)
    record = None
    try:
        record = read_document(doc)
    except InputError as exc:
        problems += exc.problems
    if problems or record is None:
        raise InputError(sorted(problems, key=_cell_order))
    return record


def _cell_order(problem: Problem) -> tuple[int, int]:
    """`x.xlsx:自评表!F12` sorts as (12, 6): row by row, as a person reads the sheet."""
    m = re.search(r"([A-Z]+)(\d+)$", problem.file or "")
    if not m:
        return (0, 0)
    column = 0
    for ch in m.group(1):
        column = column * 26 + ord(ch) - 64
    return (int(m.group(2)), column)


def read(path: str | Path) -> TableDocument:
    """The input mapping a spreadsheet holds (the first sheet with a 自评表 header), each value
    located; `problems` lists the cells that could not be read (see `read_input`)."""
    suffix = Path(path).suffix.lower()
    if suffix in EXCEL:
        return read_grids(load_xlsx(path), str(path))
    if suffix in TEXT:
        return read_grids([load_csv(path)], str(path))
    if suffix == ".xls":
        raise InputError([Problem(_("an Excel 97-2003 .xls workbook cannot be read: save it as .xlsx "
                                    "(Excel: 文件 → 另存为 → Excel 工作簿)"), file=str(path))])
    raise InputError([Problem(_("not a spreadsheet: expected {suffixes}").format(suffixes=", ".join(EXCEL + TEXT)), file=str(path))])


__all__ = ["read", "read_input", "SUFFIXES", "TableDocument"]
