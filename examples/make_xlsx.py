"""Lay out the seed inputs in examples/ as the published 自评表 spreadsheets.

    python examples/make_xlsx.py [--out DIR]

Each `<name>.xlsx` holds the figures of `<name>.yaml` in the layout of its seed's table:
the unit and funds block at the top, a header row (over two rows in the Hunan forms:
年度 / 指标值), 一级指标 and 二级指标 in merged cells, blank slots and spacer rows, a 总分 row
and the 等级. Weights a fixed catalogue prints (seed 001's 权重) and category points come
from the ruleset. tests/test_tables.py checks that each .xlsx scores exactly as its .yaml
and that this script reproduces the committed files (cell values and merged ranges).
"""

from __future__ import annotations

import argparse
import re
import sys
from decimal import Decimal
from pathlib import Path
from typing import Any, Callable

import openpyxl
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

import perfrules  # noqa: E402
from perfrules.errors import InputError  # noqa: E402
from perfrules.record import category_key  # noqa: E402
from perfrules.model import Scheme  # noqa: E402
from perfrules.values import key_of  # noqa: E402
from perfrules.sources.yaml_text import load as load_yaml  # noqa: E402

THIN = Side(style="thin")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)


class Sheet:
    """A worksheet written by row and column (1-based), each cell boxed and wrapped."""

    def __init__(self, ws: Any, widths: list[int]):
        self.ws = ws
        self.width = len(widths)
        for i, w in enumerate(widths, start=1):
            ws.column_dimensions[get_column_letter(i)].width = w

    def put(self, r: int, c: int, value: Any, to: tuple[int, int] | None = None, bold: bool = False,
            box: bool = True) -> None:
        cell = self.ws.cell(row=r, column=c)
        if isinstance(value, tuple):  # (number, number format)
            cell.value, cell.number_format = value
        else:
            cell.value = value
        cell.alignment = Alignment(wrap_text=True, vertical="center")
        if bold:
            cell.font = Font(bold=True)
        if to is not None and to != (r, c):
            self.ws.merge_cells(start_row=r, start_column=c, end_row=to[0], end_column=to[1])
        if box:
            for rr in range(r, (to or (r, c))[0] + 1):
                for cc in range(c, (to or (r, c))[1] + 1):
                    self.ws.cell(row=rr, column=cc).border = BOX

    def line(self, r: int, text: str, bold: bool = False) -> None:
        """A text across the whole width."""
        self.put(r, 1, text, to=(r, self.width), bold=bold)


def number(value: Any) -> Any:
    """A figure as a number cell with the format that shows it as the YAML writes it."""
    if value is None:
        return None
    if isinstance(value, str):
        text = value.strip()
        if text.endswith("%"):
            share = Decimal(text[:-1]) / 100
            places = max(0, -Decimal(text[:-1]).as_tuple().exponent)  # type: ignore[operator]
            return share, "0" + ("." + "0" * places if places else "") + "%"
        if re.fullmatch(r"[\d,]+(?:\.\d+)?", text):
            d = Decimal(text.replace(",", ""))
            places = max(0, -d.as_tuple().exponent)  # type: ignore[operator]
            return d, "#,##0" + ("." + "0" * places if places else "")
        return text
    d = Decimal(value)
    places = max(0, -d.as_tuple().exponent)  # type: ignore[operator]
    return d, ("0." + "0" * places) if places else "General"


def points(scheme: Scheme, level1: str) -> str:
    """'产出指标' -> '产出指标（50分）', the category's points from the ruleset."""
    for cat in scheme.categories:
        if category_key(level1) in {category_key(k) for k in (cat.name, *cat.aliases)}:
            return f"{level1}（{cat.points:f}分）"
    return level1


def funds_points(scheme: Scheme) -> Any:
    for cat in scheme.categories:
        for ind in cat.indicators:
            if not ind.needs_row:
                return number(ind.weight)
    return None


def runs(rows: list[dict[str, Any]], key: str) -> list[tuple[int, int]]:
    """(first, last) index of each run of rows with the same `key`."""
    out: list[tuple[int, int]] = []
    for i, row in enumerate(rows):
        if out and rows[out[-1][0]].get(key) == row.get(key):
            out[-1] = (out[-1][0], i)
        else:
            out.append((i, i))
    return out


# ---------------------------------------------------------------- seed 000: the Hunan forms

