"""The batch report (perfrules.report.Report) as an .xlsx workbook with Excel's own charts
(openpyxl BarChart), so that it stays editable in Excel and WPS: 概览 (what was read, units
per grade, the distribution of totals coloured by grade band), 单位, 指标, 无法读取.

Numbers are numbers, text is text and never a formula (render/xlsx.py's cells)."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

from ..decimals import fmt, quantize
from ..report import Report, Unit
from .html_report import OVERSTATED, band_text, codes_text, grade_label, read_text, title
from .layout import Percent, Value
from .xlsx import save_book, workbook

UNIT_COLUMNS = ["文件", "单位", "计算总分", "总分上限", "完整", "计算等级", "自评总分", "自评等级", "差额（自评−计算）",
                "error", "warning", "info", OVERSTATED]
INDICATOR_COLUMNS = ["一级指标", "二级指标", "指标", "分值", "计分单位", "扣分单位", "平均得分率", "未能计分", "不适用", "最常见的发现"]
GRADES_AT = 4  # the row (1-based) of the grades table's header on 概览


def to_xlsx(report: Report, path: str | Path) -> None:
    overview, bins_at = _overview(report)
    book = workbook([("概览", overview, None), ("单位", _units(report), 0), ("指标", _indicators(report), 0),
                     ("无法读取", _failed(report), 0)])
    _widths(book["概览"], [24, 16, 12] + [10] * len(report.grades))
    _widths(book["单位"], [40, 28, 10, 10, 6, 10, 10, 10, 12, 8, 8, 8, 20])
    _widths(book["指标"], [16, 12, 36, 8, 10, 10, 12, 10, 8, 48])
    _widths(book["无法读取"], [40, 100])
    _charts(book["概览"], report, bins_at)
    _mark(book["单位"], report)
    for name in ("单位", "指标"):
        ws = book[name]
        if ws.max_row > 1:
            ws.auto_filter.ref = ws.dimensions  # sortable and filterable in Excel and WPS
    save_book(book, path)


def _n(count: int) -> Decimal:
    return Decimal(count)


def _overview(report: Report) -> tuple[list[list[Value]], int]:
    rows: list[list[Value]] = [[title(report)], [read_text(report)], []]
    rows.append(["等级", "区间", "单位数"])  # row GRADES_AT
    for grade, n in report.grades:
        rows.append([grade_label(grade), band_text(report, grade), _n(n)])
    rows.append([])
    bins_at = len(rows) + 1
    grades = [g for g, _ in report.grades if g is not None]
    rows.append(["总分区间", "单位数", "等级", *grades])
    for i, b in enumerate(report.bins):
        span = f"[{fmt(b.low)}, {fmt(b.high)}{']' if i == len(report.bins) - 1 else ')'}"
        # one column per grade: the chart colours each bar by the band it falls in
        rows.append([span, _n(b.count), b.grade or "", *(_n(b.count) if b.grade == g else None for g in grades)])
    return rows, bins_at


def _charts(ws: Any, report: Report, bins_at: int) -> None:
    from openpyxl.chart import BarChart, Reference

    if report.grades:
        chart = BarChart()
        chart.title, chart.y_axis.title, chart.legend = "各等级单位数", "单位数", None
        last = GRADES_AT + len(report.grades)
        chart.add_data(Reference(ws, min_col=3, min_row=GRADES_AT, max_row=last), titles_from_data=True)
        chart.set_categories(Reference(ws, min_col=1, min_row=GRADES_AT + 1, max_row=last))
        chart.width, chart.height = 12, 7
        ws.add_chart(chart, "H2")
    if report.bins:
        chart = BarChart()
        chart.title, chart.x_axis.title, chart.y_axis.title = "总分分布（按等级着色）", "总分", "单位数"
        chart.grouping, chart.overlap, chart.gapWidth = "stacked", 100, 10
        last = bins_at + len(report.bins)
        named = sum(1 for g, _ in report.grades if g is not None)
        chart.add_data(Reference(ws, min_col=4, max_col=3 + named, min_row=bins_at, max_row=last),
                       titles_from_data=True)
        chart.set_categories(Reference(ws, min_col=1, min_row=bins_at + 1, max_row=last))
        chart.width, chart.height = 24, 9
        ws.add_chart(chart, "H18")


def _unit_row(u: Unit, name: str) -> list[Value]:
    return [name, u.unit, Decimal(fmt(u.total, u.places)),
            None if u.total_max is None or u.complete else Decimal(fmt(u.total_max, u.places)),
            "是" if u.complete else "否", grade_label(u.grade), u.reported_total, u.reported_grade,
            None if u.difference is None else Decimal(fmt(u.difference, u.places)),
            *(_n(n) for n in u.findings), "是" if u.overstated else ""]


def _units(report: Report) -> list[list[Value]]:
    return [list(UNIT_COLUMNS), *(_unit_row(u, report.name(u.file)) for u in report.units)]


def _indicators(report: Report) -> list[list[Value]]:
    rows: list[list[Value]] = [list(INDICATOR_COLUMNS)]
    for ind in report.indicators:
        rows.append([ind.level1, ind.level2, ind.name, ind.weight, _n(ind.scored), _n(ind.docked),
                     None if ind.mean_share is None else Percent(quantize(ind.mean_share, 4)),
                     _n(ind.unscored), _n(ind.not_applicable), codes_text(ind) or None])
    return rows


def _failed(report: Report) -> list[list[Value]]:
    rows: list[list[Value]] = [["文件", "错误"]]
    return rows + [[report.name(f.file), f.error] for f in report.failed]


def _mark(ws: Any, report: Report) -> None:
    """Units that grade themselves above the computed grade stand out: the row filled red."""
    from openpyxl.styles import PatternFill

    fill = PatternFill("solid", fgColor="FDE2DD")
    for r, u in enumerate(report.units, start=2):
        if u.overstated:
            for c in range(1, len(UNIT_COLUMNS) + 1):
                ws.cell(row=r, column=c).fill = fill


def _widths(ws: Any, widths: list[int]) -> None:
    from openpyxl.utils import get_column_letter

    for i, w in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(i)].width = w
