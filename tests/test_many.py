"""score_many: the same results as scheme.evaluate, in input order, streamed, in one process or several.

No timing here: benchmarks/many.py measures the speed.
"""

from __future__ import annotations

import itertools
import json
import pickle
import re
import sys
from pathlib import Path
from typing import Any, Iterator

import pytest

import perfrules
from perfrules import many
from perfrules.errors import InputError, PerfrulesError

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))

import generate  # noqa: E402

# each shipped scheme with the examples it scores (the seed tables and their spreadsheets)
PAIRS = {
    "rulesets/henan/zhengzhou-project-2021.yaml": ["examples/zhengzhou-project-2021.yaml",
                                                   "examples/zhengzhou-project-2021.xlsx"],
    "rulesets/hunan/department-2021.yaml": ["examples/zhuzhou-department-2021.yaml",
                                            "examples/zhuzhou-department-2021.xlsx"],
    "rulesets/hunan/project-2021.yaml": ["examples/zhuzhou-project-2021.yaml", "examples/zhuzhou-project-2021.xlsx"],
    "rulesets/shanxi/yangquan-project-2024.yaml": ["examples/yangquan-project-2024.yaml",
                                                   "examples/yangquan-project-2024.xlsx"],
    "rulesets/national/project-2020.yaml": ["examples/lusong-2021.yaml", "tests/data/provinces/anhui-project-2023.csv",
                                            "tests/data/provinces/hubei-project-2022.csv"],
}
CHECKS = ("rulesets/checks/final-accounts.yaml", "examples/yangquan-final-accounts-2024.yaml")  # audited, not scored
ZHENGZHOU = "rulesets/henan/zhengzhou-project-2021.yaml"


@pytest.fixture(scope="module")
def zhengzhou() -> perfrules.Scheme:
    return perfrules.load(ROOT / ZHENGZHOU)


def expected(scheme: perfrules.Scheme, data: Any) -> dict[str, Any]:
    return scheme.evaluate(data).to_dict()


@pytest.mark.parametrize("jobs", [1, 2])
def test_shipped_examples_score_as_evaluate_does(jobs):
    for ruleset, examples in PAIRS.items():
        scheme = perfrules.load(ROOT / ruleset)
        paths = [str(ROOT / e) for e in examples]
        outcomes = list(perfrules.score_many(scheme, paths, jobs=jobs))
        assert [o.index for o in outcomes] == list(range(len(paths)))
        assert [o.source for o in outcomes] == paths
        assert all(o.ok and o.error is None for o in outcomes), [o.error for o in outcomes]
        assert [o.result.to_dict() for o in outcomes] == [expected(scheme, p) for p in paths], ruleset


@pytest.mark.parametrize("name", ["zhengzhou", "hunan_department"])
def test_generated_inputs_score_as_evaluate_does_in_order(name):
    scheme = perfrules.load(ROOT / generate.SCHEMES[name][0])
    inputs = generate.inputs(name, 80, seed=13)
    want = [expected(scheme, d) for d in inputs]
    assert len({w["total"] for w in want}) > 10  # the inputs really differ
    for jobs in (1, 2):
        # a small chunk, so that several chunks are in flight and an order mix-up would show
        outcomes = list(perfrules.score_many(scheme, iter(inputs), jobs=jobs, chunk=7))
        assert [o.index for o in outcomes] == list(range(80))
        assert all(o.source is None for o in outcomes)
        assert [o.result.to_dict() for o in outcomes] == want, jobs


def test_records_mappings_and_paths_mix(zhengzhou):
    from perfrules import sources

    path = str(ROOT / "examples/zhengzhou-project-2021.yaml")
    mapping = generate.inputs("zhengzhou", 1, seed=2)[0]
    items = [sources.read(path), mapping, path]
    for jobs in (1, 2):
        outcomes = list(perfrules.score_many(zhengzhou, items, jobs=jobs))
        assert [o.result.to_dict() for o in outcomes] == [expected(zhengzhou, i) for i in items]


