"""One more try for a page view whose database connection was dropped under it.

CONN_HEALTH_CHECKS replaces a kept connection that died while idle, but the
server can still end it between the check and a query, or between two queries of
one view (a restart, a failover, pg_terminate_backend): the view raises
OperationalError or InterfaceError and the user gets a 500 for a page that would
load fine a moment later. A read-only request (GET, HEAD) is safe to run again, so
it is, once, on a fresh connection; a write is not (part of it may have been
done), so it keeps its error.
"""
import logging

from django.db import InterfaceError, OperationalError, connections

READ_ONLY_METHODS = {"GET", "HEAD"}
logger = logging.getLogger(__name__)


def connection_error(exception):
    """OperationalError or InterfaceError, as Django wraps them or, from a few
    places that talk to the driver directly (closing a server-side cursor of
    .iterator()), as the driver raises them."""
    kinds = [OperationalError, InterfaceError]
    for connection in connections.all(initialized_only=True):
        kinds += [connection.Database.OperationalError, connection.Database.InterfaceError]
    return isinstance(exception, tuple(kinds))


def close_dropped_connections():
    """Close every open connection of this thread that no longer answers; True if
    there was one (the error came from a dropped connection, not from a query)."""
    dropped = False
    for connection in connections.all(initialized_only=True):
        if connection.connection is not None and not connection.is_usable():
            connection.close()
            dropped = True
    return dropped


class RetryReadOnDroppedConnectionMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if (request.method not in READ_ONLY_METHODS or getattr(request, "_db_retried", False)
                or not connection_error(exception)
                or not close_dropped_connections()):
            return None
        request._db_retried = True
        logger.warning("Database connection dropped during %s %s; trying once more.", request.method, request.path)
        match = request.resolver_match
        response = match.func(request, *match.args, **match.kwargs)
        # The handler renders a TemplateResponse returned by the view, not one
        # returned from here.
        if callable(getattr(response, "render", None)) and not getattr(response, "is_rendered", True):
            response = response.render()
        return response
