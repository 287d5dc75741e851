"""The organising bodies of a model's launch: how the form, the workbook import and
the demo clean them, and the bounds they are held to."""
from django.utils.translation import gettext as _

from core.text import clean_name

# Organising bodies of one launch: a handful in practice (the ward's police and
# people's committee, a school's union...); the bound keeps one form or workbook
# cell from storing pages of text. Each is a body's name, as long as a unit's.
MAX_ORGANISERS = 20
ORGANISER_MAX_LENGTH = 255


def clean_organisers(organisers):
    """The organising bodies as typed, each cleaned and named once (ignoring case):
    the form, the import and the demo all store them this way."""
    seen, result = set(), []
    for body in organisers or []:
        body = clean_name(body)
        if body and body.casefold() not in seen:
            seen.add(body.casefold())
            result.append(body)
    return result


def organisers_problem(organisers):
    """Why a (cleaned) list of organising bodies cannot be stored, as a sentence
    fragment the workbook import can put after its cell prefix; None when it can.
    The form reports it beside the field (through the services)."""
    if len(organisers) > MAX_ORGANISERS:
        return _("tối đa %(max)s cơ quan phối hợp (đang có %(count)s)") % {
            "max": MAX_ORGANISERS, "count": len(organisers)}
    too_long = [body for body in organisers if len(body) > ORGANISER_MAX_LENGTH]
    if too_long:
        return _("tên mỗi cơ quan phối hợp dài tối đa %(max)s ký tự (“%(start)s…” có %(length)s)") % {
            "max": ORGANISER_MAX_LENGTH, "start": too_long[0][:30], "length": len(too_long[0])}
    return None
