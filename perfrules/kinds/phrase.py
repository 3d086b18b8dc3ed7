"""Reading a 评分标准 sentence back into a method: the small matcher every kind's phrasings use.

A kind declares the sentences it recognises as `Phrasing`s (its `phrasings` field): a
template in the scheme's own words with typed slots, and the method it means, with
examples that are also tests. `read(text, given)` tries every kind's phrasings and
answers a `Reading`: the method, or why the text stays a placeholder (no phrasing fits,
two fit with different methods, or one fits but a number, an end's inclusivity or the
element count is not in the text). A phrasing never guesses: `Unclear` says what is missing.

Templates (after `normal()`, so full-width punctuation and spaces do not matter):
`{name:type}` a slot (`{:type}` matches without keeping the value), `{a|b}` one of the
words, `[...]` an optional part. Slot types are in `SLOTS`.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from typing import Any, Callable, Mapping, Union

MAX_TEXT = 1000  # characters of one rule text (a 评分标准 cell holds a few hundred)
MAX_ELEMENTS = 100  # elements a text may name (要素1 … 要素100)
PREFIXES = 12  # leading parts of a text tried when the whole is not read (the reason says what was)
NUMERALS = {"一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10}
_NUMBER = r"\d+(?:\.\d+)?"
_NUMERAL = "[一二两三四五六七八九十]"


class Unclear(Exception):
    """The text fits a phrasing but does not say everything the method needs (or says it two ways)."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def number(text: str) -> Decimal:
    """'0.5' -> 0.5, '一' -> 1."""
    if text in NUMERALS:
        return Decimal(NUMERALS[text])
    try:
        return Decimal(text)
    except InvalidOperation:
        raise Unclear(f"'{text}' is not a number") from None


def plain(d: Decimal) -> str:
    """A Decimal as written, without exponent or trailing zeros: 0.50 -> '0.5'."""
    text = f"{d.normalize():f}"
    return text


def _value(text: str) -> str:
    """'1个百分点' -> '1%', '一个百分点' -> '1%', '3' -> '3', '5人' -> '5人'."""
    m = re.fullmatch(rf"({_NUMBER}|{_NUMERAL})(.*)", text)
    if not m:
        raise Unclear(f"'{text}' is not a number")
    unit = m.group(2)
    if unit == "个百分点":
        unit = "%"
    elif unit == "个":
        unit = ""
    return plain(number(m.group(1))) + unit


def _share(text: str) -> str:
    return text


def _points(text: str) -> Decimal:
    return number(text)


def _int(text: str) -> int:
    return int(number(text))


# ---------------------------------------------------------------- intervals as the tables write them

_LOW_MARK = {"≥": True, ">": False, "高于": False, "超过": False, "大于": False, "不低于": True, "不少于": True}
_HIGH_MARK = {"≤": True, "<": False, "低于": False, "不足": False, "小于": False, "不高于": True, "未达到": False,
              "不超过": True, "少于": False}
_END = rf"({_NUMBER})(%|分)?"


def interval(text: str, share: bool = False, top: Decimal | None = None) -> str:
    """An interval as the loader reads it, from a table's words:

    '≥90%' -> '[90%, )', '80%(含)-90%' -> '[80%, 90%)', '低于60%' -> '(, 60%)',
    '10%-20%(含)' -> '(10%, 20%]', '90%(含)以上' -> '[90%, )', '60%(含)以下' -> '(, 60%]'.
    An end whose inclusivity the text leaves open ('80%-90%', '90%以上') is `Unclear`.
    """
    t = text.replace("至", "-").replace("~", "-").replace("到", "-").replace("分", "")  # 90分 as 90
    t = t.replace("(含)", "含").replace("(不含)", "不含")
    for mark, inclusive in _LOW_MARK.items():
        m = re.fullmatch(rf"{mark}{_END}", t)
        if m:
            return _ends(m.group(1), m.group(2), inclusive, None, None, False)
    for mark, inclusive in _HIGH_MARK.items():
        m = re.fullmatch(rf"{mark}{_END}", t)
        if m:
            return _ends(None, None, False, m.group(1), m.group(2), inclusive)
    m = re.fullmatch(rf"{_END}(含|不含)?(以上|及以上|以下|及以下)", t)
    if m:
        mark, side = m.group(3), m.group(4)
        if mark is None and not side.startswith("及"):
            raise Unclear(f"'{text}': whether {m.group(1)}{m.group(2) or ''} itself is included is not stated "
                          "(write （含） or ≥ / <)")
        inclusive = mark != "不含"
        if side.endswith("以上"):
            return _ends(m.group(1), m.group(2), inclusive, None, None, False)
        return _ends(None, None, False, m.group(1), m.group(2), inclusive)
    m = re.fullmatch(rf"{_END}(含|不含)?-{_END}(含|不含)?", t)
    if m:
        low, low_unit, low_mark, high, high_unit, high_mark = m.groups()
        unit = high_unit or low_unit
        if Decimal(low) > Decimal(high):  # 100%-80%(含): the national table writes the high end first
            low, high, low_mark, high_mark = high, low, high_mark, low_mark
        if low_mark is None and high_mark is None and Decimal(low) != 0:
            raise Unclear(f"'{text}': which end of {low}-{high}{unit or ''} is included is not stated (write （含）)")
        # one end marked （含）: the other is not included, except a low end of 0 ('0-10%(含)': from 0)
        # and, for a share of the weight, a high end of 100% (no share lies above it)
        low_in = low_mark == "含" or (low_mark is None and Decimal(low) == 0)
        high_in = high_mark == "含" or (share and high_mark is None and Decimal(high) == 100 and unit == "%") or \
            (top is not None and high_mark is None and Decimal(high) == top)  # a grade band up to the total
        return _ends(low, unit, low_in, high, unit, high_in)
    raise Unclear(f"'{text}' is not a range this reader knows (≥90%, 80%(含)-90%, 低于60%)")


