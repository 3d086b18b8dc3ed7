"""Score indicator rows held in a pandas DataFrame (and, a partition at a time, in Dask or Spark).

`score(scheme, rows)` groups the rows by unit, turns each group into the input mapping a
unit's table gives (perfrules.sources.mapping reads it, as for a YAML file) and scores them
through `score_many`; it returns an indicators frame and a units frame. pandas is an optional
extra (`pip install 'perfrules[pandas]'`), imported only when a function here runs.
"""

from __future__ import annotations

import hashlib
import json
import math
import pickle
import re
from collections import deque
from dataclasses import dataclass, fields, is_dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Callable, Iterable, Iterator, Mapping, Sequence

from .errors import InputError, PerfrulesError, Problem
from .many import Outcome, score_many
from .model import MethodSpec, Scheme
from .result import Result
from .sources import headers as H
from .sources.sheet import BOOL_KEYS, LIST_KEYS, yes_no, direction_word
from .values import element_numbers

if TYPE_CHECKING:  # pragma: no cover - for the annotations only; pandas stays optional
    import pandas

FRAME = "<frame>"  # the file name a problem in a frame is reported under

# the input keys of an indicator row (schema/input.schema.json) a column may name in English
ROW_KEYS = frozenset({
    "name", "level1", "level2", "level3", "target", "actual", "weight", "elements", "review_actual",
    "review_elements", "review_level", "review_fraction", "review_score", "reported_score", "deviation_reason",
    "level", "fraction", "occurrences", "passed", "applicable", "deduction", "direction", "values", "note", "source",
})
FUNDS_KEYS = ("budget", "executed", "initial_budget", "adjusted_budget", "reported_rate", "reported_score")
UNIT_KEYS = ("year", "project", "reported_total", "reported_grade")  # one value per unit, beside the funds
_UNIT_LABELS = {**{w: "year" for w in H.YEAR}, **{w: "project" for w in H.PROJECT},
                **{w: "reported_total" for w in H.TOTAL}, **{w: "reported_grade" for w in H.GRADE}}
# columns the table reader combines into a list of actuals; a frame gives that list in `actual` itself
_NOT_READ = frozenset({"actual_source", "more_actuals", "more_sources"})

INDICATOR_COLUMNS = ("row", "name", "level1", "level2", "weight", "score", "method", "explanation", "target",
                     "actual", "reviewed", "applicable", "findings")
UNIT_COLUMNS = ("year", "total", "total_max", "grade", "incomplete", "errors", "findings", "error")
PROVENANCE = ("scheme", "version", "scheme_hash", "perfrules")


def pandas_module() -> Any:
    """pandas, or a PerfrulesError that says which extra to install."""
    try:
        import pandas
    except ImportError:
        raise PerfrulesError("perfrules.frame needs pandas: pip install 'perfrules[pandas]'") from None
    return pandas


# ---------------------------------------------------------------- which column is which


@dataclass(frozen=True)
class Column:
    """A frame column and what it gives: `part` is `row` (an indicator cell), `values` (a named value
    for `formula`), `funds` or `unit` (one value per unit); `key` is the input key it fills."""

    name: Any
    part: str
    key: str


