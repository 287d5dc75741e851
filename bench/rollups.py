"""Benchmark: the figures read from the rollups (issue #14), for one ward, one
district, one province and everything in the database, against the simplest
live aggregation of the same district-years; then `rollups --check`.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/antq_province .venv/bin/python bench/rollups.py [--year 2025]

"Figures" here are the table of an area's wards with their totals and the year
before (reports.figures.folded_figures over areas.selectors.area_layout): what
the annual report and the dashboard put in their tables. Exits 1 when the
rollups differ from the records."""
import argparse
import datetime
import time

from _setup import connection, header, timed
from django.db import connection as conn
from django.db.models import Count, Q, Sum
from django.test.utils import CaptureQueriesContext

from areas.models import District, Province, Ward
from areas.selectors import area_layout, area_period
from movement.models import Commendation, CommitmentSigning, PropagandaSession, UnitPlan
from reports.figures import Period, folded_figures
from rollups.models import WardMonth, WardYear
from rollups.services import differences


def figures_of(area, year):
    if area is None:  # everything: every ward in the database
        period = Period.of_year(year)
        visible = list(Ward.objects.values_list("pk", flat=True))
    else:
        period = Period(*area_period(area, year))
        visible = None

    def run():
        return folded_figures(*area_layout(area, period.start, period.last_day, visible=visible), period=period)

    return run


def live_floor(ward_ids, year):
    """The simplest ORM aggregation of the same figures, the way issue #14
    measured its floor: per ward, one query per table and year."""
    def run():
        for y in (year - 1, year):
            span = {"gte": datetime.date(y, 1, 1), "lt": datetime.date(y + 1, 1, 1)}
            for model, field, measures in (
                    (PropagandaSession, "held_on", {"n": Count("pk"), "people": Sum("attendance")}),
                    (CommitmentSigning, "signed_on", {"n": Count("pk"), "people": Sum("signatories")}),
                    (UnitPlan, "issued_on", {"n": Count("pk"), "units": Count("unit_id", distinct=True)}),
                    (Commendation, "awarded_on", {"n": Count("pk")})):
                list(model.objects.filter(Q(**{f"{field}__{k}": v for k, v in span.items()}), ward_id__in=ward_ids)
                     .order_by().values("ward_id").annotate(**measures))
    return run


def table_size(model):
    with conn.cursor() as cursor:
        cursor.execute("SELECT pg_size_pretty(pg_total_relation_size(%s))", [model._meta.db_table])
        return cursor.fetchone()[0]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--year", type=int, default=datetime.date.today().year - 1)
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()
    header(f"rollups: figures of {args.year} at every scale")
    print(f"rollups: {WardMonth.objects.count():,} month rows ({table_size(WardMonth)}), "
          f"{WardYear.objects.count():,} year rows ({table_size(WardYear)}); "
          f"sessions table {table_size(PropagandaSession)}")
    year = args.year
    ward = (Ward.objects.filter(valid_to__isnull=True).annotate(n=Count("propagandasessions"))
            .order_by("-n").first())
    district = (District.objects.filter(name="Vinh").first() or District.objects.order_by("pk").first())
    province = Province.objects.filter(name="Nghệ An").first() or Province.objects.order_by("pk").first()
    areas = [("one ward", ward), ("one district", district), ("one province", province),
             ("everything", None)]
    for label, area in areas:
        if area is not None and area_period(area, year) is None:
            print(f"  {label:<14} {area}: did not exist in {year}")
            continue
        run = figures_of(area, year)
        with CaptureQueriesContext(connection) as queries:
            folded = run()
        median, p95, _ = timed(run, args.repeat)
        print(f"  {label:<14} {str(area) if area else 'all wards':<28} {len(folded.rows):>5} rows, "
              f"{folded.totals['sessions']:>9,} sessions: median {median:7.1f} ms, p95 {p95:7.1f} ms, "
              f"{len(queries.captured_queries)} queries")
        if label == "one district":
            ids = folded.all_ids
            floor_median, floor_p95, _ = timed(live_floor(ids, year), max(5, args.repeat // 2))
            print(f"  {'':<14} live aggregation of the same district-years (the floor before rollups): "
                  f"median {floor_median:.1f} ms, p95 {floor_p95:.1f} ms")
    started = time.perf_counter()
    found = differences(limit=20)
    print(f"rollups --check: {'exact' if not found else f'{len(found)}+ DIFFERENCES'} "
          f"({time.perf_counter() - started:.1f} s)")
    if found:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
