"""Issue #16: the pages opened most cost less to render and read as before. The
dashboard's table is written by its template tags, not a template per ward; a
model's page lays out the forms its reader may use in one plain template, not
crispy-forms' templates per field; whole numbers are written without looking up
the language's separators each time."""
import datetime
import re

import pytest
from django import forms
from django.core.cache import cache
from django.template import Context, Template
from django.urls import reverse
from django.utils import translation
from django.utils.formats import number_format

from areas.models import Ward
from core.numbers import format_number
from core.widgets import Select
from models_registry import services as model_services
from models_registry.models import Review, StatusChange
from movement.models import PropagandaSession
from tests.factories import ModelKindFactory, PropagandaSessionFactory, UnitFactory, UnitPlanFactory, WardFactory

pytestmark = pytest.mark.django_db
D = datetime.date
DASHBOARD = "/dashboard/"


def _text(html):
    """The text a reader sees, tags removed and whitespace collapsed."""
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def _row(page, ward_name):
    """The HTML of a ward's row in the dashboard's table."""
    start = page.index(f'<th scope="row" data-sort="{ward_name}">')
    return page[start:page.index("</tr>", start)]


def _cells(row):
    """Each figure cell of a row: (its data-sort, its text)."""
    return [(sort, _text(cell)) for sort, cell in re.findall(r'<td class="num" data-sort="([^"]*)">(.*?)</td>', row)]


# --- Numbers --------------------------------------------------------------------------------

@pytest.mark.parametrize("language", ["vi", "en"])
@pytest.mark.parametrize("value", [0, 7, 999, 1000, -1234, 2365, 1234567, -987654321, 10**15])
def test_a_whole_number_reads_as_django_writes_it_in_the_interface_language(language, value):
    # given the interface language
    with translation.override(language):
        # when a count is written the quick way
        text = format_number(value)
        # then it reads as Django's number_format writes it (2.365 in Vietnamese, 2,365 in English)
        assert text == str(number_format(value, decimal_pos=0, force_grouping=True))


def test_the_separators_read_once_follow_a_change_of_the_formats(settings):
    with translation.override("vi"):
        assert format_number(2365) == "2.365"
        # when the project's formats are dropped and the settings say not to group
        settings.FORMAT_MODULE_PATH = None
        settings.NUMBER_GROUPING = 0
        # then the number is written as Django would now write it
        assert format_number(2365) == str(number_format(2365, decimal_pos=0, force_grouping=True)) == "2365"


# --- The dashboard's table ------------------------------------------------------------------

def test_a_wards_row_reads_its_figures_trends_and_share_as_before(client, data):
    # given 1,500 more people at a session in Trung Đô in 2020 (40 in 2019)
    PropagandaSessionFactory(ward=data.ward_a, held_on=D(2020, 6, 1), attendance=1500)
    client.force_login(data.committee)
    # when the committee opens 2020
    page = client.get(DASHBOARD, {"year": 2020}).content.decode()
    # then Trung Đô's sessions and people are grouped, sort by their raw value and rose against 2019
    trung_do = _row(page, "Trung Đô")
    cells = _cells(trung_do)
    assert cells[0] == ("3", "3 ▲ (năm trước: 1)")
    assert cells[1] == ("1850", "1.850 ▲ (năm trước: 40)")
    assert 'title="năm trước: 40"' in trung_do
    # each figure is a link to its records that says what it counts
    assert (f'<a href="/tuyen-truyen/?ward={data.ward_a.pk}&amp;year=2020" data-figure="attendances" '
            f'data-value="1850">1.850</a>') in trung_do
    # its one active unit has a plan: 1/1, 100,0 %
    assert ("100.0", "1 / 1 100,0%") in cells
    # Vinh Tân's people fell (75 in 2019); Hưng Lộc has no unit, so no share, sorted last
    assert _cells(_row(page, "Vinh Tân"))[1] == ("60", "60 ▼ (năm trước: 75)")
    assert ("-1", "0 / 0 —") in _cells(_row(page, "Hưng Lộc"))


def test_the_table_reads_the_english_way_in_english(client, data, settings):
    PropagandaSessionFactory(ward=data.ward_a, held_on=D(2020, 6, 1), attendance=1500)
    client.force_login(data.committee)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.get(DASHBOARD, {"year": 2020}).content.decode()
    cells = _cells(_row(page, "Trung Đô"))
    assert cells[1][1].startswith("1,850 ▲") and ("100.0", "1 / 1 100.0%") in cells


