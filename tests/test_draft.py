"""`perfrules draft` (issue 14): the kinds' phrasings, the table reader, the drafted ruleset, its
placeholders, and the round trip explain → table → draft on every shipped ruleset."""

from __future__ import annotations

import copy
import re
from dataclasses import asdict
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

import perfrules
from conftest import ROOT
from perfrules.cli import main
from perfrules.draft import draft, dump, table_of
from perfrules.sources.ruletable import read_table
from perfrules.errors import PerfrulesError, RulesetError
from perfrules.kinds import KINDS
from perfrules.kinds.phrase import Given, interval, normal, read
from perfrules.sources import yaml_text

DATA = ROOT / "tests" / "data" / "draft"
SHIPPED = sorted(p for p in (ROOT / "rulesets").rglob("*.yaml")
                 if not p.name.endswith(".cases.yaml") and "checks" not in p.parts) + [ROOT / "docs/authoring/city-2024.yaml"]


# ---------------------------------------------------------------- the kinds' phrasings and their examples

EXAMPLES = [(name, example) for name, kind in KINDS.items() for p in kind.phrasings for example in p.examples]


def test_every_kind_declares_phrasings():
    assert {name for name, kind in KINDS.items() if not kind.phrasings} == set()


@pytest.mark.parametrize("kind,example", EXAMPLES, ids=[f"{k}: {e.text[:30]}" for k, e in EXAMPLES])
def test_each_phrasing_example_reads_as_stated(kind, example):
    """Every kind's examples, read by every kind's phrasings: one method, or a placeholder's reason."""
    got = read(example.text, Given(example.weight, example.elements), KINDS)
    if example.method is not None:
        assert got.drafted is not None, got.missing
        assert dict(got.drafted.method) == dict(example.method)
        assert got.kinds == (kind,)
    else:
        assert got.drafted is None
        assert example.unclear in got.missing


@pytest.mark.parametrize("text,expected", [
    ("≥90%", "[90%, )"), (">90%", "(90%, )"), ("低于60%", "(, 60%)"), ("≤60%", "(, 60%]"),
    ("80%(含)-90%", "[80%, 90%)"), ("80%（含）至90%", "[80%, 90%)"), ("10%-20%(含)", "(10%, 20%]"),
    ("0-10%(含)", "[0%, 10%]"), ("90%（含）以上", "[90%, )"), ("60%(含)以下", "(, 60%]"), ("90%及以上", "[90%, )"),
    ("100%-80%(含)", "[80%, 100%)"), ("80%（含）至100%（含）", "[80%, 100%]"),
])
def test_intervals_as_tables_write_them(text, expected):
    assert interval(normal(text)) == expected


@pytest.mark.parametrize("text", ["80%-90%", "90%以上", "60%以下"])
def test_an_end_without_its_inclusivity_is_never_chosen(text):
    with pytest.raises(Exception, match="not stated"):
        interval(normal(text))


def test_a_share_band_up_to_100_percent_includes_it():
    """The national 100%-80%（含）: no share lies above 100%, so 100% is in the top band."""
    assert interval(normal("100%-80%（含）"), share=True) == "[80%, 100%]"


@pytest.mark.parametrize("text,weight,reason", [
    ("以100%为标准，≤100%计5分；每超过一个百分点扣0.5分，扣完为止", "4", "row's weight is 4"),
    ("制定实施方案的得3分，否则不得分", "5", "row's weight is 5"),
    ("≥90%计5分；80%-90%计4分", "5", "not stated"),
    ("按实际情况酌情扣分", "5", "no phrasing"),
    ("", "5", "no 评分标准"),
])
def test_what_the_text_does_not_settle_is_a_placeholder(text, weight, reason):
    got = read(text, Given(Decimal(weight)), KINDS)
    assert got.drafted is None and reason in got.missing


def test_a_text_two_kinds_read_differently_is_a_placeholder(monkeypatch):
    """Were a second kind to read the same words another way, neither is chosen."""
    from perfrules.kinds.phrase import Phrasing

    twin = copy.copy(KINDS["pass_fail"])
    object.__setattr__(twin, "phrasings", (Phrasing("达到要求的，得满分；否则不得分", {"kind": "levels", "levels": []}),))
    got = read("达到要求的，得满分；否则不得分", Given(Decimal(3)), {**KINDS, "twin": twin})
    assert got.drafted is None and "reads two ways" in got.missing


