"""Vietnamese number style for documents: 2.365 and 12,5%."""


def vn_int(value):
    try:
        return f"{int(round(float(value))):,}".replace(",", ".")
    except (TypeError, ValueError):
        return "0" if value is None else "—"


def vn_decimal(value, places=1):
    if not isinstance(value, (int, float)):
        return "—"
    text = f"{value:,.{places}f}"
    return text.replace(",", " ").replace(".", ",").replace(" ", ".")


def vn_percent(value, places=1):
    return "—" if not isinstance(value, (int, float)) else vn_decimal(value, places) + "%"


def change(current, previous):
    """(difference, percentage or None) of current against previous."""
    diff = current - previous
    return diff, (round(100.0 * diff / previous, 1) if previous else None)


def signed(value):
    if value > 0:
        return "+" + vn_int(value)
    return vn_int(value) if value == 0 else "-" + vn_int(-value)
