"""One handler per workbook sheet. A handler names its sheet and header row, reads
a row into a pending record (RowReader records every error), gives the record's
identity so a re-import finds it already present, and gives each new record's
column values, which movement.imports.bulk writes with their history.

The registry is open: an app that owns another sheet registers its handler from
its AppConfig.ready() (the models registry's "Mô hình" sheet, issue #3) and the
import, the preview and the blank template all pick it up."""
from functools import cached_property

from django.utils.translation import gettext_lazy as _

from core.text import name_key
from movement import rules
from movement.imports.bulk import insert_with_history
from movement.imports.cells import label_map, labels_of
from movement.models import Commendation, CommitmentSigning, PropagandaSession, Unit, UnitPlan

WARD = "Phường/xã"
UNIT = "Đơn vị"


class SheetHandler:
    sheet = ""
    columns = ()
    model = None
    order = 50          # lower first: the units sheet comes before the sheets naming units
    choices = {}        # column -> model choices, for validation and the template's drop-downs
    date_columns = ()
    count_columns = ()
    notes = ()          # lines of the template's instructions sheet
    # The URL name of a created record's page (one argument, its pk), for the list
    # of what an import created; "" to list them without links.
    detail_url_name = ""

    def read(self, reader):
        """A dict of model fields (unit given as a key, see RowReader.unit), or None."""
        raise NotImplementedError

    def key(self, pending):
        """What makes two rows the same record."""
        raise NotImplementedError

    def details(self, pending):
        """Values outside the key: a row whose key exists with other details is a conflict."""
        return ()

    def record_date(self, pending):
        """The date that places a new record in a year (a closed year refuses it),
        or None for records without one (units)."""
        return None

    def existing(self, context, pendings):
        """{key: details} of the records already stored, for these pending rows."""
        raise NotImplementedError

    def row(self, context, pending):
        """{attname: value} of the new record (see movement.imports.bulk)."""
        raise NotImplementedError

    def write(self, context, pendings, *, user, progress):
        """Insert the new records with their history; returns their ids in order."""
        return insert_with_history(self.model, [self.row(context, p) for p in pendings], user=user,
                                   progress=progress)

    @cached_property
    def labels(self):
        # Built once per process: the labels are always the Vietnamese ones.
        return {column: label_map(choices) for column, choices in self.choices.items()}

    def template_choices(self):
        return {column: labels_of(choices) for column, choices in self.choices.items()}


class ActivitySheet(SheetHandler):
    """A dated ward activity: the key fields come from `key_fields`, the unit as
    its name so rows naming a unit created by this very workbook compare too."""

    date_field = ""
    key_fields = ()
    detail_fields = ()

    def _values(self, pending, fields):
        return tuple(pending["unit"][1] if f == "unit" and pending["unit"] else
                     ("" if f == "unit" else pending[f]) for f in fields)

    def key(self, pending):
        return (pending["ward"].pk, *self._values(pending, self.key_fields))

    def record_date(self, pending):
        return pending[self.date_field]

    def details(self, pending):
        return self._values(pending, self.detail_fields)

    def existing(self, context, pendings):
        if not pendings:
            return {}
        dates = [p[self.date_field] for p in pendings]
        fields = ["ward_id", *("unit__name_key" if f == "unit" else f for f in self.key_fields),
                  *("unit__name_key" if f == "unit" else f for f in self.detail_fields)]
        rows = self.model.objects.filter(
            ward_id__in={p["ward"].pk for p in pendings},
            **{f"{self.date_field}__gte": min(dates), f"{self.date_field}__lte": max(dates)},
        ).values_list(*fields)
        width = 1 + len(self.key_fields)
        return {tuple(v if v is not None else "" for v in row[:width]):
                tuple(v if v is not None else "" for v in row[width:]) for row in rows}

    def row(self, context, pending):
        row = {k: v for k, v in pending.items() if k not in ("ward", "unit", "_row")}
        row["ward_id"] = pending["ward"].pk
        row["unit_id"] = context.unit_id(pending["unit"])
        return row


