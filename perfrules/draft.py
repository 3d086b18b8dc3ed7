"""From a scheme's scoring table to a ruleset: `perfrules draft TABLE -o RULESET.yaml`.

A table (.xlsx, .csv or Markdown, read by sources/ruletable.py) lists the indicators with
一级指标, 指标名称, 分值 and 评分标准. Each rule text is read by the kinds' phrasings (kinds/phrase.py): a text read
one way becomes its method, kept beside it as `rule:`; any other text becomes a
`placeholder:` that quotes it and says what is missing, which `validate` refuses until the
author resolves it. `table_of(scheme)` writes a scheme's rule texts as such a table, for
the round trip explain → draft.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml

from .errors import PerfrulesError, RulesetError
from .i18n import gettext as _
from .kinds import KINDS
from .kinds.phrase import RANGE, Drafted, Given, Unclear, interval, normal, plain, read
from .sources.ruletable import Row, Table, read_table

ID = re.compile(r"^[a-z0-9][a-z0-9_./-]*$")

# the national grade bands as shares of the total (90/80/60, lower end included)
NATIONAL_GRADES = (("优", Decimal("0.9"), None), ("良", Decimal("0.8"), Decimal("0.9")),
                   ("中", Decimal("0.6"), Decimal("0.8")), ("差", Decimal(0), Decimal("0.6")))


@dataclass
class Placeholder:
    where: str
    name: str
    text: str
    missing: str


@dataclass
class Draft:
    """A drafted ruleset: its YAML text, how many rules were read, and the placeholders."""

    text: str
    rules: int
    placeholders: list[Placeholder]
    grades: str = ""  # where the grade bands come from

    @property
    def drafted(self) -> int:
        return self.rules - len(self.placeholders)

    def summary(self) -> str:
        lines = [_("{drafted} of {rules} rules drafted").format(drafted=self.drafted, rules=self.rules)]
        lines += [_("{where}: {name}: placeholder: {missing}").format(where=p.where, name=p.name, missing=p.missing)
                  for p in self.placeholders]
        return "\n".join(lines + ([self.grades] if self.grades else []))


# ---------------------------------------------------------------- the ruleset


@dataclass
class _Indicator:
    row: Row
    drafted: Drafted | None
    missing: str = ""


def _read_rows(table: Table) -> list[_Indicator]:
    out = []
    for row in table.rows:
        got = read(row.rule, Given(row.weight, row.elements), KINDS)
        out.append(_Indicator(row, got.drafted, got.missing))
    return out


def _data(ident: str, name: str, indicators: list[_Indicator], table: Table, placeholders: bool) -> dict[str, Any]:
    """The ruleset as data (placeholders left out unless `placeholders`)."""
    categories: dict[str, list[_Indicator]] = {}
    for ind in indicators:
        categories.setdefault(ind.row.level1, []).append(ind)
    cats: list[dict[str, Any]] = []
    for cat, inds in categories.items():
        points = table.points.get(cat, sum((i.row.weight for i in inds), Decimal(0)))
        listed = [_indicator(i) for i in inds if placeholders or i.drafted is not None]
        cats.append({"name": cat, "points": points, "indicators": listed})
    total = sum((c["points"] for c in cats), Decimal(0))
    return {"perfrules": 1, "id": ident, "name": name, "total": total, "grades": _grades(total),
            "categories": [c for c in cats if c["indicators"]]}


def _indicator(ind: _Indicator) -> dict[str, Any]:
    row = ind.row
    out: dict[str, Any] = {"name": row.name, "weight": row.weight}
    if row.level2:
        out["level2"] = row.level2
    if row.target:
        out["target"] = row.target
    if row.direction:
        out["direction"] = row.direction
    if row.rule:
        out["rule"] = row.rule
    if ind.drafted is None:
        out["placeholder"] = {"text": row.rule, "missing": ind.missing}
        return out
    if ind.drafted.elements is not None:
        out["elements"] = list(ind.drafted.elements)
    elif row.elements:
        out["elements"] = list(row.elements)
    out["method"] = dict(ind.drafted.method)
    return out


GRADE = re.compile(rf"({RANGE})为([^\d;:,%≥≤<>()]+)")


def stated_grades(texts: list[tuple[str, str]], total: Decimal) -> tuple[list[dict[str, str]] | None, str]:
    """The grade bands a note of the table states ('90分（含）以上为优，80分（含）至90分为良，…'), and
    where; or None and why not. A bare '60分以下' is below 60 when another band claims 60 (（含）)."""
    for where, text in texts:
        parts = [m for part in re.split(r"[,;、。:]", normal(text)) if (m := GRADE.fullmatch(part))]
        if len(parts) < 2:
            continue
        claimed = set(re.findall(r"(\d+(?:\.\d+)?)分?\(含\)", normal(text))) | \
            set(re.findall(r"[≥≤](\d+(?:\.\d+)?)", normal(text)))
        grades = []
        for m in parts:
            written = m.group(1)
            bare = re.fullmatch(r"(\d+(?:\.\d+)?)分?(以上|以下)", written)
            if bare and bare.group(1) in claimed:  # the neighbour band has it: this one does not
                written = ("高于" if bare.group(2) == "以上" else "低于") + bare.group(1)
            try:
                grades.append({"grade": m.group(2), "range": interval(written, top=total)})
            except Unclear as exc:
                return None, f"the table states grade bands ({where}) but {exc.reason}"
        return grades, where
    return None, ""


def _grades(total: Decimal) -> list[dict[str, str]]:
    def at(share: Decimal) -> str:
        return plain(total * share)

    return [{"grade": g, "range": f"[{at(lo)}, {at(hi) if hi is not None else plain(total)}{']' if hi is None else ')'}"}
            for g, lo, hi in NATIONAL_GRADES]


def _check(ident: str, name: str, indicators: list[_Indicator], table: Table) -> None:
    """Load the drafted methods; one the loader refuses (bands with a gap, an unknown formula name)
    becomes a placeholder with the loader's message."""
    from .load import loads

    for _attempt in range(3):
        data = _data(ident, name, indicators, table, placeholders=False)
        listed = [i for i in indicators if i.drafted is not None]
        if not listed:
            return  # every rule a placeholder: nothing to load
        try:
            loads(dump(data), "<draft>")
            return
        except RulesetError as exc:
            blamed = False
            for problem in exc.problems:
                m = re.match(r"categories\[(\d+)\]\.indicators\[(\d+)\]", problem.path)
                if m is None:
                    continue
                cat = data["categories"][int(m.group(1))]["name"]
                ind = [i for i in listed if i.row.level1 == cat][int(m.group(2))]
                kind = ind.drafted.method.get("kind") if ind.drafted else "?"
                ind.drafted, ind.missing = None, f"read as `{kind}`, but the ruleset would not load: {problem.message}"
                blamed = True
            if not blamed:
                raise


