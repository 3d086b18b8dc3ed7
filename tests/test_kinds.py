"""One kind, one place: every method kind declares all its parts in its own module, the
ruleset schema is assembled from them, and nothing else tests a kind's name."""

from __future__ import annotations

import functools
import json
import re
from decimal import Decimal
from pathlib import Path

import pytest
import yaml

import perfrules
from perfrules.cli import main
from perfrules.kinds import KINDS, Kind
from perfrules.kinds import assemble
from perfrules.kinds.base import Need
from test_docs import _worked, _wrap

ROOT = Path(__file__).resolve().parent.parent
REQUIRED = ("compile", "describe", "params", "generate", "docs")


@pytest.mark.parametrize("name", list(KINDS))
def test_every_kind_declares_every_part(name):
    kind = KINDS[name]
    missing = [part for part in REQUIRED if getattr(kind, part) is None]
    assert not missing, f"kind '{name}' lacks {', '.join(missing)} (see docs/adding-a-kind.md)"
    assert kind.example is not None, f"kind '{name}': its docs have no checked example (```yaml / # example)"
    assert callable(kind.score) and kind.score.__doc__, f"kind '{name}': its score function states its rule in a docstring"
    module = kind.score.__module__
    assert module == f"perfrules.kinds.{name}", f"kind '{name}' is declared in {module}, not in its own module"


def test_every_module_of_the_package_is_one_kind_of_its_name():
    import pkgutil

    import perfrules.kinds

    modules = {m.name for m in pkgutil.iter_modules(perfrules.kinds.__path__)} - set(perfrules.kinds.HELPERS)
    assert modules == set(KINDS)
    assert list(KINDS)[:len(perfrules.kinds.ORDER)] == list(perfrules.kinds.ORDER)


def test_a_kind_without_its_parts_is_caught():
    bare = Kind("bare", lambda p, x: None)  # type: ignore[arg-type,return-value]
    assert [part for part in REQUIRED if getattr(bare, part) is None] == list(REQUIRED)
    assert Kind("bare", bare.score, docs="no example here").example is None


@pytest.mark.parametrize("name", list(KINDS))
def test_every_kind_example_loads_and_scores_as_stated(name):
    block = KINDS[name].example
    assert block is not None
    assert re.search(rf"kind: {name}\b", block), f"the example of '{name}' does not use it"
    data = yaml.safe_load(block)
    text = yaml.safe_dump(_wrap(data), allow_unicode=True, sort_keys=False)
    scheme = perfrules.loads(text, str(ROOT / "rulesets" / f"kind-{name}.yaml"))
    worked = _worked(block, data)
    assert worked, f"the example of '{name}' has no worked line (# {{row}} → score)"
    for given, expected, rest in worked:
        result = scheme.evaluate(given)
        got = result.indicator(given["indicators"][0]["name"])
        if expected == "unscored":
            assert got.score is None, f"{name}: {given}: expected unscored, got {got.score} ({got.explanation})"
        else:
            assert got.score == Decimal(expected), f"{name}: {given}: expected {expected}, got {got.score} ({got.explanation})"
        wanted = set(re.findall(r"\(([a-z_0-9]+)\)", rest))
        assert wanted <= {f.code for f in result.findings}, f"{name}: {given}: expected findings {wanted}"


def test_the_ruleset_format_page_shows_every_kind_as_its_module_states_it():
    page = ROOT / "docs" / "ruleset-format.md"
    text = page.read_text(encoding="utf-8")
    assert assemble.DOCS_MARK in text
    assert assemble.ruleset_format(text) == text, \
        "docs/ruleset-format.md's method kinds differ from the kinds' `docs`: run `python -m perfrules.kinds.assemble`"


@pytest.mark.parametrize("name", list(KINDS))
def test_every_kind_says_what_a_generated_row_holds(name):
    kind = KINDS[name]
    assert kind.generate is not None and kind.example is not None
    data = yaml.safe_load(kind.example)
    indicators = data["indicators"] if isinstance(data, dict) else data
    raw = next((i["method"] for i in indicators if "method" in i), None) or \
        next(r["method"] for r in data.get("scoring", []) if r["method"]["kind"] == name)
    need = kind.generate(raw)
    assert need is None or isinstance(need, Need)
    assert (need is None) == kind.reads_funds, f"'{name}': a kind scored from the funds block needs no row, any other one"


