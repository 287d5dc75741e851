"""Tests: the same settings as base, with fast password hashing. PostgreSQL and
Redis are used when DATABASE_URL / REDIS_URL are set (always in CI)."""
from .base import *  # noqa: F401,F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# Tasks run inline in ordinary tests; the worker tests switch this off and talk
# to a real worker over Redis.
CELERY_TASK_ALWAYS_EAGER = True
MEDIA_ROOT = VAR_DIR / "test-media"  # noqa: F405
LOGGING = {"version": 1, "disable_existing_loggers": False}
# Sessions in the database whatever the environment: the pinned query counts of
# the pages are then the same on a laptop and in CI (with Redis, production reads
# them from Redis: core.sessions, tested on its own in tests/test_security.py).
SESSION_ENGINE = "django.contrib.sessions.backends.db"