# ---------------------------------------------------------------- the table built from docs/ and DOMAIN.md

# each row of tests/data/draft/domain.md: the kind it is drafted as, or a word of its placeholder's reason
DOMAIN = {
    "预算执行率（全国）": "execution_rate",
    "预算执行率（株洲）": "?above 100%",  # 得分 = 分值 × 执行率 does not say whether it is capped
    "预算执行率": "linear_deduction",
    "财务监控有效性": "linear_deduction",
    "项目质量可控性": "linear_deduction",
    "预算编制合理性": "elements",
    "财务管理制度健全性": "?how many elements",  # 其余要素: the table lists no elements
    "项目管理制度健全性": "elements",
    "资金使用规范性": "elements",
    "合同管理完备性": "elements",
    "完成率（全国口径）": "higher_is_better",
    "社会效益（全国口径）": "qualitative",
    "职业健康检查覆盖率": "bands",
    "检查覆盖率（节录）": "?as `bands` but not the rest, '...低于60%不得分'",  # DOMAIN.md elides a band with …
    "结转结余率": "bands",
    "预算调整率": "linear_deduction",
    "项目督导检查": "per_occurrence",
    "专项进度": "per_occurrence",
    "实施方案": "pass_fail",
    "应纳尽纳": "per_occurrence",
    "结转结余情况": "levels",
    "投诉率": "lower_is_better",
    "满意度": "?whether 95% itself is included",  # 95%以上 without （含）
    "超额完成": "?no phrasing",  # a condition for a finding, not a rule that scores
    "折算得分": "?no phrasing",  # a two-stage weighting, not an indicator's rule
}


def _drafted(text: str) -> dict[str, Any]:
    data = yaml_text.loads(text, "<draft>", RulesetError).data
    return {i["name"]: i for c in data["categories"] for i in c["indicators"]}


def test_every_rule_text_of_the_docs_is_drafted_or_a_placeholder_with_its_reason():
    got = draft(DATA / "domain.md")
    indicators = _drafted(got.text)
    assert set(indicators) == set(DOMAIN)
    for name, expected in DOMAIN.items():
        ind = indicators[name]
        if expected.startswith("?"):
            assert "method" not in ind and expected[1:] in ind["placeholder"]["missing"], (name, ind)
            assert ind["placeholder"]["text"] == ind["rule"]  # the placeholder quotes the text
        else:
            assert ind["method"]["kind"] == expected, (name, ind)
            assert "placeholder" not in ind
    assert got.rules == len(DOMAIN) and got.drafted == sum(1 for v in DOMAIN.values() if not v.startswith("?"))


def test_the_drafted_domain_rules_score_the_docs_worked_numbers(tmp_path):
    """The drafted methods, with the placeholders resolved by hand, score what docs/ says."""
    text = draft(DATA / "domain.md").text
    data = yaml_text.loads(text, "<draft>", RulesetError).data
    for cat in data["categories"]:
        cat["indicators"] = [i for i in cat["indicators"] if "placeholder" not in i]
    scheme = perfrules.loads(dump(data), "<draft>")
    cases = [("预算执行率", {"actual": "97%"}, "2.15"), ("财务监控有效性", {"actual": "2"}, "1.48"),
             ("项目质量可控性", {"actual": "2"}, "1.48"), ("预算编制合理性", {"elements": [1, 3]}, "1.55"),
             ("项目管理制度健全性", {"elements": [1, 3]}, "1.68"), ("资金使用规范性", {"elements": [1, 2, 4, 5]}, "1.78"),
             ("资金使用规范性", {"elements": [1, 2, 3, 4]}, "0.00"), ("合同管理完备性", {"elements": [1, 9]}, "1.25"),
             ("职业健康检查覆盖率", {"actual": "85%"}, "4.00"), ("结转结余率", {"actual": "10%"}, "2.00"),
             ("结转结余率", {"actual": "10.01%"}, "1.00"), ("预算调整率", {"actual": "103%"}, "3.50"),
             ("项目督导检查", {"occurrences": 6}, "1.00"), ("专项进度", {"occurrences": 2}, "4.00"),
             ("实施方案", {"passed": False}, "0.00"), ("应纳尽纳", {"occurrences": 1}, "0.00"),
             ("结转结余情况", {"level": "有结余但不超过上年结转"}, "2.00"),
             ("投诉率", {"target": "≤5%", "actual": "8%"}, "6.25"),
             ("完成率（全国口径）", {"target": "750人", "actual": "600人"}, "8.00"),
             ("社会效益（全国口径）", {"level": "部分达成", "fraction": "70%"}, "7.00")]
    for name, row, expected in cases:
        result = scheme.evaluate({"funds": {"budget": 100, "executed": 95}, "indicators": [{"name": name, **row}]})
        assert result.indicator(name).score == Decimal(expected), (name, row, result.indicator(name).explanation)
    funds = scheme.evaluate({"funds": {"budget": "3,102.95", "executed": "2,900"}, "indicators": []})
    assert funds.indicator("预算执行率（全国）").score == Decimal("9.35")


