"""The batch report (issue 11): every input scored and audited, summed up once as data.

`audit_files(scheme, files)` is the edge in: it reads each file and audits it (through
perfrules.many, with its per-file fault rule). `build(scheme, inputs)` is pure: it turns
those into a `Report` (the distribution of totals, the count per grade, one row per unit,
one row per indicator across units, the files that could not be read, what was read), in
Decimal, which render/html_report.py and render/xlsx_report.py only draw.
"""

from __future__ import annotations

import decimal
import os
from collections import Counter
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Iterable, Iterator, Sequence

from .decimals import ONE, ZERO
from .model import Band, Scheme
from .record import Record
from .result import Result

SEVERITIES = ("error", "warning", "info")
TOP_CODES = 3  # the most frequent finding codes shown per indicator
BINS = 20  # histogram bars across the scheme's points: 5 points each out of 100


# ---------------------------------------------------------------- the edge in: read and audit


@dataclass(frozen=True)
class Input:
    """One input of the batch: its audited result and what it reported, or the error that stopped it."""

    file: str
    result: Result | None = None
    record: Record | None = None
    error: str | None = None


def audit_files(scheme: Scheme, files: Sequence[str | Path], jobs: int = 1) -> Iterator[Input]:
    """Read and audit each file, in order. A file that cannot be read is an `Input` with its error;
    the others go on. The record is read here (its reported total and grade are the report's), the
    audit runs in perfrules.many (on `jobs` processes), which reads a file it is handed again only
    when it could not be read here, and so reports that file's error with its own fault rule."""
    from .batch import Outcome
    from .many import score_many

    waiting: dict[int, Record] = {}  # records read here whose outcome has not come back yet

    def records() -> Iterator[Record | str]:
        for index, path in enumerate(files):
            record = _read(scheme, path)
            if record is not None:
                waiting[index] = record
            yield record if record is not None else str(path)

    for outcome in score_many(scheme, records(), jobs=jobs, audit=True):
        file = str(files[outcome.index])
        record = waiting.pop(outcome.index, None)
        if outcome.error is not None:
            yield Input(file, error=Outcome(file, error=outcome.error).problem())
        else:
            yield Input(file, result=outcome.result, record=record)


def _read(scheme: Scheme, path: str | Path) -> Record | None:
    """The file as a record, read in the scheme's decimal context as `scheme.audit` reads it; None when it
    cannot be read (score_many then reads it again and reports why, as for any batch)."""
    from . import sources

    try:
        with decimal.localcontext(scheme.rounding.context()):
            return sources.read(path)
    except Exception:  # noqa: BLE001 - not swallowed: score_many reports the same failure with its fault rule
        return None


# ---------------------------------------------------------------- the report as data


@dataclass(frozen=True)
class Unit:
    """One scored input: computed total and grade beside the reported ones.

    `difference` is reported − computed (positive: the unit scored itself higher), None when
    either is missing or the computed total is incomplete. `overstated` is True when the
    reported grade is above the computed one, or above the best grade an incomplete total
    could still reach; never guessed from a grade name the scheme does not have."""

    file: str
    unit: str | None
    total: Decimal
    total_max: Decimal | None
    complete: bool
    grade: str | None
    reported_total: Decimal | None
    reported_grade: str | None
    difference: Decimal | None
    findings: tuple[int, int, int]  # errors, warnings, infos
    overstated: bool
    places: int


@dataclass(frozen=True)
class IndicatorSummary:
    """One indicator (by category, sub-category and name) across the units that list it.

    A finding names its indicator by name only: where one unit has two indicators of that name
    (Hunan's 设备采购 under both 时效指标 and 成本指标), its findings count on each, and `shared` says so."""

    name: str
    level1: str
    level2: str | None
    weight: Decimal | None  # None when the units' weights differ
    scored: int  # units where it was scored (and applies)
    docked: int  # of those, scored below its weight
    unscored: int  # units where it could not be scored
    not_applicable: int
    mean_share: Decimal | None  # mean of score ÷ weight over the scored units with a weight
    codes: tuple[tuple[str, int], ...]  # the most frequent finding codes on it, with their counts
    shared: bool = False  # its name is also another indicator's in some unit


