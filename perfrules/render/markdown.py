"""A result as Markdown: the layout's lines as tables and a list, every text escaped (HTML shown, not run)."""

from __future__ import annotations

import html
from decimal import Decimal

from ..decimals import fmt
from ..model import Scheme
from ..result import Result
from .layout import (Percent, cell_text, findings_heading, grade_text, not_in_total, scheme_title, score_text,
                     total_text, where)

def md_cell(v: object) -> str:
    """Text for one line of Markdown (a table cell, a heading): HTML is shown, not run
    (`<script>` becomes `&lt;script&gt;`), `|` cannot end a cell, a line break cannot end the line."""
    text = cell_text(v if isinstance(v, (str, Decimal, Percent)) or v is None else str(v))
    text = html.escape(text, quote=False).replace("|", "\\|")
    return text.replace("\r\n", "<br>").replace("\n", "<br>").replace("\r", "<br>")


def to_markdown(result: Result, scheme: Scheme) -> str:
    """The result as a Markdown page: indicators, categories, total and grade, notes, findings."""
    t = scheme.terms
    own = md_cell(scheme_title(scheme))
    lines = [f"# {md_cell(result.unit)} · {own}" if result.unit else f"# {own}", ""]
    lines.append(f"| 一级指标 | 二级指标 | 指标 | {t.weight} | {t.score} | 方法 | 计分说明 |")
    lines.append("|---|---|---|---:|---:|---|---|")
    for ind in result.indicators:
        score = score_text(ind.score, result.indicator_places)
        lines.append("| " + " | ".join(md_cell(x) for x in (ind.level1, ind.level2 or "", ind.name, fmt(ind.weight), score,
                                                         ind.method, ind.explanation)) + " |")
    lines += ["", f"| 一级指标 | {t.weight} | {t.score} |", "|---|---:|---:|"]
    for cat in result.categories:
        lines.append(f"| {md_cell(cat.name)}{not_in_total(cat.in_total)} | {fmt(cat.weight)} | "
                     f"{fmt(cat.score, result.places)} |")
    lines += ["", f"**总分 {total_text(result)}，等级 {grade_text(result)}**", ""]
    lines += [note + "\n" for note in result.notes]
    if result.findings:
        lines += [f"## {findings_heading(result)}", ""]
        for f in result.findings:
            lines.append(f"- {f.severity} `{f.code}` {md_cell(where(f) + f.message)}")
        lines.append("")
    return "\n".join(lines)
