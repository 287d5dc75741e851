"""Who reads, edits and verifies what once Vinh's wards have merged (issue #13 §2
and §5): the ward officers follow their ward into its successor, the city's
committee keeps reading its wards' history and changes nothing, the province
verifies what is left without a committee above it, and a record dated before
a merge goes in the ward of its date.

The areas are the shipped ones (load_wards, then load_reorganisations), and the
clock is a late-2026 morning in Vinh, except for the "before" table, which is
the same city in mid-2024 with the reorganisation not loaded at all: an honest
before, not an after with the rows hidden."""
import datetime
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse

from accounts.models import Role
from areas.models import Ward
from models_registry import services as model_services
from models_registry.models import SecurityModel
from models_registry.selectors import visible_models
from movement import scope
from movement.activities import services as activity_services
from movement.models import PropagandaSession
from tests.factories import (
    ModelKindFactory,
    PropagandaSessionFactory,
    UnitFactory,
    UserFactory,
    administrator,
    district_member,
    ward_officer,
)

pytestmark = pytest.mark.django_db

D = datetime.date
VINH_TZ = ZoneInfo("Asia/Ho_Chi_Minh")
AFTER = datetime.datetime(2026, 11, 29, 9, tzinfo=VINH_TZ)
BEFORE = datetime.datetime(2024, 6, 1, 9, tzinfo=VINH_TZ)


def ward(name, district="Vinh", kind="phuong"):
    lookup = {"district__name": district} if district else {"district__isnull": True}
    return Ward.objects.get(name=name, kind=kind, **lookup)


def _session(ward, day, topic, unit=None):
    return PropagandaSessionFactory(ward=ward, held_on=day, unit=unit, topic=topic, attendance=40)


def _launch(ward, day, name, units=(), user=None):
    return model_services.model_create(ward=ward, user=user, name=name, kind=ModelKindFactory(), launched_on=day,
                                       members=30, units=list(units))


def _people(city):
    """The people of the city before the reorganisation: an officer of Trung Đô, one
    of Lê Lợi (Thành Vinh's since 1/7/2025), the city's committee, the province's
    police and an administrator."""
    city.officer = ward_officer(city.trung_do, username="cb.trungdo")
    city.other_officer = ward_officer(ward("Lê Lợi"), username="cb.leloi")
    city.committee = district_member(city.trung_do.district, username="bcd.vinh")
    city.province = UserFactory(role=Role.PROVINCE, username="ca.tinh")
    city.admin = administrator(username="quantri")


@pytest.fixture
def before(db):
    """Mid-2024: Trung Đô is a ward of Thành phố Vinh with a 2020 session and a model
    launched in May 2024. The clock stays on 1/6/2024 for the whole test."""
    with time_machine.travel(BEFORE, tick=False):
        call_command("load_wards", stdout=StringIO())
        city = type("City", (), {})()
        city.trung_do = ward("Trung Đô")
        city.school = UnitFactory(ward=city.trung_do, name="Trường THCS Trung Đô", kind="nha_truong")
        _people(city)
        city.records = {
            "session 2020": _session(city.trung_do, D(2020, 8, 19), "Phòng chống ma túy"),
            "model 2024": _launch(city.trung_do, D(2024, 5, 20), "Cổng trường an toàn", [city.school],
                                  user=city.officer),
        }
        yield city


