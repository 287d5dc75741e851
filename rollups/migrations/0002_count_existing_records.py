"""Count the rollups of the records already stored, so the figures read from
them are right from the first request after the upgrade. Written against the
historical models (not rollups.services) so it runs the same in any later
version; `manage.py rollups --check` proves the result."""
import datetime
from collections import defaultdict

from django.db import migrations
from django.db.models import Count, Sum
from django.db.models.functions import TruncMonth

MEASURES = ("sessions", "attendances", "signings", "signatories", "plans", "commendations",
            "models_launched", "models_launched_verified", "model_members")
SOURCES = (
    ("movement", "PropagandaSession", "held_on", {"sessions": Count("pk"), "attendances": Sum("attendance")}),
    ("movement", "CommitmentSigning", "signed_on", {"signings": Count("pk"), "signatories": Sum("signatories")}),
    ("movement", "UnitPlan", "issued_on", {"plans": Count("pk")}),
    ("movement", "Commendation", "awarded_on", {"commendations": Count("pk")}),
)


def _date(value):
    return value.date() if isinstance(value, datetime.datetime) else value


def count(apps, schema_editor):
    WardMonth = apps.get_model("rollups", "WardMonth")
    WardYear = apps.get_model("rollups", "WardYear")
    Ward = apps.get_model("areas", "Ward")
    SecurityModel = apps.get_model("models_registry", "SecurityModel")
    Link = SecurityModel.units.through
    ward_ids = list(Ward.objects.order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(ward_ids), 200):
        batch = ward_ids[start:start + 200]
        rows = defaultdict(lambda: dict.fromkeys(MEASURES, 0))
        for app, name, field, measures in SOURCES:
            model = apps.get_model(app, name)
            for row in (model.objects.filter(ward_id__in=batch).order_by()
                        .values("ward_id", "unit__kind", month=TruncMonth(field))
                        .annotate(**{f"m_{k}": v for k, v in measures.items()})):
                for kind in ("", row["unit__kind"]) if row["unit__kind"] else ("",):
                    target = rows[(row["ward_id"], _date(row["month"]), kind)]
                    for k in measures:
                        target[k] += row[f"m_{k}"] or 0
        models = SecurityModel.objects.filter(ward_id__in=batch)
        kinds = defaultdict(set)
        for model_id, kind in (Link.objects.filter(securitymodel__ward_id__in=batch).order_by()
                               .values_list("securitymodel_id", "unit__kind").distinct()):
            kinds[model_id].add(kind)
        for pk, ward_id, launched_on, members, verification in models.values_list(
                "pk", "ward_id", "launched_on", "members", "verification"):
            for kind in ("", *kinds.get(pk, ())):
                target = rows[(ward_id, launched_on.replace(day=1), kind)]
                target["models_launched"] += 1
                target["models_launched_verified"] += verification == "verified"
                target["model_members"] += members or 0
        WardMonth.objects.bulk_create([WardMonth(ward_id=w, month=m, unit_kind=k, **v)
                                       for (w, m, k), v in rows.items()], batch_size=5000)
        years = defaultdict(lambda: dict.fromkeys(MEASURES, 0))
        for (w, m, k), v in rows.items():
            target = years[(w, m.year, k)]
            for name in MEASURES:
                target[name] += v[name]
        WardYear.objects.bulk_create([WardYear(ward_id=w, year=y, unit_kind=k, **v)
                                      for (w, y, k), v in years.items()], batch_size=5000)


class Migration(migrations.Migration):

    dependencies = [
        ("rollups", "0001_initial"),
        ("movement", "0009_import_job_any_area"),
        ("models_registry", "0005_model_search_text_unbounded"),
    ]

    operations = [migrations.RunPython(count, migrations.RunPython.noop)]
