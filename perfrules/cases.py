"""Ruleset cases: `<name>.cases.yaml` beside a ruleset lists inputs and what they must score.

    ruleset: zhengzhou-project-2021.yaml        # optional: defaults to the file beside it
    cases:
      - name: 预算执行率 97%
        input: {indicators: [{name: 预算执行率, actual: 97%}]}   # or a path, relative to this file
        expect: {scores: {预算执行率: 2.15}}
      - name: the published table with one change
        input:
          base: ../../examples/zhengzhou-project-2021.yaml      # relative to this file
          change: {完成合格率: {actual: 0%}}   # rows by name (name#2: the second of that name)
          set: {funds: {budget: 100, executed: 97}}             # top-level keys replaced
        expect:
          total: 100.00             # optional
          grade: 优秀               # optional (null: no grade)
          complete: true            # optional
          scores: {预算执行率: 2.15}  # a repeated name takes a list, in input order; null = unscored
          findings: [actual_is_bound]   # codes that must be among the findings
          no_findings: [weights_sum]    # codes that must not be
      - name: a weight cell of "/" is refused
        input: {indicators: [{name: 预算执行率, weight: "/"}]}
        expect: {error: weight}     # the input is refused; true, or words its message must hold

Every case must expect something: a cases file is validated against its JSON Schema
(`perfrules schema cases`) with located errors, so `expected:` or `totl:` is an error
with a did-you-mean hint, never a case that passes because it checks nothing. pytest
(tests/test_cases.py, one test per case) and `perfrules test` run the same files.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any, Iterator

from . import schemacheck
from .sources import yaml_text
from .decimals import fmt
from .errors import InputError, PerfrulesError, RulesetError
from .i18n import gettext as _, using
from .load import load
from .model import Scheme
from .result import Result


@dataclass(frozen=True)
class Failure:
    """One expectation that did not hold."""

    case: str
    what: str  # total, grade, an indicator's name, a finding code
    expected: str
    actual: str
    explanation: str = ""

    def __str__(self) -> str:
        text = _("{case}: {what}: expected {expected}, got {actual}").format(
            case=self.case, what=self.what, expected=self.expected, actual=self.actual)
        return text + (f"\n    {self.explanation}" if self.explanation else "")


@dataclass
class Outcome:
    """The result of one cases file."""

    file: str
    passed: int = 0
    failures: list[Failure] = field(default_factory=list)
    checked: int = 0  # expectations checked, passed or not


@dataclass(frozen=True)
class Case:
    """One case: its name, its input as written, what it expects."""

    name: str
    given: Any  # a path, an inline input, or {base, change, set}
    expect: dict[str, Any]
    here: Path  # the cases file's folder: paths are relative to it

    @property
    def input(self) -> Any:
        """The input to score (a path or a mapping); a bad `base`/`change` raises InputError."""
        return _input(self.given, self.here)


@dataclass(frozen=True)
class Suite:
    """A cases file, validated, with its scheme loaded."""

    file: str
    scheme: Scheme
    cases: tuple[Case, ...]


def expectations(expect: dict[str, Any]) -> int:
    """How many things a case checks: one per key, per indicator score and per finding code."""
    count = sum(1 for k in ("total", "grade", "complete", "error") if k in expect)
    for wanted in expect.get("scores", {}).values():
        count += len(wanted) if isinstance(wanted, list) else 1
    return count + len(expect.get("findings", [])) + len(expect.get("no_findings", []))


def _show(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, Decimal):
        return fmt(value)
    return str(value)


def _same(expected: Any, actual: Decimal | None) -> bool:
    if expected is None or actual is None:
        return expected is None and actual is None
    return Decimal(str(expected)) == actual


def check(name: str, result: Result, expect: dict[str, Any]) -> list[Failure]:
    """Every failed expectation of one case."""
    out: list[Failure] = []
    if "total" in expect and not _same(expect["total"], result.total):
        out.append(Failure(name, "total", _show(expect["total"]), fmt(result.total, result.places)))
    if "grade" in expect and expect["grade"] != result.grade:
        out.append(Failure(name, "grade", _show(expect["grade"]), _show(result.grade)))
    if "complete" in expect and bool(expect["complete"]) != result.complete:
        out.append(Failure(name, "complete", _show(expect["complete"]), _show(result.complete)))
    for indicator, wanted in expect.get("scores", {}).items():
        got = [i for i in result.indicators if i.name == indicator]
        wanted_list = wanted if isinstance(wanted, list) else [wanted]
        if not got:
            out.append(Failure(name, indicator, _show(wanted), _("no such indicator in the result")))
            continue
        if len(wanted_list) != len(got):
            out.append(Failure(name, indicator, _("{count} score(s)").format(count=len(wanted_list)),
                               _("{count} indicator(s) of that name").format(count=len(got))))
            continue
        for w, g in zip(wanted_list, got):
            if not _same(w, g.score):
                out.append(Failure(name, indicator, _show(w), _show(g.score), g.explanation))
    codes = {f.code for f in result.findings}
    for code in expect.get("findings", []):
        if code not in codes:
            out.append(Failure(name, _("finding {code}").format(code=code), _("present"),
                               _("absent: {codes}").format(codes=", ".join(sorted(codes)) or _("no findings"))))
    for code in expect.get("no_findings", []):
        if code in codes:
            message = next(f.message for f in result.findings if f.code == code)
            out.append(Failure(name, _("finding {code}").format(code=code), _("absent"), _("present"), message))
    return out


def _input(given: Any, here: Path) -> Any:
    """A case's input: a path, an inline mapping, or a base file with changes."""
    if isinstance(given, str):
        return here / given
    if not (isinstance(given, dict) and "base" in given):
        return given
    base = yaml_text.load(here / given["base"], InputError).data
    data = copy.deepcopy(base)
    for key, value in given.get("set", {}).items():
        if value is None:
            data.pop(key, None)  # set: {funds: null} removes the funds block
        else:
            data[key] = value
    rows = data.get("indicators", [])
    for name, change in given.get("change", {}).items():
        plain, _hash, nth = str(name).partition("#")
        matches = [r for r in rows if isinstance(r, dict) and r.get("name") == plain]
        index = int(nth) - 1 if nth else 0
        if index >= len(matches):
            raise InputError(_("case input: no row named '{name}'").format(name=plain) + (f" (#{nth})" if nth else ""),
                             file=str(here / given["base"]))
        for key, value in change.items():
            if value is None:
                matches[index].pop(key, None)
            else:
                matches[index][key] = value
    return data


