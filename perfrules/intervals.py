"""Intervals side by side: which values a set of bands leaves without a band, or gives two.

Grade bands (over totals) and a `bands` method's table (over values) are checked alike at
load, with an example value inside each hole for the message.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Sequence

from .model import Interval


def empty(iv: Interval) -> bool:
    """Whether the interval holds no value: [80, 80), (90, 80]."""
    return iv.low is not None and iv.high is not None and (
        iv.low > iv.high or (iv.low == iv.high and not (iv.low_inclusive and iv.high_inclusive)))


@dataclass(frozen=True)
class Hole:
    """Values that a set of bands gives no band (a gap) or two (an overlap), with one of them."""

    kind: str  # gap | overlap
    index: int  # the band where it shows (its position as written); -1: after the last band
    interval: Interval  # that band
    region: Interval  # the values concerned
    example: Decimal  # a value inside the region: the one a message names


def coverage(bands: Sequence[tuple[int, Interval]], low: Decimal | None = None,
             high: Decimal | None = None) -> list[Hole]:
    """Gaps and overlaps of non-empty intervals over [low, high] (None: from the lowest band / to the highest).

    The example of a gap lies in the gap and of an overlap in both bands: the open gap
    (32, 32.4) names 32.2, never 32.4, which a band holds.
    """
    NEG, POS = Decimal("-Infinity"), Decimal("Infinity")

    def lo(iv: Interval) -> Decimal:
        return iv.low if iv.low is not None else NEG

    order = sorted(bands, key=lambda b: (lo(b[1]), not b[1].low_inclusive))
    if not order:
        return []
    holes: list[Hole] = []
    seen: list[Interval] = []
    if low is None:
        cursor, covered = lo(order[0][1]), not order[0][1].low_inclusive  # nothing below the first band counts
    else:
        cursor, covered = low, False
    started = low is None
    for i, iv in order:
        a = lo(iv)
        b = iv.high if iv.high is not None else POS
        if not started:
            started = True
            if a < cursor or (a == cursor and iv.low_inclusive):
                pass  # the first band reaches down to `low` (or below: "(, 60)" is [0, 60) here)
            else:
                region = Interval(cursor, a, not covered, not iv.low_inclusive)
                holes.append(Hole("gap", i, iv, region, _inside(region, [cursor, a])))
        elif a < cursor or (a == cursor and covered and iv.low_inclusive):
            top = min(cursor, b)
            example = next((x for x in (a, (a + top) / 2 if a > NEG else top, top)
                            if x.is_finite() and iv.contains(x) and any(s.contains(x) for s in seen)), a)
            holes.append(Hole("overlap", i, iv, Interval(a, top, iv.low_inclusive, True), example))
        elif a > cursor or (a == cursor and not covered and not iv.low_inclusive):
            region = Interval(cursor, a, not covered, not iv.low_inclusive)
            holes.append(Hole("gap", i, iv, region, _inside(region, [cursor, a])))
        seen.append(iv)
        if b > cursor or (b == cursor and iv.high_inclusive):
            cursor, covered = b, iv.high_inclusive
    if high is not None and (cursor < high or (cursor == high and not covered)):
        region = Interval(cursor, high, not covered, True)
        holes.append(Hole("gap", -1, region, region, _inside(region, [cursor, high])))
    return holes


def _inside(region: Interval, ends: list[Decimal]) -> Decimal:
    """An end of the region if it holds one, else its middle."""
    for x in ends:
        if x.is_finite() and region.contains(x):
            return x
    return (ends[0] + ends[1]) / 2
