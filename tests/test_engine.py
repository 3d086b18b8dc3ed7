"""The engine's contract: matching, review values, not-applicable, weight shares, findings."""

from __future__ import annotations

import json
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import perfrules
from conftest import EXAMPLES, RULESETS, scheme_with

D = Decimal
ZHENGZHOU = RULESETS / "henan" / "zhengzhou-project-2021.yaml"


@pytest.fixture(scope="module")
def zhengzhou():
    return perfrules.load(ZHENGZHOU)


def test_python_api_as_documented(zhengzhou):
    result = zhengzhou.evaluate(EXAMPLES / "zhengzhou-project-2021.yaml")
    assert (result.total, result.grade) == (D("100.00"), "优秀")
    first = result.indicators[0]
    assert (first.name, first.score, first.weight) == ("预算执行率", D("2.22"), D("2.22"))
    assert isinstance(first.score, Decimal)
    assert first.explanation.endswith("2.22 × 100% = 2.22")


def test_explanation_in_the_schemes_terms(zhengzhou):
    result = zhengzhou.evaluate({"indicators": [{"name": "预算执行率", "actual": "97%"}]})
    assert result.indicator("预算执行率").explanation == \
        "业绩值97%，低于100%共3个百分点，每1%扣权重分的1%，2.22 × (1 − 3%) = 2.1534 → 2.15"


def test_python_floats_are_read_as_written(zhengzhou):
    result = zhengzhou.evaluate({"indicators": [{"name": "预算执行率", "actual": 97.0, "weight": 2.22}]})
    assert result.indicator("预算执行率").score == D("2.15")


def test_review_value_replaces_the_units(zhengzhou):
    result = zhengzhou.evaluate({"indicators": [{"name": "预算执行率", "actual": "100%", "review_actual": "95%"}]})
    ind = result.indicator("预算执行率")
    assert ind.score == D("2.11") and ind.reviewed
    assert ind.explanation.startswith("复核业绩值「95%」替代单位填报的「100%」")


def test_review_elements_replace_the_units(zhengzhou):
    result = zhengzhou.evaluate({"indicators": [{"name": "资金使用规范性", "elements": [1, 2, 3, 4, 5], "review_elements": [1, 2, 3, 4]}]})
    assert result.indicator("资金使用规范性").score == D("0.00")


def test_unknown_and_duplicate_indicators_are_findings(zhengzhou):
    result = zhengzhou.evaluate({"indicators": [
        {"name": "预算执行率", "actual": "100%"}, {"name": "预算执行率", "actual": "50%"}, {"name": "不存在的指标", "actual": "1"}]})
    codes = [f.code for f in result.findings]
    assert "duplicate_indicator" in codes and "unknown_indicator" in codes
    assert result.indicator("预算执行率").score == D("2.22")  # the first row counts


def test_missing_catalogue_indicators_leave_the_total_incomplete(zhengzhou):
    result = zhengzhou.evaluate({"indicators": [{"name": "预算执行率", "actual": "100%"}]})
    assert not result.complete and result.grade is None
    assert result.total == D("2.22") and result.total_max == D("100.00")
    assert [i.score for i in result.indicators].count(None) == 20


def test_order_of_rows_does_not_change_the_result():
    scheme = perfrules.load(RULESETS / "hunan" / "department-2021.yaml")
    import yaml

    raw = yaml.safe_load((EXAMPLES / "zhuzhou-department-2021.yaml").read_text(encoding="utf-8"))
    forward = scheme.evaluate(EXAMPLES / "zhuzhou-department-2021.yaml")
    raw["indicators"].reverse()
    backward = scheme.evaluate(json.loads(json.dumps(raw, default=str)))
    assert forward.total == backward.total and forward.grade == backward.grade
    assert sorted((i.name, i.score) for i in forward.indicators) == sorted((i.name, i.score) for i in backward.indicators)


def test_not_applicable_full():
    s = scheme_with("- {name: a, weight: 5, method: {kind: higher_is_better}}\n- {name: b, weight: 5, method: {kind: higher_is_better}}",
                    extra="policies: {not_applicable: full}")
    r = s.evaluate({"indicators": [{"name": "a", "target": "100", "actual": "80"}, {"name": "b", "applicable": False}]})
    assert r.indicator("b").score == D("5") and r.total == D("9.00")


def test_not_applicable_rescales_the_total():
    s = scheme_with("- {name: a, weight: 5, method: {kind: higher_is_better}}\n- {name: b, weight: 5, method: {kind: higher_is_better}}",
                    extra="policies: {not_applicable: rescale}")
    r = s.evaluate({"indicators": [{"name": "a", "target": "100", "actual": "80"}, {"name": "b", "actual": "不适用"}]})
    assert r.indicator("b").score is None and not r.indicator("b").applicable
    assert r.complete and r.total == D("8.00")  # 4 of the 5 applicable points, on a scale of 10
    assert r.notes and "折算" in r.notes[0]


