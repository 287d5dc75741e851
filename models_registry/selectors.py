"""Reads of the models registry, always starting from movement.scope."""
import datetime
from collections import Counter

from django.db.models import Count, Prefetch, Q, Sum
from django.utils.translation import gettext_lazy as _

from core.history import Part, history_entries
from core.text import filter_search, name_key
from models_registry.models import (
    Attachment,
    ModelKind,
    Review,
    SecurityModel,
    StatusChange,
)
from models_registry.organisers import clean_organisers
from movement import filters
from movement.models import Unit
from movement.scope import scope_queryset

MODELS_PER_PAGE = 20

# The chips under the launch form's organisers field: the ward's own two bodies,
# then those its launches named. A dozen is two or three rows on a phone.
ORGANISER_SUGGESTIONS = 12
# Read from the ward's latest launches only: a ward has a few dozen a year, and
# the bound keeps the query the same size whatever its history.
ORGANISER_SOURCE_LAUNCHES = 200
# A ward's kind as its bodies' names write it. The names are data, kept in
# Vietnamese whatever the interface language, as the workbook and the demo have them.
_KIND_IN_BODY_NAMES = {"phuong": "phường", "xa": "xã", "thi_tran": "thị trấn"}


def visible_models(user):
    return scope_queryset(user, SecurityModel.objects.all())


def dissolved_on(days, models=None):
    """{day: ids of the models (of `models`, or all) dissolved on that day}: whose
    latest status change on or before it is a dissolution. Only models with a
    dissolution by the last day can be, and they are few: their changes are read
    in one query and the last one before each day taken here, rather than a
    subquery per model over every model (40 ms a query for a province)."""
    last = max(days)
    candidates = StatusChange.objects.filter(status=SecurityModel.Status.DISSOLVED, changed_on__lte=last)
    if models is not None:
        candidates = candidates.filter(model__in=models.order_by().values("pk"))
    latest = {day: {} for day in days}
    for model_id, status, changed_on in (
            StatusChange.objects.filter(model__in=candidates.values("model_id"), changed_on__lte=last)
            .order_by("model_id", "changed_on", "pk").values_list("model_id", "status", "changed_on")):
        for day, statuses in latest.items():
            if changed_on <= day:
                statuses[model_id] = status
    return {day: {pk for pk, status in statuses.items() if status == SecurityModel.Status.DISSOLVED}
            for day, statuses in latest.items()}


def active_at(models, day):
    """The models launched by `day` and not dissolved on it: "models active at
    year end" in the figures and the list that figure opens."""
    return models.filter(launched_on__lte=day).exclude(pk__in=dissolved_on([day], models)[day])


def model_list(*, user, q="", province_id=None, district_id=None, ward_id=None, kind_id=None, status="", year=None,
               verification="", active_year=None, unit_kind=""):
    """Models the user may see, filtered. Launch year is a date range, so both
    engines use the (ward, launched_on) index. active_year: the models active at
    the end of that year; unit_kind: one of the host units is of that kind (as the
    figures count them)."""
    models = visible_models(user)
    models = filter_search(models, q)
    models = filters.in_area(models, province_id=province_id, district_id=district_id, ward_id=ward_id,
                             year=year or active_year)
    models = filters.models_of_unit_kind(models, unit_kind)
    if kind_id:
        models = models.filter(kind_id=kind_id)
    if status:
        models = models.filter(status=status)
    if year:
        models = models.filter(launched_on__gte=datetime.date(year, 1, 1), launched_on__lt=datetime.date(year + 1, 1, 1))
    if verification:
        models = models.filter(verification=verification)
    if active_year:
        models = active_at(models, datetime.date(active_year, 12, 31))
    return models.order_by("-launched_on", "name", "pk")


def model_list_page_rows(models):
    """What a list page or an export shows per model: ward, kind and host units in
    a fixed number of queries."""
    return models.select_related("ward", "kind").prefetch_related(
        Prefetch("units", queryset=Unit.objects.only("id", "name").order_by("name")),
    )


def model_totals(models):
    """Count and members of the filtered models, in one aggregate query."""
    totals = models.order_by().aggregate(
        count=Count("pk"),
        members=Sum("members"),
        verified=Count("pk", filter=Q(verification=SecurityModel.Verification.VERIFIED)),
    )
    totals["members"] = totals["members"] or 0
    return totals


def model_get(*, user, pk):
    """The model with everything its detail page shows, or None when out of scope."""
    return (
        visible_models(user)
        .select_related("ward__district", "ward__province", "kind", "created_by", "verified_by")
        .prefetch_related(
            Prefetch("units", queryset=Unit.objects.order_by("name")),
            "selfs",
            Prefetch("status_changes", queryset=StatusChange.objects.select_related("created_by").order_by("changed_on", "pk")),
            Prefetch("reviews", queryset=Review.objects.select_related("created_by").order_by("-year", "kind")),
            Prefetch("attachments", queryset=Attachment.objects.select_related("uploaded_by").order_by("uploaded_at", "pk")),
        )
        .filter(pk=pk)
        .first()
    )


def model_history(model):
    """The model's history as its page shows it: one entry per save (services
    write one), each listing the fields it changed and the files it attached or
    removed (files have no page of their own). Its queries: core.history's, and
    one for the files' records."""
    return history_entries(model, parts=[Part(_("Tệp đính kèm"), Attachment.history.filter(model_id=model.pk))])


def attachment_get(*, user, pk):
    return Attachment.objects.select_related("model").filter(
        pk=pk, model__in=visible_models(user)).first()


def active_kinds():
    return ModelKind.objects.filter(is_active=True)


def all_kinds():
    return ModelKind.objects.all()


def ward_bodies(ward):
    """The ward's own police and people's committee, which organise most launches:
    "Công an phường Trung Đô", "UBND xã Hưng Lộc"."""
    place = f"{_KIND_IN_BODY_NAMES.get(ward.kind, ward.kind)} {ward.name}"
    return [f"Công an {place}", f"UBND {place}"]


def organiser_suggestions(*, user, ward):
    """What the launch form suggests for its organisers: the ward's own bodies,
    then the bodies its latest launches named, most named first (the latest
    spelling of each; case ignored, as the services store them), at most
    ORGANISER_SUGGESTIONS. One query (and movement.scope's, once per request)."""
    counts, spelling = Counter(), {}
    launches = (visible_models(user).filter(ward=ward).order_by("-launched_on", "-pk")
                .values_list("organisers", flat=True)[:ORGANISER_SOURCE_LAUNCHES])
    for organisers in launches:
        for body in clean_organisers(organisers if isinstance(organisers, list) else []):
            key = body.casefold()
            counts[key] += 1
            spelling.setdefault(key, body)
    own = ward_bodies(ward)
    taken = {body.casefold() for body in own}
    # sorted() keeps the order of first sight (the latest launch first) between equals.
    used = sorted((key for key in counts if key not in taken), key=lambda key: -counts[key])
    return (own + [spelling[key] for key in used])[:ORGANISER_SUGGESTIONS]


def unit_named(*, ward, name):
    """The ward's unit of that name, case and spacing ignored as its uniqueness
    is (movement's unit_unique_name_per_ward), or None."""
    return Unit.objects.filter(ward=ward, name_key=name_key(name)).first()
