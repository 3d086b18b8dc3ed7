"""The `perfrules` command: argparse in front of the library, no logic of its own.

Exit codes: 0 done; 1 done, but the data has error findings (an indicator could not be
scored, a file is invalid); 2 the command could not run (a ruleset or input that cannot
be read, a bad usage). A perfrules error is printed as `FILE:LINE:COL: message`, never
as a traceback.
"""

from __future__ import annotations

import argparse
import sys
from typing import Sequence

from . import __version__
from .errors import PerfrulesError
from .load import load
from .render import table, to_json


def _score(args: argparse.Namespace) -> int:
    scheme = load(args.ruleset)
    result = scheme.evaluate(args.input)
    if args.format == "json":
        print(to_json(result))
    else:
        print(table(result, scheme, explain=not args.brief))
    return 1 if result.errors else 0


def _validate(args: argparse.Namespace) -> int:
    failed = 0
    for path in args.files:
        try:
            scheme = load(path)
        except PerfrulesError as exc:
            failed += 1
            for problem in exc.problems:
                print(problem, file=sys.stdout)
            continue
        for finding in scheme.findings:
            print(f"{path}: {finding.severity}: {finding.code}: {finding.message}")
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


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="perfrules", description="Score budget-performance self-evaluations (预算绩效自评) by a region's scheme.")
    p.add_argument("--version", action="version", version=f"perfrules {__version__}")
    sub = p.add_subparsers(dest="command", required=True)

    s = sub.add_parser("score", help="score an input against a ruleset")
    s.add_argument("ruleset", help="the scheme: a ruleset YAML file")
    s.add_argument("input", help="the unit's self-evaluation: a YAML or JSON input file")
    s.add_argument("--format", choices=("table", "json"), default="table", help="output format (default: table)")
    s.add_argument("--brief", action="store_true", help="table without the explanation lines")
    s.set_defaults(run=_score)

    v = sub.add_parser("validate", help="check ruleset files; print FILE:LINE:COL: message for each problem")
    v.add_argument("files", nargs="+", help="ruleset YAML files")
    v.add_argument("-q", "--quiet", action="store_true", help="print problems only")
    v.set_defaults(run=_validate)

    t = sub.add_parser("test", help="run the *.cases.yaml files beside rulesets")
    t.add_argument("paths", nargs="*", help="cases files, rulesets or directories (default: rulesets/)")
    t.set_defaults(run=_test)
    return p


def main(argv: Sequence[str] | None = None) -> int:
    args = parser().parse_args(argv)
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
