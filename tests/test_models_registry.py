import csv
import datetime
import io

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from models_registry import services
from models_registry.models import Attachment, SecurityModel, StatusChange
from tests.factories import ModelKindFactory, SecurityModelFactory, SelfTagFactory, UnitFactory, pdf_upload, png_upload

pytestmark = pytest.mark.django_db

LAUNCH = datetime.date(2020, 3, 20)


def _launch(world, **overrides):
    fields = dict(ward=world.ward_a, user=world.officer_a, name="Sinh viên tự quản", kind=ModelKindFactory(),
                  launched_on=LAUNCH, members=1200, units=[world.unit_a], selfs=[SelfTagFactory()],
                  organisers=["Công an phường Trung Đô", "UBND phường Trung Đô"])
    fields.update(overrides)
    return services.model_create(**fields)


def _errors(exc_info):
    return exc_info.value.message_dict


# --- rules -------------------------------------------------------------------

def test_a_launch_is_recorded_with_its_first_status(world):
    model = _launch(world)
    assert model.status == SecurityModel.Status.ACTIVE
    assert model.verification == SecurityModel.Verification.SELF_DECLARED
    assert [(c.status, c.changed_on) for c in model.status_changes.all()] == [("active", LAUNCH)]
    assert list(model.units.all()) == [world.unit_a]
    assert model.history.count() >= 1 and model.history.earliest().history_user == world.officer_a


def test_launch_date_in_the_future_is_refused(world):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    with pytest.raises(ValidationError) as exc:
        _launch(world, launched_on=tomorrow)
    assert _errors(exc)["launched_on"] == ["Ngày không được ở tương lai."]
    assert not SecurityModel.objects.exists()


def test_negative_members_are_refused(world):
    with pytest.raises(ValidationError) as exc:
        _launch(world, members=-5)
    assert "Số thành viên không được âm." in _errors(exc)["members"]
    assert not SecurityModel.objects.exists()


def test_a_host_unit_from_another_ward_is_refused(world):
    with pytest.raises(ValidationError) as exc:
        _launch(world, units=[world.unit_a, world.unit_b])
    assert _errors(exc)["units"] == ["Đơn vị không thuộc phường, xã của mô hình: Trường THCS Vinh Tân."]
    assert not SecurityModel.objects.exists()


def test_the_same_name_launched_in_the_same_ward_on_the_same_day_is_refused(world):
    _launch(world)
    with pytest.raises(ValidationError) as exc:
        _launch(world, name="  SINH VIÊN TỰ QUẢN ")
    assert _errors(exc)["name"] == ["Phường, xã này đã ghi nhận mô hình cùng tên ra mắt cùng ngày."]
    assert SecurityModel.objects.count() == 1
    # another day, or another ward, is another launch
    _launch(world, launched_on=LAUNCH + datetime.timedelta(days=1))
    _launch(world, ward=world.ward_b, units=[world.unit_b], user=world.officer_b)
    assert SecurityModel.objects.count() == 3


@pytest.mark.parametrize("upload, message", [
    (lambda: pdf_upload("bao-cao.docx"), "chỉ nhận ảnh (JPG, PNG, WEBP) hoặc văn bản PDF"),
    (lambda: pdf_upload("anh.png"), "không đúng định dạng PNG"),
    (lambda: pdf_upload("quyet-dinh.pdf", size=10 * 1024 * 1024 + 1), "quá lớn (10,0 MB); tối đa 10 MB"),
])
def test_a_wrong_attachment_refuses_the_whole_launch(world, upload, message):
    with pytest.raises(ValidationError) as exc:
        _launch(world, attachments=[png_upload(), upload()])
    assert message in " ".join(_errors(exc)["attachments"])
    assert not SecurityModel.objects.exists() and not Attachment.objects.exists()


