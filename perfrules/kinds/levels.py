"""The `levels` kind (分类计分): the situation the input names gives the points or the share."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Mapping

from ..decimals import ZERO, fmt, pct
from ..values import key_of
from .base import Context, Inputs, Kind, Need, Outcome, Scored, Unscored, Wording, described, register
from .common import find_level
from .words import item, share_words
from .phrase import Example, Given, Phrasing, clauses, match


@dataclass(frozen=True)
class Level:
    name: str
    keys: tuple[str, ...]
    points: Decimal | None
    share: Decimal | None


@dataclass(frozen=True)
class Levels:
    levels: tuple[Level, ...]


def compile(raw: Mapping[str, Any], c: Context) -> Levels:
    out = []
    for i, lv in enumerate(raw["levels"]):
        names = (lv["name"], *lv.get("aliases", ()))
        out.append(Level(lv["name"], tuple(key_of(n) for n in names),
                         Decimal(lv["points"]) if "points" in lv else None,
                         c.share(lv["share"], "levels", i, "share") if "share" in lv else None))
    return Levels(tuple(out))


def levels(p: Levels, x: Inputs) -> Outcome:
    """分类计分: the level the input names gives the points (无结余3分；有结余但不超过上年结转2分…)."""
    names = "、".join(lv.name for lv in p.levels)
    if x.level is None:
        return Unscored("missing_level", f"没有给出所属情形（level），可选：{names}")
    lv = find_level(p.levels, x.level)
    if lv is None:
        return Unscored("unknown_level", f"情形「{x.level}」不在本指标的情形中（{names}）")
    if lv.points is not None:
        return Scored(points=lv.points, because=f"属于「{lv.name}」", expr=fmt(lv.points))
    return Scored(share=lv.share, because=f"属于「{lv.name}」", expr=pct(lv.share or ZERO))


def describe(p: Levels, w: Wording) -> str:
    return "；".join(f"{lv.name}，得{fmt(lv.points)}分" if lv.points is not None
                    else f"{lv.name}，得{w.terms.weight_points}的{share_words(item(w.raw, 'levels', i, 'share'), lv.share or Decimal(0))}"
                    for i, lv in enumerate(p.levels))


def generate(raw: Mapping[str, Any]) -> Need:
    return Need("level", levels=tuple(lv["name"] for lv in raw["levels"]))


LEVEL = {
    "type": "object", "additionalProperties": False, "required": ["name"],
    "properties": {"name": described({"type": "string"}, "情形的名称，输入表的 level 写它。", "无结余"),
                   "aliases": described({"type": "array", "items": {"type": "string"}}, "情形的其他写法。", ["没有结余"]),
                   "points": described({"type": "number", "minimum": 0}, "本情形得的分数。", 3),
                   "share": described({"$ref": "#/$defs/share"}, "本情形得的分值比例（与 points 二选一）。", "50%")},
    "oneOf": [{"required": ["points"]}, {"required": ["share"]}],
}

DOCS = r"""
分类计分: the situation the input names (its `level`) gives the points or a share. "无结余3分；有结余但不超过上年结转2分；结余超过上年结转不得分".

| param | default | meaning |
|---|---|---|
| `levels` | required | a list of `{name, aliases, points}` or `{name, aliases, share}` |

```yaml
# example
- name: 结转结余情况
  weight: 3
  method:
    kind: levels
    levels:
      - {name: 无结余, points: 3}
      - {name: 有结余但不超过上年结转, points: 2}
      - {name: 结余超过上年结转, points: 0}
# {level: 无结余} → 3.00
# {level: 有结余但不超过上年结转} → 2.00
# {level: 有结余} → unscored (unknown_level)
# {} → unscored (missing_level)
```
"""


# one situation of a 分类 text: its name (no numbers), then its points or a share, or nothing
LEVEL_CLAUSES: tuple[tuple[str, Mapping[str, Any]], ...] = (
    ("{name:name}[，][{得|计}]{points:pts}分", {}),
    ("{name:name}[，]{得|计}{:term}的{share:share}", {}),
    ("{name:name}[，]不得分", {"points": 0}),
)


def _read(slots: dict[str, Any], given: Given) -> Mapping[str, Any] | None:
    """Two or more clauses (；), each a named situation and what it earns."""
    levels = []
    for clause in clauses(slots["text"]):
        level = next(({**fixed, **got} for pattern, fixed in LEVEL_CLAUSES if (got := match(pattern, clause)) is not None),
                     None)
        if level is None:
            return None
        levels.append(level)
    if len(levels) < 2:
        return None
    return {"kind": "levels", "levels": [{"name": lv.pop("name"), **lv} for lv in levels]}


# 评分标准 sentences read back as this kind (`perfrules draft`)
PHRASINGS = (
    Phrasing("{text:text}", _read,
             (Example("无结余3分；有结余但不超过上年结转2分；结余超过上年结转不得分",
                      {"kind": "levels", "levels": [{"name": "无结余", "points": 3},
                                                    {"name": "有结余但不超过上年结转", "points": 2},
                                                    {"name": "结余超过上年结转", "points": 0}]}),
              Example("无结余，得3分；有结余但不超过上年结转，得2分；结余超过上年结转，得0分",
                      {"kind": "levels", "levels": [{"name": "无结余", "points": 3},
                                                    {"name": "有结余但不超过上年结转", "points": 2},
                                                    {"name": "结余超过上年结转", "points": 0}]}))),
)

KIND = register(Kind(
    "levels", levels, compile, describe,
    params={"levels": described({"type": "array", "minItems": 1, "items": LEVEL}, "各种情形及其分数或比例。",
                               [{"name": "无结余", "points": 3}])}, required=("levels",),
    generate=generate, docs=DOCS,
    names=("分类计分",),
    phrasings=PHRASINGS,
))
