"""Helpers for the 评分标准 sentence each kind states in its `describe`.

`perfrules explain` prints these sentences beside each indicator so that an analyst can
compare the ruleset with the published scheme, e.g. linear deduction with full_at 100%,
step 1% and deduct 1% reads "业绩值为100%得满分，每降低1%扣权重分的1%，扣完为止".
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any, Callable

from ..decimals import fmt, pct


def interval_words(iv: Any, show: Callable[[Decimal], str], both_ends: bool = False) -> str:
    """[80, 90) -> '80（含）至90', [90%, ) -> '90%（含）以上', [0, 60%) -> '低于60%'
    (or '0（含）至60%' with `both_ends`)."""
    low = None if iv.low is None else show(iv.low)
    high = None if iv.high is None else show(iv.high)
    if low is None or (iv.low == 0 and iv.low_inclusive and high is not None and not both_ends):
        if high is None:
            return "任意值"
        return f"{high}（含）以下" if iv.high_inclusive else f"低于{high}"
    if high is None:
        return f"{low}（含）以上" if iv.low_inclusive else f"高于{low}"
    return f"{low}{'（含）' if iv.low_inclusive else ''}至{high}{'（含）' if iv.high_inclusive else ''}"


def share_words(written: Any, share: Decimal) -> str:
    """A share as the ruleset wrote it (1/3, 33.33%), else as a percentage (0.3 -> 30%):
    a fraction written 1/3 is stated 1/3, never 33.333333%."""
    if isinstance(written, str) and written.strip():
        return written.strip().replace("％", "%")
    return pct(share)


def item(raw: Any, key: str, i: int, field: str) -> Any:
    """The written value of `raw[key][i][field]`, if the method wrote one."""
    items = raw.get(key) if isinstance(raw, dict) else None
    if isinstance(items, list) and i < len(items) and isinstance(items[i], dict):
        return items[i].get(field)
    return None


def unit_of(iv: Any) -> Callable[[Decimal], str]:
    return lambda d: fmt(d) + iv.unit
