"""What several kinds share: reading a number out of a target or an actual, the same way for
every kind, and the steps the target-comparison kinds have in common.

A kind that needs numbers asks `measure(x)`; it gets either a `Measure` or an
`Outcome` that already says what happened (a missing actual, a word where a number is
needed and what the vocabulary made of it, an actual written as a bound, units that do
not compare). The scheme's policies decide the awkward cases, never this module.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Mapping

from ..decimals import ONE, ZERO, fmt, pct
from ..i18n import gettext as _
from ..result import Finding, Severity, later
from ..values import Bound, Compound, Number, Text, Value, key_of, parse, simple, units_compatible
from .base import NAMES, Context, Inputs, Need, Outcome, Says, Scored, Unscored


@dataclass(frozen=True, init=False)
class Measure:
    """A target and an actual as comparable numbers."""

    target: Decimal
    op: str  # '>=', '>', '<=', '<', '=', '~'
    actual: Decimal
    unit: str
    target_text: str
    actual_text: str
    findings: tuple[Finding, ...] = ()

    def __init__(self, target: Decimal, op: str, actual: Decimal, unit: str, target_text: str, actual_text: str,
                 findings: tuple[Finding, ...] = ()) -> None:
        # as Scored: one is made per indicator measured, and setting its dict at once is cheaper
        object.__setattr__(self, "__dict__", {"target": target, "op": op, "actual": actual, "unit": unit,
                                              "target_text": target_text, "actual_text": actual_text,
                                              "findings": findings})


_OPS = {"lower": "<=", "equal": "="}  # a bare number target's comparison by direction (else ">=")


def _info(code: str, message: str, severity: Severity = "info") -> Finding:
    return Finding(severity, code, message)


def text_outcome(x: Inputs, actual: Text, what: str) -> Outcome:
    """A word where a number is needed: the vocabulary decides, or it stays unscored."""
    A = x.terms.actual
    if x.policies.text_actual == "vocabulary":
        found = x.vocabulary.classify(actual.text)
        if found is not None:
            klass, word = found
            note = _info("qualitative_actual", f"{A}「{actual.text}」是文字，按本方案词表「{word}」判定")
            if klass == "met":
                return Scored(share=Decimal(1), because=f"{A}「{actual.text}」，按词表「{word}」视为达成{what}",
                              expr="100%", met=True, findings=(note,))
            if klass == "not_met":
                return Scored(share=ZERO, because=f"{A}「{actual.text}」，按词表「{word}」视为未达成{what}",
                              expr="0", met=False, findings=(note,))
    return Unscored("actual_not_numeric", f"{A}「{actual.text}」不是数值，也不能按本方案词表判定是否达成{what}")


def number_of(x: Inputs, value: Value | None, what: str) -> tuple[Number, tuple[Finding, ...]] | Outcome:
    """The actual as a Number, applying the scheme's policies to words and bounds."""
    A = x.terms.actual
    a = simple(value)
    if a is None:
        return Unscored("missing_actual", f"没有{A}")
    if isinstance(a, Text):
        return text_outcome(x, a, what)
    findings: tuple[Finding, ...] = ()
    if isinstance(a, Bound):
        if x.policies.bound_actual == "bound":
            findings = (_info("actual_is_bound", f"{A}写成界值「{a}」，按本方案以{a.number}计", "warning"),)
            a = a.number
        else:
            return Unscored("actual_is_bound", f"{A}写成界值「{a}」而不是实际数值（本方案 bound_actual: unscored）")
    if not isinstance(a, Number):
        return Unscored("actual_not_numeric", f"{A}「{a}」不是单个数值")
    if a.value < 0 and x.negative_actual == "zero":
        # the national rule, declared by policies.negative_actual; the text says so wherever it is shown
        findings += (_info("negative_actual", f"{A}{a}为负数，按本方案以0计"),)
        a = Number(ZERO, a.unit, f"{a}（按0计）")
    return a, findings


