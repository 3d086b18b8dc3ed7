"""A scheme's scoring table in: the indicator rows of an .xlsx, .csv or Markdown table with its
评分标准 (`perfrules draft` reads them into a ruleset, perfrules/draft.py).

The header words are the table reader's (headers.py) with the rule-text column (`headers.RULE`).
Every problem is a located error (`table.xlsx:评分表!C7`, `table.md:12`), never a traceback.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any, Iterator

from ..i18n import gettext as _
from .. import limits
from ..errors import PerfrulesError, Problem
from ..values import key_of
from .grid import Grid, load_csv, load_xlsx
from .headers import RULE, SUBTOTAL, TOTAL, find_header, label
from .yaml_text import read_bytes

MAX_INDICATORS = 1000  # indicator rows of one scheme's table (published ones have tens)
POINTS = re.compile(r"^(?P<name>.+?)\s*[（(]\s*(?P<points>\d+(?:\.\d+)?)\s*分?\s*[）)]$")
DIRECTIONS = {"正向": "higher", "反向": "lower", "higher": "higher", "lower": "lower", "equal": "equal", "等于": "equal"}


@dataclass
class Row:
    """One indicator row of the table, as written, and where it is (`table.xlsx:Sheet1!E7`, `table.md:12`)."""

    where: str
    level1: str
    name: str
    weight: Decimal
    rule: str
    level2: str | None = None
    target: str | None = None
    direction: str | None = None
    elements: tuple[str, ...] = ()


@dataclass
class Table:
    file: str
    rows: list[Row]
    points: dict[str, Decimal] = field(default_factory=dict)  # category -> points the table states
    texts: list[tuple[str, str]] = field(default_factory=list)  # every text of the file, where it is: grade notes


def _markdown(path: str | Path) -> tuple[Grid, list[int]]:
    """A Markdown table (`| 一级指标 | … |` lines) as a grid, and each grid row's line number."""
    name = str(path)
    data = read_bytes(path, PerfrulesError)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise PerfrulesError([Problem(_("not UTF-8 text"), file=name)]) from None
    rows: list[list[Any]] = []
    lines: list[int] = []
    most = limits.current()
    for number, line in enumerate(text.splitlines(), 1):
        line = line.strip()
        if not line.startswith("|"):
            continue
        cells = [c.strip().replace("\\|", "|") for c in re.split(r"(?<!\\)\|", line.strip("|"))]
        if all(re.fullmatch(r":?-{3,}:?", c) for c in cells if c) and any(cells):
            continue  # the |---|---| line under the header
        rows.append([re.sub(r"<br\s*/?>", "\n", c) or None for c in cells])
        lines.append(number)
        if len(rows) > most.max_rows or sum(len(r) for r in rows) > most.max_cells:
            raise PerfrulesError([Problem(_("more than {rows} rows or {cells} cells").format(rows=f"{most.max_rows:,}", cells=f"{most.max_cells:,}"), file=name)])
    return Grid(name, None, rows), lines


def _grids(path: str | Path) -> Iterator[tuple[Grid, list[int] | None]]:
    suffix = Path(path).suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        for grid in load_xlsx(path):
            yield grid, None
    elif suffix in (".csv", ".tsv"):
        yield load_csv(path), None
    elif suffix in (".md", ".markdown"):
        yield _markdown(path)
    else:
        raise PerfrulesError([Problem(_("cannot tell the table's format from its extension: use .xlsx, .csv or .md"),
                                      file=str(path))])


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return f"{value.normalize():f}"
    return str(value).strip()


def _number(text: str) -> Decimal | None:
    t = unicodedata.normalize("NFKC", text).strip().removesuffix("分").strip()
    try:
        d = Decimal(t)
    except InvalidOperation:
        return None
    return d if d.is_finite() and limits.within(d) else None


def _element_texts(text: str) -> tuple[str, ...]:
    """The 要素 cell: one element a line (or ；), numbering (1. ① 要素1：) dropped."""
    out = []
    for part in re.split(r"[\n；;]+", text):
        part = re.sub(r"^\s*(?:要素\s*\d+\s*[：:.、]?|\d+\s*[.、．)）]|[①-⑳])\s*", "", part).strip()
        if part:
            out.append(part)
    return tuple(out)


