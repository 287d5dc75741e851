"""The 2024–2025 reorganisation (issue #13): the loader's rules, the units and
officers that follow a merged ward, the records that stay, and a 2020 report
that does not move."""
import datetime
import io
import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from areas.models import District, Ward
from areas.reorganisations import parse_reorganisations_csv, reorganisations_load
from movement.models import UnitMove
from tests.factories import (
    PropagandaSessionFactory,
    UnitFactory,
    UnitPlanFactory,
    district_member,
    ward_officer,
)

D = datetime.date
HEADER = ("province,effective_on,act,from_district,from_district_kind,from_ward,from_ward_kind,"
          "to_district,to_district_kind,to_ward,to_ward_kind,source\n")
SIX = ["Cửa Lò", "Thành Vinh", "Trường Vinh", "Vinh Hưng", "Vinh Lộc", "Vinh Phú"]


@pytest.fixture
def vinh(db):
    call_command("load_wards", stdout=StringIO())
    return District.objects.get(name="Vinh")


def ward(name, kind="phuong", district="Vinh"):
    return Ward.objects.get(name=name, kind=kind, **({"district__name": district} if district else
                                                      {"district__isnull": True}))


def snapshot():
    return sorted((w.name, w.kind, w.district_id, w.province_id, w.valid_from, w.valid_to, w.successor_id)
                  for w in Ward.objects.all()) + sorted(
        (d.name, d.valid_to, d.successor_id) for d in District.objects.all())


def load(text=None):
    out = StringIO()
    if text is None:
        call_command("load_reorganisations", stdout=out)
    else:
        rows = parse_reorganisations_csv(io.StringIO(HEADER + text))
        reorganisations_load(rows=rows)
    return out.getvalue()


# --- The shipped file -----------------------------------------------------------

def test_the_shipped_file_leaves_six_wards_directly_under_the_province(vinh):
    # when
    printed = load()
    # then
    assert "21 phường, xã mới; 51 phường, xã hết hiệu lực; 3 quận, huyện kết thúc" in printed
    today = Ward.objects.filter(valid_to__isnull=True)
    assert sorted(w.name for w in today) == SIX
    assert all(w.district_id is None and w.province.name == "Nghệ An" and w.valid_from == D(2025, 7, 1)
               for w in today)
    vinh.refresh_from_db()
    assert vinh.valid_to == D(2025, 6, 30) and vinh.successor is None
    cua_lo = District.objects.get(name="Cửa Lò")
    assert (cua_lo.valid_to, cua_lo.successor) == (D(2024, 11, 30), vinh)
    # Vinh had 33 units from 1/12/2024 to 30/6/2025
    assert Ward.objects.filter(district=vinh, valid_to=D(2025, 6, 30)).count() == 33


def test_successors_chain_through_both_reorganisations(vinh):
    load()
    hong_son = ward("Hồng Sơn")
    assert (hong_son.valid_to, hong_son.successor) == (D(2024, 11, 30), ward("Vinh Tân"))
    assert hong_son.successor.successor == ward("Trường Vinh", district=None)
    # a commune that became a ward is a new area with the old one as predecessor
    commune = ward("Hưng Đông", kind="xa")
    assert commune.valid_to == D(2024, 11, 30) and commune.successor == ward("Hưng Đông")
    assert ward("Hưng Đông").successor == ward("Vinh Hưng", district=None)
    # Cửa Lò's wards changed parent, then merged into the new ward of Cửa Lò
    nghi_hai = ward("Nghi Hải", district="Cửa Lò")
    assert nghi_hai.successor == ward("Nghi Hải") and ward("Nghi Hải").successor == ward("Cửa Lò", district=None)


def test_loading_twice_changes_nothing_and_the_ward_list_does_not_reopen_wards(vinh):
    load()
    before = snapshot()
    # when
    printed = load()
    call_command("load_wards", stdout=StringIO())
    # then
    assert "0 phường, xã mới; 0 phường, xã hết hiệu lực; 0 quận, huyện kết thúc; 56 không đổi" in printed
    assert snapshot() == before


