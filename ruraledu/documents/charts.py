"""Charts for documents, drawn on the server at print resolution (300 dpi PNG) with matplotlib
(Agg) and a CJK font from the system, from the same stored values the pages' ECharts show.
Each chart carries the data version and time of the document it belongs to."""

import functools
import io
import shutil
import subprocess

import matplotlib

matplotlib.use("Agg")

from matplotlib import font_manager  # noqa: E402
from matplotlib import pyplot as plt  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

from ruraledu.indicators.templatetags.figures import base_digits  # noqa: E402

DPI = 300
CJK_FAMILIES = ("Noto Sans CJK SC", "Noto Serif CJK SC", "FandolHei", "FandolSong")
STATUS_COLOURS = {
    "achieved": "#198754",
    "on_track": "#0d6efd",
    "at_risk": "#fd7e14",
    "overdue": "#dc3545",
    "no_data": "#6c757d",
}
LINE_COLOURS = ["#0d6efd", "#dc3545", "#198754", "#6f42c1", "#fd7e14", "#20c997"]


@functools.cache
def cjk_font() -> str:
    """The family name of a CJK font found on the system (added to matplotlib once)."""
    fc_match = shutil.which("fc-match")
    for family in CJK_FAMILIES:
        if not fc_match:
            break
        found = subprocess.run(  # noqa: S603 (fixed program, a family name from our list)
            [fc_match, "-f", "%{file}", f"{family}:lang=zh-cn"],
            capture_output=True,
            text=True,
            check=False,
        ).stdout.strip()
        if found and family.split()[0].lower() in found.lower().replace("-", " "):
            font_manager.fontManager.addfont(found)
            return font_manager.FontProperties(fname=found).get_name()
    return "sans-serif"


def _figure(width_mm: float, height_mm: float) -> Figure:
    figure = Figure(figsize=(width_mm / 25.4, height_mm / 25.4), dpi=DPI)
    # the bottom strip is kept free for the data version stamp
    figure.set_layout_engine("constrained", rect=(0, 0.05, 1, 0.95))
    return figure


def _png(figure: Figure, stamp: str) -> bytes:
    figure.text(0.99, 0.005, stamp, ha="right", va="bottom", fontsize=5.5, color="#555555")
    buffer = io.BytesIO()
    # light compression: a batch of school reports spends its time here otherwise
    figure.savefig(buffer, format="png", dpi=DPI, pil_kwargs={"compress_level": 1})
    plt.close("all")
    return buffer.getvalue()


def _style() -> dict:
    return {"family": cjk_font(), "size": 8}


def status_bars(*, counts: list[tuple[str, str, int]], stamp: str) -> bytes:
    """Targets per status (code, label, count), as the cockpit counts them."""
    matplotlib.rc("font", **_style())
    figure = _figure(150, 55)
    axes = figure.add_subplot()
    labels = [label for _, label, _ in counts]
    values = [n for _, _, n in counts]
    colours = [STATUS_COLOURS.get(code, "#6c757d") for code, _, _ in counts]
    bars = axes.barh(labels[::-1], values[::-1], color=colours[::-1])
    axes.bar_label(bars, labels=[f"{v} 个" for v in values[::-1]], padding=3)
    axes.set_xlabel("目标个数")
    axes.spines[["top", "right"]].set_visible(False)
    axes.set_xlim(0, max(values or [1]) * 1.15)
    return _png(figure, stamp)


