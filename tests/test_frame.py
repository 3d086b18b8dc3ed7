"""perfrules.frame: indicator rows in a pandas DataFrame scored as `perfrules score` scores the same tables.

pandas is an optional extra: without it these tests skip (and one checks the error perfrules gives).
Dask and Spark tests run where those are installed (Spark also needs Java), else skip with the reason.
"""

from __future__ import annotations

import json
import os
import pickle
import shutil
import subprocess
import sys
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

import perfrules
from perfrules.cli import main
from perfrules.decimals import fmt
from perfrules.errors import InputError, PerfrulesError
from perfrules.sources import headers as H, spreadsheet, yaml_text

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))

import generate  # noqa: E402

from perfrules import frame  # noqa: E402 - importable without pandas
from golden.make import AUDITS  # noqa: E402

try:
    import pandas as pd
except ImportError:  # CI installs no extra: the tests that need pandas skip, the others run
    pd = None
needs_pandas = pytest.mark.skipif(pd is None, reason="perfrules[pandas] is not installed")

# (ruleset, example): every shipped example `perfrules score` scores: the golden set's audits but
# the checks ruleset's, which scores nothing
EXAMPLES = [(ruleset, example) for ruleset, example in AUDITS if not ruleset.startswith("rulesets/checks/")]

# the first 自评表 header of each key: a frame exported from a warehouse with the form's own words
CHINESE = {key: next(word for word, k in H.COLUMNS.items() if k == key) for key in set(H.COLUMNS.values())}
CHINESE_FUNDS = {key: next(word for word, k in H.FUNDS.items() if k == key) for key in set(H.FUNDS.values())}


def mapping(path: str) -> dict[str, Any]:
    """The input mapping perfrules reads from the file: the table reader's for a spreadsheet."""
    if Path(path).suffix in (".xlsx", ".csv"):
        return spreadsheet.read(ROOT / path).data
    return yaml_text.load(ROOT / path, InputError).data


def rows_of(data: dict[str, Any], key: Any, chinese: bool = False) -> list[dict[str, Any]]:
    """One input as frame rows: its indicator rows with the unit's key, its funds and year repeated."""
    unit_wide: dict[str, Any] = {}
    for name, value in (data.get("funds") or {}).items():
        if name in frame.FUNDS_KEYS and name != "reported_score":
            unit_wide[CHINESE_FUNDS[name] if chinese else name] = value
        elif name == "reported_score":
            unit_wide["funds.reported_score"] = value
    for name in ("year", "reported_total", "reported_grade"):
        if name in data:
            unit_wide[{"year": "年度", "reported_total": "总分", "reported_grade": "评价等级"}[name] if chinese else name] = data[name]
    out = []
    for row in data["indicators"]:
        cells = {(CHINESE.get(k, k) if chinese else k): v for k, v in row.items()}
        out.append({"unit": key, **cells, **unit_wide})
    return out


def cli_json(capsys: pytest.CaptureFixture[str], ruleset: str, path: str) -> dict[str, Any]:
    main(["score", str(ROOT / ruleset), str(ROOT / path), "--format", "json"])
    return json.loads(capsys.readouterr().out)


def assert_same(indicators: Any, units: Any, key: Any, expected: dict[str, Any]) -> None:
    """The frame's rows for unit `key` say what `perfrules score --format json` says, row for row."""
    unit = units[units["unit"] == key].iloc[0]
    places = expected.get("_places", 2)
    assert unit["error"] is None
    assert fmt(unit["total"], places) == expected["total"]
    assert unit["grade"] == expected["grade"]
    assert bool(unit["incomplete"]) == (not expected["complete"])
    assert (None if unit["total_max"] is None else fmt(unit["total_max"], places)) == expected["total_max"]
    for category in expected["categories"]:
        assert fmt(unit[category["name"]], places) == category["score"], category["name"]
    findings = unit["findings"].split("\n") if unit["findings"] else []
    assert findings == [
        f"{f['severity']}: {f['code']}: " + (f"[{f['indicator']}] " if f["indicator"] else "") + f["message"]
        for f in expected["findings"]]
    mine = indicators[indicators["unit"] == key]
    assert len(mine) == len(expected["indicators"])
    for (_, got), want in zip(mine.iterrows(), expected["indicators"]):
        assert got["name"] == want["name"]
        assert got["level1"] == want["level1"]
        assert (None if pd.isna(got["level2"]) else got["level2"]) == want["level2"]
        assert fmt(got["weight"]) == want["weight"]
        assert (None if got["score"] is None else fmt(got["score"], places)) == want["score"], want["name"]
        assert got["method"] == want["method"]
        assert got["explanation"] == want["explanation"]
        assert (None if pd.isna(got["target"]) else got["target"]) == want["target"]
        assert (None if pd.isna(got["actual"]) else got["actual"]) == want["actual"]
        assert bool(got["reviewed"]) == want["reviewed"] and bool(got["applicable"]) == want["applicable"]


