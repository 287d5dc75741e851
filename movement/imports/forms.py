from crispy_forms.helper import FormHelper
from crispy_forms.layout import Layout, Submit
from django import forms
from django.utils.translation import gettext_lazy as _

# A 50,000-row workbook is about 2 MB; anything far larger is not an activity log.
MAX_UPLOAD_BYTES = 20 * 1024 * 1024


class WorkbookUploadForm(forms.Form):
    """The district is asked only of users who may write in several districts
    (administrators): ward names are unique within a district, not across them."""

    district = forms.ChoiceField(label=_("Quận, huyện"), required=True)
    file = forms.FileField(label=_("Tệp Excel (.xlsx)"),
                           widget=forms.ClearableFileInput(attrs={"accept": ".xlsx"}))

    def __init__(self, *args, districts, **kwargs):
        """districts: the Districts (and Provinces, for the wards directly under
        them since 1/7/2025) whose wards the user may import into."""
        super().__init__(*args, **kwargs)
        self.areas = {f"{area.area_kind}-{area.pk}": area for area in districts}
        self.fields["district"].choices = [("", "---------")] + [
            (key, str(area) if area.area_kind == "district" else _("Các phường, xã trực thuộc tỉnh %(province)s")
             % {"province": area}) for key, area in self.areas.items()]
        if len(self.areas) == 1:
            del self.fields["district"]
        self.helper = FormHelper()
        self.helper.layout = Layout(
            *(["district"] if "district" in self.fields else []),
            "file",
            Submit("upload", _("Tải lên và kiểm tra"), css_class="btn-primary"),
        )

    def clean_district(self):
        return self.areas[self.cleaned_data["district"]]

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith(".xlsx"):
            raise forms.ValidationError(_("Hãy chọn tệp Excel có đuôi .xlsx (Excel 2007 trở lên)."))
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(_("Tệp lớn quá 20 MB."))
        return upload
