"""`perfrules need` / `scheme.need` (issue 11): the least actual for full marks, the fewest changes
that reach a grade, and properties on generated inputs of the shipped schemes."""

from __future__ import annotations

import json
import re
from decimal import Decimal

import pytest

import perfrules
from perfrules import sources
from perfrules.cli import main
from perfrules.engine import evaluate
from perfrules.inverse import lever
from perfrules.need import need

from conftest import EXAMPLES, ROOT, RULESETS, scheme_with

D = Decimal
NATIONAL = RULESETS / "national" / "project-2020.yaml"
EXAMPLE = EXAMPLES / "need-2021.yaml"


@pytest.fixture(scope="module")
def national() -> perfrules.Scheme:
    return perfrules.load(NATIONAL)


def _row(data: dict, name: str) -> dict:
    return next(r for r in data["indicators"] if r["name"] == name)


def _example() -> dict:
    import yaml

    return yaml.safe_load(EXAMPLE.read_text(encoding="utf-8"))


# ---------------------------------------------------------------- full marks, per indicator


def test_full_marks_gives_the_least_actual_in_the_schemes_units(national):
    answer = national.need(EXAMPLE)
    got = {f.indicator: f for f in answer.full_marks}
    assert got["组织用人单位职业卫生管理人员培训人数"].change.to == "750人"
    assert got["组织用人单位职业卫生管理人员培训人数"].gain == D(4)
    assert got["重点职业病监测覆盖率"].change.to == "95%"
    assert got["服务对象满意度"].change.to == "90%"
    assert got["职业病防治能力"].change.to == "100%（达成年度指标）"


def test_full_marks_by_the_schemes_rounding_is_said(national):
    """380.00万元 against ≤360.00万元: 360.18万元 scores 10 × (1 − 0.05%) = 9.995 → 10.00 by the scheme's
    rounding; 360.19万元 scores 9.99. The answer is written in 万元, to the cent of 万 the table uses."""
    got = {f.indicator: f for f in national.need(EXAMPLE).full_marks}
    cost = got["设备采购"]
    assert cost.change.to == "360.18万元" and "舍入" in (cost.why or "")
    data = _example()
    for actual, score in (("360.18万元", D("10.00")), ("360.19万元", D("9.99"))):
        _row(data, "设备采购")["actual"] = actual
        assert national.evaluate(data).indicator("设备采购").score == score
    funds = got["预算执行率"]
    assert funds.change.field == "executed" and funds.change.now == "340.00" and funds.change.to == "377.29"


def test_an_input_at_full_marks_says_so():
    department = perfrules.load(RULESETS / "hunan" / "department-2021.yaml")
    answer = department.need(EXAMPLES / "zhuzhou-department-2021.yaml")
    assert answer.full_marks == () and answer.total == D(100)
    assert answer.status == "top" and answer.plans == ()
    assert "各指标均已得满分" in answer.text()


def test_an_unscored_indicator_is_listed_with_why_never_guessed(national):
    answer = national.need(EXAMPLES / "zhuzhou-project-2021.yaml")
    unscored = [f for f in answer.full_marks if f.score is None]
    assert unscored and all(f.change is None and f.why.startswith("未能计分") for f in unscored)
    assert any("未能计分" in n for n in answer.notes)


def test_a_kind_without_an_inverse_says_so():
    scheme = scheme_with("""
- name: 项目完成时限
  weight: 10
  method: {kind: deadline}
""", total="10")
    answer = scheme.need({"indicators": [{"name": "项目完成时限", "target": "2021年12月底前", "actual": "2022年3月完成"}]})
    (only,) = answer.full_marks
    assert only.change is None and "deadline" in only.why
    # not "out of reach": completing on time would reach it; the tool cannot say what date is needed
    assert answer.status == "unknown" and answer.plans == ()
    assert "项目完成时限的计分方法无法反推（共10分未得）" in answer.message