def read_table(path: str | Path) -> Table:
    """The indicator rows of the first sheet with a header naming 指标名称 (or 三级指标), 分值 and 评分标准."""
    problems: list[Problem] = []
    for grid, lines in _grids(path):
        header = find_header(grid)
        if header is None or "weight" not in header.columns:
            continue
        rule_col = next((c for r in range(header.first, header.last + 1) for c in range(grid.width)
                         if label(grid.get(r, c)) in RULE), None)
        if rule_col is None:
            problems.append(Problem(_("the table has no 评分标准 column (one of {words})").format(words="、".join(RULE)), file=grid.place()))
            continue
        table = _rows(grid, lines, header.columns, rule_col, header.last + 1)
        if lines is not None:  # a Markdown file: its notes outside the table too
            text = read_bytes(path, PerfrulesError).decode("utf-8-sig")
            table.texts = [(f"{grid.file}:{n}", line) for n, line in enumerate(text.splitlines(), 1) if "为" in line]
        return table
    raise PerfrulesError(problems or [Problem(_("no table with the columns 指标名称 (or 三级指标), 分值 and 评分标准 found"),
                                              file=str(path))])


def _rows(grid: Grid, lines: list[int] | None, columns: dict[str, list[int]], rule_col: int, first: int) -> Table:
    def cell(r: int, key: str) -> str:
        cols = columns.get(key)
        return _text(grid.get(r, cols[0])) if cols else ""

    def where(r: int, c: int) -> str:
        return f"{grid.file}:{lines[r]}" if lines is not None else grid.where(r, c)

    table = Table(grid.place(), [])
    table.texts = [(where(r, c), v) for r in range(grid.height) for c in range(grid.width)
                   if isinstance(v := grid.own(r, c), str) and "为" in v]
    problems: list[Problem] = []
    level1 = level2 = ""
    name_col = columns["name"][0]
    for r in range(first, grid.height):
        name, written1, weight_text = cell(r, "name"), cell(r, "level1"), cell(r, "weight")
        if written1:
            level1, level2 = written1, ""
        level2 = cell(r, "level2") or level2
        m = POINTS.match(level1)
        category = m.group("name") if m else level1
        if m:
            table.points[category] = Decimal(m.group("points"))
        if not name:
            if written1 and weight_text and _number(weight_text) is not None and label(written1) not in TOTAL:
                table.points[category] = _number(weight_text)  # type: ignore[assignment]  # a category's own row
            continue
        if label(name) in TOTAL or label(name) in SUBTOTAL or label(level1) in TOTAL:
            continue
        weight = _number(weight_text)
        if weight is None:
            cols = columns["weight"]
            said = (_("分值 of '{name}' '{text}' is not a number: every indicator needs its weight") if weight_text
                    else _("分值 of '{name}' is empty: every indicator needs its weight")).format(name=name, text=weight_text)
            problems.append(Problem(said, file=where(r, cols[0])))
            continue
        if not category:
            problems.append(Problem(_("'{name}' has no 一级指标 above it").format(name=name), file=where(r, name_col)))
            continue
        if len(table.rows) >= MAX_INDICATORS:
            raise PerfrulesError([Problem(_("more than {rows} indicator rows: not one scheme's scoring table").format(rows=f"{MAX_INDICATORS:,}"),
                                          file=where(r, name_col))])
        table.rows.append(Row(where(r, rule_col), category, name, weight, _text(grid.get(r, rule_col)),
                              level2 or None, cell(r, "target") or None,
                              DIRECTIONS.get(cell(r, "direction")), _element_texts(cell(r, "elements"))))
    if problems:
        raise PerfrulesError(problems)
    if not table.rows:
        raise PerfrulesError([Problem(_("the table lists no indicator rows under its header"), file=grid.place())])
    seen: dict[str, str] = {}
    for row in table.rows:  # as the loader tells names apart
        if key_of(row.name) in seen:
            problems.append(Problem(_("indicator '{name}' is listed twice (also at {where})").format(
                name=row.name, where=seen[key_of(row.name)]),
                                    file=row.where))
        seen[key_of(row.name)] = row.where
    if problems:
        raise PerfrulesError(problems)
    return table
