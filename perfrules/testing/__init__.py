"""Property-testing kit for scoring schemes (needs the `testing` extra: hypothesis).

    from perfrules.testing import check, inputs, scheme_test, INVARIANTS

    report = check("rulesets/hunan/department-2021.yaml", examples=200)
    print(report.text())

    test_scheme = scheme_test("rulesets/x.yaml")   # in your own tests: one line

`inputs(scheme)` generates valid inputs for a scheme; `perfrules.testing.strategies`
generates values in the forms the parser accepts; each invariant in `INVARIANTS` is a
named check with a docstring.
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Callable

from .against import Difference, Equivalence, equivalent
from .generate import inputs
from .invariants import INVARIANTS, Violation, invariant
from .runner import Report, check, counterexample

__all__ = ["INVARIANTS", "Difference", "Equivalence", "Report", "Violation", "check", "counterexample", "equivalent",
           "inputs", "invariant", "scheme_test"]


def scheme_test(path: str | Path, examples: int = 100, seed: int | None = None) -> Callable[..., None]:
    """A pytest test that runs every invariant on the scheme at `path`, one test per invariant.

        test_my_scheme = perfrules.testing.scheme_test("rulesets/my/city-2024.yaml")
    """
    import pytest

    @functools.cache
    def report() -> Report:  # one run for all the invariants' tests: each input scored once
        return check(path, examples=examples, seed=seed)

    @pytest.mark.parametrize("name", list(INVARIANTS))
    def test(name: str) -> None:
        violation = report().results[name]
        if violation is not None:
            pytest.fail(counterexample(violation), pytrace=False)

    test.__doc__ = f"The invariants of {path}"
    return test
