import unicodedata

from django import forms, template

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


@register.simple_tag
def field_control(field):
    """A bound field's input with the classes crispy-forms' Bootstrap 5 pack gives
    it (form-select or form-control, and is-invalid after a refused POST), for a
    form laid out by a plain template instead of crispy's templates per field:
    three small forms were a fifth of a model's page (issue #16). Django adds
    required, aria-invalid and aria-describedby (the ids of the error and the
    help). For inputs, drop-downs and text areas: a check box has another layout."""
    widget = field.field.widget
    classes = [widget.attrs.get("class", ""), "form-select" if isinstance(widget, forms.Select) else "form-control"]
    if field.errors:
        classes.append("is-invalid")
    return field.as_widget(attrs={"class": " ".join(c for c in classes if c)})
