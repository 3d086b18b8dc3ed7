"""Score many inputs with one compiled scheme: a folder or a glob of .xlsx/.csv/.yaml/.json files.

One outcome per input: its result, or the error that stopped it (perfrules.many scores them,
on worker processes with --jobs). An input that cannot be read (or that perfrules fails on)
does not stop the batch. The summary (one row per input)
is drawn by render/summary.py; the command's progress bar, last line and exit code are cli.py's.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .decimals import fmt
from .errors import InputError, PerfrulesError, Problem
from .i18n import gettext as _
from .result import Result

INPUT_SUFFIXES = (".xlsx", ".xlsm", ".csv", ".tsv", ".yaml", ".yml", ".json")


def expand(spec: str) -> list[Path] | None:
    """The inputs a folder or a glob names, in name order; None when `spec` is one file."""
    if spec == "-":  # standard input: one input (cli.read_input), even beside a folder named -
        return None
    path = Path(spec)
    if path.is_dir():
        candidates = sorted(path.iterdir())
    elif not path.exists() and re.search(r"[*?\[]", spec):
        candidates = sorted(Path(p) for p in _glob(spec))
    else:
        return None
    files = [p for p in candidates if p.is_file() and p.suffix.lower() in INPUT_SUFFIXES
             and not p.name.startswith(("~$", "."))]  # ~$x.xlsx: the lock file of a workbook open in Excel
    if not files:
        raise InputError([Problem(_("no inputs here: looked for {suffixes} files").format(suffixes=", ".join(INPUT_SUFFIXES)),
                                  file=spec)])
    return files


def _glob(pattern: str) -> list[str]:
    import glob

    return glob.glob(pattern, recursive=True)


@dataclass(frozen=True)
class Outcome:
    """One input of a batch: its result, or the error that stopped it."""

    file: str
    result: Result | None = None
    error: PerfrulesError | None = None

    @property
    def errors(self) -> int:
        return len(self.result.errors) if self.result else 0

    def problem(self) -> str:
        if self.error is None:
            return ""
        problems = self.error.problems
        more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
        return (str(problems[0]) if problems else str(self.error)) + more

    def to_dict(self) -> dict[str, Any]:
        r = self.result
        return {
            "file": self.file,
            "total": None if r is None else fmt(r.total, r.places),
            "grade": None if r is None else r.grade,
            "complete": None if r is None else r.complete,
            "errors": None if r is None else self.errors,
            "error": self.problem() or None,
            "result": None if r is None else r.to_dict(),
        }