def hunan(sheet: Sheet, data: dict[str, Any], scheme: Scheme, project: bool) -> None:
    """附件1 部门整体支出 / 附件2 项目支出绩效自评表: funds block, two-row header, merged levels."""
    f = data.get("funds", {})
    rows = list(data["indicators"])
    has_level = any("level" in r for r in rows)
    year = data["year"]
    sheet.put(1, 1, f"{year} 年度{'项目' if project else '部门整体'}支出绩效自评表", to=(1, sheet.width), bold=True, box=False)
    sheet.put(2, 1, "部门名称")
    sheet.put(2, 2, data["unit"], to=(2, sheet.width))
    r = 3
    if project:
        sheet.put(r, 1, "项目支出名称", to=(r + 1, 1))
        sheet.put(r, 2, "专项名称")
        sheet.put(r, 3, data.get("project"), to=(r, 5))
        sheet.put(r, 6, "项目总投资（万元）", to=(r, 7))
        sheet.put(r, 8, number(f.get("budget")), to=(r, sheet.width))
        sheet.put(r + 1, 2, "支出方向名称（子项目）")
        sheet.put(r + 1, 3, "国家职业病防治项目、省职业健康项目、专用设备购置、卫生人才“135”工程项目", to=(r + 1, 5))
        sheet.put(r + 1, 6, "其中：财政拨款", to=(r + 1, 7))
        sheet.put(r + 1, 8, number(f.get("budget")), to=(r + 1, sheet.width))
        sheet.line(r + 2, f"项目总实施期：{year} 年度")
        r += 3
    # the funds block: labels, then the 合计 row (the figures) and the 其中 rows
    sheet.put(r, 1, "年度项目资金（万元）" if project else "资金情况（万元）", to=(r + 4, 1))
    labels = ["年度资金总额", "年初预算数", "全年预算数", "全年执行数", "分值", "执行率",
              "得分（执行率×分值）" if project else "得分（分值×执行率）"]
    values = ["合计", number(f.get("initial_budget")), number(f.get("budget")), number(f.get("executed")),
              funds_points(scheme), number(f.get("reported_rate")), number(f.get("reported_score"))]
    for i, (label, value) in enumerate(zip(labels, values)):
        sheet.put(r, 2 + i, label)
        sheet.put(r + 1, 2 + i, value)
    for i, label in enumerate(("其中：当年财政拨款", "上年结转资金", "其他资金"), start=2):
        sheet.put(r + i, 2, label)
        for c in range(3, sheet.width + 1):
            sheet.put(r + i, c, None)
    r += 5
    sheet.put(r, 1, "年度总体目标", to=(r + 1, 1))
    sheet.put(r, 2, "预期目标", to=(r, 5))
    sheet.put(r, 6, "实际完成情况", to=(r, sheet.width))
    sheet.put(r + 1, 2, GOALS[project][0], to=(r + 1, 5))
    sheet.put(r + 1, 6, GOALS[project][1], to=(r + 1, sheet.width))
    r += 2
    # the header over two rows, as printed: 年度 / 指标值, 实际 / 完成值
    top = r
    titles: list[tuple[str, str | None]] = [("一级指标", None), ("二级指标", None), ("三级指标", None), ("年度", "指标值"),
                                            ("实际", "完成值"), ("分值", None), ("得分", None), ("偏差原因分析及改进措施", None)]
    if has_level:
        titles.append(("达成程度", None))
    for i, (upper, lower) in enumerate(titles, start=2):
        if lower is None:
            sheet.put(r, i, upper, to=(r + 1, i), bold=True)
        else:
            sheet.put(r, i, upper, bold=True)
            sheet.put(r + 1, i, lower, bold=True)
    r += 2
    # the rows, with the empty 二级指标 the published table shows
    lines: list[dict[str, Any]] = []
    for row in rows:
        for spacer in SPACERS.get(row["level2"], ()):
            if not any(x.get("level2") == spacer for x in lines):
                lines.append({"level1": row["level1"], "level2": spacer})
        lines.append(row)
    for a, b in runs(lines, "level1"):
        sheet.put(r + a, 2, points(scheme, lines[a]["level1"]), to=(r + b, 2))
    for a, b in runs(lines, "level2"):
        sheet.put(r + a, 3, lines[a]["level2"], to=(r + b, 3))
    for i, row in enumerate(lines):
        cells = [row.get("name"), row.get("target"), row.get("actual"), number(row.get("weight")),
                 number(row.get("reported_score")), row.get("deviation_reason")]
        if has_level:
            cells.append(row.get("level"))
        for c, value in enumerate(cells, start=4):
            sheet.put(r + i, c, value)
    r += len(lines)
    sheet.put(top, 1, "绩效指标", to=(r - 1, 1), bold=True)
    sheet.put(r, 1, "总分", to=(r, 6), bold=True)
    sheet.put(r, 7, number(scheme.total))
    sheet.put(r, 8, number(data.get("reported_total")))
    sheet.put(r, 9, f"等级：{data['reported_grade']}", to=(r, sheet.width))
    sheet.put(r + 2, 1, "备注： 1. “执行率” = “全年执行数” / “全年预算数”；", to=(r + 2, sheet.width), box=False)
    sheet.put(r + 3, 1, "2. 总分设置为 100 分，等级划分为：90 分（含）—100 分为优，80 分（含）—90 分为良，"
                        "60 分（含）—80 分为中，60 分以下为差。", to=(r + 3, sheet.width), box=False)


