"""A sheet as a grid of cell values, from an Excel workbook or a CSV file.

Every cell becomes text, an exact `Decimal` or None. A float from Excel goes through its
shortest repr (2.22 stays 2.22, never 2.2200000000000002), a percentage-formatted cell
becomes the text Excel shows (`85%`), and a fixed-decimal format keeps its zeros (12.50).
Merged ranges are kept so the reader can fill a merged cell down; every cell can say
where it is the way Excel does (`自评表!F12`).
"""

from __future__ import annotations

import csv
import datetime
import io
import re
import warnings
import zipfile
import zlib
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any, Sequence

from ..i18n import gettext as _
from .. import limits
from ..errors import InputError, PathPart, PerfrulesError, Problem, format_path
from .yaml_text import Document, read_bytes

CellValue = str | Decimal | None


def column_letter(c: int) -> str:
    """0 -> 'A', 25 -> 'Z', 26 -> 'AA'."""
    out = ""
    c += 1
    while c:
        c, rem = divmod(c - 1, 26)
        out = chr(65 + rem) + out
    return out


@dataclass
class Grid:
    """One sheet: `rows[r][c]` is a cell's own value (0-based); covered merged cells are None."""

    file: str
    sheet: str | None  # None for CSV
    rows: list[list[CellValue]]
    anchor: dict[tuple[int, int], tuple[int, int]] = field(default_factory=dict)  # covered cell -> top-left
    spans: dict[tuple[int, int], tuple[int, int]] = field(default_factory=dict)  # top-left -> bottom-right

    @property
    def height(self) -> int:
        return len(self.rows)

    _width: tuple[int, int] | None = field(default=None, init=False, repr=False, compare=False)

    @property
    def width(self) -> int:
        """The widest row's length, computed once per grid: the reader asks for it in every row."""
        if self._width is None or self._width[0] != len(self.rows):
            self._width = (len(self.rows), max((len(r) for r in self.rows), default=0))
        return self._width[1]

    def own(self, r: int, c: int) -> CellValue:
        """The cell's own value: None for a cell covered by a merge."""
        if 0 <= r < len(self.rows) and 0 <= c < len(self.rows[r]):
            return self.rows[r][c]
        return None

    def origin(self, r: int, c: int) -> tuple[int, int]:
        """The top-left cell of the merge covering (r, c), or (r, c) itself."""
        return self.anchor.get((r, c), (r, c))

    def get(self, r: int, c: int) -> CellValue:
        """The value shown in (r, c): a merged range shows its top-left value in every cell."""
        return self.own(*self.origin(r, c))

    def covered(self, r: int, c: int) -> bool:
        return (r, c) in self.anchor

    def span(self, r: int, c: int) -> tuple[int, int, int, int]:
        """(top, left, bottom, right) of the merge holding (r, c); the cell itself if none."""
        top, left = self.origin(r, c)
        bottom, right = self.spans.get((top, left), (top, left))
        return top, left, bottom, right

    def where(self, r: int, c: int) -> str:
        """`file:sheet!F12` (or `file:F12` for a CSV file): the cell as Excel names it."""
        cell = f"{column_letter(c)}{r + 1}"
        if self.sheet is None:
            return f"{self.file}:{cell}"
        sheet = self.sheet if re.fullmatch(r"[\w\u4e00-\u9fff]+", self.sheet) else "'" + self.sheet.replace("'", "''") + "'"
        return f"{self.file}:{sheet}!{cell}"

    def place(self) -> str:
        return self.file if self.sheet is None else f"{self.file}:{self.sheet}"


@dataclass
class TableDocument(Document):
    """An input read from a table: every path inside it knows its cell (`x.xlsx:自评表!F12`)."""

    cells: dict[tuple[PathPart, ...], str] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)  # cells the table reader could not read

    def where(self, path: Sequence[PathPart], key: bool = False) -> tuple[str, int | None, int | None]:
        p = tuple(path)
        while p:
            if p in self.cells:
                return self.cells[p], None, None
            p = p[:-1]
        return self.cells.get((), self.file), None, None

    def problem(self, path: Sequence[PathPart], message: str, hint: str | None = None, key: bool = False) -> Problem:
        file, _line, _column = self.where(path, key)
        shown = list(path)
        if len(shown) >= 2 and shown[0] == "indicators" and isinstance(shown[1], int):
            shown = shown[2:]  # the cell already says which row
        return Problem(message, file=file, path=format_path(shown), hint=hint)