def test_the_drafted_ruleset_keeps_the_text_and_refuses_to_load_with_placeholders(tmp_path):
    out = tmp_path / "domain.yaml"
    assert main(["draft", str(DATA / "domain.md"), "-o", str(out)]) == 1
    text = out.read_text(encoding="utf-8")
    assert "rule: 业绩值为100%得满分，每降低1%扣权重分的1%，扣完为止" in text
    assert "# ASSUMPTION" in text  # the national grade bands, said to be an assumption
    with pytest.raises(RulesetError) as caught:
        perfrules.load(out)
    located = [p for p in caught.value.problems if p.path.endswith(".placeholder")]
    assert len(located) == sum(1 for v in DOMAIN.values() if v.startswith("?"))
    assert all(p.line and p.column and p.file == str(out) for p in located)
    assert "drafted placeholder for '满意度'" in " ".join(p.message for p in located)


def test_validate_names_each_placeholder_with_file_line_and_column(tmp_path, capsys):
    out = tmp_path / "domain.yaml"
    main(["draft", str(DATA / "domain.md"), "-o", str(out)])
    err = capsys.readouterr().err
    assert "19 of 25 rules drafted" in err
    assert "domain.md:32: 满意度: placeholder:" in err  # each placeholder with its row
    assert main(["validate", str(out)]) == 1
    lines = [ln for ln in capsys.readouterr().out.splitlines() if "placeholder" in ln]
    assert len(lines) == 6 and all(ln.startswith(f"{out}:") and ln.split(":")[1].isdigit() for ln in lines)


def test_a_table_read_fully_loads_and_exits_0(tmp_path, capsys):
    table = tmp_path / "t.md"
    table.write_text("| 一级指标 | 指标名称 | 分值 | 评分标准 |\n|---|---|---|---|\n"
                     "| 产出指标（50分） | 覆盖率 | 50 | ≥90%计50分；80%(含)-90%计40分；低于80%不得分 |\n"
                     "| 效益指标 | 实施方案 | 50 | 制定实施方案的得50分，否则不得分 |\n", encoding="utf-8")
    out = tmp_path / "t.yaml"
    assert main(["draft", str(table), "-o", str(out), "--id", "demo/t", "--name", "示例"]) == 0
    scheme = perfrules.load(out)
    assert (scheme.id, scheme.name, scheme.total) == ("demo/t", "示例", Decimal(100))
    assert [c.points for c in scheme.categories] == [Decimal(50), Decimal(50)]
    assert "2 of 2 rules drafted" in capsys.readouterr().err
    assert "the table gives no category points" in out.read_text(encoding="utf-8")  # 效益指标: the sum of its rows


# ---------------------------------------------------------------- the three table formats, and hostile tables

ROWS = [["一级指标", "指标名称", "分值", "评分标准"],
        ["产出指标", "实施方案", "3", "制定实施方案的得3分，否则不得分"],
        ["产出指标", "覆盖率", "5", "≥90%计5分；80%(含)-90%计4分；低于80%不得分"]]


