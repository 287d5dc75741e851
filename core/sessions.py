"""Sessions read from the cache, kept in the database (SESSION_ENGINE).

Every page asked PostgreSQL for its session before anything else: one query of
the ten or so a page makes, on the two cores the year-end peak shares between
the web workers and the database (issue #16). Django's cached_db engine reads
the session from Redis and writes it to both, so a session outlives a Redis
restart; this one also keeps working while Redis is down, as every other use of
the cache does (dashboard.cache, core.cache): a failed cache read or write is
logged and the database answers. Django's own engine lets a failure to store
the session it read, or to drop a signed-out one, break the page.

What Redis holds is what the database holds: the user's id and the hash that
django.contrib.auth checks against the user's password and SECRET_KEY on every
request, so a session written into Redis by someone else signs nobody in."""
import logging

from django.contrib.sessions.backends import cached_db

log = logging.getLogger(__name__)


class SessionStore(cached_db.SessionStore):
    def load(self):
        try:
            data = self._cache.get(self.cache_key)
        except Exception:
            log.warning("sessions: cache unavailable, reading the database", exc_info=True)
            data = None
        if data is not None:
            return data
        stored = self._get_session_from_db()
        if not stored:
            return {}
        data = self.decode(stored.session_data)
        try:
            self._cache.set(self.cache_key, data, self.get_expiry_age(expiry=stored.expire_date))
        except Exception:
            log.warning("sessions: session not cached", exc_info=True)
        return data

    def exists(self, session_key):
        try:
            if session_key and (self.cache_key_prefix + session_key) in self._cache:
                return True
        except Exception:
            log.warning("sessions: cache unavailable, asking the database", exc_info=True)
        return super(cached_db.SessionStore, self).exists(session_key)

    def delete(self, session_key=None):
        # The database's row first: signed out there, the session is gone
        # whatever the cache does next.
        super(cached_db.SessionStore, self).delete(session_key)
        if session_key is None:
            if self.session_key is None:
                return
            session_key = self.session_key
        try:
            self._cache.delete(self.cache_key_prefix + session_key)
        except Exception:
            # Left in the cache, the session would still be read from there until it
            # expires: say so loudly. (A signed-out user's session holds the same
            # auth hash, so this matters only until the cache answers again.)
            log.error("sessions: signed-out session %s… still cached", session_key[:6], exc_info=True)