# ---------------------------------------------------------------- Excel

_QUOTED = re.compile(r'"[^"]*"|\[[^\]]*\]|\\.')


def _places(number_format: str) -> tuple[bool, int]:
    """(is a percentage, digits after the point) of a cell's number format."""
    section = _QUOTED.sub("", (number_format or "General").split(";")[0])
    m = re.search(r"\.(0+)", section)
    return "%" in section, len(m.group(1)) if m else 0


def _plain(d: Decimal) -> Decimal:
    """No exponent: 1E+16 -> 10000000000000000."""
    return d.quantize(Decimal(1)) if d.as_tuple().exponent > 0 else d  # type: ignore[operator]


def excel_value(value: Any, number_format: str = "General") -> CellValue:
    """A cell value from openpyxl as text or an exact Decimal."""
    if value is None:
        return None
    if isinstance(value, str):
        return value.strip() or None
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, (int, float, Decimal)):
        d = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
        if not d.is_finite():
            return str(value)
        percent, places = _places(number_format)
        if percent:
            d = (d * 100).normalize()  # 0.85 -> 85, not 85.00
        if not limits.within(d):
            return f"{d:f}"  # as text: the value parser refuses it, so a weight or actual says it is not a number
        d = _plain(d)
        exponent = d.as_tuple().exponent
        if isinstance(exponent, int) and -exponent < places:
            try:
                d = d.quantize(Decimal(1).scaleb(-places))  # exact: only adds zeros
            except InvalidOperation:
                pass  # a format of 30 places: more digits than a Decimal holds; the value as it is
        return f"{d:f}%" if percent else d
    if isinstance(value, datetime.datetime) and value.time() == datetime.time(0):
        value = value.date()
    if isinstance(value, datetime.date) and not isinstance(value, datetime.datetime):
        return f"{value.year}年{value.month}月{value.day}日"
    return str(value)


_MERGE = re.compile(rb'<(?:\w+:)?mergeCell\s[^>]*?ref="\$?([A-Z]{1,3})\$?(\d{1,7})(?::\$?([A-Z]{1,3})\$?(\d{1,7}))?"')


def _column_number(letters: bytes) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ch - 64
    return n


def _too_big(problem: str, name: str) -> InputError:
    return InputError([Problem(problem, file=name)])


def _check_workbook_size(data: bytes, name: str) -> None:
    """Refuse a zip bomb before openpyxl unpacks it: the XML's size and the merged ranges' cells.

    zipfile never inflates an entry past its declared size, so the declared sizes bound memory.
    """
    lim = limits.current()
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError):
        return  # not a zip: openpyxl says so in its own words below
    with archive:
        entries = archive.infolist()
        unpacked = sum(e.file_size for e in entries)
        if unpacked > lim.max_xlsx_bytes:
            raise _too_big(_("the workbook unpacks to {size}, beyond the limit of {limit} ({setting})").format(
                size=limits.megabytes(unpacked), limit=limits.megabytes(lim.max_xlsx_bytes),
                setting=limits.ENV["max_xlsx_bytes"]), name)
        merged = 0
        for entry in entries:
            if not entry.filename.startswith("xl/worksheets/") or not entry.filename.endswith(".xml"):
                continue
            try:
                xml = archive.read(entry)
            except (zipfile.BadZipFile, OSError, ValueError, EOFError, zlib.error):
                return  # damaged: openpyxl reports it
            for m in _MERGE.finditer(xml):
                c1, r1 = _column_number(m.group(1)), int(m.group(2))
                c2, r2 = (_column_number(m.group(3)), int(m.group(4))) if m.group(3) else (c1, r1)
                merged += (abs(c2 - c1) + 1) * (abs(r2 - r1) + 1)
                if merged > lim.max_cells:
                    raise _too_big(_("its merged ranges cover more than {cells} cells ({setting})").format(
                        cells=f"{lim.max_cells:,}", setting=limits.ENV["max_cells"]), name)


