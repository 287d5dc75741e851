"""Optimistic locking for edit forms: two people who open the same record and save
one after the other must not silently undo each other's changes (issue #11 §6:
the second save brought back old values of fields its author never touched).

The edit form carries the version it was loaded at: a signed token holding the
record's `updated_at` and what the form showed. The service locks the row
(SELECT ... FOR UPDATE, inside its transaction) and refuses the save when the row
was saved since; the view then shows the form again holding the current values,
with what changed meanwhile and what the user had typed, to re-apply it.

Knows no domain: any model with an `updated_at` (auto_now) works."""
import datetime
from dataclasses import dataclass, field

from django import forms
from django.core import signing
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import models
from django.http import Http404
from django.utils import formats
from django.utils.translation import gettext as _

from core.validation import add_service_errors

VERSION_FIELD = "version"
_SALT = "core.concurrency.version"


class EditConflict(ValidationError):
    """The record was saved since the form was loaded, or deleted (current is None).
    A ValidationError, so a caller that only knows those still shows a message."""

    def __init__(self, current):
        super().__init__(_("Bản ghi vừa được người khác thay đổi; thay đổi của bạn chưa được lưu."),
                         code="edit_conflict")
        self.current = current


def lock_row(instance):
    """The row of instance as it is now, locked until the transaction ends; None
    when it is gone. Locking first is what serialises two deletes or two saves of
    one record (the second waits, then sees the first's result) instead of letting
    both run, or deadlock on the cascades."""
    return type(instance)._default_manager.select_for_update().filter(pk=instance.pk).first()


def check_version(instance, version):
    """Lock the row; raise EditConflict if it is gone or, given the `updated_at`
    the form was loaded at, saved since. version=None (a caller with no form:
    imports, commands, scripts) only checks that the row still exists, so a save
    never brings a deleted record back."""
    current = lock_row(instance)
    if current is None or (version is not None and current.updated_at != version):
        raise EditConflict(current)
    return current


# A long text (a model's description) is shown, and kept in the version token,
# by its beginning: the token travels in every edit form.
SHOWN_MAX_LENGTH = 300


def _display(model_field, value):
    """A value as the conflict message shows it: labels, not ids or codes."""
    text = _display_text(model_field, value)
    return text if len(text) <= SHOWN_MAX_LENGTH else text[:SHOWN_MAX_LENGTH - 1] + "…"


def _display_text(model_field, value):
    if value is None or value == "" or value == [] or value == ():
        return ""
    if isinstance(value, bool):
        return str(_("Có") if value else _("Không"))
    if isinstance(value, datetime.date):
        return formats.date_format(value, "SHORT_DATE_FORMAT")
    if isinstance(value, models.Model):
        return str(value)
    if isinstance(value, models.QuerySet) or (value and isinstance(value, (list, tuple))
                                               and isinstance(value[0], models.Model)):
        return "; ".join(sorted(str(v) for v in value))
    if isinstance(value, (list, tuple)):
        return "; ".join(str(v) for v in value)
    if model_field is not None and getattr(model_field, "choices", None):
        return str(dict(model_field.flatchoices).get(value, value))
    return str(value)


def _model_field(instance, name):
    try:
        return instance._meta.get_field(name)
    except FieldDoesNotExist:  # a form-only field
        return None


@dataclass
class Conflict:
    """What the page says after a refused save: each (label, when you opened the
    form, now) that changed meanwhile, and each (label, what you typed) of the
    user's own changes, which were not saved."""

    changed: list = field(default_factory=list)
    yours: list = field(default_factory=list)


class VersionedFormMixin:
    """For the ModelForms that edit a record. Call add_version() at the end of
    __init__; the hidden field's cleaned value is the `updated_at` the form was
    loaded at (None when none was posted), which the view passes to the service
    as `version`.

    conflict_watch: model fields outside the form whose change the user should
    hear about (a model's verification, its status)."""

    conflict_watch = ()
    conflict = None
    loaded_values = None

    def add_version(self):
        if not self.instance.pk:
            return
        self.fields[VERSION_FIELD] = forms.CharField(widget=forms.HiddenInput, required=False)
        self.initial[VERSION_FIELD] = signing.dumps(
            {"at": self.instance.updated_at.isoformat(), "shown": self.shown_values(self.instance)},
            salt=_SALT, compress=True)
        helper = getattr(self, "helper", None)
        if helper is not None:
            helper.render_hidden_fields = True

    def _shown_names(self):
        return [n for n in self.fields if n != VERSION_FIELD] + list(self.conflict_watch)

    def _label(self, name):
        if name in self.fields:
            return str(self.fields[name].label)
        return str(self.instance._meta.get_field(name).verbose_name)

    def shown_values(self, instance):
        values = {}
        for name in self._shown_names():
            model_field = _model_field(instance, name)
            if model_field is None:
                continue
            value = list(getattr(instance, name).all()) if model_field.many_to_many else getattr(instance, name)
            values[name] = _display(model_field, value)
        return values

    def clean_version(self):
        token = self.cleaned_data.get(VERSION_FIELD)
        if not token:
            # Posted without one (a script, an old page): last write wins, as before.
            return None
        try:
            loaded = signing.loads(token, salt=_SALT)
            version = datetime.datetime.fromisoformat(loaded["at"])
        except (signing.BadSignature, KeyError, TypeError, ValueError):
            self.add_error(None, _("Biểu mẫu này không còn hợp lệ; hãy mở lại trang sửa."))
            return None
        self.loaded_values = loaded.get("shown") or {}
        return version

    def conflict_with(self, posted):
        """Fill self.conflict (self: the form for the record as it is now) from the
        form that was refused."""
        loaded = posted.loaded_values or {}
        now = self.shown_values(self.instance)
        typed = {name: _display(_model_field(self.instance, name), value)
                 for name, value in posted.cleaned_data.items() if name in loaded and name in posted.fields}
        self.conflict = Conflict(
            changed=[(self._label(n), loaded.get(n, ""), v) for n, v in now.items() if loaded.get(n, "") != v],
            yours=[(self._label(n), v) for n, v in typed.items() if loaded.get(n, "") != v],
        )
        return self


def call_edit_service(form, service, make_form, /, **arguments):
    """call_service (core.validation) for an edit form. Returns (result, form):
    the service's result (True if it has none) or None, and the form to show.
    When the record changed meanwhile, the form is make_form(current record), with
    .conflict saying what changed; when it was deleted meanwhile, 404."""
    try:
        result = service(**arguments)
    except EditConflict as exc:
        if exc.current is None:
            raise Http404
        return None, make_form(exc.current).conflict_with(form)
    except ValidationError as exc:
        add_service_errors(form, exc)
        return None, form
    return (True if result is None else result), form
