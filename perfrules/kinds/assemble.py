"""What is assembled from the kinds: the ruleset JSON Schema (the scheme's own keys from
schema/ruleset.base.json, each method kind's keys from its module) and the method-kind
sections of docs/ruleset-format.md (each kind's `docs`). One source; the files are generated.

    python -m perfrules.kinds.assemble   # rewrite perfrules/schema/ruleset.schema.json,
                                         # docs/schema/ruleset.schema.json and the kinds'
                                         # part of docs/ruleset-format.md; and the hover help
                                         # (markdownDescription) of the input and cases schemas

tests/test_kinds.py fails when a file differs from what this module assembles.
"""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path
from typing import Any, Mapping

from .base import KINDS, NAMES, Kind


NOTE = {"type": "string", "description": "说明：写给读方案的人，不参与计分。",
        "examples": ["评分标准见附表1第3行"]}


def _written(kind: Kind) -> list[str]:
    """What a ruleset may write for `kind:` to mean this kind: its name or one of its Chinese names."""
    return [kind.name, *kind.names]


def _kind_help(kind: Kind) -> dict[str, Any]:
    zh = "、".join(kind.names) or kind.title or kind.name
    return {NAMES: {name: kind.name for name in kind.names},
            "description": f"计分方法：{zh}（{kind.name}），英文名或中文名均可。", "examples": _written(kind)}


def _then(kind: Kind) -> dict[str, Any]:
    """The keys a method of `kind` may write: its own, `kind` itself and a `note`."""
    out: dict[str, Any] = {
        "properties": {**(kind.params or {}), "kind": {"enum": _written(kind), **_kind_help(kind)}, "note": NOTE},
        "additionalProperties": False,
    }
    if kind.required:
        out["required"] = list(kind.required)
    if kind.title:
        out["description"] = kind.title
    return out


def method_schema() -> dict[str, Any]:
    """`$defs/method`: a `kind` among the registered ones, then that kind's keys only."""
    names = {zh: name for name, kind in KINDS.items() for zh in kind.names}
    return {
        "type": "object",
        "required": ["kind"],
        "properties": {"kind": {"enum": [*KINDS, *names], NAMES: names,
                                "description": "计分方法的种类，英文名或中文名均可（`正向指标` 即 `higher_is_better`）。"
                                               "各种方法及其参数见 docs/ruleset-format.md。",
                                "examples": ["higher_is_better", "正向指标"]}},
        "allOf": [{"if": {"properties": {"kind": {"enum": _written(kind)}}, "required": ["kind"]}, "then": _then(kind)}
                  for kind in KINDS.values()],
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
    out: dict[str, Any] = helped(schema)
    return out


def _example(value: Any) -> str:
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)


def markdown(node: Mapping[str, Any]) -> str:
    """A node's hover help: its Chinese description, the values an enum takes, then its examples."""
    text = str(node["description"])
    names = node.get(NAMES) or {}
    if "enum" in node and any(not isinstance(v, bool) for v in node["enum"]):
        chinese = {english: [zh for zh, e in names.items() if e == english] for english in node["enum"] if english not in names}
        text += "\n\n可选值：" + "；".join(f"`{_example(v)}`" + (f"（{'、'.join(zh)}）" if zh else "")
                                          for v, zh in chinese.items())
    examples = node.get("examples") or []
    if examples:
        text += "\n\n例：" + "，".join(f"`{_example(e)}`" for e in examples)
    return text


def helped(node: Any) -> Any:
    """`node` with an enum's Chinese names among its values and a `markdownDescription` beside every description."""
    if isinstance(node, list):
        return [helped(v) for v in node]
    if not isinstance(node, dict):
        return node
    out = {k: helped(v) for k, v in node.items()}
    if NAMES in out and "enum" in out:
        out["enum"] = [*out["enum"], *(zh for zh in out[NAMES] if zh not in out["enum"])]
    if isinstance(out.get("description"), str):
        out["markdownDescription"] = markdown(out)
    return out


def helped_text(path: Path) -> str:
    """A hand-kept schema file (input, cases) with its markdownDescriptions made from its descriptions."""
    return json.dumps(helped(json.loads(path.read_text(encoding="utf-8"))), indent=1, ensure_ascii=False) + "\n"


def text() -> str:
    """The assembled schema as the shipped file holds it."""
    return json.dumps(assemble(), indent=1, ensure_ascii=False) + "\n"


# docs/ruleset-format.md holds the kinds' sections after this line, to its end
DOCS_MARK = "<!-- the sections below are each kind's `docs`, written by `python -m perfrules.kinds.assemble`: edit them in perfrules/kinds/ -->"


def docs_sections() -> str:
    """Every kind's section of docs/ruleset-format.md, in registration order."""
    return "\n".join(f"### `{name}`\n\n{_also(kind)}{(kind.docs or '').strip(chr(10))}\n" for name, kind in KINDS.items())


def _also(kind: Kind) -> str:
    """The line under a kind's heading that gives its Chinese names."""
    if not kind.names:
        return ""
    names = " or ".join(f"`{zh}`" for zh in kind.names)
    return f"Chinese name: {names} (`kind: {kind.names[0]}` is `kind: {kind.name}`).\n\n"


def ruleset_format(current: str) -> str:
    """docs/ruleset-format.md with its kinds' part replaced by `docs_sections()`."""
    head = current.split(DOCS_MARK, 1)[0]
    return head + DOCS_MARK + "\n\n" + docs_sections()


def main() -> None:
    root = Path(__file__).resolve().parents[2]
    for path in (root / "perfrules" / "schema" / "ruleset.schema.json", root / "docs" / "schema" / "ruleset.schema.json"):
        path.write_text(text(), encoding="utf-8")
        print(f"wrote {path.relative_to(root)}")
    for name in ("input", "cases"):
        source = root / "perfrules" / "schema" / f"{name}.schema.json"
        written = helped_text(source)
        for path in (source, root / "docs" / "schema" / f"{name}.schema.json"):
            path.write_text(written, encoding="utf-8")
            print(f"wrote {path.relative_to(root)} (its hover help)")
    page = root / "docs" / "ruleset-format.md"
    page.write_text(ruleset_format(page.read_text(encoding="utf-8")), encoding="utf-8")
    print(f"wrote {page.relative_to(root)} (the method kinds' sections)")


if __name__ == "__main__":
    main()
