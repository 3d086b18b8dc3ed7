"""Two schemes proven equal, or the first input where they score differently (`check A --against B`).

Inputs are generated for both schemes (the property kit's strategies, drawing actuals at
and around every number either scheme turns on), each is scored by both, and the first
input whose total, grade or any indicator's score differs is shrunk by hypothesis and
reported with both explanations. Indicators are paired by category (一级指标) and name.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any, Collection

from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import seed as hypothesis_seed
from hypothesis import strategies as st

from ..decimals import fmt
from ..errors import PerfrulesError
from ..i18n import gettext as _
from ..load import load
from ..model import Scheme
from ..result import CategoryScore, IndicatorScore, Result
from ..values import Number, parse, render, simple
from .generate import inputs, thresholds
from .runner import pasteable
from .generate import probes as threshold_probes

D = Decimal
Key = tuple[str, str, int]  # (category 一级指标, indicator name, which of that name in the category)
Scored = Result | PerfrulesError  # a scheme's answer to one input: its result, or its refusal


__all__ = ["Difference", "Equivalence", "as_text", "compare", "equivalent"]


class _Differs(Exception):
    """Raised inside the property so that hypothesis shrinks the input."""


@dataclass(frozen=True)
class Difference:
    """An input the two schemes score differently: what differs, in words, and both readings."""

    data: dict[str, Any]
    lines: tuple[str, ...]  # total 96.00 ≠ 97.00, 产出指标 · 覆盖率: 4.00 ≠ 5.00 …
    a: Scored
    b: Scored
    keys: tuple[Key, ...] = ()  # the indicators whose scores differ
    built: bool = False  # an input built at a threshold (not drawn by hypothesis)


@dataclass
class Equivalence:
    """What `equivalent` found. `counterexample` is None when no input scored differently."""

    a: str  # the schemes' ids
    b: str
    examples: int
    counterexample: Difference | None = None
    only_in_a: tuple[str, ...] = ()  # indicators (产出指标 · 覆盖率) or open categories of one scheme only
    only_in_b: tuple[str, ...] = ()
    grades: tuple[str, ...] = ()  # totals the two schemes' grade bands grade differently
    compared: int = 0  # inputs scored by both
    only: tuple[str, ...] | None = None  # the indicators compared, when not all (no totals then)
    files: tuple[str, str] = ("", "")

    @property
    def equal(self) -> bool:
        return self.counterexample is None and not (self.only_in_a or self.only_in_b or self.grades)

    def text(self) -> str:
        """The report for people; empty when the schemes are equal (the command is silent then)."""
        if self.equal:
            return ""
        a, b = self.a, self.b
        out = [_("{a} ({file_a}) and {b} ({file_b}) score differently").format(
            a=a, file_a=self.files[0], b=b, file_b=self.files[1])]
        if self.only is not None:
            out.append(_("compared: the scores of {names} only (not the totals)").format(names="、".join(self.only) or "（无）"))
        out += [_("only in {scheme}: {name}").format(scheme=a, name=name) for name in self.only_in_a]
        out += [_("only in {scheme}: {name}").format(scheme=b, name=name) for name in self.only_in_b]
        out += [_("grade bands: {line}").format(line=line) for line in self.grades]
        if self.counterexample is not None:
            out += ["", as_text(self.counterexample, a, b)]
        return "\n".join(out)


def as_text(d: Difference, a: str, b: str) -> str:
    """A difference as a ready-to-paste input, with what differs and both explanations as comments."""
    how = _("built at a threshold or in an awkward form, the rows it does not need as at full marks") if d.built \
        else _("drawn, then shrunk")
    head = ["# " + _("the first input where {a} and {b} score differently ({how}):").format(a=a, b=b, how=how)]
    for line in d.lines:
        head.append(f"# {line}")
    for key in d.keys:
        for scheme, scored in ((a, d.a), (b, d.b)):
            said = _explanation(scored, key)
            if said is not None:
                head.append(f"#   {scheme}: {said}")
    for scheme, scored in ((a, d.a), (b, d.b)):
        if isinstance(scored, PerfrulesError):
            head.append("#   " + _("{scheme} refused the input: {error}").format(scheme=scheme, error=_said(scored)))
    body = pasteable(d.data)
    return "\n".join(head) + "\n" + body.rstrip()


def _said(exc: PerfrulesError) -> str:
    return "; ".join(str(p) for p in exc.problems) or str(exc)


def _explanation(scored: Scored, key: Key) -> str | None:
    """One scheme's score of the indicator and why (None: that scheme has no such indicator)."""
    ind = None if isinstance(scored, PerfrulesError) else _indicators(scored).get(key)
    if ind is None:
        return None
    assert not isinstance(scored, PerfrulesError)
    actual = f"（{ind.actual}）" if ind.actual is not None else ""
    return f"{_score(ind.score, scored.indicator_places)}{actual} {ind.explanation}"