def test_status_changes_are_dated_and_kept(world):
    model = _launch(world)
    services.model_change_status(model=model, user=world.officer_a, status="paused",
                                 changed_on=datetime.date(2022, 9, 1), note="Ký túc xá sửa chữa")
    services.model_change_status(model=model, user=world.officer_a, status="active",
                                 changed_on=datetime.date(2023, 2, 1))
    model.refresh_from_db()
    assert model.status == "active" and model.status_since == datetime.date(2023, 2, 1)
    assert [c.status for c in model.status_changes.all()] == ["active", "paused", "active"]


def test_a_status_change_dated_before_the_launch_is_refused(world):
    model = _launch(world)
    with pytest.raises(ValidationError) as exc:
        services.model_change_status(model=model, user=world.officer_a, status="dissolved",
                                     changed_on=datetime.date(2020, 3, 19))
    assert _errors(exc)["changed_on"] == ["Ngày thay đổi trạng thái không được trước ngày ra mắt (20/03/2020)."]
    assert StatusChange.objects.count() == 1
    model.refresh_from_db()
    assert model.status == "active"


def test_editing_a_verified_model_sends_it_back_unless_the_district_edits(world):
    model = _launch(world)
    services.model_verify(model=model, user=world.committee)
    services.model_update(model=model, user=world.committee, members=1250)
    assert model.verification == "verified"
    services.model_update(model=model, user=world.officer_a, members=1300)
    model.refresh_from_db()
    assert model.verification == "self_declared" and model.verified_by is None


def test_moving_the_launch_date_moves_the_launch_status_but_not_past_a_later_change(world):
    model = _launch(world)
    services.model_update(model=model, user=world.officer_a, launched_on=datetime.date(2020, 4, 1))
    assert model.status_changes.first().changed_on == datetime.date(2020, 4, 1)
    services.model_change_status(model=model, user=world.officer_a, status="paused",
                                 changed_on=datetime.date(2021, 1, 1))
    with pytest.raises(ValidationError) as exc:
        services.model_update(model=model, user=world.officer_a, launched_on=datetime.date(2021, 6, 1))
    assert "launched_on" in _errors(exc)


def test_one_review_per_year_and_kind(world):
    model = _launch(world)
    services.review_create(model=model, user=world.officer_a, year=2021, kind="tong_ket", rating="tot",
                           members_at_review=1230)
    with pytest.raises(ValidationError) as exc:
        services.review_create(model=model, user=world.officer_a, year=2021, kind="tong_ket", rating="kha")
    assert _errors(exc)["year"] == ["Mô hình đã có đánh giá cùng loại cho năm này."]
    with pytest.raises(ValidationError) as exc:
        services.review_create(model=model, user=world.officer_a, year=2019, kind="so_ket", rating="kha")
    assert _errors(exc)["year"] == ["Năm đánh giá không được trước năm ra mắt (2020)."]


# --- pages -------------------------------------------------------------------

def _form_data(world, **overrides):
    data = {"name": "Sinh viên tự quản", "kind": ModelKindFactory().pk, "launched_on": "2020-03-20",
            "organisers": "Công an phường Trung Đô\nUBND phường Trung Đô; Đoàn Trường Đại học Vinh",
            "units": [world.unit_a.pk], "members": "1200", "selfs": [SelfTagFactory().pk],
            "has_regulations": "on", "regulations_adopted_on": "2020-03-20", "is_exemplar": "on",
            "exemplar_note": "Mô hình đầu tiên trong ký túc xá đại học tại Nghệ An"}
    data.update(overrides)
    return data


def test_officer_logs_a_launch_with_a_photo_in_the_form(client, world):
    client.force_login(world.officer_a)
    response = client.post(reverse("models_registry:model_create"),
                           {**_form_data(world), "attachments": [png_upload(), pdf_upload()]}, follow=True)
    model = SecurityModel.objects.get()
    assert response.redirect_chain[-1][0] == reverse("models_registry:model_detail", args=[model.pk])
    page = response.content.decode()
    assert "Đã ghi nhận mô hình “Sinh viên tự quản”." in page
    assert model.organisers == ["Công an phường Trung Đô", "UBND phường Trung Đô", "Đoàn Trường Đại học Vinh"]
    assert sorted(a.kind for a in model.attachments.all()) == ["pdf", "photo"]
    assert "anh-ra-mat.png" in page and "Phường tự khai, chờ xác minh" in page