def column_of(name: Any, funds_frame: bool = False) -> Column | None:
    """What a column gives, by its name: an input key (`weight`, `funds.budget`, `values.done`) or the
    header a 自评表 prints (`分值`, `全年预算数`, `年度`), matched as the table reader matches it. In the
    funds frame `得分` and `reported_score` are the funds row's score. None: a column perfrules does not read."""
    if not isinstance(name, str):
        return None
    if name.startswith("funds.") and name[6:] in FUNDS_KEYS:
        return Column(name, "funds", name[6:])
    if name.startswith("values.") and len(name) > 7:
        return Column(name, "values", name[7:])
    if funds_frame and name in FUNDS_KEYS:
        return Column(name, "funds", name)
    if name in ROW_KEYS:
        return Column(name, "row", name)
    if name in FUNDS_KEYS:
        return Column(name, "funds", name)
    if name in UNIT_KEYS:
        return Column(name, "unit", name)
    word = H.label(name)
    if funds_frame and word in H.FUNDS_SCORE:
        return Column(name, "funds", "reported_score")
    if word in H.COLUMNS:
        key = H.COLUMNS[word]
        if key in _NOT_READ:
            raise InputError([Problem(f"the column {name} is not read from a frame: give `actual` as a list of "
                                      "{value, source} mappings instead (docs/scale.md)", file=FRAME)])
        return Column(name, "row", key)
    if word in H.FUNDS:
        return Column(name, "funds", H.FUNDS[word])
    if word in _UNIT_LABELS:
        return Column(name, "unit", _UNIT_LABELS[word])
    return None


def columns_of(names: Iterable[Any], key: str, funds_frame: bool = False) -> list[Column]:
    """The columns perfrules reads, each input key from one column only."""
    out: list[Column] = []
    seen: dict[tuple[str, str], Any] = {}
    problems = []
    for name in names:
        if name == key:
            continue
        column = column_of(name, funds_frame)
        if column is None:
            continue
        where = (column.part, column.key)
        if where in seen:
            problems.append(Problem(f"the columns {seen[where]} and {name} both give {_shown(column)}: keep one",
                                    file=FRAME))
            continue
        seen[where] = name
        out.append(column)
    if problems:
        raise InputError(problems)
    return out


def _shown(column: Column) -> str:
    return column.key if column.part == "row" else f"{column.part}.{column.key}"


# ---------------------------------------------------------------- a cell as the input mapping wants it


def _plain(value: Any) -> Any:
    """A numpy scalar as the Python value it holds; a whole float as an int (an integer column with a
    gap is float64 in pandas: 795 comes back 795.0, and a spreadsheet cell 795 reads as 795); a date as
    ISO text."""
    item = getattr(value, "item", None)
    if item is not None and not isinstance(value, (Decimal, list, tuple, dict)):
        value = item()
    if type(value) is float and value.is_integer():
        return int(value)
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() else value.isoformat(" ")
    if isinstance(value, date):
        return value.isoformat()
    return value


def cell(key: str, value: Any) -> tuple[Any, str | None]:
    """A frame cell as the input mapping holds it, or the reason it cannot be read. 具备要素 may be a list or
    text (`1、2、3`); 是否达标 / 是否适用 a bool or 是 / 否; 指标方向 正向 / 反向 / 等于 or higher / lower / equal."""
    value = _plain(value)
    if key in LIST_KEYS:
        if isinstance(value, str):
            numbers = element_numbers(value)
            return (numbers, None) if numbers is not None else (None, f"must list element numbers such as 1、2、3, not '{value}'")
        if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
            return ([] if value == 0 else [value]), None
        if isinstance(value, (list, tuple)) or hasattr(value, "tolist"):
            items = [_plain(v) for v in (value.tolist() if hasattr(value, "tolist") else value)]
            if all(isinstance(v, int) and not isinstance(v, bool) for v in items):
                return items, None
        return None, f"must list element numbers such as 1、2、3, not '{value}'"
    if key in BOOL_KEYS:
        if isinstance(value, bool):
            return value, None
        answer = yes_no(value) if isinstance(value, str) else None
        return (answer, None) if answer is not None else (None, f"must be 是 or 否, not '{value}'")
    if key == "direction":
        word = direction_word(value) if isinstance(value, str) else None
        return (word, None) if word is not None else (None, f"must be 正向, 反向 or 等于, not '{value}'")
    if key in ("name", "level1", "level2", "level3") and not isinstance(value, str):
        return f"{value}", None
    return value, None


def _missing(value: Any) -> bool:
    """None, NaN, pandas' NA and NaT, blank text: a cell with nothing in it."""
    if value is None:
        return True
    if isinstance(value, float):
        return math.isnan(value)
    if isinstance(value, str):
        return not value.strip()
    return type(value).__name__ in ("NAType", "NaTType")


