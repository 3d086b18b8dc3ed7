"""JSON Schema validation of rulesets and inputs, with errors in the analyst's words.

Every error becomes a `Problem` with file, line, column and the path inside the
document (`categories[2].indicators[0].method.below.step: must be greater than 0`),
and all of them are reported at once. Messages are rewritten by `error.validator`:
jsonschema's own would show `Decimal('-1')` and Python reprs.
"""

from __future__ import annotations

import difflib
import json
from decimal import Decimal
from functools import lru_cache
from importlib import resources
from typing import Any, Callable, Iterable, NamedTuple

import jsonschema

from .errors import PerfrulesError, Problem
from .i18n import N_, gettext as _
from .sources.yaml_text import Document

_TYPES = {"string": N_("text"), "number": N_("a number"), "integer": N_("a whole number"), "array": N_("a list"),
          "object": N_("a mapping (key: value)"), "boolean": N_("true or false"), "null": N_("empty")}


@lru_cache(maxsize=None)
def schema(name: str) -> dict[str, Any]:
    """A shipped schema (`ruleset` or `input`), loaded with exact decimals."""
    text = resources.files("perfrules").joinpath(f"schema/{name}.schema.json").read_text(encoding="utf-8")
    loaded: dict[str, Any] = json.loads(text, parse_float=Decimal)
    return loaded


@lru_cache(maxsize=None)
def _validator(name: str) -> jsonschema.protocols.Validator:
    cls = jsonschema.validators.validator_for(schema(name))
    return cls(schema(name))


SHOWN_CHARS = 80  # of a value quoted in a message: never a whole instance (an alias bomb holds millions)


class _Full(Exception):
    pass


def _cut(text: str, most: int = SHOWN_CHARS) -> str:
    return text if len(text) <= most else text[:most] + "…"


def _fits(value: Any) -> bool:
    """True when `value` would print in SHOWN_CHARS; stops reading as soon as it would not."""
    size = 0

    def put(n: int) -> None:
        nonlocal size
        size += n
        if size > SHOWN_CHARS:
            raise _Full

    def walk(v: Any) -> None:
        if isinstance(v, dict):
            put(2)
            for k, x in v.items():
                put(len(str(k)) + 4)
                walk(x)
        elif isinstance(v, list):
            put(2)
            for x in v:
                put(2)
                walk(x)
        elif isinstance(v, str):
            put(len(v) + 2)
        elif isinstance(v, Decimal):
            put(len(f"{v:f}") if v.is_finite() and abs(v.adjusted()) < SHOWN_CHARS else SHOWN_CHARS + 1)
        else:
            put(len(str(v)))

    try:
        walk(value)
    except _Full:
        return False
    return True


def _show(value: Any) -> str:
    """A value quoted in a message, cut to SHOWN_CHARS."""
    if isinstance(value, str):
        return f"'{_cut(value)}'"
    if isinstance(value, Decimal):
        return _cut(f"{value:f}") if _fits(value) else _cut(str(value))
    if not _fits(value):
        kind = N_("a list") if isinstance(value, list) else N_("a mapping") if isinstance(value, dict) else N_("a value")
        return _("{kind} too long to quote").format(kind=_(kind))
    return json.dumps(value, ensure_ascii=False, default=str)


def _did_you_mean(word: str, options: Iterable[str]) -> str | None:
    if len(str(word)) > SHOWN_CHARS:
        return None  # difflib is quadratic in the word's length
    close = difflib.get_close_matches(str(word), [str(o) for o in options], n=1, cutoff=0.6)
    return _("did you mean '{word}'?").format(word=close[0]) if close else None


