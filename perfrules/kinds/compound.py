"""The `compound` kind (复合目标): each part scored by the scheme's rules, then combined."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Mapping

from ..decimals import ONE, ZERO, pct
from ..result import later
from ..values import OP_SYMBOL, Bound, Compound, Text, key_of
from .base import NAMES, Context, Inputs, Kind, Outcome, Scored, Unscored, Wording, described, register
from .common import PCT, numeric_actual, text_outcome
from .phrase import Example, Phrasing


@dataclass(frozen=True)
class CompoundP:
    combine: str  # min | all | mean


def compile(raw: Mapping[str, Any], c: Context) -> CompoundP:
    return CompoundP(str(raw.get("combine", "min")))


def compound(p: CompoundP, x: Inputs) -> Outcome:
    """复合目标 (企业用人单位数≥180家、人数≥3.5万): each part scored by the scheme's rules, then combined."""
    t, a = x.target, x.actual
    T, A = x.terms.target, x.terms.actual
    if not isinstance(t, Compound):
        return Unscored("target_not_compound", f"{T}「{t}」不是复合目标")
    if a is None:
        return Unscored("missing_actual", f"没有{A}")
    if isinstance(a, Text):
        return text_outcome(x, a, f"{T}各项")
    assert x.score_part is not None
    actual_parts = {key_of(part.label): part.value for part in a.parts} if isinstance(a, Compound) else {}
    shares: list[Decimal] = []
    notes: list[tuple[str, str, str, Decimal]] = []  # each part: label, actual, target, share
    findings: list[Any] = []
    for part in t.parts:
        got = actual_parts.get(key_of(part.label))
        if got is None:
            return Unscored("compound_part_missing", f"{A}「{a}」中没有「{part.label}」一项，无法与{T}「{part.label}{_bare(part.value)}」比较")
        out = x.score_part(x, part.value, got)
        if isinstance(out, Unscored):
            return Unscored(out.code, f"「{part.label}」：{out.reason}", out.findings)
        findings.extend(out.findings)
        share = out.share if out.share is not None else ZERO
        shares.append(share)
        notes.append((part.label, _bare(got), _bare(part.value), share))
    if p.combine == "all":
        share = ONE if all(s >= ONE for s in shares) else ZERO
        rule = "各项均达成得满分" if share else "有一项未达成，不得分"
    elif p.combine == "mean":
        share = sum(shares, ZERO) / len(shares)
        rule = "按各项平均"
    else:
        share = min(shares)
        rule = "各项均达成" if share >= ONE else "按最低一项计分"
    return Scored(share=share, because=(_parts_words, rule, *(v for note in notes for v in note)), expr=(PCT, share), met=share >= ONE,
                  findings=tuple(findings))


@later
def _parts_words(rule: str, *parts: Any) -> str:
    """The reason, written when it is read (result.Later): each part (its label, actual, target and
    share, four by four) against its target, then the rule."""
    return "、".join(f"{label}{got}（{target}，{'达成' if share >= ONE else pct(share)}）"
                    for label, got, target, share in zip(*[iter(parts)] * 4)) + "，" + rule


def _bare(value: Any) -> str:
    """A part's value without its label: '≥180家' rather than '企业用人单位数≥180家'."""
    if isinstance(value, Bound):
        return OP_SYMBOL[value.op] + str(value.number)
    return str(value)


def describe(p: CompoundP, w: Wording) -> str:
    how = {"min": "按完成程度最低的一项计分", "all": "各项均达成的得满分，否则不得分", "mean": "按各项完成程度的平均计分"}[p.combine]
    return f"复合目标各项分别计分，{how}"


DOCS = r"""
复合目标: a target of several labelled parts, "企业用人单位数≥180家、人数≥3.5万". Each part of
the target is matched by its label to a part of the actual and scored by the scheme's
`scoring` rules (chosen by the part's own form and comparator), then the parts are
combined. Parts of the actual that the target does not name are ignored; a target part
missing from the actual leaves the indicator unscored (`compound_part_missing`). An
actual that is a single word goes to the vocabulary.

| param | default | meaning |
|---|---|---|
| `combine` | `min` | `min`: the weakest part decides; `all`: full weight only when every part is met, else nothing; `mean`: the average of the parts' shares |

```yaml
# example
scoring:
  - when: {target: compound}
    method: {kind: compound, combine: min}
  - method: {kind: higher_is_better}
indicators:
  - name: 职业健康体检用人单位数、人数
    weight: 3
# {target: 企业用人单位数≥180家、人数≥3.5万, actual: 企业用人单位数228家、人数3.57万} → 3.00
# {target: 企业用人单位数≥180家、人数≥3.5万, actual: 企业用人单位数90家、人数3.57万} → 1.50
# {target: 企业用人单位数≥180家、人数≥3.5万, actual: 企业用人单位数228家} → unscored (compound_part_missing)
```

90 of ≥180 is 50%, the other part is met: the weakest decides, 3 × 50% = 1.50.

```yaml
# example
scoring:
  - method: {kind: higher_is_better}
indicators:
  - name: 职业健康体检用人单位数、人数
    weight: 3
    method: {kind: compound, combine: mean}
# {target: 企业用人单位数≥180家、人数≥3.5万, actual: 企业用人单位数90家、人数3.57万} → 2.25
```
"""


# 评分标准 sentences read back as this kind (`perfrules draft`)
PHRASINGS = (
    Phrasing("复合目标各项分别计分，按完成程度最低的一项计分", {"kind": "compound", "combine": "min"},
             (Example("复合目标各项分别计分，按完成程度最低的一项计分", {"kind": "compound", "combine": "min"}),)),
    Phrasing("复合目标各项分别计分，各项均达成的得满分，否则不得分", {"kind": "compound", "combine": "all"},
             (Example("复合目标各项分别计分，各项均达成的得满分，否则不得分", {"kind": "compound", "combine": "all"}),)),
    Phrasing("复合目标各项分别计分，按各项完成程度的平均计分", {"kind": "compound", "combine": "mean"},
             (Example("复合目标各项分别计分，按各项完成程度的平均计分", {"kind": "compound", "combine": "mean"}),)),
)

# a part of a compound target is scored by another kind, never by `compound` itself (part=False)
KIND = register(Kind(
    "compound", compound, compile, describe, params={"combine": described(
        {"enum": ["min", "all", "mean"], NAMES: {"取最低": "min", "全部达成": "all", "平均": "mean"}},
        "各分项得分如何合成：取最低的一项（min，默认）；全部达成才得满分，否则不得分（all）；各项比例的平均（mean）。",
        "min", "全部达成")},
    generate=numeric_actual, docs=DOCS, part=False, scores_parts=True,
    names=("复合目标",),
    phrasings=PHRASINGS,
))
