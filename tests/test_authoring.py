"""Authoring tools: explain reads a scheme back in its own words, diff, validate, published schema."""

from __future__ import annotations

import json

import perfrules
from conftest import ROOT, RULESETS
from perfrules.cli import main
from perfrules.explain import explain

SHIPPED = sorted(p for p in RULESETS.rglob("*.yaml") if not p.name.endswith(".cases.yaml"))


def test_explain_reads_back_the_zhengzhou_rules_as_published():
    text = explain(perfrules.load(RULESETS / "henan" / "zhengzhou-project-2021.yaml"))
    # generated from the methods; each equals (or restates) the 评分标准 printed in 附表1
    assert "评分标准：业绩值为100%得满分，每降低1%扣权重分的1%，扣完为止。" in text
    assert "评分标准：具备要素1得30%权重分，具备要素2得30%权重分，具备要素3得40%权重分。" in text
    assert "评分标准：具备1个要素得20%权重分。如果缺要素4或缺要素5本指标不得分。" in text
    assert "评分标准：具备要素1得50%权重分，其余要素每符合一项得25%权重分。" in text
    assert "评分标准：具备的要素数为3得满分，每降低1扣权重分的1/3，扣完为止。" in text
    assert "- 90分（含）至100分（含）为优秀" in text
    assert "- 每个指标得分：保留2位小数，四舍五入。" in text


def test_explain_states_the_national_choices():
    text = explain(perfrules.load(RULESETS / "national" / "project-2020.yaml"))
    assert "达成年度指标的，得分值的80%（含）至100%（含）；部分达成年度指标并具有一定效果的，得分值的60%（含）至80%" in text
    assert "按（1 −（实际完成值 − 年度指标值）÷ 年度指标值）的比例计分，达到年度指标值2倍及以上的不得分" in text
    assert "超额完成不加分；实际完成值超过年度指标值的130%而无偏差原因分析的，列为发现" in text


def test_shipped_scheme_pages_are_current():
    for path in SHIPPED:
        scheme = perfrules.load(path)
        page = ROOT / "docs" / "schemes" / f"{scheme.id}.md"
        assert page.read_text(encoding="utf-8") == explain(scheme), f"regenerate {page} (see docs/schemes/README.md)"


def test_published_schema_is_the_packaged_one(capsys):
    for which in ("ruleset", "input"):
        main(["schema", which])
        printed = capsys.readouterr().out
        assert json.loads(printed)["$schema"] == "https://json-schema.org/draft/2020-12/schema"
        assert (ROOT / "docs" / "schema" / f"{which}.schema.json").read_text(encoding="utf-8") == printed


def test_diff_after_inheritance(capsys):
    code = main(["diff", str(RULESETS / "national/project-2020.yaml"), str(RULESETS / "shanxi/yangquan-project-2024.yaml")])
    out = capsys.readouterr().out
    assert code == 1
    assert "  ~ missing_weight: error → split_equally" in out
    assert "  + 差 [0, 50)" in out and "  - 差 [0, 60)" in out
    assert "  ~ terms.actual 实际完成值 → 全年完成值" in out
    assert "scoring rules" not in out  # the same rules, though worded in other terms


def test_diff_of_weights_and_methods(tmp_path, capsys):
    base = RULESETS / "henan" / "zhengzhou-project-2021.yaml"
    changed = tmp_path / "z.yaml"
    changed.write_text(base.read_text(encoding="utf-8")
                       .replace("below: {step: 1%, deduct: 1%}\n\n      - name: 预算编制合理性", "below: {step: 1%, deduct: 2%}\n\n      - name: 预算编制合理性")
                       .replace("      - name: 完成合格率\n        weight: 10", "      - name: 完成合格率\n        weight: 8")
                       .replace("      - name: 高效数据分析\n        weight: 1.67\n        target: 100%\n", ""), encoding="utf-8")
    code = main(["diff", str(base), str(changed)])
    out = capsys.readouterr().out
    assert code == 1
    assert "~ 投入和管理目标/预算执行率: 评分标准「业绩值为100%得满分，每降低1%扣权重分的1%，扣完为止」→「业绩值为100%得满分，每降低1%扣权重分的2%，扣完为止」" in out
    assert "~ 产出目标/完成合格率: weight 10 → 8" in out
    assert "- 影响力目标/高效数据分析 (1.67)" in out


