"""How a change against the previous year reads: an arrow, the signed difference
and the percentage, coloured, with words for screen readers."""
from django import template
from django.utils.html import format_html
from django.utils.translation import gettext as _

from core.numbers import format_number

register = template.Library()


@register.simple_tag
def change_badge(change, percent=None, is_share=False):
    """+12 (+8,5%) in green with an up arrow, −3 in red with a down arrow; for a
    share, the change in percentage points."""
    if change is None:
        return format_html('<span class="text-muted">{}</span>', _("chưa so sánh được"))
    if change == 0:
        return format_html('<span class="text-muted"><span aria-hidden="true">=</span> {}</span>', _("không đổi"))
    up = change > 0
    places = 1 if is_share else 0
    text = ("+" if up else "−") + format_number(abs(change), places)
    if is_share:
        text += " " + _("điểm %")
    elif percent is not None:
        text += f" ({'+' if up else '−'}{format_number(abs(percent), 1)}%)"
    return format_html('<span class="{}"><span aria-hidden="true">{}</span><span class="visually-hidden">{}</span> '
                       '{}</span>', "text-success" if up else "text-danger", "▲" if up else "▼",
                       _("tăng") if up else _("giảm"), text)


@register.filter
def dict_get(mapping, key):
    return mapping.get(key)


@register.filter
def split(text):
    return text.split()


@register.simple_tag
def trend(row, key):
    """A small arrow after a table figure when it moved against the year before;
    the previous value in words for screen readers and in the tooltip."""
    value, before = row[key], row[f"{key}_prev"]
    # Nothing the year before is no comparison (the year was not entered), not a rise.
    if value == before or not before:
        return ""
    up = value > before
    words = _("năm trước: %(n)s") % {"n": format_number(before)}
    return format_html(' <span class="dash-trend {}" title="{}"><span aria-hidden="true">{}</span>'
                       '<span class="visually-hidden">({})</span></span>',
                       "text-success" if up else "text-danger", words, "▲" if up else "▼", words)


@register.simple_tag
def figure_link(url, key, value):
    """A figure as the door to its records: the list at `url` counts (or, for a
    sum, adds up) to `value`. data-figure and data-value let a test follow every
    door and compare (tests/test_dashboard_doors.py)."""
    return format_html('<a href="{}" data-figure="{}" data-value="{}">{}</a>', url, key, value,
                       format_number(value))