def test_form_errors_are_shown_beside_their_fields_and_nothing_is_saved(client, world):
    client.force_login(world.officer_a)
    tomorrow = (timezone.localdate() + datetime.timedelta(days=1)).isoformat()
    response = client.post(reverse("models_registry:model_create"), _form_data(
        world, launched_on=tomorrow, members="-3", units=[world.unit_a.pk, world.unit_b.pk]))
    errors = response.context["form"].errors
    assert errors["members"] == ["Số thành viên không được âm."]
    assert errors["units"] == ["Đơn vị này không thuộc phường, xã của bản ghi."]
    assert "Chưa lưu" in response.content.decode()
    assert not SecurityModel.objects.exists()
    response = client.post(reverse("models_registry:model_create"), _form_data(world, launched_on=tomorrow))
    assert response.context["form"].errors["launched_on"] == ["Ngày không được ở tương lai."]


def test_a_unit_added_on_the_spot_belongs_to_the_ward(client, world):
    client.force_login(world.officer_a)
    url = reverse("models_registry:unit_quick_create", args=[world.ward_a.pk])
    response = client.post(url, {"unit-name": "Khối 10", "unit-kind": "khu_dan_cu"})
    assert response.status_code == 201
    assert response.json()["label"] == "Khối 10 (Khu dân cư)"
    duplicate = client.post(url, {"unit-name": "khối 10", "unit-kind": "khu_dan_cu"})
    assert duplicate.status_code == 400
    assert duplicate.json()["errors"]["name"] == [
        "Phường Trung Đô đã có đơn vị “Khối 10” (Khu dân cư). Chọn đơn vị này thay vì thêm mới."]
    other_ward = client.post(reverse("models_registry:unit_quick_create", args=[world.ward_b.pk]),
                             {"unit-name": "Khối 11", "unit-kind": "khu_dan_cu"})
    assert other_ward.status_code == 403


def test_the_district_verifies_and_an_officer_cannot(client, world):
    model = _launch(world)
    url = reverse("models_registry:model_verify", args=[model.pk])
    client.force_login(world.officer_a)
    assert client.post(url).status_code == 403
    client.force_login(world.other_committee)
    assert client.post(url).status_code == 403
    client.force_login(world.committee)
    page = client.post(url, follow=True).content.decode()
    assert "Đã xác minh mô hình “Sinh viên tự quản”." in page
    model.refresh_from_db()
    assert model.verification == "verified" and model.verified_by == world.committee


def test_status_change_before_launch_shows_the_error_on_the_detail_page(client, world):
    model = _launch(world)
    client.force_login(world.officer_a)
    response = client.post(reverse("models_registry:model_change_status", args=[model.pk]),
                           {"status-status": "dissolved", "status-changed_on": "2019-01-01"})
    assert response.status_code == 400
    assert "Ngày thay đổi trạng thái không được trước ngày ra mắt (20/03/2020)." in response.content.decode()
    assert StatusChange.objects.count() == 1


def test_attachments_are_served_only_in_scope(client, world):
    model = _launch(world, attachments=[png_upload()])
    url = reverse("models_registry:attachment_download", args=[model.attachments.get().pk])
    client.force_login(world.officer_b)
    assert client.get(url).status_code == 404
    client.force_login(world.committee)
    response = client.get(url)
    assert response.status_code == 200 and b"".join(response.streaming_content).startswith(b"\x89PNG")
    client.logout()
    assert client.get(url).status_code == 302


