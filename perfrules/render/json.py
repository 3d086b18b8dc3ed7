"""A result as JSON: `Result.to_dict`, with Chinese text as it is (not \\u escapes)."""

from __future__ import annotations

import json

from ..result import Result


def to_json(result: Result) -> str:
    return json.dumps(result.to_dict(), ensure_ascii=False, indent=2)
