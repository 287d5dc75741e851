from crispy_forms.helper import FormHelper
from crispy_forms.layout import HTML, Column, Field, Fieldset, Layout, Row, Submit
from django import forms
from django.db.models import Q
from django.forms.models import ModelChoiceIterator
from django.utils import timezone
from django.utils.functional import cached_property, lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.concurrency import VersionedFormMixin
from core.forms import ModelChoiceField, ModelMultipleChoiceField, WholeNumberField, YearField
from core.text import natural_key
from core.widgets import Select
from models_registry import uploads
from models_registry.models import Review, SecurityModel, SelfTag
from models_registry.selectors import active_kinds
from models_registry.services import UNVERIFY_REASON_MAX_LENGTH, attachment_limit_mb
from movement import filters, rules
from movement.forms import SEARCH_MAX_LENGTH, WardFilterField
from movement.models import Unit, UnitMove

ACCEPTED_FILES = ".jpg,.jpeg,.png,.webp,.pdf,image/jpeg,image/png,image/webp,application/pdf"


def _attachment_help():
    return gettext("Ảnh JPG, PNG, WEBP hoặc PDF, mỗi tệp tối đa %(limit)s MB.") % {"limit": attachment_limit_mb()}


# Lazy: translated in the language of the request that shows the form.
attachment_help = lazy(_attachment_help, str)


def limit_dates_to_today(form, *names):
    """The browser's date picker offers no day after today, which the record
    rules (movement.rules.check_date) refuse anyway."""
    today = timezone.localdate().isoformat()
    for name in names:
        form.fields[name].widget.attrs["max"] = today


