"""The `range` kind (区间目标, 90%-95%): inside the range earns the full weight."""

from __future__ import annotations

from ..decimals import ONE, ZERO, fmt, pct
from ..values import Span, simple
from .base import Inputs, Kind, Outcome, Scored, Unscored, Wording, no_params, register
from .common import number_of, numeric_actual, percent_reading
from .phrase import Example, Phrasing


def within_range(p: object, x: Inputs) -> Outcome:
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


def describe(p: object, w: Wording) -> str:
    A, T = w.terms.actual, w.terms.target
    return f"{A}在{T}区间之内的，得满分；低于下限的，按{A}÷下限计分；高于上限的，按超出上限的比例扣减，扣完为止"


DOCS = r"""
区间目标 (`90%-95%`). Inside the range (both ends included) earns the full weight;
below it, actual ÷ low end; above it, the weight less the deviation from the high end,
(1 − (实际 − 上限) ÷ 上限), never below 0. No params.

```yaml
# example
- name: 床位使用率
  weight: 10
  method: {kind: range}
# {target: 90%-95%, actual: 92%} → 10.00
# {target: 90%-95%, actual: 81%} → 9.00
# {target: 90%-95%, actual: 99%} → 9.58
```

81 ÷ 90 = 90%; 99% is 4 ÷ 95 = 4.210526% above 95%: 10 × (1 − 4.210526%) ≈ 9.578947 → 9.58.
"""


# 评分标准 sentences read back as this kind (`perfrules draft`)
PHRASINGS = (
    Phrasing("{:term}在{:term}区间之内的，得满分；低于下限的，按{:term}÷下限计分；高于上限的，按超出上限的比例扣减，扣完为止",
             {"kind": "range"},
             (Example("实际完成值在年度指标值区间之内的，得满分；低于下限的，按实际完成值÷下限计分；高于上限的，按超出上限的比例扣减，扣完为止",
                      {"kind": "range"}),)),
)

# no monotone direction: the score rises to the range and falls beyond it
KIND = register(Kind(
    "range", within_range, no_params, describe, params={}, generate=numeric_actual, docs=DOCS,
    names=("区间目标",),
    phrasings=PHRASINGS,
))
