"""Expressions in rulesets (`formula` methods), run in simpleeval, parsed once at load.

The parsed tree is checked against a whitelist when the ruleset loads: only arithmetic,
comparisons, `and`/`or`/`not`, `x if c else y`, the functions below and the names the
ruleset may use. Numeric literals become `Decimal` from their source text, so `0.1`
is exactly one tenth. Each evaluation uses a fresh evaluator: nothing is shared.
"""

from __future__ import annotations

import ast
import decimal
import math
import operator as op
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Callable, Iterable, Mapping

import simpleeval


def _round(x: Decimal, places: int = 0) -> Decimal:
    return Decimal(x).quantize(Decimal(1).scaleb(-int(places)), rounding=decimal.ROUND_HALF_UP)


def _clamp(x: Decimal, low: Decimal, high: Decimal) -> Decimal:
    return max(low, min(high, x))


FUNCTIONS: dict[str, Callable[..., Any]] = {
    "min": min,
    "max": max,
    "abs": abs,
    "floor": lambda x: Decimal(math.floor(x)),
    "ceil": lambda x: Decimal(math.ceil(x)),
    "round": _round,  # half-up, as a finance bureau rounds
    "clamp": _clamp,
}

OPERATORS: dict[type, Callable[..., Any]] = {
    ast.Add: op.add, ast.Sub: op.sub, ast.Mult: op.mul, ast.Div: op.truediv, ast.FloorDiv: op.floordiv,
    ast.Mod: op.mod, ast.Pow: simpleeval.safe_power, ast.USub: op.neg, ast.UAdd: op.pos, ast.Not: op.not_,
    ast.Eq: op.eq, ast.NotEq: op.ne, ast.Lt: op.lt, ast.LtE: op.le, ast.Gt: op.gt, ast.GtE: op.ge,
}

_NODES = (
    ast.Expression, ast.BinOp, ast.UnaryOp, ast.BoolOp, ast.Compare, ast.IfExp, ast.Call, ast.Name,
    ast.Constant, ast.Load, ast.And, ast.Or, *OPERATORS.keys(),
)


class BadExpression(Exception):
    """Why an expression was refused, and the 1-based column where."""

    def __init__(self, message: str, column: int = 1):
        super().__init__(message)
        self.message = message
        self.column = column


@dataclass(frozen=True)
class Expression:
    """A parsed, checked expression. `names` are the names it reads."""

    text: str
    tree: ast.AST
    names: frozenset[str]

    def evaluate(self, names: Mapping[str, Any], functions: Mapping[str, Callable[..., Any]] | None = None,
                 node: ast.AST | None = None) -> Any:
        """Evaluate (the whole tree, or one `node` of it) with these names bound.

        Arithmetic errors propagate as ArithmeticError.
        """
        evaluator = simpleeval.SimpleEval(operators=dict(OPERATORS), functions={**FUNCTIONS, **(functions or {})},
                                          names=names if isinstance(names, dict) else dict(names))
        return evaluator.eval(self.text, previously_parsed=node or self.tree)


def compile_expression(text: str, allowed: Iterable[str], any_name: bool = False,
                       functions: Mapping[str, Callable[..., Any]] | None = None) -> Expression:
    """Parse and check `text`; BadExpression names the column of the first problem.

    `any_name`: names are not known until evaluation (a check's figures); `functions`:
    extra functions, which may also take text arguments (cell("支出决算表", "合计", "基本支出")).
    """
    allowed = set(allowed)
    known = {**FUNCTIONS, **(functions or {})}
    if not isinstance(text, str) or not text.strip():
        raise BadExpression("an expression must be non-empty text")
    source = text.strip()
    try:
        module = ast.parse(source, mode="eval")
    except SyntaxError as exc:
        raise BadExpression(f"does not parse: {exc.msg}", exc.offset or 1) from None
    names: set[str] = set()
    for node in ast.walk(module):
        col = getattr(node, "col_offset", 0) + 1
        if not isinstance(node, _NODES):
            raise BadExpression(f"'{type(node).__name__}' is not allowed in an expression", col)
        if isinstance(node, ast.Call):
            if not isinstance(node.func, ast.Name) or node.func.id not in known:
                name = node.func.id if isinstance(node.func, ast.Name) else "this call"
                raise BadExpression(f"unknown function '{name}' (known: {', '.join(sorted(known))})", col)
            if node.keywords:
                raise BadExpression("functions take positional arguments only", col)
        elif isinstance(node, ast.Name):
            is_function = any(isinstance(p, ast.Call) and p.func is node for p in ast.walk(module))
            if is_function:
                continue
            if node.id in ("True", "False"):
                continue
            if node.id not in allowed and not any_name:
                raise BadExpression(f"unknown name '{node.id}' (known: {', '.join(sorted(allowed))})", col)
            names.add(node.id)
        elif isinstance(node, ast.Constant):
            if isinstance(node.value, bool):
                continue
            if isinstance(node.value, (int, float)):
                segment = ast.get_source_segment(source, node) or repr(node.value)
                node.value = Decimal(segment.replace("_", ""))  # type: ignore[assignment]  # simpleeval returns it as is
            elif isinstance(node.value, str) and functions:
                continue  # text arguments of the extra functions
            else:
                raise BadExpression(f"only numbers are allowed as literals, not {node.value!r}", col)
    return Expression(source, module.body, frozenset(names))
