"""perfrules audit: re-scoring published self-evaluations and the checks over their own figures."""

from __future__ import annotations

import copy
import json
from decimal import Decimal

import pytest
import yaml

import perfrules
from conftest import EXAMPLES, RULESETS
from perfrules.cli import main

D = Decimal
FINAL = RULESETS / "checks" / "final-accounts.yaml"
YQ = RULESETS / "shanxi" / "yangquan-project-2024.yaml"


def findings(result, *severities):
    return [f for f in result.findings if not severities or f.severity in severities]


def codes(result):
    return {f.code for f in result.findings}


def raw(name):
    return yaml.load((EXAMPLES / name).read_text(encoding="utf-8"), Loader=perfrules.sources.yaml_text._Loader)


# ---------------------------------------------------------------- seed 004: the final accounts


def test_final_accounts_of_seed_004_hold_within_the_rounding_the_tables_warn_of():
    result = perfrules.load(FINAL).audit(EXAMPLES / "yangquan-final-accounts-2024.yaml")
    assert findings(result, "error", "warning") == []  # no false alarm on the rows that add up
    tolerated = findings(result, "info")
    assert all(f.code == "within_tolerance" for f in tolerated)
    # DOMAIN: 基本支出 144.09 + 项目支出 54.09 = 198.18 against a total of 198.19
    row = next(f for f in tolerated if f.indicator == "支出决算表·合计" and f.reported == "198.19")
    assert row.computed == "198.18" and "在尾数误差0.01之内" in row.message
    # what else the tables print a cent apart, also within the tolerance
    assert {(f.indicator, f.reported, f.computed) for f in tolerated} >= {
        ("一般公共预算财政拨款基本支出决算明细表·302 商品和服务支出", "5.57", "5.58"),
        ("基本支出144.09万元，占比72.71%", "72.71", "72.70"),
    }


def test_a_row_that_does_not_add_up_is_an_error_with_both_numbers():
    data = raw("yangquan-final-accounts-2024.yaml")
    rows = data["tables"]["支出决算表"]
    next(r for r in rows if r["科目代码"] == "21099")["本年支出合计"] = D("152.61")
    result = perfrules.load(FINAL).audit(data)
    errors = {(f.code, f.indicator, f.reported, f.computed) for f in findings(result, "error")}
    assert ("row_parts_mismatch", "支出决算表·21099 其他卫生健康支出", "152.61", "151.61") in errors
    assert ("subtotal_mismatch", "支出决算表·21099 其他卫生健康支出", "152.61", "151.61") in errors
    assert ("subtotal_mismatch", "支出决算表·210 卫生健康支出", "160.82", "161.82") in errors


def test_a_percentage_in_the_text_that_is_not_the_ratio():
    data = raw("yangquan-final-accounts-2024.yaml")
    data["claims"][8]["value"] = "80.14%"  # 卫生健康支出 160.82 of 198.19 is 81.14%
    result = perfrules.load(FINAL).audit(data)
    bad = [f for f in result.findings if f.code == "percentage_mismatch"]
    assert len(bad) == 1 and bad[0].reported == "80.14" and bad[0].computed == "81.14"
    assert bad[0].message.startswith("「卫生健康支出(类)160.82万元，占比81.14%」：160.82 ÷ 198.19 = 81.1444%")


def test_income_and_carry_over_make_the_total():
    data = raw("yangquan-final-accounts-2024.yaml")
    data["figures"]["年初结转和结余"] = D("0.58")
    result = perfrules.load(FINAL).audit(data)
    bad = next(f for f in result.findings if f.code == "income_total_mismatch")
    assert (bad.reported, bad.computed) == ("198.19", "198.29")


def test_a_figure_the_input_lacks_is_skipped_not_passed():
    data = raw("yangquan-final-accounts-2024.yaml")
    del data["figures"]["人员经费合计"]
    result = perfrules.load(FINAL).audit(data)
    skipped = [f for f in result.findings if f.code == "check_skipped"]
    assert skipped and all("人员经费合计" in f.message for f in skipped)


# ---------------------------------------------------------------- seed 004: the project annex


def test_seed_004_annex_audit():
    result = perfrules.load(YQ).audit(EXAMPLES / "yangquan-project-2024.yaml")
    by_code = {}
    for f in result.findings:
        by_code.setdefault(f.code, []).append(f)
    # the category self-scores do not add up to the total
    total = by_code["reported_sum_differs"][0]
    assert (total.indicator, total.reported, total.computed) == ("total", "99", "117")
    # the budget in the table disagrees with the text
    budget = next(f for f in by_code["funds_conflict"] if f.message.startswith("全年预算数"))
    assert (budget.reported, budget.computed) == ("12.50", "12.25")
    # what the execution rate of 26.12% does to the score
    what_if = by_code["funds_what_if"][0]
    assert (what_if.reported, what_if.computed) == ("10.00", "2.61")
    assert "执行率26.12%，资金得分2.61（按表中数为10.00）" in what_if.message
    # the text says 97, the annex 99; and 26.12% is not what the table's own figures give
    assert (by_code["reported_conflict"][0].reported, by_code["reported_conflict"][0].computed) == ("99", "97")
    assert (by_code["rate_differs"][0].reported, by_code["rate_differs"][0].computed) == ("26.12%", "100%")


# ---------------------------------------------------------------- consistent tables and each comparison