def trend_lines(
    *, series: list[tuple[str, list[tuple[int, float]]]], unit: str, title: str, stamp: str
) -> bytes:
    """One line per (label, [(year, value)]) over school years, values labelled."""
    matplotlib.rc("font", **_style())
    figure = _figure(150, 60)
    axes = figure.add_subplot()
    years = sorted({year for _, points in series for year, _ in points})
    for number, (label, points) in enumerate(series):
        xs = [years.index(year) for year, _ in points]
        ys = [value for _, value in points]
        colour = LINE_COLOURS[number % len(LINE_COLOURS)]
        axes.plot(xs, ys, marker="o", color=colour, label=label, linewidth=1.2, markersize=3)
        for x, y in zip(xs, ys, strict=True):
            axes.annotate(
                f"{y:.{base_digits(y, unit)}f}",
                (x, y),
                textcoords="offset points",
                xytext=(0, 4),
                ha="center",
                fontsize=6,
                color=colour,
            )
    axes.set_xticks(range(len(years)), [f"{y}学年" for y in years])
    axes.set_ylabel(unit)
    axes.set_title(title, fontsize=9)
    axes.spines[["top", "right"]].set_visible(False)
    if len(series) > 1:
        axes.legend(fontsize=7, frameon=False)
    return _png(figure, stamp)


def small_multiples(*, panels: list[tuple[str, str, list[tuple[int, float]]]], stamp: str) -> bytes:
    """Several headline trends side by side: (title, unit, [(year, value)]) each."""
    matplotlib.rc("font", **_style())
    panels = [p for p in panels if p[2]]
    columns = min(3, max(1, len(panels)))
    rows = (len(panels) + columns - 1) // columns or 1
    figure = _figure(156, 48 * rows)
    for number, (title, unit, points) in enumerate(panels, start=1):
        axes = figure.add_subplot(rows, columns, number)
        years = [year for year, _ in points]
        values = [value for _, value in points]
        axes.plot(
            range(len(years)), values, marker="o", color="#0d6efd", linewidth=1.2, markersize=3
        )
        for x, y in enumerate(values):
            axes.annotate(
                f"{y:.{base_digits(y, unit)}f}",
                (x, y),
                textcoords="offset points",
                xytext=(0, 4),
                ha="center",
                fontsize=5.5,
            )
        axes.set_xticks(range(len(years)), [str(y) for y in years], fontsize=6)
        axes.tick_params(axis="y", labelsize=6)
        axes.set_title(f"{title}（{unit}）" if unit else title, fontsize=6.5)
        axes.spines[["top", "right"]].set_visible(False)
        axes.margins(y=0.25)
    return _png(figure, stamp)


def radar(*, labels: list[str], shares: list[float | None], stamp: str) -> bytes:
    """The seven resource indicators as a share of their standard (100 = the standard), as
    the school page's radar chart."""
    return _radar(tuple(labels), tuple(shares), stamp)


@functools.lru_cache(maxsize=32)
def _radar(labels: tuple[str, ...], shares: tuple[float | None, ...], stamp: str) -> bytes:
    """Drawn once per distinct input: in a batch, schools with the same figures share it."""
    import math

    matplotlib.rc("font", **_style())
    figure = Figure(figsize=(110 / 25.4, 90 / 25.4), dpi=DPI)
    # fixed margins: a layout engine would draw the polar axes twice
    figure.subplots_adjust(left=0.2, right=0.8, top=0.85, bottom=0.15)
    axes = figure.add_subplot(projection="polar")
    count = len(labels)
    angles = [2 * math.pi * i / count for i in range(count)]
    values = [min(s, 200) if s is not None else 0 for s in shares]
    axes.plot([*angles, angles[0]], [*values, values[0]], color="#0d6efd", linewidth=1.2)
    axes.fill([*angles, angles[0]], [*values, values[0]], color="#0d6efd", alpha=0.15)
    axes.plot(
        [*angles, angles[0]],
        [100] * (count + 1),
        color="#dc3545",
        linestyle="--",
        linewidth=0.8,
        label="标准",
    )
    axes.set_xticks(angles, labels, fontsize=6.5)
    axes.set_yticks([50, 100, 150], ["50%", "100%", "150%"], fontsize=5.5)
    axes.set_ylim(0, max([150, *values]))
    axes.legend(fontsize=6, loc="upper right", bbox_to_anchor=(1.3, 1.1), frameon=False)
    return _png(figure, stamp)
