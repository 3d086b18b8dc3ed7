"""The `bands` kind (分档计分): the band containing the value gives the points or the share."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Mapping

from ..decimals import ZERO, fmt, pct
from ..i18n import gettext as _
from ..values import Value
from .base import Context, Direction, Inputs, Kind, Need, Outcome, Scored, Unscored, Wording, described, register
from .common import MEASURE_SCHEMA, choice, measure_need, measured_value, percent_reading
from .words import interval_words, item, share_words, unit_of
from .phrase import Example, Given, Phrasing, clauses, each_clause, match


@dataclass(frozen=True)
class StepBand:
    interval: Any  # model.Interval
    share: Decimal | None
    points: Decimal | None


@dataclass(frozen=True)
class Bands:
    measure: str
    bands: tuple[StepBand, ...]


def compile(raw: Mapping[str, Any], c: Context) -> Bands:
    out = []
    for i, b in enumerate(raw["bands"]):
        interval = c.interval(b["range"], "bands", i, "range")
        share = c.share(b["share"], "bands", i, "share") if "share" in b else None
        points = Decimal(b["points"]) if "points" in b else None
        out.append(StepBand(interval, share, points))
    for i, a in enumerate(out):
        for j in range(i):
            if _overlap(a.interval, out[j].interval):
                c.fail(_("overlaps band {index} ({interval}): a value would get two scores").format(index=j, interval=out[j].interval),
                       "bands", i, "range")
    return Bands(choice(raw, "measure", "actual"), tuple(out))


def _overlap(a: Any, b: Any) -> bool:
    lo_a, hi_a = a.low if a.low is not None else Decimal("-Infinity"), a.high if a.high is not None else Decimal("Infinity")
    lo_b, hi_b = b.low if b.low is not None else Decimal("-Infinity"), b.high if b.high is not None else Decimal("Infinity")
    if hi_a < lo_b or hi_b < lo_a:
        return False
    if hi_a == lo_b:
        return bool(a.high_inclusive and b.low_inclusive)
    if hi_b == lo_a:
        return bool(b.high_inclusive and a.low_inclusive)
    return True


def bands(p: Bands, x: Inputs) -> Outcome:
    """分档计分: the band containing the value gives the points (≥90%计5分；80%(含)-90%计4分…)."""
    got = measured_value(x, p.measure, "分档")
    if not isinstance(got, tuple):
        return got
    a, findings = got
    unit = next((b.interval.unit for b in p.bands if b.interval.unit), "")
    if p.measure == "actual":
        read = percent_reading(x, a, unit, "分档")
        if isinstance(read, Unscored):
            return read
        a, findings = read[0], findings + read[1]
    for band in p.bands:
        unit = band.interval.unit
        if unit and a.unit and unit != a.unit:
            return Unscored("unit_mismatch", f"{x.terms.actual}{a}与分档{band.interval}的单位不同")
        if band.interval.contains(a.value):
            if band.points is not None:
                return Scored(points=band.points, because=f"{x.terms.actual}{a}，在{band.interval}档", expr=f"{fmt(band.points)}",
                              findings=findings)
            return Scored(share=band.share, because=f"{x.terms.actual}{a}，在{band.interval}档", expr=pct(band.share or ZERO),
                          findings=findings)
    return Unscored("no_band", f"{x.terms.actual}{a}不在任何分档内")


def describe(p: Bands, w: Wording) -> str:
    out = []
    for i, band in enumerate(p.bands):
        gets = f"得{fmt(band.points)}分" if band.points is not None else \
            f"得{w.terms.weight_points}的{share_words(item(w.raw, 'bands', i, 'share'), band.share or Decimal(0))}"
        # both ends: a band table scores a negative actual as written (as_written), so [0%, 80%) is not 低于80%
        out.append(f"{interval_words(band.interval, unit_of(band.interval), both_ends=True)}{gets}")
    return "；".join(out)


def generate(raw: Mapping[str, Any]) -> Need:
    return measure_need(raw, "actual")


def thresholds(p: Bands) -> dict[str, set[Decimal]]:
    """Each band's ends, and a cent either side."""
    out: dict[str, set[Decimal]] = {}
    for band in p.bands:
        for end in (band.interval.low, band.interval.high):
            if end is not None:
                out.setdefault(band.interval.unit, set()).update({end, end + Decimal("0.01"), end - Decimal("0.01")})
    return out


def monotone(raw: Mapping[str, Any], target: Value | None, direction: str | None) -> Direction | None:
    """A band table has no direction of its own: the indicator's declared one (direction: lower)."""
    return "up" if direction == "higher" else "down" if direction == "lower" else None


BAND = {
    "type": "object", "additionalProperties": False, "required": ["range"],
    "properties": {"range": described({"$ref": "#/$defs/interval"}, "本档的区间，写明两端是否包含。", "[80%, 90%)"),
                   "points": described({"type": "number", "minimum": 0}, "落在本档得的分数。", 4),
                   "share": described({"$ref": "#/$defs/share"}, "落在本档得的分值比例（与 points 二选一）。", "80%")},
    "oneOf": [{"required": ["points"]}, {"required": ["share"]}],
}