def _kind_example(kind: str) -> tuple[perfrules.Scheme, str]:
    """The kind's documented example as a scheme of its one indicator: total = its weight, 合格 from 60%."""
    import yaml

    from perfrules.kinds import KINDS

    data = yaml.safe_load(KINDS[kind].example)
    top, inds = ({k: v for k, v in data.items() if k != "indicators"}, data["indicators"]) if isinstance(data, dict) \
        else ({}, data)
    w = D(str(inds[0]["weight"]))
    doc = {"perfrules": 1, "id": "test/need", "name": "test", "total": float(w),
           "grades": [{"grade": "合格", "range": f"[{w * D('0.6')}, {w}]"}, {"grade": "不合格", "range": f"[0, {w * D('0.6')})"}],
           **top, "categories": [{"name": "产出指标", "points": float(w), "indicators": inds}]}
    return perfrules.loads(yaml.safe_dump(doc, allow_unicode=True), "need.yaml"), inds[0]["name"]


@pytest.mark.parametrize("kind, row, full, plan", [
    ("per_occurrence", {"occurrences": 2}, "0次", None),  # 每出现一次扣1分: 5 − 2 = 3; none: 5
    ("levels", {"level": "结余超过上年结转"}, "无结余", ["有结余但不超过上年结转"]),  # 0 → 合格 (1.8) needs 2 points
    ("pass_fail", {"passed": False}, "合格", ["合格"]),
    ("pass_fail", {"actual": "未制定"}, "合格", ["合格"]),
    ("bands", {"actual": "50%"}, "90%", ["80%"]),  # 合格 needs 3 of 5: [80%, 90%) gives 4, [60%, 80%) only 2
    ("linear_deduction", {"actual": "97%"}, "100%", None),  # 99% gives 2.22 × 99% = 2.1978 → 2.20
    ("linear_deduction", {"actual": "96.5%"}, "99.8%", None),  # 2.22 × 99.8% = 2.21556 → 2.22 by the rounding
    ("linear_deduction", {"actual": "50%"}, "100%", ["61%"]),  # 合格 needs 1.332: 61% gives 1.35, 60% gives 1.33
])
def test_each_kind_turned_back_by_its_own_rule(kind, row, full, plan):
    scheme, name = _kind_example(kind)
    answer = scheme.need({"indicators": [{"name": name, **row}]})
    (only,) = answer.full_marks
    assert only.change is not None and only.change.to == full
    assert ("舍入" in (only.why or "")) is (full == "99.8%")
    if plan is None:
        assert answer.status == "top"
    else:
        assert [c.to for c in answer.plan.changes] == plan and answer.plan.grade == "合格"


def test_elements_with_the_real_zhengzhou_shares():
    """预算编制合理性 (2.22; 要素1 30%, 2 30%, 3 40%) with 要素1 only: 0.67; all three earn 2.22 (+1.55).
    合格 → asking 优秀 when the total is already 优秀 answers `reached`."""
    import yaml

    scheme = perfrules.load(RULESETS / "henan" / "zhengzhou-project-2021.yaml")
    data = yaml.safe_load((EXAMPLES / "zhengzhou-project-2021.yaml").read_text(encoding="utf-8"))
    _row(data, "预算编制合理性")["elements"] = [1]
    answer = scheme.need(data, grade="优秀")
    (got,) = answer.full_marks
    assert (got.score, got.change.now, got.change.to, got.gain) == (D("0.67"), "1", "1、2、3", D("1.55"))
    assert answer.status == "reached"


def test_a_word_for_an_actual_is_answered_with_the_target(national):
    """未完成 against ≥95% (0 by the vocabulary): no number now, so the scheme's own point, 95%."""
    data = _example()
    _row(data, "重点职业病监测覆盖率")["actual"] = "未完成"
    got = {f.indicator: f for f in national.need(data).full_marks}["重点职业病监测覆盖率"]
    assert (got.score, got.change.now, got.change.to, got.change.relative, got.gain) == (D(0), "未完成", "95%", 1, D(20))


def test_the_reviewers_value_is_what_changes(national):
    """A row with a 复核值: the reviewer's value is scored, so it is the one the answer changes."""
    data = _example()
    _row(data, "组织用人单位职业卫生管理人员培训人数").update(actual="750人", review_actual="600人")
    answer = national.need(data)
    got = {f.indicator: f for f in answer.full_marks}["组织用人单位职业卫生管理人员培训人数"]
    assert (got.change.now, got.change.to, got.gain) == ("600人", "750人", D(4))


