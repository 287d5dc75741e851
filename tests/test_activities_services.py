"""The rules every activity record obeys, whoever writes it (form, import, command)."""
import datetime
import io

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import IntegrityError, transaction
from django.utils import timezone

from movement.activities.services import (
    activity_delete,
    commendation_create,
    plan_create,
    plan_update,
    session_create,
    session_update,
    signing_create,
)
from movement.models import Commendation, LegalDocument, PropagandaSession, UnitPlan
from tests.factories import LegalDocumentFactory, PropagandaSessionFactory

pytestmark = pytest.mark.django_db

SESSION = dict(held_on=datetime.date(2024, 3, 26), topic="Phổ biến Luật An ninh mạng", channel="hoi_nghi",
               audience="hoc_sinh", attendance=450)


def test_a_session_keeps_its_documents_and_their_codes_in_the_history(world):
    # given
    directive, decree = LegalDocumentFactory(code="07/CT-BCA"), LegalDocumentFactory(code="06/2014/NĐ-CP")
    # when
    session = session_create(ward=world.ward_a, unit=world.unit_a, user=world.officer_a,
                             legal_documents=[directive, decree], **SESSION)
    # then
    assert set(session.legal_documents.all()) == {directive, decree}
    record = session.history.get()
    assert record.history_user == world.officer_a
    assert record.legal_document_codes == "06/2014/NĐ-CP, 07/CT-BCA"
    # a later change of documents is a change the history shows
    session_update(session=session, user=world.officer_a, legal_documents=[directive])
    assert session.history.latest().legal_document_codes == "07/CT-BCA"


def test_a_unit_of_another_ward_is_refused_beside_the_unit_and_nothing_is_saved(world):
    with pytest.raises(ValidationError) as exc:
        session_create(ward=world.ward_a, unit=world.unit_b, **SESSION)
    assert exc.value.message_dict["unit"] == ["Đơn vị này không thuộc phường, xã của bản ghi."]
    assert not PropagandaSession.objects.exists()


def test_a_date_in_the_future_is_refused(world):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    with pytest.raises(ValidationError) as exc:
        signing_create(ward=world.ward_a, signed_on=tomorrow, content="Cam kết", signatories=10)
    assert exc.value.message_dict["signed_on"] == ["Ngày không được ở tương lai."]


def test_negative_counts_are_refused_by_the_service_and_by_the_database(world):
    with pytest.raises(ValidationError) as exc:
        session_create(ward=world.ward_a, **{**SESSION, "attendance": -1})
    assert exc.value.message_dict["attendance"] == ["Số người tham dự không được âm."]
    with pytest.raises(IntegrityError), transaction.atomic():
        PropagandaSession.objects.create(ward=world.ward_a, **{**SESSION, "attendance": -5})


def test_the_same_session_entered_twice_is_refused_with_or_without_a_unit(world):
    session_create(ward=world.ward_a, **SESSION)
    session_create(ward=world.ward_a, unit=world.unit_a, **SESSION)
    for unit in (None, world.unit_a):
        with pytest.raises(ValidationError) as exc:
            session_create(ward=world.ward_a, unit=unit, **{**SESSION, "topic": "  Phổ biến  Luật An ninh mạng "})
        assert "Buổi tuyên truyền này đã được ghi nhận." in exc.value.messages
    # the same session in another ward is another session
    session_create(ward=world.ward_b, **SESSION)
    assert PropagandaSession.objects.count() == 3


def test_a_plan_takes_its_ward_from_its_unit_and_numbers_are_unique_per_unit_and_year(world):
    plan = plan_create(unit=world.unit_a, year=2024, kind="ke_hoach", number="05/KH-ĐHV",
                       issued_on=datetime.date(2024, 1, 10))
    assert plan.ward == world.ward_a
    with pytest.raises(ValidationError) as exc:
        plan_create(unit=world.unit_a, year=2024, kind="ke_hoach", number="05/KH-ĐHV",
                    issued_on=datetime.date(2024, 2, 1))
    assert exc.value.message_dict["number"] == ["Đơn vị đã có văn bản cùng loại, cùng số hiệu trong năm này."]
    # next year's plan may reuse the number
    plan_create(unit=world.unit_a, year=2025, kind="ke_hoach", number="05/KH-ĐHV",
                issued_on=datetime.date(2024, 12, 20))
    assert UnitPlan.objects.count() == 2


