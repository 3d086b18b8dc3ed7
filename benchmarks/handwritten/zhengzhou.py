"""A hand-written Decimal scorer of rulesets/henan/zhengzhou-project-2021.yaml, without perfrules.

The baseline for benchmarks/ratio.py: what a competent developer would write for this
one scheme. The catalogue (21 indicators, weights, targets, rules) is written into the
code; values are read with regular expressions; arithmetic is Decimal; each indicator
is rounded half-up to 2 places, then the total (the scheme's `rounding.at`).

`score(data)` takes the input mapping perfrules takes (examples/zhengzhou-project-2021.yaml)
and returns the total, the grade, and each indicator's score and a short reason.

It handles only the forms benchmarks/generate.py produces and the seed example: a
percentage or a count (text or integer) as the actual, `全市10区6县市`, element lists, a
qualitative word with an optional `fraction`. It raises `Unsupported` on what it sees is
outside that (a missing row, a bound or a word as a number, another label or unit, an
unknown element or word, a fraction outside its band); it has no findings, review values,
not-applicable rows or incomplete totals, and it is not a validator: an input perfrules
refuses may still get a score here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, Callable, Mapping

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

_NUMBER = re.compile(r"^(?P<label>.*?)(?P<num>\d+(?:\.\d+)?)(?P<unit>%|人次|县市)?$")


def number(raw: Any) -> tuple[str, Decimal, str]:
    """'97.53%' -> ('', 97.53, '%'); '6000人次' -> ('', 6000, '人次'); '全市10区6县市' -> ('全市10区', 6, '县市')."""
    if isinstance(raw, (int, Decimal)) and not isinstance(raw, bool):
        return "", Decimal(raw), ""
    m = _NUMBER.match(str(raw).strip())
    if m is None:
        raise Unsupported(f"not a number: {raw!r}")
    return m["label"], Decimal(m["num"]), m["unit"] or ""


def value(raw: Any) -> tuple[str, Decimal, str] | str:
    """A target as written: a number as number() reads it, or a word."""
    try:
        return number(raw)
    except Unsupported:
        return str(raw).strip()


def share(raw: Any) -> Decimal:
    """'70%' -> 0.7; Decimal('0.7') -> 0.7."""
    if isinstance(raw, str) and raw.endswith("%"):
        return Decimal(raw[:-1]) / 100
    return Decimal(raw)


# ---------------------------------------------------------------- the scheme

MET = ["已完成", "完成", "达成", "达到", "合格", "合理", "完备", "健全", "公开", "有效", "可控", "合规", "达标"]
PARTLY = ["基本完成", "部分完成", "基本达到", "基本合理", "基本健全"]
NOT_MET = ["未完成", "未达到", "未达成", "不合理", "不健全", "不完备", "未公开", "无效", "不合规"]
# 定性三档: (name, lowest share, highest share, highest included, default share)
BANDS = {
    "met": ("达成年度指标", Decimal("0.8"), ONE, True, ONE),
    "partly": ("部分达成年度指标并具有一定效果", Decimal("0.6"), Decimal("0.8"), False, None),
    "not_met": ("未达成年度指标且效果较差", ZERO, Decimal("0.6"), False, None),
}


def classify(word: str) -> str | None:
    """The vocabulary's reading of a word: the longest word it is or ends with."""
    best, klass = 0, None
    for k, words in (("not_met", NOT_MET), ("partly", PARTLY), ("met", MET)):
        for w in words:
            if (word == w or word.endswith(w)) and len(w) > best:
                best, klass = len(w), k
    return klass


# Each method returns the raw points (weight × the share earned) and why. The weight is
# multiplied in before any division, so that a score that is exactly a half cent
# (3 × 250 ÷ 1200 = 0.625) stays exact and rounds half-up.


def linear(w: Decimal, actual: Decimal, full_at: Decimal, step: Decimal, per: tuple[int, int]) -> tuple[Decimal, str]:
    """每降低一个步长扣权重分的 per[0]/per[1]，扣完为止."""
    if actual >= full_at:
        return w, f"{actual}达到{full_at}，满分"
    lost, whole = (full_at - actual) * per[0], step * per[1]  # the share lost is lost ÷ whole
    if lost >= whole:
        return ZERO, f"{actual}，扣完为止"
    return w * (whole - lost) / whole, f"{actual}，低于{full_at}，扣{lost / whole:.4%}"