def _score(value: Decimal | None, places: int | None) -> str:
    return "unscored" if value is None else fmt(value, places)


def _indicators(result: Result) -> dict[Key, IndicatorScore]:
    seen: dict[tuple[str, str], int] = {}
    out: dict[Key, IndicatorScore] = {}
    for ind in result.indicators:
        n = seen.get((ind.level1, ind.name), 0)
        seen[(ind.level1, ind.name)] = n + 1
        out[(ind.level1, ind.name, n)] = ind
    return out


def _label(key: Key) -> str:
    category, name, n = key
    return f"{category} · {name}" + (f" #{n + 1}" if n else "")


def compare(x: Scored, y: Scored, only: Collection[str] | None = None) -> tuple[list[str], list[Key]]:
    """What differs between two readings of one input: lines in words, and the indicators concerned.

    `only`: compare these indicators' scores alone (by name, or `category · name`), not the totals,
    grades or categories.
    """
    if isinstance(x, PerfrulesError) or isinstance(y, PerfrulesError):
        if isinstance(x, PerfrulesError) and isinstance(y, PerfrulesError) and _said(x) == _said(y):
            return [], []
        return [f"refused: {_said(x) if isinstance(x, PerfrulesError) else 'scored'} ≠ "
                f"{_said(y) if isinstance(y, PerfrulesError) else 'scored'}"], []
    lines: list[str] = []
    if only is None:
        if x.total != y.total or x.complete != y.complete:
            lines.append(_("total: {a} ≠ {b}").format(a=_total(x), b=_total(y)))
        if x.grade != y.grade:
            at = f" (total {_total(x)})" if x.total == y.total else ""
            lines.append(_("grade: {a} ≠ {b}").format(a=x.grade or "无法确定", b=y.grade or "无法确定") + at)
        cx, cy = {c.name: c for c in x.categories}, {c.name: c for c in y.categories}
        for name in [*cx, *(n for n in cy if n not in cx)]:
            sx, sy = cx.get(name), cy.get(name)
            if sx is None or sy is None or sx.score != sy.score or sx.in_total != sy.in_total:
                lines.append(_("category {name}: {a} ≠ {b}").format(name=name, a=_category(sx, x.places), b=_category(sy, y.places)))
    ix, iy = _indicators(x), _indicators(y)
    keys: list[Key] = []
    for key in [*ix, *(k for k in iy if k not in ix)]:
        if only is not None and key[1] not in only and f"{key[0]} · {key[1]}" not in only:
            continue
        a, b = ix.get(key), iy.get(key)
        if a is None or b is None or a.score != b.score:
            keys.append(key)
            lines.append(f"{_label(key)}: {_indicator(a, x.indicator_places)} ≠ {_indicator(b, y.indicator_places)}")
    return lines, keys


