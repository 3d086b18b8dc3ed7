"""Write a scored input as .xlsx, .csv, .json or Markdown.

The spreadsheet is the input's own 自评表 with two more columns, 计算得分 and 计分说明: the
funds block, the header, the unit's rows as it wrote them, one 小计 row per category, the
总分 row (the unit's total and 等级 beside the computed ones) and, on a second sheet, the
findings. The table reader reads it back as the same input: the computed columns and
whatever follows the 总分 row are not read.
"""

from __future__ import annotations

import csv
import html
import io
import os
import re
import secrets
import stat
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any, Sequence

from ..decimals import HUNDRED, fmt
from ..errors import PerfrulesError, Problem
from ..methods import METHODS
from ..model import Scheme
from ..record import Record, Row, category_key
from ..result import IndicatorScore, Result
from ..sources import headers as H
from ..sources.sheet import CSV_QUOTED, PLAIN_NUMBER
from . import to_json

FORMATS = {".xlsx": "xlsx", ".csv": "csv", ".json": "json", ".md": "markdown", ".markdown": "markdown"}


@dataclass(frozen=True)
class Percent:
    """A share written as a percentage: a %-formatted number in Excel, `70%` in text."""

    share: Decimal

    def __str__(self) -> str:
        return fmt(self.share * HUNDRED) + "%"


Value = str | Decimal | Percent | None


def output_format(path: str | Path) -> str:
    """The format an output file's extension names; anything else is an error naming the file."""
    fmt_ = FORMATS.get(Path(path).suffix.lower())
    if fmt_ is None:
        raise PerfrulesError([Problem(f"cannot tell the output format from the extension '{Path(path).suffix}': "
                                      f"use {', '.join(FORMATS)}", file=str(path))])
    return fmt_


# ---------------------------------------------------------------- the scored table as rows of cells

_OPTIONAL = (
    ("elements", "具备要素"), ("level", "达成程度"), ("fraction", "得分比例"), ("occurrences", "发生次数"),
    ("passed", "是否达标"), ("applicable", "是否适用"), ("deduction", "扣分"), ("direction", "指标方向"),
    ("review_actual", "复核业绩值"), ("review_elements", "复核要素"), ("review_level", "复核达成程度"),
    ("review_fraction", "复核得分比例"),
)
_DIRECTION = {"higher": "正向", "lower": "反向", "equal": "等于"}


def _term(word: str, key: str, default: str) -> str:
    """The scheme's own column word (权重, 评分结果 …) when the reader knows it, else the standard one."""
    return word if H.COLUMNS.get(H.label(word)) == key else default


def _elements(numbers: frozenset[int] | None) -> str | None:
    if numbers is None:
        return None
    return "、".join(str(n) for n in sorted(numbers)) or "无"


def _yes(flag: bool | None) -> str | None:
    return None if flag is None else ("是" if flag else "否")


def _cell(row: Row, key: str) -> Value:
    if key in ("elements", "review_elements"):
        return _elements(getattr(row, key))
    if key in ("fraction", "review_fraction"):
        share = getattr(row, key)
        return None if share is None else Percent(share)
    if key == "passed":
        return _yes(row.passed)
    if key == "applicable":
        return _yes(row.applicable)
    if key == "direction":
        return _DIRECTION.get(row.direction or "")
    if key == "review_actual":
        return row.review_actual.text if row.review_actual else None
    value = getattr(row, key)
    return value if isinstance(value, (str, Decimal)) or value is None else str(value)


def _present(row: Row, key: str) -> bool:
    if key == "applicable":
        return not row.applicable
    return getattr(row, key) is not None


