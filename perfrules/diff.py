"""What differs between two schemes, after inheritance: categories, indicators, rules, bands.

Methods are compared by the 评分标准 sentence they generate, so a difference reads in
the scheme's own words ("每降低1%扣权重分的1%" → "每降低1%扣权重分的2%").
"""

from __future__ import annotations

from typing import Any

from .decimals import fmt
from .explain import sentence, when
from .i18n import gettext as _
from .model import Category, Indicator, Scheme, Terms

NEUTRAL = Terms()


def _words(values: Any) -> str:
    return "、".join(values) if values else "（无）"


def _indicator(a: Indicator, b: Indicator, sa: Scheme, sb: Scheme) -> list[str]:
    out = []
    if a.weight != b.weight:
        out.append(f"weight {fmt(a.weight)} → {fmt(b.weight)}")
    if str(a.target or "") != str(b.target or ""):
        out.append(f"target {a.target or '（无）'} → {b.target or '（无）'}")
    if (a.direction or "") != (b.direction or ""):
        out.append(f"direction {a.direction or '（按目标）'} → {b.direction or '（按目标）'}")
    # compared in neutral terms, so that a scheme that says 业绩值 for 实际完成值 is not a change of rule
    same = (sentence(a.method, sa, a, NEUTRAL) if a.method else None) == (sentence(b.method, sb, b, NEUTRAL) if b.method else None)
    if not same:
        ma = sentence(a.method, sa, a) if a.method else "（按计分规则）"
        mb = sentence(b.method, sb, b) if b.method else "（按计分规则）"
        out.append(f"评分标准「{ma}」→「{mb}」")
    ea = [(e.text, e.share, e.veto) for e in a.elements]
    eb = [(e.text, e.share, e.veto) for e in b.elements]
    if ea != eb:
        out.append(f"elements {len(ea)} → {len(eb)}" if len(ea) != len(eb) else _("element texts or shares changed"))
    return out


def _category(a: Category, b: Category) -> list[str]:
    out = []
    if a.points != b.points:
        out.append(f"points {fmt(a.points)} → {fmt(b.points)}")
    if a.open != b.open:
        out.append(_("open catalogue") if b.open else _("fixed catalogue"))
    if a.in_total != b.in_total:
        out.append(_("counts in the total") if b.in_total else _("no longer counts in the total"))
    if a.scale != b.scale:
        out.append(f"scale {fmt(a.scale) if a.scale is not None else '—'} → {fmt(b.scale) if b.scale is not None else '—'}")
    if set(a.aliases) != set(b.aliases):
        out.append(f"aliases {_words(a.aliases)} → {_words(b.aliases)}")
    return out


