"""The caches and per-scheme plans that make evaluation fast give the answers the slow path gives (issue 13).

No timing here: benchmarks/ratio.py measures speed; these tests hold the answers.
"""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import perfrules
from perfrules import decimals, engine, schemacheck
from perfrules.result import CategoryScore, IndicatorScore
from perfrules.testing import inputs
from perfrules.values import key_of
from perfrules.decimals import ZERO, fmt

from conftest import RULESETS

FMT_CASES = ["0", "-0", "0.00", "-0.00", "1.50", "1.5", "-1.5", "0.3333333333", "1E+3", "-0.001", "2.625", "100"]


@pytest.mark.parametrize("places", [None, 0, 2])
@pytest.mark.parametrize("text", FMT_CASES)
def test_fmt_cached_equals_uncached(text: str, places: int | None) -> None:
    value = Decimal(text)
    expected = decimals._fmt(value, places)
    assert fmt(value, places) == expected
    assert fmt(value, places) == expected  # the second answer comes from the cache


@given(st.decimals(allow_nan=False, allow_infinity=True) | st.builds(
    lambda digits, exponent: Decimal(digits).scaleb(exponent), st.integers(-10**30, 10**30), st.integers(-14, 10)))
def test_fmt_read_off_the_text_is_fmt_worked_out(value: Decimal) -> None:
    # fmt reads a number of at most 6 places without an exponent off its own text; _fmt quantizes
    def answer(f: object) -> object:
        try:
            return f()  # type: ignore[operator]
        except ArithmeticError as e:  # past WIDE's digits both refuse alike
            return type(e)

    assert answer(lambda: fmt(value)) == answer(lambda: decimals._fmt(value, None))


def test_fmt_keeps_the_sign_of_zero_whatever_was_cached_before() -> None:
    # 0 and -0 are equal decimals with one hash: a cache by value would mix them up
    assert fmt(Decimal("0")) == "0" and fmt(Decimal("-0")) == "-0" and fmt(Decimal("0")) == "0"
    assert fmt(Decimal("-0.00"), 2) == "-0.00" and fmt(Decimal("0.00"), 2) == "0.00"


def test_fmt_of_equal_values_written_differently_is_the_same() -> None:
    assert fmt(Decimal("1.5")) == fmt(Decimal("1.50")) == "1.5"
    assert fmt(Decimal("1.50"), 2) == fmt(Decimal("1.5"), 2) == "1.50"


@given(st.decimals(allow_nan=True, allow_infinity=True).filter(lambda d: not d.is_snan()) | st.builds(
    lambda digits, exponent: Decimal(digits).scaleb(exponent), st.integers(-10**24, 10**24), st.integers(-40, 100)))
def test_is_long_says_whether_fmt_cuts_the_value(value: Decimal) -> None:
    # is_long quantizes to 6 places and compares; it says what the normalized exponent says
    exponent = value.normalize(decimals.WIDE).as_tuple().exponent
    assert decimals.is_long(value) == (isinstance(exponent, int) and exponent < -6)


@pytest.mark.parametrize("mode", list(decimals.MODES))
@pytest.mark.parametrize("text", ["2.625", "-2.625", "2.615", "0.005", "1E+40", "-0", "7.935"])
def test_a_step_rounds_as_quantize_with_its_mode_would(mode: decimals.RoundingMode, text: str) -> None:
    step = decimals.Step(2, mode)
    value = Decimal(text)
    expected = value.quantize(Decimal("0.01"), rounding=decimals.MODES[mode], context=decimals.WIDE)
    assert step.round_settled(value) == expected and str(step.round_settled(value)) == str(expected)


def test_fmt_cache_stays_bounded() -> None:
    for i in range(decimals._FMT_MAX + 10):
        fmt(Decimal(i) / 7)
    assert len(decimals._FMT) <= decimals._FMT_MAX


