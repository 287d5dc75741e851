"""Change history (django-simple-history) shaped for detail pages: who, when, and
each changed field as a reader would say it (labels, not ids)."""
import bisect
import datetime
from collections import defaultdict
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords
from simple_history.utils import get_m2m_field_name, get_m2m_reverse_field_name

from core.numbers import format_number

# "Sửa" and "Xóa" are also the Edit and Delete buttons; in the history they say
# what happened to the record.
HISTORY_TYPES = {"+": pgettext_lazy("history action", "Tạo mới"), "~": pgettext_lazy("history action", "Sửa"),
                 "-": pgettext_lazy("history action", "Xóa")}
SKIPPED_FIELDS = ("id", "created_at", "updated_at", "name_key", "search_text")


@dataclass
class Change:
    field: str
    old: str
    new: str


@dataclass
class HistoryEntry:
    when: object
    user: object
    action: str
    changes: list = field(default_factory=list)
    reason: str = ""  # why, when the change says (simple_history's change reason)


@dataclass(frozen=True)
class Part:
    """Records of another model that belong to the one whose history is shown (a
    model's attachments): each one added or removed is listed in the entry of the
    save that did it. records: a queryset of their history (Attachment.history
    filtered on the model)."""
    label: str
    records: object


# A save writes its parts' records first and its own entry last
# (one_history_entry), so a part's record goes with the first entry written after
# it, by the same user, moments later. The window leaves out the parts of saves
# made before one_history_entry existed, written after their entry: unmatched,
# they stay off the page, as they always were.
PART_WINDOW = datetime.timedelta(seconds=30)


def _plain(value, model_field, labels):
    if value is None or value == "" or value == []:
        return ""
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if isinstance(model_field, models.ForeignKey):
        return labels.get(model_field.name, {}).get(value, f"#{value}")
    if isinstance(value, bool):
        return str(_("Có") if value else _("Không"))
    if isinstance(value, datetime.datetime):
        return formats.date_format(timezone.localtime(value), "SHORT_DATETIME_FORMAT")
    if isinstance(value, datetime.date):
        return formats.date_format(value, "SHORT_DATE_FORMAT")
    if isinstance(value, (list, tuple)):
        return "; ".join(str(v) for v in value)
    if isinstance(value, int):
        # A plan's year is a name, not a quantity: 2020, never 2.020.
        return str(value) if model_field.name == "year" else format_number(value)
    return str(value)


def _fk_labels(records, fk_fields, obj):
    """{field name: {id: label}} for the foreign keys the records mention: one
    query per model they point to (a model's creator and verifier are both
    users: one query), whatever the number of records, and none for what the
    page has already read with obj (a session's ward and unit, as its history
    names them unless they changed)."""
    names = defaultdict(dict)
    for fk in fk_fields:
        try:
            field = obj._meta.get_field(fk.name)
        except FieldDoesNotExist:
            continue
        related = getattr(obj, fk.name) if field.is_relation and field.is_cached(obj) else None
        if related is not None:
            names[fk.related_model][related.pk] = str(related)
    ids_by_model = defaultdict(set)
    for fk in fk_fields:
        ids_by_model[fk.related_model] |= {getattr(r, fk.attname) for r in records} - {None}
    for model, ids in ids_by_model.items():
        missing = ids - names[model].keys()
        if missing:
            names[model].update((pk, str(found)) for pk, found in model._default_manager.in_bulk(missing).items())
    return {fk.name: names[fk.related_model] for fk in fk_fields if fk.related_model in names}


def _deleted_labels(model, ids):
    """{id: label} of deleted objects, from their own history when they keep one
    (a deleted host unit is still named in its models' older snapshots)."""
    if not ids or not hasattr(model, "history"):
        return {}
    return {record.id: str(record.instance)
            for record in model.history.filter(id__in=ids).order_by("history_date", "history_id")}


def _m2m_snapshots(history_model, records):
    """{field: {history_id: sorted labels}}: one query per many-to-many field (and
    one more when a linked object has since been deleted)."""
    snapshots = {}
    ids = [r.history_id for r in records]
    for m2m_field in getattr(history_model, "_history_m2m_fields", []):
        m2m_model = HistoricalRecords.m2m_models[m2m_field]
        target = get_m2m_reverse_field_name(m2m_field)
        target_id = m2m_model._meta.get_field(target).attname
        rows = list(m2m_model.objects.filter(history_id__in=ids).select_related(target))
        gone = _deleted_labels(m2m_field.related_model,
                               {getattr(row, target_id) for row in rows if getattr(row, target) is None})
        per_record = {history_id: [] for history_id in ids}
        for row in rows:
            linked = getattr(row, target)
            per_record[row.history_id].append(
                str(linked) if linked is not None else gone.get(getattr(row, target_id), f"#{getattr(row, target_id)}"))
        snapshots[m2m_field] = {k: sorted(v) for k, v in per_record.items()}
    return snapshots


