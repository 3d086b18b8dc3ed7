"""Issue 10, "Crashes found by fuzzing": each reproducer is a located error or a finding, never a traceback."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

import perfrules
from conftest import EXAMPLES, RULESETS, scheme_with
from perfrules import cli, limits
from perfrules.api import audit, evaluate
from perfrules.sources import read_document, yaml_text
from perfrules.errors import InputError, PerfrulesError, RulesetError
from perfrules.render import table, to_json

NATIONAL = RULESETS / "national" / "project-2020.yaml"
CHECKS = RULESETS / "checks" / "final-accounts.yaml"
SATISFACTION = "- {name: 满意度, weight: 10, method: {kind: higher_is_better}}"


def one_row(**row: object) -> dict[str, object]:
    return {"indicators": [{"name": "满意度", "weight": 10, **row}]}


def formula_result(expr: str, **row: object):
    scheme = scheme_with(f"- {{name: 满意度, weight: 10, method: {{kind: formula, expr: '{expr}'}}}}")
    result = evaluate(scheme, one_row(target="90", actual="95", **row))
    table(result, scheme)  # formatting the result must not crash either (10**100000 did)
    to_json(result)
    return result.indicators[0]


# ---------------------------------------------------------------- control characters


@pytest.mark.parametrize("char", ["\x00", "\x07", "\x0b"])
def test_a_control_character_in_a_ruleset_is_located(char):
    text = NATIONAL.read_text(encoding="utf-8")
    line = next(i for i, t in enumerate(text.splitlines()) if t.startswith("name:"))
    text = text.replace("name: ", f"name: 项目{char}", 1)
    with pytest.raises(RulesetError) as err:
        perfrules.loads(text, "pasted.yaml")
    problem = err.value.problems[0]
    assert (problem.file, problem.line, problem.column) == ("pasted.yaml", line + 1, 9)
    assert f"U+{ord(char):04X}" in problem.message


@pytest.mark.parametrize("char", ["\x00", "\x07", "\x0b"])
def test_a_control_character_in_a_json_input_file_exits_2_with_its_place(tmp_path, capsys, char):
    path = tmp_path / "input.json"
    second = '  {"name": "满意度", "actual": "95%' + char + '", "weight": 10}]}'
    path.write_text('{"indicators": [\n' + second, encoding="utf-8")
    assert cli.main(["score", str(NATIONAL), str(path)]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"{path}:2:{second.index(char) + 1}: a control character (U+{ord(char):04X})")
    assert "Traceback" not in err


# ---------------------------------------------------------------- numbers beyond the bounds


@pytest.mark.parametrize("written", ["1.0e+30", "1" * 28, "1" + "0" * 40, "1" * 4301, "-9.99e+26", "12.1e-300",
                                     "1.0e+30600000", "1.0e-30600000"])
def test_a_huge_number_in_a_yaml_input_is_a_located_error(written):
    text = f"indicators:\n  - {{name: 满意度, target: ≥90%, weight: 10, actual: {written}}}\n"
    with pytest.raises(InputError) as err:
        evaluate(scheme_with(SATISFACTION), yaml_text.loads(text, "in.yaml", InputError).data)
    problem = err.value.problems[0]
    assert (problem.line, problem.column) == (2, text.splitlines()[1].index(written) + 1)
    assert "limit" in problem.message and "PERFRULES_MAX_" in problem.message


def test_a_weight_of_1_and_40_zeros_in_a_ruleset_is_a_located_error():
    with pytest.raises(RulesetError) as err:
        scheme_with("- {name: 满意度, weight: 1" + "0" * 40 + ", method: {kind: higher_is_better}}")
    assert err.value.problems[0].line is not None
    assert "41 digits" in err.value.problems[0].message


@pytest.mark.parametrize("weight", ["1" + "0" * 40, "1" * 10000])
def test_a_huge_weight_written_as_text_is_not_a_number(weight):
    with pytest.raises(InputError, match="weight: must be a number"):
        evaluate(scheme_with(SATISFACTION), one_row(target="≥90%", actual="95%", weight=weight))


def test_a_huge_actual_written_as_text_is_a_finding_not_a_score():
    result = evaluate(scheme_with(SATISFACTION), one_row(target="≥90%", actual="1" * 10000))
    assert result.indicators[0].score is None
    assert result.errors


def test_a_huge_number_from_python_is_refused():
    with pytest.raises(InputError, match="beyond the limit"):
        evaluate(scheme_with(SATISFACTION), one_row(target="≥90%", actual="95%", weight=10**40))
    with pytest.raises(InputError, match="beyond the limit"):
        evaluate(scheme_with(SATISFACTION), one_row(target="≥90%", actual=1e30))


def test_a_ratio_of_numbers_at_the_bounds_is_scored_and_shown_without_a_crash():
    """Found by the fuzzer: a budget of 12.1e-300 made an execution rate of 10^300 that no format could show."""
    text = (EXAMPLES / "yangquan-project-2024.yaml").read_text(encoding="utf-8")
    assert "{value: 12.50, source: 附件1 项目预算金额}" in text
    text = text.replace("{value: 12.50, source: 附件1 项目预算金额}", "{value: 0.000000000000001, source: 附件1 项目预算金额}")
    record = read_document(yaml_text.loads(text, "in.yaml", InputError))
    scheme = perfrules.load(RULESETS / "shanxi" / "yangquan-project-2024.yaml")
    result = audit(scheme, record)
    table(result, scheme)
    rate = next(i for i in result.indicators if i.spec is not None and i.spec.kind == "execution_rate")
    assert "12500000000000000" in rate.explanation  # 12.5 ÷ 10^-15, written out


def test_the_number_bound_is_a_setting():
    text = "indicators:\n  - {name: 满意度, target: ≥90%, weight: 10, actual: 2000.5}\n"
    with limits.override(max_number=Decimal(1000)):
        with pytest.raises(InputError, match="PERFRULES_MAX_NUMBER"):
            yaml_text.loads(text, "in.yaml", InputError)
    assert yaml_text.loads(text, "in.yaml", InputError).data["indicators"][0]["actual"] == Decimal("2000.5")


# ---------------------------------------------------------------- a range target 0-0%


def test_a_range_0_to_0_percent_scores_as_a_target_of_0():
    scheme = scheme_with("- {name: 满意度, weight: 10, method: {kind: range}}")
    above = evaluate(scheme, one_row(target="0-0%", actual="5%")).indicators[0]
    assert above.score == Decimal("0.00") and "上限为0而实际不为0" in above.explanation
    at = evaluate(scheme, one_row(target="0-0%", actual="0%")).indicators[0]
    assert at.score == Decimal("10.00")


def test_a_reversed_range_is_not_scored():
    scheme = scheme_with("- {name: 满意度, weight: 10, method: {kind: range}}")
    ind = evaluate(scheme, one_row(target="95%-90%", actual="92%")).indicators[0]
    assert ind.score is None
    assert [f.code for f in ind.findings] == ["target_range_reversed"]


# ---------------------------------------------------------------- checks and formulas


@pytest.mark.parametrize("key, old, new", [
    ("expr", "expr: 收入总计 == 支出总计", 'expr: ""'),
    ("row", "row: 小计 == 基本支出 + 项目支出", 'row: "  "'),
])
def test_an_empty_check_expression_is_a_located_ruleset_error(key, old, new):
    text = CHECKS.read_text(encoding="utf-8")
    assert old in text
    with pytest.raises(RulesetError) as err:
        perfrules.loads(text.replace(old, new, 1), "checks.yaml")
    problem = err.value.problems[0]
    assert problem.line is not None and problem.path.endswith(f".{key}")
    assert "must not be empty" in problem.message


@pytest.mark.parametrize("expr", ["9**9**9", "10**100000", "floor(10**999999)", "(10**99)**99 - 1"])
def test_a_power_of_numbers_beyond_the_bounds_is_refused_at_load(expr):
    """Its numbers need no data: the ruleset is wrong, located, before any input is scored."""
    with pytest.raises(RulesetError) as err:
        scheme_with(f"- {{name: 满意度, weight: 10, method: {{kind: formula, expr: '{expr}'}}}}")
    problem = err.value.problems[0]
    assert problem.line is not None and problem.path.endswith("method.expr")
    assert "beyond the limit" in problem.message


@pytest.mark.parametrize("expr", ["actual ** 101", "actual ** (50 + 51)", "10 ** (actual * 100)"])
def test_a_power_that_reads_the_data_beyond_the_bounds_is_a_finding_on_its_indicator(expr):
    ind = formula_result(expr)
    assert ind.score is None
    assert [f.code for f in ind.findings] == ["formula_error"]


def test_a_formula_result_beyond_the_bounds_is_a_finding():
    ind = formula_result("actual * 10**13")  # 9.5e14, times the weight 10
    assert ind.score is None and "超出可计算的范围" in ind.explanation


@pytest.mark.parametrize("terms, words", [(600, "nested deeper than 100"), (4000, "beyond the limit of 2,000")])
def test_a_formula_of_many_terms_is_refused_at_load(terms, words):
    expr = "+".join(["1"] * terms)
    with pytest.raises(RulesetError) as err:
        scheme_with(f"- {{name: 满意度, weight: 10, method: {{kind: formula, expr: '{expr}'}}}}")
    problem = err.value.problems[0]
    assert problem.line is not None and words in problem.message


def test_a_formula_of_many_terms_within_the_bounds_loads_and_scores():
    expr = "(" + "+".join(["actual"] * 90) + ") / 90 / 100"
    assert formula_result(expr).score == Decimal("9.50")


def test_a_check_beyond_the_bounds_is_refused_at_load_or_a_check_error_finding():
    text = CHECKS.read_text(encoding="utf-8")
    with pytest.raises(RulesetError, match="exponent of 387420489"):
        perfrules.loads(text.replace("expr: 收入总计 == 支出总计", "expr: 收入总计 == 9**9**9", 1), "checks.yaml")
    scheme = perfrules.loads(text.replace("expr: 收入总计 == 支出总计", "expr: 收入总计 == 支出总计 ** 101", 1), "checks.yaml")
    result = audit(scheme, EXAMPLES / "yangquan-final-accounts-2024.yaml")
    errors = [f for f in result.findings if f.code == "check_error"]
    assert len(errors) == 1 and "an exponent of 101 is beyond the limit of 100" in errors[0].message


# ---------------------------------------------------------------- nesting and aliases


def bomb(levels: int) -> str:
    lines = ['a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    lines += [f"a{i}: &a{i} [" + ",".join([f"*a{i - 1}"] * 9) + "]" for i in range(1, levels)]
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize("text", ["a: " + "[" * 1000 + "]" * 1000, "a:\n" + "".join("  " * i + "- \n" for i in range(600)),
                                  '{"a": ' + "{\"b\": " * 700 + "1" + "}" * 701])
def test_yaml_or_json_nested_too_deep_is_a_located_error(text):
    with pytest.raises(InputError) as err:
        yaml_text.loads(text, "deep.yaml", InputError)
    assert err.value.problems[0].line is not None
    assert "nested deeper than 100 levels" in err.value.problems[0].message


def test_nesting_through_aliases_counts_too():
    text = "a: &a " + "[" * 60 + "]" * 60 + "\nb: " + "[" * 60 + "*a" + "]" * 60 + "\n"
    with pytest.raises(InputError, match="once its aliases are expanded"):
        yaml_text.loads(text, "deep.yaml", InputError)


@pytest.mark.parametrize("tail", ["indicators: [{name: x, actual: *a8}]\n", "perfrules: 1\nid: x/y\nname: *a8\n"])
def test_a_billion_laughs_is_refused_before_it_expands(tail):
    with pytest.raises(PerfrulesError) as err:
        perfrules.loads(bomb(9) + tail, "bomb.yaml")
    assert "alias bomb" in str(err.value) and err.value.problems[0].line is not None


def test_a_recursive_alias_is_refused():
    with pytest.raises(InputError, match="recursive"):
        yaml_text.loads("a: &a [1, *a]\n", "loop.yaml", InputError)


def test_a_schema_message_never_quotes_a_whole_instance():
    with pytest.raises(PerfrulesError) as err:
        perfrules.loads(bomb(6) + "perfrules: 1\nid: x/y\nname: *a5\ncategories: *a5\n", "bomb.yaml")
    assert len(str(err.value)) < 5000
    assert all(len(p.message) < 500 for p in err.value.problems)


def test_merge_keys_and_ordinary_aliases_still_work():
    doc = yaml_text.loads("base: &b {weight: 10, target: 90%}\nrow: {<<: *b, actual: 95%}\nsame: *b\n", "x.yaml", InputError)
    assert doc.data["row"] == {"weight": 10, "target": "90%", "actual": "95%"}


def test_a_file_beyond_the_size_limit_is_refused(tmp_path):
    path = tmp_path / "big.yaml"
    path.write_text("indicators: []\n" + "# padding\n" * 200, encoding="utf-8")
    with limits.override(max_file_bytes=1000):
        with pytest.raises(InputError, match="larger than the limit of 0.001 MB"):
            perfrules.sources.read(path)
    assert perfrules.sources.read(path).rows == ()


def test_examples_and_shipped_rulesets_are_well_inside_the_bounds():
    for path in [*RULESETS.rglob("*.yaml"), *Path(EXAMPLES).glob("*.yaml")]:
        yaml_text.load(path, PerfrulesError)


def test_a_mistyped_limit_in_the_environment_is_a_usage_error(monkeypatch, capsys):
    monkeypatch.setenv("PERFRULES_MAX_ROWS", "lots")
    assert cli.main(["validate", str(NATIONAL)]) == 2
    assert "PERFRULES_MAX_ROWS='lots' is not a number" in capsys.readouterr().err


@pytest.mark.parametrize("bound", ["1e1000000", "1e46", "1e200"])
def test_a_number_bound_no_decimal_arithmetic_can_hold_is_a_usage_error(bound):
    """Found by h23: PERFRULES_MAX_NUMBER=1e1000000 was a decimal.Overflow traceback at import
    (10^n past the context's exponents); and past 1e45 a ratio of two numbers within the bound would
    not round within decimals.WIDE. A bound must be at most 1e45."""
    import os
    import subprocess
    import sys

    done = subprocess.run([sys.executable, "-m", "perfrules", "validate", str(NATIONAL)], capture_output=True,
                          text=True, env={**os.environ, "PERFRULES_MAX_NUMBER": bound}, timeout=120)
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert f"PERFRULES_MAX_NUMBER='{bound}' must be at most 1e45" in done.stderr
    with pytest.raises(ValueError, match="at most 1e45"):
        perfrules.limits.configure(max_number=Decimal(bound))


def test_an_extends_too_long_for_a_file_name_is_a_ruleset_error():
    """Found by the fuzzer: Path.is_file() raises OSError (ENAMETOOLONG) past 255 bytes."""
    text = (RULESETS / "hunan" / "department-2021.yaml").read_text(encoding="utf-8")
    assert "extends: national/project-2020" in text
    with pytest.raises(RulesetError, match="extends"):
        perfrules.loads(text.replace("extends: national/project-2020", "extends: " + "1+" * 300 + "1"),
                        str(RULESETS / "hunan" / "department-2021.yaml"))


def test_a_share_beyond_the_bounds_in_a_ruleset_is_a_located_error():
    """Found by the fuzzer: explain_above: '111…1' (10,000 digits) crashed `explain`."""
    text = NATIONAL.read_text(encoding="utf-8")
    assert "explain_above: 130%" in text
    with pytest.raises(RulesetError) as err:
        perfrules.loads(text.replace("explain_above: 130%", "explain_above: '" + "1" * 10000 + "'"), str(NATIONAL))
    assert err.value.problems[0].line is not None and "explain_above" in err.value.problems[0].path


# ---------------------------------------------------------------- numbers of other classes in a Python mapping

class _Float(float):
    """A float subclass that prints itself as numpy 2 does (np.float64(2.5))."""

    def __repr__(self) -> str:
        return f"np.float64({float(self)!r})"


@pytest.mark.parametrize("odd", [1j, __import__("fractions").Fraction(1, 3), complex(2, 0)])
def test_a_number_with_no_decimal_of_its_own_is_a_located_error(odd: object) -> None:
    # complex and Fraction are numbers to jsonschema; Decimal() refused them with a TypeError traceback
    with pytest.raises(InputError, match="is not a number a score can use"):
        evaluate(perfrules.load(NATIONAL), one_row(target="90%", actual=odd))
    with pytest.raises(InputError, match="is not a number a score can use"):
        evaluate(perfrules.load(NATIONAL), one_row(weight=odd))


def test_a_float_subclass_and_a_whole_number_class_read_as_their_values() -> None:
    # numpy.float64 (a float subclass printing as np.float64(2.5)) made Decimal() fail on its repr
    from perfrules.sources import mapping

    row = mapping.from_mapping(one_row(actual=_Float(0.1), deduction=_Float(2.5))).rows[0]
    assert row.actual.text == "0.1" and row.deduction == Decimal("2.5")
    np = pytest.importorskip("numpy", reason="numpy comes with the pandas and dask extras; the float subclass above covers the rest")
    row = mapping.from_mapping(one_row(weight=np.int64(5), actual=np.float64(0.1))).rows[0]
    assert row.weight == 5 and row.actual.text == "0.1"
    with pytest.raises(InputError, match="is not a number a score can use"):
        mapping.from_mapping(one_row(actual=np.float32(0.5)))