def test_plan_is_made_once_per_scheme_and_dropped_with_it() -> None:
    scheme = perfrules.load(RULESETS / "henan" / "zhengzhou-project-2021.yaml")
    first = engine.plan(scheme)
    assert engine.plan(scheme) is first
    assert first.cost_keys == frozenset({key_of("成本指标")})
    key = id(scheme)
    del scheme, first  # no cycle holds a scheme: reference counting frees it here
    assert key not in engine._PLANS


@settings(max_examples=100, deadline=None)
@given(inputs(perfrules.load(RULESETS / "hunan" / "department-2021.yaml")))
def test_the_one_pass_input_check_takes_every_valid_generated_input(data: dict) -> None:
    # one function per object and array shape (schemacheck._object/_array): a valid input
    # never falls through to jsonschema, and the answer is jsonschema's
    assert not list(schemacheck._validator("input").iter_errors(data))
    assert schemacheck.fast("input")(data)


def test_one_of_by_class_only_where_the_alternatives_take_different_classes() -> None:
    # two alternatives both take a text: "x" satisfies both, so oneOf refuses it; the table must not be used
    overlapping = schemacheck._fast({"oneOf": [{"type": "string"}, {"type": ["string", "null"]}]})
    assert overlapping is not None and not overlapping("x") and overlapping(None)
    disjoint = schemacheck._fast({"oneOf": [{"type": "string"},
                                            {"type": "object", "required": ["value"], "properties": {"value": {"type": "string"}}}]})
    assert disjoint is not None
    assert disjoint("x") and disjoint({"value": "y"})
    assert not disjoint(1) and not disjoint({"value": 1}) and not disjoint({}) and not disjoint(True)


def test_exact_copy_by_class_gives_what_the_general_walk_gives() -> None:
    from collections import OrderedDict

    from perfrules.errors import InputError
    from perfrules.sources import mapping

    data = {"unit": "某局", 1: 2.22, "flag": True, "none": None,
            "indicators": [{"name": "x", "weight": 2.5, "actual": ("70%", 0.1)}],
            "funds": OrderedDict(budget=100, executed=Decimal("99.50"))}
    copied = mapping._exact(data)
    assert copied == {"unit": "某局", "1": Decimal("2.22"), "flag": True, "none": None,
                      "indicators": [{"name": "x", "weight": Decimal("2.5"), "actual": ["70%", Decimal("0.1")]}],
                      "funds": {"budget": 100, "executed": Decimal("99.50")}}
    assert type(copied["funds"]) is dict and copied["funds"]["executed"].as_tuple().exponent == -2
    with pytest.raises(InputError):
        mapping._exact({"indicators": [{"weight": float("nan")}]})


def test_a_remembered_rule_choice_scores_as_the_first_choice() -> None:
    scheme = perfrules.load(RULESETS / "hunan" / "department-2021.yaml")
    example = RULESETS.parent / "examples" / "zhuzhou-department-2021.yaml"
    first = scheme.evaluate(example)
    assert engine.plan(scheme).rules  # the open indicators' rule choices are remembered
    assert scheme.evaluate(example).to_dict() == first.to_dict()


@pytest.mark.parametrize("raw", [3, 0, -2, Decimal("2.50"), Decimal("0.1"), "2.5", "70%", "3万元", "/", "无"])
@pytest.mark.parametrize("share", [False, True])
def test_a_number_cell_given_as_a_number_reads_as_parse_reads_it(raw: object, share: bool) -> None:
    from perfrules.sources import mapping, yaml_text
    from perfrules.values import Number, parse

    reader = mapping._Reader(yaml_text.Document({}, "<test>"))
    got = reader.number(raw, ["weight"], share)
    value = parse(raw) if not mapping._nothing(raw) else None
    if isinstance(value, Number):
        expected = value.value / 100 if value.unit == "%" and share else value.value
        assert got == expected and str(got) == str(expected)
    else:
        assert got is None


# ---------------------------------------------------------------- remembered indicator scores

