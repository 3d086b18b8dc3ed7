"""The golden results: every shipped case, example and a generated set, scored and audited.

    python tests/golden/make.py          # write tests/golden/*.jsonl from the code as it is
    pytest tests/test_golden.py          # compare the code as it is with them

A redesign (the compiled core, one module per method kind) must give the same scores,
findings and explanations as before: tests/test_golden.py compares every line. Rewrite
the files only for a change that means to alter a result, and say which in its commit.
One JSON object per line, so that a diff names the input that changed.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any, Iterator

ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT))

import perfrules  # noqa: E402
from perfrules import cases  # noqa: E402
from perfrules.errors import PerfrulesError  # noqa: E402

# the examples each shipped scheme audits (the seed tables and their spreadsheets)
AUDITS = [
    ("rulesets/henan/zhengzhou-project-2021.yaml", "examples/zhengzhou-project-2021.yaml"),
    ("rulesets/henan/zhengzhou-project-2021.yaml", "examples/zhengzhou-project-2021.xlsx"),
    ("rulesets/hunan/department-2021.yaml", "examples/zhuzhou-department-2021.yaml"),
    ("rulesets/hunan/department-2021.yaml", "examples/zhuzhou-department-2021.xlsx"),
    ("rulesets/hunan/project-2021.yaml", "examples/zhuzhou-project-2021.yaml"),
    ("rulesets/hunan/project-2021.yaml", "examples/zhuzhou-project-2021.xlsx"),
    ("rulesets/shanxi/yangquan-project-2024.yaml", "examples/yangquan-project-2024.yaml"),
    ("rulesets/shanxi/yangquan-project-2024.yaml", "examples/yangquan-project-2024.xlsx"),
    ("rulesets/national/project-2020.yaml", "examples/lusong-2021.yaml"),
    ("rulesets/checks/final-accounts.yaml", "examples/yangquan-final-accounts-2024.yaml"),
    ("rulesets/national/project-2020.yaml", "tests/data/provinces/anhui-project-2023.csv"),
    ("rulesets/national/project-2020.yaml", "tests/data/provinces/hubei-project-2022.csv"),
]
GENERATED = 60  # inputs per scheme from benchmarks/generate.py (a fixed seed)


def outcome(run: Any) -> dict[str, Any]:
    """A result as a plain mapping, or the error that refused the input."""
    try:
        return run().to_dict()
    except PerfrulesError as exc:
        return {"error": str(exc)}


def entries() -> Iterator[tuple[str, str, dict[str, Any]]]:
    """(golden file, label, outcome) for everything the golden set holds."""
    for path in cases.find([ROOT / "rulesets", ROOT / "docs" / "authoring"]):
        suite = cases.load_cases(path)
        name = path.relative_to(ROOT).as_posix()
        for case in suite.cases:
            yield "cases", f"{name}::{case.name}", outcome(lambda: suite.scheme.evaluate(case.input))
    for ruleset, example in AUDITS:
        scheme = perfrules.load(ROOT / ruleset)
        yield "audits", f"{ruleset} {example}", outcome(lambda: scheme.audit(ROOT / example))
    sys.path.insert(0, str(ROOT / "benchmarks"))
    import generate

    for key, (ruleset, _) in generate.SCHEMES.items():
        scheme = perfrules.load(ROOT / ruleset)
        for i, data in enumerate(generate.inputs(key, GENERATED, seed=7)):
            yield "generated", f"{key}#{i}", outcome(lambda: scheme.evaluate(data))


def current() -> dict[str, dict[str, str]]:
    """{golden file: {label: the outcome as one JSON line}} from the code as it is."""
    out: dict[str, dict[str, str]] = {}
    for file, label, result in entries():
        out.setdefault(file, {})[label] = json.dumps(result, ensure_ascii=False, sort_keys=True)
    return out


def main() -> None:
    for file, lines in current().items():
        with open(HERE / f"{file}.jsonl", "w", encoding="utf-8") as f:
            for label, line in lines.items():
                f.write(json.dumps({"input": label}, ensure_ascii=False)[:-1] + ", \"outcome\": " + line + "}\n")
        print(f"{file}.jsonl: {len(lines)} inputs")


if __name__ == "__main__":
    main()
