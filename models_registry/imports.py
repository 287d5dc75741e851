"""The "Mô hình" sheet of the workbook import (issue #4): model launches read from
a workbook, checked like the other sheets and written in bulk.

The import itself lives in movement (movement.imports); this app registers its
sheet there from ModelsRegistryConfig.ready(), so the dependency keeps pointing
models_registry -> movement.

A new model is what models_registry.services.model_create makes of a launch
entered by hand: self-declared (the district verifies it later), active since
its launch with the launch as its first status change, its host units set, and
history kept for the model (with its host units), the status change and the
links. The row checks are that function's rules, each reported against its
cell: members not negative, launch date real and neither in the future nor before
the registry's first year (movement.rules), host units of the model's ward, the
kind from the catalogue."""
from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from simple_history.models import HistoricalRecords

from core.text import name_key
from models_registry.models import SecurityModel, StatusChange
from models_registry.organisers import clean_organisers, organisers_problem
from models_registry.selectors import active_kinds
from movement.imports.bulk import IMPORT_BATCH_SIZE, insert_with_history
from movement.imports.sheets import WARD, SheetHandler

NAME = "Tên mô hình"
KIND = "Loại mô hình"
LAUNCHED_ON = "Ngày ra mắt"
UNITS = "Đơn vị tham gia"
MEMBERS = "Số thành viên"
ORGANISERS = "Cơ quan phối hợp"


def _organiser_keys(organisers):
    return tuple(sorted(name_key(body) for body in organisers))