def test_the_shipped_ruleset_schema_is_the_assembly():
    assembled = assemble.text()
    for path in (ROOT / "perfrules" / "schema" / "ruleset.schema.json", ROOT / "docs" / "schema" / "ruleset.schema.json"):
        assert path.read_text(encoding="utf-8") == assembled, \
            f"{path.relative_to(ROOT)} is not the assembled schema: run `python -m perfrules.kinds.assemble`"


def test_perfrules_schema_ruleset_prints_the_assembly(capsys):
    assert main(["schema", "ruleset"]) == 0
    assert json.loads(capsys.readouterr().out) == assemble.assemble()


def test_the_schema_offers_every_kind_and_only_its_keys():
    method = assemble.assemble()["$defs"]["method"]
    assert method["properties"]["kind"]["enum"] == list(KINDS) + [zh for kind in KINDS.values() for zh in kind.names]
    for branch in method["allOf"]:
        name = branch["if"]["properties"]["kind"]["enum"][0]
        keys = set(branch["then"]["properties"])
        assert keys == set(KINDS[name].params or {}) | {"kind", "note"}


# kind names that are also the names of keys (`elements:`, `levels:`, `bands:`, a band's `range:`)
KEY_WORDS = {"elements", "levels", "bands", "range"}
# kind names that are also target forms a scoring rule matches (`when: {target: compound}`)
TARGET_FORMS = {"range", "compound", "deadline", "qualitative"}


def test_the_base_schema_names_no_kind():
    text = (ROOT / "perfrules" / "schema" / "ruleset.base.json").read_text(encoding="utf-8")
    named = [name for name in KINDS if f'"const": "{name}"' in text or f'"{name}",' in text and name not in TARGET_FORMS]
    assert not named, f"ruleset.base.json names kinds {named}: their keys belong in their modules"


# ---------------------------------------------------------------- nothing else asks a kind's name

ASKERS = ["perfrules/engine.py", "perfrules/load.py", "perfrules/audit.py", *sorted(
    p.relative_to(ROOT).as_posix() for p in (ROOT / "perfrules" / "testing").glob("*.py"))]


@pytest.mark.parametrize("path", ASKERS)
def test_no_kind_name_branches_outside_the_kinds(path):
    text = (ROOT / path).read_text(encoding="utf-8")
    quoted = [name for name in KINDS if name not in KEY_WORDS and re.search(rf"""["']{name}["']""", text)]
    assert not quoted, f"{path} names kinds {quoted}: ask the kind (perfrules/kinds/base.py Kind) instead"
    for name in KEY_WORDS:
        assert not re.search(rf"""kind\s*(==|!=)\s*["']{name}["']""", text), f"{path} tests a method's kind by name"


def test_nothing_in_perfrules_imports_the_old_methods_package():
    users = [p.relative_to(ROOT).as_posix() for p in (ROOT / "perfrules").rglob("*.py")
             if "methods" not in p.parts and re.search(r"^\s*from\s+(perfrules|\.+)\s*\.?\s*methods\b|import perfrules\.methods",
                                                         p.read_text(encoding="utf-8"), re.M)]
    assert not users, f"these import perfrules.methods (deprecated) instead of perfrules.kinds: {users}"


def test_the_old_methods_name_still_works():
    import perfrules.methods

    assert perfrules.methods.METHODS is KINDS
    assert perfrules.methods.METHODS["higher_is_better"].fn is KINDS["higher_is_better"].score


def test_bind_gives_the_same_answer_as_score():
    scheme = perfrules.loads(yaml.safe_dump(_wrap(yaml.safe_load(KINDS["linear_deduction"].example)), allow_unicode=True))
    spec = scheme.categories[0].indicators[0].method
    assert spec is not None
    from perfrules.kinds import Inputs
    from perfrules.values import parse

    x = Inputs(name="x", weight=Decimal("2.22"), target=parse("100%"), actual=parse("97%"))
    kind = KINDS[spec.kind]
    assert kind.bind(spec.params)(x) == kind.score(spec.params, x)


