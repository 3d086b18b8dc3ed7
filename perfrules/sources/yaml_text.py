"""Read YAML (and JSON) keeping where every value came from.

Floats become `Decimal` from their source text (never a binary float), timestamps stay
text, duplicate keys and `.inf`/`.nan` are located errors. The composed node tree is
kept so that a later error about `categories[2].weight` can name its line and column
without parsing the file twice. The bounds of perfrules.limits hold here, at the edge:
file size, nesting, values after alias expansion, a number's digits and size.

Where PyYAML has libyaml (`yaml.__with_libyaml__`), its C parser composes the node tree
(ten times faster than the pure-Python one) and the same constructors build the data; the
bounds are checked on the composed tree. Anything the fast path does not accept as it
stands (a syntax error, a control character, a bound crossed, a constructor's error) is
read again by the pure-Python loader, whose messages and marks are the ones reported, so a
located error reads the same with or without libyaml.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any, Sequence, cast

import yaml

from .. import limits
from ..errors import PathPart, PerfrulesError, Problem, format_path
from ..i18n import gettext as _


class _Located(Exception):
    def __init__(self, message: str, mark: yaml.Mark | None):
        super().__init__(message)
        self.message = message
        self.mark = mark


# the C parser where PyYAML was built with libyaml; False forces the pure-Python loader (tests, benchmarks)
FAST: bool = bool(getattr(yaml, "__with_libyaml__", False))


class _Constructor(yaml.constructor.SafeConstructor):
    """SafeConstructor with exact decimals, text timestamps, string keys and no duplicate keys
    (the constructors are registered below), shared by both loaders."""

    def construct_object(self, node: yaml.Node, deep: bool = False) -> Any:
        """A scalar straight from its constructor: most nodes are scalars, and PyYAML's bookkeeping
        for shared and recursive objects (a third of the time to construct a file) is for collections."""
        if type(node) is yaml.ScalarNode:
            constructor = self.yaml_constructors.get(node.tag)
            if constructor is not None:
                return constructor(self, node)
        return super().construct_object(node, deep=deep)


class _Loader(yaml.reader.Reader, yaml.scanner.Scanner, yaml.parser.Parser, yaml.composer.Composer, _Constructor,
              yaml.resolver.Resolver):
    """The pure-Python loader: _Constructor, with nesting and alias expansion bounded while composing."""

    def __init__(self, stream: str):
        yaml.reader.Reader.__init__(self, stream)
        yaml.scanner.Scanner.__init__(self)
        yaml.parser.Parser.__init__(self)
        yaml.composer.Composer.__init__(self)
        _Constructor.__init__(self)
        yaml.resolver.Resolver.__init__(self)
        self._depth = 0
        # per composed node: (values it holds once aliases are expanded, its nesting depth)
        self._measure: dict[int, tuple[int, int]] = {}

    def compose_node(self, parent: yaml.Node | None, index: Any) -> yaml.Node:
        lim = limits.current()
        if self.check_event(yaml.AliasEvent):
            mark = self.peek_event().start_mark  # type: ignore[no-untyped-call]
            node = cast(yaml.Node, super().compose_node(parent, index))  # an alias always names a node
            measured = self._measure.get(id(node))
            if measured is None:
                raise _Located("an alias (*name) used inside the value it names: a recursive document cannot be read",
                               mark)
            if self._depth + measured[1] > lim.max_depth:
                raise _Located(f"nested deeper than {lim.max_depth} levels once its aliases are expanded "
                               f"({limits.ENV['max_depth']})", mark)
            return node
        self._depth += 1
        if self._depth > lim.max_depth:
            raise _Located(f"nested deeper than {lim.max_depth} levels ({limits.ENV['max_depth']})",
                           self.peek_event().start_mark)  # type: ignore[no-untyped-call]
        node = cast(yaml.Node, super().compose_node(parent, index))
        node.end_mark = node.start_mark  # errors name where a value starts; a third of the memory less
        self._depth -= 1
        if isinstance(node, yaml.MappingNode):
            children = [n for pair in node.value for n in pair]
        elif isinstance(node, yaml.SequenceNode):
            children = node.value
        else:
            children = []
        measured_children = [self._measure[id(c)] for c in children]
        size = 1 + sum(m[0] for m in measured_children)
        depth = 1 + max((m[1] for m in measured_children), default=0)
        if size > lim.max_values:
            raise _Located(f"holds more than {lim.max_values:,} values once its aliases (*name) are expanded "
                           f"({limits.ENV['max_values']}): an alias bomb?", node.start_mark)
        self._measure[id(node)] = (size, depth)
        return node


def _bounded(number: Decimal | int, text: str | None, node: yaml.ScalarNode) -> None:
    """A located error when the number (or, with `text`, its digits as written) is beyond the limits."""
    problem = limits.number_problem(number, text)
    if problem is not None:
        raise _Located(problem, node.start_mark)


def _construct_decimal(loader: _Constructor, node: yaml.ScalarNode) -> Decimal:
    text = str(loader.construct_scalar(node)).replace("_", "")
    if text.lower().lstrip("+-") in (".inf", ".nan"):
        raise _Located(f"{text} is not a number a score can use", node.start_mark)
    _bounded(0, text, node)  # the digits, before Decimal reads them
    try:
        value = Decimal(text)
    except InvalidOperation:  # pragma: no cover - the resolver only passes valid floats
        raise _Located(f"{text!r} is not a number", node.start_mark) from None
    _bounded(value, None, node)  # its size (the digits are counted above)
    return value


def _construct_int(loader: _Constructor, node: yaml.ScalarNode) -> int:
    text = str(loader.construct_scalar(node))
    _bounded(0, text, node)  # Python refuses to read an integer of more than 4,300 digits
    value: int = loader.construct_yaml_int(node)
    _bounded(value, None, node)  # its size (the digits are counted above)
    return value


def _construct_mapping(loader: _Constructor, node: yaml.MappingNode, deep: bool = False) -> dict[str, Any]:
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


# (the stubs bind add_constructor to PyYAML's own loader classes)
_Constructor.add_constructor("tag:yaml.org,2002:float", _construct_decimal)  # type: ignore[type-var]
_Constructor.add_constructor("tag:yaml.org,2002:int", _construct_int)  # type: ignore[type-var]
_Constructor.add_constructor("tag:yaml.org,2002:timestamp", yaml.SafeLoader.construct_yaml_str)  # type: ignore[type-var]
_Constructor.add_constructor("tag:yaml.org,2002:map", _construct_mapping)  # type: ignore[type-var]


if FAST:
    from yaml._yaml import CParser

    class _FastLoader(CParser, _Constructor, yaml.resolver.Resolver):
        """libyaml's parser and composer with _Constructor; the bounds are checked after composing."""

        def __init__(self, stream: io.StringIO):
            CParser.__init__(self, stream)
            _Constructor.__init__(self)
            yaml.resolver.Resolver.__init__(self)

        def resolve(self, kind: type, value: Any, implicit: tuple[bool, bool]) -> str:
            """The tag of a plain value, once per distinct text: libyaml asks for every node, and a
            batch's files repeat their keys and values (the resolver's rules never change)."""
            if kind is not yaml.ScalarNode:
                return str(super().resolve(kind, value, implicit))  # type: ignore[no-untyped-call]
            key = (value, implicit)
            tag = _RESOLVED.get(key)
            if tag is None:
                if len(_RESOLVED) > 20_000:
                    _RESOLVED.clear()  # bounded: a file of a million distinct texts does not grow it past this
                tag = _RESOLVED[key] = str(super().resolve(kind, value, implicit))  # type: ignore[no-untyped-call]
            return tag


