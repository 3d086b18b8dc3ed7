"""Issue 10, Nothing lost: a YAML merge-key override (`<<: *base` then `actual:`) is legal YAML
and works; a key written twice in one mapping is still a located error."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

import perfrules
from perfrules.errors import InputError
from perfrules.sources.yaml_text import loads

ROOT = Path(__file__).resolve().parents[2]
HUNAN = ROOT / "rulesets" / "hunan" / "department-2021.yaml"

INPUT = """\
unit: 某单位
indicators:
  - &base {level1: 产出指标, level2: 质量指标, name: 重点职业病监测覆盖率, target: 100%, actual: 100%, weight: 5}
  - <<: *base
    name: 国家项目完成率
    actual: 90%
"""


def test_an_explicit_key_overrides_the_merged_one():
    data = loads(INPUT, "in.yaml", InputError).data
    assert data["indicators"][1] == {"level1": "产出指标", "level2": "质量指标", "name": "国家项目完成率",
                                     "target": "100%", "actual": "90%", "weight": 5}


def test_an_input_written_with_merge_keys_scores(tmp_path):
    given = tmp_path / "in.yaml"
    given.write_text(INPUT, encoding="utf-8")
    result = perfrules.load(HUNAN).evaluate(given)
    assert result.indicator("重点职业病监测覆盖率").score == Decimal("5.00")
    assert result.indicator("国家项目完成率").score == Decimal("4.50")  # 90% of 5: the override, not the base's 100%


@pytest.mark.parametrize("text,line,col", [
    ("a: 1\nb: 2\na: 3\n", 3, 1),
    ("base: &b {x: 1}\nc:\n  <<: *b\n  y: 2\n  y: 3\n", 5, 3),  # a merge does not excuse a real duplicate
])
def test_a_real_duplicate_key_is_still_an_error(text, line, col):
    with pytest.raises(InputError) as err:
        loads(text, "in.yaml", InputError)
    (problem,) = err.value.problems
    assert (problem.message, problem.line, problem.column) == (f"duplicate key '{'a' if line == 3 else 'y'}'", line, col)


def test_several_merged_mappings_the_earlier_wins_and_the_own_key_over_all():
    text = "a: &a {x: 1, y: 1}\nb: &b {x: 2, z: 2}\nc:\n  <<: [*a, *b]\n  z: 3\n"
    assert loads(text, "m.yaml", InputError).data["c"] == {"x": 1, "y": 1, "z": 3}


def test_a_ruleset_with_merge_keys_that_extends_another_loads(tmp_path):
    """The merged node tree is constructed a second time after `extends`: still no duplicate."""
    ruleset = tmp_path / "city.yaml"
    ruleset.write_text("""\
perfrules: 1
id: demo/city
extends: national/project-2020
name: 某市
categories:
  - name: 产出指标
    points: 40
    indicators:
      - &common {name: a, weight: 20, method: {kind: higher_is_better}}
      - <<: *common
        name: b
        method: {kind: lower_is_better}
""", encoding="utf-8")
    scheme = perfrules.load(ruleset)
    indicators = next(c for c in scheme.categories if c.name == "产出指标").indicators
    assert [(i.name, i.weight, i.method.kind) for i in indicators] == [
        ("a", 20, "higher_is_better"), ("b", 20, "lower_is_better")]
