"""Checks: named assertions over a report's own figures, tables and text, with a tolerance.

Published tables contradict themselves: rows that do not add up to their total, a
percentage in the text that is not the ratio of the numbers it describes. A ruleset's
`checks:` states what must hold; `perfrules audit` runs them. Kinds:

- `expr: "收入总计 == 本年收入合计 + 年初结转和结余"` over the input's `figures` (and
  `total`, `reported_total`, `budget`, `executed`, `rate`, `reported_rate`);
  `cell("支出决算表", "合计", "基本支出")` reads a table.
- `table: 支出决算表` with `row: "本年支出合计 == 基本支出 + 项目支出"`: every row.
- `table: …` with `tree: {code: 科目代码, columns: […], total: 合计}`: each parent code
  (201) equals the sum of its children (20132 …), and the total row the sum of the tops.
- `claims: true`: every claim of the input (占比72.71% of 144.09 in 198.19) holds to the
  precision printed.

An equality that fails by no more than `tolerance` (尾数误差, 0.01 by default) is an
`info` finding `within_tolerance` that says so; beyond it, a finding with the check's
`code`. A figure a check needs and the input lacks is `check_skipped`, not a pass.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Callable, Mapping

from .decimals import WIDE, ZERO, fmt
from .expr import EvaluationError, Expression
from .record import Claim, Record
from .result import Finding, Result, Severity
from .values import Number, parse, simple

D = Decimal


# the functions a check may call; bound to the input when the check runs
CHECK_FUNCTIONS: dict[str, Callable[..., Any]] = {"cell": lambda table, row, column: ZERO}


@dataclass(frozen=True)
class Check:
    """One compiled check."""

    name: str
    code: str
    kind: str  # expr | row | tree | claims
    severity: Severity = "error"
    tolerance: Decimal = D("0.01")
    expression: Expression | None = None
    table: str | None = None
    tree: Mapping[str, Any] = field(default_factory=dict)
    note: str | None = None


class _Missing(Exception):
    def __init__(self, name: str):
        self.name = name


def _amount(value: Decimal) -> str:
    """An amount as tables print it: its places kept (144.10, not 144.1)."""
    return f"{value:f}"


def _number(value: Any) -> Decimal | None:
    """A cell as a number: blank is 0 in a 决算 table; '—' or text is not a number."""
    if value is None or (isinstance(value, str) and value.strip() in ("", "-", "—")):
        return ZERO
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, Decimal)):
        return Decimal(value)
    parsed = simple(parse(str(value)))
    return parsed.value if isinstance(parsed, Number) else None


def _figure(record: Record, name: str) -> Decimal:
    given = record.figures.get(name)
    if given:
        value = given[0].value
        if isinstance(value, Decimal):
            return value
    raise _Missing(name)


def _row_named(rows: tuple[Mapping[str, Any], ...], key: str) -> Mapping[str, Any] | None:
    return next((r for r in rows if any(isinstance(v, str) and v.strip() == key for v in r.values())), None)


def _functions(record: Record) -> dict[str, Callable[..., Any]]:
    def cell(table: str, row: str, column: str) -> Decimal:
        rows = record.tables.get(table)
        found = _row_named(rows, row) if rows else None
        value = _number(found.get(column)) if found is not None else None
        if value is None:
            raise _Missing(f"{table}·{row}·{column}")
        return value

    return {"cell": cell}


class _Names(dict):  # type: ignore[type-arg]
    """Figures looked up as the expression reads them, so a missing one names itself."""

    def __init__(self, record: Record, extra: Mapping[str, Decimal | None]):
        super().__init__()
        self.record = record
        self.extra = extra

    def __getitem__(self, name: str) -> Decimal:
        if name in self.extra:
            value = self.extra[name]
            if value is None:
                raise _Missing(name)
            return value
        return _figure(self.record, name)

    def __contains__(self, name: object) -> bool:
        return True


def _scalars(record: Record, result: Result | None) -> dict[str, Decimal | None]:
    f = record.funds
    rate = f.executed / f.budget * 100 if f and f.budget and f.executed is not None else None
    return {
        "total": result.total if result is not None else None,
        "reported_total": record.reported_total,
        "budget": f.budget if f else None,
        "executed": f.executed if f else None,
        "rate": rate,
        "reported_rate": f.reported_rate * 100 if f and f.reported_rate is not None else None,
    }


def _compare(check: Check, expression: Expression, names: Mapping[str, Any], functions: Mapping[str, Callable[..., Any]],
             where: str | None) -> Finding | None:
    """An equality compared side by side, with the tolerance; anything else as true or false."""
    tree = expression.tree
    if isinstance(tree, ast.Compare) and len(tree.ops) == 1 and isinstance(tree.ops[0], ast.Eq):
        left = expression.evaluate(names, functions, tree.left)
        right = expression.evaluate(names, functions, tree.comparators[0])
        left, right = Decimal(left), Decimal(right)
        gap = abs(left - right)
        if gap == 0:
            return None
        lhs, rhs = ast.get_source_segment(expression.text, tree.left), ast.get_source_segment(expression.text, tree.comparators[0])
        said = f"{check.name}：{lhs} = {_amount(left)}，{rhs} = {_amount(right)}，相差{_amount(gap)}"
        if gap <= check.tolerance:
            return Finding("info", "within_tolerance", f"{said}，在尾数误差{fmt(check.tolerance)}之内", where,
                           _amount(left), _amount(right))
        return Finding(check.severity, check.code, said, where, _amount(left), _amount(right))
    if not expression.evaluate(names, functions):
        return Finding(check.severity, check.code, f"{check.name}：{expression.text} 不成立", where)
    return None


def _skipped(check: Check, missing: str, where: str | None = None) -> Finding:
    return Finding("info", "check_skipped", f"{check.name}：输入中没有「{missing}」，未核对", where or check.name)


def _run_expr(check: Check, record: Record, result: Result | None) -> list[Finding]:
    assert check.expression is not None
    try:
        found = _compare(check, check.expression, _Names(record, _scalars(record, result)), _functions(record), check.name)
    except _Missing as exc:
        return [_skipped(check, exc.name)]
    return [found] if found else []


def _label(row: Mapping[str, Any]) -> str:
    texts = [str(v) for v in row.values() if isinstance(v, str) and v.strip()]
    return " ".join(texts[:2]) or "（无名行）"


def _run_rows(check: Check, record: Record) -> list[Finding]:
    assert check.expression is not None and check.table is not None
    rows = record.tables.get(check.table)
    if rows is None:
        return [_skipped(check, check.table)]
    out = []
    for row in rows:
        names = {k: _number(v) for k, v in row.items()}
        known = {k: v for k, v in names.items() if v is not None}
        try:
            found = _compare(check, check.expression, _Row(known), _functions(record), f"{check.table}·{_label(row)}")
        except _Missing as exc:
            out.append(_skipped(check, exc.name, f"{check.table}·{_label(row)}"))
            continue
        if found:
            out.append(found)
    return out


class _Row(dict):  # type: ignore[type-arg]
    """A table row's cells by column name; a column the row lacks is blank, which is 0."""

    def __getitem__(self, name: str) -> Decimal:
        value: Decimal = dict.get(self, name, ZERO)
        return value

    def __contains__(self, name: object) -> bool:
        return True


