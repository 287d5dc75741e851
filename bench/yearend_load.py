"""The year-end peak (issue #16): simulated officers and committee members against
gunicorn, started here on 127.0.0.1 and stopped here, on the district demo in
PostgreSQL (DATABASE_URL) with the cache in Redis (REDIS_URL).

Each simulated user logs in once (the login page for its CSRF token, the POST,
the landing redirect), then until the end of the run waits 1–3 s (seeded) and
does one action of a fixed mix: a ward list (sessions, signings, models, units;
now and then a later page), a detail page (ids read from the database before the
start, from what that login may see), the dashboard, a new propaganda session
through the real form (the form page for its token, 1–3 s of typing, the POST,
the record's page it redirects to), the sessions list's CSV export, or the
reports page. Ward officers post; the committee (bcd.vinh, and tinh.nghean whose
wards they are since 1/7/2025: one user in `--committee-every`) reads the
dashboard, the reports and the exports more. Users come in phases (50, 100, then
200 of them): each phase starts its new users over `--ramp-seconds`, waits for
their logins, then measures `--phase-seconds`.

Prints per phase: requests per second; p50/p95/p99 per request kind (login,
lists, details, dashboard, form, post, export, reports); errors by kind and cause
(any 4xx/5xx, a connection reset or refused, a timeout, a redirect to the wrong
place, a rejected form); the CPU of gunicorn (its processes' CPU time over the
phase, from /proc, per core), PostgreSQL, Redis, this client and the whole
machine. At the end, the integrity check: every post the server accepted is in
the database exactly once with what was posted, none that it refused is, and
`manage.py rollups --check` finds the rollups exact. Then the run's sessions are
deleted through the service (`--keep-posts` keeps them) and its login sessions
dropped. Exit 1 on any error or a failed check.

The server runs `config.settings.production` (debug off, a fresh 50-character
secret, ALLOWED_HOSTS 127.0.0.1, static files collected into a temporary
DJANGO_VAR_DIR; requests say `X-Forwarded-Proto: https` as the TLS proxy would).
Production asks for a password in REDIS_URL: one without gets the user
`default` and a password, which a Redis with no password configured accepts.
`--settings base` runs the base settings with debug off instead (the #16
measurement's). Loopback only; the whole run is bounded (each phase's logins wait
at most LOGIN_WAIT_SECONDS; a request gives up after `--timeout`).

The district demo, once (about 40 s; or `--create-demo`):

    createdb -h 127.0.0.1 -U postgres antq_district
    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/antq_district
    .venv/bin/python manage.py migrate && .venv/bin/python manage.py load_wards \\
        && .venv/bin/python manage.py load_legal_documents && .venv/bin/python manage.py seed_demo --scale district

A quick try (10 users, 5 s ramp, 10 s measured, under a minute):

    .venv/bin/python bench/yearend_load.py

The year-end run (50, 100, 200 users; about 5 minutes):

    .venv/bin/python bench/yearend_load.py --phases 50,100,200 --phase-seconds 60 --ramp-seconds 15

Gunicorn: `--workers` (default 2 × cores + 1), `--worker-class sync|gthread`,
`--threads`, `--keep-alive` (seconds; default config/gunicorn.conf.py's 5, the
production settings the server starts with; gunicorn's own 2, which gthread
uses, is shorter than the users' 1–3 s pauses, so the server closes kept-alive
connections just as the next request is sent; sync workers close every
connection after the response and ignore it). The default, 2 × cores + 1 sync
workers, did best on 2 cores (2026-11-29): 56 req/s at 200 users, no connection
dropped; 3 gthread workers × 4 threads served 43 req/s with `--keep-alive 5` and,
with the default 2 s, lost a third of the requests on closed connections.

Server time, queries and cProfile per request kind, in process (no gunicorn),
for the committee and a ward officer:

    .venv/bin/python bench/yearend_load.py --profile [--profile-repeat 5] [--profile-kinds 3] [--profile-top 10]

It prints, for each request of each kind, the median server time, the queries and
their time, the templates' share; then, for the slowest kinds, the top functions
by cumulative time (the request plumbing and template machinery left out) and by
own time, as shares of the profiled time and milliseconds of the median.
"""
import argparse
import cProfile
import datetime
import http.client
import itertools
import os
import pstats
import random
import re
import resource
import secrets
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode, urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/antq_district"
# A Redis database of its own: the dashboard's cache keys name ward ids, which
# another database's run would share.
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/13"
os.environ.setdefault("DATABASE_URL", DEFAULT_DATABASE_URL)
os.environ.setdefault("REDIS_URL", DEFAULT_REDIS_URL)
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")
os.environ.setdefault("DJANGO_DEBUG", "false")
os.environ.setdefault("DJANGO_LOG_LEVEL", "WARNING")
os.environ.setdefault("DJANGO_SECRET_KEY", secrets.token_urlsafe(50))

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection, connections  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import timezone  # noqa: E402

from accounts.models import Role, User  # noqa: E402
from bench._server import free_port, start_celery_worker, start_gunicorn, stop_gunicorn  # noqa: E402
from bench._setup import data_size  # noqa: E402
from demo.district import DEMO_PASSWORD  # noqa: E402
from movement.models import ExportJob, LegalDocument, PropagandaSession, Unit  # noqa: E402

KINDS = ["login", "lists", "details", "dashboard", "form", "post", "export", "reports"]
# Weights of an action, per role. A ward officer's "post" is three requests (the
# form, the POST, the record's page); the committee may not post.
OFFICER_MIX = {"lists": 40, "details": 20, "dashboard": 8, "post": 15, "export": 7, "reports": 10}
COMMITTEE_MIX = {"lists": 30, "details": 20, "dashboard": 25, "export": 10, "reports": 15}
COMMITTEE_LOGINS = "bcd.vinh,tinh.nghean"
THINK_SECONDS = (1.0, 3.0)
LOGIN_TRIES = 3
# After a phase's ramp, its new users' logins may take this much longer (password
# hashing is the costliest request here) before the measured time starts anyway.
LOGIN_WAIT_SECONDS = 90
IDS_PER_LIST = 400  # detail pages are picked among a login's newest records of each list
TAG = "tải cuối năm"  # in the topic of every session a run posts, with the run's id
CSRF_INPUT = re.compile(rb'name="csrfmiddlewaretoken" value="([^"]+)"')
EXPORT_JOB_PAGE = re.compile(r"^/xuat-du-lieu/\d+/$")  # an export made in the background (movement.exports)
FORM_ERROR = re.compile(rb'class="invalid-feedback"[^>]*>(.*?)</div>|alert-danger[^>]*>(.*?)</div>', re.DOTALL)
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")
CORES = os.cpu_count() or 1