def _write(tmp_path: Path, suffix: str, rows: list[list[Any]]) -> Path:
    path = tmp_path / f"table{suffix}"
    if suffix == ".csv":
        import csv

        with open(path, "w", encoding="utf-8", newline="") as f:
            csv.writer(f).writerows(rows)
    elif suffix == ".xlsx":
        import openpyxl

        book = openpyxl.Workbook()
        for row in rows:
            book.active.append([Decimal(c) if isinstance(c, str) and c.isdigit() else c for c in row])
        book.save(path)
    else:
        path.write_text("\n".join("| " + " | ".join(map(str, r)) + " |" for r in rows[:1]) + "\n|---|---|---|---|\n" +
                        "\n".join("| " + " | ".join(map(str, r)) + " |" for r in rows[1:]) + "\n", encoding="utf-8")
    return path


@pytest.mark.parametrize("suffix", [".csv", ".xlsx", ".md"])
def test_csv_xlsx_and_markdown_tables_draft_the_same(tmp_path, suffix):
    got = draft(_write(tmp_path, suffix, ROWS))
    assert got.drafted == 2
    kinds = {n: i["method"]["kind"] for n, i in _drafted(got.text).items()}
    assert kinds == {"实施方案": "pass_fail", "覆盖率": "bands"}


def test_rows_say_where_they_are(tmp_path):
    assert read_table(_write(tmp_path, ".csv", ROWS)).rows[1].where.endswith("table.csv:D3")
    assert read_table(_write(tmp_path, ".md", ROWS)).rows[1].where.endswith("table.md:4")
    assert read_table(_write(tmp_path, ".xlsx", ROWS)).rows[0].where.endswith("table.xlsx:Sheet!D2")


@pytest.mark.parametrize("rows,said", [
    ([["一级指标", "指标名称", "分值"], ["产出", "a", "3"]], "no 评分标准 column"),
    ([["甲", "乙"], ["1", "2"]], "no table with the columns"),
    ([ROWS[0], ["产出", "a", "三分", "x"]], "'三分' is not a number"),
    ([ROWS[0], ["产出", "a", "", "x"]], "is empty"),
    ([ROWS[0], ["产出", "a", "1e999999", "x"]], "is not a number"),
    ([ROWS[0], ["", "a", "3", "x"]], "no 一级指标"),
    ([ROWS[0], ["产出", "a", "3", "x"], ["产出", "a", "3", "y"]], "listed twice"),
    ([ROWS[0]], "no indicator rows"),
    ([ROWS[0]] + [["产出", f"指{i}", "1", "x"] for i in range(1001)], "more than 1,000 indicator rows"),
])
def test_hostile_tables_are_errors_that_say_where(tmp_path, rows, said):
    with pytest.raises(PerfrulesError) as caught:
        draft(_write(tmp_path, ".csv", rows))
    assert said in str(caught.value)


@pytest.mark.parametrize("content,said", [
    (b"\x00\xff\xfe garbage", "not"), (b"PK\x03\x04 not a zip", "cannot read"),
])
def test_broken_files_are_errors_not_tracebacks(tmp_path, capsys, content, said):
    for suffix in (".md", ".xlsx", ".csv"):
        path = tmp_path / f"x{suffix}"
        path.write_bytes(content)
        assert main(["draft", str(path), "-o", str(tmp_path / "x.yaml")]) == 2
        err = capsys.readouterr().err
        assert "Traceback" not in err and "internal error" not in err and str(path) in err


def test_the_cli_refuses_what_it_must_not_do(tmp_path, capsys):
    table = _write(tmp_path, ".csv", ROWS)
    assert main(["draft", str(table), "-o", str(table)]) == 2  # never over the table it reads
    assert main(["draft", str(table), "-o", str(tmp_path / "x.json")]) == 2  # a ruleset is YAML
    assert main(["draft", str(table), "-o", str(tmp_path / "x.yaml"), "--id", "Bad Id"]) == 2
    (tmp_path / "exists.yaml").write_text("keep", encoding="utf-8")
    assert main(["draft", str(table), "-o", str(tmp_path / "exists.yaml")]) == 2  # only with --force
    assert (tmp_path / "exists.yaml").read_text(encoding="utf-8") == "keep"
    assert main(["draft", str(table), "-o", str(tmp_path / "nope.txt")]) == 2
    assert main(["draft", str(tmp_path / "table.odt"), "-o", str(tmp_path / "y.yaml")]) == 2
    assert "Traceback" not in capsys.readouterr().err


