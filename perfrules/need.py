"""What it takes (issue 11): the least actual that earns an indicator full marks, and the fewest
indicator changes that lift a unit's total into a grade.

Each changeable indicator is a `Lever`: the value that moves (an actual, the elements, a level,
a share inside a level's band, a count of occurrences, the funds executed), the points its
scheme turns on (the target, the kind's `thresholds`) and the way its score moves (the kind's
`monotone`). The answer is found from those points: the first point that is enough, then, along
a linear rule between two points, the value it implies, confirmed and pinned to the precision the
table is written in by the engine itself (`engine.evaluate` is the oracle; nothing here reads the
engine's internals). A kind without points or a direction says so: its inverse is unknown.

"Cheapest": fewest indicators changed; among as many, the least sum of relative changes
(|new − now| ÷ |now| for a number; added elements ÷ elements; levels climbed ÷ levels).
"""

from __future__ import annotations

import decimal
import itertools
import re
from dataclasses import dataclass, field as _field, replace
from decimal import Decimal
from typing import Any, Callable, Literal

from .decimals import ONE, ZERO, fmt, pct
from .engine import evaluate
from .errors import InputError
from .kinds import KINDS, Need
from .model import Band, Indicator, Scheme
from .record import Cell, Record, Row
from .result import IndicatorScore, Result
from .values import Bound, Number, Span, Value, key_of, render, simple

D = Decimal
_WRITTEN = re.compile(r"(\d+(?:\.\d+)?)\s*([万亿千])?")
_SCALE = {"万": D(10000), "亿": D(100000000), "千": D(1000)}  # as perfrules.values reads them
Direction = Literal["up", "down"]
Status = Literal["reached", "reachable", "unreachable", "top", "no_grades"]

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


# ---------------------------------------------------------------- levers: what can change in one indicator


@dataclass(frozen=True)
class Lever:
    """What can change in one indicator, and how to write the changed value into the input.

    A numeric lever (`step` set) moves a number along a grid of `step`; a discrete one offers
    `choices` (value, shown, relative cost)."""

    ind: IndicatorScore
    position: int  # index in result.indicators
    field: str
    now: str | None
    put: Callable[[Record, Any], Record]
    show: Callable[[Any], str]
    current: Decimal | None = None
    step: Decimal | None = None
    keys: tuple[Decimal, ...] = ()
    direction: Direction | None = None
    low: Decimal | None = ZERO  # the least value the field may take
    high: Decimal | None = None
    choices: tuple[tuple[Any, Decimal], ...] = ()  # (value, relative cost), for a discrete lever

    def relative(self, v: Any) -> Decimal:
        if self.step is None:
            return next((cost for value, cost in self.choices if value == v), ONE)
        if self.current is None:
            return ONE
        moved: Decimal = abs(v - self.current)
        if self.current == 0:
            return moved / (max((abs(k) for k in self.keys), default=ONE) or ONE)
        return moved / abs(self.current)


def _places(d: Decimal) -> int:
    exp = d.as_tuple().exponent
    return -exp if isinstance(exp, int) and exp < 0 else 0


def _number(value: Value | None) -> Number | None:
    v = simple(value)
    if isinstance(v, Bound):
        return v.number
    return v if isinstance(v, Number) else None


def _target_points(value: Value | None) -> list[Number]:
    v = simple(value)
    if isinstance(v, Span):
        return [v.low, v.high]
    n = _number(v)
    return [n] if n is not None else []


def _with_row(record: Record, index: int, row: Row) -> Record:
    rows = list(record.rows)
    rows[index] = row
    return replace(record, rows=tuple(rows))


def _put_actual(index: int, unit: str, show: Callable[[Decimal], str]) -> Callable[[Record, Any], Record]:
    def put(record: Record, v: Any) -> Record:
        row = record.rows[index]
        number = Number(v, unit, show(v))
        cell = Cell(show(v), number)
        if row.review_actual is not None:
            return _with_row(record, index, replace(row, review_actual=cell))
        return _with_row(record, index, replace(row, actual=cell, alternatives=()))
    return put


def _put_row(index: int, name: str, review: str | None) -> Callable[[Record, Any], Record]:
    def put(record: Record, v: Any) -> Record:
        row = record.rows[index]
        key = review if review is not None and getattr(row, review) is not None else name
        return _with_row(record, index, replace(row, **{key: v}))
    return put


def _band_of(bands: tuple[Any, ...], f: Decimal) -> str | None:
    """The level whose band (`[60%, 80%)`) holds the share f."""
    for band in bands:
        text = str(band["range"]).strip()
        lo_text, hi_text = text[1:-1].split(",")
        lo, hi = D(lo_text.strip().rstrip("%")) / 100, D(hi_text.strip().rstrip("%")) / 100
        if (lo < f or (lo == f and text[0] == "[")) and (f < hi or (f == hi and text[-1] == "]")):
            return str(band["name"])
    return None


