"""The shared page cache: a hit costs no query, and a publish, an edit, a notice or a verification shows at once.

Each invalidation test reads the page twice (a miss that stores it, then a hit), makes the change as the site
makes it, committed, and reads again: a miss that shows the change. The rest of the suite runs without the
page cache (settings.PAGE_CACHE is off under pytest); these tests turn it on.
"""

import pytest
from django.core.cache import cache
from django.db import transaction
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.test import Client
from django.urls import reverse

from casebase import caching, routers
from casebase.editorial.pages import BY_MODEL
from casebase.knowledge.models import Case, PublicationStatus
from tests.factories import (
    CaseFactory,
    CitationFactory,
    CorrectionFactory,
    EditorFactory,
    PublisherFactory,
    SourceFactory,
    sign_in,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def page_cache(settings):
    settings.PAGE_CACHE = True
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    cache.clear()
    caching.local_pages.clear()
    yield
    cache.clear()
    caching.local_pages.clear()


def read(client, url, **extra):
    """GET `url`; returns (X-Cache, page text)."""
    response = client.get(url, **extra)
    assert response.status_code == 200, url
    return response.get("X-Cache"), response.text


def assert_cached(client, url, django_assert_num_queries):
    """A miss stores the page; the next request is a hit without a single query."""
    assert read(client, url)[0] == "miss"
    with django_assert_num_queries(0):
        assert read(client, url)[0] == "hit"


# --- exact invalidation -------------------------------------------------------------------------------


def test_an_edit_shows_on_the_next_request(client, django_assert_num_queries, django_capture_on_commit_callbacks):
    case = CaseFactory(title="FTC v. Everalbum")
    assert_cached(client, case.get_absolute_url(), django_assert_num_queries)
    with django_capture_on_commit_callbacks(execute=True):
        case.title = "FTC v. Everalbum, Inc."
        case.save()
    state, text = read(client, case.get_absolute_url())
    assert (state, "FTC v. Everalbum, Inc." in text) == ("miss", True)


def test_an_edit_shows_in_search_once_its_index_entry_is_written(client, django_capture_on_commit_callbacks):
    """Search entries are written after the content commits, in bulk: that write bumps the version too."""
    case = CaseFactory(title="FTC v. Everalbum")
    url = "/search/?q=paravision"
    assert case.get_absolute_url() not in read(client, url)[1]
    with django_capture_on_commit_callbacks(execute=True):
        case.title = "FTC v. Paravision"
        case.save()
    state, text = read(client, url)
    assert (state, case.get_absolute_url() in text) == ("miss", True)


def test_publishing_from_the_admin_shows_on_the_next_request(
    client, django_assert_num_queries, django_capture_on_commit_callbacks
):
    draft = CaseFactory(title="FTC v. Rite Aid", status=PublicationStatus.DRAFT)
    assert_cached(client, "/cases/", django_assert_num_queries)
    assert "FTC v. Rite Aid" not in read(client, "/cases/")[1]
    editor = sign_in(Client(), EditorFactory())
    with django_capture_on_commit_callbacks(execute=True):
        response = editor.post(
            reverse("admin:knowledge_case_changelist"), {"action": "publish", "_selected_action": [draft.pk]}
        )
    assert response.status_code == 302
    state, text = read(client, "/cases/")
    assert (state, "FTC v. Rite Aid" in text) == ("miss", True)
    assert read(client, draft.get_absolute_url())[0] == "miss"


def test_a_correction_notice_shows_on_the_next_request(
    client, django_assert_num_queries, django_capture_on_commit_callbacks
):
    report = CorrectionFactory(state="accepted", assignee=EditorFactory())
    case = Case.objects.get(pk=report.object_id)
    assert_cached(client, case.get_absolute_url(), django_assert_num_queries)
    publisher = sign_in(Client(), PublisherFactory())
    data = {f"page-{name}": getattr(case, name) or "" for name in BY_MODEL[Case].text_fields}
    data |= {"notice_kind": "correction", "notice_text": "An earlier version gave 2019 as the order's year."}
    with django_capture_on_commit_callbacks(execute=True):
        response = publisher.post(reverse("editorial:desk_publish", args=[report.number]), data)
    assert response.status_code == 302
    state, text = read(client, case.get_absolute_url())
    assert (state, "An earlier version gave 2019" in text) == ("miss", True)


def test_a_verification_shows_on_the_next_request(
    client, django_assert_num_queries, django_capture_on_commit_callbacks
):
    """Verifying moves the page's dates with a queryset update; the Verification row it writes bumps."""
    case = CaseFactory()
    source = SourceFactory()
    CitationFactory(case=case, source=source)
    assert_cached(client, case.get_absolute_url(), django_assert_num_queries)
    assert "Not yet re-checked" in read(client, case.get_absolute_url())[1]
    editor = sign_in(Client(), EditorFactory(), second_factor=False)
    url = reverse("editorial:desk_verify", args=["cases", case.slug])
    with django_capture_on_commit_callbacks(execute=True):
        response = editor.post(url, {"outcome": "confirmed", "sources": [source.pk], "note": "Checked."})
    assert response.status_code == 302
    state, text = read(client, case.get_absolute_url())
    assert (state, "Not yet re-checked" in text, "Last verified" in text) == ("miss", False, True)


def test_the_version_moves_when_the_transaction_commits_not_before(django_capture_on_commit_callbacks):
    case = CaseFactory()
    before = caching.content_version()
    with django_capture_on_commit_callbacks(execute=True):
        case.title = "Changed"
        case.save()
        assert caching.content_version() == before  # still uncommitted: readers may not see it yet
    assert caching.content_version() > before


@pytest.mark.django_db(transaction=True)
def test_a_committed_change_bumps_and_a_rolled_back_one_does_not():
    case = CaseFactory()
    before = caching.content_version()
    with pytest.raises(RuntimeError), transaction.atomic():
        case.title = "Never committed"
        case.save()
        raise RuntimeError
    assert caching.content_version() == before
    with transaction.atomic():
        case.title = "Committed"
        case.save()
    assert caching.content_version() > before


def test_a_page_rendered_before_a_commit_is_not_served_after_it(rf):
    """Stored under the version read when its request began, a page from older data is never a hit later."""
    calls = []

    def view(request):
        calls.append(1)
        if len(calls) == 1:
            caching.bump_content_version()  # an edit commits while the page is being rendered
        return HttpResponse(f"render {len(calls)}")

    cached_view = caching.cache_public_page(view)
    assert cached_view(rf.get("/x/")).content == b"render 1"
    assert cached_view(rf.get("/x/")).content == b"render 2"
    assert cached_view(rf.get("/x/"))["X-Cache"] == "hit"


def test_a_page_to_be_stored_is_rendered_from_the_primary(rf):
    """A replica may not have the commit behind the current version yet."""
    seen = []

    def view(request):
        seen.append(routers.replica_allowed.get())
        return HttpResponse("page")

    token = routers.replica_allowed.set(True)  # as the middleware allows for a reader page
    try:
        caching.cache_public_page(view)(rf.get("/x/"))
    finally:
        routers.replica_allowed.reset(token)
    assert seen == [False]


def test_a_page_a_worker_holds_is_not_served_once_another_process_bumps_the_version(rf):
    """Each worker's own copy is checked against the shared version, which another server may move."""
    calls = []

    def view(request):
        calls.append(1)
        return HttpResponse(f"render {len(calls)}")

    cached_view = caching.cache_public_page(view)
    cached_view(rf.get("/x/"))
    assert cached_view(rf.get("/x/"))["X-Cache"] == "hit"
    cache.incr(caching.VERSION_KEY)  # as another app server's commit does, through the shared cache only
    response = cached_view(rf.get("/x/"))
    assert (response["X-Cache"], response.content) == ("miss", b"render 2")


def test_a_worker_keeps_its_pages_within_its_budget(rf, settings):
    """Least recently used pages leave the worker's memory first; the shared cache still has them."""
    settings.PAGE_CACHE_LOCAL_MB = 1
    page = b"x" * (400 * 1024)
    cached_view = caching.cache_public_page(lambda request: HttpResponse(page))
    for path in ("/a/", "/b/", "/c/"):
        cached_view(rf.get(path))
    assert caching.local_pages.size <= 1024 * 1024
    assert len(caching.local_pages.entries) == 2  # /a/ dropped
    assert cached_view(rf.get("/a/"))["X-Cache"] == "hit"  # from the shared cache


def test_a_lost_version_starts_past_every_earlier_one():
    first = caching.content_version()
    cache.delete(caching.VERSION_KEY)
    assert caching.content_version() > first


# --- what is never served from the cache, or never stored -----------------------------------------------


def test_a_signed_in_editor_neither_gets_nor_stores_a_cached_page(client):
    case = CaseFactory()
    editor = sign_in(Client(), EditorFactory(), second_factor=False)
    url = case.get_absolute_url()
    assert editor.get(url).get("X-Cache") is None
    assert read(client, url)[0] == "miss"  # the editor's request stored nothing
    assert read(client, url)[0] == "hit"
    assert editor.get(url).get("X-Cache") is None


@pytest.mark.parametrize("url", ["/corrections/new/", "/desk/", "/admin/", "/api/v1/cases/", "/cases/export.csv"])
def test_pages_that_are_not_the_same_for_everyone_are_never_cached(client, url):
    CaseFactory()
    for _ in range(2):
        assert client.get(url).get("X-Cache") is None


def test_the_report_form_is_never_cached(client):
    """It carries a CSRF token and sets its cookie."""
    case = CaseFactory()
    page = client.get(case.get_absolute_url()).text
    form_url = page.split('class="page-review__report"><a href="')[1].split('"')[0].replace("&amp;", "&")
    first, second = client.get(form_url), client.get(form_url)
    assert first.status_code == second.status_code == 200
    assert "csrfmiddlewaretoken" in second.text
    assert second.get("X-Cache") is None


def _never_stored(rf, view):
    cached_view = caching.cache_public_page(view)
    cached_view(rf.get("/x/"))
    return cached_view(rf.get("/x/"))["X-Cache"] == "miss"


def test_a_response_that_sets_a_cookie_is_not_stored(rf):
    def view(request):
        response = HttpResponse("hello")
        response.set_cookie("seen", "1")
        return response

    assert _never_stored(rf, view)


def test_a_page_with_a_csrf_token_is_not_stored(rf):
    assert _never_stored(rf, lambda request: HttpResponse(get_token(request)))


@pytest.mark.parametrize("cache_control", ["private", "no-store", "no-cache"])
def test_a_response_marked_private_is_not_stored(rf, cache_control):
    def view(request):
        response = HttpResponse("hello")
        response["Cache-Control"] = cache_control
        return response

    assert _never_stored(rf, view)


@pytest.mark.parametrize("url, status", [("/cases/no-such-case/", 404), ("/cases/?kind=", 302)])
def test_errors_and_redirects_are_not_stored(client, url, status):
    for _ in range(2):
        response = client.get(url)
        assert (response.status_code, response.get("X-Cache")) in {(status, None), (status, "miss")}


def test_post_is_never_cached(rf):
    cached_view = caching.cache_public_page(lambda request: HttpResponse("posted"))
    cached_view(rf.post("/x/"))
    assert "X-Cache" not in cached_view(rf.post("/x/"))


def test_each_query_string_and_host_is_its_own_entry(client):
    CaseFactory()
    assert read(client, "/cases/")[0] == "miss"
    assert read(client, "/cases/?page=2")[0] == "miss"
    assert read(client, "/cases/", HTTP_HOST="localhost")[0] == "miss"
    assert read(client, "/cases/")[0] == "hit"
    assert read(client, "/cases/?page=2")[0] == "hit"


def test_head_shares_the_entry_of_get(client):
    case = CaseFactory()
    assert read(client, case.get_absolute_url())[0] == "miss"
    response = client.head(case.get_absolute_url())
    assert (response.status_code, response["X-Cache"]) == (200, "hit")


def test_a_hit_keeps_the_content_type_and_the_site_wide_headers(client):
    case = CaseFactory()
    miss = client.get(reverse("knowledge:case_list_feed"))
    hit = client.get(reverse("knowledge:case_list_feed"))
    assert hit["X-Cache"] == "hit"
    assert hit["Content-Type"] == miss["Content-Type"]
    assert hit.content == miss.content
    assert hit["Content-Security-Policy"] and hit["X-Frame-Options"] == "DENY"
    assert case.title in hit.text


def test_page_cache_off(client, settings):
    settings.PAGE_CACHE = False
    case = CaseFactory()
    for _ in range(2):
        assert client.get(case.get_absolute_url()).get("X-Cache") is None
