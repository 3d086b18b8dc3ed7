"""The `linear_deduction` kind: 每降低（超过）一个步长扣权重分的一定比例或若干分，扣完为止."""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Mapping

from ..decimals import ONE, ZERO, fmt, pct
from ..i18n import gettext as _
from ..result import Finding, later
from ..values import Number, Value, units_compatible
from .base import NAMES, Context, Direction, Inputs, Kind, Need, Outcome, Says, Scored, Unscored, Wording, described, register
from .common import MEASURE_SCHEMA, Measure, choice, measure_need, measured_value, percent_reading, shortfall_words
from .phrase import Example, Given, Phrasing, Unclear, same_weight

VALUE = {"type": ["string", "number"]}  # a value as written in the tables: 100%, 3, ≥80%, 750人
DEDUCTION = {
    "type": "object", "additionalProperties": False,
    "properties": {"step": described(VALUE, "步长：每差这么多扣一次。", "1%", 1),
                   "deduct": described({"$ref": "#/$defs/share"}, "每一步扣的分值比例。", "1%", "1/3"),
                   "deduct_points": described({"type": "number", "minimum": 0}, "每一步扣的分数（与 deduct 二选一）。", 0.5)},
    "required": ["step"],
    "oneOf": [{"required": ["deduct"]}, {"required": ["deduct_points"]}],
}


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
        c.fail(_("must be a number greater than 0"), side, "step")
    if "deduct" in raw:
        share = c.share(raw["deduct"], side, "deduct")
        text = str(raw["deduct"])
        return Deduction(step, share, text if ("%" in text or "/" in text) else pct(share), None)
    return Deduction(step, None, "", Decimal(raw["deduct_points"]))


def compile(raw: Mapping[str, Any], c: Context) -> Linear:
    full_at = c.value(raw["full_at"], "full_at")
    if not isinstance(full_at, Number):
        c.fail(_("must be a number such as 3 or 100%"), "full_at")
    below = _deduction(raw.get("below"), "below", c)
    above = _deduction(raw.get("above"), "above", c)
    if below is None and above is None:
        c.fail(_("needs 'below' (deduct per step under full_at) or 'above' (per step over it)"))
    return Linear(full_at, below, above, choice(raw, "measure", "actual"), choice(raw, "steps", "exact"))


def _count_steps(gap: Decimal, step: Decimal, how: str) -> Decimal:
    steps = gap / step
    if how == "floor":
        return Decimal(math.floor(steps))
    if how == "ceil":
        return Decimal(math.ceil(steps))
    return steps


_ALL_BUT = Decimal("1e-20")  # a loss this close to the whole weight is all of it


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
    if units_compatible(p.full_at.unit, a.unit) == "no":
        return Unscored("unit_mismatch", f"{x.terms.actual}{a}与{p.full_at}的单位不同（{a.unit}/{p.full_at.unit}），无法比较")
    out = _deducted(p, a.value, a.unit, str(a), x, x.weight, findings)
    assert out is not None  # (the weight given)
    return out


def plain(p: Linear, m: Measure, x: Says) -> Scored | None:
    """`linear_deduction` on a plain measure of the actual (Kind.plain); None for elements or
    occurrences, an actual in another unit than `full_at`'s, or points per step (they need the weight)."""
    if p.measure != "actual" or m.unit != p.full_at.unit:
        return None
    return _deducted(p, m.actual, m.unit, m.actual_text, x, None, ())


