"""What a method kind is (`Kind`), what it reads (`Inputs`) and answers (`Scored`/`Unscored`),
and the registry `KINDS` that every module of this package adds its one kind to.

A kind's score function gets the `Inputs` of one indicator and returns a `Scored` (a
share of the weight, or points, with the reason in the scheme's words) or an `Unscored`
(why it cannot be scored). The engine multiplies, rounds and adds up; no kind knows
about other kinds, files or the CLI. Its `compile` turns the YAML params into a frozen
params object once, at load.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import partial
from decimal import Decimal
from typing import Any, Callable, Literal, Mapping, NoReturn, Protocol, Union

from ..decimals import Rounding
from ..model import Element, Policies, Terms, Vocabulary
from ..result import Finding, Text
from ..record import Funds as Funds  # the funds block a kind may read (Inputs.funds), re-exported
from ..values import Value
from .phrase import Phrasing


@dataclass(frozen=True, init=False)
class Scored:
    """A method's answer: `share` of the weight (0–1) or `points`, and why."""

    share: Decimal | None = None
    points: Decimal | None = None
    because: Text = ""  # a text, or its parts to write it from when it is read (result.Later)
    expr: Text | None = None  # how the share (or the points) is written in the arithmetic: a text or its parts too
    met: bool | None = None  # whether the target was met, where that means something
    findings: tuple[Finding, ...] = ()

    def __init__(self, share: Decimal | None = None, points: Decimal | None = None, because: Text = "",
                 expr: Text | None = None, met: bool | None = None, findings: tuple[Finding, ...] = ()) -> None:
        # the generated __init__ of a frozen dataclass sets each field through object.__setattr__;
        # one made per indicator scored is cheaper with its dict set at once (tests/test_speed.py)
        object.__setattr__(self, "__dict__", {"share": share, "points": points, "because": because, "expr": expr,
                                              "met": met, "findings": findings})


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
    # scores one part of a compound target by the scheme's rules: score_part(x, part_target, part_actual)
    score_part: Callable[["Inputs", Value | None, Value | None], Outcome] | None = None

    def rate(self, share: Decimal) -> Decimal:
        """A ratio rounded at the scheme's `rate` stage (places counted in percent)."""
        return rated(self.rounding, share)


def rated(rounding: Rounding, share: Decimal) -> Decimal:
    """`share` rounded at the `rate` stage of `rounding` (places counted in percent), if it has one."""
    step = rounding.stages.get("rate")
    if step is None:
        return share
    return step.apply(share * 100) / 100


class Says(Protocol):
    """What a kind's plain case (`Kind.plain`) reads besides the measure: the scheme's words and
    its rate rounding. `Inputs` is one; the engine passes one per scheme."""

    @property
    def terms(self) -> Terms: ...

    def rate(self, share: Decimal) -> Decimal: ...


class Context(Protocol):
    """What a kind's `compile` may use: located failures and shared parsers."""

    elements: tuple[Element, ...]

    def fail(self, message: str, *path: str | int) -> NoReturn: ...

    def share(self, raw: Any, *path: str | int) -> Decimal: ...

    def value(self, raw: Any, *path: str | int) -> Value: ...

    def interval(self, raw: Any, *path: str | int, share: bool = False) -> Any: ...

    def expression(self, raw: Any, allowed: tuple[str, ...], *path: str | int) -> Any: ...


@dataclass(frozen=True)
class Wording:
    """What a kind's `describe` needs to state its rule in the scheme's own words."""

    terms: Terms
    elements: tuple[Element, ...] = ()
    raw: Mapping[str, Any] = field(default_factory=dict)  # the method as written: shares as the author wrote them (1/3)


Field = Literal["actual", "elements", "occurrences", "level", "passed", "level_in_band"]


@dataclass(frozen=True)
class Need:
    """What a generated input row needs for a kind to score it (the property kit reads this).

    `actual`: a number across and beyond the target (or `around`, when the indicator has
    no target); `elements`: a subset of the indicator's elements; `occurrences`: a count;
    `level`: one of `levels` by name; `passed`: true or false; `level_in_band`: a level of
    `bands` (dicts with name and range) with a share inside it, or a vocabulary word.
    """

    field: Field
    around: Value | None = None
    levels: tuple[str, ...] = ()
    bands: tuple[Mapping[str, Any], ...] = ()


Direction = Literal["up", "down"]
EXAMPLE_BLOCK = re.compile(r"^```yaml\n# example[^\n]*\n(.*?)^```", re.M | re.S)


def described(schema: Mapping[str, Any], text: str, *examples: Any) -> dict[str, Any]:
    """A parameter's schema with its Chinese help for editors: what it means and examples of it."""
    return {**schema, "description": text, "examples": list(examples)}


def no_params(raw: Mapping[str, Any], c: Context) -> Mapping[str, Any]:
    """The compile step of a kind without parameters: the method as written."""
    return raw