def test_a_consistent_table_has_nothing_to_report():
    result = perfrules.load(RULESETS / "hunan" / "department-2021.yaml").audit(EXAMPLES / "zhuzhou-department-2021.yaml")
    audit_codes = set(perfrules.audit.AUDIT_CODES)
    assert not (codes(result) & audit_codes)


def test_seed_001_funds_table_holds_and_a_wrong_row_is_caught():
    scheme = perfrules.load(RULESETS / "henan" / "zhengzhou-project-2021.yaml")
    assert scheme.audit(EXAMPLES / "zhengzhou-project-2021.yaml").findings == ()
    data = raw("zhengzhou-project-2021.yaml")
    data["figures"]["资金结余"] = 100000
    bad = [f for f in scheme.audit(data).findings if f.code == "funds_table_mismatch"]
    assert len(bad) == 1 and bad[0].indicator.startswith("(5) 资金结余") and (bad[0].reported, bad[0].computed) == ("100000", "0")


def _department(change):
    data = raw("zhuzhou-department-2021.yaml")
    change(data)
    return perfrules.load(RULESETS / "hunan" / "department-2021.yaml").audit(data)


def _row(data, name):
    return next(r for r in data["indicators"] if r["name"] == name)


def test_score_differs_with_the_explanation():
    result = _department(lambda d: _row(d, "组织用人单位职业卫生管理人员培训人数").update(actual="600人"))
    f = next(f for f in result.findings if f.code == "score_differs")
    assert (f.indicator, f.reported, f.computed) == ("组织用人单位职业卫生管理人员培训人数", "3", "2.40")
    assert "按完成比例计分（600人 ÷ 750人 = 80%）" in f.message


def test_a_missed_target_given_full_marks_without_a_reason():
    result = _department(lambda d: _row(d, "组织用人单位职业卫生管理人员培训人数").update(actual="600人"))
    assert {"missed_full_marks", "missed_no_reason", "total_differs"} <= codes(result)
    total = next(f for f in result.findings if f.code == "total_differs")
    assert (total.reported, total.computed) == ("100", "99.40")


def test_a_missed_target_with_a_reason_is_not_flagged_for_the_reason():
    def change(d):
        _row(d, "组织用人单位职业卫生管理人员培训人数").update(actual="600人", reported_score=D("2.4"), deviation_reason="疫情影响，集中培训取消一期")
        d["reported_total"] = D("99.4")
    result = _department(change)
    assert not ({"missed_full_marks", "missed_no_reason", "score_differs", "total_differs"} & codes(result))


def test_points_docked_though_the_target_was_met():
    def change(d):
        _row(d, "重点职业病监测覆盖率").update(reported_score=4)
        d["reported_total"] = 99
    result = _department(change)
    docked = next(f for f in result.findings if f.code == "docked_no_reason")
    assert (docked.indicator, docked.reported, docked.computed) == ("重点职业病监测覆盖率", "4", "5.00")


def test_grades():
    def change(d):
        d["reported_grade"] = "良"
    result = _department(change)
    assert {"grade_differs", "reported_grade_inconsistent"} <= codes(result)


def test_execution_rate_reported_against_the_amounts():
    result = _department(lambda d: d["funds"].update(reported_rate="95%"))
    f = next(f for f in result.findings if f.code == "rate_differs")
    assert (f.indicator, f.reported, f.computed) == ("funds", "95%", "100%")


def test_audit_json_findings_carry_both_numbers(capsys):
    code = main(["audit", str(YQ), str(EXAMPLES / "yangquan-project-2024.yaml"), "--format", "json"])
    data = json.loads(capsys.readouterr().out)
    assert code == 1
    assert data["total"] == "87.50"
    for f in data["findings"]:
        assert {"code", "severity", "indicator", "reported", "computed", "message"} <= set(f)
    assert {"code": "reported_sum_differs", "indicator": "total", "reported": "99", "computed": "117"}.items() <= \
        next(f for f in data["findings"] if f["code"] == "reported_sum_differs").items()


def test_audit_checks_only_ruleset_and_exit_codes(capsys):
    assert main(["audit", "checks/final-accounts", str(EXAMPLES / "yangquan-final-accounts-2024.yaml")]) == 0
    out = capsys.readouterr().out
    assert "本方案只核对报告中的数字，不评分" in out and "within_tolerance" in out
    with pytest.raises(perfrules.PerfrulesError, match="nothing to score"):
        perfrules.load(FINAL).evaluate(EXAMPLES / "yangquan-final-accounts-2024.yaml")


def test_audit_xlsx_has_the_findings(tmp_path, capsys):
    out = tmp_path / "audit.xlsx"
    assert main(["audit", str(YQ), str(EXAMPLES / "yangquan-project-2024.yaml"), "--format", "xlsx", "-o", str(out)]) == 1
    import openpyxl

    book = openpyxl.load_workbook(out)
    texts = {str(c.value) for sheet in book.worksheets[1:] for row in sheet.iter_rows() for c in row if c.value is not None}
    assert "reported_sum_differs" in texts and "funds_what_if" in texts


def test_audit_needs_a_file_for_xlsx(capsys):
    assert main(["audit", str(YQ), str(EXAMPLES / "yangquan-project-2024.yaml"), "--format", "xlsx"]) == 2


def test_deepcopy_keeps_examples_intact():
    data = raw("yangquan-final-accounts-2024.yaml")
    before = copy.deepcopy(data)
    perfrules.load(FINAL).audit(data)
    assert data == before