@pytest.mark.parametrize("chinese", [False, True], ids=["keys", "chinese-headers"])
@needs_pandas
def test_every_shipped_example_scores_as_the_command_does(capsys, chinese):
    """Each example table, as frame rows (all examples of a ruleset in one frame), gives the indicator
    rows, categories, total, grade and findings `perfrules score --format json` prints for the file."""
    by_ruleset: dict[str, list[tuple[str, str]]] = {}
    for ruleset, path in EXAMPLES:
        by_ruleset.setdefault(ruleset, []).append((path, Path(path).name))
    for ruleset, examples in by_ruleset.items():
        scheme = perfrules.load(ROOT / ruleset)
        rows = [r for path, key in examples for r in rows_of(mapping(path), key, chinese)]
        indicators, units = frame.score(scheme, pd.DataFrame(rows))
        assert list(units["unit"]) == [key for _, key in examples]
        for path, key in examples:
            expected = cli_json(capsys, ruleset, path)
            expected["_places"] = scheme.rounding.stages["total"].places if "total" in scheme.rounding.stages else 2
            assert_same(indicators, units, key, expected)


@needs_pandas
def test_a_generated_set_scores_as_one_input_at_a_time():
    """60 generated tables of two schemes (benchmarks/generate.py), one frame each: every unit as
    `scheme.evaluate` (what `perfrules score` prints as JSON) scores its input mapping."""
    for name in sorted(generate.SCHEMES):
        scheme = perfrules.load(ROOT / generate.SCHEMES[name][0])
        inputs = generate.inputs(name, 30, seed=7)
        rows = [r for i, data in enumerate(inputs) for r in rows_of(data, i)]
        indicators, units = frame.score(scheme, pd.DataFrame(rows))
        assert list(units["unit"]) == list(range(30))
        for i, data in enumerate(inputs):
            assert_same(indicators, units, i, scheme.evaluate(data).to_dict())


def test_the_command_json_is_the_result_as_a_mapping(capsys):
    """The generated-set test compares with `Result.to_dict()`: the command prints exactly that."""
    ruleset, path = EXAMPLES[0]
    assert cli_json(capsys, ruleset, path) == perfrules.load(ROOT / ruleset).evaluate(ROOT / path).to_dict()


@pytest.fixture(scope="module")
def zz() -> perfrules.Scheme:
    return perfrules.load(ROOT / "rulesets/henan/zhengzhou-project-2021.yaml")


@pytest.fixture(scope="module")
def hunan() -> perfrules.Scheme:
    return perfrules.load(ROOT / "rulesets/hunan/department-2021.yaml")


def two_units(hunan_data: dict[str, Any]) -> Any:
    return pd.DataFrame(rows_of(hunan_data, "甲") + rows_of(hunan_data, "乙"))


@needs_pandas
def test_decimals_stay_exact_in_object_columns(zz):
    data = generate.seed_example("zhengzhou")
    indicators, units = frame.score(zz, pd.DataFrame(rows_of(data, "u")))
    assert indicators["score"].dtype == object and units["total"].dtype == object
    assert all(isinstance(v, Decimal) for v in indicators["score"]) and isinstance(units["total"][0], Decimal)
    assert indicators["weight"].tolist()[0] == Decimal("2.22")
    assert units["total"][0] == Decimal("100.00") and units["投入和管理目标"][0] == Decimal("20.00")


