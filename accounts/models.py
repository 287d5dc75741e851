from django.contrib.auth.models import AbstractUser
from django.contrib.auth.models import UserManager as DjangoUserManager
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Role(models.TextChoices):
    WARD_OFFICER = "ward_officer", _("Cán bộ Công an phường, xã")
    DISTRICT = "district", _("Thành viên Ban Chỉ đạo cấp huyện")
    PROVINCE = "province", _("Cán bộ Công an tỉnh")
    ADMIN = "admin", _("Quản trị hệ thống")


class UserManager(DjangoUserManager):
    def get_queryset(self):
        # Every page names the user's ward or district in its menu (area_label),
        # and the scope starts from it: loaded with the user, that is one query
        # less a page (issue #16). Two small tables; the join costs nothing.
        return super().get_queryset().select_related("ward", "district")

    def create_superuser(self, username, email=None, password=None, **extra_fields):
        # The default role (ward officer) needs a ward; an operator has none.
        extra_fields.setdefault("role", Role.ADMIN)
        return super().create_superuser(username, email, password, **extra_fields)


class User(AbstractUser):
    """A user has one role; its area (ward or district) says where that role applies.
    movement.scope turns role and area into the querysets the user may reach."""

    full_name = models.CharField(_("Họ và tên"), max_length=150, blank=True)
    role = models.CharField(_("Vai trò"), max_length=20, choices=Role.choices, default=Role.WARD_OFFICER)
    ward = models.ForeignKey(
        "areas.Ward", verbose_name=_("Phường, xã"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="officers",
    )
    district = models.ForeignKey(
        "areas.District", verbose_name=_("Quận, huyện"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="committee_members",
    )
    position = models.CharField(_("Chức vụ"), max_length=150, blank=True)

    objects = UserManager()

    class Meta:
        verbose_name = pgettext_lazy("singular", "Người dùng")
        verbose_name_plural = pgettext_lazy("plural", "Người dùng")
        constraints = [
            # A ward officer without a ward, or a committee member without a
            # district, would silently see nothing (or, worse, a bug would show all).
            models.CheckConstraint(
                condition=~Q(role="ward_officer") | Q(ward__isnull=False, district__isnull=True),
                name="user_ward_officer_has_ward",
                violation_error_message=_("Cán bộ phường, xã phải thuộc đúng một phường, xã."),
            ),
            models.CheckConstraint(
                condition=~Q(role="district") | Q(district__isnull=False, ward__isnull=True),
                name="user_district_member_has_district",
                violation_error_message=_("Thành viên Ban Chỉ đạo phải thuộc một quận, huyện."),
            ),
        ]

    def __str__(self):
        return self.full_name or self.username

    @property
    def display_name(self):
        return self.full_name or self.get_full_name() or self.username

    @property
    def is_administrator(self):
        return self.is_superuser or self.role == Role.ADMIN

    @property
    def area_label(self):
        if self.role == Role.WARD_OFFICER and self.ward_id:
            return str(self.ward)
        if self.role == Role.DISTRICT and self.district_id:
            return str(self.district)
        return ""
