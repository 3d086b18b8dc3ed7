"""Charts for the HTML pages, drawn by matplotlib (the optional extra perfrules[report]) as inline SVG.

Text stays text (`svg.fonttype: none`): the browser draws it with the page's CJK font stack,
so Chinese names need no font on the machine that wrote the report, and a test can read
every label in the DOM. Without matplotlib each function returns None and the page says
that charts need perfrules[report]; the tables carry the same figures.

Numbers become floats here, for drawing only; each label printed on a chart is the
Decimal's own text.
"""

from __future__ import annotations

import io
import re
import warnings
from decimal import Decimal
from typing import Any, Sequence

from ..decimals import fmt

CJK_FONTS = ["Noto Sans CJK SC", "Source Han Sans SC", "WenQuanYi Micro Hei", "Microsoft YaHei", "PingFang SC",
             "SimHei", "DejaVu Sans"]
INK, PALE, GRID = "#1f4e79", "#c9d7e8", "#888888"
BAND_COLOURS = ["#e3f1e0", "#eef4d9", "#fbf1d6", "#fbe0dc", "#eeeeee", "#e8e0f0"]  # best grade first

RC: dict[str, Any] = {
    "svg.fonttype": "none",  # text as <text>, drawn by the browser
    "text.parse_math": False,  # a '$' in a unit's or a category's name is a dollar sign, not TeX
    "font.family": "sans-serif",
    "font.sans-serif": CJK_FONTS,
    "font.size": 9,
    "axes.spines.top": False,
    "axes.spines.right": False,
}


def available() -> bool:
    """Whether the extra perfrules[report] (matplotlib) is installed."""
    try:
        import matplotlib  # noqa: F401
    except ImportError:
        return False
    return True


def _figure(width: float, height: float) -> Any:
    from matplotlib.figure import Figure

    return Figure(figsize=(width, height), layout="constrained")


def _svg(fig: Any, title: str) -> str:
    """The figure as an <svg> element to inline (no XML prolog, no DOCTYPE), titled for screen readers."""
    from matplotlib.backends.backend_svg import FigureCanvasSVG

    out = io.StringIO()
    FigureCanvasSVG(fig).print_svg(out, metadata={"Date": None, "Creator": None, "Title": title})
    text = out.getvalue()
    return text[text.index("<svg"):]


def _drawing(draw: Any, *args: Any) -> str:
    import matplotlib

    # the title salts the SVG's ids: two charts inlined in one page never share a clip-path id
    rc: Any = {**RC, "svg.hashsalt": str(args[-1])}
    with matplotlib.rc_context(rc), warnings.catch_warnings():
        # the metrics of a font without CJK glyphs are only used for layout; the browser draws the text
        warnings.filterwarnings("ignore", message=r"Glyph .* missing from font", category=UserWarning)
        warnings.filterwarnings("ignore", message=r"findfont", category=UserWarning)
        return str(draw(*args))


def histogram(bins: Sequence[tuple[Decimal, Decimal, int]], bands: Sequence[tuple[str, Decimal | None, Decimal | None]],
              title: str) -> str | None:
    """Units per span of totals, a bar each with its count; the grade bands shaded behind, named on top."""
    if not available() or not bins:
        return None
    return _drawing(_histogram, bins, bands, title)


def _histogram(bins: Sequence[tuple[Decimal, Decimal, int]], bands: Sequence[tuple[str, Decimal | None, Decimal | None]],
               title: str) -> str:
    fig = _figure(7, 3.2)
    ax = fig.add_subplot()
    left, right = float(bins[0][0]), float(bins[-1][1])
    top = max(n for _, _, n in bins) or 1
    names = list(dict.fromkeys(grade for grade, _, _ in bands))  # one colour per grade, even of two bands
    for i, (grade, low, high) in enumerate(bands):
        lo = left if low is None else max(float(low), left)
        hi = right if high is None else min(float(high), right)
        if hi <= lo:
            continue
        ax.axvspan(lo, hi, color=BAND_COLOURS[names.index(grade) % len(BAND_COLOURS)], zorder=0)
        ax.text((lo + hi) / 2, top * 1.12, grade, ha="center", va="bottom", color="#333333", gid=f"band-label-{i}")
    for i, (low, high, n) in enumerate(bins):
        ax.bar(float(low), n, width=float(high - low), align="edge", color=INK, edgecolor="white", zorder=2)
        if n:
            ax.text(float(low + high) / 2, n, str(n), ha="center", va="bottom", fontsize=8, zorder=3, gid=f"bin-count-{i}")
    ax.set_xlim(left, right)
    ax.set_ylim(0, top * 1.3)
    ax.set_xlabel("总分")
    ax.set_ylabel("单位数")
    ax.yaxis.get_major_locator().set_params(integer=True)
    return _svg(fig, title)


def bars(labels: Sequence[str], counts: Sequence[int], title: str) -> str | None:
    """One bar per label (a grade), its count on top."""
    if not available() or not labels:
        return None
    return _drawing(_bars, labels, counts, title)


def _bars(labels: Sequence[str], counts: Sequence[int], title: str) -> str:
    fig = _figure(3.6, 3.2)
    ax = fig.add_subplot()
    positions = list(range(len(labels)))
    ax.bar(positions, counts, color=[BAND_COLOURS[i % len(BAND_COLOURS)] for i in positions], edgecolor=INK)
    for x, n in zip(positions, counts):
        ax.text(x, n, str(n), ha="center", va="bottom", gid=f"grade-count-{x}")
    ax.set_xticks(positions, labels)
    ax.set_ylim(0, (max(counts) if counts else 0) * 1.2 + 1)
    ax.set_ylabel("单位数")
    ax.yaxis.get_major_locator().set_params(integer=True)
    return _svg(fig, title)


def against_points(rows: Sequence[tuple[str, Decimal, Decimal]], places: int, title: str) -> str | None:
    """Categories as horizontal bars: the score drawn over its points, `score / points` beside each."""
    if not available() or not rows:
        return None
    return _drawing(_against_points, rows, places, title)


def _against_points(rows: Sequence[tuple[str, Decimal, Decimal]], places: int, title: str) -> str:
    fig = _figure(8, 0.5 + 0.45 * len(rows))
    ax = fig.add_subplot()
    positions = list(range(len(rows)))[::-1]  # the first category on top
    most = max(max(float(points), float(score)) for _, score, points in rows) or 1.0
    for i, (y, (_, score, points)) in enumerate(zip(positions, rows)):
        ax.barh(y, float(points), color=PALE, height=0.6)
        ax.barh(y, float(score), color=INK, height=0.6)
        ax.text(max(float(points), float(score)) + most * 0.01, y, f"{fmt(score, places)} / {fmt(points)}",
                va="center", gid=f"category-score-{i}")
    ax.set_yticks(positions, [_short(name) for name, _, _ in rows])
    ax.set_xlim(0, most * 1.2)
    ax.set_xlabel("得分 / 分值")
    return _svg(fig, title)


def _short(name: str, most: int = 16) -> str:
    name = re.sub(r"\s+", " ", name)
    return name if len(name) <= most else name[: most - 1] + "…"