@needs_pandas
def test_float_cells_are_read_as_the_number_written(hunan):
    """A weight or budget held as a float64 (3.0, 3102.95) is read through its shortest repr, as a
    YAML 3102.95 is: the score is the same as from the text."""
    data = yaml_text.load(ROOT / "examples/zhuzhou-department-2021.yaml", InputError).data
    rows = pd.DataFrame(rows_of(data, "u"))
    as_text = frame.score(hunan, rows)
    rows["weight"] = rows["weight"].astype("float64")
    rows["budget"] = 3102.95
    rows["executed"] = 3102.95
    as_float = frame.score(hunan, rows)
    assert as_float[0]["score"].tolist() == as_text[0]["score"].tolist()
    assert as_float[1]["total"][0] == as_text[1]["total"][0] == Decimal("100.00")


@needs_pandas
def test_funds_may_come_in_their_own_frame(hunan):
    """`funds=`: one row per unit, keyed like the rows, in English keys or the form's labels."""
    data = yaml_text.load(ROOT / "examples/zhuzhou-department-2021.yaml", InputError).data
    rows = pd.DataFrame([{"unit": k, **r} for k in ("甲", "乙") for r in data["indicators"]])
    funds = pd.DataFrame({"unit": ["乙", "甲"], "全年预算数": ["3,102.95", "100"], "全年执行数": ["3,102.95", "50"],
                          "年度": [2021, 2021]})
    _, units = frame.score(hunan, rows, funds=funds)
    scores = dict(zip(units["unit"], units["预算执行率"]))
    assert scores == {"甲": Decimal("5.00"), "乙": Decimal("10.00")}  # 10 × 50% executed
    assert units["year"].tolist() == [2021, 2021]


@needs_pandas
def test_a_unit_only_the_funds_frame_names_is_scored_not_dropped(hunan):
    data = yaml_text.load(ROOT / "examples/zhuzhou-department-2021.yaml", InputError).data
    rows = pd.DataFrame([{"unit": "甲", **r} for r in data["indicators"]])
    funds = pd.DataFrame({"unit": ["甲", "丙"], "budget": [100, 100], "executed": [100, 90]})
    _, units = frame.score(hunan, rows, funds=funds)
    assert units["unit"].tolist() == ["甲", "丙"]
    assert units["incomplete"].tolist() == [False, True]  # 丙 has no indicator rows: unscored, with findings
    assert "missing_indicator" in units["findings"][1] or "empty_category" in units["findings"][1]


@needs_pandas
def test_a_unit_with_a_bad_cell_is_refused_by_row_and_the_others_are_scored(hunan):
    data = yaml_text.load(ROOT / "examples/zhuzhou-department-2021.yaml", InputError).data
    rows = two_units(data)
    rows = rows.rename(columns={"weight": "分值"}).astype({"分值": object})
    rows.loc[3, "分值"] = "两分"
    indicators, units = frame.score(hunan, rows)
    bad, good = units.iloc[0], units.iloc[1]
    assert bad["error"] == "<frame>: rows[3].分值: must be a number, not '两分'"
    assert bad["total"] is None and bool(bad["incomplete"]) and bad["errors"] == 1
    assert good["error"] is None and good["total"] == Decimal("100.00")
    assert set(indicators["unit"]) == {"乙"}


@pytest.mark.parametrize("column, value, message", [
    ("elements", "全部", "must list element numbers"),
    ("passed", "也许", "must be 是 or 否"),
    ("direction", "向上", "must be 正向, 反向 or 等于"),
])
@needs_pandas
def test_cells_the_table_reader_would_refuse_are_refused(hunan, column, value, message):
    data = yaml_text.load(ROOT / "examples/zhuzhou-department-2021.yaml", InputError).data
    rows = pd.DataFrame(rows_of(data, "u"))
    rows[column] = None
    rows.loc[2, column] = value
    _, units = frame.score(hunan, rows)
    assert units["error"][0].startswith(f"<frame>: rows[2].{column}: {message}")


@needs_pandas
def test_table_words_in_cells_are_read_as_the_table_reader_reads_them(zz):
    data = generate.seed_example("zhengzhou")
    rows = pd.DataFrame(rows_of(data, "u"))
    as_lists = frame.score(zz, rows)[0]
    rows["elements"] = [None if not isinstance(e, list) else "、".join(str(n) for n in e) for e in rows["elements"]]
    assert frame.score(zz, rows)[0]["score"].tolist() == as_lists["score"].tolist()
    assert frame.cell("passed", "是") == (True, None) and frame.cell("applicable", "否") == (False, None)
    assert frame.cell("direction", "反向") == ("lower", None)
    assert frame.cell("elements", [1, 3]) == ([1, 3], None)


