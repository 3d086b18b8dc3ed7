"""A scheme in plain language, as the official document would state it (Markdown, in Chinese).

`perfrules explain RULESET` prints it; docs/schemes/ holds it for every shipped ruleset.
Each indicator's 评分标准 is generated from its method, so what is read back is what the
engine does; where the ruleset quotes the source's own sentence (`rule:`), it is shown
beside it for comparison.
"""

from __future__ import annotations

from .decimals import fmt
from .kinds import KINDS as METHOD_KINDS, Wording
from .kinds.words import interval_words
from .model import Category, Indicator, MethodSpec, Rule, Scheme, Terms
from .values import key_of

KINDS = {"project": "项目支出", "department": "部门整体支出", "checks": "核对规则（不评分）", "other": "其他"}
FORMS = {"ge": "“≥”目标", "gt": "“>”目标", "le": "“≤”目标", "lt": "“<”目标", "eq": "“=”目标", "approx": "“≈”目标",
         "bare": "只写数值的目标", "range": "区间目标", "compound": "复合目标（多项并列）", "deadline": "时限目标",
         "qualitative": "文字（定性）目标", "missing": "未写目标"}
DIRECTIONS = {"higher": "正向指标", "lower": "反向指标（“≤”目标、成本指标）", "equal": "等于型目标"}
MODES = {"half_up": "四舍五入", "down": "截尾", "half_even": "银行家舍入", "up": "进一"}
STAGES = {"rate": "比率（乘以分值之前，以百分数计）", "indicator": "每个指标得分", "category": "每个一级指标小计", "total": "总分"}


def sentence(method: MethodSpec, scheme: Scheme, indicator: Indicator | None = None, terms: Terms | None = None) -> str:
    """The 评分标准 sentence for a method in the scheme's terms (or in `terms`)."""
    describe = METHOD_KINDS[method.kind].describe
    assert describe is not None
    return describe(method.params, Wording(terms or scheme.terms, indicator.elements if indicator else (), method.raw))


def method_name(kind: str) -> str:
    """A method kind as `explain` names it: its Chinese name and the name a ruleset writes (要素计分（elements）)."""
    names = METHOD_KINDS[kind].names
    return f"{'、'.join(names)}（{kind}）" if names else kind


def when(rule: Rule) -> str:
    """Which indicators a scoring rule applies to, in words (其他指标; “≥”目标，且一级指标为产出指标)."""
    if not rule.when:
        return "其他指标"
    parts = []
    for key, values in rule.when.items():
        names = sorted(values)
        if key == "target":
            parts.append("、".join(FORMS.get(v, v) for v in names))
        elif key == "direction":
            parts.append("、".join(DIRECTIONS.get(v, v) for v in names))
        elif key == "level1":
            parts.append("一级指标为" + "、".join(names))
        elif key == "level2":
            parts.append("二级指标为" + "、".join(names))
        else:
            parts.append("指标名称为" + "、".join(names))
    return "，且".join(parts)


def _indicator(ind: Indicator, scheme: Scheme) -> list[str]:
    t = scheme.terms
    head = f"- **{ind.name}**（{t.weight}{fmt(ind.weight)}"
    if ind.target is not None:
        head += f"，{t.target}：{ind.target}"
    if ind.direction == "lower":
        head += "，反向指标"
    head += "）"
    lines = [head]
    if ind.method is not None:
        lines.append(f"  - 评分标准：{sentence(ind.method, scheme, ind)}。")
        lines.append(f"  - 计分方法：{method_name(ind.method.kind)}")
    else:
        lines.append("  - 评分标准：方案未单列，按下文“计分规则”。")
    if ind.rule:
        lines.append(f"  - 原文：{ind.rule}")
    for e in ind.elements:
        lines.append(f"  - 要素{e.number}：{e.text}")
    if ind.note:
        lines.append(f"  - 说明：{ind.note}")
    return lines


def _category(cat: Category, scheme: Scheme) -> list[str]:
    title = f"### {cat.name}（{fmt(cat.points)}分）"
    lines = [title, ""]
    if cat.aliases:
        lines.append(f"表中也写作：{'、'.join(cat.aliases)}。")
    if cat.scale is not None:
        lines.append(f"本类得分折算：各指标得分合计 × {fmt(cat.scale * 100)}%。")
    if not cat.in_total:
        lines.append("本类得分单独列示，不计入总分。")
    for ind in cat.indicators:
        lines.extend(_indicator(ind, scheme))
    if cat.open:
        lines.append(f"由单位自设二级、三级指标及{scheme.terms.weight}，合计{fmt(cat.points)}分，按“计分规则”评分。")
    for i, rule in enumerate(cat.rules, 1):
        lines.append(f"{i}. 本类中{when(rule)}：{sentence(rule.method, scheme)}。")
        lines.append(f"   - 计分方法：{method_name(rule.method.kind)}")
        if rule.note:
            lines.append(f"   - 说明：{rule.note}")
    if cat.note:
        lines.append(f"说明：{cat.note}")
    lines.append("")
    return lines


