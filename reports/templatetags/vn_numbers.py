from django import template

from reports import formatting

register = template.Library()


@register.filter
def vn_int(value):
    return formatting.vn_int(value)


@register.filter
def vn_percent(value):
    return formatting.vn_percent(value)


@register.filter
def vn_signed(value):
    return formatting.signed(value)


@register.filter
def vn_change_percent(pair):
    """"+12,5%" from a (difference, percentage) pair; "—" when there was nothing before."""
    _diff, pct = pair
    if pct is None:
        return "—"
    return ("+" if pct > 0 else "") + formatting.vn_percent(pct)