def elements(w: Decimal, present: list[int], shares: list[Decimal], veto: tuple[int, ...] = ()) -> tuple[Decimal, str]:
    """Each element present earns its share; a missing veto element voids the indicator."""
    have = set(present)
    if not have <= set(range(1, len(shares) + 1)):
        raise Unsupported(f"no such element: {sorted(have)}")
    if any(n not in have for n in veto):
        return ZERO, f"要素{sorted(have)}，缺否决要素，不得分"
    s = sum((shares[n - 1] for n in have), ZERO)
    return w * s, f"要素{sorted(have)}，{s:.2%}"


def higher(w: Decimal, actual: Decimal, target: Decimal) -> tuple[Decimal, str]:
    """正向: full weight when met, else actual ÷ target of it."""
    if actual >= target:
        return w, f"{actual} ≥ {target}，达成"
    return w * actual / target, f"{actual} < {target}，按{actual / target:.2%}计"


def lower(w: Decimal, actual: Decimal, target: Decimal) -> tuple[Decimal, str]:
    """反向 (deviation): full when ≤ target; else 1 − (actual − target) ÷ target, nothing from twice it."""
    if actual <= target:
        return w, f"{actual} ≤ {target}，达成"
    if actual >= 2 * target:
        return ZERO, f"{actual}达到目标2倍，不得分"
    return w * (2 * target - actual) / target, f"{actual} > {target}，偏离{(actual - target) / target:.2%}"


def qualitative(row: Mapping[str, Any], target: str, w: Decimal) -> tuple[Decimal, str]:
    """定性: the same word as the target, or a vocabulary word, gives the band; `fraction` a share in it."""
    actual = str(row["actual"]).strip()
    klass = "met" if actual == target else classify(actual)
    if klass is None:
        raise Unsupported(f"word not in the vocabulary: {actual!r}")
    name, low, high, high_in, default = BANDS[klass]
    if row.get("fraction") is not None:
        f = share(row["fraction"])
        if not (low <= f and (f < high or (high_in and f == high))):
            raise Unsupported(f"fraction {f} outside {name}")
        return w * f, f"{actual}：{name}，取{f:.0%}"
    if default is None:
        raise Unsupported(f"{name} needs a fraction")
    return w * default, f"{actual}：{name}，取{default:.0%}"


def _actual(row: Mapping[str, Any], target: tuple[str, Decimal, str]) -> Decimal:
    """The actual as a number; its unit, if any, must be the target's."""
    label, n, unit = number(row["actual"])
    if label or (unit and target[2] and unit != target[2]):
        raise Unsupported(f"{row['actual']!r} does not compare with {target}")
    return n


def _count(row: Mapping[str, Any], of: int = 3) -> Decimal:
    """How many of the indicator's elements are present."""
    have = set(row["elements"])
    if not have <= set(range(1, of + 1)):
        raise Unsupported(f"no such element: {sorted(have)}")
    return Decimal(len(have))


def _labelled(row: Mapping[str, Any], target: tuple[str, Decimal, str], w: Decimal) -> tuple[Decimal, str]:
    """全市10区6县市: the value counts only under the same label (or none)."""
    label, n, unit = number(row["actual"])
    if label not in ("", target[0]) or unit not in ("", target[2]):
        raise Unsupported(f"different label: {row['actual']!r}")
    return higher(w, n, target[1])