def test_weight_shares_zhesuan():
    text = """
perfrules: 1
id: test/shares
name: 折算
grades: [{grade: 合格, range: "[0, 100]"}]
categories:
  - name: 项目管理
    points: 20
    scale: 20%
    indicators:
      - {name: a, weight: 60, method: {kind: higher_is_better}}
      - {name: b, weight: 40, method: {kind: higher_is_better}}
  - name: 项目效益
    points: 80
    scale: 80%
    indicators:
      - {name: c, weight: 100, method: {kind: higher_is_better}}
"""
    s = perfrules.loads(text)
    assert not s.findings
    r = s.evaluate({"indicators": [{"name": "a", "target": "100", "actual": "50"}, {"name": "b", "target": "1", "actual": "1"},
                                   {"name": "c", "target": "1", "actual": "1"}]})
    assert [c.score for c in r.categories] == [D("14.00"), D("80.00")]  # (30 + 40) × 20%
    assert r.total == D("94.00")


def test_funds_row_out_of_the_total():
    text = """
perfrules: 1
id: test/funds
name: funds row shown but not counted
total: 90
grades: [{grade: 合格, range: "[0, 90]"}]
categories:
  - name: 预算执行率
    points: 10
    in_total: false
    indicators: [{name: 预算执行率, weight: 10, method: {kind: execution_rate}}]
  - name: 产出指标
    points: 90
    indicators: [{name: a, weight: 90, method: {kind: higher_is_better}}]
"""
    s = perfrules.loads(text)
    r = s.evaluate({"funds": {"budget": 100, "executed": 50}, "indicators": [{"name": "a", "target": "1", "actual": "1"}]})
    assert r.categories[0].score == D("5.00") and r.total == D("90.00")


def test_cost_as_a_level1_category():
    text = """
perfrules: 1
id: test/cost
name: 成本指标 as level 1 (财预〔2021〕101号)
grades: [{grade: 合格, range: "[0, 100]"}]
policies: {cost_level: 1}
scoring:
  - when: {direction: lower}
    method: {kind: lower_is_better}
  - method: {kind: higher_is_better}
categories:
  - {name: 产出指标, points: 80, open: true}
  - {name: 成本指标, points: 20, open: true}
"""
    s = perfrules.loads(text)
    r = s.evaluate({"indicators": [
        {"name": "a", "level1": "产出指标", "level2": "数量指标", "target": "10", "actual": "10", "weight": 80},
        {"name": "c", "level1": "产出指标", "level2": "成本指标", "target": "100", "actual": "110", "weight": 20}]})
    assert [c.score for c in r.categories] == [D("80.00"), D("18.00")]
    assert "cost_category" in {f.code for f in r.findings}


def test_to_dict_contract():
    scheme = perfrules.load(RULESETS / "hunan" / "department-2021.yaml")
    out = scheme.evaluate(EXAMPLES / "zhuzhou-department-2021.yaml").to_dict()
    assert out["total"] == "100.00" and out["grade"] == "优"
    assert {"name", "weight", "score"} <= set(out["categories"][0])
    ind = out["indicators"][1]
    assert {"name", "level1", "level2", "weight", "score", "method", "explanation"} <= set(ind)
    assert isinstance(ind["score"], str)
    finding = out["findings"][0]
    assert {"severity", "code", "message", "indicator"} <= set(finding)
    json.dumps(out, ensure_ascii=False)


def test_input_errors_name_file_line_and_path(tmp_path, zhengzhou):
    bad = tmp_path / "in.yaml"
    bad.write_text("indicators:\n  - name: 预算执行率\n    weight: 两点\n  - actual: 1\n", encoding="utf-8")
    with pytest.raises(perfrules.InputError) as err:
        zhengzhou.evaluate(bad)
    text = str(err.value)
    assert f"{bad}:4:5: indicators[1]: missing required key 'name'" in text


def test_input_with_a_non_numeric_weight(tmp_path, zhengzhou):
    bad = tmp_path / "in.yaml"
    bad.write_text("indicators:\n  - name: 预算执行率\n    weight: 两点\n", encoding="utf-8")
    with pytest.raises(perfrules.InputError, match=r"in.yaml:3:13: indicators\[0\].weight: must be a number, not '两点'"):
        zhengzhou.evaluate(bad)


def test_evaluation_is_deterministic(zhengzhou):
    a = zhengzhou.evaluate(EXAMPLES / "zhengzhou-project-2021.yaml").to_dict()
    b = zhengzhou.evaluate(EXAMPLES / "zhengzhou-project-2021.yaml").to_dict()
    assert a == b


