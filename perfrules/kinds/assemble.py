"""What is assembled from the kinds: the ruleset JSON Schema (the scheme's own keys from
schema/ruleset.base.json, each method kind's keys from its module) and the method-kind
sections of docs/ruleset-format.md (each kind's `docs`). One source; the files are generated.

    python -m perfrules.kinds.assemble   # rewrite perfrules/schema/ruleset.schema.json,
                                         # docs/schema/ruleset.schema.json and the kinds'
                                         # part of docs/ruleset-format.md

tests/test_kinds.py fails when a file differs from what this module assembles.
"""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path
from typing import Any

from .base import KINDS, Kind


def _then(kind: Kind) -> dict[str, Any]:
    """The keys a method of `kind` may write: its own, `kind` itself and a `note`."""
    out: dict[str, Any] = {
        "properties": {**(kind.params or {}), "kind": {"const": kind.name}, "note": {"type": "string"}},
        "additionalProperties": False,
    }
    if kind.required:
        out["required"] = list(kind.required)
    if kind.title:
        out["description"] = kind.title
    return out


def method_schema() -> dict[str, Any]:
    """`$defs/method`: a `kind` among the registered ones, then that kind's keys only."""
    return {
        "type": "object",
        "required": ["kind"],
        "properties": {"kind": {"enum": list(KINDS)}},
        "allOf": [{"if": {"properties": {"kind": {"const": name}}, "required": ["kind"]}, "then": _then(kind)}
                  for name, kind in KINDS.items()],
    }


def base() -> dict[str, Any]:
    text = resources.files("perfrules").joinpath("schema/ruleset.base.json").read_text(encoding="utf-8")
    loaded: dict[str, Any] = json.loads(text)
    return loaded


def assemble() -> dict[str, Any]:
    """The whole ruleset schema: the base with `$defs/method` (and the kinds' own definitions) filled in."""
    schema = base()
    schema.pop("$comment", None)
    defs: dict[str, Any] = {}
    for name, definition in schema["$defs"].items():
        if name == "method":
            for kind in KINDS.values():
                defs.update(kind.defs)
            defs["method"] = method_schema()
        else:
            defs[name] = definition
    schema["$defs"] = defs
    return schema


def text() -> str:
    """The assembled schema as the shipped file holds it."""
    return json.dumps(assemble(), indent=1, ensure_ascii=False) + "\n"


# docs/ruleset-format.md holds the kinds' sections after this line, to its end
DOCS_MARK = "<!-- the sections below are each kind's `docs`, written by `python -m perfrules.kinds.assemble`: edit them in perfrules/kinds/ -->"


def docs_sections() -> str:
    """Every kind's section of docs/ruleset-format.md, in registration order."""
    return "\n".join(f"### `{name}`\n\n{(kind.docs or '').strip(chr(10))}\n" for name, kind in KINDS.items())


def ruleset_format(current: str) -> str:
    """docs/ruleset-format.md with its kinds' part replaced by `docs_sections()`."""
    head = current.split(DOCS_MARK, 1)[0]
    return head + DOCS_MARK + "\n\n" + docs_sections()


def main() -> None:
    root = Path(__file__).resolve().parents[2]
    for path in (root / "perfrules" / "schema" / "ruleset.schema.json", root / "docs" / "schema" / "ruleset.schema.json"):
        path.write_text(text(), encoding="utf-8")
        print(f"wrote {path.relative_to(root)}")
    page = root / "docs" / "ruleset-format.md"
    page.write_text(ruleset_format(page.read_text(encoding="utf-8")), encoding="utf-8")
    print(f"wrote {page.relative_to(root)} (the method kinds' sections)")


if __name__ == "__main__":
    main()
