from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from accounts.models import User


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    list_display = ("username", "full_name", "role", "ward", "district", "is_active")
    list_filter = ("role", "is_active", "district")
    search_fields = ("username", "full_name", "email")
    autocomplete_fields = ("ward", "district")
    fieldsets = DjangoUserAdmin.fieldsets + (
        (_("Vai trò và địa bàn"), {"fields": ("full_name", "position", "role", "ward", "district")}),
    )
    add_fieldsets = DjangoUserAdmin.add_fieldsets + (
        (_("Vai trò và địa bàn"), {"fields": ("full_name", "role", "ward", "district")}),
    )
