"""The scored 自评表 (layout.Sheet) as an .xlsx workbook: numbers as numbers, text as text, never a formula."""

from __future__ import annotations

import io
import re
from decimal import Decimal
from pathlib import Path
from typing import Any, Sequence

from ..decimals import HUNDRED
from ..sources.sheet import CSV_QUOTED
from .files import write_atomically
from .layout import Percent, Sheet, Value

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")  # what openpyxl refuses (ILLEGAL_CHARACTERS_RE)


def _put(ws: Any, r: int, c: int, v: Value) -> Any:
    cell = ws.cell(row=r, column=c)
    if isinstance(v, Percent):
        pct = (v.share * HUNDRED).normalize()
        places = max(0, -pct.as_tuple().exponent)  # type: ignore[operator]
        cell.value = v.share
        cell.number_format = "0" + ("." + "0" * places if places else "") + "%"
    elif isinstance(v, Decimal):
        cell.value = v
        places = max(0, -v.as_tuple().exponent)  # type: ignore[operator]
        if places:
            cell.number_format = "0." + "0" * places  # 100.00 stays 100.00 when read back
    elif isinstance(v, str):
        # a workbook cannot hold control characters (\x00, \x07 pasted from Word): each shows as �
        cell.value = _CONTROL.sub("\ufffd", v)
        # text stays text: openpyxl would store '=HYPERLINK(…)' or DDE '=cmd|…' as a live formula
        cell.data_type = "s"
        cell.quotePrefix = v.startswith(CSV_QUOTED)  # and Excel keeps it text when the cell is edited
    else:
        cell.value = v
    return cell


def save_xlsx(sheets: Sequence[tuple[str, list[list[Value]], int | None]], path: str | Path,
              widths: dict[int, int] | None = None) -> None:
    """Write sheets of cell rows; the row index given with a sheet is its header (bold, frozen below)."""
    save_book(workbook(sheets, widths), path)


def save_book(book: Any, path: str | Path) -> None:
    """An openpyxl workbook to a file, whole or not at all."""
    data = io.BytesIO()
    book.save(data)
    write_atomically(path, data.getvalue())


def workbook(sheets: Sequence[tuple[str, list[list[Value]], int | None]], widths: dict[int, int] | None = None) -> Any:
    """The openpyxl workbook of `save_xlsx`, for a caller that adds to it (charts) before saving."""
    import openpyxl
    from openpyxl.styles import Alignment, Font

    book = openpyxl.Workbook()
    book.remove(book.active)
    for title, rows, header in sheets:
        ws = book.create_sheet(title)
        for r, row in enumerate(rows, start=1):
            for c, v in enumerate(row, start=1):
                if v is not None:
                    cell = _put(ws, r, c, v)
                    cell.alignment = Alignment(wrap_text=True, vertical="top")
        if header is not None:
            for cell in ws[header + 1]:
                cell.font = Font(bold=True)
            ws.freeze_panes = ws.cell(row=header + 2, column=1)
        for c, w in (widths or {}).items():
            ws.column_dimensions[openpyxl.utils.get_column_letter(c + 1)].width = w
    return book


def to_xlsx(sheet: Sheet, path: str | Path) -> None:
    """The scored table on a sheet 自评表, the findings on a sheet 发现."""
    rows = sheet.rows()
    widths = {i: 14 for i in range(len(sheet.columns))}
    widths.update({sheet.index["name"]: 30, sheet.index["target"]: 20, sheet.index["actual"]: 20,
                   sheet.index["deviation_reason"]: 24, sheet.index["explanation"]: 60})
    save_xlsx([("自评表", rows, sheet.header_row), ("发现", sheet.findings(), 0)], path, widths)
