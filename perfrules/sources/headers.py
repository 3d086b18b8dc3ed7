"""The words a 自评表 uses for its columns and labels, what each maps to, and the header row.

One place for every header the table reader recognises: docs/tables.md lists the same.
A header is matched after `label()` has removed spaces, line breaks, a bracketed note
(`得分（分值×执行率）`, `项目预算金额(万元)`) and a trailing colon. `find_header` picks the
row (or two rows: 年度 / 指标值) that names the most of them.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from .grid import Grid

# indicator table: header -> input key (see schema/input.schema.json)
COLUMNS: dict[str, str] = {}


def _columns(key: str, *names: str) -> None:
    for name in names:
        COLUMNS[name] = key


_columns("level1", "一级指标", "一级指标名称")
_columns("level2", "二级指标", "二级指标名称")
_columns("name", "三级指标", "三级指标名称", "指标名称", "指标", "绩效指标名称", "评价指标", "考核指标")
_columns("target", "年度指标值", "指标值", "目标值", "年度目标值", "年度目标", "预期指标值", "预期目标值",
         "绩效目标值", "计划值")
_columns("actual", "实际完成值", "完成值", "业绩值", "全年完成值", "全年实际完成值", "年度完成值", "实际值",
         "实际完成")
_columns("weight", "分值", "权重", "权重分", "指标分值", "标准分值", "标准分", "满分")
_columns("reported_score", "得分", "评分", "评分结果", "自评得分", "自评分", "自评分值", "单位自评得分", "实际得分")
_columns("deviation_reason", "偏差原因分析及改进措施", "偏差原因分析和改进措施", "偏差原因分析", "偏差原因",
         "偏差原因及改进措施", "未完成原因和改进措施", "未完成原因及改进措施", "未完成原因分析", "未完成原因")
_columns("elements", "具备要素", "要素", "满足要素", "符合要素")
_columns("level", "达成程度", "达成情况", "完成程度", "定性评价", "评价档次")
_columns("fraction", "得分比例", "评分比例")
_columns("occurrences", "发生次数", "次数")
_columns("passed", "是否达标", "是否通过")
_columns("applicable", "是否适用")
_columns("deduction", "扣分", "扣减分值", "人工扣分")
_columns("direction", "指标方向", "方向")
_columns("review_actual", "复核业绩值", "复核完成值", "复核实际完成值", "复核值")
_columns("review_elements", "复核要素", "复核具备要素")
_columns("review_level", "复核达成程度", "复核达成情况", "复核定性评价")
_columns("review_fraction", "复核得分比例")
_columns("review_score", "复核得分", "复核评分")
_columns("note", "备注")
# several actuals a report gives (the input's `actual` list of {value, source}): written by
# `perfrules score -o` when an input has them, one value (and source) per line
_columns("actual_source", "完成值来源")
_columns("more_actuals", "其他完成值")
_columns("more_sources", "其他完成值来源")

# Recognised and deliberately not read: descriptive columns of the published forms, and
# the two columns `perfrules score -o` adds (its own scores are not an input).
# The 评分标准 column: not an input, but the rule text `perfrules draft` reads a ruleset from.
RULE = ("评分标准", "计分方法", "评分方法", "评分标准及方法", "评分办法", "计分标准", "评分细则", "评分规则", "计分规则")
IGNORED = frozenset({*RULE, "数据来源及支持材料", "数据来源", "佐证材料", "复核说明",
                     "绩效指标", "序号", "计算得分", "计分说明"})
COMPUTED_SCORE = "计算得分"
COMPUTED_EXPLANATION = "计分说明"

# the funds block (资金情况) above the indicator table: label -> funds key
FUNDS: dict[str, str] = {}


def _funds(key: str, *names: str) -> None:
    for name in names:
        FUNDS[name] = key


_funds("initial_budget", "年初预算数", "年初预算")
_funds("budget", "全年预算数", "全年预算", "预算数", "年度预算数", "项目预算金额", "预算金额", "预算安排",
       "预算安排数")
_funds("adjusted_budget", "调整后预算数", "调整预算数")
_funds("executed", "全年执行数", "全年执行", "执行数", "实际执行金额", "执行金额", "实际支出", "实际支出数")
_funds("reported_rate", "执行率", "预算执行率")
FUNDS_SCORE = frozenset({"得分"})  # the funds row's score, only beside one of the labels above

# labels of single facts, their value in the next cell to the right or after a colon
UNIT = ("部门名称", "单位名称", "预算单位名称", "预算单位", "单位", "部门")
PROJECT = ("项目名称", "专项名称")
YEAR = ("年度", "实施年份", "评价年度", "所属年度", "预算年度")
GRADE = ("等级", "评价等级", "自评等级", "绩效等级", "综合等级")
TOTAL = ("总分", "总计", "合计", "总得分", "综合得分", "自评总分")
SUBTOTAL = ("小计", "合计", "分类小计")

_BRACKETS = re.compile(r"[（(《【\[<＜][^）)》】\]>＞]*[）)》】\]>＞]")
_SPACE = re.compile(r"\s+")
_PLACEHOLDER = re.compile(r"^指标\s*[0-9一二三四五六七八九十]+$")


def label(text: object) -> str:
    """A header cell as matched: NFKC, no spaces or line breaks, no bracketed note, no colon."""
    if not isinstance(text, str):
        return ""
    return _label(text)


@lru_cache(maxsize=4096)  # the header search reads each cell up to four times, and a batch's forms repeat
def _label(text: str) -> str:
    s = unicodedata.normalize("NFKC", text)
    s = _SPACE.sub("", s)
    s = _BRACKETS.sub("", s)
    return s.rstrip(":：*")


def placeholder(text: str) -> bool:
    """'指标1', '指标 2': the numbered slots a blank form prints where an indicator goes."""
    return bool(_PLACEHOLDER.match(unicodedata.normalize("NFKC", text).strip()))


# ---------------------------------------------------------------- finding the header row

# a header row names the indicator and at least one of these
VALUE_KEYS = ("target", "actual", "weight", "reported_score", "elements", "review_actual")


@dataclass
class Header:
    """Where the indicator table's header is and which column holds which key."""

    first: int  # first header row
    last: int  # last header row (first + 1 for a header over two rows)
    columns: dict[str, list[int]]  # key -> columns (several: a header cell merged across them)
    computed: set[int]  # 计算得分 / 计分说明 columns written by `perfrules score -o`