def _total(r: Result) -> str:
    shown = fmt(r.total, r.places)
    return shown if r.complete else f"{shown} (incomplete, at most {fmt(r.total_max or r.total, r.places)})"


def _category(c: CategoryScore | None, places: int) -> str:
    if c is None:
        return "no such category"
    return fmt(c.score, places) + ("" if c.in_total else " (not in the total)")


def _indicator(ind: IndicatorScore | None, places: int | None) -> str:
    return "no such indicator" if ind is None else _score(ind.score, places)


def _evaluate(scheme: Scheme, data: dict[str, Any]) -> Scored:
    try:
        return scheme.evaluate(data)
    except PerfrulesError as exc:  # an input one scheme refuses is a difference to show, not a crash
        return exc


def _differ(a: Scheme, b: Scheme, data: dict[str, Any], only: Collection[str] | None,
            built: bool = False) -> Difference | None:
    x, y = _evaluate(a, data), _evaluate(b, data)
    lines, keys = compare(x, y, only)
    return Difference(data, tuple(lines), x, y, tuple(keys), built) if lines else None


def both_thresholds(a: Scheme, b: Scheme) -> dict[str, list[Decimal]]:
    """The numbers either scheme turns on, by unit: actuals are drawn and built at each."""
    out: dict[str, set[Decimal]] = {}
    for scheme in (a, b):
        for unit, values in thresholds(scheme).items():
            out.setdefault(unit, set()).update(values)
    return {unit: sorted(values) for unit, values in out.items()}


def _at_thresholds(data: dict[str, Any], points: dict[str, list[Decimal]]) -> st.SearchStrategy[dict[str, Any]]:
    """A drawn input with any of its numeric actuals moved onto one of `points` (of its unit).

    The kit's strategies draw a value near a threshold for a few rows of an input, and
    hypothesis draws the same few values again and again; a band edge moved from 90% to 85%
    shows only in [85%, 90%), which they met on 15 of 20 seeds. Each row here keeps its
    value or takes one of the points; hypothesis shrinks towards keeping it, so a
    counterexample moves only the rows it needs.
    """
    def row(r: dict[str, Any]) -> st.SearchStrategy[dict[str, Any]]:
        n = _numeric(r.get("actual"))
        near = (points.get(n.unit) or points.get("") or []) if n is not None else []
        if n is None or not near:
            return st.just(r)
        unit = n.unit
        moved = st.sampled_from(near).map(lambda v: {**{k: x for k, x in r.items() if k != "review_actual"},
                                                     "actual": render(Number(v, unit))})
        return st.one_of(st.just(r), moved)

    return st.tuples(*[row(r) for r in data["indicators"]]).map(lambda rows: {**data, "indicators": list(rows)})


def focus(a: Scheme, b: Scheme) -> dict[str, list[Decimal]]:
    """The thresholds only one of the schemes names, by unit (a band end moved from 90% to 85%:
    84.99, 85, 85.01, 89.99, 90, 90.01): where one scheme's score changes and the other's may
    not. When they name the same ones, all of them."""
    ta, tb = thresholds(a), thresholds(b)
    only = {u: sorted(set(ta.get(u, [])) ^ set(tb.get(u, []))) for u in {*ta, *tb}}
    only = {u: v for u, v in only.items() if v}
    return only or both_thresholds(a, b)


def _catalogue(s: Scheme) -> dict[str, None]:
    """A scheme's listed indicators (产出指标 · 覆盖率) and open categories (产出指标 · (open)), in order."""
    out: dict[str, None] = {}
    for c in s.categories:
        out.update({f"{c.name} · {i.name}": None for i in c.indicators})
        if c.open:
            out[f"{c.name} · (the unit's own indicators)"] = None
    return out


