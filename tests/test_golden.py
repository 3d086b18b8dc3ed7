"""Every shipped case, example and a generated set gives the same scores, findings and
explanations as the golden files (tests/golden/make.py writes them; its docstring says when)."""

from __future__ import annotations

import json

import pytest

from golden.make import HERE, current

FILES = ("cases", "audits", "generated")


@pytest.fixture(scope="module")
def now():
    return current()


def golden(file: str) -> dict[str, str]:
    out = {}
    for line in (HERE / f"{file}.jsonl").read_text(encoding="utf-8").splitlines():
        entry = json.loads(line)
        out[entry["input"]] = json.dumps(entry["outcome"], ensure_ascii=False, sort_keys=True)
    return out


@pytest.mark.parametrize("file", FILES)
def test_every_result_is_as_golden(now, file):
    before, after = golden(file), now[file]
    assert sorted(after) == sorted(before), "the golden set's inputs changed: run tests/golden/make.py"
    changed = [label for label in before if before[label] != after[label]]
    assert not changed, f"{len(changed)} results differ from tests/golden/{file}.jsonl, first {changed[0]}:\n" \
                        f"before {before[changed[0]]}\nafter  {after[changed[0]]}"
