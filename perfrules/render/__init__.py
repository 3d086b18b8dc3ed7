"""Results as text for a terminal (aligned for Chinese characters) and as JSON."""

from __future__ import annotations

import json
import unicodedata

from ..decimals import fmt
from ..model import Scheme
from ..result import Result


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


def to_json(result: Result) -> str:
    return json.dumps(result.to_dict(), ensure_ascii=False, indent=2)


def table(result: Result, scheme: Scheme, explain: bool = True) -> str:
    """A readable table: one row per indicator, its explanation beneath, then totals and findings."""
    t = scheme.terms
    places = result.indicator_places
    lines = []
    title = f"{scheme.name}（{scheme.id}）"
    if result.unit:
        title = f"{result.unit} · {title}"
    lines.append(title)
    cols = [(t.weight if len(t.weight) <= 4 else "分值", 8), (t.score if len(t.score) <= 4 else "得分", 8)]
    header = pad("一级指标", 14) + " " + pad("指标", 40) + " " + pad(cols[0][0], 8, True) + " " + pad(cols[1][0], 8, True) + "  方法"
    lines.append(header)
    lines.append("─" * width(header))
    for ind in result.indicators:
        score = "—" if ind.score is None else (fmt(ind.score, places) if places is not None else fmt(ind.score))
        mark = "" if ind.score is not None else " ✗"
        lines.append(pad(ind.level1, 14) + " " + pad(ind.name, 40) + " " + pad(fmt(ind.weight), 8, True) + " "
                     + pad(score, 8, True) + "  " + ind.method + mark)
        if explain:
            lines.append(" " * 15 + "└ " + ind.explanation)
    lines.append("─" * width(header))
    for cat in result.categories:
        note = "" if cat.in_total else "（不计入总分）"
        lines.append(pad(cat.name, 55) + " " + pad(fmt(cat.weight), 8, True) + " " + pad(fmt(cat.score, result.places), 8, True) + note)
    total = fmt(result.total, result.places)
    if not result.complete and result.total_max is not None:
        total += f"（不完整：最多 {fmt(result.total_max, result.places)}）"
    lines.append(f"总分 {total}    等级 {result.grade or '无法确定'}")
    for note in result.notes:
        lines.append(note)
    if result.findings:
        lines.append("")
        lines.append(f"发现 findings ({len(result.findings)}):")
        for f in result.findings:
            where = f"[{f.indicator}] " if f.indicator else ""
            lines.append(f"  {f.severity:<7} {f.code:<22} {where}{f.message}")
    return "\n".join(lines)


def findings_table(result: Result, scheme: Scheme) -> str:
    """Only the findings, for a checks ruleset that scores nothing."""
    lines = [f"{result.unit + ' · ' if result.unit else ''}{scheme.name}（{scheme.id}）"]
    lines += list(result.notes)
    if not result.findings:
        lines.append("全部核对通过")
    for f in result.findings:
        where = f"[{f.indicator}] " if f.indicator else ""
        lines.append(f"  {f.severity:<7} {f.code:<24} {where}{f.message}")
    return "\n".join(lines)
