"""Site-wide request handling: methods reader pages accept, a clear page when the database is down, and the idle
clock of staff sessions."""

import time

from django.contrib.auth import SESSION_KEY
from django.db import InterfaceError, OperationalError
from django.http import HttpResponseNotAllowed
from django.template.response import TemplateResponse

READER_NAMESPACES = {"knowledge"}
# Reader pages outside those namespaces: the public corrections pages and the reader's own GET-only pages.
READER_VIEW_NAMES = {
    "editorial:corrections_log",
    "editorial:corrections_feed",
    "editorial:page_history",
    "editorial:report_thanks",
    "editorial:status_detail",
}
SAFE_METHODS = ("GET", "HEAD")


class ReaderMethodsMiddleware:
    """Reader pages only read: any other method gets 405 before CSRF or the view sees it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        match = request.resolver_match
        is_reader_page = match and (match.namespace in READER_NAMESPACES or match.view_name in READER_VIEW_NAMES)
        if is_reader_page and request.method not in SAFE_METHODS:
            response = HttpResponseNotAllowed(SAFE_METHODS, content=b"This page can only be read (GET or HEAD).\n")
            response["Content-Type"] = "text/plain; charset=utf-8"
            return response
        return None


class DatabaseUnavailableMiddleware:
    """While the database cannot be reached, answer 503 with a short page instead of a server error."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, OperationalError | InterfaceError):
            return None
        response = TemplateResponse(request, "503.html", status=503)
        response["Retry-After"] = "30"
        response.render()
        return response


class SessionIdleClockMiddleware:
    """A signed-in session's idle clock restarts on a request at most once a minute, not with a write per request.

    Saving the session pushes its end (SESSION_COOKIE_AGE) ahead; a write on every request would cost every staff
    page three statements for a clock that needs no finer grain than a minute.
    """

    INTERVAL = 60  # seconds

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        session = getattr(request, "session", None)
        # Before the view: a sign-out flushes the session, and a key set after it would start a new one.
        if session is not None and not session.is_empty() and SESSION_KEY in session:
            now = int(time.time())
            if now - session.get("_idle_clock", 0) >= self.INTERVAL:
                session["_idle_clock"] = now  # modified: SessionMiddleware saves it with a new expiry
        return self.get_response(request)
