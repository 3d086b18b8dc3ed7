"""An input mapping (a unit's self-evaluation table, from Python or a YAML/JSON file) -> Record.

An input is a mapping (from Python, or a YAML/JSON file) in the format of
`schema/input.schema.json`. Cells keep the text as written and its parsed value; a
structural problem (a weight that is not a number, an unknown key) is an InputError
naming file, line and path. Problems of substance (an unknown indicator) are findings,
raised later by the engine.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any, Callable, Mapping

from .. import limits, schemacheck
from ..errors import InputError, PathPart, Problem
from ..frozen import defaults, make
from ..i18n import gettext as _
from ..record import Cell, Claim, Funds, Record, Row, Sourced, category_key
from ..values import Number, parse, stated
from . import yaml_text

# a weight or score cell that says there is none: '/', '—', '-', '无', empty
NO_NUMBER = frozenset({"无", "暂无", "空"})


def _nothing(raw: Any) -> bool:
    """A cell written to say it holds nothing: '/', '—', '-', '无', '' (not the number 0)."""
    return isinstance(raw, str) and (parse(raw) is None or raw.strip() in NO_NUMBER)


def placeholder(raw: Mapping[str, Any]) -> bool:
    """A row whose every cell is '/' (or '-', '无', empty): a slot of the form left unused.

    Its 一级/二级指标 do not count: a merged category cell fills them in on every row.
    """
    return all(v is None or _nothing(v) for k, v in raw.items() if k not in ("level1", "level2"))


_ROW_BASE = defaults(Row)


class _Reader:
    def __init__(self, doc: yaml_text.Document):
        self.doc = doc
        self.problems: list[Problem] = []

    def number(self, raw: Any, path: list[PathPart], share: bool = False) -> Decimal | None:
        """A number cell; with `share`, 70% and 0.7 are both 0.7. '/', '—', '无' or '' give none."""
        kind = type(raw)
        if kind is Decimal or kind is int:  # a number written as one (no unit, no %): what parse would give
            return Decimal(raw)
        if raw is None or _nothing(raw):
            return None
        value = parse(raw)
        if isinstance(value, Number) and value.unit in ("", "%", "元", "万元", "分"):
            if value.unit == "%" and share:
                return value.value / 100
            return value.value
        self.problems.append(self.doc.problem(path, _("must be a number, not '{value}'").format(value=raw)))
        return None

    def cell(self, raw: Any, source: str | None = None, actual: bool = False) -> Cell:
        """A target or (with `actual`) an actual: an actual written =100% states 100%, it is no bound."""
        text = None if raw is None else (raw if isinstance(raw, str) else f"{raw}")
        value = parse(raw)
        return Cell(text, stated(value) if actual else value, source)

    def actuals(self, raw: Any) -> tuple[Cell, ...]:
        """`actual` as one cell, or a list of the values a report gives (each perhaps with its source)."""
        if isinstance(raw, dict):
            return (self.cell(raw["value"], raw.get("source"), actual=True),)
        if not isinstance(raw, list):
            return (self.cell(raw, actual=True),)
        return tuple(self.cell(a["value"], a.get("source"), actual=True) if isinstance(a, dict)
                     else self.cell(a, actual=True) for a in raw)

    def elements(self, raw: Any) -> frozenset[int] | None:
        return None if raw is None else frozenset(int(n) for n in raw)

    def row(self, i: int, raw: Mapping[str, Any]) -> Row:
        number = self.row_number
        named = raw.get("values")
        values = {k: self.number(v, ["indicators", i, "values", k]) for k, v in named.items()} if named else {}
        actual = raw.get("actual")
        actuals = self.actuals(actual)
        fields = _ROW_BASE.copy()
        fields.update(
            index=i,
            name=raw["name"].strip(),
            level1=raw.get("level1"),
            level2=raw.get("level2"),
            target=self.cell(raw.get("target")),
            actual=actuals[0],
            alternatives=actuals if isinstance(actual, list) else (),
            weight=number(raw, i, "weight"),
            elements=self.elements(raw.get("elements")),
            review_actual=self.cell(raw["review_actual"], actual=True) if "review_actual" in raw else None,
            review_elements=self.elements(raw.get("review_elements")),
            review_level=raw.get("review_level"),
            review_fraction=number(raw, i, "review_fraction", share=True),
            reported_score=number(raw, i, "reported_score"),
            deviation_reason=raw.get("deviation_reason"),
            level=raw.get("level"),
            fraction=number(raw, i, "fraction", share=True),
            occurrences=number(raw, i, "occurrences"),
            passed=raw.get("passed"),
            applicable=bool(raw.get("applicable", True)),
            deduction=number(raw, i, "deduction"),
            direction=raw.get("direction"),
            values={k: v for k, v in values.items() if v is not None},
            placeholder=placeholder(raw),
        )
        return make(Row, fields)

    def row_number(self, raw: Mapping[str, Any], i: int, key: str, share: bool = False) -> Decimal | None:
        """A number cell of row i (its path is made only when it is wrong)."""
        value = raw.get(key)
        if value is None:
            return None
        return self.number(value, ["indicators", i, key], share)

    def given(self, raw: Any, path: list[PathPart], number: bool = True) -> tuple[Sourced, ...]:
        """A value, {value, source}, or a list of them: every version the report gives."""
        items = raw if isinstance(raw, list) else ([] if raw is None else [raw])
        out = []
        for i, item in enumerate(items):
            where = path + [i] if isinstance(raw, list) else path
            value, source = (item["value"], item.get("source")) if isinstance(item, dict) else (item, None)
            text = value if isinstance(value, str) else f"{value}"
            got = self.number(value, where + (["value"] if isinstance(item, dict) else [])) if number else value
            out.append(Sourced(got, text, source))
        return tuple(out)

    def funds(self, raw: Mapping[str, Any] | None) -> tuple[Funds | None, dict[str, tuple[Sourced, ...]]]:
        if raw is None:
            return None, {}
        p: list[PathPart] = ["funds"]
        given = {k: self.given(raw.get(k), p + [k]) for k in
                 ("budget", "executed", "initial_budget", "adjusted_budget", "reported_rate", "reported_score")}
        # 执行率 as the tables print it: "100%" or a bare 100 (the column's unit is %)
        given["reported_rate"] = tuple(Sourced(None if g.value is None else Decimal(g.value) / 100, g.text, g.source)
                                       for g in given["reported_rate"])

        def first(key: str) -> Decimal | None:
            value = given[key][0].value if given[key] else None
            return value if isinstance(value, Decimal) else None

        funds = Funds(budget=first("budget"), executed=first("executed"), initial_budget=first("initial_budget"),
                      adjusted_budget=first("adjusted_budget"), reported_rate=first("reported_rate"),
                      reported_score=first("reported_score"))
        return funds, {k: v for k, v in given.items() if len(v) > 1}

    def claims(self, raw: list[Mapping[str, Any]]) -> tuple[Claim, ...]:
        out = []
        for i, c in enumerate(raw):
            value = parse(c["value"])
            if not isinstance(value, Number):
                self.problems.append(self.doc.problem(["claims", i, "value"], _("must be a number, not '{value}'").format(value=c["value"])))
                continue
            exponent = value.value.as_tuple().exponent
            places = -exponent if isinstance(exponent, int) and exponent < 0 else 0
            kind = next(k for k in ("share", "growth", "equals") if k in c)
            of = tuple(str(x) for x in (c[kind] if isinstance(c[kind], list) else [c[kind]]))
            out.append(Claim(c["text"], value.value, places, kind, of, c.get("source")))
        return tuple(out)

    def year(self, raw: Any) -> int | None:
        if raw is None or isinstance(raw, int):
            return raw
        m = re.match(r"^\s*(\d{4})", str(raw))
        if not m:
            self.problems.append(self.doc.problem(["year"], _("must be a year such as 2021, not '{value}'").format(value=raw)))
            return None
        return int(m.group(1))

    def record(self) -> Record:
        data = self.doc.data
        rows = tuple(self.row(i, r) for i, r in enumerate(data["indicators"]))
        cats = {k: self.number(v, ["reported_categories", k]) for k, v in data.get("reported_categories", {}).items()}
        funds, funds_given = self.funds(data.get("funds"))
        totals = self.given(data.get("reported_total"), ["reported_total"])
        grades = self.given(data.get("reported_grade"), ["reported_grade"], number=False)
        figures = {name: self.given(v, ["figures", name]) for name, v in data.get("figures", {}).items()}
        tables = {name: tuple(rows) for name, rows in data.get("tables", {}).items()}
        first_total = totals[0].value if totals else None
        record = Record(
            rows=rows, file=self.doc.file, unit=data.get("unit"), year=self.year(data.get("year")),
            funds=funds, funds_given=funds_given,
            reported_total=first_total if isinstance(first_total, Decimal) else None,
            reported_grade=str(grades[0].value) if grades and grades[0].value is not None else None,
            totals_given=totals if len(totals) > 1 else (), grades_given=grades if len(grades) > 1 else (),
            reported_categories={category_key(k): v for k, v in cats.items() if v is not None},
            figures=figures, tables=tables, claims=self.claims(data.get("claims", [])),
        )
        if self.problems:
            raise InputError(self.problems)
        return record


def read_document(doc: yaml_text.Document) -> Record:
    return _with_known_rows(doc.data, lambda data: yaml_text.Document(data, doc.file, doc.node),
                            lambda: _read_whole(doc))


def _read_whole(doc: yaml_text.Document) -> Record:
    schemacheck.require(doc, "input", InputError, "an input must be a mapping with an `indicators:` list")
    return _Reader(doc).record()


def from_mapping(data: Mapping[str, Any]) -> Record:
    """An input from a mapping built in Python (floats read through their shortest repr)."""
    return _with_known_rows(data, lambda part: yaml_text.Document(_exact(part), "<input>"),
                            lambda: _read_whole(yaml_text.Document(_exact(data), "<input>")))


# ---------------------------------------------------------------- rows read before

# Rows read before, by what they were read from (row_key): an equal row of another input (100%,
# 合格, elements 1–4) is read once. A row depends on its own cells and the limits alone (not on the
# other rows or the rest of the input), so a known row skips the copy, the schema check and the
# reading; only the rest of the input is read. At most _ROWS_MAX, then start again; forgotten when
# the limits change (a text read under the old limits might be refused under the new ones).
_ROWS: dict[tuple[Any, ...], Row] = {}
_ROWS_MAX = 10_000
limits.on_change(_ROWS.clear)


def _with_known_rows(data: Any, part: Callable[[dict[str, Any]], yaml_text.Document],
                     whole: Callable[[], Record]) -> Record:
    """The Record of `data`, its known rows taken as read before and the rest read by `part`
    (the input with only its unknown rows). Any problem: `whole` reads the input as it is, so
    that every error names its place in the input as given."""
    raw_rows = data.get("indicators") if type(data) is dict else None
    if type(raw_rows) is not list or not raw_rows:
        return _remember(whole(), raw_rows)
    keys = [row_key(r) for r in raw_rows]
    known = [None if k is None else _ROWS.get(k) for k in keys]
    missed = [r for r, got in zip(raw_rows, known) if got is None]
    if len(missed) == len(raw_rows):
        return _remember(whole(), raw_rows, keys)
    try:
        record = _read_whole(part({**data, "indicators": missed}))
    except InputError:
        return whole()
    read = iter(record.rows)
    rows = []
    for i, (key, got) in enumerate(zip(keys, known)):
        if got is None:
            got = next(read)
            if key is not None:
                _keep(key, got)
        rows.append(got if got.index == i else _at(got, i))
    return make(Record, {**record.__dict__, "rows": tuple(rows)})


def _remember(record: Record, raw_rows: Any, keys: list[tuple[Any, ...] | None] | None = None) -> Record:
    """Keep the rows of an input read whole, by what each was read from."""
    if type(raw_rows) is list and len(raw_rows) == len(record.rows):
        for key, row in zip(keys or map(row_key, raw_rows), record.rows):
            if key is not None:
                _keep(key, row)
    return record


def _keep(key: tuple[Any, ...], row: Row) -> None:
    if len(_ROWS) >= _ROWS_MAX:
        _ROWS.clear()  # memory stays flat over any number of inputs
    row.__dict__["content"] = key
    _ROWS[key] = row


def _at(row: Row, index: int) -> Row:
    """The row as read at another place of another input."""
    return make(Row, {**row.__dict__, "index": index})


def row_key(raw: Any) -> tuple[Any, ...] | None:
    """What a row mapping holds, as a key that is equal only for rows read alike: a number by its
    class and text (1, True, 1.0 and Decimal('1.0') differ), a text as it is. None for a row of
    any other shape (a key that is not text, a class the input format does not have, nesting
    deeper than the format's): such a row is read every time."""
    if type(raw) is not dict or not set(map(type, raw)) <= _TEXT:
        return None
    if _UNREAD.isdisjoint(raw) and set(map(type, raw.values())) <= _PLAIN:
        return tuple(raw.items())  # texts and nothing else: the pairs as they are
    out: list[tuple[str, Any]] = []
    for k, v in raw.items():
        kind = type(v)
        if k in _UNREAD:  # a cell the row does not keep: only its class and whether it says nothing count
            out.append((k, (kind, v is None or _nothing(v))))
        elif kind is str or v is None:
            out.append((k, v))
        elif kind is Decimal:
            out.append((k, (kind, str(v))))
        elif kind is int or kind is bool:
            out.append((k, (kind, v)))
        elif kind is list:
            got = _sequence(v)
            if got is None:
                return None
            out.append((k, got))
        else:
            got = _pairs(v) if kind is dict else _scalar(v, kind)
            if got is None:
                return None
            out.append((k, got))
    return tuple(out)


# cells of a row that the Row does not keep (a note, where it came from, the 三级指标 repeated, the
# reviewer's score): rows that differ only in them read as equal rows (placeholder() still looks
# at whether each says nothing, and the input schema at its class)
_UNREAD = frozenset({"note", "source", "level3", "review_score"})
_TEXT = frozenset({str})
_PLAIN = frozenset({str, type(None)})


def _scalar(v: Any, kind: type) -> tuple[Any, ...] | None:
    if kind is int or kind is bool:
        return (kind, v)
    if kind is Decimal:
        return (kind, str(v))
    if kind is float:
        return (kind, repr(v))
    return None


def _item(v: Any) -> Any:
    """One item of a list or mapping inside a row: a text or a number, or (in a list) a {value, source}."""
    kind = type(v)
    if kind is str or v is None:
        return v
    got = _scalar(v, kind)
    return got


def _sequence(v: list[Any]) -> tuple[Any, ...] | None:
    classes = set(map(type, v))
    if classes == _INTEGER or classes == _TEXT:  # elements 1–4, a list of texts: as they are
        return (list, classes.pop(), tuple(v))  # (a class never stands where an item does below)
    out: list[Any] = [list]
    for x in v:
        got = _pairs(x) if type(x) is dict else _item(x)
        if got is None and x is not None:
            return None
        out.append(got)
    return tuple(out)


_INTEGER = frozenset({int})


def _pairs(v: dict[Any, Any]) -> tuple[Any, ...] | None:
    out: list[Any] = [dict]
    for k, x in v.items():
        got = _item(x)
        if type(k) is not str or (got is None and x is not None):
            return None
        out.append(k)
        out.append(got)
    return tuple(out)


_AS_IS = frozenset({str, bool, type(None)})  # what _exact returns unchanged


def _exact(data: Any) -> Any:
    """A mapping from Python code with every float read through its shortest repr.

    `2.22` typed in Python becomes Decimal('2.22'), the number the user wrote, not the
    binary float's 2.220000000000000195…; inf and nan are refused.
    """
    # the shapes a mapping is made of first, by exact class: one call per dict or list, none per text
    kind = type(data)
    if kind is dict:
        return {k if type(k) is str else str(k): v if type(v) in _AS_IS else _exact(v) for k, v in data.items()}
    if kind is list:
        return [v if type(v) in _AS_IS else _exact(v) for v in data]
    return _exact_other(data)


def _exact_other(data: Any) -> Any:
    if isinstance(data, float):
        if data != data or data in (float("inf"), float("-inf")):
            raise InputError([Problem(_("{value} is not a number a score can use").format(value=repr(data)))])
        data = Decimal(repr(data))
    if isinstance(data, (int, Decimal)) and not isinstance(data, bool):
        problem = limits.number_problem(data)  # the bound a YAML input meets in yaml_text
        if problem is not None:
            raise InputError([Problem(problem)])
        return data
    if isinstance(data, Mapping):
        return {str(k): _exact(v) for k, v in data.items()}
    if isinstance(data, (list, tuple)):
        return [_exact(v) for v in data]
    return data
