"""Hypothesis strategies that generate valid inputs for a given scheme.

`inputs(scheme)` builds an input a unit could submit: a row for every fixed-catalogue
indicator (an actual across and beyond its target, a subset of its elements, a level
and a share inside its band …), one to three rows of the unit's own indicators in each
open category with weights that add up to the category's points, funds, and now and
then a reviewer's value. Values are written in the forms the parser accepts.
"""

from __future__ import annotations

import copy
from decimal import Decimal
from typing import Any, Mapping

from hypothesis import strategies as st

from ..kinds import KINDS, Need
from ..kinds.qualitative import NATIONAL_LEVELS
from ..model import Category, Indicator, Scheme
from ..values import Bound, Number, Span, Text, parse, render, simple
from .strategies import spellings

D = Decimal
# actuals as shares of the target: every tenth below it, at it, over it, twice it
SHARE_STEPS = [D(k) / 20 for k in range(0, 25)] + [D("1.5"), D(2)]


def _scaled(target: Decimal) -> st.SearchStrategy[Decimal]:
    """Actuals across and beyond a target: 0, below, at, above, twice it, and in between."""
    base = target if target > 0 else D(10)
    # a step and a small offset from it: hypothesis draws plain decimals mostly near 0, and
    # a scheme's bands and thresholds are spread over the whole range
    return st.tuples(st.sampled_from(SHARE_STEPS), st.integers(0, 49)).map(
        lambda kj: (base * (kj[0] + D(kj[1]) / 1000)).quantize(D("0.01")))


def thresholds(scheme: Scheme) -> dict[str, list[Decimal]]:
    """The numbers a scheme turns on, by unit: its bands' ends and its full-marks points.

    Actuals are drawn at and around them as well as across the target, so that a band
    that gives too much or a step that goes the wrong way is met, not left to chance.
    """
    specs = [r.method for r in scheme.scoring] + [r.method for c in scheme.categories for r in c.rules] + \
        [i.method for c in scheme.categories for i in c.indicators if i.method is not None]
    out: dict[str, set[Decimal]] = {}
    for spec in specs:
        kind = KINDS[spec.kind]
        if kind.thresholds is not None:
            for unit, values in kind.thresholds(spec.params).items():
                out.setdefault(unit, set()).update(values)
    return {unit: sorted(v for v in values if v >= 0) for unit, values in out.items()}


def _written(number: Number) -> st.SearchStrategy[str]:
    """A number as a table writes it, in one of its spellings."""
    return st.sampled_from(spellings(number)[:3])


def _numeric_actual(target: Any, unit: str = "", points: dict[str, list[Decimal]] | None = None) -> st.SearchStrategy[str]:
    t = simple(target)
    if isinstance(t, Bound):
        t = t.number
    if isinstance(t, Span):
        t = t.high
    if not isinstance(t, Number):
        t = Number(D(100), unit)
    near = (points or {}).get(t.unit) or (points or {}).get("") or []
    across = _scaled(t.value)
    values = st.one_of(st.sampled_from(near), across) if near else across
    return values.flatmap(lambda v: _written(Number(v, t.unit)))


def _qualitative(row: dict[str, Any], levels: list[Mapping[str, Any]], words: list[str]) -> st.SearchStrategy[dict[str, Any]]:
    """A level with a share inside its band, or a word of the scheme's vocabulary."""
    def with_level(lv: Mapping[str, Any]) -> st.SearchStrategy[dict[str, Any]]:
        lo, hi = _band(lv["range"])
        share = st.decimals(min_value=lo, max_value=hi, places=2, allow_nan=False, allow_infinity=False)
        share = share.filter(lambda f: f < hi or lv["range"].strip().endswith("]"))
        return share.map(lambda f: {**row, "level": lv["name"], "fraction": f"{(f * 100).normalize():f}%"})
    choices = [st.sampled_from(levels).flatmap(with_level)]
    if words:
        choices.append(st.sampled_from(words).map(lambda w: {**row, "actual": w, "fraction": None}).map(
            lambda r: {k: v for k, v in r.items() if v is not None}))
    return st.one_of(choices)


def _band(text: str) -> tuple[Decimal, Decimal]:
    lo, hi = text.strip()[1:-1].split(",")
    return D(lo.strip().rstrip("%")) / 100, D(hi.strip().rstrip("%")) / 100