@pytest.mark.parametrize("jobs", [1, 2])
def test_an_input_that_fails_yields_its_error_and_the_rest_are_scored(zhengzhou, tmp_path, jobs):
    broken = tmp_path / "broken.yaml"
    broken.write_text("unit: 某单位\nindicators:\n  - name: [unclosed\n", encoding="utf-8")
    good = generate.inputs("zhengzhou", 3, seed=5)
    items = [good[0], str(broken), {"indicators": "not a list"}, good[1], str(tmp_path / "missing.yaml"), good[2]]
    outcomes = list(perfrules.score_many(zhengzhou, items, jobs=jobs, chunk=2))
    assert [o.index for o in outcomes] == list(range(6))
    assert [o.ok for o in outcomes] == [True, False, False, True, False, True]
    for i in (0, 3, 5):
        assert outcomes[i].result.to_dict() == expected(zhengzhou, items[i])
    for i in (1, 2, 4):
        with pytest.raises(PerfrulesError) as direct:
            zhengzhou.evaluate(items[i])
        error = outcomes[i].error
        assert outcomes[i].result is None
        # the same class and the same located problems, also when it came back from a worker process
        assert type(error) is type(direct.value)
        assert error.problems == direct.value.problems
        assert str(error) == str(direct.value)
    assert outcomes[1].source == str(broken)
    assert outcomes[1].error.problems[0].file == str(broken) and outcomes[1].error.problems[0].line is not None


def test_a_defect_on_one_input_is_that_inputs_error(zhengzhou, monkeypatch):
    real = perfrules.Scheme.evaluate

    def evaluate(self, data):
        if data in ({"boom": 1}, "boom.yaml"):
            raise ZeroDivisionError("a defect")
        return real(self, data)

    monkeypatch.setattr(perfrules.Scheme, "evaluate", evaluate)
    good = generate.inputs("zhengzhou", 1, seed=3)[0]
    outcomes = list(perfrules.score_many(zhengzhou, [good, {"boom": 1}, "boom.yaml", good]))
    assert [o.ok for o in outcomes] == [True, False, False, True]
    assert all(isinstance(o.error, InputError) for o in outcomes[1:3])
    assert str(outcomes[1].error) == ("<input>: perfrules failed on this input (ZeroDivisionError: a defect); "
                                      "the other inputs are scored: please report it")
    # a file in the words `perfrules score FOLDER` uses
    assert str(outcomes[2].error) == ("boom.yaml: perfrules failed on this file (ZeroDivisionError: a defect); "
                                      "the other files are scored: please report it")


def _endless(seed_inputs: list[dict[str, Any]], pulled: list[int]) -> Iterator[dict[str, Any]]:
    for i in itertools.count():
        pulled[0] += 1
        yield seed_inputs[i % len(seed_inputs)]


@pytest.mark.parametrize("jobs", [1, 2])
def test_an_endless_stream_gives_its_first_results(zhengzhou, jobs):
    seed_inputs = generate.inputs("zhengzhou", 4, seed=7)
    pulled = [0]
    stream = perfrules.score_many(zhengzhou, _endless(seed_inputs, pulled), jobs=jobs, chunk=5)
    first = list(itertools.islice(stream, 10))
    assert [o.index for o in first] == list(range(10))
    assert [o.result.to_dict() for o in first] == [expected(zhengzhou, seed_inputs[i % 4]) for i in range(10)]
    # bounded work in flight: never more than jobs × AHEAD chunks read ahead of the consumer
    assert pulled[0] <= 10 + jobs * many.AHEAD * 5
    stream.close()  # stops the workers


def test_nothing_is_read_before_the_first_result_is_asked_for(zhengzhou):
    pulled = [0]
    stream = perfrules.score_many(zhengzhou, _endless(generate.inputs("zhengzhou", 1), pulled), jobs=1)
    assert pulled[0] == 0
    next(stream)
    assert pulled[0] == 1


