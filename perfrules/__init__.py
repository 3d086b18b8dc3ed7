"""perfrules: budget-performance self-evaluation schemes (预算绩效自评评分方案) as data.

    import perfrules
    scheme = perfrules.load("rulesets/henan/zhengzhou-project-2021.yaml")  # parse, validate, compile once
    result = scheme.evaluate("examples/zhengzhou-project-2021.yaml")        # score many inputs
    result.total, result.grade, result.indicators[0].explanation
"""

from . import api as _api  # noqa: F401 - it gives Scheme its evaluate and audit
from .errors import ExpressionError, InputError, PerfrulesError, Problem, RulesetError
from .load import load, loads
from .many import score_many
from .model import Scheme
from .result import Finding, IndicatorScore, Result

__version__ = "0.1.0"  # the one place: pyproject reads it ([tool.setuptools.dynamic])

__all__ = [
    "load", "loads", "score_many", "Scheme", "Result", "IndicatorScore", "Finding",
    "PerfrulesError", "RulesetError", "InputError", "ExpressionError", "Problem", "__version__",
]