def _deducted(p: Linear, v: Decimal, unit: str, actual: str, x: Says, weight: Decimal | None,
              findings: tuple[Finding, ...]) -> Scored | None:
    """The deduction for the value `v` (written `actual`, in `unit`); None for points without the weight."""
    A, full = x.terms.actual, p.full_at.value
    if p.below and v < full:
        gap, side, d = full - v, "低于", p.below
    elif p.above and v > full:
        gap, side, d = v - full, "高于", p.above
    else:
        return Scored(share=ONE, because=(_full_words, A, actual, x.terms.target, str(p.full_at)), expr="100%", met=True,
                      findings=findings)
    steps = _count_steps(gap, d.step.value, p.steps)
    # the gap as the reason says it: 低于100%共3.5个百分点
    gap_words = (A, actual, side, str(p.full_at), gap, shortfall_words(p.full_at.unit or unit), str(d.step))
    if d.points is not None:
        if weight is None:
            return None
        lost = steps * d.points
        points = max(ZERO, weight - lost)
        return Scored(points=points, because=(_points_words, *gap_words, d.points, points == 0),
                      met=False, findings=findings, expr=(_points_expr, weight, steps, d.points) if points else "0")
    assert d.deduct is not None
    lost = steps * d.deduct
    if lost.quantize(_ALL_BUT) >= ONE:  # 3 × 1/3 is all of it, though 1/3 is not exact
        lost = ONE
    share = max(ZERO, ONE - lost)
    per = (x.terms.weight_points, d.deduct_text)
    if share == 0:
        return Scored(share=ZERO, because=(_share_words, *gap_words, *per, True), expr="0", met=False, findings=findings)
    return Scored(share=share, because=(_share_words, *gap_words, *per, False),
                  expr=(_share_expr, d.deduct_text if steps == 1 else None, lost), met=False, findings=findings)


# the reasons, written when they are read (result.Later), from parts worked out above
@later
def _full_words(A: str, actual: str, T: str, full_at: str) -> str:
    return f"{A}{actual}，{T}{full_at}得满分"


def _gap_words(A: str, actual: str, side: str, full_at: str, gap: Decimal, unit_words: str) -> str:
    return f"{A}{actual}，{side}{full_at}共{fmt(gap)}{unit_words}"


@later
def _points_words(A: str, actual: str, side: str, full_at: str, gap: Decimal, unit_words: str, step: str,
                  points: Decimal, all_gone: bool) -> str:
    return (f"{_gap_words(A, actual, side, full_at, gap, unit_words)}，每{step}扣{fmt(points)}分"
            + ("，扣完为止" if all_gone else ""))


@later
def _points_expr(weight: Decimal, steps: Decimal, points: Decimal) -> str:
    return f"{fmt(weight)} − {fmt(steps)} × {fmt(points)}"


@later
def _share_words(A: str, actual: str, side: str, full_at: str, gap: Decimal, unit_words: str, step: str,
                 weight_points: str, deduct_text: str, all_gone: bool) -> str:
    return (f"{_gap_words(A, actual, side, full_at, gap, unit_words)}，每{step}扣{weight_points}的{deduct_text}"
            + ("，扣完为止" if all_gone else ""))


@later
def _share_expr(as_written: str | None, lost: Decimal) -> str:
    return f"(1 − {as_written if as_written is not None else pct(lost)})"


def _per_step(d: Deduction, w: Wording) -> str:
    if d.points is not None:
        return f"扣{fmt(d.points)}分"
    return f"扣{w.terms.weight_points}的{d.deduct_text}"


def describe(p: Linear, w: Wording) -> str:
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


def generate(raw: Mapping[str, Any]) -> Need:
    """By its measure; an actual around `full_at` where the indicator has no target."""
    return measure_need(raw, "actual", raw.get("full_at"))


def thresholds(p: Linear) -> dict[str, set[Decimal]]:
    """Full marks, and one either side."""
    return {p.full_at.unit: {p.full_at.value, p.full_at.value + 1, p.full_at.value - 1}}


def monotone(raw: Mapping[str, Any], target: Value | None, direction: str | None) -> Direction | None:
    """Deducting only below full_at rewards a higher actual; only above, a lower one; both ways, neither."""
    if raw.get("measure", "actual") != "actual":
        return None
    if "below" in raw and "above" not in raw:
        return "up"
    if "above" in raw and "below" not in raw:
        return "down"
    return None


