"""Kinds that compare numbers: target comparison (正向/反向/等于/区间), the execution rate,
linear deduction per step, step bands and per-occurrence deduction."""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import Any, Mapping

from ..decimals import ONE, ZERO, fmt, money, pct
from ..result import Finding
from ..values import Number, Span, simple, units_compatible
from .common import Measure, measure, number_of, percent_reading, show, shortfall_words
from .registry import Context, Inputs, Outcome, Scored, Unscored, method


def _choice(raw: Mapping[str, Any], key: str, default: str) -> str:
    return str(raw.get(key, default))


# ---------------------------------------------------------------- target comparison


@dataclass(frozen=True)
class Shortfall:
    shortfall: str  # proportional | zero
    explain_above: Decimal | None = None  # 超额完成: above this share of the target, a reason is due


def _shortfall(raw: Mapping[str, Any], c: Context) -> Shortfall:
    over = c.share(raw["explain_above"], "explain_above") if "explain_above" in raw else None
    if over is not None and over <= 1:
        c.fail("must be above 100%: it is how far over the target an actual may go unexplained", "explain_above")
    return Shortfall(_choice(raw, "shortfall", "proportional"), over)


def _over_completion(m: Measure, x: Inputs, p: Shortfall) -> tuple[Finding, ...]:
    """A finding when the actual exceeds the target by more than the scheme lets pass unexplained."""
    if p.explain_above is None or m.target <= 0 or x.deviation_reason:
        return ()
    ratio = m.actual / m.target
    if ratio <= p.explain_above:
        return ()
    return (Finding("warning", "over_completion_unexplained",
                    f"{x.terms.actual}{m.actual_text}是{x.terms.target}{m.target_text}的{fmt(ratio * 100, 2)}%，"
                    f"超过{pct(p.explain_above)}而没有偏差原因分析：年初指标值是否设定偏低？"),)


def _met(m: Measure, x: Inputs) -> Scored:
    return Scored(share=ONE, because=f"{x.terms.actual}{m.actual_text}，{x.terms.target}{m.target_text}，已达成",
                  expr="100%", met=True, findings=m.findings)


def _proportional(m: Measure, x: Inputs, p: Shortfall) -> Scored:
    A, T = x.terms.actual, x.terms.target
    if p.shortfall == "zero" or m.target == 0:
        return Scored(share=ZERO, because=f"{A}{m.actual_text}，未达到{T}{m.target_text}，不得分",
                      expr="0", met=False, findings=m.findings)
    share = x.rate(m.actual / m.target)
    return Scored(
        share=share,
        because=f"{A}{m.actual_text}，未达到{T}{m.target_text}，按完成比例计分（{show(m.actual, m.unit)} ÷ {show(m.target, m.unit)} = {pct(share)}）",
        expr=pct(share), met=False, findings=m.findings,
    )


@method("higher_is_better", _shortfall)
def higher_is_better(p: Shortfall, x: Inputs) -> Outcome:
    """正向指标: actual ≥ target earns the full weight; otherwise actual ÷ target of it (or nothing)."""
    m = measure(x)
    if not isinstance(m, Measure):
        return m
    if m.actual >= m.target and not (m.op == ">" and m.actual == m.target and p.shortfall == "zero"):
        met = _met(m, x)
        return replace(met, findings=met.findings + _over_completion(m, x, p))
    return _proportional(m, x, p)


@dataclass(frozen=True)
class Lower:
    reading: str  # deviation | ratio


@method("lower_is_better", lambda raw, c: Lower(_choice(raw, "reading", "deviation")))
def lower_is_better(p: Lower, x: Inputs) -> Outcome:
    """反向指标: actual ≤ target earns the full weight; above it, by the scheme's reading.

    `deviation` (the national table's): (1 − (actual − target) ÷ target), nothing from
    twice the target up. `ratio`: target ÷ actual. A target of 0 is met only by 0.
    """
    m = measure(x)
    if not isinstance(m, Measure):
        return m
    A, T = x.terms.actual, x.terms.target
    if m.actual <= m.target:
        return _met(m, x)
    if m.target == 0:
        return Scored(share=ZERO, because=f"{A}{m.actual_text}，{T}为0而实际大于0，不得分", expr="0",
                      met=False, findings=m.findings)
    if p.reading == "ratio":
        share = x.rate(m.target / m.actual)
        return Scored(share=share, met=False, findings=m.findings, expr=pct(share),
                      because=f"{A}{m.actual_text}，高于{T}{m.target_text}（反向指标），按{show(m.target, m.unit)} ÷ {show(m.actual, m.unit)} = {pct(share)}计分")
    over = x.rate((m.actual - m.target) / m.target)
    if over >= ONE:
        return Scored(share=ZERO, met=False, findings=m.findings, expr="0",
                      because=f"{A}{m.actual_text}，达到{T}{m.target_text}的2倍及以上（反向指标），不得分")
    return Scored(share=ONE - over, met=False, findings=m.findings, expr=f"(1 − {pct(over)})",
                  because=f"{A}{m.actual_text}，高于{T}{m.target_text}（反向指标），超出{fmt(m.actual - m.target)}{shortfall_words(m.unit)}，偏离{pct(over)}")


