"""Exact decimal arithmetic helpers: conversion, a scheme's rounding policy, display.

Scores and money are `decimal.Decimal` from end to end; nothing here accepts a float.
"""

from __future__ import annotations

import decimal
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache
from typing import Literal

from . import limits

ZERO = Decimal(0)
ONE = Decimal(1)
HUNDRED = Decimal(100)

RoundingMode = Literal["half_up", "down", "half_even", "up"]
Stage = Literal["rate", "indicator", "category", "total"]

MODES: dict[RoundingMode, str] = {
    "half_up": decimal.ROUND_HALF_UP,  # 四舍五入, the default
    "down": decimal.ROUND_DOWN,  # truncate (截尾)
    "half_even": decimal.ROUND_HALF_EVEN,  # banker's rounding
    "up": decimal.ROUND_UP,
}

STAGES: tuple[Stage, ...] = ("rate", "indicator", "category", "total")

# rounding never needs more digits than the value has, but quantize refuses a result of more
# than the context's 28 digits: a ratio of two bounded numbers (10^14 ÷ 10^-14) rounds here
WIDE = decimal.Context(prec=100, traps=[decimal.InvalidOperation, decimal.DivisionByZero, decimal.Overflow])


@lru_cache(maxsize=None)
def quantum(places: int) -> Decimal:
    """1E-places: the step `quantize` rounds to (made once per number of places)."""
    return Decimal(1).scaleb(-places)


def quantize(value: Decimal, places: int) -> Decimal:
    """`value` to `places` digits after the point, rounded by the context in force (the scheme's,
    inside evaluate and audit), computed in WIDE so that no number within the limits overflows it."""
    return value.quantize(quantum(places), rounding=decimal.getcontext().rounding, context=WIDE)


def parse_share(text: object) -> Decimal:
    """'30%' -> 0.3, '1/3' -> 0.333…, '0.25' or Decimal('0.25') -> 0.25; ValueError past perfrules.limits."""
    share = _share(text)
    problem = limits.number_problem(share, text if isinstance(text, str) else None)
    if problem is not None:
        raise ValueError(problem)
    return share


def _share(text: object) -> Decimal:
    if isinstance(text, (Decimal, int)) and not isinstance(text, bool):
        return Decimal(text)
    s = str(text).strip().replace("％", "%")
    if s.endswith("%"):
        return Decimal(s[:-1]) / HUNDRED
    if "/" in s:
        num, den = s.split("/", 1)
        return Decimal(num) / Decimal(den)
    return Decimal(s)


@dataclass(frozen=True)
class Step:
    """Rounding at one stage: places after the point and mode."""

    places: int = 2
    mode: RoundingMode = "half_up"

    def __post_init__(self) -> None:
        # WIDE with this step's rounding, and its quantum: made once, not at every score (a
        # quantize given its rounding and context as keywords costs twice one given a context)
        wide = WIDE.copy()
        wide.rounding = MODES[self.mode]  # (an unknown mode fails here, as it failed at the first rounding)
        object.__setattr__(self, "_wide", wide)
        object.__setattr__(self, "_quantum", quantum(self.places))

    def apply(self, value: Decimal) -> Decimal:
        return self.round_settled(settle(value))

    def round_settled(self, value: Decimal) -> Decimal:
        """`apply` for a value already settled (`settle(value) is value`)."""
        return self._wide.quantize(value, self._quantum)  # type: ignore[attr-defined,no-any-return]

    def describe(self) -> str:
        names = {"half_up": "四舍五入", "down": "截尾（舍去）", "half_even": "银行家舍入", "up": "进一"}
        return f"保留{self.places}位小数，{names[self.mode]}"


@dataclass(frozen=True)
class Rounding:
    """A scheme's rounding policy: which stages round, and how each does.

    The default rounds each indicator and the total half-up to 2 places.
    """

    stages: dict[Stage, Step] = field(default_factory=lambda: {"indicator": Step(), "total": Step()})

    def at(self, stage: Stage, value: Decimal) -> Decimal:
        step = self.stages.get(stage)
        return step.apply(value) if step else value

    @property
    def mode(self) -> RoundingMode:
        """The scheme's rounding mode: the total's, else the indicators', else half-up."""
        step = self.stages.get("total") or self.stages.get("indicator")
        return step.mode if step else "half_up"

    def context(self) -> decimal.Context:
        """The decimal context this scheme computes in (see `context`)."""
        return context(self.mode)

    def __hash__(self) -> int:
        return hash(tuple(sorted(self.stages.items())))


PRECISION = 28  # Python's default: the digits a ratio such as 1/3 keeps before any rounding stage
# The digits a result keeps once its arithmetic is done (see `settle`): four fewer than it was
# computed with, so that the last digits a division got wrong are gone before a rounding stage.
SETTLED = PRECISION - 4


