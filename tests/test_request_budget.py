"""The year-end peak (issue #16): the pages officers open most cost half the CPU
they did, and look and behave exactly as before. The drop-downs are written by
core.widgets.Select in one pass, the unit choices read as rows, a new session is
checked against the database constraints by saving it; the query counts are
pinned here so they cannot grow back."""
import datetime
import re

import pytest
from django import forms
from django.db import connection
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy

from areas.models import Ward
from core.forms import WholeNumberField
from core.widgets import Select, render_input, renders_plain_input
from movement.models import PropagandaSession
from tests.factories import PropagandaSessionFactory, UnitFactory, WardFactory, ward_officer

D = datetime.date
NOT_IN_WARD = "Đơn vị này không thuộc phường, xã của bản ghi."


# --- the drop-down ---------------------------------------------------------------

CHOICES = [("", gettext_lazy("Tất cả")), (1, "Trường <THCS> & \"Vinh\""), ("2", 2025), (3, mark_safe("<b>an</b>")),
           ("3", "the same value again"), (None, "no value")]
GROUPED = [("Nhà trường", [(4, "Trường A"), (5, "Trường B")]), (6, "Khác"), ("Cơ quan", ((7, "UBND"),))]


@pytest.mark.parametrize("choices, value", [(CHOICES, "3"), (CHOICES, None), (CHOICES, ["2"]), (GROUPED, 5), ([], "")])
@pytest.mark.parametrize("attrs", [
    None,
    {"id": "id_unit", "class": "select form-select is-invalid", "required": True, "aria-invalid": "true",
     "disabled": False, "data-empty": None, "title": 'tên "có" <dấu>', "data-n": 7},
])
@pytest.mark.parametrize("language", ["vi", "en"])
def test_the_fast_select_writes_what_djangos_select_writes(choices, value, attrs, language):
    # given: the same widget attributes (a filter bar's, the dashboard's) and choices
    base = {"class": "form-select form-select-sm", "onchange": "this.form.submit()"}
    with translation.override(language):
        # when
        ours = Select(attrs=base, choices=choices).render("unit", value, attrs)
        # then: byte for byte, and as safe HTML
        assert ours == forms.Select(attrs=base, choices=choices).render("unit", value, attrs)
        assert hasattr(ours, "__html__")


# --- the inputs ----------------------------------------------------------------------

