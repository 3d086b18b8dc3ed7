"""The other edge: one layout of a result (layout.py), drawn for a terminal (terminal.py), as
Markdown, CSV, an .xlsx workbook or JSON, and written to a file whole or not at all (files.py).

    render.table(result, scheme)                     # the terminal table
    render.write(result, record, scheme, "out.xlsx") # .xlsx, .csv, .json, .md or .html, by the extension
"""

from __future__ import annotations

from pathlib import Path

from ..model import Scheme
from ..record import Record
from ..report import Report
from ..result import Result
from .csv import to_csv
from .files import output_format, write_atomically
from .json import to_json
from .layout import Sheet
from .markdown import to_markdown
from .terminal import findings_table, table
from .xlsx import to_xlsx


def write(result: Result, record: Record, scheme: Scheme, path: str | Path) -> None:
    """Write the scored input in the format its extension names (.xlsx, .csv, .json, .md, .html)."""
    kind = output_format(path)
    if kind == "html":
        from .html import to_html  # charts need matplotlib (perfrules[report]): only when asked for

        write_atomically(path, to_html(result, record, scheme).encode("utf-8"))
    elif kind == "json":
        write_atomically(path, (to_json(result) + "\n").encode("utf-8"))
    elif kind == "markdown":
        write_atomically(path, to_markdown(result, scheme).encode("utf-8"))
    elif kind == "csv":
        # the BOM: Excel reads it as UTF-8
        write_atomically(path, to_csv(Sheet(result, record, scheme)).encode("utf-8-sig"))
    else:
        to_xlsx(Sheet(result, record, scheme), path)


def write_report(report: Report, path: str | Path) -> None:
    """Write the batch report (perfrules report) as .html or .xlsx, by the extension."""
    if output_format(path) == "html":
        from .html_report import to_html

        write_atomically(path, to_html(report).encode("utf-8"))
    else:
        from .xlsx_report import to_xlsx

        to_xlsx(report, path)


__all__ = ["table", "findings_table", "to_json", "to_markdown", "to_csv", "to_xlsx", "write", "write_report", "output_format", "Sheet"]
