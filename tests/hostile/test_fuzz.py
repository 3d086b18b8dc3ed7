"""The mutation fuzzer of issue 10: shipped rulesets and example inputs, mutated, must give a
PerfrulesError or a result with findings, never anything else.

Each case takes a shipped ruleset and an example input that goes with it, mutates one of
them (delete a key, change a value's type, put in an extreme number, unicode or a control
character, or edit the raw text) and runs load (which validates), evaluate, audit and the
renderers. A few hundred cases run in CI; set PERFRULES_FUZZ_EXAMPLES=5000 for thousands
(and PERFRULES_FUZZ_SEED to repeat a random run). Cases are derandomized unless a large run
is asked for, so that CI always runs the same ones.
"""

from __future__ import annotations

import difflib
import os
from decimal import Decimal
from typing import Any

import yaml
from hypothesis import HealthCheck, given, seed, settings
from hypothesis import strategies as st

import perfrules
from conftest import EXAMPLES, RULESETS
from perfrules.api import audit, evaluate
from perfrules.sources import read_document, yaml_text
from perfrules.errors import InputError, PerfrulesError
from perfrules.explain import explain
from perfrules.render import findings_table, table, to_json

PAIRS = [
    ("henan/zhengzhou-project-2021.yaml", "zhengzhou-project-2021.yaml"),
    ("hunan/department-2021.yaml", "zhuzhou-department-2021.yaml"),
    ("hunan/department-2021.yaml", "lusong-2021.yaml"),
    ("hunan/project-2021.yaml", "zhuzhou-project-2021.yaml"),
    ("national/project-2020.yaml", "zhuzhou-project-2021.yaml"),
    ("shanxi/yangquan-project-2024.yaml", "yangquan-project-2024.yaml"),
    ("checks/final-accounts.yaml", "yangquan-final-accounts-2024.yaml"),
]
TEXT = {name: (base / name).read_text(encoding="utf-8")
        for base, names in ((RULESETS, {p for p, _ in PAIRS}), (EXAMPLES, {i for _, i in PAIRS})) for name in names}
DATA = {name: yaml.safe_load(text) for name, text in TEXT.items()}