def test_a_manual_deduction_stays_and_is_said(national):
    data = _example()
    _row(data, "重点职业病监测覆盖率")["deduction"] = 1
    got = {f.indicator: f for f in national.need(data).full_marks}["重点职业病监测覆盖率"]
    assert got.change.to == "95%" and got.change.score == D(19) and "扣减1分" in got.why


# ---------------------------------------------------------------- the grade


def test_the_next_grade_up_with_real_figures(national):
    """83.63 (良): 优 needs 6.37 more; one indicator does it: the evaluator's share of 职业病防治能力
    from 70% to 92% (30 × 92% = 27.6, total 90.23); 91% gives 27.3 and 89.93, still 良."""
    answer = national.need(EXAMPLE)
    assert (answer.total, answer.grade, answer.asked, answer.status) == (D("83.63"), "良", "优", "reachable")
    plan = answer.plan
    assert [c.indicator for c in plan.changes] == ["职业病防治能力"]
    assert plan.changes[0].to == "92%（达成年度指标）" and plan.total == D("90.23") and plan.grade == "优"
    data = _example()
    _row(data, "职业病防治能力").update(level="达成年度指标", fraction="91%")
    assert national.evaluate(data).total == D("89.93")


def test_fewest_indicators_first_then_the_least_relative_change(national):
    """72.54 (中): no single indicator at full marks adds the 17.46 that 优 needs (培训人数 adds 12, 覆盖率
    9.47); two do. Every plan listed is confirmed by the engine; the cheapest is first."""
    data = _example()
    _row(data, "组织用人单位职业卫生管理人员培训人数")["actual"] = "300人"
    _row(data, "重点职业病监测覆盖率")["actual"] = "50%"
    _row(data, "服务对象满意度")["actual"] = "50%"
    _row(data, "职业病防治能力").update(level="达成", fraction="100%")
    answer = national.need(data, grade="优")
    assert (answer.total, answer.status) == (D("72.54"), "reachable")
    assert {len(p.changes) for p in answer.plans} == {2}
    costs = [p.cost for p in answer.plans]
    assert costs == sorted(costs)
    best = answer.plan
    assert [c.indicator for c in best.changes] == ["组织用人单位职业卫生管理人员培训人数", "重点职业病监测覆盖率"]
    # 300 → 600人 (relative change 1) and 50% → 95% (0.9) cost 1.9; 750人 with 76% would cost 2.02
    assert [c.to for c in best.changes] == ["600人", "95%"] and best.total == D("90.01") and best.cost == D("1.9")
    for plan in answer.plans:
        result = evaluate(national, plan.record)
        assert result.total >= 90 and result.total == plan.total and result.grade == "优"
    _row(data, "组织用人单位职业卫生管理人员培训人数")["actual"] = "599人"
    _row(data, "重点职业病监测覆盖率")["actual"] = "95%"
    assert national.evaluate(data).total == D("89.98")


def _capped() -> dict:
    """The example with a manual deduction of 11 points on 职业病防治能力: 89 at most, 优 out of reach."""
    data = _example()
    _row(data, "职业病防治能力")["deduction"] = 11
    return data


def test_a_grade_out_of_reach_is_a_clear_answer(national):
    answer = national.need(_capped(), grade="优")
    assert answer.status == "unreachable" and answer.plans == ()
    assert answer.message == ("在本方案的规则内，没有改变能达到该等级：可反推的指标都得满分，总分也只增加16.37分，"
                              "达不到「优」（[90, 100]，还差17.37分）")
    assert national.need(_capped(), grade="良").status == "reachable"


def test_an_unknown_inverse_with_an_unreachable_rest_is_not_called_out_of_reach(national):
    data = _capped()
    data["indicators"].append({"level1": "产出指标", "level2": "时效指标", "name": "项目完成时限",
                               "target": "2021年12月底前", "actual": "2022年3月完成", "weight": 1})
    answer = national.need(data, grade="优")
    assert answer.status == "unknown" and "项目完成时限" in answer.message


