"""Scoring-method kinds. Importing this package registers every built-in kind in METHODS."""

from . import formula, judged, quantitative, wording  # noqa: F401  (registration)
from .registry import METHODS, Funds, Inputs, Method, Outcome, Scored, Unscored, Wording, method

__all__ = ["METHODS", "Funds", "Inputs", "Method", "Outcome", "Scored", "Unscored", "Wording", "method"]