@method("equality", _shortfall)
def equality(p: Shortfall, x: Inputs) -> Outcome:
    """等于型指标: scored as higher-is-better, except that a target of 0 is met only by 0 or less."""
    m = measure(x)
    if not isinstance(m, Measure):
        return m
    if m.target == 0:
        if m.actual <= 0:
            return _met(m, x)
        return Scored(share=ZERO, because=f"{x.terms.actual}{m.actual_text}，{x.terms.target}为0而实际不为0，不得分",
                      expr="0", met=False, findings=m.findings)
    if m.actual >= m.target:
        return _met(m, x)
    return _proportional(m, x, p)


@method("range")
def within_range(p: Any, x: Inputs) -> Outcome:
    """区间目标 (90%-95%): inside earns the full weight; below, actual ÷ low; above, less the deviation."""
    t = simple(x.target)
    if not isinstance(t, Span):
        return Unscored("target_not_range", f"{x.terms.target}「{t}」不是区间")
    got = number_of(x, x.actual, f"{x.terms.target}{t}")
    if not isinstance(got, tuple):
        return got
    a, findings = got
    read = percent_reading(x, a, t.high.unit, f"{x.terms.target}{t}")
    if isinstance(read, Unscored):
        return read
    a, findings = read[0], findings + read[1]
    A = x.terms.actual
    if t.low.value > t.high.value:  # 95-90%: which end was meant is anyone's guess
        return Unscored("target_range_reversed", f"{x.terms.target}「{t}」的下限高于上限，区间为空，无法计分")
    if t.low.value <= a.value <= t.high.value:
        return Scored(share=ONE, because=f"{A}{a}，在{x.terms.target}{t}之内", expr="100%", met=True, findings=findings)
    if a.value < t.low.value:
        share = x.rate(a.value / t.low.value) if t.low.value else ZERO
        return Scored(share=share, expr=pct(share), met=False, findings=findings,
                      because=f"{A}{a}，低于区间下限{t.low}，按{fmt(a.value)} ÷ {fmt(t.low.value)} = {pct(share)}计分")
    if t.high.value == 0:  # 0-0%: a deviation above 0 has no relative size; as a target of 0 (≤0) is scored
        return Scored(share=ZERO, expr="0", met=False, findings=findings,
                      because=f"{A}{a}，{x.terms.target}{t}的上限为0而实际不为0，不得分")
    over = x.rate((a.value - t.high.value) / t.high.value)
    share = max(ZERO, ONE - over)
    return Scored(share=share, expr=f"(1 − {pct(over)})" if share else "0", met=False, findings=findings,
                  because=f"{A}{a}，高于区间上限{t.high}，偏离{pct(over)}")


# ---------------------------------------------------------------- execution rate


@dataclass(frozen=True)
class Execution:
    basis: str  # budget | adjusted_budget
    cap: bool


@method("execution_rate", lambda raw, c: Execution(_choice(raw, "basis", "budget"), bool(raw.get("cap", True))),
        reads_funds=True)
def execution_rate(p: Execution, x: Inputs) -> Outcome:
    """预算执行率: weight × 全年执行数 ÷ 全年预算数, no more than the weight."""
    f = x.funds
    basis_name = "调整后预算数" if p.basis == "adjusted_budget" else "全年预算数"
    budget = None if f is None else (f.adjusted_budget if p.basis == "adjusted_budget" else f.budget)
    if f is None or budget is None or f.executed is None:
        return Unscored("missing_funds", f"资金情况缺少{basis_name}或全年执行数，无法计算执行率")
    if budget <= 0:
        return Unscored("funds_budget_zero", f"{basis_name}为{money(budget)}，无法计算执行率")
    rate = x.rate(f.executed / budget)
    because = f"执行率 = 全年执行数{money(f.executed)} ÷ {basis_name}{money(budget)} = {pct(rate)}"
    if p.cap and rate > ONE:
        return Scored(share=ONE, because=because + "，超过100%按100%计", expr="100%", met=True)
    return Scored(share=rate, because=because, expr=pct(rate), met=rate >= ONE)


# ---------------------------------------------------------------- linear deduction per step


@dataclass(frozen=True)
class Deduction:
    step: Number
    deduct: Decimal | None  # share of the weight per step
    deduct_text: str
    points: Decimal | None  # or points per step


