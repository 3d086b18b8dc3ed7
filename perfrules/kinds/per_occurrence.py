"""The `per_occurrence` kind: 每出现一次扣若干分，最多扣若干分；或出现即扣完（一票否决）."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Mapping

from ..decimals import ONE, ZERO, fmt
from ..i18n import gettext as _
from .base import Context, Inputs, Kind, Need, Outcome, Scored, Wording, described, register
from .common import MEASURE_SCHEMA, choice, measure_need, measured_value
from .words import share_words
from .phrase import Example, Given, Phrasing


@dataclass(frozen=True)
class PerOccurrence:
    points: Decimal | None  # points per occurrence
    share: Decimal | None  # or share of the weight per occurrence
    max_points: Decimal | None
    veto_at: Decimal | None
    measure: str
    counts: str = "次"  # what one occurrence is, after its number: 次, 个专项未按进度完成


def compile(raw: Mapping[str, Any], c: Context) -> PerOccurrence:
    if "deduct_points" not in raw and "deduct" not in raw and "veto_at" not in raw:
        c.fail(_("needs 'deduct_points', 'deduct' or 'veto_at'"))
    return PerOccurrence(
        Decimal(raw["deduct_points"]) if "deduct_points" in raw else None,
        c.share(raw["deduct"], "deduct") if "deduct" in raw else None,
        Decimal(raw["max_points"]) if "max_points" in raw else None,
        Decimal(raw["veto_at"]) if "veto_at" in raw else None,
        choice(raw, "measure", "occurrences"),
        choice(raw, "counts", "次"),
    )


def per_occurrence(p: PerOccurrence, x: Inputs) -> Outcome:
    """每出现一次扣若干分，最多扣若干分；或出现即扣完（一票否决）."""
    got = measured_value(x, p.measure, "次数")
    if not isinstance(got, tuple):
        return got
    a, findings = got
    n = a.value
    if n == 0:
        return Scored(share=ONE, because="未发生扣分情形", expr="100%", met=True, findings=findings)
    said = f"发生{fmt(n)}次" if p.counts == "次" else f"出现{fmt(n)}{p.counts}"
    if p.veto_at is not None and n >= p.veto_at:
        return Scored(share=ZERO, because=f"{said}，达到{fmt(p.veto_at)}{p.counts}即扣完", expr="0", met=False,
                      findings=findings)
    per = p.points if p.points is not None else x.weight * (p.share or ZERO)
    lost = n * per
    capped = ""
    if p.max_points is not None and lost > p.max_points:
        lost, capped = p.max_points, f"，最多扣{fmt(p.max_points)}分"
    points = max(ZERO, x.weight - lost)
    each = "每次" if p.counts == "次" else f"每{p.counts[:1]}"
    because = f"{said}，{each}扣{fmt(per)}分{capped}" + ("，扣完为止" if points == 0 else "")
    return Scored(points=points, because=because, met=False, findings=findings,
                  expr=f"{fmt(x.weight)} − {fmt(lost)}" if points else "0")


def describe(p: PerOccurrence, w: Wording) -> str:
    parts = []
    one = "一次" if p.counts == "次" else f"一{p.counts}"  # 每出现一个专项未按进度完成
    if p.points is not None or p.share is not None:
        each = f"{fmt(p.points)}分" if p.points is not None else \
            f"{w.terms.weight_points}的{share_words(w.raw.get('deduct'), p.share or Decimal(0))}"
        parts.append(f"每出现{one}扣{each}" + (f"，最多扣{fmt(p.max_points)}分" if p.max_points is not None else "") + "，扣完为止")
    if p.veto_at is not None:
        parts.append(f"出现{fmt(p.veto_at)}{p.counts}及以上的，本指标不得分")
    return "；".join(parts)


def generate(raw: Mapping[str, Any]) -> Need:
    return measure_need(raw, "occurrences")


DOCS = r"""
Deduction per occurrence, with a cap, or a veto. "每出现一次未达要求扣1分，最多扣4分"; "发现一户未纳入的此分值扣完".
The count comes from the input's `occurrences`.

| param | default | meaning |
|---|---|---|
| `deduct_points` | — | points off per occurrence |
| `deduct` | — | or a share of the weight off per occurrence |
| `max_points` | — | the most that can be deducted |
| `veto_at` | — | from this many occurrences on, nothing (一票否决) |
| `counts` | `次` | what one occurrence is, after its number, in the scheme's words: `个专项未按进度完成` reads 每出现一个专项未按进度完成扣0.5分 in `explain` and 出现2个专项未按进度完成 in the explanation |
| `measure` | `occurrences` | `occurrences`, `actual` or `elements` |