def test_jobs_zero_means_one_per_cpu_and_a_negative_count_is_refused(zhengzhou):
    data = generate.inputs("zhengzhou", 3, seed=11)
    assert [o.result.to_dict() for o in perfrules.score_many(zhengzhou, data, jobs=0)] == \
        [expected(zhengzhou, d) for d in data]
    with pytest.raises(ValueError, match="jobs"):
        perfrules.score_many(zhengzhou, data, jobs=-1)
    with pytest.raises(ValueError, match="chunk"):
        perfrules.score_many(zhengzhou, data, chunk=0)


def test_no_input_no_outcome(zhengzhou):
    assert list(perfrules.score_many(zhengzhou, [], jobs=2)) == []
    assert list(perfrules.score_many(zhengzhou, iter(()), jobs=1)) == []


@pytest.mark.parametrize("ruleset", sorted(PAIRS))
def test_a_pickled_scheme_scores_identically(ruleset):
    scheme = perfrules.load(ROOT / ruleset)
    copy = pickle.loads(pickle.dumps(scheme, protocol=pickle.HIGHEST_PROTOCOL))
    for example in PAIRS[ruleset]:
        assert copy.evaluate(ROOT / example).to_dict() == expected(scheme, ROOT / example)
        assert copy.audit(ROOT / example).to_dict() == scheme.audit(ROOT / example).to_dict()


def test_a_pickled_checks_scheme_audits_identically():
    scheme = perfrules.load(ROOT / CHECKS[0])
    copy = pickle.loads(pickle.dumps(scheme, protocol=pickle.HIGHEST_PROTOCOL))
    assert copy.audit(ROOT / CHECKS[1]).to_dict() == scheme.audit(ROOT / CHECKS[1]).to_dict()


def test_a_scheme_from_text_travels_too():
    scheme = perfrules.loads((ROOT / ZHENGZHOU).read_text(encoding="utf-8"), name="zz.yaml")
    data = generate.inputs("zhengzhou", 20, seed=17)
    outcomes = list(perfrules.score_many(scheme, data, jobs=2, chunk=3))
    assert [o.result.to_dict() for o in outcomes] == [expected(scheme, d) for d in data]


def test_score_many_is_public():
    assert "score_many" in perfrules.__all__


def test_the_readme_example_runs(monkeypatch, capsys):
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(r"^```python\n(.*?)^```", text, re.M | re.S)
    setup = next(b for b in blocks if "perfrules.load(" in b)
    example = next(b for b in blocks if "score_many" in b)
    monkeypatch.chdir(ROOT)
    exec(setup.split("\nresult.")[0] + "\n" + example, {})  # noqa: S102 - our own README, to check it runs
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "0 examples/zhengzhou-project-2021.yaml 100.00 优秀"
    assert lines[1] == "1 examples/zhengzhou-project-2021.xlsx 100.00 优秀"
    assert lines[2] == "2 missing.yaml error: missing.yaml: no such file"


# ---------------------------------------------------------------- perfrules score FOLDER --jobs N


@pytest.fixture
def mixed_folder(tmp_path):
    """Yangquan inputs with error findings, one unreadable file, two generated Zhengzhou tables as JSON."""
    folder = tmp_path / "in"
    folder.mkdir()
    for name in ("yangquan-project-2024.xlsx", "yangquan-project-2024.yaml"):
        (folder / name).write_bytes((ROOT / "examples" / name).read_bytes())
    (folder / "a-broken.yaml").write_text("unit: 某单位\nindicators:\n  - name: [unclosed\n", encoding="utf-8")
    for i, data in enumerate(generate.inputs("zhengzhou", 2, seed=19)):
        (folder / f"z{i}.json").write_text(json.dumps(data, ensure_ascii=False, default=str), encoding="utf-8")
    return folder