def test_two_different_actuals_score_the_less_favourable_with_a_finding():
    scheme = perfrules.load(RULESETS / "hunan" / "department-2021.yaml")
    rows = [{"name": "管理率", "level1": "产出指标", "target": "≥90%", "weight": 50,
             "actual": [{"value": "95%", "source": "第五部分"}, {"value": "81%", "source": "第六部分"}]}]
    ind = scheme.evaluate({"indicators": rows}).indicator("管理率")
    assert ind.score == D("45.00")  # 50 × 81/90, not the full 50 of 95%
    assert ind.explanation.startswith("实际完成值有不同的数（95%（第五部分）、81%（第六部分）），按较不利的「81%」计分")
    assert "conflicting_actuals" in {f.code for f in ind.findings}


def test_two_actuals_that_score_alike_still_raise_the_finding():
    scheme = perfrules.load(RULESETS / "hunan" / "department-2021.yaml")
    rows = [{"name": "高血压规范管理率", "level1": "产出指标", "target": "≥60%", "weight": 50, "deviation_reason": "-",
             "actual": [{"value": "90.13%", "source": "五、健康芦淞行动"}, {"value": "85.01%", "source": "精神卫生与慢性病防治"}]}]
    result = scheme.evaluate({"indicators": rows})
    assert result.indicator("高血压规范管理率").score == D("50.00")
    message = next(f.message for f in result.findings if f.code == "conflicting_actuals")
    assert message == "报告给出了不同的实际完成值：90.13%（五、健康芦淞行动）、85.01%（精神卫生与慢性病防治）；各值得分相同"


def test_a_row_direction_that_contradicts_the_target_is_overruled():
    scheme = perfrules.load(RULESETS / "national" / "project-2020.yaml")
    result = scheme.evaluate({"indicators": [
        {"name": "成本", "level1": "产出指标", "target": "≤100", "actual": "150", "weight": 50, "direction": "higher"}]})
    ind = result.indicator("成本")
    assert ind.score == D("25.00") and ind.method == "lower_is_better"
    assert "direction_conflicts" in {f.code for f in ind.findings}


def test_a_scheme_may_add_words_that_mean_not_applicable():
    s = scheme_with("- {name: a, weight: 5, method: {kind: higher_is_better}}\n- {name: b, weight: 5, method: {kind: higher_is_better}}",
                    extra="policies: {not_applicable: full}\nvocabulary: {not_applicable: [无此项]}")
    assert s.vocabulary.not_applicable == ("不适用", "不涉及", "N/A", "NA", "无此项")
    r = s.evaluate({"indicators": [{"name": "a", "target": "100", "actual": "80"}, {"name": "b", "actual": "无此项"}]})
    assert not r.indicator("b").applicable and r.indicator("b").score == D("5") and r.total == D("9.00")
    plain = scheme_with("- {name: a, weight: 5, method: {kind: higher_is_better}}\n- {name: b, weight: 5, method: {kind: higher_is_better}}")
    other = plain.evaluate({"indicators": [{"name": "a", "target": "100", "actual": "80"}, {"name": "b", "actual": "无此项"}]})
    assert other.indicator("b").applicable  # not a word of that scheme: an unread actual, not 不适用


# ---------------------------------------------------------------- exactness does not depend on the caller

import decimal  # noqa: E402


PAIRS = [
    ("henan/zhengzhou-project-2021.yaml", "zhengzhou-project-2021.yaml"),
    ("hunan/department-2021.yaml", "zhuzhou-department-2021.yaml"),
    ("hunan/department-2021.yaml", "lusong-2021.yaml"),
    ("hunan/project-2021.yaml", "zhuzhou-project-2021.yaml"),
    ("shanxi/yangquan-project-2024.yaml", "yangquan-project-2024.yaml"),
    ("checks/final-accounts.yaml", "yangquan-final-accounts-2024.yaml"),
]
# 项目质量可控性: "每降低1扣权重分的1/3" (the share 1/3 is not exact)
THIRDS = {"indicators": [{"name": "项目质量可控性", "elements": [1, 2]}, {"name": "预算执行率", "actual": "97%"}]}


def _everything(scheme, data):
    """What a caller can see of a scheme's work on one input: scores, explanations, findings."""
    out = []
    if scheme.categories:
        out.append(json.dumps(scheme.evaluate(data).to_dict(), ensure_ascii=False))
    out.append(json.dumps(scheme.audit(data).to_dict(), ensure_ascii=False))
    return out


@pytest.fixture(scope="module")
def baseline():
    schemes = {r: perfrules.load(RULESETS / r) for r, _ in PAIRS}
    with decimal.localcontext(decimal.Context()):
        seen = {(r, i): _everything(schemes[r], EXAMPLES / i) for r, i in PAIRS}
        seen[("thirds", "")] = _everything(schemes[PAIRS[0][0]], THIRDS)
    return schemes, seen