@dataclass(frozen=True)
class Bin:
    """A histogram bar: totals in [low, high), the last one [low, high]; `grade` is the band of its middle."""

    low: Decimal
    high: Decimal
    count: int
    grade: str | None = None


@dataclass(frozen=True)
class BandLine:
    """A grade band as the histogram draws it: its grade and its ends (None: open)."""

    grade: str
    low: Decimal | None
    high: Decimal | None
    text: str


@dataclass(frozen=True)
class Failed:
    file: str
    error: str


@dataclass(frozen=True)
class Report:
    """What the batch report says, computed once; the renderers draw it and compute nothing."""

    scheme_id: str
    scheme_name: str
    points: Decimal  # the scheme's total points
    places: int
    bands: tuple[BandLine, ...]  # best first; a grade may have two

    def band_text(self, grade: str | None) -> str | None:
        """The interval(s) of a grade as the scheme writes them: [90, 100]; None for no grade."""
        texts = [b.text for b in self.bands if b.grade == grade]
        return "、".join(texts) if texts else None
    units: tuple[Unit, ...]
    indicators: tuple[IndicatorSummary, ...]
    failed: tuple[Failed, ...]
    bins: tuple[Bin, ...]  # over the complete totals
    grades: tuple[tuple[str | None, int], ...]  # (grade, units) best first; None: no grade (incomplete)
    folder: str | None = None  # the folder every input is in, when they share one

    def name(self, file: str) -> str:
        """A file as the report lists it: relative to the folder the inputs share (the folder is said once)."""
        if self.folder is None:
            return file
        return os.path.relpath(file, self.folder)

    @property
    def read(self) -> int:
        return len(self.units) + len(self.failed)

    @property
    def incomplete(self) -> int:
        return sum(1 for u in self.units if not u.complete)

    @property
    def overstated(self) -> int:
        return sum(1 for u in self.units if u.overstated)

    @property
    def with_errors(self) -> int:
        return sum(1 for u in self.units if u.findings[0])


def build(scheme: Scheme, inputs: Iterable[Input]) -> Report:
    """The report of a batch: pure, in the scheme's decimal context."""
    with decimal.localcontext(scheme.rounding.context()):
        return _build(scheme, inputs)


def _build(scheme: Scheme, inputs: Iterable[Input]) -> Report:
    rank = _ranks(scheme.bands)
    units: list[Unit] = []
    failed: list[Failed] = []
    per_indicator: dict[tuple[str, str | None, str], _Tally] = {}
    places = 2
    for item in inputs:
        if item.result is None:
            failed.append(Failed(item.file, item.error or "could not be read"))
            continue
        result = item.result
        places = result.places
        units.append(_unit(scheme, item.file, result, item.record, rank))
        _tally(per_indicator, result)
    bands = tuple(BandLine(b.grade, b.interval.low, b.interval.high, str(b.interval))
                  for b in sorted(scheme.bands, key=lambda b: rank[b.grade]))
    counts = Counter(u.grade for u in units)
    grades: list[tuple[str | None, int]] = [(g, counts.get(g, 0)) for g in rank]  # a grade of two bands once
    if counts.get(None):
        grades.append((None, counts[None]))
    return Report(scheme.id, scheme.name, scheme.total, places, bands, tuple(units),
                  tuple(t.summary() for t in per_indicator.values()), tuple(failed),
                  _bins(scheme, [u.total for u in units if u.complete]), tuple(grades),
                  _folder([u.file for u in units] + [f.file for f in failed]))


def _folder(files: Sequence[str]) -> str | None:
    """The folder all the files are in (None when they are in none together, or there are none)."""
    try:
        common = os.path.commonpath([os.path.dirname(f) or "." for f in files]) if files else ""
    except ValueError:  # absolute and relative paths mixed, or different drives
        return None
    return common or None


