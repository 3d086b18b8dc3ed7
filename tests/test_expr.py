"""Expressions run in simpleeval, parsed once, checked against a whitelist, exact decimals."""

from __future__ import annotations

from decimal import Decimal

import pytest

from perfrules.expr import BadExpression, compile_expression


def test_literals_are_exact_decimals():
    expr = compile_expression("0.1 + 0.2 == 0.3", [])
    assert expr.evaluate({}) is True
    assert compile_expression("actual / 3", ["actual"]).evaluate({"actual": Decimal(1)}) == Decimal(1) / Decimal(3)


@pytest.mark.parametrize("text,message", [
    ("actual.__class__", "'Attribute' is not allowed"),
    ("'text'", "only numbers are allowed"),
    ("open('x')", "unknown function 'open'"),
    ("[1, 2]", "'List' is not allowed"),
    ("lambda: 1", "'Lambda' is not allowed"),
    ("min(a=1)", "positional arguments only"),
    ("x", "unknown name 'x'"),
    ("1 +", "does not parse"),
])
def test_refused_at_load(text, message):
    with pytest.raises(BadExpression, match=message.replace("(", r"\(").replace("[", r"\[")):
        compile_expression(text, ["actual"])


def test_functions_and_names_it_reads():
    expr = compile_expression("clamp(round(actual / target, 2), 0, 1) if target > 0 else 0", ["actual", "target"])
    assert expr.names == {"actual", "target"}
    assert expr.evaluate({"actual": Decimal(97), "target": Decimal(100)}) == Decimal("0.97")


def test_division_by_zero_is_an_arithmetic_error():
    expr = compile_expression("actual / target", ["actual", "target"])
    with pytest.raises(ArithmeticError):
        expr.evaluate({"actual": Decimal(1), "target": Decimal(0)})
