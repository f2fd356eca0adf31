"""Reader pages from a shared cache, invalidated exactly: any change to public content is seen on the next request.

Every stored page carries the *content version*, a counter in the cache that goes up when public content
changes; a stored page counts only while its version is the current one. So nothing is deleted on a change:
the next request for each page simply renders it again.

Two orderings make this exact:

- The version goes up when the writing transaction *commits* (`transaction.on_commit`), never before. Bumped
  at save time, a reader could fetch the new version, render from the data still committed (the old text),
  and store that under the new version, where it would stay.
- A page is stored under the version read at the *start* of its request. A page rendered from data older
  than a commit was therefore started before that commit's bump and carries an older version: the next
  request renders again. (A newer page under an older version costs a render, never staleness.)

The version lives in the default cache, so with Redis (`CACHE_URL`) every worker and app server agrees on it
(INCR is atomic). With the per-process local-memory cache a change made in one process is invisible to the
others, which is why settings turn the page cache on by default only when `CACHE_URL` is set.

With a replica (DATABASE_REPLICA_URL), a page to be stored is rendered from the primary: the replica may not
have the commit yet. Hits need no database at all.

Each worker also keeps the pages it served most recently in its own memory (PAGE_CACHE_LOCAL_MB), checked
against the shared version on every request: a hit then costs one small cache round trip instead of fetching
the whole page from Redis, and stays exact because the version it is checked against is the shared one.

Writes that send no model signals bump by hand: `indexing.update_index` / `rebuild_index` (search entries,
written in bulk after the content's own commit), `corpus.generate` / `corpus.remove` and `manage.py restore`.
"""

import functools
import hashlib
import threading
import time
from collections import OrderedDict
from functools import wraps

from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import HttpResponse
from django.middleware.csp import get_nonce
from django.template.response import SimpleTemplateResponse
from simple_history.models import HistoricalChanges

from casebase import routers

VERSION_KEY = "casebase.content-version"
PAGE_KEY = "casebase.page.{}"
SAFE_METHODS = ("GET", "HEAD")
# Editorial models that reach reader pages: notices are printed on them, and a verification moves the page's
# "Last verified" date through a queryset update, which sends no signal of its own. Readers' reports and the
# desk's messages are left out so that sending a report cannot empty the cache for everyone.
EDITORIAL_PUBLIC = {"CorrectionNotice", "Verification"}
# Search entries are derived and written in bulk; indexing bumps once per batch instead.
NOT_CONTENT = {"SearchEntry"}


class LocalPages:
    """The pages this process served most recently, least recently used dropped first, within a size in bytes.

    An entry counts while its version is the shared one and for PAGE_CACHE_SECONDS at most, as in the cache.
    """

    def __init__(self):
        self.entries, self.size, self.lock = OrderedDict(), 0, threading.Lock()

    def get(self, key, version):
        with self.lock:
            found = self.entries.get(key)
            if found is None or found[1][0] != version or found[0] < time.monotonic():
                return None
            self.entries.move_to_end(key)
            return found[1]

    def put(self, key, entry):
        limit = settings.PAGE_CACHE_LOCAL_MB * 1024 * 1024
        if len(entry[3]) > limit:
            return
        with self.lock:
            old = self.entries.pop(key, None)
            self.size += len(entry[3]) - (len(old[1][3]) if old else 0)
            self.entries[key] = (time.monotonic() + settings.PAGE_CACHE_SECONDS, entry)
            while self.size > limit:
                _, (_, dropped) = self.entries.popitem(last=False)
                self.size -= len(dropped[3])

    def clear(self):
        with self.lock:
            self.entries.clear()
            self.size = 0


local_pages = LocalPages()


def content_version():
    """The current content version, created if the cache has none."""
    version = _read_version()
    return _start_version() if version is None else version


@functools.cache
def _redis():
    """One Redis client for this process when the cache is Redis, else None.

    Django's Redis backend builds a client object for every operation, which costs more than the round trip
    itself; the version is read on every request, so it is read through one client kept for the process.
    """
    backend = settings.CACHES["default"]
    if not backend["BACKEND"].endswith(".RedisCache"):
        return None
    import redis

    return redis.Redis.from_url(backend["LOCATION"])


