"""WardYearState, counted for the records already stored so the figures read from
it are right from the first request after the upgrade. The count is written here
against the historical models (not rollups.states), as 0002 does, so it runs the
same in any later version; `manage.py rollups --check` proves the result."""
import datetime
from collections import defaultdict

import django.db.models.deletion
from django.db import migrations, models
from django.db.models import Count, Q
from django.db.models.functions import ExtractYear

FIRST_STATE_YEAR = 2015  # movement.rules.FIRST_YEAR when this was written
MEASURES = ("active_units_change", "models_active_change", "units_with_plan")


def _count(apps, ward_ids):
    Unit = apps.get_model("movement", "Unit")
    UnitMove = apps.get_model("movement", "UnitMove")
    UnitPlan = apps.get_model("movement", "UnitPlan")
    SecurityModel = apps.get_model("models_registry", "SecurityModel")
    StatusChange = apps.get_model("models_registry", "StatusChange")
    rows = defaultdict(lambda: dict.fromkeys(MEASURES, 0))
    wanted = set(ward_ids)

    def add(ward_id, kinds, year, measure, n):
        if ward_id in wanted:
            for kind in kinds:
                rows[(ward_id, kind, max(year, FIRST_STATE_YEAR))][measure] += n

    moved = UnitMove.objects.filter(Q(from_ward_id__in=ward_ids) | Q(to_ward_id__in=ward_ids)).values("unit_id")
    units = list(Unit.objects.filter(Q(ward_id__in=ward_ids) | Q(pk__in=moved)).order_by()
                 .values_list("pk", "ward_id", "kind", "started_on", "closed_on"))
    moves = defaultdict(list)
    for unit_id, moved_on, from_ward in (UnitMove.objects.filter(unit_id__in=[u[0] for u in units])
                                         .order_by("unit_id", "moved_on", "pk")
                                         .values_list("unit_id", "moved_on", "from_ward_id")):
        moves[unit_id].append((moved_on, from_ward))
    for pk, ward_id, kind, started_on, closed_on in units:
        first, last = max(started_on.year, FIRST_STATE_YEAR), closed_on.year if closed_on else None
        if last is not None and last < first:
            continue
        own = moves.get(pk, ())

        def ward_in(year):
            return next((w for day, w in own if day > datetime.date(year, 12, 31)), ward_id)

        current = ward_in(first)
        add(current, ("", kind), first, "active_units_change", 1)
        for year in sorted({d.year for d, _w in own if d.year > first and (last is None or d.year <= last)}):
            ward = ward_in(year)
            if ward != current:
                add(current, ("", kind), year, "active_units_change", -1)
                add(ward, ("", kind), year, "active_units_change", 1)
                current = ward
        if last is not None:
            add(current, ("", kind), last + 1, "active_units_change", -1)

    kinds = defaultdict(set)
    for model_id, kind in (SecurityModel.units.through.objects.filter(securitymodel__ward_id__in=ward_ids)
                           .order_by().values_list("securitymodel_id", "unit__kind").distinct()):
        kinds[model_id].add(kind)
    changes = defaultdict(list)
    for model_id, status, changed_on in StatusChange.objects.filter(model__ward_id__in=ward_ids).order_by(
            "model_id", "changed_on", "pk").values_list("model_id", "status", "changed_on"):
        changes[model_id].append((changed_on, status))
    for pk, ward_id, launched_on in SecurityModel.objects.filter(ward_id__in=ward_ids).order_by().values_list(
            "pk", "ward_id", "launched_on"):
        own = changes.get(pk, ())
        first = max(launched_on.year, FIRST_STATE_YEAR)

        def active_in(year):
            status = None
            for day, value in own:
                if day > datetime.date(year, 12, 31):
                    break
                status = value
            return status != "dissolved"

        active = active_in(first)
        if active:
            add(ward_id, ("", *kinds.get(pk, ())), first, "models_active_change", 1)
        for year in sorted({d.year for d, _s in own if d.year > first}):
            now = active_in(year)
            if now != active:
                add(ward_id, ("", *kinds.get(pk, ())), year, "models_active_change", 1 if now else -1)
                active = now

    for ward_id, kind, year, n in (UnitPlan.objects.filter(ward_id__in=ward_ids,
                                                           issued_on__gte=datetime.date(FIRST_STATE_YEAR, 1, 1))
                                   .order_by().values_list("ward_id", "unit__kind", ExtractYear("issued_on"))
                                   .annotate(n=Count("unit_id", distinct=True))):
        add(ward_id, ("", kind), year, "units_with_plan", n)
    return rows


def count(apps, schema_editor):
    WardYearState = apps.get_model("rollups", "WardYearState")
    Ward = apps.get_model("areas", "Ward")
    ward_ids = list(Ward.objects.order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(ward_ids), 200):
        rows = _count(apps, ward_ids[start:start + 200])
        WardYearState.objects.bulk_create([WardYearState(ward_id=w, unit_kind=k, year=y, **v)
                                           for (w, k, y), v in sorted(rows.items()) if any(v.values())],
                                          batch_size=5000)


class Migration(migrations.Migration):

    dependencies = [
        ('areas', '0004_areas_report_any_level'),
        ('rollups', '0003_wardyear_by_ward'),
        ('movement', '0009_import_job_any_area'),
        ('models_registry', '0007_status_dissolutions'),
    ]

    operations = [
        migrations.CreateModel(
            name='WardYearState',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('unit_kind', models.CharField(blank=True, default='', max_length=20)),
                ('year', models.PositiveSmallIntegerField(verbose_name='Năm')),
                ('active_units_change', models.IntegerField(default=0)),
                ('models_active_change', models.IntegerField(default=0)),
                ('units_with_plan', models.PositiveIntegerField(default=0)),
                ('ward', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='areas.ward')),
            ],
            options={
                'verbose_name': 'trạng thái năm của phường, xã',
                'verbose_name_plural': 'trạng thái năm của phường, xã',
                'constraints': [models.UniqueConstraint(fields=('ward', 'unit_kind', 'year'), name='wardyearstate_by_ward')],
            },
        ),
        migrations.RunPython(count, migrations.RunPython.noop),
    ]