def _band_ends(bands: tuple[Any, ...]) -> tuple[Decimal, ...]:
    ends: set[Decimal] = set()
    for band in bands:
        for end in str(band["range"]).strip()[1:-1].split(","):
            ends.add(D(end.strip().rstrip("%")) / 100)
    return tuple(sorted(ends))


def lever(scheme: Scheme, record: Record, result: Result, position: int) -> Lever | str:
    """How the indicator at `position` of the result can change, or why no inverse is known."""
    ind = result.indicators[position]
    spec = ind.spec
    if spec is None:
        return "没有计分方法"
    kind = KINDS[spec.kind]
    wanted: Need | None = kind.generate(spec.raw) if kind.generate is not None else Need("actual")
    if ind.row is None:
        if (wanted is None or kind.reads_funds) and record.funds is not None:
            return _funds_lever(ind, position, record)
        return f"计分方法（{spec.kind}）不读指标行，无法反推"
    row = record.rows[ind.row]
    if wanted is None:
        return f"计分方法（{spec.kind}）不读指标行，无法反推"
    if wanted.field == "elements":
        return _elements_lever(scheme, ind, position, row)
    if wanted.field in ("level", "passed"):
        return _choice_lever(ind, position, row, wanted)
    if wanted.field == "occurrences":
        return Lever(ind, position, "occurrences", None if row.occurrences is None else fmt(row.occurrences),
                     _put_row(row.index, "occurrences", None), lambda v: f"{fmt(v)}次", current=row.occurrences,
                     step=ONE, keys=(ZERO,), direction="down")
    if wanted.field == "level_in_band":
        return _fraction_lever(ind, position, row, wanted)
    return _actual_lever(scheme, ind, position, row)


def _actual_lever(scheme: Scheme, ind: IndicatorScore, position: int, row: Row) -> Lever | str:
    spec = ind.spec
    kind = KINDS[spec.kind]
    fixed = scheme.index.get(key_of(ind.name))
    indicator: Indicator | None = scheme.categories[fixed[0]].indicators[fixed[1]] if fixed else None
    target = indicator.target if indicator is not None and indicator.target is not None else row.target.value
    points = _target_points(target)
    unit = points[0].unit if points else ""
    keys = {p.value for p in points}
    if kind.thresholds is not None:
        for got_unit, values in kind.thresholds(spec.params).items():
            if not unit or not got_unit or got_unit == unit:
                keys |= values
                unit = unit or got_unit
    direction = kind.monotone(spec.raw, target, ind.direction) if kind.monotone is not None else None
    if direction == "down":
        keys.add(ZERO)
    if not keys:
        return f"计分方法（{spec.kind}）没有可据以反推的{scheme.terms.target}或界值，需要的{scheme.terms.actual}无法算出"
    cell = row.review_actual if row.review_actual is not None else row.actual
    now = _number(cell.value)
    if now is not None and unit == "%" and not now.unit and now.value <= 1:
        now = None  # a bare fraction against a percentage: its reading is the scheme's policy, not ours
    unit = unit or (now.unit if now is not None else "")
    written = [w for w in (_written(now), *(_written(p) for p in points)) if w is not None]
    step = min((D(1).scaleb(-places) * factor for factor, _, places in written), default=ONE)
    factor, scale, _ = written[0] if written else (ONE, "", 0)

    def show(v: Decimal) -> str:
        return fmt(v / factor) + scale + unit if scale else render(Number(v, unit))

    return Lever(ind, position, "actual", cell.text, _put_actual(row.index, unit, show), show,
                 current=None if now is None else now.value, step=step, keys=tuple(sorted(keys)),
                 direction=direction)


def _written(number: Number | None) -> tuple[Decimal, str, int] | None:
    """How a number is written: its scale (万), and the digits after the point (380.00万元: 万, 2)."""
    if number is None:
        return None
    for m in _WRITTEN.finditer(number.text or render(number)):
        digits, scale = m.group(1), m.group(2) or ""
        factor = _SCALE.get(scale, ONE)
        if D(digits) * factor == number.value:
            return factor, scale, _places(D(digits))
    return ONE, "", _places(number.value)


def _funds_lever(ind: IndicatorScore, position: int, record: Record) -> Lever | str:
    f = record.funds
    assert f is not None
    if f.executed is None:
        return "资金情况没有全年执行数"
    keys = tuple(sorted({b for b in (f.budget, f.adjusted_budget, f.initial_budget) if b is not None and b > 0}))
    places = max([_places(k) for k in keys] + [_places(f.executed), 2])

    def put(r: Record, v: Any) -> Record:
        assert r.funds is not None
        return replace(r, funds=replace(r.funds, executed=v), funds_given={})

    step = D(1).scaleb(-places)
    return Lever(ind, position, "executed", f"{f.executed:f}", put, lambda v: f"{v.quantize(step):f}",
                 current=f.executed, step=step, keys=keys, direction="up")


