"""HTML pages: one self-contained file each (no CDN, no external font or script), and the
single-unit page (`perfrules score RULESET INPUT -o unit.html`).

Every text from an input or a ruleset is escaped (`esc`); the one script (sorting a table)
is ours, allowed by its hash in the page's Content-Security-Policy, which lets the page load
nothing from anywhere. Charts come from charts.py (perfrules[report]); without it the page
says so and the tables carry the same figures.
"""

from __future__ import annotations

import base64
import hashlib
import html
from decimal import Decimal

from .. import __version__
from ..model import Scheme
from ..record import Record
from ..result import Result
from . import charts
from .layout import findings_heading, grade_text, not_in_total, result_title, score_text, total_text, where

FONTS = ('"Noto Sans CJK SC", "Source Han Sans SC", "PingFang SC", "Hiragino Sans GB", "Microsoft YaHei", '
         '"WenQuanYi Micro Hei", "SimHei", sans-serif')

CSS = """
body { font-family: %s; margin: 1.5rem auto; max-width: 75rem; padding: 0 1rem; color: #222; line-height: 1.5; }
h1 { font-size: 1.5rem; margin-bottom: .25rem; } h2 { font-size: 1.2rem; margin-top: 2rem; border-bottom: 1px solid #ccc; }
table { border-collapse: collapse; width: 100%%; margin: .5rem 0 1rem; font-size: .9rem; }
th, td { border: 1px solid #ccc; padding: .25rem .4rem; text-align: left; vertical-align: top; }
th { background: #eef2f7; white-space: nowrap; } td.n { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
th button { all: inherit; cursor: pointer; border: 0; padding: 0; }
th[aria-sort=ascending] button::after { content: " ▲"; } th[aria-sort=descending] button::after { content: " ▼"; }
tr.overstated td { background: #fde2dd; } .flag { color: #b3261e; font-weight: bold; }
.summary { font-size: 1.05rem; } .note { color: #555; font-size: .9rem; } .charts { display: flex; flex-wrap: wrap; gap: 1rem; }
.charts svg { max-width: 100%%; height: auto; } .error { color: #b3261e; } .warning { color: #8a5a00; }
footer { margin-top: 2rem; color: #777; font-size: .8rem; }
@media print {
  body { margin: 0; max-width: none; font-size: 10pt; }
  th button::after { content: none !important; }
  tr, .charts svg { page-break-inside: avoid; } h2 { page-break-after: avoid; }
  tr.overstated td { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
}
""" % FONTS

# sorts a table.sortable by the clicked column: a cell's data-sort (a number) or its text
SORT = """
document.querySelectorAll("table.sortable th button").forEach(function (button) {
  button.addEventListener("click", function () {
    var th = button.parentNode, table = th.closest("table"), body = table.tBodies[0], col = th.cellIndex;
    var down = th.getAttribute("aria-sort") === "ascending";
    function key(row) {
      var cell = row.cells[col], v = cell ? cell.getAttribute("data-sort") : null;
      return v !== null && v !== "" && !isNaN(v) ? [0, parseFloat(v)] : [1, cell ? cell.textContent : ""];
    }
    var rows = Array.prototype.slice.call(body.rows);
    rows.sort(function (a, b) {
      var x = key(a), y = key(b);
      if (x[0] !== y[0]) { return x[0] - y[0]; }
      var c = x[1] < y[1] ? -1 : x[1] > y[1] ? 1 : 0;
      return down ? -c : c;
    });
    table.querySelectorAll("th").forEach(function (t) { t.removeAttribute("aria-sort"); });
    th.setAttribute("aria-sort", down ? "descending" : "ascending");
    rows.forEach(function (r) { body.appendChild(r); });
  });
});
"""

_SORT_HASH = base64.b64encode(hashlib.sha256(SORT.encode("utf-8")).digest()).decode("ascii")
# nothing loads from anywhere: no CDN, no font, no image, no script but the one above
POLICY = f"default-src 'none'; style-src 'unsafe-inline'; script-src 'sha256-{_SORT_HASH}'; img-src data:"

NO_CHARTS = "图表需要安装 perfrules[report]（pip install 'perfrules[report]'）；下表的数字与图表相同。"


def esc(text: object) -> str:
    """Any text from an input or a ruleset, as HTML text or an attribute value: shown, never run."""
    return html.escape(str(text), quote=True)


def number(value: Decimal | int | None, text: str | None = None, field: str | None = None) -> str:
    """A number cell: right-aligned, sortable by its value (data-sort), named for tests by data-field."""
    if value is None:
        return f'<td class="n"{_field(field)}>{esc(text or "—")}</td>'
    shown = text if text is not None else (f"{value:f}" if isinstance(value, Decimal) else str(value))
    return f'<td class="n" data-sort="{esc(f"{value:f}" if isinstance(value, Decimal) else value)}"{_field(field)}>{esc(shown)}</td>'