def percent_reading(x: Inputs, a: Number, unit: str, against: str) -> tuple[Number, tuple[Finding, ...]] | Unscored:
    """A bare number ≤ 1 where a percentage is expected (0.95 against ≥90%): 95% or 0.95%?

    The scheme's `policies.bare_fraction` says: `fraction` (95%), `percent` (0.95%), or
    `unscored` (the default): never read one way in silence.
    """
    if unit != "%" or a.unit or not ZERO < a.value <= 1:
        return a, ()
    A = x.terms.actual
    as_fraction, as_percent = fmt(a.value * 100) + "%", fmt(a.value) + "%"
    policy = x.policies.bare_fraction
    if policy == "unscored":
        return Unscored("bare_fraction", f"{A}{a.text or fmt(a.value)}没有写%，而{against}是百分数：是{as_fraction}还是{as_percent}？"
                                         "本方案未声明读法（policies.bare_fraction）")
    value = a.value * 100 if policy == "fraction" else a.value
    shown = as_fraction if policy == "fraction" else as_percent
    note = _info("bare_fraction", f"{A}{a.text or fmt(a.value)}没有写%，而{against}是百分数：按本方案"
                                  f"（bare_fraction: {policy}）读作{shown}", "warning")
    return Number(value, "%", a.text), (note,)


def measure(x: Inputs, what: str | None = None) -> Measure | Outcome:
    """Target and actual as numbers with the comparison the target (or direction) implies."""
    m = plain_measure(x.target, x.actual, x.direction)
    return m if m is not None else _measure(x, what)


def plain_measure(t: Value | None, a: Value | None, direction: str) -> Measure | None:
    """`measure`'s answer in the plain case, as its general steps find it: a number (or a bound on
    one) against a number in the same unit, not below zero, so no policy has anything to decide
    and nothing is found (tests/test_speed.py holds it to the general steps); else None."""
    if type(a) is Number:
        if type(t) is Number:
            tn, op = t, _OPS.get(direction, ">=")
        elif type(t) is Bound:
            tn, op = t.number, t.op
        else:
            return None
        if tn.unit == a.unit and not a.value < 0:
            return Measure(tn.value, op, a.value, a.unit, str(t), str(a))
    return None


def _measure(x: Inputs, what: str | None = None) -> Measure | Outcome:
    """`measure` in every case."""
    T = x.terms.target
    t = simple(x.target)
    if t is None:
        return Unscored("missing_target", f"没有{T}")
    if isinstance(t, Number):
        op = _OPS.get(x.direction, ">=")
        tn = t
    elif isinstance(t, Bound):
        op, tn = t.op, t.number
    else:
        return Unscored("target_not_numeric", f"{T}「{t}」不是数值目标")
    if type(x.target) is Compound:  # (each check below is called only where it can find something)
        label = _label_clash(x)
        if label is not None:
            return label
    against = f"{T}{t}"
    got = number_of(x, x.actual, what or against)
    if not isinstance(got, tuple):
        return got
    a, findings = got
    if tn.unit == "%" and not a.unit:
        read = percent_reading(x, a, tn.unit, against)
        if isinstance(read, Unscored):
            return read
        a, more = read
        findings += more
    actual_text = str(x.actual)
    if type(simple(x.actual)) is Bound:
        actual_text += f"（以界值{a}计）"
    elif findings and any(f.code == "negative_actual" for f in findings):
        actual_text += "（按0计）"  # the value compared is 0: the text must not claim otherwise
    if (tn.unit == "%") != (a.unit == "%"):
        unstated = _percent_unstated(x, tn, a, against)
        if isinstance(unstated, Unscored):
            return unstated
        findings += unstated
    if tn.unit != a.unit and tn.unit and a.unit:
        fit = units_compatible(tn.unit, a.unit)
        if fit == "no":
            return Unscored("unit_mismatch", f"{x.terms.actual}{a}与{T}{t}的单位不同（{a.unit or '无'}/{tn.unit or '无'}），无法比较")
        if fit == "loose":
            findings += (_info("unit_differs", f"单位写法不同（{tn.unit} / {a.unit}），按同一计量单位比较", "warning"),)
    return Measure(tn.value, op, a.value, tn.unit or a.unit, str(x.target), actual_text, findings)