def test_a_plan_issued_two_years_early_or_in_another_ward_is_refused(world):
    with pytest.raises(ValidationError) as exc:
        plan_create(unit=world.unit_a, year=2024, kind="nghi_quyet", number="01/NQ",
                    issued_on=datetime.date(2022, 5, 1))
    assert "issued_on" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        plan_create(unit=world.unit_b, ward=world.ward_a, year=2024, kind="nghi_quyet", number="01/NQ",
                    issued_on=datetime.date(2024, 5, 1))
    assert exc.value.message_dict["unit"] == ["Đơn vị này không thuộc phường, xã của bản ghi."]
    plan = plan_create(unit=world.unit_a, year=2024, kind="nghi_quyet", number="01/NQ",
                       issued_on=datetime.date(2024, 5, 1))
    with pytest.raises(ValidationError):
        plan_update(plan=plan, unit=world.unit_b)


def test_a_commendation_given_twice_the_same_day_is_refused(world):
    fields = dict(awarded_on=datetime.date(2024, 8, 19), honoree="Nguyễn Văn An", honoree_kind="ca_nhan",
                  title="nguoi_tot_viec_tot")
    commendation_create(ward=world.ward_a, **fields)
    with pytest.raises(ValidationError) as exc:
        commendation_create(ward=world.ward_a, **fields)
    assert exc.value.message_dict["honoree"]
    assert Commendation.objects.count() == 1


def test_deleting_keeps_a_deleted_entry_naming_the_user(world):
    session = PropagandaSessionFactory(ward=world.ward_a)
    pk = session.pk
    activity_delete(record=session, user=world.officer_a)
    assert not PropagandaSession.objects.filter(pk=pk).exists()
    deleted = PropagandaSession.history.filter(id=pk).latest()
    assert deleted.history_type == "-" and deleted.history_user == world.officer_a


def test_legal_documents_load_from_the_shipped_csv_and_twice_changes_nothing():
    out = io.StringIO()
    call_command("load_legal_documents", stdout=out)
    assert "5 mới" in out.getvalue()
    first = list(LegalDocument.objects.values_list("pk", "code", "kind", "issued_on").order_by("pk"))
    out = io.StringIO()
    call_command("load_legal_documents", stdout=out)
    assert "0 mới, 0 cập nhật, 5 không đổi" in out.getvalue()
    assert list(LegalDocument.objects.values_list("pk", "code", "kind", "issued_on").order_by("pk")) == first
    decree = LegalDocument.objects.get(code="06/2014/NĐ-CP")
    assert decree.kind == LegalDocument.Kind.DECREE and decree.issued_on == datetime.date(2014, 1, 21)
    assert LegalDocument.objects.get(code="07/CT-BCA").issued_on is None


@pytest.mark.parametrize("text, message", [
    ("code,kind,issuer\n07/CT-BCA,Chỉ thị,Bộ Công an\n", "Dòng 1: tệp thiếu cột title"),
    ("code,kind,issuer,issued_on,title\n07/CT-BCA,Chỉ thị,Bộ Công an,,Tiêu đề\n"
     "08/CT-BCA,Công văn lạ,Bộ Công an,,Tiêu đề\n", "Dòng 3: loại văn bản “Công văn lạ” không hợp lệ"),
    ("code,kind,issuer,issued_on,title\n07/CT-BCA,Chỉ thị,Bộ Công an,31/02/2020,Tiêu đề\n",
     "Dòng 2: cột issued_on: “31/02/2020” không phải ngày"),
    ("code,kind,issuer,issued_on,title\n07/CT-BCA,Chỉ thị,Bộ Công an,,Tiêu đề\n07/CT-BCA,Chỉ thị,Bộ Công an,,Khác\n",
     "Dòng 3: trùng với dòng 2"),
])
def test_a_malformed_legal_document_csv_loads_nothing(tmp_path, text, message):
    path = tmp_path / "docs.csv"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(CommandError) as exc:
        call_command("load_legal_documents", str(path), stdout=io.StringIO())
    assert message in str(exc.value) and "chưa nạp gì" in str(exc.value)
    assert not LegalDocument.objects.exists()