@dataclass(frozen=True)
class Kind:
    """One scoring-method kind, declared whole in one module of `perfrules.kinds`.

    The loader, the engine, the audit, `explain`, the schema and the property kit ask a
    kind these things; none of them tests a kind's name. `tests/test_kinds.py` fails when
    a kind leaves one of the parts marked *required* out.
    """

    name: str
    score: Callable[[Any, Inputs], Outcome]  # required: pure; params and one indicator's inputs -> outcome
    compile: Callable[[Mapping[str, Any], Context], Any] | None = None  # required: YAML params -> frozen params
    describe: Callable[[Any, Wording], str] | None = None  # required: the 评分标准 sentence, for `explain`
    # required: the JSON Schema of the method's own keys (besides `kind` and `note`); {} for none
    params: Mapping[str, Any] | None = None
    required: tuple[str, ...] = ()  # keys the method must write
    title: str | None = None  # the schema's description of the kind (正向指标)
    defs: Mapping[str, Any] = field(default_factory=dict)  # schema definitions its params refer to (#/$defs/…)
    generate: Callable[[Mapping[str, Any]], Need | None] | None = None  # required: a generated row (None: no row)
    # required: its section of docs/ruleset-format.md (Markdown, under "### `name`"), with at least one
    # checked example: a ```yaml block starting `# example` whose `# {row} → score` lines must hold
    docs: str | None = None
    # the numbers its params turn on, by unit (band ends, full marks): the property kit draws
    # actuals at and around them, so that a band that gives too much is met, not left to chance
    thresholds: Callable[[Any], Mapping[str, set[Decimal]]] | None = None
    # which way the score must move as the actual rises, for the `monotone` invariant: (method as
    # written, the indicator's target, its direction) -> 'up', 'down' or None (no rule)
    monotone: Callable[[Mapping[str, Any], Value | None, str | None], Direction | None] | None = None
    reads_funds: bool = False  # scored from the funds block: no indicator row needed
    # may read the funds block: generated inputs carry one, and only where a category may be scored by
    # such a kind does the engine pass it (Inputs.funds is None elsewhere: the score cannot depend on it)
    uses_funds: bool = False
    funds_score: bool = False  # its score is the 资金得分 a unit reports beside the funds block (audit compares them)
    # its own table says what every value earns, a negative one included: never clamped to 0
    as_written: bool = False
    part: bool = True  # can score one part of a compound target
    # scores the parts of a compound target by the scheme's rules (Inputs.score_part): only such a
    # kind is given score_part (None elsewhere; a part scorer made per indicator would be wasted)
    scores_parts: bool = False
    # the share of the weight all of an indicator's elements earn together, for the loader's check
    # that it is 100% (None: the kind does not pay by element shares)
    element_total: Callable[[Any, tuple[Element, ...]], Decimal | None] | None = None
    # its answer where the target and the actual are plain numbers (common.plain_measure: a number,
    # or a bound on one, against a number in its unit, not below zero): plain(params, measure, says)
    # from the measure and the scheme's words and rounding alone (`Says`), or None where it needs
    # more of the row; then the engine asks `score`. Where it answers, it must answer as `score`
    # does (tests/test_kinds.py holds every kind's to it). It spares the engine the Inputs.
    plain: Callable[[Any, Any, Says], Scored | None] | None = None
    # the 评分标准 sentences `perfrules draft` reads back as this kind (kinds/phrase.py), with examples
    phrasings: tuple[Phrasing, ...] = ()
    # the Chinese names the documents give this kind (正向指标): a ruleset may write any of them for
    # `kind:`, and the loader reads it as `name`. A word that would name two kinds is nobody's name.
    names: tuple[str, ...] = ()

    @property
    def summary(self) -> str:
        """The first line of the score function's docstring: the rule in the scheme's words."""
        return (self.score.__doc__ or self.name).strip().splitlines()[0]

    @property
    def examples(self) -> list[str]:
        """The checked examples in its docs: YAML ruleset snippets with worked lines."""
        return [m.group(1) for m in EXAMPLE_BLOCK.finditer(self.docs or "")]

    @property
    def example(self) -> str | None:
        """Its first checked example, the one that shows the kind."""
        found = self.examples
        return found[0] if found else None

    @property
    def fn(self) -> Callable[[Any, Inputs], Outcome]:
        """The score function (the name the old `perfrules.methods` registry used)."""
        return self.score

    def bind(self, params: Any) -> Callable[[Inputs], Outcome]:
        """The score function with its compiled params fixed: what a compiled indicator calls.

        A kind may later give a faster closure here (thresholds and wording decided once);
        the answer must be the same as `score(params, x)` for every input.
        """
        return partial(self.score, params)


KINDS: dict[str, Kind] = {}

# the schema keyword beside an `enum` that gives the Chinese names a ruleset may write for its values
# ({"四舍五入": "half_up"}): the assembled schema accepts them too, and the loader reads each as its value
NAMES = "x-names"


def register(kind: Kind) -> Kind:
    """Add `kind` to the registry under its name (once: a second kind of the same name is a bug)."""
    if kind.name in KINDS:
        raise ValueError(f"kind '{kind.name}' is registered twice")
    taken = {n: k.name for k in KINDS.values() for n in (k.name, *k.names)}
    clash = [n for n in (kind.name, *kind.names) if n in taken]
    if clash:
        raise ValueError(f"kind '{kind.name}': the name '{clash[0]}' is already kind '{taken[clash[0]]}'")
    KINDS[kind.name] = kind
    return kind
