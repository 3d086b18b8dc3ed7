"""The `elements` kind (要素计分): each element present earns its share of the weight."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Mapping

from ..decimals import ONE, ZERO, pct
from ..model import Element
from .base import Context, Inputs, Kind, Need, Outcome, Scored, Unscored, Wording, register
from .words import share_words


@dataclass(frozen=True)
class Elements:
    each: Decimal | None  # the share of every element that has none of its own


def compile(raw: Mapping[str, Any], c: Context) -> Elements:
    each = c.share(raw["each"], "each") if "each" in raw else None
    if not c.elements:
        c.fail("the indicator lists no elements: add `elements:` beside `method:`")
    if each is None:
        missing = [e.number for e in c.elements if e.share is None]
        if missing:
            c.fail(f"elements {', '.join(map(str, missing))} have no share: give them `share:` or the method `each:`", "each")
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


EXAMPLE = """\
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
"""

KIND = register(Kind(
    "elements", elements, compile, describe, params={"each": {"$ref": "#/$defs/share"}},
    generate=generate, example=EXAMPLE, element_total=total,
))