# ---------------------------------------------------------------- rows -> one input mapping per unit


@dataclass
class Unit:
    """One unit's input as the frame gives it, the frame rows it came from, or why it cannot be read."""

    key: Any
    labels: list[Any]  # the frame's index label of each indicator row, in order
    data: dict[str, Any]
    problems: list[Problem]
    names: Mapping[str, Any]  # input key of an indicator cell -> the frame column that gave it


def units(rows: Any, funds: Any = None, key: str = "unit") -> Iterator[Unit]:
    """The units of `rows` in the order they first appear (then units only `funds` names), each as an
    input mapping; a unit whose cells cannot be read carries its problems instead."""
    if key not in rows.columns:
        raise InputError([Problem(f"the rows have no key column '{key}' (the unit of each row): "
                                  f"name it with key=", file=FRAME)])
    columns = columns_of(rows.columns, key)
    if not any(c.part == "row" and c.key == "name" for c in columns):
        raise InputError([Problem("the rows have no indicator name column (name, 三级指标 or 指标名称)", file=FRAME)])
    given = _funds_by_key(funds, key)
    labels = list(rows.index)
    cells = {c.name: _cells(rows[c.name]) for c in columns}
    keys = [_plain(k) for k in rows[key].tolist()]
    groups: dict[Any, list[int]] = {}
    for position, k in enumerate(keys):
        groups.setdefault(_group(k), []).append(position)
    for group, positions in groups.items():
        yield _unit(keys[positions[0]], positions, labels, columns, cells, given.pop(group, []))
    for entries in given.values():
        yield _unit(entries[0][0], [], labels, columns, cells, entries)


def _cells(column: Any) -> tuple[list[Any], list[bool]]:
    """A column's values, and which of them are empty: missing (None, NaN, NA) or blank text, as an
    empty cell of a table is (a CSV read with dtype=str keeps '' where a cell was blank)."""
    values = column.tolist()
    return values, [m or (type(v) is str and not v.strip()) for v, m in zip(values, column.isna().tolist())]


def _group(k: Any) -> Any:
    """The group a key value puts its row in: every missing key (None, NaN, NA) in one."""
    return None if _missing(k) else k


FundsRow = tuple[Any, Any, dict[tuple[str, str], Any]]  # (key, index label, {(part, input key): value})


def _funds_by_key(funds: Any, key: str) -> dict[Any, list[FundsRow]]:
    """key -> its rows of the funds frame (one, unless the frame repeats a unit)."""
    if funds is None:
        return {}
    if key not in funds.columns:
        raise InputError([Problem(f"the funds frame has no key column '{key}'", file=FRAME)])
    columns = columns_of(funds.columns, key, funds_frame=True)
    out: dict[Any, list[FundsRow]] = {}
    for label, record in zip(funds.index, funds.to_dict("records")):
        k = _plain(record[key])
        values = {(c.part, c.key): record[c.name] for c in columns if not _missing(record[c.name])}
        out.setdefault(_group(k), []).append((k, label, values))
    return out


