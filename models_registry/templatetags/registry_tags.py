from django import template
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from core.html import text
from core.numbers import format_number

register = template.Library()

# The badge of each status (models_registry/_status_badge.html's colours).
STATUS_BADGES = {"active": "text-bg-primary", "paused": "text-bg-warning"}


@register.simple_tag
def model_rows(models, show_ward):
    """The rows of the models list, each cell labelled with its column for the
    phone's stacked layout: launch date, name (a link, with the exemplar star),
    ward, kind, host units, members, status and verification. Written in one pass,
    as movement_tags.record_rows writes an activity list's: the template's loop,
    an include a row, was most of the page (issue #16)."""
    label = {key: text(words) for key, words in (
        ("launched", _("Ngày ra mắt")), ("name", _("Tên mô hình")), ("ward", _("Phường, xã")),
        ("kind", _("Loại")), ("units", _("Đơn vị tham gia")), ("members", _("Thành viên")),
        ("status", _("Tình trạng")))}
    exemplar, verified, self_declared = (text(words) for words in (
        _("Điển hình"), _("Đã xác minh"), _("Tự khai")))
    out = []
    for m in models:
        star = (f' <span class="badge text-bg-warning" title="{text(m.exemplar_note)}">'
                f'<i class="bi bi-star-fill" aria-hidden="true"></i> {exemplar}</span>') if m.is_exemplar else ""
        ward = f'<td data-label="{label["ward"]}">{text(m.ward)}</td>' if show_ward else ""
        units = "; ".join(text(unit.name) for unit in m.units.all()) or "—"
        status = (f'<span class="badge {STATUS_BADGES.get(m.status, "text-bg-secondary")}">'
                  f'{text(m.get_status_display())}</span>')
        verification = (f'<span class="badge text-bg-success"><i class="bi bi-patch-check" aria-hidden="true"></i> '
                        f'{verified}</span>' if m.verification == "verified"
                        else f'<span class="badge text-bg-light border">{self_declared}</span>')
        out.append(
            f'<tr>\n<td data-label="{label["launched"]}" class="text-nowrap">'
            f'{date_format(m.launched_on, "SHORT_DATE_FORMAT")}</td>\n'
            f'<td data-label="{label["name"]}"><a href="{reverse("models_registry:model_detail", args=[m.pk])}">'
            f'{text(m.name)}</a>{star}</td>\n{ward}\n'
            f'<td data-label="{label["kind"]}">{text(m.kind)}</td>\n'
            f'<td data-label="{label["units"]}" class="small">{units}</td>\n'
            f'<td data-label="{label["members"]}" class="text-end">{format_number(m.members)}</td>\n'
            f'<td data-label="{label["status"]}">\n{status}\n{verification}\n</td>\n</tr>')
    return mark_safe("\n".join(out))
