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
from typing import Callable, Union

from .decimals import fmt
from . import limits
from .limits import within

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


@dataclass(frozen=True)
class Unreadable:
    """A cell that cannot be read as any value: 2021年13月底前, a year 0000, a cell too long to read.

    Not a Text: a vocabulary word at its end (…完成) must not make it a met target.
    """

    text: str
    reason: str  # why, in the analyst's words: 月份13不存在

    def __str__(self) -> str:
        return self.text if len(self.text) <= 40 else self.text[:40] + "…"


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


Value = Union[Number, Bound, Span, Date, Text, Compound, Unreadable]

# ---------------------------------------------------------------- normalising glyphs

_REPLACE = [
    ("\\geqslant", "≥"), ("\\leqslant", "≤"), ("\\geq", "≥"), ("\\leq", "≤"), ("\\ge", "≥"), ("\\le", "≤"),
    ("\\times", "×"), ("$", ""),
    (">=", "≥"), ("=>", "≥"), ("<=", "≤"), ("=<", "≤"), ("≧", "≥"), ("≦", "≤"), ("⩾", "≥"), ("⩽", "≤"),
    ("═", "="), ("﹦", "="), ("＝", "="), ("==", "="), ("≒", "≈"),
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
# A number starts where no digit, point or / stands before it: the lazy label before it
# then tries one start per number, not one per digit (linear, not quadratic, on long runs).
# 1.2E+02 and 3e-2 as CSV exports write them; the exponent is read only when digits follow.
_NUM = r"(?<![\d./])(?P<num>[+-]?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)"
# a unit, then per-denominators: 元/人, 元/人/年, 只/夹, /10万 (never across a 、 or ，)
_QTY = _NUM + r"(?P<scale>[万亿千]?)(?P<about>余|多)?(?P<unit>[^\d/、，,;；]*?(?:/(?:\d+[万千亿]?)?[^\d/、，,;；]*?)*?)"

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


# 1e30 and beyond is no count or amount a table holds; such an exponent is not read as one
_MAX_EXPONENT = 20


def _decimal(num: str) -> Decimal | None:
    """'3.57' -> 3.57; '1.2E+02' -> 120 (written out, so that it prints as 120); None past 1e±20."""
    value = Decimal(num)
    if "e" not in num and "E" not in num:
        return value
    exponent = value.as_tuple().exponent
    if not isinstance(exponent, int) or abs(value.adjusted()) > _MAX_EXPONENT or exponent < -2 * _MAX_EXPONENT:
        return None
    return Decimal(f"{value:f}")


def _number(num: str, scale: str, unit: str, text: str) -> Number | None:
    if not _unit_ok(unit):
        return None
    value = _decimal(num)
    if value is None:
        raise _Beyond(num)  # 1.0e+30: no count or amount a table holds
    if scale:
        value *= _SCALE[scale]
    if not within(value, num):
        raise _Beyond(num)  # beyond perfrules.limits: the whole cell is unreadable, never a word
    if unit == "‰":
        value, unit = value / 10, "%"
    return Number(value, unit, text)


def _single(s: str, text: str) -> tuple[str, Simple] | None:
    """A possibly labelled number, bound or span: '人数≥3.5万' -> ('人数', Bound)."""
    m = _SPAN.match(s)
    if m:
        hiunit = m["hiunit"]
        lounit = m["lounit"] or hiunit  # 90-95% and 90-95人: the unit is written once
        lo = _number(m["lo"], "", lounit, m["lo"] + lounit)
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
    if not op and m["about"]:
        op = ">="  # 23.05万余次, 600余人: a little more than the number
    label = m["label"].rstrip(":：")
    if op:
        return label, Bound(op, number, text)
    return label, number


# ---------------------------------------------------------------- dates and deadlines

_DATE_TAIL = r"(?:前|以前|之前|内|以内)?(?:已?完成|完工|结束|验收|实施)?$"
_END = 0  # a day written 底/末: the month's last day
# each pattern gives (year, month, day) as written; _END for 底/末
_DatePattern = tuple["re.Pattern[str]", Callable[["re.Match[str]"], tuple[int | None, int | None, int | None]]]
_DATES: list[_DatePattern] = [
    # 2021-12-31, 2021/12/31, 2021-12, 2024.1.1
    (re.compile(r"^(?P<y>\d{4})(?P<sep>[-/])(?P<m>\d{1,2})(?:(?P=sep)(?P<d>\d{1,2}))?" + _DATE_TAIL),
     lambda m: (int(m["y"]), int(m["m"]), int(m["d"]) if m["d"] else None)),
    (re.compile(r"^(?P<y>\d{4})\.(?P<m>\d{1,2})\.(?P<d>\d{1,2})" + _DATE_TAIL), lambda m: (int(m["y"]), int(m["m"]), int(m["d"]))),
    # 2021年年底完成, 2021年底前
    (re.compile(r"^(?:于|在)?(?P<y>\d{4})年(?:年底|年末|底|末)" + _DATE_TAIL), lambda m: (int(m["y"]), 12, 31)),
    # 2021年11月30日, 2023年12月, 2021年11月底前
    (re.compile(r"^(?:于|在)?(?P<y>\d{4})年(?P<m>\d{1,2})月(?:(?P<d>\d{1,2})日)?(?P<end>底|末)?" + _DATE_TAIL),
     lambda m: (int(m["y"]), int(m["m"]), int(m["d"]) if m["d"] else (_END if m["end"] else None))),
    # 12月底前, 6月30日前
    (re.compile(r"^(?:于|在)?(?P<m>\d{1,2})月(?:(?P<d>\d{1,2})日)?(?P<end>底|末)?" + _DATE_TAIL),
     lambda m: (None, int(m["m"]), int(m["d"]) if m["d"] else (_END if m["end"] else None))),
    # 年底前完成, 年度内完成, 年内完成
    (re.compile(r"^(?:于|在)?(?:年底|年末|年度内|年内|本年度内|本年内|当年)" + _DATE_TAIL), lambda m: (None, 12, 31)),
    # 2021年完成, 2021年度内完成
    (re.compile(r"^(?:于|在)?(?P<y>\d{4})年度?" + _DATE_TAIL), lambda m: (int(m["y"]), None, None)),
]


def _last_day(year: int | None, month: int) -> int:
    """The month's last day; February of a year not given has 29 (any year's deadline may be a leap year's)."""
    import calendar

    return calendar.monthrange(year if year else 2000, month)[1]


def _date(s: str, text: str) -> Date | Unreadable | None:
    """A date or deadline; Unreadable when it has a date's form but no such day (2021年13月, 0000年)."""
    for pattern, parts in _DATES:
        m = pattern.match(s)
        if m:
            y, mo, d = parts(m)
            if y is not None and y < 1:
                return Unreadable(text, f"年份{m['y']}不存在")
            if mo is not None and not 1 <= mo <= 12:
                return Unreadable(text, f"月份{mo}不存在")
            if d == _END and mo is not None:
                d = _last_day(y, mo)
            elif d is not None and mo is not None and not 1 <= d <= _last_day(y, mo):
                return Unreadable(text, f"{mo}月没有{d}日")
            return Date(y, mo, d, text)
    return None


# ---------------------------------------------------------------- Chinese numerals

_CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_CN_UNITS = {"十": 10, "百": 100, "千": 1000}
_MEASURE = "个|项|家|人次|人|次|台|份|所|天|例|场|篇|件|户|名|张|套|辆|间|床|条|处|座|周|季度|年|月|日|岁|倍|元"
# a numeral before a measure word (两个, 三项, 十二月, 五万元), not inside a word (第一, 统一, 唯一);
# not 一批 either: 专用设备一批 is "a batch of equipment", a qualitative target
# (a numeral starts after no other numeral character: one try per run of them, not one per character)
_CN_NUMERAL = re.compile(rf"(?<![\d.第统唯之同单零〇一二两三四五六七八九十百千])([〇一二两三四五六七八九十][零〇一二两三四五六七八九十百千]*万?)(?=(?:{_MEASURE}))")
_CN_PERCENT = re.compile(r"百分之([零〇一二两三四五六七八九十百点]+)")


def cn_int(text: str) -> int | None:
    """'十二' -> 12, '两' -> 2, '三千五百' -> 3500, '五万' -> 50000; None if not a numeral."""
    total = section = 0
    digit: int | None = None
    for ch in text:
        if ch in _CN_DIGITS:
            digit = _CN_DIGITS[ch]
        elif ch in _CN_UNITS:
            section += (1 if digit is None else digit) * _CN_UNITS[ch]
            digit = None
        elif ch == "万":
            total += (section + (digit or 0)) * 10000
            section, digit = 0, None
        else:
            return None
    return total + section + (digit or 0)


def _arabic(s: str) -> str:
    """Simple Chinese numerals in counts and percentages as digits: 两个 -> 2个, 百分之九十 -> 90%."""
    if not any(ch in _CN_DIGITS or ch in _CN_UNITS for ch in s):
        return s

    def percent(m: re.Match[str]) -> str:
        whole, _, part = m.group(1).partition("点")
        n = cn_int(whole)
        if n is None:
            return m.group(0)
        decimals = "".join(str(_CN_DIGITS.get(ch, "")) for ch in part)
        return f"{n}{'.' + decimals if decimals else ''}%"

    def numeral(m: re.Match[str]) -> str:
        n = cn_int(m.group(1))
        return m.group(0) if n is None else str(n)

    return _CN_NUMERAL.sub(numeral, _CN_PERCENT.sub(percent, s))


# ---------------------------------------------------------------- the parser

# several labels sharing one value: 报告率、报告及时率均达到100%; 管理率分别达到65%以上
_SHARED = re.compile(r"^(?P<labels>.+?)(?:均|都|分别|皆)(?P<rest>.+)$")
_LABEL_SPLIT = re.compile(r"[、，,和]")  # not 及 or 与: 及时率, 参与率

_SPLIT = re.compile(r"[、，,;；]")
MISSING = {"", "-", "--", "/", "\\", "无数据", "null", "None"}


def parse(raw: object) -> Value | None:
    """Parse a cell as written; None when the cell is empty ('', '-', '/').

    Numbers given as numbers (int or Decimal, not bool or float) are unit-less Numbers
    that keep their digits: Decimal('72.70') is written 72.70, not 72.7.
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
    return _parse_text(raw)


# cached by the text itself: a cache keyed by Decimal equality would hand 72.70 the entry of 72.7
@lru_cache(maxsize=8192)
def _parse_text(raw: str) -> Value | None:
    text = raw.strip()
    # a target or an actual is a phrase, not a page: a longer cell is Unreadable, with a finding
    cap = limits.current().max_cell_chars
    if len(text) > cap:
        return Unreadable(text, f"有{len(text)}个字符，超过单元格上限{cap}个字符（PERFRULES_MAX_CELL_CHARS），未读取")
    return parse_unlimited(text)


limits.on_change(_parse_text.cache_clear)  # a text read under other limits may read differently now


def clear_cache() -> None:
    """Forget every parsed text (benchmarks clear it so that a cache does not flatter them)."""
    _parse_text.cache_clear()


class _Beyond(Exception):
    """A number in the cell is past perfrules.limits: the cell is Unreadable, not Text."""


def parse_unlimited(text: str) -> Value | None:
    """The parser without the length cap (tests use it to show that the patterns stay linear)."""
    try:
        return _parse_forms(text)
    except _Beyond as exc:
        digits = sum(ch.isdigit() for ch in str(exc))
        return Unreadable(text, f"其中的数（{digits}位）超出可读取的范围（见 docs/limits.md）")


def _parse_forms(text: str) -> Value | None:
    s = _arabic(normalize(text))
    if s in MISSING:
        return None
    date = _date(s, text)
    if date is not None:
        return date
    shared = _SHARED.match(s)
    if shared:
        one = _single(shared["rest"], shared["rest"])
        labels = [x for x in _LABEL_SPLIT.split(shared["labels"]) if x]
        if one is not None and not one[0] and len(labels) > 1:
            return Compound(tuple(Part(label, one[1]) for label in labels), text)
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


def stated(value: Value | None) -> Value | None:
    """An actual written `=100%` or `=0件` states its value: the number, not a bound.

    (A target `=100家` is an equality target; only actuals are read this way.)
    """
    if isinstance(value, Bound) and value.op == "=":
        return Number(value.number.value, value.number.unit, value.number.text)
    if isinstance(value, Compound) and any(isinstance(p.value, Bound) and p.value.op == "=" for p in value.parts):
        parts = tuple(Part(p.label, stated(p.value)) for p in value.parts)  # type: ignore[arg-type]
        return Compound(parts, value.text)
    return value


# ---------------------------------------------------------------- element numbers (具备要素)

_CIRCLED = {chr(0x2460 + i): i + 1 for i in range(20)}  # ① … ⑳
_CIRCLED.update({chr(0x2776 + i): i + 1 for i in range(10)})  # ❶ … ❿
_MAX_ELEMENT = 100  # no scheme lists more elements than this; a span past it is not read
_ELEMENT_SPAN = re.compile(r"^(\d+)[-~至到](\d+)$")
_ELEMENT_SPLIT = re.compile(r"[、,，;；/\s]+|\)\(?|\(|要素|第|项|个")


def element_numbers(text: str) -> list[int] | None:
    """The element numbers a 具备要素 cell lists, sorted; None when it lists none readably.

    '1、3', '1,3', '1 3', '①③', '(1)(3)', '一、三', '要素1~3', '无' ([]): circled digits and
    bracketed numbers are one element each, never read together as 13.
    """
    s = "".join(f"、{_CIRCLED[ch]}、" if ch in _CIRCLED else ch for ch in text)
    s = unicodedata.normalize("NFKC", s).strip()
    if s in ("无", "没有", "-", "/", "—", "无要素"):
        return []
    numbers: list[int] = []
    for piece in _ELEMENT_SPLIT.split(s):
        if not piece:
            continue
        span = _ELEMENT_SPAN.match(piece)
        if span and int(span.group(1)) <= int(span.group(2)) <= _MAX_ELEMENT:
            numbers.extend(range(int(span.group(1)), int(span.group(2)) + 1))
        elif span:
            return None  # 1-999999999 lists no scheme's elements: unread, not a billion numbers
        elif piece.isdigit():
            numbers.append(int(piece))
        elif (n := cn_int(piece)) is not None and n > 0:
            numbers.append(n)
        else:
            return None
    return sorted(set(numbers)) if numbers else None


def form(value: Value | None) -> str:
    """The form of a target, as `scoring` rules select it.

    'ge', 'gt', 'le', 'lt', 'eq', 'approx', 'bare', 'range', 'compound', 'deadline',
    'qualitative', 'unreadable' or 'missing'.
    """
    kind = type(value)
    got = _FORMS.get(kind)  # by exact class: no value class has a subclass
    if got is not None:
        return got
    if kind is Bound:
        return _BOUND_FORMS[value.op]  # type: ignore[union-attr]
    if kind is Compound:
        return "compound" if len(value.parts) > 1 else form(value.parts[0].value)  # type: ignore[union-attr]
    return "qualitative"


_FORMS = {type(None): "missing", Number: "bare", Span: "range", Date: "deadline", Unreadable: "unreadable",
          Text: "qualitative"}
_BOUND_FORMS = {">=": "ge", ">": "gt", "<=": "le", "<": "lt", "=": "eq", "~": "approx"}


def simple(value: Value | None) -> Value | None:
    """A one-part compound (放射诊疗场所检测=100家) as its part's value; anything else unchanged."""
    if type(value) is Compound and len(value.parts) == 1:
        return value.parts[0].value
    return value


def units_compatible(a: str, b: str) -> str:
    """'same', 'loose' (元/人 vs 元/人/年: same base unit) or 'no'. An empty unit fits any."""
    if a == b or not a or not b:
        return "same"
    if a.split("/")[0] == b.split("/")[0]:
        return "loose"
    return "no"


def meaning(value: Value | None) -> tuple[object, ...] | None:
    """What a value says, without how it was written: 3.57万 and 35700 mean the same."""
    if value is None:
        return None
    if isinstance(value, Number):
        return ("number", value.value.normalize(), value.unit)
    if isinstance(value, Bound):
        return ("bound", value.op, meaning(value.number))
    if isinstance(value, Span):
        return ("span", meaning(value.low), meaning(value.high))
    if isinstance(value, Date):
        return ("date", value.year, value.month, value.day)
    if isinstance(value, Compound):
        return ("compound",) + tuple((key_of(p.label), meaning(p.value)) for p in value.parts)
    if isinstance(value, Unreadable):
        return ("unreadable", value.text)
    return ("text", value.key or key_of(value.text))


def render(value: Value) -> str:
    """A value written in the canonical way this parser reads back to the same meaning."""
    if isinstance(value, Number):
        return fmt(value.value) + value.unit
    if isinstance(value, Bound):
        return OP_SYMBOL[value.op] + render(value.number)
    if isinstance(value, Span):
        return f"{fmt(value.low.value)}-{fmt(value.high.value)}{value.high.unit}"
    if isinstance(value, Date):
        return (f"{value.year}年" if value.year else "") + (f"{value.month}月" if value.month else "") + \
            (f"{value.day}日" if value.day else "")
    if isinstance(value, Compound):
        return "、".join(p.label + render(p.value) for p in value.parts)
    return value.text
