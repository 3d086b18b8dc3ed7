"""The batch report (perfrules.report.Report) as one self-contained HTML page: what was read,
the distribution of totals with the grade bands, the count per grade, one sortable row per
unit (those that grade themselves above the computed grade stand out), one per indicator,
and the files that could not be read."""

from __future__ import annotations

from decimal import Decimal

from ..decimals import HUNDRED, fmt
from ..report import IndicatorSummary, Report, Unit
from . import charts
from .html import NO_CHARTS, cell, esc, figure, header, number, page, row_key
from .layout import NO_GRADE

OVERSTATED = "自评等级高于计算等级"


def title(report: Report) -> str:
    return f"绩效自评批量报告 · {report.scheme_name}（{report.scheme_id}）"


def read_text(report: Report) -> str:
    """What the report read, in one sentence (also the xlsx report's first line)."""
    scored = len(report.units)
    said = f"读取 {report.read} 个文件：{scored} 个已计分并核对"
    if report.incomplete:
        said += f"（其中 {report.incomplete} 个有指标未能计分）"
    said += f"，{len(report.failed)} 个无法读取。"
    said += f"{report.overstated} 个单位{OVERSTATED}；{report.with_errors} 个单位有 error 级发现。"
    if report.folder is not None:
        said += f"文件夹：{report.folder}"
    return said


def grade_label(grade: str | None) -> str:
    return grade if grade is not None else NO_GRADE


def to_html(report: Report) -> str:
    parts = [f"<h1>{esc(title(report))}</h1>", f'<p class="summary" data-field="read">{esc(read_text(report))}</p>']
    parts.append("<h2>总分分布与等级</h2>")
    parts.append(_distribution(report))
    parts.append("<h2>各单位</h2>")
    parts.append('<p class="note">差额 = 自评总分 − 计算总分；点击表头排序。标红的行：' + esc(OVERSTATED) + "。</p>")
    parts.append(_units(report))
    parts.append("<h2>各指标</h2>")
    parts.append('<p class="note">扣分：计分且得分低于分值的单位数；平均得分率：得分 ÷ 分值的平均（计分的单位）。</p>')
    parts.append(_indicators(report))
    parts.append("<h2>无法读取的文件</h2>")
    parts.append(_failed(report))
    return page(title(report), "\n".join(parts))


def _distribution(report: Report) -> str:
    complete = len(report.units) - report.incomplete
    caption = f"完整计分的 {complete} 个单位的总分分布，底色为等级区间"
    hist = charts.histogram([(b.low, b.high, b.count) for b in report.bins],
                            [(b.grade, b.low, b.high) for b in report.bands], caption)
    grades = charts.bars([grade_label(g) for g, _ in report.grades], [n for _, n in report.grades], "各等级单位数")
    out = []
    if hist is None and grades is None and report.units:
        out.append(f'<p class="note">{esc(NO_CHARTS)}</p>')
    else:
        out.append(f'<div class="charts">{figure(hist, caption)}{figure(grades, "各等级单位数")}</div>')
    if report.incomplete:
        out.append(f'<p class="note">{report.incomplete} 个单位有指标未能计分，总分不完整，未画入分布图。</p>')
    rows = "".join(f'<tr data-grade="{esc(grade_label(g))}">{cell(grade_label(g))}'
                   f'{cell(band_text(report, g))}{number(n, field="count")}</tr>' for g, n in report.grades)
    out.append(f'<table class="grades">{header(["等级", "区间", "单位数"])}<tbody>{rows}</tbody></table>')
    bins = "".join(f'<tr>{cell(_span(report, i))}{number(b.count, field="count")}</tr>' for i, b in enumerate(report.bins))
    if bins:
        out.append(f'<details><summary>分布的数字</summary><table class="bins">{header(["总分", "单位数"])}'
                   f"<tbody>{bins}</tbody></table></details>")
    return "".join(out)


NO_BAND = "有指标未能计分，等级未定"


def band_text(report: Report, grade: str | None) -> str:
    return report.band_text(grade) or NO_BAND