def test_text_from_the_table_stays_data(tmp_path):
    """A name or a rule that looks like YAML, a formula or a comment is quoted, never structure."""
    rows = [ROWS[0], ["产出", "=HYPERLINK(\"x\")", "3", "制定实施方案的得3分，否则不得分"],
            ["产出", "b: {kind: formula}", "2", "x\n# y: 1\nperfrules: 2"]]
    got = draft(_write(tmp_path, ".csv", rows))
    names = _drafted(got.text)
    assert set(names) == {"=HYPERLINK(\"x\")", "b: {kind: formula}"}
    assert names["b: {kind: formula}"]["rule"] == "x\n# y: 1\nperfrules: 2"


# ---------------------------------------------------------------- the round trip: explain → table → draft


def compare(original: Any, drafted: Any, names: list[str] | None, examples: int = 25) -> list[str]:
    """Where `drafted` scores one of `names` (None: the whole scheme) differently from `original`, as
    `perfrules check A --against B` finds it (perfrules.testing.equivalent): drawn inputs at every
    threshold either names, then built ones; the first difference shrunk, with both explanations."""
    pytest.importorskip("hypothesis", reason="the round trip draws inputs with the property kit (the testing extra)")
    from perfrules.testing import equivalent

    report = equivalent(original, drafted, examples=examples, seed=0, only=names)
    return [] if report.equal else [report.text()]


def _beside(scheme: Any) -> dict[str, Any]:
    """What a scoring table does not hold, from the original: vocabulary, policies, rounding, terms."""
    v = scheme.vocabulary
    return {"vocabulary": {"met": list(v.met), "partly": list(v.partly), "not_met": list(v.not_met),
                           "means": {k: str(value) for k, value in v.means.items()}},
            "policies": {k: x for k, x in asdict(scheme.policies).items() if k != "cost_names"},
            "rounding": {"at": list(scheme.rounding.stages),
                         **{s: {"places": st.places, "mode": st.mode} for s, st in scheme.rounding.stages.items()}},
            "terms": asdict(scheme.terms)}


# explain sentences draft cannot read back yet (each is a defect of explain or draft): none
KNOWN_PLACEHOLDERS: dict[str, str] = {}


@pytest.mark.parametrize("path", SHIPPED, ids=[p.stem for p in SHIPPED])
def test_round_trip_explain_table_draft_scores_alike(path, tmp_path):
    original = perfrules.load(path)
    table = tmp_path / "table.md"
    table.write_text(table_of(original), encoding="utf-8")
    got = draft(table)
    for p in got.placeholders:  # listed in the output: each is a defect of explain or of draft
        print(f"round-trip placeholder ({path.name}): {p.name}: {p.missing}")
    assert {p.name: p.missing for p in got.placeholders if p.name not in KNOWN_PLACEHOLDERS} == {}
    data = yaml_text.loads(got.text, "<draft>", RulesetError).data
    for cat in data["categories"]:
        cat["indicators"] = [i for i in cat["indicators"] if "placeholder" not in i]
    drafted = perfrules.loads(dump({**data, **_beside(original)}), str(tmp_path / "drafted.yaml"))
    names = [i["name"] for c in data["categories"] for i in c["indicators"]]
    assert names
    assert compare(original, drafted, names) == []


def test_the_comparison_finds_a_rule_that_scores_otherwise(tmp_path):
    """The round trip's loop is not vacuous: a drafted 2% where the scheme says 1% is found."""
    original = perfrules.load("henan/zhengzhou-project-2021")
    table = tmp_path / "table.md"
    table.write_text(table_of(original).replace("每降低1%扣权重分的1%", "每降低1%扣权重分的2%", 1), encoding="utf-8")
    data = yaml_text.loads(draft(table).text, "<draft>", RulesetError).data
    drafted = perfrules.loads(dump({**data, **_beside(original)}), "<drafted>")
    found = compare(original, drafted, ["预算执行率"], examples=5)
    assert found and "预算执行率" in found[0]


