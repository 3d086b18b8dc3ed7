"""The `perfrules` command: argparse in front of the library, no logic of its own.

Exit codes: 0 done; 1 done, but the data has error findings (an indicator could not be
scored, a file is invalid); 2 the command could not run (a ruleset or input that cannot
be read, a bad usage). Scoring a folder or glob: 2 if any input could not be read (the
others are still scored and listed), else 1 if any has error findings, else 0. A
perfrules error is printed as `FILE:LINE:COL: message`, never as a traceback; a defect of
perfrules itself is one line saying so, exit 2 (PERFRULES_DEBUG=1 shows the traceback).

`-o FILE` never writes over an input the command reads, and replaces another existing
file only with `--force`; the file is written whole or not at all (render/files.py).
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Iterator, Sequence, TextIO

from . import __version__, limits
from .errors import PerfrulesError
from . import i18n
from .i18n import gettext as _, ngettext
from .load import load
from .inherit import allowing
from .render import table, to_json
from .render.terminal import pad

if TYPE_CHECKING:
    from .model import Scheme
    from .record import Record
    from .batch import Outcome
    from .report import Input


def _check_output(output: str, force: bool, reads: Sequence[str | Path]) -> None:
    """Before any work: never write over a file the command reads; another existing file only with --force."""
    target = Path(output)
    if target.is_dir():
        raise PerfrulesError(_("is a directory: -o needs a file name"), file=output)
    if not target.exists():
        return
    for read in reads:
        try:
            same = os.path.samefile(target, read)
        except OSError:
            continue
        if same:
            raise PerfrulesError(_("will not write over {file}, which this command reads: give -o another file name").format(file=read),
                                 file=output)
    if not force:
        raise PerfrulesError(_("already exists: give -o another file name, or --force to replace it"), file=output)


def _standard_streams(args: argparse.Namespace) -> None:
    """`-o -` is standard output: the result is printed in the --format asked for, as without -o.
    `-` as INPUT is standard input (read_input); a ruleset cannot come that way."""
    if getattr(args, "output", None) == "-":
        args.output = None
    if getattr(args, "ruleset", None) == "-":
        raise PerfrulesError("standard input (-) is read as the INPUT only: give the ruleset's file name", file="-")


def read_input(spec: str) -> Record:
    """The INPUT argument: `-` reads YAML or JSON from standard input (errors name `<stdin>`), else a file."""
    from . import sources
    from .sources.stream import STDIN, read_stream

    if spec != "-":
        return sources.read(spec)
    if sys.stdin is None:  # started without one (pythonw, a closed descriptor)
        raise PerfrulesError("there is no standard input to read", file=STDIN)
    return read_stream(getattr(sys.stdin, "buffer", sys.stdin))


class Progress:
    """`[#####-----] 12/40 file.xlsx` redrawn in place on a terminal; nothing otherwise."""

    def __init__(self, total: int, stream: TextIO):
        self.total = total
        self.stream = stream
        isatty = getattr(stream, "isatty", None)
        self.live = bool(isatty and isatty())

    def show(self, done: int, label: str) -> None:
        if not self.live:
            return
        bar = 24
        filled = bar * done // max(self.total, 1)
        text = f"[{'#' * filled}{'-' * (bar - filled)}] {done}/{self.total} {label}"
        columns = shutil.get_terminal_size((80, 24)).columns - 1
        self.stream.write("\r" + pad(text, columns).rstrip() + "\x1b[K")
        self.stream.flush()

    def finish(self, line: str) -> None:
        if self.live:
            self.stream.write("\r\x1b[K")
        self.stream.write(line + "\n")
        self.stream.flush()


def score_batch(scheme: Scheme, files: Sequence[Path], stream: TextIO, jobs: int = 1) -> list[Outcome]:
    """Score every file with the one scheme (on `jobs` processes), a progress bar on `stream`, and a
    last line that counts."""
    from . import batch
    from .many import score_many

    progress = Progress(len(files), stream)
    start = time.monotonic()
    outcomes = []
    progress.show(0, files[0].name if files else "")
    for done, o in enumerate(score_many(scheme, files, jobs=jobs), 1):  # in the files' order
        outcomes.append(batch.Outcome(str(files[o.index]), result=o.result, error=o.error))
        progress.show(done, files[done].name if done < len(files) else "")
    failed = sum(1 for o in outcomes if o.error)
    flagged = sum(1 for o in outcomes if o.result and o.result.errors)
    progress.finish(ngettext("scored {count} input in {seconds} s: {clean} without error findings, {flagged} with error "
                             "findings, {failed} could not be read",
                             "scored {count} inputs in {seconds} s: {clean} without error findings, {flagged} with error "
                             "findings, {failed} could not be read", len(files)).format(
        count=len(files), seconds=f"{time.monotonic() - start:.1f}", clean=len(files) - failed - flagged, flagged=flagged,
        failed=failed))
    return outcomes


def batch_exit_code(outcomes: Sequence[Outcome]) -> int:
    """2 if any input could not be read (or scored), else 1 if any has error findings, else 0."""
    if any(o.error for o in outcomes):
        return 2
    return 1 if any(o.errors for o in outcomes) else 0


def _score(args: argparse.Namespace) -> int:
    from . import batch
    from .decimals import fmt
    from .engine import evaluate
    from .render import output_format, summary

    if args.output:
        output_format(args.output)  # a bad extension is a usage error before any work
    scheme = load(args.ruleset)  # parsed and compiled once, for one input or a whole batch
    files = batch.expand(args.input)
    if files is not None and args.output and output_format(args.output) == "html":
        raise PerfrulesError(_("a folder's HTML is the batch report: perfrules report RULESET FOLDER -o FILE.html"),
                             file=args.output)
    if args.output:
        _check_output(args.output, args.force, [args.ruleset, *(files if files is not None else [args.input])])
    if files is not None:
        outcomes = score_batch(scheme, files, sys.stderr, jobs=args.jobs)
        print(summary.to_json(outcomes) if args.format == "json" else summary.table(outcomes))
        if args.output:
            summary.write(outcomes, args.output)
        return batch_exit_code(outcomes)
    record = read_input(args.input)  # kept: a written table repeats the input's own rows
    result = evaluate(scheme, record)
    _emit(args, scheme, record, result, f"总分 {fmt(result.total, result.places)} 等级 {result.grade or '无法确定'}",
          lambda: table(result, scheme, explain=not args.brief))
    return 1 if result.errors else 0


def _emit(args: argparse.Namespace, scheme: Any, record: Any, result: Any, written: str, text: Callable[[], str]) -> None:
    """A result to the -o file (saying so on stderr), or as JSON, or as text."""
    from .render import write

    if args.output:
        write(result, record, scheme, args.output)
        print(f"{args.output}: {written}", file=sys.stderr)
    elif args.format == "json":
        print(to_json(result))
    else:
        print(text())


def _report(args: argparse.Namespace) -> int:
    """Score and audit every input, then write one report (.html or .xlsx): see docs/report.md."""
    from . import batch
    from .render import charts, output_format, write_report
    from .report import build

    if args.output is None:  # `-o -`: a workbook or a page with charts is a file, not a stream
        raise PerfrulesError(_("the report is a file: give -o FILE.html or -o FILE.xlsx"), file="-")
    if output_format(args.output) not in ("html", "xlsx"):
        raise PerfrulesError(_("the report is written as .html or .xlsx"), file=args.output)
    scheme = load(args.ruleset)
    files = batch.expand(args.inputs)
    if files is None:
        if not Path(args.inputs).is_file():
            raise PerfrulesError(_("no such file or folder"), file=args.inputs)
        files = [Path(args.inputs)]
    _check_output(args.output, args.force, [args.ruleset, *files])
    report = build(scheme, audit_batch(scheme, files, sys.stderr, jobs=args.jobs))  # streamed: memory stays flat
    write_report(report, args.output)
    if output_format(args.output) == "html" and not charts.available():
        print(_("perfrules: the report has tables but no charts: they need pip install 'perfrules[report]'"), file=sys.stderr)
    print(f"{args.output}: {report.read} files read, {len(report.units)} scored, {len(report.failed)} could not be read, "
          f"{report.overstated} reported a grade above the computed one", file=sys.stderr)
    if report.failed:
        return 2
    return 1 if report.with_errors else 0


def audit_batch(scheme: Scheme, files: Sequence[Path], stream: TextIO, jobs: int = 1) -> Iterator[Input]:
    """Read and audit every file (on `jobs` processes), one at a time, with a progress bar on `stream`."""
    from .report import audit_files

    progress = Progress(len(files), stream)
    start = time.monotonic()
    progress.show(0, files[0].name if files else "")
    for done, item in enumerate(audit_files(scheme, files, jobs=jobs), 1):
        yield item
        progress.show(done, files[done].name if done < len(files) else "")
    progress.finish(f"audited {len(files)} input{'s' if len(files) != 1 else ''} in {time.monotonic() - start:.1f} s")


def _validate(args: argparse.Namespace) -> int:
    from .load import file_kind

    failed = 0
    for path in args.files:
        kind = file_kind(path)  # `validate my/*.yaml` meets cases and inputs too: each is checked as what it is
        try:
            if kind != "ruleset":
                said = _validate_other(path, kind)
                if not args.quiet:
                    print(said)
                continue
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
            print(_("{file}: ok ({id}, {categories} categories, {indicators} listed indicators)").format(
                file=path, id=scheme.id, categories=len(scheme.categories),
                indicators=sum(len(c.indicators) for c in scheme.categories)))
    return 1 if failed else 0


def _validate_other(path: str, kind: str) -> str:
    """A cases file checked against its schema and its ruleset, or an input against the input schema."""
    if kind == "cases":
        from .cases import load_cases

        suite = load_cases(path)
        return _("{file}: ok (cases for {id}, {count} cases; run them with perfrules test {file})").format(
            file=path, id=suite.scheme.id, count=len(suite.cases))
    from . import sources

    record = sources.read(path)
    return _("{file}: ok (an input, not a ruleset: {rows} indicator rows; score it with perfrules score RULESET {file})").format(
        file=path, rows=len(record.rows))


def _test(args: argparse.Namespace) -> int:
    from .cases import find, run_file

    files = list(find(args.paths or ["rulesets"]))
    if not files:
        print(_("no *.cases.yaml files found"), file=sys.stderr)
        return 2
    passed = failed = checked = 0
    for path in files:
        outcome = run_file(path)
        passed += outcome.passed
        checked += outcome.checked
        failed_cases = {f.case for f in outcome.failures}
        failed += len(failed_cases)
        for failure in outcome.failures:
            print(f"{path}: {failure}")
    print(f"{passed} passed, {failed} failed" + ngettext(" ({count} expectation checked)", " ({count} expectations checked)",
                                                        checked).format(count=checked))
    return 1 if failed else 0


def _explain(args: argparse.Namespace) -> int:
    """Pages are generated: -o replaces them (docs/schemes/ is regenerated so), but never a ruleset."""
    from .explain import explain
    from .render.files import write_atomically

    def put(target: Path, text: str) -> None:
        for ruleset in args.rulesets:
            if target.exists() and Path(ruleset).exists() and os.path.samefile(target, ruleset):
                raise PerfrulesError(_("will not write over the ruleset {file}: give -o another name").format(file=ruleset),
                                     file=str(target))
        write_atomically(target, text.encode("utf-8"))

    if args.output and len(args.rulesets) > 1:
        folder = Path(args.output)
        for path in args.rulesets:
            scheme = load(path)
            target = folder / f"{scheme.id}.md"
            if folder.resolve() not in target.resolve().parents:  # an id such as a/../../x names no page in it
                raise PerfrulesError(_("the id '{id}' names no page inside {folder}").format(id=scheme.id, folder=folder), file=path)
            target.parent.mkdir(parents=True, exist_ok=True)
            put(target, explain(scheme))
            print(f"{target}")
        return 0
    for path in args.rulesets:
        text = explain(load(path))
        if args.output:
            put(Path(args.output), text)
        else:
            print(text)
    return 0


def _diff(args: argparse.Namespace) -> int:
    from .diff import diff

    a, b = load(args.a), load(args.b)
    lines = diff(a, b)
    if not lines:
        print(_("{a} and {b} score alike").format(a=a.id, b=b.id))
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
    from .audit import audit
    from .render import findings_table

    if args.format == "xlsx" and not args.output:
        print(_("perfrules audit --format xlsx needs -o FILE.xlsx"), file=sys.stderr)
        return 2
    scheme = load(args.ruleset)
    if args.output:
        _check_output(args.output, args.force, [args.ruleset, args.input])
    record = read_input(args.input)
    result = audit(scheme, record)
    _emit(args, scheme, record, result, f"{len(result.findings)} findings",
          lambda: table(result, scheme, explain=False) if scheme.categories else findings_table(result, scheme))
    differences = [f for f in result.findings if f.severity in ("error", "warning")]
    return 1 if differences else 0


def _need(args: argparse.Namespace) -> int:
    """What it takes (issue 11): exit 0 with a way to the grade (or none needed), 1 when there is none."""
    import json

    from .need import need

    scheme = load(args.ruleset)
    answer = need(scheme, read_input(args.input), args.grade)
    if args.format == "json":
        print(json.dumps(answer.to_dict(), ensure_ascii=False, indent=2))
    else:
        print(answer.text(), end="")
    return 1 if answer.status in ("unreachable", "unknown", "unscored") else 0


def _check(args: argparse.Namespace) -> int:
    try:
        from .testing import check, equivalent
    except ImportError:  # pragma: no cover - depends on the install
        print(_("perfrules check needs hypothesis: pip install 'perfrules[testing]'"), file=sys.stderr)
        return 2
    failed = 0
    if args.against is not None:  # silent when equal, as cmp is: the report only when they differ
        for path in args.rulesets:
            found = equivalent(path, args.against, examples=args.examples, seed=args.seed)
            if not found.equal:
                print(found.text())
                failed += 1
        return 1 if failed else 0
    for path in args.rulesets:
        report = check(path, examples=args.examples, seed=args.seed)
        print(report.text())
        failed += not report.ok
    return 1 if failed else 0


def _draft(args: argparse.Namespace) -> int:
    """A ruleset from a scoring table; exit 1 while it has placeholders (validate refuses it until resolved)."""
    from .draft import draft
    from .render.files import write_atomically

    if Path(args.output).suffix.lower() not in (".yaml", ".yml"):
        raise PerfrulesError("a ruleset is YAML: give -o a .yaml file name", file=args.output)
    _check_output(args.output, args.force, [args.table])
    drafted = draft(args.table, args.id, args.name)
    write_atomically(args.output, drafted.text.encode("utf-8"))
    print(f"{args.output}: {drafted.summary()}", file=sys.stderr)
    return 1 if drafted.placeholders else 0


def _allow_dir(p: argparse.ArgumentParser, run: Callable[[argparse.Namespace], int]) -> None:
    """A command that loads rulesets: --allow-dir, and `run` with those folders allowed to `extends`."""
    p.add_argument("--allow-dir", action="append", default=[], metavar="DIR",
                   help=_("a folder an `extends:` path may also reach (besides the ruleset's own folder, the shipped "
                          "rulesets and $PERFRULES_PATH); repeat for several"))

    def allowed(args: argparse.Namespace) -> int:
        with allowing(args.allow_dir):
            return run(args)

    p.set_defaults(run=allowed)


def _jobs(text: str) -> int:
    """--jobs N: a whole number, 0 or more (0: one process per CPU)."""
    try:
        jobs = int(text)
    except ValueError:
        jobs = -1
    if jobs < 0:
        raise argparse.ArgumentTypeError(_("must be a whole number, 0 (one per CPU) or more, not {value}").format(value=repr(text)))
    return jobs


def _examples(text: str) -> int:
    """--examples N: a whole number, 1 or more."""
    try:
        n = int(text)
    except ValueError:
        n = 0
    if n < 1:
        raise argparse.ArgumentTypeError(f"must be a whole number, 1 or more, not {text!r}")
    return n


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="perfrules", description=_("Score budget-performance self-evaluations (预算绩效自评) by a region's scheme."))
    p.add_argument("--version", action="version", version=f"perfrules {__version__}",
                   help=_("show program's version number and exit"))  # argparse's default is not looked up
    p.add_argument("--lang", choices=i18n.LANGUAGES, help=_("the language of messages and help: zh or en (default: $PERFRULES_LANG, "
                                                            "else the locale; may stand anywhere on the line)"))
    sub = p.add_subparsers(dest="command", required=True)

    s = sub.add_parser("score", help=_("score an input (or a folder or glob of inputs) against a ruleset"))
    s.add_argument("ruleset", help=_("the scheme: a ruleset YAML file"))
    s.add_argument("input", help=_("the unit's self-evaluation: a .xlsx, .csv, .yaml or .json file; or a folder "
                                   "or a quoted glob ('in/*.xlsx') to score each and print one summary row per input"))
    s.add_argument("--format", choices=("table", "json"), default="table", help=_("output format on stdout (default: table)"))
    s.add_argument("--brief", action="store_true", help=_("table without the explanation lines"))
    s.add_argument("-o", "--output", help=_("write the scored input to this file instead, in the format its extension "
                                            "names: .xlsx, .csv, .json, .md, .html (batch: the summary; "
                                            "a batch's HTML is perfrules report)"))
    s.add_argument("--force", action="store_true", help=_("let -o replace a file that already exists (never an input)"))
    s.add_argument("-j", "--jobs", type=_jobs, default=1, metavar="N",
                   help=_("a folder or glob: score the inputs on N processes (0: one per CPU; default 1); "
                          "the summary is the same, in the same order"))
    _allow_dir(s, _score)

    r = sub.add_parser("report", help=_("score and audit a folder or glob of inputs and write one report (.html or .xlsx)"))
    r.add_argument("ruleset", help=_("the scheme: a ruleset YAML file"))
    r.add_argument("inputs", help=_("a folder or a quoted glob ('in/*.xlsx') of self-evaluations (or one file)"))
    r.add_argument("-o", "--output", required=True, help=_("the report: FILE.html (one self-contained page; charts "
                                                           "need perfrules[report]) or FILE.xlsx (Excel charts)"))
    r.add_argument("--force", action="store_true", help=_("let -o replace a file that already exists (never an input)"))
    r.add_argument("-j", "--jobs", type=_jobs, default=1, metavar="N",
                   help=_("audit the inputs on N processes (0: one per CPU; default 1)"))
    _allow_dir(r, _report)

    v = sub.add_parser("validate", help=_("check ruleset files; print FILE:LINE:COL: message for each problem"))
    v.add_argument("files", nargs="+", help=_("ruleset YAML files; a cases file or an input among them (known by its "
                                              "content) is checked against its own schema"))
    v.add_argument("-q", "--quiet", action="store_true", help=_("print problems only"))
    _allow_dir(v, _validate)

    e = sub.add_parser("explain", help=_("state a scheme in plain language (Markdown, in Chinese)"))
    e.add_argument("rulesets", nargs="+", help=_("ruleset YAML files"))
    e.add_argument("-o", "--output", help=_("write to this file (or, with several rulesets, this folder: <id>.md each)"))
    _allow_dir(e, _explain)

    d = sub.add_parser("diff", help=_("what differs between two schemes, after inheritance; exit 1 when they differ"))
    d.add_argument("a", help=_("the first ruleset"))
    d.add_argument("b", help=_("the second ruleset"))
    _allow_dir(d, _diff)

    j = sub.add_parser("schema", help=_("print the JSON Schema of rulesets, inputs or cases files (for editors): "
                                        "perfrules schema ruleset > ruleset.schema.json"))
    j.add_argument("which", nargs="?", choices=("ruleset", "input", "cases"), default="ruleset")
    j.set_defaults(run=_schema)

    a = sub.add_parser("audit", help=_("re-score an input and list where its own numbers do not hold together"))
    a.add_argument("ruleset", help=_("the scheme (or a checks ruleset such as checks/final-accounts)"))
    a.add_argument("input", help=_("the published self-evaluation: .yaml, .json, .xlsx or .csv"))
    a.add_argument("--format", choices=("table", "json", "xlsx"), default="table", help=_("output format (default: table)"))
    a.add_argument("-o", "--output", help=_("write to this file (.xlsx, .csv, .json, .md), findings included"))
    a.add_argument("--force", action="store_true", help=_("let -o replace a file that already exists (never an input)"))
    _allow_dir(a, _audit)

    n = sub.add_parser("need", help=_("what it takes: the least actual for full marks per indicator, and the fewest "
                                      "changes that reach a grade"))
    n.add_argument("ruleset", help=_("the scheme: a ruleset YAML file"))
    n.add_argument("input", help=_("the unit's self-evaluation: .yaml, .json, .xlsx or .csv"))
    n.add_argument("--grade", help=_("the grade to reach, as the scheme names it (default: the next grade up)"))
    n.add_argument("--format", choices=("table", "json"), default="table", help=_("output format (default: table)"))
    _allow_dir(n, _need)

    c = sub.add_parser("check", help=_("property-test schemes: generated inputs against the invariants"),
                       epilog=_("perfrules check A --against B: score inputs generated for both schemes (and built "
                                "at every threshold either names) by both; silent, exit 0, when they agree; exit 1 "
                                "with the first input where a total, a grade or an indicator's score differs (shrunk), "
                                "both explanations, and the indicators only one scheme lists"))
    c.add_argument("rulesets", nargs="+", help=_("ruleset YAML files (or shipped ids)"))
    c.add_argument("--against", metavar="B", help=_("another ruleset: instead of the invariants, find an input the "
                                                    "two score differently (none: silent, exit 0; one: exit 1); "
                                                    "--examples N inputs are drawn for both"))
    c.add_argument("--examples", type=_examples, default=100, metavar="N",
                   help=_("generated inputs per invariant (default 100)"))
    c.add_argument("--seed", type=int, help=_("random seed, to repeat a run"))
    _allow_dir(c, _check)

    r = sub.add_parser("draft", help=_("draft a ruleset from a scoring table's 评分标准 texts (.xlsx, .csv or Markdown)"))
    r.add_argument("table", help=_("the scheme's table: columns 一级指标, 指标名称 (or 三级指标), 分值, 评分标准"))
    r.add_argument("-o", "--output", required=True, help=_("the ruleset to write (.yaml)"))
    r.add_argument("--id", help=_("the ruleset's id (default: draft/<the table's file name>)"))
    r.add_argument("--name", help=_("the scheme's name (default: the table's file name)"))
    r.add_argument("--force", action="store_true", help=_("let -o replace a file that already exists (never the table)"))
    r.set_defaults(run=_draft)


    t = sub.add_parser("test", help=_("run the *.cases.yaml files beside rulesets"))
    t.add_argument("paths", nargs="*", help=_("cases files, rulesets or directories (default: rulesets/)"))
    _allow_dir(t, _test)
    return p


def main(argv: Sequence[str] | None = None) -> int:
    lang, rest = _lang(sys.argv[1:] if argv is None else argv)  # before the parser is built: its help is in that language
    with i18n.using(lang if lang in i18n.LANGUAGES else None), i18n.inherited(), i18n.argparse_words():
        if lang is not None and lang not in i18n.LANGUAGES:
            said = (_("invalid choice: %(value)r (choose from %(choices)s)") % {"value": lang, "choices": "zh, en"}
                    if lang else _("expected one argument"))
            parser().error(_("argument %(argument_name)s: %(message)s") % {"argument_name": "--lang", "message": said})
        return _main(rest)


def _lang(argv: Sequence[str]) -> tuple[str | None, list[str]]:
    """`--lang zh|en` (or `--lang=zh`) taken from anywhere before `--`, and the other arguments; the
    value as written ('' when none follows), None when there is no --lang."""
    rest = list(argv)
    end = rest.index("--") if "--" in rest else len(rest)
    for i, arg in enumerate(rest[:end]):
        if arg == "--lang" or arg.startswith("--lang="):
            value = arg.partition("=")[2] if "=" in arg else (rest[i + 1] if i + 1 < end else "")
            del rest[i:i + (1 if "=" in arg or i + 1 >= end else 2)]
            return value, rest
    return None, rest


def _main(argv: Sequence[str]) -> int:
    args = parser().parse_args(argv)
    bad = limits.check_environment()
    if bad is not None:  # a mistyped limit must not pass silently as the default
        print(_("perfrules: {problem} (see docs/limits.md)").format(problem=bad), file=sys.stderr)
        return 2
    wrong = i18n.environment_problem()  # nor a mistyped language as English
    if wrong is not None:
        print(_("perfrules: {problem} (see docs/cli.md)").format(problem=wrong), file=sys.stderr)
        return 2
    try:
        _standard_streams(args)
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
    except Exception as exc:  # noqa: BLE001 - the last resort: a defect of perfrules, never a traceback
        return _internal_error(exc)


def _internal_error(exc: BaseException) -> int:
    """A fault in perfrules itself (not in the file): say so in one line, exit 2.

    The tests and the fuzzer (tests/hostile/) hold the library to raising only PerfrulesError;
    this is the command's promise that a defect they missed still prints no traceback, quotes
    at most a short message, and exits 2 as any file it could not handle. PERFRULES_DEBUG=1
    prints the traceback for a bug report.
    """
    said = str(exc).replace("\n", " ")
    said = said if len(said) <= 200 else said[:200] + "…"
    print(_("perfrules: internal error ({error}); this is a defect of perfrules, not of your file: please report it "
            "with the command and the file (PERFRULES_DEBUG=1 prints the traceback)").format(error=f"{type(exc).__name__}: {said}"),
          file=sys.stderr)
    if os.environ.get("PERFRULES_DEBUG"):
        import traceback

        traceback.print_exception(exc)
    return 2


if __name__ == "__main__":
    sys.exit(main())
