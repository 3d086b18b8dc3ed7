"""Each kind's rule stated as the official document would: the 评分标准 sentence.

`perfrules explain` prints these beside each indicator so that an analyst can compare
the ruleset with the published scheme, e.g. linear deduction with full_at 100%, step
1% and deduct 1% reads "业绩值为100%得满分，每降低1%扣权重分的1%，扣完为止".
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any, Callable

from ..decimals import fmt, pct
from .judged import CompoundP, Elements, Levels, Qualitative, element_shares
from .quantitative import Bands, Execution, Linear, Lower, PerOccurrence, Shortfall
from .registry import Wording, describes


def interval_words(iv: Any, show: Callable[[Decimal], str], both_ends: bool = False) -> str:
    """[80, 90) -> '80（含）至90', [90%, ) -> '90%（含）以上', [0, 60%) -> '低于60%'
    (or '0（含）至60%' with `both_ends`)."""
    low = None if iv.low is None else show(iv.low)
    high = None if iv.high is None else show(iv.high)
    if low is None or (iv.low == 0 and iv.low_inclusive and high is not None and not both_ends):
        if high is None:
            return "任意值"
        return f"{high}（含）以下" if iv.high_inclusive else f"低于{high}"
    if high is None:
        return f"{low}（含）以上" if iv.low_inclusive else f"高于{low}"
    return f"{low}{'（含）' if iv.low_inclusive else ''}至{high}{'（含）' if iv.high_inclusive else ''}"


def share_words(written: Any, share: Decimal) -> str:
    """A share as the ruleset wrote it (1/3, 33.33%), else as a percentage (0.3 -> 30%):
    a fraction written 1/3 is stated 1/3, never 33.333333%."""
    if isinstance(written, str) and written.strip():
        return written.strip().replace("％", "%")
    return pct(share)


def _item(raw: Any, key: str, i: int, field: str) -> Any:
    """The written value of `raw[key][i][field]`, if the method wrote one."""
    items = raw.get(key) if isinstance(raw, dict) else None
    if isinstance(items, list) and i < len(items) and isinstance(items[i], dict):
        return items[i].get(field)
    return None


def _unit(iv: Any) -> Callable[[Decimal], str]:
    return lambda d: fmt(d) + iv.unit


@describes("higher_is_better")
def _higher(p: Shortfall, w: Wording) -> str:
    A, T = w.terms.actual, w.terms.target
    text = f"{A}达到{T}的，得满分；未达到的，" + (f"按{A}÷{T}的比例计分" if p.shortfall == "proportional" else "不得分")
    text += "；超额完成不加分"
    if p.explain_above is not None:
        text += f"；{A}超过{T}的{share_words(w.raw.get('explain_above'), p.explain_above)}而无偏差原因分析的，列为发现"
    return text


@describes("lower_is_better")
def _lower(p: Lower, w: Wording) -> str:
    A, T = w.terms.actual, w.terms.target
    if p.reading == "ratio":
        rest = f"按{T}÷{A}的比例计分"
    else:
        rest = f"按（1 −（{A} − {T}）÷ {T}）的比例计分，达到{T}2倍及以上的不得分"
    return f"{A}不高于{T}的，得满分；高于的，{rest}；{T}为0的，{A}为0得满分，否则不得分"


@describes("equality")
def _equality(p: Shortfall, w: Wording) -> str:
    A, T = w.terms.actual, w.terms.target
    short = f"按{A}÷{T}的比例计分" if p.shortfall == "proportional" else "不得分"
    return f"{A}达到{T}的，得满分；未达到的，{short}；{T}为0的，{A}为0得满分，否则不得分"


@describes("range")
def _range(p: Any, w: Wording) -> str:
    A, T = w.terms.actual, w.terms.target
    return f"{A}在{T}区间之内的，得满分；低于下限的，按{A}÷下限计分；高于上限的，按超出上限的比例扣减，扣完为止"


@describes("execution_rate")
def _execution(p: Execution, w: Wording) -> str:
    basis = "调整后预算数" if p.basis == "adjusted_budget" else "全年预算数"
    return f"得分 = {w.terms.weight} × 执行率，执行率 = 全年执行数 ÷ {basis}" + (f"，最高不超过{w.terms.weight}" if p.cap else "")


def _per_step(d: Any, w: Wording) -> str:
    if d.points is not None:
        return f"扣{fmt(d.points)}分"
    return f"扣{w.terms.weight_points}的{d.deduct_text}"


@describes("linear_deduction")
def _linear(p: Linear, w: Wording) -> str:
    A = "具备的要素数" if p.measure == "elements" else ("发生次数" if p.measure == "occurrences" else w.terms.actual)
    parts = [f"{A}为{p.full_at}得满分" if p.below else f"{A}不超过{p.full_at}得满分"]
    if p.below:
        parts.append(f"每降低{p.below.step}{_per_step(p.below, w)}")
    if p.above:
        parts.append(f"每超过{p.above.step}{_per_step(p.above, w)}")
    text = "，".join(parts) + "，扣完为止"
    if p.steps == "floor":
        text += "（不足一个步长的部分不扣）"
    elif p.steps == "ceil":
        text += "（不足一个步长的按一个步长扣）"
    return text


@describes("bands")
def _bands(p: Bands, w: Wording) -> str:
    out = []
    for i, band in enumerate(p.bands):
        gets = f"得{fmt(band.points)}分" if band.points is not None else \
            f"得{w.terms.weight_points}的{share_words(_item(w.raw, 'bands', i, 'share'), band.share or Decimal(0))}"
        out.append(f"{interval_words(band.interval, _unit(band.interval))}{gets}")
    return "；".join(out)


@describes("per_occurrence")
def _per_occurrence(p: PerOccurrence, w: Wording) -> str:
    parts = []
    one = "一次" if p.counts == "次" else f"一{p.counts}"  # 每出现一个专项未按进度完成
    if p.points is not None or p.share is not None:
        each = f"{fmt(p.points)}分" if p.points is not None else \
            f"{w.terms.weight_points}的{share_words(w.raw.get('deduct'), p.share or Decimal(0))}"
        parts.append(f"每出现{one}扣{each}" + (f"，最多扣{fmt(p.max_points)}分" if p.max_points is not None else "") + "，扣完为止")
    if p.veto_at is not None:
        parts.append(f"出现{fmt(p.veto_at)}{p.counts}及以上的，本指标不得分")
    return "；".join(parts)


@describes("pass_fail")
def _pass_fail(p: Any, w: Wording) -> str:
    return "达到要求的，得满分；否则不得分"


@describes("levels")
def _levels(p: Levels, w: Wording) -> str:
    return "；".join(f"{lv.name}，得{fmt(lv.points)}分" if lv.points is not None
                    else f"{lv.name}，得{w.terms.weight_points}的{share_words(_item(w.raw, 'levels', i, 'share'), lv.share or Decimal(0))}"
                    for i, lv in enumerate(p.levels))


@describes("elements")
def _elements(p: Elements, w: Wording) -> str:
    WP = w.terms.weight_points
    specs = w.elements
    shares = element_shares(specs, p.each)
    own = [e for e in specs if e.share is not None]
    each = share_words(w.raw.get("each"), p.each) if p.each is not None else ""
    if p.each is None:
        text = "，".join(f"具备要素{e.number}得{share_words(e.share_text, shares[e.number])}{WP}" for e in specs)
    elif not own:
        text = f"具备1个要素得{each}{WP}"
    else:
        named = "，".join(f"具备要素{e.number}得{share_words(e.share_text, e.share)}{WP}" for e in own if e.share is not None)
        text = f"{named}，其余要素每符合一项得{each}{WP}"
    vetoes = [e.number for e in specs if e.veto]
    if vetoes:
        text += "。如果" + "或".join(f"缺要素{n}" for n in vetoes) + "本指标不得分"
    return text


@describes("qualitative")
def _qualitative(p: Qualitative, w: Wording) -> str:
    bands = "；".join(f"{lv.name}的，得{w.terms.weight}的{interval_words(lv.interval, pct, both_ends=True)}" for lv in p.levels)
    return f"定性指标分档计分：{bands}（评价人在档内确定比例）"


@describes("compound")
def _compound(p: CompoundP, w: Wording) -> str:
    how = {"min": "按完成程度最低的一项计分", "all": "各项均达成的得满分，否则不得分", "mean": "按各项完成程度的平均计分"}[p.combine]
    return f"复合目标各项分别计分，{how}"


@describes("deadline")
def _deadline(p: Any, w: Wording) -> str:
    return f"在{w.terms.target}规定的时限内完成的，得满分；逾期完成或未完成的，不得分"


@describes("formula")
def _formula(p: Any, w: Wording) -> str:
    what = "得分" if p.returns == "points" else f"得分占{w.terms.weight}的比例"
    return f"按公式计分：{what} = {p.expression.text}"