def _run_tree(check: Check, record: Record) -> list[Finding]:
    assert check.table is not None
    rows = record.tables.get(check.table)
    if rows is None:
        return [_skipped(check, check.table)]
    code_col = check.tree["code"]
    columns = check.tree["columns"]
    total_name = check.tree.get("total")
    coded = [(str(r.get(code_col) or "").strip(), r) for r in rows]
    coded = [(c, r) for c, r in coded if c]
    out: list[Finding] = []

    def compare(what: str, parent: Mapping[str, Any], children: list[Mapping[str, Any]]) -> None:
        for column in columns:
            expected = _number(parent.get(column))
            parts = [_number(c.get(column)) for c in children]
            if expected is None or any(p is None for p in parts):
                continue
            got = sum((p for p in parts if p is not None), ZERO)
            gap = abs(expected - got)
            if gap == 0:
                continue
            said = (f"{check.name}：{check.table}「{what}」的{column} {_amount(expected)}，下级合计 "
                    f"{' + '.join(_amount(p) for p in parts if p is not None)} = {_amount(got)}，相差{_amount(gap)}")
            where = f"{check.table}·{what}"
            if gap <= check.tolerance:
                out.append(Finding("info", "within_tolerance", f"{said}，在尾数误差{fmt(check.tolerance)}之内", where,
                                   _amount(expected), _amount(got)))
            else:
                out.append(Finding(check.severity, check.code, said, where, _amount(expected), _amount(got)))

    codes = [c for c, _ in coded]
    for code, row in coded:
        children = [r for c, r in coded if c.startswith(code) and len(c) > len(code)
                    and not any(c.startswith(o) and len(code) < len(o) < len(c) for o in codes)]
        if children:
            compare(f"{code} {_label(row).split(' ', 1)[-1]}", row, children)
    if total_name:
        total = _row_named(rows, total_name)
        shortest = min((len(c) for c in codes), default=0)
        tops = [r for c, r in coded if len(c) == shortest]
        if total is not None and tops:
            compare(total_name, total, tops)
    return out