ZHENGZHOU = perfrules.load(RULESETS / "henan" / "zhengzhou-project-2021.yaml")


@settings(max_examples=150, deadline=None)
@given(inputs(ZHENGZHOU))
def test_a_remembered_indicator_score_is_the_score_a_fresh_scheme_gives(data: dict) -> None:
    # ZHENGZHOU has remembered the scores of every earlier example; a scheme loaded just now has none
    fresh = perfrules.load(RULESETS / "henan" / "zhengzhou-project-2021.yaml")
    warm = ZHENGZHOU.evaluate(data)
    cold = fresh.evaluate(data)
    assert warm == cold
    assert [i.explanation for i in warm.indicators] == [i.explanation for i in cold.indicators]
    assert [(i.row, i.findings) for i in warm.indicators] == [(i.row, i.findings) for i in cold.indicators]


HUNAN = perfrules.load(RULESETS / "hunan" / "department-2021.yaml")


@settings(max_examples=100, deadline=None)
@given(inputs(HUNAN))
def test_remembered_scores_follow_the_funds_where_a_method_reads_them(data: dict) -> None:
    # the funds differ from input to input; only the execution-rate row's score may depend on them
    fresh = perfrules.load(RULESETS / "hunan" / "department-2021.yaml")
    warm, cold = HUNAN.evaluate(data), fresh.evaluate(data)
    assert warm == cold
    assert [(i.explanation, i.row, i.findings) for i in warm.indicators] == \
        [(i.explanation, i.row, i.findings) for i in cold.indicators]


def test_an_equal_row_elsewhere_in_another_input_keeps_its_own_row_number() -> None:
    example = perfrules.sources.read(RULESETS.parent / "examples" / "zhengzhou-project-2021.yaml")
    scheme = perfrules.load(RULESETS / "henan" / "zhengzhou-project-2021.yaml")
    first = scheme.evaluate(example)
    moved = replace(example, rows=tuple(replace(r, index=len(example.rows) - 1 - r.index) for r in reversed(example.rows)))
    second = scheme.evaluate(moved)
    assert [i.row for i in second.indicators] == [len(example.rows) - 1 - i.row for i in first.indicators]
    assert [i.score for i in second.indicators] == [i.score for i in first.indicators]


def test_rows_that_differ_only_in_how_a_number_is_written_are_not_shared() -> None:
    # 1.5 and 1.50, 0 and -0 are equal decimals with one hash: a remembered score must not cross them
    scheme = perfrules.load(RULESETS / "national" / "project-2020.yaml")

    def first(weight: str, deduction: str) -> IndicatorScore:
        row = {"name": "宣传册发放数量", "level1": "产出指标", "weight": Decimal(weight), "target": "≥10个",
               "actual": "12个", "deduction": Decimal(deduction)}
        return scheme.evaluate({"indicators": [row]}).indicator("宣传册发放数量")

    one, again = first("1.5", "0.5"), first("1.50", "0.50")
    assert (str(one.weight), str(again.weight)) == ("1.5", "1.50")
    assert one.score == again.score == Decimal("1.00")
    fresh = perfrules.load(RULESETS / "national" / "project-2020.yaml")
    for weight, deduction in [("1.5", "0"), ("1.5", "-0"), ("1.50", "0.5")]:
        row = {"name": "宣传册发放数量", "level1": "产出指标", "weight": Decimal(weight), "target": "≥10个",
               "actual": "12个", "deduction": Decimal(deduction)}
        assert first(weight, deduction) == fresh.evaluate({"indicators": [row]}).indicator("宣传册发放数量")
        assert first(weight, deduction).explanation == fresh.evaluate({"indicators": [row]}).indicator("宣传册发放数量").explanation


