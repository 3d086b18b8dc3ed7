"""The `deadline` kind (时效指标): completed by the deadline earns the full weight, later nothing."""

from __future__ import annotations

from ..decimals import ONE, ZERO
from ..values import Date, Text, simple
from .base import Inputs, Kind, Outcome, Scored, Unscored, Wording, no_params, register
from .common import numeric_actual, text_outcome
from .phrase import Example, Phrasing


def _key(d: Date, depth: int) -> tuple[int, ...]:
    parts = (d.year or 0, d.month or 12, d.day or 31)
    return parts[:depth]


def deadline(p: object, x: Inputs) -> Outcome:
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


def describe(p: object, w: Wording) -> str:
    return f"在{w.terms.target}规定的时限内完成的，得满分；逾期完成或未完成的，不得分"


DOCS = r"""
时效指标: completed by the deadline earns the full weight, later nothing. Targets such as
`2021年年底完成`, `12月底前`, `年度内完成`; actuals such as `2021年11月完成`. A date without
a year takes the input's `year`. The two dates are compared at the coarser of their
precisions (`2021年11月` against `2021年12月31日` compares months). An actual that is a word
goes to the vocabulary (`text_actual`). No params.

```yaml
# example
vocabulary: {met: [已完成], not_met: [未完成]}
indicators:
  - name: 其他工作
    weight: 3
    method: {kind: deadline}
# {target: 2021年年底完成, actual: 2021年11月完成} → 3.00
# {target: 2021年年底完成, actual: 2022年1月完成} → 0.00
# {year: 2021, target: 年度内完成, actual: 2022年2月完成} → 0.00
# {target: 2021年年底完成, actual: 已完成} → 3.00
# {target: 2021年年底完成, actual: 按期推进} → unscored (actual_not_numeric)
```
"""

# 评分标准 sentences read back as this kind (`perfrules draft`)
PHRASINGS = (
    Phrasing("在{:term}规定的时限内完成的，得满分；逾期完成或未完成的，不得分", {"kind": "deadline"},
             (Example("在年度指标值规定的时限内完成的，得满分；逾期完成或未完成的，不得分", {"kind": "deadline"}),)),
    Phrasing("{按时|按期|在规定时限内}完成[的]{，|}得满分{；|，}{逾期|未按时|未按期}[完成][或未完成][的]{，|}不得分",
             {"kind": "deadline"},
             (Example("按时完成得满分，逾期不得分", {"kind": "deadline"}),)),
)

KIND = register(Kind(
    "deadline", deadline, no_params, describe, params={}, generate=numeric_actual, docs=DOCS,
    names=("时限目标",),
    phrasings=PHRASINGS,
))
