"""Audit a published self-evaluation: re-score it and list where its numbers do not hold.

`audit(scheme, input)` scores the input as `evaluate` does, then compares every number
the unit reported (each indicator's 得分, the category subtotals, the total and grade,
the execution rate) with the computed one, flags missed targets given full marks and
points docked without a reason, lists the places where the report gives a figure twice,
and runs the scheme's `checks`. Each difference is a Finding with both numbers and the
explanation of the computed one.
"""

from __future__ import annotations

import decimal
from dataclasses import replace
from decimal import Decimal

from . import checks as checks_mod, need
from .decimals import ZERO, fmt, pct, quantize
from .engine import evaluate
from .kinds import KINDS
from .model import Scheme
from .record import Funds, Record, Sourced
from .result import Finding, IndicatorScore, Result

D = Decimal

FUNDS_FIELDS = {"budget": "全年预算数", "executed": "全年执行数", "initial_budget": "年初预算数",
                "adjusted_budget": "调整后预算数", "reported_rate": "执行率", "reported_score": "资金得分"}


def _places(result: Result) -> int:
    return result.indicator_places if result.indicator_places is not None else result.places


def _same(reported: Decimal, computed: Decimal, places: int) -> bool:
    return quantize(reported, places) == quantize(computed, places)


def _indicator(ind: IndicatorScore, record: Record, result: Result) -> list[Finding]:
    if ind.row is None:
        return []
    row = record.rows[ind.row]
    out: list[Finding] = []
    places = _places(result)
    reported = row.reported_score
    if reported is not None:
        if ind.score is None:
            out.append(Finding("info", "score_unverifiable", f"单位自评{fmt(reported)}分；本工具未能计分，无法核对（{ind.explanation}）",
                               ind.name, fmt(reported), None))
        elif not _same(reported, ind.score, places):
            out.append(Finding("warning", "score_differs",
                               f"单位自评{fmt(reported)}分，按本方案应为{fmt(ind.score, places)}分：{ind.explanation}",
                               ind.name, fmt(reported), fmt(ind.score, places)))
    reason = (row.deviation_reason or "").strip()
    if ind.met is False:
        if reported is not None and reported >= ind.weight:
            out.append(Finding("error", "missed_full_marks",
                               f"{_missed(ind)}，单位仍自评满分{fmt(reported)}：{ind.explanation}",
                               ind.name, fmt(reported), None if ind.score is None else fmt(ind.score, places)))
        if not reason:
            out.append(Finding("warning", "missed_no_reason",
                               f"{_missed(ind)}，却没有偏差原因分析", ind.name))
    elif ind.met is True and reported is not None and reported < ind.weight and not reason:
        out.append(Finding("warning", "docked_no_reason",
                           f"已达到目标，单位自评{fmt(reported)}分（分值{fmt(ind.weight)}），扣分却没有说明原因", ind.name,
                           fmt(reported), None if ind.score is None else fmt(ind.score, places)))
    return out


REJECTED = ("unknown_category", "unknown_indicator", "duplicate_indicator")


def _rejected(record: Record, result: Result) -> list[Finding]:
    """A reported score on a row the scheme did not take (unknown category or indicator): unverifiable too."""
    used = {ind.row for ind in result.indicators if ind.row is not None}
    out = []
    for row in record.rows:
        if row.index in used or row.reported_score is None:
            continue
        why = next((f.message for f in result.findings if f.indicator == row.name and f.code in REJECTED),
                   "该行未能对应本方案的指标")
        out.append(Finding("info", "score_unverifiable", f"单位自评{fmt(row.reported_score)}分；本工具未能计分，无法核对（{why}）",
                           row.name, fmt(row.reported_score), None))
    return out


def _missed(ind: IndicatorScore) -> str:
    """未达到≥95%（85%）: what was missed and what was done, in words even where a row has no
    target or actual (an occurrence row says what happened instead; never Python's None)."""
    done = ind.actual if ind.actual is not None else ind.explanation.split("，", 1)[0]
    return f"未达到{ind.target or '目标'}" + (f"（{done}）" if done else "")


