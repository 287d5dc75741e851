"""Model helpers that know no domain."""
from django.utils.encoding import force_str
from django.utils.translation import get_language


class DerivedNameKeys:
    """For models with a `name_key` (identity ignoring case, in unique constraints)
    and a `search_text` (diacritic-free search) derived from their texts.

    The subclass says how in a static `derived_keys(...)` that bulk writers (the
    import, the demo) call too, and which of its fields feed it in
    `derived_keys_sources()`. They are set on save() and before full_clean()'s
    field checks, which test the unique constraint before save() could derive
    them."""

    def derived_keys_sources(self):
        raise NotImplementedError

    def _derive_keys(self):
        for field, value in self.derived_keys(*self.derived_keys_sources()).items():
            setattr(self, field, value)

    def save(self, *args, **kwargs):
        self._derive_keys()
        super().save(*args, **kwargs)

    def clean_fields(self, exclude=None):
        self._derive_keys()
        super().clean_fields(exclude=exclude)


class ChoiceLabels:
    """get_FOO_display() from a table of the field's labels in the active
    language, built once. Django's builds a dict of every choice and hashes each
    lazy label (a translation each) on every call: a list page of 25 sessions
    translated some 300 labels to show 50 (issue #16). The labels are the
    catalogue's, fixed while the process runs.

    Mixed in before models.Model: Django binds get_FOO_display to the class's
    _get_FIELD_display when the field joins the class."""

    def _get_FIELD_display(self, field):
        value = getattr(self, field.attname)
        labels = _labels(field)
        try:
            if value in labels:
                return labels[value]
        except TypeError:  # an unhashable value: Django's own way
            return super()._get_FIELD_display(field)
        return force_str(value, strings_only=True)


_LABELS = {}


def _labels(field):
    language = get_language()
    try:
        return _LABELS[(field, language)]
    except KeyError:
        labels = {value: str(label) for value, label in field.flatchoices}
        return _LABELS.setdefault((field, language), labels)