def _elements_lever(scheme: Scheme, ind: IndicatorScore, position: int, row: Row) -> Lever | str:
    fixed = scheme.index.get(key_of(ind.name))
    specs = scheme.categories[fixed[0]].indicators[fixed[1]].elements if fixed else ()
    if not specs:
        return "本指标的要素未在方案中列出，无法反推"
    has = set(row.review_elements if row.review_elements is not None else (row.elements or ()))
    # which to add first, from the scheme's own elements: a veto (缺要素即不得分) first, then the largest share
    even = ONE / len(specs)
    missing = sorted((e for e in specs if e.number not in has),
                     key=lambda e: (not e.veto, -(e.share if e.share is not None else even), e.number))
    choices = tuple((frozenset(has | {e.number for e in missing[:size]}), D(size) / len(specs))
                    for size in range(1, len(missing) + 1))
    return Lever(ind, position, "elements", "、".join(map(str, sorted(has))) or "（无）",
                 _put_row(row.index, "elements", "review_elements"),
                 lambda v: "、".join(map(str, sorted(v))), choices=choices)


def _choice_lever(ind: IndicatorScore, position: int, row: Row, wanted: Need) -> Lever:
    if wanted.field == "passed":
        return Lever(ind, position, "passed", None if row.passed is None else ("合格" if row.passed else "不合格"),
                     _put_row(row.index, "passed", None), lambda v: "合格" if v else "不合格", choices=((True, ONE),))
    levels = list(wanted.levels)
    now = row.review_level if row.review_level is not None else row.level
    at = levels.index(now) if now in levels else len(levels)
    choices = tuple((name, D(abs(at - i)) / len(levels)) for i, name in enumerate(levels) if name != now)
    return Lever(ind, position, "level", now, _put_row(row.index, "level", "review_level"), str,
                 choices=tuple(sorted(choices, key=lambda c: c[1])))


def _fraction_lever(ind: IndicatorScore, position: int, row: Row, wanted: Need) -> Lever | str:
    bands = wanted.bands
    if not bands:
        return "本指标的定性等级未列出区间，无法反推"
    now = row.review_fraction if row.review_fraction is not None else row.fraction
    if now is None and ind.score is not None and ind.weight:
        now = ind.score / ind.weight  # the level's default share, as scored

    def put(r: Record, v: Any) -> Record:
        old = r.rows[row.index]
        level = _band_of(bands, v)
        if old.review_level is not None or old.review_fraction is not None:
            return _with_row(r, row.index, replace(old, review_level=level, review_fraction=v))
        return _with_row(r, row.index, replace(old, level=level, fraction=v))

    return Lever(ind, position, "fraction", None if now is None else pct(now), put,
                 lambda v: f"{pct(v)}（{_band_of(bands, v)}）", current=now, step=D("0.01"),
                 keys=_band_ends(bands), direction="up", low=ZERO, high=ONE)


# ---------------------------------------------------------------- the search along one lever


class Oracle:
    """The engine, asked about changed inputs: each input scored once."""

    def __init__(self, scheme: Scheme):
        self.scheme = scheme
        self.calls = 0

    def __call__(self, record: Record) -> Result:
        self.calls += 1
        return evaluate(self.scheme, record)


Goal = Callable[[Result], bool]
Measure = Callable[[Result], Decimal | None]


def least(lv: Lever, base: Record, goal: Goal, measure: Measure, oracle: Oracle) -> tuple[Any, Result] | None:
    """The value of the lever nearest to where it is now that meets `goal`, and the result it gives
    (None: no value the scheme's points reach does)."""
    if lv.step is None:
        for value, _ in sorted(lv.choices, key=lambda c: c[1]):
            got = oracle(lv.put(base, value))
            if goal(got):
                return value, got
        return None
    if lv.direction is None or lv.current is None:
        return _at_keys(lv, base, goal, oracle)
    sign = 1 if lv.direction == "up" else -1
    c = lv.current * sign
    ahead = sorted(k * sign for k in lv.keys if k * sign > c and (lv.low is None or k >= lv.low))
    if lv.high is not None and lv.direction == "up":
        ahead = [k for k in ahead if k <= lv.high]
    lo, lo_m, hi, hi_got = c, None, None, None
    for k in ahead:
        got = oracle(lv.put(base, k * sign))
        if goal(got):
            hi, hi_got = k, got
            break
        lo, lo_m = k, measure(got)
    if hi is None or hi_got is None:
        return None
    step = lv.step
    lo_n = (lo / step).to_integral_value(rounding=decimal.ROUND_FLOOR)
    hi_n = (hi / step).to_integral_value(rounding=decimal.ROUND_CEILING)
    best: tuple[Any, Result] = (hi * sign, hi_got) if hi == hi_n * step else (hi_n * step * sign, oracle(lv.put(base, hi_n * step * sign)))
    if not goal(best[1]):  # the grid point past a threshold off the grid: the threshold itself is the answer
        return hi * sign, hi_got
    guess = _interpolate(lo, lo_m, hi, measure(hi_got), goal, base, lv, measure, oracle, sign)
    while hi_n - lo_n > 1:
        mid = guess if guess is not None and lo_n < guess < hi_n else (lo_n + hi_n) // 2
        guess = None
        got = oracle(lv.put(base, mid * step * sign))
        if goal(got):
            hi_n, best = mid, (mid * step * sign, got)
        else:
            lo_n = mid
    return best


