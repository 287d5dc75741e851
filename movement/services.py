"""Writes to the unit registry. Each function validates fully, then saves
in one transaction; callers pass the acting user for the change history."""
from django.core.exceptions import ValidationError
from django.db import transaction

from core.concurrency import check_version, lock_row
from core.history import save_with_history
from core.validation import full_clean_with_field_errors
from movement import rules
from movement.models import Unit

UNIT_CONSTRAINT_FIELDS = {"duplicate_unit_name": "name", "school_level_not_school": "school_level",
                          "unit_closed_before_start": "closed_on"}
UNIT_EDITABLE_FIELDS = ("name", "kind", "school_level", "address", "head_name", "headcount", "started_on",
                        "closed_on")

# What the apps above movement do when a unit is renamed or deleted (models_registry:
# a verified model whose host unit a ward renamed goes back to be verified; a
# deleted host unit leaves an entry in the model's history). They register here,
# from their AppConfig.ready(), as the import's sheets do (movement.imports.sheets):
# movement never imports them.
_RENAME_HOOKS = []
_DELETE_HOOKS = []


def on_unit_renamed(hook):
    """hook(unit=, old_name=, user=) runs inside unit_update's transaction."""
    if hook not in _RENAME_HOOKS:
        _RENAME_HOOKS.append(hook)
    return hook


def on_unit_deleting(hook):
    """hook(unit=, user=) runs inside unit_delete's transaction, before the row goes."""
    if hook not in _DELETE_HOOKS:
        _DELETE_HOOKS.append(hook)
    return hook


def _check_life_not_in_closed_years(unit, before):
    """A unit's start or close dated in a year whose report is final (areas
    ClosedYear) would move that year's "active units": such a date can be neither
    set nor changed until the committee reopens the year. before: the stored dates
    of an existing unit, None for a new one."""
    errors = {}
    for field in ("started_on", "closed_on"):
        old, new = (before or {}).get(field), getattr(unit, field)
        problem = rules.closed_dates_problem(unit.ward_id, old, new) if old != new else None
        if problem:
            errors[field] = [problem]
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def unit_create(*, ward, user=None, **fields):
    unknown = set(fields) - set(UNIT_EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"unit_create() got unexpected fields {sorted(unknown)}")
    unit = Unit(ward=ward, **fields)
    full_clean_with_field_errors(unit, UNIT_CONSTRAINT_FIELDS)
    _check_life_not_in_closed_years(unit, None)
    return save_with_history(unit, user)


@transaction.atomic
def unit_update(*, unit, user=None, version=None, **fields):
    """version: the updated_at the edit form was loaded at (core.concurrency);
    a unit saved since is not overwritten."""
    unknown = set(fields) - set(UNIT_EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"unit_update() got unexpected fields {sorted(unknown)}")
    stored = check_version(unit, version)
    old_name = stored.name
    before = {"started_on": stored.started_on, "closed_on": stored.closed_on}
    for field, value in fields.items():
        setattr(unit, field, value)
    full_clean_with_field_errors(unit, UNIT_CONSTRAINT_FIELDS)
    _check_life_not_in_closed_years(unit, before)
    save_with_history(unit, user)
    if unit.name != old_name:
        for hook in _RENAME_HOOKS:
            hook(unit=unit, old_name=old_name, user=user)
    return unit


@transaction.atomic
def unit_delete(*, unit, user=None):
    """Delete a unit (administrators, in the admin site). Raises Unit.DoesNotExist
    when someone deleted it first; the history keeps one "deleted" entry."""
    if lock_row(unit) is None:
        raise Unit.DoesNotExist(f"Unit {unit.pk} is already deleted.")
    for hook in _DELETE_HOOKS:
        hook(unit=unit, user=user)
    if user is not None:
        unit._history_user = user
    unit.delete()