def _compiled(method: dict[str, Any], elements: Any = None) -> Any:
    """A method read back from a sentence, compiled as the loader compiles it."""
    indicator: dict[str, Any] = {"name": "i", "weight": 1, "method": method}
    if elements:
        indicator["elements"] = list(elements)
    ruleset = {"perfrules": 1, "id": "x", "name": "x", "total": 1, "grades": [{"grade": "合格", "range": "[0, )"}],
               "categories": [{"name": "c", "points": 1, "indicators": [indicator]}]}
    return perfrules.loads(dump(ruleset), "<read back>").categories[0].indicators[0].method


@pytest.mark.parametrize("path", SHIPPED, ids=[p.stem for p in SHIPPED])
def test_round_trip_of_the_scoring_rules(path):
    """The 计分规则 explain prints (the rules that score the unit's own indicators): each sentence
    reads back as a method that scores every generated input as the rule does."""
    from dataclasses import replace

    from perfrules.explain import sentence

    original = perfrules.load(path)
    failed: list[str] = []

    def back(rule: Any) -> Any:
        got = read(sentence(rule.method, original), Given(), KINDS)
        if got.drafted is None:
            failed.append(f"{rule.method.kind}: {got.missing}")
            return rule
        return replace(rule, method=_compiled(dict(got.drafted.method)))

    scheme = replace(original, scoring=tuple(back(r) for r in original.scoring),
                     categories=tuple(replace(c, rules=tuple(back(r) for r in c.rules)) for c in original.categories))
    for line in failed:
        print(f"round-trip placeholder ({path.name}): {line}")
    assert failed == []
    assert compare(original, scheme, None) == []


def _guide_blocks(kind: str) -> list[str]:
    text = (ROOT / "docs" / "authoring.md").read_text(encoding="utf-8")
    section = text.split("## Start from the scheme's table", 1)[1].split("\n## 1.", 1)[0]
    return re.findall(rf"```{kind}\n(.*?)```", section, re.S)


def test_the_guides_draft_runs_as_shown(tmp_path, monkeypatch, capsys):
    """docs/authoring.md starts with `draft`: its command prints what the guide shows, its YAML
    excerpts are in the drafted file, and its resolved placeholder loads and scores."""
    monkeypatch.chdir(ROOT)
    command = _guide_blocks("sh")[0].split()
    out = tmp_path / "county-2024.yaml"
    command[command.index("-o") + 1] = str(out)
    assert main(command[1:]) == 1
    err = capsys.readouterr().err
    shown = _guide_blocks("text")[0].replace("county-2024.yaml:", f"{out}:", 1)
    assert err.strip() == shown.strip()
    text = out.read_text(encoding="utf-8")
    excerpts = _guide_blocks("yaml")
    assert excerpts[0] in text and excerpts[1] in text
    resolved = text.replace(excerpts[1].splitlines()[-1] + "\n", excerpts[2])
    scheme = perfrules.loads(resolved, str(out))
    assert (scheme.id, scheme.total) == ("demo/county-2024", Decimal(100))
    for actual, expected in (("95%", "10.00"), ("94.9%", "8.00"), ("89%", "0.00")):
        got = scheme.evaluate({"indicators": [{"name": "服务对象满意度", "actual": actual}]})
        assert got.indicator("服务对象满意度").score == Decimal(expected)


