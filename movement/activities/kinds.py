"""The four kinds of activity record and what their pages need: model, forms,
selector, services, columns and totals. One table here keeps the four sets of
list/detail/create/edit/delete/export pages identical in behaviour."""
from dataclasses import dataclass, field
from operator import itemgetter
from typing import Callable

from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from areas.models import Ward
from movement.activities import forms, selectors, services
from movement.models import Commendation, CommitmentSigning, PropagandaSession, UnitPlan
from movement.scope import visible_wards

# Rows fetched per database round trip while exporting: a few hundred kB of tuples.
EXPORT_CHUNK_SIZE = 2000
# What the export reads of a record's ward: Ward.__str__ names it from its kind
# and name (areas.models._label).
WARD_FIELDS = ("ward_id", "ward__kind", "ward__name")


@dataclass(frozen=True)
class ColumnSpec:
    """One column of the list page and of the export. Export headers are the
    workbook-import headers, so an exported sheet can be imported elsewhere.

    The list and detail pages call `value` with the record. The export reads
    `field` instead (values_list, across a join: "unit__name"), as building a
    model instance a row was 60 % of a district's sessions CSV (issue #16), and
    shows what `value` shows: a choice field's label, the ward's name, or
    `export` of the value read."""

    label: str
    value: Callable
    field: str = ""
    export: Callable = None
    numeric: bool = False
    link: bool = False       # the cell that links to the record's page
    is_ward: bool = False    # left out of the list when the user sees one ward only
    in_list: bool = True
    in_export: bool = True

    @property
    def export_fields(self):
        return WARD_FIELDS if self.is_ward else (self.field,)

    def export_cell(self, model, at):
        """The function of an export row (the values of every column's
        export_fields, this column's from index `at`) that gives this column's
        cell. Choice labels and wards' names are worked out once per export: a
        choice's get_FOO_display translated every lazy label again for each row."""
        if self.is_ward:
            names = {}

            def ward_name(row):
                ward_id = row[at]
                if ward_id not in names:
                    names[ward_id] = str(Ward(pk=ward_id, kind=row[at + 1], name=row[at + 2]))
                return names[ward_id]
            return ward_name
        if self.export is not None:
            return lambda row: self.export(row[at])
        choices = model._meta.get_field(self.field).flatchoices if "__" not in self.field else None
        if choices:
            labels = {value: str(label) for value, label in choices}
            return lambda row: labels.get(row[at], row[at])
        return itemgetter(at)


@dataclass(frozen=True)
class TotalSpec:
    label: str
    key: str
    column: str = ""  # label of the numeric column the total sits under in the table's footer


@dataclass(frozen=True)
class RecordKind:
    slug: str
    model: type
    title: str           # the section, e.g. "Tuyên truyền"
    heading: str         # the list page's heading
    noun: str            # one record, e.g. "buổi tuyên truyền"
    add_label: str
    icon: str
    date_field: str
    form_class: type
    filter_class: type
    select: Callable
    totals: Callable
    total_specs: list
    columns: list
    create: Callable
    update: Callable
    sheet: str           # the sheet name of the workbook import and of the export
    detail_fields: list = field(default_factory=list)

    def filtered(self, user, params):
        """The list's filter form for these query parameters and the records it
        selects, in the user's scope: the list page, its export, and an export
        made in the background from the same URL."""
        filters = self.filter_class(params or None, wards=visible_wards(user))
        return filters, self.select(user=user, **filters.filters())

    def url_name(self, action):
        return f"movement:{self.slug}_{action}"

    # For {% url %} in templates, which cannot pass arguments to a method.
    list_name = property(lambda self: self.url_name("list"))
    create_name = property(lambda self: self.url_name("create"))
    detail_name = property(lambda self: self.url_name("detail"))
    update_name = property(lambda self: self.url_name("update"))
    delete_name = property(lambda self: self.url_name("delete"))
    export_name = property(lambda self: self.url_name("export"))

    # The export (core/export.py). Headers and labels are Vietnamese whatever the
    # interface language: the sheets are the import's sheets, so an export can be
    # re-imported.
    @property
    def export_columns(self):
        return [c for c in self.columns if c.in_export]

    def export_filename(self):
        return f"{self.slug}-{timezone.localtime():%Y%m%d-%H%M}"

    def export_headers(self):
        with translation.override("vi"):
            return [str(c.label) for c in self.export_columns]

    def export_widths(self):
        return [14 if c.numeric else 28 for c in self.export_columns]

    def export_rows(self, records):
        """The cells of each record, read from the database in chunks as the
        download consumes them, as rows of the exported columns only."""
        with translation.override("vi"):
            columns, fields = self.export_columns, []
            cells = []
            for column in columns:
                cells.append(column.export_cell(self.model, len(fields)))
                fields.extend(column.export_fields)
            for row in records.values_list(*fields).iterator(chunk_size=EXPORT_CHUNK_SIZE):
                yield [cell(row) for cell in cells]


def _unit(record):
    return record.unit.name if record.unit_id else ""


def _unit_name(name):
    # The export's _unit: a record tied to no unit reads None across the join.
    return "" if name is None else name


def _ward(record):
    return str(record.ward)


