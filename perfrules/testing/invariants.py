"""The invariants a publishable scheme must keep, each a named check over one input.

An invariant takes the scheme, an input and (optionally) the input's result already
scored, evaluates what else it needs, and returns None when it holds or a `Violation`
naming the indicator and explaining the offending score. `perfrules check` and
`perfrules.testing.scheme_test` run them all over generated inputs, scoring each once.

An indicator's score depends on its own row (and the input's funds and year), never on
another row's actual: the engine scores row by row. So an invariant that changes rows one
at a time (a higher actual, one element more, the reviewer's value as the unit's) changes
them all in one input, scores that once, and re-scores a single row only to confirm what
it found; the violation it reports is the one the row-by-row check reports.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Callable

from ..decimals import ZERO, fmt
from ..i18n import gettext as _
from ..kinds import KINDS
from ..kinds.base import Direction
from ..model import Scheme
from ..result import IndicatorScore, Result
from ..values import Number, parse, render, simple

D = Decimal


@dataclass(frozen=True)
class Violation:
    """An input that breaks an invariant, and why."""

    invariant: str
    message: str
    data: dict[str, Any]
    indicator: IndicatorScore | None = None
    details: tuple[str, ...] = field(default_factory=tuple)


Invariant = Callable[[Scheme, dict[str, Any], Result | None], Violation | None]
INVARIANTS: dict[str, Invariant] = {}


def invariant(fn: Invariant) -> Invariant:
    """Register an invariant under its function name."""
    INVARIANTS[fn.__name__] = fn
    return fn


def _rows(result: Result) -> list[IndicatorScore]:
    return [i for i in result.indicators if i.score is not None]


@invariant
def score_within_weight(scheme: Scheme, data: dict[str, Any], result: Result | None = None) -> Violation | None:
    """Every indicator score lies between 0 and the indicator's weight (得分不超过分值，不为负)."""
    result = result or scheme.evaluate(data)
    for ind in _rows(result):
        assert ind.score is not None
        if not ZERO <= ind.score <= ind.weight:
            return Violation("score_within_weight", f"「{ind.name}」得分{fmt(ind.score)}不在0到分值{fmt(ind.weight)}之间",
                             data, ind)
    return None


def _up(ind: IndicatorScore) -> Direction | None:
    """Which way the score must move as the actual rises: 'up', 'down', or None (no rule); the kind says."""
    spec = ind.spec
    if spec is None:
        return None
    kind = KINDS[spec.kind]
    if kind.monotone is None:
        return None
    return kind.monotone(spec.raw, parse(ind.target) if ind.target else None, ind.direction)


def _with_rows(data: dict[str, Any], rows: dict[int, dict[str, Any]]) -> dict[str, Any]:
    """`data` with the rows at these indexes replaced (the rest shared, not copied)."""
    changed = dict(data)
    changed["indicators"] = [rows.get(i, row) for i, row in enumerate(data["indicators"])]
    return changed


def _numeric(text: Any) -> Number | None:
    value = simple(parse(text)) if isinstance(text, (str, int, Decimal)) else None
    return value if isinstance(value, Number) else None


@dataclass(frozen=True)
class _Trial:
    """One row changed for the better: which row, its new value, and what to say if it scores worse."""

    ind: IndicatorScore
    before: Decimal  # its score as the input stands
    batch: int  # the k-th change tried on its row: trials of one batch change different rows
    key: str
    value: Any
    up: bool  # the score must not fall (else: must not rise)
    what: str

    def worse(self, other: IndicatorScore | None) -> bool:
        if other is None or other.score is None:
            return False
        return other.score < self.before if self.up else other.score > self.before


def _trials(scheme: Scheme, data: dict[str, Any], base: Result) -> list[_Trial]:
    """Every change `monotone` tries, in the order it reports them: row by row, a higher
    actual (a step up, then twice it), then each element the row lacks."""
    out: list[_Trial] = []
    for ind in base.indicators:
        if ind.score is None or ind.row is None:
            continue
        before = ind.score
        row = data["indicators"][ind.row]
        direction = _up(ind)
        actual_key = "review_actual" if "review_actual" in row else "actual"
        number = _numeric(row.get(actual_key))
        if direction and number is not None:
            step = max(number.value * D("0.1"), D(1))
            verb = "降低" if direction == "up" else "提高"
            for k, bigger in enumerate((number.value + step, number.value * 2 + 1)):
                higher = render(Number(bigger, number.unit))
                out.append(_Trial(ind, before, k, actual_key, higher, direction == "up",
                                  f"「{ind.name}」实际值由{render(number)}提高到{higher}，得分反而{verb}"))
        elements_key = "review_elements" if "review_elements" in row else "elements"
        present = row.get(elements_key)
        if isinstance(present, list) and ind.spec is not None:
            tried = sum(1 for t in out if t.ind is ind)
            for k, extra in enumerate(sorted(set(_elements_of(scheme, ind)) - set(present)), start=tried):
                out.append(_Trial(ind, before, k, elements_key, sorted(present + [extra]), True,
                                  f"「{ind.name}」增加要素{extra}后得分反而降低"))
    return out


