"""A hand-written Decimal scorer of rulesets/hunan/department-2021.yaml (which extends
rulesets/national/project-2020.yaml), without perfrules.

The baseline for benchmarks/ratio.py: what a competent developer would write for this
one scheme. The unit brings its own indicators and weights under 产出指标, 效益指标 and
满意度指标; the funds row scores 10 × 全年执行数 ÷ 全年预算数 (at most 10). Each row is
scored by the form of its target, in the national order: a text target is qualitative
(three bands: met [80%, 100%] with 100% by default, partly [60%, 80%), not met [0, 60%),
the evaluator's `fraction` or `level` choosing), a compound target scores its worst part,
a deadline is met or not, a cost (成本指标) is lower-is-better by the national deviation
reading, anything else is higher-is-better with actual ÷ target for a shortfall.
Arithmetic is Decimal; each indicator is rounded half-up to 2 places, then the total.

`score(data)` takes the input mapping perfrules takes (examples/zhuzhou-department-2021.yaml)
and returns the total, the grade, and each indicator's score and a short reason.

It handles only the forms benchmarks/generate.py produces and the seed example:
percentages, counts and amounts with 万, `≥` targets, compound targets of labelled parts
(`企业用人单位数 \\geq 180家、人数 \\geq 3.5万`), 2021年年底完成-style deadlines and dates,
应诊尽诊 / 应报尽报 as 100%, an actual written `≥80%` (read as 80%, as this scheme says),
vocabulary words, `level` and `fraction`. It raises `Unsupported` on what it sees is
outside that (a row without a known level1, units that do not compare, a missing part, an
unknown word or level, a fraction outside its band); it has no findings, review values,
not-applicable rows, ranges, missing weights or incomplete totals, and it is not a
validator: an input perfrules refuses may still get a score here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, Mapping

CENT = Decimal("0.01")
ONE = Decimal(1)
ZERO = Decimal(0)


class Unsupported(ValueError):
    """An input this scorer was not written for."""


@dataclass(frozen=True)
class Scored:
    total: Decimal
    grade: str
    categories: dict[str, Decimal]  # 一级指标 -> the sum of its indicators
    indicators: dict[str, Decimal]  # name -> score
    reasons: dict[str, str]  # name -> why


def half_up(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


# ---------------------------------------------------------------- reading values

_PART = re.compile(r"^(?P<label>.*?)(?P<op>≥|≤)?(?P<num>\d+(?:\.\d+)?)(?P<wan>万)?(?P<unit>[^\d]*)$")
_DATE = re.compile(r"^(?P<y>\d{4})年(?:(?P<end>年底)|(?P<m>\d{1,2})月(?:(?P<d>\d{1,2})日)?)?(?:完成)?$")
_SPLIT = re.compile(r"[、，,;；]")
MEANS = {"应诊尽诊": Decimal(100), "应报尽报": Decimal(100)}


@dataclass(frozen=True)
class Part:
    label: str
    op: str  # '≥', '≤' or ''
    value: Decimal
    unit: str


def clean(raw: Any) -> str:
    return str(raw).replace("\\geq", "≥").replace("\\leq", "≤").replace(" ", "").strip()


def part(text: str) -> Part | None:
    """'人数≥3.5万' -> Part('人数', '≥', 35000, ''); '97.53%' -> Part('', '', 97.53, '%')."""
    m = _PART.match(text)
    if m is None:
        return None
    value = Decimal(m["num"]) * (10000 if m["wan"] else 1)
    return Part(m["label"], m["op"] or "", value, m["unit"])


def parts(text: str) -> list[Part] | None:
    """A value of labelled parts joined by 、 (or one part); None when any piece is not one."""
    out = [part(piece) for piece in _SPLIT.split(text) if piece]
    return out if out and all(p is not None for p in out) else None  # type: ignore[return-value]


def date(text: str) -> tuple[int, int | None, int | None] | None:
    m = _DATE.match(text)
    if m is None:
        return None
    if m["end"]:
        return int(m["y"]), 12, 31
    return int(m["y"]), int(m["m"]) if m["m"] else None, int(m["d"]) if m["d"] else None


def amount(raw: Any) -> Decimal:
    return raw if isinstance(raw, Decimal) else Decimal(str(raw).replace(",", ""))


def share(raw: Any) -> Decimal:
    if isinstance(raw, str) and raw.endswith("%"):
        return Decimal(raw[:-1]) / 100
    return Decimal(raw)


# ---------------------------------------------------------------- the scheme's words

MET = ["已完成", "完成", "已达成", "达成", "已达到", "达到", "按计划完成", "按时完成", "按期完成", "及时", "合格",
       "达标", "有效", "健全", "完备", "合理", "公开", "规范", "全覆盖", "均覆盖"]
PARTLY = ["基本完成", "部分完成", "基本达到", "基本达成", "部分达成", "基本合格"]
NOT_MET = ["未完成", "未达到", "未达成", "未按时完成", "不合格", "未达标", "无效", "不健全", "不完备", "不合理",
           "未公开", "不规范", "未覆盖"]
BANDS = {  # (lowest share, highest share, highest included, default share)
    "met": (Decimal("0.8"), ONE, True, ONE),
    "partly": (Decimal("0.6"), Decimal("0.8"), False, None),
    "not_met": (ZERO, Decimal("0.6"), False, None),
}
LEVELS = {
    "达成年度指标": "met", "达成": "met", "完成": "met",
    "部分达成年度指标并具有一定效果": "partly", "部分达成": "partly", "部分完成": "partly", "基本达成": "partly",
    "未达成年度指标且效果较差": "not_met", "未达成": "not_met", "未完成": "not_met",
}
CATEGORIES = {"产出指标": "产出指标", "效益指标": "效益指标", "满意度指标": "满意度指标", "服务对象满意度指标": "满意度指标"}


def classify(word: str) -> str | None:
    """The vocabulary's reading of a word: the longest word it is or ends with."""
    best, klass = 0, None
    for k, words in (("not_met", NOT_MET), ("partly", PARTLY), ("met", MET)):
        for w in words:
            if (word == w or word.endswith(w)) and len(w) > best:
                best, klass = len(w), k
    return klass