def run_cli(capsys, *args: str) -> tuple[int, str, str]:
    from perfrules.cli import main

    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize("fmt", ["table", "json"])
def test_score_folder_with_jobs_prints_what_one_process_prints(capsys, mixed_folder, tmp_path, fmt):
    ruleset = str(ROOT / "rulesets/shanxi/yangquan-project-2024.yaml")
    code1, out1, err1 = run_cli(capsys, "score", ruleset, str(mixed_folder), "--format", fmt,
                                "-o", str(tmp_path / "one.csv"))
    code2, out2, err2 = run_cli(capsys, "score", ruleset, str(mixed_folder), "--format", fmt, "--jobs", "2",
                                "-o", str(tmp_path / "two.csv"))
    assert code1 == code2 == 2  # one input could not be read
    assert out2 == out1
    assert (tmp_path / "two.csv").read_bytes() == (tmp_path / "one.csv").read_bytes()
    assert err1.split(" in ")[0] == err2.split(" in ")[0] == "scored 5 inputs"
    assert err1.split(" s: ")[1] == err2.split(" s: ")[1]
    if fmt == "json":
        files = [Path(d["file"]).name for d in json.loads(out2)]
        assert files == ["a-broken.yaml", "yangquan-project-2024.xlsx", "yangquan-project-2024.yaml", "z0.json",
                         "z1.json"]


def test_score_folder_with_jobs_exit_1_for_error_findings(capsys, tmp_path):
    for name in ("yangquan-project-2024.xlsx", "yangquan-project-2024.yaml"):
        (tmp_path / name).write_bytes((ROOT / "examples" / name).read_bytes())
    code, out, _ = run_cli(capsys, "score", str(ROOT / "rulesets/shanxi/yangquan-project-2024.yaml"), str(tmp_path),
                           "-j", "2", "--format", "json")
    assert code == 1
    assert [d["total"] for d in json.loads(out)] == ["87.50", "87.50"]


@pytest.mark.parametrize("bad", ["-1", "two", "1.5"])
def test_a_bad_jobs_count_is_a_usage_error(capsys, bad):
    with pytest.raises(SystemExit) as exit_:
        run_cli(capsys, "score", ZHENGZHOU, str(ROOT / "examples"), "--jobs", bad)
    assert exit_.value.code == 2
    assert "--jobs: must be a whole number" in capsys.readouterr().err


def test_the_benchmark_runs_and_checks_its_runs_agree(monkeypatch, capsys):
    """benchmarks/many.py on a few tables: it prints its table and both runs give the same results."""
    import runpy

    for args, said in ((["-n", "40"], "generated 40 distinct tables"), (["-n", "40", "--pool", "15"], "cycles"),
                       (["-n", "30", "--lazy", "--jobs", "2"], "inside the timing"),
                       (["-n", "30", "--worker-gc-default"], "as Python sets it")):
        monkeypatch.setattr(sys, "argv", ["many.py", *args])
        runpy.run_path(str(ROOT / "benchmarks" / "many.py"), run_name="__main__")
        out = capsys.readouterr().out
        assert said in out and "| 2 |" in out and ("| 1 |" in out) == ("--lazy" not in args)
        assert "every run: sum of totals" in out
        assert many.WORKER_GC is not None  # as it was


def test_jobs_zero_counts_the_cpus_this_process_may_use(monkeypatch):
    import os

    if hasattr(os, "sched_getaffinity"):
        monkeypatch.setattr(os, "sched_getaffinity", lambda pid: {0, 1, 2})
        assert many._cpus() == 3
    monkeypatch.delattr(os, "sched_getaffinity", raising=False)
    monkeypatch.setattr(os, "cpu_count", lambda: None)
    assert many._cpus() == 1