def load_cases(path: str | Path) -> Suite:
    """Read and validate a cases file and load its ruleset; a problem in either is a PerfrulesError."""
    path = Path(path)
    doc = yaml_text.load(path, RulesetError)
    schemacheck.require(doc, "cases", RulesetError, _("a cases file must be a mapping with a `cases:` list"))
    data = doc.data
    ruleset = path.parent / data.get("ruleset", path.name.replace(".cases.yaml", ".yaml"))
    if not ruleset.exists():
        raise RulesetError([doc.problem(["ruleset"] if "ruleset" in data else [],
                                        _("no ruleset {file} beside this cases file").format(file=ruleset.name),
                                        _("name it with `ruleset:`"))])
    cases = tuple(Case(str(c["name"]), c["input"], c["expect"], path.parent) for c in data["cases"])
    seen: dict[str, int] = {}
    problems = []
    for i, case in enumerate(cases):
        if case.name in seen:
            problems.append(doc.problem(["cases", i, "name"], _("case name '{name}' is used twice (also case {other})").format(
                name=case.name, other=seen[case.name] + 1), _("each case is reported by its name")))
        seen.setdefault(case.name, i)
    if problems:
        raise RulesetError(problems)
    return Suite(str(path), load(ruleset), cases)


def run_case(suite: Suite, case: Case) -> list[Failure]:
    """Every failed expectation of one case (an empty list: it passed)."""
    refused = case.expect.get("error")
    try:
        result = suite.scheme.evaluate(case.input)
    except PerfrulesError as exc:
        said = str(exc)
        if refused is None:
            return [Failure(case.name, "input", _("a readable input"), said)]
        if isinstance(refused, str) and refused not in said and refused not in _in_english(suite, case):
            return [Failure(case.name, "error", _("an error saying '{words}'").format(words=refused), said)]
        return []
    if refused is not None:
        return [Failure(case.name, "error", _("the input refused"),
                        _("scored: total {total}, grade {grade}").format(total=fmt(result.total, result.places),
                                                                         grade=_show(result.grade)))]
    return check(case.name, result, case.expect)


def _in_english(suite: Suite, case: Case) -> str:
    """The error a refused input raises, in English: `expect: {error: words}` may quote it as the
    English messages say it, whatever the language of this run (docs/interpretations.md)."""
    with using("en"):
        try:
            suite.scheme.evaluate(case.input)
        except PerfrulesError as exc:
            return str(exc)
    return ""


def run_file(path: str | Path) -> Outcome:
    """Run one cases file; a cases file, ruleset or input that cannot be read is raised as a PerfrulesError."""
    suite = load_cases(path)
    outcome = Outcome(suite.file)
    for case in suite.cases:
        failures = run_case(suite, case)
        outcome.checked += expectations(case.expect)
        if failures:
            outcome.failures.extend(failures)
        else:
            outcome.passed += 1
    return outcome


def find(paths: list[str | Path]) -> Iterator[Path]:
    """Every `*.cases.yaml` under the given files and directories, sorted."""
    for p in map(Path, paths):
        if p.is_dir():
            yield from sorted(p.rglob("*.cases.yaml"))
        elif p.name.endswith(".cases.yaml"):
            yield p
        elif p.suffix in (".yaml", ".yml") and p.with_name(p.stem + ".cases.yaml").exists():
            yield p.with_name(p.stem + ".cases.yaml")