def test_a_wards_flags_stand_beside_its_name_and_in_their_column(client, data):
    # given the committee's 2020 dashboard
    client.force_login(data.committee)
    page = client.get(DASHBOARD, {"year": 2020}).content.decode()
    # then Hưng Lộc, with nothing at all, is flagged beside its name (icons named for screen readers)...
    hung_loc = _row(page, "Hưng Lộc")
    assert ('<span class="badge text-bg-danger" role="img" aria-label="Không có mô hình hoạt động" '
            'title="Không có mô hình hoạt động">') in hung_loc
    # ...and in the flags column, in words for screen readers
    column = hung_loc[hung_loc.index('class="dash-flags-cell dash-flags-col"'):]
    assert '<span class="visually-hidden">Không có mô hình hoạt động</span>' in column
    assert "Chưa có kế hoạch trong năm" in column
    # and Vinh Tân's fallen figures are counted, then named
    vinh_tan = _row(page, "Vinh Tân")
    assert re.search(r'data-count="3"><i class="bi bi-graph-down-arrow"', vinh_tan)
    assert ("3 Giảm so với năm trước: Lượt người nghe tuyên truyền, Mô hình ra mắt, Mô hình hoạt động cuối năm"
            in _text(vinh_tan))


def test_a_ward_without_flags_says_so(client, world):
    # given a ward with an active model, a plan and a session this week
    unit = UnitFactory(ward=world.ward_a)
    model_services.model_create(ward=world.ward_a, user=world.officer_a, name="Tổ tự quản", kind=ModelKindFactory(),
                                launched_on=D(2020, 3, 20), members=12, units=[unit])
    PropagandaSessionFactory(ward=world.ward_a, unit=unit, held_on=datetime.date.today())
    UnitPlanFactory(unit=unit, year=datetime.date.today().year, issued_on=datetime.date.today())
    client.force_login(world.officer_a)
    # when its officer opens the ward's dashboard
    page = client.get(DASHBOARD).content.decode()
    # then the ward's own flags say there is nothing to fix
    assert "Không có cảnh báo" in _text(page[page.index('id="flags-title"'):])


def test_the_templates_rendered_do_not_grow_with_the_wards(client, data):
    """Like the queries, the templates a dashboard renders are counted: a template
    per ward (once three per row) made a district's table most of its time."""
    client.force_login(data.committee)
    before = [t.name for t in client.get(DASHBOARD, {"year": 2020}).templates]
    # when the district gets 15 more wards with figures
    for n in range(15):
        ward = WardFactory(district=data.district)
        PropagandaSessionFactory(ward=ward, unit=UnitFactory(ward=ward), held_on=D(2020, 1 + n % 12, 3))
    cache.clear()
    after = [t.name for t in client.get(DASHBOARD, {"year": 2020}).templates]
    # then the page renders the same templates, none of them once per ward
    assert after == before
    assert "dashboard/_body.html" in after


# --- A model's page -------------------------------------------------------------------------

def _launch(world):
    return model_services.model_create(ward=world.ward_a, user=world.officer_a, name="Sinh viên tự quản",
                                       kind=ModelKindFactory(), launched_on=D(2020, 3, 20), members=1200,
                                       units=[world.unit_a])


def _field(page, name):
    """The HTML of one field of the page's forms: its label, input, error and help."""
    start = page.index(f'<div id="div_id_{name}"')
    return page[start:page.index("\n</div>", start)]


def test_the_officer_gets_the_three_forms_each_field_with_its_label(client, world):
    # given
    model = _launch(world)
    client.force_login(world.officer_a)
    # when
    page = client.get(reverse("models_registry:model_detail", args=[model.pk])).content.decode()
    # then each form posts where it should, each field labelled, required ones marked
    for action in ("trang-thai", "danh-gia", "tep"):
        assert f'action="/mo-hinh/{model.pk}/{action}/"' in page
    changed_on = _field(page, "status-changed_on")
    assert '<label for="id_status-changed_on" class="form-label requiredField">Từ ngày' in changed_on
    # (the widget's own class first, as crispy-forms writes it)
    assert 'id="id_status-changed_on"' in changed_on and 'class="dateinput form-control"' in changed_on
    assert 'class="select form-select"' in _field(page, "status-status")
    upload = _field(page, "files-attachments")
    assert 'aria-describedby="id_files-attachments_helptext"' in upload
    assert '<div id="id_files-attachments_helptext" class="form-text">' in upload
    # and the forms the officer does not need now stay folded
    assert "<details class=\"mb-3\">" in page and "<details>" in page


def test_the_committee_gets_no_form_it_may_not_use(client, world):
    model = _launch(world)
    client.force_login(world.committee)
    page = client.get(reverse("models_registry:model_detail", args=[model.pk])).content.decode()
    assert "Xác minh" in _text(page)
    for words in ("Đổi trạng thái", "Thêm đánh giá", "Tải lên", "Thêm ảnh hoặc PDF"):
        assert words not in _text(page)
    assert 'id="div_id_' not in page


