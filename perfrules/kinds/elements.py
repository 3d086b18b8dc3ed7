"""The `elements` kind (要素计分): each element present earns its share of the weight."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Mapping

from ..decimals import ONE, ZERO, pct
from ..i18n import gettext as _
from ..model import Element
from ..result import later
from .base import Context, Inputs, Kind, Need, Outcome, Scored, Unscored, Wording, described, register
from .common import PCT
from .words import share_words
from .phrase import MAX_ELEMENTS, Drafted, Example, Given, Phrasing, Unclear, clauses, match, share_of


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
    return Scored(share=share, because=(_have_words, have, *(shares[n] for n in present)), expr=(PCT, share),
                  met=share >= ONE)


@later
def _have_words(have: str, *shares: Decimal) -> str:
    """The reason, written when it is read (result.Later): the elements present and their shares."""
    return have + (f"（{' + '.join(map(pct, shares))}）" if len(shares) > 1 else "")


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


# one clause of a 要素 text (split at ，；。): which elements it pays, and how
ELEMENT_CLAUSES: tuple[tuple[str, str], ...] = (
    ("具备要素{n:int}得{share:share}[{:term}]", "one"),
    ("具备要素{n:int}{~|-|至}{m:int}得{share:share}[{:term}]", "span"),
    ("具备{one:int}个要素得{each:share}[{:term}]", "each"),
    ("{其余要素|其他要素}每{符合|具备}一项{得|增加}{each:share}[{:term}]", "each"),
    ("{如果|如}{veto:text}本指标不得分", "veto"),
    ("{mark:circled}{:text}[得]{points:pts}分", "circled"),
)
CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"


def _read(slots: dict[str, Any], given: Given) -> Drafted | None:
    """Each clause pays some elements a share (or points), or names the veto elements; the
    elements themselves come from the table's 要素 column, or from the numbers the text names."""
    shares: dict[int, str] = {}
    each: str | None = None
    vetoes: list[int] = []
    for clause in clauses(slots["text"], ";,。"):
        hit = next(((how, got) for pattern, how in ELEMENT_CLAUSES if (got := match(pattern, clause)) is not None), None)
        if hit is None:
            return None
        how, got = hit
        if how == "one":
            shares[got["n"]] = got["share"]
        elif how == "span":
            if got["m"] - got["n"] > MAX_ELEMENTS:
                raise Unclear(f"要素{got['n']}~{got['m']}: more than {MAX_ELEMENTS} elements")
            shares.update({n: got["share"] for n in range(got["n"], got["m"] + 1)})
        elif how == "each":
            if got.get("one", 1) != 1:
                raise Unclear(f"'具备{got['one']}个要素得{got['each']}': is that each element's share or all {got['one']}'s?")
            each = got["each"]
        elif how == "veto":
            vetoes += [int(n) for n in re.findall(r"要素(\d+)", got["veto"])]
            if not vetoes:
                return None
        else:
            shares[CIRCLED.index(got["mark"]) + 1] = share_of(got["points"], given.weight, f"element {got['mark']}")
    if not shares and each is None:
        return None
    named = max([*shares, *vetoes], default=0)
    if named > MAX_ELEMENTS or len(given.elements) > MAX_ELEMENTS:
        raise Unclear(f"more than {MAX_ELEMENTS} elements")
    count = len(given.elements) or (named if each is None else 0)
    if not count:
        raise Unclear("the text does not say how many elements there are: list them in the table's 要素 column")
    if named > count:
        raise Unclear(f"the text names element {named} but the table lists {count}")
    texts = given.elements or tuple(f"要素{n}" for n in range(1, count + 1))
    elements: list[Any] = []
    for n, text in enumerate(texts, 1):
        item: dict[str, Any] = {"text": text}
        if n in shares:
            item["share"] = shares[n]
        if n in vetoes:
            item["veto"] = True
        elements.append(item if len(item) > 1 else text)
    if each is None and len(shares) < count:
        raise Unclear(f"elements {', '.join(str(n) for n in range(1, count + 1) if n not in shares)} earn no share in the text")
    return Drafted({"kind": "elements", "each": each} if each is not None else {"kind": "elements"}, tuple(elements))


# 评分标准 sentences read back as this kind (`perfrules draft`)
PHRASINGS = (
    Phrasing("{text:text}", _read,
             (Example("具备要素1得30%权重分，具备要素2得30%权重分，具备要素3得40%权重分", {"kind": "elements"}),
              Example("具备1个要素得20%权重分。如果缺要素4或缺要素5本指标不得分", {"kind": "elements", "each": "20%"},
                      elements=("一", "二", "三", "四", "五")),
              Example("具备1个要素得20%权重分。如果缺要素4或缺要素5本指标不得分", unclear="how many elements"),
              Example("具备要素1得50%，其余要素每符合一项增加6.25%", unclear="how many elements"),
              Example("具备要素1~8得6.25%，具备要素9得50%", {"kind": "elements"}),
              Example("①制度健全1分；②执行有效1分；③档案完整1分", {"kind": "elements"}, weight=Decimal(3)))),
)

KIND = register(Kind(
    "elements", elements, compile, describe, params={"each": described({"$ref": "#/$defs/share"}, "未单独写 share 的每个要素所得的分值比例。", "20%", "1/3")},
    generate=generate, docs=DOCS, element_total=total,
    names=("要素计分",),
    phrasings=PHRASINGS,
))
