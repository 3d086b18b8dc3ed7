"""A result as text for a terminal: the layout's lines in columns aligned for Chinese characters."""

from __future__ import annotations

import unicodedata

from ..decimals import fmt
from ..model import Scheme
from ..result import Finding, Result
from .layout import findings_heading, grade_text, not_in_total, result_title, score_text, total_text, where


def width(text: str) -> int:
    """Display width: CJK characters take two columns."""
    return sum(2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1 for ch in text)


def clip(text: str, columns: int) -> str:
    """Cut `text` to at most `columns` display columns, marking the cut with …."""
    if width(text) <= columns:
        return text
    out, used = "", 0
    for ch in text:
        w = width(ch)
        if used + w > columns - 1:
            break
        out, used = out + ch, used + w
    return out + "…"


def pad(text: str, columns: int, right: bool = False) -> str:
    text = clip(text, columns)
    space = " " * (columns - width(text))
    return space + text if right else text + space


def finding_line(f: Finding, code_width: int) -> str:
    return f"  {f.severity:<7} {f.code:<{code_width}} {where(f)}{f.message}"


def table(result: Result, scheme: Scheme, explain: bool = True) -> str:
    """A readable table: one row per indicator, its explanation beneath, then totals and findings."""
    t = scheme.terms
    lines = [result_title(result, scheme)]
    cols = [(t.weight if len(t.weight) <= 4 else "分值", 8), (t.score if len(t.score) <= 4 else "得分", 8)]
    header = pad("一级指标", 14) + " " + pad("指标", 40) + " " + pad(cols[0][0], 8, True) + " " + pad(cols[1][0], 8, True) + "  方法"
    lines.append(header)
    lines.append("─" * width(header))
    for ind in result.indicators:
        mark = "" if ind.score is not None else " ✗"
        lines.append(pad(ind.level1, 14) + " " + pad(ind.name, 40) + " " + pad(fmt(ind.weight), 8, True) + " "
                     + pad(score_text(ind.score, result.indicator_places), 8, True) + "  " + ind.method + mark)
        if explain:
            lines.append(" " * 15 + "└ " + ind.explanation)
    lines.append("─" * width(header))
    for cat in result.categories:
        lines.append(pad(cat.name, 55) + " " + pad(fmt(cat.weight), 8, True) + " "
                     + pad(fmt(cat.score, result.places), 8, True) + not_in_total(cat.in_total))
    lines.append(f"总分 {total_text(result)}    等级 {grade_text(result)}")
    lines.extend(result.notes)
    if result.findings:
        lines.append("")
        lines.append(f"{findings_heading(result)}:")
        lines.extend(finding_line(f, 22) for f in result.findings)
    return "\n".join(lines)


def findings_table(result: Result, scheme: Scheme) -> str:
    """Only the findings, for a checks ruleset that scores nothing (its codes are longer: a wider column)."""
    lines = [result_title(result, scheme), *result.notes]
    if not result.findings:
        lines.append("全部核对通过")
    lines.extend(finding_line(f, 24) for f in result.findings)
    return "\n".join(lines)