_RESOLVED: dict[tuple[Any, tuple[bool, bool]], str] = {}


class _Beyond(Exception):
    """The fast path found a bound crossed: the pure-Python loader says which, and where."""


def _within_bounds(root: yaml.Node) -> None:
    """The bounds _Loader.compose_node checks while composing, checked on a tree libyaml composed:
    nesting (aliases expanded), values once aliases are expanded, no alias inside what it names.

    Raises _Beyond where the pure loader would raise; recursion stops at the depth bound."""
    lim = limits.current()
    measured: dict[int, tuple[int, int]] = {}
    open_: set[int] = set()

    def visit(node: yaml.Node, above: int) -> tuple[int, int]:
        key = id(node)
        if key in open_:
            raise _Beyond  # an alias used inside the value it names
        known = measured.get(key)
        if known is not None:  # an alias: its value counted again where it is used
            if above + known[1] > lim.max_depth:
                raise _Beyond
            return known
        if above + 1 > lim.max_depth:
            raise _Beyond
        node.end_mark = node.start_mark  # errors name where a value starts; a third of the memory less
        if isinstance(node, yaml.MappingNode):
            children = [n for pair in node.value for n in pair]
        elif isinstance(node, yaml.SequenceNode):
            children = node.value
        else:
            measured[key] = (1, 1)
            return measured[key]
        open_.add(key)
        size, depth = 1, 0
        for child in children:
            if type(child) is yaml.ScalarNode and id(child) not in measured:  # most nodes: no call
                if above + 2 > lim.max_depth:
                    raise _Beyond
                child.end_mark = child.start_mark
                size += 1
                depth = max(depth, 1)
                continue
            child_size, child_depth = visit(child, above + 1)
            size += child_size
            depth = max(depth, child_depth)
        open_.discard(key)
        if size > lim.max_values:
            raise _Beyond
        measured[key] = (size, depth + 1)
        return measured[key]

    visit(root, 0)


