"""Reads behind the dashboard. The figures are reports.figures' — the very functions
of the annual report, with its rule for which wards a year counts — so the two
never disagree; this package adds the scope (scope.py), the drill-down links
(links.py), the flags and the cache (figures.py), the recent activity (recent.py)
and what the charts draw (charts.py).

Queries for one uncached dashboard, whatever the amount of data: the year's
layout of the area (3: the ward or district, the merged wards, the area's
wards), ward_figures (3: the rollups, the year states (units with a plan, active
models), active units by kind; a period cut mid-year counts the states live),
sessions in the last 90 days (2), sessions by month (1), models by kind (4) and
the kinds' ids (1), units by kind (2), latest launches (1), latest sessions (1)
and who entered them (1): 19. A cached one runs none of them.
"""
from dashboard.selectors.charts import chart_data, ranking
from dashboard.selectors.figures import (
                                         FIGURE_BY_KEY,
                                         FIGURES,
                                         Figure,
                                         cache_parts,
                                         cached_dashboard_data,
                                         dashboard_data,
)
from dashboard.selectors.links import dashboard_url, drill_url, list_paths
from dashboard.selectors.recent import QUIET_DAYS, RECENT_ITEMS, recent_launches, recent_sessions
from dashboard.selectors.scope import DistrictRef, Scope, WardRef, dashboard_scope, user_wards

__all__ = [
    "FIGURES", "FIGURE_BY_KEY", "Figure", "QUIET_DAYS", "RECENT_ITEMS", "DistrictRef", "Scope", "WardRef",
    "cache_parts", "cached_dashboard_data", "chart_data", "dashboard_data", "dashboard_scope", "dashboard_url",
    "drill_url", "list_paths", "ranking", "recent_launches", "recent_sessions", "user_wards",
]
