"""Reader views answer 405 to methods they do not serve: never a CSRF 403, never a 200 to TRACE or OPTIONS.

Every GET-only public URL of the permission matrix (tests/test_permissions.py), the reader's own
GET-only pages behind the status link, and a dump file, sent each unsafe method by a client that
enforces CSRF as a browser would. Pages that take forms and the API (whose OPTIONS answers CORS
preflights) keep their own rules, checked at the end.
"""

import pytest
from django.test import Client

from casebase.middleware import READER_NAMESPACES, READER_VIEW_NAMES
from tests import test_permissions
from tests.test_permissions import PUBLIC, STATUS, url_names, urls

world = test_permissions.world  # the permission matrix's fixture: one published thing of every kind

pytestmark = pytest.mark.django_db

UNSAFE = ["post", "put", "patch", "delete", "options", "trace"]
# Public URLs that serve more than reading: the report form takes POST; the API has its own method handling.
NOT_READER_PAGES = {"editorial:report_new"}


def reader_urls(w):
    rows = [
        (name, url)
        for kind, method, name, url in urls(w)
        if kind in (PUBLIC, STATUS) and method == "get" and name not in NOT_READER_PAGES
    ]
    rows = [(name, url) for name, url in rows if not name.startswith("api:") or name == "api:api_docs"]
    rows = [(name, url) for name, url in rows if name != "editorial:status_withdraw"]  # its form POSTs
    rows.append(("knowledge:dump_file", "/data/dumps/casebase-nothing.zip"))
    return rows


def test_every_reader_page_is_named_here_and_in_the_middleware(world):
    """A new knowledge URL or public editorial page is a reader page until someone says otherwise."""
    named = {name for name, _ in reader_urls(world)}
    reader_patterns = {name for name in url_names() if name.split(":")[0] in READER_NAMESPACES}
    assert reader_patterns <= named
    assert named >= READER_VIEW_NAMES
    editorial_here = {name for name in named if name.startswith("editorial:")}
    assert editorial_here == READER_VIEW_NAMES


@pytest.mark.parametrize("method", UNSAFE)
def test_reader_pages_answer_405_to_unsafe_methods(world, method):
    client = Client(enforce_csrf_checks=True)
    wrong = {}
    for name, url in reader_urls(world):
        response = getattr(client, method)(url)
        if response.status_code != 405 or response["Allow"] != "GET, HEAD":
            wrong[f"{name} {url}"] = response.status_code
    assert wrong == {}


def test_reader_pages_still_serve_get_and_head(world):
    client = Client()
    for name, url in reader_urls(world):
        if name == "knowledge:dump_file":
            continue  # no dump in this world: a 404, but a GET all the same
        assert client.get(url).status_code == 200, url
        assert client.head(url).status_code == 200, url


@pytest.mark.parametrize(
    "url",
    ["/corrections/", "/corrections/feed/"],
)
def test_the_editorial_views_refuse_by_themselves_too(rf, url):
    """require_safe on the views, so they refuse even where the middleware is not installed."""
    from django.urls import resolve

    view = resolve(url).func
    assert view(rf.post(url)).status_code == 405
    assert view(rf.options(url)).status_code == 405


def test_forms_and_the_api_keep_their_methods(world):
    client = Client(enforce_csrf_checks=True)
    # The report form takes POST: without a token that is a CSRF refusal, not a 405.
    assert client.post("/corrections/new/").status_code == 403
    # The API answers CORS preflights and refuses writes with its own 405.
    assert client.options("/api/v1/cases/").status_code == 200
    assert client.post("/api/v1/cases/").status_code == 405
