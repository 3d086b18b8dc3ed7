"""The error types perfrules raises on purpose, each naming where the problem is.

A `Problem` is one located complaint (file, line, column, path inside the document);
an error carries one or more of them so that a user sees every problem in a file at
once. A *finding* (a problem in the data that still lets us score) is not an error:
see `perfrules.result.Finding`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable, Sequence

PathPart = str | int


def format_path(path: Sequence[PathPart]) -> str:
    """`['categories', 2, 'indicators', 0, 'method']` -> `categories[2].indicators[0].method`."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return out


@dataclass(frozen=True)
class Problem:
    """One located complaint: `FILE:LINE:COL: path: message (hint)`."""

    message: str
    file: str | None = None
    line: int | None = None  # 1-based
    column: int | None = None  # 1-based
    path: str = ""
    hint: str | None = None

    def __str__(self) -> str:
        where = self.file or "<input>"
        if self.line is not None:
            where += f":{self.line}:{self.column or 1}"
        text = f"{where}: "
        if self.path:
            text += f"{self.path}: "
        text += self.message
        if self.hint:
            text += f" ({self.hint})"
        return text


class PerfrulesError(Exception):
    """Base of every error perfrules raises on purpose. `problems` lists them all."""

    def __init__(self, problems: Iterable[Problem] | str, file: str | None = None, warnings: Iterable[Problem] = ()):
        if isinstance(problems, str):
            problems = [Problem(problems, file=file)]
        self.problems: tuple[Problem, ...] = tuple(problems)
        self.warnings: tuple[Problem, ...] = tuple(warnings)  # findings that came with the errors
        super().__init__("\n".join(str(p) for p in self.problems))


class RulesetError(PerfrulesError):
    """The scheme (ruleset file) is wrong: it cannot be loaded."""


class InputError(PerfrulesError):
    """The input (a unit's self-evaluation record) cannot be read at all."""


class ExpressionError(RulesetError):
    """A `formula` or check expression does not parse or names something unknown."""
