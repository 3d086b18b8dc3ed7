"""The `equality` kind (等于型指标): as higher-is-better, but a target of 0 is met only by 0."""

from __future__ import annotations

from typing import Any, Mapping

from ..decimals import ZERO
from ..values import Bound, Number, Value, simple
from .base import Direction, Inputs, Kind, Outcome, Scored, Wording, register
from .common import (SHORTFALL_SCHEMA, Measure, Shortfall, compile_shortfall, measure, met, numeric_actual,
                     proportional)
from .phrase import Example, Phrasing


def equality(p: Shortfall, x: Inputs) -> Outcome:
    """等于型指标: scored as higher-is-better, except that a target of 0 is met only by 0 or less."""
    m = measure(x)
    if not isinstance(m, Measure):
        return m
    if m.target == 0:
        if m.actual <= 0:
            return met(m, x)
        return Scored(share=ZERO, because=f"{x.terms.actual}{m.actual_text}，{x.terms.target}为0而实际不为0，不得分",
                      expr="0", met=False, findings=m.findings)
    if m.actual >= m.target:
        return met(m, x)
    return proportional(m, x, p)


def describe(p: Shortfall, w: Wording) -> str:
    A, T = w.terms.actual, w.terms.target
    short = f"按{A}÷{T}的比例计分" if p.shortfall == "proportional" else "不得分"
    return f"{A}达到{T}的，得满分；未达到的，{short}；{T}为0的，{A}为0得满分，否则不得分"


def monotone(raw: Mapping[str, Any], target: Value | None, direction: str | None) -> Direction | None:
    """Up against a target above 0; against 0 (met only by 0) no direction holds."""
    t = simple(target)
    number = t.number if isinstance(t, Bound) else t
    return "up" if isinstance(number, Number) and number.value > 0 else None


DOCS = r"""
等于型指标 (`=100家`). Scored as `higher_is_better`, except that a target of 0 is met
only by an actual of 0 or less. An actual above a non-zero target is met.

| param | default | meaning |
|---|---|---|
| `shortfall` | `proportional` | as for `higher_is_better` |

```yaml
# example
- name: 放射诊疗场所检测
  weight: 10
  method: {kind: equality}
# {target: "=100家", actual: 100家} → 10.00
# {target: "=100家", actual: 80家} → 8.00
# {target: "=0", actual: "2"} → 0.00
```
"""


# 评分标准 sentences read back as this kind (`perfrules draft`)
PHRASINGS = (
    Phrasing("{:term}达到{:term}的，得满分；未达到的，按{:term}÷{:term}的比例计分；{:term}为0的，{:term}为0得满分，否则不得分",
             {"kind": "equality"},
             (Example("实际完成值达到年度指标值的，得满分；未达到的，按实际完成值÷年度指标值的比例计分；"
                      "年度指标值为0的，实际完成值为0得满分，否则不得分", {"kind": "equality"}),)),
    Phrasing("{:term}达到{:term}的，得满分；未达到的，不得分；{:term}为0的，{:term}为0得满分，否则不得分",
             {"kind": "equality", "shortfall": "zero"},
             (Example("业绩值达到目标值的，得满分；未达到的，不得分；目标值为0的，业绩值为0得满分，否则不得分",
                      {"kind": "equality", "shortfall": "zero"}),)),
)

KIND = register(Kind(
    "equality", equality, compile_shortfall, describe,
    params={"shortfall": SHORTFALL_SCHEMA},
    generate=numeric_actual, monotone=monotone, docs=DOCS,
    names=("等于型指标",),
    phrasings=PHRASINGS,
))
