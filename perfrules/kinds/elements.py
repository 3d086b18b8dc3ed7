"""The `elements` kind (要素计分): each element present earns its share of the weight."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Mapping

from ..decimals import ONE, ZERO, pct
from ..i18n import gettext as _
from ..model import Element
from .base import Context, Inputs, Kind, Need, Outcome, Scored, Unscored, Wording, described, register
from .words import share_words


@dataclass(frozen=True)
class Elements:
    each: Decimal | None  # the share of every element that has none of its own


def compile(raw: Mapping[str, Any], c: Context) -> Elements:
    each = c.share(raw["each"], "each") if "each" in raw else None
    if not c.elements:
        c.fail(_("the indicator lists no elements: add `elements:` beside `method:`"))
    if each is None:
        missing = [e.number for e in c.elements if e.share is None]
        if missing:
            c.fail(_("elements {numbers} have no share: give them `share:` or the method `each:`").format(
                numbers=", ".join(map(str, missing))), "each")
    return Elements(each)


def element_shares(specs: tuple[Any, ...], each: Decimal | None) -> dict[int, Decimal]:
    return {e.number: (e.share if e.share is not None else (each or ZERO)) for e in specs}


def elements(p: Elements, x: Inputs) -> Outcome:
    """要素计分: each element present earns its share of the weight; a missing veto element voids it."""
    if x.elements is None:
        return Unscored("missing_elements", "没有给出具备的要素（elements）")
    shares = element_shares(x.element_specs, p.each)
    unknown = sorted(n for n in x.elements if n not in shares)
    if unknown:
        return Unscored("unknown_element", f"本指标没有要素{'、'.join(map(str, unknown))}（共{len(shares)}个要素）")
    present = sorted(x.elements)
    missing_veto = [e.number for e in x.element_specs if e.veto and e.number not in x.elements]
    have = "具备要素" + "、".join(map(str, present)) if present else "不具备任何要素"
    if missing_veto:
        return Scored(share=ZERO, expr="0", met=False,
                      because=f"{have}，缺要素{'、'.join(map(str, missing_veto))}，本指标不得分")
    share = sum((shares[n] for n in present), ZERO)
    parts = " + ".join(pct(shares[n]) for n in present)
    because = have + (f"（{parts}）" if len(present) > 1 else "")
    return Scored(share=share, because=because, expr=pct(share), met=share >= ONE)


def describe(p: Elements, w: Wording) -> str:
    WP = w.terms.weight_points
    specs = w.elements
    shares = element_shares(specs, p.each)
    own = [e for e in specs if e.share is not None]
    each = share_words(w.raw.get("each"), p.each) if p.each is not None else ""
    if p.each is None:
        text = "，".join(f"具备要素{e.number}得{share_words(e.share_text, shares[e.number])}{WP}" for e in specs)
    elif not own:
        text = f"具备1个要素得{each}{WP}"
    else:
        named = "，".join(f"具备要素{e.number}得{share_words(e.share_text, e.share)}{WP}" for e in own if e.share is not None)
        text = f"{named}，其余要素每符合一项得{each}{WP}"
    vetoes = [e.number for e in specs if e.veto]
    if vetoes:
        text += "。如果" + "或".join(f"缺要素{n}" for n in vetoes) + "本指标不得分"
    return text


def total(p: Elements, specs: tuple[Element, ...]) -> Decimal:
    """What a unit with every element earns, as a share of the weight (the loader checks it is 100%)."""
    return sum((e.share if e.share is not None else (p.each or ZERO) for e in specs), ZERO)


def generate(raw: Mapping[str, Any]) -> Need:
    return Need("elements")


DOCS = r"""
要素计分: each element present earns its share; a missing veto element voids the
indicator. Seed 001: "具备要素1得30%权重分，具备要素2得30%权重分，具备要素3得40%权重分";
"具备1个要素得20%权重分。如果缺要素4或缺要素5本指标不得分"; "具备要素1得50%，其余要素每符合一项增加6.25%".
The elements present come from the input's `elements` (numbers, from 1).

| param | default | meaning |
|---|---|---|
| `each` | — | the share of every element that has no `share` of its own; required if any element lacks one |

The indicator must list its `elements`. A share total above 100% is a load warning
(`element_shares_over_100`); an element number the indicator does not have is unscored
(`unknown_element`).

```yaml
# example
- name: 预算编制合理性
  weight: 2.22
  elements:
    - {text: 子项目预算内容与项目实际工作内容匹配, share: 30%}
    - {text: 总预算细分为具体子项目预算, share: 30%}
    - {text: 预算额度测算依据充分，数量与产出指标匹配，单价有标准来源, share: 40%}
  method: {kind: elements}
# {elements: [1, 2, 3]} → 2.22
# {elements: [1, 3]} → 1.55
# {elements: [1, 4]} → unscored (unknown_element)
```

Elements 1 and 3: 2.22 × 70% = 1.554 → 1.55.

```yaml
# example
- name: 资金使用规范性
  weight: 2.22
  rule: 具备1个要素得20%权重分。如果缺要素4或缺要素5本指标不得分。
  elements:
    - 不存在截留、挤占、挪用、虚列支出等情况
    - 符合国家财经法规和财务管理制度以及有关专项资金管理办法的规定
    - 符合项目预算批复或合同规定的用途
    - {text: 项目的重大开支经过评估认证, veto: true}
    - {text: 预算资金的拨付有完整的审批程序和手续, veto: true}
  method: {kind: elements, each: 20%}
# {elements: [1, 2, 4, 5]} → 1.78
# {elements: [1, 2, 3, 4]} → 0.00
```

A base element plus increments (element 1 is 50%, each other 6.25%, counted whether or
not element 1 is there):

```yaml
# example
- name: 财务管理制度健全性
  weight: 2.22
  rule: 具备要素1得50%，其余要素每符合一项增加6.25%
  elements:
    - {text: 往来资金结算管理相关规定完整, share: 50%}
    - 支出管理相关规定完整
    - 收入管理相关规定完整
    - 现金及银行存款管理相关规定完整
    - 财务监督管理相关规定完整
    - 资产管理相关规定完整
    - 采购管理相关规定完整
    - 预算管理相关规定完整
    - 已制定专项资金管理制度或有适用于本项目的财务管理制度
  method: {kind: elements, each: 6.25%}
# {elements: [1, 2, 3]} → 1.39
# {elements: [2, 3]} → 0.28
```

Elements 1, 2, 3: 62.5% → 1.3875 → 1.39. Elements 2 and 3 alone: 12.5% → 0.2775 → 0.28.
"""

KIND = register(Kind(
    "elements", elements, compile, describe, params={"each": described({"$ref": "#/$defs/share"}, "未单独写 share 的每个要素所得的分值比例。", "20%", "1/3")},
    generate=generate, docs=DOCS, element_total=total,
    names=("要素计分",),
))