def test_a_caller_precision_of_18_or_8_changes_nothing(zhengzhou):
    # issue 9: "a caller who set decimal.getcontext().prec = 18 gets an InvalidOperation
    # traceback from linear_deduction; precision 8 changes the explanations"
    with decimal.localcontext(decimal.Context()):
        expected = zhengzhou.evaluate(THIRDS).indicator("项目质量可控性")
    for prec in (18, 8):
        with decimal.localcontext(decimal.Context(prec=prec)):
            got = zhengzhou.evaluate(THIRDS).indicator("项目质量可控性")
            assert (got.score, got.explanation) == (expected.score, expected.explanation) == \
                (D("1.48"), "业绩值2，低于3共1，每1扣权重分的1/3，2.22 × (1 − 1/3) = 1.48")


def test_audit_rounds_as_the_scheme_declares_not_as_the_caller():
    # issue 9: "audit and checks round with the ambient context (half-even) while the scheme
    # declares half-up": 10 × 21.45% = 2.145, reported as 2.15, agrees half-up
    scheme = scheme_with("- {name: 完成率, weight: 10, method: {kind: higher_is_better}}",
                         extra="rounding: {at: [total], places: 2, mode: half_up}")
    data = {"indicators": [{"name": "完成率", "target": "100", "actual": "21.45", "reported_score": "2.15"}]}
    for rounding in (decimal.ROUND_HALF_EVEN, decimal.ROUND_DOWN, decimal.ROUND_FLOOR):
        with decimal.localcontext(decimal.Context(rounding=rounding)):
            result = scheme.audit(data)
        assert result.indicator("完成率").score == D("2.145")
        assert "score_differs" not in {f.code for f in result.findings}


def test_loading_in_a_low_precision_context_keeps_shares_exact():
    with decimal.localcontext(decimal.Context(prec=3, rounding=decimal.ROUND_DOWN)):
        scheme = perfrules.load(ZHENGZHOU)
    result = scheme.evaluate(THIRDS)
    assert result.indicator("项目质量可控性").score == D("1.48")


_TRAPS = [decimal.Inexact, decimal.Rounded, decimal.InvalidOperation, decimal.DivisionByZero, decimal.Overflow,
          decimal.Underflow, decimal.Subnormal, decimal.Clamped, decimal.FloatOperation]
_ROUNDINGS = [decimal.ROUND_UP, decimal.ROUND_DOWN, decimal.ROUND_CEILING, decimal.ROUND_FLOOR, decimal.ROUND_HALF_UP,
              decimal.ROUND_HALF_DOWN, decimal.ROUND_HALF_EVEN, decimal.ROUND_05UP]


@settings(max_examples=25, deadline=None, database=None)
@given(prec=st.integers(1, 60), rounding=st.sampled_from(_ROUNDINGS), traps=st.lists(st.sampled_from(_TRAPS), unique=True),
       pair=st.sampled_from(PAIRS + [("thirds", "")]))
def test_any_caller_context_gives_the_default_result(baseline, prec, rounding, traps, pair):
    schemes, seen = baseline
    scheme = schemes[PAIRS[0][0]] if pair[0] == "thirds" else schemes[pair[0]]
    data = THIRDS if pair[0] == "thirds" else EXAMPLES / pair[1]
    with decimal.localcontext(decimal.Context(prec=prec, rounding=rounding, traps=traps)):
        got = _everything(scheme, data)
    assert got == seen[pair]


# ---------------------------------------------------------------- no Python None in a Chinese message


def test_an_occurrence_row_missed_says_what_happened_not_none():
    # issue 9: the audit message for an occurrence row printed "未达到目标（None）"
    scheme = scheme_with("- {name: 项目督导检查, weight: 10, method: {kind: per_occurrence, deduct_points: 0.5}}")
    result = scheme.audit({"indicators": [{"name": "项目督导检查", "occurrences": 2, "reported_score": 10}]})
    said = {f.code: f.message for f in result.findings}
    assert said["missed_full_marks"].startswith("未达到目标（发生2次），单位仍自评满分10：")
    assert said["missed_no_reason"] == "未达到目标（发生2次），却没有偏差原因分析"


def _case_inputs():
    from perfrules.cases import find, load_cases

    for path in find([RULESETS, RULESETS.parent / "docs" / "authoring"]):
        suite = load_cases(path)
        for case in suite.cases:
            yield suite.scheme, case.name, case.input


def test_no_message_or_explanation_shows_none():
    # the class: every audit of every shipped case and example, no "None" anywhere in what it says
    runs = [(perfrules.load(RULESETS / r), i, EXAMPLES / i) for r, i in PAIRS]
    runs += [(s, n, data) for s, n, data in _case_inputs()]
    assert len(runs) > 50
    for scheme, name, data in runs:
        try:
            result = scheme.audit(data)
        except perfrules.PerfrulesError:
            continue  # a case that expects its input refused
        said = [f.message for f in result.findings] + [i.explanation for i in result.indicators]
        assert not [s for s in said if "None" in s], (name, [s for s in said if "None" in s])


# ---------------------------------------------------------------- negative actuals

