"""The one way a number is written for a reader: grouped thousands and the
active language's separators, so 2.365 and 12,5 in Vietnamese, 2,365 and 12.5
in English. Documents that must read Vietnamese whatever the interface language
(the annual report's PDF) render under translation.override("vi")."""
from decimal import Decimal

from django.core.signals import setting_changed
from django.utils.formats import get_format, number_format
from django.utils.translation import get_language

# Each language's thousand separator, when it groups by threes (None: it does
# not, and Django's number_format writes its numbers). Read once: number_format
# looks up three formats per call, and a district's dashboard writes some 650
# whole numbers on every view (issue #16).
_THOUSANDS = {}


def _thousands(language):
    try:
        return _THOUSANDS[language]
    except KeyError:
        grouping = get_format("NUMBER_GROUPING", language)
        separator = get_format("THOUSAND_SEPARATOR", language) if grouping == 3 else None
        return _THOUSANDS.setdefault(language, separator)


def _forget_formats(**kwargs):
    # Only tests change settings (override_settings): they may change the formats.
    _THOUSANDS.clear()


setting_changed.connect(_forget_formats)


def format_number(value, decimals=0):
    """value with `decimals` places, grouped; "" for no value. Years are not
    numbers to group: write them with str() or |unlocalize, never through here."""
    if type(value) is int and not decimals:
        # The common case (counts), written as number_format would write it.
        separator = _thousands(get_language())
        if separator is not None:
            return f"{value:,}".replace(",", separator)
    if value is None or value == "":
        return ""
    if isinstance(value, (float, Decimal)):
        # number_format cuts the digits past decimal_pos (66.66 -> "66,6");
        # a reader expects them rounded (66,7).
        value = round(value, decimals) if decimals else round(value)
    return str(number_format(value, decimal_pos=decimals, force_grouping=True))


def number_writer():
    """format_number with the active language looked up once: for a table that
    writes thousands of figures (a province's 168 wards), where looking it up per
    number (asgiref's context-local) cost more than writing the digits."""
    separator = _thousands(get_language())
    if separator is None:
        return format_number

    def write(value, decimals=0):
        if type(value) is int and not decimals:
            return f"{value:,}".replace(",", separator)
        return format_number(value, decimals)
    return write
