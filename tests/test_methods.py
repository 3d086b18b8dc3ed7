"""Every method kind and national rule of DOMAIN.md, with figures worked by hand."""

from __future__ import annotations

from decimal import Decimal

import pytest

from conftest import scheme_with

D = Decimal


def score(scheme, **row):
    result = scheme.evaluate({"indicators": [{"name": "x", **row}]})
    return result.indicator("x")


def test_higher_is_better_proportional_and_met():
    s = scheme_with("- {name: x, weight: 10, method: {kind: higher_is_better}}")
    assert score(s, target="≥80%", actual="85%").score == D("10.00")
    assert score(s, target="750人", actual="795人").score == D("10.00")
    low = score(s, target="≥80%", actual="70%")
    assert low.score == D("8.75")  # 10 × 70/80
    assert "70% ÷ 80% = 87.5%" in low.explanation


def test_higher_is_better_zero_shortfall():
    s = scheme_with("- {name: x, weight: 10, method: {kind: higher_is_better, shortfall: zero}}")
    assert score(s, target="≥80%", actual="79%").score == D("0.00")


def test_negative_actual_counts_as_zero():
    s = scheme_with("- {name: x, weight: 10, method: {kind: higher_is_better}}")
    result = s.evaluate({"indicators": [{"name": "x", "target": "100", "actual": "-5"}]})
    assert result.indicator("x").score == D("0.00")
    assert "negative_actual" in {f.code for f in result.findings}


@pytest.mark.parametrize("reading,actual,expected", [
    ("deviation", "8", "4.00"),   # 1 − (8 − 5)/5 = 40%
    ("ratio", "8", "6.25"),       # 5/8
    ("deviation", "10", "0.00"),  # twice the target
    ("ratio", "10", "5.00"),
    ("deviation", "4.2", "10.00"),
])
def test_lower_is_better_both_national_readings(reading, actual, expected):
    s = scheme_with(f"- {{name: x, weight: 10, method: {{kind: lower_is_better, reading: {reading}}}}}")
    assert score(s, target="≤5", actual=actual).score == D(expected)


def test_lower_is_better_zero_target():
    s = scheme_with("- {name: x, weight: 10, method: {kind: lower_is_better}}")
    assert score(s, target="≤0", actual="0").score == D("10.00")
    assert score(s, target="≤0", actual="1").score == D("0.00")


def test_equality_and_its_zero_target_rule():
    s = scheme_with("- {name: x, weight: 10, method: {kind: equality}}")
    assert score(s, target="=100家", actual="100家").score == D("10.00")
    assert score(s, target="=100家", actual="80家").score == D("8.00")
    assert score(s, target="=0", actual="0").score == D("10.00")
    assert score(s, target="=0", actual="2").score == D("0.00")


def test_range_target():
    s = scheme_with("- {name: x, weight: 10, method: {kind: range}}")
    assert score(s, target="90%-95%", actual="92%").score == D("10.00")
    assert score(s, target="90%-95%", actual="81%").score == D("9.00")   # 81/90
    assert score(s, target="90%-95%", actual="99%").score == D("9.58")   # 1 − 4/95


def test_execution_rate_worked_numbers():
    s = scheme_with("- {name: 预算执行率, weight: 10, method: {kind: execution_rate}}")
    full = s.evaluate({"funds": {"budget": "3,102.95", "executed": "3,102.95"}, "indicators": []})
    assert full.indicator("预算执行率").score == D("10.00")
    part = s.evaluate({"funds": {"budget": "3,102.95", "executed": "2,900"}, "indicators": []})
    ind = part.indicator("预算执行率")
    assert ind.score == D("9.35")
    assert "全年执行数2,900 ÷ 全年预算数3,102.95" in ind.explanation


def test_execution_rate_adjusted_budget():
    s = scheme_with("- {name: 预算执行率, weight: 10, method: {kind: execution_rate, basis: adjusted_budget}}")
    r = s.evaluate({"funds": {"budget": 100, "adjusted_budget": 80, "executed": 72}, "indicators": []})
    assert r.indicator("预算执行率").score == D("9.00")


@pytest.mark.parametrize("actual,expected", [("95%", "5.00"), ("100%", "5.00"), ("103%", "3.50"), ("120%", "0.00")])
def test_deduction_per_point_above_a_limit(actual, expected):
    # 以100%为标准，≤100%计5分；每超过一个百分点扣0.5分，扣完为止
    s = scheme_with("""
- name: x
  weight: 5
  method: {kind: linear_deduction, full_at: 100%, above: {step: 1%, deduct_points: 0.5}}
""", points="5")
    assert score(s, actual=actual).score == D(expected)


@pytest.mark.parametrize("steps,actual,expected", [("exact", "96.5%", "2.14"), ("floor", "96.5%", "2.15"), ("ceil", "96.5%", "2.13")])
def test_linear_deduction_partial_steps(steps, actual, expected):
    s = scheme_with(f"""
- name: x
  weight: 2.22
  method: {{kind: linear_deduction, full_at: 100%, steps: {steps}, below: {{step: 1%, deduct: 1%}}}}
""")
    # 3.5 steps: 2.22 × 96.5% = 2.1423; floor 3 steps: 2.1534; ceil 4 steps: 2.1312
    assert score(s, actual=actual).score == D(expected)