def test_the_adding_a_kind_page_walks_through_pass_fail_as_it_is():
    page = (ROOT / "docs" / "adding-a-kind.md").read_text(encoding="utf-8")
    assert "perfrules/kinds/pass_fail.py" in page and "python -m perfrules.kinds.assemble" in page
    assert "(adding-a-kind.md)" in (ROOT / "docs" / "ruleset-format.md").read_text(encoding="utf-8")
    from perfrules.kinds.base import no_params

    kind = KINDS["pass_fail"]
    assert kind.compile is no_params and kind.params == {} and kind.generate is not None
    assert kind.generate({}) == Need("passed")
    assert kind.describe is not None and kind.describe(None, None) == "达到要求的，得满分；否则不得分"  # type: ignore[arg-type]
    assert 'return "达到要求的，得满分；否则不得分"' in page


@pytest.mark.parametrize("name", [n for n, k in KINDS.items() if k.params])
def test_a_misspelt_key_of_every_kind_gets_a_located_hint(name):
    key = next(iter(KINDS[name].params or {}))
    wrong = key[:-1] + key[-1] * 2  # shortfall -> shortfalll
    text = ("perfrules: 1\nid: t\nname: t\ngrades: [{grade: A, range: '[0, )'}]\n"
            "categories:\n  - name: c\n    points: 10\n    indicators:\n      - name: x\n        weight: 10\n"
            f"        method:\n          kind: {name}\n          {wrong}: 1\n")
    with pytest.raises(perfrules.RulesetError) as err:
        perfrules.loads(text, "r.yaml")
    shown = [str(p) for p in err.value.problems]
    expected = f"r.yaml:13:11: categories[0].indicators[0].method.{wrong}: unknown key '{wrong}' (did you mean '{key}'?)"
    assert expected in shown, shown


def test_a_new_kind_is_its_module_alone(monkeypatch):
    """A kind declared and registered as a module would, with the schema assembled again (what
    `python -m perfrules.kinds.assemble` writes): the loader, engine, explain, the schema and
    the property kit take it with no other change."""
    from perfrules import schemacheck
    from perfrules.explain import explain
    from perfrules.kinds import Scored, register
    from perfrules.kinds.base import KINDS as registry
    from perfrules.kinds.common import Measure, measure
    from perfrules.testing.generate import need

    def half_credit(p, x):
        """达到目标得满分，未达到得一半."""
        m = measure(x)
        if not isinstance(m, Measure):
            return m
        ok = m.actual >= m.target
        return Scored(share=Decimal(1) if ok else Decimal("0.5"), because="达到" if ok else "未达到，得一半",
                      expr="100%" if ok else "50%", met=ok)

    kind = Kind("half_credit", half_credit, lambda raw, c: raw.get("floor", "0.5"),
                lambda p, w: f"{w.terms.actual}达到{w.terms.target}的，得满分；否则得一半",
                params={"floor": {"type": "string"}}, generate=lambda raw: Need("actual"),
                docs="```yaml\n# example\n- {name: x, weight: 4, method: {kind: half_credit}}\n# {target: 10, actual: 9} → 2.00\n```\n")
    register(kind)
    try:
        assembled = json.loads(json.dumps(assemble.assemble()), parse_float=Decimal)
        validator = type(schemacheck._validator("ruleset"))(assembled)
        original, quick = schemacheck._validator, schemacheck.fast
        monkeypatch.setattr(schemacheck, "_validator", lambda name: validator if name == "ruleset" else original(name))
        monkeypatch.setattr(schemacheck, "fast", lambda name: None if name == "ruleset" else quick(name))
        assert "half_credit" in assemble.docs_sections()
        block = kind.example
        assert block is not None
        scheme = perfrules.loads(yaml.safe_dump(_wrap(yaml.safe_load(block)), allow_unicode=True), "new.yaml")
        for given, expected, _ in _worked(block, yaml.safe_load(block)):
            assert scheme.evaluate(given).indicator("x").score == Decimal(expected)
        assert "得满分；否则得一半" in explain(scheme)
        assert need(scheme.categories[0].indicators[0]) == Need("actual")
        with pytest.raises(perfrules.RulesetError, match="did you mean 'floor'"):
            perfrules.loads(yaml.safe_dump(_wrap([{"name": "x", "weight": 4, "method": {"kind": "half_credit", "flor": "1"}}]),
                                           allow_unicode=True), "new.yaml")
    finally:
        del registry["half_credit"]


