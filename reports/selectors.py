from areas.models import area_fields
from movement import scope
from reports.models import AnnualReport


def visible_reports(user):
    """The reports the user may read (movement.scope.visible_reports): a ward
    officer reads only their own district's final versions."""
    return scope.visible_reports(user, AnnualReport.objects.all())


def report_get(*, user, pk):
    return visible_reports(user).select_related("district__province", "ward__district", "ward__province", "province",
                                                "requested_by", "finalised_by").filter(pk=pk).first()


def report_versions(*, user, area, year):
    return (visible_reports(user).filter(**area_fields(area), year=year)
            .select_related("requested_by").order_by("-version"))
