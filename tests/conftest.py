"""Shared paths and a helper to build a one-category scheme around a method."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

# the tests read the messages in English whatever the developer's locale (tests/test_i18n.py sets others)
os.environ["PERFRULES_LANG"] = "en"

import perfrules

ROOT = Path(__file__).resolve().parent.parent
RULESETS = ROOT / "rulesets"
EXAMPLES = ROOT / "examples"

GRADES = """
grades:
  - {grade: 优, range: "[90, 100]"}
  - {grade: 良, range: "[80, 90)"}
  - {grade: 中, range: "[60, 80)"}
  - {grade: 差, range: "[0, 60)"}
"""


def scheme_with(indicator_yaml: str, extra: str = "", points: str = "10", total: str = "10") -> perfrules.Scheme:
    """A scheme of one category holding the given indicator(s); grades over [0, total]."""
    grades = GRADES if total == "100" else f"""
grades:
  - {{grade: 合格, range: "[6, {total}]"}}
  - {{grade: 不合格, range: "[0, 6)"}}
"""
    body = "\n".join("      " + line for line in indicator_yaml.strip().splitlines())
    text = f"""
perfrules: 1
id: test/one
name: test
total: {total}
{grades}
{extra}
categories:
  - name: 产出指标
    points: {points}
    indicators:
{body}
"""
    return perfrules.loads(text, "test.yaml")


@pytest.fixture
def one():
    return scheme_with
