"""Spreadsheets in and out: the 自评表 reader, the scored-table writer, batch scoring.

The strings are the seeds' own (000 附件1/2, 001 附表1, 004 附件1); the example
workbooks in examples/ are made by examples/make_xlsx.py from the YAML inputs beside them.
"""

from __future__ import annotations

import datetime
import functools
import importlib.util
import io
import json
from dataclasses import asdict
from decimal import Decimal
from pathlib import Path
from typing import Any

import openpyxl
import pytest

import perfrules
from conftest import EXAMPLES, ROOT, RULESETS
from perfrules import sources
from perfrules.cli import batch_exit_code, main, score_batch
from perfrules.errors import InputError
from perfrules.record import category_key, category_points
from perfrules.sources import headers, spreadsheet
from perfrules.sources.grid import excel_value, load_xlsx

SEEDS = [  # (example, ruleset, total, grade)
    ("zhuzhou-department-2021", "hunan/department-2021.yaml", "100.00", "优"),
    ("zhuzhou-project-2021", "hunan/project-2021.yaml", "100.00", "优"),
    ("zhengzhou-project-2021", "henan/zhengzhou-project-2021.yaml", "100.00", "优秀"),
    ("yangquan-project-2024", "shanxi/yangquan-project-2024.yaml", "87.50", None),
]
HUNAN = str(RULESETS / "hunan/department-2021.yaml")


def xlsx(path: Path, rows: list[list[Any]], merges: tuple[str, ...] = (), formats: dict[str, str] | None = None,
         sheet: str = "自评表") -> Path:
    """A workbook of one sheet: rows from A1, then the merged ranges and number formats."""
    book = openpyxl.Workbook()
    ws = book.active
    ws.title = sheet
    for r, row in enumerate(rows, start=1):
        for c, v in enumerate(row, start=1):
            if v is not None:
                ws.cell(row=r, column=c, value=v)
    for ref, fmt in (formats or {}).items():
        ws[ref].number_format = fmt
    for m in merges:
        ws.merge_cells(m)
    book.save(path)
    return path


