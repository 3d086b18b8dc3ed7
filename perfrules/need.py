"""What it takes (issue 11): the least value that earns an indicator full marks, and the fewest
indicator changes that lift a unit's total into a grade; and how fragile a grade is (the audit's
`grade_fragile`).

Each indicator's value is turned back along its `perfrules.inverse.Lever`, from the compiled
scheme, with the engine as the oracle that confirms every answer. "Cheapest": fewest indicators
changed; among as many, the least sum of relative changes (|new − now| ÷ |now| for a number;
added elements ÷ elements; levels climbed ÷ levels).
"""

from __future__ import annotations

import decimal
import itertools
from dataclasses import dataclass, field as _field, replace
from decimal import Decimal
from typing import Any, Literal

from .decimals import ONE, ZERO, fmt
from .errors import InputError
from .inverse import AtLeast, Lever, Oracle, least, lever, reversed_lever
from .model import Band, Scheme
from .record import Record
from .result import Result

D = Decimal
Status = Literal["reached", "reachable", "unreachable", "unknown", "unscored", "top", "no_grades"]

PLANS_SHOWN = 5  # sets of changes listed, cheapest first
SETS_REFINED = 20  # sets of the fewest size whose partial change is worked out (ranked by full-marks cost)
SETS_LISTED = 5000  # sets of one size looked at, at most (their gains only: no evaluation)


@dataclass(frozen=True)
class Change:
    """One indicator's value changed: from `now` to `to`, and the score it then earns."""

    indicator: str
    level1: str
    field: str  # actual | elements | level | fraction | occurrences | passed | executed
    now: str | None
    to: str
    score: Decimal  # the indicator's score with this change (the others as they are in the plan)
    relative: Decimal  # the cost: how far `to` is from `now`, as a share
    position: int = _field(default=-1, compare=False)  # the indicator's index in the Result
    value: Any = _field(default=None, compare=False, repr=False)  # the lever's value (Decimal, elements, level)

    def to_dict(self) -> dict[str, Any]:
        return {"indicator": self.indicator, "level1": self.level1, "field": self.field, "now": self.now,
                "to": self.to, "score": fmt(self.score), "relative": fmt(self.relative)}


@dataclass(frozen=True)
class FullMarks:
    """An indicator below full marks: the least change that earns them, or why none is known."""

    indicator: str
    level1: str
    weight: Decimal
    score: Decimal | None
    change: Change | None
    gain: Decimal | None  # points the total gains with this change alone
    why: str | None = None  # no change: unscored, or the kind's inverse is unknown

    def to_dict(self) -> dict[str, Any]:
        return {"indicator": self.indicator, "level1": self.level1, "weight": fmt(self.weight),
                "score": None if self.score is None else fmt(self.score),
                "change": None if self.change is None else self.change.to_dict(),
                "gain": None if self.gain is None else fmt(self.gain), "why": self.why}


@dataclass(frozen=True)
class Plan:
    """A set of changes that reaches the asked grade, confirmed by scoring the changed input."""

    changes: tuple[Change, ...]
    total: Decimal
    grade: str | None
    cost: Decimal
    record: Record | None = _field(default=None, compare=False, repr=False)  # the input with the changes made

    def to_dict(self, places: int) -> dict[str, Any]:
        return {"changes": [c.to_dict() for c in self.changes], "total": fmt(self.total, places),
                "grade": self.grade, "cost": fmt(self.cost)}


