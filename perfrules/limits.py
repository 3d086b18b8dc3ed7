"""Every bound perfrules puts on what it reads, in one place, each a documented setting.

Files come from other people: a bound keeps a hostile or broken one (a zip bomb, an
alias bomb, a 10,000-digit number, a formula of 5,000 terms) to a clear error instead of
a crash, a hang or an exhausted machine. Each limit has a default, an environment
variable (read when perfrules is imported) and can be changed from Python with
`configure(...)` or, for a while, `override(...)`. docs/limits.md lists them all.
"""

from __future__ import annotations

import os
from contextlib import contextmanager
from dataclasses import dataclass, fields, replace
from functools import lru_cache
from decimal import Decimal
from typing import Callable, Iterator


@dataclass(frozen=True)
class Limits:
    """The bounds in force. Sizes are in bytes, counts in items."""

    max_file_bytes: int = 10_000_000  # a ruleset or input file read from disk
    max_xlsx_bytes: int = 50_000_000  # an .xlsx workbook's XML, uncompressed (a zip bomb is 4 MB on disk)
    max_rows: int = 200_000  # rows of one sheet or CSV file
    max_cells: int = 4_000_000  # cells of one sheet (rows × columns, merged ranges included)
    max_depth: int = 100  # nesting of a YAML or JSON document (lists in mappings in lists …)
    max_values: int = 2_000_000  # values in a YAML document once its aliases (*name) are expanded
    max_digits: int = 40  # digits of one number as written
    max_number: Decimal = Decimal("1e15")  # a number's size: 0, or 1/max_number <= |x| < max_number
    max_expression_length: int = 2_000  # characters of one formula or check expression
    max_expression_nodes: int = 500  # operators, names and numbers in one expression
    max_expression_depth: int = 100  # nesting of one expression (brackets, operators inside operators)
    max_power: int = 100  # the largest exponent `x ** n` may use in an expression
    max_cell_chars: int = 1_000  # characters of one target or actual cell the value parser reads


ENV = {f.name: "PERFRULES_" + f.name.upper() for f in fields(Limits)}


# the largest max_number: a ratio of two numbers within it (max ÷ 1/max, 10^90) still rounds to 2 places
# within the 100 digits decimals.WIDE holds, and the bounds' own arithmetic (10^n, 1/max_number) stays
# inside the decimal context's exponents (PERFRULES_MAX_NUMBER=1e1000000 was an Overflow at import)
_NUMBER_BOUND = Decimal("1e45")


def _from_env(base: Limits, environ: dict[str, str] | os._Environ[str]) -> Limits:
    changes: dict[str, object] = {}
    for name, var in ENV.items():
        text = environ.get(var)
        if text is None or not text.strip():
            continue
        try:
            value = Decimal(text.strip().replace("_", ""))
        except ArithmeticError:
            raise ValueError(f"{var}={text!r} is not a number") from None
        if not value.is_finite() or value <= 0:
            raise ValueError(f"{var}={text!r} must be a positive number")
        if name == "max_number" and value > _NUMBER_BOUND:
            raise ValueError(f"{var}={text!r} must be at most 1e45")
        changes[name] = value if name == "max_number" else int(value)
    return replace(base, **changes)  # type: ignore[arg-type]


def _initial() -> Limits:
    try:
        return _from_env(Limits(), os.environ)
    except ValueError:
        return Limits()  # reported by the CLI (check_environment) rather than failing an import


_current = _initial()


# what remembers answers that depend on the limits (the value parser's cache): forgotten when they change
_listeners: list[Callable[[], None]] = []


def on_change(forget: Callable[[], None]) -> None:
    """Call `forget` whenever the limits change (a cache of answers made under the old ones)."""
    _listeners.append(forget)


def _changed() -> None:
    for forget in _listeners:
        forget()


def current() -> Limits:
    """The limits in force."""
    return _current