DOCS = r"""
Deduction per step of shortfall (or excess), 扣完为止. Seed 001: "业绩值为100%得满分，每降低1%扣权重分的1%，扣完为止";
the counting variant "业绩值为3得满分，每降低1扣权重分的33.33%，扣完为止"; the excess variant
"以100%为标准，≤100%计5分；每超过一个百分点扣0.5分，扣完为止".

| param | default | meaning |
|---|---|---|
| `full_at` | required | the value that earns the full weight: `100%`, `3` |
| `below` | — | `{step, deduct}` or `{step, deduct_points}`: per `step` under `full_at`, deduct a share of the weight (`deduct: 1%`, `1/3`) or points (`deduct_points: 0.5`) |
| `above` | — | the same for each step over `full_at` |
| `measure` | `actual` | what is measured: the `actual`, the number of `elements` the input lists, or `occurrences` |
| `steps` | `exact` | how a partial step counts: `exact` (3.5 steps are 3.5), `floor` (3), `ceil` (4) |

At least one of `below` and `above` is required; a side without a rule earns the full
weight. The score never goes below 0.

```yaml
# example
- name: 预算执行率
  weight: 2.22
  target: 100%
  rule: 业绩值为100%得满分，每降低1%扣权重分的1%，扣完为止
  method:
    kind: linear_deduction
    full_at: 100%
    below: {step: 1%, deduct: 1%}
# {actual: 97%} → 2.15
# {actual: 96.5%} → 2.14
# {actual: 105%} → 2.22
# {actual: 0%} → 0.00
```

97% is 3 steps short: 2.22 × (1 − 3%) = 2.1534 → 2.15. 96.5% is 3.5 steps: 2.22 ×
96.5% = 2.1423 → 2.14 (`steps: floor` would count 3 and give 2.15, `ceil` 4 and 2.13).

Counting the elements present, seed 001's 财务监控有效性:

```yaml
# example
- name: 财务监控有效性
  weight: 2.22
  rule: 业绩值为3得满分，每降低1扣权重分的33.33%，扣完为止
  elements:
    - 已制定或具有相应的财务监控机制
    - 采取了相应的财务检查等必要的监控措施或手段，对资金使用进行监控
    - 按项目进行成本核算，以及项目成本差异情况
  method:
    kind: linear_deduction
    measure: elements
    full_at: 3
    below: {step: 1, deduct: 33.33%}
# {elements: [1, 2, 3]} → 2.22
# {elements: [1, 3]} → 1.48
# {elements: []} → 0.00
```

2 of 3: 2.22 × (1 − 33.33%) = 1.480074 → 1.48. Written `deduct: 1/3` (seed 001's
项目质量可控性) the same gives 1.48.

Points per step above a limit:

```yaml
# example
- name: 预算调整率
  weight: 5
  rule: 以100%为标准，≤100%计5分；每超过一个百分点扣0.5分，扣完为止
  method: {kind: linear_deduction, full_at: 100%, above: {step: 1%, deduct_points: 0.5}}
# {actual: 95%} → 5.00
# {actual: 103%} → 3.50
# {actual: 120%} → 0.00
```
"""



def _measure(term: str) -> str:
    return "elements" if "要素" in term else "occurrences" if "次数" in term else "actual"


def _read(slots: dict[str, Any], given: Given) -> Mapping[str, Any]:
    """Full marks at `full`, a deduction per step below it (`b…`) and/or above it (`a…`)."""
    if "points" in slots:  # 以100%为标准，≤100%计5分: the full marks must be the row's
        if slots["full2"] != slots["full"]:
            raise Unclear(f"the standard is {slots['full']} but full marks are given at ≤{slots['full2']}")
        same_weight(slots["points"], given, f"'≤{slots['full']}计{slots['points']}分'")
    out: dict[str, Any] = {"kind": "linear_deduction"}
    measure = _measure(slots.get("a", ""))
    if measure != "actual":
        out["measure"] = measure
    out["full_at"] = slots["full"]
    if "bstep" in slots:
        out["below"] = {"step": slots["bstep"], **slots["bded"]}
    if "astep" in slots:
        out["above"] = {"step": slots["astep"], **slots["aded"]}
    if "steps" in slots:
        out["steps"] = slots["steps"]
    return out


