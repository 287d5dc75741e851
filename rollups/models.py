from django.db import models
from django.utils.translation import gettext_lazy as _

# The row of a ward and month that counts every record, whatever its unit; the
# other rows of the month count the records of units of one kind (Unit.Kind).
ALL_KINDS = ""

MEASURES = ("sessions", "attendances", "signings", "signatories", "plans", "commendations",
            "models_launched", "models_launched_verified", "model_members")


class Measures(models.Model):
    """A ward's figures under one unit kind ("" for all): what WardMonth and
    WardYear share."""

    ward = models.ForeignKey("areas.Ward", on_delete=models.CASCADE, related_name="+")
    unit_kind = models.CharField(max_length=20, blank=True, default=ALL_KINDS)
    sessions = models.PositiveIntegerField(default=0)
    attendances = models.BigIntegerField(default=0)
    signings = models.PositiveIntegerField(default=0)
    signatories = models.BigIntegerField(default=0)
    plans = models.PositiveIntegerField(default=0)
    commendations = models.PositiveIntegerField(default=0)
    models_launched = models.PositiveIntegerField(default=0)
    models_launched_verified = models.PositiveIntegerField(default=0)
    model_members = models.BigIntegerField(default=0)

    class Meta:
        abstract = True

    def values(self):
        return {name: getattr(self, name) for name in MEASURES}


class WardMonth(Measures):
    """The movement's additive figures for one ward version and one calendar
    month: what the records of that ward dated in that month add up to.

    One row with unit_kind "" counts all of them; one row per unit kind counts the
    records tied to a unit of that kind (a model counts under each kind of its
    host units, as the dashboard's filter does), so records tied to no unit are
    the "" row minus the kinds. Rows are rewritten from the records in the
    transaction of every write (rollups.services.refresh); `manage.py rollups
    --check` proves them equal to a fresh aggregation. Figures that are a state at
    a date (active units, models active at year end) and distinct counts (units
    with a plan) are not additive over months and stay live."""

    month = models.DateField(_("Tháng"))  # the first day of the month

    class Meta:
        verbose_name = _("số liệu tháng của phường, xã")
        verbose_name_plural = _("số liệu tháng của phường, xã")
        constraints = [
            # Also the index the figures read: a ward set, a kind, a run of months.
            models.UniqueConstraint(fields=["ward", "unit_kind", "month"], name="wardmonth_one_row"),
        ]

    def __str__(self):
        return f"{self.ward_id} {self.month:%m/%Y} {self.unit_kind or '*'}"


class WardYear(Measures):
    """WardMonth added up over a calendar year: a year's figures of a province
    read 460 rows a kind instead of 5,520. Rewritten with the months it sums
    (rollups.services.refresh), from them, never from the records."""

    year = models.PositiveSmallIntegerField(_("Năm"))

    class Meta:
        verbose_name = _("số liệu năm của phường, xã")
        verbose_name_plural = _("số liệu năm của phường, xã")
        constraints = [
            # Ward first: an area's 25 or 130 wards are as many short probes; with
            # the year first a district's read walked every ward of the nation's
            # year (5 ms a range at national scale).
            models.UniqueConstraint(fields=["ward", "unit_kind", "year"], name="wardyear_by_ward"),
        ]

    def __str__(self):
        return f"{self.ward_id} {self.year} {self.unit_kind or '*'}"