def test_list_search_ignores_diacritics_and_filters_combine(client, world):
    _launch(world)
    SecurityModelFactory(ward=world.ward_a, name="Cổng trường an toàn", launched_on=datetime.date(2021, 5, 5),
                         kind=ModelKindFactory(label="Cổng trường an toàn về ANTT và TTATGT"))
    SecurityModelFactory(ward=world.ward_b, name="Tổ tự quản khối 2")
    client.force_login(world.committee)
    url = reverse("models_registry:model_list")
    names = lambda r: [m.name for m in r.context["page"].object_list]  # noqa: E731
    assert names(client.get(url, {"q": "sinh vien tu quan"})) == ["Sinh viên tự quản"]
    assert names(client.get(url, {"year": "2021"})) == ["Cổng trường an toàn"]
    assert names(client.get(url, {"ward": world.ward_b.pk})) == ["Tổ tự quản khối 2"]
    response = client.get(url)
    assert response.context["totals"] == {"count": 3, "members": 1280, "verified": 0}
    assert "1.280" in response.content.decode()


def test_exports_hold_the_filtered_rows_with_formulas_neutralised(client, world):
    _launch(world, organisers=["=HYPERLINK(\"http://x\")", "@SUM(1)"])
    SecurityModelFactory(ward=world.ward_a, name="+Tổ tự quản", launched_on=datetime.date(2021, 1, 1))
    client.force_login(world.officer_a)
    response = client.get(reverse("models_registry:model_export_xlsx"), {"year": "2020"})
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.values)
    assert rows[0][:3] == ("Ngày ra mắt", "Phường, xã", "Tên mô hình")
    assert len(rows) == 2
    assert rows[1][2] == "Sinh viên tự quản" and rows[1][5] == 1200
    assert rows[1][6] == "'=HYPERLINK(\"http://x\"); @SUM(1)"
    response = client.get(reverse("models_registry:model_export_csv"))
    lines = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert [line[2] for line in lines[1:]] == ["'+Tổ tự quản", "Sinh viên tự quản"]
    assert lines[2][0] == "20/03/2020"


def test_list_queries_do_not_grow_with_models_and_units(client, world, django_assert_num_queries):
    client.force_login(world.committee)
    _launch(world)
    url = reverse("models_registry:model_list")
    # session, user with its district (the menu names it), the visible wards with their
    # districts and the ward picker's names, kinds, models count, page of models, their
    # units, totals, whether the user may launch a model
    with django_assert_num_queries(8):
        assert client.get(url).status_code == 200
    for n in range(15):
        model = SecurityModelFactory(ward=world.ward_b if n % 2 else world.ward_a)
        model.units.set(UnitFactory.create_batch(2, ward=model.ward))
    with django_assert_num_queries(8):
        assert client.get(url).status_code == 200


def test_detail_queries_do_not_grow_with_units_files_history_or_reviews(client, world, django_assert_num_queries):
    model = _launch(world)
    client.force_login(world.officer_a)
    url = reverse("models_registry:model_detail", args=[model.pk])
    # session, user with its ward (the menu names it), the model with its ward,
    # its units, selfs, status changes, reviews and attachments, its history
    # records, the history's units and selfs, the files' history (each listed
    # with its save), the wards merged into the officer's (movement.scope); the
    # kind, ward and users the history names are those read with the model
    with django_assert_num_queries(13):
        assert client.get(url).status_code == 200
    model.units.add(*UnitFactory.create_batch(5, ward=world.ward_a))
    services.attachments_add(model=model, user=world.officer_a, uploads=[png_upload(), pdf_upload()])
    for year in (2021, 2022, 2023):
        services.review_create(model=model, user=world.officer_a, year=year, kind="tong_ket", rating="tot")
        services.model_update(model=model, user=world.officer_a, members=1200 + year)
    with django_assert_num_queries(13):
        assert client.get(url).status_code == 200
    # verified: the history names a verifier too, read with the model
    services.model_verify(model=model, user=world.committee)
    with django_assert_num_queries(13):
        page = client.get(url).content.decode()
    assert world.committee.display_name in page and world.officer_a.display_name in page


