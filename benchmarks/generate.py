"""Varied unit tables for the benchmarks, made from a scheme's seed example with a fixed seed.

`inputs("zhengzhou", 1000, seed=1)` gives 1,000 input mappings (the examples/*.yaml
format) whose percentage actuals, counts, amounts, element lists, qualitative words,
dates and levels vary, so that a scorer does real work on each and a cache of value
texts does not flatter it. Every generated input is one perfrules scores completely:
the forms stay within those the hand-written scorers in benchmarks/handwritten/ read.
"""

from __future__ import annotations

import copy
import random
from decimal import Decimal
from pathlib import Path
from typing import Any, Callable

import yaml

ROOT = Path(__file__).resolve().parent.parent

SCHEMES = {
    # name: (ruleset, seed example)
    "zhengzhou": ("rulesets/henan/zhengzhou-project-2021.yaml", "examples/zhengzhou-project-2021.yaml"),
    "hunan_department": ("rulesets/hunan/department-2021.yaml", "examples/zhuzhou-department-2021.yaml"),
}


def seed_example(scheme: str) -> dict[str, Any]:
    """The scheme's seed example as a mapping, YAML floats read as exact decimals."""
    text = (ROOT / SCHEMES[scheme][1]).read_text(encoding="utf-8")
    return exact(yaml.safe_load(text))


def inputs(scheme: str, n: int, seed: int = 1) -> list[dict[str, Any]]:
    """n varied inputs of `scheme` ('zhengzhou' or 'hunan_department'), the same for the same seed."""
    rng = random.Random(seed)
    base = seed_example(scheme)
    vary = _VARY[scheme]
    out = []
    for _ in range(n):
        data = copy.deepcopy(base)
        for row in data["indicators"]:
            change = vary.get(row["name"])
            if change is not None:
                change(rng, row)
        if scheme == "hunan_department":
            _funds(rng, data["funds"])
        out.append(data)
    return out


# ---------------------------------------------------------------- how values are written


def _percent(rng: random.Random, low: int, high: int, whole: float = 0.25) -> str:
    """A percentage between low% and high%, often with two decimals ('97.53%'); sometimes the top."""
    if rng.random() < whole:
        return f"{high if high <= 100 else 100}%"
    return f"{Decimal(rng.randint(low * 100, high * 100)).scaleb(-2)}%"


def _count(rng: random.Random, low: int, high: int, unit: str) -> Any:
    """A count written as text, text with its unit, or a YAML integer."""
    n = rng.randint(low, high)
    return rng.choice([str(n), f"{n}{unit}", n])


def _fraction(rng: random.Random, low: int, high: int) -> Any:
    """The evaluator's share within a qualitative level: '70%' or Decimal('0.7')."""
    p = rng.randint(low, high)
    return f"{p}%" if rng.random() < 0.5 else Decimal(p).scaleb(-2)


def _words(target: str, met: list[str], partly: list[str], not_met: list[str]) -> Callable[[random.Random, dict], None]:
    """A qualitative actual: the target's own word or a met word, a partly word, or a not-met word.

    Partly and not-met levels have no default share: the evaluator's fraction comes with them.
    """

    def change(rng: random.Random, row: dict) -> None:
        row.pop("fraction", None)
        roll = rng.random()
        if roll < 0.55:
            row["actual"] = rng.choice([target, target, *met])
            if rng.random() < 0.2:
                row["fraction"] = _fraction(rng, 80, 100)
        elif roll < 0.8:
            row["actual"] = rng.choice(partly)
            row["fraction"] = _fraction(rng, 60, 79)
        else:
            row["actual"] = rng.choice(not_met)
            row["fraction"] = _fraction(rng, 0, 59)

    return change


def _elements(count: int) -> Callable[[random.Random, dict], None]:
    def change(rng: random.Random, row: dict) -> None:
        row["elements"] = [i for i in range(1, count + 1) if rng.random() < 0.8]

    return change


