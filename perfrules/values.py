"""Targets and actuals as written in the tables -> typed values.

`parse("≥ 180家")` is `Bound('>=', Number(180, '家'))`; `parse("3.57万")` is
`Number(35700, '')`; `parse("企业用人单位数≥180家、人数≥3.5万")` is a `Compound` of two
labelled parts; `parse("已完成")` is `Text`. The parser runs in stages (normalise the
glyphs, then try each form in turn) so that wider forms slot in as one more stage.
Percentages keep their value in percentage points (97% -> 97, unit '%'); ‰ becomes %.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from typing import Union

from .decimals import fmt

# ---------------------------------------------------------------- the typed values

OP_SYMBOL = {">=": "≥", ">": ">", "<=": "≤", "<": "<", "=": "=", "~": "≈"}


@dataclass(frozen=True)
class Number:
    """An amount with its unit after scaling: 97% -> (97, '%'), 3.57万 -> (35700, '')."""

    value: Decimal
    unit: str = ""
    text: str = ""

    def __str__(self) -> str:
        return self.text or (fmt(self.value) + self.unit)


@dataclass(frozen=True)
class Bound:
    """A comparison: ≥80%, ≤11.00, =100家, 不低于90%, 85%以上."""

    op: str  # '>=', '>', '<=', '<', '=', '~'
    number: Number
    text: str = ""

    def __str__(self) -> str:
        return self.text or f"{OP_SYMBOL[self.op]}{self.number}"


@dataclass(frozen=True)
class Span:
    """A range: 90%-95%, 90%～95%."""

    low: Number
    high: Number
    text: str = ""

    def __str__(self) -> str:
        return self.text or f"{self.low}-{self.high}"


@dataclass(frozen=True)
class Date:
    """A deadline or a completion date; missing parts are None (12月底前 has no year)."""

    year: int | None
    month: int | None
    day: int | None
    text: str = ""

    def __str__(self) -> str:
        return self.text


@dataclass(frozen=True)
class Text:
    """Words: 已完成, 应诊尽诊, 合理, or a narrative."""

    text: str
    key: str = ""  # normalised for matching against a vocabulary

    def __str__(self) -> str:
        return self.text


Simple = Union[Number, Bound, Span]


@dataclass(frozen=True)
class Part:
    """One labelled part of a compound value: 人数≥3.5万."""

    label: str
    value: Simple


@dataclass(frozen=True)
class Compound:
    """Several labelled parts: 企业用人单位数≥180家、人数≥3.5万."""

    parts: tuple[Part, ...]
    text: str = ""

    def __str__(self) -> str:
        return self.text


Value = Union[Number, Bound, Span, Date, Text, Compound]

# ---------------------------------------------------------------- normalising glyphs

_REPLACE = [
    ("\\geqslant", "≥"), ("\\leqslant", "≤"), ("\\geq", "≥"), ("\\leq", "≤"), ("\\ge", "≥"), ("\\le", "≤"),
    ("\\times", "×"), ("$", ""),
    (">=", "≥"), ("=>", "≥"), ("<=", "≤"), ("=<", "≤"), ("≧", "≥"), ("≦", "≤"), ("⩾", "≥"), ("⩽", "≤"),
    ("═", "="), ("==", "="), ("≒", "≈"),
    ("～", "~"), ("〜", "~"), ("—", "-"), ("–", "-"), ("－", "-"),
]
_THOUSANDS = re.compile(r"(?<=\d),(?=\d{3}(?!\d))")
_SPACE = re.compile(r"\s+")


@lru_cache(maxsize=16384)
def normalize(text: str) -> str:
    """Full-width to half-width, LaTeX and odd comparison glyphs to ≥ ≤ =, no spaces or 3,102 commas."""
    s = unicodedata.normalize("NFKC", text)
    for old, new in _REPLACE:
        s = s.replace(old, new)
    s = _SPACE.sub("", s)
    return _THOUSANDS.sub("", s)


@lru_cache(maxsize=16384)
def key_of(text: str) -> str:
    """A text's matching key: normalised, closing punctuation dropped."""
    return normalize(text).rstrip("。.;；,，、!！")


# ---------------------------------------------------------------- numbers with units

