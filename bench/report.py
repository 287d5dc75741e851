"""Annual report: the figures, the PDF and the spreadsheet for one district, and
the raw SQL floor under the figures (EXPLAIN ANALYZE of the aggregates alone).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/antq_province python bench/report.py [--district Vinh] [--year 2025]
"""
import argparse
import datetime
import json
import re

from _setup import connection, header, timed
from django.db import connection as conn
from django.test.utils import CaptureQueriesContext

from areas.models import District
from reports.figures import district_report_figures
from reports.rendering import render_pdf, render_xlsx

RAW_AGGREGATES = [
    # The same aggregates reports.figures asks for, written by hand: per ward,
    # this year and last, for the district's wards.
    ("sessions", """SELECT s.ward_id, COUNT(*) FILTER (WHERE s.held_on >= %(start)s),
                           SUM(s.attendance) FILTER (WHERE s.held_on >= %(start)s),
                           COUNT(*) FILTER (WHERE s.held_on < %(start)s), SUM(s.attendance) FILTER (WHERE s.held_on < %(start)s)
                    FROM movement_propagandasession s
                    WHERE s.ward_id = ANY(%(wards)s) AND s.held_on >= %(prev)s AND s.held_on < %(end)s GROUP BY 1"""),
    ("signings", """SELECT ward_id, COUNT(*), SUM(signatories) FROM movement_commitmentsigning
                    WHERE ward_id = ANY(%(wards)s) AND signed_on >= %(prev)s AND signed_on < %(end)s GROUP BY 1"""),
    ("plans", """SELECT ward_id, COUNT(*), COUNT(DISTINCT unit_id) FROM movement_unitplan
                 WHERE ward_id = ANY(%(wards)s) AND issued_on >= %(prev)s AND issued_on < %(end)s GROUP BY 1"""),
    ("commendations", """SELECT ward_id, COUNT(*) FROM movement_commendation
                         WHERE ward_id = ANY(%(wards)s) AND awarded_on >= %(prev)s AND awarded_on < %(end)s GROUP BY 1"""),
    ("models launched", """SELECT ward_id, COUNT(*), SUM(members) FROM models_registry_securitymodel
                           WHERE ward_id = ANY(%(wards)s) AND launched_on >= %(prev)s AND launched_on < %(end)s GROUP BY 1"""),
    ("models active", """SELECT m.ward_id, COUNT(*) FROM models_registry_securitymodel m
                         WHERE m.ward_id = ANY(%(wards)s) AND m.launched_on <= %(last)s AND COALESCE((
                           SELECT c.status FROM models_registry_statuschange c WHERE c.model_id = m.id
                           AND c.changed_on <= %(last)s ORDER BY c.changed_on DESC, c.id DESC LIMIT 1), '') <> 'dissolved'
                         GROUP BY 1"""),
    ("units", """SELECT ward_id, COUNT(*) FROM movement_unit WHERE ward_id = ANY(%(wards)s) AND is_active GROUP BY 1"""),
    ("documents", """SELECT l.legaldocument_id, COUNT(*) FROM movement_propagandasession_legal_documents l
                     JOIN movement_propagandasession s ON s.id = l.propagandasession_id
                     WHERE s.ward_id = ANY(%(wards)s) AND s.held_on >= %(start)s AND s.held_on < %(end)s GROUP BY 1"""),
    ("sessions by unit kind", """SELECT u.kind, COUNT(*), SUM(s.attendance) FROM movement_propagandasession s
                                 JOIN movement_unit u ON u.id = s.unit_id
                                 WHERE s.ward_id = ANY(%(wards)s) AND s.held_on >= %(start)s AND s.held_on < %(end)s
                                 GROUP BY 1"""),
    ("sessions by month", """SELECT date_trunc('month', held_on), COUNT(*), SUM(attendance) FROM movement_propagandasession
                             WHERE ward_id = ANY(%(wards)s) AND held_on >= %(prev)s AND held_on < %(end)s GROUP BY 1"""),
]


def sql_floor_ms(ward_ids, year):
    """Sum of PostgreSQL's own execution times for the raw aggregates."""
    params = {"wards": ward_ids, "start": datetime.date(year, 1, 1), "prev": datetime.date(year - 1, 1, 1),
              "end": datetime.date(year + 1, 1, 1), "last": datetime.date(year, 12, 31)}
    total, parts = 0.0, []
    with conn.cursor() as cursor:
        for name, sql in RAW_AGGREGATES:
            best = None
            for _ in range(5):
                cursor.execute("EXPLAIN (ANALYZE, FORMAT TEXT) " + sql, params)
                plan = "\n".join(row[0] for row in cursor.fetchall())
                ms = float(re.search(r"Execution Time: ([\d.]+) ms", plan).group(1))
                best = ms if best is None else min(best, ms)
            parts.append((name, best))
            total += best
    return total, parts


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--district", default="Vinh")
    parser.add_argument("--year", type=int, default=datetime.date.today().year - 1)
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()
    header(f"annual report: {args.district}, {args.year}")
    district = District.objects.select_related("province").get(name=args.district)
    with CaptureQueriesContext(connection) as queries:
        figures = district_report_figures(district=district, year=args.year)
    print(f"district: {district.wards.count()} wards, {figures['totals']['sessions']:,} sessions in {args.year}; "
          f"figures JSON {len(json.dumps(figures, ensure_ascii=False)):,} bytes")
    median, p95, _ = timed(lambda: district_report_figures(district=district, year=args.year), args.repeat)
    print(f"figures: median {median:.1f} ms, p95 {p95:.1f} ms, {len(queries.captured_queries)} SQL queries")
    if connection.vendor == "postgresql":
        floor, parts = sql_floor_ms([w.pk for w in district.wards.all()], args.year)
        print(f"raw SQL floor (EXPLAIN ANALYZE execution time, best of 5): {floor:.1f} ms = "
              + ", ".join(f"{name} {ms:.1f}" for name, ms in parts))
        print(f"figures / floor: {median / floor:.1f}x")
    pdf_median, pdf_p95, pdf = timed(lambda: render_pdf(figures), max(3, args.repeat // 4))
    print(f"PDF: median {pdf_median:.0f} ms, p95 {pdf_p95:.0f} ms, {len(pdf) // 1024} KB")
    xlsx_median, _p95, _ = timed(lambda: render_xlsx(figures), max(3, args.repeat // 4))
    print(f"XLSX: median {xlsx_median:.0f} ms")
    print(f"whole report (figures + PDF + XLSX): {median + pdf_median + xlsx_median:.0f} ms")


if __name__ == "__main__":
    main()
