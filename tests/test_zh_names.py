"""Chinese names for method kinds and enumerated values (issue 15): `kind: 正向指标` is
`kind: higher_is_better` everywhere, and a ruleset written in Chinese names scores exactly
as its English twin."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings

import perfrules
from conftest import EXAMPLES, RULESETS, ROOT
from perfrules.cli import main
from perfrules.explain import explain
from perfrules.kinds import KINDS, Kind
from perfrules.kinds.assemble import assemble
from perfrules.kinds.base import NAMES, register
from perfrules.testing import check, inputs

ENGLISH = RULESETS / "henan" / "zhengzhou-project-2021.yaml"
CHINESE = ROOT / "tests" / "rulesets" / "zh" / "zhengzhou-project-2021.yaml"


def _scored(result: perfrules.Result) -> dict[str, Any]:
    """Everything a result says, but the scheme's id."""
    out = result.to_dict()
    out.pop("scheme")
    return out


def _enums(node: Any) -> list[dict[str, Any]]:
    """Every schema node that gives Chinese names for its values."""
    if isinstance(node, list):
        return [e for v in node for e in _enums(v)]
    if not isinstance(node, dict):
        return []
    return ([node] if NAMES in node else []) + [e for v in node.values() for e in _enums(v)]


# ---------------------------------------------------------------- the twin

def test_the_chinese_twin_is_written_in_chinese_names():
    text = CHINESE.read_text(encoding="utf-8")
    assert not re.findall(r"\b(kind|mode|measure|direction|shortfall|reading): [a-z_]+", text)
    for word in ("kind: 要素计分", "kind: 线性扣分", "kind: 正向指标", "kind: 反向指标", "kind: 定性指标", "kind: 等于型指标",
                 "mode: 四舍五入", "not_applicable: 折算", "direction: 反向指标", "measure: 要素数", "kind: 项目支出"):
        assert word in text


def test_the_chinese_twin_validates_and_compiles_to_the_english_scheme():
    english, chinese = perfrules.load(ENGLISH), perfrules.load(CHINESE)
    assert chinese.policies == english.policies
    assert chinese.rounding == english.rounding
    assert chinese.scoring == english.scoring
    assert [(i.name, i.direction, i.method and (i.method.kind, i.method.params)) for c in chinese.categories
            for i in c.indicators] == \
        [(i.name, i.direction, i.method and (i.method.kind, i.method.params)) for c in english.categories
         for i in c.indicators]
    assert chinese.meta["kind"] == "project"
    assert main(["validate", str(CHINESE)]) == 0


def test_the_twins_score_the_shipped_example_alike():
    english, chinese = perfrules.load(ENGLISH), perfrules.load(CHINESE)
    example = EXAMPLES / "zhengzhou-project-2021.yaml"
    got = chinese.evaluate(example)
    assert got.total == Decimal("100.00") and got.grade == "优秀"
    assert _scored(got) == _scored(english.evaluate(example))


_ENGLISH = perfrules.load(ENGLISH)
_CHINESE = perfrules.load(CHINESE)


@settings(max_examples=60, deadline=None, database=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow])
@given(inputs(_ENGLISH))
def test_the_twins_score_generated_inputs_alike(data):
    assert _scored(_CHINESE.evaluate(data)) == _scored(_ENGLISH.evaluate(data))


def test_the_twins_pass_the_same_cases(capsys):
    assert main(["test", str(CHINESE.with_name("zhengzhou-project-2021.cases.yaml"))]) == 0
    assert "0 failed" in capsys.readouterr().out


def test_the_twins_diff_as_alike(capsys):
    assert main(["diff", str(ENGLISH), str(CHINESE)]) == 0
    assert "score alike" in capsys.readouterr().out


def test_the_property_kit_reads_the_chinese_names():
    report = check(CHINESE, examples=20, seed=1)
    assert all(v is None for v in report.results.values()), report.results


# ---------------------------------------------------------------- every kind by its Chinese name