def _one(error: jsonschema.ValidationError, doc: Document) -> list[Problem]:
    path = list(error.absolute_path)
    v, inst = error.validator, error.instance
    sch: Any = error.schema
    value: Any = error.validator_value
    if v == "additionalProperties":
        known = list(sch.get("properties", {}))
        extra = [k for k in inst if k not in known] if isinstance(inst, dict) else []
        listing = _("known keys: {keys}").format(keys=", ".join(known)) if known else None
        return [doc.problem(path + [k], _("unknown key '{key}'").format(key=_cut(str(k))), _did_you_mean(k, known) or listing, key=True)
                for k in extra]
    if v == "required":
        missing = [k for k in value if isinstance(inst, dict) and k not in inst]
        return [doc.problem(path, _("missing required key '{key}'").format(key=k)) for k in missing]
    if v == "enum":
        options = [o for o in value if not (isinstance(o, str) and o in sch.get("x-names", {}))]  # Chinese names: hints only
        return [doc.problem(path, _("must be one of {options}, not {value}").format(options=", ".join(_show(o) for o in options), value=_show(inst)),
                            _did_you_mean(inst, value) if isinstance(inst, str) else None)]
    if v == "const":
        return [doc.problem(path, _("must be {wanted}, not {value}").format(wanted=_show(value), value=_show(inst)))]
    if v == "type":
        wanted = value if isinstance(value, list) else [value]
        names = [_(_TYPES[str(t)]) if str(t) in _TYPES else str(t) for t in wanted]
        return [doc.problem(path, _("must be {wanted}, not {value}").format(wanted=_(" or ").join(names), value=_show(inst)))]
    if v == "minimum":
        return [doc.problem(path, _("must be {least} or more, not {value}").format(least=_show(value), value=_show(inst)))]
    if v == "exclusiveMinimum":
        return [doc.problem(path, _("must be greater than {bound}, not {value}").format(bound=_show(value), value=_show(inst)))]
    if v == "maximum":
        return [doc.problem(path, _("must be {most} or less, not {value}").format(most=_show(value), value=_show(inst)))]
    if v == "minItems":
        return [doc.problem(path, _("must list at least {count} item(s)").format(count=value))]
    if v == "minLength":
        return [doc.problem(path, _("must not be empty"))]
    if v == "uniqueItems":
        return [doc.problem(path, _("lists the same item twice"))]
    if v in ("oneOf", "anyOf"):
        options = value
        if all(set(o) == {"required"} for o in options):
            keys = [o["required"][0] for o in options]
            present = [k for k in keys if isinstance(inst, dict) and k in inst]
            if present:
                return [doc.problem(path, _("give only one of {keys}").format(keys=", ".join(keys)))]
            return [doc.problem(path, _("needs one of {keys}").format(keys=", ".join(keys)))]
        described = sch.get("x-says")  # the English words for a message; `description` is the editor's Chinese help
        return [doc.problem(path, _("must be {description}, not {value}").format(description=described, value=_show(inst)) if described
                            else _("{value} is not valid here").format(value=_show(inst)))]
    if v == "pattern":
        described = sch.get("x-says")
        return [doc.problem(path, _("must be {description}, not {value}").format(description=described, value=_show(inst)) if described
                            else _("{value} is not in the expected form").format(value=_show(inst)))]
    return [doc.problem(path, _cut(error.message, 4 * SHOWN_CHARS))]


# ---------------------------------------------------------------- a fast path for valid documents

Fast = Callable[[Any], bool]
_IGNORED = {"description", "title", "$schema", "$id", "$comment", "markdownDescription", "examples", "x-names",
            "x-says"}  # annotations: help, names, words for messages


def _fast(node: Any) -> Fast | None:
    """A check that says True only of what the schema accepts; None for keywords it does not know.

    It may say False of a valid document (an integer written 2.0): jsonschema then decides.
    """
    if not isinstance(node, dict):
        return None
    keys = node.keys() - _IGNORED
    if not keys:
        return _ANYTHING
    if keys == {"type"}:
        return _types(node["type"])
    if keys == {"type", "minLength"} and node["type"] == "string":
        least: int = node["minLength"]
        return lambda v: type(v) is str and len(v) >= least
    if node.get("type") == "object" and keys <= _OBJECT_KEYS:
        return _object(node)
    if node.get("type") == "array" and keys <= _ARRAY_KEYS:
        return _array(node)
    checks: list[Fast] = []
    for key, value in node.items():
        if key in _IGNORED:
            continue
        one = _keyword(node, key, value)
        if one is None:
            return None  # a keyword this fast path does not know: always ask jsonschema
        checks.append(one)

    if len(checks) == 1:
        return checks[0]

    def all_hold(v: Any) -> bool:
        for c in checks:
            if not c(v):
                return False
        return True

    return all_hold


def _ANYTHING(v: Any) -> bool:
    return True


_OBJECT_KEYS = {"type", "properties", "additionalProperties", "required"}
_ARRAY_KEYS = {"type", "items", "minItems", "maxItems", "uniqueItems"}


# the exact classes a parsed document holds, by JSON type: a bool is not a number here
# because type(True) is bool; a subclass of str is refused and left to jsonschema
_EXACT: dict[str, tuple[type, ...]] = {"string": (str,), "number": (int, Decimal), "integer": (int,),
                                       "boolean": (bool,), "null": (type(None),), "object": (dict,),
                                       "array": (list,)}


def _classes(value: str | list[str]) -> frozenset[type]:
    return frozenset(c for t in (value if isinstance(value, list) else [value]) for c in _EXACT[t])


def _class_only(node: Any) -> frozenset[type] | None:
    """The exact classes a node allows when it asks nothing but a `type`; None otherwise."""
    return _classes(node["type"]) if isinstance(node, dict) and node.keys() - _IGNORED == {"type"} else None


