"""Ruleset cases: every shipped case runs as its own test, and a cases file that cannot
fail (a misspelt `expect:`, a case that checks nothing) is refused with a located error."""

from __future__ import annotations

import pytest

import perfrules
from conftest import ROOT, RULESETS
from perfrules.cases import expectations, find, load_cases, run_case, run_file
from perfrules.cli import main

FILES = list(find([RULESETS, ROOT / "docs" / "authoring"]))
# scoring rulesets: a checks ruleset (rulesets/checks/) scores nothing; tests/test_audit.py covers it
SHIPPED = sorted(p for p in RULESETS.rglob("*.yaml") if not p.name.endswith(".cases.yaml") and p.parent.name != "checks")
SUITES = {path: load_cases(path) for path in FILES}
CASES = [(path, case) for path, suite in SUITES.items() for case in suite.cases]


def test_every_shipped_ruleset_has_cases():
    missing = [p for p in SHIPPED if not p.with_name(p.stem + ".cases.yaml").exists()]
    assert missing == []


@pytest.mark.parametrize("path,case", CASES, ids=[f"{p.relative_to(ROOT)}::{c.name}" for p, c in CASES])
def test_case(path, case):
    failures = run_case(SUITES[path], case)
    assert failures == [], "\n".join(str(f) for f in failures)
    assert expectations(case.expect) > 0


def test_one_test_per_case():
    assert len(CASES) > 100 and len({(p, c.name) for p, c in CASES}) == len(CASES)


# ---------------------------------------------------------------- cases files that cannot fail are refused

RULESET = """perfrules: 1
id: test/cases
name: cases
total: 10
grades:
  - {grade: 合格, range: "[6, 10]"}
  - {grade: 不合格, range: "[0, 6)"}
categories:
  - name: 产出指标
    points: 10
    open: true
    scoring:
      - method: {kind: higher_is_better}
"""

ROW = "{indicators: [{name: 完成率, level1: 产出指标, weight: 10, target: '≥90%', actual: 90%}]}"


def write(tmp_path, cases: str):
    (tmp_path / "x.yaml").write_text(RULESET, encoding="utf-8")
    path = tmp_path / "x.cases.yaml"
    path.write_text(cases, encoding="utf-8")
    return path


def refused(tmp_path, cases: str) -> list[str]:
    path = write(tmp_path, cases)
    with pytest.raises(perfrules.RulesetError) as err:
        run_file(path)
    return [str(p).replace(str(tmp_path) + "/", "") for p in err.value.problems]


@pytest.mark.parametrize("key,hint", [("expected", "did you mean 'expect'?"), ("score", "known keys: name, note, input, expect"),
                                      ("totl", "known keys: name, note, input, expect")])
def test_a_misspelt_expect_is_an_error_with_a_hint(tmp_path, key, hint):
    # issue 9: "a case with `expected:`, `score:` or `totl:` instead of `expect:` … passes"
    got = refused(tmp_path, f"cases:\n  - name: 完成\n    input: {ROW}\n    {key}: {{total: 10}}\n")
    assert f"x.cases.yaml:4:5: cases[0].{key}: unknown key '{key}' ({hint})" in got, got
    assert "x.cases.yaml:2:5: cases[0]: missing required key 'expect'" in got, got


def test_a_misspelt_key_inside_expect(tmp_path):
    got = refused(tmp_path, f"cases:\n  - name: 完成\n    input: {ROW}\n    expect: {{totl: 10}}\n")
    assert "x.cases.yaml:4:14: cases[0].expect.totl: unknown key 'totl' (did you mean 'total'?)" in got, got


def test_a_case_with_nothing_to_check_is_an_error(tmp_path):
    got = refused(tmp_path, f"cases:\n  - name: 完成\n    input: {ROW}\n")
    assert got == ["x.cases.yaml:2:5: cases[0]: missing required key 'expect'"]
    got = refused(tmp_path, f"cases:\n  - name: 完成\n    input: {ROW}\n    expect: {{}}\n")
    assert len(got) == 1 and got[0].startswith("x.cases.yaml:4:13: cases[0].expect: needs one of total, grade"), got


def test_a_case_expects_a_finding_code(tmp_path):
    # "a case can expect a finding code (e.g. expect: {findings: [missing_weight]})"
    row = "{indicators: [{name: 完成率, level1: 产出指标, target: '≥90%', actual: 90%}]}"
    path = write(tmp_path, f"cases:\n  - name: 没有分值\n    input: {row}\n    expect: {{findings: [missing_weight]}}\n"
                           f"  - name: 有分值\n    input: {ROW}\n    expect: {{findings: [missing_weight]}}\n")
    outcome = run_file(path)
    assert outcome.passed == 1 and [f.case for f in outcome.failures] == ["有分值"]


def test_a_case_expects_its_input_refused(tmp_path):
    # "a scheme's author must be able to say 'this input is refused'"
    bad = "{indicators: [{name: 完成率, level1: 产出指标, weight: 10, acutal: 90%}]}"
    path = write(tmp_path, f"cases:\n  - name: refused\n    input: {bad}\n    expect: {{error: true}}\n"
                           f"  - name: refused, saying where\n    input: {bad}\n    expect: {{error: unknown key 'acutal'}}\n"
                           f"  - name: refused, saying something else\n    input: {bad}\n    expect: {{error: 'weight'}}\n"
                           f"  - name: not refused\n    input: {ROW}\n    expect: {{error: true}}\n")
    outcome = run_file(path)
    assert outcome.passed == 2
    assert [(f.case, f.what) for f in outcome.failures] == [("refused, saying something else", "error"), ("not refused", "error")]
    assert "scored: total 10.00" in str(outcome.failures[1])


def test_perfrules_test_counts_expectations(tmp_path, capsys):
    path = write(tmp_path, f"cases:\n  - name: 完成\n    input: {ROW}\n    expect: {{total: 10, grade: 合格, scores: {{完成率: 10}}, "
                           f"no_findings: [missing_weight, weights_sum]}}\n")
    assert main(["test", str(path)]) == 0
    assert capsys.readouterr().out.strip() == "1 passed, 0 failed (5 expectations checked)"


def test_a_misspelt_cases_file_stops_perfrules_test_with_its_location(tmp_path, capsys):
    path = write(tmp_path, f"cases:\n  - name: 完成\n    input: {ROW}\n    expected: {{total: 10}}\n")
    assert main(["test", str(path)]) == 2
    assert "x.cases.yaml:4:5: cases[0].expected: unknown key 'expected' (did you mean 'expect'?)" in capsys.readouterr().err