def _ranks(bands: Sequence[Band]) -> dict[str, int]:
    """0 for the best grade: bands by their lower end, highest first (an open lower end is lowest);
    a grade of two bands (差 for [50, 60) and [0, 50)) ranks once, by its better band."""
    ordered = sorted(bands, key=lambda b: (b.interval.low is not None, b.interval.low or ZERO), reverse=True)
    ranks: dict[str, int] = {}
    for band in ordered:
        ranks.setdefault(band.grade, len(ranks))
    return ranks


def _unit(scheme: Scheme, file: str, result: Result, record: Record | None, rank: dict[str, int]) -> Unit:
    reported_total = record.reported_total if record else None
    reported_grade = record.reported_grade if record else None
    difference = None
    if reported_total is not None and result.complete:
        difference = reported_total - result.total
    # the best grade the computed total allows: its own, or for an incomplete total the grade of its most
    best = result.grade if result.complete else (scheme.grade(result.total_max) if result.total_max is not None else None)
    overstated = (reported_grade is not None and best is not None and reported_grade in rank and best in rank
                  and rank[reported_grade] < rank[best])
    counts = Counter(f.severity for f in result.findings)
    return Unit(file, result.unit or (record.unit if record else None), result.total, result.total_max,
                result.complete, result.grade, reported_total, reported_grade, difference,
                (counts["error"], counts["warning"], counts["info"]), bool(overstated), result.places)


class _Tally:
    """What one indicator gathers over the units, until `summary`."""

    def __init__(self, name: str, level1: str, level2: str | None):
        self.name, self.level1, self.level2 = name, level1, level2
        self.weights: set[Decimal] = set()
        self.scored = self.docked = self.unscored = self.not_applicable = 0
        self.shares: list[Decimal] = []
        self.codes: Counter[str] = Counter()
        self.shared = False

    def summary(self) -> IndicatorSummary:
        mean = sum(self.shares, ZERO) / len(self.shares) if self.shares else None
        weight = next(iter(self.weights)) if len(self.weights) == 1 else None
        top = tuple(sorted(self.codes.items(), key=lambda kv: (-kv[1], kv[0]))[:TOP_CODES])
        return IndicatorSummary(self.name, self.level1, self.level2, weight, self.scored, self.docked, self.unscored,
                                self.not_applicable, mean, top, self.shared)


def _tally(per_indicator: dict[tuple[str, str | None, str], _Tally], result: Result) -> None:
    by_name: dict[str, list[_Tally]] = {}
    for ind in result.indicators:
        key = (ind.level1, ind.level2, ind.name)
        t = per_indicator.get(key)
        if t is None:
            t = per_indicator[key] = _Tally(ind.name, ind.level1, ind.level2)
        by_name.setdefault(ind.name, []).append(t)
        t.weights.add(ind.weight)
        if not ind.applicable:
            t.not_applicable += 1
        elif ind.score is None:
            t.unscored += 1
        else:
            t.scored += 1
            t.docked += ind.score < ind.weight
            if ind.weight > 0:
                t.shares.append(ind.score / ind.weight)
    for tallies in by_name.values():
        if len(tallies) > 1:
            for t in tallies:
                t.shared = True
    for f in result.findings:
        for t in by_name.get(f.indicator or "", ()):
            t.codes[f.code] += 1


def _bins(scheme: Scheme, totals: Sequence[Decimal]) -> tuple[Bin, ...]:
    """Bars of points/20 across [0, points], widened to hold a total below 0 or above the points."""
    if not totals:
        return ()
    points = scheme.total
    width = points / BINS if points > 0 else ONE
    low = min(ZERO, (min(totals) / width).to_integral_value(decimal.ROUND_FLOOR) * width)
    high = max(points, (max(totals) / width).to_integral_value(decimal.ROUND_CEILING) * width)
    count = int((high - low) / width) or 1
    bars = [0] * count
    for total in totals:
        i = min(int((total - low) / width), count - 1)  # the top end falls in the last bar
        bars[i] += 1
    return tuple(Bin(low + i * width, low + (i + 1) * width, n, scheme.grade(low + (i + Decimal("0.5")) * width))
                 for i, n in enumerate(bars))
