"""Settings, read from the environment in this one place (see .env.example).

With no DATABASE_URL the app uses a SQLite file under var/; with no REDIS_URL it
runs in embedded mode: Celery tasks execute inline, so background work still
finishes without a broker.
"""
import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = Path(os.environ.get("DJANGO_VAR_DIR", BASE_DIR / "var"))


def env_bool(name, default):
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name, default):
    value = os.environ.get(name)
    if not value:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


DEBUG = env_bool("DJANGO_DEBUG", True)

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("DJANGO_SECRET_KEY must be set when DJANGO_DEBUG is off.")
    SECRET_KEY = "insecure-local-development-key-only-used-with-debug-on"

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", ["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "crispy_forms",
    "crispy_bootstrap5",
    "simple_history",
    "axes",
    "core",
    "areas",
    "accounts",
    "movement",
    "models_registry",
    "rollups",
    "reports",
    "dashboard",
    "demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "core.middleware.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "core.middleware.DefaultLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # A page view whose database connection was dropped under it runs once more.
    "core.db_retry.RetryReadOnDroppedConnectionMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes asks: it turns a lockout into its response.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "movement.context_processors.navigation",
            ],
        },
    },
]

DATABASE_URL = os.environ.get("DATABASE_URL", "")
if DATABASE_URL:
    # Connections live a minute; the health check tests a kept connection at the
    # start of each request, so one the server dropped meanwhile (a restart, a
    # failover, pg_terminate_backend) is replaced instead of answering 500.
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60, conn_health_checks=True)}
    if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
        # The planner's cost of a random page read against a sequential one
        # (PostgreSQL's default 4 models spinning disks). Our tables are in memory
        # or on SSD, where PostgreSQL's documentation suggests 1.1: with 4, the
        # report's documents (Vinh's 9,000 sessions of a year, on the national
        # data) were counted by reading all 2.8 million link rows (196 ms)
        # instead of probing the links of those sessions (17 ms).
        # DATABASE_RANDOM_PAGE_COST="" leaves the server's own setting.
        random_page_cost = os.environ.get("DATABASE_RANDOM_PAGE_COST", "1.1")
        if random_page_cost:
            options = DATABASES["default"].setdefault("OPTIONS", {})
            options["options"] = f"{options.get('options', '')} -c random_page_cost={float(random_page_cost)}".strip()
else:
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": VAR_DIR / "db.sqlite3",
            # Concurrent requests of runserver would otherwise hit "database is locked".
            "OPTIONS": {"timeout": 20},
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    # The session's user in one plain query (issue #16); signs in as ModelBackend does.
    "accounts.backends.UserBackend",
    # Sessions signed in before UserBackend existed name this one: they stay signed in.
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "movement:landing"
LOGOUT_REDIRECT_URL = "accounts:login"

# Failed-login lockout: five wrong passwords for one username from one address
# lock that pair for 15 minutes; a successful login resets the count.
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("AXES_COOLOFF_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "accounts/lockout.html"
AXES_RESET_ON_SUCCESS = True
# The address of that pair is the client's, not the reverse proxy's: behind a proxy
# every request comes from the proxy's address, and keyed on it five wrong guesses
# would lock a username for everyone. DJANGO_TRUSTED_PROXY_COUNT is the number of
# proxies in front of the app that each append to X-Forwarded-For (0: none, use
# REMOTE_ADDR and ignore the header, which a client can forge).
TRUSTED_PROXY_COUNT = int(os.environ.get("DJANGO_TRUSTED_PROXY_COUNT", "0"))
AXES_CLIENT_IP_CALLABLE = "core.middleware.client_ip"

# Police terminals are shared: a session ends when the browser closes and, on the
# server, at the latest 8 hours after sign-in (SESSION_COOKIE_AGE, in seconds).
SESSION_COOKIE_AGE = int(os.environ.get("SESSION_COOKIE_AGE", 8 * 60 * 60))
SESSION_EXPIRE_AT_BROWSER_CLOSE = env_bool("SESSION_EXPIRE_AT_BROWSER_CLOSE", True)

# Sent on every page by core.middleware.ContentSecurityPolicyMiddleware: scripts,
# styles and images only from our own files, so HTML that slipped through escaping
# can run nothing. No inline <script> or style="" anywhere (JSON data blocks from
# json_script are not executed and stay allowed); data: images are Bootstrap's
# SVG icons in its CSS.
CONTENT_SECURITY_POLICY = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self' data:",
    "object-src": "'none'",
    "frame-ancestors": "'none'",
    "base-uri": "'self'",
    "form-action": "'self'",
}

LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", _("Tiếng Việt")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True
USE_THOUSAND_SEPARATOR = True
FORMAT_MODULE_PATH = ["config.formats"]

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = VAR_DIR / "staticfiles"
# whitenoise warns on every start when the collected-static folder is missing.
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("DJANGO_MEDIA_ROOT", VAR_DIR / "media"))
MODEL_ATTACHMENT_MAX_BYTES = int(os.environ.get("MODEL_ATTACHMENT_MAX_BYTES", 10 * 1024 * 1024))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# One Redis serves as Celery broker, result backend and cache.
REDIS_URL = os.environ.get("REDIS_URL", "")
EMBEDDED_MODE = not REDIS_URL
if REDIS_URL:
    CELERY_BROKER_URL = REDIS_URL
    CELERY_RESULT_BACKEND = REDIS_URL
    CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", False)
    # JSON, never pickles: unpickling what someone wrote into the Redis would run
    # their code. Short socket timeouts: with Redis down the dashboard is computed
    # live (dashboard.cache) and a dead Redis should cost a page little.
    CACHES = {"default": {
        "BACKEND": "core.cache.RedisCache",
        "LOCATION": REDIS_URL,
        "OPTIONS": {"serializer": "core.cache.JSONSerializer", "socket_connect_timeout": 2, "socket_timeout": 2},
    }}
    # Sessions read from Redis, kept in the database too (core.sessions): one
    # query less on every page, and still signed in after a Redis restart.
    SESSION_ENGINE = "core.sessions"
else:
    # Embedded mode never touches Redis: a .delay() against an unreachable broker
    # blocks for seconds before failing, so tasks run inline instead.
    CELERY_BROKER_URL = "memory://"
    CELERY_RESULT_BACKEND = "cache+memory://"
    CELERY_TASK_ALWAYS_EAGER = True
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Page fragments that hold no data and nothing secret (the main menu: the same
# for every user of a role, per language and page), kept in each process's
# memory and rendered once, not on every request (issue #16). Never in Redis:
# markup is not read back from a store another program could write to.
CACHES["fragments"] = {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "fragments",
                       "TIMEOUT": None, "OPTIONS": {"MAX_ENTRIES": 2000}}
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_TIME_LIMIT = 30 * 60
CELERY_TASK_SOFT_TIME_LIMIT = 25 * 60
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# With Redis down, sending a task gives up after about 2 s and one retry (the
# default tries for 19 s and the page times out); the service then marks its
# report or job failed with a message and a retry button.
CELERY_BROKER_CONNECTION_TIMEOUT = 2
CELERY_TASK_PUBLISH_RETRY_POLICY = {"max_retries": 1, "interval_start": 0, "interval_step": 0.5, "interval_max": 0.5}
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "socket_connect_timeout": 2,
    # A Redis that accepts the connection and never answers would hold a publish
    # forever without it.
    "socket_timeout": 3,
    # A message taken by a worker that then died goes back to the queue after this
    # (Redis's default: an hour). Matched to reports.services.STALE_AFTER (the
    # report task's hard time limit plus a minute), so it never comes back while
    # the first worker may still be on it: a late-acked task that may run longer
    # needs a time limit under it. The workbook import's tasks have the same limit
    # (movement.imports.tasks.IMPORT_TIME_LIMIT, movement.imports.jobs.STALE_AFTER).
    "visibility_timeout": 7 * 60,
}
# Only the worker-kill test sets it: seconds report_generate sleeps between steps.
REPORT_TEST_DELAY_SECONDS = float(os.environ.get("REPORT_TEST_DELAY_SECONDS", "0"))
# Only the worker-kill test sets it: seconds the import sleeps after each batch written.
IMPORT_TEST_DELAY_SECONDS = float(os.environ.get("IMPORT_TEST_DELAY_SECONDS", "0"))

# Celery beat drafts every district's annual report for the current year, by
# default on 1 December at 06:00 (REPORT_DRAFT_MONTH / REPORT_DRAFT_DAY).
CELERY_BEAT_SCHEDULE = {
    "draft-annual-reports": {
        "task": "reports.draft_annual_reports",
        "schedule": crontab(minute=0, hour=6, day_of_month=os.environ.get("REPORT_DRAFT_DAY", "1"),
                            month_of_year=os.environ.get("REPORT_DRAFT_MONTH", "12")),
    },
    # Reports left queued or running by a worker that died are marked failed, with
    # a retry button (reports.services.reports_sweep_stale).
    "sweep-stale-reports": {"task": "reports.sweep_stale_reports", "schedule": 60.0},
    # Import jobs left checking, queued or running by a worker that died are marked
    # failed, with a retry button (movement.imports.jobs.import_jobs_sweep).
    "sweep-stale-import-jobs": {"task": "movement.sweep_import_jobs", "schedule": 60.0},
    # Exports likewise, and the files of exports older than EXPORT_KEEP_DAYS deleted.
    "sweep-export-jobs": {"task": "movement.sweep_export_jobs", "schedule": 300.0},
}

# A list's export of more rows than this is made in the background and downloaded
# from its page (movement.exports): streamed while the user waits, a province's
# 916,608 sessions (155 MB of CSV) held a web worker for 6 s alone and 18 s at the
# year-end peak, a worker the others queued for. Vinh's 53,339 stream in 0.36 s.
EXPORT_INLINE_ROWS = int(os.environ.get("EXPORT_INLINE_ROWS", "50000"))
EXPORT_KEEP_DAYS = int(os.environ.get("EXPORT_KEEP_DAYS", "7"))

SIMPLE_HISTORY_HISTORY_CHANGE_REASON_USE_TEXT_FIELD = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "INFO")},
    # WeasyPrint narrates every rendering step at INFO.
    "loggers": {"weasyprint": {"level": "WARNING"}, "fontTools": {"level": "WARNING"}},
}