def _unit(key: Any, positions: list[int], labels: list[Any], columns: list[Column],
          cells: Mapping[Any, tuple[list[Any], list[bool]]], funds: list[FundsRow]) -> Unit:
    problems: list[Problem] = []
    key = None if _missing(key) else key
    if key is None:
        problems.append(Problem(f"{len(positions)} rows have no unit in the key column", file=FRAME,
                                path=f"rows[{labels[positions[0]]}]" if positions else ""))
    indicators = []
    facts: dict[tuple[str, str], list[tuple[Any, str]]] = {}  # (part, key) -> [(value, where)]
    for position in positions:
        row: dict[str, Any] = {}
        values: dict[str, Any] = {}
        for column in columns:
            raw, missing = cells[column.name]
            if missing[position]:
                continue
            where = f"rows[{labels[position]}].{column.name}"
            if column.part == "row":
                value, wrong = cell(column.key, raw[position])
                if wrong:
                    problems.append(Problem(wrong, file=FRAME, path=where))
                elif value is not None:
                    row[column.key] = value
            elif column.part == "values":
                values[column.key] = _plain(raw[position])
            else:
                facts.setdefault((column.part, column.key), []).append((_plain(raw[position]), where))
        if values:
            row["values"] = {**row.get("values", {}), **values}
        indicators.append(row)
    if len(funds) > 1:
        problems.append(Problem(f"the funds frame has {len(funds)} rows for this unit "
                                f"({', '.join(str(f[1]) for f in funds)}): keep one", file=FRAME, path=f"funds[{funds[0][1]}]"))
    for _, label, stated in funds[:1]:
        for what, value in stated.items():
            facts.setdefault(what, []).append((_plain(value), f"funds[{label}]"))
    data: dict[str, Any] = {"unit": None if key is None else f"{key}", "indicators": indicators}
    for (part, name), seen in facts.items():
        distinct: list[tuple[Any, str]] = []
        for value, where in seen:
            if not any(_same(value, v) for v, _ in distinct):
                distinct.append((value, where))
        if len(distinct) > 1:
            shown = "、".join(f"{v} ({w})" for v, w in distinct[:3])
            problems.append(Problem(f"the unit's rows give {part}.{name} more than one value: {shown}; "
                                    "a unit has one", file=FRAME, path=distinct[1][1]))
            continue
        if part == "funds":
            data.setdefault("funds", {})[name] = distinct[0][0]
        else:
            data[name] = distinct[0][0]
    names = {c.key: c.name for c in columns if c.part == "row"}
    return Unit(key, [labels[p] for p in positions], data, problems, names)


def _same(a: Any, b: Any) -> bool:
    """Two cells of one unit-wide field agree: equal as written, or as numbers (100 and 100.0)."""
    if a == b:
        return True
    try:
        return Decimal(f"{a}".replace(",", "")) == Decimal(f"{b}".replace(",", ""))
    except ArithmeticError:
        return False


# ---------------------------------------------------------------- scoring


def score(scheme: Scheme, rows: pandas.DataFrame, funds: pandas.DataFrame | None = None, key: str = "unit",
          jobs: int = 1) -> tuple[pandas.DataFrame, pandas.DataFrame]:
    """Score every unit of `rows` (one row per indicator, `key` naming the unit) and return
    `(indicators, units)`: one row per scored indicator and one per unit. Scores, weights and
    totals are `decimal.Decimal` in object columns, exact (docs/scale.md).

    `funds` is a frame of one row per unit: the key column and the funds fields (`budget`,
    `executed` … or 全年预算数, 全年执行数 …), perhaps `year` (年度). Columns the rows give
    once per unit (funds fields, `year`) may also sit in `rows`, repeated on each row.
    A unit that cannot be read gets a units row with its `error` and no indicator rows.
    """
    pd = pandas_module()
    table = Tables(scheme, key, text=False)
    for unit, outcome in scored(scheme, units(rows, funds, key), jobs):
        table.add(unit, outcome)
    return table.frames(pd)


def scored(scheme: Scheme, found: Iterable[Unit], jobs: int = 1) -> Iterator[tuple[Unit, Outcome]]:
    """Each unit with its outcome, in order: a unit with problems refused with them, the others scored
    through `score_many`. Units are read as the scoring goes, so that only those in flight are held."""
    waiting: deque[Unit] = deque()

    def readable() -> Iterator[dict[str, Any]]:
        for unit in found:
            waiting.append(unit)
            if not unit.problems:
                yield unit.data

    for outcome in score_many(scheme, readable(), jobs=jobs):
        while waiting[0].problems:
            yield _refused(waiting.popleft())
        yield waiting.popleft(), outcome
    while waiting:  # refused units after the last readable one
        yield _refused(waiting.popleft())