def _actual(make: Callable[[random.Random], Any]) -> Callable[[random.Random, dict], None]:
    def change(rng: random.Random, row: dict) -> None:
        row["actual"] = make(rng)

    return change


# ---------------------------------------------------------------- 郑州 (fixed catalogue)

_ZZ_MET = ["已完成", "达标"]
_ZZ_PARTLY = ["基本完成", "部分完成", "基本达到"]
_ZZ_NOT = ["未完成", "未达到"]


def _zz_words(target: str, partly: str | None, not_met: str) -> Callable[[random.Random, dict], None]:
    return _words(target, _ZZ_MET, _ZZ_PARTLY + ([partly] if partly else []), _ZZ_NOT + [not_met])


def _complaints(rng: random.Random) -> Any:
    if rng.random() < 0.3:
        return "0"
    return f"{Decimal(rng.randint(0, 1200)).scaleb(-2)}%"


def _coverage(rng: random.Random) -> str:
    return f"全市10区{6 if rng.random() < 0.6 else rng.randint(3, 6)}县市"


_ZHENGZHOU: dict[str, Callable[[random.Random, dict], None]] = {
    "预算执行率": _actual(lambda r: _percent(r, 50, 105)),
    "预算编制合理性": _elements(3),
    "预算资金到位情况": _actual(lambda r: _percent(r, 50, 105)),
    "财务管理制度健全性": _elements(9),
    "资金使用规范性": _elements(5),
    "财务监控有效性": _elements(3),
    "合同管理完备性": _elements(9),
    "项目质量可控性": _elements(3),
    "项目管理制度健全性": _elements(3),
    "职业病危害因素用人单位、医疗卫生机构放射防护监测覆盖区域、单位数量": _actual(_coverage),
    "职业健康体检人次": _actual(lambda r: _count(r, 4000, 7000, "人次")),
    "完成合格率": _actual(lambda r: _percent(r, 85, 100)),
    "职业健康体检达标率": _actual(lambda r: _percent(r, 85, 100)),
    "有毒有害作业人员投诉率": _actual(_complaints),
    "职业病危害企业和重点人群满意度": _actual(lambda r: _percent(r, 80, 100)),
    "高效数据分析": _actual(lambda r: _percent(r, 80, 100)),
    "检测评价机构与职业健康体检机构宣教覆盖人次": _actual(lambda r: _count(r, 700, 1500, "人次")),
    "人员配备合理性": _zz_words("合理", "基本合理", "不合理"),
    "应急预案完备性": _zz_words("完备", None, "不完备"),
    "职业健康体检人员档案健全性": _zz_words("健全", "基本健全", "不健全"),
    "信息公开性": _zz_words("公开", None, "未公开"),
}

# ---------------------------------------------------------------- 湖南部门整体 (open catalogue)

_HN_MET = ["已完成", "按计划完成"]
_HN_PARTLY = ["基本完成", "部分完成", "基本达成"]
_HN_NOT = ["未完成", "未达成"]


def _money(value: Decimal) -> str:
    """An amount as tables print it: '3,102.95'."""
    return f"{value:,.2f}"


def _funds(rng: random.Random, funds: dict) -> None:
    budget = Decimal(rng.randint(50_000, 500_000)).scaleb(-2)
    executed = (budget * Decimal(rng.randint(7000, 10500)) / 10000).quantize(Decimal("0.01"))
    funds["budget"] = _money(budget) if rng.random() < 0.7 else budget
    funds["executed"] = _money(executed) if rng.random() < 0.7 else executed
    for key in ("initial_budget", "reported_rate", "reported_score"):
        funds.pop(key, None)


def _checkups(rng: random.Random) -> str:
    return f"企业用人单位数{rng.randint(150, 250)}家、人数{Decimal(rng.randint(300, 400)).scaleb(-2)}万"