def _interpolate(lo: Decimal, lo_m: Decimal | None, hi: Decimal, hi_m: Decimal | None, goal: Goal, base: Record,
                 lv: Lever, measure: Measure, oracle: Oracle, sign: int) -> Decimal | None:
    """Where a linear rule between the two points reaches the goal's figure: the first grid point to try."""
    if lo_m is None:
        lo_m = measure(oracle(lv.put(base, lo * sign)))
    wanted: Decimal | None = getattr(goal, "wanted", None)
    if lo_m is None or hi_m is None or wanted is None or hi_m == lo_m or lv.step is None:
        return None
    at: Decimal = lo + (wanted - lo_m) * (hi - lo) / (hi_m - lo_m)
    return (at / lv.step).to_integral_value(rounding=decimal.ROUND_CEILING)


def _at_keys(lv: Lever, base: Record, goal: Goal, oracle: Oracle) -> tuple[Any, Result] | None:
    """A lever without a known direction: only the scheme's own points, nearest first."""
    here = lv.current if lv.current is not None else ZERO
    for k in sorted(lv.keys, key=lambda k: (abs(k - here), k)):
        if lv.low is not None and k < lv.low:
            continue
        got = oracle(lv.put(base, k))
        if goal(got):
            return k, got
    return None


class AtLeast:
    """A goal: a figure of the result (an indicator's score, the total) at or above `wanted`."""

    def __init__(self, measure: Measure, wanted: Decimal, inclusive: bool = True):
        self.measure, self.wanted, self.inclusive = measure, wanted, inclusive

    def __call__(self, r: Result) -> bool:
        got = self.measure(r)
        return got is not None and (got > self.wanted or (self.inclusive and got == self.wanted))


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
        most = sum((f.gain for f in full if f.gain is not None), ZERO)
        stuck = [f.indicator for f in full if f.change is None]
        why = f"各可改变的指标都得满分，总分也只增加{fmt(most)}分，达不到「{band.grade}」（{band.interval}，还差{fmt(gap)}分）"
        if stuck:
            why += f"；{'、'.join(stuck)}无法按本方案的规则反推或未能计分"
        return replace(said, status="unreachable", message="在本方案的规则内，没有改变能达到该等级：" + why)
    size = len(plans[0].changes)
    message = (f"总分{fmt(result.total, places)}，距「{band.grade}」（{band.interval}）还差{fmt(gap)}分；"
               f"最少需改变{size}个指标，以下按代价从小到大（代价 = 各指标实际值的相对变化之和）：")
    return replace(said, status="reachable", message=message, plans=tuple(plans))


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
    for chosen in itertools.islice(itertools.combinations(ranked, size), SETS_LISTED):
        if sum((g for _, _, g in chosen), ZERO) >= gap or size == 1:
            sets.append((sum((lv.relative(v) for lv, v, _ in chosen), ZERO), chosen))
    sets.sort(key=lambda s: s[0])
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
        changes.sort(key=lambda c: next(i for i, (o, _, _) in enumerate(chosen) if o.ind.name == c.indicator
                                        and o.field == c.field))
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
            lv = _reversed(lv)
        found = least(lv, record, goal, goal.measure, oracle)
        if found is None:
            continue
        value, after = found
        change = _change(lv, value, after)
        if best is None or change.relative < best.change.relative:
            best = Crossing(change, after.total, after.grade)
    return best


def _reversed(lv: Lever) -> Lever:
    """The lever turned the other way: how its value would make the score worse, to its far ends."""
    assert lv.current is not None
    if lv.direction == "up":
        keys = {k for k in lv.keys if k < lv.current} | {lv.low if lv.low is not None else ZERO}
        return replace(lv, direction="down", keys=tuple(sorted(keys)))
    far = max([*lv.keys, lv.current]) * 10 or ONE
    keys = {k for k in lv.keys if k > lv.current} | {2 * k for k in lv.keys} | {far}
    return replace(lv, direction="up", keys=tuple(sorted(k for k in keys if k > lv.current)))