def check_environment() -> str | None:
    """What is wrong with a PERFRULES_MAX_* variable, or None."""
    try:
        _from_env(Limits(), os.environ)
    except ValueError as exc:
        return str(exc)
    return None


def configure(**changes: int | Decimal) -> Limits:
    """Change limits for the rest of the process, e.g. `configure(max_rows=500_000)`; returns the old ones."""
    global _current
    old = _current
    unknown = set(changes) - set(ENV)
    if unknown:
        raise TypeError(f"unknown limit(s): {', '.join(sorted(unknown))} (known: {', '.join(ENV)})")
    if "max_number" in changes and Decimal(changes["max_number"]) > _NUMBER_BOUND:
        raise ValueError(f"max_number must be at most 1e45, not {changes['max_number']}")
    _current = replace(_current, **{k: Decimal(v) if k == "max_number" else int(v) for k, v in changes.items()})  # type: ignore[arg-type]
    _changed()
    return old


@contextmanager
def override(**changes: int | Decimal) -> Iterator[Limits]:
    """Other limits within a `with` block (tests, a caller reading one known-large file)."""
    global _current
    old = configure(**changes)
    try:
        yield _current
    finally:
        _current = old
        _changed()


def number_problem(value: Decimal | int, written: str | None = None) -> str | None:
    """Why a number is beyond the bounds, or None. `written`: its text, to count its digits."""
    lim = _current
    if lim is _DEFAULT and written is None:  # the common case, in the bounds most inputs are read under
        if type(value) is int:
            if -_INT_OK < value < _INT_OK:
                return None
        elif type(value) is Decimal and _TENS is not None and value.is_finite() and (
                not value or -_TENS <= value.adjusted() < _TENS):
            return None
    if written is not None:
        digits = sum(ch.isdigit() for ch in written)
        if digits > lim.max_digits:
            return f"a number of {digits} digits is beyond the limit of {lim.max_digits} ({ENV['max_digits']})"
    if isinstance(value, int):
        # compare without turning a huge int into text (Python refuses past 4,300 digits)
        too_big, too_small = abs(value) >= lim.max_number, False
    else:
        if not value.is_finite():
            return f"{value} is not a number a score can use"
        size = value.copy_abs()  # exact: abs() would round in the context, and overflow on 1e+30600000
        too_big = size >= lim.max_number
        # 12.1e-300 as a budget would make an execution rate of 10^300: as far out as 10^300 itself
        too_small = size != 0 and size < _smallest(lim.max_number)
    if too_big or too_small:
        return (f"a number this {'large' if too_big else 'small'} is beyond the limit (other than 0, its size must be "
                f"between {_shown(1 / lim.max_number)} and {_shown(lim.max_number)}, {ENV['max_number']})")
    return None


@lru_cache(maxsize=8)
def _smallest(max_number: Decimal) -> Decimal:
    return 1 / max_number


_DEFAULT = _current
_INT_OK = int(_DEFAULT.max_number) if _DEFAULT.max_number >= 1 else 0  # |n| below it is within the default bounds


def _tens(bound: Decimal) -> int | None:
    """n when the bound is 10^n (n ≥ 1): then 10^-n ≤ |x| < 10^n is -n ≤ x.adjusted() < n."""
    n = bound.adjusted()
    return n if n >= 1 and bound == Decimal(1).scaleb(n) else None


_TENS = _tens(_DEFAULT.max_number)


def within(value: Decimal | int, written: str | None = None) -> bool:
    """True when a number is inside the bounds (see `number_problem`)."""
    return number_problem(value, written) is None


def _shown(d: Decimal) -> str:
    exponent = d.normalize().as_tuple().exponent
    if isinstance(exponent, int) and abs(exponent) > 6 and d == Decimal(1).scaleb(exponent):
        return f"10^{exponent}"
    return f"{d:f}"


def megabytes(n: int) -> str:
    """20000000 -> '20 MB' (decimal megabytes, as file managers show them)."""
    return f"{n / 1_000_000:g} MB"
