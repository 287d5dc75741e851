"""Cached dashboard results, dropped when data in their scope changes.

A result's cache key carries version tokens of what it was computed from: the ward
(a ward's dashboard), the district (a district's), the province (a province's,
for a user who sees several) or "all" (everything the user sees), plus a
"catalogue" token for names every dashboard shows (model kinds, districts). When a
ward's data changes, dashboard.signals replaces the tokens of that ward, its
district, its province and "all": every result that counted the change is then
looked up under a new key and recomputed, while the dashboards of other wards and
districts stay cached. Superseded entries are never deleted; they expire.

The cache is an accelerator, never a dependency: with Redis down or answering
nonsense (a value that is not our JSON, see core.cache) every read is a miss, the
result is computed live and the failure is logged. Only data is cached; the page
is rendered from it on every request (nothing from the cache is trusted as HTML).
"""
import hashlib
import logging
import uuid
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from redis.exceptions import RedisError

log = logging.getLogger(__name__)
# What a cache read or write may raise that must not break a page: Redis down or
# timing out (RedisError), a stored value that is not our JSON (ValueError).
CACHE_ERRORS = (RedisError, ValueError)

# The safety net for writes that send no signal (QuerySet.update(), the bulk
# inserts of the import_workbook command, raw SQL) and for the names of the people
# in "recent activity": no result is older than this.
RESULT_SECONDS = 15 * 60
PREFIX = "dashboard"


def _code_version():
    """A digest of the code that shapes a cached result: a release that changes
    the figures, the data's shape or the markup starts from fresh entries instead
    of serving the previous release's from a shared Redis."""
    digest = hashlib.sha256()
    sources = [*sorted(Path(__file__).with_name("selectors").glob("*.py")),
               settings.BASE_DIR / "reports" / "figures.py",
               *sorted((settings.BASE_DIR / "templates" / "dashboard").glob("*.html"))]
    for source in sources:
        digest.update(source.read_bytes())
    return digest.hexdigest()[:12]


CODE_VERSION = _code_version()
CATALOGUE = "catalogue"
EVERYTHING = "all"
# The areas themselves (names, validity, parents): replaced when a ward, district
# or province is saved; dashboard.selectors.scope keeps the list of every ward
# under it.
AREAS = "areas"


def ward_token(ward_id):
    return f"ward:{ward_id}"


def district_token(district_id):
    return f"district:{district_id}"


def province_token(province_id):
    return f"province:{province_id}"


def _token_key(name):
    return f"{PREFIX}:token:{name}"


def _tokens(names):
    """The current token of each name (one cache round trip when all exist)."""
    keys = [_token_key(name) for name in names]
    found = cache.get_many(keys)
    for key in keys:
        if key not in found:
            # A first request, or a token evicted under memory pressure: start a
            # new one. add() lets two requests racing here agree on one token.
            cache.add(key, uuid.uuid4().hex, timeout=None)
            found[key] = cache.get(key)
    return [found[key] for key in keys]


def current_token(name):
    """The token of one name (raises CACHE_ERRORS when the cache fails)."""
    return _tokens([name])[0]


def replace_tokens(names):
    """Invalidate every result computed under these names (one round trip)."""
    if not names:
        return
    try:
        cache.set_many({_token_key(name): uuid.uuid4().hex for name in names}, timeout=None)
    except CACHE_ERRORS:
        # A save must not fail because the cache is down; results cached before
        # the outage still expire after RESULT_SECONDS.
        log.warning("dashboard cache: tokens %s not replaced", names, exc_info=True)


def cached_result(*, parts, token_names, compute):
    """compute()'s result, cached under parts and the current tokens; computed
    live when the cache fails."""
    try:
        tokens = _tokens([CATALOGUE, *token_names])
    except CACHE_ERRORS:
        log.warning("dashboard cache unavailable, computing live", exc_info=True)
        return compute()
    raw = "|".join(str(p) for p in [CODE_VERSION, *parts, *token_names, *tokens])
    key = f"{PREFIX}:result:{hashlib.sha256(raw.encode()).hexdigest()}"
    try:
        result = cache.get(key)
    except CACHE_ERRORS:
        # Unreadable (not our JSON): recomputed below and overwritten.
        log.warning("dashboard cache: unreadable entry %s", key, exc_info=True)
        result = None
    if result is None:
        result = compute()
        try:
            cache.set(key, result, RESULT_SECONDS)
        except RedisError:
            log.warning("dashboard cache: result not stored", exc_info=True)
    return result
