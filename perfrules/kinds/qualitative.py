"""The `qualitative` kind (定性指标): the level (达成 / 部分达成 / 未达成) bounds the share."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Mapping

from ..decimals import fmt, pct
from ..i18n import gettext as _
from ..values import Number, Text, key_of, simple
from .base import NAMES, Context, Inputs, Kind, Need, Outcome, Scored, Unscored, Wording, described, register
from ..result import later
from .common import PCT, find_level
from .words import interval_words
from .phrase import Example, Given, Phrasing, Unclear, clauses, each_clause, match


@dataclass(frozen=True)
class QLevel:
    name: str
    keys: tuple[str, ...]
    interval: Any  # model.Interval over shares (0–1)
    default: Decimal | None
    words: str | None  # met | partly | not_met: the vocabulary class that means this level


@dataclass(frozen=True)
class Qualitative:
    levels: tuple[QLevel, ...]


NATIONAL_LEVELS = [
    {"name": "达成年度指标", "aliases": ["达成", "完成"], "range": "[80%, 100%]", "default": "100%", "words": "met"},
    {"name": "部分达成年度指标并具有一定效果", "aliases": ["部分达成", "部分完成", "基本达成"], "range": "[60%, 80%)", "words": "partly"},
    {"name": "未达成年度指标且效果较差", "aliases": ["未达成", "未完成"], "range": "[0%, 60%)", "words": "not_met"},
]


def compile(raw: Mapping[str, Any], c: Context) -> Qualitative:
    written = raw.get("levels")
    out = []
    for i, lv in enumerate(written if written is not None else NATIONAL_LEVELS):
        where = ("levels", i) if written is not None else ()
        interval = c.interval(lv["range"], *where, "range", share=True)
        default = c.share(lv["default"], *where, "default") if "default" in lv else None
        if default is not None and not interval.contains(default):
            c.fail(_("default {share} is outside the level's range {interval}").format(share=pct(default), interval=interval),
                   *where, "default")
        names = (lv["name"], *lv.get("aliases", ()))
        out.append(QLevel(lv["name"], tuple(key_of(n) for n in names), interval, default, lv.get("words")))
    return Qualitative(tuple(out))


def qualitative(p: Qualitative, x: Inputs) -> Outcome:
    """定性指标: the level (达成 / 部分达成 / 未达成) bounds the share the evaluator chooses.

    The level comes from the input's `level`, or from the actual: the same words as the
    target, or a vocabulary word. The share comes from the input's `fraction` (checked
    against the level's band), else the level's default, else the unit's reported score
    when it lies in the band.
    """
    A, T = x.terms.actual, x.terms.target
    level, how = None, ""
    if x.level is not None:
        level = find_level(p.levels, x.level) or _worded_level(p.levels, x.level, x)
        if level is None:
            names = "、".join(lv.name for lv in p.levels)
            return Unscored("unknown_level", f"等级「{x.level}」不是本方案的定性等级（{names}）")
        how = f"评定为「{level.name}」"
    else:
        a, t = simple(x.actual), simple(x.target)
        if a is None:
            return Unscored("missing_actual", f"没有{A}，也没有给出定性等级（level）")
        klass = None
        named = find_level(p.levels, a.text) if isinstance(a, Text) else None
        if named is not None:
            # the actual names the level itself: 达成年度指标, 部分达成年度指标并具有一定效果
            level, how = named, f"{A}「{_short(a.text)}」，即该定性等级"
        elif isinstance(t, Text) and key_of(str(a)) == key_of(t.text):
            klass, how = "met", f"{A}「{a}」与{T}一致"
        elif isinstance(a, Text):
            found = x.vocabulary.classify(a.text)
            if found is not None:
                klass, how = found[0], f"{A}「{_short(a.text)}」按词表「{found[1]}」"
        elif isinstance(a, Number) and a.unit == "%" and a.value >= 100:
            klass, how = "met", f"{A}{a}（全部完成）"  # 按计划完成 answered with 100%
        if level is None and klass is None:
            return Unscored("qualitative_unread",
                            f"{A}「{_short(str(a))}」不能按本方案词表判定等级，请在输入中给出 level（及 fraction）")
        if level is None:
            level = next((lv for lv in p.levels if lv.words == klass), None)
            if level is None:
                return Unscored("qualitative_unread", f"{how}，但本方案的定性等级没有对应「{klass}」的一档")
            how += f"，评定为「{level.name}」"
    band = level.interval
    if x.fraction is not None:
        if not band.contains(x.fraction):
            return Unscored("fraction_outside_band",
                            f"{how}，所给比例{pct(x.fraction)}不在该档{band}之内")
        return Scored(share=x.fraction, because=(_taken_words, how, str(band), x.fraction, "评价人取"), expr=(PCT, x.fraction),
                      met=level.words == "met")
    if level.default is not None:
        return Scored(share=level.default, because=(_taken_words, how, str(band), level.default, "未给出比例，取本档默认"),
                      expr=(PCT, level.default), met=level.words == "met")
    if x.reported_score is not None and x.weight:
        share = x.reported_score / x.weight
        if band.contains(share):
            return Scored(share=share, because=f"{how}（{band}），采用单位自评得分{fmt(x.reported_score)}",
                          expr=f"{fmt(x.reported_score)}/{fmt(x.weight)}", met=level.words == "met")
    return Unscored("fraction_required", f"{how}（{band}），需要评价人在该档内给出比例（fraction）")


def _worded_level(levels: tuple[QLevel, ...], name: str, x: Inputs) -> QLevel | None:
    """A level given in other words the scheme's vocabulary knows: 达成预期指标 is 达成年度指标."""
    found = x.vocabulary.classify(name)
    if found is None or key_of(name) != found[1]:
        return None  # only the whole word: 未能部分达成 must not pass as 部分达成
    return next((lv for lv in levels if lv.words == found[0]), None)


