"""`extends:`: chains, overrides, additions, removals, and errors located in the right file."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

import perfrules
from conftest import EXAMPLES, RULESETS

D = Decimal


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_shipped_chain_national_province_project():
    project = perfrules.load(RULESETS / "hunan" / "project-2021.yaml")
    assert project.meta["extends"] == ["hunan/department-2021", "national/project-2020"]
    assert [c.name for c in project.categories] == ["预算执行率", "产出指标", "效益指标", "满意度指标"]
    assert "年度项目资金" in project.categories[0].aliases
    assert "均覆盖" in project.vocabulary.met and "按期完成" in project.vocabulary.met  # Hunan's words and the nation's
    assert project.policies.bound_actual == "bound"
    result = project.evaluate(EXAMPLES / "zhuzhou-project-2021.yaml")
    assert (result.total, result.grade) == (D("100.00"), "优")


def test_a_region_outside_the_checkout_extends_the_installed_national_scheme(tmp_path):
    region = write(tmp_path, "city.yaml", """
perfrules: 1
id: demo/city-2024
extends: national/project-2020
name: 某市项目支出绩效自评评分
categories:
  - {name: 产出指标, points: 40}
  - {name: 满意度指标, points: 20}
rounding: {places: 1, mode: down}
""")
    scheme = perfrules.load(region)
    assert [(c.name, c.points) for c in scheme.categories] == [("预算执行率", 10), ("产出指标", 40), ("效益指标", 30), ("满意度指标", 20)]
    assert scheme.rounding.stages["indicator"].places == 1
    result = scheme.evaluate({"indicators": [
        {"name": "a", "level1": "产出指标", "target": "≥90%", "actual": "80%", "weight": 40}]})
    assert result.indicator("a").score == D("35.5")  # 40 × 80/90 = 35.55…, truncated to 1 place


def test_tables_that_move_the_level1_points_score_by_their_rows_with_a_finding():
    national = perfrules.load(RULESETS / "national" / "project-2020.yaml")
    rows = [
        {"name": "a", "level1": "产出指标", "target": "100", "actual": "100", "weight": 40},
        {"name": "b", "level1": "效益指标", "target": "100", "actual": "100", "weight": 30},
        {"name": "c", "level1": "满意度指标", "target": "≥90%", "actual": "95%", "weight": 20},
    ]
    result = national.evaluate({"funds": {"budget": 10, "executed": 10}, "indicators": rows})
    assert result.total == D("100.00")
    sums = [f.message for f in result.findings if f.code == "weights_sum"]
    assert len(sums) == 2 and "「产出指标」各指标分值合计40" in sums[0] and "「满意度指标」各指标分值合计20" in sums[1]


def test_override_add_and_remove(tmp_path):
    write(tmp_path, "base.yaml", """
perfrules: 1
id: demo/base
name: base
grades: [{grade: 合格, range: "[60, 100]"}, {grade: 不合格, range: "[0, 60)"}]
vocabulary: {met: [已完成]}
categories:
  - name: 管理
    points: 40
    indicators:
      - {name: a, weight: 20, method: {kind: pass_fail}}
      - {name: b, weight: 20, method: {kind: pass_fail}}
  - name: 产出
    points: 60
    indicators:
      - {name: c, weight: 60, method: {kind: higher_is_better}}
""")
    child = write(tmp_path, "child.yaml", """
perfrules: 1
id: demo/child
extends: base.yaml
name: child
grades: [{grade: 优, range: "[90, 100]"}, {grade: 非优, range: "[0, 90)"}]
vocabulary: {met: [已办结]}
categories:
  - name: 管理
    indicators:
      - {name: b, remove: true}
      - {name: a, weight: 30}
      - {name: d, weight: 10, method: {kind: pass_fail}}
  - name: 产出
    indicators:
      - {name: c, method: {kind: higher_is_better, shortfall: zero}}
""")
    scheme = perfrules.load(child)
    assert scheme.findings == ()
    assert [(i.name, i.weight) for i in scheme.categories[0].indicators] == [("a", D(30)), ("d", D(10))]
    assert scheme.categories[1].indicators[0].method.raw["shortfall"] == "zero"
    assert [b.grade for b in scheme.bands] == ["优", "非优"]
    assert scheme.vocabulary.met == ("已完成", "已办结")
    result = scheme.evaluate({"indicators": [{"name": "a", "actual": "已办结"}, {"name": "d", "passed": True},
                                             {"name": "c", "target": "10", "actual": "9"}]})
    assert result.total == D("40.00") and result.grade == "非优"


def test_removing_what_is_not_there_is_located_in_the_child(tmp_path):
    child = write(tmp_path, "child.yaml", """perfrules: 1
