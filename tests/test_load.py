"""Loading rulesets: every shipped one loads; malformed ones fail with FILE:LINE:COL: path: message."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

import perfrules
from conftest import RULESETS

SHIPPED = sorted(p for p in RULESETS.rglob("*.yaml") if not p.name.endswith(".cases.yaml"))


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: str(p.relative_to(RULESETS)))
def test_shipped_rulesets_load_without_findings(path):
    scheme = perfrules.load(path)
    assert scheme.findings == ()
    assert path.read_text(encoding="utf-8").startswith("# yaml-language-server: $schema=")


def test_zhengzhou_catalogue_is_complete():
    scheme = perfrules.load(RULESETS / "henan" / "zhengzhou-project-2021.yaml")
    names = [i.name for c in scheme.categories for i in c.indicators]
    assert len(names) == 21
    assert [c.points for c in scheme.categories] == [20, 40, 30, 10]
    assert sum(i.weight for c in scheme.categories for i in c.indicators) == 100


BASE = """perfrules: 1
id: test/x
name: x
grades:
  - {grade: 优, range: "[90, 100]"}
  - {grade: 良, range: "[80, 90)"}
  - {grade: 中, range: "[60, 80)"}
  - {grade: 差, range: "[0, 60)"}
categories:
  - name: 产出指标
    points: 100
    indicators:
      - name: a
        weight: 100
        method:
