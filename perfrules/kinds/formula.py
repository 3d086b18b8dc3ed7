"""The `formula` kind: the escape hatch for a rule no built-in kind states."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Mapping

from .. import limits
from ..decimals import fmt, pct
from ..expr import EvaluationError
from ..values import Bound, Number, Value, simple
from .base import NAMES as ZH, Context, Direction, Inputs, Kind, Outcome, Scored, Unscored, Wording, described, register
from .common import numeric_actual
from .phrase import Example, Phrasing

# names every formula may read; a ruleset adds its own with `inputs:`
NAMES = ("weight", "target", "actual", "elements", "occurrences", "budget", "executed", "rate", "fraction")


@dataclass(frozen=True)
class Formula:
    expression: Any  # expr.Expression
    returns: str  # share | points


def compile(raw: Mapping[str, Any], c: Context) -> Formula:
    extra = tuple(raw.get("inputs", ()))
    return Formula(c.expression(raw["expr"], NAMES + extra, "expr"), str(raw.get("returns", "share")))


def _number(value: Any) -> Decimal | None:
    v = simple(value)
    if isinstance(v, Bound):
        v = v.number
    return v.value if isinstance(v, Number) else None


def _names(x: Inputs) -> dict[str, Decimal | None]:
    f = x.funds
    rate = None
    if f is not None and f.budget and f.executed is not None:
        rate = x.rate(f.executed / f.budget)
    out: dict[str, Decimal | None] = {
        "weight": x.weight,
        "target": _number(x.target),
        "actual": _number(x.actual),
        "elements": None if x.elements is None else Decimal(len(x.elements)),
        "occurrences": x.occurrences,
        "budget": None if f is None else f.budget,
        "executed": None if f is None else f.executed,
        "rate": rate,
        "fraction": x.fraction,
    }
    out.update(x.values)
    return out


def formula(p: Formula, x: Inputs) -> Outcome:
    """公式: an expression over named inputs, giving a share of the weight or points."""
    expr = p.expression
    values = _names(x)
    missing = sorted(n for n in expr.names if values.get(n) is None)
    if missing:
        return Unscored("formula_input_missing", f"公式 {expr.text} 需要的 {', '.join(missing)} 在本条输入中没有数值")
    bound = {n: values[n] for n in expr.names}
    try:
        out = expr.evaluate(bound)
    except EvaluationError as exc:
        return Unscored("formula_error", f"公式 {expr.text} 无法计算：{exc.message}")
    except (ArithmeticError, ValueError, TypeError) as exc:
        return Unscored("formula_error", f"公式 {expr.text} 无法计算（{type(exc).__name__}）")
    if isinstance(out, bool):
        out = Decimal(int(out))
    if not isinstance(out, (Decimal, int)):
        return Unscored("formula_error", f"公式 {expr.text} 的结果不是数值")
    out = Decimal(out)
    points = out if p.returns == "points" else out * x.weight
    if not limits.within(points):  # the engine rounds points: 28 digits at most
        return Unscored("formula_error", f"公式 {expr.text} 的结果{'' if p.returns == 'points' else '乘以分值后'}超出可计算的范围"
                                         f"（绝对值须小于{fmt(limits.current().max_number)}）")
    shown = "，".join(f"{n} = {fmt(v)}" for n, v in sorted(bound.items()) if v is not None)
    because = f"按公式 {expr.text}（{shown}）"
    if p.returns == "points":
        return Scored(points=out, because=because, expr=fmt(out))
    return Scored(share=out, because=because, expr=pct(out))


def describe(p: Formula, w: Wording) -> str:
    what = "得分" if p.returns == "points" else f"得分占{w.terms.weight}的比例"
    return f"按公式计分：{what} = {p.expression.text}"


def monotone(raw: Mapping[str, Any], target: Value | None, direction: str | None) -> Direction | None:
    """A formula has no direction of its own: the indicator's declared or implied one."""
    return "up" if direction == "higher" else "down" if direction == "lower" else None


