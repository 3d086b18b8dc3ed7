"""An input mapping read in one pass (sources.mapping._read_at_once) gives what the reference path
gives: the same Record, every Row field and repr, or the same error, worded and located alike.

The reference path copies the input (_exact), checks the copy against the input schema and reads
it (_Reader); `from_mapping` goes to it whenever the one pass gives up. No timing here:
benchmarks/reading.py measures it.
"""

from __future__ import annotations

import enum
import sys
from collections import OrderedDict
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

import perfrules
from perfrules import limits, schemacheck
from perfrules.errors import InputError
from perfrules.frozen import defaults, make
from perfrules.record import Cell, Funds, Record, Sourced
from perfrules.sources import mapping, yaml_text
from perfrules.testing import inputs

from conftest import ROOT, RULESETS

sys.path.insert(0, str(ROOT / "benchmarks"))

import generate  # noqa: E402

ZHENGZHOU = perfrules.load(RULESETS / "henan" / "zhengzhou-project-2021.yaml")
HUNAN = perfrules.load(RULESETS / "hunan" / "department-2021.yaml")


def reference(data: Any) -> Record | InputError:
    """The reference path alone: copy, schema check, _Reader (no row read before)."""
    try:
        return mapping._read_whole(yaml_text.Document(mapping._exact(data), "<input>"))
    except InputError as err:
        return err


def one_pass(data: Any) -> Record | None:
    """The one pass alone; None where it gives up."""
    try:
        return mapping._read_at_once(data, "<input>")
    except (mapping._Unusual, InputError):
        return None


def read(data: Any) -> Record | InputError:
    try:
        return mapping.from_mapping(data)
    except InputError as err:
        return err


def assert_same(got: Record | InputError, expected: Record | InputError) -> None:
    if isinstance(expected, InputError):
        assert isinstance(got, InputError), got
        assert got.problems == expected.problems and str(got) == str(expected)
        return
    assert isinstance(got, Record), got
    assert got == expected and repr(got) == repr(expected)
    assert [repr(r) for r in got.rows] == [repr(r) for r in expected.rows]
    assert [r.index for r in got.rows] == list(range(len(got.rows)))
    for row, again in zip(got.rows, expected.rows):
        assert {k: v for k, v in row.__dict__.items() if k != "content"} == again.__dict__


def assert_read_alike(data: Any) -> None:
    """from_mapping as the reference path reads it; the one pass never reads what that path refuses."""
    expected = reference(data)
    assert_same(read(data), expected)
    fast = one_pass(data)
    if isinstance(expected, InputError):
        assert fast is None
    elif fast is not None:
        assert_same(fast, expected)


@pytest.fixture(autouse=True)
def forget_rows() -> None:
    mapping.forget_rows()
    mapping._forget_cells()


# ---------------------------------------------------------------- valid inputs

@settings(max_examples=150, deadline=None)
@given(inputs(ZHENGZHOU), inputs(HUNAN))
def test_a_generated_input_is_read_in_one_pass_as_the_reference_path_reads_it(one: dict, other: dict) -> None:
    for data in (one, other):
        mapping.forget_rows()
        fast = one_pass(data)
        assert fast is not None  # a valid generated input never needs the reference path
        assert_same(fast, reference(data))
        assert [r.content for r in fast.rows] == [mapping.row_key(r) for r in data["indicators"]]


@settings(max_examples=100, deadline=None)
@given(inputs(ZHENGZHOU), inputs(HUNAN))
def test_rows_read_before_and_new_rows_together_read_as_the_reference_path_reads_them(one: dict, other: dict) -> None:
    # some rows known (_ROWS), some new, at other places than before: the memo and the one pass combine
    mixed = {**one, "indicators": one["indicators"] + other["indicators"][::2] + one["indicators"][:3]}
    for data in (one, mixed, other, mixed):
        assert_same(read(data), reference(data))


def test_every_key_the_schema_allows_in_a_row_is_read_in_one_pass() -> None:
    allowed, required = schemacheck.item_properties("input", "properties", "indicators")
    assert set(allowed) == set(mapping._ROW_FIELDS) and required == ("name",)
    assert set(mapping._row_steps()[0]) == set(allowed)
    assert schemacheck.properties("input") is not None


