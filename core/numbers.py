"""The one way a number is written for a reader: grouped thousands and the
active language's separators, so 2.365 and 12,5 in Vietnamese, 2,365 and 12.5
in English. Documents that must read Vietnamese whatever the interface language
(the annual report's PDF) render under translation.override("vi")."""
from decimal import Decimal

from django.utils.formats import number_format


def format_number(value, decimals=0):
    """value with `decimals` places, grouped; "" for no value. Years are not
    numbers to group: write them with str() or |unlocalize, never through here."""
    if value is None or value == "":
        return ""
    if isinstance(value, (float, Decimal)):
        # number_format cuts the digits past decimal_pos (66.66 -> "66,6");
        # a reader expects them rounded (66,7).
        value = round(value, decimals) if decimals else round(value)
    return str(number_format(value, decimal_pos=decimals, force_grouping=True))
