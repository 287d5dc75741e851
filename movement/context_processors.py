from movement.scope import can_open_admin


def navigation(request):
    """What the menu shows, by role."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav": {}}
    return {
        "nav": {
            "units": True,
            "admin": can_open_admin(user),
            "role_label": user.get_role_display(),
            "area_label": user.area_label,
        }
    }
