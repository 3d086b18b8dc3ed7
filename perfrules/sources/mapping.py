"""An input mapping (a unit's self-evaluation table, from Python or a YAML/JSON file) -> Record.

An input is a mapping (from Python, or a YAML/JSON file) in the format of
`schema/input.schema.json`. Cells keep the text as written and its parsed value; a
structural problem (a weight that is not a number, an unknown key) is an InputError
naming file, line and path. Problems of substance (an unknown indicator) are findings,
raised later by the engine.
"""

from __future__ import annotations

import dataclasses
import math
import numbers
import re
from decimal import ROUND_CEILING, Decimal
from functools import lru_cache, partial
from typing import Any, Callable, Mapping

from .. import limits, schemacheck
from ..errors import InputError, PathPart, Problem
from ..frozen import defaults, make
from ..i18n import gettext as _
from ..memo import Doorkeeper
from ..record import Cell, Claim, Funds, Record, Row, Sourced, category_key
from ..values import Number, parse, stated
from . import yaml_text

# a weight or score cell that says there is none: '/', '—', '-', '无', empty
NO_NUMBER = frozenset({"无", "暂无", "空"})


def _nothing(raw: Any) -> bool:
    """A cell written to say it holds nothing: '/', '—', '-', '无', '' (not the number 0)."""
    return isinstance(raw, str) and _says_nothing(raw)


@lru_cache(maxsize=4096)  # by the text: names and the common cells repeat from input to input
def _says_nothing(text: str) -> bool:
    return parse(text) is None or text.strip() in NO_NUMBER


limits.on_change(_says_nothing.cache_clear)  # parse reads a text by the limits in force


def placeholder(raw: Mapping[str, Any]) -> bool:
    """A row whose every cell is '/' (or '-', '无', empty): a slot of the form left unused.

    Its 一级/二级指标 do not count: a merged category cell fills them in on every row.
    """
    return all(v is None or _nothing(v) for k, v in raw.items() if k not in ("level1", "level2"))


class _Unusual(Exception):
    """What the one-pass read of an input mapping leaves to the reference path (below), which
    words and locates every error: a class, a key or a value it does not take as it is."""


class _NotANumber(_Unusual):
    """A number cell that holds no number: an error, worded by _Reader.number."""


_NUMBER_UNITS = frozenset({"", "%", "元", "万元", "分"})  # what a number cell may write after its number


def _number(raw: Any, share: bool = False) -> Decimal | None:
    """A number cell; with `share`, 70% and 0.7 are both 0.7. '/', '—', '无' or '' give none."""
    kind = type(raw)
    if kind is Decimal or kind is int:  # a number written as one (no unit, no %): what parse would give
        return Decimal(raw)
    if raw is None or _nothing(raw):
        return None
    value = parse(raw)
    if isinstance(value, Number) and value.unit in _NUMBER_UNITS:
        if value.unit == "%" and share:
            return value.value / 100
        return value.value
    raise _NotANumber


def _cell(raw: Any, source: str | None = None, actual: bool = False) -> Cell:
    """A target or (with `actual`) an actual: an actual written =100% states 100%, it is no bound."""
    text = None if raw is None else (raw if isinstance(raw, str) else f"{raw}")
    value = parse(raw)
    return make(Cell, {"text": text, "value": stated(value) if actual else value, "source": source})


def _actual_cell(raw: Any) -> Cell:
    return _cell(raw, actual=True)


def _actuals(raw: Any) -> tuple[Cell, ...]:
    """`actual` as one cell, or a list of the values a report gives (each perhaps with its source)."""
    if isinstance(raw, dict):
        return (_cell(raw["value"], raw.get("source"), actual=True),)
    if not isinstance(raw, list):
        return (_cell(raw, actual=True),)
    return tuple(_cell(a["value"], a.get("source"), actual=True) if isinstance(a, dict)
                 else _cell(a, actual=True) for a in raw)


def _elements(raw: Any) -> frozenset[int] | None:
    return None if raw is None else frozenset(map(int, raw))


_ROW_BASE = defaults(Row)


_FUNDS = tuple(f.name for f in dataclasses.fields(Funds))  # budget, executed … as the input names them


