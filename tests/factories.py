import datetime

import factory

from accounts.models import Role, User
from areas.models import District, Province, Ward
from movement.models import Unit


class ProvinceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Province
        django_get_or_create = ("name",)

    name = "Nghệ An"


class DistrictFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = District

    province = factory.SubFactory(ProvinceFactory)
    name = factory.Sequence(lambda n: f"Huyện thử {n}")
    kind = District.Kind.CITY


class WardFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Ward

    district = factory.SubFactory(DistrictFactory)
    name = factory.Sequence(lambda n: f"Phường thử {n}")
    kind = Ward.Kind.WARD


class UnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Unit

    ward = factory.SubFactory(WardFactory)
    name = factory.Sequence(lambda n: f"Công ty TNHH Thử nghiệm {n}")
    kind = Unit.Kind.ENTERPRISE
    address = "Số 1 đường Lê Duẩn"
    headcount = 50
    # Long established: a test's unit exists in every year it looks at.
    started_on = datetime.date(2010, 1, 1)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    full_name = factory.Sequence(lambda n: f"Nguyễn Văn Thử {n}")
    role = Role.PROVINCE
    password = factory.PostGenerationMethodCall("set_password", "matkhau-thu-123")

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()


def ward_officer(ward, **kwargs):
    return UserFactory(role=Role.WARD_OFFICER, ward=ward, **kwargs)


def district_member(district, **kwargs):
    return UserFactory(role=Role.DISTRICT, district=district, **kwargs)


def administrator(**kwargs):
    return UserFactory(role=Role.ADMIN, is_staff=True, is_superuser=True, **kwargs)


# The people of the `world` fixture that the permission matrices walk, and the
# outcome that means "sent to the login page".
LOGIN = "login"
USERS = ["anonymous", "officer_a", "officer_b", "committee", "other_committee", "admin"]


def client_for(client, world, who):
    if who != "anonymous":
        client.force_login(getattr(world, who))
    return client




# --- Activities (issue #4) -----------------------------------------------------

import datetime  # noqa: E402

from movement.models import Commendation, CommitmentSigning, LegalDocument, PropagandaSession, UnitPlan  # noqa: E402


class LegalDocumentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LegalDocument
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"{n:02d}/CT-BCA")
    kind = LegalDocument.Kind.DIRECTIVE
    issuer = "Bộ trưởng Bộ Công an"
    title = "Đẩy mạnh công tác xây dựng phong trào toàn dân bảo vệ ANTQ"


class PropagandaSessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PropagandaSession

    ward = factory.SubFactory(WardFactory)
    held_on = datetime.date(2024, 3, 26)
    topic = factory.Sequence(lambda n: f"Phổ biến Luật An ninh mạng, đợt {n}")
    channel = PropagandaSession.Channel.CONFERENCE
    audience = PropagandaSession.Audience.STUDENTS
    attendance = 120


class CommitmentSigningFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CommitmentSigning

    ward = factory.SubFactory(WardFactory)
    signed_on = datetime.date(2024, 9, 5)
    content = factory.Sequence(lambda n: f"Học sinh cam kết không vi phạm pháp luật, đợt {n}")
    signatories = 300


class UnitPlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = UnitPlan

    unit = factory.SubFactory(UnitFactory)
    ward = factory.SelfAttribute("unit.ward")
    year = 2024
    kind = UnitPlan.Kind.PLAN
    number = factory.Sequence(lambda n: f"{n + 1:02d}/KH-ĐV")
    issued_on = datetime.date(2024, 1, 15)


class CommendationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Commendation

    ward = factory.SubFactory(WardFactory)
    awarded_on = datetime.date(2024, 8, 19)
    honoree = factory.Sequence(lambda n: f"Nguyễn Văn Thử {n}")
    honoree_kind = Commendation.HonoreeKind.INDIVIDUAL
    title = Commendation.Title.GOOD_DEEDS
    reason = "Phát hiện, tố giác đối tượng trộm cắp tài sản."


# --- models registry --------------------------------------------------------
import base64  # noqa: E402
import datetime  # noqa: E402

from django.core.files.uploadedfile import SimpleUploadedFile  # noqa: E402

from models_registry.models import ModelKind, SecurityModel, SelfTag  # noqa: E402

# A real 1x1 PNG, so a browser can show the thumbnail.
PNG_BYTES = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==")


def png_upload(name="anh-ra-mat.png"):
    return SimpleUploadedFile(name, PNG_BYTES, content_type="image/png")


def pdf_upload(name="quyet-dinh.pdf", size=None):
    body = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
    if size:
        body = body + b"0" * (size - len(body))
    return SimpleUploadedFile(name, body, content_type="application/pdf")


class ModelKindFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ModelKind
        # The catalogue is seeded by a migration; transactional tests flush it.
        django_get_or_create = ("label",)

    label = "Học sinh, sinh viên tự quản"


class SelfTagFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SelfTag
        django_get_or_create = ("label",)

    label = "tự quản"


class SecurityModelFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SecurityModel

    name = factory.Sequence(lambda n: f"Tổ tự quản về ANTT số {n}")
    kind = factory.SubFactory(ModelKindFactory)
    ward = factory.SubFactory(WardFactory)
    launched_on = datetime.date(2020, 3, 20)
    members = 40
    organisers = ["Công an phường", "UBND phường"]
    status_since = datetime.date(2020, 3, 20)
