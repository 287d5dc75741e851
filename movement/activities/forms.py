"""Input checks for the activity pages. The rules that also bind the workbook
import (unit in the record's ward, no future date, duplicates) live in
movement/rules.py, the model's clean() and constraints, and are reported by the
services."""
from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Layout, Row, Submit
from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.concurrency import VersionedFormMixin
from core.forms import ModelMultipleChoiceField, RowChoiceField, WholeNumberField, YearField
from core.widgets import Select
from movement import filters, rules
from movement.forms import WardFilterField
from movement.models import (
    Commendation,
    CommitmentSigning,
    LegalDocument,
    PropagandaSession,
    Unit,
    UnitMove,
    UnitPlan,
)


def _date_widget():
    # The browser's date picker posts ISO dates and shows them the local way.
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class UnitChoiceField(RowChoiceField):
    """Units named with their ward when the user may write in several wards.
    ward_labels: {ward id: name}, each ward named once, or None to show the unit
    names alone."""

    label_fields = ("name", "ward_id")

    def __init__(self, *args, ward_labels=None, **kwargs):
        self.ward_labels = ward_labels
        super().__init__(*args, **kwargs)

    def label_from_row(self, name, ward_id):
        return f"{name} – {self.ward_labels[ward_id]}" if self.ward_labels else name


class WardChoiceField(forms.ModelChoiceField):
    """Wards named with their district and, for a ward that has ended, its last day:
    an officer of a merged ward picks the old ward of a record's date."""

    widget = Select
    # {id: ward} of the queryset, when the form has read it whole: the posted
    # choice is looked up there, not asked of the database a second time.
    instances = None

    def to_python(self, value):
        if self.instances is None or value in self.empty_values:
            return super().to_python(value)
        try:
            ward = self.instances.get(int(str(value)))
        except ValueError:
            ward = None
        if ward is None:
            raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice",
                                  params={"value": value})
        return ward

    def label_from_instance(self, ward):
        label = f"{ward} – {ward.district}" if ward.district_id else str(ward)
        if ward.valid_to:
            label += " " + _("(đến %(date)s)") % {"date": ward.valid_to.strftime("%d/%m/%Y")}
        return label


class ActivityForm(VersionedFormMixin, forms.ModelForm):
    """The ward picker is shown only to users who may write in several wards: the
    administrators, and the officers of a ward that others merged into, whose own
    ward of today is chosen first (movement.scope.record_wards). Units are those
    of the wards the user may write in. The service puts the record in the ward of
    its date and checks its unit was there that day (movement.services.record_ward)."""

    ward = WardChoiceField(queryset=None, label=_("Phường, xã"), required=True)
    unit_required = False
    layout_fields = ()

    def __init__(self, *args, wards, default_ward=None, **kwargs):
        """default_ward: the ward the picker starts on (an officer's ward of today)."""
        super().__init__(*args, **kwargs)
        self.fields["ward"].queryset = wards
        self.fields["ward"].error_messages["invalid_choice"] = _("Bạn không được ghi nhận cho phường, xã này.")
        # A record never moves to another ward here, and one choice needs no
        # picker. The wards are read whole, not counted: their names label the units.
        several = not self.instance.pk and len(wards) > 1
        if not several:
            del self.fields["ward"]
        else:
            picker = self.fields["ward"]
            if default_ward is not None:
                self.default_ward = default_ward
                picker.initial = default_ward.pk
                picker.empty_label = None
                picker.required = False
                picker.help_text = _(
                    "Hoạt động trước ngày sáp nhập được ghi nhận vào phường, xã của ngày đó: chọn đơn vị là đủ, "
                    "hoặc chọn phường, xã cũ.")
            # The options are the wards read above, not two more queries (Django's
            # Select reads the first option again to decide on `required`). The
            # field's queryset still checks what is posted.
            options = [(ward.pk, picker.label_from_instance(ward)) for ward in wards]
            picker.instances = {ward.pk: ward for ward in wards}
            picker.widget.choices = options if picker.empty_label is None else [("", picker.empty_label), *options]
        if self.instance.pk:
            # The units that were in the record's ward, those that moved on since
            # included (a 2020 session of Trung Đô keeps its unit, now in Trường Vinh).
            ward_id = self.instance.ward_id
            units = Unit.objects.filter(Q(ward_id=ward_id) | Q(
                pk__in=UnitMove.objects.filter(from_ward_id=ward_id).values("unit_id")))
        else:
            units = Unit.objects.filter(ward_id__in=wards.values("pk"))
        # The chosen unit comes with its ward: a plan takes its ward from it.
        units = units.select_related("ward")
        self.fields["unit"] = UnitChoiceField(
            queryset=units.order_by("ward__name", "name"), label=pgettext_lazy("singular", "Đơn vị"),
            required=self.unit_required,
            ward_labels={ward.pk: str(ward) for ward in wards} if several else None,
            empty_label=_("— Không gắn với đơn vị cụ thể —") if not self.unit_required else "---------",
        )
        self.fields["unit"].error_messages["invalid_choice"] = rules.UNIT_NOT_IN_WARD
        self.helper = FormHelper()
        self.helper.layout = Layout(
            *(["ward"] if "ward" in self.fields else []),
            *self.layout_fields,
            Submit("save", _("Lưu"), css_class="btn-primary"),
        )
        self.add_version()

    default_ward = None

    def clean_ward(self):
        # Left out of the post, the picker's ward is the one it starts on.
        return self.cleaned_data.get("ward") or self.default_ward

    def _post_clean(self):
        # The service runs full_clean() with the real ward; skip ModelForm's partial
        # model validation so errors are reported once, by the service.
        pass