NEGATIVE_BANDS = """- name: 增长率
  weight: 10
  method:
    kind: bands
    bands:
      - {range: "[0%, )", share: 100%}
      - {range: "(-5%, 0%)", share: 60%}
      - {range: "(, -5%]", share: 20%}
"""


def test_a_band_on_negative_values_is_reached():
    # issue 9: "A band on negative values ((, -5%]) validates but is never reached: −8% is
    # scored in (-5%, 0%] and the explanation says so"
    result = scheme_with(NEGATIVE_BANDS).evaluate({"indicators": [{"name": "增长率", "actual": "-8%"}]})
    got = result.indicator("增长率")
    assert got.score == D("2.00") and got.explanation == "实际完成值-8%，在(, -5%]档，10 × 20% = 2.00"
    assert "negative_actual" not in {f.code for f in result.findings}


def test_a_clamp_to_zero_is_the_declared_policy_and_says_so():
    s = scheme_with("- {name: x, weight: 10, method: {kind: linear_deduction, full_at: 100%, below: {step: 1%, deduct: 1%}}}")
    result = s.evaluate({"indicators": [{"name": "x", "actual": "-8%"}]})
    assert result.indicator("x").explanation.startswith("实际完成值-8%（按0计），低于100%共100个百分点")
    assert [f.message for f in result.findings if f.code == "negative_actual"] == ["实际完成值-8%为负数，按本方案以0计"]
    compared = scheme_with("- {name: x, weight: 10, method: {kind: higher_is_better}}")
    got = compared.evaluate({"indicators": [{"name": "x", "target": "≥90%", "actual": "-8%"}]}).indicator("x")
    assert got.explanation == "实际完成值-8%（按0计），未达到年度指标值≥90%，按完成比例计分（0% ÷ 90% = 0%），10 × 0% = 0.00"
    written = scheme_with("- {name: x, weight: 10, method: {kind: linear_deduction, full_at: 100%, below: {step: 1%, deduct: 0.5%}}}",
                          extra="policies: {negative_actual: as_written}")
    result = written.evaluate({"indicators": [{"name": "x", "actual": "-8%"}]})
    assert result.indicator("x").score == D("4.60")  # 108 points short × 0.5%
    assert "negative_actual" not in {f.code for f in result.findings}


def _band_tables():
    cuts = st.lists(st.integers(-30, 130), min_size=2, max_size=6, unique=True).map(sorted)
    return st.tuples(cuts, st.booleans(), st.booleans(), st.lists(st.integers(0, 100), min_size=7, max_size=7))


@settings(max_examples=60, deadline=None, database=None)
@given(table=_band_tables(), value=st.decimals(min_value=-60, max_value=160, places=1), lower_closed=st.booleans())
def test_the_band_named_in_an_explanation_holds_the_value(table, value, lower_closed):
    # no explanation may state a band the value is not in
    cuts, open_below, open_above, shares = table
    lo, hi = ("[", ")") if lower_closed else ("(", "]")
    ranges = [f"{lo}{a}%, {b}%{hi}" for a, b in zip(cuts, cuts[1:])]
    if open_below:
        ranges.insert(0, f"(, {cuts[0]}%{')' if lower_closed else ']'}")
    if open_above:
        ranges.append(f"{'[' if lower_closed else '('}{cuts[-1]}%, )")
    bands = "\n".join(f'      - {{range: "{r}", share: {s}%}}' for r, s in zip(ranges, shares))
    scheme = scheme_with(f"- name: 增长率\n  weight: 10\n  method:\n    kind: bands\n    bands:\n{bands}\n")
    got = scheme.evaluate({"indicators": [{"name": "增长率", "actual": f"{value}%"}]}).indicator("增长率")
    named = [b for b in scheme.categories[0].indicators[0].method.params.bands if f"在{b.interval}档" in got.explanation]
    if got.score is None:
        assert not any(b.interval.contains(value) for b in scheme.categories[0].indicators[0].method.params.bands)
    else:
        assert len(named) == 1 and named[0].interval.contains(value), (value, got.explanation)


SCORING = sorted(p for p in RULESETS.rglob("*.yaml") if not p.name.endswith(".cases.yaml") and p.parent.name != "checks")


@pytest.mark.parametrize("path", SCORING, ids=lambda p: str(p.relative_to(RULESETS)))
def test_no_generated_input_makes_a_message_say_none(path):
    from perfrules.testing import inputs

    scheme = perfrules.load(path)

    @settings(max_examples=15, deadline=None, database=None, derandomize=True)
    @given(inputs(scheme))
    def audit_says_no_none(data):
        result = scheme.audit(data)
        said = [f.message for f in result.findings] + [i.explanation for i in result.indicators]
        assert not [s for s in said if "None" in s]

    audit_says_no_none()


# ---------------------------------------------------------------- exact half cents

NATIONAL = RULESETS / "national" / "project-2020.yaml"