@pytest.fixture
def after(db):
    """29/11/2026: the same city lived through both reorganisations. Trung Đô has a
    2020 session, a March 2025 session and a 2024 model; since 1/7/2025 it is part
    of Phường Trường Vinh, which has a September 2025 session and model. The clock
    stays on that morning for the whole test."""
    with time_machine.travel(AFTER, tick=False):
        call_command("load_wards", stdout=StringIO())
        city = type("City", (), {})()
        city.trung_do = ward("Trung Đô")
        city.school = UnitFactory(ward=city.trung_do, name="Trường THCS Trung Đô", kind="nha_truong")
        city.block = UnitFactory(ward=ward("Bến Thủy"), name="Khối 3 Bến Thủy", kind="khu_dan_cu")
        _people(city)
        city.records = {
            "session 2020": _session(city.trung_do, D(2020, 8, 19), "Phòng chống ma túy"),
            "session 2025-03": _session(city.trung_do, D(2025, 3, 10), "An toàn giao thông", city.school),
            "model 2024": _launch(city.trung_do, D(2024, 5, 20), "Cổng trường an toàn", [city.school],
                                  user=city.officer),
        }
        call_command("load_reorganisations", stdout=StringIO())
        # As a new request would read them: re-homed, moved, the district ended.
        for stale in (city.officer, city.other_officer, city.committee, city.school, city.block):
            stale.refresh_from_db()
        city.trung_do = ward("Trung Đô")
        city.truong_vinh = ward("Trường Vinh", district=None)
        city.thanh_vinh = ward("Thành Vinh", district=None)
        city.records["session 2025-09"] = _session(city.truong_vinh, D(2025, 9, 15), "Ngày hội toàn dân")
        city.records["model 2025"] = _launch(city.truong_vinh, D(2025, 9, 20), "Tổ tự quản khối 3",
                                             user=city.officer)
        yield city


def _outcomes(city, who):
    """What `who` may do with each record, written as the tables below write it:
    r = reads it, e = edits it, v = verifies it; "-" where not."""
    user = getattr(city, who)
    outcomes = {}
    for name, record in city.records.items():
        # Read again as a page reads it: with its ward and district of today.
        record = type(record).objects.select_related("ward__district").get(pk=record.pk)
        readable = (visible_models(user) if isinstance(record, SecurityModel) else
                    scope.scope_queryset(user, PropagandaSession.objects.all())).filter(pk=record.pk).exists()
        outcomes[name] = "".join([
            "r" if readable else "-",
            "e" if scope.can_edit_ward(user, record.ward) else "-",
            "v" if scope.can_verify_ward(user, record.ward) else "-",
        ])
    return outcomes


# --- The permission matrix ------------------------------------------------------

@pytest.mark.parametrize("who, expected", [
    # The officer of Trung Đô reads and edits the ward's records; the city's
    # committee, the body above the ward, verifies them; the province reads all
    # and leaves the verification to the committee; Lê Lợi's officer sees none.
    ("officer", {"session 2020": "re-", "model 2024": "re-"}),
    ("committee", {"session 2020": "r-v", "model 2024": "r-v"}),
    ("province", {"session 2020": "r--", "model 2024": "r--"}),
    ("other_officer", {"session 2020": "---", "model 2024": "---"}),
    ("admin", {"session 2020": "rev", "model 2024": "rev"}),
])
def test_before_the_merge_the_committee_verifies_trung_dos_records(before, who, expected):
    assert _outcomes(before, who) == expected


@pytest.mark.parametrize("who, expected", [
    # The officer, re-homed to Trường Vinh, reads and edits Trung Đô's history and
    # Trường Vinh's records, and verifies none.
    ("officer", {"session 2020": "re-", "session 2025-03": "re-", "session 2025-09": "re-",
                 "model 2024": "re-", "model 2025": "re-"}),
    # The city's committee reads its wards' history and changes nothing: its
    # district ended on 30/6/2025. Trường Vinh was never one of its wards.
    ("committee", {"session 2020": "r--", "session 2025-03": "r--", "session 2025-09": "---",
                   "model 2024": "r--", "model 2025": "---"}),
    # The province verifies Trường Vinh's records (the body above a ward directly
    # under it) and also Trung Đô's: the body above Trung Đô at their dates was
    # Vinh's committee, which no longer exists, and the province took its place
    # above the wards (movement.scope.can_verify_ward).
    ("province", {"session 2020": "r-v", "session 2025-03": "r-v", "session 2025-09": "r-v",
                  "model 2024": "r-v", "model 2025": "r-v"}),
    # Thành Vinh's officer (Lê Lợi's, re-homed) sees none of Trường Vinh's.
    ("other_officer", {"session 2020": "---", "session 2025-03": "---", "session 2025-09": "---",
                       "model 2024": "---", "model 2025": "---"}),
    ("admin", {"session 2020": "rev", "session 2025-03": "rev", "session 2025-09": "rev",
               "model 2024": "rev", "model 2025": "rev"}),
])
def test_after_the_merge_the_officer_follows_the_ward_and_the_province_verifies(after, who, expected):
    assert _outcomes(after, who) == expected