def test_a_full_row_and_a_whole_document_read_alike() -> None:
    row = {"name": " 宣传册 ", "level1": "产出指标", "level2": "数量指标", "level3": "x", "target": "≥1000册",
           "actual": [{"value": "1200册", "source": "正文"}, 1100], "weight": "5分", "elements": [3, 1],
           "review_actual": "=1200册", "review_elements": [], "review_level": "达成", "review_fraction": "70%",
           "reported_score": 4.5, "review_score": "4", "deviation_reason": None, "level": "达成", "fraction": 0.7,
           "occurrences": 2, "passed": False, "applicable": False, "deduction": "/", "direction": "lower",
           "values": {"a": "3万元", "b": "无", "c": 2.5}, "note": "n", "source": "附表"}
    data = {"$schema": "input.schema.json", "unit": "某单位", "project": "某项目", "year": "2021年度", "source": "s",
            "note": "n", "indicators": [row, {"name": "/", "target": "/", "actual": "-", "level1": "产出"},
                                         {"name": "其他", "actual": {"value": 3, "source": "表2"}}],
            "funds": {"budget": [{"value": "100", "source": "正文"}, "110"], "executed": 90.5, "initial_budget": None,
                      "adjusted_budget": {"value": "1,000"}, "reported_rate": "90%", "reported_score": 9, "unit": "万元"},
            "reported_total": ["92.5", {"value": 93, "source": "附件"}], "reported_grade": {"value": "优"},
            "reported_categories": {"产出指标（50分）": "45", "效益": None}, "figures": {"a": 1.5, "b": ["1", "2"]},
            "tables": {"t": [{"x": 1.25, "y": "a", "z": None}]},
            "claims": [{"text": "占比50%", "value": "50%", "share": ["a", "b"]}, {"text": "t", "value": 2, "equals": 2}]}
    assert one_pass(data) is not None
    assert_read_alike(data)
    record = mapping.from_mapping(data)
    assert record.rows[1].placeholder and not record.rows[0].placeholder
    assert record.tables["t"][0] == {"x": Decimal("1.25"), "y": "a", "z": None}
    assert record.tables["t"][0] is not data["tables"]["t"][0]  # a copy, as the reference path keeps


# ---------------------------------------------------------------- broken and unusual inputs

class Level(enum.IntEnum):
    ONE = 1


class Text(str):
    pass


ODD_VALUES: list[Any] = [
    True, False, None, "", " ", "/", "无", "两分", "70%", "3万元", "1e3", 0, -3, 10**15, 10**30, Decimal("1E+30"),
    Decimal("1E-30"), Decimal("NaN"), Decimal("-0"), Decimal("2.50"), 1.5, 0.1, -0.0, 1e-7, float("nan"), float("inf"),
    [], [1], [1, 1], [1, True], [True], ["1"], [1.0], [[1]], [[[[]]]], [{"value": "1"}], [{"value": 1.5, "source": "s"}],
    [{"value": None}], [{"source": "s"}], {}, {"value": "1"}, {"value": 1, "source": 2}, {"value": "1", "extra": 1},
    {"a": 1}, {"a": {"b": 1}}, {1: 2}, ("a",), (1, 2), Level.ONE, Text("x"), OrderedDict(value="1"), b"1",
    object(), {"a": 1.5}, {"a": [1]},
]


def _mutated(data: dict, where: int, key: Any, value: Any) -> dict:
    rows = [dict(r) for r in data["indicators"]]
    rows[where % len(rows)][key] = value
    return {**data, "indicators": rows}


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from([ZHENGZHOU, HUNAN]).flatmap(inputs), st.integers(0, 100),
       st.sampled_from(sorted(mapping._ROW_FIELDS) + ["unknown", "Name", 1]), st.sampled_from(ODD_VALUES))
def test_a_row_with_an_odd_cell_reads_as_the_reference_path_reads_it(data: dict, where: int, key: Any,
                                                                      value: Any) -> None:
    assert_read_alike(_mutated(data, where, key, value))


