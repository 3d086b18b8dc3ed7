"""`perfrules check A --against B`: two schemes proven equal, or the first input they score
differently, shrunk, with both explanations (issue 14, "Proven equal").

The schemes compared are in tests/rulesets/against/: base.yaml in the issue's wordings
(≥90%，计5分；80%（含）-90%，计4分 … 每出现一例…扣1分，最多扣2分), refactor.yaml the same scheme
written with `extends`, and copies of base.yaml with one rule changed.
"""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
import yaml

hypothesis = pytest.importorskip("hypothesis", reason="perfrules.testing needs the `testing` extra (hypothesis)")

import perfrules  # noqa: E402
from conftest import ROOT, RULESETS  # noqa: E402
from perfrules.cli import main  # noqa: E402
from perfrules.testing import Equivalence, equivalent  # noqa: E402
from perfrules.testing.against import compare  # noqa: E402

AGAINST = ROOT / "tests" / "rulesets" / "against"
BASE = AGAINST / "base.yaml"
SHIPPED = sorted(p for p in RULESETS.rglob("*.yaml") if not p.name.endswith(".cases.yaml") and p.parent.name != "checks")


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(["check", *argv])
    out, err = capsys.readouterr()
    return code, out, err


def really_differs(a: str, b: str, found: Equivalence) -> None:
    """The counterexample is an input the two schemes score differently when scored again."""
    d = found.counterexample
    assert d is not None
    lines, _ = compare(perfrules.load(a).evaluate(d.data), perfrules.load(b).evaluate(d.data), found.only)
    assert lines == list(d.lines)


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: str(p.relative_to(RULESETS)))
def test_a_scheme_against_itself_is_equal(path):
    found = equivalent(path, path, examples=30)
    assert found.equal, found.text()
    assert found.counterexample is None and found.compared > 30  # drawn and built inputs
    assert found.text() == ""


def test_an_extends_refactor_of_a_scheme_is_equal_and_the_command_is_silent(capsys):
    assert perfrules.load(AGAINST / "refactor-parent.yaml").total == 100  # the parent differs from base ...
    assert not equivalent(BASE, AGAINST / "refactor-parent.yaml", examples=20).equal
    code, out, err = run(capsys, str(BASE), "--against", str(AGAINST / "refactor.yaml"))  # ... its child does not
    assert (code, out, err) == (0, "", "")


CHANGES = [  # (the changed copy of base.yaml, the indicator, how its figures must read)
    ("band-85.yaml", "覆盖率", r"产出指标 · 覆盖率: 4\.00 ≠ 5\.00"),  # [85%, 90%): 4 points in base, 5 with the edge at 85%
    ("cap-3.yaml", "督导检查", r"产出指标 · 督导检查: (\d)\.00 ≠ (\d)\.00"),  # 最多扣2分 / 最多扣3分
    ("rounding-1.yaml", None, r": (\d+\.\d\d) ≠ (\d+\.\d)(\s|$)"),  # two places / one place
]


@pytest.mark.parametrize("seed", range(10))
@pytest.mark.parametrize("name,indicator,figures", CHANGES, ids=[c[0] for c in CHANGES])
def test_a_changed_rule_is_found_by_the_drawn_inputs_on_every_seed(name, indicator, figures, seed):
    """Without the built inputs (probes=False): hypothesis alone finds and shrinks the difference."""
    found = equivalent(BASE, AGAINST / name, examples=100, seed=seed, probes=False)
    d = found.counterexample
    assert d is not None and not d.built, f"seed {seed}: no difference found"
    text = found.text()
    m = re.search(figures, text, re.M)
    assert m, text
    if name == "band-85.yaml":  # the actual scored lies in [85%, 90%)
        ind = d.a.indicator("覆盖率")
        assert Decimal("85") <= Decimal(ind.actual.rstrip("%")) < Decimal("90")
    elif name == "cap-3.yaml":  # shrunk to 3 occurrences: 5 − 2 = 3 against 5 − 3 = 2
        assert (m.group(1), m.group(2)) == ("3", "2")
        assert d.data["indicators"][2] == {"name": "督导检查", "occurrences": 3}
    else:
        two, one = Decimal(m.group(1)), Decimal(m.group(2))
        assert two != one and abs(two - one) <= Decimal("0.05")
    really_differs(BASE, AGAINST / name, found)


