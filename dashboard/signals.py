"""Dropping cached dashboards when the data behind them changes.

Why signals, where the house style keeps rules out of them: invalidating a cache is
not a business rule but a consequence of every write, whichever service, admin
page, shell or demo seeder made it; and the apps that write (movement,
models_registry) must not know the dashboard exists, since the arrows point from
the dashboard to them. The tokens are replaced once the transaction commits:
replaced earlier, a request could recompute from the rows as they were and cache
the old figures under the new token."""
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver

from areas.models import District, Province, Ward
from dashboard.cache import AREAS, CATALOGUE, EVERYTHING, district_token, province_token, replace_tokens, ward_token
from models_registry.models import ModelKind, SecurityModel, StatusChange
from movement.models import Commendation, CommitmentSigning, ImportJob, PropagandaSession, Unit, UnitPlan

WARD_RECORDS = (PropagandaSession, CommitmentSigning, UnitPlan, Commendation, SecurityModel, Unit)


def wards_changed(ward_ids):
    """Invalidate the dashboards of these wards, of their districts and provinces,
    and of everything."""
    ward_ids = {w for w in ward_ids if w}
    if not ward_ids:
        return
    # A merged ward's records are also its successors' (Hồng Sơn's are Vinh
    # Tân's, then Trường Vinh's): their dashboards fold them in.
    rows = Ward.objects.filter(pk__in=ward_ids).values_list(
        "district_id", "province_id", "successor_id", "successor__district_id", "successor__province_id",
        "successor__successor_id", "successor__successor__district_id", "successor__successor__province_id")
    districts, provinces = set(), set()
    for district_id, province_id, successor, s_district, s_province, second, second_district, second_province in rows:
        districts.update({district_id, s_district, second_district} - {None})
        provinces.update({province_id, s_province, second_province} - {None})
        ward_ids.update({successor, second} - {None})
    replace_tokens([*map(ward_token, ward_ids), *map(district_token, districts), *map(province_token, provinces),
                    EVERYTHING])


def _on_commit(ward_ids):
    ward_ids = set(ward_ids)
    transaction.on_commit(lambda: wards_changed(ward_ids))


def _ward_record_changed(sender, instance, **kwargs):
    _on_commit([instance.ward_id])


for _model in WARD_RECORDS:
    post_save.connect(_ward_record_changed, sender=_model, dispatch_uid=f"dashboard-{_model.__name__}-save")
    post_delete.connect(_ward_record_changed, sender=_model, dispatch_uid=f"dashboard-{_model.__name__}-delete")


@receiver([post_save, post_delete], sender=StatusChange, dispatch_uid="dashboard-statuschange")
def _status_changed(sender, instance, **kwargs):
    # "Active at year end" follows the status history.
    _on_commit(SecurityModel.objects.filter(pk=instance.model_id).values_list("ward_id", flat=True))


@receiver(m2m_changed, sender=SecurityModel.units.through, dispatch_uid="dashboard-model-units")
def _host_units_changed(sender, instance, pk_set, **kwargs):
    # Filtered by unit kind, a model counts through its host units.
    if kwargs["action"] in ("post_add", "post_remove", "post_clear"):
        _on_commit([instance.ward_id])


@receiver([post_save, post_delete], sender=Ward, dispatch_uid="dashboard-ward")
def _ward_changed(sender, instance, **kwargs):
    # Names and validity years decide which rows a table lists.
    district_id, province_id = instance.district_id, instance.province_id
    transaction.on_commit(lambda: replace_tokens([ward_token(instance.pk), district_token(district_id),
                                                  province_token(province_id), EVERYTHING, AREAS]))


@receiver([post_save, post_delete], sender=District, dispatch_uid="dashboard-district")
@receiver([post_save, post_delete], sender=Province, dispatch_uid="dashboard-province")
def _area_named(sender, **kwargs):
    transaction.on_commit(lambda: replace_tokens([CATALOGUE, AREAS]))


@receiver([post_save, post_delete], sender=ModelKind, dispatch_uid="dashboard-modelkind")
def _catalogue_changed(sender, **kwargs):
    transaction.on_commit(lambda: replace_tokens([CATALOGUE]))


@receiver(post_save, sender=ImportJob, dispatch_uid="dashboard-import")
def _workbook_imported(sender, instance, **kwargs):
    # The import writes with bulk_create, which sends no signal per record; the
    # job turning "done" stands for all of them.
    if instance.status == ImportJob.Status.DONE:
        district_id = instance.district_id
        transaction.on_commit(lambda: wards_changed(Ward.objects.filter(district_id=district_id)
                                                    .values_list("pk", flat=True)))