def _read_version():
    client = _redis()
    if client is None:
        return cache.get(VERSION_KEY)
    # The same key and the same encoding as cache.get: Django stores integers in Redis as plain numbers.
    raw = client.get(cache.make_key(VERSION_KEY))
    return None if raw is None else int(raw)


def _start_version():
    # A lost counter (evicted, flushed, a restarted cache) must not restart at a number that pages still
    # in the cache carry: the clock in nanoseconds is past every earlier value.
    cache.add(VERSION_KEY, time.time_ns(), timeout=None)
    return cache.get(VERSION_KEY)


def bump_content_version():
    """Make every stored page stale. Call it after a write that public pages show, once it has committed."""
    try:
        cache.incr(VERSION_KEY)
    except ValueError:
        _start_version()


def bump_on_commit(using=None):
    """Bump the content version when the current transaction commits (at once outside a transaction)."""
    # Robust: the edit is committed by then, and a cache that cannot be reached must not answer it with an error.
    transaction.on_commit(bump_content_version, using=using, robust=True)


def _content_changed(sender, using=None, action="post_", **kwargs):
    if action.startswith("post_"):
        bump_on_commit(using)


def content_models():
    """The models whose rows reader pages show: the knowledge base and the notices and verifications on it."""
    models = [
        *apps.get_app_config("knowledge").get_models(),
        *(m for m in apps.get_app_config("editorial").get_models() if m.__name__ in EDITORIAL_PUBLIC),
    ]
    # A historical record is saved with its live record, whose own signal bumps.
    return [m for m in models if not issubclass(m, HistoricalChanges) and m.__name__ not in NOT_CONTENT]


def connect_signals():
    """Bump on every save, delete and many-to-many change of a content model (AppConfig.ready calls this)."""
    for model in content_models():
        label = model._meta.label
        post_save.connect(_content_changed, sender=model, dispatch_uid=f"page-cache-saved-{label}")
        post_delete.connect(_content_changed, sender=model, dispatch_uid=f"page-cache-deleted-{label}")
        for field in model._meta.local_many_to_many:
            through = field.remote_field.through
            m2m_changed.connect(_content_changed, sender=through, dispatch_uid=f"page-cache-m2m-{through._meta.label}")


def _may_use_cache(request):
    # A session cookie may mean a signed-in editor. Looking at the cookie, not request.user, keeps a hit free
    # of the session query; readers have no session.
    return (
        settings.PAGE_CACHE and request.method in SAFE_METHODS and settings.SESSION_COOKIE_NAME not in request.COOKIES
    )


def _may_store(request, response):
    cache_control = response.get("Cache-Control", "").lower()
    return (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        and not response.has_header("Vary")
        and not any(word in cache_control for word in ("private", "no-store", "no-cache"))
        # The page took a CSRF token or a CSP nonce: both belong to one reader and one response.
        and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
        and not get_nonce(request)
    )


def cache_public_page(view):
    """Serve the view's page from the shared cache to readers without a session; store it on a miss.

    The key is the full address (scheme and host included: pages print absolute links) with its query
    string; HEAD shares GET's entry. Responses carry `X-Cache: hit` or `miss`.
    """

    @wraps(view)
    def cached_view(request, *args, **kwargs):
        if not _may_use_cache(request):
            return view(request, *args, **kwargs)
        key = PAGE_KEY.format(hashlib.sha256(request.build_absolute_uri().encode()).hexdigest())
        version = content_version()
        stored = local_pages.get(key, version)
        if stored is None:
            stored = cache.get(key)
            if stored is not None and stored[0] == version:
                local_pages.put(key, stored)
            else:
                stored = None
        if stored is not None:
            _, status, headers, content = stored
            response = HttpResponse(content, status=status)
            for name, value in headers:
                response[name] = value
            response["X-Cache"] = "hit"
            return response
        # Rendered from the primary: a replica a moment behind would store the old page under the new version.
        token = routers.replica_allowed.set(False)
        try:
            response = view(request, *args, **kwargs)
            if isinstance(response, SimpleTemplateResponse):
                response = response.render()  # here, so the template's queries go to the primary too
        finally:
            routers.replica_allowed.reset(token)
        if _may_store(request, response):
            entry = (version, response.status_code, list(response.items()), response.content)
            cache.set(key, entry, settings.PAGE_CACHE_SECONDS)
            local_pages.put(key, entry)
        response["X-Cache"] = "miss"
        return response

    return cached_view
