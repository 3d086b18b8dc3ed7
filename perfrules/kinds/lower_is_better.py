"""The `lower_is_better` kind (反向指标): at or under the target earns the full weight."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Mapping

from ..decimals import ONE, ZERO, fmt, pct
from ..result import later
from ..values import Value
from .base import NAMES, Context, Direction, Inputs, Kind, Outcome, Says, Scored, Wording, described, register
from .common import PCT, Measure, choice, measure, met, numeric_actual, show, shortfall_words
from .phrase import Example, Given, Phrasing, Unclear


@dataclass(frozen=True)
class Lower:
    reading: str  # deviation | ratio


def compile(raw: Mapping[str, Any], c: Context) -> Lower:
    return Lower(choice(raw, "reading", "deviation"))


def lower_is_better(p: Lower, x: Inputs) -> Outcome:
    """反向指标: actual ≤ target earns the full weight; above it, by the scheme's reading.

    `deviation` (the national table's): (1 − (actual − target) ÷ target), nothing from
    twice the target up. `ratio`: target ÷ actual. A target of 0 is met only by 0.
    """
    m = measure(x)
    if not isinstance(m, Measure):
        return m
    return plain(p, m, x)


def plain(p: Lower, m: Measure, x: Says) -> Scored:
    """`lower_is_better` on a measure, which is all it reads of the row (Kind.plain)."""
    if m.actual <= m.target:
        return met(m, x)
    A, T = x.terms.actual, x.terms.target
    if m.target == 0:
        return Scored(share=ZERO, because=(_zero_target_words, A, m.actual_text, T), expr="0", met=False,
                      findings=m.findings)
    if p.reading == "ratio":
        share = x.rate(m.target / m.actual)
        return Scored(share=share, met=False, findings=m.findings, expr=(PCT, share),
                      because=(_ratio_words, A, m.actual_text, T, m.target_text, m.target, m.actual, m.unit, share))
    gap = m.actual - m.target
    over = x.rate(gap / m.target)
    if over >= ONE:
        return Scored(share=ZERO, met=False, findings=m.findings, expr="0",
                      because=(_twice_words, A, m.actual_text, T, m.target_text))
    return Scored(share=ONE - over, met=False, findings=m.findings, expr=(_less_words, over),
                  because=(_over_words, A, m.actual_text, T, m.target_text, gap, m.unit, over))


# the reasons, written when they are read (result.Later), from parts worked out above
@later
def _zero_target_words(A: str, actual: str, T: str) -> str:
    return f"{A}{actual}，{T}为0而实际大于0，不得分"


@later
def _ratio_words(A: str, actual_text: str, T: str, target_text: str, target: Decimal, actual: Decimal, unit: str,
                 share: Decimal) -> str:
    return (f"{A}{actual_text}，高于{T}{target_text}（反向指标），"
            f"按{show(target, unit)} ÷ {show(actual, unit)} = {pct(share)}计分")


@later
def _twice_words(A: str, actual: str, T: str, target: str) -> str:
    return f"{A}{actual}，达到{T}{target}的2倍及以上（反向指标），不得分"


@later
def _less_words(over: Decimal) -> str:
    return f"(1 − {pct(over)})"


@later
def _over_words(A: str, actual: str, T: str, target: str, gap: Decimal, unit: str, over: Decimal) -> str:
    return f"{A}{actual}，高于{T}{target}（反向指标），超出{fmt(gap)}{shortfall_words(unit)}，偏离{pct(over)}"


def describe(p: Lower, w: Wording) -> str:
    A, T = w.terms.actual, w.terms.target
    if p.reading == "ratio":
        rest = f"按{T}÷{A}的比例计分"
    else:
        rest = f"按（1 −（{A} − {T}）÷ {T}）的比例计分，达到{T}2倍及以上的不得分"
    return f"{A}不高于{T}的，得满分；高于的，{rest}；{T}为0的，{A}为0得满分，否则不得分"


def down(raw: Mapping[str, Any], target: Value | None, direction: str | None) -> Direction | None:
    return "down"


DOCS = r"""
反向指标 (a complaint rate, a cost). 实际完成值 ≤ 年度指标值得满分. Above the target, the
national table's deviation reading: (1 − (实际 − 目标) ÷ 目标) × 分值, nothing from twice the
target up; or the other common reading, 目标 ÷ 实际 × 分值. A target of 0 is met only by 0.

| param | default | meaning |
|---|---|---|
| `reading` | `deviation` | `deviation` or `ratio`, as above |

Seed 001's 有毒有害作业人员投诉率 (target 5%, lower is better):

```yaml
# example
- name: 有毒有害作业人员投诉率
  weight: 15
  target: 5%
  direction: lower
  method: {kind: lower_is_better, reading: deviation}
# {actual: "0"} → 15.00
# {actual: 7%} → 9.00
# {actual: 10%} → 0.00
```

7% is 40% above 5%: 15 × (1 − 40%) = 9.00; 10% is twice the target: 0.

```yaml
# example
- name: 投诉率
  weight: 15
  target: "≤5%"
  method: {kind: lower_is_better, reading: ratio}
# {actual: 8%} → 9.38
```

5% ÷ 8% = 62.5%: 15 × 62.5% = 9.375 → 9.38.
"""



def _ratio(slots: dict[str, Any], given: Given) -> Mapping[str, Any]:
    """得分 = 目标值 ÷ 实际值 × 分值: the target over the actual, never the other way round."""
    top, bottom = slots["top"], slots["bottom"]
    if not (("目标" in top or "指标值" in top) and ("实际" in bottom or "完成" in bottom)):
        raise Unclear(f"'{top} ÷ {bottom}' does not say which is the target and which the actual")
    return {"kind": "lower_is_better", "reading": "ratio"}


# 评分标准 sentences read back as this kind (`perfrules draft`)
PHRASINGS = (
    Phrasing("{:term}不高于{:term}的，得满分；高于的，按（1 −（{:term} − {:term}）÷ {:term}）的比例计分，"
             "达到{:term}2倍及以上的不得分；{:term}为0的，{:term}为0得满分，否则不得分",
             {"kind": "lower_is_better", "reading": "deviation"},
             (Example("实际完成值不高于年度指标值的，得满分；高于的，按（1 −（实际完成值 − 年度指标值）÷ 年度指标值）的比例计分，"
                      "达到年度指标值2倍及以上的不得分；年度指标值为0的，实际完成值为0得满分，否则不得分",
                      {"kind": "lower_is_better", "reading": "deviation"}),)),
    Phrasing("{:term}不高于{:term}的，得满分；高于的，按{:term}÷{:term}的比例计分；{:term}为0的，{:term}为0得满分，否则不得分",
             {"kind": "lower_is_better", "reading": "ratio"},
             (Example("业绩值不高于目标值的，得满分；高于的，按目标值÷业绩值的比例计分；目标值为0的，业绩值为0得满分，否则不得分",
                      {"kind": "lower_is_better", "reading": "ratio"}),)),
    Phrasing("[反向指标]得分＝{top:term}÷{bottom:term}×{分值|权重}", _ratio,
             (Example("反向指标得分 = 目标值 ÷ 实际值 × 分值", {"kind": "lower_is_better", "reading": "ratio"}),
              Example("得分 = 完成值 ÷ 实际值 × 分值", unclear="which is the target"))),
)

KIND = register(Kind(
    "lower_is_better", lower_is_better, compile, describe,
    params={"reading": described(
        {"enum": ["deviation", "ratio"], NAMES: {"按偏差": "deviation", "按比值": "ratio"}},
        "超过目标时的计分口径：按偏差（deviation，默认：(1 − 超出部分 ÷ 年度指标值) × 分值，达到2倍不得分）"
        "或按比值（ratio：年度指标值 ÷ 实际完成值 × 分值）。", "deviation", "按偏差")}, title="反向指标",
    generate=numeric_actual, monotone=down, docs=DOCS, plain=plain,
    names=("反向指标",),
    phrasings=PHRASINGS,
))