@pytest.mark.parametrize("name", sorted(KINDS))
def test_a_kind_that_reads_the_funds_block_says_so(name: str) -> None:
    # the engine passes the funds block (and remembers scores by it) only where a kind declares uses_funds
    import inspect

    source = inspect.getsource(inspect.getmodule(KINDS[name].score))  # type: ignore[arg-type]
    if re.search(r"\.funds\b", source):
        assert KINDS[name].uses_funds, f"{name} reads x.funds but does not declare uses_funds=True"


@pytest.mark.parametrize("target, actual, score, severity", [
    ("6000", "100%", None, "error"),  # a count against a completion rate: 100% ÷ 6000% was scored 0.17
    ("6000", "95%", None, "error"),
    ("95", "97%", Decimal("10.00"), "warning"),  # 95 is 95%, as the column header means
    ("≥95", "90%", Decimal("9.47"), "warning"),
    ("≥95%", "90", Decimal("9.47"), "warning"),
    ("≥95%", "120", None, "error"),
    ("5%", "0", Decimal("0.00"), None),  # 0 is 0%: nothing of 5% done
    ("6000", "6000人次", Decimal("10.00"), None),
])
def test_a_bare_number_against_a_percentage_is_read_as_one_only_up_to_100(target, actual, score, severity):
    scheme = perfrules.load(Path(__file__).resolve().parent.parent / "rulesets" / "national" / "project-2020.yaml")
    row = {"name": "职业健康体检人次", "level1": "产出指标", "weight": 10, "target": target, "actual": actual}
    result = scheme.evaluate({"funds": {"budget": 1, "executed": 1}, "indicators": [row]})
    item = result.indicator("职业健康体检人次")
    assert item.score == score, item.explanation
    codes = {f.code: f.severity for f in item.findings}
    if severity is None:
        assert "unit_unstated" not in codes
    else:
        assert codes["unit_unstated"] == severity
    if score is None:
        assert "像是数量而不是百分数" in item.explanation


def test_zhengzhou_counts_6000_people_and_a_100_percent_actual_is_not_scored():
    scheme = perfrules.load(Path(__file__).resolve().parent.parent / "rulesets" / "henan" / "zhengzhou-project-2021.yaml")
    item = scheme.evaluate({"indicators": [{"name": "职业健康体检人次", "target": "6000", "actual": "100%"}]}) \
        .indicator("职业健康体检人次")
    assert item.score is None and item.findings[0].code == "unit_unstated"
    assert item.explanation == ("目标值6000没有单位，而业绩值100%是百分数：6000大于100，像是数量而不是百分数，"
                                "二者无法直接比较，未计分")


@pytest.mark.parametrize("name", sorted(KINDS))
def test_a_kind_that_scores_parts_says_so(name: str) -> None:
    # the engine gives Inputs.score_part only to a kind with scores_parts (None to every other)
    import inspect
    import sys

    source = inspect.getsource(sys.modules[KINDS[name].score.__module__])
    assert ("score_part" in source) == KINDS[name].scores_parts, name


# ---------------------------------------------------------------- a kind's plain case