# --- what the users see ---------------------------------------------------------------------------

@dataclass
class Login:
    username: str
    committee: bool
    ward_id: int | None
    details: dict  # list name -> ids of records this login may open
    unit_ids: list  # units a new session of this officer may name


def urls():
    return {
        "login": reverse("accounts:login"),
        "landing": reverse("movement:landing"),
        "lists": {"sessions": reverse("movement:session_list"), "signings": reverse("movement:signing_list"),
                  "models": reverse("models_registry:model_list"), "units": reverse("movement:unit_list")},
        "details": {"sessions": "movement:session_detail", "signings": "movement:signing_detail",
                    "models": "models_registry:model_detail", "units": "movement:unit_detail"},
        "dashboard": reverse("dashboard:dashboard"),
        "form": reverse("movement:session_create"),
        "export": reverse("movement:session_export", args=["csv"]),
        "reports": reverse("reports:report_index"),
    }


def detail_url(route, pk):
    return reverse(route, args=[pk])


def plan_logins(committee_names):
    """Every active ward officer, and the committee logins, with the ids each may open."""
    from models_registry.selectors import model_list
    from movement.activities.selectors import session_list, signing_list
    from movement.selectors import unit_list

    first_of_year = datetime.date(timezone.localdate().year, 1, 1)
    logins = []
    officers = list(User.objects.filter(role=Role.WARD_OFFICER, is_active=True, ward__isnull=False)
                    .order_by("username"))
    committee = list(User.objects.filter(username__in=committee_names, is_active=True).order_by("username"))
    missing = set(committee_names) - {u.username for u in committee}
    if missing or not officers:
        sys.exit(f"Missing demo logins ({', '.join(sorted(missing)) or 'ward officers'}): is DATABASE_URL the "
                 f"district demo (`seed_demo --scale district`, see the docstring)?")
    for user in officers + committee:
        details = {
            "sessions": list(session_list(user=user).values_list("pk", flat=True)[:IDS_PER_LIST]),
            "signings": list(signing_list(user=user).values_list("pk", flat=True)[:IDS_PER_LIST]),
            "models": list(model_list(user=user).values_list("pk", flat=True)[:IDS_PER_LIST]),
            "units": list(unit_list(user=user).values_list("pk", flat=True)[:IDS_PER_LIST]),
        }
        is_committee = user.role != Role.WARD_OFFICER
        units = [] if is_committee else list(
            Unit.objects.filter(ward_id=user.ward_id, closed_on__isnull=True, started_on__lte=first_of_year)
            .order_by("pk").values_list("pk", flat=True)[:200])
        logins.append(Login(user.username, is_committee, user.ward_id, details, units))
    return [lg for lg in logins if not lg.committee], [lg for lg in logins if lg.committee]


# --- the client -----------------------------------------------------------------------------------

@dataclass
class Sample:
    done: float  # time.monotonic() when the answer was read (or the request failed)
    kind: str
    ms: float
    error: str | None


@dataclass
class Run:
    port: int
    https: bool  # say X-Forwarded-Proto: https, as production's proxy does
    timeout: float
    password: str
    run_id: str
    urls: dict
    stop: threading.Event = field(default_factory=threading.Event)
    samples: list = field(default_factory=list)  # list.append is atomic: no lock needed
    lock: threading.Lock = field(default_factory=threading.Lock)
    logged_in: int = 0
    gave_up: int = 0
    posts: dict = field(default_factory=dict)  # topic -> {"fields": ..., "pk": int | None, "outcome": str}
    session_keys: list = field(default_factory=list)
    first_errors: dict = field(default_factory=dict)  # (kind, error) -> an example (path, detail)
    document_ids: list = field(default_factory=list)  # legal documents a new session may cite
    background_exports: int = 0  # exports answered by a background job's page
    started_at: object = None    # when the run started (its export jobs are deleted at the end)

    def record(self, kind, ms, error, path="", detail=""):
        self.samples.append(Sample(time.monotonic(), kind, ms, error))
        if error and (kind, error) not in self.first_errors:
            self.first_errors[(kind, error)] = (path, detail)