def _ends(low: str | None, low_unit: str | None, low_in: bool, high: str | None, high_unit: str | None,
          high_in: bool) -> str:
    def shown(n: str | None, unit: str | None) -> str:
        if n is None:
            return ""
        return plain(Decimal(n)) + ("%" if unit == "%" else "")

    unit = low_unit or high_unit
    lo, hi = shown(low, unit), shown(high, unit)
    return ("[" if low_in and low is not None else "(") + f"{lo}, {hi}" + ("]" if high_in and high is not None else ")")


def _range(text: str) -> str:
    return interval(text)


def _share_range(text: str) -> str:
    return interval(text, share=True)


def _deduct(text: str) -> Mapping[str, Any]:
    """'权重分的1%' or '1%' -> {deduct: '1%'}; '0.5分' -> {deduct_points: 0.5}."""
    if text.endswith("分") and re.fullmatch(_NUMBER + "分", text):
        return {"deduct_points": number(text[:-1])}
    return {"deduct": re.split("的", text)[-1]}


def _steps(text: str) -> str:
    return "floor" if "不扣" in text else "ceil"


# ---------------------------------------------------------------- slots and templates

@dataclass(frozen=True)
class Slot:
    regex: str
    convert: Callable[[str], Any]


_N = r"\d+(?:\.\d+)?(?:%|分)?"
_MARKED = r"(?:\(不?含\))?"
# what an interval is written as: ≥90%, 低于60%, 90%(含)以上, 80%(含)-90%, 100%-80%(含)
RANGE = (rf"(?:(?:≥|>|≤|<|高于|超过|大于|不低于|不少于|低于|不足|小于|不高于|未达到|不超过|少于){_N}"
          rf"|{_N}{_MARKED}分?及?(?:以上|以下)|{_N}{_MARKED}分?(?:-|~|至|到){_N}{_MARKED}分?)")

SLOTS: dict[str, Slot] = {
    # a number with its unit as written: 100%, 1个百分点 (-> 1%), 3, 一 (-> 1), 5人
    "num": Slot(rf"(?:{_NUMBER}|{_NUMERAL})(?:%|个百分点|个|[\u4e00-\u9fff]{{0,2}}?)", _value),
    "pts": Slot(_NUMBER, _points),  # points: 0.5
    "share": Slot(rf"{_NUMBER}%|\d+/\d+", _share),  # a share of the weight: 1%, 33.33%, 1/3
    "int": Slot(rf"\d+|{_NUMERAL}", _int),
    "term": Slot(r"[\u4e00-\u9fffA-Za-z]{1,16}?", str),  # a column's name in the scheme's words: 业绩值
    "name": Slot(r"[^\d;:%≥≤<>①-⑳]+?", str),  # a level's name: words without numbers
    "range": Slot(RANGE, _range),  # an interval: ≥90%, 80%(含)-90%, 低于60%
    "shares": Slot(RANGE, _share_range),  # an interval of shares: 80%(含)至100%(含)
    # what a step costs: 权重分的1% or 1% (a share of the weight), 0.5分 (points)
    "deduct": Slot(rf"(?:[\u4e00-\u9fff]{{0,6}}?的)?(?:{_NUMBER}%|\d+/\d+)|{_NUMBER}分", _deduct),
    "steps": Slot(r"\(不足一个步长的(?:部分不扣|按一个步长扣)\)", _steps),
    "circled": Slot("[①-⑳]", str),  # ① … ⑳: a numbered element
    # what a band table is about, before its first range: 满意度 (no word an interval is written with)
    "subject": Slot(r"[^\W\d_≥≤<>含不至到以上下及低高于超过大小足未达少]+", str),
    "clause": Slot(r"[^;,:。]+?", str),  # words up to the next comma: 制定实施方案的
    "text": Slot(r".+?", str),
    "expr": Slot(r".+", str),
}

