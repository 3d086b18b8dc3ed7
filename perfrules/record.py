"""The typed input (自评表) as pure data: a Record of Rows of Cells, the funds block, and what
the report itself states. Readers build it (perfrules.sources); the engine, the audit and
the checks read it. This module reads no file and imports no reader.
"""

from __future__ import annotations

import re
from functools import lru_cache
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, ClassVar, Mapping

from .result import Direction
from .values import Value, key_of

# the points a category cell gives after its name: (50分), （30）, (10), ( 12.5 分 )
_POINTS_SUFFIX = re.compile(r"[（(]\s*(\d+(?:\.\d+)?)\s*分?\s*[)）]$")


@lru_cache(maxsize=4096)  # every row of an input names its category: the same few texts
def category_key(name: str) -> str:
    """'产出指标（50分）', '产出指标(50)' and '产出指标' match the same category."""
    return key_of(_POINTS_SUFFIX.sub("", key_of(name)))


@lru_cache(maxsize=4096)
def category_points(name: str) -> Decimal | None:
    """The points a category cell states in brackets: '效益指标（30）' -> 30; None when it states none."""
    m = _POINTS_SUFFIX.search(key_of(name))
    return Decimal(m.group(1)) if m else None


@dataclass(frozen=True)
class Funds:
    """The funds block (资金情况): 全年预算数, 全年执行数 and what the unit reported."""

    budget: Decimal | None = None
    executed: Decimal | None = None
    initial_budget: Decimal | None = None  # 年初预算数
    adjusted_budget: Decimal | None = None  # 调整后预算数
    reported_rate: Decimal | None = None  # as a fraction: 100% -> 1
    reported_score: Decimal | None = None


@dataclass(frozen=True)
class Cell:
    """A table cell: the text as written and what it parses to (and where the value came from)."""

    text: str | None
    value: Value | None
    source: str | None = None


@dataclass(frozen=True)
class Row:
    """One indicator row of the input."""

    index: int
    name: str
    level1: str | None = None
    level2: str | None = None
    target: Cell = Cell(None, None)
    actual: Cell = Cell(None, None)
    alternatives: tuple[Cell, ...] = ()  # more than one actual: the report contradicts itself
    weight: Decimal | None = None
    elements: frozenset[int] | None = None
    review_actual: Cell | None = None
    review_elements: frozenset[int] | None = None
    review_level: str | None = None
    review_fraction: Decimal | None = None
    reported_score: Decimal | None = None
    deviation_reason: str | None = None
    level: str | None = None
    fraction: Decimal | None = None
    occurrences: Decimal | None = None
    passed: bool | None = None
    applicable: bool = True
    deduction: Decimal | None = None
    direction: Direction | None = None
    values: Mapping[str, Decimal] = field(default_factory=dict)
    placeholder: bool = False  # every cell '/': skipped, with an info finding
    # Not a field: what the row was read from, as a hashable key, or None where unknown. A reader may
    # note it in the instance's dict (perfrules.sources.mapping.row_key); rows with equal keys are
    # equal but for `index`. A row made any other way (dataclasses.replace included) has none, and
    # reads this class attribute. (Not a property: the engine asks every row, and a property is a call.)
    content: ClassVar[Any] = None

    @property
    def reviewed(self) -> bool:
        return (self.review_actual is not None or self.review_elements is not None
                or self.review_level is not None or self.review_fraction is not None)


@dataclass(frozen=True)
class Sourced:
    """A value as a report gives it, and where (正文, 附件1 …)."""

    value: Decimal | str | None
    text: str
    source: str | None = None

    def __str__(self) -> str:
        return self.text + (f"（{self.source}）" if self.source else "")


@dataclass(frozen=True)
class Claim:
    """A statement in the text that puts a number on other numbers: 占比72.71%, 增长4.56%."""

    text: str
    value: Decimal  # as a percentage when written with %
    places: int  # digits printed after the point: the claim's precision
    kind: str  # share | growth | equals
    of: tuple[str, ...]  # figure names or numbers (as text)
    source: str | None = None


@dataclass(frozen=True)
class Record:
    """A whole input: unit, funds, rows, what the unit reported, and the report's own figures."""

    rows: tuple[Row, ...]
    file: str = "<input>"
    unit: str | None = None
    year: int | None = None
    funds: Funds | None = None
    reported_total: Decimal | None = None
    reported_grade: str | None = None
    reported_categories: Mapping[str, Decimal] = field(default_factory=dict)
    # where a report gives a value more than once: every version, with its source
    funds_given: Mapping[str, tuple[Sourced, ...]] = field(default_factory=dict)
    totals_given: tuple[Sourced, ...] = ()
    grades_given: tuple[Sourced, ...] = ()
    figures: Mapping[str, tuple[Sourced, ...]] = field(default_factory=dict)
    tables: Mapping[str, tuple[Mapping[str, Any], ...]] = field(default_factory=dict)
    claims: tuple[Claim, ...] = ()