def settle(value: Decimal) -> Decimal:
    """A computed score with the error of its divisions taken out, before it is rounded.

    3 × 250 ÷ 1200 is exactly 0.625, but 250 ÷ 1200 = 0.2083…3 (28 digits) times 3 arrives
    as 0.6249999…9, which half-up to 2 places would make 0.62. Rounding to 24 significant
    digits first gives back 0.625, so the stage makes it 0.63 as a person (and a hand-written
    scorer that multiplies first) would. This is exact, not a nudge: a ratio of table figures
    whose denominator q is below 10^10 lies either on a rounding boundary k/10^places or at
    least 1/(q·10^places) away from it, far beyond the 24th digit, so settling never moves
    a value across a boundary it was not exactly on.
    """
    if len(str(value)) <= SETTLED or not value.is_finite() or len(value.as_tuple().digits) <= SETTLED:
        return value  # (the text is never shorter than the digits: a short one needs no look at them)
    return _SETTLING.plus(value)


_SETTLING = decimal.Context(prec=SETTLED, rounding=decimal.ROUND_HALF_EVEN, Emin=-999999, Emax=999999)


@lru_cache(maxsize=None)
def context(mode: RoundingMode = "half_up") -> decimal.Context:
    """The decimal context a scheme owns, whatever the caller set with `decimal.getcontext()`.

    Loading, evaluating, auditing and checks all run in it (`decimal.localcontext(context())`
    copies it), so that a caller's precision, rounding or traps never change a score, an
    explanation or a comparison. Its rounding is the scheme's own mode, so that a
    comparison at a printed precision rounds as the scheme declares.
    """
    return decimal.Context(prec=PRECISION, rounding=MODES[mode], Emin=-999999, Emax=999999, capitals=1, clamp=0,
                           flags=[], traps=[decimal.InvalidOperation, decimal.DivisionByZero, decimal.Overflow])


# fmt's answers by (value, places): an evaluation writes ~150 numbers into its explanations,
# mostly the same weights, shares and scores. Equal non-zero decimals format alike (1.50 and
# 1.5 both give 1.5), but 0 and -0 are equal and do not, so zeros are never cached.
_FMT: dict[tuple[Decimal, int | None], str] = {}
_FMT_MAX = 20_000  # then start again: memory stays flat over any number of inputs


def fmt(value: Decimal, places: int | None = None) -> str:
    """A decimal as people write it: no exponent; `places` fixes the digits after the point.

    Without `places`, trailing zeros go and a long expansion (1/3) is cut to 6 places.
    """
    if places is None:
        # most numbers are written without an exponent and with at most 6 places: then the text
        # is the decimal's own less its trailing zeros, found faster than a cached answer is, as a
        # computed value is new and hashing a new decimal is dear (tests/test_speed.py holds it to _fmt)
        text = str(value)
        point = text.find(".")
        if point < 0:
            if text.isdigit() or (text[0] == "-" and text[1:].isdigit()):
                return text  # (not 1E+3, Infinity or NaN)
        elif len(text) - point <= 7 and "E" not in text:
            text = text.rstrip("0")
            return text[:-1] if text[-1] == "." else text
    try:
        return _FMT[value, places]
    except KeyError:
        pass
    except TypeError:  # a signalling NaN has no hash
        return _fmt(value, places)
    text = _fmt(value, places)
    if value and value.is_finite():
        if len(_FMT) >= _FMT_MAX:
            _FMT.clear()
        _FMT[value, places] = text
    return text


def _fmt(value: Decimal, places: int | None) -> str:
    if places is not None:
        return f"{value.quantize(quantum(places), rounding=decimal.ROUND_HALF_UP, context=WIDE):f}"
    if value == value.to_integral_value(context=WIDE):
        return f"{value.quantize(ONE, context=WIDE):f}"
    # cut to 6 places where it has more (normalized); where it has fewer, quantizing to 6 places is
    # exact and the normalize undoes it, so every value is quantized and no digit is looked at
    return f"{value.quantize(_SIX_PLACES, rounding=decimal.ROUND_HALF_UP, context=WIDE).normalize(WIDE):f}"


_SIX_PLACES = Decimal("0.000001")


def is_long(value: Decimal) -> bool:
    """True when `fmt` would cut the value (more than 6 places after the point)."""
    if not value.is_finite():
        return False
    if value.adjusted() < _LONG_CHECKED:
        # its digits past the sixth place are not all zeros: quantizing to 6 places changes it
        return _CUT.quantize(value, _SIX_PLACES) != value
    exponent = value.normalize(WIDE).as_tuple().exponent  # (too many digits to quantize in WIDE)
    return isinstance(exponent, int) and exponent < -6


_LONG_CHECKED = 90  # a value below 10^90 quantizes to 6 places within WIDE's 100 digits
_CUT = WIDE.copy()
_CUT.rounding = decimal.ROUND_DOWN


def pct(share: Decimal) -> str:
    """0.03 -> '3%', 0.3333 -> '33.33%', 1/3 -> '33.333333%'."""
    return fmt(_PCT.multiply(share, HUNDRED)) + "%"


_PCT = context()


def money(value: Decimal) -> str:
    """An amount as the tables print it: digits kept as written, thousands separated (3,102.95)."""
    return f"{value:,f}"