def _short(text: str, limit: int = 24) -> str:
    return text if len(text) <= limit else text[:limit] + "…"


def describe(p: Qualitative, w: Wording) -> str:
    bands = "；".join(f"{lv.name}的，得{w.terms.weight}的{interval_words(lv.interval, pct, both_ends=True)}" for lv in p.levels)
    return f"定性指标分档计分：{bands}（评价人在档内确定比例）"


def generate(raw: Mapping[str, Any]) -> Need:
    """A level with a share inside its band, or a vocabulary word."""
    return Need("level_in_band", bands=tuple(raw.get("levels") or NATIONAL_LEVELS))


LEVEL = {
    "type": "object", "additionalProperties": False, "required": ["name", "range"],
    "properties": {"name": described({"type": "string"}, "档次名称，输入表的 level 写它。", "达成年度指标"),
                   "aliases": described({"type": "array", "items": {"type": "string"}}, "档次的其他写法。", ["达成"]),
                   "range": described({"$ref": "#/$defs/interval"}, "本档得分占分值比例的区间，评价人在其中取值。",
                                      "[80%, 100%]"),
                   "default": described({"$ref": "#/$defs/share"}, "评价人未给比例时本档所取的比例。", "100%"),
                   "words": described({"enum": ["met", "partly", "not_met"],
                                       NAMES: {"达成": "met", "部分达成": "partly", "未达成": "not_met"}},
                                      "词表中哪一类词（vocabulary 的 met、partly、not_met）判为本档。", "met", "达成")},
}

DOCS = r"""
定性指标: the level (达成 / 部分达成 / 未达成) bounds the share the evaluator chooses. By
default the national three levels:

| level | aliases | share of the weight | default | vocabulary class |
|---|---|---|---|---|
| 达成年度指标 | 达成, 完成 | [80%, 100%] | 100% | `met` |
| 部分达成年度指标并具有一定效果 | 部分达成, 部分完成, 基本达成 | [60%, 80%) | — | `partly` |
| 未达成年度指标且效果较差 | 未达成, 未完成 | [0%, 60%) | — | `not_met` |

The level is the input's `level` (or the reviewer's `review_level`); without one, an
actual with the same words as the target is 达成, and otherwise the vocabulary class of
the actual picks the level whose `words` it is. The share is the input's `fraction`
(which must lie in the level's band, else `fraction_outside_band`), else the level's
`default`, else the unit's `reported_score` ÷ weight when that lies in the band, else the
indicator is unscored (`fraction_required`). An actual of 100% or more (按计划完成
answered with `100%`) is 达成. Any other actual the vocabulary cannot read (a narrative,
or a number below 100%) is unscored (`qualitative_unread`) until the input gives `level`.

| param | default | meaning |
|---|---|---|
| `levels` | the national three | a list of `{name, aliases, range, default, words}`; `range` an interval of shares (`"[80%, 100%]"`), `default` a share inside it, `words` one of `met`, `partly`, `not_met` |

Seed 001's 人员配备合理性 (target 合理):

```yaml
# example
vocabulary: {met: [合理], partly: [基本合理], not_met: [不合理]}
indicators:
  - name: 人员配备合理性
    weight: 1.67
    target: 合理
    method: {kind: qualitative}
# {actual: 合理} → 1.67
# {actual: 基本合理, fraction: 70%} → 1.17
# {actual: 基本合理} → unscored (fraction_required)
# {actual: 基本合理, fraction: 90%} → unscored (fraction_outside_band)
# {actual: 基本合理, reported_score: 1.2} → 1.20
# {actual: 人员已按岗位配备到位, level: 达成年度指标} → 1.67
# {actual: 人员已按岗位配备到位} → unscored (qualitative_unread)
```

The family of forms with 80/50 instead of 80/60:

```yaml
# example
- name: 社会效益
  weight: 10
  method:
    kind: qualitative
    levels:
      - {name: 达成年度指标, aliases: [达成], range: "[80%, 100%]", default: 100%, words: met}
      - {name: 部分达成年度指标并具有一定效果, aliases: [部分达成], range: "[50%, 80%)", words: partly}
      - {name: 未达成年度指标且效果较差, aliases: [未达成], range: "[0%, 50%)", words: not_met}
# {level: 部分达成, fraction: 55%} → 5.50
# {level: 部分达成, fraction: 45%} → unscored (fraction_outside_band)
# {level: 达成} → 10.00
```
"""