_SCALE = {"万": Decimal(10000), "亿": Decimal(100000000), "千": Decimal(1000)}
# Characters that never occur in a unit: they mean the text is a sentence (6个均已完成).
_NOT_UNIT = set("已未均完成达到按及时约共并且或和与的为是有无")
_NUM = r"(?P<num>[+-]?\d+(?:\.\d+)?)"
_QTY = _NUM + r"(?P<scale>[万亿千]?)(?P<unit>[^\d/]*?(?:/[^/]+?)*?)"

_PREFIX_OPS = [
    ("≥", ">="), ("≤", "<="), (">", ">"), ("<", "<"), ("=", "="), ("≈", "~"), ("约", "~"),
    ("不低于", ">="), ("不少于", ">="), ("不小于", ">="), ("至少", ">="),
    ("不高于", "<="), ("不超过", "<="), ("不大于", "<="), ("不多于", "<="), ("最多", "<="),
    ("大于", ">"), ("高于", ">"), ("超过", ">"), ("多于", ">"),
    ("小于", "<"), ("低于", "<"), ("少于", "<"),
    # words that only say "reach"; the suffix (以上/以下) or the default decides
    ("达到", ""), ("保持在", ""), ("保持", ""), ("控制在", "<="), ("在", ""), ("为", ""), ("达", ""),
]
_SUFFIX_OPS = [("及以上", ">="), ("以上", ">="), ("及以下", "<="), ("以下", "<="), ("以内", "<="), ("之内", "<=")]
_PREFIX_RE = "|".join(re.escape(p) for p, _ in sorted(_PREFIX_OPS, key=lambda x: -len(x[0])))
_SUFFIX_RE = "|".join(re.escape(p) for p, _ in _SUFFIX_OPS)
_PREFIX = dict(_PREFIX_OPS)
_SUFFIX = dict(_SUFFIX_OPS)

_SINGLE = re.compile(rf"^(?P<label>[^、，,;；]*?)(?P<op>{_PREFIX_RE})?{_QTY}(?P<suffix>{_SUFFIX_RE})?$")
_SPAN = re.compile(
    r"^(?P<label>[^\d+-]*?)(?P<lo>\d+(?:\.\d+)?)(?P<lounit>[%‰]?)[-~至到](?P<hi>\d+(?:\.\d+)?)(?P<hiunit>[^\d]*)$"
)


def _unit_ok(unit: str) -> bool:
    return len(unit) <= 12 and not (set(unit) & _NOT_UNIT)


def _number(num: str, scale: str, unit: str, text: str) -> Number | None:
    if not _unit_ok(unit):
        return None
    value = Decimal(num)
    if scale:
        value *= _SCALE[scale]
    if unit == "‰":
        value, unit = value / 10, "%"
    return Number(value, unit, text)


def _single(s: str, text: str) -> tuple[str, Simple] | None:
    """A possibly labelled number, bound or span: '人数≥3.5万' -> ('人数', Bound)."""
    m = _SPAN.match(s)
    if m:
        hiunit = m["hiunit"]
        lounit = m["lounit"] or (hiunit if hiunit in ("%", "‰") else "")
        lo = _number(m["lo"], "", lounit, m["lo"] + m["lounit"])
        hi = _number(m["hi"], "", hiunit, m["hi"] + hiunit)
        if lo is not None and hi is not None and lo.unit == hi.unit:
            return m["label"].rstrip(":："), Span(lo, hi, text)
    m = _SINGLE.match(s)
    if not m:
        return None
    number = _number(m["num"], m["scale"], m["unit"], "")
    if number is None:
        return None
    number = Number(number.value, number.unit, m["num"] + m["scale"] + m["unit"])
    op = _PREFIX.get(m["op"] or "", "")
    if not op and m["suffix"]:
        op = _SUFFIX[m["suffix"]]
    label = m["label"].rstrip(":：")
    if op:
        return label, Bound(op, number, text)
    return label, number


# ---------------------------------------------------------------- dates and deadlines

