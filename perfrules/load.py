"""Load a ruleset: YAML with line marks -> JSON Schema -> semantic checks -> compiled Scheme.

Everything that can be decided from the ruleset alone is decided here, once: which
method an indicator uses and its compiled params, parsed targets, parsed expressions,
checked grade bands. Problems are collected and raised together as one RulesetError,
each naming file, line, column and path.
"""

from __future__ import annotations

import decimal
import re
from dataclasses import replace
from decimal import Decimal
from pathlib import Path
from typing import Any, Mapping, NoReturn, Sequence, cast

from . import inherit, schemacheck
from .sources import yaml_text
from .decimals import STAGES, ZERO, Rounding, RoundingMode, Step, context, fmt, parse_share
from .errors import PathPart, Problem, RulesetError, format_path
from .checks import CHECK_FUNCTIONS, Check
from .expr import BadExpression, compile_expression
from .i18n import gettext as _
from .kinds import KINDS
from .kinds.base import NAMES
from .intervals import coverage, empty
from .model import (Band, Category, Element, Indicator, Interval, MethodSpec, Policies, Rule, Scheme, Terms,
                    Vocabulary)
from .result import Finding, Severity
from .values import Number, parse

_INTERVAL = re.compile(r"^\s*(?P<lo>[\[(])\s*(?P<low>[^,]*?)\s*,\s*(?P<high>[^,]*?)\s*(?P<hi>[\])])\s*$")
_INFINITE = {"", "inf", "+inf", "∞", "+∞", "-inf", "-∞"}


class _Fail(Exception):
    def __init__(self, problem: Problem):
        self.problem = problem


class _MethodContext:
    """What a method kind's `compile` sees: its own path, the indicator's elements, parsers."""

    def __init__(self, compiler: "_Compiler", path: Sequence[PathPart], elements: tuple[Element, ...]):
        self.compiler = compiler
        self.path = list(path)
        self.elements = elements

    def fail(self, message: str, *path: PathPart) -> NoReturn:
        raise _Fail(self.compiler.doc.problem(self.path + list(path), message))

    def share(self, raw: Any, *path: PathPart) -> Decimal:
        return self.compiler.share(raw, self.path + list(path))

    def value(self, raw: Any, *path: PathPart) -> Any:
        value = parse(raw)
        if value is None:
            self.fail(_("must not be empty"), *path)
        return value

    def interval(self, raw: Any, *path: PathPart, share: bool = False) -> Interval:
        return self.compiler.interval(raw, self.path + list(path), share=share)

    def expression(self, raw: Any, allowed: tuple[str, ...], *path: PathPart) -> Any:
        try:
            return compile_expression(raw, allowed)
        except BadExpression as exc:
            self.fail(_("{message} (column {column} of the expression)").format(message=exc.message, column=exc.column), *path)