class Layout:
    """The cells of the scored 自评表 and of the findings sheet."""

    def __init__(self, result: Result, record: Record, scheme: Scheme):
        self.result, self.record, self.scheme = result, record, scheme
        t = scheme.terms
        self.columns: list[tuple[str, str]] = [
            ("level1", "一级指标"), ("level2", "二级指标"), ("name", "三级指标"),
            ("target", _term(t.target, "target", "年度指标值")), ("actual", _term(t.actual, "actual", "实际完成值")),
            ("weight", _term(t.weight, "weight", "分值")), ("reported_score", _term(t.score, "reported_score", "得分")),
            ("deviation_reason", "偏差原因分析及改进措施"),
        ]
        self.columns += [(k, title) for k, title in _OPTIONAL if any(_present(r, k) for r in record.rows)]
        if any(c.source for r in record.rows for c in (r.actual, *r.alternatives)):
            self.columns.append(("actual_source", "完成值来源"))
        if any(len(r.alternatives) > 1 for r in record.rows):
            self.columns += [("more_actuals", "其他完成值"), ("more_sources", "其他完成值来源")]
        self.columns += [("computed", H.COMPUTED_SCORE), ("explanation", H.COMPUTED_EXPLANATION)]
        self.index = {k: i for i, (k, _) in enumerate(self.columns)}
        self.header_row = -1  # set by rows(): where the indicator header is

    def blank(self) -> list[Value]:
        return [None] * len(self.columns)

    def _score(self, score: Decimal | None, places: int | None) -> Value:
        if score is None:
            return "未计分"
        return Decimal(fmt(score, places)) if places is not None else score

    def rows(self) -> list[list[Value]]:
        result, record, scheme = self.result, self.record, self.scheme
        out: list[list[Value]] = [[f"{scheme.name}（{scheme.id}）评分结果"]]
        if record.unit:
            out.append(["单位名称", record.unit])
        if record.year is not None:
            out.append(["年度", str(record.year)])
        out.extend(self._funds())
        out.append([])
        self.header_row = len(out)
        out.append([title for _, title in self.columns])
        by_row = {ind.row: ind for ind in result.indicators if ind.row is not None}
        for row in record.rows:
            out.append(self._row(row, by_row.get(row.index)))
        out.extend(self._subtotals())
        out.append(self._total())
        unlisted = [ind for ind in result.indicators if ind.row is None and not self._funds_indicator(ind)]
        if unlisted or result.notes:
            out.append([])
        if unlisted:
            out.append(["方案中有、表中没有填写的指标："])
            for ind in unlisted:
                line = self.blank()
                line[self.index["level1"]] = ind.level1
                line[self.index["name"]] = ind.name
                line[self.index["weight"]] = ind.weight
                line[self.index["computed"]] = self._score(ind.score, result.indicator_places)
                line[self.index["explanation"]] = ind.explanation
                out.append(line)
        for note in result.notes:
            out.append([note])
        return out

    def _funds_indicator(self, ind: IndicatorScore) -> bool:
        method = METHODS.get(ind.method)
        return self.record.funds is not None and method is not None and method.reads_funds

    def _funds(self) -> list[list[Value]]:
        f = self.record.funds
        if f is None:
            return []
        cells: list[tuple[str, Value]] = []
        if f.initial_budget is not None:
            cells.append(("年初预算数", f.initial_budget))
        if f.adjusted_budget is not None:
            cells.append(("调整后预算数", f.adjusted_budget))
        cells += [("全年预算数", f.budget), ("全年执行数", f.executed),
                  ("执行率", None if f.reported_rate is None else Percent(f.reported_rate)),
                  ("得分", f.reported_score)]
        scored = [ind for ind in self.result.indicators if ind.row is None and self._funds_indicator(ind)]
        if scored:
            cells.append((H.COMPUTED_SCORE, self._score(scored[0].score, self.result.indicator_places)))
            cells.append((H.COMPUTED_EXPLANATION, "；".join(f"{i.name}：{i.explanation}" for i in scored)))
        return [["资金情况", *(label for label, _ in cells)], ["合计", *(value for _, value in cells)]]

    def _row(self, row: Row, ind: IndicatorScore | None) -> list[Value]:
        line = self.blank()
        for key, _ in self.columns:
            if key in ("computed", "explanation"):
                continue
            if key == "level1":
                line[0] = row.level1 or (ind.level1 if ind else None)
            elif key == "level2":
                line[1] = row.level2 or (ind.level2 if ind else None)
            elif key in ("target", "actual"):
                line[self.index[key]] = getattr(row, key).text
            elif key == "actual_source":
                line[self.index[key]] = row.actual.source
            elif key in ("more_actuals", "more_sources"):
                more = row.alternatives[1:]
                if more:
                    line[self.index[key]] = "\n".join((c.text if key == "more_actuals" else c.source) or "" for c in more)
            else:
                line[self.index[key]] = _cell(row, key)
        if ind is not None:
            line[self.index["computed"]] = self._score(ind.score, self.result.indicator_places)
            line[self.index["explanation"]] = ind.explanation
        else:
            why = [f.message for f in self.result.findings if f.indicator == row.name and f.severity == "error"]
            line[self.index["computed"]] = "未计分"
            line[self.index["explanation"]] = "；".join(why) or "未计分"
        return line

    def _subtotals(self) -> list[list[Value]]:
        reported = self.record.reported_categories
        categories = {c.name: c for c in self.scheme.categories}
        out = []
        for cat in self.result.categories:
            line = self.blank()
            line[self.index["level1"]] = cat.name
            line[self.index["name"]] = "小计"
            line[self.index["weight"]] = cat.weight
            spec = categories.get(cat.name)
            names = (cat.name, *(spec.aliases if spec else ()))
            line[self.index["reported_score"]] = next(
                (reported[category_key(n)] for n in names if category_key(n) in reported), None)
            line[self.index["computed"]] = Decimal(fmt(cat.score, self.result.places))
            line[self.index["explanation"]] = (f"各指标{self.scheme.terms.weight}合计{fmt(cat.indicator_weights)}"
                                              + ("" if cat.in_total else "；不计入总分"))
            out.append(line)
        return out

    def _total(self) -> list[Value]:
        result, record = self.result, self.record
        line = self.blank()
        line[0] = "总分"
        line[self.index["weight"]] = self.scheme.total
        line[self.index["reported_score"]] = record.reported_total
        if record.reported_grade:
            line[self.index["deviation_reason"]] = f"等级：{record.reported_grade}"
        line[self.index["computed"]] = Decimal(fmt(result.total, result.places))
        explanation = f"计算等级 {result.grade or '无法确定'}"
        if not result.complete and result.total_max is not None:
            explanation = f"不完整：最多 {fmt(result.total_max, result.places)}；" + explanation
        line[self.index["explanation"]] = explanation
        return line

    def findings(self) -> list[list[Value]]:
        out: list[list[Value]] = [["严重程度", "代码", "指标", "说明"]]
        for f in self.result.findings:
            out.append([f.severity, f.code, f.indicator, f.message])
        if not self.result.findings:
            out.append(["无", None, None, "没有发现问题"])
        return out