@needs_pandas
def test_a_blank_cell_is_an_empty_cell_as_in_a_table(zz):
    """A CSV read with dtype=str keeps '' for a blank cell: it gives nothing, as a table's blank cell does."""
    data = generate.seed_example("zhengzhou")
    rows = pd.DataFrame(rows_of(data, "u"))
    expected = frame.score(zz, rows)
    blank = rows.astype(object).where(rows.notna(), "  ")
    got = frame.score(zz, blank)
    assert got[0]["score"].tolist() == expected[0]["score"].tolist()
    assert got[1]["total"][0] == expected[1]["total"][0]


@needs_pandas
def test_one_unit_wide_field_with_two_values_refuses_that_unit(hunan):
    """Trust first: a unit whose rows give two budgets is not scored by either."""
    data = yaml_text.load(ROOT / "examples/zhuzhou-department-2021.yaml", InputError).data
    rows = two_units(data).astype({"budget": object})
    rows.loc[1, "budget"] = "3,200.00"
    rows.loc[2, "budget"] = 3102.95  # the same number as "3,102.95", written otherwise: no conflict
    _, units = frame.score(hunan, rows)
    assert "funds.budget more than one value: 3,102.95 (rows[0].budget)、3,200.00 (rows[1].budget)" in units["error"][0]
    assert units["error"][1] is None


@needs_pandas
def test_rows_without_a_unit_are_one_refused_group(hunan):
    data = yaml_text.load(ROOT / "examples/zhuzhou-department-2021.yaml", InputError).data
    rows = two_units(data)
    rows.loc[[0, 1], "unit"] = None
    _, units = frame.score(hunan, rows)
    assert units["unit"].tolist()[:2] == [None, "甲"]
    assert units["error"].tolist()[0] == "<frame>: rows[0]: 2 rows have no unit in the key column"


@needs_pandas
def test_frame_wide_problems_are_input_errors(hunan):
    data = yaml_text.load(ROOT / "examples/zhuzhou-department-2021.yaml", InputError).data
    rows = pd.DataFrame(rows_of(data, "u"))
    with pytest.raises(InputError, match="no key column 'unit_id'"):
        frame.score(hunan, rows, key="unit_id")
    with pytest.raises(InputError, match="the columns weight and 分值 both give weight"):
        frame.score(hunan, rows.assign(分值=1))
    with pytest.raises(InputError, match="no indicator name column"):
        frame.score(hunan, rows.drop(columns=["name"]))
    with pytest.raises(InputError, match="完成值来源 is not read from a frame"):
        frame.score(hunan, rows.assign(完成值来源="第3段"))


@needs_pandas
def test_a_list_of_actuals_in_a_cell_is_read_as_in_a_yaml_input(zz):
    data = generate.seed_example("zhengzhou")
    row = next(r for r in data["indicators"] if r["name"] == "完成合格率")
    row["actual"] = [{"value": "90%", "source": "第3段"}, {"value": "99%", "source": "第5段"}]
    indicators, _ = frame.score(zz, pd.DataFrame(rows_of(data, "u")))
    scored = indicators.set_index("name").loc["完成合格率"]
    assert "conflicting_actuals" in scored["findings"]
    assert scored["score"] == zz.evaluate(data).indicator("完成合格率").score


@needs_pandas
def test_each_indicator_names_the_frame_row_it_came_from(zz):
    data = generate.seed_example("zhengzhou")
    rows = pd.DataFrame(rows_of(data, "u"), index=[f"r{i}" for i in range(len(data["indicators"]))])
    indicators, _ = frame.score(zz, rows.iloc[::-1])
    by_name = dict(zip(indicators["name"], indicators["row"]))
    assert by_name["预算执行率"] == "r0" and by_name["信息公开性"] == f"r{len(data['indicators']) - 1}"