def _types(value: str | list[str]) -> Fast:
    classes = _classes(value)
    return lambda v: type(v) in classes


# The common shapes in one function each, so that a valid input costs one call per value, not one
# per keyword; they accept exactly what the keyword-by-keyword checks below accept.

def _object(node: dict[str, Any]) -> Fast | None:
    """{type: object, properties, additionalProperties, required} checked in one pass over the keys."""
    subs: dict[str, Fast] = {}
    for k, sub in node.get("properties", {}).items():
        f = _fast(sub)
        if f is None:
            return None
        subs[k] = f
    extra_schema = node.get("additionalProperties", True)
    refuse_extra = extra_schema is False
    extra = None if isinstance(extra_schema, bool) else _fast(extra_schema)
    if not isinstance(extra_schema, bool) and extra is None:
        return None
    required = tuple(node.get("required", ()))

    def check(v: Any) -> bool:
        if not isinstance(v, dict):
            return False
        for k in required:
            if k not in v:
                return False
        for k, x in v.items():
            f = subs.get(k)
            if f is not None:
                if not f(x):
                    return False
            elif refuse_extra or (extra is not None and not extra(x)):
                return False
        return True

    return check


def _array(node: dict[str, Any]) -> Fast | None:
    """{type: array, items, minItems, maxItems, uniqueItems} checked in one pass over the items."""
    item = _fast(node["items"]) if "items" in node else _ANYTHING
    if item is None:
        return None
    low, high = node.get("minItems", 0), node.get("maxItems")
    unique = bool(node.get("uniqueItems"))
    classes = _class_only(node.get("items"))  # items that need only a class (whole numbers): no call per item
    whole = classes == frozenset({int})

    def check(v: Any) -> bool:
        if not isinstance(v, list) or len(v) < low or (high is not None and len(v) > high):
            return False
        if classes is not None:
            for x in v:
                if type(x) not in classes:
                    return False
        else:
            for x in v:
                if not item(x):
                    return False
        if unique:
            return len(set(v)) == len(v) if whole else _distinct_whole_numbers(v)
        return True

    return check


def _distinct_whole_numbers(v: list[Any]) -> bool:
    """uniqueItems, said only of whole numbers (1 and True, 1 and 1.0 are the same item to JSON Schema)."""
    return all(isinstance(x, int) and not isinstance(x, bool) for x in v) and len(set(v)) == len(v)


def _keyword(node: dict[str, Any], key: str, value: Any) -> Fast | None:
    """The fast check of one keyword, or None when it has none."""
    if key == "type":
        return _types(value)
    if key == "enum" and all(isinstance(e, str) for e in value):
        allowed = frozenset(value)
        return lambda v: isinstance(v, str) and v in allowed
    if key in ("minLength", "minItems", "maxItems"):
        n: int = value
        kind = str if key == "minLength" else list
        if key == "maxItems":
            return lambda v: not isinstance(v, kind) or len(v) <= n
        return lambda v: not isinstance(v, kind) or len(v) >= n
    if key == "uniqueItems":
        return lambda v: not value or not isinstance(v, list) or _distinct_whole_numbers(v)
    if key == "required":
        keys = tuple(value)
        return lambda v: not isinstance(v, dict) or all(k in v for k in keys)
    if key == "properties":
        subs = {k: _fast(sub) for k, sub in value.items()}
        known_subs: dict[str, Fast] = {k: f for k, f in subs.items() if f is not None}
        if len(known_subs) != len(subs):
            return None
        return lambda v: not isinstance(v, dict) or all(known_subs[k](x) for k, x in v.items() if k in known_subs)
    if key == "additionalProperties":
        known = frozenset(node.get("properties", {}))
        if value is False:
            return lambda v: not isinstance(v, dict) or all(k in known for k in v)
        extra = _fast(value)
        if extra is None:
            return None
        return lambda v: not isinstance(v, dict) or all(extra(x) for k, x in v.items() if k not in known)
    if key == "items":
        item = _fast(value)
        if item is None:
            return None
        return lambda v: not isinstance(v, list) or all(item(x) for x in v)
    if key in ("anyOf", "oneOf"):
        found = [_fast(sub) for sub in value]
        alternatives: list[Fast] = [f for f in found if f is not None]
        if len(alternatives) != len(found):
            return None
        by_class = _by_class(value, alternatives)
        if by_class is not None:
            # each alternative takes its own classes only: at most one can hold, so oneOf is anyOf
            return lambda v: (f := by_class.get(type(v))) is not None and (f is _ANYTHING or f(v))
        if key == "anyOf":
            return lambda v: any(f(v) for f in alternatives)
        return lambda v: sum(1 for f in alternatives if f(v)) == 1
    return None