def csvfile(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.write_bytes(text.encode(encoding))
    return path


@functools.lru_cache(maxsize=None)
def scheme(ruleset: str) -> perfrules.Scheme:
    return perfrules.load(RULESETS / ruleset)


def run(capsys, *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def scores(result: perfrules.Result) -> list[tuple[str, Decimal | None, str]]:
    return [(i.name, i.score, i.explanation) for i in result.indicators]


# ---------------------------------------------------------------- headers and cells

@pytest.mark.parametrize("text,key", [
    ("一级指标", "level1"), ("二级指标", "level2"), ("三级指标", "name"),
    ("年度指标值", "target"), ("年度\n指标值", "target"), ("指标值", "target"), ("目标值", "target"),
    ("实际完成值", "actual"), ("实际\n完成值", "actual"), ("完成值", "actual"), ("业绩值", "actual"), ("全年完成值", "actual"),
    ("分值", "weight"), ("权重", "weight"), (" 分 值 ", "weight"),
    ("得分", "reported_score"), ("评分", "reported_score"), ("评分结果", "reported_score"), ("自评得分", "reported_score"),
    ("偏差原因分析及改进措施", "deviation_reason"), ("未完成原因和改进措施", "deviation_reason"),
    ("具备要素", "elements"), ("复核业\n绩值", "review_actual"), ("复核\n得分", "review_score"),
    ("达成程度", "level"), ("是否适用", "applicable"),
])
def test_column_headers(text, key):
    assert headers.COLUMNS.get(headers.label(text)) == key


@pytest.mark.parametrize("text,key", [
    ("年初预算数", "initial_budget"), ("全年预算数", "budget"), ("全年执行数", "executed"), ("执行率", "reported_rate"),
    ("项目预算金额(万元)", "budget"), ("实际执行金额(万元)", "executed"), ("预算安排", "budget"),
    ("实际支出", "executed"), ("预算执行率(%)", "reported_rate"),
])
def test_funds_labels(text, key):
    assert headers.FUNDS.get(headers.label(text)) == key


@pytest.mark.parametrize("text", ["数据来源及支持材料（附件）", "评分标准", "复核说明", "绩效指标", "计算得分", "计分说明"])
def test_descriptive_headers_are_known_and_not_read(text):
    assert headers.label(text) in headers.IGNORED and headers.label(text) not in headers.COLUMNS


@pytest.mark.parametrize("value,number_format,expected", [
    (2.22, "General", Decimal("2.22")),                        # through repr, not Decimal(2.22)
    (0.1 + 0.2, "General", Decimal("0.30000000000000004")),    # the float's shortest repr, exactly
    (3, "General", Decimal(3)),
    (1e14, "General", Decimal("100000000000000")),
    (1e16, "General", "10000000000000000"),                    # beyond docs/limits.md: text, never a number
    (1e30, "0.00", "1000000000000000000000000000000"),
    (1.5, "0." + "0" * 30, Decimal("1.5")),                    # more places than a Decimal holds
    (12.5, "0.00", Decimal("12.50")),                          # the zeros Excel shows
    (3102.95, "#,##0.00", Decimal("3102.95")),
    (2.225, "0.00", Decimal("2.225")),                         # never rounded to what is shown
    (0.85, "0%", "85%"),
    (0.8512, "0.00%", "85.12%"),
    (1, "0%", "100%"),
    ("  已完成 ", "General", "已完成"),
    ("", "General", None),
    (None, "General", None),
    (True, "General", "是"),
    (datetime.datetime(2023, 12, 1), "yyyy-mm-dd", "2023年12月1日"),
])
def test_excel_cell_values(value, number_format, expected):
    got = excel_value(value, number_format)
    assert got == expected and type(got) is type(expected)


# ---------------------------------------------------------------- reading layouts

def test_hunan_form_with_funds_block_two_row_header_and_merged_levels(tmp_path):
    """Seed 000 附件1 as laid out: title, 部门名称, funds block, header over two rows, merged 一级/二级指标."""
    rows = [
        ["2021 年度部门整体支出绩效自评表"],
        ["部门名称", "株洲市劳动卫生职业病防治中心"],
        ["资金情况\n（万元）", "年度资金总额", "年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分（分值×执行率）"],
        [None, "合计", 2691.2, 3102.95, 3102.95, 10, 1, 10],
        [None, "其中：当年财政拨款", 2691.2, 3056.4],
        [],
        ["绩效指标", "一级指标", "二级指标", "三级指标", "年度", "实际", "分值", "得分", "偏差原因分析及改进措施"],
        [None, None, None, None, "指标值", "完成值"],
        [None, "产出指标（50分）", "数量指标", "组织用人单位职业卫生管理人员培训人数", "750人", "795人", 3, 3],
        [None, None, None, "职业病网报人数", "应报尽报", "100%", 3, 3],
        [],
        [None, None, "质量指标", "职业健康体检率（以签订责任状单位数）", "≥80%", 0.85, 3, 3],
        [None, "效益指标（30分）", "生态效益指标", "工作场所作业环境(监测点)符合国家职业卫生标准率", "≥80%", "≥80%", 6, 6,
         "部分用人单位因生产工艺原因监测点职业病危害因素浓度或强度无法达到国家职业卫生标准"],
        ["总分", None, None, None, None, None, 100, 100, "等级: 优"],
        ["备注： 1. “执行率” = “全年执行数” / “全年预算数”；"],
    ]
    path = xlsx(tmp_path / "in.xlsx", rows, merges=("A3:A5", "B2:I2", "A7:A13", "B9:B12", "C9:C11", "B7:B8", "C7:C8", "D7:D8"),
                formats={"C4": "#,##0.00", "D4": "#,##0.00", "E4": "#,##0.00", "G4": "0%", "F12": "0%"})
    data = spreadsheet.read(path).data
    assert data["unit"] == "株洲市劳动卫生职业病防治中心" and data["year"] == 2021
    assert data["funds"] == {"initial_budget": Decimal("2691.20"), "budget": Decimal("3102.95"), "executed": Decimal("3102.95"),
                             "reported_rate": "100%", "reported_score": Decimal(10), "unit": "万元"}
    assert data["indicators"] == [
        {"level1": "产出指标（50分）", "level2": "数量指标", "name": "组织用人单位职业卫生管理人员培训人数",
         "target": "750人", "actual": "795人", "weight": Decimal(3), "reported_score": Decimal(3)},
        {"level1": "产出指标（50分）", "level2": "数量指标", "name": "职业病网报人数",
         "target": "应报尽报", "actual": "100%", "weight": Decimal(3), "reported_score": Decimal(3)},
        {"level1": "产出指标（50分）", "level2": "质量指标", "name": "职业健康体检率（以签订责任状单位数）",
         "target": "≥80%", "actual": "85%", "weight": Decimal(3), "reported_score": Decimal(3)},
        {"level1": "效益指标（30分）", "level2": "生态效益指标", "name": "工作场所作业环境(监测点)符合国家职业卫生标准率",
         "target": "≥80%", "actual": "≥80%", "weight": Decimal(6), "reported_score": Decimal(6),
         "deviation_reason": "部分用人单位因生产工艺原因监测点职业病危害因素浓度或强度无法达到国家职业卫生标准"},
    ]
    assert (data["reported_total"], data["reported_grade"]) == (Decimal(100), "优")
    record = sources.read(path)
    assert record.funds is not None and record.funds.reported_rate == Decimal(1)
    assert record.rows[2].actual.text == "85%"


def test_yangquan_form_label_pairs_slots_and_a_score_merged_per_category(tmp_path):
    """Seed 004 附件1: 单位《公章》：…, label/value pairs, 三级指标 over two columns with 指标1–3, 自评得分 merged."""
    rows = [
        ["阳泉市项目支出绩效自评表"],
        ["单位《公章》：阳泉市卫生健康委员会医事服务中心", None, None, None, None, "填报日期：2025.4.17"],
        ["主管部门", "阳泉市卫生健康委员会", None, None, "实施年份", "2024年度"],
        ["项目预算金额(万元)", 12.5, "实际到位金额(万元)", None, 12.5, "实际执行金额(万元)", None, 12.5],
        ["其中：中央、省财政", None, "其中：中央、省财政", None, None, "其中：中央、省财政"],
        ["一级指标", "二级指标", "三级指标", None, "年度指标值", "全年完成值", "未完成原因和改进措施", "自评得分"],
        ["产出指标(50分)", "数量指标", "指标1", "年度职业鉴定人数", "11例", "100%", "已完成", "49分"],
        [None, None, "指标2"],
        [None, None, "指标3", "职业鉴定完成率", "较高", "较高", "已完成"],
        [None, "时效指标", "指标1", "工作完成时间", "及时", "及时", "已完成"],
        ["前置指标(10分)", "服务对象满意度指标", "指标1", "当事人对职业鉴定工作的满意度", "≥95%", "≥95%", "已完成", "9分"],
        [None, None, "指标2"],
        ["总分：99分"],
        ["产出指标为100分、数量指标50分、产出指标50分、服务对象满意度指标10分。等级：得分分为合格、100-90(含)分为优、90-80(含)分为良"],
        ["自评结论及绩效分析", "本项目自评99分，等级优。严格按照《中华人民共和国职业病防治法》……"],
    ]
    path = xlsx(tmp_path / "in.xlsx", rows, formats={"B4": "0.00", "E4": "0.00", "H4": "0.00"},
                merges=("C6:D6", "A7:A10", "B7:B9", "H7:H10", "A11:A12", "B11:B12", "H11:H12", "A13:H13", "A14:H14"))
    data = spreadsheet.read(path).data
    assert data["unit"] == "阳泉市卫生健康委员会医事服务中心" and data["year"] == 2024
    assert data["funds"] == {"budget": Decimal("12.50"), "executed": Decimal("12.50"), "unit": "万元"}
    assert [(r["level1"], r["level2"], r["name"]) for r in data["indicators"]] == [
        ("产出指标(50分)", "数量指标", "年度职业鉴定人数"), ("产出指标(50分)", "数量指标", "职业鉴定完成率"),
        ("产出指标(50分)", "时效指标", "工作完成时间"), ("前置指标(10分)", "服务对象满意度指标", "当事人对职业鉴定工作的满意度")]
    assert all("reported_score" not in r for r in data["indicators"])
    assert data["reported_categories"] == {"产出指标(50分)": "49分", "前置指标(10分)": "9分"}
    assert (data["reported_total"], data["reported_grade"]) == ("99", "优")


def test_zhengzhou_form_elements_review_and_grade_label(tmp_path):
    """Seed 001 附表1: 一级指标/三级指标/权重/目标值/业绩值/评分结果, 具备要素 and 复核业绩值 columns, 总计, 评价等级."""
    rows = [
        ["附表 1.自评价评分附件表"],
        ["单位名称", "郑州市职业病防治院"],
        ["一级指标", "三级指标", "权重", "目标值", "业绩值", "具备要素", "评分结果", "评分标准", "复核业绩值", "复核得分"],
        ["投入和\n管理目标", "预算执行率", 2.22, "100%", "97%", None, 2.15,
         "业绩值为100%得满分，每降低1%扣权重分的1%，扣完为止", "100%"],
        [None, "财务监控有效性", 2.22, "有效", None, "1、2", 1.48],
        [None, "项目管理制度健全性", 2.24, "健全", None, "要素1、3", 1.68],
        ["总计", None, 100, None, None, None, 100.00],
        ["评价等级", "优秀"],
    ]
    path = xlsx(tmp_path / "in.xlsx", rows, merges=("A4:A6",), formats={"G7": "0.00"})
    data = spreadsheet.read(path).data
    assert data["unit"] == "郑州市职业病防治院"
    first, second, third = data["indicators"]
    assert first == {"level1": "投入和管理目标", "name": "预算执行率", "weight": Decimal("2.22"), "target": "100%",
                     "actual": "97%", "reported_score": Decimal("2.15"), "review_actual": "100%"}
    assert (second["elements"], third["elements"]) == ([1, 2], [1, 3])
    assert (data["reported_total"], data["reported_grade"]) == (Decimal("100.00"), "优秀")
    result = scheme("henan/zhengzhou-project-2021.yaml").evaluate(path)
    assert result.indicator("预算执行率").reviewed and result.indicator("预算执行率").score == Decimal("2.22")
    assert result.indicator("财务监控有效性").score == Decimal("1.48")


def test_csv_in_gbk_with_tabs_blank_levels_and_header_lower_down(tmp_path):
    """A CSV saved by Excel in a Chinese locale: GB18030, blank cells where the sheet had merges."""
    text = ("2021 年度项目支出绩效自评表\n\n"
            "一级指标\t二级指标\t三级指标\t年度指标值\t实际完成值\t分值\t得分\n"
            "产出指标 (50分)\t成本指标\t国家职业病防治项目\t≤11.00\t10.83\t3\t3\n"
            "\t\t生产企业职业卫生管理人员培训\t≤3.00\t2.91\t3\t3\n"
            "\t\t\t\t\t\t\n"
            "\t时效指标\t设备采购\t按计划完成\t已完成\t3\t3\n"
            "总分\t\t\t\t\t9\t9\n")
    data = spreadsheet.read(csvfile(tmp_path / "in.csv", text, "gb18030")).data
    assert data["year"] == 2021
    assert [(r["level1"], r["level2"], r["name"], r["target"], r["weight"]) for r in data["indicators"]] == [
        ("产出指标 (50分)", "成本指标", "国家职业病防治项目", "≤11.00", "3"),
        ("产出指标 (50分)", "成本指标", "生产企业职业卫生管理人员培训", "≤3.00", "3"),
        ("产出指标 (50分)", "时效指标", "设备采购", "按计划完成", "3")]
    assert data["reported_total"] == "9"


def test_titles_repeated_headers_and_column_numbers_are_not_indicators(tmp_path):
    rows = [
        ["一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分"],
        ["(1)", "(2)", "(3)", "(4)", "(5)", "(6)", "(7)"],
        ["一、产出指标"],
        ["产出指标", "数量指标", "组织用人单位职业卫生管理人员培训人数", "750人", "795人", 3, 3],
        ["一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分"],
        [1, 2, 3, 4, 5, 6, 7],
        ["产出指标", "质量指标", "重点职业病监测覆盖率", "100%", "100%", "/", "-"],
    ]
    data = spreadsheet.read(xlsx(tmp_path / "in.xlsx", rows, merges=("A3:G3",))).data
    assert [r["name"] for r in data["indicators"]] == ["组织用人单位职业卫生管理人员培训人数", "重点职业病监测覆盖率"]
    assert "weight" not in data["indicators"][1] and "reported_score" not in data["indicators"][1]


@pytest.mark.parametrize("cell,expected", [
    ("1、2、3", [1, 2, 3]), ("要素1、3", [1, 3]), ("1~8、9", list(range(1, 10))), ("1-3", [1, 2, 3]),
    ("1，2", [1, 2]), ("3、1、3", [1, 3]), ("无", []), ("2", [2]),
])
def test_elements_as_written(tmp_path, cell, expected):
    path = csvfile(tmp_path / "in.csv", f"三级指标,分值,具备要素\n财务监控有效性,2.22,\"{cell}\"\n")
    assert spreadsheet.read(path).data["indicators"][0]["elements"] == expected


# ---------------------------------------------------------------- errors that name the cell

HEAD = ["一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分", "具备要素", "是否适用"]
GOOD = ["产出指标", "数量指标", "组织用人单位职业卫生管理人员培训人数", "750人", "795人", 3, 3]


@pytest.mark.parametrize("change,expected", [
    ({5: "两分"}, "自评表!F12: weight: must be a number, not '两分'"),
    ({6: "满分"}, "自评表!G12: reported_score: must be a number, not '满分'"),
    ({7: "一些"}, "自评表!H12: elements: must list element numbers such as 1、2、3, not '一些'"),
    ({8: "也许"}, "自评表!I12: applicable: must be 是 or 否, not '也许'"),
    ({2: None}, "自评表!C12: name: this row has a target or an actual but no indicator name (三级指标)"),
])
def test_an_unreadable_cell_is_named_as_excel_names_it(tmp_path, change, expected):
    row = GOOD + [None, None]
    for c, v in change.items():
        row[c] = v
    path = xlsx(tmp_path / "x.xlsx", [["部门名称", "株洲市劳动卫生职业病防治中心"]] + [[]] * 9 + [HEAD, row])
    with pytest.raises(InputError) as exc:
        sources.read(path)
    assert [str(p) for p in exc.value.problems] == [f"{path}:{expected}"]


def test_every_problem_at_once_in_sheet_order(tmp_path):
    rows = [["全年预算数", "全年执行数"], ["很多", 90], [], HEAD, GOOD[:5] + ["两分", 3], GOOD[:5] + [3, "三分", "一些"],
            [None, None, None, "750人", "795人", 3, 3]]
    path = xlsx(tmp_path / "x.xlsx", rows)
    with pytest.raises(InputError) as exc:
        sources.read(path)
    assert [str(p) for p in exc.value.problems] == [
        f"{path}:自评表!A2: funds.budget: must be a number, not '很多'",
        f"{path}:自评表!F5: weight: must be a number, not '两分'",
        f"{path}:自评表!G6: reported_score: must be a number, not '三分'",
        f"{path}:自评表!H6: elements: must list element numbers such as 1、2、3, not '一些'",
        f"{path}:自评表!C7: name: this row has a target or an actual but no indicator name (三级指标)",
    ]


def test_csv_cells_are_named_too(tmp_path):
    path = csvfile(tmp_path / "in.csv", ",".join(HEAD[:7]) + "\n" + "产出指标,数量指标,培训人数,750人,795人,两分,3\n")
    with pytest.raises(InputError) as exc:
        sources.read(path)
    assert str(exc.value) == f"{path}:F2: weight: must be a number, not '两分'"


@pytest.mark.parametrize("name,content,message", [
    ("x.xlsx", None, "no such file"),
    ("x.xlsx", b"not a zip", "cannot read as an Excel .xlsx workbook"),
    ("x.xls", b"\xd0\xcf\x11\xe0", "an Excel 97-2003 .xls workbook cannot be read: save it as .xlsx"),
    ("x.csv", "年度,实际\n1,2\n".encode(), "no 自评表 header row found in the file"),
    ("x.csv", b"\xff\xfe\x00\xd8\x00", "not UTF-8 or GB18030 (GBK) text"),
])
def test_files_that_are_not_a_table(tmp_path, name, content, message):
    path = tmp_path / name
    if content is not None:
        path.write_bytes(content)
    with pytest.raises(InputError) as exc:
        sources.read(path)
    assert str(exc.value).startswith(f"{path}: {message}")


def test_no_header_names_the_sheets(tmp_path):
    path = xlsx(tmp_path / "x.xlsx", [["项目名称", "职业鉴定经费"]], sheet="Sheet1")
    with pytest.raises(InputError, match=r"no 自评表 header row found in Sheet1: a row naming 三级指标"):
        sources.read(path)


# ---------------------------------------------------------------- the seed workbooks

@pytest.mark.parametrize("example,ruleset,total,grade", SEEDS)
def test_each_seed_workbook_scores_as_its_yaml(example, ruleset, total, grade):
    ra, rb = sources.read(EXAMPLES / f"{example}.yaml"), sources.read(EXAMPLES / f"{example}.xlsx")
    a, b = scheme(ruleset).evaluate(ra), scheme(ruleset).evaluate(rb)
    assert (str(b.total), b.grade) == (total, grade)
    assert (a.total, a.grade, a.complete) == (b.total, b.grade, b.complete)
    assert scores(a) == scores(b)
    assert [f.to_dict() for f in a.findings] == [f.to_dict() for f in b.findings]
    # the workbook is the table: where the report gives a figure again in its text (seed 004's
    # 执行率 26.12%), the YAML keeps that too and the workbook does not
    table_funds = lambda f: None if f is None else (f.budget, f.executed, f.initial_budget, f.reported_score)  # noqa: E731
    assert (ra.unit, ra.year, table_funds(ra.funds), ra.reported_total, ra.reported_grade) == \
           (rb.unit, rb.year, table_funds(rb.funds), rb.reported_total, rb.reported_grade)
    assert list(ra.reported_categories.values()) == list(rb.reported_categories.values())


def _make_xlsx() -> Any:
    spec = importlib.util.spec_from_file_location("make_xlsx", EXAMPLES / "make_xlsx.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("example", [s[0] for s in SEEDS])
def test_make_xlsx_reproduces_the_committed_workbooks(tmp_path, example):
    fresh = tmp_path / f"{example}.xlsx"
    _make_xlsx().build(example).save(fresh)
    for committed, made in zip(load_xlsx(EXAMPLES / f"{example}.xlsx"), load_xlsx(fresh), strict=True):
        assert (committed.sheet, committed.rows, committed.spans) == (made.sheet, made.rows, made.spans)


# ---------------------------------------------------------------- writing and round trips

@pytest.mark.parametrize("example,ruleset,total,grade", SEEDS)
@pytest.mark.parametrize("suffix", [".xlsx", ".csv"])
def test_a_written_table_reads_back_as_the_same_input(capsys, tmp_path, example, ruleset, total, grade, suffix):
    out = tmp_path / f"scored{suffix}"
    code, _, err = run(capsys, "score", str(RULESETS / ruleset), str(EXAMPLES / f"{example}.xlsx"), "-o", str(out))
    assert code == (0 if grade else 1)
    assert err == f"{out}: 总分 {total} 等级 {grade or '无法确定'}\n"
    ra, rb = sources.read(EXAMPLES / f"{example}.xlsx"), sources.read(out)
    a, b = scheme(ruleset).evaluate(ra), scheme(ruleset).evaluate(rb)
    assert (a.total, a.grade, scores(a), [str(f) for f in a.findings]) == (b.total, b.grade, scores(b), [str(f) for f in b.findings])
    assert [asdict(r) for r in ra.rows] == [asdict(r) for r in rb.rows]
    # the workbook is the table: where the report gives a figure again in its text (seed 004's
    # 执行率 26.12%), the YAML keeps that too and the workbook does not
    table_funds = lambda f: None if f is None else (f.budget, f.executed, f.initial_budget, f.reported_score)  # noqa: E731
    assert (ra.unit, ra.year, table_funds(ra.funds), ra.reported_total, ra.reported_grade) == \
           (rb.unit, rb.year, table_funds(rb.funds), rb.reported_total, rb.reported_grade)


@pytest.mark.parametrize("example,ruleset", [(s[0], s[1]) for s in SEEDS] + [("lusong-2021", "hunan/department-2021.yaml")])
def test_a_yaml_input_written_as_a_table_reads_back_the_same(capsys, tmp_path, example, ruleset):
    """Rows without 一级指标, the reviewer's values, several actuals with their sources: all survive."""
    out = tmp_path / "scored.xlsx"
    run(capsys, "score", str(RULESETS / ruleset), str(EXAMPLES / f"{example}.yaml"), "-o", str(out))
    ra, rb = sources.read(EXAMPLES / f"{example}.yaml"), sources.read(out)
    a, b = scheme(ruleset).evaluate(ra), scheme(ruleset).evaluate(rb)
    assert (a.total, a.grade, scores(a), [str(f) for f in a.findings]) == (b.total, b.grade, scores(b), [str(f) for f in b.findings])
    differ = {k for x, y in zip(ra.rows, rb.rows) for k, v in asdict(x).items() if asdict(y)[k] != v}
    assert differ <= {"level1", "level2"}  # filled in from the scheme where the input left them out


def test_the_scored_workbook(capsys, tmp_path):
    out = tmp_path / "scored.xlsx"
    run(capsys, "score", str(RULESETS / "shanxi/yangquan-project-2024.yaml"), str(EXAMPLES / "yangquan-project-2024.yaml"),
        "-o", str(out))
    book = openpyxl.load_workbook(out)
    assert book.sheetnames == ["自评表", "发现"]
    table = [[c for c in row] for row in book["自评表"].iter_rows(values_only=True)]
    header = next(row for row in table if row[0] == "一级指标")
    assert list(header) == ["一级指标", "二级指标", "三级指标", "年度指标值", "全年完成值", "分值", "自评得分",
                            "偏差原因分析及改进措施", "计算得分", "计分说明"]
    first = table[table.index(header) + 1]
    assert first[2] == "年度职业鉴定人数" and first[8] == "未计分" and "单位不同" in first[9]
    assert [r[6] for r in table if r[2] == "小计"] == [None, 49, 59, 9]
    total = next(row for row in table if row[0] == "总分")
    assert (total[6], total[7], total[8], total[9]) == (99, "等级：优", 87.5, "不完整：最多 100.00；计算等级 无法确定")
    findings = list(book["发现"].iter_rows(values_only=True))
    assert findings[0] == ("严重程度", "代码", "指标", "说明")
    assert ("error", "unit_mismatch", "年度职业鉴定人数") in [f[:3] for f in findings]


def test_json_output_is_the_score_format_json_object(capsys, tmp_path):
    out = tmp_path / "r.json"
    zz, zz_in = str(RULESETS / "henan/zhengzhou-project-2021.yaml"), str(EXAMPLES / "zhengzhou-project-2021.xlsx")
    run(capsys, "score", zz, zz_in, "-o", str(out))
    _, printed, _ = run(capsys, "score", zz, zz_in, "--format", "json")
    assert json.loads(out.read_text(encoding="utf-8")) == json.loads(printed)


def test_markdown_output(capsys, tmp_path):
    out = tmp_path / "r.md"
    run(capsys, "score", str(RULESETS / "henan/zhengzhou-project-2021.yaml"), str(EXAMPLES / "zhengzhou-project-2021.xlsx"),
        "-o", str(out))
    text = out.read_text(encoding="utf-8")
    assert text.startswith("# 郑州市职业病防治院 · ")
    assert "| 投入和管理目标 |  | 预算编制合理性 | 2.22 | 2.22 | elements | 具备要素1、2、3（30% + 30% + 40%），2.22 × 100% = 2.22 |" in text
    assert "**总分 100.00，等级 优秀**" in text


def test_an_unknown_output_extension_is_a_usage_error(capsys, tmp_path):
    code, _, err = run(capsys, "score", HUNAN, str(EXAMPLES / "zhuzhou-department-2021.yaml"), "-o", str(tmp_path / "r.txt"))
    assert code == 2 and "cannot tell the output format from the extension '.txt'" in err
    assert not (tmp_path / "r.txt").exists()


# ---------------------------------------------------------------- batch

@pytest.fixture
def folder(tmp_path):
    d = tmp_path / "in"
    d.mkdir()
    for name in ("zhuzhou-department-2021.xlsx", "zhuzhou-department-2021.yaml", "zhuzhou-project-2021.xlsx"):
        (d / name).write_bytes((EXAMPLES / name).read_bytes())
    xlsx(d / "broken.xlsx", [HEAD, GOOD[:5] + ["两分", 3]])
    (d / "notes.txt").write_text("not an input", encoding="utf-8")
    (d / "~$zhuzhou-project-2021.xlsx").write_bytes(b"lock")
    return d


def test_batch_scores_every_input_and_exits_2_when_one_cannot_be_read(capsys, folder):
    code, out, err = run(capsys, "score", HUNAN, str(folder))
    assert code == 2
    lines = out.splitlines()
    assert lines[0].split() == ["文件", "file", "总分", "total", "等级", "grade", "完整", "complete", "错误", "errors"]
    assert lines[1].startswith(str(folder / "broken.xlsx")) and \
        lines[1].endswith(f"could not read: {folder / 'broken.xlsx'}:自评表!F2: weight: must be a number, not '两分'")
    assert [line.split()[1:] for line in lines[2:]] == [["100.00", "优", "yes", "0"]] * 3
    # stderr is not a terminal here: no bar, only the last line
    assert err.startswith("scored 4 inputs in ") and err.endswith(
        " s: 3 without error findings, 0 with error findings, 1 could not be read\n") and err.count("\n") == 1


def test_batch_glob_json_and_exit_1_for_error_findings(capsys, tmp_path):
    for name in ("yangquan-project-2024.xlsx", "yangquan-project-2024.yaml"):
        (tmp_path / name).write_bytes((EXAMPLES / name).read_bytes())
    code, out, _ = run(capsys, "score", str(RULESETS / "shanxi/yangquan-project-2024.yaml"),
                       str(tmp_path / "yangquan-*.*"), "--format", "json")
    assert code == 1
    data = json.loads(out)
    assert [(Path(d["file"]).name, d["total"], d["grade"], d["complete"], d["errors"], d["error"]) for d in data] == [
        ("yangquan-project-2024.xlsx", "87.50", None, False, 2, None),
        ("yangquan-project-2024.yaml", "87.50", None, False, 2, None),
    ]
    assert data[0]["result"] == data[1]["result"]


def test_batch_summary_file(capsys, tmp_path, folder):
    out = tmp_path / "summary.csv"
    code, _, _ = run(capsys, "score", HUNAN, str(folder), "-o", str(out))
    assert code == 2
    text = out.read_text(encoding="utf-8-sig").splitlines()
    assert text[0] == "文件 file,总分 total,等级 grade,完整 complete,错误 errors,无法读取 error"
    assert text[2] == f"{folder / 'zhuzhou-department-2021.xlsx'},100.00,优,yes,0,"
    xl = tmp_path / "summary.xlsx"
    run(capsys, "score", HUNAN, str(folder), "-o", str(xl))
    rows = list(openpyxl.load_workbook(xl).active.iter_rows(values_only=True))
    assert rows[2][1:5] == (100, "优", "yes", 0)


def test_batch_with_nothing_to_score(capsys, tmp_path):
    code, _, err = run(capsys, "score", HUNAN, str(tmp_path / "none-*.xlsx"))
    assert code == 2 and "no inputs here" in err


def test_progress_bar_on_a_terminal():
    class Tty(io.StringIO):
        def isatty(self) -> bool:
            return True

    stream = Tty()
    outcomes = score_batch(scheme("hunan/department-2021.yaml"), [EXAMPLES / "zhuzhou-department-2021.xlsx", EXAMPLES / "zhuzhou-project-2021.xlsx"], stream)
    text = stream.getvalue()
    assert "\r[------------------------] 0/2 zhuzhou-department-2021.xlsx" in text
    assert "\r[############------------] 1/2 zhuzhou-project-2021.xlsx" in text
    assert text.endswith("\r\x1b[K" + text.rsplit("\r\x1b[K", 1)[1]) and text.rstrip().endswith("0 could not be read")
    assert batch_exit_code(outcomes) == 0


def test_inputs_read_dispatches_on_the_extension():
    record = sources.read(str(EXAMPLES / "zhuzhou-department-2021.xlsx"))
    assert record.file == str(EXAMPLES / "zhuzhou-department-2021.xlsx") and len(record.rows) == 21
    assert ROOT.joinpath("pyproject.toml").read_text(encoding="utf-8").count('"openpyxl>=3.1"') == 1


def test_docs_list_every_header_recognised():
    text = (ROOT / "docs" / "tables.md").read_text(encoding="utf-8")
    words = [*headers.COLUMNS, *headers.FUNDS, *headers.IGNORED, *headers.UNIT, *headers.PROJECT, *headers.YEAR,
             *headers.GRADE, *headers.TOTAL, *headers.SUBTOTAL]
    assert [w for w in words if w not in text] == []
    for key in set(headers.COLUMNS.values()) - {"actual_source", "more_actuals", "more_sources"}:
        assert f"`{key}`" in text


# ---------------------------------------------------------------- issue 9: rows the tables hold that were not read

D = Decimal
NATIONAL = "national/project-2020.yaml"
PROVINCES = Path(__file__).parent / "data" / "provinces"
FUNDS = {"budget": 100, "executed": 100}


def national_row(**row: Any) -> perfrules.Result:
    """One open row (with defaults) scored by the national scheme."""
    base = {"level1": "产出指标", "level2": "数量指标", "name": "指标", "target": "≥90%", "actual": "95%", "weight": 10}
    return scheme(NATIONAL).evaluate({"funds": FUNDS, "indicators": [{**base, **row}]})


def codes(result: perfrules.Result) -> list[str]:
    return [f.code for f in result.findings]


@pytest.mark.parametrize("written,points", [
    ("产出指标(50)", 50), ("效益指标（30）", 30), ("满意度指标 (10)", 10), ("效益指标(30分)", 30), ("产出指标（50分）", 50),
    ("产出指标（ 50 ）", 50), ("产出指标(12.5)", D("12.5")), ("产出指标", None),
])
def test_a_category_cell_with_its_points_names_the_category(written, points):
    assert category_key(written) == category_key(written.split("(")[0].split("（")[0])
    assert category_points(written) == points


@pytest.mark.parametrize("level1", ["产出指标(50)", "效益指标（30）", "满意度指标 (10)", "效益指标(30分)"])
def test_rows_under_a_category_cell_without_fen_are_scored(level1):
    result = national_row(level1=level1)
    assert result.indicator("指标").score == D("10.00") and "unknown_category" not in codes(result)
    assert "category_points_differ" not in codes(result)


@pytest.mark.parametrize("level1", ["效益指标（20）", "效益指标(20分)", "产出指标（40分）"])
def test_points_in_a_category_cell_that_differ_from_the_scheme_are_a_finding(level1):
    result = national_row(level1=level1)
    assert result.indicator("指标").score == D("10.00")  # scored by the scheme's rules and category
    found = [f for f in result.findings if f.code == "category_points_differ"]
    assert len(found) == 1 and found[0].severity == "warning" and "按本方案计分" in found[0].message


@pytest.mark.parametrize("actual,extra,score", [
    ("达成年度指标", {}, D("10.00")),                                   # the level's default, 100%
    ("达成预期指标", {}, D("10.00")),                                   # the 预期 wording of Anhui and Hubei forms
    ("部分达成年度指标并具有一定效果", {"reported_score": 7}, D("7.00")),   # the unit's score, inside [60%, 80%)
    ("部分达成预期指标", {"fraction": "65%"}, D("6.50")),
    ("未达成年度指标且效果较差", {"fraction": "50%"}, D("5.00")),
    ("未达成预期指标", {"reported_score": 3}, D("3.00")),
])
def test_the_qualitative_level_written_as_the_actual(actual, extra, score):
    result = national_row(target="按计划完成", actual=actual, **extra)
    assert result.indicator("指标").score == score
    assert "qualitative_unread" not in codes(result)


@pytest.mark.parametrize("actual,extra,code", [
    ("部分达成预期指标", {}, "fraction_required"),                      # the band has no default share
    ("部分达成年度指标并具有一定效果", {"reported_score": 9}, "fraction_required"),  # 90% is not in [60%, 80%)
    ("未达成预期指标", {"fraction": "70%"}, "fraction_outside_band"),
])
def test_a_level_written_as_the_actual_keeps_its_band(actual, extra, code):
    result = national_row(target="按计划完成", actual=actual, **extra)
    assert result.indicator("指标").score is None and code in codes(result)


def test_a_level_in_the_level_column_may_use_the_vocabularys_wording():
    result = national_row(target="按计划完成", actual="见附件", level="达成预期指标")
    assert result.indicator("指标").score == D("10.00")


@pytest.mark.parametrize("target,actual", [
    ("≥95%", "=100%"), ("≥95%", "＝100%"), ("≥95%", "═100%"), ("≥95%", "﹦100%"), ("≤1件", "=0件"), ("=100家", "=100家"),
])
def test_an_actual_written_with_equals_states_its_value(target, actual):
    result = national_row(target=target, actual=actual)
    assert result.indicator("指标").score == D("10.00") and "actual_is_bound" not in codes(result)


@pytest.mark.parametrize("weight", ["/", "—", "-", "无", "", "／", "--"])
def test_a_weight_cell_that_says_none_is_a_row_without_a_weight(tmp_path, weight):
    text = ("一级指标,二级指标,三级指标,年度指标值,实际完成值,分值,得分\n"
            f"产出指标,数量指标,培训人数,750人,795人,{weight},\n"
            "产出指标,质量指标,合格率,≥95%,96%,50,50\n")
    result = scheme(NATIONAL).evaluate(csvfile(tmp_path / "in.csv", text))
    assert result.indicator("培训人数").score is None and result.indicator("合格率").score == D("50.00")
    assert [(f.severity, f.indicator) for f in result.findings if f.code == "missing_weight"] == [("error", "培训人数")]


@pytest.mark.parametrize("weight", ["/", "—", "无", ""])
def test_a_weight_that_says_none_in_yaml_is_no_weight_either(weight):
    result = national_row(weight=weight)
    assert result.indicator("指标").score is None and "missing_weight" in codes(result)


def test_a_row_of_slashes_is_a_placeholder_skipped_with_an_info_finding(tmp_path):
    text = ("一级指标,二级指标,三级指标,年度指标值,实际完成值,分值,得分\n"
            "产出指标,成本指标,/,/,/,/,/\n"
            "产出指标,质量指标,合格率,≥95%,96%,50,50\n")
    result = scheme(NATIONAL).evaluate(csvfile(tmp_path / "in.csv", text))
    assert [i.name for i in result.indicators] == ["预算执行率", "合格率"]
    found = [f for f in result.findings if f.code == "placeholder_row"]
    assert [(f.severity, f.indicator) for f in found] == [("info", "成本指标")]


def test_a_row_of_slashes_with_a_blank_name_is_an_unused_slot_not_an_error(tmp_path):
    """Before, its '/' target made it 'a row with a target but no indicator name' and stopped the file."""
    text = ("一级指标,二级指标,三级指标,年度指标值,实际完成值,分值,得分\n"
            "产出指标,成本指标,,/,/,/,/\n"
            "产出指标,质量指标,合格率,≥95%,96%,50,50\n")
    result = scheme(NATIONAL).evaluate(csvfile(tmp_path / "in.csv", text))
    assert [i.name for i in result.indicators] == ["预算执行率", "合格率"]


def test_a_reported_score_on_a_rejected_row_is_unverifiable_in_the_audit():
    data = {"funds": FUNDS, "indicators": [
        {"level1": "产出指标", "name": "合格率", "target": "≥95%", "actual": "96%", "weight": 50, "reported_score": 50},
        {"level1": "绩效管理", "name": "制度建设", "target": "健全", "actual": "健全", "weight": 5, "reported_score": 5},
        {"name": "宣传覆盖率", "target": "≥95%", "actual": "96%", "weight": 5, "reported_score": 4}]}
    found = [f for f in scheme(NATIONAL).audit(data).findings if f.code == "score_unverifiable"]
    assert [(f.severity, f.indicator, f.reported) for f in found] == [("info", "制度建设", "5"), ("info", "宣传覆盖率", "4")]
    assert "一级指标「绩效管理」不是本方案的一级指标" in found[0].message
    assert "不是本方案指标目录中的指标" in found[1].message


@pytest.mark.parametrize("actual", ["1.2E+02", "1.2e+02", "1.2E2"])
def test_scientific_notation_is_a_number(actual):
    """Today's 0.10 (the label 1.2E and the number 2, 2 ÷ 100 of 5 points) is 5.00."""
    result = national_row(target="≥100", actual=actual, weight=5)
    assert result.indicator("指标").score == D("5.00")


@pytest.mark.parametrize("cell,expected", [
    ("①③", [1, 3]), ("①②④", [1, 2, 4]), ("(1)(3)", [1, 3]), ("1、3", [1, 3]), ("1,3", [1, 3]), ("1 3", [1, 3]),
    ("一、三", [1, 3]),
])
def test_element_cells_as_other_provinces_write_them(tmp_path, cell, expected):
    path = csvfile(tmp_path / "in.csv", f"三级指标,分值,具备要素\n预算编制合理性,2.22,\"{cell}\"\n")
    assert spreadsheet.read(path).data["indicators"][0]["elements"] == expected


@pytest.mark.parametrize("cell,score", [("①③", D("1.55")), ("(1)(3)", D("1.55")), ("一、三", D("1.55")), ("1 3", D("1.55")),
                                        ("①②③", D("2.22")), ("③④", None)])
def test_elements_scored_through_zhengzhou(tmp_path, cell, score):
    """预算编制合理性: 要素1 30%, 要素2 30%, 要素3 40% of 2.22; 1 and 3 are 70% -> 1.55; it has no element 4."""
    path = csvfile(tmp_path / "in.csv", f"一级指标,三级指标,权重,具备要素\n投入和管理目标,预算编制合理性,2.22,\"{cell}\"\n")
    result = scheme("henan/zhengzhou-project-2021.yaml").evaluate(path)
    assert result.indicator("预算编制合理性").score == score
    if score is None:
        assert "unknown_element" in codes(result)


@pytest.mark.parametrize("actual", ["0.95", D("0.95"), "1"])
def test_a_bare_fraction_against_a_percentage_is_not_scored_in_silence(actual):
    result = national_row(target="≥90%", actual=actual)
    assert result.indicator("指标").score is None
    assert [f.severity for f in result.findings if f.code == "bare_fraction"] == ["error"]


@pytest.mark.parametrize("policy,score", [("fraction", D("10.00")), ("percent", D("0.11"))])
def test_the_scheme_declares_how_a_bare_fraction_reads(tmp_path, policy, score):
    path = tmp_path / "city.yaml"
    path.write_text(f"perfrules: 1\nid: demo/city\nextends: national/project-2020\nname: 某市\n"
                    f"policies: {{bare_fraction: {policy}}}\n", encoding="utf-8")
    result = perfrules.load(path).evaluate({"funds": FUNDS, "indicators": [
        {"level1": "满意度指标", "name": "满意度", "target": "≥90%", "actual": "0.95", "weight": 10}]})
    assert result.indicator("满意度").score == score
    assert [f.severity for f in result.findings if f.code == "bare_fraction"] == ["warning"]


@pytest.mark.parametrize("method,policy,score", [
    ("{kind: range}", "", None),
    ("{kind: linear_deduction, full_at: 100%, below: {step: 1%, deduct: 1%}}", "", None),
    ("{kind: linear_deduction, full_at: 100%, below: {step: 1%, deduct: 1%}}", "fraction", D("9.20")),
    ("{kind: bands, bands: [{range: '[90%, ]', share: 100%}, {range: '[0%, 90%)', share: 50%}]}", "", None),
    ("{kind: bands, bands: [{range: '[90%, ]', share: 100%}, {range: '[0%, 90%)', share: 50%}]}", "percent", D("5.00")),
])
def test_a_bare_fraction_against_a_percentage_range_full_at_or_band(method, policy, score):
    from conftest import scheme_with

    extra = f"policies: {{bare_fraction: {policy}}}" if policy else ""
    s = scheme_with(f"- {{name: x, weight: 10, target: 90%-95%, method: {method}}}", extra)
    result = s.evaluate({"indicators": [{"name": "x", "actual": "0.92"}]})
    assert result.indicator("x").score == score
    assert [f.severity for f in result.findings if f.code == "bare_fraction"] == ["warning" if policy else "error"]


@pytest.mark.parametrize("actual", ["95%", "0", "97", "1.5"])
def test_numbers_that_are_not_bare_fractions_read_as_before(actual):
    assert "bare_fraction" not in codes(national_row(target="≥90%", actual=actual))


@pytest.mark.parametrize("target,actual", [
    ("2021年12月底前", "2021年13月底前"), ("2021年12月底前", "2021年13月"), ("2021年13月底前", "2021年11月"),
    ("0000年12月底前", "2021年11月"), ("2021年12月底前", "0000年11月"), ("按计划完成", "2021年13月底前完成"),
])
def test_a_month_13_or_a_year_0000_is_unreadable_not_met(target, actual):
    result = national_row(target=target, actual=actual)
    assert result.indicator("指标").score is None and "unreadable_value" in codes(result)


def test_a_month_13_from_the_command_line_is_a_finding_not_a_traceback(capsys, tmp_path):
    path = tmp_path / "in.yaml"
    path.write_text("indicators:\n  - {level1: 产出指标, name: 完工时间, target: 2021年13月底前, actual: 2021年11月, weight: 10}\n",
                    encoding="utf-8")
    code, out, err = run(capsys, "score", str(RULESETS / NATIONAL), str(path))
    assert code == 1 and "unreadable_value" in out and "月份13不存在" in out and "Traceback" not in err


PROVINCE_TABLES = [  # (file, total, rows without a weight, placeholder rows)
    ("anhui-project-2023.csv", D("99.30"), ["水源地保护"], 1),
    ("hubei-project-2022.csv", D("95.80"), ["人均补助标准", "村医养老保障"], 1),
]


@pytest.mark.parametrize("name,total,weightless,placeholders", PROVINCE_TABLES)
def test_real_tables_from_other_provinces_read_every_row_with_a_target_an_actual_and_a_weight(
        name, total, weightless, placeholders):
    """Issue 9, done-when: category cells without 分, level names and 预期 wording as actuals, =100%,
    ＝100%, scientific notation, '/' '—' '无' weights and rows of '/', rescored by the national scheme."""
    path = PROVINCES / name
    record = sources.read(path)
    result = scheme(NATIONAL).evaluate(record)
    stated = [row.name for row in record.rows
              if not row.placeholder and row.target.value is not None and row.actual.value is not None
              and row.weight is not None]
    assert stated and all(result.indicator(n).score is not None for n in stated), scores(result)
    assert result.total == total
    errors = [(f.code, f.indicator) for f in result.findings if f.severity == "error"]
    assert errors == [("missing_weight", n) for n in weightless]
    assert codes(result).count("placeholder_row") == placeholders
    audit = [f.code for f in scheme(NATIONAL).audit(record).findings if f.code in ("total_differs", "score_differs")]
    assert audit == []  # the units' own scores and totals agree with the rescoring