class UnitSheet(SheetHandler):
    sheet = "Đơn vị"
    columns = (WARD, "Tên đơn vị", "Loại đơn vị", "Địa chỉ")
    model = Unit
    detail_url_name = "movement:unit_detail"
    order = 10
    choices = {"Loại đơn vị": Unit.Kind.choices}
    notes = (_("Một đơn vị đã có trong phường, xã (cùng tên, không phân biệt hoa thường) được tính là đã có, "
               "không thêm lại."),)

    def read(self, reader):
        ward = reader.ward()
        name = reader.text("Tên đơn vị", max_length=255)
        kind = reader.choice("Loại đơn vị", self.labels["Loại đơn vị"])
        address = reader.text("Địa chỉ", required=False, max_length=255)
        if not reader.ok:
            return None
        pending = {"ward": ward, "name": name, "kind": kind, "address": address}
        key = self.key(pending)
        if key not in reader.context.units:
            # Later sheets may name it before it exists.
            reader.context.new_units.setdefault(key, reader.row)
            reader.context.unit_names.setdefault(key, name)
        return pending

    def key(self, pending):
        return (pending["ward"].pk, name_key(pending["name"]))

    def existing(self, context, pendings):
        return {key: () for key in context.units}

    def row(self, context, pending):
        # A bulk insert skips save(): the keys save() would derive.
        return {"ward_id": pending["ward"].pk, "kind": pending["kind"], "address": pending["address"],
                **Unit.derived_keys(pending["name"], pending["address"])}

    def write(self, context, pendings, *, user, progress):
        ids = super().write(context, pendings, user=user, progress=progress)
        # The sheets after this one name these units.
        for pending, pk in zip(pendings, ids):
            context.units[self.key(pending)] = pk
        return ids


class SessionSheet(ActivitySheet):
    sheet = "Tuyên truyền"
    columns = (WARD, "Ngày", UNIT, "Nội dung", "Hình thức", "Đối tượng", "Số người tham dự")
    model = PropagandaSession
    detail_url_name = "movement:session_detail"
    date_field = "held_on"
    key_fields = ("held_on", "unit", "topic", "channel", "audience", "attendance")
    choices = {"Hình thức": PropagandaSession.Channel.choices, "Đối tượng": PropagandaSession.Audience.choices}
    date_columns = ("Ngày",)
    count_columns = ("Số người tham dự",)

    def read(self, reader):
        labels = self.labels
        ward = reader.ward()
        pending = {
            "ward": ward,
            "held_on": reader.date("Ngày"),
            "unit": reader.unit(ward),
            "topic": reader.text("Nội dung", max_length=500),
            "channel": reader.choice("Hình thức", labels["Hình thức"]),
            "audience": reader.choice("Đối tượng", labels["Đối tượng"]),
            "attendance": reader.count("Số người tham dự"),
        }
        return pending if reader.ok else None


class SigningSheet(ActivitySheet):
    sheet = "Ký cam kết"
    columns = (WARD, "Ngày", UNIT, "Nội dung cam kết", "Số người ký")
    model = CommitmentSigning
    detail_url_name = "movement:signing_detail"
    date_field = "signed_on"
    key_fields = ("signed_on", "unit", "content", "signatories")
    date_columns = ("Ngày",)
    count_columns = ("Số người ký",)

    def read(self, reader):
        ward = reader.ward()
        pending = {
            "ward": ward,
            "signed_on": reader.date("Ngày"),
            "unit": reader.unit(ward),
            "content": reader.text("Nội dung cam kết", max_length=500),
            "signatories": reader.count("Số người ký"),
        }
        return pending if reader.ok else None