@dataclass(frozen=True)
class Answer:
    """What `scheme.need(input)` returns: full marks per indicator, and the plans for the grade."""

    scheme: str
    unit: str | None
    total: Decimal
    grade: str | None
    asked: str | None
    status: Status
    message: str
    full_marks: tuple[FullMarks, ...]
    plans: tuple[Plan, ...]  # cheapest first; the first is the answer
    places: int = 2
    notes: tuple[str, ...] = _field(default_factory=tuple)

    @property
    def plan(self) -> Plan | None:
        return self.plans[0] if self.plans else None

    def to_dict(self) -> dict[str, Any]:
        return {"scheme": self.scheme, "unit": self.unit, "total": fmt(self.total, self.places), "grade": self.grade,
                "asked": self.asked, "status": self.status, "message": self.message,
                "full_marks": [f.to_dict() for f in self.full_marks],
                "plans": [p.to_dict(self.places) for p in self.plans], "notes": list(self.notes)}

    def text(self) -> str:
        """The answer as a terminal reads it."""
        out = [f"{self.unit or '（未具名单位）'} · {self.scheme}",
               f"总分 {fmt(self.total, self.places)}    等级 {self.grade or '无法确定'}", "", "满分还差什么："]
        if not self.full_marks:
            out.append("  各指标均已得满分")
        for f in self.full_marks:
            score = "未计分" if f.score is None else f"{fmt(f.score)}/{fmt(f.weight)}"
            if f.change is None:
                out.append(f"  {f.indicator}（{score}）：{f.why}")
            else:
                c = f.change
                out.append(f"  {f.indicator}（{score}）：{_field_word(c.field)}{c.now or '（空）'} → {c.to}，"
                           f"得满分，总分+{fmt(f.gain or ZERO)}" + (f"（{f.why}）" if f.why else ""))
        out += ["", self.message]
        for i, p in enumerate(self.plans, 1):
            said = "；".join(f"{c.indicator}：{_field_word(c.field)}{c.now or '（空）'} → {c.to}，得{fmt(c.score)}分"
                            for c in p.changes)
            out.append(f"  {i}. {said} ⇒ 总分{fmt(p.total, self.places)}，等级{p.grade or '无法确定'}")
        out += [f"  注：{n}" for n in self.notes]
        return "\n".join(out) + "\n"


def _field_word(name: str) -> str:
    return {"actual": "", "elements": "要素", "level": "等级", "fraction": "评价比例", "occurrences": "次数",
            "passed": "", "executed": "全年执行数"}.get(name, "")


# ---------------------------------------------------------------- the answer


def need(scheme: Scheme, record: Record, grade: str | None = None) -> Answer:
    """What it takes: per indicator, the least change to full marks; then the cheapest set of changes
    that lifts the total into `grade` (default: the next grade up)."""
    with decimal.localcontext(scheme.rounding.context()):
        return _need(scheme, record, grade)


def _rank(scheme: Scheme) -> list[Band]:
    return sorted(scheme.bands, key=lambda b: b.interval.low if b.interval.low is not None else D("-Infinity"))


def _asked(scheme: Scheme, record: Record, result: Result, grade: str | None) -> Band | None:
    bands = _rank(scheme)
    if grade is not None:
        found = next((b for b in bands if b.grade == grade), None)
        if found is None:
            raise InputError(f"等级「{grade}」不是本方案的等级（{'、'.join(b.grade for b in reversed(bands))}）",
                             file=record.file)
        return found
    return next((b for b in bands if b.interval.low is not None and b.interval.low > result.total), None)


def _total(r: Result) -> Decimal:
    return r.total


def _need(scheme: Scheme, record: Record, grade: str | None) -> Answer:
    oracle = Oracle(scheme)
    result = oracle(record)
    places = result.places
    notes: list[str] = []
    levers, full = _full_marks(scheme, record, result, oracle)
    if not result.complete:
        notes.append(f"有指标未能计分（总分最多{fmt(result.total_max or result.total, places)}）："
                     "这里只按已计分的指标算，未计分的指标先要补齐其数据")
    said = Answer(scheme.id, result.unit, result.total, result.grade, grade, "no_grades", "本方案没有等级划分", full, (),
                  places, tuple(notes))
    if not scheme.bands:
        return said
    band = _asked(scheme, record, result, grade)
    if band is None:
        return replace(said, status="top", message="已是本方案的最高等级")
    low = band.interval.low if band.interval.low is not None else D("-Infinity")
    goal = AtLeast(_total, low, band.interval.low_inclusive)
    said = replace(said, asked=band.grade)
    if goal(result):
        return replace(said, status="reached", message=f"总分{fmt(result.total, places)}已达到「{band.grade}」（{band.interval}）")
    plans = _plans(levers, record, result, goal, oracle)
    gap = low - result.total
    if not plans:
        return _no_plan(said, band, result, full, gap)
    size = len(plans[0].changes)
    message = (f"总分{fmt(result.total, places)}，距「{band.grade}」（{band.interval}）还差{fmt(gap)}分；"
               f"最少需改变{size}个指标，以下按代价从小到大（代价 = 各指标实际值的相对变化之和）：")
    return replace(said, status="reachable", message=message, plans=tuple(plans))


