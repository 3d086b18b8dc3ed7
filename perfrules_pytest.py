"""The pytest plugin perfrules registers (entry point `pytest11`, name `perfrules`): the
`perfrules_check` fixture.

    def test_my_scheme(perfrules_check):
        perfrules_check("rulesets/my/city-2024.yaml", examples=200)

It is a top-level module, outside the perfrules package, because pytest imports every
plugin before it collects a test (and before a coverage plugin starts measuring):
importing `perfrules.anything` would run perfrules/__init__.py and load the whole library
into every pytest run of every project that has perfrules installed. Here perfrules is
imported when a test asks for the fixture, and hypothesis (the `testing` extra) with it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Callable

import pytest


@pytest.fixture
def perfrules_check() -> Callable[..., None]:
    """Run every invariant on a scheme; fail with the smallest counterexample found."""
    from perfrules.testing import check, counterexample

    def run(path: str | Path, examples: int = 100, seed: int | None = None) -> None:
        report = check(path, examples=examples, seed=seed)
        broken = [v for v in report.results.values() if v is not None]
        if broken:
            pytest.fail("\n\n".join(counterexample(v) for v in broken), pytrace=False)

    return run