def _refused(unit: Unit) -> tuple[Unit, Outcome]:
    return unit, Outcome(-1, error=InputError(unit.problems))


_ROW_PATH = re.compile(r"^indicators\[(\d+)\](?:\.(\w+))?")


def _located(error: PerfrulesError, unit: Unit) -> str:
    """The error's problems, each `indicators[i].key` path named by its frame row: `rows[17].weight`."""

    def path(problem: Problem) -> str:
        m = _ROW_PATH.match(problem.path)
        if m is None or int(m.group(1)) >= len(unit.labels):
            return problem.path
        row = f"rows[{unit.labels[int(m.group(1))]}]"
        if m.group(2) is None:
            return row + problem.path[m.end():]
        return f"{row}.{unit.names.get(m.group(2), m.group(2))}" + problem.path[m.end():]

    out = []
    for p in error.problems:
        where = p.file if p.file not in (None, "<input>") else FRAME
        out.append(f"{where}: " + (f"{path(p)}: " if p.path else "") + p.message + (f" ({p.hint})" if p.hint else ""))
    return "\n".join(out)


class Tables:
    """The two result tables as column lists, filled one unit at a time. With `text`, every decimal
    is its exact text (`format(d, 'f')`), for engines without an exact decimal of any size."""

    def __init__(self, scheme: Scheme, key: str, text: bool, made: Mapping[str, str | None] | None = None):
        self.key = key
        self.text = text
        self.categories = [c.name for c in scheme.categories]
        self.provenance = made if made is not None else provenance(scheme)
        self.indicators: dict[str, list[Any]] = {name: [] for name in (key, *INDICATOR_COLUMNS)}
        self.units: dict[str, list[Any]] = {name: [] for name in (key, *UNIT_COLUMNS, *self.categories, *PROVENANCE)}

    def number(self, value: Decimal | None) -> Any:
        if value is None or not self.text:
            return value
        return format(value, "f")

    def add(self, unit: Unit, outcome: Outcome) -> None:
        result = outcome.result
        u = self.units
        u[self.key].append(unit.key)
        for name, value in self.provenance.items():
            u[name].append(value)
        if result is None:
            assert outcome.error is not None
            for name in (*UNIT_COLUMNS, *self.categories):
                u[name].append(None)
            u["error"][-1] = _located(outcome.error, unit)
            u["year"][-1] = _year(unit.data.get("year"))
            u["incomplete"][-1] = True  # no score at all
            u["errors"][-1] = len(outcome.error.problems)
            return
        self._indicators(unit, result)
        u["year"].append(result.year)
        u["total"].append(self.number(result.total))
        u["total_max"].append(self.number(result.total_max))
        u["grade"].append(result.grade)
        u["incomplete"].append(not result.complete)
        u["errors"].append(len(result.errors))
        u["findings"].append("\n".join(str(f) for f in result.findings))
        u["error"].append(None)
        scores = {c.name: c.score for c in result.categories}
        for name in self.categories:
            u[name].append(self.number(scores.get(name)))

    def _indicators(self, unit: Unit, result: Result) -> None:
        t = self.indicators
        for ind in result.indicators:
            t[self.key].append(unit.key)
            t["row"].append(unit.labels[ind.row] if ind.row is not None and ind.row < len(unit.labels) else None)
            t["name"].append(ind.name)
            t["level1"].append(ind.level1)
            t["level2"].append(ind.level2)
            t["weight"].append(self.number(ind.weight))
            t["score"].append(self.number(ind.score))
            t["method"].append(ind.method)
            t["explanation"].append(ind.explanation)
            t["target"].append(ind.target)
            t["actual"].append(ind.actual)
            t["reviewed"].append(ind.reviewed)
            t["applicable"].append(ind.applicable)
            t["findings"].append("\n".join(str(f) for f in ind.findings))

    def frames(self, pd: Any) -> tuple[Any, Any]:
        return self._frame(pd, self.indicators), self._frame(pd, self.units)

    def frame(self, pd: Any, output: str, columns: Sequence[str]) -> Any:
        """One of the two frames (`units` or `indicators`), with these columns only."""
        table = self.units if output == "units" else self.indicators
        return self._frame(pd, {name: table[name] for name in columns})

    def _frame(self, pd: Any, columns: Mapping[str, list[Any]]) -> Any:
        """A frame whose decimal columns hold Python Decimals, never floats, and whose text columns
        hold str or None (object columns, in pandas 2 and 3 alike)."""
        return pd.DataFrame({name: pd.Series(values, dtype=_DTYPES.get(name, object)) for name, values in columns.items()})