def row_key(*parts: str | None) -> str:
    """A table row's name for tests and tools (data-indicator): 产出指标／时效指标／设备采购."""
    return "／".join(p for p in parts if p)


def cell(text: object, field: str | None = None) -> str:
    return f"<td{_field(field)}>{esc('' if text is None else text)}</td>"


def _field(field: str | None) -> str:
    return f' data-field="{esc(field)}"' if field else ""


def header(columns: list[str], sortable: bool = False) -> str:
    if sortable:
        return "<thead><tr>" + "".join(f'<th scope="col"><button type="button">{esc(c)}</button></th>' for c in columns) + "</tr></thead>"
    return "<thead><tr>" + "".join(f'<th scope="col">{esc(c)}</th>' for c in columns) + "</tr></thead>"


def figure(svg: str | None, caption: str) -> str:
    """A chart as inline SVG in a <figure>, or nothing (the page's note says why)."""
    if svg is None:
        return ""
    return f'<figure role="img" aria-label="{esc(caption)}">{svg}<figcaption class="note">{esc(caption)}</figcaption></figure>'


def page(title: str, body: str) -> str:
    """A whole self-contained HTML document."""
    return f"""<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="{esc(POLICY)}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="perfrules {esc(__version__)}">
<title>{esc(title)}</title>
<style>{CSS}</style>
</head>
<body>
{body}
<footer>perfrules {esc(__version__)}</footer>
<script>{SORT}</script>
</body>
</html>
"""


# ---------------------------------------------------------------- one unit


def to_html(result: Result, record: Record, scheme: Scheme) -> str:
    """The scored input as a page: total and grade, the categories against their points as a chart
    and a table, every indicator with its explanation, the findings."""
    title = result_title(result, scheme)
    parts = [f"<h1>{esc(title)}</h1>",
             f'<p class="summary">总分 <strong data-field="total">{esc(total_text(result))}</strong>'
             f'　等级 <strong data-field="grade">{esc(grade_text(result))}</strong>{_reported(record)}</p>']
    parts.append("<h2>各类得分</h2>")
    rows = [(c.name + not_in_total(c.in_total), c.score, c.weight) for c in result.categories]
    svg = charts.against_points(rows, result.places, "各类得分与分值")
    parts.append(f'<div class="charts">{figure(svg, "各类得分与分值")}</div>' if svg else f'<p class="note">{esc(NO_CHARTS)}</p>')
    body = "".join(f'<tr data-category="{esc(c.name)}">{cell(c.name + not_in_total(c.in_total))}'
                   f'{number(c.weight, field="weight")}{number(c.score, score_text(c.score, result.places), "score")}</tr>'
                   for c in result.categories)
    parts.append(f'<table>{header(["一级指标", "分值", "得分"])}<tbody>{body}</tbody></table>')
    parts.append("<h2>各指标得分与计分说明</h2>")
    parts.append(_indicators(result, record))
    parts.append(f"<h2>{esc(findings_heading(result))}</h2>")
    parts.append(_findings(result))
    if result.notes:
        parts.append("".join(f'<p class="note">{esc(n)}</p>' for n in result.notes))
    return page(title, "\n".join(parts))


def _reported(record: Record) -> str:
    said = []
    if record.reported_total is not None:
        said.append(f'自评总分 <span data-field="reported_total">{esc(f"{record.reported_total:f}")}</span>')
    if record.reported_grade is not None:
        said.append(f'自评等级 <span data-field="reported_grade">{esc(record.reported_grade)}</span>')
    return ("　（" + "，".join(said) + "）") if said else ""


def _indicators(result: Result, record: Record) -> str:
    rows = []
    for ind in result.indicators:
        reported = record.rows[ind.row].reported_score if ind.row is not None and ind.row < len(record.rows) else None
        rows.append(f'<tr data-indicator="{esc(row_key(ind.level1, ind.level2, ind.name))}">{cell(ind.level1)}'
                    f'{cell(ind.name)}{number(ind.weight, field="weight")}'
                    f'{cell(ind.target)}{cell(ind.actual)}'
                    f'{number(ind.score, score_text(ind.score, result.indicator_places), "score")}'
                    f'{number(reported, field="reported_score")}{cell(ind.explanation, "explanation")}</tr>')
    columns = ["一级指标", "指标", "分值", "目标", "实际", "得分", "自评得分", "计分说明"]
    return f'<table class="sortable">{header(columns, sortable=True)}<tbody>{"".join(rows)}</tbody></table>'


def _findings(result: Result) -> str:
    if not result.findings:
        return '<p class="note">没有发现问题</p>'
    items = "".join(f'<li class="{esc(f.severity)}" data-code="{esc(f.code)}">{esc(f.severity)}: {esc(f.code)}: '
                    f"{esc(where(f))}{esc(f.message)}</li>" for f in result.findings)
    return f"<ul>{items}</ul>"
