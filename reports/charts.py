"""Charts drawn on the server as SVG: the PDF has no JavaScript."""
from xml.sax.saxutils import escape

from core.numbers import format_number

MONTHS = ["T1", "T2", "T3", "T4", "T5", "T6", "T7", "T8", "T9", "T10", "T11", "T12"]


def grouped_bars(*, labels, series, width=600, height=230, title=""):
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
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
             f'viewBox="0 0 {width} {height}" font-family="Liberation Serif, serif" font-size="11">']
    if title:
        parts.append(f'<text x="{width / 2}" y="14" text-anchor="middle" font-weight="bold">{escape(title)}</text>')
    for step in range(5):
        value = axis_max * step / 4
        y = top + plot_h - plot_h * step / 4
        parts.append(f'<line x1="{left}" y1="{y:.1f}" x2="{width - right}" y2="{y:.1f}" stroke="#ccc" stroke-width="0.5"/>')
        parts.append(f'<text x="{left - 4}" y="{y + 4:.1f}" text-anchor="end">{format_number(value)}</text>')
    for index, label in enumerate(labels):
        x0 = left + index * group_w + group_w * 0.1
        for s, (_name, colour, values) in enumerate(series):
            value = values[index] if index < len(values) else 0
            h = plot_h * value / axis_max
            parts.append(f'<rect x="{x0 + s * bar_w:.1f}" y="{top + plot_h - h:.1f}" width="{bar_w * 0.92:.1f}" '
                         f'height="{h:.1f}" fill="{colour}"/>')
        parts.append(f'<text x="{left + index * group_w + group_w / 2:.1f}" y="{top + plot_h + 14}" '
                     f'text-anchor="middle">{escape(str(label))}</text>')
    parts.append(f'<line x1="{left}" y1="{top + plot_h}" x2="{width - right}" y2="{top + plot_h}" stroke="#000"/>')
    legend_x = left
    for name, colour, _values in series:
        parts.append(f'<rect x="{legend_x}" y="{height - 12}" width="10" height="10" fill="{colour}"/>')
        parts.append(f'<text x="{legend_x + 14}" y="{height - 3}">{escape(name)}</text>')
        legend_x += 20 + 7 * len(name)
    parts.append("</svg>")
    return "".join(parts)


def sessions_by_month_chart(by_month, year):
    return grouped_bars(
        labels=MONTHS,
        series=[(f"Năm {year - 1}", "#9bb7aa", [m["sessions_prev"] for m in by_month]),
                (f"Năm {year}", "#1f4e3d", [m["sessions"] for m in by_month])],
        title=f"Số buổi tuyên truyền theo tháng, năm {year} so với năm {year - 1}",
    )
