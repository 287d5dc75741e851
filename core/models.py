"""Model helpers that know no domain."""


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
