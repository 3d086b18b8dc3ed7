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
from ..i18n import N_, gettext as _
from ..load import load
from ..model import Scheme
from .generate import inputs
from .generate import probes as threshold_probes
from .invariants import INVARIANTS, Violation


# what `check` prints of each invariant: the first line of its docstring, marked here for the catalog
# (tests/test_i18n.py holds this list to the docstrings)
SUMMARIES = (
    N_("Every indicator score lies between 0 and the indicator's weight (得分不超过分值，不为负)."),
    N_("Doing better never scores less (a higher actual, or one element more)."),
    N_("Category scores and the total are the sums the scheme defines, rounded as it declares."),
    N_("The total lies between 0 and the scheme's total (normally 100)."),
    N_("Every total is in exactly one grade band, and its grade is that band's."),
    N_("The same input scores the same, whatever the order of its indicator rows."),
    N_("A reviewer's value (复核值), when given, is what is scored."),
)


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
            lines.append(f"{mark} {name}: {_(doc)}")
        for violation in self.results.values():
            if violation is not None:
                lines += ["", counterexample(violation)]
        lines.append("")
        failed = sum(1 for v in self.results.values() if v is not None)
        lines.append(_("{scheme}: {held} invariants hold, {failed} broken ({examples} generated inputs each)").format(
            scheme=self.scheme, held=len(self.results) - failed, failed=failed, examples=self.examples))
        return "\n".join(lines)


def pasteable(data: Any) -> str:
    """An input as a ready-to-paste YAML document (decimals as text, rows one per line)."""
    return yaml.safe_dump(_plain(data), allow_unicode=True, sort_keys=False, width=120, default_flow_style=None)


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
    body = pasteable(v.data)
    return "\n".join(head) + "\n" + body.rstrip()


def check(scheme: Scheme | str | Path, examples: int = 100, seed: int | None = None,
          only: list[str] | None = None, probes: bool = True) -> Report:
    """Run every invariant (or `only` these) over `examples` generated inputs each.

    Every invariant meets the same inputs: each input is drawn and scored once, and the
    invariants still unbroken are checked on it. `probes=False` leaves out the inputs
    built at the scheme's thresholds (to measure what the generated inputs find alone).
    """
    if not isinstance(scheme, Scheme):
        scheme = load(scheme, check_bands=False)
    if not scheme.categories:
        raise PerfrulesError(_("{id} is a checks ruleset: it scores nothing, so there is nothing to property-test").format(id=scheme.id),
                             file=scheme.file)
    names = only or list(INVARIANTS)
    found = _probe(scheme, names, threshold_probes(scheme) if probes else [])
    strategy = inputs(scheme)
    while pending := [n for n in names if n not in found]:
        hit = _search(scheme, strategy, pending, examples, seed)
        if hit is None:
            break
        found[hit.invariant] = hit
    report = Report(scheme.id, examples)
    report.results = {name: found.get(name) for name in names}
    return report


def _broken(scheme: Scheme, names: list[str], data: dict[str, Any]) -> Violation | None:
    """The first of these invariants that `data` breaks, scoring it once for them all."""
    result = scheme.evaluate(data)
    return next((v for v in (INVARIANTS[n](scheme, data, result) for n in names) if v is not None), None)


def _probe(scheme: Scheme, names: list[str], built: list[dict[str, Any]]) -> dict[str, Violation]:
    """Each invariant's first violation among the built probes (every threshold of the scheme)."""
    found: dict[str, Violation] = {}
    for data in built:
        result = scheme.evaluate(data)
        for name in names:
            if name not in found:
                violation = INVARIANTS[name](scheme, data, result)
                if violation is not None:
                    found[name] = violation
    return found


def _search(scheme: Scheme, strategy: Any, names: list[str], examples: int, seed: int | None) -> Violation | None:
    """Draw up to `examples` inputs and check `names` on each; once one breaks, let hypothesis
    shrink the input for that invariant alone, and return the smallest violation found."""
    chase: list[str] = []  # the invariant being shrunk, once one broke
    last: list[Violation] = []

    @settings(max_examples=examples, database=None, deadline=None, derandomize=seed is None,
              suppress_health_check=list(HealthCheck), phases=[Phase.generate, Phase.shrink],
              report_multiple_bugs=False)
    @given(strategy)
    def prop(data: dict[str, Any]) -> None:
        violation = _broken(scheme, chase or names, data)
        if violation is not None:
            chase[:] = [violation.invariant]
            last.append(violation)
            raise _Broken(violation.message)

    if seed is not None:
        prop = hypothesis_seed(seed)(prop)
    try:
        prop()
    except _Broken:
        pass
    return last[-1] if last else None
