"""Turning a score back into the value that earns it: one indicator's `Lever` and the search along it.

A lever is the value that can move in one indicator (an actual, the elements, a level, the
evaluator's share inside a level's band, a count of occurrences, the funds executed), the points
its scheme turns on (the target, the kind's `thresholds`, the elements' shares, the levels' bands)
and the way its score moves (the kind's `monotone`). `least` takes the first of those points
that is enough, then the value a linear rule between two points implies, confirmed by the
engine (`engine.evaluate`, the oracle: nothing here reads the engine's internals) and pinned to
the precision the table is written in. A kind with no point or direction to turn back says so.
"""

from __future__ import annotations

import decimal
import re
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import Any, Callable, Literal

from .decimals import ONE, ZERO, fmt, pct
from .engine import evaluate
from .kinds import KINDS, Need
from .model import Indicator, Scheme
from .record import Cell, Record, Row
from .result import IndicatorScore, Result
from .values import Bound, Number, Span, Value, key_of, render, simple

D = Decimal
Direction = Literal["up", "down"]
_WRITTEN = re.compile(r"(\d+(?:\.\d+)?)\s*([万亿千])?")
_SCALE = {"万": D(10000), "亿": D(100000000), "千": D(1000)}  # as perfrules.values reads them


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
        return Lever(ind, position, "passed", row.actual.text if row.passed is None else ("合格" if row.passed else "不合格"),
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

    return Lever(ind, position, "fraction", None if now is None else pct(now.quantize(D("0.0001"))), put,
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
    """A lever without a known direction or value now: only the scheme's own points, in the order that
    finds the least change first (nearest to the value now; with a direction but no value, from the
    worse end)."""
    here = lv.current if lv.current is not None else ZERO
    if lv.current is None and lv.direction is not None:
        order = sorted(lv.keys, reverse=lv.direction == "down")
    else:
        order = sorted(lv.keys, key=lambda k: (abs(k - here), k))
    for k in order:
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


def reversed_lever(lv: Lever) -> Lever:
    """The lever turned the other way: how its value would make the score worse, to its far ends."""
    assert lv.current is not None
    if lv.direction == "up":
        keys = {k for k in lv.keys if k < lv.current} | {lv.low if lv.low is not None else ZERO}
        return replace(lv, direction="down", keys=tuple(sorted(keys)))
    far = max([*lv.keys, lv.current]) * 10 or ONE
    keys = {k for k in lv.keys if k > lv.current} | {2 * k for k in lv.keys} | {far}
    return replace(lv, direction="up", keys=tuple(sorted(k for k in keys if k > lv.current)))
