"""The command line: the JSON contract, the table, validate and test, errors without tracebacks."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from conftest import EXAMPLES, ROOT, RULESETS
from perfrules.cli import main

ZZ = str(RULESETS / "henan" / "zhengzhou-project-2021.yaml")
ZZ_IN = str(EXAMPLES / "zhengzhou-project-2021.yaml")


def run(capsys, *args):
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_score_json_contract(capsys):
    code, out, _ = run(capsys, "score", ZZ, ZZ_IN, "--format", "json")
    assert code == 0
    data = json.loads(out)
    assert data["total"] == "100.00" and data["grade"] == "优秀"
    assert [c["score"] for c in data["categories"]] == ["20.00", "40.00", "30.00", "10.00"]
    first = data["indicators"][0]
    assert first["name"] == "预算执行率" and first["score"] == "2.22" and first["method"] == "linear_deduction"
    assert data["findings"] == []


@pytest.mark.parametrize("ruleset,example,total,grade", [
    ("hunan/department-2021.yaml", "zhuzhou-department-2021.yaml", "100.00", "优"),
    ("hunan/project-2021.yaml", "zhuzhou-project-2021.yaml", "100.00", "优"),
    ("henan/zhengzhou-project-2021.yaml", "zhengzhou-project-2021.yaml", "100.00", "优秀"),
])
def test_seed_tables_reproduce_their_published_total(capsys, ruleset, example, total, grade):
    code, out, _ = run(capsys, "score", str(RULESETS / ruleset), str(EXAMPLES / example), "--format", "json")
    data = json.loads(out)
    assert code == 0 and (data["total"], data["grade"]) == (total, grade)


def test_score_table_shows_scores_and_reasons(capsys):
    code, out, _ = run(capsys, "score", ZZ, ZZ_IN)
    assert code == 0
    assert "总分 100.00    等级 优秀" in out
    assert "└ 具备要素1、2、3（30% + 30% + 40%），2.22 × 100% = 2.22" in out


def test_incomplete_score_exits_1_and_says_why(capsys):
    code, out, _ = run(capsys, "score", str(RULESETS / "shanxi/yangquan-project-2024.yaml"),
                       str(EXAMPLES / "yangquan-project-2024.yaml"), "--format", "json")
    data = json.loads(out)
    assert code == 1
    assert data["complete"] is False and data["grade"] is None and data["total"] == "87.50"
    codes = {f["code"] for f in data["findings"]}
    assert {"unit_mismatch", "incomplete_total"} <= codes


def test_bad_ruleset_prints_located_errors_without_traceback(capsys, tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("perfrules: 1\nid: x\nname: x\ngrades: []\ncategories: []\n", encoding="utf-8")
    code, out, err = run(capsys, "score", str(bad), ZZ_IN)
    assert code == 2 and "Traceback" not in err
    assert f"{bad}:4:9: grades: must list at least 1 item(s)" in err


def test_bad_input_file(capsys, tmp_path):
    bad = tmp_path / "in.json"
    bad.write_text('{"indicators": [{"name": "预算执行率", "actual": {"x": 1}}]}', encoding="utf-8")
    code, _, err = run(capsys, "score", ZZ, str(bad))
    assert code == 2
    assert f"{bad}:1:45: indicators[0].actual: must be 实际完成值 as written" in err


def test_validate(capsys, tmp_path):
    shipped = [str(p) for p in sorted(RULESETS.rglob("*.yaml")) if not p.name.endswith(".cases.yaml")]
    code, out, _ = run(capsys, "validate", *shipped)
    assert code == 0 and out.count(": ok (") == len(shipped)
    bad = tmp_path / "bad.yaml"
    bad.write_text((RULESETS / "national/project-2020.yaml").read_text(encoding="utf-8").replace('"[80, 90)"', '"[80, 89)"'),
                   encoding="utf-8")
    code, out, _ = run(capsys, "validate", str(bad))
    assert code == 1 and f"{bad}:" in out and "[89, 90) without a grade" in out


def test_test_command_runs_the_cases(capsys):
    code, out, _ = run(capsys, "test", str(RULESETS))
    assert code == 0 and " passed, 0 failed (" in out and out.strip().endswith("expectations checked)")


def test_test_command_reports_a_failing_expectation(capsys, tmp_path):
    (tmp_path / "r.yaml").write_text((RULESETS / "henan/zhengzhou-project-2021.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    (tmp_path / "r.cases.yaml").write_text(
        "cases:\n  - name: wrong on purpose\n    input: {indicators: [{name: 预算执行率, actual: 97%}]}\n"
        "    expect: {scores: {预算执行率: 2.16}}\n", encoding="utf-8")
    code, out, _ = run(capsys, "test", str(tmp_path))
    assert code == 1
    assert "wrong on purpose: 预算执行率: expected 2.16, got 2.15" in out
    assert "2.22 × (1 − 3%) = 2.1534 → 2.15" in out
    assert out.strip().endswith("0 passed, 1 failed (1 expectation checked)")


def test_installed_command_runs():
    done = subprocess.run([sys.executable, "-m", "perfrules.cli", "score", ZZ, ZZ_IN, "--brief"],
                          capture_output=True, text=True, cwd=ROOT)
    assert done.returncode == 0 and "总分 100.00" in done.stdout


def test_a_defect_of_perfrules_is_one_line_and_exit_2_not_a_traceback(capsys, monkeypatch):
    """The last resort: a fault the tests missed still prints no traceback and quotes little."""
    import perfrules.engine

    def broken(*args, **kwargs):
        raise KeyError("x" * 5000)

    monkeypatch.setattr(perfrules.engine._Evaluation, "run", broken)
    code, out, err = run(capsys, "score", ZZ, ZZ_IN)
    assert code == 2 and out == ""
    assert err.startswith("perfrules: internal error (KeyError: ") and "defect of perfrules" in err
    assert "Traceback" not in err and len(err) < 600
    monkeypatch.setenv("PERFRULES_DEBUG", "1")
    code, out, err = run(capsys, "score", ZZ, ZZ_IN)
    assert code == 2 and "Traceback" in err
