"""`extends:`: a ruleset written as the difference from another (national → province → city).

The files are merged as YAML node trees before validation, so every value keeps the
line, column and file it was written in: an error in an inherited part names the
parent file. Merge rules, child over parent:

- `categories` merge by `name`; inside a category, `indicators` merge by `name`. An
  entry with a parent of the same name changes the keys it gives (a new `method`
  drops the parent's `note` and `rule`, which describe the old one); `remove: true`
  removes the parent's entry; a new name is added at the end.
- `scoring` rules merge by `name` the same way, except that a new rule goes before the
  parent's last rule when that one has no `when:` (the catch-all), so that it can match.
  A `scoring` list whose rules have no names replaces the parent's.
- `vocabulary` word lists (`met`, `partly`, `not_met`) add to the parent's; `means`,
  `policies`, `terms` and `rounding` merge key by key.
- Anything else (`grades`, `scoring`, `source`, `total`, `name` …) is replaced as a whole.

`extends` names a ruleset by id (`national/project-2020`, looked up in the folders
above the file, in $PERFRULES_PATH, then among the rulesets installed with perfrules)
or by a path relative to the file (`../national/project-2020.yaml`). A path must stay
inside the allowed folders: the folder of the ruleset being loaded (and below), the
folder of the ruleset that writes the `extends`, the installed rulesets, the folders of
$PERFRULES_PATH and those the caller allows (`load(..., allow=[...])`, `--allow-dir`).
What is found must be a ruleset (a mapping with `perfrules:` and `id:`); an error about
a file that is not one quotes nothing from it.
"""

from __future__ import annotations

import os
import re
from contextlib import contextmanager
from contextvars import ContextVar
from importlib import resources
from pathlib import Path
from typing import Iterable, Iterator

import yaml

from .sources import yaml_text
from .errors import PathPart, Problem, RulesetError, format_path
from .i18n import gettext as _

NAMED_LISTS = {"categories": "indicators", "indicators": None}
KEYED = ("policies", "terms", "rounding")
WORD_LISTS = ("met", "partly", "not_met", "not_applicable")


def _fail(node: yaml.Node, file: str, message: str, path: list[PathPart] | None = None, hint: str | None = None) -> RulesetError:
    mark = node.start_mark
    return RulesetError([Problem(message, file=yaml_text.mark_file(mark, file), line=mark.line + 1,
                                 column=mark.column + 1, path=format_path(path or []), hint=hint)])


def _get(node: yaml.Node, key: str) -> tuple[yaml.Node, yaml.Node] | None:
    if isinstance(node, yaml.MappingNode):
        for k, v in node.value:
            if isinstance(k, yaml.ScalarNode) and k.value == key:
                return k, v
    return None


def _name(node: yaml.Node) -> str | None:
    got = _get(node, "name")
    return got[1].value if got and isinstance(got[1], yaml.ScalarNode) else None


def _is_true(node: yaml.Node) -> bool:
    return isinstance(node, yaml.ScalarNode) and node.tag.endswith(":bool") and node.value.lower() in ("true", "yes", "on")


def _mapping(pairs: list[tuple[yaml.Node, yaml.Node]], like: yaml.Node) -> yaml.MappingNode:
    return yaml.MappingNode("tag:yaml.org,2002:map", pairs, like.start_mark, like.end_mark, flow_style=False)


def _merge_keyed(parent: yaml.Node, child: yaml.Node) -> yaml.Node:
    """Mappings merged key by key, the child's value replacing the parent's."""
    if not (isinstance(parent, yaml.MappingNode) and isinstance(child, yaml.MappingNode)):
        return child
    pairs = list(parent.value)
    for k, v in child.value:
        for i, (pk, _value) in enumerate(pairs):
            if isinstance(pk, yaml.ScalarNode) and pk.value == k.value:
                pairs[i] = (k, v)
                break
        else:
            pairs.append((k, v))
    return _mapping(pairs, child)