def _check_sheet_size(title: str, rows: int, columns: int, name: str, cells_before: int) -> int:
    """Refuse a sheet whose used range is beyond the limits (a grid would hold every cell of it)."""
    lim = limits.current()
    if rows > lim.max_rows:
        raise _too_big(_("sheet {title} has {rows} rows, beyond the limit of {limit} ({setting})").format(
            title=repr(title), rows=f"{rows:,}", limit=f"{lim.max_rows:,}", setting=limits.ENV["max_rows"]), name)
    cells = cells_before + rows * columns
    if cells > lim.max_cells:
        raise _too_big(_("sheet {title} spans {rows} rows × {columns} columns: the workbook holds more than "
                         "{cells} cells ({setting})").format(title=repr(title), rows=f"{rows:,}", columns=f"{columns:,}",
                                                             cells=f"{lim.max_cells:,}", setting=limits.ENV["max_cells"]), name)
    return cells


# openpyxl's read-only mode streams a sheet's cells without building a Cell object (and, for
# a merged range, a styled MergedCell) per cell: two to three times faster. It reads merged
# ranges and the used range from the sheet's XML here instead. False: always the full load.
READ_ONLY = True

_CELL_TAG = re.compile(rb"<(?:\w+:)?c[\s/>]")
_CELL_REF = re.compile(rb'<(?:\w+:)?c\s[^>]*?\br="([A-Z]{1,3})(\d{1,7})"')


@dataclass(frozen=True)
class _Extent:
    """A sheet's used range as openpyxl's full load makes it (cells written, and every cell of a
    merged range; 0 × 0 for a sheet without either), and its merged ranges as (top, left,
    bottom, right), 1-based."""

    rows: int
    columns: int
    merges: tuple[tuple[int, int, int, int], ...]


def _extent(xml: bytes) -> _Extent | None:
    """The used range and merges from a sheet's XML; None when a cell does not say where it is
    (`r` is optional in the format): the full load then places it."""
    refs = _CELL_REF.findall(xml)
    if len(refs) != len(_CELL_TAG.findall(xml)):
        return None
    rows = max((int(r) for _, r in refs), default=0)
    columns = max((_column_number(c) for c, _ in refs), default=0)
    merges = []
    for m in _MERGE.finditer(xml):
        top, left = int(m.group(2)), _column_number(m.group(1))
        bottom, right = (int(m.group(4)), _column_number(m.group(3))) if m.group(3) else (top, left)
        top, bottom, left, right = min(top, bottom), max(top, bottom), min(left, right), max(left, right)
        merges.append((top, left, bottom, right))
        # the full load makes a cell for every cell of a range (a MergedCell for each covered
        # one, and the top-left when it formats the range's borders), even a range of one cell
        rows, columns = max(rows, bottom), max(columns, right)
    return _Extent(rows, columns, tuple(merges))


def _merge(grid: Grid, merges: Sequence[tuple[int, int, int, int]]) -> None:
    """Record merged ranges (1-based) in the grid; a covered cell's own value is None."""
    rows = grid.rows
    for top, left, bottom, right in ((t - 1, l - 1, b - 1, r - 1) for t, l, b, r in merges):
        grid.spans[(top, left)] = (bottom, right)
        for r in range(top, bottom + 1):
            for c in range(left, right + 1):
                if (r, c) != (top, left):
                    grid.anchor[(r, c)] = (top, left)
                    if r < len(rows) and c < len(rows[r]):
                        rows[r][c] = None


def _unreadable(exc: Exception, name: str) -> InputError:
    return InputError([Problem(_("cannot read as an Excel .xlsx workbook ({error})").format(error=f"{type(exc).__name__}: {exc}"), file=name)])


def load_xlsx(path: str | Path) -> list[Grid]:
    """Every worksheet of an .xlsx workbook, with the values Excel last computed (data_only)."""
    name = str(path)
    with warnings.catch_warnings():
        # openpyxl warns about features it drops (data validation, styles): harmless to reading
        warnings.simplefilter("ignore")
        data = read_bytes(path, InputError)  # a missing or unreadable file, named as for YAML inputs
        _check_workbook_size(data, name)
        if READ_ONLY:
            grids = _load_streaming(data, name)
            if grids is not None:
                return grids
        return _load_fully(data, name)


