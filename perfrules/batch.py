"""Score many inputs with one compiled scheme: a folder or a glob of .xlsx/.csv/.yaml/.json files.

One summary row per input (file, total, grade, complete, error findings, or the error
that stopped it), as a table, JSON or a file. An input that cannot be read (or that
perfrules fails on) does not stop the batch. The command's progress bar, last line and
exit code are cli.py's.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from .decimals import fmt
from .errors import InputError, PerfrulesError, Problem
from .model import Scheme
from .render.csv import csv_text
from .render.files import output_format, write_atomically
from .render.layout import Value
from .render.markdown import md_cell
from .render.terminal import pad, width
from .render.xlsx import save_xlsx
from .result import Result

INPUT_SUFFIXES = (".xlsx", ".xlsm", ".csv", ".tsv", ".yaml", ".yml", ".json")


def expand(spec: str) -> list[Path] | None:
    """The inputs a folder or a glob names, in name order; None when `spec` is one file."""
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
        raise InputError([Problem(f"no inputs here: looked for {', '.join(INPUT_SUFFIXES)} files", file=spec)])
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


def score_one(scheme: Scheme, path: Path) -> Outcome:
    """One input of a batch scored; whatever stops it becomes its outcome's error.

    A perfrules error says what is wrong with the file. Anything else is a fault of
    perfrules on that file: it is reported as that file's error, so that one file cannot
    take the rest of the batch (and its summary) down with it.
    """
    try:
        return Outcome(str(path), result=scheme.evaluate(path))
    except PerfrulesError as exc:
        return Outcome(str(path), error=exc)
    except Exception as exc:  # noqa: BLE001 - see the docstring: the batch goes on, the file is listed as failed
        detail = f"{type(exc).__name__}: {exc}"
        detail = detail if len(detail) <= 200 else detail[:200] + "…"
        return Outcome(str(path), error=InputError([Problem(
            f"perfrules failed on this file ({detail}); the other files are scored: please report it", file=str(path))]))


HEADER = ("文件 file", "总分 total", "等级 grade", "完整 complete", "错误 errors")


def rows(outcomes: list[Outcome]) -> list[list[str]]:
    """The summary as rows of text: one per input, a failed one with its error."""
    out = []
    for o in outcomes:
        d = o.to_dict()
        if o.error:
            out.append([o.file, "", "", "", "", f"could not read: {o.problem()}"])
        else:
            out.append([o.file, d["total"], d["grade"] or "—", "yes" if d["complete"] else "no", str(d["errors"])])
    return out


def table(outcomes: list[Outcome]) -> str:
    body = rows(outcomes)
    widths = [max([width(HEADER[i])] + [width(r[i]) for r in body if len(r) == 5 or i == 0]) for i in range(5)]
    lines = ["  ".join(pad(h, w, right=i in (1, 4)) for i, (h, w) in enumerate(zip(HEADER, widths)))]
    for r in body:
        if len(r) > 5:
            lines.append(pad(r[0], widths[0]) + "  " + r[5])
        else:
            lines.append("  ".join(pad(v, w, right=i in (1, 4)) for i, (v, w) in enumerate(zip(r, widths))))
    return "\n".join(line.rstrip() for line in lines)


def to_json(outcomes: list[Outcome]) -> str:
    return json.dumps([o.to_dict() for o in outcomes], ensure_ascii=False, indent=2)


def write(outcomes: list[Outcome], path: str | Path) -> None:
    """The summary as .csv, .xlsx, .json or .md, by the extension."""
    kind = output_format(path)
    header = [*HEADER, "无法读取 error"]
    body = [r if len(r) > 5 else [*r, ""] for r in rows(outcomes)]
    if kind == "json":
        write_atomically(path, (to_json(outcomes) + "\n").encode("utf-8"))
    elif kind == "csv":
        write_atomically(path, csv_text([header, *body]).encode("utf-8-sig"))
    elif kind == "markdown":
        esc = [[md_cell(c) for c in r] for r in body]
        lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)] + ["| " + " | ".join(r) + " |" for r in esc]
        write_atomically(path, ("\n".join(lines) + "\n").encode("utf-8"))
    else:
        # totals and counts as numbers, so that the summary sorts and sums in Excel
        cells: list[list[Value]] = [list(header)]
        cells += [[Decimal(c) if i in (1, 4) and c else (c or None) for i, c in enumerate(r)] for r in body]
        save_xlsx([("汇总", cells, 0)], path, {0: 40, 5: 80})
