"""The `higher_is_better` kind (正向指标): reaching the target earns the full weight."""

from __future__ import annotations

from dataclasses import replace
from typing import Any, Mapping

from ..decimals import fmt, pct
from ..result import Finding
from ..values import Value
from .base import Direction, Inputs, Kind, Outcome, Wording, register
from .common import (SHORTFALL_SCHEMA, Measure, Shortfall, compile_shortfall, measure, met, numeric_actual,
                     proportional)
from .words import share_words


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


def higher_is_better(p: Shortfall, x: Inputs) -> Outcome:
    """正向指标: actual ≥ target earns the full weight; otherwise actual ÷ target of it (or nothing)."""
    m = measure(x)
    if not isinstance(m, Measure):
        return m
    if m.actual >= m.target and not (m.op == ">" and m.actual == m.target and p.shortfall == "zero"):
        done = met(m, x)
        return replace(done, findings=done.findings + _over_completion(m, x, p))
    return proportional(m, x, p)


def describe(p: Shortfall, w: Wording) -> str:
    A, T = w.terms.actual, w.terms.target
    text = f"{A}达到{T}的，得满分；未达到的，" + (f"按{A}÷{T}的比例计分" if p.shortfall == "proportional" else "不得分")
    text += "；超额完成不加分"
    if p.explain_above is not None:
        text += f"；{A}超过{T}的{share_words(w.raw.get('explain_above'), p.explain_above)}而无偏差原因分析的，列为发现"
    return text


def up(raw: Mapping[str, Any], target: Value | None, direction: str | None) -> Direction | None:
    return "up"


EXAMPLE = """\
- name: 组织用人单位职业卫生管理人员培训人数
  weight: 3
  method: {kind: higher_is_better, shortfall: proportional}
# {target: 750人, actual: 795人} → 3.00
# {target: 750人, actual: 600人} → 2.40
# {target: "≥80%", actual: 70%} → 2.63
# {target: 750人, actual: 795家} → unscored (unit_mismatch)
"""

KIND = register(Kind(
    "higher_is_better", higher_is_better, compile_shortfall, describe,
    params={"shortfall": SHORTFALL_SCHEMA, "explain_above": {"$ref": "#/$defs/share"}}, title="正向指标",
    generate=numeric_actual, monotone=up, example=EXAMPLE,
))
