from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from areas.models import area_name
from movement import rules


def area_key(area):
    return f"{area.area_kind}-{area.pk}"


def area_choice_label(area):
    if area.area_kind == "province":
        return area_name(area.get_kind_display(), area.name)
    if area.area_kind == "ward" and area.district_id is None:
        return f"{area} ({_('trực thuộc tỉnh')})"
    return str(area)


class AreaForm(forms.Form):
    """A form about one of the areas the user may report on (movement.scope.reportable_areas)."""

    area = forms.ChoiceField(label=_("Địa bàn"), error_messages={
        "invalid_choice": _("Hãy chọn một địa bàn trong danh sách."), "required": _("Hãy chọn địa bàn.")})

    def __init__(self, *args, areas, **kwargs):
        super().__init__(*args, **kwargs)
        self.areas = {area_key(area): area for area in areas}
        self.fields["area"].choices = [(key, area_choice_label(area)) for key, area in self.areas.items()]
        if len(self.areas) == 1:
            # A committee or a ward's police report on their own area: nothing to choose.
            self.fields["area"].initial = next(iter(self.areas))

    def clean_area(self):
        return self.areas[self.cleaned_data["area"]]


class ReportRequestForm(AreaForm):
    year = forms.TypedChoiceField(label=_("Năm"), coerce=int)

    def __init__(self, *args, areas, **kwargs):
        super().__init__(*args, areas=areas, **kwargs)
        # Plain strings: an int label would be shown with a thousands separator (2.026).
        self.fields["year"].choices = [(y, str(y)) for y in rules.years_until_today()]
        self.fields["year"].initial = timezone.localdate().year


class ReportSignerForm(AreaForm):
    title = forms.CharField(label=_("Chức vụ người ký"), max_length=100,
                            help_text=_("Ví dụ: Trưởng ban, Phó Trưởng ban, Giám đốc."),
                            error_messages={"required": _("Hãy ghi chức vụ người ký.")})
    full_name = forms.CharField(label=_("Họ và tên người ký"), max_length=100,
                                error_messages={"required": _("Hãy ghi họ và tên người ký.")})


class ReportReopenForm(forms.Form):
    reason = forms.CharField(label=_("Lý do mở lại"), max_length=500, widget=forms.Textarea(attrs={"rows": 2}),
                             error_messages={"required": _("Hãy ghi lý do mở lại năm.")})
