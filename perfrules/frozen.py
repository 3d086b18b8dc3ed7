"""Frozen dataclasses built from a dict of their fields: the constructor of the hot paths.

A frozen dataclass's `__init__` sets each field through `object.__setattr__`: for the
22 fields of `Inputs` that is most of the cost of scoring one indicator. `make` fills
the instance's dict in one step instead. The object is the same as the constructor's
(equal, hashed and printed alike); the caller starts from `defaults(cls)` so that no
field is left out, and tests/test_frozen.py checks each use against the constructor.
"""

from __future__ import annotations

from dataclasses import MISSING, fields
from typing import Any, TypeVar

T = TypeVar("T")


def defaults(cls: type) -> dict[str, Any]:
    """Every field of the dataclass `cls` that has a default, with it (a factory called once)."""
    out: dict[str, Any] = {}
    for f in fields(cls):
        if f.default is not MISSING:
            out[f.name] = f.default
        elif f.default_factory is not MISSING:
            out[f.name] = f.default_factory()
    return out


def make(cls: type[T], values: dict[str, Any]) -> T:
    """An instance of the frozen dataclass `cls` with these field values (all of them: start
    from `defaults(cls)`), made without calling its `__init__`. `values` becomes the instance's
    dict, not a copy of it: pass a new dict, and do not change it after."""
    obj = object.__new__(cls)
    _set(obj, "__dict__", values)
    return obj


_set = object.__setattr__
