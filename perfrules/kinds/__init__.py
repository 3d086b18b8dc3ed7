"""Scoring-method kinds, one module each: importing this package registers every built-in kind.

A kind's module declares the whole kind in one place (`base.Kind`): its parameters and
their JSON Schema, its compile step, its score function, its 评分标准 wording, the row
the property kit generates for it, the flags the loader, engine and audit ask, and a
checked docs example. docs/adding-a-kind.md walks through one.
"""

# registration order is the order of `kind:` in the ruleset schema (a new kind goes last)
from . import higher_is_better  # noqa: F401, I001
from . import lower_is_better  # noqa: F401
from . import equality  # noqa: F401
from . import range  # noqa: F401
from . import execution_rate  # noqa: F401
from . import linear_deduction  # noqa: F401
from . import bands  # noqa: F401
from . import per_occurrence  # noqa: F401
from . import pass_fail  # noqa: F401
from . import levels  # noqa: F401
from . import elements  # noqa: F401
from . import qualitative  # noqa: F401
from . import compound  # noqa: F401
from . import deadline  # noqa: F401
from . import formula  # noqa: F401
from .base import KINDS, Context, Funds, Inputs, Kind, Need, Outcome, Scored, Unscored, Wording, register

__all__ = ["KINDS", "Context", "Funds", "Inputs", "Kind", "Need", "Outcome", "Scored", "Unscored", "Wording", "register"]