def _projects(rng: random.Random) -> str:
    extra = "、食品放射性污染监测项目1个" if rng.random() < 0.5 else ""
    return f"职业病项目{rng.randint(1, 3)}个、放射卫生项目{rng.randint(1, 4)}个{extra}"


def _inspections(rng: random.Random) -> str:
    return f"职业卫生{rng.randint(40, 70)}家用人单位、放射卫生{rng.randint(30, 55)}家单位"


def _done_by(rng: random.Random) -> str:
    return rng.choice(["已完成", "已完成", "未完成", "2021年11月完成", "2021年12月31日", "2022年3月完成"])


def _amount(low: int, high: int, unit: str) -> Callable[[random.Random], str]:
    return lambda r: f"{Decimal(r.randint(low * 100, high * 100)).scaleb(-2)}{unit}"


def _work_place(rng: random.Random) -> str:
    return "≥80%" if rng.random() < 0.3 else _percent(rng, 70, 95)


def _judged(rng: random.Random, row: dict) -> None:
    """A narrative actual: the evaluator states the level (and a share within it)."""
    row.pop("fraction", None)
    roll = rng.random()
    if roll < 0.5:
        row["level"] = rng.choice(["达成年度指标", "达成"])
        if rng.random() < 0.3:
            row["fraction"] = _fraction(rng, 80, 100)
    elif roll < 0.8:
        row["level"] = rng.choice(["部分达成年度指标并具有一定效果", "部分达成"])
        row["fraction"] = _fraction(rng, 60, 79)
    else:
        row["level"] = rng.choice(["未达成年度指标且效果较差", "未达成"])
        row["fraction"] = _fraction(rng, 0, 59)


_HUNAN: dict[str, Callable[[random.Random, dict], None]] = {
    "职业健康体检用人单位数、人数": _actual(_checkups),
    "落实国家防治项目个数": _actual(_projects),
    "日常检测评价数": _actual(_inspections),
    "职业病诊断数": _actual(lambda r: _percent(r, 85, 100)),
    "组织用人单位职业卫生管理人员培训人数": _actual(lambda r: f"{r.randint(600, 900)}人"),
    "职业病网报人数": _actual(lambda r: _percent(r, 85, 100)),
    "重点职业病监测覆盖率": _actual(lambda r: _percent(r, 85, 100)),
    "职业健康体检率（以签订责任状单位数）": _actual(lambda r: _percent(r, 70, 95)),
    "国家项目完成率": _actual(lambda r: _percent(r, 80, 100)),
    "职业病报告率（含正确率）": _actual(lambda r: _percent(r, 80, 100)),
    "职业卫生培训率（已签订责任状为基数）": _actual(lambda r: _percent(r, 85, 100)),
    "职业卫生培训合格率": _actual(lambda r: _percent(r, 80, 100)),
    "国家项目风险评估项目": _words("根据国家要求时间已完成", _HN_MET, _HN_PARTLY, _HN_NOT),
    "其他工作": _actual(_done_by),
    "业务工作": _actual(_amount(480, 620, "万元")),
    "职业健康检查收入": _actual(_amount(700, 1000, "万")),
    "职业卫生技术服务能力": _words("已完成", _HN_MET, _HN_PARTLY, _HN_NOT),
    "职业卫生技术服务（含县市区)覆盖率": _actual(lambda r: _percent(r, 85, 100)),
    "工作场所作业环境(监测点)符合国家职业卫生标准率": _actual(_work_place),
    "职业病防治技术支撑能力": _judged,
    "服务受众满意率": _actual(lambda r: _percent(r, 85, 100)),
}

_VARY = {"zhengzhou": _ZHENGZHOU, "hunan_department": _HUNAN}


def exact(data: Any) -> Any:
    """A mapping read by yaml.safe_load with every float as the Decimal its text says."""
    if isinstance(data, float):
        return Decimal(repr(data))
    if isinstance(data, dict):
        return {k: exact(v) for k, v in data.items()}
    if isinstance(data, list):
        return [exact(v) for v in data]
    return data