def _by_class(subs: list[Any], checks: list[Fast]) -> dict[type, Fast] | None:
    """Alternatives that each state a `type` no other shares, as a table from a value's exact
    class to the one check that can hold (_ANYTHING where the class alone decides); None when two
    may take the same class."""
    table: dict[type, Fast] = {}
    for sub, check in zip(subs, checks):
        named = sub.get("type") if isinstance(sub, dict) else None
        if named is None:
            return None
        for t in (named if isinstance(named, list) else [named]):
            for c in _EXACT[t]:
                if c in table:
                    return None
                table[c] = _ANYTHING if _class_only(sub) is not None else check
    return table


@lru_cache(maxsize=None)
def fast(name: str) -> Fast | None:
    """The fast check of a shipped schema, or None when it uses a keyword the fast path lacks."""
    return _fast(schema(name))


class Property(NamedTuple):
    """What the schema lets one key of an object hold."""

    check: Fast  # says True only of what the schema accepts there
    classes: frozenset[type] | None  # where the value's exact class alone decides: those classes
    decided: frozenset[type] = frozenset()  # the classes a value of which the check takes whatever it holds


@lru_cache(maxsize=None)
def properties(name: str, *path: str) -> tuple[dict[str, Property], tuple[str, ...]] | None:
    """Each key an object of a shipped schema may hold, and the keys it must hold: the object at
    `path` (keys from the schema's root). None unless that object takes no other keys and the
    schema asks nothing else of it (checked by the keywords of the one-pass `_object` alone).

    An object whose every key passes its check and that holds the required keys is valid.
    """
    node: Any = schema(name)
    for key in path:
        node = node[key]
    return _properties(node)


@lru_cache(maxsize=None)
def item_properties(name: str, *path: str) -> tuple[dict[str, Property], tuple[str, ...]] | None:
    """`properties` of the items of the list at `path`, a list that the schema asks nothing else of
    (no minItems, no uniqueItems): a list whose every item passes is valid. None otherwise."""
    node: Any = schema(name)
    for key in path:
        node = node[key]
    if not isinstance(node, dict) or node.get("type") != "array" or node.keys() - _IGNORED != {"type", "items"}:
        return None
    return _properties(node["items"])


def _properties(node: Any) -> tuple[dict[str, Property], tuple[str, ...]] | None:
    if (not isinstance(node, dict) or node.get("type") != "object" or node.keys() - _IGNORED - _OBJECT_KEYS
            or node.get("additionalProperties", True) is not False):
        return None
    found: dict[str, Property] = {}
    for key, sub in node.get("properties", {}).items():
        check = _fast(sub)
        if check is None:
            return None
        found[key] = Property(check, _class_only(sub), _decided(sub))
    return found, tuple(node.get("required", ()))


def _decided(node: Any) -> frozenset[type]:
    """The exact classes whose every value a node accepts: those of a node that asks only a `type`,
    or of the alternatives of a `oneOf`/`anyOf` that ask only a `type` no other alternative shares
    (`_by_class`'s table at `_ANYTHING`). Empty where the node asks more of every class."""
    only = _class_only(node)
    if only is not None:
        return only
    if not isinstance(node, dict) or len(node.keys() - _IGNORED) != 1:
        return frozenset()
    key = next(iter(node.keys() - _IGNORED))
    if key not in ("oneOf", "anyOf"):
        return frozenset()
    checks = [_fast(sub) for sub in node[key]]
    known = [c for c in checks if c is not None]
    table = _by_class(node[key], known) if len(known) == len(checks) else None
    return frozenset() if table is None else frozenset(c for c, f in table.items() if f is _ANYTHING)


def check(doc: Document, name: str) -> list[Problem]:
    """Every schema problem in `doc`, located, in document order."""
    quick = fast(name)
    if quick is not None and quick(doc.data):
        return []  # valid for sure; jsonschema runs only to say what is wrong
    problems: list[Problem] = []
    for error in _validator(name).iter_errors(doc.data):
        problems.extend(_one(error, doc))
    unique = {(p.line, p.column, p.path, p.message): p for p in problems}
    return sorted(unique.values(), key=lambda p: (p.line or 0, p.column or 0, p.path))


def require(doc: Document, name: str, error: type[PerfrulesError], shape: str) -> None:
    """Raise `error` with every schema problem of `doc`; `shape` says what a document must be."""
    if not isinstance(doc.data, dict):
        raise error([Problem(shape, file=doc.file, line=1, column=1)])
    problems = check(doc, name)
    if problems:
        raise error(problems)
