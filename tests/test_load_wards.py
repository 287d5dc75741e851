import datetime
import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from areas.models import District, Province, Ward
from areas.selectors import wards_valid_in

pytestmark = pytest.mark.django_db


def _load(tmp_path, text):
    path = tmp_path / "wards.csv"
    path.write_text(text, encoding="utf-8")
    out = io.StringIO()
    call_command("load_wards", str(path), stdout=out)
    return out.getvalue()


def test_shipped_vinh_list_loads_25_wards_and_those_that_joined_and_twice_changes_nothing():
    # when
    call_command("load_wards", stdout=io.StringIO())
    first = list(Ward.objects.values_list("pk", "name", "kind").order_by("pk"))
    out = io.StringIO()
    call_command("load_wards", stdout=out)
    # then
    # Vinh's 25, and the 7 wards of Thị xã Cửa Lò and 4 communes of Huyện Nghi Lộc
    # that joined it on 1/12/2024
    assert len(first) == 36
    assert Ward.objects.filter(district__name="Vinh").count() == 25
    assert sorted(District.objects.values_list("name", flat=True)) == ["Cửa Lò", "Nghi Lộc", "Vinh"]
    assert list(Ward.objects.values_list("pk", "name", "kind").order_by("pk")) == first
    assert "0 phường/xã mới" in out.getvalue()
    vinh = District.objects.get(name="Vinh")
    assert str(vinh) == "Thành phố Vinh"
    assert str(Ward.objects.get(name="Trung Đô")) == "Phường Trung Đô"
    assert Ward.objects.get(name="Hưng Lộc").kind == Ward.Kind.COMMUNE


@pytest.mark.parametrize("text, message", [
    ("province,district,district_kind,ward\nNghệ An,Vinh,Thành phố,Bến Thủy\n",
     "Dòng 1: tệp thiếu cột ward_kind"),
    ("province,district,district_kind,ward,ward_kind\nNghệ An,Vinh,Thành phố,Bến Thủy,Phường\n"
     "Nghệ An,Vinh,Thành phố,Cửa Nam,Khu phố\n",
     "Dòng 3: loại phường, xã “Khu phố” không hợp lệ"),
    ("province,district,district_kind,ward,ward_kind\nNghệ An,Vinh,Quận lớn,Bến Thủy,Phường\n",
     "Dòng 2: loại quận, huyện “Quận lớn” không hợp lệ"),
    ("province,district,district_kind,ward,ward_kind\nNghệ An,Vinh,Thành phố,Bến Thủy,Phường\n"
     "Nghệ An,Vinh,Thành phố,  ,Phường\n",
     "Dòng 3: cột ward để trống"),
])
def test_malformed_csv_is_refused_with_its_line_and_nothing_is_loaded(tmp_path, text, message):
    # when
    with pytest.raises(CommandError) as exc:
        _load(tmp_path, text)
    # then
    assert message in str(exc.value)
    assert "chưa nạp gì" in str(exc.value)
    assert not Province.objects.exists()
    assert not Ward.objects.exists()


def test_labels_match_ignoring_case_and_validity_columns_are_read(tmp_path):
    _load(tmp_path, "province,district,district_kind,ward,ward_kind,valid_from,valid_to\n"
                    "Nghệ An,Vinh,thành phố,Lê Mao,PHƯỜNG,,30/06/2025\n")
    ward = Ward.objects.get(name="Lê Mao")
    assert ward.kind == Ward.Kind.WARD
    assert ward.valid_to == datetime.date(2025, 6, 30)


def test_a_merged_ward_still_counts_in_the_years_it_existed(world):
    # given: Trung Đô merged into a new ward on 1 July 2025
    new_ward = Ward.objects.create(district=world.district, name="Trường Vinh", kind="phuong",
                                   valid_from=datetime.date(2025, 7, 1))
    world.ward_a.valid_to = datetime.date(2025, 6, 30)
    world.ward_a.successor = new_ward
    world.ward_a.save()
    # then
    assert set(wards_valid_in(2020, world.district)) == {world.ward_a, world.ward_b}
    assert set(wards_valid_in(2025, world.district)) == {world.ward_a, world.ward_b, new_ward}
    assert set(wards_valid_in(2026, world.district)) == {world.ward_b, new_ward}
    assert list(world.ward_a.predecessors.all()) == [] and list(new_ward.predecessors.all()) == [world.ward_a]
