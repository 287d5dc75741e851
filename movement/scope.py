"""The one place that decides who sees and who edits what.

Every view, export and report starts from these functions; nothing else filters
by the user's role. Read access:
  ward officer        -> their ward and the wards that merged into it
  district committee  -> every ward of their district
  province, admin     -> everything
Write access to a ward's records belongs to that ward's officers and to the
administrators; the body above the ward verifies (can_verify_ward: the district
committee while its district exists, the province since) but does not edit.
The other "who may" questions (the admin menu, the page a user lands on, whose
import jobs one sees, whose edit keeps a model verified, who reads which annual
report) are answered here too.
"""
from django.db.models import F, Q
from django.utils import timezone

from accounts.models import Role
from areas.models import District, Province, Ward
from areas.selectors import district_ground_q, lineage_ids
from movement.models import Unit, UnitMove


def _sees_everything(user):
    return user.is_superuser or user.role in (Role.PROVINCE, Role.ADMIN)


def sees_everything(user):
    """Whether visible_wards(user) is every ward (the province, the administrators)."""
    return user.is_authenticated and user.is_active and _sees_everything(user)


def _officer_wards(user):
    """A ward officer's ward and its predecessors (the officers of a merged ward
    went on in its successor and still read the old ward's records), computed once
    per request's user."""
    if getattr(user, "_lineage_for", None) != user.ward_id:
        user._lineage, user._lineage_for = sorted(lineage_ids(user.ward_id)), user.ward_id
    return user._lineage


def ward_filter(user, ward_path="ward"):
    """Q object restricting rows (reached through ward_path) to the user's scope."""
    if not user.is_authenticated or not user.is_active:
        return Q(pk__in=[])
    if _sees_everything(user):
        return Q()
    if user.role == Role.WARD_OFFICER and user.ward_id:
        return Q(**{f"{ward_path}_id__in": _officer_wards(user)})
    if user.role == Role.DISTRICT and user.district_id:
        return district_ground_q(user.district_id, ward_path)
    return Q(pk__in=[])


def scope_queryset(user, queryset, ward_path="ward"):
    """Restrict any queryset whose rows belong to a ward to what the user may see."""
    return queryset.filter(ward_filter(user, ward_path))


def visible_wards(user):
    # With the province: the parent of a ward directly under it (Ward.parent).
    wards = Ward.objects.select_related("district", "province")
    if not user.is_authenticated or not user.is_active:
        return wards.none()
    if _sees_everything(user):
        return wards
    if user.role == Role.WARD_OFFICER and user.ward_id:
        return wards.filter(pk__in=_officer_wards(user))
    if user.role == Role.DISTRICT and user.district_id:
        return wards.filter(district_ground_q(user.district_id, ""))
    return wards.none()


def visible_districts(user):
    return District.objects.filter(pk__in=visible_wards(user).values("district_id")).select_related("province")


def visible_units(user):
    """The units in the user's wards, and for a district committee those that moved
    out of them in a reorganisation: it still reads the units its wards had. (An
    officer's moved units are in their ward, where the officer moved too.)"""
    if user.is_authenticated and user.is_active and user.role == Role.DISTRICT and not _sees_everything(user):
        moved_out = UnitMove.objects.filter(ward_filter(user, "from_ward")).values("unit_id")
        return Unit.objects.filter(ward_filter(user) | Q(pk__in=moved_out))
    return scope_queryset(user, Unit.objects.all())


def can_edit_ward(user, ward):
    """May this user create or change records that belong to this ward?"""
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser or user.role == Role.ADMIN:
        return True
    # The officers of a merged ward keep its records in the successor.
    return user.role == Role.WARD_OFFICER and user.ward_id is not None and ward.pk in _officer_wards(user)


def editable_wards(user):
    """Wards in which the user may create records (for ward pickers): for an
    officer, their ward today (a merged ward's records stay editable through
    can_edit_ward, but new ones go to the ward that exists)."""
    wards = Ward.objects.select_related("district")
    if not user.is_authenticated or not user.is_active:
        return wards.none()
    if user.is_superuser or user.role == Role.ADMIN:
        return wards
    if user.role == Role.WARD_OFFICER and user.ward_id:
        return wards.filter(pk=user.ward_id)
    return wards.none()


def may_create(user):
    """Whether editable_wards(user) holds a ward: the lists show their "new record"
    button by it. An officer's ward exists (a protected foreign key), so asking the
    database, once per list page, told nothing (issue #16)."""
    if not user.is_authenticated or not user.is_active:
        return False
    if user.role == Role.WARD_OFFICER and user.ward_id:
        return True
    return editable_wards(user).exists()


def record_wards(user):
    """Wards in which the user may create dated records (sessions, signings, plans,
    commendations): editable_wards, and for an officer the wards that merged into
    theirs too, since a record dated before the merge goes in the ward of its date
    (movement.services.record_ward). An officer's ward of today comes first, then
    the others, the latest to end first. Units, models and imports keep
    editable_wards: what is registered today belongs to a ward of today."""
    if user.is_authenticated and user.is_active and user.role == Role.WARD_OFFICER and user.ward_id \
            and not user.is_superuser:
        return Ward.objects.select_related("district").filter(pk__in=_officer_wards(user)).order_by(
            F("valid_to").desc(nulls_first=True), "name")
    return editable_wards(user)