@dataclass(frozen=True)
class Linear:
    full_at: Number
    below: Deduction | None
    above: Deduction | None
    measure: str  # actual | elements
    steps: str  # exact | floor | ceil


def _deduction(raw: Mapping[str, Any] | None, side: str, c: Context) -> Deduction | None:
    if raw is None:
        return None
    step = c.value(raw["step"], side, "step")
    if not isinstance(step, Number) or step.value <= 0:
        c.fail("must be a number greater than 0", side, "step")
    if "deduct" in raw:
        share = c.share(raw["deduct"], side, "deduct")
        text = str(raw["deduct"])
        return Deduction(step, share, text if ("%" in text or "/" in text) else pct(share), None)
    return Deduction(step, None, "", Decimal(raw["deduct_points"]))


def _linear(raw: Mapping[str, Any], c: Context) -> Linear:
    full_at = c.value(raw["full_at"], "full_at")
    if not isinstance(full_at, Number):
        c.fail("must be a number such as 100% or 3", "full_at")
    below = _deduction(raw.get("below"), "below", c)
    above = _deduction(raw.get("above"), "above", c)
    if below is None and above is None:
        c.fail("needs 'below' (deduct per step under full_at) or 'above' (per step over it)")
    return Linear(full_at, below, above, _choice(raw, "measure", "actual"), _choice(raw, "steps", "exact"))


def _count_steps(gap: Decimal, step: Decimal, how: str) -> Decimal:
    steps = gap / step
    if how == "floor":
        return Decimal(math.floor(steps))
    if how == "ceil":
        return Decimal(math.ceil(steps))
    return steps


def measured_value(x: Inputs, source: str, what: str) -> tuple[Number, tuple] | Outcome:
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


@method("linear_deduction", _linear)
def linear_deduction(p: Linear, x: Inputs) -> Outcome:
    """每降低（超过）一个步长扣权重分的一定比例或若干分，扣完为止."""
    got = measured_value(x, p.measure, str(p.full_at))
    if not isinstance(got, tuple):
        return got
    a, findings = got
    if p.measure == "actual":
        read = percent_reading(x, a, p.full_at.unit, f"满分标准{p.full_at}")
        if isinstance(read, Unscored):
            return read
        a, findings = read[0], findings + read[1]
    A = x.terms.actual
    if units_compatible(p.full_at.unit, a.unit) == "no":
        return Unscored("unit_mismatch", f"{A}{a}与{p.full_at}的单位不同（{a.unit}/{p.full_at.unit}），无法比较")
    v, full = a.value, p.full_at.value
    if p.below and v < full:
        gap, side, d = full - v, "低于", p.below
    elif p.above and v > full:
        gap, side, d = v - full, "高于", p.above
    else:
        return Scored(share=ONE, because=f"{A}{a}，{x.terms.target}{p.full_at}得满分", expr="100%", met=True,
                      findings=findings)
    steps = _count_steps(gap, d.step.value, p.steps)
    words = f"{A}{a}，{side}{p.full_at}共{fmt(gap)}{shortfall_words(p.full_at.unit or a.unit)}"
    if d.points is not None:
        lost = steps * d.points
        points = max(ZERO, x.weight - lost)
        because = f"{words}，每{d.step}扣{fmt(d.points)}分" + ("，扣完为止" if points == 0 else "")
        return Scored(points=points, because=because, met=False, findings=findings,
                      expr=f"{fmt(x.weight)} − {fmt(steps)} × {fmt(d.points)}" if points else "0")
    assert d.deduct is not None
    lost = steps * d.deduct
    if lost.quantize(Decimal("1e-20")) >= ONE:  # 3 × 1/3 is all of it, though 1/3 is not exact
        lost = ONE
    share = max(ZERO, ONE - lost)
    because = f"{words}，每{d.step}扣{x.terms.weight_points}的{d.deduct_text}"
    if share == 0:
        return Scored(share=ZERO, because=because + "，扣完为止", expr="0", met=False, findings=findings)
    shown = d.deduct_text if steps == 1 else pct(lost)
    return Scored(share=share, because=because, expr=f"(1 − {shown})", met=False, findings=findings)


# ---------------------------------------------------------------- step bands


@dataclass(frozen=True)
class StepBand:
    interval: Any  # model.Interval
    share: Decimal | None
    points: Decimal | None


@dataclass(frozen=True)
class Bands:
    measure: str
    bands: tuple[StepBand, ...]