def _funds(scheme: Scheme, record: Record, result: Result) -> list[Finding]:
    f = record.funds
    out: list[Finding] = []
    if f is None:
        return out
    if f.reported_rate is not None and f.budget and f.executed is not None:
        computed = f.executed / f.budget
        printed = record.funds_given.get("reported_rate", (Sourced(f.reported_rate, ""),))[0].text
        places = _percent_places(printed)
        if quantize(computed * 100, places) != quantize(f.reported_rate * 100, places):
            out.append(Finding("warning", "rate_differs",
                               f"执行率填报{pct(f.reported_rate)}，而全年执行数{f.executed:f} ÷ 全年预算数{f.budget:f} = {pct(quantize(computed, 4))}",
                               "funds", pct(f.reported_rate), pct(quantize(computed, 4))))
    funds_row = next((i for i in result.indicators if i.row is None and _funds_score(i)), None)
    if f.reported_score is not None and funds_row is not None and funds_row.score is not None:
        if not _same(f.reported_score, funds_row.score, _places(result)):
            out.append(Finding("warning", "score_differs",
                               f"资金得分填报{fmt(f.reported_score)}，按本方案应为{fmt(funds_row.score, _places(result))}：{funds_row.explanation}",
                               "funds", fmt(f.reported_score), fmt(funds_row.score, _places(result))))
    for key, versions in record.funds_given.items():
        values = {v.value for v in versions}
        if len(values) > 1:
            listed = "、".join(str(v) for v in versions)
            out.append(Finding("warning", "funds_conflict", f"{FUNDS_FIELDS[key]}在报告中有不同的数：{listed}", "funds",
                               versions[0].text, versions[1].text))
    if record.funds_given and scheme.categories:
        out.extend(_what_if(scheme, record, result))
    return out


def _funds_score(ind: IndicatorScore) -> bool:
    """Whether the indicator's score is the 资金得分 a unit reports beside its funds (the kind says)."""
    return ind.spec is not None and KINDS[ind.spec.kind].funds_score


def _percent_places(text: str) -> int:
    digits = text.replace("%", "").replace("％", "").strip()
    return len(digits.split(".", 1)[1]) if "." in digits else 0


def _what_if(scheme: Scheme, record: Record, result: Result) -> list[Finding]:
    """What the report's other funds figures would do to the funds row and the total."""
    f = record.funds
    assert f is not None
    out = []
    count = max(len(v) for v in record.funds_given.values())
    for i in range(1, count):
        other = {k: (v[i] if i < len(v) else v[0]) for k, v in record.funds_given.items()}
        changed = replace(f, **{k: s.value for k, s in other.items() if isinstance(s.value, Decimal) or s.value is None})
        rescored = evaluate(scheme, replace(record, funds=changed))
        before = next((x for x in result.indicators if _funds_score(x)), None)
        after = next((x for x in rescored.indicators if _funds_score(x)), None)
        if after is None or after.score is None or before is None:
            continue
        source = next((s.source for s in other.values() if s.source), f"第{i + 1}组数")
        rate = f"执行率{pct(quantize(changed.executed / changed.budget, 4))}" if changed.budget and changed.executed is not None else ""
        out.append(Finding(
            "warning", "funds_what_if",
            f"按{source}的资金数（{_funds_text(changed)}），{rate}，资金得分{fmt(after.score, _places(result))}"
            f"（按表中数为{fmt(before.score, _places(result)) if before.score is not None else '—'}），总分{fmt(rescored.total, rescored.places)}"
            f"（按表中数为{fmt(result.total, result.places)}）{'，等级' + rescored.grade if rescored.grade else ''}：{after.explanation}",
            "funds", None if before.score is None else fmt(before.score, _places(result)), fmt(after.score, _places(result))))
    return out


def _funds_text(f: Funds) -> str:
    parts = []
    if f.budget is not None:
        parts.append(f"预算{f.budget:f}")
    if f.executed is not None:
        parts.append(f"执行{f.executed:f}")
    return "、".join(parts)


