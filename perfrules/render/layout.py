"""One layout of a result, drawn by every renderer (terminal.py, markdown.py, csv.py, xlsx.py).

The lines of a result (indicators, category subtotals, the total with its incomplete text,
the grade, the findings) are decided here once; a renderer only draws them. `Sheet` is the
scored 自评表 as rows of cells (the input's own table with two more columns, 计算得分 and
计分说明, one 小计 row per category, the 总分 row, and the findings sheet) that csv.py and
xlsx.py write; the table reader reads it back as the same input (perfrules.sources).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from ..decimals import HUNDRED, fmt
from ..kinds import KINDS
from ..model import Scheme
from ..record import Record, Row, category_key
from ..result import Finding, IndicatorScore, Result
from ..sources import headers as H


# ---------------------------------------------------------------- the lines of a result

def scheme_title(scheme: Scheme) -> str:
    """郑州市…评分方案（henan/zhengzhou-project-2021）"""
    return f"{scheme.name}（{scheme.id}）"


def result_title(result: Result, scheme: Scheme) -> str:
    """郑州市职业病防治院 · 郑州市…评分方案（henan/zhengzhou-project-2021）"""
    own = scheme_title(scheme)
    return f"{result.unit} · {own}" if result.unit else own


def score_text(score: Decimal | None, places: int | None) -> str:
    """An indicator's score as printed: at the scheme's places, or as computed; — when unscored."""
    if score is None:
        return "—"
    return fmt(score, places) if places is not None else fmt(score)


def incomplete(result: Result) -> str | None:
    """`不完整：最多 97.00` when some indicator could not be scored: the most the total could be."""
    if result.complete or result.total_max is None:
        return None
    return f"不完整：最多 {fmt(result.total_max, result.places)}"


def total_text(result: Result) -> str:
    """The total as printed beside 总分, with the incomplete text in brackets after it."""
    total = fmt(result.total, result.places)
    more = incomplete(result)
    return total + (f"（{more}）" if more else "")


NO_GRADE = "无法确定"  # where the scored indicators leave the grade open


def grade_text(result: Result) -> str:
    return result.grade or NO_GRADE


def not_in_total(in_total: bool) -> str:
    """The note a category that does not count gets (a 加分项, an 扣分项 shown apart)."""
    return "" if in_total else "（不计入总分）"


FINDINGS = "发现 findings"


def findings_heading(result: Result) -> str:
    return f"{FINDINGS} ({len(result.findings)})"


def where(finding: Finding) -> str:
    """`[预算执行率] ` before a finding's message when it names an indicator, funds, a total …"""
    return f"[{finding.indicator}] " if finding.indicator else ""


# ---------------------------------------------------------------- the scored table as rows of cells

@dataclass(frozen=True)
class Percent:
    """A share written as a percentage: a %-formatted number in Excel, `70%` in text."""

    share: Decimal

    def __str__(self) -> str:
        return fmt(self.share * HUNDRED) + "%"


Value = str | Decimal | Percent | None  # a cell of the scored table


def cell_text(v: Value) -> str:
    """A cell as plain text: a Decimal without exponent, a Percent as `70%`, nothing as ''."""
    if v is None:
        return ""
    if isinstance(v, Decimal):
        return f"{v:f}"
    return str(v)

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


class Sheet:
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
        out: list[list[Value]] = [[f"{scheme_title(scheme)}评分结果"]]
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
        method = KINDS.get(ind.method)
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
        more = incomplete(result)
        line[self.index["explanation"]] = (f"{more}；" if more else "") + f"计算等级 {grade_text(result)}"
        return line

    def findings(self) -> list[list[Value]]:
        out: list[list[Value]] = [["严重程度", "代码", "指标", "说明"]]
        for f in self.result.findings:
            out.append([f.severity, f.code, f.indicator, f.message])
        if not self.result.findings:
            out.append(["无", None, None, "没有发现问题"])
        return out