@pytest.mark.parametrize("kind", [k for k in KINDS.values() if k.names], ids=lambda k: k.name)
def test_every_kind_scores_alike_by_its_chinese_name(kind: Kind):
    """Each kind's checked docs examples, written with `kind: <Chinese name>`, load and score as written in English."""
    from test_docs import _wrap, _worked

    assert kind.examples
    for block in kind.examples:
        data = yaml.safe_load(block)
        english = yaml.safe_dump(_wrap(data), allow_unicode=True, sort_keys=False)
        chinese = re.sub(rf"\bkind: {kind.name}\b", f"kind: {kind.names[0]}", english)
        assert chinese != english
        where = str(ROOT / "rulesets" / "zh-names.yaml")  # so that `extends: national/project-2020` resolves
        a, b = perfrules.loads(english, where), perfrules.loads(chinese, where)
        for given_, _, _ in _worked(block, data):
            assert _scored(b.evaluate(given_)) == _scored(a.evaluate(given_))


def test_every_kind_has_a_chinese_name_and_no_name_is_two_kinds():
    seen: dict[str, str] = {}
    for kind in KINDS.values():
        assert kind.names, f"kind {kind.name} has no Chinese name"
        for name in (kind.name, *kind.names):
            assert name not in seen, f"'{name}' names both {seen[name]} and {kind.name}"
            seen[name] = kind.name
    assert KINDS["higher_is_better"].names == ("正向指标",)
    assert KINDS["elements"].names == ("要素计分",)
    assert KINDS["per_occurrence"].names == ("按次扣分",)
    assert KINDS["bands"].names == ("分档计分",)


def test_a_name_that_would_name_two_kinds_is_refused():
    twin = Kind("not_a_kind", KINDS["pass_fail"].score, names=("正向指标",))
    with pytest.raises(ValueError, match="'正向指标' is already kind 'higher_is_better'"):
        register(twin)
    assert "not_a_kind" not in KINDS


def test_every_chinese_name_of_a_value_names_one_of_its_values():
    for node in _enums(assemble()):
        english = [v for v in node["enum"] if v not in node[NAMES]]
        assert set(node[NAMES].values()) <= set(english), node
        assert set(node[NAMES]) <= set(node["enum"]), "the schema accepts every Chinese name"


def test_a_word_that_could_mean_two_values_is_no_name():
    """0.95 按百分数: 95% or 0.95%? Neither reading of a bare fraction gets a Chinese name."""
    bare = assemble()["properties"]["policies"]["properties"]["bare_fraction"]
    assert set(bare[NAMES].values()) == {"unscored"}
    with pytest.raises(perfrules.RulesetError, match="bare_fraction: must be one of"):
        perfrules.loads((ONE % ("half_up", "正向指标")) + "policies: {bare_fraction: 按百分数}\n", "t.yaml")


# ---------------------------------------------------------------- the loader, the schema, the hints

ONE = """
perfrules: 1
id: t/zh
name: t
total: 10
grades: [{grade: 合格, range: "[0, 10]"}]
rounding: {places: 1, mode: %s}
categories:
  - name: 产出指标
    points: 10
    indicators:
      - name: 完成率
        weight: 10
        target: "≥90%%"
        method: {kind: %s}
"""


def test_kind_by_chinese_name_is_the_english_kind_everywhere():
    scheme = perfrules.loads(ONE % ("四舍五入", "正向指标"), "t.yaml")
    method = scheme.categories[0].indicators[0].method
    assert method.kind == "higher_is_better" and method.raw["kind"] == "higher_is_better"
    english = perfrules.loads(ONE % ("half_up", "higher_is_better"), "t.yaml")
    row = {"indicators": [{"name": "完成率", "actual": "85%"}]}
    assert _scored(scheme.evaluate(row)) == _scored(english.evaluate(row))
    assert scheme.evaluate(row).indicator("完成率").score == Decimal("9.4")


def test_rounding_mode_by_chinese_name():
    down = perfrules.loads(ONE % ("截尾", "正向指标"), "t.yaml")
    assert down.evaluate({"indicators": [{"name": "完成率", "actual": "85%"}]}).indicator("完成率").score == Decimal("9.4")
    assert down.rounding == perfrules.loads(ONE % ("down", "higher_is_better"), "t.yaml").rounding


def test_a_misspelt_chinese_kind_gets_a_hint():
    with pytest.raises(perfrules.RulesetError) as err:
        perfrules.loads(ONE % ("half_up", "正向指"), "t.yaml")
    got = [str(p) for p in err.value.problems]
    assert len(got) == 1 and "categories[0].indicators[0].method.kind: must be one of" in got[0]
    assert "did you mean '正向指标'?" in got[0]


