"""Read a 自评表 laid out as people lay it out, into the input mapping of input.schema.json.

The reader looks for the header row (the row that names 三级指标 and at least one of
年度指标值 / 实际完成值 / 分值 / 得分 / 具备要素, perhaps spread over two rows as 年度 / 指标值),
reads the funds block and the unit above it, the indicator rows below it (merged cells
filled down, blank rows skipped, 小计 rows as category scores) and stops at the 总分 row,
whose score and 等级 are what the unit reported. Each value keeps the cell it came from,
so that an error names it: `x.xlsx:自评表!F12: weight: must be a number, not '两分'`.
"""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal
from typing import Any, Sequence

from ..i18n import gettext as _
from ..errors import InputError, PathPart, Problem
from ..values import Number, element_numbers, parse
from . import headers as H
from .grid import CellValue, Grid, TableDocument
from .headers import Header, find_header

TEXT_KEYS = ("name", "level1", "level2", "level", "review_level", "deviation_reason", "note",
             "actual_source", "more_actuals", "more_sources")
ACTUAL_PARTS = ("actual_source", "more_actuals", "more_sources")
LIST_KEYS = ("elements", "review_elements")
BOOL_KEYS = ("passed", "applicable")
NUMBER_KEYS = ("weight", "reported_score", "review_score", "fraction", "review_fraction", "deduction", "occurrences")
_YES = {"是", "y", "yes", "true", "√", "✓", "✔", "适用", "达标", "通过", "1"}
_NO = {"否", "n", "no", "false", "×", "✗", "✘", "不适用", "未达标", "不通过", "0"}
_DIRECTIONS = {"正向": "higher", "正向指标": "higher", "越高越好": "higher", "higher": "higher",
               "反向": "lower", "反向指标": "lower", "越低越好": "lower", "lower": "lower",
               "等于": "equal", "相等": "equal", "equal": "equal"}


def yes_no(word: str) -> bool | None:
    """是 / 否 and the other words a 是否 column is filled with, as a bool; None for any other word."""
    w = _squash(word).lower()
    return True if w in _YES else False if w in _NO else None


def direction_word(word: str) -> str | None:
    """正向 / 反向 / 等于 (and their variants) as `higher`, `lower`, `equal`; None for any other word."""
    return _DIRECTIONS.get(_squash(word).lower())

_TOTAL_WORDS = "|".join(sorted(H.TOTAL, key=len, reverse=True))
_TOTAL = re.compile(rf"^(?:{_TOTAL_WORDS})(?=$|[:：\d(（])")
_TOTAL_NUMBER = re.compile(rf"^(?:{_TOTAL_WORDS})[:：]?(\d+(?:\.\d+)?)")
_GRADE_CELL = re.compile(r"^(?:评价|自评|绩效|综合)?等级[:：](\S{1,6})$")
_GRADE_TEXT = re.compile(r"等级(?:为|是)?[:：]?(优秀|良好|不合格|合格|较差|一般|优|良|中|差|[ABCD])(?![\u4e00-\u9fffA-Za-z])")
_MONEY_UNIT = re.compile(r"[（(]\s*(?:单位\s*[:：]\s*)?([千万亿]?元)\s*[)）]")
_TITLE_YEAR = re.compile(r"^(\d{4})年度?.*表")
_COLUMN_NUMBER = re.compile(r"^(?:\(\d+\)|\d+|栏次)$")  # after NFKC: （1） and ① too


