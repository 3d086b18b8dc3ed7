"""What an evaluation returns: scores with their reasons, and findings about the data.

`Result.to_dict()` is the JSON contract of `perfrules score --format json`: decimals
are strings, so nothing is lost on the way through JSON.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Callable, Literal, Union

from .decimals import fmt

Severity = Literal["error", "warning", "info"]  # a finding's weight: error stops trust in the total
Direction = Literal["higher", "lower", "equal"]  # 正向 / 反向 / 等于: which way an actual is better

# A text written when it is first read: `(words, *parts)` is the text the function registered
# as `words` (@later) writes from the parts. Most scores are added up and never read, and writing
# every explanation at once (the numbers formatted, the sentence put together) was a sixth of the
# engine's work on a generated Zhengzhou table (benchmarks/README.md). The parts are kept instead:
# only texts, decimals, whole numbers and True/False/None, worked out in the scheme's decimal
# context; a writer does no arithmetic, so the text is the same whenever and in whatever decimal
# context it is read. Being only such values, a Later holds nothing the garbage collector has to
# walk: the first collection that meets it stops tracking it, as it never tracks a text (`words`
# is therefore a key, not the function). A Later holds no tuple, not even another Later: the
# collector stops tracking a tuple only once it has stopped tracking every tuple in it, which can
# take one collection per level, and the tuples it has not stopped tracking by then are moved to
# its older generations, whose collections are the dear ones (on Hunan's generated tables in
# benchmarks/ratio.py: two full collections a batch instead of one). A Later that another Later
# writes from goes in flat (`inline`, read back by `inlined`). A method's `because` and `expr` may
# be one (kinds.base.Scored), and so may an IndicatorScore's explanation; pickling a score writes
# it first (IndicatorScore.__getstate__), but score_many's workers send the parts as they are
# (perfrules.many), and the caller's process writes it if it is read.
Later = tuple[Any, ...]
Text = Union[str, Later]
_WRITERS: dict[str, Callable[..., str]] = {}


def later(words: Callable[..., str]) -> str:
    """Register a writer of Later texts: the decorated name becomes its key, which a Later starts with."""
    key = f"{words.__module__}.{words.__qualname__}"
    _WRITERS[key] = words
    return key


def text(value: Text) -> str:
    """The text `value` is: itself, or written from its parts now."""
    if isinstance(value, str):
        return value
    return _WRITERS[value[0]](*value[1:])


def inline(value: Text | None) -> Later:
    """`value` as parts of another Later: (0,) for None, (-1, text), or (n, *the Later's n parts)."""
    if value is None:
        return (0,)
    if isinstance(value, str):
        return (-1, value)
    return (len(value), *value)


def inlined(parts: Later, at: int) -> tuple[Text | None, int]:
    """What `inline` put at `parts[at]`, and where the part after it starts."""
    n = parts[at]
    if n == 0:
        return None, at + 1
    if n == -1:
        return parts[at + 1], at + 2
    return parts[at + 1:at + 1 + n], at + 1 + n


class _Written:
    """The explanation of an IndicatorScore: a text, or its parts (`Later`), written on the first
    read and kept in their place, so that the instance dict keeps its fields in their order."""

    def __init__(self, name: str) -> None:
        self.name = name

    def __get__(self, obj: Any, owner: type | None = None) -> Any:
        if obj is None:
            return self
        d = obj.__dict__
        value = d[self.name]
        if type(value) is not str:
            value = d[self.name] = text(value)
        return value

    def __set__(self, obj: Any, value: Any) -> None:
        obj.__dict__[self.name] = value


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

    def __getstate__(self) -> dict[str, Any]:
        _ = self.explanation  # written now: the parts need not travel
        return self.__dict__


# (set after the dataclass is made: the field has no default, and the descriptor is not one)
IndicatorScore.explanation = _Written("explanation")  # type: ignore[misc,assignment,unused-ignore]


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