class Browser:
    """One user's cookies and kept-alive connection (http.client reconnects by
    itself when the server closed it after a response, as sync workers do)."""

    def __init__(self, run):
        self.run = run
        self.cookies = {}
        self.origin = f"{'https' if run.https else 'http'}://127.0.0.1:{run.port}"
        self.conn = http.client.HTTPConnection("127.0.0.1", run.port, timeout=run.timeout)

    def fetch(self, method, path, form=None):
        """(status, location path, body, content type, ms, error): error is None
        or why no answer came."""
        headers = {"User-Agent": "yearend-load", "Accept": "text/html,*/*"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if self.run.https:
            headers["X-Forwarded-Proto"] = "https"
        body = None
        if form is not None:
            body = urlencode(form, doseq=True).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            # CSRF on HTTPS checks where the form came from, as a browser says it.
            headers["Origin"] = self.origin
            headers["Referer"] = self.origin + path
        reused = self.conn.sock is not None
        started = time.perf_counter()
        try:
            self.conn.request(method, path, body=body, headers=headers)
            response = self.conn.getresponse()
            data = response.read()
        except TimeoutError:  # socket.timeout too
            self.conn.close()
            return None, "", b"", "", (time.perf_counter() - started) * 1000, "timeout"
        except (OSError, http.client.HTTPException) as exc:
            self.conn.close()
            where = " (kept-alive connection)" if reused else ""
            return None, "", b"", "", (time.perf_counter() - started) * 1000, f"{type(exc).__name__}{where}"
        ms = (time.perf_counter() - started) * 1000
        for cookie in response.headers.get_all("Set-Cookie") or []:
            pair, _, attributes = cookie.partition(";")
            name, _, value = pair.strip().partition("=")
            if not value or "max-age=0" in attributes.lower():
                self.cookies.pop(name, None)
            else:
                self.cookies[name] = value.strip('"')
        location = urlsplit(response.getheader("Location") or "").path
        return response.status, location, data, response.getheader("Content-Type") or "", ms, None

    def get(self, kind, path, *, expect_csv=False):
        """GET a page that must answer 200; records the sample; the body or None."""
        status, location, data, content_type, ms, error = self.fetch("GET", path)
        if error is None and status != 200:
            error = self.run_status_error(status, location)
        elif error is None and expect_csv and not content_type.startswith("text/csv"):
            error = f"not a CSV ({content_type})"
        if error and expect_csv and status == 302 and EXPORT_JOB_PAGE.match(location):
            # Over EXPORT_INLINE_ROWS the export is made in the background: its
            # page is the answer (the worker writes the file meanwhile).
            error = None
            with self.run.lock:
                self.run.background_exports += 1
        self.run.record(kind, ms, error, path, location)
        return None if error else data

    def run_status_error(self, status, location):
        if status in (301, 302, 303) and location == self.run.urls["login"]:
            return f"{status} to the login page"
        if status in (301, 302, 303):
            return f"{status} to {location}"
        return str(status)

    def close(self):
        self.conn.close()


def log_in(browser, run, username):
    """The login page, the POST, the landing redirect; True once signed in."""
    login_url = run.urls["login"]
    page = browser.get("login", login_url)
    token = CSRF_INPUT.search(page) if page else None
    if page is not None and token is None:
        run.record("login", 0, "no CSRF token in the login page", login_url)
    if token is None:
        return False
    status, location, _, _, ms, error = browser.fetch("POST", login_url, {
        "csrfmiddlewaretoken": token.group(1).decode(), "username": username, "password": run.password,
        "next": ""})
    if error is None and (status != 302 or location != run.urls["landing"]):
        error = "login refused" if status == 200 else browser.run_status_error(status, location)
    run.record("login", ms, error, login_url, location)
    if error:
        return False
    status, location, _, _, ms, error = browser.fetch("GET", run.urls["landing"])
    if error is None and (status != 302 or location == login_url):
        error = browser.run_status_error(status, location) if status != 200 else "landing answered 200"
    run.record("login", ms, error, run.urls["landing"], location)
    return error is None


def post_session(browser, run, login, rng, user_index, number):
    """The new-session form, then its POST with a topic of this run's own, then
    the record's page it redirects to."""
    form_url = run.urls["form"]
    page = browser.get("form", form_url)
    token = CSRF_INPUT.search(page) if page else None
    if page is not None and token is None:
        run.record("form", 0, "no CSRF token in the form", form_url)
    if token is None:
        return
    if run.stop.wait(rng.uniform(*THINK_SECONDS)):  # typing
        return
    today = timezone.localdate()
    held_on = max(datetime.date(today.year, 1, 1), today - datetime.timedelta(days=rng.randint(0, 60)))
    topic = f"Phổ biến Luật An ninh mạng ({TAG} {run.run_id}, người dùng {user_index}, lần {number})"
    fields = {
        "ward": login.ward_id, "held_on": held_on.isoformat(),
        "unit": rng.choice(login.unit_ids) if login.unit_ids and rng.random() < 0.5 else "",
        "topic": topic, "channel": rng.choice(PropagandaSession.Channel.values),
        "audience": rng.choice(PropagandaSession.Audience.values), "attendance": rng.randint(10, 300),
        "legal_documents": rng.sample(run.document_ids, k=min(len(run.document_ids), rng.randint(0, 2))),
    }
    with run.lock:
        run.posts[topic] = {"fields": fields, "pk": None, "outcome": "no answer"}
    status, location, data, _, ms, error = browser.fetch("POST", form_url, {
        "csrfmiddlewaretoken": token.group(1).decode(), **fields})
    created = re.fullmatch(r"/tuyen-truyen/(\d+)/", location) if error is None and status == 302 else None
    detail = location
    if error is None and created is None:
        if status == 200:
            error = "form refused"
            found = FORM_ERROR.search(data)
            detail = re.sub(r"<[^>]+>|\s+", " ", (found.group(1) or found.group(2)).decode()).strip() \
                if found else ""
        else:
            error = browser.run_status_error(status, location)
    run.record("post", ms, error, form_url, detail)
    with run.lock:
        run.posts[topic].update(outcome=error or "accepted", pk=int(created.group(1)) if created else None)
    if created:
        browser.get("details", location)


def act(browser, run, login, rng, action, user_index, number):
    if action == "lists":
        name = rng.choice(list(run.urls["lists"]))
        page = "" if rng.random() < 0.75 else f"?page={rng.randint(2, 4)}"
        browser.get("lists", run.urls["lists"][name] + page)
    elif action == "details":
        choices = [name for name, ids in login.details.items() if ids]
        if choices:
            name = rng.choice(choices)
            browser.get("details", detail_url(run.urls["details"][name], rng.choice(login.details[name])))
    elif action == "dashboard":
        year = timezone.localdate().year
        browser.get("dashboard", run.urls["dashboard"] + ("" if rng.random() < 0.8 else f"?year={year - 1}"))
    elif action == "post":
        post_session(browser, run, login, rng, user_index, number)
    elif action == "export":
        # The export link carries the list's filters: unfiltered, or this year.
        year = "" if rng.random() < 0.5 else f"?year={timezone.localdate().year}"
        browser.get("export", run.urls["export"] + year, expect_csv=True)
    elif action == "reports":
        browser.get("reports", run.urls["reports"])


def user_loop(run, login, user_index, seed):
    rng = random.Random(seed * 1_000_003 + user_index)
    mix = COMMITTEE_MIX if login.committee else OFFICER_MIX
    actions, weights = list(mix), list(mix.values())
    browser = Browser(run)
    signed_in = False
    for attempt in range(LOGIN_TRIES):
        if run.stop.is_set():
            break
        if log_in(browser, run, login.username):
            signed_in = True
            break
        browser.cookies.clear()
        run.stop.wait(rng.uniform(*THINK_SECONDS))
    with run.lock:
        if signed_in:
            run.logged_in += 1
            if settings.SESSION_COOKIE_NAME in browser.cookies:
                run.session_keys.append(browser.cookies[settings.SESSION_COOKIE_NAME])
        else:
            run.gave_up += 1
    number = 0
    while signed_in and not run.stop.wait(rng.uniform(*THINK_SECONDS)):
        number += 1
        act(browser, run, login, rng, rng.choices(actions, weights)[0], user_index, number)
    browser.close()


# --- CPU from /proc -------------------------------------------------------------------------------

def _proc_stat(pid):
    """(comm, ppid, own CPU seconds, waited-for children's CPU seconds) or None."""
    try:
        raw = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    comm = raw[raw.index("(") + 1:raw.rindex(")")]
    rest = raw[raw.rindex(")") + 2:].split()
    utime, stime, cutime, cstime = (int(v) for v in rest[11:15])
    return comm, int(rest[1]), (utime + stime) / CLOCK_TICKS, (cutime + cstime) / CLOCK_TICKS


def cpu_snapshot(master_pid, worker_pid=None):
    """CPU seconds so far: gunicorn (master, its live workers and those it reaped),
    the Celery worker, PostgreSQL, Redis, this process, and the whole machine's
    busy time."""
    totals = Counter()
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        stat = _proc_stat(entry.name)
        if stat is None:
            continue
        comm, ppid, own, children = stat
        pid = int(entry.name)
        if pid == master_pid:
            totals["gunicorn"] += own + children
        elif pid == worker_pid:
            totals["celery"] += own + children
        elif ppid == master_pid:
            totals["gunicorn"] += own
        elif comm in ("postgres", "postmaster"):
            totals["postgres"] += own + children  # backends that ended are in the postmaster's children
        elif comm.startswith("redis-server"):
            totals["redis"] += own
    usage = resource.getrusage(resource.RUSAGE_SELF)
    totals["client"] = usage.ru_utime + usage.ru_stime
    fields = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = fields[3] + fields[4]  # idle, iowait
    totals["machine"] = (sum(fields[:8]) - idle) / CLOCK_TICKS
    return totals


# --- the run --------------------------------------------------------------------------------------

def server_environment(args, var_dir):
    env = {key: value for key, value in os.environ.items() if not key.startswith("DJANGO_")}
    env.update({"DJANGO_DEBUG": "false", "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
                "DJANGO_ALLOWED_HOSTS": "127.0.0.1", "DJANGO_LOG_LEVEL": "ERROR",
                "DATABASE_URL": os.environ["DATABASE_URL"], "REDIS_URL": os.environ["REDIS_URL"]})
    if args.settings == "base":
        env["DJANGO_SETTINGS_MODULE"] = "config.settings.base"
        return env
    env.update({"DJANGO_SETTINGS_MODULE": "config.settings.production", "DJANGO_VAR_DIR": str(var_dir)})
    redis = urlsplit(env["REDIS_URL"])
    if not redis.password:
        # Production refuses a Redis URL without a password; a Redis with none
        # configured accepts any password for its user `default`.
        env["REDIS_URL"] = urlunsplit(redis._replace(netloc=f"default:yearend-bench@{redis.hostname}:"
                                                            f"{redis.port or 6379}"))
    collected = subprocess.run([sys.executable, "manage.py", "collectstatic", "--noinput", "-v", "0"], cwd=ROOT,
                               check=False, env=env, capture_output=True, text=True, timeout=300)
    if collected.returncode:
        sys.exit(f"collectstatic failed:\n{collected.stdout}{collected.stderr}")
    return env


def summarise_server_log(path):
    """What the server logged: its 500s (Django's "Internal Server Error" and the
    exception that ended each traceback), worker timeouts and other errors."""
    try:
        lines = path.read_text(errors="replace").splitlines()
    except OSError:
        return Counter()
    problems = Counter()
    for number, line in enumerate(lines):
        if line.startswith("Internal Server Error:"):
            block = []
            for following in lines[number + 1:]:
                if following.startswith(("Internal Server Error:", "[")):
                    break
                if following.strip() and not following[0].isspace() and not following.startswith(
                        ("Traceback", "The above exception", "During handling")):
                    block.append(following.strip())
            # One line per cause: the values in a constraint's DETAIL vary.
            cause = re.sub(r"=\([^)]*\)", "=(…)", " ".join(block[-2:]))
            problems[f"{line.strip()}: {cause}"[:300]] += 1
        elif "WORKER TIMEOUT" in line or "[ERROR]" in line or "[CRITICAL]" in line:
            problems[re.sub(r"^\[[^]]*\] \[\d+\] ", "", line.strip())[:300]] += 1
    return problems


def gunicorn_arguments(args):
    extra = ["--worker-class", args.worker_class, "--threads", str(args.threads)]
    if args.keep_alive is not None:
        extra += ["--keep-alive", str(args.keep_alive)]
    return extra


def percentile(ordered, p):
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))] if ordered else float("nan")


