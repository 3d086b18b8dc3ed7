"""The property-testing kit bites: each deliberately broken ruleset is caught with a
counterexample, and the shipped rulesets keep every invariant."""

from __future__ import annotations

import pytest
import yaml

import perfrules
from conftest import ROOT, RULESETS
from perfrules.cli import main
from perfrules.testing import INVARIANTS, check, inputs, scheme_test

BROKEN = ROOT / "tests" / "rulesets" / "broken"


@pytest.mark.parametrize("name,broken", [
    ("negative-deduction.yaml", {"score_within_weight", "total_in_range"}),
    ("band-gap.yaml", {"one_grade"}),
    ("rewards-lower-actual.yaml", {"monotone"}),
    ("element-shares-120.yaml", {"score_within_weight", "total_in_range"}),
])
def test_broken_rulesets_are_caught_with_a_counterexample(name, broken):
    report = check(BROKEN / name, examples=100)  # derandomized: the same inputs every run
    failed = {n for n, v in report.results.items() if v is not None}
    assert broken <= failed
    for invariant in broken:
        violation = report.results[invariant]
        assert violation is not None
        # the counterexample is an input that really breaks the invariant when scored again
        scheme = perfrules.load(BROKEN / name, check_bands=False)
        assert INVARIANTS[invariant](scheme, violation.data) is not None


def test_the_counterexample_is_a_ready_to_paste_input(tmp_path, capsys):
    code = main(["check", str(BROKEN / "negative-deduction.yaml"), "--examples", "50", "--seed", "3"])
    out = capsys.readouterr().out
    assert code == 1
    block = out.split("# score_within_weight: ", 1)[1].split("\n\n", 1)[0]
    pasted = tmp_path / "counterexample.yaml"
    pasted.write_text("# " + block, encoding="utf-8")
    data = yaml.safe_load(pasted.read_text(encoding="utf-8"))
    result = perfrules.load(BROKEN / "negative-deduction.yaml").evaluate(pasted)
    assert data["indicators"][0]["name"] == "完成率"
    assert result.indicator("完成率").score < 0


def test_a_band_gap_is_a_load_error_but_check_shows_a_total_in_it():
    with pytest.raises(perfrules.RulesetError, match="the grades leave \\[70, 80\\) without a grade"):
        perfrules.load(BROKEN / "band-gap.yaml")
    violation = check(BROKEN / "band-gap.yaml", examples=100, only=["one_grade"]).results["one_grade"]
    assert violation is not None and "没有等级" in violation.message


@pytest.mark.parametrize("path", sorted(p for p in RULESETS.rglob("*.yaml")
                                         if not p.name.endswith(".cases.yaml") and p.parent.name != "checks"),
                         ids=lambda p: str(p.relative_to(RULESETS)))
def test_generated_inputs_are_valid_for_every_shipped_scheme(path):
    from hypothesis import given, settings

    scheme = perfrules.load(path)

    @settings(max_examples=15, deadline=None, database=None)
    @given(inputs(scheme))
    def valid(data):
        result = scheme.evaluate(data)  # raises InputError if the generator made an invalid input
        # every generated row is one the scheme takes: none unknown, none left over
        codes = {f.code for f in result.findings}
        assert not codes & {"unknown_indicator", "unknown_category", "duplicate_indicator", "missing_indicator"}
        assert len([i for i in result.indicators if i.row is not None]) == len(data["indicators"])

    valid()


# the pytest entry point, as an author writes it in their own tests: one line
test_national_scheme = scheme_test(RULESETS / "national" / "project-2020.yaml", examples=20, seed=7)
test_zhengzhou_scheme = scheme_test(RULESETS / "henan" / "zhengzhou-project-2021.yaml", examples=20, seed=7)


def test_the_fixture(perfrules_check):
    perfrules_check(RULESETS / "shanxi" / "yangquan-project-2024.yaml", examples=15, seed=7)