def _squash(v: CellValue) -> str:
    """NFKC, without any whitespace: the form labels and keywords are matched in."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", v)) if isinstance(v, str) else ""


def _text(v: CellValue, one_line: bool = False) -> str:
    """A cell as text; with `one_line`, line breaks a long name was wrapped at are dropped."""
    s = f"{v:f}" if isinstance(v, Decimal) else str(v)
    if one_line:
        s = re.sub(r"(?<=[A-Za-z0-9])\s*\n\s*(?=[A-Za-z0-9])", " ", s)
        s = re.sub(r"\s*\n\s*", "", s)
    return s.strip()


def _column_number(v: CellValue) -> bool:
    if isinstance(v, Decimal):
        return v == v.to_integral_value() and 0 < v < 100
    return bool(_COLUMN_NUMBER.match(_squash(v)))


def _empty(v: CellValue) -> bool:
    """'-', '/', '—', '无数据': a cell written to say there is nothing in it."""
    return isinstance(v, str) and parse(v) is None


def _numeric(v: CellValue) -> bool:
    return isinstance(v, Decimal) or (isinstance(v, str) and isinstance(parse(v), Number))


class _Sheet:
    """Reads one grid whose header has been found."""

    def __init__(self, grid: Grid, header: Header):
        self.g = grid
        self.h = header
        self.cells: dict[tuple[PathPart, ...], str] = {(): grid.place()}
        self.problems: list[Problem] = []
        self.data: dict[str, Any] = {}
        self._lines: dict[tuple[int, int], int] = {}  # merged score range -> indicator lines it covers

    # ------------------------------------------------------------ helpers

    def at(self, path: tuple[PathPart, ...], r: int, c: int) -> None:
        self.cells[path] = self.g.where(*self.g.origin(r, c))

    def problem(self, r: int, c: int, key: str, message: str) -> None:
        self.problems.append(Problem(message, file=self.g.where(*self.g.origin(r, c)), path=key))

    def right_of(self, r: int, c: int) -> tuple[int, CellValue]:
        """The next non-empty cell right of (r, c)'s merged range."""
        _top, _left, _bottom, right = self.g.span(r, c)
        for c2 in range(right + 1, self.g.width):
            v = self.g.own(r, c2)
            if v is not None:
                return c2, v
        return -1, None

    # ------------------------------------------------------------ above the header

    def facts(self) -> None:
        """Unit, project and year from labelled cells above the header; year also from the title."""
        wanted = {"unit": H.UNIT, "project": H.PROJECT, "year": H.YEAR}
        title_year: tuple[int, int, int] | None = None
        for r in range(self.h.first):
            for c in range(self.g.width):
                v = self.g.own(r, c)
                if not isinstance(v, str):
                    continue
                s = _squash(v)
                m = _TITLE_YEAR.match(s)
                if m and title_year is None:
                    title_year = (int(m.group(1)), r, c)
                for key, labels in wanted.items():
                    if key in self.data:
                        continue
                    found = self._labelled(r, c, s, labels)
                    if found is None:
                        continue
                    value, where = found
                    if key == "unit" and re.fullmatch(r"[千万亿]?元", value):
                        continue
                    if key == "year":
                        y = re.search(r"\d{4}", value)
                        if not y:
                            continue
                        self.data["year"] = int(y.group(0))
                    else:
                        self.data[key] = value
                    self.at((key,), *where)
        if "year" not in self.data and title_year is not None:
            self.data["year"] = title_year[0]
            self.at(("year",), title_year[1], title_year[2])

    def _labelled(self, r: int, c: int, s: str, labels: Sequence[str]) -> tuple[str, tuple[int, int]] | None:
        for name in labels:
            m = re.match(rf"^{name}(?:[（(《<][^)）》>]*[)）》>])?[:：](.+)$", s)
            if m:
                return re.split(r"[:：]", _text(self.g.own(r, c), one_line=True), maxsplit=1)[1].strip(), (r, c)
        if H.label(s) in labels:
            c2, v = self.right_of(r, c)
            if v is not None and H.label(v) not in (*H.UNIT, *H.PROJECT, *H.YEAR):
                return _text(v, one_line=True), (r, c2)
        return None

    def funds(self) -> None:
        """The funds block: labels with their values in the row below (合计) or in the cell to the right."""
        funds: dict[str, CellValue] = {}
        for r in range(self.h.first):
            labels = {c: H.FUNDS[H.label(self.g.own(r, c))] for c in range(self.g.width)
                      if H.label(self.g.own(r, c)) in H.FUNDS}
            if not labels:
                continue
            for c in range(self.g.width):
                if H.label(self.g.own(r, c)) in H.FUNDS_SCORE:
                    labels[c] = "reported_score"
            below = self._values_row(r, list(labels))
            for c, key in labels.items():
                if key in funds:
                    continue
                if below is not None:
                    _top, left, _bottom, right = self.g.span(r, c)
                    hit = next(((below, c2) for c2 in range(left, right + 1) if self.g.own(below, c2) is not None), None)
                else:
                    c2, v = self.right_of(r, c)
                    hit = (r, c2) if v is not None and _numeric(v) else None
                if hit is None or _empty(self.g.own(*hit)):
                    continue
                funds[key] = self.g.own(*hit)
                self.at(("funds", key), *hit)
        if not funds:
            return
        for r in range(self.h.first):
            for c in range(self.g.width):
                m = _MONEY_UNIT.search(_squash(self.g.own(r, c)))
                if m:
                    funds["unit"] = m.group(1)
                    break
            if "unit" in funds:
                break
        self.data["funds"] = funds

    def _values_row(self, r: int, label_columns: list[int]) -> int | None:
        """The first row below a label row holding a number under one of the labels."""
        bottom = max(self.g.span(r, c)[2] for c in label_columns)
        for r2 in range(bottom + 1, min(bottom + 4, self.h.first)):
            cells = [self.g.own(r2, c2) for c in label_columns for c2 in range(self.g.span(r, c)[1], self.g.span(r, c)[3] + 1)]
            if any(_numeric(v) for v in cells):
                return r2
            if any(v is not None for v in cells):
                return None
        return None

    # ------------------------------------------------------------ the indicator rows

    def value(self, r: int, key: str) -> tuple[CellValue, int]:
        """The value of `key` in row r and its column.

        A cell merged down shows its value in every row it covers; a cell merged across
        only within the key's own columns (a title merged over the whole row is not a
        target, a weight and a score at once).
        """
        cols = self.h.columns.get(key, [])

        def at(c: int) -> CellValue:
            oc = self.g.origin(r, c)[1]
            return self.g.get(r, c) if oc == c or oc in cols else None

        if key == "name":
            for c in reversed(cols):
                v = at(c)
                if v is not None and not (isinstance(v, str) and H.placeholder(v)):
                    return v, c
            return None, cols[-1] if cols else -1
        for c in cols:
            v = at(c)
            if v is not None:
                return v, c
        return None, cols[0] if cols else -1

    def indicators(self) -> None:
        """Read the rows below the header, up to the 总分 row."""
        rows: list[dict[str, Any]] = []
        levels: dict[str, tuple[str, int, int] | None] = {"level1": None, "level2": None}
        category_scores: dict[str, Any] = {}
        seen_spans: set[tuple[int, int]] = set()
        name_col = self.h.columns["name"][0]
        level1_cols = self.h.columns.get("level1", [])
        r = self.h.last + 1
        while r < self.g.height:
            own = [(c, self.g.own(r, c)) for c in range(self.g.width) if self.g.own(r, c) is not None]
            if not own or (len(own) > 2 and all(_column_number(v) for _, v in own)):
                r += 1  # a blank spacer row, or the (1) (2) (3) row some forms print under the header
                continue
            inside_category = bool(level1_cols) and self.g.covered(r, level1_cols[0]) and self.g.origin(r, level1_cols[0])[0] < r
            first_c, first = own[0]
            if first_c <= name_col and _TOTAL.match(_squash(first)) and not inside_category:
                self.total(r)
                break
            # level1 / level2: a merged or blank cell takes the value above
            for key in ("level1", "level2"):
                v, c = self.value(r, key)
                if v is not None:
                    if key == "level1" and (levels["level1"] is None or levels["level1"][0] != _text(v, True)):
                        levels["level2"] = None
                    levels[key] = (_text(v, one_line=True), *self.g.origin(r, c))
            name, nc = self.value(r, "name")
            level1 = levels["level1"][0] if levels["level1"] else None
            marks = {_squash(self.value(r, k)[0]) for k in ("name", "level1", "level2")}
            if marks & set(H.SUBTOTAL):
                score, sc = self.value(r, "reported_score")
                if score is not None and level1:
                    category_scores[level1] = score
                    self.at(("reported_categories", level1), r, sc)
                r += 1
                continue
            if name is None:
                t, tc = self.value(r, "target")
                a, ac = self.value(r, "actual")
                # a target or actual of '/' beside a blank name is an unused slot, not a row missing its name
                if (t is not None and not _empty(t) and not self.g.covered(r, tc)) or \
                        (a is not None and not _empty(a) and not self.g.covered(r, ac)):
                    self.problem(r, nc, "name", _("this row has a target or an actual but no indicator name (三级指标)"))
                r += 1
                continue
            if self.g.origin(r, nc)[0] < r or H.COLUMNS.get(H.label(name)) == "name":
                r += 1  # the second line of a merged row, or the header repeated on a new page
                continue
            i = len(rows)
            row: dict[str, Any] = {}
            for key in ("level1", "level2"):
                if levels[key] is not None:
                    text, lr, lc = levels[key]  # type: ignore[misc]
                    row[key] = text
                    self.cells[("indicators", i, key)] = self.g.where(lr, lc)
            for key in self.h.columns:
                if key in ("level1", "level2"):
                    continue
                v, c = self.value(r, key)
                if v is None:
                    continue
                if key == "reported_score" and self._shared(r, c):
                    origin = self.g.origin(r, c)
                    if origin not in seen_spans and level1 and not _empty(v):
                        seen_spans.add(origin)
                        category_scores[level1] = v
                        self.at(("reported_categories", level1), r, c)
                    continue
                converted = self.convert(key, v, r, c)
                if converted is not None:
                    row[key] = converted
                    self.at(("indicators", i, key), r, c)
            self._actuals(row)
            self.at(("indicators", i), r, nc)
            rows.append(row)
            r += 1
        self.data["indicators"] = rows
        if category_scores:
            self.data["reported_categories"] = category_scores

    @staticmethod
    def _actuals(row: dict[str, Any]) -> None:
        """完成值来源 and 其他完成值 (one per line) make `actual` a {value, source} or a list of them."""
        if not any(k in row for k in ACTUAL_PARTS):
            return
        source, more, sources = (row.pop(k, None) for k in ACTUAL_PARTS)
        values: list[Any] = [row.get("actual")] + (more.split("\n") if more else [])
        origins = [source] + (sources.split("\n") if sources else [])
        cells = [{"value": v, "source": s.strip()} if s and s.strip() else {"value": v}
                 for v, s in zip(values, origins + [None] * len(values)) if v is not None]
        if cells:
            row["actual"] = cells if len(cells) > 1 else cells[0]

    def _shared(self, r: int, c: int) -> bool:
        """A score cell merged over several indicator lines is their category's score (自评得分 49分).

        A line is a row whose name cell is its own (named, a 指标2 slot or blank): a score
        merged beside one indicator written over two merged rows stays that indicator's.
        """
        top, left, bottom, _right = self.g.span(r, c)
        if (top, left) not in self._lines:  # once per merged range: a range over every row stays linear
            name_col = self.h.columns["name"][-1]
            self._lines[(top, left)] = sum(1 for r2 in range(top, bottom + 1) if self.g.origin(r2, name_col)[0] == r2)
        return self._lines[(top, left)] > 1

    def convert(self, key: str, v: CellValue, r: int, c: int) -> Any:
        if key in TEXT_KEYS:
            return _text(v, one_line=key in ("name", "level1", "level2"))
        if key in LIST_KEYS:
            return self.elements(key, v, r, c)
        if key in BOOL_KEYS:
            word = _squash(v).lower() if isinstance(v, str) else _text(v)
            if word in _YES:
                return True
            if word in _NO:
                return False
            self.problem(r, c, key, _("must be 是 or 否, not '{value}'").format(value=_text(v)))
            return None
        if key == "direction":
            d = _DIRECTIONS.get(_squash(v).lower()) if isinstance(v, str) else None
            if d is None:
                self.problem(r, c, key, _("must be 正向, 反向 or 等于, not '{value}'").format(value=_text(v)))
            return d
        if key in NUMBER_KEYS and _empty(v):
            return None  # a weight or score written '-' or '/' is not given
        return v  # numbers and values as written: the input reader parses and checks them

    def elements(self, key: str, v: CellValue, r: int, c: int) -> list[int] | None:
        """'1、2、3', '要素1、3', '1~8、9', '①③', '(1)(3)', '一、三', '无' -> element numbers."""
        if isinstance(v, Decimal):
            if v == v.to_integral_value() and v >= 0:
                return [] if v == 0 else [int(v)]
        elif isinstance(v, str):
            numbers = element_numbers(v)
            if numbers is not None:
                return numbers
        self.problem(r, c, key, _("must list element numbers such as 1、2、3, not '{value}'").format(value=_text(v)))
        return None

    # ------------------------------------------------------------ the 总分 row and what follows

    def total(self, r: int) -> None:
        cols = self.h.columns.get("reported_score", [])
        for c in cols:
            v = self.g.get(r, c)
            if v is not None and _numeric(v) and not self.g.covered(r, c):
                self.data["reported_total"] = v
                self.at(("reported_total",), r, c)
                break
        else:
            for c in range(self.g.width):
                m = _TOTAL_NUMBER.match(_squash(self.g.own(r, c)))
                if m:
                    self.data["reported_total"] = m.group(1)
                    self.at(("reported_total",), r, c)
                    break
        self.grade(r)

    def grade(self, total_row: int) -> None:
        """等级 from a cell such as `等级：优`, a 评价等级 label beside its value, or a sentence below."""
        for r in range(total_row, self.g.height):
            for c in range(self.g.width):
                if c in self.h.computed:
                    continue
                s = _squash(self.g.own(r, c))
                m = _GRADE_CELL.match(s)
                if m:
                    self._set_grade(m.group(1), r, c)
                    return
                if H.label(s) in H.GRADE:
                    c2, v = self.right_of(r, c)
                    if isinstance(v, str) and len(_squash(v)) <= 6 and c2 not in self.h.computed:
                        self._set_grade(_squash(v), r, c2)
                        return
        for r in range(total_row + 1, self.g.height):
            for c in range(self.g.width):
                m = _GRADE_TEXT.search(_squash(self.g.own(r, c)))
                if m and c not in self.h.computed:
                    self._set_grade(m.group(1), r, c)
                    return

    def _set_grade(self, grade: str, r: int, c: int) -> None:
        self.data["reported_grade"] = grade
        self.at(("reported_grade",), r, c)

    def read(self) -> TableDocument:
        self.facts()
        self.funds()
        self.indicators()
        order = ("unit", "project", "year", "funds", "indicators", "reported_total", "reported_grade", "reported_categories")
        data = {k: self.data[k] for k in order if k in self.data}
        return TableDocument(data=data, file=self.g.file, cells=self.cells, problems=self.problems)