def test_a_chinese_kind_keeps_its_own_keys():
    """The schema checks a kind's keys whichever name it is written by."""
    with pytest.raises(perfrules.RulesetError) as err:
        perfrules.loads((ONE % ("half_up", "正向指标")).replace("{kind: 正向指标}", "{kind: 正向指标, shortfal: zero}"),
                        "t.yaml")
    assert any("unknown key 'shortfal' (did you mean 'shortfall'?)" in str(p) for p in err.value.problems)


def test_a_chinese_parameter_value():
    text = (ONE % ("half_up", "正向指标")).replace("{kind: 正向指标}", "{kind: 正向指标, shortfall: 不得分}")
    scheme = perfrules.loads(text, "t.yaml")
    assert scheme.evaluate({"indicators": [{"name": "完成率", "actual": "85%"}]}).indicator("完成率").score == 0


def test_a_chinese_name_is_read_only_where_the_schema_declares_it():
    """A Chinese name is read only where the schema declares it: elsewhere it is plain text."""
    text = (ONE % ("half_up", "正向指标")).replace("name: 完成率", "name: 正向指标")
    scheme = perfrules.loads(text, "t.yaml")
    assert scheme.categories[0].indicators[0].name == "正向指标"


def test_a_ruleset_that_extends_another_may_write_chinese_names():
    child = """
perfrules: 1
id: t/child
extends: national/project-2020
name: child
rounding: {mode: 截尾}
scoring:
  - name: 反向
    when: {direction: 反向}
    method: {kind: 反向指标, reading: 按比值}
"""
    english = child.replace("截尾", "down").replace("{direction: 反向}", "{direction: lower}") \
        .replace("{kind: 反向指标, reading: 按比值}", "{kind: lower_is_better, reading: ratio}")
    where = str(RULESETS / "child.yaml")
    a, b = perfrules.loads(english, where), perfrules.loads(child, where)
    assert b.scoring == a.scoring and b.rounding == a.rounding
    assert any(r.method.raw.get("reading") == "ratio" for r in b.scoring)


def test_explain_shows_both_names():
    text = explain(_CHINESE)
    assert "  - 计分方法：线性扣分（linear_deduction）" in text
    assert "  - 计分方法：要素计分（elements）" in text
    assert "   - 计分方法：正向指标（higher_is_better）" in text
    assert explain(_ENGLISH).replace("henan/zhengzhou", "zh/zhengzhou") == text


def test_the_format_page_gives_each_kinds_chinese_name():
    page = (ROOT / "docs" / "ruleset-format.md").read_text(encoding="utf-8")
    for kind in KINDS.values():
        assert f"Chinese name: `{kind.names[0]}`" in page


# ---------------------------------------------------------------- docs/zh

def test_the_chinese_quick_start_lists_every_kind_by_both_names():
    page = (ROOT / "docs" / "zh" / "README.md").read_text(encoding="utf-8")
    for kind in KINDS.values():
        assert f"| `{kind.names[0]}` | `{kind.name}` |" in page


def test_the_chinese_guides_typo(tmp_path, capsys):
    """The misspelt value docs/zh/authoring.md shows, and the message it shows for it."""
    typo = tmp_path / "city-2024.yaml"
    source = ROOT / "docs" / "zh" / "authoring" / "city-2024.yaml"
    typo.write_text(source.read_text(encoding="utf-8").replace("reading: 按比值", "reading: 按比率"), encoding="utf-8")
    assert main(["validate", str(typo)]) == 1
    out = capsys.readouterr().out.strip()
    page = (ROOT / "docs" / "zh" / "authoring.md").read_text(encoding="utf-8")
    shown = next(line for line in page.splitlines() if line.startswith("city-2024.yaml:"))
    assert out == f"{tmp_path}/{shown}"


def test_the_readme_links_the_chinese_pages_at_its_top():
    head = (ROOT / "README.md").read_text(encoding="utf-8").split("\n## ", 1)[0]
    assert "docs/zh/README.md" in head and "docs/zh/authoring.md" in head
