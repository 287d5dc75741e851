"""The dashboard's figures as a reader sees them: how a change against the
previous year reads (an arrow, the signed difference and the percentage,
coloured, with words for screen readers), each figure a link to its records, a
ward's flags.

The table's rows are written here in Python, not by templates: a district's
table holds some 300 figures, and a template include, a {% with %} and
format_html per cell, three includes per row, were most of the dashboard's time
(issue #16). Everything they show comes from the cache, which is never trusted
as markup: every value but a whole number is escaped (html.escape, which
django.utils.html.escape calls, without its lazy-string wrapper)."""
from html import escape

from django import template
from django.template.loader import get_template
from django.utils.formats import localize
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.numbers import format_number, number_writer

register = template.Library()

# The figures of a table row with a link and a trend each, in the order of the
# table's head (dashboard/_body.html): the main figures first.
ROW_FIGURES = ("sessions", "attendances", "models_launched", "models_active", "signings", "signatories")


def _text(value):
    """value as HTML text or an attribute's value: a whole number as it is (digits
    need no escaping), anything else escaped."""
    return str(value) if type(value) is int else escape(str(value))


def _unlocalized(value):
    """As {{ value|unlocalize }}: for data-sort, which the table's script reads."""
    return str(value) if type(value) is int else escape(str(localize(value, use_l10n=False)))


def _number(value, decimals=0, write=format_number):
    """As {{ value|number }} (core.numbers); write: core.numbers.number_writer()'s
    for a whole table."""
    return write(value, decimals) if type(value) is int else escape(write(value, decimals))


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


def _trend(row, key, last_year, write=format_number):
    """A small arrow after a table figure when it moved against the year before;
    the previous value in words for screen readers and in the tooltip.
    last_year: _("năm trước: %(n)s"), translated once for a whole row."""
    value, before = row[key], row[f"{key}_prev"]
    # Nothing the year before is no comparison (the year was not entered), not a rise.
    if value == before or not before:
        return ""
    up = value > before
    words = escape(last_year % {"n": write(before)})
    return (f' <span class="dash-trend {"text-success" if up else "text-danger"}" title="{words}">'
            f'<span aria-hidden="true">{"▲" if up else "▼"}</span>'
            f'<span class="visually-hidden">({words})</span></span>')


def _figure_link(url, key, value, write=format_number):
    return (f'<a href="{escape(str(url))}" data-figure="{escape(key)}" data-value="{_text(value)}">'
            f'{_number(value, write=write)}</a>')


@register.simple_tag
def figure_link(url, key, value):
    """A figure as the door to its records: the list at `url` counts (or, for a
    sum, adds up) to `value`. data-figure and data-value let a test follow every
    door and compare (tests/test_dashboard_doors.py)."""
    return mark_safe(_figure_link(url, key, value))


@register.simple_tag
def figure_cells(row, has_previous, last_year=None, write=format_number):
    """A table row's figures, after its name: each a link to its records, with its
    trend when the year before has figures; the units with a plan out of the
    active ones, with the share; the commendations. last_year and write: once
    for a whole table."""
    links = row["links"]
    last_year = last_year or _("năm trước: %(n)s")
    cells = [f'<td class="num" data-sort="{_unlocalized(row.get(key))}">'
             f'{_figure_link(links.get(key), key, row.get(key), write)}'
             f'{_trend(row, key, last_year, write) if has_previous else ""}</td>' for key in ROW_FIGURES]
    share = row["share_with_plan"]
    cells.append(f'<td class="num" data-sort="{"-1" if share is None else _unlocalized(share)}">'
                 f'{_figure_link(links.get("share_with_plan"), "units_with_plan", row["units_with_plan"], write)}/'
                 f'{_figure_link(links.get("active_units"), "active_units", row["active_units"], write)}<br>'
                 f'<span class="small text-muted">{"—" if share is None else _number(share, 1, write) + "%"}</span>'
                 f'</td>')
    cells.append(f'<td class="num" data-sort="{_unlocalized(row["commendations"])}">'
                 f'{_figure_link(links.get("commendations"), "commendations", row["commendations"], write)}'
                 f'{_trend(row, "commendations", last_year, write) if has_previous else ""}</td>')
    return mark_safe("\n".join(cells))


# A ward's flags but "down", each a badge: its words, colour and icon.
FLAG_BADGES = (
    ("no_active_model", gettext_lazy("Không có mô hình hoạt động"), "text-bg-danger", "bi-diagram-3"),
    ("no_recent_session", gettext_lazy("90 ngày chưa tuyên truyền"), "text-bg-warning", "bi-megaphone"),
    ("no_plan", gettext_lazy("Chưa có kế hoạch trong năm"), "text-bg-warning", "bi-file-earmark-x"),
)


def _flagged(flags):
    return flags["no_active_model"] or flags["no_recent_session"] or flags["no_plan"] or flags["down"]