# CSV cells perfrules writes with a leading ' so that no spreadsheet runs them as a formula
# (render/csv.py, csv_cell): text starting with one of these, the quote itself included
CSV_QUOTED = ("=", "+", "-", "@", "\t", "\r", "'")
PLAIN_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)%?")  # -5, +3.5%: never a formula, never quoted


def unquote_csv(v: CellValue) -> CellValue:
    """A CSV cell without the ' that `csv_cell` put before = + - @ tab CR or a ': exactly one
    quote, and only before those, so `'abc` (a unit's own apostrophe) stays as it is."""
    if isinstance(v, str) and len(v) > 1 and v[0] == "'" and v[1:].startswith(CSV_QUOTED):
        return v[1:].strip() or None
    return v


def read_grids(grids: Sequence[Grid], file: str) -> TableDocument:
    """The input held by the first grid (sheet) that has a 自评表 header."""
    for grid in grids:
        if grid.sheet is None:  # a CSV file: perfrules' own output quotes formula-like text
            grid.rows = [[unquote_csv(v) for v in row] for row in grid.rows]
        header = find_header(grid)
        if header is not None:
            return _Sheet(grid, header).read()
    looked = "、".join(g.sheet for g in grids if g.sheet) or _("the file")
    raise InputError([Problem(
        _("no 自评表 header row found in {where}: a row naming 三级指标 (or 指标名称) and at least one of "
          "年度指标值, 实际完成值, 分值, 得分, 具备要素 (see docs/tables.md)").format(where=looked), file=file)])