def _changed(data: dict[str, Any], trials: list[_Trial]) -> dict[str, Any]:
    """`data` with each trial's row changed (at most one trial per row)."""
    return _with_rows(data, {t.ind.row: {**data["indicators"][t.ind.row], t.key: t.value}
                             for t in trials if t.ind.row is not None})


@invariant
def monotone(scheme: Scheme, data: dict[str, Any], result: Result | None = None) -> Violation | None:
    """Doing better never scores less (a higher actual, or one element more).

    A higher actual never lowers a higher-is-better score and never raises a lower-is-better
    one; an element more never lowers an element score (a missing veto element may void
    it, but adding one cannot)."""
    base = result or scheme.evaluate(data)
    trials = _trials(scheme, data, base)
    batches: dict[int, Result] = {}
    for trial in trials:
        if trial.batch not in batches:  # every row's change of this batch, scored in one input
            batches[trial.batch] = scheme.evaluate(_changed(data, [t for t in trials if t.batch == trial.batch]))
        if not trial.worse(_same_row(batches[trial.batch], trial.ind)):
            continue
        other = _same_row(scheme.evaluate(_changed(data, [trial])), trial.ind)  # confirmed with this row alone
        if other is not None and other.score is not None and trial.worse(other):
            return Violation("monotone", f"{trial.what}：{fmt(trial.before)} → {fmt(other.score)}", data, other,
                             (_("before: {explanation}").format(explanation=trial.ind.explanation),
                              _("after:  {explanation}").format(explanation=other.explanation)))
    return None


def _elements_of(scheme: Scheme, ind: IndicatorScore) -> list[int]:
    for category in scheme.categories:
        for spec in category.indicators:
            if spec.name == ind.name:
                return [e.number for e in spec.elements]
    return []


def _same_row(result: Result, ind: IndicatorScore) -> IndicatorScore | None:
    return next((i for i in result.indicators if i.row == ind.row and i.name == ind.name), None)


@invariant
def sums(scheme: Scheme, data: dict[str, Any], result: Result | None = None) -> Violation | None:
    """Category scores and the total are the sums the scheme defines, rounded as it declares.

    A category is the sum of its indicators (折算 applied); the total is the sum of the
    categories that count in it."""
    result = result or scheme.evaluate(data)
    r = scheme.rounding
    totals = ZERO
    for category, got in zip(scheme.categories, result.categories):
        items = [i.score for i in result.indicators if i.level1 == category.name and i.score is not None]
        factor = category.scale if category.scale is not None else D(1)
        expected = r.at("category", sum(items, ZERO) * factor)
        if expected != got.score:
            return Violation("sums", f"「{category.name}」小计{fmt(got.score)}，各指标合计应为{fmt(expected)}", data)
        if got.in_total:
            totals += got.score
    if not result.notes:  # not-applicable rescaling changes the sum by design, and says so
        expected_total = r.at("total", totals)
        if expected_total != result.total:
            return Violation("sums", f"总分{fmt(result.total)}，各类合计应为{fmt(expected_total)}", data)
    return None


@invariant
def total_in_range(scheme: Scheme, data: dict[str, Any], result: Result | None = None) -> Violation | None:
    """The total lies between 0 and the scheme's total (normally 100)."""
    result = result or scheme.evaluate(data)
    if not ZERO <= result.total <= scheme.total:
        return Violation("total_in_range", f"总分{fmt(result.total)}不在0到{fmt(scheme.total)}之间", data)
    return None


def _bands_holding(scheme: Scheme, total: Decimal) -> list[str]:
    return [b.grade for b in scheme.bands if b.interval.contains(total)]


