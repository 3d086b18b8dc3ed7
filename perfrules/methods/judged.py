"""Kinds that score judgements rather than measurements: elements (要素), pass/fail,
categorical levels, qualitative levels with bands, compound targets and deadlines."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Mapping

from ..decimals import ONE, ZERO, fmt, pct
from ..values import OP_SYMBOL, Bound, Compound, Date, Number, Text, key_of, simple
from .common import text_outcome
from .registry import Context, Inputs, Outcome, Scored, Unscored, method

# ---------------------------------------------------------------- elements (要素)


@dataclass(frozen=True)
class Elements:
    each: Decimal | None  # the share of every element that has none of its own


def _elements(raw: Mapping[str, Any], c: Context) -> Elements:
    each = c.share(raw["each"], "each") if "each" in raw else None
    if not c.elements:
        c.fail("the indicator lists no elements: add `elements:` beside `method:`")
    if each is None:
        missing = [e.number for e in c.elements if e.share is None]
        if missing:
            c.fail(f"elements {', '.join(map(str, missing))} have no share: give them `share:` or the method `each:`", "each")
    return Elements(each)


def element_shares(specs: tuple[Any, ...], each: Decimal | None) -> dict[int, Decimal]:
    return {e.number: (e.share if e.share is not None else (each or ZERO)) for e in specs}


@method("elements", _elements)
def elements(p: Elements, x: Inputs) -> Outcome:
    """要素计分: each element present earns its share of the weight; a missing veto element voids it."""
    if x.elements is None:
        return Unscored("missing_elements", "没有给出具备的要素（elements）")
    shares = element_shares(x.element_specs, p.each)
    unknown = sorted(n for n in x.elements if n not in shares)
    if unknown:
        return Unscored("unknown_element", f"本指标没有要素{'、'.join(map(str, unknown))}（共{len(shares)}个要素）")
    present = sorted(x.elements)
    missing_veto = [e.number for e in x.element_specs if e.veto and e.number not in x.elements]
    have = "具备要素" + "、".join(map(str, present)) if present else "不具备任何要素"
    if missing_veto:
        return Scored(share=ZERO, expr="0", met=False,
                      because=f"{have}，缺要素{'、'.join(map(str, missing_veto))}，本指标不得分")
    share = sum((shares[n] for n in present), ZERO)
    parts = " + ".join(pct(shares[n]) for n in present)
    because = have + (f"（{parts}）" if len(present) > 1 else "")
    return Scored(share=share, because=because, expr=pct(share), met=share >= ONE)


# ---------------------------------------------------------------- pass / fail


@method("pass_fail")
def pass_fail(p: Any, x: Inputs) -> Outcome:
    """达到要求得满分，否则不得分 (制定实施方案的得3分，否则不得分)."""
    A = x.terms.actual
    if x.passed is not None:
        ok = x.passed
        why = "评定为达到要求" if ok else "评定为未达到要求"
    else:
        a, t = simple(x.actual), simple(x.target)
        if a is None:
            return Unscored("missing_actual", f"没有{A}，也没有给出 passed")
        if isinstance(a, Text) and isinstance(t, Text) and key_of(a.text) == key_of(t.text):
            ok, why = True, f"{A}「{a}」与{x.terms.target}一致"
        elif isinstance(a, Text):
            found = x.vocabulary.classify(a.text)
            if found is None or found[0] == "partly":
                return Unscored("qualitative_unread", f"{A}「{a}」不能判定是否达到要求，请给出 passed: true/false")
            ok, why = found[0] == "met", f"{A}「{a}」按词表「{found[1]}」判定"
        else:
            return Unscored("actual_not_judged", f"{A}「{a}」不能判定是否达到要求，请给出 passed: true/false")
    return Scored(share=ONE if ok else ZERO, because=why + ("，得满分" if ok else "，不得分"),
                  expr="100%" if ok else "0", met=ok)


# ---------------------------------------------------------------- categorical levels


@dataclass(frozen=True)
class Level:
    name: str
    keys: tuple[str, ...]
    points: Decimal | None
    share: Decimal | None


@dataclass(frozen=True)
class Levels:
    levels: tuple[Level, ...]


def _levels(raw: Mapping[str, Any], c: Context) -> Levels:
    out = []
    for i, lv in enumerate(raw["levels"]):
        names = (lv["name"], *lv.get("aliases", ()))
        out.append(Level(lv["name"], tuple(key_of(n) for n in names),
                         Decimal(lv["points"]) if "points" in lv else None,
                         c.share(lv["share"], "levels", i, "share") if "share" in lv else None))
    return Levels(tuple(out))


def _find_level(levels: tuple[Any, ...], name: str | None) -> Any:
    if name is None:
        return None
    key = key_of(name)
    for lv in levels:
        if key in lv.keys:
            return lv
    return None


@method("levels", _levels)
def levels(p: Levels, x: Inputs) -> Outcome:
    """分类计分: the level the input names gives the points (无结余3分；有结余但不超过上年结转2分…)."""
    names = "、".join(lv.name for lv in p.levels)
    if x.level is None:
        return Unscored("missing_level", f"没有给出所属情形（level），可选：{names}")
    lv = _find_level(p.levels, x.level)
    if lv is None:
        return Unscored("unknown_level", f"情形「{x.level}」不在本指标的情形中（{names}）")
    if lv.points is not None:
        return Scored(points=lv.points, because=f"属于「{lv.name}」", expr=fmt(lv.points))
    return Scored(share=lv.share, because=f"属于「{lv.name}」", expr=pct(lv.share or ZERO))


# ---------------------------------------------------------------- qualitative levels with bands


@dataclass(frozen=True)
class QLevel:
    name: str
    keys: tuple[str, ...]
    interval: Any  # model.Interval over shares (0–1)
    default: Decimal | None
    words: str | None  # met | partly | not_met: the vocabulary class that means this level


@dataclass(frozen=True)
class Qualitative:
    levels: tuple[QLevel, ...]


NATIONAL_LEVELS = [
    {"name": "达成年度指标", "aliases": ["达成", "完成"], "range": "[80%, 100%]", "default": "100%", "words": "met"},
    {"name": "部分达成年度指标并具有一定效果", "aliases": ["部分达成", "部分完成", "基本达成"], "range": "[60%, 80%)", "words": "partly"},
    {"name": "未达成年度指标且效果较差", "aliases": ["未达成", "未完成"], "range": "[0%, 60%)", "words": "not_met"},
]


def _qualitative(raw: Mapping[str, Any], c: Context) -> Qualitative:
    written = raw.get("levels")
    out = []
    for i, lv in enumerate(written if written is not None else NATIONAL_LEVELS):
        where = ("levels", i) if written is not None else ()
        interval = c.interval(lv["range"], *where, "range", share=True)
        default = c.share(lv["default"], *where, "default") if "default" in lv else None
        if default is not None and not interval.contains(default):
            c.fail(f"default {pct(default)} is outside the level's range {interval}", *where, "default")
        names = (lv["name"], *lv.get("aliases", ()))
        out.append(QLevel(lv["name"], tuple(key_of(n) for n in names), interval, default, lv.get("words")))
    return Qualitative(tuple(out))


@method("qualitative", _qualitative)
def qualitative(p: Qualitative, x: Inputs) -> Outcome:
    """定性指标: the level (达成 / 部分达成 / 未达成) bounds the share the evaluator chooses.

    The level comes from the input's `level`, or from the actual: the same words as the
    target, or a vocabulary word. The share comes from the input's `fraction` (checked
    against the level's band), else the level's default, else the unit's reported score
    when it lies in the band.
    """
    A, T = x.terms.actual, x.terms.target
    level, how = None, ""
    if x.level is not None:
        level = _find_level(p.levels, x.level) or _worded_level(p.levels, x.level, x)
        if level is None:
            names = "、".join(lv.name for lv in p.levels)
            return Unscored("unknown_level", f"等级「{x.level}」不是本方案的定性等级（{names}）")
        how = f"评定为「{level.name}」"
    else:
        a, t = simple(x.actual), simple(x.target)
        if a is None:
            return Unscored("missing_actual", f"没有{A}，也没有给出定性等级（level）")
        klass = None
        named = _find_level(p.levels, a.text) if isinstance(a, Text) else None
        if named is not None:
            # the actual names the level itself: 达成年度指标, 部分达成年度指标并具有一定效果
            level, how = named, f"{A}「{_short(a.text)}」，即该定性等级"
        elif isinstance(t, Text) and key_of(str(a)) == key_of(t.text):
            klass, how = "met", f"{A}「{a}」与{T}一致"
        elif isinstance(a, Text):
            found = x.vocabulary.classify(a.text)
            if found is not None:
                klass, how = found[0], f"{A}「{_short(a.text)}」按词表「{found[1]}」"
        elif isinstance(a, Number) and a.unit == "%" and a.value >= 100:
            klass, how = "met", f"{A}{a}（全部完成）"  # 按计划完成 answered with 100%
        if level is None and klass is None:
            return Unscored("qualitative_unread",
                            f"{A}「{_short(str(a))}」不能按本方案词表判定等级，请在输入中给出 level（及 fraction）")
        if level is None:
            level = next((lv for lv in p.levels if lv.words == klass), None)
            if level is None:
                return Unscored("qualitative_unread", f"{how}，但本方案的定性等级没有对应「{klass}」的一档")
            how += f"，评定为「{level.name}」"
    band = level.interval
    if x.fraction is not None:
        if not band.contains(x.fraction):
            return Unscored("fraction_outside_band",
                            f"{how}，所给比例{pct(x.fraction)}不在该档{band}之内")
        return Scored(share=x.fraction, because=f"{how}（{band}），评价人取{pct(x.fraction)}", expr=pct(x.fraction),
                      met=level.words == "met")
    if level.default is not None:
        return Scored(share=level.default, because=f"{how}（{band}），未给出比例，取本档默认{pct(level.default)}",
                      expr=pct(level.default), met=level.words == "met")
    if x.reported_score is not None and x.weight:
        share = x.reported_score / x.weight
        if band.contains(share):
            return Scored(share=share, because=f"{how}（{band}），采用单位自评得分{fmt(x.reported_score)}",
                          expr=f"{fmt(x.reported_score)}/{fmt(x.weight)}", met=level.words == "met")
    return Unscored("fraction_required", f"{how}（{band}），需要评价人在该档内给出比例（fraction）")


def _worded_level(levels: tuple[QLevel, ...], name: str, x: Inputs) -> QLevel | None:
    """A level given in other words the scheme's vocabulary knows: 达成预期指标 is 达成年度指标."""
    found = x.vocabulary.classify(name)
    if found is None or key_of(name) != found[1]:
        return None  # only the whole word: 未能部分达成 must not pass as 部分达成
    return next((lv for lv in levels if lv.words == found[0]), None)