_DATE_TAIL = r"(?:前|以前|之前|内|以内)?(?:已?完成|完工|结束|验收|实施)?$"
_DATES = [
    # 2021年年底完成, 2021年底前
    (re.compile(r"^(?:于|在)?(?P<y>\d{4})年(?:年底|年末|底|末)" + _DATE_TAIL), lambda m: (int(m["y"]), 12, 31)),
    # 2021年11月30日, 2023年12月, 2021年11月底前
    (re.compile(r"^(?:于|在)?(?P<y>\d{4})年(?P<m>\d{1,2})月(?:(?P<d>\d{1,2})日)?(?P<end>底|末)?" + _DATE_TAIL),
     lambda m: (int(m["y"]), int(m["m"]), int(m["d"]) if m["d"] else (_last_day(int(m["y"]), int(m["m"])) if m["end"] else None))),
    # 12月底前, 6月30日前
    (re.compile(r"^(?:于|在)?(?P<m>\d{1,2})月(?:(?P<d>\d{1,2})日)?(?P<end>底|末)?" + _DATE_TAIL),
     lambda m: (None, int(m["m"]), int(m["d"]) if m["d"] else (_last_day(2001, int(m["m"])) if m["end"] else None))),
    # 年底前完成, 年度内完成, 年内完成
    (re.compile(r"^(?:于|在)?(?:年底|年末|年度内|年内|本年度内|本年内|当年)" + _DATE_TAIL), lambda m: (None, 12, 31)),
    # 2021年完成, 2021年度内完成
    (re.compile(r"^(?:于|在)?(?P<y>\d{4})年度?" + _DATE_TAIL), lambda m: (int(m["y"]), None, None)),
]


def _last_day(year: int, month: int) -> int:
    if month == 12:
        return 31
    import datetime

    return (datetime.date(year, month + 1, 1) - datetime.timedelta(days=1)).day


def _date(s: str, text: str) -> Date | None:
    for pattern, parts in _DATES:
        m = pattern.match(s)
        if m:
            y, mo, d = parts(m)
            if mo is not None and not 1 <= mo <= 12:
                return None
            return Date(y, mo, d, text)
    return None


# ---------------------------------------------------------------- the parser

_SPLIT = re.compile(r"[、，,;；]")
MISSING = {"", "-", "--", "/", "\\", "无数据", "null", "None"}


@lru_cache(maxsize=8192)
def parse(raw: object) -> Value | None:
    """Parse a cell as written; None when the cell is empty ('', '-', '/').

    Numbers given as numbers (int or Decimal, not bool or float) are unit-less Numbers.
    """
    if raw is None:
        return None
    if isinstance(raw, bool):
        return Text(str(raw), str(raw))
    if isinstance(raw, (int, Decimal)):
        d = Decimal(raw)
        return Number(d, "", fmt(d))
    if not isinstance(raw, str):
        raise TypeError(f"cannot read a {type(raw).__name__} as a value")
    text = raw.strip()
    s = normalize(text)
    if s in MISSING:
        return None
    date = _date(s, text)
    if date is not None:
        return date
    single = _single(s, text)
    if single is not None:
        label, value = single
        if not label:
            return value
        return Compound((Part(label, value),), text)
    pieces = [p for p in _SPLIT.split(s) if p]
    if len(pieces) > 1:
        parts = []
        for piece in pieces:
            one = _single(piece, piece)
            if one is None:
                break
            parts.append(Part(one[0], one[1]))
        else:
            return Compound(tuple(parts), text)
    return Text(text, key_of(text))


def form(value: Value | None) -> str:
    """The form of a target, as `scoring` rules select it.

    'ge', 'gt', 'le', 'lt', 'eq', 'approx', 'bare', 'range', 'compound', 'deadline',
    'qualitative' or 'missing'.
    """
    if value is None:
        return "missing"
    if isinstance(value, Number):
        return "bare"
    if isinstance(value, Bound):
        return {">=": "ge", ">": "gt", "<=": "le", "<": "lt", "=": "eq", "~": "approx"}[value.op]
    if isinstance(value, Span):
        return "range"
    if isinstance(value, Compound):
        return "compound" if len(value.parts) > 1 else form(value.parts[0].value)
    if isinstance(value, Date):
        return "deadline"
    return "qualitative"


def simple(value: Value | None) -> Value | None:
    """A one-part compound (放射诊疗场所检测=100家) as its part's value; anything else unchanged."""
    if isinstance(value, Compound) and len(value.parts) == 1:
        return value.parts[0].value
    return value


def units_compatible(a: str, b: str) -> str:
    """'same', 'loose' (元/人 vs 元/人/年: same base unit) or 'no'. An empty unit fits any."""
    if a == b or not a or not b:
        return "same"
    if a.split("/")[0] == b.split("/")[0]:
        return "loose"
    return "no"