@pytest.mark.parametrize("name", ["zhengzhou", "hunan_department"])
def test_a_result_from_a_worker_holds_the_schemes_own_specs(name):
    """As from scheme.evaluate: an indicator's spec is the scheme's object, not a copy that came back."""
    scheme = perfrules.load(ROOT / generate.SCHEMES[name][0])
    own = {id(spec) for spec in many.specs(scheme)}
    data = generate.inputs(name, 5, seed=23)
    for jobs in (1, 2):
        for outcome in perfrules.score_many(scheme, data, jobs=jobs):
            held = [i.spec for i in outcome.result.indicators if i.spec is not None]
            assert held and all(id(spec) in own for spec in held), jobs


def test_a_spec_the_scheme_does_not_hold_travels_as_a_copy(zhengzhou):
    import dataclasses

    outcome = next(perfrules.score_many(zhengzhou, generate.inputs("zhengzhou", 1, seed=29)))
    first = outcome.result.indicators[0]
    stranger = dataclasses.replace(first.spec, where="elsewhere")
    result = dataclasses.replace(outcome.result, indicators=(dataclasses.replace(first, spec=stranger),))
    table = many.specs(zhengzhou)
    numbers = {id(spec): n for n, spec in enumerate(table)}
    back = many._Unpickler(many._dump([dataclasses.replace(outcome, result=result)], numbers), table).load()[0]
    assert back.result.indicators[0].spec == stranger and back.result.indicators[0].spec is not stranger
    own = many._Unpickler(many._dump([outcome], numbers), table).load()[0]
    assert all(a.spec is b.spec for a, b in zip(own.result.indicators, outcome.result.indicators))
    with pytest.raises(TypeError, match="_Unpickler"):
        pickle.loads(many._dump([outcome], numbers))


# ---------------------------------------------------------------- the wire form: what comes back is what evaluate gives

sys.path.insert(0, str(ROOT / "tests" / "hostile"))

import test_fuzz as fuzz  # noqa: E402  (its mutations of the shipped examples: the hostile inputs)
from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from perfrules.result import CategoryScore, Finding, IndicatorScore, Result  # noqa: E402
from perfrules.testing import inputs as drawn_inputs  # noqa: E402

SCHEMES = {name: perfrules.load(ROOT / ruleset) for name, ruleset in (
    ("zhengzhou", ZHENGZHOU), ("hunan_department", "rulesets/hunan/department-2021.yaml"),
    ("yangquan", "rulesets/shanxi/yangquan-project-2024.yaml"), ("national", "rulesets/national/project-2020.yaml"))}
HOSTILE = {"zhengzhou": "zhengzhou-project-2021.yaml", "hunan_department": "zhuzhou-department-2021.yaml",
           "yangquan": "yangquan-project-2024.yaml", "national": "lusong-2021.yaml"}
_few = settings(max_examples=40, deadline=None, derandomize=True, database=None,
                suppress_health_check=list(HealthCheck))


def assert_same(got: Outcome, want: Outcome) -> None:
    """One outcome as score_many gave it against the one scored in this process: equal results
    (explanations, findings, row numbers, directions), of exactly the same types, each spec the
    scheme's own object; or the same error class, problems (file, line, column, path) and text."""
    assert (got.index, got.source) == (want.index, want.source)
    if want.error is not None:
        assert got.result is None and type(got.error) is type(want.error)
        assert (got.error.problems, got.error.warnings, str(got.error)) == \
            (want.error.problems, want.error.warnings, str(want.error))
        return
    a, b = got.result, want.result
    assert got.error is None and type(a) is Result and a == b and a.to_dict() == b.to_dict()
    assert [type(c) for c in a.categories] == [CategoryScore] * len(b.categories)
    assert all(type(f) is Finding for f in a.findings + tuple(f for i in a.indicators for f in i.findings))
    for x, y in zip(a.indicators, b.indicators):
        assert type(x) is IndicatorScore and x == y and x.spec is y.spec and vars(x) == vars(y)
    assert [vars(c) for c in a.categories] == [vars(c) for c in b.categories]
    assert [vars(f) for f in a.findings] == [vars(f) for f in b.findings]