def _claim_value(record: Record, ref: str) -> Decimal:
    number = simple(parse(ref))
    if isinstance(number, Number):
        return number.value
    return _figure(record, ref)


def _run_claims(check: Check, record: Record) -> list[Finding]:
    out = []
    for claim in record.claims:
        try:
            out.extend(_claim(check, claim, record))
        except _Missing as exc:
            out.append(_skipped(check, exc.name, claim.text))
    return out


def _claim(check: Check, claim: Claim, record: Record) -> list[Finding]:
    values = [_claim_value(record, ref) for ref in claim.of]
    if claim.kind == "share":
        part, whole = values
        if whole == 0:
            return [Finding(check.severity, check.code, f"「{claim.text}」：{claim.of[1]}为0，无法计算占比", claim.text)]
        computed, how = part / whole * 100, f"{fmt(part)} ÷ {fmt(whole)}"
    elif claim.kind == "growth":
        increase, now = values
        before = now - increase
        if before == 0:
            return [Finding(check.severity, check.code, f"「{claim.text}」：上年数为0，无法计算增幅", claim.text)]
        computed, how = increase / before * 100, f"{fmt(increase)} ÷ ({fmt(now)} − {fmt(increase)})"
    else:
        computed, how = values[0], claim.of[0]
    # the precision printed: 72.71% is right if the ratio rounds to it, give or take a unit in the last place
    unit = D(1).scaleb(-claim.places)
    shown = computed.quantize(unit, context=WIDE)
    gap = abs(shown - claim.value)
    suffix = "%" if claim.kind != "equals" else ""
    said = f"「{claim.text}」：{how} = {fmt(computed.quantize(D('0.0001'), context=WIDE))}{suffix}，文中为{fmt(claim.value)}{suffix}"
    if gap == 0:
        return []
    if gap <= unit:
        return [Finding("info", "within_tolerance", f"{said}，差一个末位，在印刷精度之内", claim.text,
                        f"{claim.value:f}", f"{shown:f}")]
    return [Finding(check.severity, check.code, said, claim.text, f"{claim.value:f}", f"{shown:f}")]


def run(checks: tuple[Check, ...], record: Record, result: Result | None) -> list[Finding]:
    """Every check's findings, in the order the ruleset lists the checks."""
    out: list[Finding] = []
    for check in checks:
        try:
            if check.kind == "expr":
                out += _run_expr(check, record, result)
            elif check.kind == "row":
                out += _run_rows(check, record)
            elif check.kind == "tree":
                out += _run_tree(check, record)
            else:
                out += _run_claims(check, record)
        except EvaluationError as exc:
            out.append(Finding("error", "check_error", f"{check.name}：无法计算：{exc.message}", check.name))
        except (ArithmeticError, TypeError, ValueError) as exc:
            out.append(Finding("error", "check_error", f"{check.name}：无法计算（{type(exc).__name__}）", check.name))
    return out