@pytest.mark.parametrize("key", sorted(mapping._ROW_FIELDS))
def test_every_key_of_a_row_with_every_odd_value(key: str) -> None:
    data = {"year": 2021, "indicators": [{"name": "宣传册发放数量", "target": "1000册", "actual": "1200册"},
                                          {"name": "其他", "weight": 2}]}
    for value in ODD_VALUES:
        assert_read_alike(_mutated(data, 0, key, value))
        assert_read_alike(_mutated(data, 1, key, value))


@pytest.mark.parametrize("row", [
    {"target": "1"}, {"name": ""}, {"name": None}, {"name": 1}, {"name": Text("x")}, [], "row", None, ("name", "x"),
    OrderedDict(name="x"), {"name": "x", 1: "y"}, {"name": "x", "actual": [[1]]}])
def test_a_row_of_an_odd_shape_reads_as_the_reference_path_reads_it(row: Any) -> None:
    assert_read_alike({"indicators": [{"name": "其他"}, row]})


@pytest.mark.parametrize("key", ["unit", "project", "year", "source", "note", "funds", "reported_total", "reported_grade",
                                 "reported_categories", "figures", "tables", "claims", "$schema", "unknown", 1])
def test_a_document_with_an_odd_value_reads_as_the_reference_path_reads_it(key: Any) -> None:
    for value in ODD_VALUES:
        assert_read_alike({"indicators": [{"name": "其他", "actual": "1"}], key: value})


@pytest.mark.parametrize("key", ["budget", "executed", "initial_budget", "reported_rate", "reported_score", "unit", "note",
                                 "unknown", 1])
def test_funds_and_figures_with_an_odd_entry_read_as_the_reference_path_reads_them(key: Any) -> None:
    # the commonest funds and figures are checked, copied and read in one step (_funds_as_is, _figures_at_once)
    for value in ODD_VALUES + [100, Decimal("1024.28"), "1,024.28", "564.49万元", 10**16, Decimal("1E+16")]:
        row = [{"name": "其他", "actual": "1"}]
        assert_read_alike({"indicators": row, "funds": {"budget": 100, key: value, "executed": Decimal("90.5")}})
        assert_read_alike({"indicators": row, "figures": {"预算安排": 1600000, key: value, "资金结余": Decimal("0.00")}})


@pytest.mark.parametrize("data", [
    None, [], "x", {}, {"indicators": None}, {"indicators": {}}, {"indicators": ()}, {"indicators": []},
    OrderedDict(indicators=[{"name": "x"}]), {"indicators": [{"name": "x"}], "year": "明年"},
    {"indicators": [{"name": "x"}], "claims": [{"text": "t", "value": "多", "equals": 1}]},
    {"indicators": [{"name": "x"}], "funds": {"budget": "很多"}},
    {"indicators": [{"name": "x"}], "funds": {"budget": {"value": "很多", "source": "s"}}},
    {"indicators": [{"name": "x"}], "reported_total": [{"value": "九十"}, "90"]},
    {"indicators": [{"name": "x"}], "reported_categories": {"产出": "四十五分半"}},
    {"indicators": [{"name": "x"}], "figures": {"a": "一些"}},
    {"indicators": [{"name": "x", "values": {"a": "一些"}}]},
])
def test_a_broken_document_is_worded_by_the_reference_path(data: Any) -> None:
    assert_read_alike(data)


def test_an_error_in_a_row_keeps_its_place_and_its_words() -> None:
    rows = [{"name": f"指标{k}", "weight": "2"} for k in range(3)] + [{"name": "宣传册", "weight": "两分"}]
    mapping.from_mapping({"indicators": rows[:3]})  # the first three known from before
    with pytest.raises(InputError) as err:
        mapping.from_mapping({"indicators": rows})
    assert str(err.value) == "<input>: indicators[3].weight: must be a number, not '两分'"


def test_a_number_beyond_the_limits_is_refused_as_the_copy_refuses_it() -> None:
    for value in (10**30, Decimal("1E-30"), [10**30], {"a": 10**30}, float("inf"), 1e300):
        data = {"indicators": [{"name": "x", "elements": [1], "values": {"a": 1}, "weight": 1}]}
        for key in ("weight", "elements", "values"):
            assert_read_alike(_mutated(data, 0, key, value))


