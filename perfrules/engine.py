"""evaluate(scheme, input) -> Result: match rows to indicators, score, round, add up, grade.

Nothing here parses the ruleset: the scheme arrives compiled. Each indicator's method
returns a share of its weight (or points) and the reason; this module multiplies,
applies a manual deduction, rounds by the scheme's policy, and writes the arithmetic
into the explanation. An indicator that cannot be scored is never a silent zero: its
score is None, a finding says why, and the total says it is incomplete.
"""

from __future__ import annotations

import decimal
import weakref
from dataclasses import fields as dataclass_fields
from operator import attrgetter
from functools import partial
from decimal import Decimal
from typing import Any, Callable, NamedTuple, Sequence

from .i18n import gettext as _
from . import limits
from .decimals import ZERO, Rounding, fmt, is_long, settle
from .errors import PerfrulesError
from .frozen import defaults, make
from .kinds import KINDS, Inputs, Outcome, Scored, Unscored
from .kinds.base import Says, rated
from .kinds.common import Measure, plain_measure
from .model import Category, Indicator, MethodSpec, Scheme, Terms
from .record import Record, Row, category_key, category_points
from .result import CategoryScore, Direction, Finding, IndicatorScore, Later, Result, Text as Words, inline, inlined, later, text
from .values import Bound, Number, Text, Unreadable, Value, form, key_of, meaning


def evaluate(scheme: Scheme, record: Record) -> Result:
    """Score one input (a Record: perfrules.sources reads one from a file or a mapping) against a
    compiled scheme."""
    if not scheme.categories:
        raise PerfrulesError(_("{id} is a checks ruleset (kind: checks): it has nothing to score; "
                               "use `perfrules audit` to run its checks").format(id=scheme.id), file=scheme.file)
    # the scheme's own decimal context: a caller's precision, rounding or traps change nothing
    with decimal.localcontext(scheme.rounding.context()):
        return _Evaluation(scheme, record).run()


def _direction(shape: str) -> Direction:
    """The direction a target of this form (`values.form`) implies: ≤ lower, = equal, else higher.
    (A one-part compound has its part's form: `form(simple(t)) == form(t)`.)"""
    return _IMPLIED.get(shape, "higher")


_IMPLIED: dict[str, Direction] = {"le": "lower", "lt": "lower", "eq": "equal", "approx": "equal"}


# whether an indicator is a cost, its direction, its spec, and the findings and notes choosing them gave
_Facts = tuple[bool, Direction, "MethodSpec | None", tuple[Finding, ...], tuple[str, ...]]

_WRITTEN: dict[str, Direction] = {"ge": "higher", "gt": "higher", "le": "lower", "lt": "lower"}  # a target's form -> its direction


class _Values(NamedTuple):
    """One indicator's values as scored, and as shown beside the score."""

    target: Value | None
    actual: Value | None
    shown_target: str | None
    shown_actual: str | None
    elements: frozenset[int] | None
    level: str | None
    fraction: Decimal | None
    reviewed: bool  # the reviewer's values (复核) replaced the unit's


def _score_fields(name: str, level1: str, level2: str | None, target: str | None, direction: Direction,
                  spec: MethodSpec) -> dict[str, Any]:
    """Every field of an IndicatorScore on the plain path, in the order IndicatorScore declares
    them: those of the indicator, and placeholders for the row's (_Evaluation._plain sets them)."""
    return {"name": name, "level1": level1, "level2": level2, "weight": None, "score": None, "method": spec.kind,
            "explanation": "", "target": target, "actual": None, "reviewed": False, "applicable": True, "row": None,
            "findings": (), "direction": direction, "met": None, "spec": spec}


def _shown(row: Row | None) -> _Values:
    """The row's values as written, for an indicator left unscored before they were read."""
    return _Values(None, None, row.target.text if row else None, row.actual.text if row else None,
                   None, None, None, False)


class _Head(NamedTuple):
    """What every IndicatorScore of one indicator says whatever happens to it."""

    name: str
    level1: str
    level2: str | None
    weight: Decimal
    row: int | None

    def score(self, found: list[Finding], values: _Values, score: Decimal | None, method: str, explanation: Words,
              direction: Direction | None = None, spec: MethodSpec | None = None, reviewed: bool = False,
              applicable: bool = True, met: bool | None = None) -> IndicatorScore:
        name = self.name
        return make(IndicatorScore, {  # every field, in the order IndicatorScore declares them
            "name": name, "level1": self.level1, "level2": self.level2, "weight": self.weight, "score": score,
            "method": method, "explanation": explanation, "target": values.shown_target, "actual": values.shown_actual,
            "reviewed": reviewed, "applicable": applicable, "row": self.row,
            "findings": tuple(f if f.indicator else make(Finding, {**f.__dict__, "indicator": name}) for f in found) if found else (),
            "direction": direction, "met": met, "spec": spec})


_INPUTS_BASE = defaults(Inputs)
_PLAIN_TARGETS = (Number, Bound)  # the targets _Evaluation._plain takes (exact classes)
# _Evaluation._fixed_plain: meaning, is_cost, direction, spec, prefix, plain case, the score's fixed fields
_FixedPlain = tuple[Any, bool, Direction, "MethodSpec", str, "Callable[[Measure, Says], Scored | None] | None", dict[str, Any]]


def _noted(notes: Sequence[str]) -> str:
    """What is said before a method's reason: the notes on the way (成本指标，目标值535.00万元按“≤”理解), each ending in ；."""
    return "；".join(notes) + "；" if notes else ""


def _score_text(score: Decimal, stepped: bool) -> str:
    # fmt(score, places) is the quantized score as it stands: quantizing it again changes nothing
    return f"{score:f}" if stepped else fmt(score)