@pytest.fixture(scope="module")
def national():
    return perfrules.load(NATIONAL)


def _half_up(value: Fraction, places: int = 2) -> Decimal:
    """The exact value rounded half-up, by integer arithmetic: what a person computes by hand."""
    scaled = value * 10 ** places
    whole = scaled.numerator // scaled.denominator
    if scaled - whole >= Fraction(1, 2):
        whole += 1
    return Decimal(whole).scaleb(-places)


def test_a_score_of_exactly_half_a_cent_rounds_up(national):
    """3 × 250 ÷ 1200 is exactly 0.625: half-up makes it 0.63, and the explanation says 0.625, not ≈."""
    result = national.evaluate({"indicators": [
        {"level1": "产出指标", "name": "培训人数", "target": "≥1200人", "actual": "250人", "weight": 3},
        {"level1": "效益指标", "name": "投诉率", "target": "≤1200", "actual": "2150", "weight": 3},
    ]})
    for name in ("培训人数", "投诉率"):
        ind = result.indicator(name)
        assert ind.score == D("0.63"), ind.explanation
        assert ind.explanation.endswith("= 0.625 → 0.63")


@given(weight=st.integers(1, 2000), target=st.integers(1, 10 ** 6), share=st.integers(0, 10 ** 6))
@settings(max_examples=200, deadline=None)
def test_a_proportional_score_is_the_exact_ratio_rounded_half_up(national, weight, target, share):
    """weight × actual ÷ target, computed exactly and rounded half-up, whatever order the engine divides in."""
    actual = target * share // 10 ** 6
    w = Fraction(weight, 100)
    result = national.evaluate({"indicators": [
        {"level1": "产出指标", "name": "数量", "target": f"≥{target}", "actual": str(actual), "weight": str(D(weight) / 100)}]})
    assert result.indicator("数量").score == _half_up(w * Fraction(actual, target))


@given(cents=st.integers(1, 2000), m=st.integers(1, 50), j=st.integers(0, 1999))
@settings(max_examples=200, deadline=None)
def test_every_exact_half_cent_rounds_up(national, cents, m, j):
    """Scores that are exactly j/200 points (odd j: a half cent) through a ratio that does not terminate."""
    odd = (2 * j + 1) % (2 * cents) or 1
    target, actual = 2 * cents * m, odd * m
    result = national.evaluate({"indicators": [
        {"level1": "产出指标", "name": "数量", "target": f"≥{target}", "actual": str(actual), "weight": str(D(cents) / 100)}]})
    assert result.indicator("数量").score == _half_up(Fraction(odd, 200))


def test_a_fixed_indicators_direction_and_its_findings_come_with_every_input():
    """What follows from a fixed target (its direction, a conflict with the declared one, a cost
    reading, the rule chosen) is worked out once per indicator, level-2 name and declared
    direction; every input still gets its findings and notes, and a row's own direction still counts."""
    text = """
perfrules: 1
id: test/fixed-direction
name: a fixed catalogue whose targets decide the direction
grades: [{grade: 合格, range: "[0, 100]"}]
scoring:
  - when: {direction: lower}
    method: {kind: lower_is_better}
  - method: {kind: higher_is_better}
categories:
  - name: 产出指标
    points: 100
    indicators:
      - {name: 差错率, weight: 50, target: "≤5%", direction: higher}
      - {name: 单位成本, level2: 成本指标, weight: 50, target: "100"}
"""
    s = perfrules.loads(text)
    for actual in ("4%", "6%", "4%"):
        r = s.evaluate({"indicators": [{"name": "差错率", "actual": actual},
                                       {"name": "单位成本", "actual": "110"}]})
        rate = r.indicator("差错率")
        assert rate.direction == "lower" and rate.method == "lower_is_better"
        assert [f.code for f in rate.findings] == ["direction_conflicts"]
        cost = r.indicator("单位成本")
        assert cost.direction == "lower" and "成本指标，年度指标值100按“≤”理解" in cost.explanation
    declared = s.evaluate({"indicators": [{"name": "单位成本", "actual": "110", "direction": "higher"}]})
    assert declared.indicator("单位成本").direction == "higher"


# ---------------------------------------------------------------- the plain path (_Evaluation._plain)

PLAIN_SCHEMES = ["henan/zhengzhou-project-2021.yaml", "hunan/department-2021.yaml", "hunan/project-2021.yaml",
                 "national/project-2020.yaml", "shanxi/yangquan-project-2024.yaml"]


