"""The pytest plugin perfrules registers (entry point `pytest11`): the `perfrules_check` fixture.

It lives outside perfrules.testing so that pytest starts without hypothesis installed;
the fixture needs it (the `testing` extra) only when a test uses it.

    def test_my_scheme(perfrules_check):
        perfrules_check("rulesets/my/city-2024.yaml", examples=200)
"""

from __future__ import annotations

from pathlib import Path
from typing import Callable

import pytest


@pytest.fixture
def perfrules_check() -> Callable[..., None]:
    """Run every invariant on a scheme; fail with the smallest counterexample found."""
    from .testing import check, counterexample

    def run(path: str | Path, examples: int = 100, seed: int | None = None) -> None:
        report = check(path, examples=examples, seed=seed)
        broken = [v for v in report.results.values() if v is not None]
        if broken:
            pytest.fail("\n\n".join(counterexample(v) for v in broken), pytrace=False)

    return run