def test_diff_of_a_scheme_with_itself(capsys):
    path = str(RULESETS / "national/project-2020.yaml")
    assert main(["diff", path, path]) == 0
    assert "score alike" in capsys.readouterr().out


def test_validate_reports_schema_and_semantic_problems_at_once(tmp_path, capsys):
    bad = tmp_path / "bad.yaml"
    bad.write_text("""perfrules: 1
id: test/bad
name: bad
grades:
  - {grade: 优, range: "[90, 100]"}
  - {grade: 差, range: "[0, 80)"}
categories:
  - name: A
    points: 100
    indicators:
      - {name: x, weight: 50, method: {kind: linear_deductoin, full_at: 100%}}
      - {name: y, weight: 40, method: {kind: linear_deduction, full_at: 100%, below: {step: 0, deduct: 1%}}}
      - {name: z, weight: 5, method: {kind: formula, expr: "actual / targt"}}
      - {name: w, weight: 3, elements: [{text: a, share: 70%}, {text: b, share: 50%}], method: {kind: elements}}
""", encoding="utf-8")
    code = main(["validate", str(bad)])
    lines = capsys.readouterr().out.splitlines()
    assert code == 1
    assert [line.split(": ", 2)[1] for line in lines] == [
        "grades[0].range",  # a band gap (semantic)
        "categories[0].points",  # weights add up to 98 (a finding)
        "categories[0].indicators[0].method.kind",  # misspelt kind (schema)
        "categories[0].indicators[1].method.below.step",  # step 0 (semantic)
        "categories[0].indicators[2].method.expr",  # unknown name in a formula (semantic)
        "categories[0].indicators[3].elements",  # element shares over 100% (a finding)
    ]
    assert "did you mean 'linear_deduction'?" in lines[2]
    assert all(line.startswith(f"{bad}:") for line in lines)


def test_every_kind_can_be_read_back():
    from perfrules.kinds import KINDS as METHODS

    assert all(m.describe is not None for m in METHODS.values())


GUIDE = ROOT / "docs" / "authoring"


def test_the_guides_example_region_validates_tests_and_reads_back(capsys):
    from perfrules.cases import run_file

    scheme = perfrules.load(GUIDE / "city-2024.yaml")
    assert scheme.meta["extends"] == ["national/project-2020"] and scheme.warnings == ()
    outcome = run_file(GUIDE / "city-2024.cases.yaml")
    assert outcome.failures == [] and outcome.passed == 14
    text = explain(scheme)
    guide = (ROOT / "docs" / "authoring.md").read_text(encoding="utf-8")
    for line in text.splitlines():
        if line.startswith(("5. 【反向】", "7. 【满意度分档】", "8. 【正向】")):
            assert line in guide, line
    assert main(["diff", "national/project-2020", str(GUIDE / "city-2024.yaml")]) == 1
    out = capsys.readouterr().out
    for expected in ("~ 产出指标: points 50 → 40", "~ 满意度指标: points 10 → 20", "~ 【反向】", "+ 【满意度分档】（第7条）",
                     "~ 【正向】", "+ 良 [75, 90)", "+ met: 已办结"):
        assert expected in out


def test_the_guides_first_file_changes_nothing(tmp_path, capsys):
    start = tmp_path / "city-2024.yaml"
    start.write_text("# yaml-language-server: $schema=../schema/ruleset.schema.json\nperfrules: 1\nid: demo/city-2024\n"
                     "extends: national/project-2020\nname: 示例市项目支出绩效自评评分（2024年度）\n", encoding="utf-8")
    assert main(["diff", "national/project-2020", str(start)]) == 0
    assert capsys.readouterr().out.strip() == "national/project-2020 and demo/city-2024 score alike"


def test_the_guides_typo(tmp_path, capsys):
    typo = tmp_path / "city-2024.yaml"
    typo.write_text((GUIDE / "city-2024.yaml").read_text(encoding="utf-8").replace("reading: ratio", "reading: ratoi"), encoding="utf-8")
    assert main(["validate", str(typo)]) == 1
    out = capsys.readouterr().out.strip()
    assert out == f"{typo}:25:46: scoring[4].method.reading: must be one of 'deviation', 'ratio', not 'ratoi' (did you mean 'ratio'?)"