# The list's rows as its template wrote them before models_registry.templatetags
# wrote them in one pass (issue #16): the reference the tag is held to.
TEMPLATE_ROWS = """{% load i18n core_tags %}
  {% translate "Ngày ra mắt" as label_launched %}{% translate "Tên mô hình" as label_name %}
  {% translate "Điển hình" as label_exemplar %}{% translate "Phường, xã" as label_ward %}
  {% translate "Loại" as label_kind %}{% translate "Đơn vị tham gia" as label_units %}
  {% translate "Thành viên" as label_members %}{% translate "Tình trạng" as label_status %}
  {% translate "Đã xác minh" as label_verified %}{% translate "Tự khai" as label_self_declared %}
  {% for m in models %}
  <tr>
    <td data-label="{{ label_launched }}" class="text-nowrap">{{ m.launched_on|date:"SHORT_DATE_FORMAT" }}</td>
    <td data-label="{{ label_name }}"><a href="{% url 'models_registry:model_detail' m.pk %}">{{ m.name }}</a>{% if m.is_exemplar %} <span class="badge text-bg-warning" title="{{ m.exemplar_note }}"><i class="bi bi-star-fill" aria-hidden="true"></i> {{ label_exemplar }}</span>{% endif %}</td>
    {% if show_ward %}<td data-label="{{ label_ward }}">{{ m.ward }}</td>{% endif %}
    <td data-label="{{ label_kind }}">{{ m.kind }}</td>
    <td data-label="{{ label_units }}" class="small">{% for u in m.units.all %}{{ u.name }}{% if not forloop.last %}; {% endif %}{% empty %}—{% endfor %}</td>
    <td data-label="{{ label_members }}" class="text-end">{{ m.members|number }}</td>
    <td data-label="{{ label_status }}">
      {% include "models_registry/_status_badge.html" with status=m.status label=m.get_status_display %}
      {% if m.verification == "verified" %}<span class="badge text-bg-success"><i class="bi bi-patch-check" aria-hidden="true"></i> {{ label_verified }}</span>{% else %}<span class="badge text-bg-light border">{{ label_self_declared }}</span>{% endif %}
    </td>
  </tr>
  {% endfor %}"""


@pytest.mark.parametrize("language", ["vi", "en"])
@pytest.mark.parametrize("show_ward", [True, False])
def test_the_list_rows_are_written_as_the_template_wrote_them(world, language, show_ward):
    import re

    from django.template import engines
    from django.utils import translation

    from models_registry.selectors import model_list_page_rows
    from models_registry.templatetags.registry_tags import model_rows

    # given: an exemplar with a note to escape, a paused one, a verified one, units or none
    first = _launch(world, name='Đội "Thanh niên" <xung kích> & bạn', is_exemplar=True,
                    exemplar_note='Mô hình đầu tiên của "phường" <Trung Đô>', members=12345)
    first.units.add(UnitFactory(ward=world.ward_a, name="Chợ Vinh & Co"))
    paused = _launch(world, name="Tổ tự quản khối 5", units=[])
    services.model_change_status(model=paused, user=world.officer_a, status=SecurityModel.Status.PAUSED,
                           changed_on=LAUNCH + datetime.timedelta(days=30))
    services.model_verify(model=_launch(world, name="Camera an ninh", members=7, launched_on=LAUNCH),
                          user=world.committee)
    models = list(model_list_page_rows(SecurityModel.objects.order_by("pk")))
    with translation.override(language):
        # when
        written = str(model_rows(models, show_ward))
        reference = engines["django"].from_string(TEMPLATE_ROWS).render({"models": models, "show_ward": show_ward})

    # then
    def norm(html):
        return re.sub(r">\s+<", "><", re.sub(r"\s+", " ", html)).strip()

    assert norm(written) == norm(reference)
    assert "bi-star-fill" in written and "text-bg-warning" in written and "text-bg-success" in written
    assert "&lt;xung kích&gt;" in written and "&quot;phường&quot;" in written