def diff(a: Scheme, b: Scheme) -> list[str]:
    """Lines describing how `b` differs from `a`; empty when they score alike."""
    lines: list[str] = []

    def section(title: str, items: list[str]) -> None:
        if items:
            lines.append(title)
            lines.extend(f"  {item}" for item in items)

    head = []
    if a.total != b.total:
        head.append(f"~ total {fmt(a.total)} → {fmt(b.total)}")
    for field in ("target", "actual", "weight", "weight_points", "score", "review"):
        va, vb = getattr(a.terms, field), getattr(b.terms, field)
        if va != vb:
            head.append(f"~ terms.{field} {va} → {vb}")
    section("scheme", head)

    cats_a = {c.name: c for c in a.categories}
    cats_b = {c.name: c for c in b.categories}
    cats = [f"- {n} ({fmt(c.points)})" for n, c in cats_a.items() if n not in cats_b]
    cats += [f"+ {n} ({fmt(c.points)}{', open' if c.open else ''})" for n, c in cats_b.items() if n not in cats_a]
    for n in cats_a.keys() & cats_b.keys():
        changes = _category(cats_a[n], cats_b[n])
        if changes:
            cats.append(f"~ {n}: " + "; ".join(changes))
    section("categories", sorted(cats, key=lambda s: s[2:]))

    inds_a = {(c.name, i.name): i for c in a.categories for i in c.indicators}
    inds_b = {(c.name, i.name): i for c in b.categories for i in c.indicators}
    inds = [f"- {c}/{n} ({fmt(i.weight)})" for (c, n), i in inds_a.items() if (c, n) not in inds_b]
    inds += [f"+ {c}/{n} ({fmt(i.weight)})" for (c, n), i in inds_b.items() if (c, n) not in inds_a]
    for key in inds_a.keys() & inds_b.keys():
        changes = _indicator(inds_a[key], inds_b[key], a, b)
        if changes:
            inds.append(f"~ {key[0]}/{key[1]}: " + "; ".join(changes))
    section("indicators", sorted(inds, key=lambda s: s[2:]))

    rules: list[str] = []
    if all(r.name for r in (*a.scoring, *b.scoring)):
        named_a = {r.name: r for r in a.scoring}
        named_b = {r.name: r for r in b.scoring}
        for r in a.scoring:
            if r.name not in named_b:
                rules.append(f"- 【{r.name}】{when(r)}：{sentence(r.method, a)}")
        for i, r in enumerate(b.scoring, 1):
            old = named_a.get(r.name)
            if old is None:
                rules.append(f"+ 【{r.name}】（第{i}条）{when(r)}：{sentence(r.method, b)}")
            elif (when(old), sentence(old.method, a, terms=NEUTRAL)) != (when(r), sentence(r.method, b, terms=NEUTRAL)):
                rules.append(f"~ 【{r.name}】「{when(old)}：{sentence(old.method, a)}」→「{when(r)}：{sentence(r.method, b)}」")
        common = [n for n in named_a if n in named_b]
        if [n for n in named_b if n in named_a] != common:
            rules.append("~ " + _("the rules are in another order (the first that matches wins)"))
    else:
        keys_a = [f"{when(r)}：{sentence(r.method, a, terms=NEUTRAL)}" for r in a.scoring]
        keys_b = [f"{when(r)}：{sentence(r.method, b, terms=NEUTRAL)}" for r in b.scoring]
        rules += [f"- {i}. {when(r)}：{sentence(r.method, a)}" for i, (r, k) in enumerate(zip(a.scoring, keys_a), 1) if k not in keys_b]
        rules += [f"+ {i}. {when(r)}：{sentence(r.method, b)}" for i, (r, k) in enumerate(zip(b.scoring, keys_b), 1) if k not in keys_a]
        if not rules and keys_a != keys_b:
            rules.append("~ " + _("the same rules in another order (the first that matches wins)"))
    section("scoring rules", rules)

    bands_a = [f"{band.grade} {band.interval}" for band in a.bands]
    bands_b = [f"{band.grade} {band.interval}" for band in b.bands]
    section("grades", [f"- {x}" for x in bands_a if x not in bands_b] + [f"+ {x}" for x in bands_b if x not in bands_a])

    rounding = []
    for stage in sorted(set(a.rounding.stages) | set(b.rounding.stages)):
        sa, sb = a.rounding.stages.get(stage), b.rounding.stages.get(stage)
        if sa != sb:
            show = lambda s: _("{places} places {mode}").format(places=s.places, mode=s.mode) if s else _("not rounded")  # noqa: E731
            rounding.append(f"~ {stage}: {show(sa)} → {show(sb)}")
    section("rounding", rounding)

    vocab = []
    for klass in ("met", "partly", "not_met"):
        wa, wb = getattr(a.vocabulary, klass), getattr(b.vocabulary, klass)
        added = [w for w in wb if w not in wa]
        removed = [w for w in wa if w not in wb]
        if added:
            vocab.append(f"+ {klass}: {_words(added)}")
        if removed:
            vocab.append(f"- {klass}: {_words(removed)}")
    ma, mb = {k: str(v) for k, v in a.vocabulary.means.items()}, {k: str(v) for k, v in b.vocabulary.means.items()}
    vocab += [f"- means {k} = {v}" for k, v in ma.items() if mb.get(k) != v]
    vocab += [f"+ means {k} = {v}" for k, v in mb.items() if ma.get(k) != v]
    section("vocabulary", vocab)

    policies = []
    for field in ("bound_actual", "not_applicable", "missing_weight", "text_actual", "cost_level"):
        va, vb = getattr(a.policies, field), getattr(b.policies, field)
        if va != vb:
            policies.append(f"~ {field}: {va} → {vb}")
    section("policies", policies)
    return lines