def _merge_vocabulary(parent: yaml.Node, child: yaml.Node) -> yaml.Node:
    if not (isinstance(parent, yaml.MappingNode) and isinstance(child, yaml.MappingNode)):
        return child
    pairs = list(parent.value)
    for k, v in child.value:
        index = next((i for i, (pk, _) in enumerate(pairs) if pk.value == k.value), None)
        if index is None:
            pairs.append((k, v))
            continue
        old = pairs[index][1]
        if k.value in WORD_LISTS and isinstance(old, yaml.SequenceNode) and isinstance(v, yaml.SequenceNode):
            seen = {n.value for n in old.value if isinstance(n, yaml.ScalarNode)}
            added = [n for n in v.value if not (isinstance(n, yaml.ScalarNode) and n.value in seen)]
            pairs[index] = (k, yaml.SequenceNode(v.tag, old.value + added, v.start_mark, v.end_mark))
        elif k.value == "means":
            pairs[index] = (k, _merge_keyed(old, v))
        else:
            pairs[index] = (k, v)
    return _mapping(pairs, child)


def _merge_named(parent: yaml.Node, child: yaml.Node, key: str, file: str, path: list[PathPart],
                 before: yaml.Node | None = None) -> yaml.Node:
    """Lists of named entries (categories, indicators, rules) merged by name; new entries go
    at the end, or just before the entry `before` while it is still there."""
    if not (isinstance(parent, yaml.SequenceNode) and isinstance(child, yaml.SequenceNode)):
        return child
    entries = list(parent.value)
    for i, entry in enumerate(child.value):
        name = _name(entry)
        at = next((j for j, e in enumerate(entries) if name is not None and _name(e) == name), None)
        removing = (_get(entry, "remove") or (None, None))[1]
        if removing is not None and _is_true(removing):
            if at is None:
                names = ", ".join(n for n in (_name(e) for e in entries) if n)
                raise _fail(entry, file, _("removes '{name}', which the ruleset it extends does not have").format(name=name),
                            path + [i], _("it has: {names}").format(names=names))
            del entries[at]
            continue
        if at is None:
            if before is not None and any(e is before for e in entries):
                entries.insert(next(j for j, e in enumerate(entries) if e is before), entry)
            else:
                entries.append(entry)
            continue
        pairs = list(entries[at].value)
        given = {k.value for k, _ in entry.value}
        if "method" in given:
            # the parent's note and quoted rule speak of the parent's method: a new method drops them
            pairs = [(k, v) for k, v in pairs if k.value not in ("note", "rule") or k.value in given]
        for k, v in entry.value:
            if k.value == "remove":
                continue
            index = next((j for j, (pk, _) in enumerate(pairs) if pk.value == k.value), None)
            nested = NAMED_LISTS.get(key)
            if index is not None and k.value == nested:
                v = _merge_named(pairs[index][1], v, k.value, file, path + [i, k.value])
            if index is None:
                pairs.append((k, v))
            else:
                pairs[index] = (k, v)
        merged = _mapping(pairs, entry)
        if entries[at] is before:
            before = merged
        entries[at] = merged
    return yaml.SequenceNode(child.tag, entries, child.start_mark, child.end_mark)


def _all_named(seq: yaml.Node) -> bool:
    return isinstance(seq, yaml.SequenceNode) and bool(seq.value) and all(_name(e) for e in seq.value)


def _catch_all(rules: yaml.Node) -> yaml.Node | None:
    """The parent's last scoring rule when it has no `when:`: new rules go before it."""
    if isinstance(rules, yaml.SequenceNode) and rules.value and _get(rules.value[-1], "when") is None:
        last: yaml.Node = rules.value[-1]
        return last
    return None