def test_cells_read_before_are_forgotten_when_the_limits_change() -> None:
    text = "x" * 50
    data = {"indicators": [{"name": "x", "target": text, "actual": text}]}
    before = mapping.from_mapping(data).rows[0]
    assert mapping._TARGETS and mapping._ACTUALS
    with limits.override(max_cell_chars=10):
        mapping.forget_rows()
        assert mapping._TARGETS == {} and mapping._ACTUALS == {}
        under = mapping.from_mapping(data).rows[0]
        assert_same(mapping.from_mapping(data), reference(data))
    assert type(under.target.value) is not type(before.target.value)


def test_a_cell_read_before_is_the_cell_read_afresh() -> None:
    for text in ("100%", "=100%", "合理", "≥ 180家", "/", "", "=0件", "企业用人单位数≥180家、人数≥3.5万"):
        data = {"indicators": [{"name": "x", "target": text, "actual": text}]}
        for _ in range(2):
            mapping.forget_rows()
            assert_same(read(data), reference(data))


def test_the_cells_read_before_stay_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(mapping, "_CELLS_MAX", 5)
    for k in range(20):
        data = {"indicators": [{"name": "x", "target": f"{k}人", "actual": f"{k}个"}]}
        assert_same(read(data), reference(data))
        assert len(mapping._TARGETS) <= 5 and len(mapping._ACTUALS) <= 5


# ---------------------------------------------------------------- the pieces

@pytest.mark.parametrize("value, valid", [
    ([1, 2], True), ([], True), ([1, 1], False), ([1, True], False), ([True], False), ([1.0], False),
    ([Decimal(1)], False), (["1"], False), ((1,), False), ([Level.ONE], False)])
def test_the_one_pass_list_check_of_distinct_whole_numbers(value: Any, valid: bool) -> None:
    check = schemacheck._fast({"type": "array", "items": {"type": "integer"}, "uniqueItems": True})
    assert check is not None and check(value) is valid
    by_keyword = [schemacheck._keyword({}, k, v) for k, v in (("type", "array"), ("items", {"type": "integer"}),
                                                               ("uniqueItems", True))]
    assert all(c is not None and c(value) for c in by_keyword) is valid


@pytest.mark.parametrize("cls, values", [
    (Cell, {"text": "1", "value": None, "source": None}), (Sourced, {"value": None, "text": "1", "source": "s"}),
    (Funds, {"budget": Decimal(1)}), (Record, {"rows": (), "unit": "u", "year": 2021})])
def test_made_from_a_dict_is_the_object_the_constructor_makes(cls: type, values: dict) -> None:
    made = make(cls, {**defaults(cls), **values})
    built = cls(**values)
    assert made == built and repr(made) == repr(built) and made.__dict__ == built.__dict__


def test_a_row_made_on_its_own_dict_is_the_row_the_constructor_makes() -> None:
    from perfrules.record import Row

    fields = {**defaults(Row), "index": 3, "name": "x", "weight": Decimal("1.50")}
    made = mapping._row_of(dict(fields))
    built = Row(**{k: v for k, v in fields.items()})
    assert made == built and repr(made) == repr(built) and made.__dict__ == built.__dict__ and hash(type(made))
    with pytest.raises(AttributeError):
        made.name = "y"  # type: ignore[misc]  # still frozen


@pytest.mark.parametrize("key", ["review_score", "note", "source", "level3"])
def test_a_row_read_before_does_not_pass_a_bad_cell_the_row_does_not_keep(key: str) -> None:
    # the memo keys such a cell by its class and whether it says nothing: a number past the limits,
    # inf or nan must still be the copy's error, not the row read before
    for good, bad in ((0, 10**30), (Decimal("1"), Decimal("1E+30")), (Decimal("1"), Decimal("NaN")), (1.5, float("inf")),
                      (1.5, float("nan")), (1.5, 1e300), ("x", 1)):
        mapping.forget_rows()
        first = {"indicators": [{"name": "宣传册", key: good}]}
        assert_same(read(first), reference(first))
        then = {"indicators": [{"name": "宣传册", key: bad}]}
        assert_same(read(then), reference(then))