class _Compiler:
    def __init__(self, doc: yaml_text.Document, lenient: bool = False, check_bands: bool = True):
        self.doc = doc
        self.check_bands = check_bands  # False: bands that leave a gap or overlap are findings (for `check`)
        self.problems: list[Problem] = []
        self.findings: list[Finding] = []
        self.warnings: list[Problem] = []  # the findings again, located, for `perfrules validate`
        # lenient: the schema has already objected to parts of the document; compile what
        # can be compiled to find the semantic problems too, and skip what breaks
        self.lenient = lenient

    # -- helpers shared with method kinds

    def fail(self, path: Sequence[PathPart], message: str, hint: str | None = None) -> NoReturn:
        raise _Fail(self.doc.problem(path, message, hint))

    def share(self, raw: Any, path: Sequence[PathPart]) -> Decimal:
        try:
            return parse_share(raw)
        except Exception:
            self.fail(path, _("must be a share such as 30%, 1/3 or 0.3, not '{value}'").format(value=raw))

    def interval(self, raw: Any, path: Sequence[PathPart], share: bool = False) -> Interval:
        interval = self.any_interval(raw, path, share)
        if empty(interval):
            self.fail(path, _("'{interval}' is empty: its low end is not below its high end").format(interval=raw))
        return interval

    def any_interval(self, raw: Any, path: Sequence[PathPart], share: bool = False) -> Interval:
        """An interval as written, even one that holds no value ([80, 80))."""
        m = _INTERVAL.match(str(raw))
        if not m:
            self.fail(path, _("must be an interval such as [90, 100] or [80, 90), not '{value}'").format(value=raw))
        ends: list[Decimal | None] = []
        units = set()
        for text in (m["low"], m["high"]):
            if text.strip() in _INFINITE:
                ends.append(None)
                continue
            value = parse(text)
            if not isinstance(value, Number):
                self.fail(path, _("'{text}' is not a number").format(text=text))
            units.add(value.unit)
            number = value.value
            if share:
                if value.unit not in ("%", ""):
                    self.fail(path, _("'{text}' must be a share such as 80%").format(text=text))
                number = number / 100 if value.unit == "%" else number
            ends.append(number)
        low, high = ends
        unit = "" if share else next((u for u in units if u), "")
        return Interval(low, high, m["lo"] == "[", m["hi"] == "]", unit, str(raw).strip())

    def warn(self, path: Sequence[PathPart], severity: Severity, code: str, message: str, indicator: str | None = None) -> None:
        """A finding about the scheme itself: kept on the scheme, and located for `validate`."""
        self.findings.append(Finding(severity, code, message, indicator))
        self.warnings.append(self.doc.problem(path, f"{severity}: {code}: {message}"))

    def guard(self, fn: Any, *args: Any) -> Any:
        """Run one compile step; a failure is recorded and compilation goes on."""
        try:
            return fn(*args)
        except _Fail as exc:
            self.problems.append(exc.problem)
            return None
        except (KeyError, TypeError, ValueError, AttributeError, ArithmeticError):
            if not self.lenient:
                raise
            return None

    # -- the parts of a scheme

    def method(self, raw: Mapping[str, Any], path: list[PathPart], elements: tuple[Element, ...] = ()) -> MethodSpec:
        kind = KINDS[raw["kind"]]
        assert kind.compile is not None  # tests/test_kinds.py: every kind has one
        params = kind.compile(raw, _MethodContext(self, path, elements))
        return MethodSpec(raw["kind"], params, raw, format_path(path))

    def elements(self, raw: list[Any], path: list[PathPart]) -> tuple[Element, ...]:
        out = []
        for i, item in enumerate(raw):
            if isinstance(item, str):
                out.append(Element(i + 1, item))
            else:
                share = self.share(item["share"], path + [i, "share"]) if "share" in item else None
                out.append(Element(i + 1, item["text"], share, bool(item.get("veto", False)),
                                   str(item["share"]) if isinstance(item.get("share"), str) else ""))
        return tuple(out)

    def indicator(self, raw: Mapping[str, Any], path: list[PathPart], rules: bool) -> Indicator:
        if "placeholder" in raw:  # left by `perfrules draft`: never a guess that scores
            self.fail(path + ["placeholder"], _("a drafted placeholder for '{name}': {missing}").format(
                name=raw["name"], missing=raw["placeholder"].get("missing")),
                      _("write the indicator's `method:` and delete `placeholder:`"))
        elements = self.elements(raw.get("elements", []), path + ["elements"])
        method = None
        if "method" in raw:
            method = self.method(raw["method"], path + ["method"], elements)
        elif not rules:
            self.fail(path, _("indicator '{name}' has no method and the scheme has no scoring rules to choose one").format(name=raw["name"]),
                      _("add `method:` to the indicator or a `scoring:` section"))
        target = parse(raw["target"]) if "target" in raw else None
        kind = KINDS[method.kind] if method is not None else None
        needs_row = not (kind is not None and kind.reads_funds)
        if method is not None and kind is not None and kind.element_total is not None:
            self.element_shares(kind.element_total(method.params, elements), path, raw["name"])
        if method is not None:
            self.table(method, path + ["method"], Decimal(raw["weight"]), raw.get("direction"), raw["name"])
        return Indicator(
            name=raw["name"], weight=Decimal(raw["weight"]), aliases=tuple(raw.get("aliases", ())),
            level2=raw.get("level2"), target=target, direction=raw.get("direction"), method=method,
            elements=elements, rule=raw.get("rule"), note=raw.get("note"), needs_row=needs_row,
        )

    def rules(self, raw: list[Mapping[str, Any]], path: list[PathPart]) -> tuple[Rule, ...]:
        from .values import key_of

        out = []
        for i, r in enumerate(raw):
            when = {}
            for key, value in r.get("when", {}).items():
                values = [value] if isinstance(value, str) else value
                when[key] = frozenset(key_of(v) for v in values)
            spec = self.guard(self.method, r["method"], path + [i, "method"])
            if spec is not None:
                directions = when.get("direction", frozenset())
                self.table(spec, path + [i, "method"], None, "lower" if directions == {"lower"} else None, None)
                out.append(Rule(when, spec, r.get("note"), r.get("name")))
        return tuple(out)

    # -- what a scheme says that no input is needed to see is wrong

    def element_shares(self, total: Decimal | None, path: list[PathPart], name: str) -> None:
        """Every element present must earn the whole weight: shares adding up to more score above
        it, to less never reach it. Both are warnings (evaluation flags a score above the weight).
        `total` is what every element together earns, as the kind counts it (None: not by shares)."""
        if total is None:
            return
        if total > 1:
            self.warn(path + ["elements"], "warning", "element_shares_over_100",
                      _("the element shares add up to {share} of the weight: "
                        "a unit with every element would score more than the weight").format(share=f"{fmt(total * 100)}%"), name)
        elif total < 1:
            self.warn(path + ["elements"], "warning", "element_shares_under_100",
                      _("the element shares add up to {share} of the weight: "
                        "a unit with every element would not earn the full weight").format(share=f"{fmt(total * 100)}%"), name)

    def table(self, spec: MethodSpec, path: list[PathPart], weight: Decimal | None, direction: str | None,
              name: str | None) -> None:
        """A method's own table of bands (a kind whose params carry `bands`): each band worth no
        more than the weight, no value between two bands left without one, and a table that pays
        less for a higher value declared `direction: lower`."""
        for i, level in enumerate(getattr(spec.params, "levels", ())):  # categorical levels: points or a share each
            points, share = getattr(level, "points", None), getattr(level, "share", None)
            if (share is not None and share > 1) or (points is not None and weight is not None and points > weight):
                worth = (_("{points} points").format(points=fmt(points)) if points is not None
                         else _("{share} of the weight").format(share=f"{fmt((share or ZERO) * 100)}%"))
                self.warn(path + ["levels", i, "points" if points is not None else "share"], "warning", "band_over_weight",
                          _("level '{name}' is worth {worth}: more than the weight").format(name=level.name, worth=worth), name)
        bands = getattr(spec.params, "bands", None)
        if not bands:
            return
        for i, band in enumerate(bands):
            if band.share is not None and band.share > 1:
                self.warn(path + ["bands", i, "share"], "warning", "band_over_weight",
                          _("band {interval} is worth {share} of the weight: more than the weight").format(
                              interval=band.interval, share=f"{fmt(band.share * 100)}%"), name)
            elif band.points is not None and weight is not None and band.points > weight:
                self.warn(path + ["bands", i, "points"], "warning", "band_over_weight",
                          _("band {interval} is worth {points} points, more than the weight {weight}").format(
                              interval=band.interval, points=fmt(band.points), weight=fmt(weight)), name)
        for hole in coverage([(i, b.interval) for i, b in enumerate(bands)]):
            if hole.kind == "gap":
                unit = hole.interval.unit
                self._band_problem(path + ["bands", hole.index, "range"], "bands_gap",
                                   _("the bands leave {region} without a band: a value of {example} would be unscored").format(
                                       region=_with_unit(hole.region, unit), example=f"{fmt(hole.example)}{unit}"),
                                   _("make each band start where the one below it ends"), indicator=name)
        order = sorted(bands, key=lambda b: (b.interval.low if b.interval.low is not None else Decimal("-Infinity")))
        pays = [b.points if b.points is not None else b.share for b in order]
        same_kind = all(b.points is not None for b in order) or all(b.share is not None for b in order)
        if same_kind and direction != "lower" and len(pays) > 1 and \
                all(a >= b for a, b in zip(pays, pays[1:])) and pays[0] > pays[-1]:
            self.warn(path, "info", "bands_decreasing",
                      _("the bands pay less for a higher value: if a lower value is better here, say `direction: lower` "
                        "(beside `method:`, or `when: {direction: lower}` in a scoring rule) so that `perfrules check` "
                        "tests it as lower-is-better"), name)

    def category(self, raw: Mapping[str, Any], path: list[PathPart], scheme_rules: bool) -> Category:
        rules = self.rules(raw.get("scoring", []), path + ["scoring"])
        indicators = []
        for i, ind in enumerate(raw.get("indicators", [])):
            got = self.guard(self.indicator, ind, path + ["indicators", i], scheme_rules or bool(rules))
            if got is not None:
                indicators.append(got)
        is_open = bool(raw.get("open", False))
        if not raw.get("indicators") and not is_open:
            self.fail(path, _("category '{name}' lists no indicators and is not open").format(name=raw["name"]),
                      _("list its `indicators:` or say `open: true` when units bring their own"))
        if is_open and not (rules or scheme_rules):
            self.fail(path, _("open category '{name}' has no scoring rules").format(name=raw["name"]),
                      _("add `scoring:` to the category or to the scheme"))
        scale = self.share(raw["scale"], path + ["scale"]) if "scale" in raw else None
        category = Category(
            name=raw["name"], points=Decimal(raw["points"]), aliases=tuple(raw.get("aliases", ())),
            indicators=tuple(indicators), open=is_open, rules=rules, in_total=bool(raw.get("in_total", True)),
            scale=scale, note=raw.get("note"),
        )
        if raw.get("indicators") and not is_open:
            # from the file rather than the compiled indicators: one that failed to compile still weighs
            weights = sum((Decimal(i["weight"]) for i in raw.get("indicators", [])
                           if isinstance(i, dict) and isinstance(i.get("weight"), (int, Decimal))), ZERO)
            scaled = weights * (scale if scale is not None else 1)
            if scaled != category.points:
                how = f"{fmt(weights)} × {fmt(scale)} = {fmt(scaled)}" if scale is not None else fmt(weights)
                self.warn(path + ["points"], "warning", "weights_sum",
                          _("the weights of category '{name}' add up to {sum}, not its {points} points").format(
                              name=category.name, sum=how, points=fmt(category.points)))
        return category

    def rounding(self, raw: Mapping[str, Any]) -> Rounding:
        base = Step(int(raw.get("places", 2)), _mode(raw.get("mode", "half_up")))
        at = raw.get("at", ["indicator", "total"])
        stages = {}
        for stage in STAGES:
            if stage in at or stage in raw:
                over = raw.get(stage, {})
                stages[stage] = Step(int(over.get("places", base.places)), _mode(over.get("mode", base.mode)))
        return Rounding(stages)

    def bands(self, raw: list[Mapping[str, Any]], total: Decimal) -> tuple[Band, ...]:
        bands = []
        for i, b in enumerate(raw):
            interval = self.guard(self.any_interval, b["range"], ["grades", i, "range"])
            if interval is not None:
                bands.append((i, Band(b["grade"], interval, b.get("note"))))
        if len(bands) != len(raw):
            return tuple(b for _, b in bands)
        swept = []
        for i, band in bands:
            if empty(band.interval):  # it holds no total; the others are still checked
                self._band_problem(["grades", i, "range"], "grades_empty",
                                   _("band '{grade}' {interval} is empty: its low end is not below its high end").format(
                                       grade=band.grade, interval=band.interval))
            else:
                swept.append((i, band.interval))
        for hole in coverage(swept, ZERO, total):
            where: list[PathPart] = ["grades", hole.index, "range"] if hole.index >= 0 else ["grades", hole.index]
            if hole.kind == "overlap":
                grade = raw[hole.index]["grade"]
                self._band_problem(where[:1] if hole.index < 0 else where, "grades_overlap",
                                   _("band '{grade}' {interval} overlaps the band below it: a total of {example} would get two grades").format(
                                       grade=grade, interval=hole.interval, example=fmt(hole.example)))
            else:
                self._band_problem(["grades"] if hole.index < 0 else where, "grades_gap",
                                   _("the grades leave {region} without a grade: a total of {example} would get none").format(
                                       region=hole.region, example=fmt(hole.example)),
                                   _("every total from 0 to the scheme's total must fall in exactly one band"))
        top = max((iv.high if iv.high is not None else Decimal("Infinity") for _, iv in swept), default=ZERO)
        if total < top < Decimal("Infinity"):
            self.warn(["grades"], "info", "grades_beyond_total",
                      _("the grades reach {top}, above the total {total}").format(top=fmt(top), total=fmt(total)))
        return tuple(b for _, b in bands)

    def _band_problem(self, path: list[PathPart], code: str, message: str, hint: str | None = None,
                      indicator: str | None = None) -> None:
        """A scheme that would score some input wrongly: a load error, or (for `check`) an error finding."""
        if self.check_bands:
            self.problems.append(self.doc.problem(path, message, hint))
        else:
            self.warn(path, "error", code, message, indicator)

    def vocabulary(self, raw: Mapping[str, Any]) -> Vocabulary:
        from .values import key_of

        means = {}
        for phrase, value in raw.get("means", {}).items():
            parsed = parse(value)
            if parsed is None:
                self.problems.append(self.doc.problem(["vocabulary", "means", phrase], _("must not be empty")))
                continue
            means[key_of(phrase)] = parsed
        return Vocabulary(
            met=tuple(key_of(w) for w in raw.get("met", ())),
            partly=tuple(key_of(w) for w in raw.get("partly", ())),
            not_met=tuple(key_of(w) for w in raw.get("not_met", ())),
            means=means,
            not_applicable=tuple(key_of(w) for w in (*Vocabulary.not_applicable, *raw.get("not_applicable", ()))),
        )

    def scheme(self) -> Scheme:
        data = self.doc.data
        total = Decimal(data.get("total", 100))
        scoring = self.rules(data.get("scoring", []), ["scoring"])
        categories = []
        for i, c in enumerate(data.get("categories", [])):
            got = self.guard(self.category, c, ["categories", i], bool(scoring))
            if got is not None:
                categories.append(got)
        self._duplicates(categories)
        in_total = sum((c.points for c in categories if c.in_total), ZERO)
        if categories and len(categories) == len(data.get("categories", [])) and in_total != total:
            self.warn(["categories"], "warning", "points_sum",
                      _("the categories that count in the total have {points} points, not {total}").format(
                          points=fmt(in_total), total=fmt(total)))
        policies_raw = data.get("policies", {})
        policies = Policies(**{k: v for k, v in policies_raw.items()})
        if policies.cost_level == 1 and not any(c.name in policies.cost_names for c in categories):
            self.problems.append(self.doc.problem(["policies", "cost_level"],
                                                  _("成本指标 is declared a level-1 category but no category is named 成本指标")))
        bands = self.bands(data["grades"], total) if "grades" in data else ()
        checks = tuple(c for c in (self.guard(self.check, raw, ["checks", i]) for i, raw in enumerate(data.get("checks", [])))
                       if c is not None)
        meta = {k: data[k] for k in ("region", "year", "kind", "version", "source") if k in data}
        index = {key: (ci, ii) for ci, c in enumerate(categories) for ii, ind in enumerate(c.indicators) for key in ind.keys}
        category_index = {key: ci for ci, c in enumerate(categories) for key in c.keys}
        return Scheme(
            index=index, category_index=category_index,
            id=data["id"], name=data["name"], file=self.doc.file, total=total, categories=tuple(categories),
            bands=bands, rounding=self.rounding(data.get("rounding", {})), scoring=scoring,
            vocabulary=self.vocabulary(data.get("vocabulary", {})), policies=policies,
            terms=Terms(**data.get("terms", {})), meta=meta, findings=tuple(self.findings), warnings=tuple(self.warnings),
            checks=checks,
        )

    def check(self, raw: Mapping[str, Any], path: list[PathPart]) -> Check:
        """A check, its expression parsed once; the names it reads are the input's figures."""
        expression = None
        key = "expr" if "expr" in raw else "row"
        text = raw.get(key)
        if key in raw and (text is None or not str(text).strip()):
            self.fail(path + [key], _("must not be empty: write what the figures must satisfy, "
                                      "such as 收入总计 == 本年收入合计 + 年初结转和结余"))
        if text is not None:
            try:
                expression = compile_expression(text, (), any_name=True, functions=CHECK_FUNCTIONS)
            except BadExpression as exc:
                self.fail(path + [key], _("{message} (column {column} of the expression)").format(message=exc.message, column=exc.column))
        kind = "expr" if "expr" in raw else ("row" if "row" in raw else ("tree" if "tree" in raw else "claims"))
        return Check(name=raw["name"], code=raw["code"], kind=kind, severity=raw.get("severity", "error"),
                     tolerance=Decimal(raw.get("tolerance", Decimal("0.01"))), expression=expression,
                     table=raw.get("table"), tree=raw.get("tree", {}), note=raw.get("note"))

    def _duplicates(self, categories: list[Category]) -> None:
        seen: dict[str, tuple[int, int]] = {}
        for ci, cat in enumerate(categories):
            for ii, ind in enumerate(cat.indicators):
                for key in ind.keys:
                    if key in seen and seen[key] != (ci, ii):
                        self.problems.append(self.doc.problem(
                            ["categories", ci, "indicators", ii, "name"],
                            _("indicator name '{name}' is used twice: inputs could not say which they mean").format(name=ind.name)))
                    seen[key] = (ci, ii)
        names: dict[str, int] = {}
        for ci, cat in enumerate(categories):
            for key in cat.keys:
                if key in names and names[key] != ci:
                    self.problems.append(self.doc.problem(["categories", ci, "name"], _("category name '{name}' is used twice").format(name=cat.name)))
                names[key] = ci


