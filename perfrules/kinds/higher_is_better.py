"""The `higher_is_better` kind (正向指标): reaching the target earns the full weight."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal
from typing import Any, Mapping

from ..decimals import fmt, pct
from ..result import Finding
from ..values import Value
from .base import Direction, Inputs, Kind, Outcome, Says, Scored, Wording, described, register
from .common import (SHORTFALL_SCHEMA, Measure, Shortfall, compile_shortfall, measure, met, numeric_actual,
                     proportional)
from .words import share_words
from .phrase import Example, Phrasing


def _over(m: Measure, p: Shortfall) -> Decimal | None:
    """actual ÷ target where it exceeds `explain_above` (the scheme asks a reason for it), else None."""
    if p.explain_above is None or m.target <= 0:
        return None
    ratio = m.actual / m.target
    return ratio if ratio > p.explain_above else None


def _over_completion(m: Measure, x: Inputs, p: Shortfall) -> tuple[Finding, ...]:
    """A finding when the actual exceeds the target by more than the scheme lets pass unexplained."""
    ratio = None if x.deviation_reason else _over(m, p)
    if ratio is None or p.explain_above is None:  # (_over says None without explain_above)
        return ()
    return (Finding("warning", "over_completion_unexplained",
                    f"{x.terms.actual}{m.actual_text}是{x.terms.target}{m.target_text}的{fmt(ratio * 100, 2)}%，"
                    f"超过{pct(p.explain_above)}而没有偏差原因分析：年初指标值是否设定偏低？"),)


def higher_is_better(p: Shortfall, x: Inputs) -> Outcome:
    """正向指标: actual ≥ target earns the full weight; otherwise actual ÷ target of it (or nothing)."""
    m = measure(x)
    if not isinstance(m, Measure):
        return m
    if _reached(p, m):
        done = met(m, x)
        over = _over_completion(m, x, p)
        return replace(done, findings=done.findings + over) if over else done
    return proportional(m, x, p)


def _reached(p: Shortfall, m: Measure) -> bool:
    return m.actual >= m.target and not (m.op == ">" and m.actual == m.target and p.shortfall == "zero")


def plain(p: Shortfall, m: Measure, x: Says) -> Scored | None:
    """`higher_is_better` on a plain measure (Kind.plain); None for an actual over `explain_above`,
    where whether the row gives its reason decides a finding (_over_completion)."""
    if not _reached(p, m):
        return proportional(m, x, p)
    return None if _over(m, p) is not None else met(m, x)


def describe(p: Shortfall, w: Wording) -> str:
    A, T = w.terms.actual, w.terms.target
    text = f"{A}达到{T}的，得满分；未达到的，" + (f"按{A}÷{T}的比例计分" if p.shortfall == "proportional" else "不得分")
    text += "；超额完成不加分"
    if p.explain_above is not None:
        text += f"；{A}超过{T}的{share_words(w.raw.get('explain_above'), p.explain_above)}而无偏差原因分析的，列为发现"
    return text


def up(raw: Mapping[str, Any], target: Value | None, direction: str | None) -> Direction | None:
    return "up"


DOCS = r"""
正向指标. The national self-evaluation table's reading (no seed prints it as a sentence):
达到年度指标值得满分；未达到的，按实际完成值 ÷ 年度指标值计分. A strict target (`>90%`) is
met by 90% as well, unless `shortfall: zero`.

| param | default | meaning |
|---|---|---|
| `shortfall` | `proportional` | `proportional`: actual ÷ target of the weight; `zero`: nothing |
| `explain_above` | — | a share above 100% (`130%`): an actual above this share of the target, on a row without a `deviation_reason` (偏差原因分析), is flagged `over_completion_unexplained` (a warning; the score stays the full weight) |

Over-completion (超额完成) earns no more than the weight. The national rule that a
target set too low should cost points by the deviation is the evaluator's judgement:
enter it as the row's manual `deduction`; `explain_above` finds the rows to look at.

```yaml
# example
- name: 组织用人单位职业卫生管理人员培训人数
  weight: 3
  method: {kind: higher_is_better, shortfall: proportional}
# {target: 750人, actual: 795人} → 3.00
# {target: 750人, actual: 600人} → 2.40
# {target: "≥80%", actual: 70%} → 2.63
# {target: 750人, actual: 795家} → unscored (unit_mismatch)
```