Outcome = many.Outcome


def across(scheme: perfrules.Scheme, outcomes: list[Outcome]) -> list[Outcome]:
    """Outcomes sent as a worker sends them and read back as the parent reads them (in this process)."""
    table = many.specs(scheme)
    numbers = {id(spec): n for n, spec in enumerate(table)}
    return [many._unpack(item) for item in many._Unpickler(many._dump([many._pack(o) for o in outcomes], numbers),
                                                            table).load()]


@pytest.mark.parametrize("name", sorted(SCHEMES))
def test_drawn_inputs_come_back_as_evaluate_and_audit_gave_them(name):
    scheme = SCHEMES[name]

    @_few
    @given(st.lists(drawn_inputs(scheme), min_size=1, max_size=6))
    def check(items):
        for audit in (False, True):
            want = [many._outcome(scheme, i, d, audit) for i, d in enumerate(items)]
            for got, w in zip(across(scheme, want), want, strict=True):
                assert_same(got, w)

    check()


@st.composite
def hostile(draw: st.DrawFn, name: str) -> str:
    """A shipped example of the scheme `name`, mutated by tests/hostile/test_fuzz.py, as YAML text."""
    example = HOSTILE[name]
    if draw(st.booleans()):
        return fuzz.mutate_text(draw, fuzz.TEXT[example])
    return fuzz.mutate_data(draw, fuzz.DATA[example])


@pytest.mark.parametrize("name", sorted(SCHEMES))
def test_hostile_inputs_come_back_with_the_same_results_and_located_errors(name, tmp_path_factory):
    scheme, folder = SCHEMES[name], tmp_path_factory.mktemp(name)

    @_few
    @given(st.lists(hostile(name), min_size=1, max_size=4))
    def check(texts):
        paths = []
        for i, text in enumerate(texts):
            path = folder / f"{i}.yaml"
            path.write_text(text, encoding="utf-8")
            paths.append(str(path))
        for audit in (False, True):
            want = [many._outcome(scheme, i, p, audit) for i, p in enumerate(paths)]
            for got, w in zip(across(scheme, want), want, strict=True):
                assert_same(got, w)

    check()


@pytest.mark.parametrize("name", ["zhengzhou", "yangquan"])
def test_worker_processes_give_what_evaluate_gives_on_drawn_and_hostile_inputs(name, tmp_path):
    """Through real worker processes (each with its own copy of the scheme): drawn inputs, and the
    hostile ones as files (results with error findings, errors located in their file)."""
    scheme = SCHEMES[name]
    items: list[Any] = []

    @settings(max_examples=30, deadline=None, derandomize=True, database=None, suppress_health_check=list(HealthCheck))
    @given(drawn_inputs(scheme), hostile(name))
    def collect(data, text):
        items.append(data)
        path = tmp_path / f"{len(items)}.yaml"
        path.write_text(text, encoding="utf-8")
        items.append(str(path))

    collect()
    want = [many._outcome(scheme, i, item) for i, item in enumerate(items)]
    assert any(w.error for w in want) and any(w.result and w.result.findings for w in want)
    for audit in (False, True):
        want = [many._outcome(scheme, i, item, audit) for i, item in enumerate(items)]
        got = list(perfrules.score_many(scheme, items, jobs=2, chunk=5, audit=audit))
        for g, w in zip(got, want, strict=True):
            assert_same(g, w)


class Note(Finding):
    """A subclass of Finding (perfrules makes none)."""


def test_a_subclass_of_a_results_types_travels_as_itself(zhengzhou):
    """The wire form is for the exact types; anything else is pickled as it always was."""
    import dataclasses

    outcome = next(perfrules.score_many(zhengzhou, generate.inputs("zhengzhou", 1, seed=31)))
    result = dataclasses.replace(outcome.result, findings=(Note("info", "x", "a note"),))
    back = across(zhengzhou, [dataclasses.replace(outcome, result=result)])[0]
    assert back.result == result and type(back.result.findings[0]) is Note


