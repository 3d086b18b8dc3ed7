"""Which answers are worth remembering: a key is kept from its second sight, not its first.

The reader remembers rows by what they hold, so that an equal row of another input (100%,
合格, elements 1–4) is read once. Many rows of a table are seen once (96.02% against 100%):
remembering those costs memory and, worse, the garbage collector's time, as every object
kept (the row, its cells, their values) is walked by each collection it lives through, and
buys nothing. A `Doorkeeper` (TinyLFU's) says whether a key was offered before: a bitmap of
the keys' hashes, so it holds no object for the collector to walk. Two keys that share a slot
are both taken as seen (the row is kept at its first sight, as every row was before); after a
quarter of the slots are set it starts again, so that a key is taken as seen wrongly at most
a quarter of the time. Remembering never changes an answer, only its cost.

(The engine's remembered scores have no doorkeeper: tried, it cost a score recomputed at
every second sight and gained no time, a score holding far fewer objects than a row:
benchmarks/README.md.)
"""

from __future__ import annotations

from collections.abc import Hashable

SLOTS = 1 << 16  # 64 KiB


class Doorkeeper:
    """Whether a key was offered before (`seen`), in a fixed 64 KiB whatever is offered."""

    __slots__ = ("_bits", "_set")

    def __init__(self) -> None:
        self._bits = bytearray(SLOTS)
        self._set = 0

    def seen(self, key: Hashable) -> bool:
        """True when `key` (or a key that shares its slot) was offered since the last start;
        else False, and it is noted."""
        slot = hash(key) & (SLOTS - 1)
        bits = self._bits
        if bits[slot]:
            return True
        if self._set >= SLOTS // 4:
            self.clear()
            bits = self._bits
        bits[slot] = 1
        self._set += 1
        return False

    def clear(self) -> None:
        self._bits[:] = bytes(SLOTS)
        self._set = 0