@pytest.mark.parametrize("name,indicator,figures", CHANGES, ids=[c[0] for c in CHANGES])
def test_the_command_prints_the_difference_with_both_explanations_ready_to_paste(name, indicator, figures, capsys,
                                                                                   tmp_path):
    code, out, err = run(capsys, str(BASE), "--against", str(AGAINST / name), "--seed", "1")
    assert code == 1 and err == ""
    assert out.startswith(f"against/base ({BASE}) and against/{name[:-5]} ({AGAINST / name}) score differently")
    assert re.search(figures, out, re.M), out
    if indicator is not None:  # both explanations, one under the other
        assert "\n#   against/base: " in out
        assert f"#   against/{name[:-5]}: " in out
    pasted = tmp_path / "counterexample.yaml"
    pasted.write_text(out.split("\n\n", 1)[1], encoding="utf-8")  # the comments and the input, as printed
    data = yaml.safe_load(pasted.read_text(encoding="utf-8"))
    a, b = perfrules.load(BASE).evaluate(pasted), perfrules.load(AGAINST / name).evaluate(pasted)
    assert data["indicators"] and (a.total, a.grade) != (b.total, b.grade) or \
        [i.score for i in a.indicators] != [i.score for i in b.indicators]


def test_the_same_seed_repeats_the_same_counterexample():
    one = equivalent(BASE, AGAINST / "band-85.yaml", seed=4, probes=False).counterexample
    two = equivalent(BASE, AGAINST / "band-85.yaml", seed=4, probes=False).counterexample
    assert one is not None and two is not None and one.data == two.data


def test_an_indicator_only_in_one_scheme_is_reported_not_a_crash(capsys):
    found = equivalent(BASE, AGAINST / "renamed.yaml", examples=20)
    assert found.only_in_a == ("产出指标 · 培训人数",)
    assert found.only_in_b == ("产出指标 · 培训人次",)
    assert not found.equal and found.counterexample is not None
    assert "产出指标 · 培训人数: " in "\n".join(found.counterexample.lines)
    code, out, err = run(capsys, str(BASE), "--against", str(AGAINST / "renamed.yaml"))
    assert code == 1 and err == ""
    assert "only in against/base: 产出指标 · 培训人数\nonly in against/renamed: 产出指标 · 培训人次\n" in out
    assert "no such indicator" in out and "Traceback" not in out


def test_open_categories_and_listed_indicators_are_paired_by_category_and_name():
    found = equivalent("henan/zhengzhou-project-2021", "national/project-2020", examples=0)
    assert "投入和管理目标 · 预算执行率" in found.only_in_a  # the same name in another category is another indicator
    assert "预算执行率 · 预算执行率" in found.only_in_b
    assert "产出指标 · (the unit's own indicators)" in found.only_in_b


def test_grade_bands_that_differ_are_found_with_the_totals_concerned():
    found = equivalent(BASE, AGAINST / "grades-85.yaml", examples=20)
    assert found.grades == ("a total from 85 to 89.99 is 良 in against/base, 优 in against/grades-85",)
    d = found.counterexample
    assert d is not None
    assert Decimal(85) <= d.a.total < Decimal(90) and (d.a.grade, d.b.grade) == ("良", "优")


@pytest.mark.parametrize("a,b,word", [
    ("national/project-2020", "hunan/department-2021", "全覆盖"),  # Hunan's own 达成 words
    ("national/project-2020", "shanxi/yangquan-project-2024", None),  # its words, bound actuals, split weights
])
def test_two_shipped_schemes_that_differ(a, b, word):
    found = equivalent(a, b, examples=50)
    assert not found.equal and found.counterexample is not None
    really_differs(a, b, found)
    if word is not None:
        assert word in found.text()


def test_a_policy_that_drawn_inputs_never_meet_is_found_by_a_built_input():
    """An actual written as a bound (≥90%): unscored in base, read as its bound in bound.yaml."""
    found = equivalent(BASE, AGAINST / "bound.yaml", examples=20)
    d = found.counterexample
    assert d is not None and d.built
    assert [r for r in d.data["indicators"] if str(r.get("actual", "")).startswith("≥")]  # the rows it needs, no more
    assert all(not str(r.get("actual", "")).startswith("≥") for r in d.data["indicators"]
               if r.get("name") not in {k[1] for k in d.keys})
    really_differs(BASE, AGAINST / "bound.yaml", found)


def test_only_compares_the_named_indicators():
    """For the draft round trip: the indicators a draft did not leave as placeholders."""
    assert equivalent(BASE, AGAINST / "band-85.yaml", only=["督导检查", "完成率"], examples=10).equal
    found = equivalent(BASE, AGAINST / "band-85.yaml", only=["覆盖率"], examples=10)
    assert found.counterexample is not None
    assert [line.split(":")[0] for line in found.counterexample.lines] == ["产出指标 · 覆盖率"]  # no total, no grade
    assert "compared: the scores of 覆盖率 only (not the totals)" in found.text()
    assert equivalent(BASE, AGAINST / "band-85.yaml", only=["产出指标 · 督导检查"], examples=10).equal
    assert not equivalent(BASE, AGAINST / "band-85.yaml", only=["产出指标 · 覆盖率"], examples=10).equal


