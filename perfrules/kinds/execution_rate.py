"""The `execution_rate` kind (预算执行率): scored from the funds block, not from a row."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Mapping

from ..decimals import ONE, money, pct
from .base import NAMES, Context, Inputs, Kind, Need, Outcome, Scored, Unscored, Wording, described, register
from ..result import later
from .common import PCT, choice
from .phrase import Example, Given, Phrasing, Unclear


@dataclass(frozen=True)
class Execution:
    basis: str  # budget | adjusted_budget
    cap: bool


def compile(raw: Mapping[str, Any], c: Context) -> Execution:
    return Execution(choice(raw, "basis", "budget"), bool(raw.get("cap", True)))


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
    if p.cap and rate > ONE:
        return Scored(share=ONE, because=(_rate_words, f.executed, basis_name, budget, rate, True), expr="100%", met=True)
    return Scored(share=rate, because=(_rate_words, f.executed, basis_name, budget, rate, False), expr=(PCT, rate),
                  met=rate >= ONE)


@later
def _rate_words(executed: Decimal, basis_name: str, budget: Decimal, rate: Decimal, capped: bool) -> str:
    """The reason, written when it is read (result.Later)."""
    return (f"执行率 = 全年执行数{money(executed)} ÷ {basis_name}{money(budget)} = {pct(rate)}"
            + ("，超过100%按100%计" if capped else ""))


def describe(p: Execution, w: Wording) -> str:
    basis = "调整后预算数" if p.basis == "adjusted_budget" else "全年预算数"
    return f"得分 = {w.terms.weight} × 执行率，执行率 = 全年执行数 ÷ {basis}" + (f"，最高不超过{w.terms.weight}" if p.cap else "")


def no_row(raw: Mapping[str, Any]) -> Need | None:
    """Nothing in a row: the generated input's funds block is what it scores."""
    return None


DOCS = r"""
预算执行率, from the funds block of the input, not from an indicator row (the input
needs no row for it). Seed 000: "得分（分值×执行率）", "“执行率” = “全年执行数” / “全年预算数”".

| param | default | meaning |
|---|---|---|
| `basis` | `budget` | `budget` (全年预算数) or `adjusted_budget` (调整后预算数) |
| `cap` | `true` | an execution above 100% earns no more than the weight |

```yaml
# example
- name: 预算执行率
  weight: 10
  method: {kind: execution_rate, basis: budget, cap: true}
# {funds: {budget: "3,102.95", executed: "3,102.95"}} → 10.00
# {funds: {budget: "3,102.95", executed: "2,900"}} → 9.35
# {funds: {budget: "3,102.95", executed: "3,200"}} → 10.00
# {funds: {budget: "3,102.95"}} → unscored (missing_funds)
```

2,900 ÷ 3,102.95 = 93.45945%: 10 × 93.45945% ≈ 9.345945 → 9.35.

```yaml
# example
- name: 预算执行率
  weight: 10
  method: {kind: execution_rate, basis: adjusted_budget}
# {funds: {budget: 100, adjusted_budget: 80, executed: 72}} → 9.00
```

With `cap: false` an execution above 100% gives a score above the weight, which is
flagged `score_out_of_range`.
"""



def _read(slots: dict[str, Any], given: Given) -> Mapping[str, Any]:
    """全年预算数 or 调整后预算数; capped only where the text says so (最高不超过分值)."""
    basis = {"全年预算数": "budget", "预算数": "budget", "调整后预算数": "adjusted_budget"}.get(slots["basis"])
    if basis is None:
        raise Unclear(f"the rate is divided by '{slots['basis']}': neither 全年预算数 nor 调整后预算数")
    if "cap" not in slots:
        raise Unclear("the text does not say whether a rate above 100% earns more than the weight (最高不超过分值)")
    return {"kind": "execution_rate", "basis": basis, "cap": True}


# 评分标准 sentences read back as this kind (`perfrules draft`)
PHRASINGS = (
    Phrasing("得分＝{:term}×执行率，执行率＝全年执行数{÷|/}{basis:term}[，最高不超过{cap:term}]", _read,
             (Example("得分 = 分值 × 执行率，执行率 = 全年执行数 ÷ 全年预算数，最高不超过分值",
                      {"kind": "execution_rate", "basis": "budget", "cap": True}),
              Example("得分 = 分值 × 执行率，执行率 = 全年执行数 ÷ 全年预算数", unclear="above 100%"))),
    Phrasing("得分＝{:term}×全年执行数{÷|/}{basis:term}[，最高不超过{cap:term}]", _read,
             (Example("得分 = 分值 × 全年执行数 ÷ 全年预算数，最高不超过分值",
                      {"kind": "execution_rate", "basis": "budget", "cap": True}),)),
    Phrasing("得分＝{:term}×执行率[，最高不超过{cap:term}]", lambda s, c: _read({**s, "basis": "执行率"}, c),
             (Example("得分 = 分值 × 执行率", unclear="neither"),)),
)

KIND = register(Kind(
    "execution_rate", execution_rate, compile, describe,
    params={"basis": described({"enum": ["budget", "adjusted_budget"], NAMES: {"预算数": "budget", "调整后预算数": "adjusted_budget"}},
                             "执行率的分母：全年预算数（budget，默认）或调整后预算数（adjusted_budget）。", "budget", "调整后预算数"),
            "cap": described({"type": "boolean"}, "执行率超过100%的，得分不超过分值（默认 true）。", True)},
    generate=no_row, docs=DOCS, reads_funds=True, uses_funds=True, funds_score=True,
    names=("按执行率计分",),
    phrasings=PHRASINGS,
))