# --- Refusals, all or nothing ---------------------------------------------------

@pytest.mark.parametrize("text, message", [
    ("Nghệ An,2024-12-01,NQ,Vinh,Thành phố,Hồng Sơn,Phường,Vinh,Thành phố,Vinh Tân,Phường,x\n"
     "Nghệ An,2024-12-01,NQ,Vinh,Thành phố,Hồng Lĩnh,Phường,Vinh,Thành phố,Vinh Tân,Phường,x\n",
     "Dòng 3: không có Phường Hồng Lĩnh (Thành phố Vinh) vào ngày 30/11/2024."),
    ("Nghệ An,2024-12-01,NQ,Vinh,Thành phố,Hồng Sơn,Phường,Vinh,Thành phố,Vinh Tân,Phường,x\n"
     "Nghệ An,2024-12-01,NQ,Vinh,Thành phố,Vinh Tân,Phường,Vinh,Thành phố,Hồng Sơn,Phường,x\n",
     "Dòng 3: Phường Hồng Sơn (Thành phố Vinh) đã hết hiệu lực trước ngày 01/12/2024, không thể tiếp nhận."),
    ("Nghệ An,2024-12-01,NQ,Vinh,Thành phố,Hồng Sơn,Phường,Vinh,Thành phố,Vinh Tân,Phường,x\n"
     "Nghệ An,2024-12-01,NQ,Vinh,Thành phố,,,,,,,x\n",
     "Dòng 3: Thành phố Vinh kết thúc nhưng"),
    ("Nghệ An,2024-12-01,NQ,Vinh,Thành phố,Hồng Sơn,Phường,Vinh,Thành phố,Vinh Tân,Phường,x\n"
     "Nghệ An,2025-07-01,NQ,Vinh,Thành phố,Hồng Sơn,Phường,,,Trường Vinh,Phường,x\n",
     "Dòng 3: không có Phường Hồng Sơn (Thành phố Vinh) vào ngày 30/06/2025."),
])
def test_a_contradictory_row_is_refused_with_its_line_and_nothing_is_loaded(vinh, text, message):
    before = snapshot()
    with pytest.raises(Exception) as refused:
        load(text)
    assert any(m.startswith(message) for m in refused.value.messages), refused.value.messages
    assert snapshot() == before


@pytest.mark.parametrize("line, message", [
    ("Nghệ An,01/13/2024,NQ,Vinh,Thành phố,Hồng Sơn,Phường,Vinh,Thành phố,Vinh Tân,Phường,x",
     "Dòng 2: cột effective_on: “01/13/2024” không phải ngày (yyyy-mm-dd)."),
    ("Nghệ An,2024-12-01,NQ,Vinh,Thành phố,Hồng Sơn,Làng,Vinh,Thành phố,Vinh Tân,Phường,x",
     "Dòng 2: cột from_ward_kind: loại “Làng” không hợp lệ (Phường, Xã, Thị trấn)."),
    ("Nghệ An,2024-12-01,NQ,Vinh,Thành phố,Hồng Sơn,Phường,Vinh,Thành phố,,,x",
     "Dòng 2: thiếu phường, xã tiếp nhận (to_ward)."),
])
def test_a_malformed_row_is_refused_by_the_command_with_its_line(vinh, tmp_path, line, message):
    path = tmp_path / "sap-xep.csv"
    path.write_text(HEADER + line + "\n", encoding="utf-8")
    before = snapshot()
    with pytest.raises(CommandError) as refused:
        call_command("load_reorganisations", str(path), stdout=StringIO())
    assert message in str(refused.value)
    assert snapshot() == before


# --- Units and people move; records stay -----------------------------------------