class _Reader:
    """The reference reading of a document that passed the schema check: every problem located."""

    def __init__(self, doc: yaml_text.Document):
        self.doc = doc
        self.problems: list[Problem] = []

    def number(self, raw: Any, path: list[PathPart], share: bool = False) -> Decimal | None:
        """A number cell; with `share`, 70% and 0.7 are both 0.7. '/', '—', '无' or '' give none."""
        try:
            return _number(raw, share)
        except _NotANumber:
            self.problems.append(self.doc.problem(path, _("must be a number, not '{value}'").format(value=raw)))
            return None

    def row(self, i: int, raw: Mapping[str, Any]) -> Row:
        number = self.row_number
        named = raw.get("values")
        values = {k: self.number(v, ["indicators", i, "values", k]) for k, v in named.items()} if named else {}
        actual = raw.get("actual")
        actuals = _actuals(actual)
        fields = _ROW_BASE.copy()
        fields.update(
            index=i,
            name=raw["name"].strip(),
            level1=raw.get("level1"),
            level2=raw.get("level2"),
            target=_cell(raw.get("target")),
            actual=actuals[0],
            alternatives=actuals if isinstance(actual, list) else (),
            weight=number(raw, i, "weight"),
            elements=_elements(raw.get("elements")),
            review_actual=_actual_cell(raw["review_actual"]) if "review_actual" in raw else None,
            review_elements=_elements(raw.get("review_elements")),
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
        kind = type(raw)
        if kind is int or kind is Decimal:  # one value as written: most reports
            return _as_given(raw, number)
        if kind is str:
            return (make(Sourced, {"value": self.number(raw, path) if number else raw, "text": raw, "source": None}),)
        if raw is None:
            return ()
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
        firsts: dict[str, Decimal | None] = {}  # each amount's first version, in the order Funds declares them
        several = {}  # the amounts the report gives more than one version of
        for k in _FUNDS:
            if k not in raw:
                firsts[k] = None
                continue
            given = self.given(raw[k], ["funds", k])
            if k == "reported_rate" and given:  # 执行率 as the tables print it: "100%" or a bare 100 (the column's unit is %)
                given = tuple(make(Sourced, {"value": None if g.value is None else Decimal(g.value) / 100, "text": g.text,
                                             "source": g.source}) for g in given)
            first = given[0].value if given else None
            firsts[k] = first if isinstance(first, Decimal) else None
            if len(given) > 1:
                several[k] = given
        return make(Funds, firsts), several

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

    def figures(self, raw: Mapping[str, Any]) -> dict[str, tuple[Sourced, ...]]:
        return {name: self.given(v, ["figures", name]) for name, v in raw.items()}

    def year(self, raw: Any) -> int | None:
        if raw is None or isinstance(raw, int):
            return raw
        m = re.match(r"^\s*(\d{4})", str(raw))
        if not m:
            self.problems.append(self.doc.problem(["year"], _("must be a year such as 2021, not '{value}'").format(value=raw)))
            return None
        return int(m.group(1))

    def record(self) -> Record:
        return self.document(tuple(self.row(i, r) for i, r in enumerate(self.doc.data["indicators"])))

    def document(self, rows: tuple[Row, ...]) -> Record:
        """The Record of these rows and the rest of the document (InputError at any problem)."""
        data = self.doc.data
        cats = {k: self.number(v, ["reported_categories", k]) for k, v in data.get("reported_categories", {}).items()}
        funds, funds_given = self.funds(data.get("funds"))
        totals = self.given(data.get("reported_total"), ["reported_total"])
        grades = self.given(data.get("reported_grade"), ["reported_grade"], number=False)
        figures = self.figures(data.get("figures", {}))
        tables = {name: tuple(rows) for name, rows in data.get("tables", {}).items()}
        first_total = totals[0].value if totals else None
        record: Record = make(Record, {
            "rows": rows, "file": self.doc.file, "unit": data.get("unit"), "year": self.year(data.get("year")),
            "funds": funds, "reported_total": first_total if isinstance(first_total, Decimal) else None,
            "reported_grade": str(grades[0].value) if grades and grades[0].value is not None else None,
            "reported_categories": {category_key(k): v for k, v in cats.items() if v is not None},
            "funds_given": funds_given, "totals_given": totals if len(totals) > 1 else (),
            "grades_given": grades if len(grades) > 1 else (), "figures": figures, "tables": tables,
            "claims": self.claims(data.get("claims", [])),
        })
        if self.problems:
            raise InputError(self.problems)
        return record


class _PlainReader(_Reader):
    """_Reader for the rest of a document read in one pass: a plain number text (funds 564.49,
    a rate 90%) read by its digits (_plain_number), a number given as one (figures, funds, the
    total) taken as given before (_GIVEN), figures read as they were checked (_figures_at_once),
    everything else as _Reader reads it."""

    def __init__(self, doc: yaml_text.Document, figures: dict[str, tuple[Sourced, ...]] | None = None):
        super().__init__(doc)
        self.read_figures = figures

    def given(self, raw: Any, path: list[PathPart], number: bool = True) -> tuple[Sourced, ...]:
        kind = type(raw)
        if not number or (kind is not int and kind is not Decimal):
            return super().given(raw, path, number)
        return _given_number(raw, kind)

    def figures(self, raw: Mapping[str, Any]) -> dict[str, tuple[Sourced, ...]]:
        return self.read_figures if self.read_figures is not None else super().figures(raw)

    def number(self, raw: Any, path: list[PathPart], share: bool = False) -> Decimal | None:
        quick = _plain_number(raw) if type(raw) is str else None
        if quick is None or quick.unit not in _NUMBER_UNITS:
            return super().number(raw, path, share)
        return quick.value / 100 if share and quick.unit == "%" else quick.value


def _given_number(raw: int | Decimal, kind: type) -> tuple[Sourced, ...]:
    """_Reader.given of a number given as one (an int or a Decimal), taken as given before (_GIVEN)."""
    key = raw if kind is int else (Decimal, f"{raw}")  # (1 and Decimal('1.0') are given apart)
    got = _GIVEN.get(key)
    if got is None:
        if len(_GIVEN) >= _CELLS_MAX:
            _GIVEN.clear()
        got = _GIVEN[key] = _as_given(raw, True)
    return got


def _as_given(raw: int | Decimal, number: bool) -> tuple[Sourced, ...]:
    """A number given as one, as _Reader.given reads it: its value (a Decimal, or itself) and its text."""
    return (make(Sourced, {"value": Decimal(raw) if number else raw, "text": f"{raw}", "source": None}),)


def _figures_at_once(raw: dict[Any, Any]) -> dict[str, tuple[Sourced, ...]] | None:
    """The figures as _Reader reads them, where each is a number given as one within the limits (the
    schema takes any such mapping and the copy leaves it as it is); None for any other."""
    out = {}
    for name, value in raw.items():
        kind = type(value)
        if type(name) is not str:
            return None
        if kind is int:
            if not (-_WHOLE < value < _WHOLE or _within(value)):
                return None
        elif kind is not Decimal or not _within(value):
            return None
        out[name] = _given_number(value, kind)
    return out


def _funds_as_is(raw: dict[Any, Any]) -> bool:
    """A funds mapping the schema takes and the copy leaves as it is: keys it knows, each a text,
    None or a number within the limits (whose class alone decides the schema's check)."""
    keys = _funds_keys()
    for key, value in raw.items():
        allowed = keys.get(key)
        kind = type(value)
        if allowed is None or kind not in allowed.decided or kind not in _FUNDS_AS_IS:
            return False
        if kind is int:
            if not (-_WHOLE < value < _WHOLE or _within(value)):
                return False
        elif kind is Decimal and not _within(value):
            return False
    return True


_FUNDS_AS_IS = frozenset({str, int, Decimal, type(None)})


@lru_cache(maxsize=None)
def _funds_keys() -> dict[str, schemacheck.Property]:
    found = schemacheck.properties("input", "properties", "funds")
    return found[0] if found is not None and not found[1] else {}  # (none is required)


def read_document(doc: yaml_text.Document) -> Record:
    return _with_known_rows(doc.data, lambda data: yaml_text.Document(data, doc.file, doc.node),
                            lambda: _read_whole(doc))


def _read_whole(doc: yaml_text.Document) -> Record:
    schemacheck.require(doc, "input", InputError, "an input must be a mapping with an `indicators:` list")
    return _Reader(doc).record()


def from_mapping(data: Mapping[str, Any]) -> Record:
    """An input from a mapping built in Python (floats read through their shortest repr)."""
    try:
        return _read_at_once(data, "<input>")
    except (_Unusual, InputError):
        pass  # read again by the reference path, which says what is wrong and where
    return _with_known_rows(data, lambda part: yaml_text.Document(_exact(part), "<input>"),
                            lambda: _read_whole(yaml_text.Document(_exact(data), "<input>")))


# ---------------------------------------------------------------- an input read in one pass

# The reference path above copies the whole input (_exact), checks the copy against the input
# schema, then reads it (_Reader). The one pass below does the three per value, in one loop over
# each row's cells, dispatching by key; the moment anything is unusual (a class, a key or a value
# the reference path would refuse, or one it reads some other way) it gives up (_Unusual) and the
# reference path reads the input again, so that every error is worded and located by that path
# alone. tests/test_read_fast.py compares the two on generated and on broken inputs.

# Targets and actuals by the text they were read from: a cell written alike in another row (100%,
# 合理, 已完成) is read once. Texts only (1.5 and 1.50 are equal numbers, written apart); at most
# _CELLS_MAX of each, then start again; forgotten when the limits change (parse reads a text by them).
_TARGETS: dict[str, Cell] = {}
_ACTUALS: dict[str, Cell] = {}
_CELLS_MAX = 10_000


# A number of the document given as one (a figure, a funds amount, the total), by its class and
# text: its (Sourced,) as _Reader.given makes it, which depends on nothing else. At most _CELLS_MAX.
_GIVEN: dict[Any, tuple[Sourced, ...]] = {}


def _forget_cells() -> None:
    _TARGETS.clear()
    _ACTUALS.clear()
    _GIVEN.clear()


limits.on_change(_forget_cells)


def _text_cell(known: dict[str, Cell], text: str, actual: bool) -> Cell:
    cell = known.get(text)
    if cell is None:
        if len(known) >= _CELLS_MAX:
            known.clear()
        quick = _plain_number(text)
        cell = known[text] = (_cell(text, actual=actual) if quick is None
                              else make(Cell, {"text": text, "value": quick, "source": None}))
    return cell


# The commonest texts of a cell, 95.34%, 1298, 745人, 480.06万元, 1,024.28, read by their digits:
# values.parse gives them the Number of these digits (times 10000 after 万) in that unit with that
# text, less any thousands' commas (no
# date, bound, span or label has this form), unless the limits in force refuse one (a digit count,
# a size, a cell's length): then _PLAIN_OK is False and every text goes to parse.
# tests/test_read_fast.py holds the two equal over the whole form.
_PLAIN = re.compile(r"([0-9]{1,12}(?:\.[0-9]{1,6})?)(%|元|人次|人|个|家|件|次|项|)")
_PLAIN_SCALED = re.compile(r"([0-9]{1,10}(?:\.[0-9]{1,6})?)万(元|)")
_PLAIN_GROUPED = re.compile(r"([1-9][0-9]{0,2}(?:,[0-9]{3}){1,3}(?:\.[0-9]{1,6})?)(%|元|人次|人|个|家|件|次|项|)")  # 1,024.28
_TEN_THOUSAND = Decimal(10000)  # 万, as values scales it


def _plain_ok() -> bool:
    """No text of the _PLAIN forms (at most 18 digits, 24 characters, below 10^14, 0 or at least
    10^-6) is beyond the limits in force."""
    lim = limits.current()
    return lim.max_digits >= 18 and lim.max_number >= 10**14 and lim.max_cell_chars >= 24


_PLAIN_OK = _plain_ok()


def _plain_number(text: str) -> Number | None:
    """The Number values.parse reads from a text of a _PLAIN form; None for any other text."""
    if not _PLAIN_OK:
        return None
    m = _PLAIN.fullmatch(text)
    if m is not None:
        return Number(Decimal(m[1]), m[2], text)
    m = _PLAIN_SCALED.fullmatch(text)
    if m is not None:
        return Number(Decimal(m[1]) * _TEN_THOUSAND, m[2], text)
    m = _PLAIN_GROUPED.fullmatch(text)
    if m is not None:  # the parser reads it without the thousands' commas, and says so in its text
        digits = m[1].replace(",", "")
        return Number(Decimal(digits), m[2], digits + m[2])
    return None


def _number_text(raw: str, share: bool = False) -> Decimal | None:
    """_number of a text: a plain number by its digits, any other text as _number reads it."""
    quick = _plain_number(raw)
    if quick is None or quick.unit not in _NUMBER_UNITS:
        return _number(raw, share)  # (a count, 745人, is no number cell's: its error)
    return quick.value / 100 if share and quick.unit == "%" else quick.value


def _share_text(raw: str) -> Decimal | None:
    return _number_text(raw, share=True)


def _target(value: Any) -> Cell:
    return _text_cell(_TARGETS, value, False) if type(value) is str else _cell(value)


def _actual_cells(value: Any, fields: dict[str, Any]) -> None:
    """`actual`: the actual cell and, where the report gives several, the alternatives."""
    if type(value) is str:
        fields["actual"] = _text_cell(_ACTUALS, value, True)
        return
    cells = _actuals(value)
    fields["actual"] = cells[0]
    if type(value) is list:
        fields["alternatives"] = cells


def _named_numbers(value: dict[str, Any]) -> dict[str, Decimal]:
    read = {k: _number(v) for k, v in value.items()}
    return {k: v for k, v in read.items() if v is not None}


def _kept_by_no_field(value: Any, fields: dict[str, Any]) -> None:
    pass


_share = partial(_number, share=True)

# Each key of an input row: the field of the Row it gives and how _Reader.row reads it (None: as
# written). A key that gives several fields, or none, has the field None and a read that sets them.
# What a key may hold is the input schema's (schemacheck.item_properties), not repeated here; a key
# the schema allows and this table lacks is left to the reference path.
_ROW_FIELDS: dict[str, tuple[str | None, Callable[..., Any] | None]] = {
    "name": ("name", str.strip), "level1": ("level1", None), "level2": ("level2", None),
    "target": ("target", _target), "actual": (None, _actual_cells), "weight": ("weight", _number),
    "elements": ("elements", _elements), "review_actual": ("review_actual", _actual_cell),
    "review_elements": ("review_elements", _elements), "review_level": ("review_level", None),
    "review_fraction": ("review_fraction", _share), "reported_score": ("reported_score", _number),
    "deviation_reason": ("deviation_reason", None), "level": ("level", None), "fraction": ("fraction", _share),
    "occurrences": ("occurrences", _number), "passed": ("passed", None), "applicable": ("applicable", bool),
    "deduction": ("deduction", _number), "direction": ("direction", None), "values": ("values", _named_numbers),
    "level3": (None, _kept_by_no_field), "review_score": (None, _kept_by_no_field),
    "note": (None, _kept_by_no_field), "source": (None, _kept_by_no_field),
}

# a key of a row, by the exact class of its value: the field, the read (the number cells' with the
# limits check of the copy), the schema check still needed (None: the class alone decides), and
# whether the value is a list or mapping that the copy might change
_Step = tuple["str | None", "Callable[..., Any] | None", "schemacheck.Fast | None", bool]

_CELL_CLASSES = (str, int, Decimal, type(None), bool, list, dict)  # what a row's cell is, once copied


@lru_cache(maxsize=None)
def _row_steps() -> tuple[dict[str, dict[type, _Step]], tuple[str, ...]]:
    """Each key a row may hold, by the class of its value, as the schema allows it and as the Row
    takes it; the keys a row must hold. A class missing under a key is one the copy changes (a
    float) or one it refuses there."""
    found = schemacheck.item_properties("input", "properties", "indicators")
    if found is None:
        return {}, ()  # the schema changed shape: every row is read by the reference path
    allowed, required = found
    steps: dict[str, dict[type, _Step]] = {}
    for key, p in allowed.items():
        if key not in _ROW_FIELDS:
            continue  # left to the reference path
        field, read = _ROW_FIELDS[key]
        steps[key] = {kind: (field, _bounded(read, kind) if kind is int or kind is Decimal else
                             _TEXT_READS.get(read, read) if kind is str else read,
                             None if kind in p.decided else p.check, kind is list or kind is dict)
                      for kind in _CELL_CLASSES}
    return steps, required


# a number cell written as text: a plain number read by its digits (_plain_number)
_TEXT_READS: dict[Callable[..., Any] | None, Callable[..., Any]] = {_number: _number_text, _share: _share_text}


# ---------------------------------------------------------------- numbers within the limits

def _number_bounds() -> tuple[int, int | None]:
    """(whole, tens) of the limits in force. limits.number_problem(x) (no text) is None for a whole
    number x exactly when |x| < max_number, that is |x| < ceil(max_number): -whole < x < whole
    (whole at most 10^100: a max_number of 1e1000000 would take half a minute to make an int of;
    past 10^100 the call decides). For a decimal, when max_number is 10^n (tens = n, else None;
    n below 100 too) and x is finite, 0 or within 10^-n <= |x| < 10^n (1/max_number is exact
    then), that is -n <= x.adjusted() < n."""
    top = limits.current().max_number
    n = top.adjusted()
    if n >= 100:
        return 10**100, None
    return int(top.to_integral_value(rounding=ROUND_CEILING)), n if n >= 1 and top == Decimal(1).scaleb(n) else None


_WHOLE, _TENS = _number_bounds()


def _bounds_changed() -> None:
    global _WHOLE, _TENS, _PLAIN_OK
    _WHOLE, _TENS = _number_bounds()
    _PLAIN_OK = _plain_ok()


limits.on_change(_bounds_changed)


def _within(number: int | Decimal) -> bool:
    """limits.number_problem(number) is None, for an int or a Decimal; mostly without the call."""
    if isinstance(number, int):
        return -_WHOLE < number < _WHOLE or limits.number_problem(number) is None
    if _TENS is not None and number.is_finite() and (not number or -_TENS <= number.adjusted() < _TENS):
        return True
    return limits.number_problem(number) is None


def _whole_number(value: int) -> Decimal:
    """A number cell written as a whole number, as _number reads it; _Unusual past the limits."""
    if -_WHOLE < value < _WHOLE or _within(value):
        return Decimal(value)
    raise _Unusual


def _decimal_number(value: Decimal) -> Decimal:
    """A number cell written as a decimal, as _number reads it (the same number, as written)."""
    if _within(value):
        return value
    raise _Unusual


def _bounded(read: Callable[..., Any] | None, kind: type) -> Callable[..., Any]:
    """`read` of a number of class `kind` (int or Decimal), after the copy's limits check (_Unusual past them)."""
    if read is _number or read is _share:  # with share too: a number given as one is no percentage
        return _whole_number if kind is int else _decimal_number

    def bounded(value: int | Decimal, *fields: Any) -> Any:
        if not _within(value):
            raise _Unusual
        return value if read is None else read(value, *fields)

    return bounded


@lru_cache(maxsize=None)
def _document_keys() -> tuple[dict[str, schemacheck.Property], tuple[str, ...]]:
    """What the schema lets each key of an input but `indicators` hold; the keys an input must hold."""
    found = schemacheck.properties("input")
    if found is None:
        return {}, ("",)  # never held: every input is read by the reference path
    allowed, required = found
    return {k: p for k, p in allowed.items() if k != "indicators"}, required


def _as_copied(value: Any) -> Any:
    """A value (not a text) as _exact copies it; quicker for the common shapes: a number within the
    limits, a list of numbers, a mapping of texts and numbers."""
    kind = type(value)
    if kind is int or kind is Decimal:
        return _within_limits(value)
    if kind is list and _numbers_within_limits(value):
        return value.copy()
    if kind is dict and _texts_and_numbers(value):
        return value.copy()
    return _exact(value)


def _as_read(value: list[Any] | dict[Any, Any]) -> Any:
    """A row's list or mapping as _exact copies it, for a read that keeps no part of it (elements,
    values, actual): itself where the copy would be equal."""
    if isinstance(value, list):
        return value if _numbers_within_limits(value) else _exact(value)
    return value if _texts_and_numbers(value) else _exact(value)


def _numbers_within_limits(items: list[Any]) -> bool:
    """Every item a whole number or a decimal (no float, no bool) within the limits: _exact copies
    the list as it is."""
    if set(map(type, items)) <= _INTEGER:  # whole numbers (elements 1–4): within when the extremes are
        return not items or (_within(min(items)) and _within(max(items)))
    for n in items:
        kind = type(n)
        if (kind is not int and kind is not Decimal) or not _within(n):
            return False
    return True


def _texts_and_numbers(value: dict[Any, Any]) -> bool:
    """Keys that are texts, values that are texts, None or numbers within the limits: _exact copies
    the mapping as it is."""
    for k, v in value.items():
        kind = type(v)
        if type(k) is not str:
            return False
        if kind in _AS_IS:
            continue
        if kind is int:
            if not (-_WHOLE < v < _WHOLE or _within(v)):  # _within, mostly without the call
                return False
        elif kind is not Decimal or not _within(v):
            return False
    return True


def _new_row(i: int, raw: dict[str, Any], steps: dict[str, dict[type, _Step]], required: tuple[str, ...]) -> Row:
    """Row i, each cell copied as _exact copies it, checked as the schema checks it and read as
    _Reader.row reads it, in one loop over the cells; a cell that is not there is not read.
    `steps`, `required`: _row_steps()."""
    fields = _ROW_BASE.copy()
    fields["index"] = i
    fields["values"] = {}
    for key, value in raw.items():
        by_class = steps.get(key)
        if by_class is None:
            raise _Unusual
        step = by_class.get(type(value))
        if step is None:
            value = _exact(value)  # a float, a tuple, another class of mapping: as the copy makes it
            step = by_class.get(type(value))
            if step is None:
                raise _Unusual
        field, read, check, nested = step
        if nested:
            value = _as_read(value)
        if check is not None and not check(value):
            raise _Unusual
        if field is None:
            read(value, fields)  # type: ignore[misc]  # (a read is None only with a field)
        elif read is None:
            fields[field] = value
        else:
            fields[field] = read(value)
    for key in required:
        if key not in raw:
            raise _Unusual
    # the name is never empty: a row is a placeholder only when the name itself says nothing
    fields["placeholder"] = _nothing(raw["name"]) and placeholder(raw)
    return _row_of(fields)


def _row_of(fields: dict[str, Any]) -> Row:
    """The Row whose instance dict is `fields`, a new dict of every field (make, without copying it)."""
    row: Row = object.__new__(Row)
    object.__setattr__(row, "__dict__", fields)
    return row


def _rows_at_once(raw_rows: list[Any]) -> tuple[tuple[Row, ...], list[tuple[tuple[Any, ...], Row]]]:
    """The rows, those read before taken as read (_ROWS); and the new ones with their keys."""
    rows = []
    new = []
    steps, required = _row_steps()
    for i, raw in enumerate(raw_rows):
        key = row_key(raw)
        if key is None:
            raise _Unusual
        row = _ROWS.get(key) or _known(key)
        if row is None:
            row = _new_row(i, raw, steps, required)
            new.append((key, row))
        elif row.index != i:
            row = _at(row, i)
        rows.append(row)
    return tuple(rows), new


def _read_at_once(data: Any, file: str) -> Record:
    """The Record the reference path reads from `data`, read in one pass; _Unusual or InputError
    where that path would refuse `data` or might read it otherwise."""
    if type(data) is not dict:
        raise _Unusual
    keys, required = _document_keys()
    rest = {}
    figures = None
    for key, value in data.items():
        if key == "indicators":
            continue
        allowed = keys.get(key)
        if allowed is None:
            raise _Unusual
        if type(value) is dict:  # the commonest figures and funds: checked, copied and read in one step
            if key == "figures":
                figures = _figures_at_once(value)
                if figures is not None:
                    rest[key] = value
                    continue
            elif key == "funds" and _funds_as_is(value):
                rest[key] = value
                continue
        if type(value) not in _AS_IS:
            value = _as_copied(value)
        if type(value) not in allowed.decided and not allowed.check(value):
            raise _Unusual
        rest[key] = value
    for key in required:
        if key not in data:
            raise _Unusual
    raw_rows = data["indicators"]
    if type(raw_rows) is not list:
        raise _Unusual
    rows, new = _rows_at_once(raw_rows)
    record = _PlainReader(yaml_text.Document(rest, file), figures).document(rows)
    for key, row in new:
        _keep(key, row)
    return record


# ---------------------------------------------------------------- rows read before

# Rows read before, by what they were read from (row_key): an equal row of another input (100%,
# 合格, elements 1–4) is read once. A row depends on its own cells and the limits alone (not on the
# other rows or the rest of the input), so a known row skips the copy, the schema check and the
# reading; only the rest of the input is read. Kept in two generations, as the engine keeps its
# scores: when _ROWS holds _ROWS_MAX it becomes _OLDER_ROWS and the older ones go, so a row read
# again since is kept and memory stays flat (0: nothing is kept). Forgotten when the limits change
# (a text read under the old limits might be refused under the new ones).
_ROWS: dict[tuple[Any, ...], Row] = {}
_OLDER_ROWS: dict[tuple[Any, ...], Row] = {}
_ROWS_MAX = 10_000


# a row is kept from the second time it is read (perfrules.memo: once-only rows cost the collector)
_DOOR = Doorkeeper()


def forget_rows() -> None:
    """Forget every row read before."""
    _ROWS.clear()
    _OLDER_ROWS.clear()
    _DOOR.clear()


limits.on_change(forget_rows)


def _known(key: tuple[Any, ...]) -> Row | None:
    """The row read before from what `key` says, or None."""
    row = _ROWS.get(key)
    if row is None:
        row = _OLDER_ROWS.get(key)
        if row is not None:
            _keep(key, row, True)  # read again: kept
    return row


def _with_known_rows(data: Any, part: Callable[[dict[str, Any]], yaml_text.Document],
                     whole: Callable[[], Record]) -> Record:
    """The Record of `data`, its known rows taken as read before and the rest read by `part`
    (the input with only its unknown rows). Any problem: `whole` reads the input as it is, so
    that every error names its place in the input as given."""
    raw_rows = data.get("indicators") if type(data) is dict else None
    if type(raw_rows) is not list or not raw_rows:
        return _remember(whole(), raw_rows)
    keys = [row_key(r) for r in raw_rows]
    known = [None if k is None else _known(k) for k in keys]
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


def _keep(key: tuple[Any, ...], row: Row, kept_before: bool = False) -> None:
    """Note what `row` was read from in it, and keep it if it was read before (or kept before)."""
    row.__dict__["content"] = key
    if _ROWS_MAX <= 0 or not (kept_before or _DOOR.seen(key)):
        return
    if len(_ROWS) >= _ROWS_MAX:
        _OLDER_ROWS.clear()  # the newer generation becomes the older (the dicts stay: see limits.on_change)
        _OLDER_ROWS.update(_ROWS)
        _ROWS.clear()
    _ROWS[key] = row


def _at(row: Row, index: int) -> Row:
    """The row as read at another place of another input."""
    return make(Row, {**row.__dict__, "index": index})


def row_key(raw: Any) -> tuple[Any, ...] | None:
    """What a row mapping holds, as a key that is equal only for rows read alike: a number by its
    class and text (1, True, 1.0 and Decimal('1.0') differ), a text as it is. None for a row of
    any other shape (a key that is not text, a class the input format does not have, nesting
    deeper than the format's): such a row is read every time.

    One flat tuple, each key followed by its cell's tokens: a text, a whole number or None as it
    is (no two of them are equal), a decimal as the class Decimal and its text, a list of whole
    numbers as the class list and the numbers, any other cell as one tuple that starts with its
    class (_scalar, _sequence, _pairs). A class or a tuple is never a text, a whole number or None,
    and a class is followed by the same tokens wherever it stands, so two keys are equal only
    when their rows hold the same keys and cells, in the same order."""
    if type(raw) is not dict:
        return None
    unread = not _UNREAD.isdisjoint(raw)
    out: list[Any] = []
    put = out.append
    for k, v in raw.items():
        if type(k) is not str:
            return None
        put(k)
        kind = type(v)
        if unread and k in _UNREAD:  # a cell the row does not keep: its class, whether it says nothing, whether it is allowed
            put((kind, v is None or _nothing(v), _copied_as_is(v, kind)))
        elif kind is str or kind is int or v is None:
            put(v)
        elif kind is Decimal:
            put(Decimal)
            put(str(v))
        elif kind is list and set(map(type, v)) == _INTEGER:  # elements 1–4
            put(list)
            put(tuple(v))
        else:
            got = _sequence(v) if kind is list else _pairs(v) if kind is dict else _scalar(v, kind)
            if got is None:
                return None
            put(got)
    return tuple(out)


# cells of a row that the Row does not keep (a note, where it came from, the 三级指标 repeated, the
# reviewer's score): rows that differ only in them read as equal rows (placeholder() still looks
# at whether each says nothing, the input schema at its class and the copy at a number's size)
_UNREAD = frozenset({"note", "source", "level3", "review_score"})


def _copied_as_is(v: Any, kind: type) -> bool:
    """False for a number the copy (_exact) refuses: beyond the limits, or a float inf or nan. A
    review_score of 0 and one of 10**30 are not read alike: the second is an error."""
    if kind is int or kind is Decimal:
        return limits.number_problem(v) is None
    if kind is float:
        return math.isfinite(v) and limits.number_problem(Decimal(repr(v))) is None
    return True


_TEXT = frozenset({str})


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
    return _scalar(v, kind)


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
    if kind is int or kind is Decimal:
        return _within_limits(data)
    return _exact_other(data)


def _within_limits(number: int | Decimal) -> int | Decimal:
    problem = limits.number_problem(number)  # the bound a YAML input meets in yaml_text
    if problem is not None:
        raise InputError([Problem(problem)])
    return number


def _exact_other(data: Any) -> Any:
    if isinstance(data, float):
        if data != data or data in (float("inf"), float("-inf")):
            raise InputError([Problem(_("{value} is not a number a score can use").format(value=repr(data)))])
        data = Decimal(float.__repr__(data))  # a float subclass (numpy.float64) too, by its value's shortest repr
    elif isinstance(data, numbers.Integral) and not isinstance(data, bool):
        data = int(data)  # numpy.int64 and other whole-number classes: the number itself
    elif isinstance(data, numbers.Number) and not isinstance(data, Decimal):
        # complex, Fraction, numpy.float32: no shortest decimal of their own; the caller converts
        raise InputError([Problem(_("{value} is not a number a score can use").format(value=repr(data)))])
    if isinstance(data, (int, Decimal)) and not isinstance(data, bool):
        return _within_limits(data)
    if isinstance(data, Mapping):
        return {str(k): _exact(v) for k, v in data.items()}
    if isinstance(data, (list, tuple)):
        return [_exact(v) for v in data]
    return data