def test_examples_zero_compares_the_built_inputs_alone():
    found = equivalent(BASE, AGAINST / "band-85.yaml", examples=0)
    assert found.counterexample is not None and found.counterexample.built
    assert equivalent(BASE, AGAINST / "refactor.yaml", examples=0).equal


@pytest.mark.parametrize("argv,said", [
    (["nope.yaml", "--against", str(BASE)], "nope.yaml: no such file"),
    ([str(BASE), "--against", "nope.yaml"], "nope.yaml: no such file"),
    ([str(BASE), "--against", "checks/final-accounts"], "is a checks ruleset: it scores nothing"),
    ([str(BASE), "--against", str(ROOT / "tests" / "rulesets" / "broken" / "band-gap.yaml")], "without a grade"),
])
def test_errors_exit_2_without_a_traceback(capsys, argv, said):
    code, out, err = run(capsys, *argv)
    assert code == 2 and out == "" and said in err and "Traceback" not in err


def test_examples_must_be_one_or_more(capsys):
    with pytest.raises(SystemExit) as exc:
        main(["check", str(BASE), "--against", str(BASE), "--examples", "0"])
    assert exc.value.code == 2
    assert "--examples: must be a whole number, 1 or more" in capsys.readouterr().err


def test_several_schemes_each_against_one(capsys):
    code, out, _ = run(capsys, str(AGAINST / "refactor.yaml"), str(AGAINST / "cap-3.yaml"), "--against", str(BASE),
                       "--examples", "30")
    assert code == 1
    assert re.findall(r"^against/\S+", out, re.M) == ["against/cap-3"]


def test_check_help_mentions_against(capsys):
    with pytest.raises(SystemExit):
        main(["check", "--help"])
    said = " ".join(capsys.readouterr().out.split())
    assert "--against B" in said and "perfrules check A --against B" in said


def _block(page: str, command: str) -> str:
    text = (ROOT / "docs" / page).read_text(encoding="utf-8")
    start = text.index(f"$ {command}\n")
    return text[start:text.index("```", start)].split("\n", 1)[1]


DOC_COMMAND = "perfrules check tests/rulesets/against/base.yaml --against tests/rulesets/against/band-85.yaml"


def test_the_testing_page_example_is_what_the_schemes_say_of_its_input(monkeypatch):
    """docs/testing.md: the input shown, scored by both schemes, gives the comment lines shown above it
    (whichever input a hypothesis version shrinks to, the page's stays true)."""
    from perfrules.testing.against import Difference, as_text

    monkeypatch.chdir(ROOT)
    shown = _block("testing.md", DOC_COMMAND)
    header, example = shown.split("\n\n", 1)
    data = yaml.safe_load(example)
    a, b = perfrules.load("tests/rulesets/against/base.yaml"), perfrules.load("tests/rulesets/against/band-85.yaml")
    x, y = a.evaluate(data), b.evaluate(data)
    lines, keys = compare(x, y)
    again = as_text(Difference(data, tuple(lines), x, y, tuple(keys)), a.id, b.id)
    assert again == example.rstrip("\n")
    assert header == f"{a.id} ({a.file}) and {b.id} ({b.file}) score differently"


def test_the_docs_commands_print_what_the_docs_show(monkeypatch, capsys):
    monkeypatch.chdir(ROOT)
    code, out, _ = run(capsys, *DOC_COMMAND.split()[2:])
    shown = _block("testing.md", DOC_COMMAND)
    assert code == 1 and out.split("\n")[0] == shown.split("\n")[0]
    assert "# 产出指标 · 覆盖率: 4.00 ≠ 5.00\n" in out and "# 产出指标 · 覆盖率: 4.00 ≠ 5.00\n" in shown
    refactor = "perfrules check tests/rulesets/against/base.yaml --against tests/rulesets/against/refactor.yaml"
    assert _block("testing.md", refactor) == "$ echo $?\n0\n"
    assert run(capsys, *refactor.split()[2:]) == (0, "", "")
    cap = "perfrules check tests/rulesets/against/base.yaml --against tests/rulesets/against/cap-3.yaml"
    code, out, _ = run(capsys, *cap.split()[2:])
    shown = _block("cli.md", cap).split("…")[0]
    assert code == 1 and out.startswith(shown)
