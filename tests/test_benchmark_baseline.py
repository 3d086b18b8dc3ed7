"""The hand-written baseline scorers in benchmarks/ give what perfrules gives, input for input.

benchmarks/ratio.py times perfrules against them; a ratio means something only while both
compute the same scores. No timing is asserted here.
"""

from __future__ import annotations

import ast
import re
import subprocess
import sys
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
BENCHMARKS = ROOT / "benchmarks"
sys.path.insert(0, str(BENCHMARKS))

import generate  # noqa: E402
import ratio  # noqa: E402

SCHEMES = sorted(generate.SCHEMES)


@pytest.fixture(scope="module", params=SCHEMES)
def scheme(request: pytest.FixtureRequest) -> tuple[str, object]:
    return request.param, ratio.load(request.param)


def test_seed_example_scores_the_same(scheme: tuple[str, object]) -> None:
    name, compiled = scheme
    data = generate.seed_example(name)
    scored = ratio.HANDWRITTEN[name](data)
    assert ratio.first_difference(compiled.evaluate(data), scored) is None  # type: ignore[attr-defined]
    assert scored.total == Decimal("100.00")


def test_fifty_generated_inputs_score_the_same(scheme: tuple[str, object]) -> None:
    name, compiled = scheme
    for i, data in enumerate(generate.inputs(name, 50, seed=2)):
        result = compiled.evaluate(data)  # type: ignore[attr-defined]
        scored = ratio.HANDWRITTEN[name](data)
        assert ratio.first_difference(result, scored) is None, f"input {i}"


def test_generated_inputs_are_complete_and_varied(scheme: tuple[str, object]) -> None:
    """Every generated input is scored in full, and they differ enough to make both scorers work."""
    name, compiled = scheme
    inputs = generate.inputs(name, 50, seed=2)
    results = [compiled.evaluate(d) for d in inputs]  # type: ignore[attr-defined]
    assert all(r.complete for r in results)
    assert not [f for r in results for f in r.findings if f.severity == "error"]
    assert len({r.total for r in results}) > 40
    assert len({r.grade for r in results}) >= 2
    actuals = {str(row.get("actual")) for d in inputs for row in d["indicators"]}
    assert len(actuals) > 300
    assert generate.inputs(name, 5, seed=2) == inputs[:5]  # a fixed seed: the same inputs again


def test_a_difference_is_caught(scheme: tuple[str, object]) -> None:
    """The check is not vacuous: one indicator off by a cent is reported with both reasons."""
    name, compiled = scheme
    data = generate.inputs(name, 1, seed=3)[0]
    scored = ratio.HANDWRITTEN[name](data)
    first = next(iter(scored.indicators))
    off = replace(scored, indicators={**scored.indicators, first: scored.indicators[first] + Decimal("0.01")})
    diff = ratio.first_difference(compiled.evaluate(data), off)  # type: ignore[attr-defined]
    assert diff is not None and diff.startswith(first) and "hand-written" in diff


OUT_OF_SCOPE = [
    ("zhengzhou", "预算执行率", {"actual": "≥95%"}),  # a bound as the actual: perfrules leaves it unscored
    ("zhengzhou", "完成合格率", {"actual": "98人次"}),  # units that do not compare
    ("zhengzhou", "预算编制合理性", {"elements": [1, 4]}),  # no element 4
    ("zhengzhou", "财务监控有效性", {"elements": [0, 1]}),
    ("zhengzhou", "人员配备合理性", {"actual": "很好"}),  # not in the vocabulary
    ("zhengzhou", "信息公开性", {"actual": "基本完成", "fraction": "85%"}),  # outside the partly band
    ("hunan_department", "组织用人单位职业卫生管理人员培训人数", {"actual": "95%"}),
    ("hunan_department", "职业病防治技术支撑能力", {"level": "优秀"}),
    ("hunan_department", "落实国家防治项目个数", {"actual": "职业病项目2个"}),  # a part missing
    ("hunan_department", "服务受众满意率", {"level1": "其他指标"}),
]


@pytest.mark.parametrize("name, indicator, change", OUT_OF_SCOPE)
def test_out_of_scope_forms_are_refused_not_scored(name: str, indicator: str, change: dict) -> None:
    """Where perfrules finds an error, the baseline raises rather than scoring something else."""
    data = generate.seed_example(name)
    row = next(r for r in data["indicators"] if r["name"] == indicator)
    row.update(change)
    result = ratio.load(name).evaluate(data)
    assert any(f.severity == "error" for f in result.findings)
    module = sys.modules[ratio.HANDWRITTEN[name].__module__]
    with pytest.raises(module.Unsupported):
        ratio.HANDWRITTEN[name](data)


def test_handwritten_rounds_an_exact_half_cent_up() -> None:
    """3 × 250人 ÷ 1200人 is 0.625 exactly: half-up gives 0.63. The baselines multiply the weight in
    before dividing, so the quotient's 28th digit (250 ÷ 1200 = 0.2083…33) cannot pull it to 0.62."""
    data = generate.seed_example("hunan_department")
    row = next(r for r in data["indicators"] if r["name"] == "组织用人单位职业卫生管理人员培训人数")
    row.update(target="1200人", actual="250人")
    assert ratio.HANDWRITTEN["hunan_department"](data).indicators[row["name"]] == Decimal("0.63")


@pytest.mark.parametrize("module", ["zhengzhou", "hunan_department"])
def test_handwritten_scorers_do_not_use_perfrules(module: str) -> None:
    tree = ast.parse((BENCHMARKS / "handwritten" / f"{module}.py").read_text(encoding="utf-8"))
    imported = {alias.name.split(".")[0] for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names}
    imported |= {(node.module or "").split(".")[0] for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
    assert imported <= {"__future__", "re", "dataclasses", "decimal", "typing"}


def test_ratio_command_runs_and_checks() -> None:
    out = subprocess.run([sys.executable, str(BENCHMARKS / "ratio.py"), "-n", "3", "--batches", "2"],
                         capture_output=True, text=True, cwd=ROOT, check=True).stdout
    assert "zhengzhou" in out and "hunan_department" in out
    assert "all 6 inputs per scheme scored identically by both" in out


@pytest.mark.parametrize("script,args", [("evaluate.py", ["-n", "5"]), ("files.py", ["-n", "2"]),
                                         ("tables.py", ["--rows", "50"]),
                                         ("split.py", ["-n", "3", "--repeat", "1"]),
                                         ("frame.py", ["-n", "4", "--pool", "4", "--modes", "pandas", "dask"])])
def test_every_benchmark_command_still_runs(script, args) -> None:
    """A benchmark is not a test, but one that no longer runs measures nothing: run each at its smallest."""
    subprocess.run([sys.executable, str(BENCHMARKS / script), *args], capture_output=True, text=True, cwd=ROOT, check=True)


@pytest.mark.skipif(__import__("shutil").which("valgrind") is None, reason="valgrind is not installed: "
                    "benchmarks/instructions.py counts instructions with it (ratio.py's equality is tested above)")
def test_the_instruction_count_benchmark_runs_at_its_smallest_size() -> None:
    done = subprocess.run([sys.executable, str(BENCHMARKS / "instructions.py"), "-n", "3", "--scheme", "zhengzhou"],
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    assert re.search(r"zhengzhou\s+\d+k\s+\d+k\s+\d+\.\d\d×", done.stdout), done.stdout