def _with_unit(iv: Interval, unit: str) -> str:
    return str(replace(iv, unit=unit, text=""))


def _ordered(problems: list[Problem]) -> list[Problem]:
    return sorted(problems, key=lambda p: (p.file or "", p.line or 0, p.column or 0))


def _mode(raw: Any) -> RoundingMode:
    """A rounding mode the schema has already checked is one of MODES."""
    return cast(RoundingMode, str(raw))


def compile_document(doc: yaml_text.Document, check_bands: bool = True) -> Scheme:
    """Resolve `extends`, validate and compile a parsed ruleset document.

    `check_bands=False` loads a scheme whose grade bands leave a gap or overlap (with a
    finding), so that `perfrules check` can show a total that gets no grade or two.
    """
    with decimal.localcontext(context()):  # 1/3 is the same share whatever the caller's precision
        return _compile(doc, check_bands)


def english(data: Any) -> Any:
    """The ruleset `data` with every Chinese name of a method kind or an enumerated value
    (`kind: 正向指标`, `mode: 四舍五入`) read as the English one it names: the schema declares
    the names beside each enum (`x-names`), and everything after the loader sees one spelling."""
    root = schemacheck.schema("ruleset")
    return _english(data, root, root)


def _english(value: Any, node: Mapping[str, Any], root: Mapping[str, Any]) -> Any:
    while "$ref" in node:  # what sits beside a $ref in this schema is help text
        node = _resolve(root, node["$ref"])
    names = node.get(NAMES)
    if names and isinstance(value, str):
        return names.get(value, value)
    if isinstance(value, dict):
        props = node.get("properties", {})
        extra = node.get("additionalProperties")
        out = {k: (_english(v, props[k], root) if k in props else
                   _english(v, extra, root) if isinstance(extra, dict) else v) for k, v in value.items()}
        for branch in node.get("allOf", ()):
            if "if" not in branch:
                out = _english(out, branch, root)
            elif _holds(branch["if"], out):
                out = _english(out, branch.get("then", {}), root)
            else:
                out = _english(out, branch.get("else", {}), root)
        return out
    if isinstance(value, list) and isinstance(node.get("items"), dict):
        return [_english(v, node["items"], root) for v in value]
    for branch in (*node.get("oneOf", ()), *node.get("anyOf", ())):
        value = _english(value, branch, root)  # a branch that does not fit the value leaves it alone
    return value