def _percent_unstated(x: Inputs, target: Number, actual: Number, against: str) -> tuple[Finding, ...] | Unscored:
    """One side a percentage, the other a bare number (目标6000 against 完成100%; 目标95 against 97%).

    A bare number above 100 is not read as a percentage: 6000 is a count, and 100% then
    means the share of it done, or not; the indicator is unscored and says both readings.
    Up to 100 it is read as a percentage (95 against 97% is 95%), and a warning says so.
    A bare 0 is 0%. (A bare actual up to 1 against a percentage is `policies.bare_fraction`'s, before this.)
    """
    if (target.unit == "%") == (actual.unit == "%") or (target.unit and actual.unit):
        return ()
    if not (actual.value if target.unit else target.value):
        return ()  # 0 is 0 in any unit
    A, T = x.terms.actual, x.terms.target
    bare_is_target = not target.unit
    bare = target if bare_is_target else actual
    name, other = (T, A) if bare_is_target else (A, T)
    shown_bare, shown_other = bare.text or fmt(bare.value), str(actual if bare_is_target else x.target)
    if abs(bare.value) > 100:
        return Unscored("unit_unstated", f"{name}{shown_bare}没有单位，而{other}{shown_other}是百分数：{shown_bare}大于100，"
                                         f"像是数量而不是百分数，二者无法直接比较")
    return (_info("unit_unstated", f"{name}{shown_bare}没有单位，而{other}{shown_other}是百分数：按{fmt(bare.value)}%比较",
                  "warning"),)


def _label_clash(x: Inputs) -> Unscored | None:
    """全市8区6县市 against 全市10区6县市: the numbers in the labels differ, so the value alone
    (6县市) must not decide. A label without numbers may be worded otherwise."""
    t, a = x.target, x.actual
    if not (isinstance(t, Compound) and isinstance(a, Compound) and len(t.parts) == 1 and len(a.parts) == 1):
        return None
    lt, la = key_of(t.parts[0].label), key_of(a.parts[0].label)
    if lt != la and any(ch.isdigit() for ch in lt + la):
        return Unscored("label_mismatch", f"{x.terms.actual}「{a}」与{x.terms.target}「{t}」所指不同（{la} / {lt}），无法比较")
    return None


def show(value: Decimal, unit: str) -> str:
    """A number with its unit for an explanation: 3 + '%' -> '3%'."""
    return fmt(value) + unit


def shortfall_words(unit: str) -> str:
    """How a gap is counted: percentage points for percentages, else the unit itself."""
    return "个百分点" if unit == "%" else unit


def choice(raw: Mapping[str, Any], key: str, default: str) -> str:
    """A keyword parameter as written, or its default."""
    return str(raw.get(key, default))


# ---------------------------------------------------------------- counting kinds: what they measure

MEASURE_SCHEMA = {"enum": ["actual", "elements", "occurrences"], NAMES: {"实际完成值": "actual", "要素数": "elements", "次数": "occurrences"},
                  "description": "计量什么：实际完成值（actual）、所列要素的个数（elements）或出现次数（occurrences）。",
                  "examples": ["elements", "要素数"]}


def measured_value(x: Inputs, source: str, what: str) -> tuple[Number, tuple[Finding, ...]] | Outcome:
    """The value a counting kind works on: the actual, or how many elements are present."""
    if source == "elements":
        if x.elements is None:
            return Unscored("missing_elements", "没有给出具备的要素（elements）")
        known = {e.number for e in x.element_specs}
        unknown = sorted(n for n in x.elements if known and n not in known)
        if unknown:
            return Unscored("unknown_element", f"本指标没有要素{'、'.join(map(str, unknown))}（共{len(known)}个要素）")
        return Number(Decimal(len(x.elements)), "", str(len(x.elements))), ()
    if source == "occurrences":
        if x.occurrences is None:
            return Unscored("missing_occurrences", "没有给出发生次数（occurrences）")
        return Number(x.occurrences, "", fmt(x.occurrences)), ()
    return number_of(x, x.actual, what)


