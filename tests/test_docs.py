"""The documentation says what the code does: method sections, worked examples, finding codes.

docs/ruleset-format.md marks its checked examples with a fenced ```yaml block whose first
line is `# example`. The block is one of:

- a list of indicators (wrapped here into a one-category ruleset),
- a mapping of top-level ruleset keys with `indicators:` (scoring, vocabulary, policies,
  rounding … around the same one category),
- a whole ruleset (it has `perfrules:`).

Lines `# {row} → score` inside the block are worked numbers: the row (a YAML flow
mapping; `funds`, `year`, `unit`, `project` go to the input's top level, everything else
into the indicator row, named after the block's first indicator unless it says `name`)
must score exactly `score` (a number, or `unscored`); codes in brackets after it, as in
`→ unscored (unit_mismatch)`, must be among the result's findings.
"""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import yaml

import perfrules
from perfrules.kinds import KINDS as METHODS

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
FORMAT = DOCS / "ruleset-format.md"
INPUT_OUTPUT = DOCS / "input-output.md"

TOP_LEVEL = {"funds", "year", "unit", "project"}
_FENCE = re.compile(r"^```yaml\n(# example[^\n]*\n.*?)^```", re.M | re.S)
_WORKED = re.compile(r"^#\s*(\{.*\})\s*→\s*(\S+)(.*)$")


# pages whose checked examples run besides docs/ruleset-format.md: the Chinese pages (issue 15)
ZH_PAGES = sorted((DOCS / "zh").glob("*.md"))


def _examples() -> list[tuple[int | str, str]]:
    text = FORMAT.read_text(encoding="utf-8")
    found: list[tuple[int | str, str]] = [(text.count("\n", 0, m.start()) + 1, m.group(1)) for m in _FENCE.finditer(text)]
    for page in ZH_PAGES:
        text = page.read_text(encoding="utf-8")
        found += [(f"{page.relative_to(DOCS)}:{text.count(chr(10), 0, m.start()) + 1}", m.group(1))
                  for m in _FENCE.finditer(text)]
    return found


EXAMPLES = _examples()


def _wrap(data: Any) -> dict[str, Any]:
    """A whole ruleset around an indicator list, or around top-level keys with `indicators:`."""
    if isinstance(data, dict) and "perfrules" in data:
        return data
    top: dict[str, Any] = {}
    if isinstance(data, dict):
        top = {k: v for k, v in data.items() if k != "indicators"}
        indicators = data["indicators"]
    else:
        indicators = data
    points = sum((Decimal(str(i["weight"])) for i in indicators), Decimal(0))
    return {
        "perfrules": 1, "id": "docs/example", "name": "example", "total": float(points),
        "grades": [{"grade": "合格", "range": "[0, )"}],
        **top,
        "categories": [{"name": "产出指标", "points": float(points), "indicators": indicators}],
    }


def _worked(block: str, data: Any) -> list[tuple[dict[str, Any], str, str]]:
    if isinstance(data, dict) and "perfrules" in data:
        default = None
    else:
        default = (data["indicators"] if isinstance(data, dict) else data)[0]["name"]
    out = []
    for line in block.splitlines():
        m = _WORKED.match(line.strip())
        if not m:
            continue
        row = yaml.safe_load(m.group(1))
        top = {k: row.pop(k) for k in list(row) if k in TOP_LEVEL}
        row.setdefault("name", default)
        assert row["name"], f"a worked line of a whole ruleset must name its indicator: {line}"
        out.append(({**top, "indicators": [row]}, m.group(2), m.group(3)))
    return out


def test_there_are_examples():
    assert len(EXAMPLES) >= len(METHODS)


@pytest.mark.parametrize("kind", sorted(METHODS))
def test_every_method_kind_has_a_section(kind):
    text = FORMAT.read_text(encoding="utf-8")
    assert re.search(rf"^#{{2,4}} `{kind}`", text, re.M), f"docs/ruleset-format.md has no section for `{kind}`"


@pytest.mark.parametrize("kind", sorted(METHODS))
def test_every_method_kind_has_a_checked_example(kind):
    assert any(re.search(rf"kind: {kind}\b", block) and any(_WORKED.match(ln.strip()) for ln in block.splitlines())
               for _, block in EXAMPLES), f"no `# example` block with a worked number uses kind `{kind}`"


