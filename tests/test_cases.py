"""Every shipped ruleset's cases file, run as CI runs `perfrules test`."""

from __future__ import annotations

import pytest

from conftest import RULESETS
from perfrules.cases import find, run_file

CASES = list(find([RULESETS]))
# scoring rulesets: a checks ruleset (rulesets/checks/) scores nothing; tests/test_audit.py covers it
SHIPPED = sorted(p for p in RULESETS.rglob("*.yaml") if not p.name.endswith(".cases.yaml") and p.parent.name != "checks")


def test_every_shipped_ruleset_has_cases():
    missing = [p for p in SHIPPED if not p.with_name(p.stem + ".cases.yaml").exists()]
    assert missing == []


@pytest.mark.parametrize("path", CASES, ids=lambda p: str(p.relative_to(RULESETS)))
def test_cases(path):
    outcome = run_file(path)
    assert outcome.failures == [], "\n".join(str(f) for f in outcome.failures)
    assert outcome.passed > 0