def measure_need(raw: Mapping[str, Any], default: str, around: Any = None) -> Need:
    """The row a counting kind needs, by its `measure`: elements, occurrences or an actual."""
    source = choice(raw, "measure", default)
    if source in ("elements", "occurrences"):
        return Need(source)  # type: ignore[arg-type]
    return Need("actual", around=parse(around) if around is not None else None)


# ---------------------------------------------------------------- target comparison (正向 / 等于)

SHORTFALL_SCHEMA = {"enum": ["proportional", "zero"], NAMES: {"按比例": "proportional", "不得分": "zero"},
                    "description": "未达到目标时：按实际完成值 ÷ 年度指标值的比例计分（proportional，默认），或不得分（zero）。",
                    "examples": ["proportional", "按比例"]}


@dataclass(frozen=True)
class Shortfall:
    shortfall: str  # proportional | zero
    explain_above: Decimal | None = None  # 超额完成: above this share of the target, a reason is due


def compile_shortfall(raw: Mapping[str, Any], c: Context) -> Shortfall:
    over = c.share(raw["explain_above"], "explain_above") if "explain_above" in raw else None
    if over is not None and over <= 1:
        c.fail(_("must be above 100%: it is how far over the target an actual may go unexplained"), "explain_above")
    return Shortfall(choice(raw, "shortfall", "proportional"), over)


# The reasons below are written when they are read (result.Later), from parts worked out here.

@later
def _met_words(A: str, actual: str, T: str, target: str) -> str:
    return f"{A}{actual}，{T}{target}，已达成"


def met(m: Measure, x: Says) -> Scored:
    """The target reached: the full weight."""
    return Scored(share=ONE, because=(_met_words, x.terms.actual, m.actual_text, x.terms.target, m.target_text),
                  expr="100%", met=True, findings=m.findings)


@later
def _short_words(A: str, actual: str, T: str, target: str) -> str:
    return f"{A}{actual}，未达到{T}{target}，不得分"


@later
def _proportional_words(A: str, actual_text: str, T: str, target_text: str, actual: Decimal, target: Decimal, unit: str,
                        share: Decimal) -> str:
    return (f"{A}{actual_text}，未达到{T}{target_text}，按完成比例计分"
            f"（{show(actual, unit)} ÷ {show(target, unit)} = {pct(share)}）")


PCT = later(pct)  # (PCT, share): the share as a percentage, written when it is read


def proportional(m: Measure, x: Says, p: Shortfall) -> Scored:
    """Short of the target: actual ÷ target of the weight, or nothing (`shortfall: zero`)."""
    if p.shortfall == "zero" or m.target == 0:
        return Scored(share=ZERO, because=(_short_words, x.terms.actual, m.actual_text, x.terms.target, m.target_text),
                      expr="0", met=False, findings=m.findings)
    share = x.rate(m.actual / m.target)
    return Scored(share=share, because=(_proportional_words, x.terms.actual, m.actual_text, x.terms.target, m.target_text,
                                        m.actual, m.target, m.unit, share),
                  expr=(PCT, share), met=False, findings=m.findings)


def numeric_actual(raw: Mapping[str, Any]) -> Need:
    """The row of a kind that compares an actual with the indicator's target."""
    return Need("actual")


# ---------------------------------------------------------------- named levels (分类 / 定性)


def find_level(levels: tuple[Any, ...], name: str | None) -> Any:
    """The level (of `levels` or `qualitative`) whose name or alias is `name`, or None."""
    if name is None:
        return None
    key = key_of(name)
    for lv in levels:
        if key in lv.keys:
            return lv
    return None