@pytest.mark.parametrize("note,grades", [
    ("注：总分设置为100分，等级划分为：90分（含）—100分为优，80分（含）—90分为良，60分（含）—80分为中，60分以下为差。",
     [("优", "[90, 100]"), ("良", "[80, 90)"), ("中", "[60, 80)"), ("差", "(, 60)")]),
    ("100-90(含)分为优、90-80(含)分为良、80-60(含)分为中、60-50(含)分为差",
     [("优", "[90, 100]"), ("良", "[80, 90)"), ("中", "[60, 80)"), ("差", "[50, 60)")]),
])
def test_grade_bands_the_table_states(tmp_path, note, grades):
    """DOMAIN.md's two ways of writing the national boundaries, from a note above the table."""
    table = tmp_path / "g.md"
    table.write_text(note + "\n\n| 一级指标 | 指标名称 | 分值 | 评分标准 |\n|---|---|---|---|\n"
                     "| 产出 | 方案 | 100 | 制定实施方案的得100分，否则不得分 |\n", encoding="utf-8")
    got = draft(table)
    data = yaml_text.loads(got.text, "<draft>", RulesetError).data
    assert [(g["grade"], g["range"]) for g in data["grades"]] == grades
    assert "ASSUMPTION" not in got.text and got.grades == f"grades: as the table states them ({table}:1)"


def test_grade_bands_stated_with_an_open_end_are_the_national_ones_said_so(tmp_path):
    table = tmp_path / "g.csv"
    table.write_text("一级指标,指标名称,分值,评分标准\n产出,方案,100,\"制定实施方案的得100分，否则不得分\"\n"
                     "\"90分以上为优，80-90分为良\",,,\n", encoding="utf-8")
    got = draft(table)
    assert "'90分以上': whether 90 itself is included is not stated" in got.grades
    assert "# ASSUMPTION: the table states grade bands" in got.text
    assert perfrules.loads(got.text, "<draft>").grade(Decimal(90)) == "优"


@pytest.mark.parametrize("text,weight,method", [
    ("以100%为标准，≤100%计5分；每超过一个百分点扣0.5分，扣完为止", "5",
     {"kind": "linear_deduction", "full_at": "100%", "above": {"step": "1%", "deduct_points": Decimal("0.5")}}),
    ("≥90%,计5分;80%(含)-90%,计4分", "5",
     {"kind": "bands", "bands": [{"range": "[90%, )", "points": 5}, {"range": "[80%, 90%)", "points": 4}]}),
    ("每出现一例未按时报送扣1分,最多扣2分", "3",
     {"kind": "per_occurrence", "deduct_points": 1, "max_points": 2, "counts": "例未按时报送"}),
    ("①建立工作台账1分;②台账按月更新1分", "2", {"kind": "elements"}),
    ("完成的得满分，未完成的按实际比例计分", "5", {"kind": "higher_is_better"}),
    ("制定实施方案的得3分，否则不得分", "3", {"kind": "pass_fail"}),
])
def test_the_issues_stereotyped_texts(text, weight, method):
    """Issue 14's examples, in the punctuation it quotes them with (half-width ,; as well as ，；)."""
    got = read(text, Given(Decimal(weight)), KINDS)
    assert got.drafted is not None, got.missing
    assert dict(got.drafted.method) == method


def test_numbered_items_become_elements_with_their_points_as_shares():
    got = read("①建立工作台账1分;②台账按月更新2分", Given(Decimal(3)), KINDS)
    assert got.drafted is not None and got.drafted.elements == (
        {"text": "要素1", "share": "1/3"}, {"text": "要素2", "share": "2/3"})


def test_a_text_too_long_or_naming_too_many_elements_is_a_placeholder_not_a_stall():
    assert "more than a rule text" in read("每出现一" + "次" * 1000 + "扣1分", Given(Decimal(5)), KINDS).missing
    assert "more than 100 elements" in read("具备要素999999999得1%", Given(Decimal(5)), KINDS).missing
    assert read("具备要素1~99999999得1%", Given(Decimal(5)), KINDS).drafted is None


def test_a_comment_never_takes_a_line_break_from_the_file(tmp_path):
    """Where the grades come from is said in a comment: a line break there would end it."""
    folder = tmp_path / "a\nperfrules: 2"
    folder.mkdir()
    table = _write(folder, ".csv", ROWS + [["90分（含）以上为优，60分（含）至90分为良，低于60分为差"]])
    got = draft(table)
    assert perfrules.loads(got.text, "<draft>").grade(Decimal(95)) == "优"