@later
def _explained(prefix: str, points: Decimal | None, share: Decimal | None, weight: Decimal, raw: Decimal,
               deduction: Decimal | None, less: Decimal, score: Decimal, stepped: bool, *reason: Any) -> str:
    """The explanation of a score _Evaluation._arithmetic worked out: the method's reason, then the
    arithmetic (weight × share, less a deduction, = the score, → its rounding); `reason`: the
    method's `because` and `expr`, inline. It does no arithmetic, so it is the same text whatever
    decimal context it is read in."""
    because, at = inlined(reason, 0)
    expr = inlined(reason, at)[0]
    if points is not None:
        arith = text(expr) if expr else fmt(points)
    else:
        arith = f"{fmt(weight)} × {text(expr) if expr else fmt(share if share is not None else ZERO)}"
    if deduction:
        arith = f"{arith} − 扣减{fmt(deduction)}"
        if raw < deduction:
            arith += "（扣完为止）"
    shown = _score_text(score, stepped)
    if less == score:
        arith += f" = {shown}"
    else:
        written = fmt(less)
        if written == shown:
            arith += f" = {shown}"
        else:
            arith += f" {'≈' if is_long(less) else '='} {written} → {shown}"
    return f"{prefix}{text(because or '')}，{arith}"


class _Says:
    """What a kind's plain case reads besides the measure (kinds.base.Says): one per scheme."""

    __slots__ = ("terms", "rounding")

    def __init__(self, terms: Terms, rounding: Rounding) -> None:
        self.terms, self.rounding = terms, rounding

    def rate(self, share: Decimal) -> Decimal:
        return rated(self.rounding, share)


class _Plan:
    """What an evaluation needs that depends on the scheme alone, worked out once per scheme."""

    def __init__(self, scheme: Scheme):
        self.cost_keys = frozenset(key_of(n) for n in scheme.policies.cost_names)
        self.cost_category = next((i for i, c in enumerate(scheme.categories) if c.keys[0] in self.cost_keys), None)
        # a category named as a cost (成本指标 as a level-1 category): every indicator in it is one
        self.cost_categories = frozenset(c.name for c in scheme.categories if c.keys[0] in self.cost_keys)
        self._bound: dict[int, tuple[MethodSpec, Callable[[Inputs], Outcome]]] = {}
        self._targets: dict[int, tuple[Indicator, Any, str]] = {}
        self._fixed_weights: dict[int, tuple[Category, Decimal]] = {}
        # _Evaluation._facts of indicators whose target the scheme fixes: see _Evaluation._fixed_facts
        self.fixed_facts: dict[tuple[int, str | None, str | None], tuple[Indicator, _Facts]] = {}
        # ... and what _Evaluation._plain needs of them: see _Evaluation._fixed_plain
        self.fixed_plain: dict[tuple[int, str | None, str | None], tuple[Indicator, _FixedPlain | None]] = {}
        # the rule chosen by (category, name, level2, target form, direction): see _Evaluation._rule
        self.rules: dict[tuple[int, str | None, str | None, str | None, str | None], MethodSpec | None] = {}
        # indicator scores by everything they depend on (see _Evaluation._scored), in two generations:
        # when `scores` holds its share of _SCORES_MAX it becomes `older_scores` and the older ones go, so a score
        # used again since is kept and a table's once-only rows fall away; memory stays flat
        self.scores: dict[tuple[Any, ...], IndicatorScore] = {}
        self.older_scores: dict[tuple[Any, ...], IndicatorScore] = {}
        # per category: whether any method its indicators may be scored by (its own, its rules, the
        # scheme's, and so the parts of a compound target) reads the funds block (Kind.uses_funds)
        self.reads_funds = tuple(
            any(KINDS[spec.kind].uses_funds for spec in (
                *(i.method for i in c.indicators if i.method), *(r.method for r in (*c.rules, *scheme.scoring))))
            for c in scheme.categories)
        self.any_reads_funds = any(self.reads_funds)
        # ... and so the categories whose methods get no funds block (it cannot change their scores)
        self.no_funds = frozenset(id(c) for c, reads in zip(scheme.categories, self.reads_funds) if not reads)
        # every indicator's Inputs start from these: the defaults, and what the scheme alone gives
        self.inputs = {**_INPUTS_BASE, "terms": scheme.terms, "vocabulary": scheme.vocabulary,
                       "policies": scheme.policies, "rounding": scheme.rounding,
                       "negative_actual": scheme.policies.negative_actual, "values": {}}
        # what a kind's plain case reads besides the measure (Kind.plain)
        self.says = _Says(scheme.terms, scheme.rounding)
        self._plain: dict[int, tuple[MethodSpec, Callable[[Measure, Says], Scored | None] | None]] = {}
        # CategoryScores by (category, score, weights added up): see category_score
        self._categories: dict[tuple[int, str, str], CategoryScore] = {}

    def remember(self, key: tuple[Any, ...], score: IndicatorScore) -> None:
        if len(self.scores) >= _SCORES_MAX // max(1, len(_PLANS)):  # (a share: see _SCORES_MAX)
            self.older_scores = self.scores
            self.scores = {}
        self.scores[key] = score

    def forget_scores(self) -> None:
        self.scores.clear()
        self.older_scores.clear()

    def category_score(self, ci: int, category: Category, score: Decimal, weights: Decimal) -> CategoryScore:
        """The category's CategoryScore with this score and these weights added up, one object for
        every input that comes to them (most inputs' categories come to sums seen before: full
        marks, or the same few losses), so that results held together share it. Keyed by each
        number's text: 20.0 and 20.00 are equal decimals, shown apart."""
        key = (ci, str(score), str(weights))
        got = self._categories.get(key)
        if got is None:
            if len(self._categories) >= _RULES_MAX:
                self._categories.clear()  # sums without end: memory stays flat
            got = self._categories[key] = make(CategoryScore, {
                "name": category.name, "weight": category.points, "score": score, "in_total": category.in_total,
                "indicator_weights": weights})
        return got

    def fixed_weight(self, category: Category) -> Decimal:
        """The weights of the category's fixed indicators added up, once per category."""
        got = self._fixed_weights.get(id(category))
        if got is None or got[0] is not category:
            got = self._fixed_weights[id(category)] = (category, sum((ind.weight for ind in category.indicators), ZERO))
        return got[1]

    def fixed_target(self, ind: Indicator) -> tuple[Any, str]:
        """A fixed indicator's target as it means and as it is shown, worked out once per indicator."""
        got = self._targets.get(id(ind))
        if got is None or got[0] is not ind:
            got = self._targets[id(ind)] = (ind, meaning(ind.target), str(ind.target))
        return got[1], got[2]

    def plain(self, spec: MethodSpec) -> Callable[[Measure, Says], Scored | None] | None:
        """The spec's kind's plain case with its params fixed (Kind.plain), or None: made once per spec."""
        got = self._plain.get(id(spec))
        if got is None or got[0] is not spec:
            plain = KINDS[spec.kind].plain
            got = self._plain[id(spec)] = (spec, None if plain is None else partial(plain, spec.params))
        return got[1]

    def bound(self, spec: MethodSpec) -> Callable[[Inputs], Outcome]:
        """The spec's kind with its params fixed (`Kind.bind`), made once per spec."""
        got = self._bound.get(id(spec))
        if got is None or got[0] is not spec:
            got = self._bound[id(spec)] = (spec, KINDS[spec.kind].bind(spec.params))
        return got[1]