id: demo/child
extends: national/project-2020
name: child
categories:
  - {name: 成本指标, remove: true}
""")
    with pytest.raises(perfrules.RulesetError) as err:
        perfrules.load(child)
    assert str(err.value).startswith(f"{child}:6:5: categories[0]: removes '成本指标', which the ruleset it extends does not have")


def test_dangling_reference(tmp_path):
    child = write(tmp_path, "child.yaml", "perfrules: 1\nid: demo/x\nextends: national/project-2099\nname: x\n")
    with pytest.raises(perfrules.RulesetError, match=r"child.yaml:3:10: extends: extends 'national/project-2099', which cannot be found"):
        perfrules.load(child)


def test_cycle(tmp_path):
    write(tmp_path, "a.yaml", "perfrules: 1\nid: demo/a\nextends: b.yaml\nname: a\n")
    write(tmp_path, "b.yaml", "perfrules: 1\nid: demo/b\nextends: a.yaml\nname: b\n")
    with pytest.raises(perfrules.RulesetError, match=r"b.yaml:3:10: extends: extends 'a.yaml' makes a cycle: a.yaml → b.yaml → a.yaml"):
        perfrules.load(tmp_path / "a.yaml")


def test_id_must_match_the_file_it_names(tmp_path):
    write(tmp_path, "demo/base.yaml", "perfrules: 1\nid: demo/other\nname: x\n")
    child = write(tmp_path, "child.yaml", "perfrules: 1\nid: demo/child\nextends: demo/base\nname: y\n")
    with pytest.raises(perfrules.RulesetError, match="has id 'demo/other'"):
        perfrules.load(child)


def test_an_error_in_the_parent_names_the_parent_file(tmp_path):
    parent = write(tmp_path, "parent.yaml", """perfrules: 1
id: demo/parent
name: parent
grades: [{grade: 合格, range: "[0, 100]"}]
categories:
  - name: 产出
    points: 100
    indicators:
      - {name: a, weight: 100, method: {kind: linear_deduction, full_at: 100%, below: {step: 0, deduct: 1%}}}
""")
    child = write(tmp_path, "child.yaml", "perfrules: 1\nid: demo/child\nextends: parent.yaml\nname: child\n")
    with pytest.raises(perfrules.RulesetError) as err:
        perfrules.load(child)
    assert str(err.value).startswith(f"{parent}:9:")
    assert "below.step: must be a number greater than 0" in str(err.value)


def test_an_unknown_key_in_the_child_names_the_child(tmp_path):
    child = write(tmp_path, "child.yaml", """perfrules: 1
id: demo/child
extends: national/project-2020
name: child
policies: {bound_actaul: bound}
""")
    with pytest.raises(perfrules.RulesetError) as err:
        perfrules.load(child)
    assert str(err.value) == f"{child}:5:12: policies.bound_actaul: unknown key 'bound_actaul' (did you mean 'bound_actual'?)"


def test_a_child_must_still_add_up(tmp_path):
    child = write(tmp_path, "child.yaml", """perfrules: 1
id: demo/child
extends: national/project-2020
name: child
categories:
  - {name: 新类别}
""")
    with pytest.raises(perfrules.RulesetError, match=r"categories\[4\]: missing required key 'points'"):
        perfrules.load(child)


def test_shipped_ids_resolve_from_a_checkout_whose_rulesets_are_not_installed(monkeypatch):
    # python run in the root of a checkout imports perfrules from there, where perfrules.rulesets
    # (an install's package-dir mapping) does not exist: the checkout's rulesets/ are the shipped ones
    from importlib import resources

    from perfrules import inherit

    def not_installed(name):
        raise ModuleNotFoundError(name)

    monkeypatch.setattr(resources, "files", not_installed)
    beside = Path(inherit.__file__).resolve().parent.parent / "rulesets"
    if not (beside / "national").is_dir():  # perfrules imported from an install: no checkout beside it
        assert inherit._shipped() is None
        return
    assert inherit._shipped() == beside
    assert perfrules.load("hunan/project-2021").id == "hunan/project-2021"