def load_average():
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


@dataclass
class Phase:
    users: int
    ramp_started: float = 0.0
    started: float = 0.0  # measured window
    ended: float = 0.0
    cpu: dict = field(default_factory=dict)
    load: tuple = ("", "")
    login_wait: float = 0.0


def report_phase(run, phase, previous_end):
    wall = phase.ended - phase.started
    measured = [s for s in run.samples if phase.started <= s.done < phase.ended]
    around = [s for s in run.samples if previous_end <= s.done < phase.ended]  # the ramp too
    ok = [s for s in measured if s.error is None]
    print(f"\n-- {phase.users} users: ramp {phase.started - phase.ramp_started:.0f} s (logins waited "
          f"{phase.login_wait:.0f} s), measured {wall:.0f} s; load average {phase.load[0]} -> {phase.load[1]}")
    print(f"   {len(measured):,} requests = {len(measured) / wall:.1f} req/s ({len(ok) / wall:.1f} answered as "
          f"expected)")
    print(f"   {'kind':<10} {'requests':>8} {'req/s':>6} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} "
          f"{'max ms':>8} {'errors':>6}")
    by_kind = defaultdict(list)
    for s in measured:
        by_kind[s.kind].append(s)
    # Logins happen in the ramp: their figures are the ramp's and the window's.
    by_kind["login"] = [s for s in around if s.kind == "login"]
    for kind in KINDS:
        samples = by_kind.get(kind, [])
        if not samples:
            continue
        times = sorted(s.ms for s in samples if s.error is None)
        errors = sum(1 for s in samples if s.error)
        rate = "" if kind == "login" else f"{len(samples) / wall:.1f}"
        print(f"   {kind + (' *' if kind == 'login' else ''):<10} {len(samples):>8} {rate:>6} "
              f"{percentile(times, 50):>8.0f} {percentile(times, 95):>8.0f} {percentile(times, 99):>8.0f} "
              f"{(times[-1] if times else float('nan')):>8.0f} {errors:>6}")
    print("   (* logins: the ramp's and the measured window's)")
    cpu = {key: phase.cpu[1][key] - phase.cpu[0].get(key, 0) for key in phase.cpu[1]}
    share = {key: 100 * value / wall / CORES for key, value in cpu.items()}
    share.setdefault("celery", 0.0)
    other = max(0.0, share["machine"] - share["gunicorn"] - share["celery"] - share["postgres"] - share["redis"]
                - share["client"])
    print(f"   CPU over the measured window, % of {CORES} cores: gunicorn {share['gunicorn']:.0f}, "
          f"Celery worker {share['celery']:.0f}, PostgreSQL "
          f"{share['postgres']:.0f}, Redis {share['redis']:.0f}, this client {share['client']:.0f}, anything else "
          f"{other:.0f}; machine busy {share['machine']:.0f}")
    errors = Counter((s.kind, s.error) for s in around if s.error)
    if errors:
        print("   errors (ramp and measured window): " + "; ".join(
            f"{kind} {error} x{n}" for (kind, error), n in errors.most_common()))
    return {"users": phase.users, "rate": len(measured) / wall,
            "p95 lists": percentile(sorted(s.ms for s in by_kind.get("lists", []) if not s.error), 95),
            "p95 all": percentile(sorted(s.ms for s in ok if s.kind != "login"), 95),
            "errors": sum(errors.values()), "gunicorn": share["gunicorn"], "machine": share["machine"],
            "load": phase.load[1]}


