"""Expressions in rulesets (`formula` methods), run in simpleeval, parsed once at load.

The parsed tree is checked against a whitelist when the ruleset loads: only arithmetic,
comparisons, `and`/`or`/`not`, `x if c else y`, the functions below and the names the
ruleset may use. Numeric literals become `Decimal` from their source text, so `0.1`
is exactly one tenth. Each evaluation uses a fresh evaluator: nothing is shared.
An expression's size, nesting and powers are bounded (perfrules.limits), so that
evaluating one takes bounded time; a result beyond the bounds is an `EvaluationError`.
"""

from __future__ import annotations

import ast
import decimal
import operator as op
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Callable, Iterable, Mapping

import simpleeval

from . import limits
from .i18n import gettext as _
from .limits import ENV


class EvaluationError(ArithmeticError):
    """An expression's value (or a step towards it) is beyond what a score can use."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def _round(x: Decimal, places: Decimal | int = 0) -> Decimal:
    if not -28 <= places <= 28:
        raise EvaluationError(f"round(…, {places}): at most 28 places")
    return Decimal(x).quantize(Decimal(1).scaleb(-int(places)), rounding=decimal.ROUND_HALF_UP)


def _clamp(x: Decimal, low: Decimal, high: Decimal) -> Decimal:
    return max(low, min(high, x))


def _integral(x: Decimal | int, rounding: str) -> Decimal:
    # Decimal's own rounding: math.floor(10**999999) would build a million-digit int first
    return Decimal(x).to_integral_value(rounding=rounding)


def _power(base: Any, exponent: Any) -> Any:
    """`x ** n` with |n| bounded: 9**9**9 is refused at once instead of computed."""
    most = limits.current().max_power
    if isinstance(exponent, (int, Decimal)) and not -most <= exponent <= most:
        raise EvaluationError(f"an exponent of {exponent} is beyond the limit of {limits.current().max_power} "
                              f"({ENV['max_power']})")
    return base ** exponent


FUNCTIONS: dict[str, Callable[..., Any]] = {
    "min": min,
    "max": max,
    "abs": abs,
    "floor": lambda x: _integral(x, decimal.ROUND_FLOOR),
    "ceil": lambda x: _integral(x, decimal.ROUND_CEILING),
    "round": _round,  # half-up, as a finance bureau rounds
    "clamp": _clamp,
}

OPERATORS: dict[type, Callable[..., Any]] = {
    ast.Add: op.add, ast.Sub: op.sub, ast.Mult: op.mul, ast.Div: op.truediv, ast.FloorDiv: op.floordiv,
    ast.Mod: op.mod, ast.Pow: _power, ast.USub: op.neg, ast.UAdd: op.pos, ast.Not: op.not_,
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

        Arithmetic errors propagate as ArithmeticError; a number result beyond
        perfrules.limits (|x| ≥ 10^15 by default) is an EvaluationError.
        """
        evaluator = simpleeval.SimpleEval(operators=dict(OPERATORS), functions={**FUNCTIONS, **(functions or {})},
                                          names=names if isinstance(names, dict) else dict(names))
        try:
            out = evaluator.eval(self.text, previously_parsed=node or self.tree)
        except simpleeval.InvalidExpression as exc:  # simpleeval's own guards (none expected past compile)
            raise EvaluationError(str(exc)) from None
        if isinstance(out, (int, Decimal)) and not isinstance(out, bool):
            problem = limits.number_problem(out)
            if problem is not None:
                raise EvaluationError(problem)
        return out