# ---------------------------------------------------------------- methods: raw points, and why
# The weight w is multiplied in before any division, so that a score that is exactly a
# half cent (3 × 250 ÷ 1200 = 0.625) stays exact and rounds half-up.


def higher(w: Decimal, actual: Decimal, target: Decimal) -> tuple[Decimal, str]:
    if actual >= target:
        return w, f"{actual} ≥ {target}，达成"
    return w * actual / target, f"{actual} < {target}，按{actual / target:.2%}计"


def lower(w: Decimal, actual: Decimal, target: Decimal) -> tuple[Decimal, str]:
    if actual <= target:
        return w, f"{actual} ≤ {target}，达成"
    if actual >= 2 * target:
        return ZERO, f"{actual}达到目标2倍，不得分"
    return w * (2 * target - actual) / target, f"{actual} > {target}，偏离{(actual - target) / target:.2%}"


def qualitative(w: Decimal, row: Mapping[str, Any], target: str) -> tuple[Decimal, str]:
    if row.get("level") is not None:
        klass = LEVELS.get(row["level"].strip())
        if klass is None:
            raise Unsupported(f"unknown level {row['level']!r}")
        how = row["level"]
    else:
        actual = clean(row.get("actual", ""))
        klass = "met" if actual == target else classify(actual)
        if klass is None:
            raise Unsupported(f"word not in the vocabulary: {actual!r}")
        how = actual
    low, high, high_in, default = BANDS[klass]
    if row.get("fraction") is not None:
        f = share(row["fraction"])
        if not (low <= f and (f < high or (high_in and f == high))):
            raise Unsupported(f"fraction {f} outside the band")
        return w * f, f"{how}，取{f:.0%}"
    if default is not None:
        return w * default, f"{how}，取{default:.0%}"
    if row.get("reported_score") is not None:
        reported = Decimal(row["reported_score"])
        if low <= reported / w < high:
            return reported, f"{how}，采用自评得分"
    raise Unsupported("a partly or not-met level needs a fraction")