def _both_ways(path: str, data: object, monkeypatch: pytest.MonkeyPatch) -> tuple[perfrules.Result, perfrules.Result, int]:
    """`data` scored by fresh schemes with the plain path and without it, and how many indicators took it."""
    from perfrules import engine

    taken = []
    plain = engine._Evaluation._plain

    def counted(*args: object) -> object:
        got = plain(*args)  # type: ignore[arg-type]
        if got is not None:
            taken.append(got)
        return got

    monkeypatch.setattr(engine._Evaluation, "_plain", counted)
    with_plain = perfrules.load(RULESETS / path).evaluate(data)
    monkeypatch.setattr(engine._Evaluation, "_plain", lambda *args: None)  # every row by every step
    kinds_plain = engine._Plan.plain
    monkeypatch.setattr(engine._Plan, "plain", lambda self, spec: None)  # and every part of a compound target
    without = perfrules.load(RULESETS / path).evaluate(data)
    monkeypatch.setattr(engine._Evaluation, "_plain", plain)
    monkeypatch.setattr(engine._Plan, "plain", kinds_plain)
    return with_plain, without, len(taken)


def _same(one: perfrules.Result, other: perfrules.Result) -> None:
    assert one == other
    for a, b in zip(one.indicators, other.indicators, strict=True):
        assert (a.explanation, a.findings, a.row, a.target, a.actual, a.direction, a.met, a.spec, a.method) == \
               (b.explanation, b.findings, b.row, b.target, b.actual, b.direction, b.met, b.spec, b.method)
    assert one.findings == other.findings