# 评分标准 sentences read back as this kind (`perfrules draft`): explain's, seed 001's and the issue's
PHRASINGS = (
    Phrasing("{a:term}{为|达到}{full:num}得满分，每{降低|低于|减少|下降}{bstep:num}扣{bded:deduct}"
             "[，每{超过|高于|增加}{astep:num}扣{aded:deduct}][，扣完为止][{steps:steps}]", _read,
             (Example("业绩值为100%得满分，每降低1%扣权重分的1%，扣完为止",
                      {"kind": "linear_deduction", "full_at": "100%", "below": {"step": "1%", "deduct": "1%"}}),
              Example("具备的要素数为3得满分，每降低1扣权重分的33.33%，扣完为止",
                      {"kind": "linear_deduction", "measure": "elements", "full_at": "3",
                       "below": {"step": "1", "deduct": "33.33%"}}),
              Example("业绩值为3得满分，每降低1扣权重分的1/3，扣完为止",
                      {"kind": "linear_deduction", "full_at": "3", "below": {"step": "1", "deduct": "1/3"}}),
              Example("实际完成值为100%得满分，每降低1%扣0.5分，每超过2%扣分值的10%，扣完为止（不足一个步长的部分不扣）",
                      {"kind": "linear_deduction", "full_at": "100%", "below": {"step": "1%", "deduct_points": 0.5},
                       "above": {"step": "2%", "deduct": "10%"}, "steps": "floor"}))),
    Phrasing("{a:term}不超过{full:num}得满分，每{超过|高于|增加}{astep:num}扣{aded:deduct}[，扣完为止][{steps:steps}]", _read,
             (Example("发生次数不超过0得满分，每超过1扣1分，扣完为止",
                      {"kind": "linear_deduction", "measure": "occurrences", "full_at": "0",
                       "above": {"step": "1", "deduct_points": 1}}),)),
    Phrasing("以{full:num}为标准，≤{full2:num}{计|得}{points:pts}分；每超过{astep:num}扣{aded:deduct}[，扣完为止]", _read,
             (Example("以100%为标准，≤100%计5分；每超过一个百分点扣0.5分，扣完为止",
                      {"kind": "linear_deduction", "full_at": "100%", "above": {"step": "1%", "deduct_points": 0.5}},
                      weight=Decimal(5)),
              Example("以100%为标准，≤100%计5分；每超过一个百分点扣0.5分，扣完为止", unclear="weight is 4",
                      weight=Decimal(4)))),
)

KIND = register(Kind(
    "linear_deduction", linear_deduction, compile, describe,
    params={"full_at": described(VALUE, "得满分的值（如“业绩值为100%得满分”的100%）。", "100%", 3),
            "below": described({"$ref": "#/$defs/deduction"}, "低于 full_at 时，每降低一个步长扣多少，扣完为止。",
                               {"step": "1%", "deduct": "1%"}),
            "above": described({"$ref": "#/$defs/deduction"}, "高于 full_at 时，每超过一个步长扣多少，扣完为止。",
                               {"step": "1%", "deduct_points": 0.5}),
            "measure": MEASURE_SCHEMA,
            "steps": described({"enum": ["exact", "floor", "ceil"], NAMES: {"按实际": "exact", "不足一步不计": "floor",
                                                                           "不足一步按一步": "ceil"}},
                               "不足一个步长的部分怎么算：按实际（exact，3.5步即3.5，默认）、舍去（floor，3）或进一（ceil，4）。",
                               "exact", "不足一步按一步")},
    required=("full_at",), defs={"deduction": DEDUCTION},
    generate=generate, thresholds=thresholds, monotone=monotone, docs=DOCS, plain=plain,
    names=("线性扣分",),
    phrasings=PHRASINGS,
))
