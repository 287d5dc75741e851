"""The recent activity under the figures: the latest launches and sessions in
scope, with who entered them."""
import datetime

from django.urls import reverse

from models_registry.models import SecurityModel
from movement.models import PropagandaSession

# A ward with no session in this many days is flagged (issue #6); the latest
# sessions listed under "recent activity" come from the same window.
QUIET_DAYS = 90
RECENT_ITEMS = 8


def _person(user):
    return user.display_name if user is not None else ""


def recent_launches(ward_ids, until):
    """The latest launches in scope up to `until` (the end of the year shown, or
    today), with who entered them (one query)."""
    models = (SecurityModel.objects.filter(ward_id__any=ward_ids, launched_on__lte=until)
              .select_related("ward", "kind", "created_by")
              .order_by("-launched_on", "-pk")[:RECENT_ITEMS])
    return [{"name": m.name, "url": reverse("models_registry:model_detail", args=[m.pk]), "ward": str(m.ward),
             "date": m.launched_on, "kind": str(m.kind), "members": m.members,
             "by": _person(m.created_by), "entered_at": m.created_at} for m in models]


def recent_sessions(ward_ids, until):
    """The latest sessions in scope of the QUIET_DAYS up to `until` (the end of the
    year shown, or today: the window keeps the query on the (ward, held_on) index
    at province scale), with who entered each: the user of its creation in the
    change history (two queries)."""
    sessions = list(PropagandaSession.objects.filter(
        ward_id__any=ward_ids, held_on__gt=until - datetime.timedelta(days=QUIET_DAYS), held_on__lte=until)
        .select_related("ward", "unit").order_by("-held_on", "-pk")[:RECENT_ITEMS])
    created = {h.id: h for h in PropagandaSession.history.filter(
        id__in=[s.pk for s in sessions], history_type="+").select_related("history_user")}
    items = []
    for s in sessions:
        creation = created.get(s.pk)
        items.append({"name": s.topic, "url": reverse("movement:session_detail", args=[s.pk]), "ward": str(s.ward),
                      "unit": s.unit.name if s.unit_id else "", "date": s.held_on, "attendance": s.attendance,
                      "by": _person(creation.history_user) if creation else "",
                      "entered_at": creation.history_date if creation else s.created_at})
    return items
