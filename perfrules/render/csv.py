"""The scored 自评表 (layout.Sheet) as CSV text that no spreadsheet runs as a formula."""

from __future__ import annotations

import csv
import io
from typing import Sequence

from ..sources.sheet import CSV_QUOTED, PLAIN_NUMBER
from .layout import FINDINGS, Sheet, Value, cell_text


def csv_cell(v: Value) -> str:
    """A cell as CSV text that no spreadsheet runs as a formula (the OWASP rule for CSV injection).

    Text that starts with = + - @ a tab or a carriage return gets a leading `'`; so does text
    that starts with `'` itself, so that the table reader can take exactly one quote off
    again without mistaking a unit's own apostrophe. A number (-5, +3.5%) cannot run and
    is written as it is.
    """
    written = cell_text(v)
    if isinstance(v, str) and written.startswith(CSV_QUOTED) and not PLAIN_NUMBER.fullmatch(written):
        return "'" + written
    return written


def csv_text(rows: Sequence[Sequence[Value]]) -> str:
    """Rows of cells as CSV text, every text cell neutralised by `csv_cell`."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerows([csv_cell(v) for v in row] for row in rows)
    return buf.getvalue()


def to_csv(sheet: Sheet) -> str:
    """The scored table, a blank row, then the findings (one file: a CSV has one sheet)."""
    return csv_text([*sheet.rows(), [], [FINDINGS], *sheet.findings()])