@functools.lru_cache(maxsize=None)
def _plain_specs() -> list[tuple[str, object, object, object]]:
    """(where, spec, terms, rounding) for every method of a kind with a plain case: in every shipped
    ruleset, in the kinds' examples, and each again under a rounding with a `rate` stage."""
    from perfrules.errors import PerfrulesError

    schemes = []
    for path in sorted((ROOT / "rulesets").rglob("*.yaml")):
        try:
            schemes.append((path.name, perfrules.load(path)))
        except PerfrulesError:
            continue  # (a part of another ruleset, not one by itself)
    for name, kind in KINDS.items():
        for i, example in enumerate(kind.examples if kind.plain else []):
            schemes.append((f"{name} example {i}", perfrules.loads(yaml.safe_dump(_wrap(yaml.safe_load(example)), allow_unicode=True))))
            schemes.append((f"{name} example {i}, rate rounded", perfrules.loads(yaml.safe_dump(
                {**_wrap(yaml.safe_load(example)), "rounding": {"at": ["rate", "indicator"], "rate": {"places": 0}}},
                allow_unicode=True))))
    out = []
    for where, scheme in schemes:
        specs = [i.method for c in scheme.categories for i in c.indicators if i.method]
        specs += [r.method for c in scheme.categories for r in c.rules] + [r.method for r in scheme.scoring]
        out += [(where, s, scheme.terms, scheme.rounding) for s in specs if KINDS[s.kind].plain]
    return out


_NUMBERS = ["0", "1", "2.5", "50", "79.99", "80", "80.00", "90", "95", "100", "100.5", "130", "131", "160", "199.99",
            "200", "250", "1200", "3.5"]


def test_some_kinds_have_a_plain_case_and_each_answers_for_shipped_methods() -> None:
    from perfrules.kinds import Inputs
    from perfrules.kinds.common import plain_measure
    from perfrules.values import parse

    having = {n for n, k in KINDS.items() if k.plain}
    assert {"higher_is_better", "lower_is_better", "linear_deduction"} <= having
    answered = set()
    for where, spec, terms, rounding in _plain_specs():
        for unit in ("%", "", "人"):
            for actual in ("50", "100", "120"):
                x = Inputs(name="指标", weight=Decimal(3), target=parse("100" + unit), actual=parse(actual + unit),
                           terms=terms, rounding=rounding)
                m = plain_measure(x.target, x.actual, x.direction)
                if not where.startswith(tuple(KINDS)) and KINDS[spec.kind].plain(spec.params, m, x) is not None:
                    answered.add(spec.kind)
    assert answered == having  # (so the test below is not a test of nothing)


@pytest.mark.parametrize("where, spec, terms, rounding", _plain_specs(), ids=lambda v: v if isinstance(v, str) else "")
def test_a_kinds_plain_case_answers_as_its_score_function(where, spec, terms, rounding) -> None:
    """Kind.plain, where it answers, gives what `score` gives for the same plain numbers, the
    reason and the arithmetic's texts included (the engine asks it instead, without the Inputs)."""
    from hypothesis import given, settings
    from hypothesis import strategies as st

    from perfrules.kinds import Inputs
    from perfrules.kinds.common import plain_measure
    from perfrules.result import text
    from perfrules.values import parse

    kind = KINDS[spec.kind]

    @settings(max_examples=60, deadline=None, database=None)
    @given(op=st.sampled_from(["", "≥", ">", "≤", "<", "="]), target=st.sampled_from(_NUMBERS), actual=st.sampled_from(_NUMBERS),
           unit=st.sampled_from(["%", "人", "", "万元"]), direction=st.sampled_from(["higher", "lower", "equal"]),
           weight=st.sampled_from(["2.22", "3", "10"]), reason=st.sampled_from([None, "追加培训两期"]))
    def check(op, target, actual, unit, direction, weight, reason) -> None:
        x = Inputs(name="指标", weight=Decimal(weight), target=parse(op + target + unit), actual=parse(actual + unit),
                   direction=direction, deviation_reason=reason, terms=terms, rounding=rounding)
        m = plain_measure(x.target, x.actual, x.direction)
        assert m is not None
        got = kind.plain(spec.params, m, x)
        if got is None:
            return
        want = kind.score(spec.params, x)
        assert got == want
        assert (text(got.because), got.expr and text(got.expr)) == (text(want.because), want.expr and text(want.expr))

    check()