"""


def problems(text: str) -> list[str]:
    with pytest.raises(perfrules.RulesetError) as err:
        perfrules.loads(text, "r.yaml")
    return [str(p) for p in err.value.problems]


def test_step_must_be_positive_with_line_and_path():
    got = problems(BASE + "          kind: linear_deduction\n          full_at: 100%\n          below: {step: 0, deduct: 1%}\n")
    assert got == ["r.yaml:18:25: categories[0].indicators[0].method.below.step: must be a number greater than 0"]


def test_misspelt_kind_gets_a_hint():
    got = problems(BASE + "          kind: linear_deducton\n")
    assert len(got) == 1 and got[0].startswith("r.yaml:16:17: categories[0].indicators[0].method.kind: must be one of")
    assert "did you mean 'linear_deduction'?" in got[0]


def test_misspelt_key_gets_a_hint():
    got = problems(BASE + "          kind: higher_is_better\n          shortfal: zero\n")
    assert got == ["r.yaml:17:11: categories[0].indicators[0].method.shortfal: unknown key 'shortfal' (did you mean 'shortfall'?)"]


def test_every_schema_problem_at_once():
    text = BASE.replace("points: 100", "points: -5").replace("weight: 100", "weigth: 100") + "          kind: nope\n"
    got = problems(text)
    assert len(got) == 4, got  # points, missing weight, unknown weigth, kind


def test_band_gap_is_a_load_error():
    text = BASE.replace('  - {grade: 中, range: "[60, 80)"}\n', "") + "          kind: higher_is_better\n"
    got = problems(text)
    assert len(got) == 1 and "the grades leave [60, 80) without a grade" in got[0]


def test_band_overlap_is_a_load_error():
    text = BASE.replace('"[80, 90)"', '"[80, 90]"') + "          kind: higher_is_better\n"
    got = problems(text)
    assert len(got) == 1 and "a total of 90 would get two grades" in got[0]


def test_bands_must_reach_the_total():
    text = BASE.replace('"[90, 100]"', '"[90, 100)"') + "          kind: higher_is_better\n"
    assert "a total of 100 would get none" in problems(text)[0]


def test_formula_that_does_not_parse_or_names_nothing():
    got = problems(BASE + "          kind: formula\n          expr: 'actual / targt'\n")
    assert "unknown name 'targt'" in got[0] and got[0].startswith("r.yaml:17:17:")
    got = problems(BASE + "          kind: formula\n          expr: 'actual /'\n")
    assert "does not parse" in got[0]
    got = problems(BASE + "          kind: formula\n          expr: '__import__(\"os\")'\n")
    assert "unknown function '__import__'" in got[0]


def test_duplicate_keys_and_bad_numbers_are_located():
    got = problems(BASE.replace("name: x\n", "name: x\nname: y\n") + "          kind: higher_is_better\n")
    assert got == ["r.yaml:4:1: duplicate key 'name'"]
    got = problems(BASE.replace("weight: 100", "weight: .inf") + "          kind: higher_is_better\n")
    assert got[0].startswith("r.yaml:14:17: .inf is not a number")


def test_yaml_syntax_error():
    got = problems("perfrules: 1\nid: a\n  name: b\n")
    assert got[0].startswith("r.yaml:3:7: not valid YAML")


def test_missing_file():
    with pytest.raises(perfrules.RulesetError, match="no such file"):
        perfrules.load(Path("nowhere.yaml"))


def test_weights_that_do_not_add_up_are_a_finding_not_rescaled():
    scheme = perfrules.loads(BASE.replace("weight: 100", "weight: 90") + "          kind: higher_is_better\n")
    assert [f.code for f in scheme.findings] == ["weights_sum"]
    result = scheme.evaluate({"indicators": [{"name": "a", "target": "1", "actual": "1"}]})
    assert result.total == 90 and "weights_sum" in {f.code for f in result.findings}


def test_indicator_without_method_needs_scoring_rules():
    got = problems(BASE.replace("        method:\n", ""))
    assert "has no method and the scheme has no scoring rules" in got[0]


def test_integer_bands_leave_89_5_undefined():
    # DOMAIN: "A variant published with integer bands (良 80–89) leaves 89.5 undefined"
    text = BASE.replace('"[80, 90)"', '"[80, 89]"') + "          kind: higher_is_better\n"
    got = problems(text)
    assert len(got) == 1 and "the grades leave (89, 90) without a grade" in got[0]


def test_yangquan_bands_as_printed_stop_at_50():
    # seed 004 prints 60-50(含) as its lowest band: without the ruleset's stated reading
    # of a total below 50, the gap is a load error
    text = (RULESETS / "shanxi" / "yangquan-project-2024.yaml").read_text(encoding="utf-8")
    lines = [line for line in text.splitlines() if '"[0, 50)"' not in line]
    got = problems("\n".join(lines))
    assert len(got) == 1 and "the grades leave [0, 50) without a grade: a total of 0 would get none" in got[0]


def test_a_lowest_band_open_at_the_bottom():
    text = BASE.replace('"[0, 60)"', '"(, 60)"') + "          kind: higher_is_better\n"
    scheme = perfrules.loads(text)
    assert scheme.grade(Decimal(0)) == "差" and scheme.grade(Decimal("59.99")) == "差"


def test_the_gap_example_is_a_total_inside_the_gap():
    # issue 9: "(32, 32.4) … a total of 32.4 would get none" where 32.4 is 优
    text = BASE.replace('"[90, 100]"', '"[32.4, 100]"').replace('"[80, 90)"', '"[31, 32]"') \
        .replace('"[60, 80)"', '"[30, 31)"').replace('"[0, 60)"', '"[0, 30)"') + "          kind: higher_is_better\n"
    got = problems(text)
    assert len(got) == 1 and "the grades leave (32, 32.4) without a grade: a total of 32.2 would get none" in got[0], got
    assert got[0].startswith("r.yaml:5:23: grades[0].range:")  # at the band above the gap


@pytest.mark.parametrize("ranges,example", [
    (('"[90, 100]"', '"[80, 89]"'), "89.5"),       # open both ends: the middle
    (('"(90, 100]"', '"[80, 90)"'), "90"),         # a point: that point
    (('"[90, 100]"', '"[80, 88)"'), "88"),         # closed below: its low end
])
def test_every_gap_example_is_in_the_gap_and_in_no_band(ranges, example):
    text = BASE.replace('"[90, 100]"', ranges[0]).replace('"[80, 90)"', ranges[1]) + "          kind: higher_is_better\n"
    got = problems(text)
    assert f"a total of {example} would get none" in got[0], got


def test_an_empty_grade_band_is_reported_and_the_rest_still_checked():
    # "gaps and overlaps between bands (also when a band is empty)"
    text = BASE.replace('"[80, 90)"', '"[80, 80)"') + "          kind: higher_is_better\n"
    got = problems(text)
    assert any("band '良' [80, 80) is empty" in p for p in got), got
    assert any("the grades leave [80, 90) without a grade: a total of 80 would get none" in p for p in got), got


# ---------------------------------------------------------------- what validate knows without data

from perfrules.cli import main  # noqa: E402

BANDS = BASE + """          kind: bands
          bands:
{bands}
"""


def validate(tmp_path, capsys, text: str) -> tuple[int, list[str]]:
    path = tmp_path / "r.yaml"
    path.write_text(text, encoding="utf-8")
    code = main(["validate", "-q", str(path)])
    return code, [line.replace(str(tmp_path) + "/", "") for line in capsys.readouterr().out.splitlines()]


def test_a_band_worth_more_than_the_weight(tmp_path, capsys):
    text = BANDS.replace('{bands}', '            - {range: "[90%, )", points: 120}\n            - {range: "[0%, 90%)", share: 150%}')
    code, out = validate(tmp_path, capsys, text)
    assert "r.yaml:18:42: categories[0].indicators[0].method.bands[0].points: warning: band_over_weight: " \
           "band [90%, ) is worth 120 points, more than the weight 100" in out, out
    assert any(line.startswith("r.yaml:19:43: categories[0].indicators[0].method.bands[1].share: warning: band_over_weight: "
                               "band [0%, 90%) is worth 150% of the weight") for line in out), out


def test_a_gap_between_bands_is_a_located_error(tmp_path, capsys):
    text = BANDS.replace('{bands}', '            - {range: "[90%, )", share: 100%}\n            - {range: "[60%, 89%)", share: 50%}\n'
                              '            - {range: "[0%, 60%)", share: 0}')
    code, out = validate(tmp_path, capsys, text)
    assert code == 1
    assert out == ["r.yaml:18:23: categories[0].indicators[0].method.bands[0].range: the bands leave [89%, 90%) without a band: "
                   "a value of 89% would be unscored (make each band start where the one below it ends)"]


def test_an_open_gap_between_bands_names_a_value_inside_it(tmp_path, capsys):
    text = BANDS.replace('{bands}', '            - {range: "(90, )", share: 100%}\n            - {range: "[0, 89]", share: 50%}')
    code, out = validate(tmp_path, capsys, text)
    assert code == 1 and "the bands leave (89, 90] without a band: a value of 90 would be unscored" in out[0], out


def test_element_shares_that_do_not_add_up_to_100(tmp_path, capsys):
    text = BASE.replace("        method:\n", "        elements: [{text: a, share: 30%}, {text: b, share: 30%}, {text: c, share: 30%}]\n"
                                            "        method:\n") + "          kind: elements\n"
    code, out = validate(tmp_path, capsys, text)
    assert code == 0 and out == ["r.yaml:15:19: categories[0].indicators[0].elements: warning: element_shares_under_100: "
                                 "the element shares add up to 90% of the weight: a unit with every element would not earn the full weight"]


def test_an_empty_checks_expression_is_a_located_error(tmp_path, capsys):
    # issue 9: "an empty `checks` expression (today an AssertionError at audit)"
    text = BASE + "          kind: higher_is_better\nchecks:\n  - {name: 收支平衡, code: unbalanced, expr: \"\"}\n  - {name: 行, code: rows, table: t, row: \" \"}\n"
    code, out = validate(tmp_path, capsys, text)
    assert code == 1
    assert out[0].startswith("r.yaml:18:42: checks[0].expr: must not be empty"), out
    assert out[1].startswith("r.yaml:19:42: checks[1].row: must not be empty"), out


def test_a_decreasing_band_table_suggests_direction_lower(tmp_path, capsys):
    bands = ('            - {range: "[0%, 5%)", share: 100%}\n            - {range: "[5%, 10%)", share: 50%}\n'
             '            - {range: "[10%, )", share: 0}')
    code, out = validate(tmp_path, capsys, BANDS.replace('{bands}', bands))
    assert code == 0 and len(out) == 1 and "info: bands_decreasing: the bands pay less for a higher value: " \
        "if a lower value is better here, say `direction: lower`" in out[0], out
    code, out = validate(tmp_path, capsys, BANDS.replace('{bands}', bands).replace("        method:\n", "        direction: lower\n        method:\n"))
    assert code == 0 and out == []


# ---------------------------------------------------------------- validate meets cases files and inputs

AUTHORING = RULESETS.parent / "docs" / "authoring"


def test_validate_recognises_cases_and_inputs_by_content(capsys):
    # issue 9: "perfrules validate my/*.yaml treats cases and input files as rulesets"
    files = sorted(str(p) for p in AUTHORING.glob("*.yaml"))
    assert main(["validate", *files]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out == [
        f"{AUTHORING}/city-2024-input.yaml: ok (an input, not a ruleset: 6 indicator rows; "
        f"score it with perfrules score RULESET {AUTHORING}/city-2024-input.yaml)",
        f"{AUTHORING}/city-2024.cases.yaml: ok (cases for demo/city-2024, 14 cases; run them with perfrules test "
        f"{AUTHORING}/city-2024.cases.yaml)",
        f"{AUTHORING}/city-2024.yaml: ok (demo/city-2024, 4 categories, 1 listed indicators)",
    ]


def test_validate_checks_a_cases_file_and_an_input_against_their_schemas(tmp_path, capsys):
    (tmp_path / "r.yaml").write_text((AUTHORING / "city-2024.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    cases = tmp_path / "r.cases.yaml"
    cases.write_text("cases:\n  - name: a\n    input: {indicators: []}\n    expected: {total: 1}\n", encoding="utf-8")
    row = tmp_path / "in.yaml"
    row.write_text("indicators:\n  - {name: a, acutal: 1}\n", encoding="utf-8")
    assert main(["validate", str(cases), str(row)]) == 1
    out = capsys.readouterr().out.replace(str(tmp_path) + "/", "")
    assert "r.cases.yaml:4:5: cases[0].expected: unknown key 'expected' (did you mean 'expect'?)" in out
    assert "in.yaml:2:15: indicators[0].acutal: unknown key 'acutal' (did you mean 'actual'?)" in out


def test_perfrules_schema_prints_each_schema_with_a_stable_id(capsys):
    import json

    for which in ("ruleset", "input", "cases"):
        assert main(["schema", which]) == 0
        printed = json.loads(capsys.readouterr().out)
        assert printed["$id"] == f"https://perfrules.org/schema/{which}-1.json"
        docs = json.loads((RULESETS.parent / "docs" / "schema" / f"{which}.schema.json").read_text(encoding="utf-8"))
        assert docs == printed


def test_a_level_worth_more_than_the_weight(tmp_path, capsys):
    text = BASE + "          kind: levels\n          levels:\n            - {name: 无结余, points: 120}\n            - {name: 有结余, points: 50}\n"
    code, out = validate(tmp_path, capsys, text)
    assert code == 0 and out == ["r.yaml:18:35: categories[0].indicators[0].method.levels[0].points: warning: band_over_weight: "
                                 "level '无结余' is worth 120 points: more than the weight"], out
