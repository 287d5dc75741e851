from django import template

register = template.Library()


@register.filter
def minutes(delta):
    """timedelta -> whole minutes, for "try again in 15 minutes"."""
    try:
        return max(1, int(delta.total_seconds() // 60))
    except AttributeError:
        return ""