@pytest.mark.parametrize("jobs", [1, 2])
@needs_pandas
def test_refused_units_keep_their_place_among_the_scored(zz, jobs):
    inputs = generate.inputs("zhengzhou", 5, seed=4)
    rows = pd.DataFrame([r for i, d in enumerate(inputs) for r in rows_of(d, i)]).astype({"elements": object})
    for bad in (0, 2, 4):
        rows.loc[rows.index[rows["unit"] == bad][1], "elements"] = "全部"
    indicators, units = frame.score(zz, rows, jobs=jobs)
    assert units["unit"].tolist() == [0, 1, 2, 3, 4]
    assert units["error"].notna().tolist() == [True, False, True, False, True]
    assert units["total"][1] == zz.evaluate(inputs[1]).total and units["total"][3] == zz.evaluate(inputs[3]).total
    assert sorted(set(indicators["unit"])) == [1, 3]


@needs_pandas
def test_jobs_give_the_same_frames(zz):
    rows = pd.DataFrame([r for i, d in enumerate(generate.inputs("zhengzhou", 6, seed=3)) for r in rows_of(d, i)])
    one = frame.score(zz, rows)
    two = frame.score(zz, rows, jobs=2)
    pd.testing.assert_frame_equal(one[0], two[0])
    pd.testing.assert_frame_equal(one[1], two[1])


# ---------------------------------------------------------------- reproducibility columns


@needs_pandas
def test_units_carry_the_ruleset_version_and_the_scheme_hash(hunan):
    data = yaml_text.load(ROOT / "examples/zhuzhou-department-2021.yaml", InputError).data
    _, units = frame.score(hunan, pd.DataFrame(rows_of(data, "u")))
    assert units[["scheme", "version", "perfrules"]].iloc[0].tolist() == ["hunan/department-2021", "1.1",
                                                                           perfrules.__version__]
    assert units["scheme_hash"][0] == frame.scheme_hash(hunan) and len(units["scheme_hash"][0]) == 16


HASH = "import perfrules.frame as f, perfrules; print(f.scheme_hash(perfrules.load('hunan/project-2021')))"


def test_the_scheme_hash_is_the_same_in_every_process_and_wherever_the_file_is(tmp_path):
    """Sets inside the scheme are hashed sorted: another PYTHONHASHSEED, another working folder, the
    shipped copy of the ruleset: the same hash."""
    out = set()
    for seed, cwd in (("1", ROOT), ("2", tmp_path), ("3", ROOT)):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        out.add(subprocess.run([sys.executable, "-c", HASH], env=env, cwd=cwd, capture_output=True, text=True,
                               check=True).stdout.strip())
    assert out == {frame.scheme_hash(perfrules.load(ROOT / "rulesets/hunan/project-2021.yaml"))}


def test_the_scheme_hash_changes_with_any_rule(zz):
    text = (ROOT / "rulesets/henan/zhengzhou-project-2021.yaml").read_text(encoding="utf-8")
    assert frame.scheme_hash(perfrules.loads(text)) == frame.scheme_hash(zz)
    for old, new in (("weight: 2.22", "weight: 2.23"), ("[90, 100]", "[91, 100]")):
        assert old in text
        changed = text.replace(old, new, 1)
        try:
            other = perfrules.loads(changed)
        except PerfrulesError:
            continue  # a change the loader refuses (points no longer add up) cannot be scored at all
        assert frame.scheme_hash(other) != frame.scheme_hash(zz), old


# ---------------------------------------------------------------- without pandas


