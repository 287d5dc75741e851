from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Layout, Row, Submit
from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from areas.models import Ward
from core.concurrency import VersionedFormMixin
from core.forms import RowChoiceField, WholeNumberField
from core.widgets import Select
from movement import filters
from movement.models import Unit

# A search box longer than this is not a search (each word is one more LIKE).
SEARCH_MAX_LENGTH = 200


class UnitForm(VersionedFormMixin, forms.ModelForm):
    """Input checks only; uniqueness and the rest are enforced by the service and
    the database. The ward field is shown only to users who may write in several
    wards; a ward officer's unit always goes to their own ward."""

    ward = forms.ModelChoiceField(queryset=None, label=_("Phường, xã"), required=True)

    class Meta:
        model = Unit
        fields = ["ward", "name", "kind", "school_level", "address", "head_name", "headcount", "started_on",
                  "closed_on"]
        field_classes = {"headcount": WholeNumberField}
        widgets = {
            "name": forms.TextInput(attrs={"autofocus": True, "placeholder": _("VD: Trường THCS Vinh Tân")}),
            "started_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "closed_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }

    def __init__(self, *args, wards, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["ward"].queryset = wards
        self.fields["ward"].error_messages["invalid_choice"] = _("Bạn không được thêm đơn vị vào phường, xã này.")
        if self.instance.pk or wards.count() == 1:
            # The ward of an existing unit never changes here; one choice needs no picker.
            del self.fields["ward"]
        self.fields["school_level"].help_text = _("Chỉ điền với nhà trường.")
        # Left empty, a new unit started the day it is registered.
        self.fields["started_on"].required = False
        self.fields["started_on"].help_text = _("Ngày thành lập; để trống nếu không rõ: ngày đăng ký (hôm nay).")
        self.helper = FormHelper()
        self.helper.layout = Layout(
            *(["ward"] if "ward" in self.fields else []),
            "name",
            Row(Column("kind", css_class="col-md-6"), Column("school_level", css_class="col-md-6")),
            "address",
            Row(Column("head_name", css_class="col-md-8"), Column("headcount", css_class="col-md-4")),
            # Deactivating a unit asks for the day it closed: the figures of the years
            # it existed keep counting it.
            Row(Column("started_on", css_class="col-md-6"), Column("closed_on", css_class="col-md-6")),
            Submit("save", _("Lưu"), css_class="btn-primary"),
        )
        self.add_version()

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        if not name:
            raise forms.ValidationError(_("Tên đơn vị không được để trống."))
        return name

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("kind") != Unit.Kind.SCHOOL and cleaned.get("school_level"):
            self.add_error("school_level", _("Chỉ nhà trường mới có cấp học."))
        if not cleaned.get("started_on") and "started_on" not in self.errors:
            cleaned["started_on"] = self.instance.started_on if self.instance.pk else timezone.localdate()
        started, closed = cleaned.get("started_on"), cleaned.get("closed_on")
        if started and closed and closed < started:
            self.add_error("closed_on", _("Ngày ngừng hoạt động không được trước ngày bắt đầu hoạt động."))
        return cleaned

    def _post_clean(self):
        # The service runs full_clean() with the real ward; skip ModelForm's partial
        # model validation so errors are reported once, by the service.
        pass


class WardFilterField(RowChoiceField):
    """The ward drop-down of a list's filter bar, its options read as rows (a
    district committee's 57 wards, a province's 460). Ward.__str__ names a ward
    from its kind and name (areas.models._label)."""

    label_fields = ("kind", "name")

    def label_from_row(self, kind, name):
        return str(Ward(kind=kind, name=name))


class UnitFilterForm(forms.Form):
    q = forms.CharField(label=_("Tìm kiếm"), required=False, max_length=SEARCH_MAX_LENGTH,
                        widget=forms.TextInput(attrs={"placeholder": _("Tên hoặc địa chỉ, gõ có dấu hay không dấu"),
                                                      "type": "search"}))
    # The drop-downs are core.widgets.Select, written without a template per option:
    # the filter bar was 38–53 % of a list page (issue #16).
    ward = WardFilterField(queryset=None, label=_("Phường, xã"), required=False, empty_label=_("Tất cả"))
    kind = forms.ChoiceField(label=_("Loại đơn vị"), required=False,
                             choices=[("", _("Tất cả"))] + list(Unit.Kind.choices), widget=Select)
    active = forms.ChoiceField(label=_("Trạng thái"), required=False,
                               choices=[("", _("Tất cả")), ("1", _("Đang hoạt động")), ("0", _("Ngừng hoạt động"))],
                               widget=Select)
    year = forms.TypedChoiceField(label=_("Hoạt động trong năm"), required=False, coerce=int, empty_value=None,
                                  widget=Select)
    with_plan = forms.TypedChoiceField(label=_("Có nghị quyết, kế hoạch ban hành năm"), required=False, coerce=int,
                                       empty_value=None, widget=Select)

    def __init__(self, *args, wards, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["ward"].queryset = wards
        self.fields["year"].choices = filters.year_choices()
        self.fields["with_plan"].choices = filters.year_choices()
        filters.area_fields(self, wards)
