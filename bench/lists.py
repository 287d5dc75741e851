"""The paginated list pages, served in-process through Django's test client:
server time (median, p95) and SQL queries per page, for a ward officer, the
district committee and the province, on the first and on a deep page.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/antq_province python bench/lists.py
"""
import argparse

from _setup import connection, header, timed
from django.test import Client
from django.test.utils import override_settings

from accounts.models import Role, User

PAGES = [
    ("units", "/don-vi/"),
    ("units, search", "/don-vi/?q=truong+thcs"),
    ("models", "/mo-hinh/"),
    ("models, launched 2024", "/mo-hinh/?year=2024"),
    ("sessions", "/tuyen-truyen/"),
    ("sessions, 2025, page 20", "/tuyen-truyen/?year=2025&page=20"),
    ("signings", "/ky-cam-ket/"),
    ("plans", "/ke-hoach/"),
    ("commendations", "/bieu-duong/"),
]


class QueryLog:
    """Counts (and times) the SQL a request runs, whatever DEBUG says."""

    def __init__(self):
        self.queries = []

    def __call__(self, execute, sql, params, many, context):
        import time

        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.queries.append(((time.perf_counter() - started) * 1000, sql))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--sql-width", type=int, default=60, help="characters of the slowest query to print")
    args = parser.parse_args()
    header("paginated lists")
    users = [
        ("ward officer", User.objects.filter(role=Role.WARD_OFFICER).order_by("pk").first()),
        ("district committee", User.objects.filter(role=Role.DISTRICT, district__name="Vinh").first()),
        ("province", User.objects.filter(role=Role.PROVINCE).first()),
    ]
    print(f"{'page':<26} {'user':<20} {'median ms':>10} {'p95 ms':>8} {'queries':>8}  slowest query")
    with override_settings(ALLOWED_HOSTS=["*"], DEBUG=False):
        for label, user in users:
            if user is None:
                continue
            client = Client()
            client.force_login(user)
            for name, url in PAGES:
                log = QueryLog()
                with connection.execute_wrapper(log):
                    response = client.get(url)
                assert response.status_code == 200, (url, response.status_code)
                median, p95, _ = timed(lambda: client.get(url), args.repeat)
                slowest = max(log.queries)
                print(f"{name:<26} {label:<20} {median:>10.1f} {p95:>8.1f} {len(log.queries):>8}  "
                      f"{slowest[0]:.0f} ms {' '.join(slowest[1].split())[:args.sql_width]}")


if __name__ == "__main__":
    main()
