"""Change history (django-simple-history) shaped for detail pages."""
from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

HISTORY_TYPES = {"+": _("Tạo mới"), "~": _("Sửa"), "-": _("Xóa")}


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


def _display(record, model_field):
    value = getattr(record, model_field.attname)
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return str(_("Có") if value else _("Không"))
    return str(value)


def history_entries(obj, limit=20, skip_fields=("id", "created_at", "updated_at")):
    """The latest changes of obj, newest first, each with the fields it changed.

    Two queries whatever the history's length: one for limit+1 records (the extra
    one is the baseline of the oldest shown change), users joined in."""
    records = list(obj.history.select_related("history_user").order_by("-history_date", "-history_id")[: limit + 1])
    model_fields = [f for f in obj.history.model.tracked_fields if f.name not in skip_fields]
    entries = []
    for index, record in enumerate(records[:limit]):
        previous = records[index + 1] if index + 1 < len(records) else None
        changes = []
        if record.history_type == "~" and previous is not None:
            for f in model_fields:
                if getattr(record, f.attname) != getattr(previous, f.attname):
                    changes.append(Change(str(f.verbose_name), _display(previous, f), _display(record, f)))
        elif record.history_type == "+":
            changes = [Change(str(f.verbose_name), "", _display(record, f)) for f in model_fields
                       if getattr(record, f.attname) not in (None, "")]
        entries.append(HistoryEntry(record.history_date, record.history_user, HISTORY_TYPES[record.history_type], changes))
    return entries