class PlanSheet(ActivitySheet):
    sheet = "Kế hoạch"
    columns = (WARD, UNIT, "Năm", "Loại văn bản", "Số hiệu", "Ngày ban hành")
    model = UnitPlan
    detail_url_name = "movement:plan_detail"
    date_field = "issued_on"
    key_fields = ("unit", "year", "kind", "number")
    detail_fields = ("issued_on",)
    choices = {"Loại văn bản": UnitPlan.Kind.choices}
    date_columns = ("Ngày ban hành",)
    notes = (_("Mỗi đơn vị đánh số văn bản theo năm: cùng đơn vị, năm, loại và số hiệu là một văn bản."),)

    def read(self, reader):
        ward = reader.ward()
        pending = {
            "ward": ward,
            "unit": reader.unit(ward, required=True),
            "year": self._year(reader),
            "kind": reader.choice("Loại văn bản", self.labels["Loại văn bản"]),
            "number": reader.text("Số hiệu", max_length=50),
            "issued_on": reader.date("Ngày ban hành"),
        }
        if reader.ok:
            problem = rules.plan_date_problem(pending["issued_on"], pending["year"])
            if problem:
                reader.error("Ngày ban hành", problem)
        return pending if reader.ok else None

    @staticmethod
    def _year(reader):
        year = reader.count("Năm")
        problem = rules.year_problem(year)
        if problem:
            reader.error("Năm", problem)
            return None
        return year

    def existing(self, context, pendings):
        if not pendings:
            return {}
        rows = UnitPlan.objects.filter(
            ward_id__in={p["ward"].pk for p in pendings}, year__in={p["year"] for p in pendings},
        ).values_list("ward_id", "unit__name_key", "year", "kind", "number", "issued_on")
        return {row[:5]: row[5:] for row in rows}


class CommendationSheet(ActivitySheet):
    sheet = "Biểu dương"
    columns = (WARD, "Ngày", UNIT, "Người/tập thể", "Cá nhân/Tập thể", "Danh hiệu", "Nội dung")
    model = Commendation
    detail_url_name = "movement:commendation_detail"
    date_field = "awarded_on"
    key_fields = ("awarded_on", "honoree", "title")
    detail_fields = ("unit", "honoree_kind", "reason")
    choices = {"Cá nhân/Tập thể": Commendation.HonoreeKind.choices, "Danh hiệu": Commendation.Title.choices}
    date_columns = ("Ngày",)

    def read(self, reader):
        labels = self.labels
        ward = reader.ward()
        pending = {
            "ward": ward,
            "awarded_on": reader.date("Ngày"),
            "unit": reader.unit(ward),
            "honoree": reader.text("Người/tập thể", max_length=255),
            "honoree_kind": reader.choice("Cá nhân/Tập thể", labels["Cá nhân/Tập thể"]),
            "title": reader.choice("Danh hiệu", labels["Danh hiệu"]),
            "reason": reader.text("Nội dung", required=False),
        }
        return pending if reader.ok else None


_HANDLERS = [UnitSheet(), SessionSheet(), SigningSheet(), PlanSheet(), CommendationSheet()]

# Sheets of the workbook whose handler another app provides: until it is
# registered, such a sheet is reported as skipped rather than silently ignored.
EXPECTED_SHEETS = ("Mô hình",)
# Sheets of the blank template that carry no data.
TEMPLATE_SHEETS = ("Hướng dẫn", "Danh mục")


def register_sheet(handler):
    """Add (or replace, by sheet name) a sheet handler. Call from AppConfig.ready()."""
    _HANDLERS[:] = [h for h in _HANDLERS if name_key(h.sheet) != name_key(handler.sheet)] + [handler]


def sheet_handlers():
    return sorted(_HANDLERS, key=lambda h: h.order)


def handler_for(sheet):
    """The handler of a sheet name, or None when no app registers it (any more)."""
    return next((h for h in _HANDLERS if name_key(h.sheet) == name_key(sheet)), None)