# ---------------------------------------------------------------- the key of a row read before

def reference_row_key(raw: Any) -> tuple[Any, ...] | None:
    """row_key as it was before its one loop (c0f7e20): the pairs, each number as its class and text.
    Its equality classes are the ones docs/interpretations.md states; the key may be built otherwise."""
    if type(raw) is not dict or not set(map(type, raw)) <= {str}:
        return None
    out: list[tuple[str, Any]] = []
    for k, v in raw.items():
        kind = type(v)
        if k in mapping._UNREAD:
            out.append((k, (kind, v is None or mapping._nothing(v), mapping._copied_as_is(v, kind))))
        elif kind is str or v is None:
            out.append((k, v))
        else:
            got = mapping._sequence(v) if kind is list else mapping._pairs(v) if kind is dict else mapping._scalar(v, kind)
            if got is None:
                return None
            out.append((k, got))
    return tuple(out)


def assert_keyed_alike(one: Any, other: Any) -> None:
    """row_key holds two rows equal exactly when the reference key does, and has one exactly when it has."""
    for row in (one, other):
        assert (mapping.row_key(row) is None) is (reference_row_key(row) is None), row
    if reference_row_key(one) is not None and reference_row_key(other) is not None:
        assert (mapping.row_key(one) == mapping.row_key(other)) is (reference_row_key(one) == reference_row_key(other))
        if mapping.row_key(one) == mapping.row_key(other):
            assert hash(mapping.row_key(one)) == hash(mapping.row_key(other))


CLOSE_VALUES: list[Any] = ODD_VALUES + [1, 1.0, Decimal("1"), Decimal("1.0"), "1", Decimal("0"), 0.0, 2, [1, 2], [2, 1],
                                        [Decimal("1")], ["1", "2"], {"value": 1}, {"value": True}, {"value": Decimal(1)},
                                        [{"value": "1"}, None], [None], (1,), "", None, Decimal, list, int]


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from([ZHENGZHOU, HUNAN]).flatmap(inputs), st.integers(0, 100),
       st.sampled_from(sorted(mapping._ROW_FIELDS) + ["unknown", 1]), st.sampled_from(CLOSE_VALUES),
       st.sampled_from(CLOSE_VALUES), st.sampled_from(sorted(mapping._ROW_FIELDS)))
def test_a_row_key_is_equal_exactly_when_the_reference_key_is(data: dict, where: int, key: Any, value: Any,
                                                               other: Any, second: str) -> None:
    rows = data["indicators"]
    row = rows[where % len(rows)]
    changed = _mutated(data, where, key, value)["indicators"][where % len(rows)]
    again = _mutated(data, where, key, other)["indicators"][where % len(rows)]
    both = {**again, second: value}
    for one, two in ((row, changed), (changed, again), (again, both), (row, rows[(where + 1) % len(rows)]),
                     (changed, {k: changed[k] for k in reversed(list(changed))})):
        assert_keyed_alike(one, two)


@pytest.mark.parametrize("key", ["actual", "weight", "elements", "values", "note", "review_score", "unknown"])
def test_every_two_cells_key_alike_by_both_keys(key: str) -> None:
    base = {"name": "宣传册", "target": "≥1000册", "reported_score": Decimal("2.22")}
    cells = CLOSE_VALUES + [[x] for x in CLOSE_VALUES] + [{"value": x} for x in CLOSE_VALUES]
    for one in cells:
        for other in cells:
            assert_keyed_alike({**base, key: one}, {**base, key: other})
            assert_keyed_alike({key: one, **base}, {**base, key: other})


def test_the_generated_rows_key_alike_by_both_keys() -> None:
    # benchmarks/generate.py's inputs, as benchmarks/read_instructions.py reads them: many rows alike
    rows = [r for scheme in generate.SCHEMES for d in generate.inputs(scheme, 200, seed=3) for r in d["indicators"]]
    keys = [mapping.row_key(r) for r in rows]
    classes: dict[Any, set[Any]] = {}
    for key, row in zip(keys, rows):
        classes.setdefault(key, set()).add(reference_row_key(row))
    assert all(len(c) == 1 for c in classes.values())  # one new key, one old key
    assert len(classes) == len({reference_row_key(r) for r in rows})


