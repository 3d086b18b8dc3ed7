"""The registry of scoring-method kinds: each a small pure function registered under a name.

A method gets the `Inputs` of one indicator and returns a `Scored` (a share of the
weight, or points, with the reason in the scheme's words) or an `Unscored` (why it
cannot be scored). The engine multiplies, rounds and adds up; no method knows about
other methods, files or the CLI. A kind's `compile` turns its YAML params into a
frozen params object once, at load.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import Any, Callable, Mapping, NoReturn, Protocol, Union

from ..decimals import Rounding
from ..model import Element, Policies, Terms, Vocabulary
from ..record import Funds  # noqa: F401 - moved to record.py; this re-export goes at the merge
from ..result import Finding
from ..values import Value


@dataclass(frozen=True)
class Scored:
    """A method's answer: `share` of the weight (0–1) or `points`, and why."""

    share: Decimal | None = None
    points: Decimal | None = None
    because: str = ""
    expr: str | None = None  # how the share (or the points) is written in the arithmetic
    met: bool | None = None  # whether the target was met, where that means something
    findings: tuple[Finding, ...] = ()


@dataclass(frozen=True)
class Unscored:
    """The indicator cannot be scored from this input; `code` is a stable finding code."""

    code: str
    reason: str
    findings: tuple[Finding, ...] = ()


Outcome = Union[Scored, Unscored]


@dataclass(frozen=True)
class Inputs:
    """Everything a method may read about one indicator of one input."""

    name: str
    weight: Decimal
    target: Value | None
    actual: Value | None
    direction: str = "higher"  # higher | lower | equal
    elements: frozenset[int] | None = None
    element_specs: tuple[Element, ...] = ()
    level: str | None = None
    fraction: Decimal | None = None
    reported_score: Decimal | None = None
    deviation_reason: str | None = None  # 偏差原因分析, as the unit wrote it
    occurrences: Decimal | None = None
    passed: bool | None = None
    funds: Funds | None = None
    year: int | None = None
    values: Mapping[str, Decimal] = field(default_factory=dict)  # extra named numbers for formulas
    terms: Terms = field(default_factory=Terms)
    vocabulary: Vocabulary = field(default_factory=Vocabulary)
    policies: Policies = field(default_factory=Policies)
    rounding: Rounding = field(default_factory=Rounding)
    negative_actual: str = "zero"  # the scheme's policy, or as_written for a kind that scores its own table
    score_part: Callable[[Value | None, Value | None], Outcome] | None = None

    def rate(self, share: Decimal) -> Decimal:
        """A ratio rounded at the scheme's `rate` stage (places counted in percent)."""
        step = self.rounding.stages.get("rate")
        if step is None:
            return share
        return step.apply(share * 100) / 100


class Context(Protocol):
    """What a kind's `compile` may use: located failures and shared parsers."""

    elements: tuple[Element, ...]

    def fail(self, message: str, *path: str | int) -> NoReturn: ...

    def share(self, raw: Any, *path: str | int) -> Decimal: ...

    def value(self, raw: Any, *path: str | int) -> Value: ...

    def interval(self, raw: Any, *path: str | int, share: bool = False) -> Any: ...

    def expression(self, raw: Any, allowed: tuple[str, ...], *path: str | int) -> Any: ...


@dataclass(frozen=True)
class Method:
    name: str
    fn: Callable[[Any, Inputs], Outcome]
    compile: Callable[[Mapping[str, Any], Context], Any]
    summary: str
    reads_funds: bool = False  # scored from the funds block: no indicator row needed
    # its own table says what every value earns, a negative one included: never clamped to 0
    as_written: bool = False
    describe: Callable[[Any, "Wording"], str] | None = None  # the 评分标准 sentence, for `explain`


@dataclass(frozen=True)
class Wording:
    """What a kind's `describe` needs to state its rule in the scheme's own words."""

    terms: Terms
    elements: tuple[Element, ...] = ()
    raw: Mapping[str, Any] = field(default_factory=dict)  # the method as written: shares as the author wrote them (1/3)


METHODS: dict[str, Method] = {}


def _as_is(raw: Mapping[str, Any], c: Context) -> Mapping[str, Any]:
    return raw


def method(
    name: str,
    compile: Callable[[Mapping[str, Any], Context], Any] | None = None,
    reads_funds: bool = False,
    as_written: bool = False,
) -> Callable[[Callable[[Any, Inputs], Outcome]], Callable[[Any, Inputs], Outcome]]:
    """Register a scoring-method kind under `name` (its docstring's first line is its summary)."""

    def register(fn: Callable[[Any, Inputs], Outcome]) -> Callable[[Any, Inputs], Outcome]:
        summary = (fn.__doc__ or name).strip().splitlines()[0]
        METHODS[name] = Method(name, fn, compile or _as_is, summary, reads_funds, as_written)
        return fn

    return register


def describes(name: str) -> Callable[[Callable[[Any, Wording], str]], Callable[[Any, Wording], str]]:
    """Register the function that states kind `name`'s rule as a 评分标准 sentence."""

    def register(fn: Callable[[Any, Wording], str]) -> Callable[[Any, Wording], str]:
        METHODS[name] = replace(METHODS[name], describe=fn)
        return fn

    return register
