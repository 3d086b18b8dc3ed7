"""The `perfrules` command: argparse in front of the library, no logic of its own.

Exit codes: 0 done; 1 done, but the data has error findings (an indicator could not be
scored, a file is invalid); 2 the command could not run (a ruleset or input that cannot
be read, a bad usage). Scoring a folder or glob: 2 if any input could not be read (the
others are still scored and listed), else 1 if any has error findings, else 0. A
perfrules error is printed as `FILE:LINE:COL: message`, never as a traceback.
"""

from __future__ import annotations

import argparse
import sys
from typing import Any, Callable, Sequence

from . import __version__, limits
from .errors import PerfrulesError
from .load import load
from .render import table, to_json


def _score(args: argparse.Namespace) -> int:
    from . import inputs, tables
    from .decimals import fmt
    from .engine import evaluate
    from .tables import batch

    if args.output:
        tables.output_format(args.output)  # a bad extension is a usage error before any work
    scheme = load(args.ruleset)  # parsed and compiled once, for one input or a whole batch
    files = batch.expand(args.input)
    if files is not None:
        outcomes = batch.score_all(scheme, files, sys.stderr)
        print(batch.to_json(outcomes) if args.format == "json" else batch.table(outcomes))
        if args.output:
            batch.write(outcomes, args.output)
        return batch.exit_code(outcomes)
    record = inputs.read(args.input)  # kept: a written table repeats the input's own rows
    result = evaluate(scheme, record)
    _emit(args, scheme, record, result, f"总分 {fmt(result.total, result.places)} 等级 {result.grade or '无法确定'}",
          lambda: table(result, scheme, explain=not args.brief))
    return 1 if result.errors else 0


def _emit(args: argparse.Namespace, scheme: Any, record: Any, result: Any, written: str, text: Callable[[], str]) -> None:
    """A result to the -o file (saying so on stderr), or as JSON, or as text."""
    from . import tables

    if args.output:
        tables.write(result, record, scheme, args.output)
        print(f"{args.output}: {written}", file=sys.stderr)
    elif args.format == "json":
        print(to_json(result))
    else:
        print(text())


def _validate(args: argparse.Namespace) -> int:
    failed = 0
    for path in args.files:
        try:
            scheme = load(path)
        except PerfrulesError as exc:
            failed += 1
            located = sorted((*exc.problems, *getattr(exc, "warnings", ())),
                             key=lambda p: (p.file or "", p.line or 0, p.column or 0))
            for problem in located:
                print(problem)
            continue
        for warning in scheme.warnings:
            print(warning)
        if not args.quiet:
            print(f"{path}: ok ({scheme.id}, {len(scheme.categories)} categories, "
                  f"{sum(len(c.indicators) for c in scheme.categories)} listed indicators)")
    return 1 if failed else 0


def _test(args: argparse.Namespace) -> int:
    from .cases import find, run_file

    files = list(find(args.paths or ["rulesets"]))
    if not files:
        print("no *.cases.yaml files found", file=sys.stderr)
        return 2
    passed = failed = 0
    for path in files:
        outcome = run_file(path)
        passed += outcome.passed
        failed_cases = {f.case for f in outcome.failures}
        failed += len(failed_cases)
        for failure in outcome.failures:
            print(f"{path}: {failure}")
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


def _explain(args: argparse.Namespace) -> int:
    from pathlib import Path

    from .explain import explain

    if args.output and len(args.rulesets) > 1:
        folder = Path(args.output)
        for path in args.rulesets:
            scheme = load(path)
            target = folder / f"{scheme.id}.md"
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(explain(scheme), encoding="utf-8")
            print(f"{target}")
        return 0
    for path in args.rulesets:
        text = explain(load(path))
        if args.output:
            Path(args.output).write_text(text, encoding="utf-8")
        else:
            print(text)
    return 0


def _diff(args: argparse.Namespace) -> int:
    from .diff import diff

    a, b = load(args.a), load(args.b)
    lines = diff(a, b)
    if not lines:
        print(f"{a.id} and {b.id} score alike")
        return 0
    print(f"--- {a.id} ({args.a})")
    print(f"+++ {b.id} ({args.b})")
    print("\n".join(lines))
    return 1


def _schema(args: argparse.Namespace) -> int:
    from importlib import resources

    print(resources.files("perfrules").joinpath(f"schema/{args.which}.schema.json").read_text(encoding="utf-8"), end="")
    return 0


