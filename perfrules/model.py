"""The compiled scheme: frozen dataclasses decided once at load, read by every evaluation.

Names are the domain's: a scheme (评分方案) has categories (一级指标) with points; a
category either lists its indicators (fixed catalogue, 指标体系由方案规定) or is open (the
unit brings its own indicators, scored by the scheme's `scoring` rules).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any, Callable, Literal, Mapping

from .decimals import Rounding, fmt
from .result import Direction, Finding, Result
from .values import Value, key_of

# What a Scheme does with an input lives above the model (engine.py, audit.py), and those
# modules import this one. They register their entry points here when perfrules is
# imported, so that the model imports nothing above it (no import cycle).
_ACTIONS: dict[str, Callable[["Scheme", Any], Result]] = {}
# the same for what answers with something other than a Result (`need`: perfrules.need.Answer)
_QUERIES: dict[str, Callable[..., Any]] = {}


# The scheme's policies (perfrules/schema/ruleset.schema.json, `policies:`), one name per choice
BoundActual = Literal["unscored", "bound"]
NegativeActual = Literal["zero", "as_written"]
NotApplicable = Literal["full", "rescale"]
MissingWeight = Literal["error", "split_equally"]
TextActual = Literal["vocabulary", "unscored"]
BareFraction = Literal["unscored", "fraction", "percent"]


def action(name: str) -> Callable[[Callable[["Scheme", Any], Result]], Callable[["Scheme", Any], Result]]:
    """Register `fn(scheme, data)` as what `Scheme.<name>(data)` does (`evaluate`, `audit`)."""

    def register(fn: Callable[["Scheme", Any], Result]) -> Callable[["Scheme", Any], Result]:
        _ACTIONS[name] = fn
        return fn

    return register


def query(name: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Register `fn(scheme, data, ...)` as what `Scheme.<name>(data, ...)` answers (`need`)."""

    def register(fn: Callable[..., Any]) -> Callable[..., Any]:
        _QUERIES[name] = fn
        return fn

    return register


@dataclass(frozen=True)
class MethodSpec:
    """A scoring method as the ruleset states it: a registered kind and its compiled params."""

    kind: str
    params: Any
    raw: Mapping[str, Any]  # as written, for explanations and diffs
    where: str = ""  # path in the ruleset, e.g. categories[0].indicators[2].method


@dataclass(frozen=True)
class Element:
    """A numbered element (要素) of an indicator: present or not."""

    number: int
    text: str
    share: Decimal | None = None  # its own share of the weight, when it has one
    veto: bool = False  # missing it voids the indicator (缺要素即不得分)
    share_text: str = ""  # the share as written (1/3, 12.5%), for explanations


@dataclass(frozen=True)
class Indicator:
    """A fixed-catalogue indicator: the scheme gives its weight and rule."""

    name: str
    weight: Decimal  # 分值 / 权重
    aliases: tuple[str, ...] = ()
    level2: str | None = None
    target: Value | None = None  # 目标值 when the scheme fixes it
    direction: Direction | None = None  # 正向/反向
    method: MethodSpec | None = None  # None: the scheme's scoring rules decide
    elements: tuple[Element, ...] = ()
    rule: str | None = None  # the 评分标准 sentence as printed in the source
    note: str | None = None
    needs_row: bool = True  # False for indicators read from the funds block

    @property
    def keys(self) -> tuple[str, ...]:
        return tuple(key_of(n) for n in (self.name, *self.aliases))


@dataclass(frozen=True)
class Rule:
    """One `scoring` rule: when an open indicator matches `when`, `method` scores it."""

    when: Mapping[str, frozenset[str]]
    method: MethodSpec
    note: str | None = None
    name: str | None = None

    def matches(self, facts: Mapping[str, str | None]) -> bool:
        for key, allowed in self.when.items():
            value = facts.get(key)
            if value is None or key_of(value) not in allowed:
                return False
        return True


@dataclass(frozen=True)
class Category:
    """A level-1 category (一级指标) with its points."""

    name: str
    points: Decimal
    aliases: tuple[str, ...] = ()
    indicators: tuple[Indicator, ...] = ()
    open: bool = False  # the unit brings its own indicators
    rules: tuple[Rule, ...] = ()  # scoring rules for this category, before the scheme's
    in_total: bool = True  # whether its score counts in the total
    scale: Decimal | None = None  # 折算: category score = sum of indicators × scale
    note: str | None = None

    @property
    def keys(self) -> tuple[str, ...]:
        return tuple(key_of(n) for n in (self.name, *self.aliases))


@dataclass(frozen=True)
class Interval:
    """An interval with explicit ends: [90, 100], [80, 90), (0, 10]."""

    low: Decimal | None
    high: Decimal | None
    low_inclusive: bool = True
    high_inclusive: bool = False
    unit: str = ""
    text: str = ""

    def contains(self, x: Decimal) -> bool:
        if self.low is not None and (x < self.low or (x == self.low and not self.low_inclusive)):
            return False
        if self.high is not None and (x > self.high or (x == self.high and not self.high_inclusive)):
            return False
        return True

    def __str__(self) -> str:
        if self.text:
            return self.text
        lo = "" if self.low is None else fmt(self.low) + self.unit
        hi = "" if self.high is None else fmt(self.high) + self.unit
        return ("[" if self.low_inclusive else "(") + f"{lo}, {hi}" + ("]" if self.high_inclusive else ")")