def _resolve(root: Mapping[str, Any], ref: str) -> Mapping[str, Any]:
    found: Any = root
    for part in ref.removeprefix("#/").split("/"):
        found = found[part]
    return cast(Mapping[str, Any], found)


def _holds(condition: Mapping[str, Any], value: Mapping[str, Any]) -> bool:
    """Whether an `if` of the ruleset schema holds of a mapping: the few keywords it uses."""
    if any(key not in value for key in condition.get("required", ())):
        return False
    for key, sub in condition.get("properties", {}).items():
        if key in value and ("const" in sub and value[key] != sub["const"] or "enum" in sub and value[key] not in sub["enum"]):
            return False
    return "anyOf" not in condition or any(_holds(c, value) for c in condition["anyOf"])


def _compile(doc: yaml_text.Document, check_bands: bool) -> Scheme:
    node, chain = inherit.compose(doc)
    if chain:
        doc = yaml_text.construct(node, doc.file, RulesetError) if node is not None else doc
    doc = replace(doc, data=english(doc.data))
    if not isinstance(doc.data, dict):
        raise RulesetError([Problem(_("a ruleset must be a mapping of keys (id:, name:, categories: …)"), file=doc.file, line=1, column=1)])
    schema_problems = schemacheck.check(doc, "ruleset")
    compiler = _Compiler(doc, lenient=bool(schema_problems), check_bands=check_bands)
    scheme: Scheme | None = compiler.guard(compiler.scheme)
    if schema_problems:
        # semantic problems too, except inside what the schema already objected to
        flagged = [p.path for p in schema_problems]
        extra = [p for p in compiler.problems
                 if not any(p.path == f or p.path.startswith(f + ".") or p.path.startswith(f + "[") for f in flagged)]
        raise RulesetError(_ordered(schema_problems + extra), warnings=compiler.warnings)
    if compiler.problems or scheme is None:
        raise RulesetError(_ordered(compiler.problems), warnings=compiler.warnings)
    if chain:
        scheme = replace(scheme, meta={**scheme.meta, "extends": chain})
    return scheme