_TOKEN = re.compile(r"\{([a-z_0-9]*):([a-z]+)\}|\{([^{}:]*\|[^{}:]*)\}|\[|\]")


def normal(text: str) -> str:
    """A rule text as matched: NFKC (full-width to half-width), no spaces, one dash, no end stop."""
    # NFKC, except that ① stays ① (NFKC makes it 1: a numbered element would read as a number)
    s = "".join(c if "①" <= c <= "⑳" else unicodedata.normalize("NFKC", c) for c in str(text))
    s = re.sub(r"\s+", "", s)
    s = s.replace("−", "-").replace("—", "-").replace("–", "-").replace("－", "-")
    s = s.replace("“", "").replace("”", "").replace("‘", "").replace("’", "")
    return s.rstrip("。.;,")


@lru_cache(maxsize=None)
def compile_template(template: str) -> re.Pattern[str]:
    """A template as a regular expression with one named group per named slot."""
    out: list[str] = []
    pos = 0
    text = normal(template)
    for m in _TOKEN.finditer(text):
        out.append(re.escape(text[pos:m.start()]))
        pos = m.end()
        token = m.group(0)
        if token == "[":
            out.append("(?:")
        elif token == "]":
            out.append(")?")
        elif m.group(3) is not None:
            out.append("(?:" + "|".join(re.escape(w) for w in m.group(3).split("|")) + ")")
        else:
            name, kind = m.group(1), m.group(2)
            regex = SLOTS[kind].regex
            out.append(f"(?P<{name}__{kind}>{regex})" if name else f"(?:{regex})")
    out.append(re.escape(text[pos:]))
    return re.compile("".join(out))


def match(template: str, text: str) -> dict[str, Any] | None:
    """The slots of `template` in `text` (normalised), converted; None when it does not fit.
    A slot's converter may raise `Unclear` (an interval without its inclusivity)."""
    m = compile_template(template).fullmatch(normal(text))
    if m is None:
        return None
    out: dict[str, Any] = {}
    for key, value in m.groupdict().items():
        if value is None:
            continue
        name, kind = key.split("__")
        out[name] = SLOTS[kind].convert(value)
    return out


def clauses(text: str, separators: str = ";") -> list[str]:
    """A text's clauses: '≥90%计5分；80%(含)-90%计4分' -> ['≥90%计5分', '80%(含)-90%计4分']."""
    return [c for c in re.split(f"[{re.escape(separators)}]", normal(text)) if c]


def each_clause(parts: list[str], patterns: tuple[tuple[str, Any], ...]) -> list[tuple[Any, dict[str, Any]]] | None:
    """Each clause matched by the first of `patterns` that fits it: (the pattern's tag, its slots).
    None when a clause fits none; `Unclear` (the first clause's doubt) only when every clause fits
    a pattern, so that a text of another form is never blamed on this one."""
    out: list[tuple[Any, dict[str, Any]]] = []
    doubt: Unclear | None = None
    for clause in parts:
        hit: tuple[Any, dict[str, Any]] | None = None
        for pattern, tag in patterns:
            try:
                got = match(pattern, clause)
            except Unclear as exc:
                doubt = doubt or exc
                hit = (tag, {})
                break
            if got is not None:
                hit = (tag, got)
                break
        if hit is None:
            return None
        out.append(hit)
    if doubt is not None:
        raise doubt
    return out


# ---------------------------------------------------------------- what a kind declares

@dataclass(frozen=True)
class Given:
    """What a phrasing may read besides the text: the row's weight and the elements the table lists."""

    weight: Decimal | None = None
    elements: tuple[str, ...] = ()


@dataclass(frozen=True)
class Drafted:
    """A method read from a text, and the elements the indicator must list for it (要素计分)."""

    method: Mapping[str, Any]
    elements: tuple[Any, ...] | None = None


Build = Callable[[dict[str, Any], Given], Union[Mapping[str, Any], Drafted, None]]


@dataclass(frozen=True)
class Example:
    """A text and what the phrasing makes of it: the method, or (`unclear`) a word of the reason."""

    text: str
    method: Mapping[str, Any] | None = None
    unclear: str = ""
    weight: Decimal | None = None
    elements: tuple[str, ...] = ()


@dataclass(frozen=True)
class Phrasing:
    """One sentence a kind's rule is written in: a template and the method it means.

    `method` is a mapping whose string values may name slots ('{full}'), or a function of the
    slots and the `Given` (which may raise `Unclear`). `examples` are checked by
    tests/test_draft.py: each text must read as its method (or stay unclear, for the reason given).
    """

    pattern: str
    method: Mapping[str, Any] | Build
    examples: tuple[Example, ...] = field(default=())

    def read(self, text: str, given: Given) -> Drafted | None:
        """The method this phrasing reads in `text`, None if it does not fit; `Unclear` if it fits
        but leaves something open."""
        slots = match(self.pattern, text)
        if slots is None:
            return None
        if callable(self.method):
            got = self.method(slots, given)
            return got if got is None or isinstance(got, Drafted) else Drafted(got)
        return Drafted(fill(self.method, slots))


