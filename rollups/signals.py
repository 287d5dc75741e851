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

from models_registry.models import SecurityModel, StatusChange
from movement.models import Unit, UnitMove, UnitPlan
from movement.signals import records_written
from rollups import services, states

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
        states.refresh({instance.ward_id}, parts=["models"])
    else:  # unit.securitymodel_set.add(...): instance is the unit
        models = SecurityModel.objects.filter(pk__in=pk_set or ())
        launches = list(models.values_list("ward_id", "launched_on"))
        services.refresh({services.key_of(w, d) for w, d in launches}, sources=[SecurityModel])
        states.refresh({w for w, _d in launches}, parts=["models"])


# What of a unit its state rows depend on: where it is, its kind, its life.
_UNIT_STATE = ("ward_id", "kind", "started_on", "closed_on")


@receiver(pre_save, sender=Unit, dispatch_uid="rollups-unit-kind-before")
def _unit_kind_before(sender, instance, raw=False, **kwargs):
    if raw or instance._state.adding or instance.pk is None:
        return
    instance._rollup_before = Unit.objects.filter(pk=instance.pk).values(*_UNIT_STATE).first()


@receiver(post_save, sender=Unit, dispatch_uid="rollups-unit-kind")
def _unit_kind_changed(sender, instance, created, raw=False, **kwargs):
    if raw:
        return
    if created:
        states.refresh({instance.ward_id}, parts=["units"])
        return
    before = getattr(instance, "_rollup_before", None)
    if before is None:
        return
    if before["kind"] != instance.kind:
        # Its records now count under another kind; the records stay where they are.
        services.refresh(services.unit_keys(instance.pk))
        for part, wards in states.unit_record_wards(instance.pk).items():
            states.refresh(wards, parts=[part])
    if any(before[name] != getattr(instance, name) for name in _UNIT_STATE):
        # A unit moved, closed, reopened or changed kind: every year it is counted in changes.
        states.refresh(states.unit_wards(instance.pk) | {before["ward_id"]}, parts=["units"])


@receiver(pre_delete, sender=Unit, dispatch_uid="rollups-unit-delete-before")
def _unit_deleting(sender, instance, **kwargs):
    # Deleting a unit drops its host links without an m2m signal.
    instance._rollup_keys = services.unit_keys(instance.pk)
    instance._rollup_wards = states.unit_wards(instance.pk)
    instance._rollup_model_wards = states.unit_record_wards(instance.pk)["models"]


@receiver(post_delete, sender=Unit, dispatch_uid="rollups-unit-delete")
def _unit_deleted(sender, instance, **kwargs):
    services.refresh(getattr(instance, "_rollup_keys", ()))
    states.refresh(getattr(instance, "_rollup_wards", ()), parts=["units"])
    states.refresh(getattr(instance, "_rollup_model_wards", ()), parts=["models"])


# The state rows' other sources: a unit's moves, a plan, a model's launch and its
# status changes. An edit recounts the ward it left as well as the one it is in.
_WARD_BEFORE = "_rollup_wards_before"
_WARD_FIELDS = {UnitMove: ("from_ward_id", "to_ward_id"), UnitPlan: ("ward_id",), SecurityModel: ("ward_id",)}
_PART = {UnitMove: "units", UnitPlan: "plans", SecurityModel: "models"}


def _wards_of(sender, instance):
    wards = {getattr(instance, name) for name in _WARD_FIELDS[sender]}
    if sender is UnitMove:
        # The unit's ward today places it in the years after its last move.
        wards.update(Unit.objects.filter(pk=instance.unit_id).values_list("ward_id", flat=True))
    return wards


def _remember_wards(sender, instance, raw=False, **kwargs):
    if raw or instance._state.adding or instance.pk is None:
        return
    before = sender.objects.filter(pk=instance.pk).values_list(*_WARD_FIELDS[sender]).first()
    setattr(instance, _WARD_BEFORE, set(before or ()))


def _recount_states(sender, instance, raw=False, **kwargs):
    if raw:
        return
    wards = _wards_of(sender, instance) | getattr(instance, _WARD_BEFORE, set())
    states.refresh(wards, parts=[_PART[sender]])


for _model in _WARD_FIELDS:
    uid = f"rollups-state-{_model.__name__}"
    pre_save.connect(_remember_wards, sender=_model, dispatch_uid=f"{uid}-pre")
    post_save.connect(_recount_states, sender=_model, dispatch_uid=f"{uid}-save")
    post_delete.connect(_recount_states, sender=_model, dispatch_uid=f"{uid}-delete")


@receiver([post_save, post_delete], sender=StatusChange, dispatch_uid="rollups-state-statuschange")
def _status_changed(sender, instance, raw=False, **kwargs):
    # Deleting a model deletes its changes first: its ward is then recounted by
    # the model's own signal.
    if not raw:
        states.refresh(set(SecurityModel.objects.filter(pk=instance.model_id).values_list("ward_id", flat=True)),
                       parts=["models"])


@receiver(records_written, dispatch_uid="rollups-records-written")
def _records_written(sender, ids, **kwargs):
    services.refresh(services.record_keys(sender, ids), sources=[sender])
    part = {Unit: "units", UnitPlan: "plans", SecurityModel: "models"}.get(sender)
    if part:
        ids = list(ids)
        wards = set()
        for start in range(0, len(ids), 5000):
            wards.update(sender.objects.filter(pk__in=ids[start:start + 5000]).order_by()
                         .values_list("ward_id", flat=True).distinct())
        states.refresh(wards, parts=[part])
