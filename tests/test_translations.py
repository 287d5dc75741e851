"""The English interface: catalogue values in English, the words that mean two
things in English, and the catalogue itself (locale/en/LC_MESSAGES/django.po is
the one place the English is written; the committed .mo is compiled from it)."""
import datetime
import gettext
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from models_registry import services as model_services
from models_registry.models import ModelKind, Review, SelfTag
from movement.models import ImportJob
from reports.figures import district_report_figures
from tests.conftest import skip_outside_ci
from tests.factories import ModelKindFactory, PropagandaSessionFactory, SelfTagFactory

ROOT = Path(__file__).resolve().parent.parent
PO = ROOT / "locale" / "en" / "LC_MESSAGES" / "django.po"
MO = PO.with_suffix(".mo")
LAUNCH = datetime.date(2020, 3, 20)


def _in_english(client, user):
    client.force_login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def _texts(response):
    """The pieces of text a reader sees: what lies between tags and " · "."""
    assert response.status_code == 200
    return {piece.strip() for piece in re.split(r"<[^>]+>|·", response.content.decode()) if piece.strip()}


@pytest.fixture
def model(world):
    return model_services.model_create(
        ward=world.ward_a, user=world.officer_a, name="Câu lạc bộ Bình yên", kind=ModelKindFactory(),
        launched_on=LAUNCH, members=40, units=[world.unit_a],
        selfs=[SelfTagFactory(label="tự quản"), SelfTagFactory(label="tự phòng")], organisers=["Công an phường"])


# --- catalogue values ----------------------------------------------------------------


@pytest.mark.django_db
def test_every_seeded_kind_and_self_has_an_english_name():
    assert ModelKind.objects.exists() and SelfTag.objects.exists()
    assert list(ModelKind.objects.filter(label_en="").values_list("label", flat=True)) == []
    assert list(SelfTag.objects.filter(label_en="").values_list("label", flat=True)) == []


@pytest.mark.django_db
def test_the_english_model_pages_show_the_catalogue_in_english(client, world, model):
    # given an officer who chose English
    client = _in_english(client, world.officer_a)
    kind, selfs = model.kind, list(model.selfs.all())

    # when they open the list, the model and its edit form
    listing = _texts(client.get(reverse("models_registry:model_list")))
    detail = _texts(client.get(reverse("models_registry:model_detail", args=[model.pk])))
    form = _texts(client.get(reverse("models_registry:model_update", args=[model.pk])))

    # then the kind and the selfs read in English, never in Vietnamese
    assert kind.label_en == "Pupil and student self-management"
    assert kind.label_en in listing and kind.label not in listing
    assert kind.label_en in detail and kind.label not in detail
    for tag in selfs:
        assert tag.label_en in detail and tag.label not in detail
    for other in ModelKind.objects.filter(is_active=True):
        assert other.label_en in form and other.label not in form
    for other in SelfTag.objects.all():
        assert other.label_en in form and other.label not in form
    # and so do the unit kinds
    assert "School" in detail and "Nhà trường" not in detail


@pytest.mark.django_db
def test_the_vietnamese_model_page_keeps_the_vietnamese_catalogue(client, world, model):
    client.force_login(world.officer_a)
    detail = _texts(client.get(reverse("models_registry:model_detail", args=[model.pk])))
    assert model.kind.label in detail and model.kind.label_en not in detail
    assert "tự quản" in detail and "self-management" not in detail


@pytest.mark.django_db
def test_the_english_export_and_dashboard_show_the_kind_in_english(client, world, model):
    client = _in_english(client, world.committee)
    export = client.get(reverse("models_registry:model_export_csv")).content.decode("utf-8-sig")
    assert model.kind.label_en in export and model.kind.label not in export

    dashboard = _texts(client.get(reverse("dashboard:dashboard")))
    assert model.kind.label_en in dashboard and model.kind.label not in dashboard


@pytest.mark.django_db
def test_the_annual_report_figures_stay_vietnamese_in_the_english_interface(world, model):
    # given an English interface (a report requested from it runs in the request)
    with translation.override("en"):
        # when the report's figures are computed
        figures = district_report_figures(district=world.district, year=LAUNCH.year)
    # then the document's words are Vietnamese
    assert figures["area_kind"] == "Thành phố"
    assert "Nhà trường" in [row["label"] for row in figures["by_unit_kind"]]
    assert [row["kind"] for row in figures["models_launched"]] == ["Học sinh, sinh viên tự quản"]
    assert figures["area_label"] == "Thành phố Vinh" and figures["wards"][0]["ward_label"].startswith("Phường ")


def test_an_area_reads_in_english_word_order(client, world):
    # "Phường Trung Đô" is "Trung Đô Ward" in English, as the area's own name comes first there
    with translation.override("en"):
        assert (str(world.ward_a), str(world.district)) == (f"{world.ward_a.name} Ward", "Vinh City")
    assert str(world.district) == "Thành phố Vinh"
    client.force_login(world.officer_a)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    assert f"{world.ward_a.name} Ward" in client.get(reverse("dashboard:dashboard")).content.decode()