DOCS = r"""
公式: the escape hatch for a rule no built-in kind states. `expr` is an expression over
named numbers; it gives a share of the weight, or points with `returns: points`.

| param | default | meaning |
|---|---|---|
| `expr` | required | the expression |
| `returns` | `share` | `share` (0–1 of the weight) or `points` |
| `inputs` | `[]` | extra names the expression may read, given per row in the input's `values` |

The names every formula may read:

| name | value |
|---|---|
| `weight` | the indicator's weight |
| `target`, `actual` | the target's and the actual's number (a bound's number; a percentage in points: 97% is 97) |
| `elements` | how many elements the input lists |
| `occurrences` | the input's `occurrences` |
| `budget`, `executed` | the funds block's 全年预算数 and 全年执行数 |
| `rate` | `executed ÷ budget` as a fraction (1 is 100%), rounded at the `rate` stage |
| `fraction` | the input's `fraction` as a fraction |

The functions: `min`, `max`, `abs`, `floor`, `ceil`, `round(x, places)` (half-up),
`clamp(x, low, high)`. The operators: `+ - * / // % **`, comparisons, `and`, `or`, `not`,
and `a if condition else b`. Literals are numbers only, read exactly (`0.1` is one tenth).
An unknown name or function is a load error with its column. A name without a number in
the input leaves the indicator unscored (`formula_input_missing`); a division by zero and
the like, `formula_error`. A share above 1 gives a score above the weight, flagged
`score_out_of_range`.

```yaml
# example
- name: 完成率
  weight: 10
  method: {kind: formula, expr: "min(actual / target, 1)"}
# {target: 100%, actual: 85%} → 8.50
```

```yaml
# example
- name: 预算调整率
  weight: 5
  method: {kind: formula, returns: points, expr: "max(weight - 0.5 * max(actual - 100, 0), 0)"}
# {actual: 103%} → 3.50
```

```yaml
# example
- name: 项目完成度
  weight: 10
  method: {kind: formula, inputs: [done, planned], expr: "done / planned"}
# {values: {done: 3, planned: 4}} → 7.50
# {values: {done: 3}} → unscored (formula_input_missing)
```

```yaml
# example
- name: 资金执行
  weight: 10
  method: {kind: formula, expr: "min(rate, 1)"}
# {funds: {budget: 200, executed: 150}} → 7.50
```
"""


# 评分标准 sentences read back as this kind (`perfrules draft`): explain's only (a formula has no stock wording)
PHRASINGS = (
    Phrasing("按公式计分：得分占{:term}的比例＝{expr:expr}", {"kind": "formula", "expr": "{expr}"},
             (Example("按公式计分：得分占分值的比例 = min(actual / target, 1)",
                      {"kind": "formula", "expr": "min(actual/target,1)"}),)),
    Phrasing("按公式计分：得分＝{expr:expr}", {"kind": "formula", "returns": "points", "expr": "{expr}"},
             (Example("按公式计分：得分 = max(weight - 0.5 * max(actual - 100, 0), 0)",
                      {"kind": "formula", "returns": "points", "expr": "max(weight-0.5*max(actual-100,0),0)"}),)),
)

KIND = register(Kind(
    "formula", formula, compile, describe,
    params={"expr": described({"type": "string"}, "计分公式：用 weight、target、actual、rate 等名称写出得分比例或分数。",
                              "min(1, actual / target)"),
            "returns": described({"enum": ["share", "points"], ZH: {"比例": "share", "分数": "points"}},
                                 "公式得出的是分值的比例（share，0–1，默认）还是分数（points）。", "share", "分数"),
            "inputs": described({"type": "array", "items": {"type": "string"}},
                                "公式另外读取的数值名称，由输入表每行的 values 给出。", ["上年完成值"])},
    required=("expr",), generate=numeric_actual, monotone=monotone, docs=DOCS, uses_funds=True,
    names=("公式计分",),
    phrasings=PHRASINGS,
))