def _short(text: str, limit: int = 24) -> str:
    return text if len(text) <= limit else text[:limit] + "…"


# ---------------------------------------------------------------- compound targets


@dataclass(frozen=True)
class CompoundP:
    combine: str  # min | all | mean


@method("compound", lambda raw, c: CompoundP(str(raw.get("combine", "min"))))
def compound(p: CompoundP, x: Inputs) -> Outcome:
    """复合目标 (企业用人单位数≥180家、人数≥3.5万): each part scored by the scheme's rules, then combined."""
    t, a = x.target, x.actual
    T, A = x.terms.target, x.terms.actual
    if not isinstance(t, Compound):
        return Unscored("target_not_compound", f"{T}「{t}」不是复合目标")
    if a is None:
        return Unscored("missing_actual", f"没有{A}")
    if isinstance(a, Text):
        return text_outcome(x, a, f"{T}各项")
    assert x.score_part is not None
    actual_parts = {key_of(part.label): part.value for part in a.parts} if isinstance(a, Compound) else {}
    shares: list[Decimal] = []
    notes: list[str] = []
    findings: list[Any] = []
    for part in t.parts:
        got = actual_parts.get(key_of(part.label))
        if got is None:
            return Unscored("compound_part_missing", f"{A}「{a}」中没有「{part.label}」一项，无法与{T}「{part.label}{_bare(part.value)}」比较")
        out = x.score_part(part.value, got)
        if isinstance(out, Unscored):
            return Unscored(out.code, f"「{part.label}」：{out.reason}", out.findings)
        findings.extend(out.findings)
        share = out.share if out.share is not None else ZERO
        shares.append(share)
        notes.append(f"{part.label}{_bare(got)}（{_bare(part.value)}，{'达成' if share >= ONE else pct(share)}）")
    if p.combine == "all":
        share = ONE if all(s >= ONE for s in shares) else ZERO
        rule = "各项均达成得满分" if share else "有一项未达成，不得分"
    elif p.combine == "mean":
        share = sum(shares, ZERO) / len(shares)
        rule = "按各项平均"
    else:
        share = min(shares)
        rule = "各项均达成" if share >= ONE else "按最低一项计分"
    return Scored(share=share, because="、".join(notes) + "，" + rule, expr=pct(share), met=share >= ONE,
                  findings=tuple(findings))