600 of 750 people is 80%: 3 × 80% = 2.40; 70% of ≥80% is 87.5%: 3 × 87.5% = 2.625 → 2.63.
Units that do not compare (人 against 家) leave the indicator unscored.

```yaml
# example
- name: 职业卫生培训合格率
  weight: 3
  method: {kind: higher_is_better, shortfall: zero}
# {target: "≥90%", actual: 89%} → 0.00
# {target: ">90%", actual: 90%} → 0.00
```

```yaml
# example
- name: 生产企业职业卫生管理人员培训人数
  weight: 2
  method: {kind: higher_is_better, explain_above: 130%}
# {target: "200", actual: "268"} → 2.00 (over_completion_unexplained)
# {target: "200", actual: "268", deviation_reason: 企业需求增加，追加培训两期} → 2.00
```

268 is 134% of 200: full marks, and the warning
`实际完成值268是年度指标值200的134%，超过130%而没有偏差原因分析：年初指标值是否设定偏低？`
unless the row gives its reason.
"""


# 评分标准 sentences read back as this kind (`perfrules draft`): explain's own, and the national table's
PHRASINGS = (
    Phrasing("{:term}达到{:term}的，得满分；未达到的，按{:term}÷{:term}的比例计分；超额完成不加分"
             "[；{:term}超过{:term}的{explain_above:share}而无偏差原因分析的，列为发现]",
             {"kind": "higher_is_better", "explain_above": "{explain_above}"},
             (Example("实际完成值达到年度指标值的，得满分；未达到的，按实际完成值÷年度指标值的比例计分；超额完成不加分",
                      {"kind": "higher_is_better"}),
              Example("实际完成值达到年度指标值的，得满分；未达到的，按实际完成值÷年度指标值的比例计分；超额完成不加分；"
                      "实际完成值超过年度指标值的130%而无偏差原因分析的，列为发现",
                      {"kind": "higher_is_better", "explain_above": "130%"}))),
    Phrasing("{:term}达到{:term}的，得满分；未达到的，不得分；超额完成不加分"
             "[；{:term}超过{:term}的{explain_above:share}而无偏差原因分析的，列为发现]",
             {"kind": "higher_is_better", "shortfall": "zero", "explain_above": "{explain_above}"},
             (Example("业绩值达到目标值的，得满分；未达到的，不得分；超额完成不加分",
                      {"kind": "higher_is_better", "shortfall": "zero"}),)),
    Phrasing("[{:term}：]{完成|达到}{:term}的，{记该指标所赋全部分值|得满分}；未{完成|达到}{:term}的，"
             "按照完成值与指标值的比例记分",
             {"kind": "higher_is_better"},
             (Example("完成指标值的，记该指标所赋全部分值；未完成指标值的，按照完成值与指标值的比例记分",
                      {"kind": "higher_is_better"}),)),
    Phrasing("[{:term}]{达到|完成}[{:term}][的]{，|}得满分{，|；}未{达到|完成}[的]{，|}按{实际|完成|实际完成}比例计分",
             {"kind": "higher_is_better"},
             (Example("完成的得满分，未完成的按实际比例计分", {"kind": "higher_is_better"}),)),
    Phrasing("[{:term}]{达到|完成}[{:term}][的]{，|}得满分{，|；}未{达到|完成}[的]{，|}按{:term}÷{:term}计分",
             {"kind": "higher_is_better"},
             (Example("达到目标值得满分，未达到按业绩值÷目标值计分", {"kind": "higher_is_better"}),)),
)

KIND = register(Kind(
    "higher_is_better", higher_is_better, compile_shortfall, describe,
    params={"shortfall": SHORTFALL_SCHEMA, "explain_above": described(
        {"$ref": "#/$defs/share"}, "超额完成的提示线：实际完成值超过年度指标值的这一比例而没有偏差原因分析的，列为发现（仍得满分）。",
        "130%")}, title="正向指标",
    generate=numeric_actual, monotone=up, docs=DOCS, plain=plain,
    names=("正向指标",),
    phrasings=PHRASINGS,
))
