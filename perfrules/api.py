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

from . import audit as audit_mod, engine, sources
from .model import Scheme, action
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