def need(ind: Indicator) -> Need | None:
    """What a generated row of `ind` holds, as its method's kind says (None: no row, the funds
    block scores it). A word for a target (按计划完成) is answered with a level or a word
    whatever the kind, as units write them; so is an indicator the scoring rules score."""
    spec = ind.method
    kind = KINDS[spec.kind] if spec else None
    got = kind.generate(spec.raw) if kind is not None and kind.generate is not None and spec is not None else Need("actual")
    if got is not None and got.field == "actual" and isinstance(ind.target, Text):
        return Need("level_in_band", bands=tuple(NATIONAL_LEVELS))
    return got


def _fixed_row(ind: Indicator, scheme: Scheme, points: dict[str, list[Decimal]]) -> st.SearchStrategy[dict[str, Any]] | None:
    row: dict[str, Any] = {"name": ind.name}
    wanted = need(ind)
    if wanted is None:
        return None  # scored from the funds block
    if wanted.field == "elements":
        numbers = [e.number for e in ind.elements]
        return st.sets(st.sampled_from(numbers)).map(lambda s: {**row, "elements": sorted(s)})
    if wanted.field == "occurrences":
        return st.integers(0, 8).map(lambda n: {**row, "occurrences": n})
    if wanted.field == "level":
        return st.sampled_from(list(wanted.levels)).map(lambda n: {**row, "level": n})
    if wanted.field == "passed":
        return st.booleans().map(lambda b: {**row, "passed": b})
    if wanted.field == "level_in_band":
        words = list(scheme.vocabulary.met + scheme.vocabulary.partly + scheme.vocabulary.not_met)
        return _qualitative(row, list(wanted.bands), words)
    around = ind.target if ind.target is not None else wanted.around
    return _numeric_actual(around, points=points).map(lambda a: {**row, "actual": a})


_OWN = ["培训人数", "覆盖率", "完成率", "合格率", "满意度", "成本", "项目进度", "设备采购", "监测点数", "示范单位"]


def _own_row(category: Category, name: str, weight: Decimal, scheme: Scheme,
             points: dict[str, list[Decimal]]) -> st.SearchStrategy[dict[str, Any]]:
    """One of the unit's own indicators in an open category, in one of the common target forms."""
    row = {"level1": category.name, "name": name, "weight": f"{weight:f}"}
    words = list(scheme.vocabulary.met + scheme.vocabulary.partly + scheme.vocabulary.not_met)

    def ge(t: Decimal) -> st.SearchStrategy[dict[str, Any]]:
        return _numeric_actual(Number(t, "%"), points=points).map(lambda a: {**row, "level2": "质量指标", "target": f"≥{t:f}%", "actual": a})

    def cost(t: Decimal) -> st.SearchStrategy[dict[str, Any]]:
        return _numeric_actual(Number(t, "万元"), points=points).map(lambda a: {**row, "level2": "成本指标", "target": f"{t:f}万元", "actual": a})

    def count(t: int) -> st.SearchStrategy[dict[str, Any]]:
        return _numeric_actual(Number(D(t), "人"), points=points).map(lambda a: {**row, "level2": "数量指标", "target": f"{t}人", "actual": a})

    qualitative = _qualitative({**row, "level2": "社会效益指标", "target": "按计划完成"}, list(NATIONAL_LEVELS), words)
    deadline = st.sampled_from(["2021年10月完成", "2021年12月完成", "2022年3月完成", "已完成", "未完成"]).map(
        lambda a: {**row, "level2": "时效指标", "target": "2021年12月底前", "actual": a})
    return st.one_of(
        st.sampled_from([D(60), D(80), D(90), D(95), D(100)]).flatmap(ge),
        st.sampled_from([D("3.00"), D("11.00"), D("535.00")]).flatmap(cost),
        st.sampled_from([200, 750, 6000]).flatmap(count),
        qualitative,
        deadline,
    )


def _split(points: Decimal, n: int) -> list[Decimal]:
    """`points` in `n` parts to the cent that add up exactly."""
    each = (points / n).quantize(D("0.01"))
    parts = [each] * (n - 1)
    return parts + [points - sum(parts, D(0))]


def _open_rows(category: Category, scheme: Scheme, points: dict[str, list[Decimal]]) -> st.SearchStrategy[list[dict[str, Any]]]:
    fixed = sum((i.weight for i in category.indicators), D(0))
    left = category.points - fixed

    def rows(n: int) -> st.SearchStrategy[list[dict[str, Any]]]:
        weights = _split(left, n)
        return st.tuples(*[_own_row(category, f"{_OWN[i % len(_OWN)]}{i + 1}", w, scheme, points)
                           for i, w in enumerate(weights)]).map(list)

    return st.integers(1, 3).flatmap(rows) if left > 0 else st.just([])