def integrity(run):
    """Every accepted post once in the database, as posted; none refused there;
    the rollups exact. Returns the problems."""
    problems = []
    rows = defaultdict(list)
    for row in PropagandaSession.objects.filter(topic__contains=f"{TAG} {run.run_id},").values(
            "pk", "topic", "ward_id", "held_on", "unit_id", "channel", "audience", "attendance"):
        rows[row["topic"]].append(row)
    accepted = {t: p for t, p in run.posts.items() if p["outcome"] == "accepted"}
    unanswered = {t: p for t, p in run.posts.items() if p["outcome"] != "accepted"}
    for topic, post in accepted.items():
        found, posted = rows.get(topic, []), post["fields"]
        if len(found) != 1:
            problems.append(f"accepted post {post['pk']} is in the database {len(found)} times: {topic}")
            continue
        row = found[0]
        expected = {"pk": post["pk"], "ward_id": posted["ward"], "held_on": posted["held_on"],
                    "unit_id": posted["unit"] or None, "channel": posted["channel"],
                    "audience": posted["audience"], "attendance": posted["attendance"]}
        actual = {**row, "held_on": row["held_on"].isoformat()}
        wrong = {k: (v, actual[k]) for k, v in expected.items() if actual[k] != v}
        if wrong:
            problems.append(f"post {post['pk']} saved otherwise than posted: {wrong}")
    saved_unconfirmed = [t for t in unanswered if t in rows and unanswered[t]["outcome"] != "form refused"]
    refused_saved = [t for t in unanswered if t in rows and unanswered[t]["outcome"] == "form refused"]
    strays = [t for t in rows if t not in run.posts]
    if refused_saved:
        problems.append(f"{len(refused_saved)} posts the form refused are in the database")
    if strays:
        problems.append(f"{len(strays)} sessions of this run that no user posted")
    print(f"\nintegrity: {len(run.posts)} posts sent, {len(accepted)} accepted, "
          f"{sum(len(v) for v in rows.values())} rows of this run in the database "
          f"({len(saved_unconfirmed)} saved although the client saw an error: "
          f"{', '.join(unanswered[t]['outcome'] for t in saved_unconfirmed) or 'none'})")
    check = subprocess.run([sys.executable, "manage.py", "rollups", "--check"], cwd=ROOT, env=os.environ.copy(),
                           check=False, capture_output=True, text=True, timeout=600)
    if check.returncode:
        problems.append("rollups --check: " + (check.stdout + check.stderr).strip()[-2000:])
    print(f"rollups --check: {'exact' if not check.returncode else 'DIFFERENCES'}")
    for problem in problems:
        print(f"  FAILED: {problem}")
    return problems, [row["pk"] for found in rows.values() for row in found]


