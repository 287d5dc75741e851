import unicodedata

from django import template

from core.numbers import format_number

register = template.Library()


@register.filter
def number(value, decimals=0):
    """{{ value|number }} -> 2.365, {{ share|number:1 }} -> 66,7 (core.numbers)."""
    return format_number(value, decimals)


@register.filter
def minutes(delta):
    """timedelta -> whole minutes, for "try again in 15 minutes"."""
    try:
        return max(1, int(delta.total_seconds() // 60))
    except AttributeError:
        return ""


@register.filter
def nfc(text):
    """Text in composed Unicode (NFC), as every other word of the page. Django
    writes some languages' own names decomposed ("Tiếng Việt" with combining
    accents), which a search of the page for the same words would not find."""
    return unicodedata.normalize("NFC", str(text))