# 年度总体目标 as seed 000 prints them (预期目标, 实际完成情况), shortened
GOALS = {
    False: ("1. 确保机构正常运转； 2. 确保干部职工队伍相对稳定； 3. 确保省级文明单位继续保留； 4. 力争市本级无重大职业病事故发生和"
            "职业病群体性事件发生； 5. 为我市职业病防治防治提供对策； 6. 做好职责范围内各项工作。",
            "起草了《株洲市职业病防治规划（2021-2025年）》；顺利通过湖南省文明单位复审；……"),
    True: ("年初无项目经费预算，年中陆续追加了国家职业病防治项目、卫生人才“135”、专用设备购置、职业健康项目。根据各专项工作要求，"
           "保质保量全面完成", "各专项工作圆满完成"),
}
# 二级指标 rows the published tables leave empty, shown before the one named
SPACERS = {"社会效益指标": ("经济效益指标",), "可持续影响指标": ("生态效益指标",),
           "可持续发展指标": ("社会效益指标", "生态效益指标")}


def zhuzhou_department(sheet: Sheet, data: dict[str, Any], scheme: Scheme) -> None:
    hunan(sheet, data, scheme, project=False)


def zhuzhou_project(sheet: Sheet, data: dict[str, Any], scheme: Scheme) -> None:
    hunan(sheet, data, scheme, project=True)


# ---------------------------------------------------------------- seed 001: 郑州 附表1

def zhengzhou(sheet: Sheet, data: dict[str, Any], scheme: Scheme) -> None:
    """附表1 自评价评分附件表: 一级指标 / 三级指标 / 权重 / 目标值 / 业绩值 / 评分结果, with 复核 columns."""
    f = data["funds"]
    sheet.put(1, 1, "附表1.自评价评分附件表", to=(1, sheet.width), bold=True, box=False)
    sheet.put(2, 1, "单位名称")
    sheet.put(2, 2, data["unit"], to=(2, 4))
    sheet.put(2, 5, "项目名称")
    sheet.put(2, 6, data["project"], to=(2, 8))
    sheet.put(2, 9, "年度")
    sheet.put(2, 10, f"{data['year']}年", to=(2, sheet.width))
    sheet.put(4, 1, "资金安排情况（单位：元）", to=(5, 1))
    for c, (label, value) in enumerate((("预算安排", f["budget"]), ("实际支出", f["executed"]),
                                         ("预算执行率(%)", f["reported_rate"])), start=2):
        sheet.put(4, c, label)
        sheet.put(5, c, number(value))
    r = 7
    titles = ["一级指标", "三级指标", "权重", "目标值", "业绩值", "具备要素", "评分结果", "评分标准",
              "数据来源及支持材料（附件）", "复核业绩值", "复核得分", "复核说明"]
    for c, title in enumerate(titles, start=1):
        sheet.put(r, c, title, bold=True)
    r += 1
    rows = []
    for row in data["indicators"]:
        ci, ii = scheme.index[key_of(row["name"])]
        rows.append({**row, "level1": scheme.categories[ci].name, "_ind": scheme.categories[ci].indicators[ii],
                     "_points": scheme.categories[ci].points})
    for a, b in runs(rows, "level1"):
        sheet.put(r + a, 1, f"{rows[a]['level1']}\n（{rows[a]['_points']:f}分）", to=(r + b, 1))
    for i, row in enumerate(rows):
        ind = row["_ind"]
        elements = "、".join(str(n) for n in row["elements"]) if "elements" in row else None
        cells = [row["name"], number(row.get("weight", ind.weight)), row.get("target"), row.get("actual"), elements,
                 number(row.get("reported_score")), ind.rule, "不需提供佐证材料，据实评定", row.get("review_actual"),
                 None, None]
        for c, value in enumerate(cells, start=2):
            sheet.put(r + i, c, value)
    r += len(rows)
    sheet.put(r, 1, "总计", to=(r, 2), bold=True)
    sheet.put(r, 3, number(scheme.total))
    sheet.put(r, 7, number(data["reported_total"]))
    for c in (4, 5, 6, 8, 9, 10, 11, 12):
        sheet.put(r, c, None)
    sheet.put(r + 1, 1, "评价等级", to=(r + 1, 2), bold=True)
    sheet.put(r + 1, 3, data["reported_grade"], to=(r + 1, sheet.width))