def _misgraded_totals(scheme: Scheme) -> bool:
    """Whether some total in [0, total] falls in no band or in two (bands checked at load
    cannot; `check` loads leniently to show an input that lands there)."""
    points = {ZERO, scheme.total}
    for band in scheme.bands:
        for end in (band.interval.low, band.interval.high):
            if end is not None:
                points |= {end - D("0.01"), end, end + D("0.01")}
    return any(len(_bands_holding(scheme, p)) != 1 for p in points if ZERO <= p <= scheme.total)


def _scaled_actuals(data: dict[str, Any], k: Decimal) -> dict[str, Any]:
    changed = copy.deepcopy(data)
    for row in changed["indicators"]:
        for key in ("actual", "review_actual"):
            number = _numeric(row.get(key))
            if number is not None:
                row[key] = render(Number((number.value * k).quantize(D("0.01")), number.unit))
    return changed


@invariant
def one_grade(scheme: Scheme, data: dict[str, Any], result: Result | None = None) -> Violation | None:
    """Every total is in exactly one grade band, and its grade is that band's."""
    if _misgraded_totals(scheme):
        # the bands do not partition the range: sweep this input's actuals to land in the hole
        for k in [D(n) / 100 for n in range(0, 201, 2)]:
            probe = _scaled_actuals(data, k)
            total = scheme.evaluate(probe).total
            holding = _bands_holding(scheme, total)
            if len(holding) != 1:
                what = "没有等级" if not holding else f"同时属于{'、'.join(holding)}"
                return Violation("one_grade", f"总分{fmt(total, 2)}{what}", probe)
    result = result or scheme.evaluate(data)
    holding = _bands_holding(scheme, result.total)
    if len(holding) != 1:
        what = "没有等级" if not holding else f"同时属于{'、'.join(holding)}"
        return Violation("one_grade", f"总分{fmt(result.total, result.places)}{what}", data)
    if result.complete and result.grade != holding[0]:
        return Violation("one_grade", f"总分{fmt(result.total)}应为{holding[0]}，结果为{result.grade}", data)
    return None


@invariant
def deterministic(scheme: Scheme, data: dict[str, Any], result: Result | None = None) -> Violation | None:
    """The same input scores the same, whatever the order of its indicator rows."""
    first = result or scheme.evaluate(data)
    again = scheme.evaluate(copy.deepcopy(data))
    if first.to_dict() != again.to_dict():
        return Violation("deterministic", "同一输入两次评分结果不同", data)
    shuffled = copy.deepcopy(data)
    shuffled["indicators"] = list(reversed(shuffled["indicators"]))
    other = scheme.evaluate(shuffled)
    a = sorted((i.name, i.level1, str(i.score)) for i in first.indicators)
    b = sorted((i.name, i.level1, str(i.score)) for i in other.indicators)
    if a != b or first.total != other.total or first.grade != other.grade:
        return Violation("deterministic", f"指标行顺序颠倒后评分改变：总分{fmt(first.total)} → {fmt(other.total)}", shuffled)
    return None


@invariant
def review_is_scored(scheme: Scheme, data: dict[str, Any], result: Result | None = None) -> Violation | None:
    """A reviewer's value (复核值), when given, is what is scored.

    The score is the same as if the unit had written that value itself."""
    result = result or scheme.evaluate(data)
    reviewed = [i for i in result.indicators if i.row is not None and "review_actual" in data["indicators"][i.row]]
    if not reviewed:
        return None
    everyone = scheme.evaluate(_with_rows(data, {i.row: _as_written(data, i.row) for i in reviewed if i.row is not None}))
    for ind in reviewed:
        assert ind.row is not None
        if _same_score(_same_row(everyone, ind), ind):
            continue
        other = _same_row(scheme.evaluate(_with_rows(data, {ind.row: _as_written(data, ind.row)})), ind)  # this row alone
        if not _same_score(other, ind):
            shown = fmt(other.score) if other and other.score is not None else "—"
            return Violation("review_is_scored", f"「{ind.name}」复核值{data['indicators'][ind.row]['review_actual']}得分"
                             f"{fmt(ind.score) if ind.score is not None else '—'}，与按该值直接计分的{shown}不同", data, ind)
    return None


def _as_written(data: dict[str, Any], row: int) -> dict[str, Any]:
    """The row with the reviewer's value written as the unit's own actual."""
    plain = {k: v for k, v in data["indicators"][row].items() if k != "review_actual"}
    plain["actual"] = data["indicators"][row]["review_actual"]
    return plain


def _same_score(other: IndicatorScore | None, ind: IndicatorScore) -> bool:
    return other is not None and other.score == ind.score