def _span(report: Report, i: int) -> str:
    b = report.bins[i]
    last = i == len(report.bins) - 1
    return f"[{fmt(b.low)}, {fmt(b.high)}{']' if last else ')'}"


def _units(report: Report) -> str:
    columns = ["文件", "单位", "计算总分", "计算等级", "自评总分", "自评等级", "差额", "error", "warning", "info", "标记"]
    rows = "".join(_unit_row(u, report.name(u.file)) for u in report.units)
    if not rows:
        return '<p class="note">没有可计分的文件。</p>'
    return f'<table class="sortable units">{header(columns, sortable=True)}<tbody>{rows}</tbody></table>'


def _unit_row(u: Unit, name: str) -> str:
    total = fmt(u.total, u.places)
    if not u.complete:
        most = fmt(u.total_max, u.places) if u.total_max is not None else "?"
        total_cell = number(u.total, f"{total}–{most}", "total")
    else:
        total_cell = number(u.total, total, "total")
    difference = None if u.difference is None else fmt(u.difference, u.places)
    flag = f'<td class="flag" data-field="flag">▲ {esc(OVERSTATED)}</td>' if u.overstated else cell("", "flag")
    errors, warnings, infos = u.findings
    marked = ' class="overstated"' if u.overstated else ""
    return (f'<tr data-file="{esc(u.file)}"{marked}>'
            f'{cell(name, "file")}{cell(u.unit or "", "unit")}{total_cell}{cell(grade_label(u.grade), "grade")}'
            f'{number(u.reported_total, None if u.reported_total is None else f"{u.reported_total:f}", "reported_total")}'
            f'{cell(u.reported_grade or "—", "reported_grade")}'
            f'{number(u.difference, difference, "difference")}'
            f'{number(errors, field="errors")}{number(warnings, field="warnings")}{number(infos, field="infos")}{flag}</tr>')


def share_text(share: Decimal | None) -> str:
    """A mean share as a percentage at 2 places, as a column of them lines up: 79.80%."""
    return "—" if share is None else fmt(share * HUNDRED, 2) + "%"


SHARED = "（同名指标：发现按名称合计）"


def codes_text(ind: IndicatorSummary) -> str:
    """`missed_full_marks ×140、score_differs ×139`; a name two indicators share says its findings are counted on both."""
    return "、".join(f"{code} ×{n}" for code, n in ind.codes) + (SHARED if ind.shared and ind.codes else "")


def _indicators(report: Report) -> str:
    columns = ["一级指标", "二级指标", "指标", "分值", "计分单位", "扣分单位", "平均得分率", "未能计分", "不适用", "最常见的发现"]
    rows = []
    for ind in report.indicators:
        rows.append(f'<tr data-indicator="{esc(row_key(ind.level1, ind.level2, ind.name))}">{cell(ind.level1)}'
                    f'{cell(ind.level2 or "")}{cell(ind.name)}'
                    f'{number(ind.weight, None if ind.weight is None else fmt(ind.weight), "weight")}'
                    f'{number(ind.scored, field="scored")}{number(ind.docked, field="docked")}'
                    f'{number(ind.mean_share, share_text(ind.mean_share), "mean_share")}'
                    f'{number(ind.unscored, field="unscored")}{number(ind.not_applicable, field="not_applicable")}'
                    f'{cell(codes_text(ind), "codes")}</tr>')
    if not rows:
        return '<p class="note">没有可计分的文件。</p>'
    return f'<table class="sortable indicators">{header(columns, sortable=True)}<tbody>{"".join(rows)}</tbody></table>'


def _failed(report: Report) -> str:
    if not report.failed:
        return '<p class="note">每个文件都已读取。</p>'
    rows = "".join(f'<tr data-file="{esc(f.file)}">{cell(report.name(f.file), "file")}{cell(f.error, "error")}</tr>'
                   for f in report.failed)
    return f'<table class="failed">{header(["文件", "错误"])}<tbody>{rows}</tbody></table>'