def test_the_people_were_rehomed_as_the_tables_assume(after):
    assert after.officer.ward == after.truong_vinh
    assert after.other_officer.ward == after.thanh_vinh
    assert after.trung_do.district.valid_to == D(2025, 6, 30)


# --- Verification on the pages ----------------------------------------------------

@pytest.mark.parametrize("who, model, offered", [
    ("province", "model 2025", True),
    ("province", "model 2024", True),
    ("committee", "model 2024", False),
    ("officer", "model 2025", False),
])
def test_the_verify_button_follows_can_verify_ward(client, after, who, model, offered):
    # given
    model = after.records[model]
    client.force_login(getattr(after, who))
    # when
    page = client.get(reverse("models_registry:model_detail", args=[model.pk])).content.decode()
    verified = client.post(reverse("models_registry:model_verify", args=[model.pk]))
    # then: the button is offered exactly to those whose verification is accepted
    assert (reverse("models_registry:model_verify", args=[model.pk]) in page) is offered
    assert verified.status_code == (302 if offered else 403)
    model.refresh_from_db()
    assert (model.verification == SecurityModel.Verification.VERIFIED) is offered


def test_a_province_edit_keeps_the_verification_like_the_committees(after):
    assert scope.edit_keeps_verification(after.province) is True
    assert scope.edit_keeps_verification(after.officer) is False


def test_the_ended_committee_imports_nothing(after):
    assert not scope.importable_wards(after.committee).exists()


def test_before_the_end_the_committee_imports_for_its_wards(before):
    assert scope.importable_wards(before.committee).filter(pk=before.trung_do.pk).exists()


# --- New records go in the ward of their date -------------------------------------

def _session_post(**overrides):
    return {"held_on": "2026-11-01", "topic": "Phổ biến Luật An ninh mạng", "channel": "hoi_nghi",
            "audience": "nhan_dan", "attendance": "120", **overrides}


def test_the_rehomed_officer_records_todays_sessions_in_truong_vinh(client, after):
    # given
    client.force_login(after.officer)
    # when: the form as the browser posts it (the picker starts on Trường Vinh)
    form = client.get(reverse("movement:session_create")).context["form"]
    response = client.post(reverse("movement:session_create"), _session_post(ward=after.truong_vinh.pk))
    # and as a script posts it, without the picker
    client.post(reverse("movement:session_create"), _session_post(topic="Họp tổ dân phố"))
    # then
    assert form["ward"].value() == after.truong_vinh.pk
    assert response.status_code == 302
    assert set(PropagandaSession.objects.filter(held_on=D(2026, 11, 1)).values_list("ward", flat=True)) == {
        after.truong_vinh.pk}
    assert PropagandaSession.objects.filter(held_on=D(2026, 11, 1)).count() == 2


def test_a_session_dated_before_the_merge_goes_in_the_ward_its_unit_was_in(client, after):
    # given: the school has been in Trường Vinh since 1/7/2025
    client.force_login(after.officer)
    # when
    response = client.post(reverse("movement:session_create"), _session_post(
        held_on="2025-03-12", unit=after.school.pk, ward=after.truong_vinh.pk))
    # then
    assert response.status_code == 302
    session = PropagandaSession.objects.get(held_on=D(2025, 3, 12))
    assert session.ward == after.trung_do and session.unit == after.school


def test_without_a_unit_the_officer_is_asked_for_the_unit_or_the_old_ward(client, after):
    # given
    client.force_login(after.officer)
    # when: no unit says which of Trường Vinh's seven wards of March 2025
    refused = client.post(reverse("movement:session_create"), _session_post(held_on="2025-03-12"))
    # then: the date says so, naming the wards of that day
    error = refused.context["form"].errors["held_on"][0]
    assert "Ngày 12/03/2025 chưa có Phường Trường Vinh" in error
    assert "Phường Trung Đô" in error and "Phường Bến Thủy" in error and "Hãy chọn đơn vị" in error
    assert not PropagandaSession.objects.filter(held_on=D(2025, 3, 12)).exists()
    # when: the officer picks the old ward
    picked = client.post(reverse("movement:session_create"),
                         _session_post(held_on="2025-03-12", ward=after.trung_do.pk))
    # then
    assert picked.status_code == 302
    assert PropagandaSession.objects.get(held_on=D(2025, 3, 12)).ward == after.trung_do