# ---------------------------------------------------------------- numbers within the limits without the call

NUMBERS: list[Any] = [0, 1, -1, 10**15 - 1, 10**15, -(10**15), 10**15 + 1, 999_999, 1_000_000, 10**40, Decimal("0"),
                      Decimal("-0"), Decimal("1E-15"), Decimal("9.99E-16"), Decimal("1E+15"), Decimal("999999999999999.9"),
                      Decimal("0.5"), Decimal("1E-6"), Decimal("1E-7"), Decimal("999999"), Decimal("1000000"),
                      Decimal("NaN"), Decimal("Infinity"), Decimal("-Infinity"), Decimal("sNaN"), Decimal("12345.5"),
                      Decimal("12346"), Decimal("-12345.49"), Decimal("0.0000810"), Decimal("8.1E-5"), Decimal("1E+1000000"),
                      10**100 - 1, 10**100, -(10**150), 10**250, Decimal("1E+150")]


@pytest.mark.parametrize("bounds", [{}, {"max_number": 1_000_000}, {"max_number": Decimal("12345.5")},
                                    {"max_number": Decimal("0.5")}, {"max_number": 10}, {"max_digits": 3},
                                    {"max_number": Decimal("1E+45")}])
def test_a_number_is_within_the_limits_exactly_when_number_problem_says_so(bounds: dict) -> None:
    with limits.override(**bounds):
        for n in NUMBERS:
            assert mapping._within(n) is (limits.number_problem(n) is None), n
        for n in NUMBERS:
            if type(n) is int:
                assert mapping._numbers_within_limits([0, n]) is (limits.number_problem(n) is None), n
    assert mapping._within(10**15 - 1) and not mapping._within(10**15)  # the bounds are back


@settings(max_examples=300, deadline=None)
@given(st.integers(-(10**17), 10**17) | st.decimals(allow_nan=True, allow_infinity=True)
       | st.builds(lambda m, e: Decimal(f"{m}E{e}"), st.integers(-(10**20), 10**20), st.integers(-40, 40)))
def test_a_drawn_number_is_within_the_limits_exactly_when_number_problem_says_so(n: Any) -> None:
    assert mapping._within(n) is (limits.number_problem(n) is None)


def test_the_classes_a_row_key_takes_whatever_they_hold_are_the_schema_s() -> None:
    allowed, _ = schemacheck.item_properties("input", "properties", "indicators")
    samples = {str: ["", "x", " "], int: [0, -1, 10**20], Decimal: [Decimal("NaN"), Decimal("-0"), Decimal("1E+40")],
               type(None): [None], bool: [True, False], list: [[], [1], ["a"]], dict: [{}, {"a": 1}]}
    for key, p in allowed.items():
        for kind in p.decided:
            assert all(p.check(v) for v in samples[kind]), (key, kind)
        if p.classes is not None:
            assert p.decided == p.classes
    assert allowed["actual"].decided == frozenset({str, int, Decimal, type(None)})
    assert allowed["name"].decided == frozenset() and allowed["elements"].decided == frozenset()


# ---------------------------------------------------------------- plain numbers read by their digits

PLAIN_TEXTS = ["0", "0%", "0.0", "00", "007%", "100%", "95.34%", "0.57%", "1298", "2021", "1998", "2021.12", "2024.1",
               "999999999999", "999999999999.999999", "0.000001", "0.000001%", "12.5", "100.00%", "000000000000.000000%",
               "1298人次", "745人", "3个", "180家", "2件", "5次", "4项", "12元", "480.06万元", "735.36万", "0万", "0.000001万元",
               "9999999999.999999万元", "2021人", "1万", "1,024.28", "4,194.16", "999,999,999,999.999999", "1,000人",
               "12,345%", "100,000元", "999,999,999,999.999999人次", "1,000"]