def fill(template: Any, slots: Mapping[str, Any]) -> Any:
    """A method template with '{slot}' strings replaced by the slots' values."""
    if isinstance(template, str):
        m = re.fullmatch(r"\{([a-z_0-9]+)\}", template)
        return slots[m.group(1)] if m else template
    if isinstance(template, Mapping):
        # a key whose value is a slot the text left out (an optional part) is left out too
        return {k: fill(v, slots) for k, v in template.items() if not _absent(v, slots)}
    if isinstance(template, (list, tuple)):
        return [fill(v, slots) for v in template]
    return template


def _absent(value: Any, slots: Mapping[str, Any]) -> bool:
    m = re.fullmatch(r"\{([a-z_0-9]+)\}", value) if isinstance(value, str) else None
    return bool(m) and m.group(1) not in slots  # type: ignore[union-attr]


def share_of(points: Decimal, weight: Decimal | None, what: str) -> str:
    """Points as a share of the weight, exactly: 1 of 3 -> '1/3', 1 of 4 -> '25%'."""
    if weight is None or weight <= 0:
        raise Unclear(f"{what} is given in points ({plain(points)}分) and the row has no weight to make it a share")
    share = points / weight
    if (share * 10000) == (share * 10000).to_integral_value():
        return plain(share * 100) + "%"
    return f"{plain(points)}/{plain(weight)}"


def same_weight(points: Decimal, given: Given, what: str) -> None:
    """A text that names the full marks ('≤100%计5分') must name the row's weight."""
    if given.weight is not None and points != given.weight:
        raise Unclear(f"{what} gives {plain(points)}分 but the row's weight is {plain(given.weight)}: which is it?")


# ---------------------------------------------------------------- reading a text with every kind

@dataclass(frozen=True)
class Reading:
    """What `read` made of a text: a method (`drafted`), or why not (`missing`)."""

    drafted: Drafted | None
    missing: str = ""
    kinds: tuple[str, ...] = ()


def read(text: str, given: Given, kinds: Mapping[str, Any], in_part: bool = True) -> Reading:
    """Every kind's phrasings against `text`: one method, or a placeholder's reason (which, with
    `in_part`, says what the leading clauses mean when the whole text is not read)."""
    if not normal(text):
        return Reading(None, "no 评分标准 text")
    if len(normal(text)) > MAX_TEXT:  # no 评分标准 is this long; the templates' lazy slots need not meet one
        return Reading(None, f"the text has {len(normal(text)):,} characters, more than a rule text this reader "
                             f"reads ({MAX_TEXT:,})")
    found: list[tuple[str, Drafted]] = []
    unclear: list[tuple[str, str]] = []
    for name, kind in kinds.items():
        for phrasing in getattr(kind, "phrasings", ()):
            try:
                got = phrasing.read(text, given)
            except Unclear as exc:
                unclear.append((name, exc.reason))
                continue
            if got is not None:
                found.append((name, got))
                break
    distinct = {repr(sorted(d.method.items())): (n, d) for n, d in found}
    if len(distinct) == 1 and not unclear:
        name, drafted = next(iter(distinct.values()))
        return Reading(drafted, kinds=(name,))
    if len(distinct) > 1 or (distinct and unclear):
        readings = [f"{n}: {dict(d.method)}" for n, d in distinct.values()] + [f"{n}: {why}" for n, why in unclear]
        return Reading(None, "the text reads two ways, " + "; or ".join(readings), tuple(n for n, _ in found))
    if unclear:
        name, why = unclear[0]
        return Reading(None, f"read as `{name}`, but {why}", (name,))
    said = _in_part(text, given, kinds) if in_part else None
    return Reading(None, said or "no phrasing of any method kind fits this text")


def _in_part(text: str, given: Given, kinds: Mapping[str, Any]) -> str | None:
    """What a text understood only in part says and what it does not: the longest leading
    clauses one kind reads ('业绩值为100%得满分，…扣完为止' of '…扣完为止；另酌情扣分')."""
    t = normal(text)
    cuts = [m.start() for m in re.finditer(r"[;,。]", t)][-PREFIXES:]
    for cut in reversed(cuts):
        head, rest = t[:cut], t[cut:].lstrip(";,。")
        got = read(head, given, kinds, in_part=False)
        if got.drafted is not None:
            return f"reads '{head}' as `{got.kinds[0]}` but not the rest, '{rest}'"
    return None