@pytest.mark.parametrize("path", PLAIN_SCHEMES)
def test_the_plain_path_scores_as_the_general_one(path: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """The commonest row (a number against a number or a bound, nothing to note) is scored by
    fewer steps; on generated inputs of every shipped scheme it gives what every step gives, and
    it is taken (a test of nothing would pass too)."""
    from hypothesis import HealthCheck

    from perfrules.testing import inputs

    taken = []

    @settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
    @given(inputs(perfrules.load(RULESETS / path)))
    def check(data: dict) -> None:
        with_plain, without, n = _both_ways(path, data, monkeypatch)
        _same(with_plain, without)
        taken.append(n)

    check()
    assert sum(taken) > 0, f"{path}: no generated row took the plain path"


@pytest.mark.parametrize("actual, plain", [
    ("企业用人单位数228家、人数3.57万", True), ("企业用人单位数167家、人数3.72万", True), ("企业用人单位数90家、人数3.15万", True),
    ("人数3.57万、企业用人单位数180家", True),
    ("企业用人单位数228家", True),  # the first part by its plain case, then the second is missing: unscored
    ("企业用人单位数228人、人数3.57万", False),  # another unit: every step, which says so
    ("已完成", False)])
def test_the_parts_of_a_compound_target_score_alike_by_their_plain_case(actual: str, plain: bool,
                                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    """Each part of 企业用人单位数≥180家、人数≥3.5万 is scored by its rule's plain case where the
    part is plain numbers, and gives what the rule's every step gives (a part in another unit,
    a part missing or a word takes every step)."""
    from perfrules import engine

    parts = []
    kinds_plain = engine._Plan.plain

    def counted(self: engine._Plan, spec: object) -> object:
        got = kinds_plain(self, spec)  # type: ignore[arg-type]
        return got if got is None else (lambda m, says: parts.append(m) or got(m, says))

    monkeypatch.setattr(engine._Plan, "plain", counted)
    data = {"indicators": [{"name": "职业健康体检用人单位数、人数", "level1": "产出指标", "weight": 3,
                            "target": "企业用人单位数≥180家、人数≥3.5万", "actual": actual}]}
    with_plain, without, _ = _both_ways("hunan/department-2021.yaml", data, monkeypatch)
    _same(with_plain, without)
    assert with_plain.indicator("职业健康体检用人单位数、人数").method == "compound"
    assert bool(parts) is plain, parts


@pytest.mark.parametrize("row, plain", [
    ({"target": "≥90%", "actual": "95%"}, True),
    ({"target": "≥90%", "actual": "85%"}, True),
    ({"target": "100人", "actual": "120人"}, True),
    ({"target": "≥90%", "actual": "95%", "deduction": "0.5"}, False),
    ({"target": "≥90%", "actual": "95%", "review_actual": "80%"}, False),
    ({"target": "≥90%", "actual": "0.95"}, False),  # bare fraction: a finding, so every step
    ({"target": "≥90%", "actual": "-3%"}, False),
    ({"target": "≥90%", "actual": "95%", "applicable": False}, False),
    ({"target": "≤90%", "actual": "95%", "direction": "higher"}, False),  # the direction's finding
    ({"target": "100人", "actual": "120家"}, False),
    ({"target": "合格", "actual": "95%"}, False),
    ({"level2": "成本指标", "target": "535.00万元", "actual": "592.47万元"}, True),  # a note (按“≤”理解), no finding
    ({"level2": "成本指标", "target": "535.00万元", "actual": "500万元"}, True),
    ({"level2": "成本指标", "target": "≥535.00万元", "actual": "500万元", "direction": "lower"}, False),
])
def test_a_row_off_the_plain_path_is_scored_by_every_step(row: dict, plain: bool, monkeypatch: pytest.MonkeyPatch) -> None:
    data = {"indicators": [{"name": "宣传册发放数量", "level1": "产出指标", "weight": 10, **row}]}
    with_plain, without, n = _both_ways("national/project-2020.yaml", data, monkeypatch)
    _same(with_plain, without)
    assert (n > 0) is plain, (row, with_plain.indicator("宣传册发放数量").explanation)


def test_a_fixed_indicators_row_with_its_own_level2_and_direction_scores_alike_both_ways(monkeypatch: pytest.MonkeyPatch) -> None:
    # the row's level-2 name is the score's (and the memo's key); a declared direction is the row's
    import yaml

    data = yaml.safe_load((EXAMPLES / "zhengzhou-project-2021.yaml").read_text(encoding="utf-8"))
    for row in data["indicators"]:
        row["level2"] = "质量指标"
        row["direction"] = "higher"
    with_plain, without, n = _both_ways("henan/zhengzhou-project-2021.yaml", data, monkeypatch)
    _same(with_plain, without)
    assert n > 0 and {i.level2 for i in with_plain.indicators if i.row is not None} == {"质量指标"}


# ---------------------------------------------------------------- explanations written when read

@settings(max_examples=30, deadline=None, database=None)
@given(prec=st.integers(1, 60), rounding=st.sampled_from(_ROUNDINGS), traps=st.lists(st.sampled_from(_TRAPS), unique=True),
       pair=st.sampled_from(PAIRS[:5]))
def test_an_explanation_read_later_in_any_context_is_the_one_written_at_once(baseline, prec, rounding, traps, pair):
    """An explanation is written from its parts when it is first read (result.Later), which may
    be after the evaluation, in a caller's own decimal context: the parts are worked out in the
    scheme's context, so the text is the same as one read at once."""
    from perfrules import engine

    schemes, _ = baseline
    scheme, data = schemes[pair[0]], EXAMPLES / pair[1]
    engine._forget_scores()
    at_once = [(i.name, i.explanation) for i in scheme.evaluate(data).indicators]
    engine._forget_scores()  # scored anew, nothing read yet
    result = scheme.evaluate(data)
    assert any(type(vars(i)["explanation"]) is not str for i in result.indicators)  # (a test of nothing would pass)
    with decimal.localcontext(decimal.Context(prec=prec, rounding=rounding, traps=traps)):
        later = [(i.name, i.explanation) for i in result.indicators]
    assert later == at_once


def test_a_result_pickled_before_its_explanations_are_read_carries_them(baseline):
    import pickle

    from perfrules import engine

    schemes, _ = baseline
    scheme = schemes[PAIRS[0][0]]
    engine._forget_scores()
    result = scheme.evaluate(EXAMPLES / PAIRS[0][1])
    back = pickle.loads(pickle.dumps(result))
    assert all(type(vars(i)["explanation"]) is str for i in back.indicators)
    assert back == result and [i.explanation for i in back.indicators] == [i.explanation for i in result.indicators]


_ATOMS = (str, Decimal, int, bool, type(None))


def _flat(value) -> bool:
    """A Later: a writer's key, then only texts, decimals, whole numbers and True/False/None (no tuple)."""
    from perfrules import result

    return type(value) is tuple and value[0] in result._WRITERS and all(isinstance(v, _ATOMS) for v in value[1:])


@pytest.mark.parametrize("pair", PAIRS[:5], ids=[p[1] for p in PAIRS[:5]])
def test_an_explanation_to_be_written_holds_nothing_the_collector_walks(baseline, pair):
    """Its parts are plain values (no method's answer, no row, no function, no tuple), so the
    first collection that meets it stops tracking it, as the collector never tracks a text: none
    is moved to an older generation, and scores remembered by the thousand cost the collector no
    more than their texts did (result.Later)."""
    import gc

    from hypothesis import HealthCheck

    from perfrules import engine
    from perfrules.testing import inputs

    schemes, _ = baseline
    scheme = schemes[pair[0]]
    laters = []

    @settings(max_examples=20, deadline=None, database=None, suppress_health_check=list(HealthCheck))
    @given(inputs(scheme))
    def collect(data: dict) -> None:
        engine._forget_scores()
        laters.extend(v for i in scheme.evaluate(data).indicators if type(v := vars(i)["explanation"]) is not str)

    collect()
    engine._forget_scores()
    laters.extend(v for i in scheme.evaluate(EXAMPLES / pair[1]).indicators if type(v := vars(i)["explanation"]) is not str)
    assert laters, "no explanation was left to be written"
    assert all(_flat(v) for v in laters), next(v for v in laters if not _flat(v))
    gc.collect(0)  # the first collection that meets one stops tracking it, so none is moved to an older generation
    assert not any(gc.is_tracked(v) for v in laters), next(v for v in laters if gc.is_tracked(v))