# ---------------------------------------------------------------- seed 004: 阳泉 附件1

def yangquan(sheet: Sheet, data: dict[str, Any], scheme: Scheme) -> None:
    """阳泉市项目支出绩效自评表: label/value pairs on top, 指标1–3 slots, 自评得分 merged per category."""
    f = data["funds"]
    sheet.put(1, 1, "附件1", box=False)
    sheet.put(2, 1, "阳泉市项目支出绩效自评表", to=(2, sheet.width), bold=True, box=False)
    sheet.put(3, 1, f"单位《公章》：{data['unit']}", to=(3, 5), box=False)
    sheet.put(3, 6, "填报日期：2025.4.17", to=(3, 8), box=False)
    pairs = [
        [("项目名称", data["project"]), ("联系电话", "0353-2295800")],
        [("项目负责人", "孔晓通"), ("实施单位", data["unit"])],
        [("主管部门", "阳泉市卫生健康委员会"), ("实施年份", f"{data['year']}年度")],
        [("项目起止时间", f"{data['year']}.1.1-{data['year']}.12.31"), ("绩效自评评价年份", f"{data['year']}年度")],
    ]
    r = 4
    for pair in pairs:
        sheet.put(r, 1, pair[0][0])
        sheet.put(r, 2, pair[0][1], to=(r, 4))
        sheet.put(r, 5, pair[1][0])
        sheet.put(r, 6, pair[1][1], to=(r, 8))
        r += 1
    money = [("项目预算金额(万元)", f["budget"]), ("实际到位金额(万元)", f["budget"]), ("实际执行金额(万元)", f["executed"])]
    places = [((1, 1), 2), ((3, 4), 5), ((6, 7), 8)]  # (label columns, value column)
    for ((a, b), v), (label, value) in zip(places, money):
        sheet.put(r, a, label, to=(r, b))
        sheet.put(r, v, number(value))
    for part in ("其中：中央、省财政", "市财政", "县(区)财政", "其他"):
        r += 1
        for (a, b), v in places:
            sheet.put(r, a, part, to=(r, b))
            sheet.put(r, v, None)
    sheet.put(r + 1, 1, "项目预期绩效目标")
    sheet.put(r + 1, 2, "项目提供的公共产品和服务的数量、质量和时效性；按照《中华人民共和国职业病防治法》要求，……组织开展阳泉市职业鉴定工作。",
              to=(r + 1, sheet.width))
    sheet.put(r + 2, 1, "项目执行状况(10分)")
    sheet.put(r + 2, 2, "在当事人提出职业鉴定申请后，按照《职业病诊断与鉴定管理办法》规定，……全年顺利完成11例鉴定。", to=(r + 2, sheet.width))
    sheet.line(r + 3, "绩效目标自评情况", bold=True)
    r += 4
    for c, title in ((1, "一级指标"), (2, "二级指标"), (5, "年度指标值"), (6, "全年完成值"), (7, "未完成原因和改进措施"), (8, "自评得分")):
        sheet.put(r, c, title, bold=True)
    sheet.put(r, 3, "三级指标", to=(r, 4), bold=True)
    r += 1
    # each 二级指标 has the form's three slots 指标1–3; empty groups keep theirs
    groups: list[tuple[tuple[str, str], list[dict[str, Any]]]] = []
    for row in data["indicators"]:
        key = (row["level1"], row["level2"])
        if not groups or groups[-1][0] != key:
            groups += [((row["level1"], spacer), []) for spacer in SPACERS.get(row["level2"], ())]
            groups.append((key, []))
        groups[-1][1].append(row)
    lines: list[dict[str, Any]] = []
    for (level1, level2), members in groups:
        for n in range(max(3, len(members))):
            lines.append({**(members[n] if n < len(members) else {}), "level1": level1, "level2": level2, "slot": n + 1})
    reported = data.get("reported_categories", {})
    for a, b in runs(lines, "level1"):
        level1 = lines[a]["level1"]
        sheet.put(r + a, 1, points(scheme, level1).replace("（", "(").replace("分）", "分)"), to=(r + b, 1))
        score = next((v for k, v in reported.items() if category_key(k) == category_key(level1)), None)
        sheet.put(r + a, 8, None if score is None else f"{score}分", to=(r + b, 8))
    for a, b in runs(lines, "level2"):
        sheet.put(r + a, 2, lines[a]["level2"], to=(r + b, 2))
    for i, line in enumerate(lines):
        cells = [f"指标{line['slot']}", line.get("name"), line.get("target"), line.get("actual"), line.get("deviation_reason")]
        for c, value in enumerate(cells, start=3):
            sheet.put(r + i, c, value)
    r += len(lines)
    sheet.line(r, f"总分：{data['reported_total']}分", bold=True)
    sheet.line(r + 1, "产出指标为100分、数量指标50分、产出指标50分、服务对象满意度指标10分。等级：得分分为合格、100-90(含)分为优、"
                      "90-80(含)分为良、80-60(含)分为中、60-50(含)分为差。")
    sheet.put(r + 2, 1, "自评结论及绩效分析")
    sheet.put(r + 2, 2, f"本项目自评{data['reported_total']}分，等级{data['reported_grade']}。严格按照《中华人民共和国职业病防治法》、"
                        "《职业病诊断与鉴定管理办法》等相关法律法规要求组织开展职业鉴定工作，确保职业鉴定工作公平、公正、公开，"
                        "以此保障当事人的合法权益。", to=(r + 2, sheet.width))