def test_the_remembered_scores_stay_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(engine, "_SCORES_MAX", 50)
    monkeypatch.setattr(engine, "_PLANS", {})  # no other scheme in use: this one has the whole of it
    scheme = perfrules.load(RULESETS / "national" / "project-2020.yaml")
    for n in range(60):
        scheme.evaluate({"indicators": [{"name": "宣传册发放数量", "level1": "产出指标", "weight": 10,
                                         "target": "≥100个", "actual": f"{n}个"}]})
    known = engine.plan(scheme)
    assert 0 < len(known.scores) <= 50 and len(known.older_scores) <= 50


def test_schemes_in_use_share_the_remembered_scores(monkeypatch: pytest.MonkeyPatch) -> None:
    """However many schemes are in use, at most 2 × _SCORES_MAX scores are kept: each scheme's
    newer generation holds its share, and a scheme no longer in use gives its share back."""
    monkeypatch.setattr(engine, "_SCORES_MAX", 60)
    monkeypatch.setattr(engine, "_PLANS", {})
    schemes = [perfrules.load(RULESETS / "national" / "project-2020.yaml") for _ in range(3)]

    def score_many(scheme: perfrules.Scheme, start: int) -> None:
        for n in range(start, start + 100):
            scheme.evaluate({"indicators": [{"name": "宣传册发放数量", "level1": "产出指标", "weight": 10,
                                             "target": "≥100个", "actual": f"{n}个"}]})

    for scheme in schemes:
        score_many(scheme, 0)
        kept_now = sum(len(p.scores) + len(p.older_scores) for _ref, p in engine._PLANS.values())
        assert kept_now <= 2 * 60
    plans = [engine.plan(s) for s in schemes]
    assert all(len(p.scores) <= 20 and len(p.older_scores) <= 20 for p in plans) and len(plans[-1].scores) > 0
    kept = schemes[0]
    del schemes, plans, scheme
    import gc

    gc.collect()
    assert len(engine._PLANS) == 1  # the others are gone, and their shares with them
    score_many(kept, 100)
    assert len(engine.plan(kept).scores) > 20


def test_a_score_used_again_outlives_the_memo_filling(monkeypatch: pytest.MonkeyPatch) -> None:
    """The memo keeps two generations: when it fills, what was remembered becomes the older one,
    and a score used again from there is kept, while scores not used again fall away."""
    monkeypatch.setattr(engine, "_SCORES_MAX", 20)
    monkeypatch.setattr(engine, "_PLANS", {})  # no other scheme in use: this one has the whole of it
    scheme = perfrules.load(RULESETS / "national" / "project-2020.yaml")

    def table(actual: str) -> dict:
        return {"indicators": [{"name": "宣传册发放数量", "level1": "产出指标", "weight": 10,
                                "target": "≥100个", "actual": actual}]}

    first = scheme.evaluate(table("100个")).indicator("宣传册发放数量")
    calls = []
    real = engine._Evaluation._indicator
    monkeypatch.setattr(engine._Evaluation, "_indicator", lambda *a: calls.append(a[3]) or real(*a))
    for n in range(60):
        scheme.evaluate(table(f"{n}个"))
        if n % 15 == 0:
            assert scheme.evaluate(table("100个")).indicator("宣传册发放数量") is first  # used again: never scored again
    assert len(calls) == 60
    known = engine.plan(scheme)
    assert len(known.scores) <= 20 and len(known.older_scores) <= 20
    assert scheme.evaluate(table("0个")).indicator("宣传册发放数量").score == 0 and len(calls) == 61  # fell away


def test_the_doorkeeper_holds_a_fixed_size_and_starts_again() -> None:
    from perfrules import memo

    door = memo.Doorkeeper()
    assert not door.seen(("a", 1)) and door.seen(("a", 1))
    for i in range(memo.SLOTS):  # far more keys than a quarter of the slots
        door.seen(i)
    assert len(door._bits) == memo.SLOTS and door._set <= memo.SLOTS // 4
    door.clear()
    assert not door.seen(("a", 1))