At least one of `deduct_points`, `deduct`, `veto_at` is required. No occurrence earns the
full weight; the score never goes below 0.

```yaml
# example
- name: 项目督导检查
  weight: 5
  rule: 每出现一次未达要求扣1分，最多扣4分
  method: {kind: per_occurrence, deduct_points: 1, max_points: 4}
# {occurrences: 0} → 5.00
# {occurrences: 2} → 3.00
# {occurrences: 6} → 1.00
```

```yaml
# example
- name: 专项进度
  weight: 5
  rule: 每出现一个专项未按进度完成扣0.5分
  method: {kind: per_occurrence, deduct_points: 0.5, counts: 个专项未按进度完成}
# {occurrences: 2} → 4.00
```

```yaml
# example
- name: 应纳尽纳
  weight: 5
  rule: 发现一户未纳入的此分值扣完
  method: {kind: per_occurrence, veto_at: 1}
# {occurrences: 0} → 5.00
# {occurrences: 1} → 0.00
```
"""



def _read(slots: dict[str, Any], given: Given) -> Mapping[str, Any]:
    """Per occurrence (points or a share), a cap, a veto; what one occurrence is, after 一."""
    out: dict[str, Any] = {"kind": "per_occurrence", **slots.get("ded", {})}
    if "max" in slots:
        out["max_points"] = slots["max"]
    if "veto" in slots:
        out["veto_at"] = slots["veto"]
    counts = slots.get("counts", "次")
    if counts != "次":
        out["counts"] = counts
    return out


# 评分标准 sentences read back as this kind (`perfrules draft`)
PHRASINGS = (
    Phrasing("每{出现|发现}一{counts:text}扣{ded:deduct}[，最多扣{max:pts}分][，扣完为止]"
             "[；{出现|发现}{veto:int}{:text}及以上的，本指标不得分]", _read,
             (Example("每出现一次未达要求扣1分，最多扣4分",
                      {"kind": "per_occurrence", "deduct_points": 1, "max_points": 4, "counts": "次未达要求"}),
              Example("每出现一次扣1分，最多扣4分，扣完为止", {"kind": "per_occurrence", "deduct_points": 1, "max_points": 4}),
              Example("每出现一个专项未按进度完成扣0.5分，扣完为止",
                      {"kind": "per_occurrence", "deduct_points": 0.5, "counts": "个专项未按进度完成"}),
              Example("每出现一次扣分值的10%，扣完为止；出现3次及以上的，本指标不得分",
                      {"kind": "per_occurrence", "deduct": "10%", "veto_at": 3}))),
    Phrasing("{出现|发现}{veto:int}{counts:text}及以上的，本指标不得分", _read,
             (Example("出现2次及以上的，本指标不得分", {"kind": "per_occurrence", "veto_at": 2}),)),
    Phrasing("发现一{:text}[的]{此分值扣完|本指标不得分|本项不得分|该项不得分|即扣完}", {"kind": "per_occurrence", "veto_at": 1},
             (Example("发现一户未纳入的此分值扣完", {"kind": "per_occurrence", "veto_at": 1}),)),
)

KIND = register(Kind(
    "per_occurrence", per_occurrence, compile, describe,
    params={
        "deduct_points": described({"type": "number", "minimum": 0}, "每出现一次扣的分数。", 1),
        "deduct": described({"$ref": "#/$defs/share"}, "每出现一次扣的分值比例（与 deduct_points 二选一）。", "25%"),
        "max_points": described({"type": "number", "minimum": 0}, "最多扣的分数。", 4),
        "veto_at": described({"type": "integer", "minimum": 1}, "出现这么多次起，本指标不得分（一票否决）。", 1),
        "counts": described({"type": "string", "minLength": 1},
                            "一次“出现”在评分标准里的说法，接在数字之后（默认“次”）：写“个专项未按进度完成”，"
                            "即读作“每出现一个专项未按进度完成扣0.5分”。", "个专项未按进度完成"),
        "measure": MEASURE_SCHEMA,
    },
    generate=generate, docs=DOCS,
    names=("按次扣分",),
    phrasings=PHRASINGS,
))