def merge(parent: yaml.Node, child: yaml.Node, file: str) -> yaml.Node:
    """The child ruleset's node tree laid over its parent's."""
    if not (isinstance(parent, yaml.MappingNode) and isinstance(child, yaml.MappingNode)):
        return child
    pairs = list(parent.value)
    for k, v in child.value:
        if k.value == "extends":
            continue
        index = next((i for i, (pk, _) in enumerate(pairs) if pk.value == k.value), None)
        if index is not None:
            old = pairs[index][1]
            if k.value == "categories":
                v = _merge_named(old, v, "categories", file, ["categories"])
            elif k.value == "scoring" and _all_named(v):
                v = _merge_named(old, v, "scoring", file, ["scoring"], before=_catch_all(old))
            elif k.value == "vocabulary":
                v = _merge_vocabulary(old, v)
            elif k.value in KEYED:
                v = _merge_keyed(old, v)
            pairs[index] = (k, v)
        else:
            pairs.append((k, v))
    return _mapping([(k, v) for k, v in pairs if k.value != "extends"], child)


def _shipped() -> Path | None:
    try:
        return Path(str(resources.files("perfrules.rulesets")))
    except (ModuleNotFoundError, TypeError):  # pragma: no cover - an unusual install
        return None


def _env_folders() -> list[Path]:
    return [Path(entry) for entry in os.environ.get("PERFRULES_PATH", "").split(os.pathsep) if entry]


def search_path(start: Path) -> Iterable[Path]:
    """Where an id is looked up: the folders above `start`, $PERFRULES_PATH, the installed rulesets."""
    yield from [start, *start.parents]
    yield from _env_folders()
    shipped = _shipped()
    if shipped is not None:
        yield shipped


_ALLOWED: ContextVar[tuple[Path, ...]] = ContextVar("perfrules_extends_allowed", default=())


@contextmanager
def allowing(folders: Iterable[str | Path]) -> Iterator[None]:
    """Inside the block, an `extends` path may also reach these folders.

    Like `decimal.localcontext`: `load(..., allow=[...])` and the CLI's `--allow-dir` set it
    around loading, and `compose`, several calls below, reads it; every call in between
    keeps its signature. Blocks nest: an inner one adds to the outer.
    """
    token = _ALLOWED.set((*_ALLOWED.get(), *(Path(f).resolve() for f in folders)))
    try:
        yield
    finally:
        _ALLOWED.reset(token)


def allowed_folders(file: str, allow: Iterable[str | Path] = ()) -> tuple[Path, ...]:
    """The folders a relative `extends` path may reach when loading the ruleset `file`: its own
    folder, the installed rulesets, the folders of $PERFRULES_PATH, those of `allowing` blocks
    and those given in `allow`."""
    shipped = _shipped()
    folders = [Path(file).resolve().parent, *_env_folders(), *([shipped] if shipped else []), *_ALLOWED.get(),
               *map(Path, allow)]
    return tuple(f.resolve() for f in folders)


# an id: names separated by '/', none empty, none starting with '.', no '\\', not absolute
_ID = re.compile(r"^[^/\\.\s][^/\\]*(?:/[^/\\.\s][^/\\]*)*$")


def is_path(reference: str) -> bool:
    """`../national/project-2020.yaml` or `./base.yml`: a path; `national/project-2020`: an id."""
    return reference.endswith((".yaml", ".yml")) or reference.startswith((".", "/", "\\"))


def resolve(reference: str, here: Path) -> Path | None:
    """The file `extends: reference` means, written in a file in folder `here`."""
    if is_path(reference):
        candidate = (here / reference).resolve()
        return candidate if _is_file(candidate) else None
    if not _ID.match(reference):
        return None
    for folder in search_path(here):
        candidate = folder / f"{reference}.yaml"
        if _is_file(candidate):
            return candidate.resolve()
    return None


def inside(path: Path, folders: Iterable[Path]) -> bool:
    return any(path == f or f in path.parents for f in folders)


def _is_file(path: Path) -> bool:
    try:
        return path.is_file()
    except OSError:  # a name too long for the file system (found by the fuzzer) names no file
        return False


def shown(path: Path) -> str:
    """A path as a message should show it: relative to the working folder when inside it."""
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return str(path)


_LOOKS_LIKE_A_RULESET = (re.compile(r"^perfrules[ \t]*:", re.M), re.compile(r"^id[ \t]*:", re.M))