def _review(row: dict[str, Any]) -> st.SearchStrategy[dict[str, Any]]:
    """Now and then a reviewer's value (复核) beside the unit's."""
    if "actual" in row and isinstance(row["actual"], str) and any(ch.isdigit() for ch in row["actual"]):
        value = simple(parse(row["actual"]))
        if isinstance(value, Bound):
            value = value.number
        if isinstance(value, Number):
            return st.one_of(st.just(row), _scaled(value.value).map(lambda v: {**row, "review_actual": render(Number(v, value.unit))}))
    return st.just(row)


def inputs(scheme: Scheme, reviews: bool = True,
           points: dict[str, list[Decimal]] | None = None) -> st.SearchStrategy[dict[str, Any]]:
    """Valid inputs for `scheme`: every fixed indicator, the unit's own in open categories, funds.

    `points`: the numbers to draw actuals at and around (default: the scheme's own thresholds;
    `check --against` gives both schemes' thresholds)."""
    parts: list[st.SearchStrategy[list[dict[str, Any]]]] = []
    points = thresholds(scheme) if points is None else points
    for category in scheme.categories:
        for ind in category.indicators:
            one = _fixed_row(ind, scheme, points)
            if one is not None:
                parts.append((one.flatmap(_review) if reviews else one).map(lambda r: [r]))
        if category.open:
            parts.append(_open_rows(category, scheme, points))
    budget = st.decimals(min_value=1, max_value=100000, places=2, allow_nan=False, allow_infinity=False)
    funds = budget.flatmap(lambda b: st.sampled_from([D(0), D("0.5"), D("0.9346"), D(1), D("1.2")]).map(
        lambda k: {"budget": f"{b:f}", "executed": f"{(b * k).quantize(D('0.01')):f}"}))

    reads_funds = any(i.method is not None and KINDS[i.method.kind].uses_funds
                      for c in scheme.categories for i in c.indicators)

    def assemble(rows: tuple[list[dict[str, Any]], ...], f: dict[str, str]) -> dict[str, Any]:
        data: dict[str, Any] = {"year": 2021, "indicators": [r for group in rows for r in group]}
        if reads_funds:
            data["funds"] = f
        return data

    return st.builds(assemble, st.tuples(*parts), funds)


def _base_row(ind: Indicator) -> dict[str, Any] | None:
    """A fixed indicator's row at full marks, the start of every probe."""
    row: dict[str, Any] = {"name": ind.name}
    wanted = need(ind)
    if wanted is None:
        return None
    if wanted.field == "elements":
        return {**row, "elements": [e.number for e in ind.elements]}
    if wanted.field == "occurrences":
        return {**row, "occurrences": 0}
    if wanted.field == "level":
        return {**row, "level": wanted.levels[0]}
    if wanted.field == "passed":
        return {**row, "passed": True}
    if wanted.field == "level_in_band":
        return {**row, "level": wanted.bands[0]["name"]}
    t = simple(ind.target) if ind.target is not None else simple(wanted.around)
    if isinstance(t, Bound):
        t = t.number
    return {**row, "actual": render(t) if isinstance(t, Number) else "100"}


def probes(scheme: Scheme, points: dict[str, list[Decimal]] | None = None) -> list[dict[str, Any]]:
    """Inputs built, not drawn: every numeric actual set at each number the scheme turns on
    (or at each of `points`, by unit).

    Random inputs meet a band that gives 120% only by luck; these meet it every time.
    """
    rows: list[dict[str, Any]] = []
    for category in scheme.categories:
        rows += [r for r in (_base_row(i) for i in category.indicators) if r is not None]
        if category.open:
            left = category.points - sum((i.weight for i in category.indicators), D(0))
            if left > 0:
                forms = [("质量指标", "≥90%", "90%"), ("成本指标", "100万元", "100万元"), ("数量指标", "750人", "750人")]
                for (level2, target, actual), w in zip(forms, _split(left, len(forms))):
                    rows.append({"level1": category.name, "level2": level2, "name": f"{level2}示例",
                                 "target": target, "actual": actual, "weight": f"{w:f}"})
    base: dict[str, Any] = {"year": 2021, "funds": {"budget": "100", "executed": "100"}, "indicators": rows}
    out = [base]
    for unit, values in (thresholds(scheme) if points is None else points).items():
        for value in values:
            probe = copy.deepcopy(base)
            probe_rows: list[dict[str, Any]] = probe["indicators"]
            for row in probe_rows:
                current = simple(parse(row["actual"])) if isinstance(row.get("actual"), str) else None
                if isinstance(current, Number) and (current.unit == unit or not unit):
                    row["actual"] = render(Number(value, current.unit))
            out.append(probe)
    return out