@pytest.mark.parametrize("cls, required", [
    (perfrules.kinds.Inputs, {"name": "x", "weight": Decimal(2), "target": None, "actual": None}),
    (perfrules.record.Row, {"index": 3, "name": "x"}),
    (IndicatorScore, {"name": "x", "level1": "产出指标", "level2": None, "weight": Decimal(2), "score": None,
                      "method": "-", "explanation": "因为"}),
    (perfrules.result.Finding, {"severity": "warning", "code": "x", "message": "因为", "indicator": "预算执行率"}),
])
def test_made_from_a_dict_is_the_object_the_constructor_makes(cls: type, required: dict) -> None:
    from perfrules.frozen import defaults, make

    made = make(cls, {**defaults(cls), **required})
    built = cls(**required)
    assert made == built and repr(made) == repr(built) and hash(made.__class__) == hash(built.__class__)
    assert {f: getattr(made, f) for f in built.__dict__} == built.__dict__
    with pytest.raises(AttributeError):
        made.name = "y"  # still frozen


@pytest.mark.parametrize("cls, required", [
    (perfrules.kinds.Scored, {}),
    (perfrules.kinds.common.Measure, {"target": Decimal(95), "op": ">=", "actual": Decimal("97.5"), "unit": "%",
                                      "target_text": "≥95%", "actual_text": "97.5%"}),
])
def test_a_hand_written_init_sets_what_the_dataclass_would(cls: type, required: dict) -> None:
    """Scored and Measure set their dict at once (a frozen dataclass's own __init__ sets field by
    field): every field, in order, with the declared defaults, still frozen and compared by value."""
    import dataclasses

    names = [f.name for f in dataclasses.fields(cls)]
    assert set(required) <= set(names)
    made = cls(**required)
    assert list(made.__dict__) == names
    assert {n: getattr(made, n) for n in names} == {**perfrules.frozen.defaults(cls), **required}
    assert made == cls(**required) and hash(made) == hash(cls(**required))
    assert dataclasses.replace(made, findings=(None,)) == cls(**{**required, "findings": (None,)})
    with pytest.raises(dataclasses.FrozenInstanceError):
        made.findings = ()


def test_the_engine_sets_every_field_of_a_result_and_its_scores() -> None:
    """The engine builds these from dict literals: a field added later must be added there."""
    import dataclasses

    result = ZHENGZHOU.evaluate(RULESETS.parent / "examples" / "zhengzhou-project-2021.yaml")
    names = [f.name for f in dataclasses.fields(IndicatorScore)]
    assert result.indicators and all(list(vars(i)) == names for i in result.indicators)
    names = [f.name for f in dataclasses.fields(perfrules.result.CategoryScore)]
    assert result.categories and all(list(vars(c)) == names for c in result.categories)
    assert list(vars(result)) == [f.name for f in dataclasses.fields(perfrules.Result)]


def test_a_text_read_before_the_limits_changed_is_read_again_under_the_new_ones() -> None:
    from perfrules import limits
    from perfrules.values import Number, Unreadable, parse

    scheme = perfrules.load(RULESETS / "henan" / "zhengzhou-project-2021.yaml")
    row = {"name": "职业健康体检人次", "target": "6000", "actual": "12345678"}
    assert isinstance(parse("12345678"), Number)  # now in the parser's cache
    assert scheme.evaluate({"indicators": [row]}).indicator("职业健康体检人次").score == Decimal("10.00")
    with limits.override(max_number=1_000_000):
        assert isinstance(parse("12345678"), Unreadable)
        assert scheme.evaluate({"indicators": [row]}).indicator("职业健康体检人次").score is None
    assert isinstance(parse("12345678"), Number)
    assert scheme.evaluate({"indicators": [row]}).indicator("职业健康体检人次").score == Decimal("10.00")


# ---------------------------------------------------------------- reading rows