@dataclass(frozen=True)
class Band:
    """A grade band (等级): the grade of every total inside `interval`."""

    grade: str
    interval: Interval
    note: str | None = None


@dataclass(frozen=True)
class Vocabulary:
    """Words of a scheme that mean met / partly met / not met, and phrases that mean a value."""

    met: tuple[str, ...] = ()
    partly: tuple[str, ...] = ()
    not_met: tuple[str, ...] = ()
    means: Mapping[str, Value] = field(default_factory=dict)  # 应诊尽诊 -> 100%
    # an actual written as one of these marks the indicator not applicable (不适用)
    not_applicable: tuple[str, ...] = ("不适用", "不涉及", "N/A", "NA")

    def classify(self, text: str) -> tuple[str, str] | None:
        """('met'|'partly'|'not_met', word) when the text is, or ends with, a vocabulary word.

        The longest matching word wins, so 基本完成 is partly met although it ends in 完成,
        and 未完成 is not met. (Remembered per vocabulary by text, at most 10,000: not a field,
        so it never counts in equality, the scheme's hash or its repr.)
        """
        known: dict[str, tuple[str, str] | None] | None = self.__dict__.get("_classified")
        if known is None:
            known = {}
            object.__setattr__(self, "_classified", known)
        elif text in known:
            return known[text]
        if len(known) >= 10_000:
            known.clear()
        got = known[text] = self._classify(text)
        return got

    def __getstate__(self) -> dict[str, Any]:
        """Pickled without what `classify` remembered: a scheme sent to a worker stays small."""
        state = dict(self.__dict__)
        state.pop("_classified", None)
        return state

    def _classify(self, text: str) -> tuple[str, str] | None:
        key = key_of(text)
        best: tuple[int, str, str] | None = None
        for klass, words in (("not_met", self.not_met), ("partly", self.partly), ("met", self.met)):
            for word in words:
                if key == word or key.endswith(word):
                    if best is None or len(word) > best[0]:
                        best = (len(word), klass, word)
        return (best[1], best[2]) if best else None


@dataclass(frozen=True)
class Policies:
    """What a scheme does where the data is awkward; each choice is the ruleset's to state."""

    bound_actual: BoundActual = "unscored"  # an actual written as a bound (≥80%)
    # a negative actual against a target: zero (the national rule: counts as 0, with a finding) | as_written;
    # a kind that scores its own table of values (bands) always reads the value as written
    negative_actual: NegativeActual = "zero"
    not_applicable: NotApplicable = "rescale"  # an indicator marked 不适用
    missing_weight: MissingWeight = "error"  # an open indicator without a weight
    text_actual: TextActual = "vocabulary"  # a word where a number is needed
    bare_fraction: BareFraction = "unscored"  # 0.95 against a percentage target: fraction (95%) | percent (0.95%)
    cost_level: int = 2  # 成本指标 is a level-2 group (2020 table) or a level-1 category (2021)
    cost_names: tuple[str, ...] = ("成本指标",)


@dataclass(frozen=True)
class Terms:
    """The scheme's own words for the columns, used in explanations."""

    target: str = "年度指标值"
    actual: str = "实际完成值"
    weight: str = "分值"
    weight_points: str = "分值"  # as in 每降低1%扣权重分的1%: 001 says 权重分
    score: str = "得分"
    review: str = "复核值"


@dataclass(frozen=True)
class Scheme:
    """A loaded, validated, compiled scheme. `evaluate` scores one input against it."""

    id: str
    name: str
    file: str
    total: Decimal  # the points a perfect unit scores (normally 100)
    categories: tuple[Category, ...]
    bands: tuple[Band, ...]
    rounding: Rounding
    scoring: tuple[Rule, ...] = ()
    vocabulary: Vocabulary = field(default_factory=Vocabulary)
    policies: Policies = field(default_factory=Policies)
    terms: Terms = field(default_factory=Terms)
    meta: Mapping[str, Any] = field(default_factory=dict)  # region, year, kind, source, version
    findings: tuple[Finding, ...] = ()  # about the scheme itself, found at load
    warnings: tuple[Any, ...] = ()  # the same findings as located Problems, for `perfrules validate`
    index: Mapping[str, tuple[int, int]] = field(default_factory=dict)  # indicator name key -> (category, indicator)
    category_index: Mapping[str, int] = field(default_factory=dict)  # category name key -> position
    checks: tuple[Any, ...] = ()  # checks.Check: assertions over the report's own figures, for `audit`

    def grade(self, total: Decimal) -> str | None:
        for band in self.bands:
            if band.interval.contains(total):
                return band.grade
        return None

    def evaluate(self, data: Mapping[str, Any] | str | Path | Any) -> Result:
        """Score one input: a mapping in the input format, the path of a YAML/JSON file or a
        spreadsheet, or a `perfrules.record.Record`."""
        return _ACTIONS["evaluate"](self, data)

    def audit(self, data: Mapping[str, Any] | str | Path | Any) -> Result:
        """Score one input and compare it with what the unit reported; run the scheme's checks."""
        return _ACTIONS["audit"](self, data)

    def need(self, data: Mapping[str, Any] | str | Path | Any, grade: str | None = None) -> Any:
        """What it takes: the least change to full marks per indicator, and the fewest changes that
        reach `grade` (default: the next grade up). Returns a `perfrules.need.Answer`."""
        return _QUERIES["need"](self, data, grade)