class _Inputs(forms.Form):
    topic = forms.CharField(label="Nội dung", max_length=500, help_text="Ngắn gọn",
                            widget=forms.TextInput(attrs={"placeholder": gettext_lazy("VD: Phổ biến \"Luật\" <ANM>")}))
    held_on = forms.DateField(label="Ngày", widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    count = WholeNumberField(label="Số người", required=False)
    year = forms.IntegerField(label="Năm", localize=True, widget=forms.NumberInput(attrs={"inputmode": "numeric"}))
    email = forms.EmailField(required=False, disabled=True, initial="a@b.vn")
    version = forms.CharField(widget=forms.HiddenInput, required=False, initial='{"at": "x<y"}')


@pytest.mark.parametrize("data", [None, {"topic": "Tuyên truyền & <b>an</b>", "held_on": "2099-13-01", "count": "-1.200",
                                         "year": "12345"}], ids=["blank", "posted"])
@pytest.mark.parametrize("language", ["vi", "en"])
@pytest.mark.parametrize("name", list(_Inputs.base_fields))
def test_an_input_is_written_as_django_writes_it(data, language, name):
    # given a blank form and one posted with values to show again and errors
    form = _Inputs(data, initial={"held_on": datetime.date(2024, 3, 5), "year": 2024})
    form.is_valid()
    field = form[name]
    attrs = {"class": "textinput form-control is-invalid"}
    with translation.override(language):
        # when the input is written in one pass
        assert renders_plain_input(field.field.widget)
        ours = render_input(field, dict(attrs))
        # then it is Django's, byte for byte (value, id, required, aria-*, escaping)
        assert ours == field.as_widget(attrs=dict(attrs))
        assert hasattr(ours, "__html__")


def test_check_boxes_and_files_are_left_to_django():
    assert not renders_plain_input(forms.CheckboxInput())
    assert not renders_plain_input(forms.ClearableFileInput())
    assert not renders_plain_input(forms.Textarea())
    assert not renders_plain_input(Select())


# --- the new-session form ---------------------------------------------------------

@pytest.fixture
def merged(world):
    """Trung Đô and Vinh Tân merged into Trường Vinh on 1/7/2025: its officer
    records in the three of them, a session dated before the merge going to the
    old ward."""
    w = world
    w.new_ward = WardFactory(district=w.district, name="Trường Vinh", valid_from=D(2025, 7, 1))
    Ward.objects.filter(pk__in=[w.ward_a.pk, w.ward_b.pk]).update(valid_to=D(2025, 6, 30), successor=w.new_ward)
    w.unit_new = UnitFactory(ward=w.new_ward, name="Trường THPT Huỳnh Thúc Kháng")
    w.officer_new = ward_officer(w.new_ward, username="cb.truongvinh")
    return w


def _options(page, name):
    select = re.search(rf'<select name="{name}".*?</select>', page, re.DOTALL).group(0)
    return re.findall(r'<option value="([^"]*)"( selected)?>([^<]*)</option>', select)


def _session(**overrides):
    return {"held_on": "2024-03-26", "topic": "Phổ biến Luật An ninh mạng cho sinh viên", "channel": "hoi_nghi",
            "audience": "hoc_sinh", "attendance": "1200", **overrides}


def test_an_officer_of_a_merged_ward_sees_each_unit_with_its_ward(client, merged):
    # given
    client.force_login(merged.officer_new)
    # when
    page = client.get(reverse("movement:session_create")).content.decode()
    # then: every unit of the three wards, named with its ward; the picker starts on today's ward
    assert sorted(label for _value, _selected, label in _options(page, "unit")) == [
        "Trường THCS Vinh Tân – Phường Vinh Tân", "Trường THPT Huỳnh Thúc Kháng – Phường Trường Vinh",
        "Trường Đại học Vinh – Phường Trung Đô", "— Không gắn với đơn vị cụ thể —"]
    wards = _options(page, "ward")
    assert wards[0] == (str(merged.new_ward.pk), " selected", "Phường Trường Vinh – Thành phố Vinh")
    assert {label for _value, _selected, label in wards[1:]} == {
        "Phường Trung Đô – Thành phố Vinh (đến 30/06/2025)", "Phường Vinh Tân – Thành phố Vinh (đến 30/06/2025)"}


def test_an_officer_of_one_ward_sees_the_unit_names_alone(client, world):
    # given
    police = UnitFactory(ward=world.ward_a, name="Công an phường Trung Đô")
    client.force_login(world.officer_a)
    # when
    page = client.get(reverse("movement:session_create")).content.decode()
    # then
    assert _options(page, "unit") == [("", " selected", "— Không gắn với đơn vị cụ thể —"),
                                      (str(police.pk), "", "Công an phường Trung Đô"),
                                      (str(world.unit_a.pk), "", "Trường Đại học Vinh")]
    assert '<select name="ward"' not in page


def test_a_unit_outside_the_officers_wards_is_refused_beside_the_unit(client, merged):
    # given: a ward of another district, its unit
    client.force_login(merged.officer_new)
    # when
    response = client.post(reverse("movement:session_create"), _session(unit=merged.unit_c.pk))
    # then
    assert response.context["form"].errors["unit"] == [NOT_IN_WARD]
    assert 'class="select form-select is-invalid"' in response.content.decode()
    assert not PropagandaSession.objects.exists()


def test_a_session_before_the_merge_goes_to_the_old_ward_of_its_unit(client, merged):
    # given
    client.force_login(merged.officer_new)
    # when
    response = client.post(reverse("movement:session_create"), _session(unit=merged.unit_b.pk,
                                                                         ward=merged.new_ward.pk))
    # then
    assert response.status_code == 302
    assert PropagandaSession.objects.get().ward == merged.ward_b


def test_a_ward_outside_the_officers_wards_is_refused_beside_the_picker(client, merged):
    # given: the picker offers the officer's three wards; a ward of another district
    # and a value that is no ward at all are posted
    client.force_login(merged.officer_new)
    for posted in (merged.ward_c.pk, "Trường Vinh", "9" * 30):
        # when
        response = client.post(reverse("movement:session_create"), _session(ward=posted))
        # then
        assert response.status_code == 200
        assert response.context["form"].errors["ward"] == ["Bạn không được ghi nhận cho phường, xã này."]
    assert not PropagandaSession.objects.exists()


def test_saving_through_the_ward_picker_costs_what_one_ward_costs(client, merged, django_assert_num_queries):
    # given: an officer whose ward others merged into, with its picker
    client.force_login(merged.officer_new)
    # as test_saving_a_new_session_costs_nineteen_queries: the ward posted is found
    # among the wards read for the form, not asked of the database again
    with django_assert_num_queries(19 + (connection.vendor == "postgresql")):
        response = client.post(reverse("movement:session_create"),
                               _session(unit=merged.unit_new.pk, ward=merged.new_ward.pk, held_on="2025-09-10"))
    assert response.status_code == 302
    assert PropagandaSession.objects.get().ward == merged.new_ward


def test_an_officers_list_shows_the_new_record_button_without_asking(client, world, django_assert_num_queries):
    # given
    client.force_login(world.officer_a)
    # session, user with its ward, the merged wards' ids, the visible wards (one: no
    # picker), totals, the page; the officer's ward exists, so may add a record
    with django_assert_num_queries(6):
        page = client.get(reverse("movement:session_list")).content.decode()
    assert f'href="{reverse("movement:session_create")}"' in page


def test_the_same_session_posted_twice_is_refused_once_saved_once(client, world):
    # given: one click saved it
    client.force_login(world.officer_a)
    assert client.post(reverse("movement:session_create"), _session(unit=world.unit_a.pk)).status_code == 302
    # when: the second click
    response = client.post(reverse("movement:session_create"), _session(unit=world.unit_a.pk))
    # then: the Vietnamese message on the page, one session in the list, one in the rollups
    assert response.status_code == 200
    assert "Buổi tuyên truyền này đã được ghi nhận." in response.content.decode()
    assert PropagandaSession.objects.count() == 1
    assert PropagandaSession.history.count() == 1


def test_a_session_edited_into_a_copy_of_another_is_refused_and_left_as_it_was(client, world):
    # given: two sessions of one day, one edited to say what the other says
    kept = PropagandaSessionFactory(ward=world.ward_a, unit=world.unit_a, topic="Phổ biến Luật Cư trú")
    edited = PropagandaSessionFactory(ward=world.ward_a, unit=world.unit_a, topic="Phổ biến Luật Giao thông")
    client.force_login(world.officer_a)
    form = client.get(reverse("movement:session_update", args=[edited.pk])).context["form"]
    # when
    response = client.post(reverse("movement:session_update", args=[edited.pk]), {
        **{name: form[name].value() for name in form.fields if form[name].value() is not None},
        "held_on": kept.held_on.isoformat(), "topic": kept.topic})
    # then
    assert "Buổi tuyên truyền này đã được ghi nhận." in response.content.decode()
    edited.refresh_from_db()
    assert edited.topic == "Phổ biến Luật Giao thông"
    assert edited.history.count() == 1


def test_a_negative_count_shows_beside_its_field_with_the_other_errors(client, world):
    # given
    client.force_login(world.officer_a)
    tomorrow = (timezone.localdate() + datetime.timedelta(days=1)).isoformat()
    # when
    response = client.post(reverse("movement:session_create"), _session(held_on=tomorrow, attendance="-3"))
    # then: both at once, each beside its field
    errors = response.context["form"].errors
    assert errors["held_on"] == ["Ngày không được ở tương lai."]
    assert errors["attendance"] == ["Số người tham dự không được âm."]
    assert not PropagandaSession.objects.exists()


def test_a_negative_count_alone_is_refused_beside_its_field(client, world):
    client.force_login(world.officer_a)
    response = client.post(reverse("movement:session_create"), _session(attendance="-3"))
    assert response.context["form"].errors["attendance"] == ["Số người tham dự không được âm."]
    assert not PropagandaSession.objects.exists()


# --- counted queries ----------------------------------------------------------------

def test_the_new_session_form_of_one_ward_costs_six_queries(client, world, django_assert_num_queries):
    # given: many units
    UnitFactory.create_batch(30, ward=world.ward_a)
    client.force_login(world.officer_a)
    # session, user with its ward (the menu names it), the officer's wards (the merged
    # ones' ids, then the wards), the units as rows, the legal documents
    with django_assert_num_queries(6):
        assert client.get(reverse("movement:session_create")).status_code == 200


def test_the_new_session_form_of_a_merged_ward_costs_the_same(client, merged, django_assert_num_queries):
    UnitFactory.create_batch(30, ward=merged.ward_a)
    client.force_login(merged.officer_new)
    # as for one ward: the ward picker's options are the wards read for the form
    with django_assert_num_queries(6):
        assert client.get(reverse("movement:session_create")).status_code == 200


def test_saving_a_new_session_costs_nineteen_queries(client, world, django_assert_num_queries):
    # given
    client.force_login(world.officer_a)
    # session, user, the officer's wards (2), the unit posted; the service's
    # savepoint, the unit's ward that day, the closed years; the save's savepoint,
    # the row, its history, the rollups' recount (5: the month's records, its
    # rows read, deleted and written, the year's rows deleted then written from
    # the months in one INSERT … SELECT; and on PostgreSQL the lock of the
    # ward's year first), the two savepoints' release. The constraints are
    # checked by the database as it saves, not by a SELECT each before.
    with django_assert_num_queries(19 + (connection.vendor == "postgresql")):
        response = client.post(reverse("movement:session_create"), _session(unit=world.unit_a.pk))
    assert response.status_code == 302


@pytest.mark.parametrize("value", [
    'Trường "Lê Lợi" <cơ sở 2> & Co\'s', "", 2365, -7, mark_safe("<b>đã an toàn</b>"),
    gettext_lazy("Tất cả"), datetime.date(2024, 3, 26), None, 12.5, True,
])
def test_the_fast_escape_gives_what_djangos_gives(value):
    from django.utils.html import conditional_escape

    from core.html import text

    assert text(value) == str(conditional_escape(value))
