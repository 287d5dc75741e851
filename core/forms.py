"""Form fields shared by every app's forms (core knows no domain): whole numbers
typed the way the people who use the app write them, years, and drop-downs of
records that cost one small query."""
import re

from django import forms
from django.core.exceptions import ValidationError
from django.forms.models import ModelChoiceIterator
from django.utils.formats import get_format
from django.utils.translation import gettext_lazy as _

from core.widgets import Select

# What may sit between groups of three digits besides the dot and the interface
# language's own separator: a space as people type it, or the no-break spaces a
# copied figure brings.
SPACES = " \u00a0\u202f"
# Far past any count this app keeps; a longer string is not a number anyone meant
# (and Python refuses to read one of over 4,300 digits).
MAX_DIGITS = 30


class WholeNumberInput(forms.TextInput):
    """A text box, not <input type="number">: a number box takes "1.200" for one
    point two (Chromium blocks the form with its own message unless the form has
    novalidate) and drops "1 200" altogether. inputmode still brings up the phone's
    digit keypad."""

    def __init__(self, attrs=None):
        super().__init__(attrs={"inputmode": "numeric", "autocomplete": "off", **(attrs or {})})


class WholeNumberField(forms.IntegerField):
    """A whole number written as people write it: "1200", or grouped by thousands
    the Vietnamese way ("1.200", "1 200") whatever the interface language (the
    people who type the counts write Vietnamese numbers, and a count is never
    fractional, so "1.200" cannot mean one point two), or the interface language's
    own way ("1,200" in English). "1,5" in Vietnamese is refused, as is any group
    not of three digits ("1.20").

    Django's IntegerField refuses "1.200" (and reads "1.000" as 1: it drops a
    trailing ".0…"), and its Vietnamese message is garbled ("Nhập một số tổng thể.")."""

    widget = WholeNumberInput
    default_error_messages = {"invalid": _("Nhập một số nguyên.")}
    grouping = True

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, int) and not isinstance(value, bool):
            return value
        text = str(value).strip()
        number = r"[0-9]+"
        if self.grouping:
            # The same separator between every group of three: "1.200.000", never "1.200 000".
            separator = "[" + re.escape(self._separators()) + "]"
            number += rf"|[0-9]{{1,3}}(?P<sep>{separator})[0-9]{{3}}(?:(?P=sep)[0-9]{{3}})*"
        match = re.fullmatch(rf"(?P<sign>[-+\u2212]?)\s*(?P<digits>{number})", text)
        if match is None or len(match["digits"]) > MAX_DIGITS:
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        whole = int(re.sub("[^0-9]", "", match["digits"]))
        return -whole if match["sign"] in ("-", "\u2212") else whole

    @staticmethod
    def _separators():
        return "".join(sorted({".", get_format("THOUSAND_SEPARATOR"), *SPACES}))


class YearField(WholeNumberField):
    """A year is a name, not a quantity: written 2020, never grouped ("2.020" is
    refused), in the browser's number box with its arrows."""

    widget = forms.NumberInput(attrs={"inputmode": "numeric"})
    grouping = False


class ListedChoiceIterator(ModelChoiceIterator):
    """ModelChoiceIterator reading its instances with one plain query: Django's
    walks queryset.iterator(), a server-side cursor on PostgreSQL (three round
    trips) for a dozen options on every page that shows the field (issue #16).
    A fresh clone each time, so no page sees another's rows."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for obj in self.queryset.all():
            yield self.choice(obj)


class ModelChoiceField(forms.ModelChoiceField):
    """Django's, with its options from one plain query (ListedChoiceIterator)."""

    iterator = ListedChoiceIterator


class ModelMultipleChoiceField(forms.ModelMultipleChoiceField):
    """Django's, with its options from one plain query (ListedChoiceIterator)."""

    iterator = ListedChoiceIterator


class RowChoiceIterator(ModelChoiceIterator):
    """The options of a RowChoiceField: the empty label, then one (id, label) per
    row of the queryset read with values_list. A plain query, where Django's
    iterator opens a server-side cursor to build a model instance a row."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        rows = self.field.rows
        if rows is None:
            rows = self.queryset.values_list("pk", *self.field.label_fields)
        for pk, *values in rows:
            yield (pk, self.field.label_from_row(*values))


class RowChoiceField(forms.ModelChoiceField):
    """A ModelChoiceField whose options are read as rows, not model instances: a
    ward's 500 units took 40 ms as instances (issue #16). label_fields are the
    columns label_from_row is given (by default the name, which is the label).

    Validation is ModelChoiceField's: the chosen id is looked up in the queryset
    (one query), so a choice outside it is refused and cleaned_data holds the
    instance, with the queryset's select_related."""

    iterator = RowChoiceIterator
    widget = Select
    label_fields = ("name",)
    # The options' rows, (id, *label_fields), when the form has already read them
    # from the same queryset (movement.filters.area_fields); None: read them.
    rows = None

    def label_from_row(self, name):
        return name