TOTAL = int(os.environ.get("PERFRULES_FUZZ_EXAMPLES", "0") or 0)
BIG = TOTAL > 0
EACH = max(1, TOTAL // 2) if BIG else 150  # two tests: mutated rulesets, mutated inputs
SEED = os.environ.get("PERFRULES_FUZZ_SEED")

# ---------------------------------------------------------------- what goes in

CONTROL = ["\x00", "\x07", "\x0b", "\x1b", "\x7f", "\u2028", "\ufeff", "\u202e", "\r"]
NUMBERS = ["1.0e+30", "1" * 28, "1" + "0" * 40, "1" * 4301, "-1", "0", "0.0", "-0.0", "1e-30", ".inf", ".nan",
           "0x1F", "0o17", "1_000", "1:30", "99999999999999.99", "999999999999999.9", "1" * 10000]
WORDS = ["", " ", "0-0%", "95%-90%", "0%-0%", "≥" + "1" + "0" * 40, "≤0", "=0", "0/0", "1/0", "—", "/", "null",
         "∞", "NaN", "已完成", "不适用", "2021年13月底前", "2021年2月30日", "=HYPERLINK(\"x\")", "@SUM(1)",
         "1" * 10000, "一" * 3000, "1" + "/1" * 500, "9**9**9", "10**100000", "floor(10**999999)",
         "+".join(["1"] * 700), "actual / 0", "(" * 300 + "1" + ")" * 300, "__import__('os')", "名称\n第二行",
         "<script>", "%", "％", "100%%", "1e309", "-"]
METHODS = [{"kind": "formula", "expr": e} for e in ("9**9**9", "actual ** 101", "floor(10**99) * 10**99", "weight * 10**14",
                                                     "actual / target / 0", "round(actual, 10**30)", "ceil(actual) ** 0.5",
                                                     "target ** -1", "min()", "max(actual)")]
METHODS += [{"kind": "range"}, {"kind": "higher_is_better"}, {"kind": "lower_is_better"}, {"kind": "deduct_per_step"},
            {"kind": "elements"}, {"kind": "levels"}, {"kind": "bands", "bands": []}, {"kind": "nonsense"}]


def scalars() -> st.SearchStrategy[Any]:
    return st.one_of(
        st.sampled_from(WORDS), st.sampled_from(CONTROL).map(lambda c: f"项目{c}名称"),
        st.integers(min_value=-10**20, max_value=10**20), st.sampled_from([10**27, 10**40, -10**30]),
        st.decimals(allow_nan=False, allow_infinity=False, places=4).map(lambda d: float(d)),
        st.floats(allow_nan=True, allow_infinity=True), st.booleans(), st.none(), st.text(max_size=40),
    )


def values() -> st.SearchStrategy[Any]:
    return st.one_of(
        scalars(), st.sampled_from(METHODS).map(_copy),  # a copy: a later mutation may change it
        st.lists(scalars(), max_size=4), st.dictionaries(st.text(max_size=8), scalars(), max_size=3),
        st.integers(min_value=1, max_value=150).map(lambda n: _nested(n)),
    )


def _nested(n: int) -> Any:
    out: Any = "底"
    for _ in range(n):
        out = [out]
    return out


# ---------------------------------------------------------------- how it is mutated

def paths(data: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    out = [prefix]
    if isinstance(data, dict):
        for k, v in data.items():
            out += paths(v, prefix + (k,))
    elif isinstance(data, list):
        for i, v in enumerate(data):
            out += paths(v, prefix + (i,))
    return out


def _copy(data: Any) -> Any:
    if isinstance(data, dict):
        return {k: _copy(v) for k, v in data.items()}
    if isinstance(data, list):
        return [_copy(v) for v in data]
    return data


def mutate_data(draw: st.DrawFn, data: Any) -> str:
    data = _copy(data)
    for _ in range(draw(st.integers(1, 3))):
        where = draw(st.sampled_from(paths(data)[1:]))
        parent = data
        for part in where[:-1]:
            parent = parent[part]
        last = where[-1]
        action = draw(st.sampled_from(["delete", "replace", "replace", "duplicate", "empty", "rename"]))
        if action == "delete":
            del parent[last]
        elif action == "replace":
            parent[last] = draw(values())
        elif action == "duplicate" and isinstance(parent, list):
            parent.insert(last, _copy(parent[last]))
        elif action == "empty":
            parent[last] = type(parent[last])() if isinstance(parent[last], (dict, list, str)) else None
        elif action == "rename" and isinstance(parent, dict):
            parent[draw(st.sampled_from(WORDS[:20]) | st.text(max_size=6))] = parent.pop(last)
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=10**6)


def mutate_text(draw: st.DrawFn, text: str) -> str:
    lines = text.splitlines(keepends=True)
    for _ in range(draw(st.integers(1, 3))):
        action = draw(st.sampled_from(["insert", "delete", "number", "line", "truncate", "swap", "alias"]))
        at = draw(st.integers(0, max(0, len(text) - 1)))
        if action == "insert":
            piece = draw(st.sampled_from(CONTROL + WORDS + NUMBERS + [":", "- ", "{", "[", "]", "}", "&a ", "*a", "!!python/object:os.system ", "<<: ", "\t", "'", '"', "\n  "]) | st.text(max_size=5))
            text = text[:at] + piece + text[at:]
        elif action == "delete":
            text = text[:at] + text[at + draw(st.integers(1, 40)):]
        elif action == "number":
            digits = [i for i, ch in enumerate(text) if ch.isdigit()]
            if digits:
                i = draw(st.sampled_from(digits))
                text = text[:i] + draw(st.sampled_from(NUMBERS)) + text[i + 1:]
        elif action == "line" and lines:
            i = draw(st.integers(0, len(lines) - 1))
            lines.insert(i, lines[i])
            text = "".join(lines)
        elif action == "truncate":
            text = text[:at]
        elif action == "swap" and len(lines) > 1:
            i, j = draw(st.integers(0, len(lines) - 1)), draw(st.integers(0, len(lines) - 1))
            lines[i], lines[j] = lines[j], lines[i]
            text = "".join(lines)
        elif action == "alias":
            bomb = 'x0: &x0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n' + "".join(
                f"x{i}: &x{i} [" + ",".join([f"*x{i - 1}"] * 9) + "]\n" for i in range(1, draw(st.integers(2, 9))))
            text = bomb + text
        lines = text.splitlines(keepends=True)
    return text


class Case:
    """A ruleset and an input, one of them mutated; shown as the diff of the mutated one."""

    def __init__(self, ruleset: str, ruleset_text: str, example: str, example_text: str, which: str, base: str = ""):
        self.ruleset, self.ruleset_text, self.which = ruleset, ruleset_text, which
        self.example, self.example_text = example, example_text
        self.base = base  # the text the mutated one is shown against

    def __repr__(self) -> str:
        name, text = (self.ruleset, self.ruleset_text) if self.which == "ruleset" else (self.example, self.example_text)
        diff = list(difflib.unified_diff((self.base or TEXT[name]).splitlines(), text.splitlines(), name, "mutated",
                                         lineterm="", n=0))
        shown = [line if len(line) < 300 else line[:300] + f"… ({len(line)} chars)" for line in diff[:40]]
        return f"Case({self.ruleset} with {self.example}, {self.which} mutated:\n" + "\n".join(shown) + ")"

    def _repr_pretty_(self, p: Any, cycle: bool) -> None:  # hypothesis prints with IPython's protocol
        p.text(repr(self))


@st.composite
def mutated(draw: st.DrawFn, which: str) -> Case:
    ruleset, example = draw(st.sampled_from(PAIRS))
    rtext, itext = TEXT[ruleset], TEXT[example]
    name = ruleset if which == "ruleset" else example
    raw = draw(st.booleans())
    how = mutate_text if raw else (lambda d, _: mutate_data(d, DATA[name]))
    if which == "ruleset":
        rtext = how(draw, rtext)
    else:
        itext = how(draw, itext)
    base = TEXT[name] if raw else yaml.safe_dump(DATA[name], allow_unicode=True, sort_keys=False, width=10**6)
    return Case(ruleset, rtext, example, itext, which, base)


# ---------------------------------------------------------------- what must hold

def exercise(case: Case) -> None:
    """load/validate, evaluate, audit and render: only PerfrulesError may come out."""
    rname, rtext, iname, itext = case.ruleset, case.ruleset_text, case.example, case.example_text
    try:
        scheme = perfrules.loads(rtext, str(RULESETS / rname))
    except PerfrulesError as exc:
        assert exc.problems and all(str(p) for p in exc.problems)
        return
    explain(scheme)
    try:
        record = read_document(yaml_text.loads(itext, str(EXAMPLES / iname), InputError))
    except PerfrulesError as exc:
        assert exc.problems and all(str(p) for p in exc.problems)
        return
    if scheme.categories:
        result = evaluate(scheme, record)
        table(result, scheme)
        to_json(result)
        assert_every_gap_said(result)
    result = audit(scheme, record)
    findings_table(result, scheme)
    to_json(result)


def assert_every_gap_said(result: Any) -> None:
    """Every score is a Decimal, and every applicable indicator left unscored has a finding: never a silent gap."""
    for ind in result.indicators:
        assert ind.score is None or isinstance(ind.score, Decimal)
        if ind.score is None and ind.applicable:
            assert ind.findings or any(f.indicator == ind.name for f in result.findings), f"{ind.name}: no finding"


def fuzz_settings(each: int) -> Any:
    """Hypothesis settings for a fuzz test of `each` cases: fixed in CI, random (or PERFRULES_FUZZ_SEED) when large."""
    def apply(f: Any) -> Any:
        f = settings(max_examples=each, deadline=None, derandomize=not BIG, database=None,
                     suppress_health_check=list(HealthCheck), print_blob=True)(f)
        return seed(int(SEED))(f) if SEED else f

    return apply


_settings = fuzz_settings(EACH)


@_settings
@given(st.data())
def test_mutated_rulesets_give_errors_or_findings_never_a_crash(data):
    exercise(data.draw(mutated("ruleset")))


@_settings
@given(st.data())
def test_mutated_inputs_give_errors_or_findings_never_a_crash(data):
    exercise(data.draw(mutated("input")))


def test_the_unmutated_pairs_score():
    for ruleset, example in PAIRS:
        exercise(Case(ruleset, TEXT[ruleset], example, TEXT[example], "input"))