def _labels(grid: Grid, r: int) -> list[str]:
    """Row r's cells as header labels (a merged cell shows its top-left value in every cell)."""
    return [label(grid.get(r, c)) for c in range(grid.width)]


def _header_at(grid: Grid, r: int, uppers: list[str], lowers: list[str] | None) -> Header | None:
    """The header at row r (with `lowers`, the labels of row r + 1: over two rows), if it is one."""
    columns: dict[str, list[int]] = {}
    origins: dict[str, tuple[int, int]] = {}
    computed: set[int] = set()
    for c in range(grid.width):
        upper = uppers[c]
        key = COLUMNS.get(upper)
        if lowers is not None:
            lower = lowers[c] if grid.origin(r + 1, c)[0] == r + 1 else ""
            if lower and upper + lower in COLUMNS:
                key = COLUMNS[upper + lower]
            elif key is None and lower:
                key = COLUMNS.get(lower)
            if lower in (COMPUTED_SCORE, COMPUTED_EXPLANATION):
                computed.add(c)
        if upper in (COMPUTED_SCORE, COMPUTED_EXPLANATION):
            computed.add(c)
        if key is None:
            continue
        origin = grid.origin(r, c)
        if key in columns and origins[key] != origin:
            continue  # a second column of the same name: the first one counts
        columns.setdefault(key, []).append(c)
        origins[key] = origin
    if "name" not in columns or not set(columns) & set(VALUE_KEYS):
        return None
    return Header(r, r + 1 if lowers is not None else r, columns, computed)


def find_header(grid: Grid) -> Header | None:
    """The header row with the most recognised columns; a two-row header only when it adds some."""
    best: Header | None = None
    below = _labels(grid, 0) if grid.height else []
    for r in range(grid.height):
        here, below = below, (_labels(grid, r + 1) if r + 1 < grid.height else [])  # each row labelled once
        for two in (False, True):
            if two and r + 1 >= grid.height:
                continue
            h = _header_at(grid, r, here, below if two else None)
            if h is None:
                continue
            # more columns wins; at a tie a one-row header, then the earlier row
            if best is None or (len(h.columns), h.first == h.last) > (len(best.columns), best.first == best.last):
                best = h
    return best