def clean_up(run, pks, keep_posts):
    from django.contrib.sessions.backends.db import SessionStore

    from movement.activities.services import activity_delete

    for key in run.session_keys:
        SessionStore(session_key=key).delete()
    jobs = ExportJob.objects.filter(created_at__gte=run.started_at)
    done = jobs.filter(status=ExportJob.Status.DONE).count()
    print(f"exports made in the background: {run.background_exports} asked, {done} written by the worker "
          f"by the end, {jobs.exclude(status=ExportJob.Status.DONE).count()} unfinished (deleted)")
    for job in jobs.exclude(file=""):
        job.file.delete(save=False)  # under the production settings, gone already with the server's folder
    jobs.delete()
    if keep_posts or not pks:
        return
    # Through the service, so the rollups and the dashboard's cache follow.
    user = User.objects.filter(is_superuser=True, is_active=True).order_by("pk").first()
    started = time.monotonic()
    for session in PropagandaSession.objects.filter(pk__in=pks).select_related("ward"):
        activity_delete(record=session, user=user)
    print(f"deleted this run's {len(pks)} sessions through the service in {time.monotonic() - started:.0f} s")


def simulate(args):
    phases = [Phase(int(n)) for n in args.phases.split(",")]
    if any(b.users <= a.users for a, b in itertools.pairwise(phases)) or phases[0].users < 1:
        sys.exit("--phases: growing numbers of users, e.g. 50,100,200")
    officers, committee = plan_logins([n.strip() for n in args.committee_logins.split(",") if n.strip()])
    order = random.Random(args.seed).sample(officers, len(officers))
    documents = list(LegalDocument.objects.filter(is_active=True).values_list("pk", flat=True))
    connections.close_all()
    print(f"date: {time.strftime('%Y-%m-%d %H:%M %Z')}; machine: {CORES} CPUs; load average {load_average()}")
    print(f"database: {settings.DATABASES['default']['NAME']}; data: {data_size()}")
    print(f"users: {len(officers)} officer logins, committee {', '.join(lg.username for lg in committee)} "
          f"(one user in {args.committee_every}); pauses {THINK_SECONDS[0]:.0f}–{THINK_SECONDS[1]:.0f} s; "
          f"phases {args.phases} users, ramp {args.ramp_seconds} s, measured {args.phase_seconds} s each")
    with tempfile.TemporaryDirectory(prefix="yearend-") as var_dir:
        env = server_environment(args, var_dir)
        port = args.port or free_port()
        run = Run(port=port, https=args.settings == "production", timeout=args.timeout, password=args.password,
                  run_id=time.strftime("%Y%m%d-%H%M%S"), urls=urls(), document_ids=documents)
        print(f"gunicorn: {args.settings} settings, {args.workers} workers, worker class {args.worker_class}, "
              f"{args.threads} threads, keep-alive "
              f"{args.keep_alive if args.keep_alive is not None else 'default (2 s)'}; 127.0.0.1:{port}; "
              f"client timeout {args.timeout:.0f} s")
        # The workers' tracebacks go to a log of their own, summed up at the end,
        # not between the tables.
        server_log = Path(var_dir) / "gunicorn.log"
        run.started_at = timezone.now()
        process = start_gunicorn(port, args.workers, *gunicorn_arguments(args), "--error-logfile", str(server_log),
                                 "--capture-output", env=env)
        # The background's worker, as in production (README): the exports over
        # EXPORT_INLINE_ROWS are written there, on the same cores.
        worker = start_celery_worker(env, Path(var_dir) / "celery.log")
        threads, summaries = [], []
        try:
            previous_end = time.monotonic()
            for phase in phases:
                phase.ramp_started = time.monotonic()
                new = phase.users - len(threads)
                for k in range(new):
                    index = len(threads)
                    committee_user = committee and index % args.committee_every == args.committee_every - 1
                    login = committee[index % len(committee)] if committee_user else order[index % len(order)]
                    thread = threading.Thread(target=user_loop, args=(run, login, index, args.seed), daemon=True)
                    due = phase.ramp_started + args.ramp_seconds * k / new
                    time.sleep(max(0.0, due - time.monotonic()))
                    thread.start()
                    threads.append(thread)
                time.sleep(max(0.0, phase.ramp_started + args.ramp_seconds - time.monotonic()))
                waited = time.monotonic()
                while run.logged_in + run.gave_up < len(threads) and time.monotonic() - waited < LOGIN_WAIT_SECONDS:
                    time.sleep(0.2)
                phase.login_wait = time.monotonic() - waited
                phase.cpu = [cpu_snapshot(process.pid, worker.pid)]
                phase.load = (load_average(), "")
                phase.started = time.monotonic()
                time.sleep(args.phase_seconds)
                phase.ended = time.monotonic()
                phase.cpu.append(cpu_snapshot(process.pid, worker.pid))
                phase.load = (phase.load[0], load_average())
                summaries.append(report_phase(run, phase, previous_end))
                previous_end = phase.ended
        finally:
            run.stop.set()
            # Requests in flight end within the client's timeout: one deadline for all.
            deadline = time.monotonic() + args.timeout + 5
            for thread in threads:
                thread.join(timeout=max(0.0, deadline - time.monotonic()))
            stop_gunicorn(process)
            stop_gunicorn(worker)
            server_problems = summarise_server_log(server_log)
    late = Counter((s.kind, s.error) for s in run.samples if s.error and s.done >= previous_end)
    print(f"\n{'users':>5} {'req/s':>6} {'p95 lists ms':>13} {'p95 all ms':>11} {'errors':>7} "
          f"{'gunicorn CPU %':>15} {'machine CPU %':>14}  load average after")
    for s in summaries:
        print(f"{s['users']:>5} {s['rate']:>6.1f} {s['p95 lists']:>13.0f} {s['p95 all']:>11.0f} {s['errors']:>7} "
              f"{s['gunicorn']:>15.0f} {s['machine']:>14.0f}  {s['load']}")
    if late:
        print("errors after the last window (users stopping): " + "; ".join(
            f"{kind} {error} x{n}" for (kind, error), n in late.most_common()))
    if run.first_errors:
        print("first example of each error:")
        for (kind, error), (path, detail) in list(run.first_errors.items())[:20]:
            print(f"  {kind} {error}: {path} {detail}"[:300])
    if server_problems:
        print("server log:")
        for problem, n in server_problems.most_common(10):
            print(f"  {n} x {problem}")
    problems, pks = integrity(run)
    clean_up(run, pks, args.keep_posts)
    errors = sum(1 for s in run.samples if s.error) + run.gave_up
    print(f"\nresult: {errors} errors, {len(problems)} integrity problems")
    return 1 if errors or problems else 0