def test_a_row_keeps_its_numbers_as_written() -> None:
    # 1.5 and 1.50 are equal decimals with one hash: whatever the reader remembers (the parser caches
    # texts) must not hand one the other's writing
    from perfrules.sources import mapping

    def row(**cells: object) -> perfrules.record.Row:
        return mapping.from_mapping({"indicators": [{"name": "宣传册发放数量", **cells}]}).rows[0]

    assert str(row(weight=Decimal("1.5")).weight) == "1.5" and str(row(weight=Decimal("1.50")).weight) == "1.50"
    assert row(actual=1).actual.text == "1" and row(passed=True).passed is True and row(actual="1").actual.text == "1"
    assert row(actual="70%").actual != row(actual=Decimal("70")).actual


def test_a_row_with_a_problem_names_its_own_place_every_time() -> None:
    from perfrules.errors import InputError
    from perfrules.sources import mapping

    for index in (0, 2):
        rows = [{"name": f"指标{k}", "weight": "2"} for k in range(3)]
        rows[index] = {"name": "宣传册发放数量", "weight": "两分"}
        with pytest.raises(InputError, match=f"indicators\\[{index}\\]\\.weight: must be a number"):
            mapping.from_mapping({"indicators": rows})


@pytest.mark.parametrize("text", ["0", "-0", "0.000", "1", "999999999999999", "1000000000000000", "1E+15", "9.99E+14",
                                  "-1E+15", "1E-15", "1E-16", "9.9E-16", "0.000000000000001", "-0.0000000000000009",
                                  "123.456", "Infinity", "NaN"])
def test_the_quick_bound_check_answers_as_the_full_one(text: str) -> None:
    from perfrules import limits

    value = Decimal(text)
    quick = limits.number_problem(value)
    with limits.override(max_digits=limits.current().max_digits):  # other limits object: the full check
        full = limits.number_problem(value)
    assert quick == full
    if value.is_finite() and value == value.to_integral_value() and not value.is_signed():
        assert limits.number_problem(int(value)) == full


# ---------------------------------------------------------------- rows read before (sources.mapping._ROWS)

@settings(max_examples=150, deadline=None)
@given(inputs(ZHENGZHOU), inputs(HUNAN))
def test_a_row_read_before_is_the_row_read_afresh(one: dict, other: dict) -> None:
    # rows of both inputs mixed: some known from earlier examples, some new, at other places than before
    from perfrules.sources import mapping, yaml_text

    mixed = {**one, "indicators": one["indicators"] + other["indicators"][::2] + one["indicators"][:3]}
    for data in (one, mixed, other):
        remembered = mapping.from_mapping(data)
        afresh = mapping._read_whole(yaml_text.Document(mapping._exact(data), "<input>"))
        assert remembered == afresh
        assert [r.index for r in remembered.rows] == list(range(len(data["indicators"])))
        assert [repr(r) for r in remembered.rows] == [repr(r) for r in afresh.rows]


@pytest.mark.parametrize("one, other", [
    (1, True), (1, 1.0), (Decimal("1.0"), Decimal("1")), (Decimal("0"), Decimal("-0")), ("1", 1),
    (1.5, Decimal("1.5")), ([1, 2], [2, 1]), (["1"], [1]), ({"value": "1"}, {"value": 1}), (None, "")])
def test_rows_read_differently_have_different_keys(one: object, other: object) -> None:
    from perfrules.sources.mapping import row_key

    assert row_key({"name": "x", "actual": one}) != row_key({"name": "x", "actual": other})
    assert row_key({"name": "x", "actual": one}) == row_key({"name": "x", "actual": one})


@pytest.mark.parametrize("row", [
    {"name": "x", 1: "y"}, {"name": "x", "actual": [[1]]}, {"name": "x", "actual": ("a",)},
    {"name": "x", "values": {"a": {"b": 1}}}, {"name": type("S", (str,), {})("x")}, ["name", "x"]])
def test_a_row_of_an_unusual_shape_is_read_every_time(row: object) -> None:
    from perfrules.sources.mapping import row_key

    assert row_key(row) is None


