from movement.scope import visible_districts
from reports.models import AnnualReport


def visible_reports(user):
    """Reports of the districts the user can see: a ward officer reads their own
    district's, never another's."""
    return AnnualReport.objects.filter(district__in=visible_districts(user))


def report_get(*, user, pk):
    return visible_reports(user).select_related("district__province", "requested_by", "finalised_by").filter(
        pk=pk).first()


def report_versions(*, user, district, year):
    return (visible_reports(user).filter(district=district, year=year)
            .select_related("requested_by").order_by("-version"))