def load(path: str | Path, check_bands: bool = True, allow: Sequence[str | Path] = ()) -> Scheme:
    """Load, validate and compile the ruleset at `path`, or the shipped ruleset of that id
    (`national/project-2020`) when no such file exists. An `extends` path may reach the
    ruleset's own folder, the shipped rulesets, $PERFRULES_PATH and the folders in `allow`
    (docs/security.md)."""
    if not Path(path).exists() and not str(path).endswith((".yaml", ".yml")):
        found = inherit.resolve(str(path), Path.cwd())
        if found is not None:
            path = inherit.shown(found)
    with inherit.allowing(allow):
        return compile_document(yaml_text.load(path, RulesetError), check_bands=check_bands)


_INPUT_KEYS = ("indicators", "funds", "figures", "tables", "claims")


def file_kind(path: str | Path) -> str:
    """What a YAML file is, by its content: `ruleset` (it has `perfrules:` or `extends:`), `cases`
    (a `cases:` list) or `input` (`indicators:`, `funds:` … ); a spreadsheet is an input.
    Anything else is taken for a ruleset, so that loading it says what is wrong."""
    p = Path(path)
    if p.suffix.lower() in (".xlsx", ".csv"):
        return "input"
    try:
        data = yaml_text.load(p, RulesetError).data
    except RulesetError:
        return "ruleset"
    if not isinstance(data, dict) or "perfrules" in data or "extends" in data:
        return "ruleset"
    if "cases" in data:
        return "cases"
    if any(key in data for key in _INPUT_KEYS):
        return "input"
    return "ruleset"


def loads(text: str, name: str = "<string>") -> Scheme:
    """Load a ruleset from YAML text; `name` is used in error messages."""
    return compile_document(yaml_text.loads(text, name, RulesetError))
