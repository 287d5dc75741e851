from accounts.models import Role


def navigation(request):
    """What the menu shows, by role."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav": {}}
    return {
        "nav": {
            "units": True,
            "admin": user.is_staff and (user.is_superuser or user.role == Role.ADMIN),
            "role_label": user.get_role_display(),
            "area_label": user.area_label,
        }
    }
