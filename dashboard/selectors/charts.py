"""What the dashboard's charts draw (dashboard.js); each chart's table on the page
shows the same numbers."""
from django.utils.translation import gettext_lazy as _

from core.text import sort_key
from dashboard.selectors.figures import FIGURE_BY_KEY


def ranking(rows, key):
    """Rows by one figure, highest first (for the ranking chart)."""
    return sorted(rows, key=lambda r: (-(r[key] or 0), sort_key(r["name"])))


def chart_data(data, ranked, rank_key):
    """What dashboard.js draws; each chart's table on the page shows the same numbers."""
    year = data["year"]
    return {
        "text": {"sessions": str(_("buổi")), "attendances": str(_("lượt người")), "launched": str(_("Ra mắt")),
                 "active": str(_("Hoạt động cuối năm")), "share": str(_("Tỷ lệ có kế hoạch"))},
        "months": {
            "labels": [str(m["month"]) for m in data["months"]],
            "sessions": [m["sessions"] for m in data["months"]],
            "sessions_prev": [m["sessions_prev"] for m in data["months"]],
            "attendances": [m["attendances"] for m in data["months"]],
            "attendances_prev": [m["attendances_prev"] for m in data["months"]],
            "year": str(year), "previous_year": str(year - 1),
        },
        "model_kinds": {
            "labels": [r["label"] for r in data["model_kinds"]],
            "launched": [r["launched"] for r in data["model_kinds"]],
            "active": [r["active"] for r in data["model_kinds"]],
        },
        "ranking": {
            "labels": [r["name"] for r in ranked],
            "values": [r[rank_key] or 0 for r in ranked],
            "label": str(FIGURE_BY_KEY[rank_key].label),
            "is_share": rank_key == "share_with_plan",
        },
        "unit_kinds": {
            "labels": [r["label"] for r in data["unit_kinds"]],
            "shares": [r["share_with_plan"] or 0 for r in data["unit_kinds"]],
        },
    }