@pytest.mark.parametrize("actual,expected", [("95%", "5"), ("90%", "5"), ("85%", "4"), ("80%", "4"), ("79.9%", "2"), ("50%", "0")])
def test_step_bands(actual, expected):
    # ≥90%计5分；80%(含)-90%计4分；60%(含)-80%计2分；低于60%不得分
    s = scheme_with("""
- name: x
  weight: 5
  method:
    kind: bands
    bands:
      - {range: "[90%, )", points: 5}
      - {range: "[80%, 90%)", points: 4}
      - {range: "[60%, 80%)", points: 2}
      - {range: "[0%, 60%)", points: 0}
""", points="5")
    assert score(s, actual=actual).score == D(expected)


def test_step_bands_upper_inclusive():
    # 0-10%(含)计2分；10%-20%(含)计1分
    s = scheme_with("""
- name: x
  weight: 2
  method: {kind: bands, bands: [{range: "[0%, 10%]", points: 2}, {range: "(10%, 20%]", points: 1}]}
""", points="2")
    assert score(s, actual="10%").score == D("2.00")
    assert score(s, actual="10.01%").score == D("1.00")
    out = score(s, actual="25%")
    assert out.score is None and "不在任何分档内" in out.explanation


def test_overlapping_step_bands_are_a_load_error():
    from perfrules import RulesetError

    with pytest.raises(RulesetError, match="overlaps band 0"):
        scheme_with("""
- name: x
  weight: 2
  method: {kind: bands, bands: [{range: "[0%, 10%]", points: 2}, {range: "[10%, 20%]", points: 1}]}
""", points="2")


@pytest.mark.parametrize("occurrences,expected", [(0, "5.00"), (2, "3.00"), (6, "1.00")])
def test_per_occurrence_with_cap(occurrences, expected):
    # 每出现一次未达要求扣1分，最多扣4分
    s = scheme_with("- {name: x, weight: 5, method: {kind: per_occurrence, deduct_points: 1, max_points: 4}}", points="5")
    assert score(s, occurrences=occurrences).score == D(expected)


def test_veto_by_occurrence():
    # 发现一户未纳入的此分值扣完
    s = scheme_with("- {name: x, weight: 5, method: {kind: per_occurrence, veto_at: 1}}", points="5")
    assert score(s, occurrences=0).score == D("5.00")
    assert score(s, occurrences=1).score == D("0.00")


def test_pass_fail():
    # 制定实施方案的得3分，否则不得分
    s = scheme_with("- {name: x, weight: 3, method: {kind: pass_fail}}", points="3",
                    extra="vocabulary: {met: [已制定], not_met: [未制定]}")
    assert score(s, passed=True).score == D("3.00")
    assert score(s, passed=False).score == D("0.00")
    assert score(s, actual="已制定").score == D("3.00")
    assert score(s, actual="未制定").score == D("0.00")


def test_categorical_levels():
    # 无结余3分；有结余但不超过上年结转2分；结余超过上年结转不得分
    s = scheme_with("""
- name: x
  weight: 3
  method:
    kind: levels
    levels:
      - {name: 无结余, points: 3}
      - {name: 有结余但不超过上年结转, points: 2}
      - {name: 结余超过上年结转, points: 0}
""", points="3")
    assert score(s, level="有结余但不超过上年结转").score == D("2.00")
    assert score(s, level="无结余").score == D("3.00")
    unknown = score(s, level="有结余")
    assert unknown.score is None and "不在本指标的情形中" in unknown.explanation


def test_qualitative_80_50_family():
    s = scheme_with("""
- name: x
  weight: 10
  method:
    kind: qualitative
    levels:
      - {name: 达成年度指标, aliases: [达成], range: "[80%, 100%]", default: 100%, words: met}
      - {name: 部分达成年度指标并具有一定效果, aliases: [部分达成], range: "[50%, 80%)", words: partly}
      - {name: 未达成年度指标且效果较差, aliases: [未达成], range: "[0%, 50%)", words: not_met}
""")
    assert score(s, level="部分达成", fraction="55%").score == D("5.50")
    assert score(s, level="部分达成", fraction="45%").score is None  # outside [50%, 80%)
    assert score(s, level="达成").score == D("10.00")


def test_deadline_earlier_is_better():
    s = scheme_with("- {name: x, weight: 4, method: {kind: deadline}}", points="4")
    assert score(s, target="2023年12月", actual="2023年10月").score == D("4.00")
    assert score(s, target="2023年12月", actual="2024年1月").score == D("0.00")
    assert score(s, target="2023年12月31日", actual="2023年12月31日").score == D("4.00")