def test_a_refused_status_change_shows_its_error_beside_the_date(client, world):
    # given
    model = _launch(world)
    client.force_login(world.officer_a)
    # when the officer dates the change before the launch
    response = client.post(reverse("models_registry:model_change_status", args=[model.pk]),
                           {"status-status": "paused", "status-changed_on": "2019-01-01", "status-note": "Tạm nghỉ"})
    # then nothing is saved and the page says why, beside the date
    assert response.status_code == 400
    page = response.content.decode()
    assert "Chưa lưu: vui lòng sửa các lỗi được đánh dấu bên dưới." in page
    changed_on = _field(page, "status-changed_on")
    assert 'class="dateinput form-control is-invalid"' in changed_on and 'aria-invalid="true"' in changed_on
    assert 'aria-describedby="id_status-changed_on_error"' in changed_on
    assert ('<div id="id_status-changed_on_error" class="invalid-feedback"><p id="error_1_id_status-changed_on">'
            '<strong>Ngày thay đổi trạng thái không được trước ngày ra mắt (20/03/2020).</strong></p></div>'
            in changed_on)
    # what was typed is kept, and the form stands open
    assert 'value="2019-01-01"' in changed_on and 'value="Tạm nghỉ"' in _field(page, "status-note")
    assert '<option value="paused" selected>' in _field(page, "status-status")
    assert '<details class="mb-3" open>' in page
    assert StatusChange.objects.filter(model=model).count() == 1


def test_a_refused_review_shows_its_error_beside_the_year(client, world):
    model = _launch(world)
    client.force_login(world.officer_a)
    response = client.post(reverse("models_registry:review_create", args=[model.pk]),
                           {"review-year": "2019", "review-kind": "tong_ket", "review-rating": "tot"})
    assert response.status_code == 400
    page = response.content.decode()
    year = _field(page, "review-year")
    assert "Năm đánh giá không được trước năm ra mắt (2020)." in _text(year) and "is-invalid" in year
    assert '<option value="tot" selected>' in _field(page, "review-rating")
    assert "<details open>" in page
    assert not Review.objects.exists()


def test_an_upload_without_a_file_is_refused_beside_the_file_field(client, world):
    model = _launch(world)
    client.force_login(world.officer_a)
    response = client.post(reverse("models_registry:attachments_add", args=[model.pk]), {})
    assert response.status_code == 400
    upload = _field(response.content.decode(), "files-attachments")
    assert 'form-control is-invalid"' in upload
    assert 'aria-describedby="id_files-attachments_helptext id_files-attachments_error"' in upload
    assert re.search(r'class="invalid-feedback"><p id="error_1_id_files-attachments"><strong>[^<]+</strong>', upload)


# --- Forms written in one pass, as crispy-forms writes them ---------------------------

def _same_markup(html):
    """HTML with the whitespace between and inside tags that crispy's templates
    leave, which a browser ignores, taken out."""
    html = re.sub(r"\s+", " ", str(html))
    html = re.sub(r"\s*(<|>|/>)\s*", r"\1", html)
    html = re.sub(r'"\s+', '" ', html)
    return re.sub(r"<(\w+)\s+", r"<\1 ", html)


class _Filters(forms.Form):
    q = forms.CharField(label="Tìm kiếm", required=False, max_length=20, help_text="Tên <em>hoặc</em> địa chỉ",
                        widget=forms.TextInput(attrs={"placeholder": "VD: Trường"}))
    kind = forms.ChoiceField(label="Loại", choices=[("", "Tất cả"), ("a", "Cơ quan & \"DN\"")], widget=Select)
    count = forms.IntegerField(label="Số người", help_text="Số nguyên")
    note = forms.CharField(label="Ghi chú", widget=forms.Textarea(attrs={"rows": 2}), required=False)
    day = forms.DateField(label="Ngày", widget=forms.DateInput(attrs={"type": "date"}))


@pytest.mark.parametrize("data", [None, {"q": "abc", "kind": "zz", "count": "x", "day": ""}],
                         ids=["blank", "refused"])
@pytest.mark.parametrize("name", list(_Filters.base_fields))
def test_a_filter_field_reads_as_crispy_forms_writes_it(data, name):
    # given two copies of a form, blank or after a refused input (crispy changes a
    # widget's classes as it renders, so each writer gets its own)
    theirs, ours = _Filters(data), _Filters(data)
    # when the field is written by crispy-forms and by the one-pass tag
    expected = Template("{% load crispy_forms_tags %}{{ form." + name + "|as_crispy_field }}").render(
        Context({"form": theirs}))
    written = Template("{% load core_tags %}{% field_block form." + name + " %}").render(Context({"form": ours}))
    # then the two are the same markup: label, required mark, classes, errors, help
    assert _same_markup(written) == _same_markup(expected)


