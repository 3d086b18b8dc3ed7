"""Deprecated: the kinds moved to `perfrules.kinds` (one module per kind). Kept so that code
written against `perfrules.methods.METHODS` still runs; nothing in perfrules imports it."""

from ..kinds import KINDS, Funds, Inputs, Kind, Outcome, Scored, Unscored, Wording

METHODS = KINDS
Method = Kind

__all__ = ["METHODS", "Funds", "Inputs", "Method", "Outcome", "Scored", "Unscored", "Wording"]
