"""The summary of a batch (`perfrules score FOLDER`): one row per input (file, total, grade,
complete, error findings, or the error that stopped it), as a terminal table, JSON or a file."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

from ..batch import Outcome
from .csv import csv_text
from .files import output_format, write_atomically
from .layout import Value
from .markdown import md_cell
from .terminal import pad, width
from .xlsx import save_xlsx


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
