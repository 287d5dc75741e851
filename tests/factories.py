import factory

from accounts.models import Role, User
from movement.models import District, Province, Unit, Ward


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