def test_a_row_changed_by_replace_is_not_taken_for_the_row_it_was() -> None:
    from perfrules.sources import mapping

    read = mapping.from_mapping({"indicators": [{"name": "宣传册发放数量", "actual": "12个"}]}).rows[0]
    assert read.content is not None
    changed = replace(read, actual=perfrules.record.Cell("0个", read.actual.value))
    assert changed.content is None and changed == replace(read, actual=changed.actual)


def test_the_rows_read_before_are_forgotten_when_the_limits_change() -> None:
    from perfrules import limits
    from perfrules.errors import InputError
    from perfrules.sources import mapping

    row = {"name": "宣传册发放数量", "weight": 123456789}
    mapping.from_mapping({"indicators": [row, {"name": "其他"}]})
    with limits.override(max_number=1_000_000), pytest.raises(InputError, match="beyond the limit"):
        mapping.from_mapping({"indicators": [row, {"name": "另一个"}]})
    assert mapping.from_mapping({"indicators": [row, {"name": "另一个"}]}).rows[0].weight == 123456789


def test_a_row_read_again_outlives_the_rows_filling_and_the_rows_stay_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    """Rows read before are kept in two generations, as the engine's scores are: a row read again
    from the older one is kept, the others fall away, and at most twice _ROWS_MAX are held."""
    from perfrules.sources import mapping

    monkeypatch.setattr(mapping, "_ROWS_MAX", 20)
    mapping.forget_rows()

    def rows(*actuals: str) -> tuple:
        return mapping.from_mapping({"indicators": [{"name": "宣传册发放数量", "actual": a} for a in actuals]}).rows

    rows("555个", "556个")
    assert not mapping._ROWS  # read once: not kept (perfrules.memo)
    rows("100个", "1个")  # kept from the second time it is read
    first = rows("100个", "1个")[0]
    assert rows("100个", "1个")[0] is first
    for n in range(60):
        rows(f"{n}个", f"{n + 100}个")
        rows(f"{n}个", f"{n + 100}个")
        if n % 5 == 0:
            assert rows("100个", "x")[0] is first  # read again: never read anew
        assert len(mapping._ROWS) <= 20 and len(mapping._OLDER_ROWS) <= 20
    monkeypatch.setattr(mapping, "_ROWS_MAX", 0)
    mapping.forget_rows()
    assert rows("7个", "8个")[0] is not rows("7个", "8个")[0]  # 0: nothing is kept
    assert not mapping._ROWS and not mapping._OLDER_ROWS
    mapping.forget_rows()


def test_rows_that_differ_only_in_a_cell_the_row_does_not_keep_are_one_row() -> None:
    # a 备注 column makes every row of a sheet unique; the row and its score are the same
    from perfrules.sources import mapping

    one = {"name": "宣传册发放数量", "actual": "12个", "note": "见附件1"}
    other = {**one, "note": "见正文", "source": "正文", "review_score": 3}
    assert mapping.row_key(one) != mapping.row_key({**one, "note": 5})  # a note that is no text is read anew
    assert mapping.row_key(one) == mapping.row_key({**one, "note": "见正文"})
    assert mapping.row_key(other) != mapping.row_key({**other, "review_score": "3"})
    read = mapping.from_mapping({"indicators": [one, other]}).rows
    assert read[0] == mapping._read_whole(perfrules.sources.yaml_text.Document({"indicators": [one]}, "<input>")).rows[0]
    # whether the cell says nothing still counts: a row of '/' with a note is no placeholder
    blank = {"name": "/", "target": "/", "actual": "/", "note": "/"}
    noted = {**blank, "note": "本年度无此项"}
    assert mapping.row_key(blank) != mapping.row_key(noted)
    rows = mapping.from_mapping({"indicators": [blank, noted]}).rows
    assert [r.placeholder for r in rows] == [True, False]