# --- in process: server time, queries, cProfile ---------------------------------------------------

class QueryLog:
    """Counts and times the SQL a request runs, whatever DEBUG says (as bench/lists.py)."""

    def __init__(self):
        self.count, self.ms = 0, 0.0

    def __call__(self, execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.count += 1
            self.ms += (time.perf_counter() - started) * 1000


# Frames every request passes through, and the template machinery (its share is a
# column of its own): left out of the cumulative list, which then names the work.
PLUMBING = re.compile(r"django/(core/handlers|test/|utils/deprecation|utils/decorators|contrib/auth/decorators"
                      r"|views/decorators|views/generic|middleware|template/|shortcuts)|contextlib|threading"
                      r"|cProfile|bench/yearend_load|core/middleware|core/db_retry|simple_history/middleware"
                      r"|axes/middleware|whitenoise/middleware|django/contrib/(sessions|messages|auth)/middleware")
SITE_PACKAGES = str(Path(sys.prefix) / "lib" / f"python{sys.version_info[0]}.{sys.version_info[1]}"
                    / "site-packages") + "/"


def _where(key):
    filename, line, function = key
    return f"{filename}:{line}({function})".replace(SITE_PACKAGES, "").replace(str(ROOT) + "/", "")


def _template_share(stats):
    """The share of the profiled time spent rendering templates (the outermost
    render: cProfile's cumulative time does not count a recursion twice)."""
    rendering = sum(v[3] for k, v in stats.stats.items()
                    if k[0].endswith("django/template/backends/django.py") and k[2] == "render")
    return rendering / stats.total_tt if stats.total_tt else 0.0


def print_profile(stats, repeat, median, top):
    """Top cumulative (plumbing left out) and top own-time functions, each as a share
    of the profiled time and the milliseconds of that share of the unprofiled median
    (cProfile's own overhead inflates its absolute times two- to threefold)."""
    total = stats.total_tt
    rows = sorted(stats.stats.items(), key=lambda kv: -kv[1][3])
    for title, ordered, column in (
            ("cumulative", [kv for kv in rows if not PLUMBING.search(_where(kv[0]))], 3),
            ("own time", sorted(stats.stats.items(), key=lambda kv: -kv[1][2]), 2)):
        print(f"  top {top} by {title}:  {'share':>6} {'≈ ms':>7} {'calls':>7}  function")
        for key, values in ordered[:top]:
            share = values[column] / total
            print(f"  {'':>{len(title) + 9}}  {100 * share:>5.0f}% {share * median:>7.1f} "
                  f"{values[1] // repeat:>7}  {_where(key)}")


def profile_requests(user, urls_, rng_seed=16):
    """(kind, label, call) for one request of each kind as this user; call(client) -> response."""
    from django.test import Client

    from models_registry.selectors import model_list
    from movement.activities.selectors import session_list

    year = timezone.localdate().year
    session_pk = session_list(user=user).values_list("pk", flat=True).first()
    model_pk = model_list(user=user).values_list("pk", flat=True).first()
    officer = user.role == Role.WARD_OFFICER
    counter = iter(range(1, 10_000))
    unit = Unit.objects.filter(ward_id=user.ward_id, closed_on__isnull=True).values_list("pk", flat=True).first() \
        if officer else None

    def post(client):
        return client.post(urls_["form"], {
            "ward": user.ward_id, "held_on": timezone.localdate().isoformat(), "unit": unit or "",
            "topic": f"Phổ biến pháp luật ({TAG} profile-{os.getpid()}, lần {next(counter)})",
            "channel": "hoi_nghi", "audience": "nhan_dan", "attendance": 50})

    def dashboard_uncached(client):
        from dashboard import cache as dashboard_cache
        from dashboard import selectors as dashboard_selectors

        scope = dashboard_selectors.dashboard_scope(wards=dashboard_selectors.user_wards(user))
        dashboard_cache.replace_tokens(scope.token_names)
        return client.get(urls_["dashboard"])

    requests = [
        # A signed-in user's login page is a redirect: logins come from a client of their own.
        ("login", "login page", lambda c: Client().get(urls_["login"])),
        ("login", "login POST", lambda c: Client().post(urls_["login"], {"username": user.username,
                                                                          "password": DEMO_PASSWORD})),
        *[("lists", f"{name} list", lambda c, u=url: c.get(u)) for name, url in urls_["lists"].items()],
        ("details", "session detail", lambda c: c.get(detail_url(urls_["details"]["sessions"], session_pk))),
        ("details", "model detail", lambda c: c.get(detail_url(urls_["details"]["models"], model_pk))),
        ("dashboard", "dashboard, cached", lambda c: c.get(urls_["dashboard"])),
        ("dashboard", "dashboard, uncached", dashboard_uncached),
        ("export", "sessions CSV, all", lambda c: c.get(urls_["export"])),
        ("export", f"sessions CSV, {year}", lambda c: c.get(urls_["export"] + f"?year={year}")),
        ("reports", "reports page", lambda c: c.get(urls_["reports"])),
    ]
    if officer:
        requests[8:8] = [("form", "new session form", lambda c: c.get(urls_["form"])), ("post", "new session POST", post)]
    return requests


def _consume(response):
    if response.streaming:
        for _chunk in response.streaming_content:
            pass
    return response


def profile(args):
    from django.test import Client
    from django.test.utils import override_settings

    urls_ = urls()
    who = [("committee", User.objects.get(username="bcd.vinh")),
           ("ward officer", User.objects.get(username="cb.truongvinh"))]
    print(f"date: {time.strftime('%Y-%m-%d %H:%M %Z')}; load average {load_average()}")
    print(f"database: {settings.DATABASES['default']['NAME']}; cache: "
          f"{settings.CACHES['default']['BACKEND'].rsplit('.', 1)[-1]}; data: {data_size()}")
    print(f"server time in process, debug off, median of {args.profile_repeat} after one warm-up; SQL: the "
          f"queries' time; templates: their share of a cProfile run, of the median\n")
    print(f"{'user':<13} {'request':<24} {'median ms':>10} {'min ms':>7} {'queries':>8} {'SQL ms':>7} "
          f"{'templates ms':>13} {'bytes':>9}")
    results = []
    started_at = timezone.now()
    from django.contrib.sessions.models import Session

    sessions_before = set(Session.objects.values_list("session_key", flat=True))
    with override_settings(ALLOWED_HOSTS=["*"], DEBUG=False):
        for label, user in who:
            client = Client()
            client.force_login(user)
            for kind, name, call in profile_requests(user, urls_):
                response = _consume(call(client))
                expected = 302 if name.endswith("POST") else 200
                if response.status_code != expected:
                    print(f"{label:<13} {name:<24} answered {response.status_code}, skipped")
                    continue
                times = []
                for _ in range(args.profile_repeat):
                    t = time.perf_counter()
                    response = _consume(call(client))
                    times.append((time.perf_counter() - t) * 1000)
                log = QueryLog()
                with connection.execute_wrapper(log):
                    _consume(call(client))
                profiler = cProfile.Profile()
                profiler.enable()
                _consume(call(client))
                profiler.disable()
                median = statistics.median(times)
                size = len(response.content) if not response.streaming else ""
                results.append((median, label, kind, name, call, client))
                print(f"{label:<13} {name:<24} {median:>10.1f} {min(times):>7.1f} {log.count:>8} {log.ms:>7.1f} "
                      f"{_template_share(pstats.Stats(profiler)) * median:>13.1f} {size:>9}")
        slowest, seen = [], set()
        for entry in sorted(results, key=lambda r: -r[0]):
            if entry[2] not in seen:
                seen.add(entry[2])
                slowest.append(entry)
        for median, label, kind, name, call, client in slowest[:args.profile_kinds]:
            profiler = cProfile.Profile()
            for _ in range(args.profile_repeat):
                profiler.enable()
                _consume(call(client))
                profiler.disable()
            print(f"\ncProfile: {name} as {label} ({kind}, median {median:.0f} ms), {args.profile_repeat} requests")
            print_profile(pstats.Stats(profiler), args.profile_repeat, median, args.profile_top)
    from movement.activities.services import activity_delete

    admin = User.objects.filter(is_superuser=True).order_by("pk").first()
    made = PropagandaSession.objects.filter(topic__contains=f"{TAG} profile-", created_at__gte=started_at)
    for session in made.select_related("ward"):
        activity_delete(record=session, user=admin)
    # The logins this made (each test client's, each login POST's).
    profiled = {str(user.pk) for _label, user in who}
    for session in Session.objects.exclude(session_key__in=sessions_before):
        if session.get_decoded().get("_auth_user_id") in profiled:
            session.delete()
    return 0


# --- the demo database ----------------------------------------------------------------------------

def create_demo():
    """createdb, migrate, the Vinh reference data and the district demo."""
    url = urlsplit(os.environ["DATABASE_URL"])
    name = url.path.lstrip("/")
    exists = subprocess.run(["psql", os.environ["DATABASE_URL"], "-c", "select 1"], check=False, capture_output=True)
    if exists.returncode:
        subprocess.run(["createdb", "-h", url.hostname or "127.0.0.1", "-p", str(url.port or 5432),
                        "-U", url.username or "postgres", name], check=True)
    env = {**os.environ, "DJANGO_DEBUG": "true"}  # seed_demo refuses a server with debug off
    for command in (["migrate", "--noinput"], ["load_wards"], ["load_legal_documents"],
                    ["seed_demo", "--scale", "district"]):
        subprocess.run([sys.executable, "manage.py", *command], cwd=ROOT, env=env, check=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--phases", default="10", help="users of each phase, growing: 50,100,200 (default 10)")
    parser.add_argument("--phase-seconds", type=float, default=10, help="measured seconds per phase (default 10)")
    parser.add_argument("--ramp-seconds", type=float, default=5, help="seconds to start a phase's new users")
    parser.add_argument("--workers", type=int, default=2 * CORES + 1)
    parser.add_argument("--worker-class", choices=["sync", "gthread"], default="sync")
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--keep-alive", type=int, default=None, help="seconds (default: gunicorn's, 2)")
    parser.add_argument("--settings", choices=["production", "base"], default="production")
    parser.add_argument("--timeout", type=float, default=30, help="seconds a request may take (default 30)")
    parser.add_argument("--seed", type=int, default=16)
    parser.add_argument("--committee-every", type=int, default=10, help="one user in N is the committee")
    parser.add_argument("--committee-logins", default=COMMITTEE_LOGINS)
    parser.add_argument("--password", default=DEMO_PASSWORD)
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--keep-posts", action="store_true", help="keep the run's sessions in the database")
    parser.add_argument("--create-demo", action="store_true", help="create and seed the database first")
    parser.add_argument("--profile", action="store_true", help="in process: server time, queries, cProfile")
    parser.add_argument("--profile-repeat", type=int, default=5)
    parser.add_argument("--profile-top", type=int, default=10)
    parser.add_argument("--profile-kinds", type=int, default=3, help="the slowest N kinds get a cProfile listing")
    args = parser.parse_args()
    database = settings.DATABASES["default"]
    if "postgresql" not in database["ENGINE"] or str(database.get("HOST") or "") not in ("127.0.0.1", "localhost",
                                                                                          "::1", ""):
        sys.exit("Set DATABASE_URL to a PostgreSQL database on this machine (the district demo).")
    if args.create_demo:
        create_demo()
    sys.exit(profile(args) if args.profile else simulate(args))


if __name__ == "__main__":
    main()