def _bare(value: Any) -> str:
    """A part's value without its label: '≥180家' rather than '企业用人单位数≥180家'."""
    if isinstance(value, Bound):
        return OP_SYMBOL[value.op] + str(value.number)
    return str(value)


# ---------------------------------------------------------------- deadlines


def _key(d: Date, depth: int) -> tuple[int, ...]:
    parts = (d.year or 0, d.month or 12, d.day or 31)
    return parts[:depth]


@method("deadline")
def deadline(p: Any, x: Inputs) -> Outcome:
    """时效指标: completed by the deadline (2021年年底完成, 12月底前) earns the full weight, later nothing."""
    t, a = simple(x.target), simple(x.actual)
    T, A = x.terms.target, x.terms.actual
    if not isinstance(t, Date):
        return Unscored("target_not_deadline", f"{T}「{t}」不是完成时限")
    if a is None:
        return Unscored("missing_actual", f"没有{A}")
    if isinstance(a, Text):
        return text_outcome(x, a, f"时限「{t}」")
    if not isinstance(a, Date):
        return Unscored("actual_not_date", f"{A}「{a}」不是完成时间")
    # a deadline without a year (年度内完成, 12月底前) is in the input's year
    td = Date(t.year or x.year or a.year, t.month, t.day)
    ad = Date(a.year or td.year, a.month, a.day)
    # compare at the coarser of the two: 2021年11月 against 2021年12月31日 compares months
    depth = 1 if (td.month is None or ad.month is None) else (2 if (td.day is None or ad.day is None) else 3)
    if _key(ad, depth) <= _key(td, depth):
        return Scored(share=ONE, because=f"{A}「{a}」，在{T}「{t}」之内完成", expr="100%", met=True)
    return Scored(share=ZERO, because=f"{A}「{a}」，晚于{T}「{t}」，不得分", expr="0", met=False)