def _national(levels: list[tuple[str, str]]) -> Mapping[str, Any]:
    """The national three levels, or levels of their names with other bands."""
    if [n for n, _ in levels] != [lv["name"] for lv in NATIONAL_LEVELS]:
        raise Unclear("the levels are not the national three (达成年度指标 / 部分达成年度指标并具有一定效果 / "
                      "未达成年度指标且效果较差): say which vocabulary word means each, and its default share")
    if [r for _, r in levels] == [lv["range"] for lv in NATIONAL_LEVELS]:
        return {"kind": "qualitative"}
    out = []
    for (name, band), national in zip(levels, NATIONAL_LEVELS):
        level: dict[str, Any] = {"name": name, "aliases": list(national["aliases"]), "range": band,
                                 "words": national["words"]}
        if "default" in national:
            level["default"] = national["default"]
        out.append(level)
    return {"kind": "qualitative", "levels": out}


def _explained(slots: dict[str, Any], given: Given) -> Mapping[str, Any] | None:
    """explain's sentence: '定性指标分档计分：达成年度指标的，得分值的80%（含）至100%（含）；…'."""
    got = each_clause(clauses(slots["text"]), (("{name:name}的，得{:term}的{range:shares}", "level"),))
    return None if got is None else _national([(level["name"], level["range"]) for _, level in got])


def _national_text(slots: dict[str, Any], given: Given) -> Mapping[str, Any]:
    """The national table's sentence: three names, then three ranges high end first."""
    names, ranges = slots["names"].split("、"), slots["ranges"].split("、")
    if len(names) != len(ranges):
        raise Unclear(f"{len(names)} levels but {len(ranges)} ranges")
    read = [match("{r:shares}", r) for r in ranges]
    return _national([(n, got["r"]) for n, got in zip(names, read) if got is not None])


# 评分标准 sentences read back as this kind (`perfrules draft`)
PHRASINGS = (
    Phrasing("定性指标分档计分：{text:text}（评价人在档内确定比例）", _explained,
             (Example("定性指标分档计分：达成年度指标的，得分值的80%（含）至100%（含）；部分达成年度指标并具有一定效果的，"
                      "得分值的60%（含）至80%；未达成年度指标且效果较差的，得分值的0%（含）至60%（评价人在档内确定比例）",
                      {"kind": "qualitative"}),)),
    Phrasing("[{:term}：]根据指标完成情况分为{names:text}三档，分别按照该指标对应分值区间{ranges:text}合理确定分值",
             _national_text,
             (Example("根据指标完成情况分为达成年度指标、部分达成年度指标并具有一定效果、未达成年度指标且效果较差三档，"
                      "分别按照该指标对应分值区间100%-80%（含）、80%-60%（含）、60%-0%合理确定分值", {"kind": "qualitative"}),
              Example("根据指标完成情况分为达成年度指标、部分达成年度指标并具有一定效果、未达成年度指标且效果较差三档，"
                      "分别按照该指标对应分值区间100%-80%（含）、80%-50%（含）、50%-0%合理确定分值",
                      {"kind": "qualitative", "levels": [
                          {"name": "达成年度指标", "aliases": ["达成", "完成"], "range": "[80%, 100%]", "words": "met",
                           "default": "100%"},
                          {"name": "部分达成年度指标并具有一定效果", "aliases": ["部分达成", "部分完成", "基本达成"],
                           "range": "[50%, 80%)", "words": "partly"},
                          {"name": "未达成年度指标且效果较差", "aliases": ["未达成", "未完成"], "range": "[0%, 50%)",
                           "words": "not_met"}]}))),
)

KIND = register(Kind(
    "qualitative", qualitative, compile, describe,
    params={"levels": described({"type": "array", "minItems": 1, "items": LEVEL}, "各档次及其比例区间（默认全国通行的三档）。",
                               [{"name": "达成年度指标", "range": "[80%, 100%]"}])},
    generate=generate, docs=DOCS,
    names=("定性指标",),
    phrasings=PHRASINGS,
))


@later
def _taken_words(how: str, band: str, share: Decimal, taken: str) -> str:
    """The reason of a share taken in a band, written when it is read (result.Later)."""
    return f"{how}（{band}），{taken}{pct(share)}"