def test_unscored_indicators_leave_the_grade_open_not_out_of_reach(national, capsys):
    """Lusong's report gives no actual for 45 points of indicators: 55 (lower end) cannot reach 中 by the
    scored ones, but the grade is not out of reach: the answer says to supply the data."""
    answer = national.need(EXAMPLES / "lusong-2021.yaml")
    assert answer.status == "unscored" and answer.plans == ()
    assert answer.message.startswith("只改变可反推的指标达不到该等级") and "补齐其数据后再算" in answer.message
    assert "城乡居民健康档案建档率" in answer.message
    assert main(["need", str(NATIONAL), str(EXAMPLES / "lusong-2021.yaml")]) == 1


def test_an_empty_category_leaves_the_grade_open(national):
    """Only 产出指标 rows (效益 and 满意度 have none): their 40 points are unscored, not lost."""
    data = {"unit": "某区卫生健康局", "funds": {"budget": "100", "executed": "100"}, "indicators": [
        {"level1": "产出指标", "level2": "数量指标", "name": "组织用人单位职业卫生管理人员培训人数", "target": "750人",
         "actual": "600人", "weight": 50}]}
    assert national.need(data, grade="中").status == "reachable"  # 50 + 10 (750人) = 60
    answer = national.need(data, grade="良")
    assert answer.status == "unscored" and "没有任何指标" in answer.message and "总分最多90.00" in answer.message  # 50 now, 40 unscored


def test_an_asked_grade_already_reached(national):
    answer = national.need(EXAMPLE, grade="中")
    assert answer.status == "reached" and "已达到「中」" in answer.message


def test_an_unknown_grade_is_an_input_error(national):
    with pytest.raises(perfrules.InputError, match="特优"):
        national.need(EXAMPLE, grade="特优")


def test_answers_are_decimal_and_json_keeps_them_as_strings(national):
    answer = national.need(EXAMPLE)
    assert isinstance(answer.total, Decimal) and all(isinstance(c.score, Decimal) for p in answer.plans for c in p.changes)
    d = answer.to_dict()
    json.dumps(d)
    assert d["plans"][0]["total"] == "90.23" and d["full_marks"][1]["change"]["to"] == "750人"


# ---------------------------------------------------------------- audit: grade_fragile


def _fragile(result: perfrules.Result) -> list[perfrules.Finding]:
    return [f for f in result.findings if f.code == "grade_fragile"]


def test_audit_says_when_one_point_decides_the_grade(national):
    """90.23 is 优 by 0.23 points: the evaluator's share of 职业病防治能力 at 91% instead of 92% makes it 良."""
    data = _example()
    _row(data, "职业病防治能力").update(level="达成", fraction="92%")
    (found,) = _fragile(national.audit(data))
    assert found.severity == "info" and found.indicator == "grade"
    assert found.message == ("总分90.23只比「优」的下限高0.23分：职业病防治能力的评价比例由92%变为91%（达成年度指标），"
                             "总分即为89.93（良）。等级由1分之差或一行的舍入决定")


def test_audit_says_when_one_point_short_of_the_next_grade(national):
    """89.33 is 良, 0.67 short of 优: the least single change that reaches it is named."""
    data = _example()
    _row(data, "职业病防治能力").update(level="达成", fraction="89%")
    result = national.audit(data)
    assert result.total == D("89.33")
    (found,) = _fragile(result)
    assert found.message.startswith("总分89.33距「优」只差0.67分：")
    changed = found.computed.split(": ")
    data2 = _example()
    _row(data2, "职业病防治能力").update(level="达成", fraction="89%")
    assert len(changed) == 2 and changed[0] in {r["name"] for r in data2["indicators"]}


def test_no_grade_fragile_far_from_an_edge_or_on_an_incomplete_total(national):
    assert _fragile(national.audit(EXAMPLE)) == []  # 83.63: 3.63 above 良, 6.37 short of 优
    assert _fragile(national.audit(EXAMPLES / "lusong-2021.yaml")) == []  # incomplete: no grade to be fragile
    department = perfrules.load(RULESETS / "hunan" / "department-2021.yaml")
    assert _fragile(department.audit(EXAMPLES / "zhuzhou-department-2021.yaml")) == []  # 100: 优 by 10 points


