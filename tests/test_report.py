"""The batch report (`perfrules report`, issue 11) and the single-unit page (`score … -o unit.html`):
the data model against scheme.audit, the HTML (escaped, self-contained, with and without charts),
the xlsx read back, and the HTML in a real headless browser where one is installed."""

from __future__ import annotations

import copy
import os
import re
import shutil
import subprocess
import sys
from decimal import ROUND_HALF_UP, Decimal
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
import yaml

import perfrules
from conftest import EXAMPLES, ROOT, RULESETS
from perfrules import report as report_mod
from perfrules.cli import main
from perfrules.decimals import fmt
from perfrules.render import charts, html_report, xlsx_report
from perfrules.report import Input, audit_files, build

sys.path.insert(0, str(ROOT / "benchmarks"))

import generate  # noqa: E402

ZZ = RULESETS / "henan" / "zhengzhou-project-2021.yaml"
YQ = RULESETS / "shanxi" / "yangquan-project-2024.yaml"
ZZ_EXAMPLES = [EXAMPLES / "zhengzhou-project-2021.yaml", EXAMPLES / "zhengzhou-project-2021.xlsx"]


def run(capsys, *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def _plain(data: Any) -> Any:
    """A generated input as YAML can hold it: decimals as their text."""
    if isinstance(data, dict):
        return {k: _plain(v) for k, v in data.items()}
    if isinstance(data, list):
        return [_plain(v) for v in data]
    return str(data) if isinstance(data, Decimal) else data


def write_inputs(folder: Path, n: int, seed: int = 11) -> list[Path]:
    """n generated Zhengzhou inputs (benchmarks/generate.py), each its own unit, as YAML files."""
    folder.mkdir(parents=True, exist_ok=True)
    out = []
    for i, data in enumerate(generate.inputs("zhengzhou", n, seed=seed)):
        data["unit"] = f"单位{i:03d}"
        path = folder / f"unit-{i:03d}.yaml"
        path.write_text(yaml.safe_dump(_plain(data), allow_unicode=True), encoding="utf-8")
        out.append(path)
    return out


@pytest.fixture(scope="module")
def zz() -> perfrules.Scheme:
    return perfrules.load(ZZ)


@pytest.fixture(scope="module")
def folder200(tmp_path_factory) -> Path:
    """200 generated inputs and one file that is not an input (README.md under a .yaml name)."""
    folder = tmp_path_factory.mktemp("units")
    write_inputs(folder, 200)
    shutil.copyfile(ROOT / "README.md", folder / "zz-broken.yaml")
    return folder


@pytest.fixture(scope="module")
def batch200(zz, folder200) -> tuple[report_mod.Report, dict[str, perfrules.Result]]:
    """The report of the 200 and the broken file, and each input audited on its own (by scheme.audit)."""
    files = sorted(folder200.iterdir())
    audits = {str(p): zz.audit(p) for p in files if p.name.startswith("unit-")}
    return build(zz, audit_files(zz, files)), audits


# ---------------------------------------------------------------- the data model


def test_the_report_of_the_shipped_examples_equals_their_audits(zz):
    report = build(zz, audit_files(zz, [*ZZ_EXAMPLES, ROOT / "README.md"]))
    assert report.read == 3 and len(report.units) == 2
    for unit, path in zip(report.units, ZZ_EXAMPLES):
        audited = zz.audit(path)
        assert (unit.total, unit.grade, unit.complete) == (audited.total, audited.grade, True)
        assert unit.findings == tuple(sum(1 for f in audited.findings if f.severity == s) for s in report_mod.SEVERITIES)
        # the seed table: 总计 100.00, 评价等级 优秀, as published
        assert (unit.reported_total, unit.reported_grade, unit.difference) == (Decimal("100.00"), "优秀", Decimal("0.00"))
        assert unit.overstated is False
    assert [f.file for f in report.failed] == [str(ROOT / "README.md")]
    assert "not valid YAML" in report.failed[0].error
    assert report.grades == (("优秀", 2), ("良好", 0), ("合格", 0), ("不合格", 0))
    assert [b.count for b in report.bins][-1] == 2 and sum(b.count for b in report.bins) == 2


SHIPPED = {  # each shipped scheme with the examples it scores (as tests/test_many.py pairs them)
    "henan/zhengzhou-project-2021.yaml": ["zhengzhou-project-2021.yaml", "zhengzhou-project-2021.xlsx"],
    "hunan/department-2021.yaml": ["zhuzhou-department-2021.yaml", "zhuzhou-department-2021.xlsx"],
    "hunan/project-2021.yaml": ["zhuzhou-project-2021.yaml", "zhuzhou-project-2021.xlsx"],
    "shanxi/yangquan-project-2024.yaml": ["yangquan-project-2024.yaml", "yangquan-project-2024.xlsx"],
    "national/project-2020.yaml": ["lusong-2021.yaml"],
}


@pytest.mark.parametrize("ruleset", sorted(SHIPPED))
def test_every_shipped_scheme_reports_its_examples_as_audited(ruleset, monkeypatch):
    monkeypatch.setattr(charts, "available", lambda: False)  # the figures, not the drawing
    scheme = perfrules.load(RULESETS / ruleset)
    files = [EXAMPLES / name for name in SHIPPED[ruleset]]
    audits = {str(p): scheme.audit(p) for p in files}
    report = build(scheme, audit_files(scheme, files))
    assert report.read == len(files) and not report.failed
    check_batch_figures(html_report.to_html(report), report, audits, drawn=False)


def test_a_unit_that_grades_itself_above_its_figures_is_overstated(zz, folder200):
    """The generated inputs keep the seed's 自评 100.00 / 优秀 while their actuals vary."""
    files = sorted(folder200.glob("unit-*.yaml"))[:20]
    report = build(zz, audit_files(zz, files))
    for unit, path in zip(report.units, files):
        audited = zz.audit(path)
        assert unit.total == audited.total and unit.grade == audited.grade
        assert unit.difference == Decimal("100.0") - audited.total
        assert unit.overstated == (audited.grade != "优秀")
        if unit.overstated:  # the audit says the same in its own words
            assert any(f.code == "grade_differs" for f in audited.findings)
    assert 0 < report.overstated < 20


def _yangquan(tmp_path: Path, grade: str) -> Path:
    data = yaml.safe_load((EXAMPLES / "yangquan-project-2024.yaml").read_text(encoding="utf-8"))
    data["reported_grade"] = grade
    path = tmp_path / f"yangquan-{grade}.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def test_an_incomplete_total_is_overstated_only_above_the_best_grade_it_can_reach(tmp_path):
    """Yangquan's example scores 87.50 with 12.5 points unscored (most 100.00): 优 is still reachable,
    so 优 reported is not flagged; a grade name the scheme does not have is never compared."""
    scheme = perfrules.load(YQ)
    report = build(scheme, audit_files(scheme, [_yangquan(tmp_path, "优"), _yangquan(tmp_path, "优秀")]))
    reachable, unknown = report.units
    assert not reachable.complete and reachable.grade is None and reachable.difference is None
    assert (reachable.total, reachable.total_max) == (Decimal("87.50"), Decimal("100.00"))
    assert reachable.overstated is False and unknown.overstated is False
    assert report.grades[-1] == (None, 2) and report.bins == ()  # an incomplete total is not drawn
    # a grade of two bands (差: [50, 60) and [0, 50)) is counted once, with both intervals
    assert [g for g, _ in report.grades] == ["优", "良", "中", "差", None]
    assert report.band_text("差") == "[50, 60)、[0, 50)"


def test_an_incomplete_total_below_the_reported_grade_is_overstated(zz):
    """One indicator unscored (its actual is no number), 满意度 at 0: the most the total can reach is
    85.00 (良好), yet the unit still reports 优秀."""
    data = generate.seed_example("zhengzhou")
    data["indicators"][10]["actual"] = "不详"  # 职业健康体检人次: unscored
    data["indicators"][14]["actual"] = "0"  # 职业病危害企业和重点人群满意度: 0 of 15
    result = zz.audit(copy.deepcopy(data))
    assert not result.complete and (result.total, result.total_max) == (Decimal("75.00"), Decimal("85.00"))
    from perfrules import sources

    report = build(zz, [Input("a.yaml", result=result, record=sources.read(copy.deepcopy(data)))])
    assert report.units[0].overstated is True and report.units[0].difference is None


def test_indicators_across_units(zz, folder200):
    files = sorted(folder200.glob("unit-*.yaml"))[:30]
    results = [zz.audit(p) for p in files]
    report = build(zz, audit_files(zz, files))
    summary = {i.name: i for i in report.indicators}
    for name in ("预算执行率", "职业健康体检人次", "有毒有害作业人员投诉率"):
        scores = [r.indicator(name) for r in results]
        s = summary[name]
        assert s.scored == 30 and s.unscored == 0
        assert s.docked == sum(1 for i in scores if i.score < i.weight)
        assert s.mean_share == sum(i.score / i.weight for i in scores) / 30
        codes = [f.code for r in results for f in r.findings if f.indicator == name]
        assert s.codes == tuple(sorted(((c, codes.count(c)) for c in set(codes)), key=lambda kv: (-kv[1], kv[0])))[:3]


def test_indicators_of_one_name_in_two_sub_categories_are_two_rows():
    """Hunan's project scheme has 设备采购 under 数量指标's neighbours 时效指标 and 成本指标: two rows, each
    marked as sharing its name (a finding names an indicator by name only)."""
    scheme = perfrules.load(RULESETS / "hunan" / "project-2021.yaml")
    report = build(scheme, audit_files(scheme, [EXAMPLES / "zhuzhou-project-2021.yaml"]))
    rows = [i for i in report.indicators if i.name == "设备采购"]
    assert [(i.level2, i.scored, i.weight, i.shared) for i in rows] == [("时效指标", 1, 3, True), ("成本指标", 1, 3, True)]
    assert not any(i.shared for i in report.indicators if i.name == "预算执行率")


def test_histogram_bars_hold_every_complete_total_once(batch200):
    report, _ = batch200
    assert sum(b.count for b in report.bins) == 200 == len(report.units)
    for b in report.bins:
        inside = [u for u in report.units if b.low <= u.total < b.high or (b is report.bins[-1] and u.total == b.high)]
        assert len(inside) == b.count
    assert (report.bins[0].low, report.bins[-1].high) == (0, 100) and report.bins[-1].grade == "优秀"


def test_audit_on_processes_gives_the_same_report(zz, folder200):
    files = [*sorted(folder200.glob("unit-*.yaml"))[:6], folder200 / "zz-broken.yaml"]
    assert build(zz, audit_files(zz, files, jobs=2)) == build(zz, audit_files(zz, files, jobs=1))


# ---------------------------------------------------------------- HTML


class Figures(HTMLParser):
    """Every data-field cell's text by (row key, field), and the chart labels by their group id."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.row: str | None = None
        self.field: str | None = None
        self.group: str | None = None
        self.cells: dict[tuple[str | None, str], str] = {}
        self.labels: dict[str, str] = {}
        self.hrefs: list[str] = []
        self.tags: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        self.tags.add(tag)
        for key in ("href", "xlink:href", "src"):
            if a.get(key) is not None:
                self.hrefs.append(a[key] or "")
        if tag == "tr":
            self.row = a.get("data-file") or a.get("data-indicator") or a.get("data-grade") or a.get("data-category")
        if a.get("data-field"):
            self.field = a["data-field"]
            self.cells[self.row, self.field] = ""
        if tag == "g" and a.get("id", "").startswith(("bin-count", "grade-count", "category-score", "band-label")):
            self.group = a["id"]
            self.labels[self.group] = ""

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "span", "strong", "p"):
            self.field = None
        if tag == "g":
            self.group = None
        if tag == "tr":
            self.row = None

    def handle_data(self, data: str) -> None:
        if self.field is not None:
            self.cells[self.row, self.field] += data
        if self.group is not None and data.strip():
            self.labels[self.group] += data.strip()


def figures(text: str) -> Figures:
    parser = Figures()
    parser.feed(text)
    return parser


def check_batch_figures(page: str, report: report_mod.Report, audits: dict[str, perfrules.Result], drawn: bool) -> None:
    """Every figure of the page equals the audit of its file (by scheme.audit, one file at a time), and the
    charts' labels equal the counts."""
    f = figures(page)
    for unit in report.units:
        audited = audits[unit.file]
        total = fmt(audited.total, audited.places)
        if not audited.complete:  # the range it lies in
            total += "–" + fmt(audited.total_max, audited.places)
        assert f.cells[unit.file, "total"] == total
        assert f.cells[unit.file, "grade"] == (audited.grade or "无法确定")
        assert f.cells[unit.file, "errors"] == str(len(audited.errors))
        assert f.cells[unit.file, "warnings"] == str(sum(1 for x in audited.findings if x.severity == "warning"))
        if unit.difference is not None:
            assert Decimal(f.cells[unit.file, "difference"]) == unit.reported_total - audited.total
        assert ("自评等级高于计算等级" in f.cells[unit.file, "flag"]) == unit.overstated
    for grade, n in report.grades:
        assert f.cells[grade or "无法确定", "count"] == str(n)
    for ind in report.indicators:
        key = "／".join(p for p in (ind.level1, ind.level2, ind.name) if p)
        rows = [i for r in audits.values() for i in r.indicators
                if (i.level1, i.level2, i.name) == (ind.level1, ind.level2, ind.name) and i.applicable and i.score is not None]
        assert f.cells[key, "scored"] == str(len(rows))
        assert f.cells[key, "docked"] == str(sum(1 for i in rows if i.score < i.weight))
        weighed = [i.score / i.weight for i in rows if i.weight > 0]
        share = f"{(sum(weighed) / len(weighed) * 100).quantize(Decimal('0.01'), ROUND_HALF_UP)}%" if weighed else "—"
        assert f.cells[key, "mean_share"] == share
    for failed in report.failed:
        assert f.cells[failed.file, "error"] == failed.error
    assert f.cells[None, "read"].startswith(f"读取 {report.read} 个文件：{len(report.units)} 个已计分")
    for unit in report.units:
        assert f.cells[unit.file, "file"] == report.name(unit.file)
    if drawn:
        bars = {int(k.rsplit("-", 1)[1]): v for k, v in f.labels.items() if k.startswith("bin-count-")}
        assert bars == {i: str(b.count) for i, b in enumerate(report.bins) if b.count}
        grades = [v for k, v in sorted(f.labels.items()) if k.startswith("grade-count-")]
        assert grades == [str(n) for _, n in report.grades]


def test_the_html_report_shows_the_scores_it_computed(batch200):
    pytest.importorskip("matplotlib", reason="the charts need the extra perfrules[report] (matplotlib)")
    report, audits = batch200
    page = html_report.to_html(report)
    check_batch_figures(page, report, audits, drawn=True)
    assert page.count("<svg") == 2 and "perfrules[report]" not in page


def test_without_matplotlib_the_report_has_tables_and_says_charts_need_the_extra(zz, monkeypatch):
    monkeypatch.setattr(charts, "available", lambda: False)
    report = build(zz, audit_files(zz, ZZ_EXAMPLES))
    page = html_report.to_html(report)
    assert "<svg" not in page and "pip install &#x27;perfrules[report]&#x27;" in page
    check_batch_figures(page, report, {str(p): zz.audit(p) for p in ZZ_EXAMPLES}, drawn=False)


def test_the_page_loads_nothing_from_anywhere(zz, folder200):
    report = build(zz, audit_files(zz, sorted(folder200.iterdir())[:5]))
    page = html_report.to_html(report)
    f = figures(page)
    assert all(h.startswith("#") for h in f.hrefs), f.hrefs  # the SVG's own clip paths only
    assert not {"link", "img", "iframe", "object", "embed"} & f.tags
    assert "@import" not in page and "url(http" not in page and "<script src" not in page
    from perfrules.render.html import POLICY, esc

    assert POLICY.startswith("default-src 'none';") and f'content="{esc(POLICY)}"' in page
    assert "@media print" in page and "Noto Sans CJK SC" in page


HOSTILE_UNIT = '<script>alert("x")</script><img src=x onerror=alert(1)>&amp; =HYPERLINK("http://e.vil") $x$'


def _hostile(tmp_path: Path) -> Path:
    data = generate.seed_example("zhengzhou")
    data["unit"] = HOSTILE_UNIT
    data["reported_grade"] = "<b>优秀</b>"
    data["indicators"][0]["actual"] = "<svg onload=alert(2)>"
    path = tmp_path / "hostile.yaml"
    path.write_text(yaml.safe_dump(_plain(data), allow_unicode=True), encoding="utf-8")
    return path


@pytest.mark.parametrize("drawn", [True, False])
def test_every_input_text_is_escaped(zz, tmp_path, monkeypatch, drawn):
    if drawn:
        pytest.importorskip("matplotlib", reason="the charts need the extra perfrules[report] (matplotlib)")
    else:
        monkeypatch.setattr(charts, "available", lambda: False)
    path = _hostile(tmp_path)
    page = html_report.to_html(build(zz, audit_files(zz, [path])))
    record_page = tmp_path / "unit.html"
    assert main(["score", str(ZZ), str(path), "-o", str(record_page)]) in (0, 1)
    for text in (page, record_page.read_text(encoding="utf-8")):
        assert "<script>alert" not in text and "<img" not in text and "<svg onload" not in text and "<b>优秀" not in text
        assert text.count("<script>") == 1  # ours, allowed by its hash
    assert figures(page).cells[str(path), "unit"] == HOSTILE_UNIT


# ---------------------------------------------------------------- xlsx


def test_the_xlsx_report_reads_back_with_its_numbers(batch200, tmp_path):
    import openpyxl

    report, audits = batch200
    out = tmp_path / "report.xlsx"
    xlsx_report.to_xlsx(report, out)
    book = openpyxl.load_workbook(out)
    assert book.sheetnames == ["概览", "单位", "指标", "无法读取"]
    units = list(book["单位"].iter_rows(min_row=2, values_only=True))
    assert len(units) == 200
    for row, unit in zip(units, report.units):
        audited = audits[unit.file]
        assert row[0] == Path(unit.file).name and row[1] == unit.unit  # beside the folder, said once
        assert Decimal(str(row[2])) == Decimal(fmt(audited.total, audited.places)) and row[5] == audited.grade
        assert Decimal(str(row[8])) == Decimal(fmt(Decimal("100.0") - audited.total, 2))
        assert list(row[9:12]) == [sum(1 for f in audited.findings if f.severity == s) for s in ("error", "warning", "info")]
        assert (row[12] == "是") == unit.overstated
    marked = [r for r in range(2, 202) if book["单位"].cell(row=r, column=1).fill.fgColor.rgb == "00FDE2DD"]
    assert len(marked) == report.overstated
    overview = book["概览"]
    assert overview["A2"].value == html_report.read_text(report)
    grades = [(r[0], r[2]) for r in overview.iter_rows(min_row=5, max_row=4 + len(report.grades), values_only=True)]
    assert grades == [(g or "无法确定", n) for g, n in report.grades]
    assert len(overview._charts) == 2  # Excel's own charts: grades, and the distribution by band
    indicators = list(book["指标"].iter_rows(min_row=2, values_only=True))
    for row, ind in zip(indicators, report.indicators):
        assert row[2] == ind.name and row[4] == ind.scored and row[5] == ind.docked
        assert Decimal(str(row[6])) == round(ind.mean_share, 4)
    assert list(book["无法读取"].iter_rows(min_row=2, values_only=True)) == [("zz-broken.yaml", f.error) for f in report.failed]
    assert report.folder is not None and overview["A2"].value.endswith(f"文件夹：{report.folder}")


def test_no_formula_from_input_text_in_the_xlsx(zz, tmp_path):
    import openpyxl

    out = tmp_path / "r.xlsx"
    xlsx_report.to_xlsx(build(zz, audit_files(zz, [_hostile(tmp_path)])), out)
    cell = openpyxl.load_workbook(out)["单位"]["B2"]
    assert cell.value == HOSTILE_UNIT and cell.data_type == "s"


# ---------------------------------------------------------------- the command


def test_report_command_on_a_folder_of_200(capsys, folder200, tmp_path):
    out = tmp_path / "r.html"
    code, _, err = run(capsys, "report", str(ZZ), str(folder200), "-o", str(out))
    assert code == 2  # one file could not be read, as `perfrules score FOLDER`
    assert "201 files read, 200 scored, 1 could not be read" in err
    assert "读取 201 个文件：200 个已计分并核对" in out.read_text(encoding="utf-8")
    code, _, err = run(capsys, "report", str(ZZ), str(folder200 / "unit-00*.yaml"), "-o", str(tmp_path / "r.xlsx"))
    assert code == 1 and "10 files read, 10 scored, 0 could not be read" in err  # the audit's error findings


def test_report_command_refuses_what_it_cannot_write(capsys, tmp_path):
    code, _, err = run(capsys, "report", str(ZZ), str(EXAMPLES), "-o", str(tmp_path / "r.csv"))
    assert code == 2 and "written as .html or .xlsx" in err
    code, _, err = run(capsys, "report", str(ZZ), str(tmp_path / "nothing-here"), "-o", str(tmp_path / "r.html"))
    assert code == 2 and "no such file or folder" in err and not (tmp_path / "r.html").exists()
    (tmp_path / "r.html").write_text("mine")
    code, _, err = run(capsys, "report", str(ZZ), *map(str, ZZ_EXAMPLES[:1]), "-o", str(tmp_path / "r.html"))
    assert code == 2 and "--force" in err and (tmp_path / "r.html").read_text() == "mine"
    code, _, err = run(capsys, "score", str(ZZ), str(EXAMPLES), "-o", str(tmp_path / "s.html"))
    assert code == 2 and "perfrules report" in err
    code, out, err = run(capsys, "report", str(ZZ), str(EXAMPLES), "-o", "-")  # a workbook or a page is a file
    assert code == 2 and "the report is a file" in err and out == ""


def test_score_one_input_as_html_shows_categories_and_every_indicator(capsys, tmp_path):
    scheme = perfrules.load(RULESETS / "hunan" / "department-2021.yaml")
    source = EXAMPLES / "zhuzhou-department-2021.xlsx"
    out = tmp_path / "unit.html"
    code, _, err = run(capsys, "score", str(scheme.file), str(source), "-o", str(out))
    assert code == 0 and "总分 100.00 等级 优" in err
    result = scheme.evaluate(source)
    check_unit_figures(out.read_text(encoding="utf-8"), result)


def test_the_unit_page_without_matplotlib_keeps_its_tables(capsys, tmp_path, monkeypatch):
    monkeypatch.setattr(charts, "available", lambda: False)
    out = tmp_path / "unit.html"
    code, _, _ = run(capsys, "score", str(YQ), str(EXAMPLES / "yangquan-project-2024.yaml"), "-o", str(out))
    page = out.read_text(encoding="utf-8")
    assert code == 1 and "<svg" not in page and "perfrules[report]" in page
    check_unit_figures(page, perfrules.load(YQ).evaluate(EXAMPLES / "yangquan-project-2024.yaml"))


def test_audit_to_html_lists_the_audit_findings(capsys, tmp_path):
    """`perfrules audit … -o x.html` is the same page with the audit's findings (the reported grade, for one)."""
    source = write_inputs(tmp_path / "in", 1, seed=3)[0]
    out = tmp_path / "audit.html"
    code, _, _ = run(capsys, "audit", str(ZZ), str(source), "-o", str(out))
    audited = perfrules.load(ZZ).audit(source)
    page = out.read_text(encoding="utf-8")
    assert code == 1
    assert sorted(re.findall(r'<li class="\w+" data-code="(\w+)"', page)) == sorted(f.code for f in audited.findings)
    check_unit_figures(page, audited)


def test_a_folder_of_nothing_readable_is_still_a_report(capsys, tmp_path):
    folder = tmp_path / "bad"
    folder.mkdir()
    (folder / "a.yaml").write_text("indicators: [")
    (folder / "b.json").write_text("{}")
    for name in ("r.html", "r.xlsx"):
        code, _, err = run(capsys, "report", str(ZZ), str(folder), "-o", str(tmp_path / name))
        assert code == 2 and "2 files read, 0 scored, 2 could not be read" in err
    page = (tmp_path / "r.html").read_text(encoding="utf-8")
    assert "读取 2 个文件：0 个已计分并核对，2 个无法读取" in page and page.count('<tr data-file=') == 2


def check_unit_figures(page: str, result: perfrules.Result) -> None:
    f = figures(page)
    total = fmt(result.total, result.places)
    if not result.complete:  # the most it could be, beside it
        total += f"（不完整：最多 {fmt(result.total_max, result.places)}）"
    assert f.cells[None, "total"] == total and f.cells[None, "grade"] == (result.grade or "无法确定")
    for c in result.categories:
        assert f.cells[c.name, "score"] == fmt(c.score, result.places)
        assert Decimal(f.cells[c.name, "weight"]) == c.weight
    for ind in result.indicators:
        key = "／".join(p for p in (ind.level1, ind.level2, ind.name) if p)
        assert f.cells[key, "score"] == ("—" if ind.score is None else fmt(ind.score, result.indicator_places))
        assert f.cells[key, "explanation"] == ind.explanation
    if charts.available():
        drawn = [v for k, v in sorted(f.labels.items()) if k.startswith("category-score-")]
        assert drawn == [f"{fmt(c.score, result.places)} / {fmt(c.weight)}" for c in result.categories]


# ---------------------------------------------------------------- in a real browser

CHROMIUM = next((p for p in (shutil.which(n) for n in ("chromium", "chromium-browser", "google-chrome")) if p), None)


def browse(page: Path, tmp_path: Path, screenshot: Path | None = None) -> tuple[str, list[str]]:
    """The DOM after the page has run (headless chromium), and every console message it logged."""
    flags = [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--enable-logging=stderr", "--v=0",
             f"--user-data-dir={tmp_path / 'profile'}", "--no-first-run", "--disable-extensions"]
    done = subprocess.run([*flags, "--dump-dom", page.as_uri()], capture_output=True, text=True, timeout=120)
    console = [line for line in done.stderr.splitlines() if ":CONSOLE" in line]
    if screenshot is not None:
        subprocess.run([*flags, "--hide-scrollbars", "--window-size=1280,1800", f"--screenshot={screenshot}",
                        page.as_uri()], capture_output=True, timeout=120, check=True)
    return done.stdout, console


@pytest.mark.skipif(CHROMIUM is None, reason="no headless browser here: apt-get install chromium (see docs/report.md)")
def test_the_report_in_a_browser(batch200, tmp_path):
    pytest.importorskip("matplotlib", reason="the charts need the extra perfrules[report] (matplotlib)")
    report, audits = batch200
    page = tmp_path / "report.html"
    page.write_text(html_report.to_html(report), encoding="utf-8")
    shot = tmp_path / "report.png"
    dom, console = browse(page, tmp_path, shot)
    assert console == []
    assert "<svg" in dom and "aria-label" in dom
    check_batch_figures(dom, report, audits, drawn=True)
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    if os.environ.get("PERFRULES_SCREENSHOT"):  # the docs' picture: PERFRULES_SCREENSHOT=1 pytest -k browser
        shutil.copyfile(shot, ROOT / "docs" / "report.png")


@pytest.mark.skipif(CHROMIUM is None, reason="no headless browser here: apt-get install chromium (see docs/report.md)")
def test_the_unit_page_in_a_browser_sorts_and_runs_no_other_script(tmp_path):
    """The page's one script sorts a table (a click on 得分 puts the lowest score first); a script the
    page's policy does not list (as an unescaped input text would be) does not run, and the browser says so."""
    import base64
    import hashlib

    from perfrules.render import html

    scheme = perfrules.load(YQ)
    source = EXAMPLES / "yangquan-project-2024.yaml"
    page = tmp_path / "unit.html"
    assert main(["score", str(scheme.file), str(source), "-o", str(page)]) == 1
    result = scheme.evaluate(source)
    dom, console = browse(page, tmp_path)
    assert console == []
    check_unit_figures(dom, result)

    click = 'document.querySelectorAll("table.sortable th button")[5].click();'
    allowed = base64.b64encode(hashlib.sha256(click.encode()).digest()).decode()
    text = page.read_text(encoding="utf-8")
    sorted_page = tmp_path / "sorted.html"
    sorted_page.write_text(text.replace(html.esc(html.POLICY), html.esc(html.POLICY.replace("script-src ", f"script-src 'sha256-{allowed}' ")))
                           .replace("</body>", f"<script>{click}</script></body>"), encoding="utf-8")
    dom, console = browse(sorted_page, tmp_path)
    assert console == [] and 'aria-sort="ascending"' in dom
    shown = re.findall(r'<tr data-indicator="[^"]*">(?:<td[^>]*>.*?</td>){5}<td class="n"(?: data-sort="([^"]*)")?',
                       dom.split('<table class="sortable">', 1)[1])
    scores = [Decimal(v) for v in shown if v]
    assert scores == sorted(scores) and len(scores) == sum(1 for i in result.indicators if i.score is not None)
    assert shown[-1] == ""  # the unscored indicator (—) last

    pdf = tmp_path / "unit.pdf"  # printable: the print stylesheet lays it out on pages
    subprocess.run([CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", f"--user-data-dir={tmp_path / 'profile'}",
                    "--no-pdf-header-footer", f"--print-to-pdf={pdf}", page.as_uri()], capture_output=True, timeout=120,
                   check=True)
    printed = pdf.read_bytes()
    assert printed.startswith(b"%PDF") and len(re.findall(rb"/Type\s*/Page\b", printed)) >= 2

    stranger = tmp_path / "stranger.html"
    stranger.write_text(text.replace("</body>", f"<script>{click}</script></body>"), encoding="utf-8")
    dom, console = browse(stranger, tmp_path)
    assert any("Content Security Policy" in line for line in console) and 'aria-sort="ascending"' not in dom


# ---------------------------------------------------------------- docs/report.md


REPORT_DOC = ROOT / "docs" / "report.md"
_BLOCK = re.compile(r"^```(text|python)\n(.*?)^```", re.M | re.S)


def _doc_blocks(kind: str) -> list[str]:
    return [m.group(2) for m in _BLOCK.finditer(REPORT_DOC.read_text(encoding="utf-8")) if m.group(1) == kind]


@pytest.mark.parametrize("block", [b for b in _doc_blocks("text") if b.startswith("$ perfrules")])
def test_the_docs_commands_say_what_the_command_says(block, capsys, tmp_path, monkeypatch):
    command, *said = block.strip().splitlines()
    args = command.split()[2:]
    target = args[args.index("-o") + 1]
    args[args.index("-o") + 1] = str(tmp_path / target)
    monkeypatch.chdir(ROOT)
    code, _, err = run(capsys, *(a.strip("'") for a in args))
    assert code == 0
    seconds = re.compile(r" in \d+\.\d s$")
    shown = [seconds.sub(" in S", line.replace(str(tmp_path / target), target)) for line in err.splitlines()]
    assert shown == [seconds.sub(" in S", line) for line in said]


def test_the_docs_python_example_gives_what_it_says(monkeypatch):
    """The block runs; each line with a `# (…)` comment evaluates to what the comment says."""
    (block,) = _doc_blocks("python")
    monkeypatch.chdir(ROOT)
    names: dict[str, Any] = {}
    exec(block, names)  # the docs' own example
    said = [line.partition("# ") for line in block.splitlines() if "# (" in line]
    assert len(said) == 2
    for expression, _, value in said:
        assert repr(eval(expression, names)) == value.strip()