def _no_plan(said: Answer, band: Band, result: Result, full: tuple[FullMarks, ...], gap: Decimal) -> Answer:
    """No set of changes found reaches the band: say why. "Out of reach" only when it is certain: every
    indicator below full marks was turned back and all of them at full marks together fall short.
    Indicators that could not be scored, or whose kind cannot be turned back, leave the grade open."""
    most = sum((f.gain for f in full if f.gain is not None), ZERO)
    unscored = [f for f in full if f.score is None]
    stuck = [f for f in full if f.score is not None and f.change is None]
    why = (f"可反推的指标都得满分，总分也只增加{fmt(most)}分" if most else "没有可反推而能加分的指标") + \
        f"，达不到「{band.grade}」（{band.interval}，还差{fmt(gap)}分）"
    if not unscored and not stuck and result.complete:
        return replace(said, status="unreachable", message="在本方案的规则内，没有改变能达到该等级：" + why)
    open_parts = []
    if stuck:
        open_points = sum((f.weight - (f.score or ZERO) for f in stuck), ZERO)
        open_parts.append(f"{'、'.join(f.indicator for f in stuck)}的计分方法无法反推（共{fmt(open_points)}分未得），"
                          "它们的改变也许能达到，本工具算不出需要的值")
    if unscored or not result.complete:
        names = "、".join(f.indicator for f in unscored) or "有的一级指标没有任何指标，其分值"
        open_parts.append(f"{names}未能计分（总分最多{fmt(result.total_max or result.total, result.places)}），补齐其数据后再算")
    return replace(said, status="unscored" if unscored or not result.complete else "unknown",
                   message=f"只改变可反推的指标达不到该等级：{why}；" + "；".join(open_parts))


def _full_marks(scheme: Scheme, record: Record, result: Result, oracle: Oracle) -> tuple[list[tuple[Lever, Any, Decimal]], tuple[FullMarks, ...]]:
    """Every indicator below full marks, with the least change to full marks (and the lever for the plans)."""
    levers: list[tuple[Lever, Any, Decimal]] = []
    out: list[FullMarks] = []
    for i, ind in enumerate(result.indicators):
        if not ind.applicable or (ind.score is not None and ind.score >= ind.weight):
            continue
        if ind.score is None:
            out.append(FullMarks(ind.name, ind.level1, ind.weight, None, None, None, "未能计分：" + ind.explanation))
            continue
        got = lever(scheme, record, result, i)
        if isinstance(got, str):
            out.append(FullMarks(ind.name, ind.level1, ind.weight, ind.score, None, None, got))
            continue
        row = record.rows[ind.row] if ind.row is not None else None
        top = ind.weight - (row.deduction or ZERO) if row is not None else ind.weight

        def score(r: Result, i: int = i) -> Decimal | None:
            return r.indicators[i].score if i < len(r.indicators) else None

        found = least(got, record, AtLeast(score, min(top, ind.weight)), score, oracle)
        if found is None:
            out.append(FullMarks(ind.name, ind.level1, ind.weight, ind.score, None, None,
                                 f"在本方案的{scheme.terms.target}和界值内找不到得满分的值（{ind.spec.kind if ind.spec else '-'}）"))
            continue
        value, after = found
        change = _change(got, value, after)
        why = f"本行有扣减{fmt(row.deduction)}分，最多得{fmt(top)}分" if row is not None and row.deduction else None
        if got.step is not None and value not in got.keys:
            why = (why + "；" if why else "") + f"{got.show(value)}按本方案的计分规则得分略低于满分，按本方案的舍入计为满分"
        out.append(FullMarks(ind.name, ind.level1, ind.weight, ind.score, change, after.total - result.total, why))
        levers.append((got, value, after.total - result.total))
    return levers, tuple(out)


def _apply(record: Record, chosen: list[tuple[Lever, Any]]) -> Record:
    for lv, value in chosen:
        record = lv.put(record, value)
    return record


def _change(lv: Lever, value: Any, after: Result) -> Change:
    ind = lv.ind
    return Change(ind.name, ind.level1, lv.field, lv.now, lv.show(value), after.indicators[lv.position].score or ZERO,
                  lv.relative(value), lv.position, value)