# ---------------------------------------------------------------- formats

def _text(v: Value) -> str:
    if v is None:
        return ""
    if isinstance(v, Decimal):
        return f"{v:f}"
    return str(v)


def csv_cell(v: Value) -> str:
    """A cell as CSV text that no spreadsheet runs as a formula (the OWASP rule for CSV injection).

    Text that starts with = + - @ a tab or a carriage return gets a leading `'`; so does text
    that starts with `'` itself, so that the table reader can take exactly one quote off
    again without mistaking a unit's own apostrophe. A number (-5, +3.5%) cannot run and
    is written as it is.
    """
    text = _text(v)
    if isinstance(v, str) and text.startswith(CSV_QUOTED) and not PLAIN_NUMBER.fullmatch(text):
        return "'" + text
    return text


def csv_text(rows: Sequence[Sequence[Value]]) -> str:
    """Rows of cells as CSV text, every text cell neutralised by `csv_cell`."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerows([csv_cell(v) for v in row] for row in rows)
    return buf.getvalue()


def to_csv(layout: Layout) -> str:
    return csv_text([*layout.rows(), [], ["发现 findings"], *layout.findings()])


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")  # what openpyxl refuses (ILLEGAL_CHARACTERS_RE)


def _put(ws: Any, r: int, c: int, v: Value) -> Any:
    cell = ws.cell(row=r, column=c)
    if isinstance(v, Percent):
        pct = (v.share * HUNDRED).normalize()
        places = max(0, -pct.as_tuple().exponent)  # type: ignore[operator]
        cell.value = v.share
        cell.number_format = "0" + ("." + "0" * places if places else "") + "%"
    elif isinstance(v, Decimal):
        cell.value = v
        places = max(0, -v.as_tuple().exponent)  # type: ignore[operator]
        if places:
            cell.number_format = "0." + "0" * places  # 100.00 stays 100.00 when read back
    elif isinstance(v, str):
        # a workbook cannot hold control characters (\x00, \x07 pasted from Word): each shows as �
        cell.value = _CONTROL.sub("\ufffd", v)
        # text stays text: openpyxl would store '=HYPERLINK(…)' or DDE '=cmd|…' as a live formula
        cell.data_type = "s"
        cell.quotePrefix = v.startswith(CSV_QUOTED)  # and Excel keeps it text when the cell is edited
    else:
        cell.value = v
    return cell


def save_xlsx(sheets: Sequence[tuple[str, list[list[Value]], int | None]], path: str | Path,
              widths: dict[int, int] | None = None) -> None:
    """Write sheets of cell rows; the row index given with a sheet is its header (bold, frozen below)."""
    import openpyxl
    from openpyxl.styles import Alignment, Font

    book = openpyxl.Workbook()
    book.remove(book.active)
    for title, rows, header in sheets:
        ws = book.create_sheet(title)
        for r, row in enumerate(rows, start=1):
            for c, v in enumerate(row, start=1):
                if v is not None:
                    cell = _put(ws, r, c, v)
                    cell.alignment = Alignment(wrap_text=True, vertical="top")
        if header is not None:
            for cell in ws[header + 1]:
                cell.font = Font(bold=True)
            ws.freeze_panes = ws.cell(row=header + 2, column=1)
        for c, w in (widths or {}).items():
            ws.column_dimensions[openpyxl.utils.get_column_letter(c + 1)].width = w
    data = io.BytesIO()
    book.save(data)
    write_atomically(path, data.getvalue())


def to_xlsx(layout: Layout, path: str | Path) -> None:
    rows = layout.rows()
    widths = {i: 14 for i in range(len(layout.columns))}
    widths.update({layout.index["name"]: 30, layout.index["target"]: 20, layout.index["actual"]: 20,
                   layout.index["deviation_reason"]: 24, layout.index["explanation"]: 60})
    save_xlsx([("自评表", rows, layout.header_row), ("发现", layout.findings(), 0)], path, widths)


def md_cell(v: object) -> str:
    """Text for one line of Markdown (a table cell, a heading): HTML is shown, not run
    (`<script>` becomes `&lt;script&gt;`), `|` cannot end a cell, a line break cannot end the line."""
    text = _text(v if isinstance(v, (str, Decimal, Percent)) or v is None else str(v))
    text = html.escape(text, quote=False).replace("|", "\\|")
    return text.replace("\r\n", "<br>").replace("\n", "<br>").replace("\r", "<br>")


def to_markdown(result: Result, scheme: Scheme) -> str:
    t = scheme.terms
    ip = result.indicator_places
    title = f"{scheme.name}（{scheme.id}）"
    lines = [f"# {md_cell(result.unit)} · {md_cell(title)}" if result.unit else f"# {md_cell(title)}", ""]
    lines.append(f"| 一级指标 | 二级指标 | 指标 | {t.weight} | {t.score} | 方法 | 计分说明 |")
    lines.append("|---|---|---|---:|---:|---|---|")
    for ind in result.indicators:
        score = "—" if ind.score is None else (fmt(ind.score, ip) if ip is not None else fmt(ind.score))
        lines.append("| " + " | ".join(md_cell(x) for x in (ind.level1, ind.level2 or "", ind.name, fmt(ind.weight), score,
                                                         ind.method, ind.explanation)) + " |")
    lines += ["", f"| 一级指标 | {t.weight} | {t.score} |", "|---|---:|---:|"]
    for cat in result.categories:
        note = "" if cat.in_total else "（不计入总分）"
        lines.append(f"| {md_cell(cat.name)}{note} | {fmt(cat.weight)} | {fmt(cat.score, result.places)} |")
    total = fmt(result.total, result.places)
    if not result.complete and result.total_max is not None:
        total += f"（不完整：最多 {fmt(result.total_max, result.places)}）"
    lines += ["", f"**总分 {total}，等级 {result.grade or '无法确定'}**", ""]
    lines += [note + "\n" for note in result.notes]
    if result.findings:
        lines += [f"## 发现 findings ({len(result.findings)})", ""]
        for f in result.findings:
            where = f"[{f.indicator}] " if f.indicator else ""
            lines.append(f"- {f.severity} `{f.code}` {md_cell(where + f.message)}")
        lines.append("")
    return "\n".join(lines)


def write_atomically(path: str | Path, data: bytes) -> None:
    """Write a whole file or nothing: a temporary file in the same folder, then `os.replace`.

    A kill or a full disk midway leaves the old file as it was (and at worst a stray
    `.NAME.*.tmp` beside it), never half a file. A new file gets the ordinary permissions
    (the umask applies); a replaced one keeps its own (a private 0600 report stays private).
    """
    target = Path(path)
    temporary = None
    try:
        for _ in range(100):
            candidate = target.with_name(f".{target.name}.{secrets.token_hex(4)}.tmp")
            try:
                fd = os.open(candidate, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o666)
            except FileExistsError:
                continue
            temporary = candidate
            break
        else:  # pragma: no cover - 100 random names taken
            raise FileExistsError(f"no free temporary name beside {target.name}")
        with os.fdopen(fd, "wb") as f:
            try:
                os.chmod(f.fileno(), stat.S_IMODE(os.stat(target).st_mode))
            except (FileNotFoundError, NotImplementedError):
                pass  # a new file (or no fchmod on this system): the umask's permissions
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(temporary, target)
        temporary = None
    except OSError as exc:
        raise PerfrulesError([Problem(f"cannot write: {exc.strerror or exc}", file=str(path))]) from None
    finally:
        if temporary is not None:
            temporary.unlink(missing_ok=True)


def write(result: Result, record: Record, scheme: Scheme, path: str | Path) -> None:
    """Write the scored input in the format its extension names (.xlsx, .csv, .json, .md)."""
    kind = output_format(path)
    if kind == "json":
        write_atomically(path, (to_json(result) + "\n").encode("utf-8"))
    elif kind == "markdown":
        write_atomically(path, to_markdown(result, scheme).encode("utf-8"))
    elif kind == "csv":
        # the BOM: Excel reads it as UTF-8
        write_atomically(path, to_csv(Layout(result, record, scheme)).encode("utf-8-sig"))
    else:
        to_xlsx(Layout(result, record, scheme), path)