def test_grade_fragile_is_one_point_exactly(national):
    """91.00 minus 1 is 90.00, still 优 ([90, 100]): not fragile; 90.99 is."""
    scheme = scheme_with("""
- name: 培训人数
  weight: 100
  method: {kind: higher_is_better}
""", total="100")
    for actual, fragile in (("91", False), ("90.99", True), ("88.9", False), ("89", True)):
        found = _fragile(scheme.audit({"indicators": [{"name": "培训人数", "target": "100", "actual": actual}]}))
        assert bool(found) is fragile, actual


# ---------------------------------------------------------------- the command


def test_cli_table_and_json(capsys):
    assert main(["need", str(NATIONAL), str(EXAMPLE)]) == 0
    out = capsys.readouterr().out
    assert "距「优」（[90, 100]）还差6.37分" in out and "92%" in out
    assert main(["need", str(NATIONAL), str(EXAMPLE), "--grade", "优", "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out)["asked"] == "优"


def test_cli_unknown_grade_exits_2_without_a_traceback(capsys):
    assert main(["need", str(NATIONAL), str(EXAMPLE), "--grade", "特优"]) == 2
    err = capsys.readouterr().err
    assert "特优" in err and "Traceback" not in err


def test_cli_unreachable_exits_1(tmp_path, capsys):
    import yaml

    path = tmp_path / "in.yaml"
    path.write_text(yaml.safe_dump(_capped(), allow_unicode=True), encoding="utf-8")
    assert main(["need", str(NATIONAL), str(path), "--grade", "优"]) == 1
    assert "没有改变能达到该等级" in capsys.readouterr().out
    assert main(["need", str(NATIONAL), str(path), "--grade", "良"]) == 0


def test_cli_reads_a_spreadsheet_and_refuses_a_checks_ruleset(capsys):
    assert main(["need", str(RULESETS / "hunan" / "department-2021.yaml"), str(EXAMPLES / "zhuzhou-department-2021.xlsx")]) == 0
    assert "各指标均已得满分" in capsys.readouterr().out
    assert main(["need", str(RULESETS / "checks" / "final-accounts.yaml"),
                 str(EXAMPLES / "yangquan-final-accounts-2024.yaml")]) == 2
    err = capsys.readouterr().err
    assert "nothing to score" in err and "Traceback" not in err


def test_docs_need_example_is_what_the_command_prints(capsys):
    """docs/need.md shows a run of the command: it must be the command's output, figure for figure."""
    text = (ROOT / "docs" / "need.md").read_text(encoding="utf-8")
    blocks = re.findall(r"^```text\n\$ (perfrules need [^\n]+)\n(.*?)^```", text, re.M | re.S)
    assert blocks
    for command, shown in blocks:
        args = command.split()[1:]
        code = main([str(ROOT / a) if a.endswith(".yaml") else a for a in args])
        assert code in (0, 1)
        assert capsys.readouterr().out == shown, command


# ---------------------------------------------------------------- properties on generated inputs

hypothesis = pytest.importorskip("hypothesis", reason="the property tests need hypothesis (perfrules[testing])")
from hypothesis import HealthCheck, given, settings, strategies as st  # noqa: E402

from perfrules.testing.generate import inputs  # noqa: E402

SHIPPED = ["national/project-2020", "hunan/project-2021", "hunan/department-2021", "henan/zhengzhou-project-2021",
           "shanxi/yangquan-project-2024"]


@pytest.fixture(scope="module")
def shipped() -> dict[str, perfrules.Scheme]:
    return {name: perfrules.load(RULESETS / f"{name}.yaml") for name in SHIPPED}


def _reaches(scheme: perfrules.Scheme, total: Decimal, grade: str) -> bool:
    band = next(b for b in scheme.bands if b.grade == grade)
    low = band.interval.low
    return low is None or total > low or (total == low and band.interval.low_inclusive)


@pytest.mark.parametrize("name", SHIPPED)
@settings(max_examples=10, deadline=None, database=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(data=st.data())
def test_applying_the_answer_reaches_the_grade_and_no_smaller_change_does(shipped, name, data):
    scheme = shipped[name]
    raw = data.draw(inputs(scheme, reviews=False))
    record = sources.read(raw)
    result = evaluate(scheme, record)
    answer = need(scheme, record)
    if answer.status != "reachable":
        assert answer.plans == ()
        return
    for plan in answer.plans:
        after = evaluate(scheme, plan.record)
        assert _reaches(scheme, after.total, answer.asked), plan
        assert after.total == plan.total
    plan = answer.plans[0]
    if len(plan.changes) == 1:  # one step of its precision less (or a cheaper choice) does not reach
        for smaller in _smaller(scheme, record, result, plan.changes[0]):
            assert not _reaches(scheme, evaluate(scheme, smaller).total, answer.asked), plan
    else:  # several: no single indicator reaches it alone, even at full marks
        for f in answer.full_marks:
            if f.gain is not None:
                assert not _reaches(scheme, result.total + f.gain, answer.asked), f


def _smaller(scheme, record, result, change):
    """The inputs with a smaller change than `change`: its number one step of its precision nearer to
    where it is now, or each cheaper choice (fewer elements, a nearer level)."""
    lv = lever(scheme, record, result, change.position)
    assert not isinstance(lv, str)
    if lv.step is None:
        return [lv.put(record, v) for v, cost in lv.choices if cost < change.relative]
    if lv.direction is None or lv.current is None:
        return []
    sign = 1 if lv.direction == "up" else -1
    smaller = change.value - sign * lv.step
    return [lv.put(record, smaller)] if (smaller - lv.current) * sign > 0 else []


@pytest.mark.parametrize("name", SHIPPED)
@settings(max_examples=10, deadline=None, database=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(data=st.data())
def test_full_marks_changes_earn_full_marks(shipped, name, data):
    scheme = shipped[name]
    record = sources.read(data.draw(inputs(scheme)))  # with reviewers' values now and then
    result = evaluate(scheme, record)
    for f in need(scheme, record).full_marks:
        if f.change is None:
            assert f.why
            continue
        lv = lever(scheme, record, result, f.change.position)
        assert not isinstance(lv, str)
        after = evaluate(scheme, lv.put(record, f.change.value))
        got = after.indicators[f.change.position]
        assert got.score is not None and got.score >= f.weight - (record.rows[got.row].deduction or 0 if got.row is not None else 0)
        assert after.total - result.total == f.gain
        for smaller in _smaller(scheme, record, result, f.change):
            less = evaluate(scheme, smaller).indicators[f.change.position]
            assert less.score is None or less.score < got.score, f


@pytest.mark.parametrize("name", SHIPPED)
def test_an_input_at_full_marks_needs_nothing(shipped, name):
    from perfrules.testing.generate import probes

    scheme = shipped[name]
    base = probes(scheme)[0]  # every indicator at its target
    answer = scheme.need(base)
    result = scheme.evaluate(base)
    assert all(i.score is not None and i.score >= i.weight for i in result.indicators if i.applicable)
    assert answer.full_marks == () and answer.status == "top"
    assert "各指标均已得满分" in answer.text()


@pytest.mark.parametrize("name", SHIPPED)
@settings(max_examples=10, deadline=None, database=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(data=st.data())
def test_grade_fragile_crossings_cross(shipped, name, data):
    """A grade is fragile exactly when one point moves the total out of its band; the single change
    named does move it across, and is confirmed by scoring the changed input."""
    from perfrules.need import fragile

    scheme = shipped[name]
    record = sources.read(data.draw(inputs(scheme, reviews=False)))
    result = evaluate(scheme, record)
    down_by, down, up_by, up = fragile(scheme, record, result)
    if not result.complete or result.grade is None:
        assert (down_by, down, up_by, up) == (None, None, None, None)
        return
    assert (down_by is not None) is (scheme.grade(result.total - 1) != result.grade)
    above = scheme.grade(result.total + 1)
    assert (up_by is not None) is (above is not None and above != result.grade)
    for crossing in (down, up):
        if crossing is not None:
            assert crossing.grade != result.grade
    if down is not None:
        assert down.total < result.total
    if up is not None:
        assert up.total > result.total
    findings = [f for f in scheme.audit(record).findings if f.code == "grade_fragile"]
    assert len(findings) == (down_by is not None or up_by is not None)
