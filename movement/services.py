"""Writes to the unit registry. Each function validates fully, then saves
in one transaction; callers pass the acting user for the change history."""
from django.db import transaction

from core.history import save_with_history
from core.validation import full_clean_with_field_errors
from movement.models import Unit

UNIT_CONSTRAINT_FIELDS = {"duplicate_unit_name": "name", "school_level_not_school": "school_level"}
UNIT_EDITABLE_FIELDS = ("name", "kind", "school_level", "address", "head_name", "headcount", "is_active")


@transaction.atomic
def unit_create(*, ward, user=None, **fields):
    unknown = set(fields) - set(UNIT_EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"unit_create() got unexpected fields {sorted(unknown)}")
    unit = Unit(ward=ward, **fields)
    full_clean_with_field_errors(unit, UNIT_CONSTRAINT_FIELDS)
    return save_with_history(unit, user)


@transaction.atomic
def unit_update(*, unit, user=None, **fields):
    unknown = set(fields) - set(UNIT_EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"unit_update() got unexpected fields {sorted(unknown)}")
    for field, value in fields.items():
        setattr(unit, field, value)
    full_clean_with_field_errors(unit, UNIT_CONSTRAINT_FIELDS)
    return save_with_history(unit, user)