def _totals(scheme: Scheme, record: Record, result: Result) -> list[Finding]:
    out: list[Finding] = []
    places = result.places
    for category in result.categories:
        key = next((k for k in record.reported_categories if k in _keys(scheme, category.name)), None)
        if key is None:
            continue
        reported = record.reported_categories[key]
        open_points = sum((i.weight for i in result.indicators if i.level1 == category.name and i.score is None
                           and i.applicable), ZERO)
        if open_points:
            most = category.score + open_points
            span = f"{fmt(category.score, places)}–{fmt(most, places)}"
            said = (f"「{category.name}」自评{fmt(reported)}分；按本方案在{fmt(category.score, places)}到{fmt(most, places)}分之间"
                    f"（有{fmt(open_points)}分的指标未能计分）")
            if category.score <= reported <= most:
                out.append(Finding("info", "category_unverifiable", said, category.name, fmt(reported), span))
            else:
                out.append(Finding("warning", "category_differs", said + "，自评分不在其中", category.name, fmt(reported), span))
        elif not _same(reported, category.score, places):
            out.append(Finding("warning", "category_differs",
                               f"「{category.name}」自评{fmt(reported)}分，各指标按本方案合计{fmt(category.score, places)}分",
                               category.name, fmt(reported), fmt(category.score, places)))
    if record.reported_categories and record.reported_total is not None:
        listed = sum(record.reported_categories.values(), ZERO)
        funds_score = record.funds.reported_score if record.funds and record.funds.reported_score is not None else ZERO
        funds_named = any(k in _keys(scheme, c.name) for k in record.reported_categories for c in scheme.categories
                          if any(i.needs_row is False for i in c.indicators))
        added = listed + (ZERO if funds_named else funds_score)
        if added != record.reported_total:
            parts = " + ".join(fmt(v) for v in record.reported_categories.values())
            extra = f" + 资金{fmt(funds_score)}" if funds_score and not funds_named else ""
            out.append(Finding("error", "reported_sum_differs",
                               f"各类自评得分 {parts}{extra} = {fmt(added)}，而自评总分为{fmt(record.reported_total)}",
                               "total", fmt(record.reported_total), fmt(added)))
    if record.reported_total is not None:
        if result.complete:
            if not _same(record.reported_total, result.total, places):
                out.append(Finding("warning", "total_differs",
                                   f"自评总分{fmt(record.reported_total)}，按本方案重新计分为{fmt(result.total, places)}",
                                   "total", fmt(record.reported_total), fmt(result.total, places)))
        elif result.total_max is not None:
            span = f"{fmt(result.total, places)}–{fmt(result.total_max, places)}"
            said = (f"自评总分{fmt(record.reported_total)}；按本方案，总分在{fmt(result.total, places)}到"
                    f"{fmt(result.total_max, places)}之间（有指标未能计分）")
            if result.total <= record.reported_total <= result.total_max:
                out.append(Finding("info", "total_unverifiable", said, "total", fmt(record.reported_total), span))
            else:
                out.append(Finding("warning", "total_differs", said + "，自评总分不在其中", "total", fmt(record.reported_total), span))
    if len({s.value for s in record.totals_given}) > 1:
        versions = "、".join(str(s) for s in record.totals_given)
        out.append(Finding("warning", "reported_conflict", f"报告给出的自评总分不一致：{versions}", "total",
                           record.totals_given[0].text, record.totals_given[1].text))
    if record.reported_grade is not None and scheme.bands:
        if result.grade is not None and record.reported_grade != result.grade:
            out.append(Finding("warning", "grade_differs",
                               f"自评等级「{record.reported_grade}」，按本方案重新计分为{fmt(result.total, places)}分，等级「{result.grade}」",
                               "grade", record.reported_grade, result.grade))
        if record.reported_total is not None:
            band = scheme.grade(record.reported_total)
            if band is not None and band != record.reported_grade:
                out.append(Finding("warning", "reported_grade_inconsistent",
                                   f"自评总分{fmt(record.reported_total)}按本方案的等级划分应为「{band}」，而报告为「{record.reported_grade}」",
                                   "grade", record.reported_grade, band))
    if len({s.value for s in record.grades_given}) > 1:
        versions = "、".join(str(s) for s in record.grades_given)
        out.append(Finding("warning", "reported_conflict", f"报告给出的等级不一致：{versions}", "grade",
                           record.grades_given[0].text, record.grades_given[1].text))
    return out