def test_perfrules_imports_without_pandas_and_frame_says_what_to_install():
    code = ("import sys; sys.modules['pandas'] = None; import perfrules, perfrules.frame as f\n"
            "try:\n    f.score(None, None)\nexcept perfrules.PerfrulesError as e:\n    print(e)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT)
    assert out.stdout.strip() == "<input>: perfrules.frame needs pandas: pip install 'perfrules[pandas]'"
    plain = subprocess.run([sys.executable, "-c", "import perfrules, sys; print('pandas' in sys.modules)"],
                           capture_output=True, text=True, check=True, cwd=ROOT)
    assert plain.stdout.strip() == "False"


# ---------------------------------------------------------------- one partition at a time: Dask, Spark


def generated_rows(n: int) -> Any:
    return pd.DataFrame([r for i, d in enumerate(generate.inputs("zhengzhou", n, seed=5)) for r in rows_of(d, f"u{i}")])


@needs_pandas
def test_the_scorer_ships_the_scheme_once_and_scores_a_partition(zz):
    rows = generated_rows(4)
    function = frame.Scorer(zz)
    again = pickle.loads(pickle.dumps(function))
    frame._RECEIVED.clear()
    out = again(rows)
    assert len(frame._RECEIVED) == 1 and again(rows).equals(out)  # unpickled on the first call only
    _, units = frame.score(zz, rows)
    pd.testing.assert_frame_equal(out, units)
    assert again(rows.iloc[0:0]).columns.tolist() == units.columns.tolist()  # an empty partition


@needs_pandas
def test_a_partition_finds_its_units_in_the_funds_frame(hunan):
    """dask_score hands the whole funds frame to each partition: each takes its own units' rows."""
    data = yaml_text.load(ROOT / "examples/zhuzhou-department-2021.yaml", InputError).data
    rows = pd.DataFrame([{"unit": k, **r} for k in ("甲", "乙", "丙") for r in data["indicators"]])
    funds = pd.DataFrame({"unit": ["丙", "乙", "甲", "丁"], "budget": [100, 100, 100, 100], "executed": [90, 80, 70, 60]})
    _, expected = frame.score(hunan, rows, funds=funds)
    partition = frame.Scorer(hunan, funds=funds)(rows[rows["unit"] != "甲"])
    assert partition["unit"].tolist() == ["乙", "丙"]  # 丁, only in the funds frame, belongs to no partition
    assert partition["预算执行率"].tolist() == expected.set_index("unit").loc[["乙", "丙"], "预算执行率"].tolist()
    assert partition["预算执行率"].tolist() == [Decimal("8.00"), Decimal("9.00")]


@needs_pandas
def test_the_spark_function_gives_exact_text_and_its_schema(zz):
    function, schema = frame.spark_scorer(zz, output="units")
    assert schema.startswith("`unit` string, `year` int, `total` string, `total_max` string, `grade` string, "
                             "`incomplete` boolean, `errors` int,")
    assert "`投入和管理目标` string" in schema and schema.endswith("`perfrules` string")
    rows = generated_rows(3)
    out = function(rows)
    _, units = frame.score(zz, rows)
    assert out["total"].tolist() == [format(t, "f") for t in units["total"]]
    ind_function, ind_schema = frame.spark_scorer(zz, output="indicators")
    assert "`row`" not in ind_schema and "row" not in ind_function(rows).columns


@needs_pandas
def test_dask_scores_a_frame_partitioned_by_unit(zz):
    dd = pytest.importorskip("dask.dataframe", reason="perfrules[dask] is not installed")
    rows = generated_rows(12)
    _, expected = frame.score(zz, rows)
    # as a warehouse holds them: element lists as text (Dask turns object columns into strings)
    rows["elements"] = [spark_cell(e) for e in rows["elements"]]
    ddf = dd.from_pandas(rows, npartitions=4)  # cut by position: units straddle partitions until shuffled
    got = frame.dask_score(zz, ddf).compute(scheduler="synchronous")
    got = got.set_index("unit").loc[expected["unit"]].reset_index()
    assert got["total"].tolist() == expected["total"].tolist()
    assert all(isinstance(t, Decimal) for t in got["total"])
    assert got["grade"].tolist() == expected["grade"].tolist()
    indicators = frame.dask_score(zz, ddf, output="indicators").compute(scheduler="synchronous")
    assert len(indicators) == 12 * 21


def spark_cell(value: Any) -> str | None:
    """A cell as a warehouse holds it: text, element lists as 1、2、3 (none present: 无), nothing as null."""
    if isinstance(value, list):
        return "、".join(str(n) for n in value) or "无"
    return None if value is None or (isinstance(value, float) and value != value) else str(value)


def _java() -> str | None:
    if shutil.which("java") is None:
        return "no Java runtime (java) on PATH: Spark local mode needs one"
    return None


# ---------------------------------------------------------------- the examples: a warehouse export as CSV

ROWS_CSV = ROOT / "examples/zhengzhou-rows.csv"


@pytest.fixture(scope="module")
def from_csv(zz) -> Any:
    """The example export scored by pandas: every cell as text, the unit in 单位名称."""
    return frame.score(zz, pd.read_csv(ROWS_CSV, dtype=str, keep_default_na=False, na_values=[""]), key="单位名称")


@needs_pandas
def test_the_example_export_holds_five_generated_units_and_scores_as_they_do(zz, from_csv):
    """examples/zhengzhou-rows.csv is benchmarks/generate.py's zhengzhou inputs (seed 11), one row per
    indicator under the 自评表 headers: scored from the CSV, each unit is what its input mapping gives."""
    indicators, units = from_csv
    assert units["error"].isna().all()
    for (_, unit), data in zip(units.iterrows(), generate.inputs("zhengzhou", 5, seed=11)):
        expected = zz.evaluate(data)
        assert unit["total"] == expected.total and unit["grade"] == expected.grade
        mine = indicators[indicators["单位名称"] == unit["单位名称"]]
        assert mine["score"].tolist() == [i.score for i in expected.indicators]
        assert mine["explanation"].tolist() == [i.explanation for i in expected.indicators]


@needs_pandas
def test_the_dask_example_runs_and_scores_as_pandas(tmp_path, from_csv):
    pytest.importorskip("dask.dataframe", reason="perfrules[dask] is not installed")
    out = tmp_path / "units.csv"
    subprocess.run([sys.executable, str(ROOT / "examples/dask_score.py"), str(out)], check=True, cwd=tmp_path,
                   capture_output=True, text=True)
    got = pd.read_csv(out, dtype=str).set_index("单位名称")
    expected = from_csv[1].set_index("单位名称")
    assert got.loc[expected.index, "total"].tolist() == [format(t, "f") for t in expected["total"]]
    assert (got["scheme_hash"] == expected["scheme_hash"].iloc[0]).all()


@pytest.mark.skipif(_java() is not None, reason=_java() or "")
@needs_pandas
def test_the_spark_example_runs_in_local_mode_and_scores_as_pandas(tmp_path, from_csv):
    """examples/spark_score.py on Spark local[2] (a minute or two: CI installs no pyspark, so skips it)."""
    pytest.importorskip("pyspark", reason="perfrules[spark] is not installed")
    out = tmp_path / "units.parquet"
    env = {**os.environ, "PYSPARK_PYTHON": sys.executable}
    subprocess.run([sys.executable, str(ROOT / "examples/spark_score.py"), str(out)], check=True, cwd=tmp_path,
                   capture_output=True, text=True, env=env)
    got = pd.read_parquet(out).set_index("单位名称")
    expected = from_csv[1].set_index("单位名称")
    got = got.loc[expected.index]
    assert got["total"].tolist() == expected["total"].tolist()  # cast to decimal(6,2) in the example: exact
    assert got["grade"].tolist() == expected["grade"].tolist()
    assert got["产出目标"].tolist() == [format(t, "f") for t in expected["产出目标"]]


# ---------------------------------------------------------------- docs/scale.md

SCALE = ROOT / "docs/scale.md"


def _blocks() -> list[tuple[int, str]]:
    import re
    import textwrap

    text = SCALE.read_text(encoding="utf-8")
    found = re.finditer(r"^( *)```python\n(.*?)^\1```", text, re.M | re.S)
    return [(text.count("\n", 0, m.start()) + 1, textwrap.dedent(m.group(2))) for m in found]


@pytest.mark.parametrize("line, code", [b for b in _blocks() if b[1].startswith("# example")],
                         ids=lambda v: f"line {v}" if isinstance(v, int) else "")
@needs_pandas
def test_every_example_of_the_scale_page_runs(line, code, monkeypatch, capsys):
    """docs/scale.md's blocks marked `# example` run as they are (from the project root), their asserts
    hold; the Spark and Dask blocks are the examples/ scripts, run above."""
    monkeypatch.chdir(ROOT)
    exec(compile(code, f"{SCALE}:{line}", "exec"), {})


def test_the_scale_page_has_its_examples():
    blocks = _blocks()
    assert sum(code.startswith("# example") for _, code in blocks) == 2
    assert any("applyInPandas" in code for _, code in blocks) and any("dask_score" in code for _, code in blocks)
