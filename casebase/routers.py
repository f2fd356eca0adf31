"""Reads from a PostgreSQL replica (DATABASE_REPLICA_URL) where a moment-old copy is fine; the rest on the primary.

Only a reader page (GET or HEAD, no session cookie) may read from the replica. Writes, the desk, the admin, the
readers' report form and status pages, staff sessions, management commands and background tasks stay on the
primary, and so does everything after a request's first write (read-your-writes).
"""

from contextvars import ContextVar

from django.conf import settings
from django.db import connections

PRIMARY, REPLICA = "default", "replica"
# Reader pages whose content a replica may serve a moment late; the API only reads.
REPLICA_NAMESPACES = {"knowledge", "api"}
REPLICA_VIEW_NAMES = {"editorial:corrections_log", "editorial:corrections_feed", "editorial:page_history"}

# True only inside a request the middleware let through. False outside a request (commands, tasks, shell), so they
# read what they or anyone else just wrote; None in a request whose view is not known yet.
replica_allowed = ContextVar("casebase_replica_allowed", default=False)


class PrimaryReplicaRouter:
    """Reads to the replica when the current request allows it; writes and migrations to the primary."""

    def db_for_read(self, model, **hints):
        if replica_allowed.get() is True and not connections[PRIMARY].in_atomic_block:
            return REPLICA
        return PRIMARY

    def db_for_write(self, model, **hints):
        replica_allowed.set(False)  # read-your-writes: this request reads from the primary from now on
        return PRIMARY

    def allow_relation(self, obj1, obj2, **hints):
        if {obj1._state.db, obj2._state.db} <= {PRIMARY, REPLICA}:
            return True  # the same data on both
        return None

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == PRIMARY


def may_read_replica(request):
    """Whether this request may be answered from the replica: a reader page, read anonymously."""
    match = request.resolver_match
    return (
        request.method in ("GET", "HEAD")
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and match is not None
        and (match.namespace in REPLICA_NAMESPACES or match.view_name in REPLICA_VIEW_NAMES)
    )


class ReplicaReadsMiddleware:
    """Lets the router send this request's reads to the replica once its view is known to be a reader page."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = replica_allowed.set(None)
        try:
            return self.get_response(request)
        finally:
            replica_allowed.reset(token)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if replica_allowed.get() is None:  # unless something has written already
            replica_allowed.set(may_read_replica(request))