def _grade_fragile(scheme: Scheme, record: Record, result: Result) -> list[Finding]:
    """grade_fragile: the grade turns on one point, or on one row's rounding (a complete total within
    1 point of a band edge), with the least change to a single actual that moves it across."""
    down_by, down, up_by, up = need.fragile(scheme, record, result)
    places = result.places
    said = []
    if down_by is not None:
        text = f"总分{fmt(result.total, places)}只比「{result.grade}」的下限高{fmt(down_by, places)}分"
        if down is not None:
            c = down.change
            text += f"：{c.indicator}的{_value_word(c.field)}由{c.now}变为{c.to}，总分即为{fmt(down.total, places)}（{down.grade or '无等级'}）"
        said.append(text)
    if up_by is not None:
        above = next(b.grade for b in scheme.bands if b.interval.low is not None and b.interval.low == result.total + up_by)
        text = f"总分{fmt(result.total, places)}距「{above}」只差{fmt(up_by, places)}分"
        if up is not None:
            c = up.change
            text += f"：{c.indicator}的{_value_word(c.field)}由{c.now}变为{c.to}，总分即为{fmt(up.total, places)}（{up.grade or '无等级'}）"
        said.append(text)
    if not said:
        return []
    least = min((x for x in (down, up) if x is not None), key=lambda x: x.change.relative, default=None)
    return [Finding("info", "grade_fragile", "；".join(said) + "。等级由1分之差或一行的舍入决定", "grade", None,
                    None if least is None else f"{least.change.indicator}: {least.change.to}")]


def _value_word(field: str) -> str:
    return {"fraction": "评价比例", "executed": "全年执行数", "occurrences": "次数"}.get(field, "实际完成值")


def _keys(scheme: Scheme, name: str) -> tuple[str, ...]:
    category = next((c for c in scheme.categories if c.name == name), None)
    return category.keys if category is not None else ()


def audit(scheme: Scheme, record: Record) -> Result:
    """Score the input, compare what the unit reported, and run the scheme's checks.

    All of it in the scheme's decimal context: a reported 2.145 is compared with the
    computed score rounded as the scheme declares, whatever the caller's context says."""
    with decimal.localcontext(scheme.rounding.context()):
        return _audit(scheme, record)


def _audit(scheme: Scheme, record: Record) -> Result:
    if scheme.categories:
        result = evaluate(scheme, record)
    else:  # a checks-only ruleset (kind: checks): nothing to score
        result = Result(scheme=scheme.id, total=ZERO, grade=None, categories=(), indicators=(), findings=(),
                        unit=record.unit, year=record.year, notes=("本方案只核对报告中的数字，不评分",))
    found: list[Finding] = []
    for ind in result.indicators:
        found.extend(_indicator(ind, record, result))
    if scheme.categories:
        found.extend(_rejected(record, result))
    found.extend(_funds(scheme, record, result))
    if scheme.categories:
        found.extend(_totals(scheme, record, result))
        found.extend(_grade_fragile(scheme, record, result))
    found.extend(checks_mod.run(scheme.checks, record, result if scheme.categories else None))
    return replace(result, findings=result.findings + tuple(found))


AUDIT_CODES = ("score_differs", "score_unverifiable", "missed_full_marks", "missed_no_reason", "docked_no_reason",
               "rate_differs", "funds_conflict", "funds_what_if", "category_differs", "category_unverifiable", "reported_sum_differs",
               "total_differs", "total_unverifiable", "reported_conflict", "grade_differs", "reported_grade_inconsistent",
               "grade_fragile")
