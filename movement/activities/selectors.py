"""Reads of the movement's activities, always through movement.scope."""
import datetime

from django.db.models import Count, Q, Sum

from movement import filters
from movement.models import Commendation, CommitmentSigning, PropagandaSession, UnitPlan
from movement.scope import scope_queryset

RECORDS_PER_PAGE = 25


def date_range(year, month=None):
    """[start, end) of a year or one of its months. Filtering by range lets both
    engines use the (ward, date) indexes, where __year is a function call on SQLite."""
    if month:
        start = datetime.date(year, month, 1)
        end = datetime.date(year + (month == 12), month % 12 + 1, 1)
    else:
        start, end = datetime.date(year, 1, 1), datetime.date(year + 1, 1, 1)
    return start, end


def _records(user, model):
    return scope_queryset(user, model.objects.select_related("ward__district", "unit"))


def _filtered(queryset, *, date_field, province_id=None, district_id=None, ward_id=None, unit_id=None, unit_kind="",
              year=None, month=None, choices=None, year_field=None):
    queryset = filters.in_area(queryset, province_id=province_id, district_id=district_id, ward_id=ward_id,
                               year=year)
    if unit_id:
        queryset = queryset.filter(unit_id=unit_id)
    queryset = filters.of_unit_kind(queryset, unit_kind)
    if year:
        if year_field and not month:
            # Plans carry their year; the month narrows by the issue date.
            queryset = queryset.filter(**{year_field: year})
        else:
            start, end = date_range(year, month)
            queryset = queryset.filter(**{f"{date_field}__gte": start, f"{date_field}__lt": end})
    for field, value in (choices or {}).items():
        queryset = queryset.filter(**{field: value})
    return queryset


def session_list(*, user, **filters):
    return _filtered(_records(user, PropagandaSession), date_field="held_on", **filters).order_by("-held_on", "-pk")


def signing_list(*, user, **filters):
    return _filtered(_records(user, CommitmentSigning), date_field="signed_on", **filters).order_by("-signed_on", "-pk")


def plan_list(*, user, **filters):
    return _filtered(_records(user, UnitPlan), date_field="issued_on", year_field="year", **filters).order_by(
        "-year", "-issued_on", "-pk")


def commendation_list(*, user, **filters):
    return _filtered(_records(user, Commendation), date_field="awarded_on", **filters).order_by("-awarded_on", "-pk")


# Totals of a filtered list, one aggregate query each.

def session_totals(queryset):
    return queryset.order_by().aggregate(records=Count("pk"), attendance=Sum("attendance", default=0))


def signing_totals(queryset):
    return queryset.order_by().aggregate(records=Count("pk"), signatories=Sum("signatories", default=0))


def plan_totals(queryset):
    return queryset.order_by().aggregate(
        records=Count("pk"),
        resolutions=Count("pk", filter=Q(kind=UnitPlan.Kind.RESOLUTION)),
        plans=Count("pk", filter=Q(kind=UnitPlan.Kind.PLAN)),
    )


def commendation_totals(queryset):
    return queryset.order_by().aggregate(
        records=Count("pk"),
        individuals=Count("pk", filter=Q(honoree_kind=Commendation.HonoreeKind.INDIVIDUAL)),
        collectives=Count("pk", filter=Q(honoree_kind=Commendation.HonoreeKind.COLLECTIVE)),
    )


def record_get(*, user, model, pk):
    """The record if the user may see it, else None (the view answers 404). With
    the ward's province too: the parent of a ward directly under it (Ward.parent)."""
    return scope_queryset(user, model.objects.select_related("ward__district__province", "ward__province", "unit")
                          ).filter(pk=pk).first()


def session_documents(session):
    return list(session.legal_documents.order_by("code"))
