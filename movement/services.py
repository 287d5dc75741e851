"""Writes to the unit registry. Each function validates fully, then saves
in one transaction; callers pass the acting user for the change history.

Also the one rule every dated record's write follows since areas merge (issue
#13): record_ward, the ward version a record of a given date goes in."""
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from areas.models import Ward
from areas.selectors import predecessor_ids
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


def _check_ward_of_today(unit):
    """A unit still open lives in a ward of today: those of a merged ward went on
    in its successor (movement.reorganisation), and a new one registered in the
    old ward (the model form's "add a unit" on a 2024 model of Trung Đô) would be
    counted where no one reports any more."""
    today = timezone.localdate()
    if unit.closed_on is None and not unit.ward.is_valid_on(today):
        raise ValidationError({"ward": [_ended_message(unit.ward)]})


@transaction.atomic
def unit_create(*, ward, user=None, **fields):
    unknown = set(fields) - set(UNIT_EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"unit_create() got unexpected fields {sorted(unknown)}")
    unit = Unit(ward=ward, **fields)
    full_clean_with_field_errors(unit, UNIT_CONSTRAINT_FIELDS)
    _check_ward_of_today(unit)
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


# --- The ward of a record's date (issue #13) -------------------------------------

def units_ward_on(units, day):
    """{unit id: id of the ward the unit was in on `day`} (Unit.ward_on: the ward it
    left by its first move after the day, or its ward today), read from the
    database: a unit's copy held by the caller may predate a move. One query for
    all the units, none without units."""
    ids = [unit.pk for unit in units]
    if not ids:
        return {}
    return dict(Unit.objects.filter(pk__in=ids).annotate(ward_then=Unit.ward_on(day)).values_list(
        "pk", "ward_then"))


def _ended_message(ward):
    return _("%(ward)s chỉ có hiệu lực đến ngày %(end)s; đơn vị đang hoạt động thuộc phường, xã hiện nay.") % {
        "ward": ward, "end": ward.valid_to.strftime("%d/%m/%Y")}


def _not_valid_message(ward, day):
    """Why no version of the ward's area takes a record of that day."""
    if ward.valid_to is not None and day > ward.valid_to:
        return _("Ngày %(date)s không còn %(ward)s (hiệu lực đến ngày %(end)s).") % {
            "date": day.strftime("%d/%m/%Y"), "ward": ward, "end": ward.valid_to.strftime("%d/%m/%Y")}
    return _("Ngày %(date)s chưa có %(ward)s (hiệu lực từ ngày %(start)s).") % {
        "date": day.strftime("%d/%m/%Y"), "ward": ward, "start": ward.valid_from.strftime("%d/%m/%Y")}


def _versions_on(ward, day):
    """The versions of the ward's area that were valid on `day`: the ward itself;
    after it ended, its successor of that day (succession is many to one, so the
    line forward is single); before it began, the wards that merged into it and
    were valid then (Trường Vinh on 10/3/2025: Trung Đô, Bến Thủy and five others)."""
    if ward.is_valid_on(day):
        return [ward]
    if ward.valid_to is not None and day > ward.valid_to:
        later = ward.successor
        while later is not None and later.valid_to is not None and day > later.valid_to:
            later = later.successor
        return [later] if later is not None and later.is_valid_on(day) else []
    before = Ward.objects.filter(pk__in=predecessor_ids([ward.pk])).select_related("district")
    return [w for w in before.order_by("name") if w.is_valid_on(day)]


def record_ward(*, ward, day, units=(), date_field, units_field="unit", outside_message=None):
    """The ward a record dated `day` goes in, starting from the ward the user
    chose (an officer's ward of today, or a ward of the picker). Records stay in
    the ward version of their date (docs/areas.md), so:

    - a ward valid that day is kept, and each of the record's units must have
      been in it that day;
    - before the ward began (an officer of Trường Vinh, from 1/7/2025, recording
      a session of 10/3/2025), the predecessor valid that day: the one its units
      were in then, or the only one; with none to say which, the date is refused
      with the wards of that day, to pick the unit or the old ward;
    - after the ward ended (a Trung Đô record moved to September 2025), its
      successor of that day, which the officers of that successor edit.

    ward=None (a plan, whose ward is its unit's) starts from the first unit's
    ward of that day. Raises ValidationError: {date_field} when no ward of the
    area existed that day or several did and no unit says which; {units_field}
    (outside_message(names), by default the rules' "not in the record's ward")
    when a unit was in another ward that day. One query for the units, and a
    couple more only when the ward was not valid on the day."""
    units = [unit for unit in units if unit is not None]
    if day is None:
        # The missing date is reported by the record's own checks.
        return ward
    then = units_ward_on(units, day)
    if ward is None:
        if not units:
            return None
        first = units[0]
        ward = first.ward if then[first.pk] == first.ward_id else Ward.objects.get(pk=then[first.pk])
    candidates = {w.pk: w for w in _versions_on(ward, day)}
    unit_wards = set(then.values())
    if len(unit_wards) == 1 and next(iter(unit_wards)) in candidates:
        return candidates[next(iter(unit_wards))]
    if units:
        # Refused: name the units that were elsewhere that day (all of them when
        # they were spread over several wards of that day).
        placed = next(iter(candidates)) if len(candidates) == 1 else None
        names = [u.name for u in units if then[u.pk] != placed] if placed else [u.name for u in units]
        message = outside_message(names) if outside_message else rules.UNIT_NOT_IN_WARD
        raise ValidationError({units_field: [message]})
    if len(candidates) == 1:
        return next(iter(candidates.values()))
    if not candidates:
        raise ValidationError({date_field: [_not_valid_message(ward, day)]})
    raise ValidationError({date_field: [
        _("Ngày %(date)s chưa có %(ward)s; địa bàn khi đó gồm %(names)s. Hãy chọn đơn vị, hoặc chọn phường, "
          "xã cũ của ngày đó, để ghi nhận vào đúng phường, xã.") % {
            "date": day.strftime("%d/%m/%Y"), "ward": ward,
            "names": ", ".join(str(w) for w in candidates.values())}]})