def _part_changes(records, limit, parts):
    """{history_id of a shown record: [Change]} of the parts each save added or
    removed: one query per part."""
    shown = sorted(records[:limit], key=lambda r: (r.history_date, r.history_id))
    dates = [r.history_date for r in shown]
    baseline = records[limit] if len(records) > limit else None
    result = {}
    for part in parts:
        rows = part.records.filter(history_type__in=("+", "-")).order_by("history_date", "history_id")
        if baseline is not None:
            rows = rows.filter(history_date__gt=baseline.history_date)
        found = {}
        for row in rows:
            at = bisect.bisect_left(dates, row.history_date)
            if at == len(shown):
                continue
            owner = shown[at]
            if owner.history_user_id != row.history_user_id or owner.history_date - row.history_date > PART_WINDOW:
                continue
            removed, added = found.setdefault(owner.history_id, ([], []))
            (added if row.history_type == "+" else removed).append(str(row.instance))
        for history_id, (removed, added) in found.items():
            changes = result.setdefault(history_id, [])
            if added:
                changes.append(Change(str(part.label), "", "; ".join(added)))
            if removed:
                changes.append(Change(str(part.label), "; ".join(removed), ""))
    return result


def history_entries(obj, limit=20, parts=()):
    """The latest changes of obj, newest first, each with the fields it changed
    and the parts (Part) it added or removed.

    A constant number of queries whatever the history's length: the limit+1
    latest records (the extra one is the baseline of the oldest shown change)
    with their users, at most one per model the foreign keys point to (none for
    what obj was read with: _fk_labels), one per many-to-many field and one per
    part."""
    history_model = obj.history.model
    records = list(obj.history.select_related("history_user").order_by("-history_date", "-history_id")[: limit + 1])
    tracked = [f for f in history_model.tracked_fields if f.name not in SKIPPED_FIELDS]
    labels = _fk_labels(records, [f for f in tracked if isinstance(f, models.ForeignKey)], obj)
    m2m = _m2m_snapshots(history_model, records)
    part_changes = _part_changes(records, limit, parts) if parts else {}

    def values(record):
        result = {str(f.verbose_name): _plain(getattr(record, f.attname), f, labels) for f in tracked}
        for m2m_field, snapshot in m2m.items():
            result[str(m2m_field.verbose_name)] = "; ".join(snapshot[record.history_id])
        return result

    entries = []
    for index, record in enumerate(records[:limit]):
        previous = records[index + 1] if index + 1 < len(records) else None
        now = values(record)
        if record.history_type == "~" and previous is not None:
            before = values(previous)
            changes = [Change(name, before[name], value) for name, value in now.items() if before[name] != value]
            changes += part_changes.get(record.history_id, [])
            if not changes:
                continue  # a save that changed nothing a reader can see
        elif record.history_type == "+":
            changes = [Change(name, "", value) for name, value in now.items() if value]
            changes += part_changes.get(record.history_id, [])
        else:
            changes = []
        entries.append(HistoryEntry(record.history_date, record.history_user, HISTORY_TYPES[record.history_type],
                                    changes, record.history_change_reason or ""))
    return entries


def save_with_history(instance, user):
    """Save, naming the acting user in the change history.

    simple_history reads the user from the request in views (its middleware); in
    commands and tasks there is no request, so services pass it explicitly."""
    if user is not None:
        instance._history_user = user
    instance.save()
    return instance


@contextmanager
def one_history_entry(instance, user=None, reason=None):
    """Everything the block does to instance (saving it, setting its many-to-many
    fields) goes into its history as one entry, written as the block ends, with
    the values it ends with.

    simple_history writes a record on each save and on each many-to-many add,
    remove or clear, so one save of a form with two many-to-many fields read as
    three changes (issue #15). Its switch skip_history_when_saving silences those
    records; this writes the one they would have ended with. A block that raises
    writes nothing. user: as save_with_history (None: the request's, through
    simple_history's middleware); reason: why, shown with the entry. The
    records of other objects the block saves (an attachment, a status change) are
    written as usual."""
    history_type = "+" if instance._state.adding else "~"
    instance.skip_history_when_saving = True
    try:
        yield instance
    finally:
        del instance.skip_history_when_saving
    _write_record(instance, history_type, user, reason)


def _write_record(instance, history_type, user, reason):
    """The record simple_history's signals write (its fields, then a snapshot of
    each many-to-many field), without its pre/post_create_historical_record
    signals, which nothing here listens to."""
    history_model = type(instance).history.model
    record = history_model(
        history_date=getattr(instance, "_history_date", timezone.now()),
        history_type=history_type,
        history_user=user if user is not None else history_model.get_default_history_user(instance),
        history_change_reason=str(reason) if reason else None,
        **{f.attname: getattr(instance, f.attname) for f in history_model.tracked_fields},
    )
    record.save()
    for m2m_field in history_model._history_m2m_fields:
        m2m_model = HistoricalRecords.m2m_models[m2m_field]
        through = m2m_field.remote_field.through
        links = through.objects.filter(**{get_m2m_field_name(m2m_field): instance})
        m2m_model.objects.bulk_create([
            m2m_model(history=record, **{f.attname: getattr(link, f.attname) for f in through._meta.fields})
            for link in links])
    return record