# explain sentences of the kinds' docs examples that draft cannot read back: each a known gap of explain
KNOWN_GAPS = {
    # explain does not print a formula's `inputs:`, so the read-back formula names unknown inputs
    ("formula", "done / planned"): "inputs",
}


def _kind_examples() -> list[tuple[str, int, str]]:
    return [(name, i, block) for name, kind in KINDS.items() for i, block in enumerate(kind.examples)]


@pytest.mark.parametrize("kind,index,block", _kind_examples(), ids=[f"{k}-{i}" for k, i, _ in _kind_examples()])
def test_every_kinds_docs_example_reads_back_and_scores_its_worked_rows_alike(kind, index, block):
    """explain → draft on each kind's checked examples (docs/ruleset-format.md): every method the
    example writes, an indicator's or a scoring rule's, is stated by `describe` and read back by the
    phrasings, and the read-back scheme scores every worked row (`# {row} → score`) as the original."""
    from dataclasses import replace

    import yaml

    from perfrules.explain import sentence
    from test_docs import _worked, _wrap

    data = yaml.safe_load(block)
    original = perfrules.loads(yaml.safe_dump(_wrap(data), allow_unicode=True, sort_keys=False),
                               str(ROOT / "rulesets" / "example.yaml"))
    gaps: list[str] = []

    def back(spec: Any, ind: Any = None) -> Any:
        text = sentence(spec, original, ind)
        elements = tuple(e.text for e in ind.elements) if ind is not None else ()
        got = read(text, Given(ind.weight if ind is not None else None, elements), KINDS)
        known = any(k == spec.kind and marker in text for (k, marker) in KNOWN_GAPS)
        try:
            if got.drafted is None:
                raise ValueError(got.missing)
            return _compiled(dict(got.drafted.method), got.drafted.elements)
        except (ValueError, RulesetError) as exc:
            if not known:
                gaps.append(f"{spec.kind}: {text}: {exc}")
            return spec

    scheme = replace(original, scoring=tuple(replace(r, method=back(r.method)) for r in original.scoring),
                     categories=tuple(replace(c, indicators=tuple(replace(i, method=back(i.method, i)) if i.method else i
                                                                  for i in c.indicators)) for c in original.categories))
    for line in gaps:
        print(f"read-back gap ({kind} example {index}): {line}")
    assert gaps == []
    for given, _, _ in _worked(block, data):
        name = given["indicators"][0]["name"]
        a, b = original.evaluate(given).indicator(name), scheme.evaluate(given).indicator(name)
        assert a.score == b.score, (given, a.explanation, b.explanation)


def test_a_workbook_with_merged_category_cells_and_a_title_row(tmp_path):
    """The published form: a title above the header, 一级指标 merged down its rows with its points."""
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "评分表"
    sheet.append(["示例县项目支出绩效评分表"])
    sheet.append(["一级指标", "三级指标", "权重", "计分方法"])
    sheet.append(["投入和管理（20分）", "预算执行率", 10, "业绩值为100%得满分，每降低1%扣权重分的1%，扣完为止"])
    sheet.append([None, "督导检查", 10, "每出现一次扣1分，最多扣4分，扣完为止"])
    sheet.append(["合计", None, 20, None])
    sheet.merge_cells("A3:A4")
    path = tmp_path / "form.xlsx"
    book.save(path)
    got = draft(path)
    data = yaml_text.loads(got.text, "<draft>", RulesetError).data
    assert [(c["name"], c["points"]) for c in data["categories"]] == [("投入和管理", Decimal(20))]
    assert [i["method"]["kind"] for i in data["categories"][0]["indicators"]] == ["linear_deduction", "per_occurrence"]
    assert got.placeholders == [] and "the table gives no category points" not in got.text


def test_a_text_understood_in_part_says_what_it_understood_and_quotes_the_rest():
    got = read("业绩值为100%得满分，每降低1%扣权重分的1%，扣完为止；另视情况酌情扣分", Given(Decimal(5)), KINDS)
    assert got.drafted is None
    assert got.missing == ("reads '业绩值为100%得满分,每降低1%扣权重分的1%,扣完为止' as `linear_deduction` "
                           "but not the rest, '另视情况酌情扣分'")
