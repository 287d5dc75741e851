"""A reorganisation of the areas, with what follows it: the units and the ward
officers of a closed ward go on in its successor from the day it takes over.
Every record (session, signing, plan, commendation, model) keeps the ward it
happened in; the figures of an area fold its predecessors in (reports.figures).

`manage.py load_reorganisations` runs this, all or nothing."""
from dataclasses import dataclass

from django.db import transaction

from accounts.models import User
from areas.reorganisations import reorganisations_load
from core.history import save_with_history
from core.text import name_key
from movement.models import Unit, UnitMove


@dataclass
class FollowResult:
    units_moved: int = 0
    units_renamed: int = 0
    officers_moved: int = 0


def _free_name(unit, taken):
    """The unit's name in its new ward: kept, unless a unit there has it already
    (Trung Đô's "Khối 1" meeting Bến Thủy's), then followed by its old ward's name."""
    if name_key(unit.name) not in taken:
        return unit.name
    name = f"{unit.name} ({unit.ward.name})"
    n = 2
    while name_key(name) in taken:
        name = f"{unit.name} ({unit.ward.name} {n})"
        n += 1
    return name


def _follow(old, new, day, user, result):
    taken = set(Unit.objects.filter(ward=new).values_list("name_key", flat=True))
    # A unit that closed before the day stays where it lived.
    for unit in Unit.objects.filter(ward=old).exclude(closed_on__lt=day).select_related("ward").order_by("pk"):
        former = unit.name
        unit.name = _free_name(unit, taken)
        UnitMove.objects.create(unit=unit, from_ward=old, to_ward=new, moved_on=day,
                                former_name=former if unit.name != former else "")
        unit.ward = new
        unit._change_reason = f"Sắp xếp đơn vị hành chính từ {day:%d/%m/%Y}"
        save_with_history(unit, user)
        taken.add(name_key(unit.name))
        result.units_moved += 1
        result.units_renamed += unit.name != former
    # The ward's police now work in the successor (and read the old ward's
    # records there: movement.scope).
    result.officers_moved += User.objects.filter(ward=old).update(ward=new)


@transaction.atomic
def reorganise(*, rows, user=None):
    """Apply the reorganisation rows to the areas, then move the units and ward
    officers of each closed ward to its successor, in date order (Hồng Sơn's units
    go to Vinh Tân on 1/12/2024, then on to Trường Vinh on 1/7/2025). Loading the
    same rows again moves nothing: the old wards are empty by then."""
    areas = reorganisations_load(rows=rows, user=user)
    follow = FollowResult()
    for old, new, day in areas.moves:
        _follow(old, new, day, user, follow)
    return areas, follow