# --- one Vietnamese word, two English ones -----------------------------------------


@pytest.mark.django_db
def test_a_review_has_a_type_and_a_session_a_channel(client, world, model):
    client = _in_english(client, world.officer_a)
    Review.objects.create(model=model, year=2021, kind=Review.Kind.MID_YEAR, rating=Review.Rating.GOOD)
    PropagandaSessionFactory(ward=world.ward_a, unit=world.unit_a)

    detail = _texts(client.get(reverse("models_registry:model_detail", args=[model.pk])))
    sessions = _texts(client.get(reverse("movement:session_list")))

    assert "Review type" in detail and "Mid-year review" in detail and "Channel" not in detail
    assert "Channel" in sessions and "Review type" not in sessions


@pytest.mark.django_db
def test_a_model_is_entered_by_someone_and_a_workbook_imported_by_someone(client, world, model):
    client = _in_english(client, world.officer_a)
    job = ImportJob.objects.create(user=world.officer_a, district=world.district, original_name="tuyen-truyen.xlsx",
                                   status=ImportJob.Status.DONE)

    detail = client.get(reverse("models_registry:model_detail", args=[model.pk])).content.decode()
    import_page = client.get(reverse("movement:import_job", args=[job.pk])).content.decode()

    assert "Entered by" in detail and "Imported by" not in detail
    assert f"Imported by: {world.officer_a.display_name}" in import_page and "Entered by" not in import_page


@pytest.mark.django_db
def test_the_delete_button_says_delete_and_the_history_says_what_happened(client, world):
    client = _in_english(client, world.officer_a)
    session = PropagandaSessionFactory(ward=world.ward_a, unit=world.unit_a)
    session.attendance = 150
    session.save()

    page = _texts(client.get(reverse("movement:session_detail", args=[session.pk])))

    assert {"Edit", "Delete", "Created", "Changed"} <= page
    assert "Deleted" not in page
    assert "Unit" in page and "Units" in page  # the record's unit; the menu's list of units
    assert "Export to Excel" in _texts(client.get(reverse("models_registry:model_list")))


# --- the catalogue files -----------------------------------------------------------


def _key(entry):
    return entry.msgctxt, entry.msgid


def test_every_entry_of_the_po_is_translated():
    po = polib.pofile(str(PO))
    untranslated = [_key(e) for e in po if not e.obsolete and (not e.translated() or "fuzzy" in e.flags)]
    assert untranslated == []


def test_every_msgid_of_the_code_has_its_english_in_the_po(tmp_path):
    # given a copy of the code with the committed catalogue
    if not shutil.which("xgettext") or not shutil.which("msgmerge"):
        skip_outside_ci("GNU gettext (xgettext, msgmerge) is missing")
    copy = tmp_path / "code"
    shutil.copytree(ROOT, copy, ignore=shutil.ignore_patterns(
        ".venv", ".git", "var", "static", "tests", "__pycache__", "*.mo", "node_modules"))
    env = {**os.environ, "DJANGO_VAR_DIR": str(tmp_path / "var")}

    # when makemessages reads the code, as `make messages` does
    result = subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-l", "en", "--no-obsolete", "-i", ".venv/*", "-i", "tests/*"],
        cwd=copy, env=env, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr

    # then every msgid it finds has a translation in the committed .po
    committed = {_key(e): e for e in polib.pofile(str(PO)) if not e.obsolete}
    fresh = polib.pofile(str(copy / "locale" / "en" / "LC_MESSAGES" / "django.po"))
    missing = [_key(e) for e in fresh if not e.obsolete and (
        _key(e) not in committed or not committed[_key(e)].translated() or "fuzzy" in committed[_key(e)].flags)]
    assert missing == []


def test_the_committed_mo_is_the_compiled_po(tmp_path):
    if not shutil.which("msgfmt"):
        skip_outside_ci("GNU gettext (msgfmt) is missing")
    compiled = tmp_path / "django.mo"
    subprocess.run(["msgfmt", "--check", "-o", str(compiled), str(PO)], check=True, timeout=60)
    with open(compiled, "rb") as fresh, open(MO, "rb") as committed:
        assert gettext.GNUTranslations(committed)._catalog == gettext.GNUTranslations(fresh)._catalog


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["vi", "en"])
def test_the_language_picker_names_each_language_in_its_own_tongue(client, language):
    # given the login page in either language
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    # when the footer's picker is read
    html = client.get(reverse("accounts:login")).content.decode()
    options = dict(re.findall(r'<option value="(\w+)" lang="\w+"(?: selected)?>([^<]+)</option>', html))
    # then English reads "English" to a Vietnamese reader, never "Tiếng Anh"
    assert options == {"vi": "Tiếng Việt", "en": "English"}
