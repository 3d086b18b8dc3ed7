"""Read YAML (and JSON) keeping where every value came from.

Floats become `Decimal` from their source text (never a binary float), timestamps stay
text, duplicate keys and `.inf`/`.nan` are located errors. The composed node tree is
kept so that a later error about `categories[2].weight` can name its line and column
without parsing the file twice.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any, Sequence

import yaml

from .errors import PathPart, PerfrulesError, Problem, format_path


class _Located(Exception):
    def __init__(self, message: str, mark: yaml.Mark | None):
        super().__init__(message)
        self.message = message
        self.mark = mark


class _Loader(yaml.SafeLoader):
    """SafeLoader with exact decimals, text timestamps, string keys, no duplicate keys."""


def _construct_decimal(loader: _Loader, node: yaml.ScalarNode) -> Decimal:
    text = str(loader.construct_scalar(node)).replace("_", "")
    if text.lower().lstrip("+-") in (".inf", ".nan"):
        raise _Located(f"{text} is not a number a score can use", node.start_mark)
    try:
        return Decimal(text)
    except InvalidOperation:  # pragma: no cover - the resolver only passes valid floats
        raise _Located(f"{text!r} is not a number", node.start_mark) from None


def _construct_mapping(loader: _Loader, node: yaml.MappingNode, deep: bool = False) -> dict[str, Any]:
    """A mapping with string keys; a key written twice in it is an error.

    YAML merge keys are legal: `<<: *base` brings in the keys of `base` (of the earlier
    of several merged mappings first), and a key written in the mapping itself overrides
    a merged one. The node's pairs are left merged and without duplicates, so that a
    node tree constructed again (after `extends`) reads the same.
    """
    own = {id(k) for k, _ in node.value if k.tag != "tag:yaml.org,2002:merge"}
    loader.flatten_mapping(node)  # merged pairs first, then the mapping's own
    out: dict[str, Any] = {}
    where: dict[str, int] = {}
    pairs: list[tuple[yaml.Node, yaml.Node]] = []
    written: set[str] = set()
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if isinstance(key, (dict, list)):
            raise _Located("a key must be a plain value", key_node.start_mark)
        key = "" if key is None else str(key)
        if id(key_node) in own:
            if key in written:
                raise _Located(f"duplicate key '{key}'", key_node.start_mark)
            written.add(key)
        if key in where:  # a merged key, overridden by the mapping's own or by an earlier merged mapping
            pairs[where[key]] = (key_node, value_node)
        else:
            where[key] = len(pairs)
            pairs.append((key_node, value_node))
        out[key] = loader.construct_object(value_node, deep=deep)
    node.value = pairs
    return out


_Loader.add_constructor("tag:yaml.org,2002:float", _construct_decimal)
_Loader.add_constructor("tag:yaml.org,2002:timestamp", yaml.SafeLoader.construct_yaml_str)  # type: ignore[type-var]
_Loader.add_constructor("tag:yaml.org,2002:map", _construct_mapping)  # type: ignore[arg-type]


@dataclass
class Document:
    """Parsed data plus the node tree it came from, to locate any path in it."""

    data: Any
    file: str
    node: yaml.Node | None = None

    def where(self, path: Sequence[PathPart], key: bool = False) -> tuple[str, int | None, int | None]:
        """(file, line, column), 1-based, of the value at `path` or its nearest existing parent
        (with `key=True`, of a mapping key itself). In a ruleset merged from the files it
        extends, the file is the one that wrote that value."""
        node = self.node
        if node is None:
            return self.file, None, None
        best = node.start_mark
        for i, part in enumerate(path):
            last = i == len(path) - 1
            if isinstance(node, yaml.MappingNode):
                for key_node, value_node in node.value:
                    if isinstance(key_node, yaml.ScalarNode) and key_node.value == str(part):
                        best = key_node.start_mark if (key and last) else value_node.start_mark
                        node = value_node
                        break
                else:
                    break
            elif isinstance(node, yaml.SequenceNode) and isinstance(part, int) and 0 <= part < len(node.value):
                node = node.value[part]
                best = node.start_mark
            else:
                break
        return mark_file(best, self.file), best.line + 1, best.column + 1

    def problem(self, path: Sequence[PathPart], message: str, hint: str | None = None, key: bool = False) -> Problem:
        file, line, column = self.where(path, key=key)
        return Problem(message, file=file, line=line, column=column, path=format_path(path), hint=hint)


def mark_file(mark: yaml.Mark, default: str) -> str:
    """The file a mark points into (loads() names each stream after its file)."""
    name = getattr(mark, "name", None)
    return name if isinstance(name, str) and not name.startswith("<") else default


def loads(text: str, file: str, error: type[PerfrulesError]) -> Document:
    """Parse YAML or JSON text; any syntax problem is `error` naming file, line and column."""
    loader = _Loader(text)
    loader.name = file  # every mark then names its file: errors in extended rulesets say which
    try:
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
    except _Located as exc:
        line = exc.mark.line + 1 if exc.mark else None
        col = exc.mark.column + 1 if exc.mark else None
        raise error([Problem(exc.message, file=file, line=line, column=col)]) from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        message = " ".join(p for p in (exc.context, exc.problem) if p) or "not valid YAML"
        raise error(
            [Problem(f"not valid YAML: {message}", file=file,
                     line=mark.line + 1 if mark else None, column=mark.column + 1 if mark else None)]
        ) from None
    except yaml.YAMLError as exc:
        raise error([Problem(f"not valid YAML: {exc}", file=file)]) from None
    finally:
        loader.dispose()
    return Document(data=data, file=file, node=node)


def construct(node: yaml.Node, file: str, error: type[PerfrulesError]) -> Document:
    """A Document from a node tree composed (and perhaps merged) elsewhere."""
    loader = _Loader("")
    try:
        data = loader.construct_document(node)
    except _Located as exc:
        raise error([Problem(exc.message, file=mark_file(exc.mark, file) if exc.mark else file,
                             line=exc.mark.line + 1 if exc.mark else None,
                             column=exc.mark.column + 1 if exc.mark else None)]) from None
    finally:
        loader.dispose()
    return Document(data=data, file=file, node=node)


def read_bytes(path: str | Path, error: type[PerfrulesError]) -> bytes:
    """A file's bytes; a missing or unreadable file is `error`, naming it."""
    name = str(path)
    try:
        return Path(path).read_bytes()
    except FileNotFoundError:
        raise error([Problem("no such file", file=name)]) from None
    except IsADirectoryError:
        raise error([Problem("is a directory, not a file", file=name)]) from None
    except OSError as exc:
        raise error([Problem(f"cannot read: {exc.strerror}", file=name)]) from None


def load(path: str | Path, error: type[PerfrulesError]) -> Document:
    """Read and parse a file; a missing or unreadable file is `error` too."""
    name = str(path)
    try:
        text = read_bytes(path, error).decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise error([Problem(f"not UTF-8 text ({exc.reason} at byte {exc.start})", file=name)]) from None
    return loads(text, name, error)