def _bands(raw: Mapping[str, Any], c: Context) -> Bands:
    out = []
    for i, b in enumerate(raw["bands"]):
        interval = c.interval(b["range"], "bands", i, "range")
        share = c.share(b["share"], "bands", i, "share") if "share" in b else None
        points = Decimal(b["points"]) if "points" in b else None
        out.append(StepBand(interval, share, points))
    for i, a in enumerate(out):
        for j in range(i):
            if _overlap(a.interval, out[j].interval):
                c.fail(f"overlaps band {j} ({out[j].interval}): a value would get two scores", "bands", i, "range")
    return Bands(_choice(raw, "measure", "actual"), tuple(out))


def _overlap(a: Any, b: Any) -> bool:
    lo_a, hi_a = a.low if a.low is not None else Decimal("-Infinity"), a.high if a.high is not None else Decimal("Infinity")
    lo_b, hi_b = b.low if b.low is not None else Decimal("-Infinity"), b.high if b.high is not None else Decimal("Infinity")
    if hi_a < lo_b or hi_b < lo_a:
        return False
    if hi_a == lo_b:
        return a.high_inclusive and b.low_inclusive
    if hi_b == lo_a:
        return b.high_inclusive and a.low_inclusive
    return True


@method("bands", _bands, as_written=True)
def bands(p: Bands, x: Inputs) -> Outcome:
    """分档计分: the band containing the value gives the points (≥90%计5分；80%(含)-90%计4分…)."""
    got = measured_value(x, p.measure, "分档")
    if not isinstance(got, tuple):
        return got
    a, findings = got
    unit = next((b.interval.unit for b in p.bands if b.interval.unit), "")
    if p.measure == "actual":
        read = percent_reading(x, a, unit, "分档")
        if isinstance(read, Unscored):
            return read
        a, findings = read[0], findings + read[1]
    for band in p.bands:
        unit = band.interval.unit
        if unit and a.unit and unit != a.unit:
            return Unscored("unit_mismatch", f"{x.terms.actual}{a}与分档{band.interval}的单位不同")
        if band.interval.contains(a.value):
            if band.points is not None:
                return Scored(points=band.points, because=f"{x.terms.actual}{a}，在{band.interval}档", expr=f"{fmt(band.points)}",
                              findings=findings)
            return Scored(share=band.share, because=f"{x.terms.actual}{a}，在{band.interval}档", expr=pct(band.share or ZERO),
                          findings=findings)
    return Unscored("no_band", f"{x.terms.actual}{a}不在任何分档内")


# ---------------------------------------------------------------- per-occurrence deduction


@dataclass(frozen=True)
class PerOccurrence:
    points: Decimal | None  # points per occurrence
    share: Decimal | None  # or share of the weight per occurrence
    max_points: Decimal | None
    veto_at: Decimal | None
    measure: str
    counts: str = "次"  # what one occurrence is, after its number: 次, 个专项未按进度完成


def _per_occurrence(raw: Mapping[str, Any], c: Context) -> PerOccurrence:
    if "deduct_points" not in raw and "deduct" not in raw and "veto_at" not in raw:
        c.fail("needs 'deduct_points', 'deduct' or 'veto_at'")
    return PerOccurrence(
        Decimal(raw["deduct_points"]) if "deduct_points" in raw else None,
        c.share(raw["deduct"], "deduct") if "deduct" in raw else None,
        Decimal(raw["max_points"]) if "max_points" in raw else None,
        Decimal(raw["veto_at"]) if "veto_at" in raw else None,
        _choice(raw, "measure", "occurrences"),
        _choice(raw, "counts", "次"),
    )


@method("per_occurrence", _per_occurrence)
def per_occurrence(p: PerOccurrence, x: Inputs) -> Outcome:
    """每出现一次扣若干分，最多扣若干分；或出现即扣完（一票否决）."""
    got = measured_value(x, p.measure, "次数")
    if not isinstance(got, tuple):
        return got
    a, findings = got
    n = a.value
    if n == 0:
        return Scored(share=ONE, because="未发生扣分情形", expr="100%", met=True, findings=findings)
    said = f"发生{fmt(n)}次" if p.counts == "次" else f"出现{fmt(n)}{p.counts}"
    if p.veto_at is not None and n >= p.veto_at:
        return Scored(share=ZERO, because=f"{said}，达到{fmt(p.veto_at)}{p.counts}即扣完", expr="0", met=False,
                      findings=findings)
    per = p.points if p.points is not None else x.weight * (p.share or ZERO)
    lost = n * per
    capped = ""
    if p.max_points is not None and lost > p.max_points:
        lost, capped = p.max_points, f"，最多扣{fmt(p.max_points)}分"
    points = max(ZERO, x.weight - lost)
    each = "每次" if p.counts == "次" else f"每{p.counts[:1]}"
    because = f"{said}，{each}扣{fmt(per)}分{capped}" + ("，扣完为止" if points == 0 else "")
    return Scored(points=points, because=because, met=False, findings=findings,
                  expr=f"{fmt(x.weight)} − {fmt(lost)}" if points else "0")
