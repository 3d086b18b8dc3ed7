"""`perfrules explain` states a scheme in its own units, words and fractions, and only the
special cases that can arise in it (issue 9, "Docs that disagree")."""

from __future__ import annotations

from decimal import Decimal

import perfrules
from conftest import RULESETS, scheme_with
from perfrules.explain import explain

D = Decimal


def test_policies_that_cannot_apply_to_a_fixed_catalogue_are_left_out():
    # "explain lists policies that cannot apply (成本指标, 单位未填分值 on a fixed catalogue)"
    text = explain(perfrules.load(RULESETS / "henan" / "zhengzhou-project-2021.yaml"))
    assert "单位未填" not in text and "- 成本指标：" not in text
    national = explain(perfrules.load(RULESETS / "national" / "project-2020.yaml"))  # open categories
    assert "- 单位未填分值的指标：不予计分，并列为发现。" in national and "- 成本指标：作为产出指标下的二级指标" in national
    assert "- 实际完成值为负数的：按0计，并列为发现；分档计分的指标按所写分档计分。" in national


def test_a_share_written_as_a_fraction_is_stated_as_written():
    # "prints 33.333333% for a share written 1/3: print the fraction as written"
    s = scheme_with("""
- name: 制度健全性
  weight: 3
  elements: [a, b, c]
  method: {kind: elements, each: 1/3}
- name: 完成率
  weight: 3
  method:
    kind: bands
    bands:
      - {range: "[90%, )", share: 100%}
      - {range: "[0%, 90%)", share: 1/3}
- name: 督导
  weight: 4
  method: {kind: per_occurrence, deduct: 1/3}
""")
    text = explain(s)
    assert "33.333333%" not in text
    assert "评分标准：具备1个要素得1/3分值。" in text
    assert "评分标准：90%（含）以上得分值的100%；0%（含）至90%得分值的1/3。" in text
    assert "每出现一次扣分值的1/3，扣完为止" in text
    assert s.evaluate({"indicators": [{"name": "制度健全性", "elements": [1, 2, 3]}]}).indicator("制度健全性").score == D("3.00")


def test_an_occurrence_is_explained_in_the_schemes_words():
    # "每出现一次扣0.5分" should say 每出现一个专项未按进度完成…
    s = scheme_with("- {name: 专项进度, weight: 10, method: {kind: per_occurrence, deduct_points: 0.5, counts: 个专项未按进度完成, "
                    "veto_at: 10}}")
    assert "评分标准：每出现一个专项未按进度完成扣0.5分，扣完为止；出现10个专项未按进度完成及以上的，本指标不得分。" in explain(s)
    got = s.evaluate({"indicators": [{"name": "专项进度", "occurrences": 2}]}).indicator("专项进度")
    assert (got.score, got.explanation) == (D("9.00"), "出现2个专项未按进度完成，每个扣0.5分，10 − 1 = 9.00")
    plain = scheme_with("- {name: 督导, weight: 10, method: {kind: per_occurrence, deduct_points: 0.5}}")
    assert "每出现一次扣0.5分" in explain(plain)
    assert plain.evaluate({"indicators": [{"name": "督导", "occurrences": 2}]}).indicator("督导").explanation.startswith("发生2次，每次扣0.5分")