def _word(w: Decimal, actual: str) -> tuple[Decimal, str]:
    klass = classify(actual)
    if klass == "met":
        return w, f"{actual}，视为达成"
    if klass == "not_met":
        return ZERO, f"{actual}，视为未达成"
    raise Unsupported(f"a word where a number is needed: {actual!r}")


def deadline(w: Decimal, actual: str, due: tuple[int, int | None, int | None]) -> tuple[Decimal, str]:
    done = date(actual)
    if done is None:
        return _word(w, actual)
    depth = 1 if (due[1] is None or done[1] is None) else (2 if (due[2] is None or done[2] is None) else 3)
    key = lambda d: (d[0], d[1] or 12, d[2] or 31)[:depth]  # noqa: E731
    if key(done) <= key(due):
        return w, f"{actual}，按时完成"
    return ZERO, f"{actual}，逾期"


def _number(actual: str, unit: str) -> Decimal:
    got = part(actual)
    if got is None or got.label or got.op == "≤":
        raise Unsupported(f"not a number: {actual!r}")
    _same_unit(got.unit, unit)
    return got.value  # an actual written ≥80% is read as 80% (policy bound_actual: bound)


def _same_unit(a: str, b: str) -> None:
    if a and b and a != b:
        raise Unsupported(f"units do not compare: {a} / {b}")


def compound(w: Decimal, target: list[Part], actual: str) -> tuple[Decimal, str]:
    """Each part scored as higher-is-better; the worst part counts."""
    got = {p.label: p for p in parts(actual) or []}
    points = []
    for t in target:
        a = got.get(t.label)
        if a is None:
            raise Unsupported(f"no part {t.label} in {actual!r}")
        _same_unit(a.unit, t.unit)
        points.append(higher(w, a.value, t.value)[0])
    worst = min(points)
    return worst, f"{actual}，各项最低{worst / w:.2%}"


def indicator(w: Decimal, row: Mapping[str, Any]) -> tuple[Decimal, str]:
    """Score one of the unit's own rows by its target's form, in the national rules' order."""
    target = clean(row["target"])
    actual = clean(row.get("actual", ""))
    if target in MEANS:
        return higher(w, _number(actual, "%"), MEANS[target])
    due = date(target)
    if due is not None:
        return deadline(w, actual, due)
    pieces = parts(target)
    if pieces is None:
        return qualitative(w, row, target)
    if len(pieces) > 1:
        return compound(w, pieces, actual)
    t = pieces[0]
    if t.op == "≤" or (not t.op and row.get("level2") == "成本指标"):
        return lower(w, _number(actual, t.unit), t.value)
    if actual and not re.search(r"\d", actual):
        return _word(w, actual)
    return higher(w, _number(actual, t.unit), t.value)


def grade(total: Decimal) -> str:
    if total >= 90:
        return "优"
    if total >= 80:
        return "良"
    if total >= 60:
        return "中"
    return "差"


def score(data: Mapping[str, Any]) -> Scored:
    """Score one input mapping: the funds row, every row of the unit, the total and the grade."""
    funds = data["funds"]
    budget, executed = amount(funds["budget"]), amount(funds["executed"])
    raw = min(Decimal(10), 10 * executed / budget)
    points = half_up(raw)
    scores = {"预算执行率": points}
    reasons = {"预算执行率": f"执行率 = {executed} ÷ {budget} = {executed / budget:.2%}，10 × 执行率 = {raw:.4f} → {points}"}
    sums = {"预算执行率": points, "产出指标": ZERO, "效益指标": ZERO, "满意度指标": ZERO}
    for row in data["indicators"]:
        category = CATEGORIES.get(row.get("level1", ""))
        if category is None:
            raise Unsupported(f"row {row['name']!r} has no known level1")
        weight = Decimal(row["weight"])
        raw, why = indicator(weight, row)
        points = half_up(raw)
        scores[row["name"]] = points
        reasons[row["name"]] = f"{why}，得分{raw:.4f} → {points}"
        sums[category] += points
    total = half_up(sum(sums.values(), ZERO))
    return Scored(total, grade(total), sums, scores, reasons)