def draft(path: str | Path, ident: str | None = None, name: str | None = None) -> Draft:
    """The ruleset a scoring table states, as YAML text, with a placeholder for every rule not read."""
    stem = Path(path).stem
    ident = ident or ("draft/" + (re.sub(r"[^a-z0-9_-]+", "-", stem.lower()).strip("-") or "table"))
    if not ID.match(ident):
        raise PerfrulesError(f"--id '{ident}' must be lower-case letters, digits and _ . / - (hunan/project-2021)")
    table = read_table(path)
    indicators = _read_rows(table)
    name = name or stem
    _check(ident, name, indicators, table)
    data = _data(ident, name, indicators, table, placeholders=True)
    grades, said = stated_grades(table.texts, data["total"])
    if grades is not None:
        data["grades"] = grades
        shown = _("grades: as the table states them ({said})").format(said=said)
        comment = [f"# The grade bands the table states ({_one_line(said)})."]
    else:
        why = said or _("the table states no grade bands")
        shown = _("grades: ASSUMPTION, the national bands as shares of the total ({why})").format(why=why)
        comment = [f"# ASSUMPTION: {_one_line(why)}; these are the national bands (90/80/60 of 100)",
                   "# as shares of the total. Replace them with the scheme's own."]
    placeholders = [Placeholder(i.row.where, i.row.name, i.row.rule, i.missing) for i in indicators if i.drafted is None]
    return Draft(_yaml(data, table, comment), len(indicators), placeholders, shown)