def _exists_today(area):
    return area.is_valid_on(timezone.localdate())


def can_verify_ward(user, ward):
    """May this user verify records that a ward declared? The body above the ward
    at the record's date, which is the ward's parent (records stay in the ward
    version of their date): its district committee while the district exists,
    the province for a ward directly under it (since 1/7/2025); administrators
    always. A committee whose district has ended (Vinh's, after 30/6/2025) keeps
    reading its wards' history but changes nothing.

    The province also verifies the records of wards whose district has ended
    (Trung Đô's of 2024): their body above was that district's committee, which
    no longer exists, and the province took its place above the wards."""
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser or user.role == Role.ADMIN:
        return True
    if user.role == Role.DISTRICT:
        return user.district_id is not None and user.district_id == ward.district_id and _exists_today(
            ward.district)
    if user.role == Role.PROVINCE:
        return ward.district_id is None or not _exists_today(ward.district)
    return False


def can_report_area(user, area):
    """May this user generate and finalise the annual report of an area (a
    province, a district or a ward)? Administrators and the province for any; a
    district committee for its district while the district exists (Vinh's
    committee reads its history after 30/6/2025 and changes nothing; the province
    compiles what is left); a ward's police for their ward of today."""
    if not user.is_authenticated or not user.is_active:
        return False
    if _sees_everything(user):
        return True
    if user.role == Role.DISTRICT and user.district_id and area.area_kind == "district":
        return area.pk == user.district_id and area.is_valid_on(timezone.localdate())
    if user.role == Role.WARD_OFFICER and user.ward_id and area.area_kind == "ward":
        return area.pk == user.ward_id
    return False


def reportable_areas(user):
    """The areas whose annual report the user may generate (can_report_area), for
    the request form: the province sees its provinces, the districts and the
    wards directly under a province (a district's wards are reported by their
    district)."""
    if not user.is_authenticated or not user.is_active:
        return []
    if _sees_everything(user):
        return [*Province.objects.order_by("name"), *District.objects.select_related("province"),
                *Ward.objects.filter(district__isnull=True).select_related("province").order_by("name")]
    if user.role == Role.DISTRICT and user.district_id:
        district = District.objects.select_related("province").get(pk=user.district_id)
        return [district] if can_report_area(user, district) else []
    if user.role == Role.WARD_OFFICER and user.ward_id:
        return [Ward.objects.select_related("district", "province").get(pk=user.ward_id)]
    return []


def visible_reports(user, queryset):
    """The annual reports (a queryset of them) the user may read. Final reports
    are sent to the areas below: a ward officer reads the final versions of the
    reports of their district (and those of the wards merged into theirs), of
    their province, and of the merged wards, and every version of their own
    ward's report, which its police make. A district committee reads its
    district's reports and those of its wards. Drafts of the others are for the
    province and administrators (issue #11 §9)."""
    if not user.is_authenticated or not user.is_active:
        return queryset.none()
    if _sees_everything(user):
        return queryset
    if user.role == Role.DISTRICT and user.district_id:
        return queryset.filter(Q(district_id=user.district_id) | Q(ward__district_id=user.district_id))
    if user.role == Role.WARD_OFFICER and user.ward_id:
        lineage = Ward.objects.filter(pk__in=_officer_wards(user))
        sent_down = (Q(district_id__in=lineage.values("district_id")) | Q(province_id__in=lineage.values("province_id"))
                     | Q(ward_id__in=_officer_wards(user)))
        return queryset.filter(Q(ward_id=user.ward_id) | (sent_down & Q(is_final=True)))
    return queryset.none()


def importable_wards(user):
    """Wards whose records the user may bring in from a workbook: their editable
    wards, and for the district committee every ward of its district (issue #4:
    "the district does it for all its wards") while the district exists: an ended
    committee changes nothing."""
    if user.is_authenticated and user.is_active and user.role == Role.DISTRICT and user.district_id:
        wards = Ward.objects.select_related("district").filter(district_id=user.district_id)
        return wards if _exists_today(user.district) else wards.none()
    return editable_wards(user)


def visible_import_jobs(user, queryset):
    """Import jobs are their uploader's: another user's upload is as good as
    absent, except to administrators."""
    if not user.is_authenticated or not user.is_active:
        return queryset.none()
    if user.is_administrator:
        return queryset
    return queryset.filter(user=user)


def edit_keeps_verification(user):
    """Does a change by this user keep a model's verification? A change by the body
    that verifies (the district committee, the province since the district level
    ended: can_verify_ward) or an administrator is its own check; a change by the
    ward sends the record back to be verified."""
    return user is not None and user.is_authenticated and (
        user.is_administrator or user.role in (Role.DISTRICT, Role.PROVINCE))


def can_open_admin(user):
    """The operators' admin site: staff administrators only (the menu link and the
    site itself, whose own check is is_staff)."""
    return user.is_authenticated and user.is_active and user.is_staff and user.is_administrator


def landing_url_name(user):
    """Where a user starts after signing in: the committee and the province on the
    dashboard, everyone else on the overview."""
    if user.is_authenticated and user.role in (Role.DISTRICT, Role.PROVINCE):
        return "dashboard:dashboard"
    return "movement:home"