_DTYPES = {"year": "Int64", "errors": "int64", "incomplete": "bool", "reviewed": "bool", "applicable": "bool"}


def _year(raw: Any) -> int | None:
    m = re.match(r"^\s*(\d{4})", f"{raw}") if raw is not None else None
    return int(m.group(1)) if m else None


# ---------------------------------------------------------------- what makes a re-score reproducible


def provenance(scheme: Scheme) -> dict[str, str | None]:
    """The scheme's id and version, a hash of the compiled scheme and perfrules' version: the
    columns that let a result be re-scored by the same rules (docs/scale.md)."""
    from . import __version__

    version = scheme.meta.get("version")
    return {"scheme": scheme.id, "version": None if version is None else f"{version}",
            "scheme_hash": scheme_hash(scheme), "perfrules": __version__}


def scheme_hash(scheme: Scheme) -> str:
    """sha256 (16 hex digits) of the compiled scheme's content: categories, weights, methods as
    written, bands, rounding, policies, vocabulary. The same rules give the same hash in any process
    and on any machine; where the ruleset file sits (and its `extends` paths) does not count."""
    text = json.dumps(_canonical(scheme), ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


_SKIPPED = frozenset({"file", "warnings", "index", "category_index", "where", "tree"})  # where, not what


def _canonical(value: Any) -> Any:
    """A value as JSON data that is the same wherever the scheme was loaded: sets sorted, decimals
    as text, a method as its kind and its parameters as written."""
    if isinstance(value, MethodSpec):
        return {"kind": value.kind, "raw": _canonical(value.raw)}
    if is_dataclass(value) and not isinstance(value, type):
        out = {f.name: _canonical(getattr(value, f.name)) for f in fields(value) if f.name not in _SKIPPED}
        if isinstance(value, Scheme):  # the chain of `extends` is paths; what they gave is in the rest
            out["meta"] = _canonical({k: v for k, v in value.meta.items() if k != "extends"})
        return [type(value).__name__, out]
    if isinstance(value, Mapping):
        return sorted([f"{k}", _canonical(v)] for k, v in value.items())
    if isinstance(value, (set, frozenset)):
        return sorted((_canonical(v) for v in value), key=lambda v: json.dumps(v, ensure_ascii=False, sort_keys=True))
    if isinstance(value, (list, tuple)):
        return [_canonical(v) for v in value]
    if isinstance(value, Decimal):
        return f"D{value}"
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    return type(value).__name__  # a compiled object (a parsed tree): its source text is beside it


# ---------------------------------------------------------------- Spark and Dask: one partition at a time

_RECEIVED: dict[str, Scheme] = {}  # in an executor: each scheme unpickled once, by its hash


class Scorer:
    """A picklable function from one group's (or partition's) rows to its result rows.

    It holds the scheme pickled once, at creation; a Spark executor or a Dask worker unpickles
    it on its first call and keeps it. `output` is `units` or `indicators`.
    """

    def __init__(self, scheme: Scheme, key: str = "unit", output: str = "units", text: bool = False,
                 funds: Any = None):
        if output not in ("units", "indicators"):
            raise ValueError(f"output must be 'units' or 'indicators', not {output!r}")
        self.shipped = pickle.dumps(scheme, protocol=pickle.HIGHEST_PROTOCOL)
        self.digest = hashlib.sha256(self.shipped).hexdigest()
        self.key = key
        self.output = output
        self.text = text
        self.funds = funds
        self.columns = list(_columns(scheme, key, output))
        self.provenance = provenance(scheme)  # hashed once, here, not per group

    def scheme(self) -> Scheme:
        scheme = _RECEIVED.get(self.digest)
        if scheme is None:
            scheme = _RECEIVED[self.digest] = pickle.loads(self.shipped)
        return scheme

    def __call__(self, rows: pandas.DataFrame) -> pandas.DataFrame:
        pd = pandas_module()
        scheme = self.scheme()
        table = Tables(scheme, self.key, text=self.text, made=self.provenance)
        if len(rows):
            for unit, outcome in scored(scheme, units(rows, _only(self.funds, rows, self.key), self.key)):
                table.add(unit, outcome)
        return table.frame(pd, self.output, self.columns)


def _only(funds: Any, rows: Any, key: str) -> Any:
    """The funds rows of the units in `rows` (a partition holds some units; the funds frame names all)."""
    if funds is None:
        return None
    return funds[funds[key].isin(rows[key].unique())]


def _columns(scheme: Scheme, key: str, output: str) -> tuple[str, ...]:
    if output == "indicators":
        return (key, *INDICATOR_COLUMNS)
    return (key, *UNIT_COLUMNS, *(c.name for c in scheme.categories), *PROVENANCE)


_SPARK_TYPES = {"reviewed": "boolean", "applicable": "boolean", "incomplete": "boolean",
                "errors": "int", "year": "int"}


def spark_scorer(scheme: Scheme, key: str = "unit", output: str = "units",
                 key_type: str = "string") -> tuple[Callable[[Any], Any], str]:
    """`(function, schema)` for `rows.groupBy(key).applyInPandas(function, schema)`: each group's rows
    scored, one row per unit (`output="units"`) or per indicator (`"indicators"`).

    Decimals are exact text (`"2.22"`, never a float): cast them in Spark where a decimal type fits
    (`F.col("total").cast("decimal(10,2)")` for a scheme that rounds to 2 places). `key_type` is the
    Spark type of the key column. Funds fields and `year` go in the rows, repeated on each row.
    The indicators' `row` column is left out: a group's index means nothing in Spark.
    """
    scorer = Scorer(scheme, key, output, text=True)
    scorer.columns = [c for c in scorer.columns if c != "row" or output != "indicators"]
    fields_ = []
    for name in scorer.columns:
        kind = key_type if name == key else _SPARK_TYPES.get(name, "string")
        fields_.append(f"`{name.replace('`', '``')}` {kind}")

    def score_group(rows):  # no type hints: Spark would read them as the kind of its UDF
        return scorer(rows)

    return score_group, ", ".join(fields_)


def dask_score(scheme: Scheme, rows: Any, funds: Any = None, key: str = "unit", output: str = "units",
               partitioned: bool = False) -> Any:
    """Score a Dask DataFrame of indicator rows, a partition at a time (`map_partitions`); the result
    is a Dask DataFrame of units (or indicators) with Decimal columns. Every unit's rows must sit in
    one partition: unless `partitioned=True` says they already do, the rows are first shuffled by
    `key`. `funds` is a pandas frame (small: one row per unit), handed to every partition."""
    pd = pandas_module()
    if not partitioned:
        rows = rows.shuffle(on=key)
    function = Scorer(scheme, key, output, text=False, funds=funds)
    meta = pd.DataFrame({name: pd.Series([], dtype=_dask_dtype(name, scheme)) for name in function.columns})
    return rows.map_partitions(function, meta=meta)


def _dask_dtype(name: str, scheme: Scheme) -> str:
    return _DTYPES.get(name, "object")