def _parent(ref: yaml.ScalarNode, file: str, target: Path) -> yaml_text.Document:
    """The ruleset `extends` names, read; a file that is not a ruleset is refused without a word of it."""
    name = shown(target)
    not_a_ruleset = _fail(ref, file, _("extends '{ref}', but {file} is not a ruleset").format(ref=ref.value, file=name), ["extends"],
                          _("a ruleset is a YAML mapping with `perfrules:` and `id:`; nothing of that file is shown"))
    try:
        doc = yaml_text.load(name, RulesetError)
    except RulesetError:
        try:
            text = target.read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError):
            raise not_a_ruleset from None
        if all(p.search(text) for p in _LOOKS_LIKE_A_RULESET):
            raise  # a ruleset with a mistake in it: its own located errors help
        raise not_a_ruleset from None
    node = doc.node
    if not isinstance(node, yaml.MappingNode) or _get(node, "perfrules") is None:
        raise not_a_ruleset
    got = _get(node, "id")
    if got is None or not isinstance(got[1], yaml.ScalarNode) or not got[1].value:
        raise not_a_ruleset
    return doc


def compose(doc: yaml_text.Document, allow: Iterable[str | Path] = (), chain: tuple[Path, ...] = (),
            folders: tuple[Path, ...] | None = None) -> tuple[yaml.Node | None, list[str]]:
    """The merged node tree of a ruleset document and what it extends (ids or paths, nearest first).

    `allow` adds folders a relative path may reach (see the module's docstring)."""
    file = doc.file
    node = doc.node
    got = _get(node, "extends") if node is not None else None
    if got is None:
        return node, []
    _key, ref = got
    if not isinstance(ref, yaml.ScalarNode) or not ref.value:
        raise _fail(ref, file, _("extends must name a ruleset: an id such as national/project-2020 or a relative path"), ["extends"])
    if folders is None:
        folders = allowed_folders(file, allow)
    here = Path(file).resolve()
    by_path = is_path(ref.value)
    if by_path and not inside((here.parent / ref.value).resolve(), (*folders, here.parent)):
        raise _fail(ref, file, _("extends '{ref}', which is outside the folders a ruleset may extend from").format(ref=ref.value),
                    ["extends"], _("a path must stay inside the folder of the ruleset loaded or of this file, the "
                      "installed rulesets, $PERFRULES_PATH, or a folder allowed with --allow-dir "
                      "(perfrules.load(..., allow=[...])); or name the ruleset by its id"))
    if not by_path and not _ID.match(ref.value):
        raise _fail(ref, file, _("extends '{ref}', which is neither an id nor a relative path").format(ref=ref.value), ["extends"],
                    _("an id is names joined by '/', such as national/project-2020; a path ends in .yaml"))
    target = resolve(ref.value, here.parent)
    if target is None:
        raise _fail(ref, file, _("extends '{ref}', which cannot be found").format(ref=ref.value), ["extends"],
                    _("an id is looked up as <id>.yaml in the folders above this file, in $PERFRULES_PATH "
                      "and among the rulesets installed with perfrules; a path is relative to this file"))
    if target == here or target in chain:
        loop = " → ".join(p.name for p in (*chain, here, target))
        raise _fail(ref, file, _("extends '{ref}' makes a cycle: {loop}").format(ref=ref.value, loop=loop), ["extends"])
    parent_doc = _parent(ref, file, target)
    id_node = _get(parent_doc.node, "id") if parent_doc.node is not None else None
    if not by_path and id_node is not None and id_node[1].value != ref.value:
        raise _fail(ref, file, _("extends '{ref}', but {file} has id '{id}'").format(ref=ref.value, file=target, id=id_node[1].value),
                    ["extends"])
    parent, ancestors = compose(parent_doc, chain=(*chain, here), folders=folders)
    if parent is None or node is None:
        return node, [ref.value, *ancestors]
    return merge(parent, node, file), [ref.value, *ancestors]
