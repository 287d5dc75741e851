"""Charts drawn on the server: SVG for the PDF, which has no JavaScript, and a
PNG of the same chart for the Word file (reports.chart_image). Both draw one
layout, measured here in the SVG's units (CSS pixels, 96 to the inch), so the
two cannot drift apart."""
from typing import NamedTuple
from xml.sax.saxutils import escape

from core.numbers import format_number

MONTHS = ["T1", "T2", "T3", "T4", "T5", "T6", "T7", "T8", "T9", "T10", "T11", "T12"]
FONT_SIZE = 11
GRID_COLOUR, AXIS_COLOUR, TEXT_COLOUR = "#ccc", "#000", "#000"
LEGEND_SWATCH = 10


class Text(NamedTuple):
    x: float
    y: float  # the baseline
    text: str
    anchor: str  # "start", "middle" or "end", as SVG's text-anchor


class Bar(NamedTuple):
    x: float
    y: float  # the top
    width: float
    height: float
    colour: str


class Swatch(NamedTuple):
    x: float
    y: float
    colour: str


class BarChart(NamedTuple):
    width: int
    height: int
    title: Text | None
    grid: list[tuple[float, float, float, Text]]  # (x1, x2, y, the value's label)
    groups: list[tuple[Text, list[Bar]]]  # per label: the label under its bars, a bar per series
    axis: tuple[float, float, float]  # (x1, x2, y)
    legend: list[tuple[Swatch, Text]]
    # What the chart shows, for a reader who cannot see it: (series, [values]).
    series: list[tuple[str, list]]


def grouped_bars_layout(*, labels, series, width=600, height=230, title=""):
    """series: [(name, colour, values)]; bars grouped per label, with a legend."""
    left, right, top, bottom = 44, 10, 28, 34
    plot_w, plot_h = width - left - right, height - top - bottom
    peak = max([max(values) if values else 0 for _name, _colour, values in series] + [1])
    # A round top for the axis: 1, 2 or 5 times a power of ten.
    magnitude = 10 ** (len(str(int(peak))) - 1)
    # At least 4, so the four grid steps stay whole numbers.
    axis_max = max(4, next(m * magnitude for m in (1, 2, 5, 10) if m * magnitude >= peak))
    group_w = plot_w / max(len(labels), 1)
    bar_w = group_w * 0.8 / max(len(series), 1)
    grid = []
    for step in range(5):
        y = top + plot_h - plot_h * step / 4
        grid.append((left, width - right, y, Text(left - 4, y + 4, format_number(axis_max * step / 4), "end")))
    groups = []
    for index, label in enumerate(labels):
        x0 = left + index * group_w + group_w * 0.1
        bars = []
        for s, (_name, colour, values) in enumerate(series):
            value = values[index] if index < len(values) else 0
            h = plot_h * value / axis_max
            bars.append(Bar(x0 + s * bar_w, top + plot_h - h, bar_w * 0.92, h, colour))
        groups.append((Text(left + index * group_w + group_w / 2, top + plot_h + 14, str(label), "middle"), bars))
    legend = []
    legend_x = left
    for name, colour, _values in series:
        legend.append((Swatch(legend_x, height - 12, colour), Text(legend_x + 14, height - 3, name, "start")))
        legend_x += 20 + 7 * len(name)
    return BarChart(width=width, height=height, title=Text(width / 2, 14, title, "middle") if title else None,
                    grid=grid, groups=groups, axis=(left, width - right, top + plot_h), legend=legend,
                    series=[(name, list(values)) for name, _colour, values in series])


def chart_svg(chart):
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{chart.width}" height="{chart.height}" '
             f'viewBox="0 0 {chart.width} {chart.height}" font-family="Liberation Serif, serif" '
             f'font-size="{FONT_SIZE}">']
    if chart.title:
        t = chart.title
        parts.append(f'<text x="{t.x}" y="{t.y}" text-anchor="middle" font-weight="bold">{escape(t.text)}</text>')
    for x1, x2, y, label in chart.grid:
        parts.append(f'<line x1="{x1}" y1="{y:.1f}" x2="{x2}" y2="{y:.1f}" stroke="{GRID_COLOUR}" '
                     f'stroke-width="0.5"/>')
        parts.append(f'<text x="{label.x}" y="{label.y:.1f}" text-anchor="end">{escape(label.text)}</text>')
    for label, bars in chart.groups:
        for bar in bars:
            parts.append(f'<rect x="{bar.x:.1f}" y="{bar.y:.1f}" width="{bar.width:.1f}" '
                         f'height="{bar.height:.1f}" fill="{bar.colour}"/>')
        parts.append(f'<text x="{label.x:.1f}" y="{label.y}" text-anchor="middle">{escape(label.text)}</text>')
    x1, x2, y = chart.axis
    parts.append(f'<line x1="{x1}" y1="{y}" x2="{x2}" y2="{y}" stroke="{AXIS_COLOUR}"/>')
    for swatch, name in chart.legend:
        parts.append(f'<rect x="{swatch.x}" y="{swatch.y}" width="{LEGEND_SWATCH}" height="{LEGEND_SWATCH}" '
                     f'fill="{swatch.colour}"/>')
        parts.append(f'<text x="{name.x}" y="{name.y}">{escape(name.text)}</text>')
    parts.append("</svg>")
    return "".join(parts)


def grouped_bars(**kwargs):
    """The chart as SVG; arguments as grouped_bars_layout's."""
    return chart_svg(grouped_bars_layout(**kwargs))


def chart_description(chart):
    """The chart in words, for whoever cannot see it (a picture's alternative text):
    its title, then each series' value at each label."""
    labels = [label.text for label, _bars in chart.groups]
    series = "; ".join(f"{name}: " + ", ".join(f"{label} {format_number(value)}" for label, value in zip(labels, values))
                       for name, values in chart.series)
    return f"{chart.title.text}. {series}." if chart.title else f"{series}."


def sessions_by_month_layout(by_month, year):
    return grouped_bars_layout(
        labels=MONTHS,
        series=[(f"Năm {year - 1}", "#9bb7aa", [m["sessions_prev"] for m in by_month]),
                (f"Năm {year}", "#1f4e3d", [m["sessions"] for m in by_month])],
        title=sessions_by_month_title(year),
    )


def sessions_by_month_title(year):
    return f"Số buổi tuyên truyền theo tháng, năm {year} so với năm {year - 1}"


def sessions_by_month_chart(by_month, year):
    """The PDF's chart, as SVG."""
    return chart_svg(sessions_by_month_layout(by_month, year))