@pytest.fixture
def lived(vinh):
    """Trung Đô and Bến Thủy before the reorganisation: each has a "Khối 1", a
    school, a 2020 session and plan; a company of Trung Đô closed in 2023."""
    w = type("Lived", (), {})()
    w.trung_do, w.ben_thuy, w.hong_son = ward("Trung Đô"), ward("Bến Thủy"), ward("Hồng Sơn")
    w.block = UnitFactory(ward=w.trung_do, name="Khối 1", kind="khu_dan_cu")
    w.other_block = UnitFactory(ward=w.ben_thuy, name="Khối 1", kind="khu_dan_cu")
    w.school = UnitFactory(ward=w.hong_son, name="Trường THCS Hồng Sơn", kind="nha_truong")
    w.gone = UnitFactory(ward=w.trung_do, name="Công ty cũ", kind="doanh_nghiep", closed_on=D(2023, 6, 30))
    w.session = PropagandaSessionFactory(ward=w.trung_do, held_on=D(2020, 8, 19), attendance=40, unit=w.block,
                                         topic="Phòng chống ma túy")
    PropagandaSessionFactory(ward=w.hong_son, held_on=D(2020, 3, 26), attendance=25, unit=w.school)
    UnitPlanFactory(unit=w.block, year=2020, issued_on=D(2020, 2, 1))
    w.officer = ward_officer(w.trung_do, username="cb.trungdo")
    w.committee = district_member(vinh, username="bcd.vinh")
    return w


def test_units_and_officers_follow_their_ward_and_records_stay(lived):
    # when
    load()
    # then
    truong_vinh = ward("Trường Vinh", district=None)
    lived.block.refresh_from_db()
    lived.other_block.refresh_from_db()
    lived.school.refresh_from_db()
    lived.gone.refresh_from_db()
    assert lived.block.ward == truong_vinh and lived.other_block.ward == truong_vinh
    # two "Khối 1" meet in Trường Vinh: the one that came second says where from
    assert sorted([lived.block.name, lived.other_block.name]) == ["Khối 1", "Khối 1 (Trung Đô)"]
    # Hồng Sơn's school went to Vinh Tân on 1/12/2024, then to Trường Vinh
    assert list(UnitMove.objects.filter(unit=lived.school).values_list("moved_on", flat=True)) == [
        D(2024, 12, 1), D(2025, 7, 1)]
    assert lived.school.ward == truong_vinh
    assert lived.gone.ward == lived.trung_do  # closed before: stays where it lived
    lived.session.refresh_from_db()
    assert lived.session.ward == lived.trung_do  # the record keeps its ward
    lived.officer.refresh_from_db()
    assert lived.officer.ward == truong_vinh


def test_a_rehomed_officer_reads_the_old_wards_records(client, lived):
    load()
    lived.officer.refresh_from_db()
    client.force_login(lived.officer)
    listed = client.get(reverse("movement:session_list"), {"year": 2020})
    assert "Phòng chống ma túy" in listed.content.decode()
    assert listed.context["totals"][0][2] == 2  # Trung Đô's and Hồng Sơn's (via Vinh Tân)
    assert client.get(reverse("movement:session_detail", args=[lived.session.pk])).status_code == 200


def test_the_2020_report_is_the_same_before_and_after_loading(lived):
    def report():
        out = StringIO()
        call_command("annual_report", "--district", "Thành phố Vinh", "--year", "2020", "--json", stdout=out)
        printed = json.loads(out.getvalue())
        printed.pop("generated_at", None)
        return printed

    before = report()
    load()
    after = report()
    assert after == before
    assert after["totals"]["active_units"] == 4 and after["totals"]["sessions"] == 2
    trung_do = next(row for row in after["wards"] if row["ward"] == "Trung Đô")
    assert trung_do["active_units"] == 2  # its block and the company, though both have moved or closed since


def test_the_committee_still_opens_its_2020_units_after_they_moved(client, lived):
    load()
    client.force_login(lived.committee)
    listed = client.get(reverse("movement:unit_list"), {"year": 2020, "ward": lived.trung_do.pk})
    assert listed.context["page"].paginator.count == 2
    assert "Khối 1" in listed.content.decode()