def _grade_gaps(a: Scheme, b: Scheme) -> list[str]:
    """The totals the two schemes grade differently, as ranges: each grade band end of either scheme
    and a cent either side is tried; between two of them neither scheme's grade can change."""
    ends: set[Decimal] = {D(0), a.total, b.total}
    for band in (*a.bands, *b.bands):
        ends.update(e for e in (band.interval.low, band.interval.high) if e is not None)
    top = max(a.total, b.total)
    totals = sorted({t for e in ends for t in (e - D("0.01"), e, e + D("0.01")) if D(0) <= t <= top})
    runs: list[tuple[Decimal, Decimal, str | None, str | None]] = []
    for t in totals:
        ga, gb = a.grade(t), b.grade(t)
        if ga == gb:
            continue
        if runs and runs[-1][2:] == (ga, gb) and totals[totals.index(runs[-1][1]) + 1] == t:
            runs[-1] = (runs[-1][0], t, ga, gb)
        else:
            runs.append((t, t, ga, gb))
    return [f"a total {'of ' + fmt(lo) if lo == hi else f'from {fmt(lo)} to {fmt(hi)}'} is "
            f"{ga or '（无等级）'} in {a.id}, {gb or '（无等级）'} in {b.id}" for lo, hi, ga, gb in runs]


def _search(a: Scheme, b: Scheme, strategy: st.SearchStrategy[dict[str, Any]], examples: int, seed: int | None,
            only: Collection[str] | None) -> tuple[Difference | None, int]:
    """Draw up to `examples` inputs, score each by both; the first that differs is shrunk by
    hypothesis, and the smallest found is returned with the number of inputs scored."""
    last: list[Difference] = []
    count = [0]

    @settings(max_examples=examples, database=None, deadline=None, derandomize=seed is None,
              suppress_health_check=list(HealthCheck), phases=[Phase.generate, Phase.shrink],
              report_multiple_bugs=False)
    @given(strategy)
    def prop(data: dict[str, Any]) -> None:
        count[0] += 1
        found = _differ(a, b, data, only)
        if found is not None:
            last.append(found)
            raise _Differs()

    if seed is not None:
        prop = hypothesis_seed(seed)(prop)
    try:
        prop()
    except _Differs:
        pass
    return (last[-1] if last else None), count[0]


def _smallest(a: Scheme, b: Scheme, base: dict[str, Any], probe: dict[str, Any],
              only: Collection[str] | None) -> Difference | None:
    """A built probe that scores differently, with every row that is not needed for it put back as in
    the base input (rows are scored one by one, so the rest only hide what differs)."""
    found = _differ(a, b, probe, only, built=True)
    if found is None:
        return None
    rows = list(probe["indicators"])
    for i, row in enumerate(base["indicators"]):
        if rows[i] == row:
            continue
        tried = rows[:i] + [row] + rows[i + 1:]
        smaller = _differ(a, b, {**probe, "indicators": tried}, only, built=True)
        if smaller is not None:
            rows, found = tried, smaller
    return found


def _words(a: Scheme, b: Scheme) -> list[str]:
    """Every word either scheme's vocabulary knows (met, partly, not met, a phrase's value, 不适用)."""
    out: dict[str, None] = {}
    for v in (a.vocabulary, b.vocabulary):
        out.update(dict.fromkeys((*v.met, *v.partly, *v.not_met, *v.means, *v.not_applicable)))
    return list(out)


def _numeric(text: Any) -> Number | None:
    value = simple(parse(text)) if isinstance(text, str) else None
    return value if isinstance(value, Number) else None


def _rewrite(base: dict[str, Any], change: Any) -> dict[str, Any] | None:
    """The base input with `change(row)` applied to every row it changes (None: no row changed)."""
    rows = [change(row) for row in base["indicators"]]
    changed = [new if new is not None else old for new, old in zip(rows, base["indicators"])]
    return {**base, "indicators": changed} if any(r is not None for r in rows) else None