def test_a_vocabulary_classifies_as_before_once_it_remembers_and_pickles_without_it() -> None:
    import pickle

    from perfrules.model import Vocabulary

    vocab = ZHENGZHOU.vocabulary
    texts = ["基本完成", "未完成", "已完成", "完成", "没有", "基本完成"]
    assert [vocab.classify(t) for t in texts] == [vocab._classify(t) for t in texts]
    assert "_classified" in vocab.__dict__
    back = pickle.loads(pickle.dumps(vocab))
    assert back == vocab and "_classified" not in back.__dict__
    assert back.classify("基本完成") == vocab.classify("基本完成") and Vocabulary().classify("完成") is None


MEASURE_TEXTS = ["95%", "≥95%", ">90%", "≤11.00", "<5", "=100家", "100", "6000", "5461人次", "0.95", "-3%", "-0", "0",
                 "97.54%", "745人", "3.5万", "750人", "750家", "≥80%", "不低于90%", "85%以上", "90%-95%", "合格", "全市10区6县市",
                 "放射诊疗场所检测=100家", "1,024.28", "480.06万元", "元/人", "12元/人", "12元/人/年", "≥12元/人", None]


@given(st.sampled_from(MEASURE_TEXTS), st.sampled_from(MEASURE_TEXTS), st.sampled_from(["higher", "lower", "equal"]),
       st.sampled_from(["zero", "as_written"]), st.sampled_from(["unscored", "fraction", "percent"]),
       st.sampled_from(["unscored", "bound"]))
def test_the_plain_measure_is_the_general_one(target: str | None, actual: str | None, direction: str,
                                             negative: str, bare: str, bound: str) -> None:
    # common.measure answers a number against a number in its unit at once: as _measure would
    from perfrules.kinds import Inputs, common
    from perfrules.model import Policies
    from perfrules.values import parse

    policies = replace(Policies(), bare_fraction=bare, bound_actual=bound)
    x = Inputs(name="n", weight=Decimal(3), target=parse(target), actual=parse(actual), direction=direction,
               policies=policies, negative_actual=negative)
    assert common.measure(x) == common._measure(x)


def test_inputs_whose_categories_come_to_the_same_sums_share_one_category_score(monkeypatch: pytest.MonkeyPatch) -> None:
    """A category's score is one object for every input that comes to the same sum with the same
    weights (results held together share it); a sum written otherwise (20.0, 20.00) is its own."""
    scheme = perfrules.load(RULESETS / "national" / "project-2020.yaml")

    def table(actual: str, weight: object = 10) -> dict:
        return {"indicators": [{"name": "宣传册发放数量", "level1": "产出指标", "weight": weight,
                                "target": "≥100个", "actual": actual}]}

    def output(result: perfrules.Result) -> CategoryScore:
        return next(c for c in result.categories if c.name == "产出指标")

    full, again, less = (scheme.evaluate(table(a)) for a in ("100个", "120个", "50个"))
    assert output(full) is output(again) and output(full) == output(fresh_scheme().evaluate(table("120个")))
    assert output(less) is not output(full) and output(less).score == Decimal("5.00")
    # equal weights written apart are categories apart: each keeps its own text
    one, other = scheme.evaluate(table("50个", Decimal("10.0"))), scheme.evaluate(table("50个", Decimal("10.00")))
    assert (str(output(one).indicator_weights), str(output(other).indicator_weights)) == ("10.0", "10.00")
    known = engine.plan(scheme)
    for ci, c in enumerate(scheme.categories):
        assert known.category_score(ci, c, Decimal("20.0"), ZERO) is known.category_score(ci, c, Decimal("20.0"), ZERO)
        assert str(known.category_score(ci, c, Decimal("20.00"), ZERO).score) == "20.00"
    monkeypatch.setattr(engine, "_RULES_MAX", 5)
    for n in range(40):
        scheme.evaluate(table(f"{n}个"))
    assert len(known._categories) <= 5  # sums without end: memory stays flat


def fresh_scheme() -> perfrules.Scheme:
    return perfrules.load(RULESETS / "national" / "project-2020.yaml")
