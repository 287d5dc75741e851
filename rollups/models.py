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

    # No index of its own: every table's unique key starts with the ward, and
    # with a second index on the ward alone PostgreSQL's planner, after an
    # ANALYZE, probed that one and filtered the rows (37 ms instead of 7 for the
    # province's months).
    ward = models.ForeignKey("areas.Ward", on_delete=models.CASCADE, related_name="+", db_index=False)
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
    with a plan) are not additive over months: WardYearState holds them for
    whole calendar years."""

    month = models.DateField(_("Tháng"))  # the first day of the month

    class Meta:
        verbose_name = _("số liệu tháng của phường, xã")
        verbose_name_plural = _("số liệu tháng của phường, xã")
        constraints = [
            # Also the index the figures read: a ward set, a kind, a run of months;
            # with the sessions and attendances in it, the month series of a
            # province (10,000 rows) is read from the index alone (7 ms, not 14).
            models.UniqueConstraint(fields=["ward", "unit_kind", "month"], name="wardmonth_one_row",
                                    include=["sessions", "attendances"]),
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


# What WardYearState holds, by the records each part is counted from.
STATE_MEASURES = ("active_units_change", "models_active_change", "units_with_plan")


class WardYearState(models.Model):
    """The figures that are a state at a date or a distinct count, for one ward
    version, unit kind ("" for all) and calendar year: what reports.figures
    otherwise computes from every unit, model and plan of an area.

    The two states are stored as changes, not as values: active units (units that
    existed on some day of the year, counted in the ward they were in on 31/12) in
    ward w for year Y is the sum of active_units_change of w's rows up to Y, and
    likewise models active on 31/12. An open-ended unit adds +1 once, at its
    first year, and so counts in every later year nobody has stored yet (next
    year, the year after): the rows never need extending when the calendar turns,
    and any year from rollups.states.FIRST_STATE_YEAR on reads exactly. What
    happened before that year is folded into its row; earlier years are counted
    live. units_with_plan (distinct units with a plan issued in the year, of the
    ward's plans) is the year's own value.

    Rewritten from the records, a ward at a time, in the transaction of every
    write that changes them (rollups.states.refresh); `manage.py rollups --check`
    proves them equal to a fresh count."""

    ward = models.ForeignKey("areas.Ward", on_delete=models.CASCADE, related_name="+",
                             db_index=False)  # no index of its own: as Measures.ward
    unit_kind = models.CharField(max_length=20, blank=True, default=ALL_KINDS)
    year = models.PositiveSmallIntegerField(_("Năm"))
    active_units_change = models.IntegerField(default=0)
    models_active_change = models.IntegerField(default=0)
    units_with_plan = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("trạng thái năm của phường, xã")
        verbose_name_plural = _("trạng thái năm của phường, xã")
        constraints = [
            # Also the index the figures read (a ward set, a kind, the years up to
            # one), the values with it: read from the index alone.
            models.UniqueConstraint(fields=["ward", "unit_kind", "year"], name="wardyearstate_by_ward",
                                    include=list(STATE_MEASURES)),
        ]

    def __str__(self):
        return f"{self.ward_id} {self.year} {self.unit_kind or '*'}"

    def values(self):
        return {name: getattr(self, name) for name in STATE_MEASURES}


# What WardYearModelKind holds: the "models" part of the states, by model kind.
MODEL_KIND_MEASURES = ("models_active_change", "models_launched", "model_members")


class WardYearModelKind(models.Model):
    """The models of one ward version, unit kind ("" for all) and calendar year,
    by model kind: launched in the year (and their members) and the change in
    models active on 31/12, counted as WardYearState counts it. What the
    dashboard's and the report's table of model kinds reads for whole years
    instead of every model and status change of an area.

    models_launched and model_members are the year's own values (a model
    launched before rollups.states.FIRST_STATE_YEAR has no launch row: those
    years are counted live); models_active_change adds up to the models active
    at a year's end, as in WardYearState. Rewritten with the ward's "models"
    part (rollups.states.refresh); `manage.py rollups --check` proves it."""

    ward = models.ForeignKey("areas.Ward", on_delete=models.CASCADE, related_name="+",
                             db_index=False)  # no index of its own: as Measures.ward
    unit_kind = models.CharField(max_length=20, blank=True, default=ALL_KINDS)
    # A kind in use cannot be deleted (SecurityModel.kind protects it): the
    # cascade only ever removes rows of a kind no model has.
    model_kind = models.ForeignKey("models_registry.ModelKind", on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField(_("Năm"))
    models_active_change = models.IntegerField(default=0)
    models_launched = models.PositiveIntegerField(default=0)
    model_members = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = _("mô hình theo loại, năm của phường, xã")
        verbose_name_plural = _("mô hình theo loại, năm của phường, xã")
        constraints = [
            # Also the index the figures read (a ward set, a unit kind, the years
            # up to one), the values with it: read from the index alone.
            models.UniqueConstraint(fields=["ward", "unit_kind", "year", "model_kind"],
                                    name="wardyearmodelkind_by_ward", include=list(MODEL_KIND_MEASURES)),
        ]

    def __str__(self):
        return f"{self.ward_id} {self.year} {self.unit_kind or '*'} {self.model_kind_id}"

    def values(self):
        return {name: getattr(self, name) for name in MODEL_KIND_MEASURES}