class DateInput(forms.DateInput):
    """The phone's own date picker; its value is always yyyy-mm-dd."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ACCEPTED_FILES}))
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if isinstance(data, (list, tuple)):
            return [super(MultipleFileField, self).clean(item, initial) for item in data if item]
        return [super().clean(data, initial)] if data else []


class OrganisersField(forms.CharField):
    """One organising body per line (or separated by ';', as in the workbook)."""

    widget = forms.Textarea(attrs={"rows": 3})

    def to_python(self, value):
        text = super().to_python(value) or ""
        return [part.strip() for line in text.splitlines() for part in line.split(";") if part.strip()]

    def prepare_value(self, value):
        if isinstance(value, (list, tuple)):
            return "\n".join(value)
        return value


class NaturalOrderIterator(ModelChoiceIterator):
    """The units in natural order ("Khối 2" before "Khối 10"), which no SQL
    ORDER BY gives; a ward has a few hundred units at most, so sorting them in
    Python is cheap."""

    def __iter__(self):
        for unit in sorted(self.queryset, key=lambda unit: natural_key(unit.name)):
            yield self.choice(unit)


class UnitCheckboxes(forms.CheckboxSelectMultiple):
    """Each checkbox carries the bare unit name, which the picker's chips show
    (static/js/unit_picker.js); the label adds the kind."""

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        instance = getattr(value, "instance", None)
        if instance is not None:
            option["attrs"]["data-name"] = instance.name
        return option


class UnitChoiceField(forms.ModelMultipleChoiceField):
    iterator = NaturalOrderIterator
    widget = UnitCheckboxes

    @staticmethod
    def label_from_instance(unit):
        # Also the label of a unit the "add a unit" modal answers with (views.unit_quick_create).
        return f"{unit.name} ({unit.get_kind_display()})"


# Units one form may name as added on the spot: more than a launch has hosts.
UNITS_ADDED_MAX = 50


class SecurityModelForm(VersionedFormMixin, forms.ModelForm):
    organisers = OrganisersField(
        label=_("Cơ quan phối hợp tổ chức"), required=False,
        help_text=_("Mỗi dòng một cơ quan, ví dụ: Công an phường; UBND phường; Đoàn trường…"))
    units = UnitChoiceField(queryset=Unit.objects.none(), label=_("Chọn trong các đơn vị của phường, xã"),
                            required=False)
    selfs = ModelMultipleChoiceField(queryset=SelfTag.objects.all(), label=_("Nội dung tự quản"),
                                     required=False, widget=forms.CheckboxSelectMultiple)
    attachments = MultipleFileField(label=_("Ảnh, quyết định (PDF)"), help_text=attachment_help())
    # Changed by the detail page's actions, or by the district, while the form is open.
    conflict_watch = ("status", "verification")

    class Meta:
        model = SecurityModel
        fields = ["name", "kind", "launched_on", "organisers", "units", "members", "selfs", "has_regulations",
                  "regulations_adopted_on", "is_exemplar", "exemplar_note", "description"]
        field_classes = {"members": WholeNumberField}
        widgets = {
            "name": forms.TextInput(attrs={"placeholder": _("VD: Sinh viên tự quản")}),
            "launched_on": DateInput(),
            "regulations_adopted_on": DateInput(),
            "description": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, ward, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.ward = ward
        self.user = user
        limit_dates_to_today(self, "launched_on", "regulations_adopted_on")
        self.fields["kind"].queryset = active_kinds()
        self.fields["kind"].empty_label = _("— Chọn loại mô hình —")
        units = Unit.objects.filter(ward=ward)
        if self.instance.pk:
            # The ward's units, those that moved on in a merge included (a 2024
            # model of Trung Đô keeps its units, in Trường Vinh since 1/7/2025);
            # the service checks each was in the ward on the launch date. A unit
            # since marked inactive stays selectable if the model already has it.
            units = Unit.objects.filter(
                Q(ward=ward) | Q(pk__in=UnitMove.objects.filter(from_ward=ward).values("unit_id")))
            units = units.filter(is_active=True) | units.filter(security_models=self.instance)
        else:
            units = units.filter(is_active=True)
        self.fields["units"].queryset = units.distinct().order_by("name")
        # A unit of another ward (or one not offered) posted anyway.
        self.fields["units"].error_messages["invalid_choice"] = rules.UNIT_NOT_IN_WARD
        self.fields["members"].error_messages["min_value"] = _("Số thành viên không được âm.")
        if self.instance.pk:
            del self.fields["attachments"]
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            Fieldset(_("Thông tin ra mắt"),
                     "name",
                     Row(Column("kind", css_class="col-md-7"), Column("launched_on", css_class="col-md-5")),
                     "organisers",
                     HTML('{% include "models_registry/_organiser_suggestions.html" %}')),
            Fieldset(_("Đơn vị tham gia"),
                     HTML('{% include "models_registry/_unit_picker_tools.html" %}'),
                     Field("units", wrapper_class="unit-picker"),
                     Row(Column("members", css_class="col-md-4"))),
            Fieldset(_("Nội dung và quy chế"),
                     Field("selfs", wrapper_class="selfs-picker"),
                     Row(Column("has_regulations", css_class="col-md-5 pt-md-4"),
                         Column("regulations_adopted_on", css_class="col-md-7")),
                     "is_exemplar", "exemplar_note", "description"),
            *([Fieldset(_("Tệp đính kèm"), HTML('{% include "models_registry/_held_uploads.html" %}'), "attachments")]
              if "attachments" in self.fields else []),
            Submit("save", _("Lưu mô hình"), css_class="btn-primary btn-lg w-100 w-md-auto"),
        )
        self.add_version()

    @property
    def held_uploads(self):
        """The files kept from this user's earlier failed save and still ticked
        (unticking one drops it): models_registry.uploads."""
        if not self.is_bound or self.user is None or "attachments" not in self.fields:
            return []
        return uploads.held_uploads(self.data.getlist("held") if hasattr(self.data, "getlist") else [], self.user)

    def keep_uploads(self):
        """After a failed save: hold the files just chosen, with those already held,
        so the page shown again lists them as attached."""
        if self.user is None or "attachments" not in self.fields:
            return
        data = self.data.copy()
        data.setlist("held", uploads.keep_uploads(self.held_uploads, self.files.getlist(self.add_prefix("attachments")),
                                                  self.user))
        self.data = data

    @cached_property
    def units_added_here(self):
        """The units added through "Thêm đơn vị mới" before this (failed) save:
        saved at once, they stay whatever becomes of the model, and the page says
        so (static/js/unit_picker.js posts their ids as units_added)."""
        if not self.is_bound or not hasattr(self.data, "getlist"):
            return []
        ids = [value for value in self.data.getlist("units_added")[:UNITS_ADDED_MAX] if value.isdigit()]
        return list(Unit.objects.filter(ward=self.ward, pk__in=ids).order_by("name")) if ids else []

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("regulations_adopted_on") and not cleaned.get("has_regulations"):
            cleaned["has_regulations"] = True  # a date of adoption says it was adopted
        return cleaned

    def _post_clean(self):
        # The service validates the whole model with its real ward and reports
        # each error beside its field; ModelForm's partial check would only
        # repeat part of it.
        pass


class WardChoiceForm(forms.Form):
    ward = forms.ModelChoiceField(queryset=None, label=_("Phường, xã của mô hình"))

    def __init__(self, *args, wards, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["ward"].queryset = wards


class ModelFilterForm(forms.Form):
    q = forms.CharField(label=_("Tìm kiếm"), required=False, max_length=SEARCH_MAX_LENGTH, widget=forms.TextInput(
        attrs={"type": "search", "placeholder": _("Tên mô hình, cơ quan phối hợp…")}))
    # The drop-downs are core.widgets.Select, written without a template per option:
    # the filter bar was 38–53 % of a list page (issue #16).
    ward = WardFilterField(queryset=None, label=_("Phường, xã"), required=False, empty_label=_("Tất cả"))
    kind = ModelChoiceField(queryset=None, label=_("Loại mô hình"), required=False, empty_label=_("Tất cả"),
                            widget=Select)
    status = forms.ChoiceField(label=_("Trạng thái"), required=False,
                               choices=[("", _("Tất cả"))] + list(SecurityModel.Status.choices), widget=Select)
    year = forms.TypedChoiceField(label=_("Năm ra mắt"), required=False, coerce=int, empty_value=None,
                                  widget=Select)
    verification = forms.ChoiceField(label=_("Xác minh"), required=False,
                                     choices=[("", _("Tất cả"))] + list(SecurityModel.Verification.choices),
                                     widget=Select)
    active_year = forms.TypedChoiceField(label=_("Hoạt động cuối năm"), required=False, coerce=int,
                                         empty_value=None, widget=Select)
    unit_kind = forms.ChoiceField(label=_("Loại đơn vị tham gia"), required=False,
                                  choices=filters.unit_kind_choices(with_no_unit=True), widget=Select)

    def __init__(self, *args, wards, kinds, **kwargs):
        """kinds: every kind, retired ones included (a figure of a past year may be
        of a kind no longer offered for new launches)."""
        super().__init__(*args, **kwargs)
        self.fields["ward"].queryset = wards
        self.fields["kind"].queryset = kinds
        self.fields["year"].choices = filters.year_choices()
        self.fields["active_year"].choices = filters.year_choices()
        filters.area_fields(self, wards)


class StatusChangeForm(forms.Form):
    status = forms.ChoiceField(label=_("Trạng thái mới"), choices=SecurityModel.Status.choices)
    changed_on = forms.DateField(label=_("Từ ngày"), widget=DateInput())
    note = forms.CharField(label=_("Ghi chú"), required=False, max_length=500)


class ReviewForm(forms.ModelForm):
    class Meta:
        model = Review
        fields = ["year", "kind", "rating", "members_at_review", "notes"]
        field_classes = {"year": YearField, "members_at_review": WholeNumberField}
        widgets = {"notes": forms.Textarea(attrs={"rows": 2}),
                   "year": forms.NumberInput(attrs={"min": 2000, "inputmode": "numeric"})}

    def _post_clean(self):
        # Validated by models_registry.services.review_create with the model set.
        pass


class UnverifyForm(forms.Form):
    """Why the committee undoes a verification: kept in the model's history."""

    reason = forms.CharField(
        label=_("Lý do hủy xác minh"), max_length=UNVERIFY_REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Lý do được ghi vào lịch sử thay đổi của mô hình; phường, xã đọc được."),
        error_messages={"required": _("Hãy ghi lý do hủy xác minh.")})


class AttachmentForm(forms.Form):
    attachments = MultipleFileField(label=_("Thêm ảnh hoặc PDF"), required=True, help_text=attachment_help())


class QuickUnitForm(forms.Form):
    """Adds a host unit without leaving the model form."""

    name = forms.CharField(label=_("Tên đơn vị"), max_length=255)
    kind = forms.ChoiceField(label=_("Loại đơn vị"), choices=Unit.Kind.choices)
    address = forms.CharField(label=_("Địa chỉ"), max_length=255, required=False)


class SecurityModelAdminForm(forms.ModelForm):
    """The admin site's model form: its saves skip the services, so the lock of a
    closed year (movement.rules) is checked here, on the stored launch date and the
    new one (moving a model out of a closed year changes that year too)."""

    class Meta:
        model = SecurityModel
        fields = "__all__"

    def clean(self):
        cleaned = super().clean()
        ward = cleaned.get("ward") or (self.instance.ward if self.instance.pk else None)
        stored = self.initial.get("launched_on") if self.instance.pk else None
        problem = rules.closed_dates_problem(ward, cleaned.get("launched_on"), stored) if ward is not None else None
        if problem:
            self.add_error("launched_on", problem)
        return cleaned