ACTIVITY_FORMS = {"session": "/tuyen-truyen/them/", "signing": "/ky-cam-ket/them/", "plan": "/ke-hoach/them/",
                  "commendation": "/bieu-duong/them/"}


def _unmasked(html):
    # Each CSRF token written is the secret under a new mask.
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', 'name="csrfmiddlewaretoken" value="…"', html)


def _form_of(page):
    start = page.index("<form", page.index("<main"))
    return _unmasked(page[start:page.index("</form>", start) + len("</form>")])


def _crispy(page, form):
    """What {% crispy form %} writes for the page's form."""
    return _unmasked(Template("{% load crispy_forms_tags %}{% crispy form %}").render(
        Context({"form": form, "csrf_token": "…"})))


@pytest.mark.parametrize("kind", list(ACTIVITY_FORMS))
@pytest.mark.parametrize("posted", [False, True], ids=["new", "refused"])
def test_an_activity_form_reads_as_crispy_forms_writes_it(client, world, kind, posted):
    # given an officer of a ward that another merged into (the ward picker shows)
    Ward.objects.filter(pk=world.ward_b.pk).update(valid_to=D(2025, 6, 30), successor=world.ward_a)
    client.force_login(world.officer_a)
    url = ACTIVITY_FORMS[kind]
    # when the form is opened, or posted with a future date and a negative count
    bad = {"held_on": "2099-01-01", "signed_on": "x", "awarded_on": "", "attendance": "-3", "signatories": "-1",
           "year": "1800", "topic": ""}
    response = client.post(url, bad) if posted else client.get(url)
    page = response.content.decode()
    # then the form reads exactly as crispy-forms wrote it: the same fields, rows,
    # errors beside their fields, and the save button
    form = response.context["form"]
    assert form.is_bound is posted and (not posted or form.errors)
    assert _same_markup(_form_of(page)) == _same_markup(_crispy(page, form))


def test_an_edit_form_carries_its_version_as_crispy_forms_writes_it(client, world):
    session = PropagandaSessionFactory(ward=world.ward_a, unit=world.unit_a, held_on=D(2024, 3, 5))
    client.force_login(world.officer_a)
    response = client.get(reverse("movement:session_update", args=[session.pk]))
    page = response.content.decode()
    assert 'name="version"' in _form_of(page)
    assert _same_markup(_form_of(page)) == _same_markup(_crispy(page, response.context["form"]))


def test_a_plans_year_reads_as_a_year_in_the_list(client, world):
    # given a plan of 2024 (the list used to write its year as a count: "2.024")
    UnitPlanFactory(unit=world.unit_a, year=2024, number="05/KH-THCS")
    client.force_login(world.officer_a)
    # when
    page = client.get(reverse("movement:plan_list")).content.decode()
    # then
    assert '<td data-label="Năm">2024</td>' in page and "2.024" not in page
    assert '<a href="/ke-hoach/' in page and "05/KH-THCS</a>" in page


# --- Choice labels read from a table built once -----------------------------------------

@pytest.mark.parametrize("language", ["vi", "en"])
def test_a_choices_label_reads_as_djangos_in_the_interface_language(world, language):
    session = PropagandaSessionFactory(ward=world.ward_a, channel="hoi_nghi", audience="hoc_sinh")
    unit = world.unit_a
    with translation.override(language):
        # a value of the choices, one that is not (an old code), and none
        assert session.get_channel_display() == str(PropagandaSession._meta.get_field("channel").choices[0][1])
        assert session.get_channel_display() == ("Hội nghị" if language == "vi" else "Conference")
        session.channel = "ma_cu"
        assert session.get_channel_display() == "ma_cu"
        unit.school_level = ""
        assert unit.get_school_level_display() == ""
        unit.school_level = None
        assert unit.get_school_level_display() is None


def test_a_refused_duplicate_reads_as_crispy_forms_writes_it(client, world):
    # given a session already recorded
    client.force_login(world.officer_a)
    posted = {"held_on": "2024-03-05", "unit": world.unit_a.pk, "topic": "Phòng chống ma túy", "channel": "hoi_nghi",
              "audience": "hoc_sinh", "attendance": "40"}
    assert client.post(ACTIVITY_FORMS["session"], posted).status_code == 302
    # when the same one is posted again
    response = client.post(ACTIVITY_FORMS["session"], posted)
    page = response.content.decode()
    # then the form's own error sits above its fields, as crispy-forms writes it
    form = response.context["form"]
    assert form.non_field_errors() and '<div class="alert alert-block alert-danger">' in _form_of(page)
    assert _same_markup(_form_of(page)) == _same_markup(_crispy(page, form))
