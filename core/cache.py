"""The Redis cache: a JSON serializer, and one Redis client per connection pool.

Django's RedisCache stores pickles by default, and unpickling runs code: anyone
who can write to the Redis (an unauthenticated one on the network, say) could run
commands as the web process on the next read. JSON can only ever give back data.
Dates, datetimes and decimals, which the cached figures hold, are written as
tagged objects ({"$date": "2020-12-31"}) and come back as the same types; tuples
come back as lists. A value JSON cannot hold is refused when written (TypeError),
so a result that could not be read back is never stored."""
import datetime
import decimal
import json

from django.core.cache.backends import redis as django_redis
from django.utils.functional import Promise

_TAGS = {
    "$datetime": datetime.datetime.fromisoformat,
    "$date": datetime.date.fromisoformat,
    "$decimal": decimal.Decimal,
}


def _encode(value):
    # datetime before date: a datetime is a date too.
    if isinstance(value, datetime.datetime):
        return {"$datetime": value.isoformat()}
    if isinstance(value, datetime.date):
        return {"$date": value.isoformat()}
    if isinstance(value, decimal.Decimal):
        return {"$decimal": str(value)}
    if isinstance(value, Promise):  # gettext_lazy: the text in the language it is cached for
        return str(value)
    if isinstance(value, (set, frozenset)):
        return sorted(value)
    raise TypeError(f"{type(value).__name__} is not cached: the cache holds JSON data only")


def _decode(obj):
    if len(obj) == 1:
        (tag, text), = obj.items()
        if tag in _TAGS and isinstance(text, str):
            return _TAGS[tag](text)
    return obj


class JSONSerializer:
    """dumps/loads as Django's RedisCache calls them (OPTIONS "serializer")."""

    def dumps(self, obj):
        # Integers stay raw, as in Django's own serializer, so incr()/decr() work in Redis.
        if type(obj) is int:
            return obj
        return json.dumps(obj, default=_encode, ensure_ascii=False, separators=(",", ":")).encode()

    def loads(self, data):
        """The value, or ValueError for anything that is not our JSON (a pickle
        planted in the cache included): it is never executed."""
        try:
            return int(data)
        except ValueError:
            pass
        if isinstance(data, bytes):
            data = data.decode("utf-8")  # UnicodeDecodeError is a ValueError
        return json.loads(data, object_hook=_decode)


class RedisCacheClient(django_redis.RedisCacheClient):
    """Django's, keeping one redis.Redis per connection pool: Django's builds a new
    one for every cache call, and a redis.Redis sets up some 170 response callbacks
    as it starts, about 0.1 ms on every page (the session is read from Redis) and
    more on the dashboard's (issue #16). A redis.Redis over a pool holds no
    connection of its own and is safe to share between threads."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(pool)
        if client is None:
            client = self._clients.setdefault(pool, self._client(connection_pool=pool))
        return client


class RedisCache(django_redis.RedisCache):
    """django.core.cache.backends.redis.RedisCache with RedisCacheClient (CACHES)."""

    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = RedisCacheClient