@register.simple_tag
def flag_badges(flags, long=False):
    """A ward's flags: in words in the ward's own dashboard (long), as icons with
    their words for screen readers and in the tooltip in the table, where the
    legend explains them."""
    hidden = "" if long else "visually-hidden"
    if not _flagged(flags):
        words = escape(_("Không có cảnh báo"))
        return mark_safe(f'<span class="text-success small" title="{words}"><i class="bi bi-check-circle" '
                         f'aria-hidden="true"></i><span class="{hidden}"> {words}</span></span>')
    items = [f'<li><span class="badge {badge}" title="{escape(str(label))}"><i class="bi {icon}" aria-hidden="true">'
             f'</i> <span class="{hidden}">{escape(str(label))}</span></span></li>'
             for key, label, badge, icon in FLAG_BADGES if flags[key]]
    if flags["down"]:
        down = escape(_("Giảm so với năm trước") + ": " + ", ".join(flags["down_labels"]))
        words = down if long else f'{len(flags["down"])}<span class="visually-hidden"> {down}</span>'
        items.append(f'<li><span class="badge text-bg-secondary" title="{down}"><i class="bi bi-graph-down-arrow" '
                     f'aria-hidden="true"></i> {words}</span></li>')
    return mark_safe(f'<ul class="list-unstyled mb-0 dash-flags{" dash-flags-long" if long else ""}">'
                     + "\n".join(items) + "</ul>")


@register.simple_tag
def flag_icons(flags):
    """A ward's flags beside its name in the table, for a phone, where the flags'
    own column is off to the right: icons each named by its aria-label, with no
    text of their own (the down count is drawn from data-count by app.css), so the
    name cell still reads as the ward's name alone. Hidden from 576 px up, where
    the column shows."""
    if not _flagged(flags):
        return ""
    icons = [f'<span class="badge {badge}" role="img" aria-label="{escape(str(label))}" title="{escape(str(label))}">'
             f'<i class="bi {icon}" aria-hidden="true"></i></span>'
             for key, label, badge, icon in FLAG_BADGES if flags[key]]
    if flags["down"]:
        down = escape(_("Giảm so với năm trước") + ": " + ", ".join(flags["down_labels"]))
        icons.append(f'<span class="badge text-bg-secondary dash-flag-count" role="img" aria-label="{down}" '
                     f'title="{down}" data-count="{len(flags["down"])}"><i class="bi bi-graph-down-arrow" '
                     f'aria-hidden="true"></i></span>')
    return mark_safe(f'<span class="dash-flags-inline">{"".join(icons)}</span>')


def _includes(names):
    """A row's merged wards (dashboard/_includes.html), only for the rows that have
    some: a ward no other merged into (most of them) costs no template."""
    return get_template("dashboard/_includes.html").render({"names": names}) if names else ""


@register.simple_tag
def table_rows(data):
    """The rows of the table by ward, district or province, as the template wrote them one
    tag and a dozen lookups a cell at a time: 57 ward rows were 4 of the
    committee's 10 ms of figures (issue #16). A ward's row: its name (a link to its
    dashboard) with its flags as icons for a phone and the wards merged into it,
    the figures, its flags; a district's: its name, its wards, the figures, the
    count of wards under each flag (dashboard/_flag_counts.html)."""
    has_previous = data["has_previous"]
    rows = []
    write, last_year = number_writer(), _("năm trước: %(n)s")
    if data["row_level"] in ("district", "province"):
        flag_counts = get_template("dashboard/_flag_counts.html")
        for row in data["rows"]:
            counts = row["flag_counts"]
            flagged = counts["no_active_model"] + counts["no_recent_session"] + counts["no_plan"] + counts["down"]
            rows.append(
                f'<tr>\n<th scope="row" data-sort="{escape(str(row["name"]))}"><a href="{escape(str(row["url"]))}">'
                f'{escape(str(row["label"]))}</a>{_includes(row.get("includes"))}</th>\n'
                f'<td class="num" data-sort="{_unlocalized(row["wards"])}">{_number(row["wards"], write=write)}</td>\n'
                f'{figure_cells(row, has_previous, last_year, write)}\n'
                f'<td class="dash-flags-cell" data-sort="{_unlocalized(flagged)}">'
                f'{flag_counts.render({"counts": counts})}</td>\n</tr>')
    else:
        kind_in_names = data.get("kind_in_names")
        for row in data["rows"]:
            flags = row["flags"]
            flagged = len(flags["down"]) + flags["no_active_model"] + flags["no_recent_session"] + flags["no_plan"]
            name = escape(str(row["name"]))
            shown = escape(str(row["label"])) if kind_in_names else name
            rows.append(
                f'<tr>\n<th scope="row" data-sort="{name}"><a href="{escape(str(row["url"]))}">{shown}</a>'
                f'{flag_icons(flags)}{_includes(row.get("includes"))}</th>\n'
                f'{figure_cells(row, has_previous, last_year, write)}\n'
                f'<td class="dash-flags-cell dash-flags-col" data-sort="{_unlocalized(int(flagged))}">'
                f'{flag_badges(flags)}</td>\n</tr>')
    return mark_safe("\n".join(rows))