def test_the_ward_picker_offers_the_officers_wards_of_every_date(client, after):
    client.force_login(after.officer)
    page = client.get(reverse("movement:session_create"))
    labels = [label for _value, label in page.context["form"].fields["ward"].choices]
    assert labels[0] == "Phường Trường Vinh"
    assert "Phường Trung Đô – Thành phố Vinh (đến 30/06/2025)" in labels
    assert "Phường Lê Lợi – Thành phố Vinh (đến 30/06/2025)" not in labels  # Thành Vinh's, not theirs


@pytest.mark.parametrize("ward_name, day, expected", [
    # a ward valid that day keeps the record
    ("Trung Đô", D(2025, 3, 10), "Trung Đô"),
    # after Trung Đô ended, its successor of that day
    ("Trung Đô", D(2025, 9, 1), "Trường Vinh"),
    # before Trường Vinh began, the predecessor the unit was in
    ("Trường Vinh", D(2025, 3, 10), "Trung Đô"),
    ("Trường Vinh", D(2025, 9, 1), "Trường Vinh"),
])
def test_a_record_lands_only_in_a_ward_valid_on_its_date(after, ward_name, day, expected):
    # given
    start = after.trung_do if ward_name == "Trung Đô" else after.truong_vinh
    # when
    session = activity_services.session_create(ward=start, user=after.officer, held_on=day, unit=after.school,
                                               topic="Phòng cháy chữa cháy", channel="hoi_nghi",
                                               audience="nhan_dan", attendance=10)
    # then
    assert session.ward.name == expected and session.ward.is_valid_on(day)


def test_a_unit_of_another_ward_that_day_is_refused(after):
    # given: Bến Thủy's block was never in Trung Đô
    with pytest.raises(ValidationError) as refused:
        activity_services.session_create(ward=after.trung_do, user=after.officer, held_on=D(2025, 3, 10),
                                         unit=after.block, topic="Họp khối", channel="cuoc_hop",
                                         audience="nhan_dan", attendance=10)
    assert refused.value.message_dict["unit"] == ["Đơn vị này không thuộc phường, xã của bản ghi."]


def test_a_model_launched_before_the_merge_goes_in_its_units_ward_of_that_day(after):
    model = _launch(after.truong_vinh, D(2025, 4, 2), "Camera an ninh", [after.school], user=after.officer)
    with pytest.raises(ValidationError) as refused:
        _launch(after.truong_vinh, D(2025, 4, 2), "Tổ tuần tra", user=after.officer)
    assert model.ward == after.trung_do
    assert "Ngày 02/04/2025 chưa có Phường Trường Vinh" in refused.value.message_dict["launched_on"][0]


def test_an_old_record_keeps_its_moved_unit_when_edited(client, after):
    # given: March 2025's session in Trung Đô, its school in Trường Vinh since
    session = after.records["session 2025-03"]
    client.force_login(after.officer)
    url = reverse("movement:session_update", args=[session.pk])
    form = client.get(url).context["form"]
    # when
    response = client.post(url, {**_session_post(held_on="2025-03-10", unit=after.school.pk,
                                                 topic="An toàn giao thông", attendance="45"),
                                 "version": form["version"].value()})
    # then
    assert response.status_code == 302
    session.refresh_from_db()
    assert (session.ward, session.unit, session.attendance) == (after.trung_do, after.school, 45)


def test_the_old_models_form_still_offers_its_moved_units(client, after):
    model = after.records["model 2024"]
    client.force_login(after.officer)
    form = client.get(reverse("models_registry:model_update", args=[model.pk])).context["form"]
    assert after.school in form.fields["units"].queryset
