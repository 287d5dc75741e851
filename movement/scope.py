"""The one place that decides who sees and who edits what.

Every view, export and report starts from these functions; nothing else filters
by the user's role. Read access:
  ward officer        -> their ward and the wards that merged into it
  district committee  -> every ward of their district
  province, admin     -> everything
Write access to a ward's records belongs to that ward's officers and to the
administrators; the district committee verifies and reports but does not edit.
The other "who may" questions (the admin menu, the page a user lands on, whose
import jobs one sees, whose edit keeps a model verified, who reads which annual
report) are answered here too.
"""
from django.db.models import Q

from accounts.models import Role
from areas.models import District, Ward
from areas.selectors import lineage_ids
from movement.models import Unit, UnitMove


def _sees_everything(user):
    return user.is_superuser or user.role in (Role.PROVINCE, Role.ADMIN)


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
        return Q(**{f"{ward_path}__district_id": user.district_id})
    return Q(pk__in=[])


def scope_queryset(user, queryset, ward_path="ward"):
    """Restrict any queryset whose rows belong to a ward to what the user may see."""
    return queryset.filter(ward_filter(user, ward_path))


def visible_wards(user):
    wards = Ward.objects.select_related("district")
    if not user.is_authenticated or not user.is_active:
        return wards.none()
    if _sees_everything(user):
        return wards
    if user.role == Role.WARD_OFFICER and user.ward_id:
        return wards.filter(pk__in=_officer_wards(user))
    if user.role == Role.DISTRICT and user.district_id:
        return wards.filter(district_id=user.district_id)
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


def can_verify_ward(user, ward):
    """May this user verify records that a ward declared? The district committee of
    that ward's district, and administrators."""
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser or user.role == Role.ADMIN:
        return True
    return user.role == Role.DISTRICT and user.district_id == ward.district_id


def can_report_district(user, district):
    """May this user generate and finalise the district's annual report? Its
    committee, the province and administrators."""
    if not user.is_authenticated or not user.is_active:
        return False
    if _sees_everything(user):
        return True
    return user.role == Role.DISTRICT and user.district_id == district.pk


def reportable_districts(user):
    """Districts whose annual report the user may generate (see can_report_district)."""
    if not user.is_authenticated or not user.is_active:
        return District.objects.none()
    if _sees_everything(user):
        return District.objects.all()
    if user.role == Role.DISTRICT and user.district_id:
        return District.objects.filter(pk=user.district_id)
    return District.objects.none()


def visible_reports(user, queryset):
    """The annual reports (a queryset of them: district, is_final) the user may
    read. The district's final reports are sent to its wards, so a ward officer
    reads its district's final versions; drafts are for the committee, the
    province and administrators (issue #11 §9)."""
    if not user.is_authenticated or not user.is_active:
        return queryset.none()
    if _sees_everything(user):
        return queryset
    if user.role == Role.DISTRICT and user.district_id:
        return queryset.filter(district_id=user.district_id)
    if user.role == Role.WARD_OFFICER and user.ward_id:
        return queryset.filter(district_id__in=Ward.objects.filter(pk__in=_officer_wards(user)).values(
            "district_id"), is_final=True)
    return queryset.none()


def importable_wards(user):
    """Wards whose records the user may bring in from a workbook: their editable
    wards, and for the district committee every ward of its district (issue #4:
    "the district does it for all its wards")."""
    if user.is_authenticated and user.is_active and user.role == Role.DISTRICT and user.district_id:
        return Ward.objects.select_related("district").filter(district_id=user.district_id)
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
    """Does a change by this user keep a model's verification? A change by the
    district committee or an administrator is its own check; a change by the ward
    sends the record back to be verified."""
    return user is not None and user.is_authenticated and (
        user.is_administrator or user.role == Role.DISTRICT)


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