def test_compound_all_combine():
    s = scheme_with("- {name: x, weight: 3, method: {kind: compound, combine: all}}", points="3",
                    extra="scoring: [{method: {kind: higher_is_better}}]")
    out = score(s, target="企业用人单位数≥180家、人数≥3.5万", actual="企业用人单位数228家、人数3.4万")
    assert out.score == D("0.00")
    assert score(s, target="企业用人单位数≥180家、人数≥3.5万", actual="企业用人单位数228家、人数3.57万").score == D("3.00")


def test_formula_share_and_points():
    s = scheme_with("- {name: x, weight: 10, method: {kind: formula, expr: 'min(actual / target, 1)'}}")
    assert score(s, target="100%", actual="85%").score == D("8.50")
    p = scheme_with("- {name: x, weight: 5, method: {kind: formula, returns: points, expr: 'max(weight - 0.5 * max(actual - 100, 0), 0)'}}", points="5")
    assert score(p, actual="103%").score == D("3.50")


def test_formula_named_inputs():
    s = scheme_with("- {name: x, weight: 10, method: {kind: formula, inputs: [done, planned], expr: 'done / planned'}}")
    assert score(s, values={"done": 3, "planned": 4}).score == D("7.50")
    missing = score(s, values={"done": 3})
    assert missing.score is None and "planned" in missing.explanation


def test_manual_deduction_after_the_rule_floored_at_zero():
    s = scheme_with("- {name: x, weight: 10, method: {kind: higher_is_better}}")
    assert score(s, target="100%", actual="100%", deduction="1.5").score == D("8.50")
    assert score(s, target="100%", actual="90%", deduction="12").score == D("0.00")


@pytest.mark.parametrize("rounding,expected", [
    ("{places: 2, mode: half_up}", "1.39"),
    ("{places: 2, mode: down}", "1.38"),
    ("{places: 1, mode: down}", "1.3"),
    ("{places: 0}", "1"),
])
def test_rounding_policies(rounding, expected):
    s = scheme_with("- {name: x, weight: 2.22, method: {kind: higher_is_better}}", extra=f"rounding: {rounding}")
    assert score(s, target="100%", actual="62.5%").score == D(expected)  # 2.22 × 62.5% = 1.3875


def test_half_even():
    s = scheme_with("- {name: x, weight: 2.5, method: {kind: higher_is_better}}", extra="rounding: {mode: half_even}")
    assert score(s, target="100%", actual="85%").score == D("2.12")  # 2.125


def test_rate_rounded_to_a_whole_percent_before_multiplying():
    s = scheme_with("- {name: 预算执行率, weight: 10, method: {kind: execution_rate}}",
                    extra="rounding: {at: [rate, indicator, total], rate: {places: 0}}")
    r = s.evaluate({"funds": {"budget": "3,102.95", "executed": "2,900"}, "indicators": []})
    assert r.indicator("预算执行率").score == D("9.30")  # 93% rather than 93.4594…%


def test_elements_share_over_100_is_a_finding_not_hidden():
    s = scheme_with("""
- name: x
  weight: 10
  elements: [{text: a, share: 60%}, {text: b, share: 60%}]
  method: {kind: elements}
""")
    assert "element_shares_over_100" in {f.code for f in s.findings}
    result = s.evaluate({"indicators": [{"name": "x", "elements": [1, 2]}]})
    assert result.indicator("x").score == D("12.00")
    assert "score_out_of_range" in {f.code for f in result.findings}


def test_a_compound_cost_target_is_lower_is_better_part_by_part():
    s = scheme_with("- {name: x, weight: 50, level2: 成本指标, method: {kind: compound}}", points="50", total="100",
                    extra="scoring: [{when: {direction: lower}, method: {kind: lower_is_better}}, {method: {kind: higher_is_better}}]")
    out = score(s, target="设备费100万元、培训费10万元", actual="设备费150万元、培训费10万元")
    assert out.score == D("25.00")  # 设备费 50% over → 50%, the weakest part; not full marks


def test_linear_deduction_refuses_other_units():
    s = scheme_with("- {name: x, weight: 2.22, method: {kind: linear_deduction, full_at: 100%, below: {step: 1%, deduct: 1%}}}")
    out = score(s, actual="50人")
    assert out.score is None and "单位不同" in out.explanation


def test_a_third_three_times_is_all_of_it():
    s = scheme_with("""
- name: x
  weight: 2.22
  elements: [a, b, c]
  method: {kind: linear_deduction, measure: elements, full_at: 3, below: {step: 1, deduct: 1/3}}
""")
    out = score(s, elements=[])
    assert out.score == D("0.00") and "扣完为止" in out.explanation


def test_means_applies_to_actuals_and_100_percent_meets_a_qualitative_target():
    s = scheme_with("- {name: x, weight: 3, method: {kind: qualitative}}", points="3",
                    extra="vocabulary: {means: {应诊尽诊: 100%}}")
    assert score(s, target="按计划完成", actual="100%").score == D("3.00")
    h = scheme_with("- {name: x, weight: 3, method: {kind: higher_is_better}}", points="3",
                    extra="vocabulary: {means: {应诊尽诊: 100%}}")
    assert score(h, target="100%", actual="应诊尽诊").score == D("3.00")