class ModelSheet(SheetHandler):
    sheet = "Mô hình"
    columns = (WARD, NAME, KIND, LAUNCHED_ON, UNITS, MEMBERS, ORGANISERS)
    model = SecurityModel
    detail_url_name = "models_registry:model_detail"  # the import's list of created records links here
    order = 20  # after the units sheet, whose units it may name
    date_columns = (LAUNCHED_ON,)
    count_columns = (MEMBERS,)
    notes = (
        gettext_lazy("“Đơn vị tham gia”: tên các đơn vị của phường, xã, cách nhau bởi dấu “;”; mỗi đơn vị đã có "
                     "trên phần mềm hoặc được khai ở trang tính “Đơn vị” của cùng tệp."),
        gettext_lazy("“Cơ quan phối hợp”: các cơ quan phối hợp tổ chức lễ ra mắt, cách nhau bởi dấu “;”."),
        gettext_lazy("Cùng phường, xã, tên mô hình (không phân biệt hoa thường) và ngày ra mắt là một mô hình: "
                     "nhập lại không thêm lần nữa."),
        gettext_lazy("Mô hình được nhập ở trạng thái đang hoạt động từ ngày ra mắt, là số liệu phường tự khai "
                     "chờ Ban Chỉ đạo xác minh."),
    )

    # --- reading ---------------------------------------------------------------

    @staticmethod
    def _kinds(context):
        # The catalogue is edited by administrators: read once per import, never
        # cached for the process. New launches take active kinds, as in the form.
        return context.lookup("model_kinds", lambda: {
            name_key(label): pk for pk, label in active_kinds().values_list("pk", "label")})

    def template_choices(self):
        return {KIND: list(active_kinds().values_list("label", flat=True))}

    def read(self, reader):
        ward = reader.ward()
        pending = {
            "ward": ward,
            "name": reader.text(NAME, max_length=SecurityModel._meta.get_field("name").max_length),
            "kind_id": reader.choice(KIND, self._kinds(reader.context)),
            "launched_on": reader.date(LAUNCHED_ON),
            "units": reader.units(ward, UNITS),
            "members": reader.count(MEMBERS),
            "organisers": clean_organisers((reader.text(ORGANISERS, required=False) or "").split(";")),
        }
        # The same bound as the form's, so a long list cannot overflow the row.
        problem = organisers_problem(pending["organisers"])
        if problem:
            reader.error(ORGANISERS, problem)
        return pending if reader.ok else None

    def key(self, pending):
        # The database's model_unique_name_ward_date.
        return (pending["ward"].pk, name_key(pending["name"]), pending["launched_on"])

    def record_date(self, pending):
        return pending["launched_on"]

    def details(self, pending):
        return (pending["kind_id"], pending["members"], tuple(sorted(key for _ward, key in pending["units"])),
                _organiser_keys(pending["organisers"]))

    def existing(self, context, pendings):
        if not pendings:
            return {}
        dates = [p["launched_on"] for p in pendings]
        stored = SecurityModel.objects.filter(ward_id__in={p["ward"].pk for p in pendings},
                                              launched_on__gte=min(dates), launched_on__lte=max(dates))
        units = {}
        for model_id, unit_key in SecurityModel.units.through.objects.filter(
                securitymodel__in=stored.values("pk")).values_list("securitymodel_id", "unit__name_key"):
            units.setdefault(model_id, []).append(unit_key)
        return {
            (ward_id, key, launched_on): (kind_id, members, tuple(sorted(units.get(pk, ()))),
                                          _organiser_keys(organisers or []))
            for pk, ward_id, key, launched_on, kind_id, members, organisers in stored.values_list(
                "pk", "ward_id", "name_key", "launched_on", "kind_id", "members", "organisers")
        }

    # --- writing ---------------------------------------------------------------

    def row(self, context, pending):
        name, organisers = pending["name"], pending["organisers"]
        return {
            "name": name, "kind_id": pending["kind_id"], "ward_id": pending["ward"].pk,
            "launched_on": pending["launched_on"], "organisers": organisers, "members": pending["members"],
            "status": SecurityModel.Status.ACTIVE.value, "status_since": pending["launched_on"],
            "verification": SecurityModel.Verification.SELF_DECLARED.value,
            # A bulk insert skips save(): the keys save() would derive.
            **SecurityModel.derived_keys(name, organisers),
        }

    def write(self, context, pendings, *, user, progress):
        user_id = user.pk if user is not None else None
        ids = insert_with_history(SecurityModel, [{**self.row(context, p), "created_by_id": user_id}
                                                  for p in pendings], user=user)
        insert_with_history(StatusChange, [
            {"model_id": pk, "status": SecurityModel.Status.ACTIVE.value, "changed_on": p["launched_on"],
             "note": _("Ra mắt mô hình"), "created_by_id": user_id}
            for p, pk in zip(pendings, ids)], user=user)
        self._link_units(context, pendings, ids)
        progress(len(pendings))
        return ids

    def _link_units(self, context, pendings, ids):
        """The host units, and the same links in the snapshot of each model's
        "created" history row, as the detail page's history shows them."""
        field = SecurityModel._meta.get_field("units")
        through = field.remote_field.through
        links = [through(securitymodel_id=pk, unit_id=context.unit_id(unit_key))
                 for p, pk in zip(pendings, ids) for unit_key in p["units"]]
        if not links:
            return
        # bulk_create gives the new ids on both engines (SQLite from 3.35).
        through.objects.bulk_create(links, batch_size=IMPORT_BATCH_SIZE)
        if not getattr(settings, "SIMPLE_HISTORY_ENABLED", True):
            return
        history_model = SecurityModel.history.model
        history_ids = {}
        linked = sorted({link.securitymodel_id for link in links})
        for start in range(0, len(linked), IMPORT_BATCH_SIZE):
            history_ids.update(history_model.objects.filter(
                id__in=linked[start:start + IMPORT_BATCH_SIZE], history_type="+").values_list("id", "history_id"))
        m2m_history = next(HistoricalRecords.m2m_models[f] for f in history_model._history_m2m_fields
                           if f.name == field.name)
        m2m_history.objects.bulk_create([
            m2m_history(id=link.pk, history_id=history_ids[link.securitymodel_id],
                        securitymodel_id=link.securitymodel_id, unit_id=link.unit_id)
            for link in links], batch_size=IMPORT_BATCH_SIZE)