def test_the_wire_form_covers_every_field_in_the_constructors_order():
    """A field added to a result's types travels without a change here; the rebuilt object is
    the constructor's (its instance dict in field order)."""
    import dataclasses
    from decimal import Decimal

    finding = Finding("error", "c", "m", "i", "r", "x")
    score = IndicatorScore("n", "l1", None, Decimal("2.5"), Decimal(1), "m", "e", findings=(finding,), row=3)
    category = CategoryScore("l1", Decimal(10), Decimal(5))
    result = Result("s", Decimal(5), "良", (category,), (score,), (finding,), notes=("a",))
    for obj in (finding, score, category, result):
        names = [f.name for f in dataclasses.fields(obj)]
        build, values = many._REDUCE[type(obj)](obj)
        back = build(*values)
        assert type(back) is type(obj) and back == obj and list(vars(back)) == names == list(vars(obj))


def test_a_score_two_results_of_a_chunk_share_is_sent_and_rebuilt_once(zhengzhou):
    """The engine remembers indicator scores, so results share objects; the wire form keeps them one."""
    data = generate.inputs("zhengzhou", 2, seed=37)
    outcomes = [many._outcome(zhengzhou, i, d) for i, d in enumerate([data[0], data[1], data[0]])]
    shared = {id(i) for i in outcomes[0].result.indicators} & {id(i) for i in outcomes[2].result.indicators}
    assert len(shared) == 21  # the same input twice: every score remembered
    back = across(zhengzhou, outcomes)
    assert all(a is b for a, b in zip(back[0].result.indicators, back[2].result.indicators))
    assert [o.result for o in back] == [o.result for o in outcomes]


def _collector() -> tuple[tuple[int, int, int], int]:
    import gc

    return gc.get_threshold(), gc.get_freeze_count()


def test_a_worker_sets_its_own_collector_and_the_callers_is_left_alone(zhengzhou):
    """score_many's workers are its own processes: each freezes what it inherited and the scheme
    (never walked by a collection) and collects less often; the caller's process is not touched."""
    import gc
    import pickle
    from concurrent.futures import ProcessPoolExecutor

    before = gc.get_threshold(), gc.get_freeze_count()
    with ProcessPoolExecutor(max_workers=1, initializer=many._receive,
                             initargs=(pickle.dumps(zhengzhou),)) as pool:
        threshold, frozen = pool.submit(_collector).result()
    assert threshold == many.WORKER_GC and frozen > 0
    assert list(perfrules.score_many(zhengzhou, [ROOT / "examples" / "zhengzhou-project-2021.yaml"], jobs=2))[0].ok
    assert (gc.get_threshold(), gc.get_freeze_count()) == before


def test_an_explanation_nobody_read_crosses_as_its_parts_and_is_written_alike(zhengzhou):
    """The wire form sends an explanation as it is held (result.Later): the parent writes the
    same text when it is read, and an explanation already written crosses as its text."""
    from perfrules import engine

    data = generate.inputs("zhengzhou", 3, seed=37)
    engine._forget_scores()
    unread = [perfrules.score_many(zhengzhou, [d]).__next__() for d in data]
    assert any(type(vars(i)["explanation"]) is not str for o in unread for i in o.result.indicators)
    back = across(zhengzhou, unread)
    engine._forget_scores()
    fresh = [zhengzhou.evaluate(d) for d in data]
    assert [[i.explanation for i in o.result.indicators] for o in back] == [[i.explanation for i in r.indicators] for r in fresh]
    assert [[i.explanation for i in o.result.indicators] for o in unread] == [[i.explanation for i in o.result.indicators] for o in back]
    again = across(zhengzhou, unread)  # (now written: the text crosses)
    assert all(type(vars(i)["explanation"]) is str for o in again for i in o.result.indicators)
