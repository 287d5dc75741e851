"""WardYearModelKind, counted for the models already stored so the table of
model kinds read from it is right from the first request after the upgrade.
Counted here against the historical models (not rollups.states), as 0004 does,
so it runs the same in any later version; `manage.py rollups --check` proves
the result."""
import datetime
from collections import defaultdict

import django.db.models.deletion
from django.db import migrations, models

FIRST_STATE_YEAR = 2015  # movement.rules.FIRST_YEAR when this was written
MEASURES = ("models_active_change", "models_launched", "model_members")


def _count(apps, ward_ids):
    SecurityModel = apps.get_model("models_registry", "SecurityModel")
    StatusChange = apps.get_model("models_registry", "StatusChange")
    rows = defaultdict(lambda: dict.fromkeys(MEASURES, 0))
    kinds = defaultdict(set)
    for model_id, kind in (SecurityModel.units.through.objects.filter(securitymodel__ward_id__in=ward_ids)
                           .order_by().values_list("securitymodel_id", "unit__kind").distinct()):
        kinds[model_id].add(kind)
    changes = defaultdict(list)
    for model_id, status, changed_on in StatusChange.objects.filter(model__ward_id__in=ward_ids).order_by(
            "model_id", "changed_on", "pk").values_list("model_id", "status", "changed_on"):
        changes[model_id].append((changed_on, status))
    for pk, ward_id, launched_on, model_kind, members in (
            SecurityModel.objects.filter(ward_id__in=ward_ids).order_by()
            .values_list("pk", "ward_id", "launched_on", "kind_id", "members")):
        own = changes.get(pk, ())
        unit_kinds = ("", *kinds.get(pk, ()))
        first = max(launched_on.year, FIRST_STATE_YEAR)

        def active_in(year):
            status = None
            for day, value in own:
                if day > datetime.date(year, 12, 31):
                    break
                status = value
            return status != "dissolved"

        def add(year, measure, n):
            for unit_kind in unit_kinds:
                rows[(ward_id, unit_kind, model_kind, year)][measure] += n

        if launched_on.year >= FIRST_STATE_YEAR:
            add(launched_on.year, "models_launched", 1)
            add(launched_on.year, "model_members", members)
        active = active_in(first)
        if active:
            add(first, "models_active_change", 1)
        for year in sorted({d.year for d, _s in own if d.year > first}):
            now = active_in(year)
            if now != active:
                add(year, "models_active_change", 1 if now else -1)
                active = now
    return rows


def count(apps, schema_editor):
    WardYearModelKind = apps.get_model("rollups", "WardYearModelKind")
    Ward = apps.get_model("areas", "Ward")
    ward_ids = list(Ward.objects.order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(ward_ids), 200):
        rows = _count(apps, ward_ids[start:start + 200])
        WardYearModelKind.objects.bulk_create(
            [WardYearModelKind(ward_id=w, unit_kind=k, model_kind_id=m, year=y, **v)
             for (w, k, m, y), v in sorted(rows.items()) if any(v.values())], batch_size=5000)


class Migration(migrations.Migration):

    dependencies = [
        ('areas', '0004_areas_report_any_level'),
        ('models_registry', '0007_status_dissolutions'),
        ('rollups', '0004_year_states'),
    ]

    operations = [
        migrations.CreateModel(
            name='WardYearModelKind',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('unit_kind', models.CharField(blank=True, default='', max_length=20)),
                ('year', models.PositiveSmallIntegerField(verbose_name='Năm')),
                ('models_active_change', models.IntegerField(default=0)),
                ('models_launched', models.PositiveIntegerField(default=0)),
                ('model_members', models.BigIntegerField(default=0)),
                ('model_kind', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='models_registry.modelkind')),
                ('ward', models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='areas.ward')),
            ],
            options={
                'verbose_name': 'mô hình theo loại, năm của phường, xã',
                'verbose_name_plural': 'mô hình theo loại, năm của phường, xã',
                'constraints': [models.UniqueConstraint(fields=('ward', 'unit_kind', 'year', 'model_kind'), include=('models_active_change', 'models_launched', 'model_members'), name='wardyearmodelkind_by_ward')],
            },
        ),
        migrations.RunPython(count, migrations.RunPython.noop),
    ]