NOT_PLAIN = ["", " 95%", "95 %", "95%%", "９５%", "1e3", "1E3", "+5", "-5", ".5", "5.", "5.%", "٣", "2021-12",
             "2024.1.1", "1234567890123", "0.0000001", "95‰", "95％", "12月", "5分", "95.34%\n", "95.34%。", "2021年",
             "5万%", "5万人", "12345678901万", "3人次以上", "600余人", "5千元", "五个", "约5个", "≥5个", "5个、6个", "5元/人",
             "1.5亿元", "5 个", "1,00", "0,123", "1,0000", "1,024,5", "1,024.28万元", ",100", "1,000,000,000,000", "1，000"]


def read_or_refused(read: Any, *args: Any) -> Any:
    try:
        return repr(read(*args))
    except mapping._NotANumber:
        return "refused"


@settings(max_examples=800, deadline=None)
@given(st.from_regex(mapping._PLAIN, fullmatch=True) | st.from_regex(mapping._PLAIN_SCALED, fullmatch=True)
       | st.from_regex(mapping._PLAIN_GROUPED, fullmatch=True) | st.sampled_from(PLAIN_TEXTS))
def test_a_plain_number_is_read_by_its_digits_as_the_value_parser_reads_it(text: str) -> None:
    quick = mapping._plain_number(text)
    assert quick is not None
    parsed = perfrules.values.parse(text)
    assert type(parsed) is type(quick) and parsed == quick and repr(parsed) == repr(quick)
    assert perfrules.values.stated(parsed) == quick
    for share in (False, True):
        assert read_or_refused(mapping._number_text, text, share) == read_or_refused(mapping._number, text, share)


@pytest.mark.parametrize("text", NOT_PLAIN)
def test_a_text_of_another_form_goes_to_the_value_parser(text: str) -> None:
    assert mapping._plain_number(text) is None


@pytest.mark.parametrize("bounds", [{"max_digits": 17}, {"max_number": 10**14 - 1}, {"max_number": 999_999},
                                    {"max_cell_chars": 23}])
def test_no_plain_number_is_read_by_its_digits_under_limits_that_might_refuse_one(bounds: dict) -> None:
    with limits.override(**bounds):
        assert all(mapping._plain_number(t) is None for t in PLAIN_TEXTS)
        data = {"indicators": [{"name": "x", "target": "999999999999.999999", "actual": "999,999,999,999.999999%",
                                "fraction": "7%"},
                               {"name": "y", "target": "9999999999.999999万元", "actual": "0.000001万", "weight": "5人"}],
                "funds": {"budget": "9999999999.999999万元", "executed": "12"}}
        assert_read_alike(data)
    assert mapping._plain_number("95%") is not None


# ---------------------------------------------------------------- the fuzzer's hostile inputs

@settings(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck), database=None)
@given(st.data())
def test_the_fuzzer_s_mutated_inputs_read_as_the_reference_path_reads_them(data: st.DataObject) -> None:
    from hostile.test_fuzz import mutated  # tests/hostile: mutated YAML texts and mappings of the shipped examples

    case = data.draw(mutated("input"))
    try:
        doc = yaml_text.loads(case.example_text, "<input>", InputError)
    except perfrules.PerfrulesError:
        return  # not a mapping at all: the YAML reader's error, no one pass
    mapping.forget_rows()
    assert_read_alike(doc.data)
    assert_read_alike(doc.data)  # its rows read before


def test_a_number_given_before_in_a_document_is_the_number_given_afresh(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(mapping, "_CELLS_MAX", 4)
    numbers = [1, Decimal("1"), Decimal("1.0"), Decimal("-0"), 0, 10**14, Decimal("2.50"), 1, Decimal("1.0")]
    for k, n in enumerate(numbers * 2):
        data = {"indicators": [{"name": "x"}], "figures": {"a": n, "b": numbers[k % 3]}, "reported_total": n,
                "funds": {"budget": n, "executed": "12.5", "reported_rate": n}}
        assert_read_alike(data)
        assert len(mapping._GIVEN) <= 4
    assert len({repr(mapping.from_mapping({"indicators": [{"name": "x"}], "reported_total": n}).reported_total)
                for n in (1, Decimal("1"), Decimal("1.0"))}) == 2  # Decimal('1') twice, Decimal('1.0')