P1, THIRD, Q3333 = (1, 100), (1, 3), (3333, 10000)  # 1%, 1/3, 33.33% as written
HALF, QUARTER, E625 = Decimal("0.5"), Decimal("0.25"), Decimal("0.0625")
Rule = Callable[[Mapping[str, Any], Any, Decimal], "tuple[Decimal, str]"]
# 附表1 as written: category -> (indicator, weight, target, rule(row, parsed target, weight))
CATALOGUE: dict[str, list[tuple[str, str, str, Rule]]] = {
    "投入和管理目标": [
        ("预算执行率", "2.22", "100%", lambda r, t, w: linear(w, _actual(r, t), t[1], ONE, P1)),
        ("预算编制合理性", "2.22", "合理",
         lambda r, t, w: elements(w, r["elements"], [Decimal("0.3"), Decimal("0.3"), Decimal("0.4")])),
        ("预算资金到位情况", "2.22", "100%", lambda r, t, w: linear(w, _actual(r, t), t[1], ONE, P1)),
        ("财务管理制度健全性", "2.22", "健全", lambda r, t, w: elements(w, r["elements"], [HALF] + [E625] * 8)),
        ("资金使用规范性", "2.22", "合规",
         lambda r, t, w: elements(w, r["elements"], [Decimal("0.2")] * 5, veto=(4, 5))),
        ("财务监控有效性", "2.22", "有效", lambda r, t, w: linear(w, _count(r), Decimal(3), ONE, Q3333)),
        ("合同管理完备性", "2.22", "完备", lambda r, t, w: elements(w, r["elements"], [E625] * 8 + [HALF])),
        ("项目质量可控性", "2.22", "可控", lambda r, t, w: linear(w, _count(r), Decimal(3), ONE, THIRD)),
        ("项目管理制度健全性", "2.24", "健全", lambda r, t, w: elements(w, r["elements"], [HALF, QUARTER, QUARTER])),
    ],
    "产出目标": [
        ("职业病危害因素用人单位、医疗卫生机构放射防护监测覆盖区域、单位数量", "10", "全市10区6县市", _labelled),
        ("职业健康体检人次", "10", "6000", lambda r, t, w: higher(w, _actual(r, t), t[1])),
        ("完成合格率", "10", "100%", lambda r, t, w: higher(w, _actual(r, t), t[1])),
        ("职业健康体检达标率", "10", "95%", lambda r, t, w: higher(w, _actual(r, t), t[1])),
    ],
    "效果目标": [
        ("有毒有害作业人员投诉率", "15", "5%", lambda r, t, w: lower(w, _actual(r, t), t[1])),  # 反向, as declared
        ("职业病危害企业和重点人群满意度", "15", "95%", lambda r, t, w: higher(w, _actual(r, t), t[1])),
    ],
    "影响力目标": [
        ("高效数据分析", "1.67", "100%", lambda r, t, w: higher(w, _actual(r, t), t[1])),
        ("检测评价机构与职业健康体检机构宣教覆盖人次", "1.67", "1000", lambda r, t, w: higher(w, _actual(r, t), t[1])),
        ("人员配备合理性", "1.67", "合理", qualitative),
        ("应急预案完备性", "1.67", "完备", qualitative),
        ("职业健康体检人员档案健全性", "1.67", "健全", qualitative),
        ("信息公开性", "1.65", "公开", qualitative),
    ],
}
ALIASES = {"监测覆盖区域、单位数量": "职业病危害因素用人单位、医疗卫生机构放射防护监测覆盖区域、单位数量"}
INDICATORS = {category: [(name, Decimal(weight), value(target), rule) for name, weight, target, rule in rows]
              for category, rows in CATALOGUE.items()}


def grade(total: Decimal) -> str:
    if total >= 90:
        return "优秀"
    if total >= 80:
        return "良好"
    if total >= 60:
        return "合格"
    return "不合格"


def score(data: Mapping[str, Any]) -> Scored:
    """Score one input mapping: every indicator, the category sums, the total and the grade."""
    rows: dict[str, Mapping[str, Any]] = {}
    for row in data["indicators"]:
        name = row["name"].strip()
        rows.setdefault(ALIASES.get(name, name), row)
    scores: dict[str, Decimal] = {}
    reasons: dict[str, str] = {}
    sums: dict[str, Decimal] = {}
    for category, indicators in INDICATORS.items():
        subtotal = ZERO
        for name, weight, target, rule in indicators:
            row = rows.get(name)
            if row is None:
                raise Unsupported(f"no row for {name}")
            note = ""
            if row.get("target") is not None and value(row["target"]) != target:
                note = f"表中目标值{row['target']}与方案不同，按方案；"
            raw, why = rule(row, target, weight)
            points = half_up(raw)
            scores[name], reasons[name] = points, f"{note}{why}，得分{raw:.4f} → {points}"
            subtotal += points
        sums[category] = subtotal
    total = half_up(sum(sums.values(), ZERO))
    return Scored(total, grade(total), sums, scores, reasons)