SESSION = RecordKind(
    slug="session", model=PropagandaSession, title=_("Tuyên truyền"), heading=_("Buổi tuyên truyền"),
    noun=_("buổi tuyên truyền"), add_label=_("Ghi nhận buổi tuyên truyền"), icon="bi-megaphone",
    date_field="held_on", form_class=forms.SessionForm, filter_class=forms.SessionFilterForm,
    select=selectors.session_list, totals=selectors.session_totals,
    total_specs=[TotalSpec(_("Số buổi"), "records"),
                 TotalSpec(_("Lượt người tham dự"), "attendance", column=_("Số người tham dự"))],
    columns=[
        ColumnSpec(_("Phường/xã"), _ward, is_ward=True),
        ColumnSpec(_("Ngày"), lambda r: r.held_on, "held_on"),
        ColumnSpec(pgettext_lazy("singular", "Đơn vị"), _unit, "unit__name", export=_unit_name),
        ColumnSpec(_("Nội dung"), lambda r: r.topic, "topic", link=True),
        ColumnSpec(pgettext_lazy("propaganda session", "Hình thức"), lambda r: r.get_channel_display(), "channel"),
        ColumnSpec(_("Đối tượng"), lambda r: r.get_audience_display(), "audience"),
        ColumnSpec(_("Số người tham dự"), lambda r: r.attendance, "attendance", numeric=True),
        ColumnSpec(_("Văn bản được phổ biến"), lambda r: r.legal_document_codes, "legal_document_codes",
                   in_list=False),
    ],
    create=lambda *, data, **kw: services.session_create(**kw, **data),
    update=lambda *, record, data, **kw: services.session_update(session=record, **kw, **data),
    sheet="Tuyên truyền",
)

SIGNING = RecordKind(
    slug="signing", model=CommitmentSigning, title=_("Ký cam kết"), heading=_("Ký cam kết"),
    noun=_("đợt ký cam kết"), add_label=_("Ghi nhận ký cam kết"), icon="bi-pen",
    date_field="signed_on", form_class=forms.SigningForm, filter_class=forms.SigningFilterForm,
    select=selectors.signing_list, totals=selectors.signing_totals,
    total_specs=[TotalSpec(_("Số đợt"), "records"),
                 TotalSpec(_("Số người ký"), "signatories", column=_("Số người ký"))],
    columns=[
        ColumnSpec(_("Phường/xã"), _ward, is_ward=True),
        ColumnSpec(_("Ngày"), lambda r: r.signed_on, "signed_on"),
        ColumnSpec(pgettext_lazy("singular", "Đơn vị"), _unit, "unit__name", export=_unit_name),
        ColumnSpec(_("Nội dung cam kết"), lambda r: r.content, "content", link=True),
        ColumnSpec(_("Số người ký"), lambda r: r.signatories, "signatories", numeric=True),
    ],
    create=lambda *, data, **kw: services.signing_create(**kw, **data),
    update=lambda *, record, data, **kw: services.signing_update(signing=record, **kw, **data),
    sheet="Ký cam kết",
)

PLAN = RecordKind(
    slug="plan", model=UnitPlan, title=_("Nghị quyết, kế hoạch"), heading=_("Nghị quyết, kế hoạch của đơn vị"),
    noun=_("nghị quyết, kế hoạch"), add_label=_("Ghi nhận nghị quyết, kế hoạch"), icon="bi-journal-text",
    date_field="issued_on", form_class=forms.PlanForm, filter_class=forms.PlanFilterForm,
    select=selectors.plan_list, totals=selectors.plan_totals,
    total_specs=[TotalSpec(_("Số văn bản"), "records"), TotalSpec(_("Nghị quyết"), "resolutions"),
                 TotalSpec(_("Kế hoạch"), "plans")],
    columns=[
        ColumnSpec(_("Phường/xã"), _ward, is_ward=True),
        ColumnSpec(pgettext_lazy("singular", "Đơn vị"), _unit, "unit__name", export=_unit_name),
        ColumnSpec(_("Năm"), lambda r: r.year, "year"),  # not numeric: a year is never grouped ("2020")
        ColumnSpec(_("Loại văn bản"), lambda r: r.get_kind_display(), "kind"),
        ColumnSpec(_("Số hiệu"), lambda r: r.number, "number", link=True),
        ColumnSpec(_("Ngày ban hành"), lambda r: r.issued_on, "issued_on"),
    ],
    create=lambda *, data, ward, **kw: services.plan_create(ward=ward, **kw, **data),
    update=lambda *, record, data, **kw: services.plan_update(plan=record, **kw, **data),
    sheet="Kế hoạch",
)

COMMENDATION = RecordKind(
    slug="commendation", model=Commendation, title=_("Biểu dương"), heading=_("Biểu dương, khen thưởng"),
    noun=_("lượt biểu dương"), add_label=_("Ghi nhận biểu dương"), icon="bi-award",
    date_field="awarded_on", form_class=forms.CommendationForm, filter_class=forms.CommendationFilterForm,
    select=selectors.commendation_list, totals=selectors.commendation_totals,
    total_specs=[TotalSpec(_("Lượt biểu dương"), "records"), TotalSpec(_("Cá nhân"), "individuals"),
                 TotalSpec(_("Tập thể"), "collectives")],
    columns=[
        ColumnSpec(_("Phường/xã"), _ward, is_ward=True),
        ColumnSpec(_("Ngày"), lambda r: r.awarded_on, "awarded_on"),
        ColumnSpec(pgettext_lazy("singular", "Đơn vị"), _unit, "unit__name", export=_unit_name),
        ColumnSpec(_("Người/tập thể"), lambda r: r.honoree, "honoree", link=True),
        ColumnSpec(_("Cá nhân/Tập thể"), lambda r: r.get_honoree_kind_display(), "honoree_kind"),
        ColumnSpec(_("Danh hiệu"), lambda r: r.get_title_display(), "title"),
        ColumnSpec(_("Nội dung"), lambda r: r.reason, "reason", in_list=False),
    ],
    create=lambda *, data, **kw: services.commendation_create(**kw, **data),
    update=lambda *, record, data, **kw: services.commendation_update(commendation=record, **kw, **data),
    sheet="Biểu dương",
)

KINDS = {kind.slug: kind for kind in (SESSION, SIGNING, PLAN, COMMENDATION)}
