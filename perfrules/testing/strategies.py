"""Hypothesis strategies for values as tables write them.

`values()` generates typed values; `spellings(value)` lists the ways people write the
same value (≥80%, \\geq 80%, 不低于80%, 80%以上, ＞＝８０％ …) so that a test can check
every spelling parses to the same meaning.
"""

from __future__ import annotations

from decimal import Decimal

from hypothesis import strategies as st

from ..values import Bound, Compound, Date, Number, Part, Span, Text, Value, render

UNITS = ["", "%", "人", "家", "元", "个", "人次", "元/人", "例", "项", "台", "份", "次", "天", "所"]
# labels as the seed tables write them before a part of a compound target
LABELS = ["企业用人单位数", "人数", "职业卫生", "放射卫生", "职业病项目", "放射卫生项目", "建档率", "新生儿访视率",
          "产后访视率", "规范管理率"]
WORDS = ["已完成", "按计划完成", "应诊尽诊", "合理", "健全", "基本完成", "未完成", "及时", "较高", "公平、公正、公开"]


def amounts(max_value: int = 10**7) -> st.SearchStrategy[Decimal]:
    """Non-negative amounts with up to two decimals, as tables print them."""
    return st.decimals(min_value=0, max_value=max_value, places=2, allow_nan=False, allow_infinity=False).map(
        lambda d: d.normalize() if d == d.to_integral_value() else d)


def numbers(units: list[str] | None = None) -> st.SearchStrategy[Number]:
    return st.builds(lambda v, u: Number(v, u), amounts(), st.sampled_from(units or UNITS))


def bounds() -> st.SearchStrategy[Bound]:
    return st.builds(lambda op, n: Bound(op, n), st.sampled_from([">=", "<=", ">", "<", "="]), numbers())


def spans() -> st.SearchStrategy[Span]:
    def build(a: Decimal, b: Decimal, unit: str) -> Span:
        low, high = sorted((a, b))
        return Span(Number(low, unit), Number(high, unit))
    return st.builds(build, amounts(10**4), amounts(10**4), st.sampled_from(["%", "人", "家", ""])).filter(
        lambda s: s.low.value < s.high.value)


def dates() -> st.SearchStrategy[Date]:
    return st.one_of(
        st.builds(lambda y, m, d: Date(y, m, d), st.integers(2000, 2040), st.integers(1, 12), st.integers(1, 28)),
        st.builds(lambda y, m: Date(y, m, None), st.integers(2000, 2040), st.integers(1, 12)),
        st.builds(lambda m, d: Date(None, m, d), st.integers(1, 12), st.integers(1, 28)),
        st.builds(lambda y: Date(y, None, None), st.integers(2000, 2040)),
    )


def compounds() -> st.SearchStrategy[Compound]:
    parts = st.lists(st.tuples(st.sampled_from(LABELS), st.one_of(numbers(), bounds())), min_size=2, max_size=3,
                     unique_by=lambda p: p[0])
    return parts.map(lambda ps: Compound(tuple(Part(label, value) for label, value in ps)))


def texts() -> st.SearchStrategy[Text]:
    return st.sampled_from(WORDS).map(lambda w: Text(w))


def values() -> st.SearchStrategy[Value]:
    """Any value the parser reads: numbers, bounds, ranges, dates, compounds, words."""
    return st.one_of(numbers(), bounds(), spans(), dates(), compounds(), texts())


_FULL = str.maketrans("0123456789.%", "０１２３４５６７８９．％")
_GE = ["≥{}", "\\geq {}", ">={}", "＞＝{}", "≧{}", "不低于{}", "不少于{}", "{}以上", "达到{}以上", "{}及以上"]
_LE = ["≤{}", "\\leq {}", "<={}", "＜＝{}", "≦{}", "不高于{}", "不超过{}", "{}以内", "控制在{}以下", "{}及以下"]


def number_spellings(n: Number) -> list[str]:
    """3.57万, 35,700, ３５７００: the ways a number is written in tables."""
    plain = render(n)
    out = [plain, plain.translate(_FULL)]
    if n.value >= 1000 and n.value == n.value.to_integral_value():
        out.append(f"{n.value:,f}{n.unit}")
    if n.value >= 10000 and n.unit not in ("%",) and (n.value / 10000) * 10000 == n.value:
        out.append(f"{(n.value / 10000).normalize():f}万{n.unit}")
    if n.unit == "%":
        out.append(plain.replace("%", "％"))
    return out


def spellings(value: Value) -> list[str]:
    """Ways of writing `value` that all mean the same (the first is the canonical one)."""
    if isinstance(value, Number):
        return number_spellings(value)
    if isinstance(value, Bound) and value.op in (">=", "<="):
        forms = _GE if value.op == ">=" else _LE
        return [f.format(n) for n in number_spellings(value.number)[:2] for f in forms]
    return [render(value)]
