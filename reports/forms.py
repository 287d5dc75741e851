from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from movement import rules


class ReportRequestForm(forms.Form):
    district = forms.ModelChoiceField(queryset=None, label=_("Quận, huyện"))
    year = forms.TypedChoiceField(label=_("Năm"), coerce=int)

    def __init__(self, *args, districts, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["district"].queryset = districts
        if len(districts) == 1:
            # A district committee reports on its own district: nothing to choose.
            self.fields["district"].empty_label = None
            self.fields["district"].initial = districts[0].pk
        # Plain strings: an int label would be shown with a thousands separator (2.026).
        self.fields["year"].choices = [(y, str(y)) for y in rules.years_until_today()]
        self.fields["year"].initial = timezone.localdate().year


class ReportReopenForm(forms.Form):
    reason = forms.CharField(label=_("Lý do mở lại"), max_length=500, widget=forms.Textarea(attrs={"rows": 2}),
                             error_messages={"required": _("Hãy ghi lý do mở lại năm.")})