def _fast(text: str, file: str) -> tuple[yaml.Node | None, Any]:
    """Node tree and data by libyaml; _Beyond (or any YAML or constructor error) sends the text
    to the pure-Python loader."""
    if yaml.reader.Reader.NON_PRINTABLE.search(text):
        raise _Beyond  # the pure reader names the character, its line and column
    if "\t" in text or "?" in text:
        # libyaml takes a tab as a separator and a ? inside a plain value in a flow mapping
        # ({kind: lower_is_bet?ter}); PyYAML's own reader refuses both. A file must read the
        # same with and without libyaml, so such a text goes to the pure loader.
        raise _Beyond
    stream = io.StringIO(text)
    stream.name = file  # every mark then names its file, as loader.name does for the pure loader
    loader = _FastLoader(stream)
    try:
        node = loader.get_single_node()
        if node is None:
            return None, None
        _within_bounds(node)
        return node, loader.construct_document(node)
    finally:
        loader.dispose()


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


def _unreadable_character(exc: yaml.reader.ReaderError, text: str, file: str) -> Problem:
    """A control character (\\x00, \\x07, \\x0b: text pasted from Word or a PDF), located."""
    at = exc.position if isinstance(exc.position, int) and 0 <= exc.position <= len(text) else None
    code = exc.character if isinstance(exc.character, int) else ord(str(exc.character)[:1] or "\0")
    message = (f"a control character (U+{code:04X}) is not allowed in YAML or JSON text: "
               "delete it (text pasted from Word or a PDF often carries one)")
    if at is None:
        return Problem(message, file=file)
    line = text.count("\n", 0, at) + 1
    column = at - (text.rfind("\n", 0, at) + 1) + 1
    return Problem(message, file=file, line=line, column=column)


def loads(text: str, file: str, error: type[PerfrulesError]) -> Document:
    """Parse YAML or JSON text; any syntax problem is `error` naming file, line and column."""
    most = limits.current().max_file_bytes
    if len(text) > most:
        raise error([Problem(f"{len(text):,} characters is beyond the limit of {limits.megabytes(most)} "
                             f"({limits.ENV['max_file_bytes']})", file=file)])
    if FAST:
        try:
            node, data = _fast(text, file)
            return Document(data=data, file=file, node=node)
        except (_Beyond, _Located, yaml.YAMLError):
            pass  # read again below: the pure-Python loader's message and mark are the ones reported
    try:
        loader = _Loader(text)  # the reader refuses control characters here, before parsing
    except yaml.reader.ReaderError as exc:
        raise error([_unreadable_character(exc, text, file)]) from None
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
        message = " ".join(p for p in (exc.context, exc.problem) if p) or _("not valid YAML")
        raise error(
            [Problem(_("not valid YAML: {problem}").format(problem=message), file=file,
                     line=mark.line + 1 if mark else None, column=mark.column + 1 if mark else None)]
        ) from None
    except yaml.reader.ReaderError as exc:
        raise error([_unreadable_character(exc, text, file)]) from None
    except yaml.YAMLError as exc:
        raise error([Problem(_("not valid YAML: {problem}").format(problem=exc), file=file)]) from None
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
    most = limits.current().max_file_bytes
    try:
        with open(path, "rb") as f:
            data = f.read(most + 1)  # never more: /dev/zero or a 5 GB export stops here
    except FileNotFoundError:
        raise error([Problem(_("no such file"), file=name)]) from None
    except IsADirectoryError:
        raise error([Problem(_("is a directory, not a file"), file=name)]) from None
    except OSError as exc:
        raise error([Problem(_("cannot read: {reason}").format(reason=exc.strerror), file=name)]) from None
    if len(data) > most:
        raise error([Problem(f"larger than the limit of {limits.megabytes(most)} ({limits.ENV['max_file_bytes']})",
                             file=name)])
    return data


def load(path: str | Path, error: type[PerfrulesError]) -> Document:
    """Read and parse a file; a missing or unreadable file is `error` too."""
    name = str(path)
    try:
        text = read_bytes(path, error).decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise error([Problem(_("not UTF-8 text ({reason} at byte {byte})").format(reason=exc.reason, byte=exc.start), file=name)]) from None
    return loads(text, name, error)