def variants(a: Scheme, b: Scheme, base: dict[str, Any]) -> list[dict[str, Any]]:
    """The base input written in the awkward forms the schemes' policies and vocabularies decide:
    each vocabulary word as every actual, an actual written as a bound (≥95%), a negative actual,
    a bare fraction for a percentage (0.95), the unit's own rows without weights. Drawn inputs
    write none of these, so two schemes that differ only there would otherwise pass as equal."""
    def word(w: str) -> Any:
        return lambda row: ({k: v for k, v in row.items() if k not in ("level", "fraction")} | {"actual": w}
                            if "actual" in row or "level" in row else None)

    def number(form: Any) -> Any:
        def change(row: dict[str, Any]) -> dict[str, Any] | None:
            n = _numeric(row.get("actual"))
            written = form(row["actual"], n) if n is not None else None
            return {**row, "actual": written} if written is not None else None
        return change

    forms = [word(w) for w in _words(a, b)] + [
        number(lambda text, n: f"≥{text}"),
        number(lambda text, n: f"-{text}"),
        number(lambda text, n: f"{n.value / 100:f}" if n.unit == "%" else None),
        lambda row: {k: v for k, v in row.items() if k != "weight"} if "weight" in row else None,
    ]
    return [p for p in (_rewrite(base, form) for form in forms) if p is not None]


def _built(a: Scheme, b: Scheme, points: dict[str, list[Decimal]],
           only: Collection[str] | None) -> tuple[Difference | None, int]:
    """Each scheme's inputs built at every number either turns on (the probes of `perfrules check`),
    and its base input in the awkward forms (`variants`)."""
    count = 0
    for scheme in (a, b):
        built = threshold_probes(scheme, points)
        built += variants(a, b, built[0])
        for probe in built:
            count += 1
            found = _smallest(a, b, built[0], probe, only)
            if found is not None:
                return found, count
    return None, count


def _scheme(s: Scheme | str | Path) -> Scheme:
    scheme = s if isinstance(s, Scheme) else load(s)
    if not scheme.categories:
        raise PerfrulesError(f"{scheme.id} is a checks ruleset: it scores nothing, so there is nothing to compare",
                             file=scheme.file)
    return scheme


def equivalent(a: Scheme | str | Path, b: Scheme | str | Path, examples: int = 100, seed: int | None = None,
               only: Collection[str] | None = None, probes: bool = True) -> Equivalence:
    """Whether `a` and `b` score every input alike: the report, with the first input where they differ.

    Inputs are drawn from both schemes' strategies (`examples` of them, 0 for none; `seed`
    repeats a run, without it each run draws the same), then, with `probes`, built at every
    threshold either scheme names and in the awkward forms their policies decide (`variants`). Compared: the total, the grade, each category's score and each indicator's
    score, indicators paired by category and name; besides, the indicators only one scheme
    lists, and the totals at every grade band end that the two grade differently.
    `only`: compare the scores of these indicators alone (by name, or `category · name`), not
    totals or grades.
    Raises PerfrulesError when a ruleset cannot be loaded or scores nothing.
    """
    sa, sb = _scheme(a), _scheme(b)
    report = Equivalence(sa.id, sb.id, examples, only=tuple(only) if only is not None else None,
                         files=(sa.file, sb.file))
    if only is None:
        ca, cb = _catalogue(sa), _catalogue(sb)
        report.only_in_a = tuple(n for n in ca if n not in cb)
        report.only_in_b = tuple(n for n in cb if n not in ca)
        report.grades = tuple(_grade_gaps(sa, sb))
    points, moved = both_thresholds(sa, sb), focus(sa, sb)
    strategy = st.one_of(inputs(sa, points=points), inputs(sb, points=points)).flatmap(
        lambda data: _at_thresholds(data, moved))
    found, report.compared = _search(sa, sb, strategy, examples, seed, only) if examples > 0 else (None, 0)
    if found is None and probes:
        found, built = _built(sa, sb, points, only)
        report.compared += built
    report.counterexample = found
    return report