def _policies(scheme: Scheme) -> list[str]:
    """The special cases that can arise in this scheme: a policy about units' own indicators
    (a missing weight, 成本指标) is left out of a fixed catalogue, where it cannot apply."""
    p, t = scheme.policies, scheme.terms
    opened = any(c.open for c in scheme.categories)
    costs = {key_of(n) for n in p.cost_names}
    has_cost = opened or any(c.keys[0] in costs or (i.level2 and key_of(i.level2) in costs)
                             for c in scheme.categories for i in c.indicators)
    out = [
        f"- {t.actual}写成界值（如“≥80%”）的：" + ("按界值计分，并列为发现。" if p.bound_actual == "bound" else "不予计分，并列为发现。"),
        f"- {t.actual}为负数的：" + ("按0计，并列为发现；分档计分的指标按所写分档计分。" if p.negative_actual == "zero"
                                    else "按所写数值计分。"),
        f"- 不适用的指标（{'、'.join(scheme.vocabulary.not_applicable)}）：" +
        ("得满分。" if p.not_applicable == "full" else "不计入，总分按适用指标的分值折算为满分。"),
    ]
    if opened:
        out.append(f"- 单位未填{t.weight}的指标：" +
                   ("由该类剩余分值平均分配，并列为发现。" if p.missing_weight == "split_equally" else "不予计分，并列为发现。"))
    out.append(f"- {t.actual}为文字而目标为数值的：" + ("按词表判定达成与否。" if p.text_actual == "vocabulary" else "不予计分。"))
    if has_cost:
        out.append("- 成本指标：" + ("作为一级指标。" if p.cost_level == 1 else "作为产出指标下的二级指标；只写数值的成本目标按“≤”理解。"))
    return out


def _checks(scheme: Scheme) -> list[str]:
    """The checks `perfrules audit` runs, as rules a reviewer would state them."""
    lines = ["## 核对规则", "", "审核时逐条核对报告中的数字（差额不超过尾数误差的，列为尾数误差而非矛盾）：", ""]
    for i, check in enumerate(scheme.checks, 1):
        if check.kind == "expr":
            how = f"`{check.expression.text}`"
        elif check.kind == "row":
            how = f"《{check.table}》每一行：`{check.expression.text}`"
        elif check.kind == "tree":
            columns = "、".join(check.tree["columns"])
            total = f"，{check.tree['total']}行 = 各一级科目之和" if check.tree.get("total") else ""
            how = f"《{check.table}》按{check.tree['code']}：上级科目的{columns} = 下级科目之和{total}"
        else:
            how = "文中每一个百分比 = 其所述数字之比（按印刷精度）"
        lines.append(f"{i}. {check.name}：{how}（尾数误差{fmt(check.tolerance)}；不符时列为 `{check.code}`）")
    return lines + [""]


def explain(scheme: Scheme) -> str:
    """The whole scheme as Markdown."""
    m = scheme.meta
    t = scheme.terms
    lines = [f"# {scheme.name}", ""]
    facts = [f"`{scheme.id}`"] + [str(v) for v in (m.get("region"), m.get("year")) if v]
    if m.get("kind"):
        facts.append(KINDS.get(str(m["kind"]), str(m["kind"])))
    if m.get("version"):
        facts.append(f"版本 {m['version']}")
    lines += [" · ".join(facts), ""]
    if m.get("extends"):
        lines += [f"继承自：{' → '.join(m['extends'])}（本方案只写与之不同之处，以下为合并后的完整方案）", ""]
    source = m.get("source") or {}
    for key, value in source.items():
        label = {"document": "来源", "clause": "条款", "seed": "样本", "note": "说明"}.get(key, key)
        lines.append(f"- {label}：{value}")
    if source:
        lines.append("")
    if scheme.categories:
        lines += [f"## 指标体系与评分标准（满分{fmt(scheme.total)}分）", ""]
    for cat in scheme.categories:
        lines += _category(cat, scheme)
    if scheme.scoring:
        lines += ["## 计分规则", "", "单位自设的指标，以及方案未单列评分标准的指标，按以下规则计分（依次匹配，取第一条）：", ""]
        for i, rule in enumerate(scheme.scoring, 1):
            label = f"【{rule.name}】" if rule.name else ""
            lines.append(f"{i}. {label}{when(rule)}：{sentence(rule.method, scheme)}。")
            lines.append(f"   - 计分方法：{method_name(rule.method.kind)}")
            if rule.note:
                lines.append(f"   - 说明：{rule.note}")
        lines.append("")
    v = scheme.vocabulary
    if v.met or v.partly or v.not_met or v.means:
        lines += ["## 文字判定词表", "", f"{t.actual}为文字时，等于或以下列词语结尾的，判定如下（取最长的匹配词）：", ""]
        for label, words in (("达成", v.met), ("部分达成", v.partly), ("未达成", v.not_met)):
            if words:
                lines.append(f"- {label}：{'、'.join(words)}")
        for phrase, value in v.means.items():
            lines.append(f"- {t.target}“{phrase}”视为 {value}")
        lines.append("")
    if scheme.checks:
        lines += _checks(scheme)
    if not scheme.categories:  # a checks ruleset: nothing is scored
        return "\n".join(lines).rstrip() + "\n"
    lines += ["## 特殊情形", ""] + _policies(scheme) + [""]
    lines += ["## 等级", ""]
    for band in scheme.bands:
        note = f"（{band.note}）" if band.note else ""
        lines.append(f"- {interval_words(band.interval, lambda d: fmt(d) + '分')}为{band.grade}{note}")
    lines += ["", "## 取整", ""]
    for stage, step in scheme.rounding.stages.items():
        lines.append(f"- {STAGES[stage]}：保留{step.places}位小数，{MODES[step.mode]}。")
    if not scheme.rounding.stages:
        lines.append("- 不取整，按精确值计算。")
    return "\n".join(lines).rstrip() + "\n"