def _plans(levers: list[tuple[Lever, Any, Decimal]], record: Record, result: Result, goal: AtLeast,
           oracle: Oracle) -> list[Plan]:
    """The fewest changes that reach the goal, cheapest first."""
    ranked = sorted(levers, key=lambda t: -t[2])
    size = next((k for k in range(1, len(ranked) + 1)
                 if goal(oracle(_apply(record, [(lv, v) for lv, v, _ in ranked[:k]])))), None)
    if size is None:
        return []
    gap = goal.wanted - result.total
    sets: list[tuple[Decimal, tuple[tuple[Lever, Any, Decimal], ...]]] = []
    top = tuple(ranked[:size])  # the set the engine has just seen reach it: always among those worked out
    for chosen in itertools.islice(itertools.combinations(ranked, size), SETS_LISTED):
        if chosen == top or sum((g for _, _, g in chosen), ZERO) >= gap or size == 1:
            sets.append((sum((lv.relative(v) for lv, v, _ in chosen), ZERO), chosen))
    sets.sort(key=lambda s: s[0])
    if all(chosen != top for _, chosen in sets[:SETS_REFINED]):
        sets.insert(0, (ZERO, top))
    plans: list[Plan] = []
    for _, chosen in sets[:SETS_REFINED]:
        plan = _refine(list(chosen), record, goal, oracle)
        if plan is not None:
            plans.append(plan)
    plans.sort(key=lambda p: (p.cost, [c.indicator for c in p.changes]))
    return plans[:PLANS_SHOWN]


def _refine(chosen: list[tuple[Lever, Any, Decimal]], record: Record, goal: AtLeast, oracle: Oracle) -> Plan | None:
    """A set of changes: all but one at their full-marks value, the one left at the least value that
    still reaches the goal; the member left partial is the one that makes the set cheapest."""
    best: Plan | None = None
    for j, (lv, _, _) in enumerate(chosen):
        others = [(o, v) for k, (o, v, _) in enumerate(chosen) if k != j]
        base = _apply(record, others)
        found = least(lv, base, goal, goal.measure, oracle)
        if found is None:
            continue
        value, after = found
        changed = lv.put(base, value)
        changes = [_change(o, v, after) for o, v in others] + [_change(lv, value, after)]
        order = [o.position for o, _, _ in chosen]
        changes.sort(key=lambda c: order.index(c.position))
        cost = sum((c.relative for c in changes), ZERO)
        plan = Plan(tuple(changes), after.total, after.grade, cost, changed)
        if best is None or plan.cost < best.cost:
            best = plan
    return best


# ---------------------------------------------------------------- how fragile the grade is (audit: grade_fragile)


@dataclass(frozen=True)
class Crossing:
    """The least change to one actual that moves the total across a band edge."""

    change: Change
    total: Decimal  # the total with the change
    grade: str | None  # the grade with it


def fragile(scheme: Scheme, record: Record, result: Result, margin: Decimal = ONE) -> tuple[Decimal | None, Crossing | None, Decimal | None, Crossing | None]:
    """How close a complete total is to its band's edges: (points above the lower edge, the least single
    change that drops below it, points short of the next band, the least single change that reaches it).
    An edge farther than `margin` points is not looked at (None)."""
    with decimal.localcontext(scheme.rounding.context()):
        bands = _rank(scheme)
        band = next((b for b in bands if b.grade == result.grade), None)
        if band is None or not result.complete:
            return None, None, None, None
        oracle = Oracle(scheme)
        down_by = down = up_by = up = None
        low = band.interval.low
        lower = result.total - margin
        if low is not None and (lower < low or (lower == low and not band.interval.low_inclusive)):
            down_by = result.total - low
            # below the edge: the total's negative at least the edge's negative (strictly when the edge is in the band)
            goal = AtLeast(lambda r: -r.total, -low, inclusive=not band.interval.low_inclusive)
            down = _one_actual(scheme, record, result, goal, oracle, worse=True)
        above = next((b for b in bands if b.interval.low is not None and b.interval.low > result.total), None)
        higher = result.total + margin
        if above is not None and above.interval.low is not None and AtLeast(_total, above.interval.low,
                                                                          above.interval.low_inclusive)(replace(result, total=higher)):
            up_by = above.interval.low - result.total
            goal = AtLeast(_total, above.interval.low, above.interval.low_inclusive)
            up = _one_actual(scheme, record, result, goal, oracle, worse=False)
        return down_by, down, up_by, up


def _one_actual(scheme: Scheme, record: Record, result: Result, goal: AtLeast, oracle: Oracle,
                worse: bool) -> Crossing | None:
    """The least relative change to a single numeric value (an actual, a share, the funds executed) that meets the goal."""
    best: Crossing | None = None
    for i, ind in enumerate(result.indicators):
        if ind.score is None or not ind.applicable:
            continue
        lv = lever(scheme, record, result, i)
        if isinstance(lv, str) or lv.step is None or lv.direction is None or lv.current is None:
            continue
        if worse:
            lv = reversed_lever(lv)
        found = least(lv, record, goal, goal.measure, oracle)
        if found is None:
            continue
        value, after = found
        change = _change(lv, value, after)
        if best is None or change.relative < best.change.relative:
            best = Crossing(change, after.total, after.grade)
    return best