def _load_streaming(data: bytes, name: str) -> list[Grid] | None:
    """The sheets by openpyxl's read-only mode; None when a sheet's XML does not place every cell
    or openpyxl cannot read it (the full load then reads it, or reports it in its own words)."""
    import openpyxl

    try:
        book = openpyxl.load_workbook(io.BytesIO(data), data_only=True, read_only=True)
    except Exception:  # noqa: BLE001 - a damaged file: the full load below says what is wrong, as it always did
        return None
    grids = []
    cells = 0
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            for ws in book.worksheets:
                part = getattr(ws, "_worksheet_path", None)  # where openpyxl found the sheet in the zip
                extent = _extent(archive.read(part)) if isinstance(part, str) else None
                if extent is None:
                    return None
                # an empty sheet counts as one cell (openpyxl's A1), as in the full load
                cells = _check_sheet_size(ws.title, max(extent.rows, 1), max(extent.columns, 1), name, cells)
                rows = [] if not extent.rows else [
                    [excel_value(cell.value, cell.number_format) for cell in row]
                    for row in ws.iter_rows(min_row=1, max_row=extent.rows, min_col=1, max_col=extent.columns)]
                rows += [[None] * extent.columns for _ in range(extent.rows - len(rows))]  # below the last written row
                grid = Grid(name, ws.title, rows)
                _merge(grid, extent.merges)
                grids.append(grid)
    except PerfrulesError:
        raise
    except Exception:  # noqa: BLE001 - read-only mode parses a sheet only now: the full load reports the damage
        return None
    finally:
        book.close()
    return grids


def _load_fully(data: bytes, name: str) -> list[Grid]:
    import openpyxl

    try:
        book = openpyxl.load_workbook(io.BytesIO(data), data_only=True)
    except Exception as exc:  # a zip that is not a workbook, a damaged file: openpyxl raises many kinds
        raise _unreadable(exc, name) from None
    grids = []
    cells = 0
    try:
        for ws in book.worksheets:
            cells = _check_sheet_size(ws.title, ws.max_row or 0, ws.max_column or 0, name, cells)
            rows = [[excel_value(cell.value, cell.number_format) for cell in row] for row in ws.iter_rows()]
            grid = Grid(name, ws.title, rows)
            _merge(grid, [(rng.min_row, rng.min_col, rng.max_row, rng.max_col) for rng in ws.merged_cells.ranges])
            grids.append(grid)
    finally:
        book.close()
    return grids


# ---------------------------------------------------------------- CSV

def _decode(data: bytes, name: str) -> str:
    # Excel in a Chinese locale saves CSV in GBK (GB18030 reads it); elsewhere UTF-8, often with a BOM
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise InputError([Problem(_("not UTF-8 or GB18030 (GBK) text"), file=name)])


def load_csv(path: str | Path) -> Grid:
    """A CSV (or tab-separated) file as one grid of text cells."""
    name = str(path)
    text = _decode(read_bytes(path, InputError), name)
    lim = limits.current()
    rows: list[list[CellValue]] = []
    cells = 0
    try:
        for row in csv.reader(io.StringIO(text), delimiter=_delimiter(text, str(path))):
            rows.append([(cell.strip() or None) for cell in row])
            cells += len(row)
            if len(rows) > lim.max_rows:
                raise _too_big(f"more than {lim.max_rows:,} rows ({limits.ENV['max_rows']})", name)
            if cells > lim.max_cells:
                raise _too_big(f"more than {lim.max_cells:,} cells ({limits.ENV['max_cells']})", name)
    except csv.Error as exc:
        raise InputError([Problem(_("not valid CSV: {error}").format(error=exc), file=name)]) from None
    return Grid(name, None, rows)


def _delimiter(text: str, name: str) -> str:
    """Comma, tab or semicolon: the one that splits the first lines into the most cells.

    (csv.Sniffer guesses wrong on a title line above the table.)
    """
    sample = "\n".join(text.splitlines()[:50])
    best, most = ("\t" if name.lower().endswith(".tsv") else ","), 0
    for delimiter in (",", "\t", ";"):
        try:
            cells = sum(len(row) - 1 for row in csv.reader(io.StringIO(sample), delimiter=delimiter))
        except csv.Error:
            continue
        if cells > most:
            best, most = delimiter, cells
    return best
