"""What an evaluation returns: scores with their reasons, and findings about the data.

`Result.to_dict()` is the JSON contract of `perfrules score --format json`: decimals
are strings, so nothing is lost on the way through JSON.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Literal

from .decimals import fmt

Severity = Literal["error", "warning", "info"]  # a finding's weight: error stops trust in the total
Direction = Literal["higher", "lower", "equal"]  # 正向 / 反向 / 等于: which way an actual is better

@dataclass(frozen=True)
class Finding:
    """A problem in the data that still lets us score (or leaves one indicator unscored).

    `code` is stable: tools and tests match on it; `message` is for people.
    """

    severity: Severity
    code: str
    message: str
    indicator: str | None = None  # an indicator's name, or funds / total / grade / a table row
    reported: str | None = None  # what the unit wrote, where the finding compares
    computed: str | None = None  # what perfrules computed

    def to_dict(self) -> dict[str, Any]:
        return {"severity": self.severity, "code": self.code, "indicator": self.indicator,
                "reported": self.reported, "computed": self.computed, "message": self.message}

    def __str__(self) -> str:
        where = f"[{self.indicator}] " if self.indicator else ""
        return f"{self.severity}: {self.code}: {where}{self.message}"


@dataclass(frozen=True)
class IndicatorScore:
    """One indicator's score and why. `score` is None when it could not be scored."""

    name: str
    level1: str
    level2: str | None
    weight: Decimal
    score: Decimal | None
    method: str
    explanation: str
    target: str | None = None
    actual: str | None = None
    reviewed: bool = False  # the reviewer's value (复核值) was scored
    applicable: bool = True
    row: int | None = None  # index in the input's indicators, when it came from a row
    findings: tuple[Finding, ...] = ()
    direction: Direction | None = None  # as the engine read it
    met: bool | None = None  # whether the actual met the target, where the method can say
    spec: Any = field(default=None, compare=False, repr=False)  # the MethodSpec that scored it

    def to_dict(self, places: int | None = 2) -> dict[str, Any]:
        return {
            "name": self.name,
            "level1": self.level1,
            "level2": self.level2,
            "weight": fmt(self.weight),
            "score": None if self.score is None else fmt(self.score, places),
            "method": self.method,
            "explanation": self.explanation,
            "target": self.target,
            "actual": self.actual,
            "reviewed": self.reviewed,
            "applicable": self.applicable,
        }


@dataclass(frozen=True)
class CategoryScore:
    """A level-1 category's points and score (the sum of its indicators, 折算 applied)."""

    name: str
    weight: Decimal  # the category's points
    score: Decimal
    in_total: bool = True
    indicator_weights: Decimal = Decimal(0)  # what its indicators' weights add up to

    def to_dict(self, places: int = 2) -> dict[str, Any]:
        return {
            "name": self.name,
            "weight": fmt(self.weight),
            "score": fmt(self.score, places),
            "in_total": self.in_total,
        }


@dataclass(frozen=True)
class Result:
    """The scored input: total, grade, categories, indicators and findings.

    When some indicator could not be scored, `complete` is False, `total` is what the
    scored ones add up to and `total_max` what it would be if the rest scored full; the
    grade is given only when both ends fall in the same band.
    """

    scheme: str
    total: Decimal
    grade: str | None
    categories: tuple[CategoryScore, ...]
    indicators: tuple[IndicatorScore, ...]
    findings: tuple[Finding, ...]
    complete: bool = True
    total_max: Decimal | None = None
    places: int = 2
    unit: str | None = None
    year: int | None = None
    notes: tuple[str, ...] = field(default_factory=tuple)  # how the total was formed (rescaling)
    indicator_places: int | None = 2  # None: the scheme does not round indicator scores

    @property
    def errors(self) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if f.severity == "error")

    def indicator(self, name: str) -> IndicatorScore:
        """The first indicator of that name (KeyError if none)."""
        for ind in self.indicators:
            if ind.name == name:
                return ind
        raise KeyError(name)

    def to_dict(self) -> dict[str, Any]:
        return {
            "scheme": self.scheme,
            "unit": self.unit,
            "year": self.year,
            "total": fmt(self.total, self.places),
            "total_max": None if self.total_max is None else fmt(self.total_max, self.places),
            "complete": self.complete,
            "grade": self.grade,
            "categories": [c.to_dict(self.places) for c in self.categories],
            "indicators": [i.to_dict(self.indicator_places) for i in self.indicators],
            "findings": [f.to_dict() for f in self.findings],
            "notes": list(self.notes),
        }
