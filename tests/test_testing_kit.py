"""The property-testing kit bites: each deliberately broken ruleset is caught with a
counterexample, and the shipped rulesets keep every invariant."""

from __future__ import annotations

from decimal import Decimal

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


# ---------------------------------------------------------------- one input scored once for every invariant

def _row_by_row_monotone(scheme, data):
    """`monotone` as it was written first: each change tried on its own row, one evaluation each."""
    import copy

    from perfrules.testing.invariants import _elements_of, _numeric, _same_row, _up
    from perfrules.values import Number, render

    def bumped(row, key, value):
        changed = copy.deepcopy(data)
        changed["indicators"][row][key] = value
        return changed

    base = scheme.evaluate(data)
    for ind in base.indicators:
        if ind.score is None or ind.row is None:
            continue
        row = data["indicators"][ind.row]
        direction = _up(ind)
        actual_key = "review_actual" if "review_actual" in row else "actual"
        number = _numeric(row.get(actual_key))
        if direction and number is not None:
            step = max(number.value * Decimal("0.1"), Decimal(1))
            for bigger in (number.value + step, number.value * 2 + 1):
                other = _same_row(scheme.evaluate(bumped(ind.row, actual_key, render(Number(bigger, number.unit)))), ind)
                if other is not None and other.score is not None and \
                        (other.score < ind.score if direction == "up" else other.score > ind.score):
                    return ind.name, other.score
        elements_key = "review_elements" if "review_elements" in row else "elements"
        present = row.get(elements_key)
        if isinstance(present, list) and ind.spec is not None:
            for extra in sorted(set(_elements_of(scheme, ind)) - set(present)):
                other = _same_row(scheme.evaluate(bumped(ind.row, elements_key, sorted(present + [extra]))), ind)
                if other is not None and other.score is not None and other.score < ind.score:
                    return ind.name, other.score
    return None


def _row_by_row_review(scheme, data):
    import copy

    from perfrules.testing.invariants import _same_row

    result = scheme.evaluate(data)
    for ind in result.indicators:
        if ind.row is None or "review_actual" not in data["indicators"][ind.row]:
            continue
        plain = copy.deepcopy(data)
        plain["indicators"][ind.row]["actual"] = plain["indicators"][ind.row].pop("review_actual")
        other = _same_row(scheme.evaluate(plain), ind)
        if other is None or other.score != ind.score:
            return ind.name
    return None


@pytest.mark.parametrize("path", [RULESETS / "henan" / "zhengzhou-project-2021.yaml",
                                  RULESETS / "hunan" / "department-2021.yaml",
                                  BROKEN / "rewards-lower-actual.yaml"], ids=lambda p: p.stem)
def test_changing_every_row_at_once_finds_what_changing_rows_one_by_one_finds(path):
    """monotone and review_is_scored change all rows in one input and confirm a hit row by row:
    on generated inputs they report the same indicator and score as the row-by-row check."""
    from hypothesis import given, settings

    scheme = perfrules.load(path, check_bands=False)
    seen = {"monotone": 0, "review": 0}

    @settings(max_examples=12, deadline=None, database=None, derandomize=True)
    @given(inputs(scheme))
    def same(data):
        result = scheme.evaluate(data)
        v = INVARIANTS["monotone"](scheme, data, result)
        assert (None if v is None else (v.indicator.name, v.indicator.score)) == _row_by_row_monotone(scheme, data)
        r = INVARIANTS["review_is_scored"](scheme, data, result)
        assert (None if r is None else r.indicator.name) == _row_by_row_review(scheme, data)
        seen["monotone"] += v is not None
        seen["review"] += any("review_actual" in row for row in data["indicators"])

    same()
    if path.stem == "zhengzhou-project-2021":
        assert seen["review"] > 0  # the inputs did hold reviewers' values (drawn for fixed indicators only)
    if path.parent.name == "broken":
        assert seen["monotone"] > 0  # and the broken formula was met


def test_an_invariant_given_the_result_says_what_it_says_scoring_alone():
    scheme = perfrules.load(BROKEN / "negative-deduction.yaml", check_bands=False)
    data = {"year": 2021, "indicators": [{"name": "完成率", "actual": "50%"}]}
    result = scheme.evaluate(data)
    for name, rule in INVARIANTS.items():
        assert rule(scheme, data, result) == rule(scheme, data), name


@pytest.mark.parametrize("name,broken", [
    ("negative-deduction.yaml", {"score_within_weight", "total_in_range"}),
    ("band-gap.yaml", {"one_grade"}),
    ("rewards-lower-actual.yaml", {"monotone"}),
    ("element-shares-120.yaml", {"score_within_weight", "total_in_range"}),
])
def test_generated_inputs_alone_catch_each_broken_ruleset(name, broken):
    """Without the threshold probes, the drawn inputs still break every invariant the ruleset
    breaks: after one breaks and is shrunk, the others keep being checked on new inputs."""
    report = check(BROKEN / name, examples=100, probes=False)
    assert broken <= {n for n, v in report.results.items() if v is not None}
    scheme = perfrules.load(BROKEN / name, check_bands=False)
    for invariant in broken:
        assert INVARIANTS[invariant](scheme, report.results[invariant].data) is not None


def test_a_seed_repeats_a_run():
    a = check(BROKEN / "rewards-lower-actual.yaml", examples=30, seed=5, probes=False)
    b = check(BROKEN / "rewards-lower-actual.yaml", examples=30, seed=5, probes=False)
    assert a.text() == b.text()