DOCS = r"""
分档计分: the band that contains the value gives its points or its share. "≥90%计5分；80%(含)-90%计4分；60%(含)-80%计2分；低于60%不得分".

| param | default | meaning |
|---|---|---|
| `bands` | required | a list of `{range, points}` or `{range, share}`; `range` is an interval as in `grades` |
| `measure` | `actual` | `actual`, `elements` (how many the input lists) or `occurrences` |

Bands must not overlap, nor leave a value between two of them without a band (`80-89`
then `90-100` leaves (89, 90)): both are load errors naming a value in the hole. A band
worth more than the weight is a warning at load (`band_over_weight`). A value below the
lowest band or above the highest is unscored (`no_band`); a value whose unit differs
from the bands' is unscored (`unit_mismatch`). A negative value is scored by the bands as
written: a band such as `(, -5%]` is reached by −8%. A table that pays less for a higher
value (a complaint rate, a deviation) should say `direction: lower` beside `method:`
(validate suggests it, `bands_decreasing`): it changes no score, and tells `perfrules
check` which way the score must move.

```yaml
# example
- name: 职业健康检查覆盖率
  weight: 5
  method:
    kind: bands
    bands:
      - {range: "[90%, )", points: 5}
      - {range: "[80%, 90%)", points: 4}
      - {range: "[60%, 80%)", points: 2}
      - {range: "[0%, 60%)", points: 0}
# {actual: 90%} → 5.00
# {actual: 85%} → 4.00
# {actual: 79.9%} → 2.00
# {actual: 50%} → 0.00
```

Upper ends included, "0-10%(含)计2分；10%-20%(含)计1分":

```yaml
# example
- name: 结转结余率
  weight: 2
  method: {kind: bands, bands: [{range: "[0%, 10%]", points: 2}, {range: "(10%, 20%]", points: 1}]}
# {actual: 10%} → 2.00
# {actual: 10.01%} → 1.00
# {actual: 25%} → unscored (no_band)
```
"""


# one band of a 分档 text: its range, then its points, a share of the weight, or nothing
BAND_CLAUSES: tuple[tuple[str, Mapping[str, Any]], ...] = (
    ("{range:range}[的][，]{得|计}{points:pts}分", {}),
    ("{range:range}[的][，]{得|计}{:term}的{share:share}", {}),
    ("{range:range}[的][，]{得|计}{share:share}", {}),
    ("{range:range}[的][，]得满分", {"share": "100%"}),
    ("{range:range}[的][，]不得分", {"points": 0}),
)


def _bands(parts: list[str]) -> list[dict[str, Any]] | None:
    got = each_clause(parts, BAND_CLAUSES)
    return None if got is None else [{"range": slots.get("range"), **fixed, **slots} for fixed, slots in got]


def _read(slots: dict[str, Any], given: Given) -> Mapping[str, Any] | None:
    """Every clause a band: '≥90%计5分；80%(含)-90%计4分；…低于60%不得分' (clauses split at ；, or at
    ， where ； does not split them), the first one perhaps after its subject ('满意度95%（含）以上…')."""
    text = slots["text"]
    subject = match("{subject:subject}{rest:text}", text)
    if subject is not None:
        text = subject["rest"]
    bands = _bands(clauses(text)) or _bands(clauses(text, ";,"))
    return {"kind": "bands", "bands": bands} if bands else None


# 评分标准 sentences read back as this kind (`perfrules draft`)
PHRASINGS = (
    Phrasing("{text:text}", _read,
             (Example("≥90%计5分；80%(含)-90%计4分；60%(含)-80%计2分；低于60%不得分",
                      {"kind": "bands", "bands": [{"range": "[90%, )", "points": 5}, {"range": "[80%, 90%)", "points": 4},
                                                  {"range": "[60%, 80%)", "points": 2}, {"range": "(, 60%)", "points": 0}]}),
              Example("≥90%，计5分；80%（含）-90%，计4分",
                      {"kind": "bands", "bands": [{"range": "[90%, )", "points": 5}, {"range": "[80%, 90%)", "points": 4}]}),
              Example("0-10%(含)计2分；10%-20%(含)计1分",
                      {"kind": "bands", "bands": [{"range": "[0%, 10%]", "points": 2}, {"range": "(10%, 20%]", "points": 1}]}),
              Example("90%（含）以上得分值的100%；80%（含）至90%得分值的80%；低于80%得0分",
                      {"kind": "bands", "bands": [{"range": "[90%, )", "share": "100%"},
                                                  {"range": "[80%, 90%)", "share": "80%"}, {"range": "(, 80%)", "points": 0}]}),
              Example("95%（含）以上得满分；90%（含）至95%得80%；低于90%不得分",
                      {"kind": "bands", "bands": [{"range": "[95%, )", "share": "100%"}, {"range": "[90%, 95%)", "share": "80%"},
                                                  {"range": "(, 90%)", "points": 0}]}),
              Example("满意度95%（含）以上得满分，90%（含）至95%得80%，低于90%不得分",
                      {"kind": "bands", "bands": [{"range": "[95%, )", "share": "100%"}, {"range": "[90%, 95%)", "share": "80%"},
                                                  {"range": "(, 90%)", "points": 0}]}),
              Example("90%以上计5分；80%-90%计4分", unclear="is not stated"))),
)

KIND = register(Kind(
    "bands", bands, compile, describe,
    params={"measure": MEASURE_SCHEMA, "bands": described({"type": "array", "minItems": 1, "items": BAND},
        "分档：每档一个区间及其分数或比例。", [{"range": "[90%, )", "points": 5}])}, required=("bands",),
    generate=generate, thresholds=thresholds, monotone=monotone, docs=DOCS, as_written=True,
    names=("分档计分",),
    phrasings=PHRASINGS,
))