_RULES_MAX = 10_000
# The scores remembered in one generation, shared by the schemes in use (each plan's generations
# hold at most _SCORES_MAX ÷ the plans alive: _share_out), so memory stays flat over any number of
# inputs and of schemes: at most 2 × _SCORES_MAX scores, 60–75 MB. 30,000, not 10,000: on
# 7,000 generated tables (benchmarks/ratio.py's run) a scheme that keeps 10,000 forgets a score
# before its row comes again, and scores 9.4 of Hunan's 21 indicators a table anew where 30,000
# scores 4.3 (benchmarks/README.md).
_SCORES_MAX = 30_000
# a row's fields but its index: two rows equal in these score alike wherever they stand
_ROW_CONTENT = attrgetter(*(f.name for f in dataclass_fields(Row) if f.name not in ("index", "values")))
# the row's numbers as written: 1.5 and 1.50, 0 and -0 are equal decimals but are shown apart
_ROW_NUMBERS = attrgetter("weight", "review_fraction", "reported_score", "fraction", "occurrences", "deduction")
_PLANS: dict[int, tuple[weakref.ref[Scheme], _Plan]] = {}


def plan(scheme: Scheme) -> _Plan:
    """The scheme's plan, made at its first evaluation and dropped with the scheme."""
    key = id(scheme)
    got = _PLANS.get(key)
    if got is None or got[0]() is not scheme:
        got = _PLANS[key] = (weakref.ref(scheme, partial(_forget, key)), _Plan(scheme))
        _share_out()
    return got[1]


def _share_out() -> None:
    """Another scheme is in use: a plan holding more scores than its share now (_SCORES_MAX ÷ the
    plans) forgets them, so that all plans together keep at most 2 × _SCORES_MAX."""
    share = _SCORES_MAX // len(_PLANS)
    for _ref, known in _PLANS.values():
        if len(known.scores) > share:
            known.forget_scores()
        elif len(known.older_scores) > share:
            known.older_scores = {}


def _forget(key: int, ref: object) -> None:
    """A scheme is gone: its plan goes too."""
    _PLANS.pop(key, None)


def _forget_scores() -> None:
    """The limits changed: a score remembered under the old ones may not hold (a number now out of
    bounds), so every plan forgets its scores."""
    for _ref, known in list(_PLANS.values()):
        known.forget_scores()


limits.on_change(_forget_scores)


class _PartRules:
    """Scores one part of a compound target (人数≥3.5万) by the scheme's rules, as its indicator would be.

    (A plain class: one is made per indicator scored, and a frozen dataclass costs three times as much.)"""

    __slots__ = ("evaluation", "category", "name", "level2", "is_cost")

    def __init__(self, evaluation: _Evaluation, category: Category, name: str, level2: str | None, is_cost: bool):
        self.evaluation, self.category, self.name, self.level2, self.is_cost = evaluation, category, name, level2, is_cost

    def __call__(self, x: Inputs, part_target: Value | None, part_actual: Value | None) -> Outcome:
        # a part of a cost target written without ≤ is a cost too
        shape = form(part_target)
        d = "lower" if self.is_cost and shape == "bare" else _direction(shape)
        e = self.evaluation
        spec = e._rule(self.category, self.name, self.level2, shape, d)
        if spec is None or not KINDS[spec.kind].part:
            return Unscored("no_rule", f"没有适用于「{part_target}」的计分规则")
        # plain numbers (企业用人单位数167家 against ≥180家): the kind's plain case, as for an indicator
        plain = e.plan.plain(spec)
        if plain is not None:
            m = plain_measure(part_target, part_actual, d)
            if m is not None:
                out = plain(m, e.plan.says)
                if out is not None:
                    return out
        return e.plan.bound(spec)(make(Inputs, {**x.__dict__, "target": part_target, "actual": part_actual, "direction": d}))