class SessionForm(ActivityForm):
    legal_documents = ModelMultipleChoiceField(
        queryset=None, label=_("Văn bản được phổ biến"), required=False, widget=forms.CheckboxSelectMultiple)

    class Meta:
        model = PropagandaSession
        fields = ["ward", "held_on", "unit", "topic", "channel", "audience", "attendance"]
        field_classes = {"attendance": WholeNumberField}
        widgets = {
            "held_on": _date_widget(),
            "topic": forms.TextInput(attrs={"placeholder": _("VD: Phổ biến Luật An ninh mạng cho học sinh khối 10")}),
            "channel": Select,
            "audience": Select,
        }

    layout_fields = (
        Row(Column("held_on", css_class="col-sm-4"), Column("unit", css_class="col-sm-8")),
        "topic",
        Row(Column("channel", css_class="col-sm-4"), Column("audience", css_class="col-sm-5"),
            Column("attendance", css_class="col-sm-3")),
        "legal_documents",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        documents = LegalDocument.objects.filter(is_active=True)
        if self.instance.pk:
            # A document withdrawn since stays ticked on the sessions that cited it.
            documents = LegalDocument.objects.filter(is_active=True) | LegalDocument.objects.filter(
                sessions=self.instance)
        self.fields["legal_documents"].queryset = documents.distinct().order_by("code")
        self.fields["legal_documents"].label_from_instance = lambda d: f"{d.code} – {d.title}"


class SigningForm(ActivityForm):
    class Meta:
        model = CommitmentSigning
        fields = ["ward", "signed_on", "unit", "content", "signatories"]
        field_classes = {"signatories": WholeNumberField}
        widgets = {
            "signed_on": _date_widget(),
            "content": forms.TextInput(attrs={"placeholder": _("VD: Học sinh cam kết không vi phạm pháp luật")}),
        }

    layout_fields = (
        Row(Column("signed_on", css_class="col-sm-4"), Column("unit", css_class="col-sm-8")),
        Row(Column("content", css_class="col-sm-9"), Column("signatories", css_class="col-sm-3")),
    )


class PlanForm(ActivityForm):
    unit_required = True

    class Meta:
        model = UnitPlan
        fields = ["ward", "unit", "year", "kind", "number", "issued_on"]
        field_classes = {"year": YearField}
        widgets = {
            "issued_on": _date_widget(),
            "kind": Select,
            "number": forms.TextInput(attrs={"placeholder": _("VD: 05/KH-THCS")}),
            "year": forms.NumberInput(attrs={"inputmode": "numeric"}),
        }

    layout_fields = (
        "unit",
        Row(Column("kind", css_class="col-sm-4"), Column("number", css_class="col-sm-4"),
            Column("year", css_class="col-sm-4")),
        Row(Column("issued_on", css_class="col-sm-4")),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Set here, not in Meta.widgets: the model field's min_value (0) would win.
        self.fields["year"].widget.attrs["min"] = rules.FIRST_YEAR
        if not self.instance.pk and not self.is_bound:
            self.initial.setdefault("year", timezone.localdate().year)


class CommendationForm(ActivityForm):
    class Meta:
        model = Commendation
        fields = ["ward", "awarded_on", "unit", "honoree", "honoree_kind", "title", "reason"]
        widgets = {
            "awarded_on": _date_widget(),
            "honoree": forms.TextInput(attrs={"placeholder": _("VD: Nguyễn Văn An, bảo vệ Trường THCS Vinh Tân")}),
            "honoree_kind": Select,
            "title": Select,
            "reason": forms.Textarea(attrs={"rows": 3}),
        }

    layout_fields = (
        Row(Column("awarded_on", css_class="col-sm-4"), Column("unit", css_class="col-sm-8")),
        Row(Column("honoree", css_class="col-sm-8"), Column("honoree_kind", css_class="col-sm-4")),
        "title",
        "reason",
    )


# --- Filters -------------------------------------------------------------------

MONTH_CHOICES = [("", _("Tất cả"))] + [(str(m), str(m)) for m in range(1, 13)]


class ActivityFilterForm(forms.Form):
    """District and ward (when the user sees several), unit (once one ward is
    known), unit kind, year and month; each kind adds its own choice filters in
    `choice_filters`. Every figure of the dashboard opens this list with the filters
    that make its count the figure (movement.filters)."""

    choice_filters = ()

    # The drop-downs are core.widgets.Select, written without a template per option:
    # the filter bar was 38–53 % of a list page (issue #16).
    ward = WardFilterField(queryset=None, label=_("Phường, xã"), required=False, empty_label=_("Tất cả"))
    unit = RowChoiceField(queryset=None, label=pgettext_lazy("singular", "Đơn vị"), required=False,
                          empty_label=_("Tất cả"))
    year = forms.TypedChoiceField(label=_("Năm"), required=False, coerce=int, empty_value=None, choices=(),
                                  widget=Select)
    month = forms.TypedChoiceField(label=_("Tháng"), required=False, coerce=int, empty_value=None,
                                   choices=MONTH_CHOICES, widget=Select)
    unit_kind = forms.ChoiceField(label=_("Loại đơn vị"), required=False,
                                  choices=filters.unit_kind_choices(with_no_unit=True), widget=Select)

    def __init__(self, *args, wards, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = filters.year_choices()
        self.fields["ward"].queryset = wards
        ward_ids = filters.area_fields(self, wards)
        # Units are offered once the list is about one ward: a district's 1,500
        # units would make an unusable drop-down.
        chosen = self.data.get("ward") if "ward" in self.fields else (ward_ids[0] if ward_ids else None)
        if chosen and str(chosen).isdigit():
            self.fields["unit"].queryset = Unit.objects.filter(ward_id=chosen, ward__in=wards).order_by("name")
        else:
            del self.fields["unit"]

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("month") and not cleaned.get("year"):
            self.add_error("month", _("Hãy chọn năm trước khi chọn tháng."))
        return cleaned

    def filters(self):
        """The valid filters as keyword arguments for the selector."""
        if not self.is_valid():
            return {}
        data = self.cleaned_data
        return {
            **filters.area_ids(data),
            "unit_id": data["unit"].pk if data.get("unit") else None,
            "unit_kind": data.get("unit_kind") or "",
            "year": data.get("year"),
            "month": data.get("month"),
            "choices": {name: data[name] for name in self.choice_filters if data.get(name)},
        }


def _choice_filter(label, choices):
    return forms.ChoiceField(label=label, required=False, choices=[("", _("Tất cả"))] + list(choices), widget=Select)


class SessionFilterForm(ActivityFilterForm):
    choice_filters = ("channel", "audience")
    channel = _choice_filter(pgettext_lazy("propaganda session", "Hình thức"), PropagandaSession.Channel.choices)
    audience = _choice_filter(_("Đối tượng"), PropagandaSession.Audience.choices)


class SigningFilterForm(ActivityFilterForm):
    pass


class PlanFilterForm(ActivityFilterForm):
    choice_filters = ("kind",)
    kind = _choice_filter(_("Loại văn bản"), UnitPlan.Kind.choices)


class CommendationFilterForm(ActivityFilterForm):
    choice_filters = ("title", "honoree_kind")
    title = _choice_filter(_("Danh hiệu"), Commendation.Title.choices)
    honoree_kind = _choice_filter(_("Cá nhân/Tập thể"), Commendation.HonoreeKind.choices)

