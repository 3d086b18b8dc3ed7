"""Scoring-method kinds, one module each: importing this package registers every built-in kind.

A kind's module declares the whole kind in one place (`base.Kind`): its parameters and
their JSON Schema, its compile step, its score function, its 评分标准 wording, the row
the property kit generates for it, the flags the loader, engine and audit ask, and its
docs section with checked examples. Every module of this package is imported here, so a
new kind is a new module and nothing else (docs/adding-a-kind.md walks through one).
"""

from __future__ import annotations

import importlib
import pkgutil

from .base import KINDS, Context, Funds, Inputs, Kind, Need, Outcome, Scored, Unscored, Wording, register

# The order of the schema's `kind:` list and of the kinds' sections in docs/ruleset-format.md:
# the common kinds first. A kind not listed comes after these, by name.
ORDER = ("higher_is_better", "lower_is_better", "equality", "range", "execution_rate", "linear_deduction", "bands",
         "per_occurrence", "pass_fail", "levels", "elements", "qualitative", "compound", "deadline", "formula")
HELPERS = ("base", "common", "words", "assemble", "phrase")  # modules of this package that are not kinds


def _place(name: str) -> tuple[int, str]:
    return (ORDER.index(name) if name in ORDER else len(ORDER), name)


for _module in sorted((m.name for m in pkgutil.iter_modules(__path__) if m.name not in HELPERS), key=_place):
    importlib.import_module(f"{__name__}.{_module}")

__all__ = ["KINDS", "ORDER", "Context", "Funds", "Inputs", "Kind", "Need", "Outcome", "Scored", "Unscored", "Wording",
           "register"]