@pytest.mark.parametrize("line,block", EXAMPLES, ids=[f"line {n}" if isinstance(n, int) else n for n, _ in EXAMPLES])
def test_example_loads_and_scores_as_stated(line, block):
    data = yaml.safe_load(block)
    text = yaml.safe_dump(_wrap(data), allow_unicode=True, sort_keys=False)
    # named as if it sat in rulesets/, so that `extends: national/project-2020` resolves
    where = f"ruleset-format.md-line-{line}" if isinstance(line, int) else str(line).replace("/", "-").replace(":", "-line-")
    scheme = perfrules.loads(text, str(ROOT / "rulesets" / f"{where}.yaml"))
    for given, expected, rest in _worked(block, data):
        result = scheme.evaluate(given)
        name = given["indicators"][0]["name"]
        got = result.indicator(name)
        codes = {f.code for f in result.findings}
        if expected == "unscored":
            assert got.score is None, f"{given}: expected unscored, got {got.score} ({got.explanation})"
        else:
            assert got.score == Decimal(expected), f"{given}: expected {expected}, got {got.score} ({got.explanation})"
        wanted = re.findall(r"\(([a-z_0-9]+)\)", rest)
        assert set(wanted) <= codes, f"{given}: expected findings {wanted}, got {sorted(codes)}"


# ---------------------------------------------------------------- finding codes

_SOURCE_CODES = [
    re.compile(r'Finding\(\s*"(?:error|warning|info)",\s*"([a-z0-9_]+)"'),
    re.compile(r'Unscored\(\s*"([a-z0-9_]+)"'),
    # helpers that build a Finding: methods' _info("code", …), the loader's warn(path, "sev", "code", …)
    re.compile(r'_info\(\s*"([a-z0-9_]+)"'),
    re.compile(r'\bwarn\([^\n]*?"(?:error|warning|info)",\s*"([a-z0-9_]+)"'),
]


def _source_codes() -> set[str]:
    codes: set[str] = set()
    for path in (ROOT / "perfrules").rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        for pattern in _SOURCE_CODES:
            codes.update(pattern.findall(text))
    return codes


def _documented_codes() -> set[str]:
    text = INPUT_OUTPUT.read_text(encoding="utf-8")
    section = text.split("## Finding codes", 1)[1]
    return set(re.findall(r"^\|\s*`([a-z0-9_]+)`\s*\|", section, re.M))


def test_every_finding_code_in_the_source_is_documented():
    missing = _source_codes() - _documented_codes()
    assert not missing, f"finding codes missing from docs/input-output.md: {sorted(missing)}"


def test_every_documented_finding_code_exists():
    stale = _documented_codes() - _source_codes()
    assert not stale, f"docs/input-output.md lists codes the source never emits: {sorted(stale)}"


# ---------------------------------------------------------------- the Chinese pages' transcripts

_TEXT = re.compile(r"^```text\n(.*?)^```", re.M | re.S)


def _transcripts() -> list[tuple[str, str, list[str]]]:
    """Every `$ perfrules …` line of a ```text block in docs/zh, with the output shown under it."""
    out = []
    for page in ZH_PAGES:
        text = page.read_text(encoding="utf-8")
        for m in _TEXT.finditer(text):
            lines = m.group(1).splitlines()
            starts = [i for i, ln in enumerate(lines) if ln.startswith("$ perfrules ")]
            for i, start in enumerate(starts):
                end = starts[i + 1] if i + 1 < len(starts) else len(lines)
                line = text.count("\n", 0, m.start()) + 2 + start
                out.append((f"{page.relative_to(DOCS)}:{line}", lines[start][2:], lines[start + 1:end]))
    return out


TRANSCRIPTS = _transcripts()


def test_the_chinese_pages_show_commands():
    assert len(TRANSCRIPTS) >= 10


@pytest.mark.parametrize("where,command,shown", TRANSCRIPTS, ids=[w for w, _, _ in TRANSCRIPTS])
def test_a_chinese_pages_command_prints_what_it_shows(where, command, shown, capsys, monkeypatch):
    """Run from the checkout's root; `…` stands for any lines, every other line must be printed, in order."""
    import shlex

    from perfrules.cli import main

    monkeypatch.chdir(ROOT)
    main(shlex.split(command)[1:])
    printed = [ln.rstrip() for ln in capsys.readouterr().out.splitlines()]
    if "…" not in shown:
        assert printed == [ln.rstrip() for ln in shown], f"{where}: {command}"
        return
    at = 0
    for want in shown:
        if want == "…":
            continue
        while at < len(printed) and printed[at] != want.rstrip():
            at += 1
        assert at < len(printed), f"{where}: `{command}` does not print, in this order: {want}"
        at += 1
    if shown[0] != "…":
        assert printed[0] == shown[0].rstrip(), f"{where}: `{command}` starts otherwise"
