"""What `Scheme.evaluate` and `Scheme.audit` do with what a user hands them: a Record, a mapping,
or the path of a YAML/JSON file or a spreadsheet.

The input is read here (perfrules.sources), above the engine and the audit, which take a
Record and read no file. perfrules/__init__.py imports this module, which registers both
actions on the model (perfrules.model.action), so that the model imports neither.
"""

from __future__ import annotations

import decimal
from pathlib import Path
from typing import Any, Mapping

from . import audit as audit_mod, engine, need as need_mod, sources
from .model import Scheme, action, query
from .record import Record
from .result import Result

Source = Mapping[str, Any] | str | Path | Record


@action("evaluate")
def evaluate(scheme: Scheme, data: Source) -> Result:
    """Read the input (in the scheme's decimal context: 70% is read as 0.7 there) and score it."""
    with decimal.localcontext(scheme.rounding.context()):
        return engine.evaluate(scheme, sources.read(data))


@action("audit")
def audit(scheme: Scheme, data: Source) -> Result:
    """Read the input and audit it: score it, compare what it reports, run the scheme's checks."""
    with decimal.localcontext(scheme.rounding.context()):
        return audit_mod.audit(scheme, sources.read(data))


@query("need")
def need(scheme: Scheme, data: Source, grade: str | None = None) -> need_mod.Answer:
    """Read the input and answer what it takes to reach full marks and `grade` (perfrules.need)."""
    with decimal.localcontext(scheme.rounding.context()):
        return need_mod.need(scheme, sources.read(data), grade)