# ---------------------------------------------------------------- all of them

Layout = Callable[[Sheet, dict[str, Any], Scheme], None]
TABLES: list[tuple[str, str, str, list[int], Layout]] = [
    # (example, ruleset under rulesets/, sheet title, column widths, layout)
    ("zhuzhou-department-2021", "hunan/department-2021.yaml", "部门整体支出绩效自评表",
     [10, 14, 12, 30, 26, 26, 8, 8, 28, 14], zhuzhou_department),
    ("zhuzhou-project-2021", "hunan/project-2021.yaml", "项目支出绩效自评表",
     [10, 14, 12, 30, 26, 26, 8, 8, 28, 14], zhuzhou_project),
    ("zhengzhou-project-2021", "henan/zhengzhou-project-2021.yaml", "自评价评分附件表",
     [14, 30, 8, 12, 12, 10, 10, 40, 20, 12, 10, 10], zhengzhou),
    ("yangquan-project-2024", "shanxi/yangquan-project-2024.yaml", "项目支出绩效自评表",
     [16, 16, 8, 30, 14, 16, 16, 10], yangquan),
]


def _first(value: Any) -> Any:
    """The first version of a figure a report gives more than once ({value, source} or a list)."""
    if isinstance(value, list):
        value = value[0]
    return value["value"] if isinstance(value, dict) else value


def table_figures(data: dict[str, Any]) -> dict[str, Any]:
    """The input's figures as its table prints them: where the report gives a figure twice
    (the table and the text), the first version is the table's."""
    data = dict(data)
    if "funds" in data:
        data["funds"] = {k: _first(v) for k, v in data["funds"].items()
                         if not (isinstance(v, dict) and str(v.get("source", "")).startswith("正文"))}
    for key in ("reported_total", "reported_grade"):
        if key in data:
            data[key] = _first(data[key])
    return data


def build(name: str) -> openpyxl.Workbook:
    """The workbook for one example."""
    _, ruleset, title, widths, layout = next(t for t in TABLES if t[0] == name)
    scheme = perfrules.load(HERE.parent / "rulesets" / ruleset)
    data = table_figures(load_yaml(HERE / f"{name}.yaml", InputError).data)
    book = openpyxl.Workbook()
    ws = book.active
    ws.title = title
    layout(Sheet(ws, widths), data, scheme)
    return book


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--out", default=str(HERE), help="folder to write the .xlsx files to (default: examples/)")
    args = p.parse_args(argv)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    for name, *_ in TABLES:
        target = out / f"{name}.xlsx"
        build(name).save(target)
        print(target)
    return 0


if __name__ == "__main__":
    sys.exit(main())