class _Evaluation:
    def __init__(self, scheme: Scheme, record: Record):
        self.scheme = scheme
        self.plan = plan(scheme)
        self.record = record
        self.findings: list[Finding] = list(scheme.findings)
        self.indicator_step = scheme.rounding.stages.get("indicator")
        # what a score may read of the input besides its row (funds as written: 1.6E+6 is not 1600000);
        # the limits too (a formula checks the bounds), but a change of limits forgets every score
        self._context_without_funds = (None, record.year)  # where no method reads the funds
        self._context = (repr(record.funds), record.year) if self.plan.any_reads_funds else self._context_without_funds

    # ------------------------------------------------------------ matching rows to the scheme

    def _match(self) -> tuple[dict[tuple[int, int], Row], dict[int, list[Row]]]:
        s = self.scheme
        fixed: dict[tuple[int, int], Row] = {}
        opened: dict[int, list[Row]] = {ci: [] for ci, c in enumerate(s.categories) if c.open}
        cost_keys = self.plan.cost_keys
        points_checked: set[str] = set()
        for row in self.record.rows:
            if row.placeholder:
                self.findings.append(Finding("info", "placeholder_row",
                                             f"第{row.index + 1}行各栏均为「{row.name}」，是未填写的占位行，已跳过",
                                             row.level2 or row.name))
                continue
            hit = s.index.get(key_of(row.name))
            if hit is not None:
                if hit in fixed:
                    self.findings.append(Finding("error", "duplicate_indicator",
                                                 f"第{row.index + 1}行与第{fixed[hit].index + 1}行是同一指标，只计第一行", row.name))
                else:
                    fixed[hit] = row
                continue
            ci = s.category_index.get(category_key(row.level1)) if row.level1 else None
            if ci is not None and row.level1 is not None and row.level1 not in points_checked:
                points_checked.add(row.level1)
                self._category_points(row.level1, s.categories[ci])
            if s.policies.cost_level == 1 and row.level2 and key_of(row.level2) in cost_keys:
                cost_ci = self.plan.cost_category
                if cost_ci is not None and cost_ci != ci:
                    self.findings.append(Finding("info", "cost_category",
                                                 f"本方案中成本指标是一级指标，该行按成本指标计（表中写在「{row.level1}」下）", row.name))
                    ci = cost_ci
            if ci is None:
                if not row.level1:
                    self.findings.append(Finding("error", "unknown_indicator",
                                                 f"「{row.name}」不是本方案指标目录中的指标，且没有给出一级指标（level1），未计分", row.name))
                else:
                    hint = ""
                    if key_of(row.level1) in cost_keys:
                        hint = "；本方案中成本指标是产出指标下的二级指标"
                    names = "、".join(c.name for c in s.categories)
                    self.findings.append(Finding("error", "unknown_category",
                                                 f"一级指标「{row.level1}」不是本方案的一级指标（{names}）{hint}，未计分", row.name))
                continue
            if s.categories[ci].open:
                opened[ci].append(row)
            else:
                self.findings.append(Finding("error", "unknown_indicator",
                                             f"「{row.name}」不在「{s.categories[ci].name}」的指标目录中，未计分", row.name))
        return fixed, opened

    def _category_points(self, written: str, category: Category) -> None:
        """产出指标（40分） against a scheme that gives 产出指标 50 points: scored by the scheme, said in a finding."""
        points = category_points(written)
        if points is not None and points != category.points:
            self.findings.append(Finding(
                "warning", "category_points_differ",
                f"表中一级指标「{written}」标明{fmt(points)}分，本方案「{category.name}」为{fmt(category.points)}分，按本方案计分"))

    # ------------------------------------------------------------ choosing a method

    def _rule(self, category: Category, name: str, level2: str | None, shape: str, direction: str) -> MethodSpec | None:
        """The first of the category's rules, then the scheme's, that the indicator's facts match
        (remembered per scheme: the same facts always choose the same rule). `shape`: the target's form."""
        key = (id(category), name, level2, shape, direction)
        chosen = self.plan.rules
        if key in chosen:
            return chosen[key]
        facts = {"name": name, "level1": category.name, "level2": level2, "target": shape, "direction": direction}
        spec = next((rule.method for rule in (*category.rules, *self.scheme.scoring) if rule.matches(facts)), None)
        if len(chosen) >= _RULES_MAX:
            chosen.clear()  # open indicators bring names without end: memory stays flat
        chosen[key] = spec
        return spec

    # ------------------------------------------------------------ one indicator

    def _scored(self, ci: int, ii: int, category: Category, ind: Indicator | None, row: Row | None,
                weight: Decimal | None, context: tuple[Any, ...]) -> IndicatorScore:
        """`_indicator`, remembered per scheme: an indicator's score depends on the scheme, its row
        (every field but where the row stands), its weight (a fixed indicator's is the scheme's), the
        input's year, the limits (a change forgets every score: `_forget_scores`) and (where a method
        that may score it reads them: `Kind.uses_funds`) the funds, and on nothing else, so an equal
        row of another input (100%, 合格, elements 1–4) is scored once. `context`: the category's, in run()."""
        if row is None:
            key: tuple[Any, ...] = (ci, ii, None, context)
        elif (content := row.content) is not None:  # what the row was read from: equal only for rows read alike
            key = (ci, ii, content, context) if ii >= 0 else (ci, ii, None if weight is None else str(weight), content, context)
        else:
            numbers = tuple(None if n is None else str(n) for n in _ROW_NUMBERS(row))
            values = tuple((k, str(v)) for k, v in row.values.items()) if row.values else ()
            key = (ci, ii, None if weight is None else str(weight), _ROW_CONTENT(row), numbers, values, context)
        plan = self.plan
        got = plan.scores.get(key)
        if got is None:
            got = plan.older_scores.get(key)  # remembered before the memo last filled: used again, so kept
            if got is None:
                got = self._indicator(category, ind, row, weight)
            plan.remember(key, got)
        if row is not None and got.row != row.index:
            got = make(IndicatorScore, {**got.__dict__, "row": row.index})
        return got

    def _indicator(self, category: Category, ind: Indicator | None, row: Row | None, weight: Decimal | None) -> IndicatorScore:
        """Score one indicator: read its values, choose its method, score, round, explain."""
        if (row is not None and weight is not None and type(row.actual.value) is Number and row.applicable
                and not row.deduction and len(row.alternatives) <= 1 and not row.reviewed):
            got = self._plain(category, ind, row, weight)
            if got is not None:
                return got
        return self._general(category, ind, row, weight)

    def _plain(self, category: Category, ind: Indicator | None, row: Row, weight: Decimal) -> IndicatorScore | None:
        """`_general`'s answer for the commonest row, by fewer steps, or None where the row is not
        that: an applicable row not reviewed, without a deduction or a second actual, whose actual
        is a number and whose target (the scheme's, or else the row's) a number or a bound, and
        nothing found on the way: no vocabulary, no differing target, no direction finding, no
        finding of the method's or of the arithmetic's (a note on the direction, as a cost's, is
        said as _general says it). Every step is
        `_general`'s own; tests/test_engine.py holds the two equal."""
        fixed = ind is not None and ind.target is not None
        if fixed:
            assert ind is not None
            if type(ind.target) not in _PLAIN_TARGETS:
                return None
            known = self._fixed_plain(category, ind, row.level2 or ind.level2, ind.direction or row.direction)
            if known is None:
                return None
            meant, is_cost, direction, spec, prefix, plain, fields = known
            target = row.target.value
            if target is not None and target is not ind.target and meaning(target) != meant:
                return None  # target_differs
            target, name, level2 = ind.target, ind.name, fields["level2"]
        else:
            target = row.target.value
            if type(target) not in _PLAIN_TARGETS:
                return None
            name = ind.name if ind else row.name
            level2 = row.level2 or (ind.level2 if ind else None)
            is_cost, direction, chosen, more_found, more_notes = self._facts(
                category, name, ind, level2, (ind.direction if ind and ind.direction else None) or row.direction, target)
            if chosen is None or more_found:
                return None
            spec = chosen
            prefix = _noted(more_notes)
            plain = self.plan.plain(spec)
            fields = _score_fields(name, category.name, level2, row.target.text, direction, spec)
        # the kind's plain case where it has one and the values are plain (no Inputs made), else the kind
        m = None if plain is None else plain_measure(target, row.actual.value, direction)
        out = None if m is None else plain(m, self.plan.says)  # type: ignore[misc]
        if out is None:
            x = self._inputs(name, level2, weight, ind, row, target, row.actual.value, row.elements, row.level, row.fraction,
                             direction, spec, category, is_cost)
            out = self.plan.bound(spec)(x)
        if type(out) is not Scored or out.findings:
            return None
        found: list[Finding] = []
        score, _kind, explanation = self._arithmetic(out, weight, row, spec.kind, prefix, found)
        if found:
            return None
        made = fields.copy() if fixed else fields  # the indicator's fields, then the row's: as _Head.score makes them
        made["weight"], made["score"], made["explanation"], made["actual"], made["row"], made["met"] = (
            weight, score, explanation, row.actual.text, row.index, out.met)
        return make(IndicatorScore, made)

    def _general(self, category: Category, ind: Indicator | None, row: Row | None, weight: Decimal | None) -> IndicatorScore:
        """`_indicator` in every case."""
        head = _Head(ind.name if ind else row.name, category.name,  # type: ignore[union-attr]
                     (row.level2 if row and row.level2 else None) or (ind.level2 if ind else None),
                     weight if weight is not None else ZERO, row.index if row else None)
        found: list[Finding] = []
        if weight is None:
            found.append(Finding("error", "missing_weight", "没有分值（weight），未计分"))
            return head.score(found, _shown(row), None, "-", "没有分值（weight），未计分")
        notes: list[str] = []
        values = self._values(ind, row, found, notes)
        target, actual = values.target, values.actual
        if isinstance(target, Unreadable):
            why = f"{self.scheme.terms.target}「{target}」{target.reason}，未计分"
            found.append(Finding("error", "unreadable_value", why))
            return head.score(found, values, None, "-", why)
        if row and (not row.applicable or (isinstance(actual, Text) and actual.key in self.scheme.vocabulary.not_applicable)):
            return self._not_applicable(head, weight, values, found)
        declared = (ind.direction if ind and ind.direction else None) or (row.direction if row else None)
        if ind is not None and ind.target is not None:  # the target is the scheme's: so is all that follows from it
            facts = self._fixed_facts(category, ind, head.level2, declared, target)
        else:
            facts = self._facts(category, head.name, ind, head.level2, declared, target)
        is_cost, direction, spec, more_found, more_notes = facts
        found += more_found
        notes += more_notes
        if spec is None:
            found.append(Finding("error", "no_rule", f"本方案的计分规则中没有适用于该指标（{form(target)}）的一条，未计分"))
            return head.score(found, values, None, "-", "本方案的计分规则中没有适用于该指标的一条，未计分", direction=direction)
        x = self._inputs(head.name, head.level2, weight, ind, row, values.target, values.actual, values.elements, values.level,
                         values.fraction, direction, spec, category, is_cost)
        out = self._outcome(spec, x, row, values, weight, notes, found)
        found.extend(out.findings)
        prefix = _noted(notes)
        if isinstance(out, Unscored):
            found.append(Finding("error", out.code, out.reason + "，未计分"))
            return head.score(found, values, None, spec.kind, prefix + out.reason + "，未计分",
                              direction=direction, spec=spec, reviewed=values.reviewed)
        score, kind, explanation = self._arithmetic(out, weight, row, spec.kind, prefix, found)
        return head.score(found, values, score, kind, explanation, direction=direction, spec=spec,
                          reviewed=values.reviewed, met=out.met)

    def _values(self, ind: Indicator | None, row: Row | None, found: list[Finding], notes: list[str]) -> _Values:
        """The target (the scheme's for a fixed indicator, else the row's) and the actual (the
        reviewer's value replaces the unit's), each after the scheme's vocabulary."""
        s = self.scheme
        shown_target = row.target.text if row else None
        target = row.target.value if row else None
        if ind is not None and ind.target is not None:
            meant, shown_target = self.plan.fixed_target(ind)
            # (the same text is parsed once: the scheme's own target object means what it means)
            if row and target is not None and target is not ind.target and meaning(target) != meant:
                found.append(Finding("warning", "target_differs",
                                     f"表中{s.terms.target}「{row.target.text}」与方案规定的「{ind.target}」不同，按方案规定计分"))
            target = ind.target
        if isinstance(target, Text) and target.key in s.vocabulary.means:
            meant = s.vocabulary.means[target.key]
            notes.append(f"{s.terms.target}「{target.text}」按本方案视为{meant}")
            target = meant
        if row is None:
            return _Values(target, None, shown_target, None, None, None, None, False)
        actual_cell, elements, level, fraction = row.actual, row.elements, row.level, row.fraction
        if row.reviewed:
            if row.review_actual is not None:
                notes.append(f"{s.terms.review}「{row.review_actual.text}」替代单位填报的「{row.actual.text or '（空）'}」")
                actual_cell = row.review_actual
            if row.review_elements is not None:
                notes.append(f"{s.terms.review}要素{'、'.join(map(str, sorted(row.review_elements))) or '（无）'}替代单位填报的要素")
                elements = row.review_elements
            if row.review_level is not None:
                notes.append(f"{s.terms.review}等级「{row.review_level}」替代单位填报的等级")
                level = row.review_level
            if row.review_fraction is not None:
                fraction = row.review_fraction
        actual = actual_cell.value
        if isinstance(actual, Text) and actual.key in s.vocabulary.means:
            notes.append(f"{s.terms.actual}「{actual.text}」按本方案视为{s.vocabulary.means[actual.key]}")
            actual = s.vocabulary.means[actual.key]
        return _Values(target, actual, shown_target, actual_cell.text, elements, level, fraction, row.reviewed)

    def _not_applicable(self, head: _Head, weight: Decimal, values: _Values, found: list[Finding]) -> IndicatorScore:
        """不适用: full marks or left out of the total, as the scheme's policy says."""
        if self.scheme.policies.not_applicable == "full":
            return head.score(found, values, weight, "not_applicable", f"不适用，按本方案得满分 {fmt(weight)}", applicable=False)
        return head.score(found, values, None, "not_applicable", "不适用，按本方案不计入，总分按适用指标折算", applicable=False)

    def _is_cost(self, category: Category, level2: str | None) -> bool:
        """A cost indicator (成本指标): by its level-2 name, or its category's."""
        plan = self.plan
        return bool(level2 and key_of(level2) in plan.cost_keys) or category.name in plan.cost_categories

    def _facts(self, category: Category, name: str, ind: Indicator | None, level2: str | None,
               declared: Direction | None, target: Value | None) -> _Facts:
        """Whether the indicator is a cost, its direction and the spec that scores it, with the
        findings and notes that choosing them gave."""
        found: list[Finding] = []
        notes: list[str] = []
        is_cost = self._is_cost(category, level2)
        shape = form(target)
        direction = self._direction(declared, target, shape, is_cost, found, notes)
        spec = ind.method if ind and ind.method else self._rule(category, name, level2, shape, direction)
        return is_cost, direction, spec, tuple(found), tuple(notes)

    def _fixed_facts(self, category: Category, ind: Indicator, level2: str | None, declared: Direction | None,
                     target: Value | None) -> _Facts:
        """`_facts` of an indicator whose target the scheme fixes (so `target`, the scheme's after its
        vocabulary, is the same every time), remembered per scheme by what else they depend on: the
        level-2 name and the declared direction."""
        known = self.plan.fixed_facts
        key = (id(ind), level2, declared)
        got = known.get(key)
        if got is None or got[0] is not ind:
            if len(known) >= _RULES_MAX:
                known.clear()  # level-2 names come from the input: memory stays flat
            got = known[key] = (ind, self._facts(category, ind.name, ind, level2, declared, target))
        return got[1]

    def _fixed_plain(self, category: Category, ind: Indicator, level2: str | None,
                     declared: Direction | None) -> _FixedPlain | None:
        """What `_plain` needs of an indicator whose target the scheme fixes, worked out once per
        indicator, level-2 name and declared direction (as `_fixed_facts`): what its target means,
        whether it is a cost, its direction, its spec, the note said before its reason, the spec's
        plain case, and the fields of its IndicatorScore that no row changes; None where its facts
        found something or chose no spec (then `_general` says so)."""
        known = self.plan.fixed_plain
        key = (id(ind), level2, declared)
        got = known.get(key)
        if got is None or got[0] is not ind:
            meant, shown_target = self.plan.fixed_target(ind)
            is_cost, direction, spec, more_found, more_notes = self._fixed_facts(category, ind, level2, declared, ind.target)
            fixed: _FixedPlain | None = None
            if spec is not None and not more_found:
                fixed = (meant, is_cost, direction, spec, _noted(more_notes), self.plan.plain(spec),
                         _score_fields(ind.name, category.name, level2, shown_target, direction, spec))
            if len(known) >= _RULES_MAX:
                known.clear()  # level-2 names come from the input: memory stays flat
            got = known[key] = (ind, fixed)
        return got[1]

    def _direction(self, declared: Direction | None, target: Value | None, shape: str, is_cost: bool,
                   found: list[Finding], notes: list[str]) -> Direction:
        """higher, lower or equal: declared, else read off the target (`shape`: its form); a target
        written ≥ or ≤ wins."""
        t = self.scheme.terms.target
        direction = declared or ("lower" if is_cost and shape in ("bare", "missing") else _direction(shape))
        written = _WRITTEN.get(shape)
        if written and direction in ("higher", "lower") and direction != written:
            found.append(Finding("warning", "direction_conflicts",
                                 f"{t}「{target}」是{'正向' if written == 'higher' else '反向'}目标，"
                                 f"与声明的方向（{direction}）不符，按目标的写法计分"))
            direction = written
        if is_cost and shape == "bare" and not declared:
            notes.append(f"成本指标，{t}{target}按“≤”理解")
        return direction

    def _inputs(self, name: str, level2: str | None, weight: Decimal, ind: Indicator | None, row: Row | None, target: Value | None,
                actual: Value | None, elements: frozenset[int] | None, level: str | None, fraction: Decimal | None,
                direction: str, spec: MethodSpec, category: Category, is_cost: bool) -> Inputs:
        kind = KINDS[spec.kind]
        fields = self.plan.inputs.copy()  # the scheme's terms, vocabulary, policies and rounding
        fields["name"], fields["weight"], fields["direction"] = name, weight, direction
        fields["target"], fields["actual"] = target, actual
        fields["elements"], fields["level"], fields["fraction"] = elements, level, fraction
        if ind is not None:
            fields["element_specs"] = ind.elements
        if row is not None:
            fields["reported_score"], fields["deviation_reason"] = row.reported_score, row.deviation_reason
            fields["occurrences"], fields["passed"], fields["values"] = row.occurrences, row.passed, row.values
        fields["year"] = self.record.year
        if id(category) not in self.plan.no_funds:
            fields["funds"] = self.record.funds
        if kind.scores_parts:
            fields["score_part"] = _PartRules(self, category, name, level2, is_cost)
        if kind.as_written:
            fields["negative_actual"] = "as_written"
        return make(Inputs, fields)

    def _outcome(self, spec: MethodSpec, x: Inputs, row: Row | None, values: _Values, weight: Decimal,
                 notes: list[str], found: list[Finding]) -> Outcome:
        """The method's answer, after an unreadable actual and two differing actuals are dealt with."""
        out = self.plan.bound(spec)(x)
        if isinstance(values.actual, Unreadable):
            out = self._unreadable_actual(values.actual, out, found)
        if row and len(row.alternatives) > 1 and not values.reviewed:
            out = self._least_favourable(row, spec, x, out, weight, notes, found)
        return out

    def _unreadable_actual(self, actual: Unreadable, out: Outcome, found: list[Finding]) -> Outcome:
        """An actual such as 2021年13月底前: unscored where the method needed it, else a warning."""
        why = f"{self.scheme.terms.actual}「{actual}」{actual.reason}"
        if isinstance(out, Unscored):
            return Unscored("unreadable_value", why, out.findings)
        found.append(Finding("warning", "unreadable_value", why + "（本指标的计分没有用到它）"))
        return out

    def _least_favourable(self, row: Row, spec: MethodSpec, x: Inputs, first: Outcome, weight: Decimal,
                          notes: list[str], found: list[Finding]) -> Outcome:
        """A report that gives two different actuals: score the less favourable, and say so."""
        A = self.scheme.terms.actual
        cells = row.alternatives
        if len({meaning(c.value) for c in cells}) == 1:
            return first
        score = self.plan.bound(spec)
        outs = [first] + [score(make(Inputs, {**x.__dict__, "actual": c.value})) for c in cells[1:]]
        listed = "、".join(f"{c.text}" + (f"（{c.source}）" if c.source else "") for c in cells)

        def points(o: Outcome) -> Decimal:
            assert isinstance(o, Scored)
            return o.points if o.points is not None else weight * (o.share or ZERO)

        scored = [(points(o), i) for i, o in enumerate(outs) if isinstance(o, Scored)]
        if not scored:
            found.append(Finding("warning", "conflicting_actuals", f"报告给出了不同的{A}：{listed}"))
            return first
        low, index = min(scored)
        same = len({p for p, _ in scored}) == 1 and len(scored) == len(outs)
        found.append(Finding("warning", "conflicting_actuals",
                             f"报告给出了不同的{A}：{listed}；" + ("各值得分相同" if same else f"按得分较低的「{cells[index].text}」计分")))
        notes.append(f"{A}有不同的数（{listed}），按" + ("其中任一计分结果相同" if same else f"较不利的「{cells[index].text}」计分"))
        return outs[index]

    def _arithmetic(self, out: Scored, weight: Decimal, row: Row | None, kind: str, prefix: str,
                    found: list[Finding]) -> tuple[Decimal, str, Later]:
        """The score of a method's answer (the weight times its share, or its points; less the row's
        deduction; rounded as the scheme rounds an indicator), and its explanation to be written
        when it is read (`_explained`): every number in it is worked out here, in the scheme's context."""
        points = out.points
        if points is not None:
            raw = points
        else:
            raw = weight * (out.share if out.share is not None else ZERO)
        raw = settle(raw)  # 3 × 250 ÷ 1200 is 0.625, not 0.6249999…: see decimals.settle
        step = self.indicator_step  # the scheme's rounding at the indicator stage, if it has one
        deduction = row.deduction if row else None
        if deduction:
            less = max(ZERO, raw - deduction)
            score = step.apply(less) if step else less
        else:
            less = raw
            score = step.round_settled(raw) if step else raw  # raw is settled: Step.apply less its settle
        if score < 0 or score > weight:
            found.append(Finding("error", "score_out_of_range",
                                 f"得分{_score_text(score, step is not None)}不在0到分值{fmt(weight)}之间：方案的规则给出了超出分值的分数"))
        return score, kind, (_explained, prefix, points, out.share, weight, raw, deduction, less, score, step is not None,
                             *inline(out.because), *inline(out.expr))

    # ------------------------------------------------------------ the whole input

    def _open_weights(self, category: Category, rows: list[Row]) -> dict[int, Decimal | None]:
        weights: dict[int, Decimal | None] = {}
        missing = []
        given = ZERO  # the rows' weights added up in their order, as sum() would
        for row in rows:
            w = weights[row.index] = row.weight
            if w is None:
                missing.append(row)
            else:
                given += w
        fixed_weight = self.plan.fixed_weight(category)
        if missing and self.scheme.policies.missing_weight == "split_equally":
            share = (category.points - fixed_weight - given) / len(missing)
            for row in missing:
                weights[row.index] = share
            self.findings.append(Finding(
                "warning", "weights_split",
                f"「{category.name}」有{len(missing)}个指标没有分值，按本方案把剩余的{fmt(category.points - fixed_weight - given)}分平均分配，每个{fmt(share)}分"))
        if rows and not missing:
            total = fixed_weight + given
            if total != category.points:
                self.findings.append(Finding(
                    "warning", "weights_sum",
                    f"「{category.name}」各指标分值合计{fmt(total)}，与该类{fmt(category.points)}分不符（未折算，按各行分值计分）"))
        return weights

    def run(self) -> Result:
        s = self.scheme
        fixed, opened = self._match()
        scored: list[IndicatorScore] = []
        categories: list[CategoryScore] = []
        unscored_points = ZERO
        not_applicable = ZERO
        for ci, category in enumerate(s.categories):
            items: list[IndicatorScore] = []
            # what a score may read of the input besides its row (see _scored)
            context = self._context if self.plan.reads_funds[ci] else self._context_without_funds
            scores = self.plan.scores
            for ii, ind in enumerate(category.indicators):
                row = fixed.get((ci, ii))
                if row is None:
                    if ind.needs_row:
                        self.findings.append(Finding("error", "missing_indicator", "输入中没有该指标，未计分", ind.name))
                        items.append(IndicatorScore(ind.name, category.name, ind.level2, ind.weight, None,
                                                    ind.method.kind if ind.method else "-", "输入中没有该指标，未计分"))
                        continue
                else:
                    if row.weight is not None and row.weight != ind.weight:
                        self.findings.append(Finding("warning", "weight_differs",
                                                     f"表中分值{fmt(row.weight)}与方案规定的{fmt(ind.weight)}不同，按方案规定计分", ind.name))
                    # the commonest case first: a score remembered in the newer generation, of a row at
                    # the same place (_scored in every case: the same key, and then the rest)
                    content = row.content
                    if content is not None:
                        got = scores.get((ci, ii, content, context))
                        if got is not None and got.row == row.index:
                            items.append(got)
                            continue
                items.append(self._scored(ci, ii, category, ind, row, ind.weight, context))
            if category.open:
                rows = opened.get(ci, [])
                if not rows and not category.indicators and category.in_total:
                    # nothing to score is not a zero: the category's points stay open
                    self.findings.append(Finding("error", "empty_category",
                                                 f"「{category.name}」没有任何指标，其{fmt(category.points)}分未能计分"))
                    unscored_points += category.points
                weights = self._open_weights(category, rows)
                for row in rows:
                    weight = weights[row.index]
                    content = row.content
                    if content is not None:  # as for a fixed indicator above
                        got = scores.get((ci, -1, None if weight is None else str(weight), content, context))
                        if got is not None and got.row == row.index:
                            items.append(got)
                            continue
                    items.append(self._scored(ci, -1, category, None, row, weight, context))
            factor = category.scale  # 折算 (None: none; then neither a sum nor a weight is multiplied)
            subtotal = weights_sum = ZERO  # added up in the indicators' order, as sum() would
            for item in items:
                weights_sum += item.weight
                if item.findings:
                    self.findings.extend(item.findings)
                if item.score is not None:
                    subtotal += item.score
                elif category.in_total:
                    if item.applicable:
                        unscored_points += item.weight if factor is None else item.weight * factor
                    else:
                        not_applicable += item.weight if factor is None else item.weight * factor
            if factor is not None:
                subtotal *= factor
            subtotal = s.rounding.at("category", subtotal)
            categories.append(self.plan.category_score(ci, category, subtotal, weights_sum))
            scored.extend(items)
        total = sum((c.score for c in categories if c.in_total), ZERO)
        notes: list[str] = []
        if not_applicable:
            base = s.total - not_applicable
            if base > 0:
                notes.append(f"不适用指标共{fmt(not_applicable)}分，总分按适用指标折算：{fmt(total)} × {fmt(s.total)} ÷ {fmt(base)}")
                total = total * s.total / base
                unscored_points = unscored_points * s.total / base
        total = s.rounding.at("total", total)
        complete = unscored_points == 0
        total_max = None if complete else s.rounding.at("total", total + unscored_points)
        total_step = s.rounding.stages.get("total") or self.indicator_step
        places = total_step.places if total_step else 2
        if complete:
            grade = s.grade(total)
        else:
            low, high = s.grade(total), s.grade(total_max) if total_max is not None else None
            grade = low if low == high else None
            self.findings.append(Finding(
                "error", "incomplete_total",
                f"有{fmt(unscored_points)}分的指标未能计分：总分在{fmt(total, places)}到{fmt(total_max or total, places)}之间" +
                (f"，等级均为{grade}" if grade else "，等级无法确定")))
        return make(Result, {  # every field, in the order Result declares them
            "scheme": s.id, "total": total, "grade": grade, "categories": tuple(categories), "indicators": tuple(scored),
            "findings": tuple(self.findings), "complete": complete, "total_max": total_max,
            "places": places, "unit": self.record.unit, "year": self.record.year,
            "notes": tuple(notes), "indicator_places": self.indicator_step.places if self.indicator_step else None})
