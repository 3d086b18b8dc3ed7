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
from perfrules import inputs, tables
from perfrules.cli import main
from perfrules.errors import InputError
from perfrules.tables import batch, headers
from perfrules.tables.grid import excel_value, load_xlsx

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
    data = tables.read(path).data
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
    record = inputs.read(path)
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
    data = tables.read(path).data
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
    data = tables.read(path).data
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
    data = tables.read(csvfile(tmp_path / "in.csv", text, "gb18030")).data
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
    data = tables.read(xlsx(tmp_path / "in.xlsx", rows, merges=("A3:G3",))).data
    assert [r["name"] for r in data["indicators"]] == ["组织用人单位职业卫生管理人员培训人数", "重点职业病监测覆盖率"]
    assert "weight" not in data["indicators"][1] and "reported_score" not in data["indicators"][1]


@pytest.mark.parametrize("cell,expected", [
    ("1、2、3", [1, 2, 3]), ("要素1、3", [1, 3]), ("1~8、9", list(range(1, 10))), ("1-3", [1, 2, 3]),
    ("1，2", [1, 2]), ("3、1、3", [1, 3]), ("无", []), ("2", [2]),
])
def test_elements_as_written(tmp_path, cell, expected):
    path = csvfile(tmp_path / "in.csv", f"三级指标,分值,具备要素\n财务监控有效性,2.22,\"{cell}\"\n")
    assert tables.read(path).data["indicators"][0]["elements"] == expected


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
        inputs.read(path)
    assert [str(p) for p in exc.value.problems] == [f"{path}:{expected}"]


def test_every_problem_at_once_in_sheet_order(tmp_path):
    rows = [["全年预算数", "全年执行数"], ["很多", 90], [], HEAD, GOOD[:5] + ["两分", 3], GOOD[:5] + [3, "三分", "一些"],
            [None, None, None, "750人", "795人", 3, 3]]
    path = xlsx(tmp_path / "x.xlsx", rows)
    with pytest.raises(InputError) as exc:
        inputs.read(path)
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
        inputs.read(path)
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
        inputs.read(path)
    assert str(exc.value).startswith(f"{path}: {message}")


def test_no_header_names_the_sheets(tmp_path):
    path = xlsx(tmp_path / "x.xlsx", [["项目名称", "职业鉴定经费"]], sheet="Sheet1")
    with pytest.raises(InputError, match=r"no 自评表 header row found in Sheet1: a row naming 三级指标"):
        inputs.read(path)


# ---------------------------------------------------------------- the seed workbooks

@pytest.mark.parametrize("example,ruleset,total,grade", SEEDS)
def test_each_seed_workbook_scores_as_its_yaml(example, ruleset, total, grade):
    ra, rb = inputs.read(EXAMPLES / f"{example}.yaml"), inputs.read(EXAMPLES / f"{example}.xlsx")
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
    ra, rb = inputs.read(EXAMPLES / f"{example}.xlsx"), inputs.read(out)
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
    ra, rb = inputs.read(EXAMPLES / f"{example}.yaml"), inputs.read(out)
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
    outcomes = batch.score_all(scheme("hunan/department-2021.yaml"), [EXAMPLES / "zhuzhou-department-2021.xlsx", EXAMPLES / "zhuzhou-project-2021.xlsx"], stream)
    text = stream.getvalue()
    assert "\r[------------------------] 0/2 zhuzhou-department-2021.xlsx" in text
    assert "\r[############------------] 1/2 zhuzhou-project-2021.xlsx" in text
    assert text.endswith("\r\x1b[K" + text.rsplit("\r\x1b[K", 1)[1]) and text.rstrip().endswith("0 could not be read")
    assert batch.exit_code(outcomes) == 0


def test_inputs_read_dispatches_on_the_extension():
    record = inputs.read(str(EXAMPLES / "zhuzhou-department-2021.xlsx"))
    assert record.file == str(EXAMPLES / "zhuzhou-department-2021.xlsx") and len(record.rows) == 21
    assert ROOT.joinpath("pyproject.toml").read_text(encoding="utf-8").count('"openpyxl>=3.1"') == 1


def test_docs_list_every_header_recognised():
    text = (ROOT / "docs" / "tables.md").read_text(encoding="utf-8")
    words = [*headers.COLUMNS, *headers.FUNDS, *headers.IGNORED, *headers.UNIT, *headers.PROJECT, *headers.YEAR,
             *headers.GRADE, *headers.TOTAL, *headers.SUBTOTAL]
    assert [w for w in words if w not in text] == []
    for key in set(headers.COLUMNS.values()) - {"actual_source", "more_actuals", "more_sources"}:
        assert f"`{key}`" in text
