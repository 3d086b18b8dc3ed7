"""Run the invariants over generated inputs and report the smallest counterexample.

Hypothesis generates inputs for the scheme, shrinks a failing one to the simplest it can
find, and the report prints it as a ready-to-paste input file with the explanation of
the offending score.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import seed as hypothesis_seed

from ..errors import PerfrulesError
from ..load import load
from ..model import Scheme
from .generate import inputs, probes
from .invariants import INVARIANTS, Violation


class _Broken(Exception):
    """Raised inside the property so that hypothesis shrinks the input."""


@dataclass
class Report:
    """What `check` found: one entry per invariant, a Violation where it does not hold."""

    scheme: str
    examples: int
    results: dict[str, Violation | None] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return all(v is None for v in self.results.values())

    def text(self) -> str:
        lines = []
        for name, violation in self.results.items():
            mark = "ok  " if violation is None else "FAIL"
            doc = (INVARIANTS[name].__doc__ or "").strip().splitlines()[0]
            lines.append(f"{mark} {name}: {doc}")
        for name, violation in self.results.items():
            if violation is not None:
                lines += ["", counterexample(violation)]
        lines.append("")
        failed = sum(1 for v in self.results.values() if v is not None)
        lines.append(f"{self.scheme}: {len(self.results) - failed} invariants hold, {failed} broken "
                     f"({self.examples} generated inputs each)")
        return "\n".join(lines)


def _plain(data: Any) -> Any:
    """An input as YAML can dump it: decimals as text."""
    if isinstance(data, Decimal):
        return f"{data:f}"
    if isinstance(data, dict):
        return {k: _plain(v) for k, v in data.items()}
    if isinstance(data, list):
        return [_plain(v) for v in data]
    return data


def counterexample(v: Violation) -> str:
    """A violation as a ready-to-paste input file, with the offending score's explanation."""
    head = [f"# {v.invariant}: {v.message}"]
    if v.indicator is not None:
        head.append(f"# {v.indicator.name}: {v.indicator.explanation}")
    head += [f"# {d}" for d in v.details]
    body = yaml.safe_dump(_plain(v.data), allow_unicode=True, sort_keys=False, width=120, default_flow_style=None)
    return "\n".join(head) + "\n" + body.rstrip()


def check(scheme: Scheme | str | Path, examples: int = 100, seed: int | None = None,
          only: list[str] | None = None) -> Report:
    """Run every invariant (or `only` these) over `examples` generated inputs each."""
    if not isinstance(scheme, Scheme):
        scheme = load(scheme, check_bands=False)
    if not scheme.categories:
        raise PerfrulesError(f"{scheme.id} is a checks ruleset: it scores nothing, so there is nothing to property-test",
                             file=scheme.file)
    report = Report(scheme.id, examples)
    strategy = inputs(scheme)
    built = probes(scheme)
    for name in only or list(INVARIANTS):
        rule = INVARIANTS[name]
        # first the built probes (every threshold of the scheme), then generated inputs
        hit = next((v for v in (rule(scheme, data) for data in built) if v is not None), None)
        if hit is not None:
            report.results[name] = hit
            continue
        found: dict[str, Violation] = {}

        @settings(max_examples=examples, database=None, deadline=None, derandomize=seed is None,
                  suppress_health_check=list(HealthCheck), phases=[Phase.generate, Phase.shrink],
                  report_multiple_bugs=False)
        @given(strategy)
        def prop(data: dict[str, Any]) -> None:
            violation = rule(scheme, data)
            if violation is not None:
                found["last"] = violation
                raise _Broken(violation.message)

        if seed is not None:
            prop = hypothesis_seed(seed)(prop)
        try:
            prop()
        except _Broken:
            pass
        report.results[name] = found.get("last")
    return report