def _audit(args: argparse.Namespace) -> int:
    from . import inputs
    from .audit import audit
    from .render import findings_table

    if args.format == "xlsx" and not args.output:
        print("perfrules audit --format xlsx needs -o FILE.xlsx", file=sys.stderr)
        return 2
    scheme = load(args.ruleset)
    record = inputs.read(args.input)
    result = audit(scheme, record)
    _emit(args, scheme, record, result, f"{len(result.findings)} findings",
          lambda: table(result, scheme, explain=False) if scheme.categories else findings_table(result, scheme))
    differences = [f for f in result.findings if f.severity in ("error", "warning")]
    return 1 if differences else 0


def _check(args: argparse.Namespace) -> int:
    try:
        from .testing import check
    except ImportError:  # pragma: no cover - depends on the install
        print("perfrules check needs hypothesis: pip install 'perfrules[testing]'", file=sys.stderr)
        return 2
    failed = 0
    for path in args.rulesets:
        report = check(path, examples=args.examples, seed=args.seed)
        print(report.text())
        failed += not report.ok
    return 1 if failed else 0


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="perfrules", description="Score budget-performance self-evaluations (预算绩效自评) by a region's scheme.")
    p.add_argument("--version", action="version", version=f"perfrules {__version__}")
    sub = p.add_subparsers(dest="command", required=True)

    s = sub.add_parser("score", help="score an input (or a folder or glob of inputs) against a ruleset")
    s.add_argument("ruleset", help="the scheme: a ruleset YAML file")
    s.add_argument("input", help="the unit's self-evaluation: a .xlsx, .csv, .yaml or .json file; or a folder "
                                 "or a quoted glob ('in/*.xlsx') to score each and print one summary row per input")
    s.add_argument("--format", choices=("table", "json"), default="table", help="output format on stdout (default: table)")
    s.add_argument("--brief", action="store_true", help="table without the explanation lines")
    s.add_argument("-o", "--output", help="write the scored input to this file instead, in the format its extension "
                                          "names: .xlsx, .csv, .json, .md (batch: the summary)")
    s.set_defaults(run=_score)

    v = sub.add_parser("validate", help="check ruleset files; print FILE:LINE:COL: message for each problem")
    v.add_argument("files", nargs="+", help="ruleset YAML files")
    v.add_argument("-q", "--quiet", action="store_true", help="print problems only")
    v.set_defaults(run=_validate)

    e = sub.add_parser("explain", help="state a scheme in plain language (Markdown, in Chinese)")
    e.add_argument("rulesets", nargs="+", help="ruleset YAML files")
    e.add_argument("-o", "--output", help="write to this file (or, with several rulesets, this folder: <id>.md each)")
    e.set_defaults(run=_explain)

    d = sub.add_parser("diff", help="what differs between two schemes, after inheritance; exit 1 when they differ")
    d.add_argument("a", help="the first ruleset")
    d.add_argument("b", help="the second ruleset")
    d.set_defaults(run=_diff)

    j = sub.add_parser("schema", help="print the JSON Schema of rulesets or inputs (for editors)")
    j.add_argument("which", nargs="?", choices=("ruleset", "input"), default="ruleset")
    j.set_defaults(run=_schema)

    a = sub.add_parser("audit", help="re-score an input and list where its own numbers do not hold together")
    a.add_argument("ruleset", help="the scheme (or a checks ruleset such as checks/final-accounts)")
    a.add_argument("input", help="the published self-evaluation: .yaml, .json, .xlsx or .csv")
    a.add_argument("--format", choices=("table", "json", "xlsx"), default="table", help="output format (default: table)")
    a.add_argument("-o", "--output", help="write to this file (.xlsx, .csv, .json, .md), findings included")
    a.set_defaults(run=_audit)

    c = sub.add_parser("check", help="property-test schemes: generated inputs against the invariants")
    c.add_argument("rulesets", nargs="+", help="ruleset YAML files (or shipped ids)")
    c.add_argument("--examples", type=int, default=100, help="generated inputs per invariant (default 100)")
    c.add_argument("--seed", type=int, help="random seed, to repeat a run")
    c.set_defaults(run=_check)

    t = sub.add_parser("test", help="run the *.cases.yaml files beside rulesets")
    t.add_argument("paths", nargs="*", help="cases files, rulesets or directories (default: rulesets/)")
    t.set_defaults(run=_test)
    return p


def main(argv: Sequence[str] | None = None) -> int:
    args = parser().parse_args(argv)
    bad = limits.check_environment()
    if bad is not None:  # a mistyped limit must not pass silently as the default
        print(f"perfrules: {bad} (see docs/limits.md)", file=sys.stderr)
        return 2
    try:
        code: int = args.run(args)
        return code
    except PerfrulesError as exc:
        for problem in exc.problems:
            print(problem, file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 0


if __name__ == "__main__":
    sys.exit(main())