def _one_line(text: str) -> str:
    """A text for a YAML comment: one line (a line break would end the comment)."""
    return re.sub(r"[\r\n\x85\u2028\u2029]+", " ", text)


# ---------------------------------------------------------------- YAML


class _Dumper(yaml.SafeDumper):
    """Decimals as the numbers they are (0.5, never a binary float)."""


def _decimal(dumper: yaml.SafeDumper, d: Decimal) -> yaml.ScalarNode:
    text = plain(d)
    return dumper.represent_scalar("tag:yaml.org,2002:float" if "." in text else "tag:yaml.org,2002:int", text)


_Dumper.add_representer(Decimal, _decimal)


def dump(data: Any) -> str:
    return yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=10**6)


def _flow(value: Any) -> str:
    return yaml.dump(value, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=10**6,
                     default_flow_style=True).removesuffix("\n...\n").strip()


def _yaml(data: dict[str, Any], table: Table, grades_comment: list[str]) -> str:
    """The ruleset as a person would write it: one key a line, methods in flow style, and comments
    where the draft assumed something."""
    out = [
        "# Drafted by `perfrules draft` from a scoring table. Each `placeholder:` is a rule text it could not",
        "# read one way: write the indicator's `method:` and delete `placeholder:` (validate lists them).",
        "perfrules: 1",
        f"id: {_flow(data['id'])}",
        f"name: {_flow(data['name'])}",
        f"total: {_flow(data['total'])}",
        "",
        *grades_comment,
        "grades:",
    ]
    out += [f"  - {_flow(g)}" for g in data["grades"]]
    out += ["", "categories:"]
    for cat in data["categories"]:
        out.append(f"  - name: {_flow(cat['name'])}")
        note = "" if cat["name"] in table.points else "  # the sum of its rows' 分值: the table gives no category points"
        out.append(f"    points: {_flow(cat['points'])}{note}")
        out.append("    indicators:")
        for ind in cat["indicators"]:
            first = True
            for key, value in ind.items():
                lead = "      - " if first else "        "
                first = False
                if key == "elements":
                    out.append(f"{lead}elements:")
                    out += [f"          - {_flow(e)}" for e in value]
                else:
                    out.append(f"{lead}{key}: {_flow(value)}")
    return "\n".join(out) + "\n"


# ---------------------------------------------------------------- a scheme's rule texts as a table


def _effective(ind: Any, category: Any, scheme: Any) -> Any:
    """The method that scores a fixed indicator: its own, or the first scoring rule its target matches."""
    from .values import form

    if ind.method is not None:
        return ind.method
    shape = form(ind.target)
    direction = ind.direction or ("lower" if shape in ("le", "lt") else "equal" if shape in ("eq", "approx") else "higher")
    facts = {"name": ind.name, "level1": category.name, "level2": ind.level2, "target": shape, "direction": direction}
    return next((r.method for r in (*category.rules, *scheme.scoring) if r.matches(facts)), None)


def _cell(text: Any) -> str:
    return str(text).replace("|", "\\|").replace("\n", "<br>")


def table_of(scheme: Any) -> str:
    """A scheme's fixed indicators as a Markdown scoring table: explain's 评分标准 sentence for each
    (its own method, or the scoring rule that scores it), its weight, target and elements."""
    from .explain import sentence

    lines = ["| 一级指标 | 指标名称 | 分值 | 目标值 | 指标方向 | 要素 | 评分标准 |", "|---|---|---|---|---|---|---|"]
    for cat in scheme.categories:
        for ind in cat.indicators:
            method = _effective(ind, cat, scheme)
            rule = sentence(method, scheme, ind) if method is not None else ""
            elements = "<br>".join(f"{e.number}. {e.text}" for e in ind.elements)
            cells = [f"{cat.name}（{plain(cat.points)}分）", ind.name, plain(ind.weight), ind.target or "",
                     {"lower": "反向", "equal": "等于"}.get(ind.direction or "", ""), elements, rule]
            lines.append("| " + " | ".join(_cell(c) for c in cells) + " |")
    return "\n".join(lines) + "\n"