def compile_expression(text: object, allowed: Iterable[str], any_name: bool = False,
                       functions: Mapping[str, Callable[..., Any]] | None = None) -> Expression:
    """Parse and check `text`; BadExpression names the column of the first problem.

    `any_name`: names are not known until evaluation (a check's figures); `functions`:
    extra functions, which may also take text arguments (cell("支出决算表", "合计", "基本支出")).
    """
    allowed = set(allowed)
    known = {**FUNCTIONS, **(functions or {})}
    if not isinstance(text, str) or not text.strip():
        raise BadExpression(_("an expression must be non-empty text"))
    source = text.strip()
    lim = limits.current()
    if len(source) > lim.max_expression_length:
        raise BadExpression(f"{len(source):,} characters is beyond the limit of {lim.max_expression_length:,} for "
                            f"one expression ({ENV['max_expression_length']}): split the rule or use a built-in kind")
    try:
        module = ast.parse(source, mode="eval")
    except SyntaxError as exc:
        raise BadExpression(_("does not parse: {problem}").format(problem=exc.msg), exc.offset or 1) from None
    except (RecursionError, MemoryError):
        raise BadExpression(f"nested too deeply to read (more than {lim.max_expression_depth} levels, "
                            f"{ENV['max_expression_depth']})") from None
    _check_size(module)
    names: set[str] = set()
    called = {id(n.func) for n in ast.walk(module) if isinstance(n, ast.Call)}
    for node in ast.walk(module):
        col = getattr(node, "col_offset", 0) + 1
        if not isinstance(node, _NODES):
            raise BadExpression(_("'{node}' is not allowed in an expression").format(node=type(node).__name__), col)
        if isinstance(node, ast.Call):
            if not isinstance(node.func, ast.Name) or node.func.id not in known:
                name = node.func.id if isinstance(node.func, ast.Name) else _("this call")
                raise BadExpression(_("unknown function '{name}' (known: {known})").format(name=name, known=", ".join(sorted(known))), col)
            if node.keywords:
                raise BadExpression(_("functions take positional arguments only"), col)
        elif isinstance(node, ast.Name):
            if id(node) in called:
                continue
            if node.id in ("True", "False"):
                continue
            if node.id not in allowed and not any_name:
                raise BadExpression(_("unknown name '{name}' (known: {known})").format(name=node.id, known=", ".join(sorted(allowed))), col)
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
                raise BadExpression(_("only numbers are allowed as literals, not {value}").format(value=repr(node.value)), col)
    expression = Expression(source, module.body, frozenset(names))
    _check_constant_powers(expression)
    return expression


def _check_constant_powers(expression: Expression) -> None:
    """`9**9**9` is refused at load, where its numbers need no data: an error of the ruleset, not a
    finding on every input it scores. A power that reads a name (`actual ** 101`) is bounded when
    it is evaluated, as before."""
    for node in ast.walk(expression.tree):
        if not (isinstance(node, ast.BinOp) and isinstance(node.op, ast.Pow)):
            continue
        if any(isinstance(n, (ast.Name, ast.Call)) for n in ast.walk(node)):
            continue
        try:
            expression.evaluate({}, node=node)
        except EvaluationError as exc:
            raise BadExpression(str(exc), node.col_offset + 1) from None
        except ArithmeticError:
            continue  # 0 ** -1 and the like: a finding when scored, as before


def _check_size(module: ast.Expression) -> None:
    """Refuse an expression with too many parts or nested too deeply (without recursing)."""
    lim = limits.current()
    count = 0
    stack: list[tuple[ast.AST, int]] = [(module.body, 1)]
    while stack:
        node, depth = stack.pop()
        count += 1
        if count > lim.max_expression_nodes:
            raise BadExpression(f"more than {lim.max_expression_nodes} numbers, names and operators in one expression "
                                f"({ENV['max_expression_nodes']}): split the rule or use a built-in kind")
        if depth > lim.max_expression_depth:
            raise BadExpression(f"nested deeper than {lim.max_expression_depth} levels "
                                f"({ENV['max_expression_depth']}): a long sum of terms nests one level per term",
                                getattr(node, "col_offset", 0) + 1)
        stack.extend((child, depth + 1) for child in ast.iter_child_nodes(node) if isinstance(child, ast.expr))
