"""Every write that changes a rolled-up figure recounts its months.

Why signals, where the house style keeps rules out of them: the rollups are a
consequence of every write, whichever service, admin page, shell, import or demo
seeder made it, and the apps that write (movement, models_registry) sit below this
one and must not know it exists. Unlike the dashboard's cache (dropped once the
transaction commits), the recount runs inside the writing transaction: a record
and its rollup commit or roll back together.

What sends no signal (bulk_create, COPY, QuerySet.update) says so itself:
movement.signals.records_written, sent by the workbook import; the demo seeders
rebuild the rollups at the end."""
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete, pre_save
from django.dispatch import receiver

from models_registry.models import SecurityModel
from movement.models import Unit
from movement.signals import records_written
from rollups import services

# The (ward, month) a record counted in before this save: an edit that moves a
# session to another ward or another year recounts where it was, too.
_BEFORE = "_rollup_key_before"


def _remember_key(sender, instance, raw=False, **kwargs):
    if raw or instance._state.adding or instance.pk is None:
        return
    field = services.DATE_FIELD[sender]
    before = sender.objects.filter(pk=instance.pk).values_list("ward_id", field).first()
    setattr(instance, _BEFORE, services.key_of(*before) if before else None)


def _recount(sender, instance, raw=False, **kwargs):
    if raw:
        return
    keys = {services.key_of(instance.ward_id, getattr(instance, services.DATE_FIELD[sender]))}
    before = getattr(instance, _BEFORE, None)
    if before:
        keys.add(before)
    services.refresh(keys, sources=[sender])


for _model in services.ROLLED_MODELS:
    uid = f"rollups-{_model.__name__}"
    pre_save.connect(_remember_key, sender=_model, dispatch_uid=f"{uid}-pre")
    post_save.connect(_recount, sender=_model, dispatch_uid=f"{uid}-save")
    post_delete.connect(_recount, sender=_model, dispatch_uid=f"{uid}-delete")


@receiver(m2m_changed, sender=SecurityModel.units.through, dispatch_uid="rollups-model-units")
def _host_units_changed(sender, instance, action, reverse, pk_set, **kwargs):
    # A model counts under the kinds of its host units.
    if action == "pre_clear" and reverse:
        # unit.securitymodel_set.clear() names no models afterwards: note them now.
        instance._rollup_models = list(SecurityModel.objects.filter(units=instance).values_list("pk", flat=True))
        return
    if action not in ("post_add", "post_remove", "post_clear"):
        return
    if action == "post_clear" and reverse:
        pk_set = getattr(instance, "_rollup_models", ())
    if not reverse:
        services.refresh({services.key_of(instance.ward_id, instance.launched_on)}, sources=[SecurityModel])
    else:  # unit.securitymodel_set.add(...): instance is the unit
        models = SecurityModel.objects.filter(pk__in=pk_set or ())
        services.refresh({services.key_of(w, d) for w, d in models.values_list("ward_id", "launched_on")},
                         sources=[SecurityModel])


@receiver(pre_save, sender=Unit, dispatch_uid="rollups-unit-kind-before")
def _unit_kind_before(sender, instance, raw=False, **kwargs):
    if raw or instance._state.adding or instance.pk is None:
        return
    instance._rollup_kind_before = Unit.objects.filter(pk=instance.pk).values_list("kind", flat=True).first()


@receiver(post_save, sender=Unit, dispatch_uid="rollups-unit-kind")
def _unit_kind_changed(sender, instance, created, raw=False, **kwargs):
    # Its records now count under another kind; the records stay where they are.
    before = getattr(instance, "_rollup_kind_before", None)
    if not raw and not created and before is not None and before != instance.kind:
        services.refresh(services.unit_keys(instance.pk))


@receiver(pre_delete, sender=Unit, dispatch_uid="rollups-unit-delete-before")
def _unit_deleting(sender, instance, **kwargs):
    # Deleting a unit drops its host links without an m2m signal.
    instance._rollup_keys = services.unit_keys(instance.pk)


@receiver(post_delete, sender=Unit, dispatch_uid="rollups-unit-delete")
def _unit_deleted(sender, instance, **kwargs):
    services.refresh(getattr(instance, "_rollup_keys", ()))


@receiver(records_written, dispatch_uid="rollups-records-written")
def _records_written(sender, ids, **kwargs):
    services.refresh(services.record_keys(sender, ids), sources=[sender])
