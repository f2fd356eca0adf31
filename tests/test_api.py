"""The JSON API: the HTML list's set for every filter scenario, strict 400s, pages, 405s, 429s, CORS, no drafts.

The filter scenarios are read from tests/test_filters.py (its parametrized queries and its two worlds of cases), so
every filter and combination tested there is tested here too, against the HTML list's own answer.
"""

import pytest
from django.core.cache import cache
from django.http import QueryDict

from casebase.api.views import RESOURCES, openapi_schema
from casebase.editorial.models import page_content_types
from casebase.knowledge.filters import CaseFilter
from casebase.knowledge.models import Case, PublicationStatus
from tests import test_filters as scenarios
from tests.factories import (
    AuthorityFactory,
    CaseFactory,
    CaseRelationFactory,
    CitationFactory,
    CompanyFactory,
    CorrectionFactory,
    CorrectionNoticeFactory,
    DatasetFactory,
    ExposureEntryFactory,
    ExposureListFactory,
    PartyFactory,
    RemedyFactory,
    RemedyTypeFactory,
    SourceFactory,
    TimelineEventFactory,
    TrainedModelFactory,
)

pytestmark = pytest.mark.django_db

DRAFT, WITHDRAWN = PublicationStatus.DRAFT, PublicationStatus.WITHDRAWN


@pytest.fixture(autouse=True)
def fresh_throttle(settings):
    """Each test starts with an empty request count and a limit no test reaches unless it sets its own."""
    settings.API_ANON_RATE = "10000/minute"
    cache.clear()
    yield
    cache.clear()


def parametrized(test):
    """The (query, expected) rows of a parametrized test in tests/test_filters.py: its queries only."""
    mark = next(mark for mark in test.pytestmark if mark.name == "parametrize")
    return [row[0] for row in mark.args[1]]


# Every valid-query scenario of the filter tests, with the world of cases it runs in.
WORLD_QUERIES = (
    parametrized(scenarios.test_each_filter_alone)
    + parametrized(scenarios.test_filters_combine_with_and)
    + [f"sort={sort}" for sort in parametrized(scenarios.test_sorts)]
)
ORIGIN_QUERIES = parametrized(scenarios.test_origin_alone_matches_any_remedy_of_the_case) + parametrized(
    scenarios.test_remedy_and_origin_hold_on_the_same_remedy
)
INVALID_QUERIES = parametrized(scenarios.test_invalid_values_are_reported_and_ignored)


def html_list(client, query):
    """The cases the HTML case list returns for `query`, in its order, and the problems it reported."""
    response = client.get(f"/cases/?{query}", follow=True)  # it drops blank parameters by a redirect
    assert response.status_code == 200
    context = response.context
    return [case.slug for case in context["page_obj"].paginator.object_list], context["problems"]


def api_list(client, query, page_size=100):
    """Every case the API returns for `query`, following `next` through all pages."""
    slugs, url = [], f"/api/v1/cases/?{query}&page_size={page_size}"
    while url:
        response = client.get(url)
        assert response.status_code == 200, response.content
        body = response.json()
        slugs += [case["slug"] for case in body["results"]]
        url = body["next"]
    return slugs


def assert_same_as_html_list(client, query):
    html, problems = html_list(client, query)
    if problems:  # the list forgave something: the API refuses it, naming the parameter
        response = client.get(f"/api/v1/cases/?{query}")
        assert response.status_code == 400, (query, problems)
        return
    assert api_list(client, query) == html, query
    assert api_list(client, query, page_size=2) == html, query  # the same across pages


# --- The same set as the HTML list -----------------------------------------------------------------------


@pytest.mark.parametrize("query", WORLD_QUERIES)
def test_the_api_returns_what_the_case_list_returns(client, query):
    scenarios.make_cases()
    assert_same_as_html_list(client, query)


@pytest.mark.parametrize("query", ORIGIN_QUERIES)
def test_the_api_returns_what_the_case_list_returns_by_origin(client, query):
    scenarios.make_origin_cases()
    assert_same_as_html_list(client, query)


def test_the_scenarios_were_found():
    """Guards the reading of tests/test_filters.py: an empty list would make the tests above pass vacuously."""
    assert len(WORLD_QUERIES) > 40 and len(ORIGIN_QUERIES) > 20 and len(INVALID_QUERIES) > 10
    assert "remedy=model-deletion" in WORLD_QUERIES


def test_every_filter_parameter_is_covered_by_a_scenario():
    named = {name for query in WORLD_QUERIES + ORIGIN_QUERIES for name in QueryDict(query)}
    assert set(CaseFilter.base_filters) <= named


# --- Invalid values: 400 naming the parameter and what it accepts ---------------------------------------


@pytest.mark.parametrize("query", INVALID_QUERIES)
def test_an_invalid_value_is_a_400_naming_the_parameter(client, query):
    scenarios.make_cases()
    response = client.get(f"/api/v1/cases/?{query}")
    assert response.status_code == 400
    body = response.json()
    name = next(iter(QueryDict(query)))
    assert [error["parameter"] for error in body["errors"]] == [name]
    assert name in body["detail"]
    error = body["errors"][0]
    assert error["message"].startswith(f"{name}=") and error["accepts"] in error["message"]


def test_the_400_lists_the_values_accepted(client):
    scenarios.make_cases()
    body = client.get("/api/v1/cases/?kind=nonsense").json()
    assert body["errors"] == [
        {
            "parameter": "kind",
            "values": ["nonsense"],
            "message": "kind=“nonsense” is not accepted: it is not a kind of case we list. kind takes a kind of case. "
            "One of: administrative_order, federal_court_action, dpa_decision, private_action, voluntary_commitment, "
            "guidance.",
            "accepts": "a kind of case",
            "accepted": [
                "administrative_order",
                "federal_court_action",
                "dpa_decision",
                "private_action",
                "voluntary_commitment",
                "guidance",
            ],
        }
    ]


def test_an_unknown_remedy_is_refused_even_beside_known_ones(client):
    """The list keeps model-deletion and drops bogus; the API filters nothing and lists published slugs only."""
    scenarios.make_cases()
    response = client.get("/api/v1/cases/?remedy=model-deletion&remedy=bogus&remedy=secret-remedy")
    assert response.status_code == 400
    (error,) = response.json()["errors"]
    assert error["parameter"] == "remedy" and error["values"] == ["bogus", "secret-remedy"]
    assert "model-deletion" in error["accepted"] and "secret-remedy" not in error["accepted"]  # a draft type


@pytest.mark.parametrize(
    "query, parameter",
    [
        ("year_from=2022&year_to=2021", "year_from"),  # the list swaps them and says so
        ("kind=dpa_decision&kind=private_action", "kind"),  # one value only
        ("origin=sought&origin=bogus", "origin"),
        ("page=0", "page"),
        ("page=x", "page"),
        ("page=2", "page"),  # five cases fill one page
        ("page_size=0", "page_size"),
        ("page_size=101", "page_size"),
        ("page_size=ten", "page_size"),
    ],
)
def test_other_refusals(client, query, parameter):
    scenarios.make_cases()
    response = client.get(f"/api/v1/cases/?{query}")
    assert response.status_code == 400
    assert [error["parameter"] for error in response.json()["errors"]] == [parameter]


def test_blank_values_mean_no_filter_as_on_the_list(client):
    scenarios.make_cases()
    assert len(api_list(client, "kind=&remedy=&q=")) == 5


def test_the_remedies_list_is_strict_too(client):
    scenarios.make_cases()
    response = client.get("/api/v1/remedies/?remedy=bogus&origin=imposed")
    assert response.status_code == 400
    assert [error["parameter"] for error in response.json()["errors"]] == ["remedy"]


def test_the_remedies_list_binds_by_default(client):
    world = scenarios.make_cases()
    bound = client.get("/api/v1/remedies/?remedy=data-deletion").json()["results"]
    assert {r["case"]["slug"] for r in bound} == {world.b.slug, world.c.slug}  # not D's, only sought
    assert all(r["binds"] for r in bound)
    widened = client.get("/api/v1/remedies/?remedy=data-deletion&origin=any").json()["results"]
    assert {r["case"]["slug"] for r in widened} == {world.b.slug, world.c.slug, world.d.slug}
    assert client.get(f"/api/v1/remedies/?case={world.a.slug}").json()["count"] == 2


# --- Pages and counts --------------------------------------------------------------------------------------


def test_pages_carry_counts_and_links(client):
    scenarios.make_cases()
    first = client.get("/api/v1/cases/?sort=title&page_size=2").json()
    assert (first["count"], first["total_pages"], first["page"], first["page_size"]) == (5, 3, 1, 2)
    assert first["previous"] is None
    assert first["next"] == "http://testserver/api/v1/cases/?page=2&page_size=2&sort=title"
    last = client.get("/api/v1/cases/?sort=title&page_size=2&page=3").json()
    assert last["next"] is None and len(last["results"]) == 1
    assert client.get("/api/v1/cases/").json()["page_size"] == 50


@pytest.mark.parametrize(
    "path", ["/api/v1/cases/no-such-case/", "/api/v1/sources/1.5/", "/api/v1/nothing/", "/api/v2/"]
)
def test_not_found_is_json(client, path):
    response = client.get(path)
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json" and response.json()["detail"]


def test_an_empty_result_is_one_empty_page(client):
    body = client.get("/api/v1/cases/?q=zzyzx").json()
    assert (body["count"], body["total_pages"], body["results"]) == (0, 1, [])


# --- Read-only -------------------------------------------------------------------------------------------


def one_of_each(n=""):
    """A published record of every resource, with a notice on the case: {resource prefix: detail path}."""
    case = CaseFactory(slug=f"the-case{n}")
    remedy = RemedyFactory(case=case)
    dataset = DatasetFactory(slug=f"the-data{n}")
    case.datasets.add(dataset)
    model = TrainedModelFactory(slug=f"the-model{n}")
    model.datasets.add(dataset)
    source = CitationFactory(case=case).source
    exposure = ExposureListFactory(precedents=[case])
    notice = CorrectionNoticeFactory(page=case)
    return {
        "cases": f"/api/v1/cases/{case.slug}/",
        "companies": f"/api/v1/companies/{dataset.collected_by.slug}/",
        "authorities": f"/api/v1/authorities/{case.authority.slug}/",
        "remedy-types": f"/api/v1/remedy-types/{remedy.remedy_type.slug}/",
        "remedies": f"/api/v1/remedies/{remedy.pk}/",
        "datasets": f"/api/v1/datasets/{dataset.slug}/",
        "trained-models": f"/api/v1/trained-models/{model.slug}/",
        "exposure-lists": f"/api/v1/exposure-lists/{exposure.slug}/",
        "sources": f"/api/v1/sources/{source.pk}/",
        "correction-notices": f"/api/v1/correction-notices/{notice.pk}/",
    }


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_writes_answer_405(client, method):
    paths = one_of_each()
    assert set(paths) == {prefix for prefix, _viewset, _basename in RESOURCES}
    for prefix, detail in paths.items():
        assert client.get(detail).status_code == 200, detail
        for path in (f"/api/v1/{prefix}/", detail):
            response = getattr(client, method)(path, data={"title": "x"}, content_type="application/json")
            assert response.status_code == 405, (method, path)
            assert response.json()["detail"] == f'Method "{method.upper()}" not allowed.'
            assert "POST" not in response["Allow"]
    assert client.post("/api/").status_code == 405  # the docs page
    assert client.post("/api/schema/").status_code == 405


# --- Drafts and editorial data never appear ------------------------------------------------------------


def test_drafts_never_appear(client):
    """A draft or withdrawn record is absent from every list, 404 as a record, and null or absent where referred to."""
    draft_company = CompanyFactory(slug="draft-co", status=DRAFT)
    draft_authority = AuthorityFactory(slug="draft-authority", status=DRAFT)
    draft_type = RemedyTypeFactory(slug="draft-type", status=DRAFT)
    draft_data = DatasetFactory(slug="draft-data", status=WITHDRAWN, collected_by=draft_company)
    draft_case = CaseFactory(slug="draft-case", status=DRAFT, datasets=[draft_data])
    secret_source = SourceFactory(title="Secret draft source")
    CitationFactory(case=draft_case, source=secret_source)
    TimelineEventFactory(case=draft_case, source=SourceFactory(title="Secret timeline source"))
    RemedyFactory(case=draft_case)
    TrainedModelFactory(slug="draft-model", developer=draft_company).datasets.add(draft_data)
    ExposureListFactory(slug="draft-list", status=DRAFT)
    CorrectionNoticeFactory(page=draft_case, text="A notice on a draft page.")

    case = CaseFactory(slug="public-case", authority=draft_authority, forum=draft_authority, datasets=[draft_data])
    RemedyFactory(case=case, remedy_type=draft_type)
    PartyFactory(case=case, company=draft_company)
    CaseRelationFactory(from_case=case, to_case=draft_case)
    CompanyFactory(slug="child-co", parent=draft_company)
    DatasetFactory(slug="public-data", collected_by=draft_company).received_by.add(draft_company)
    ExposureEntryFactory(exposure_list=ExposureListFactory(slug="public-list"), company=draft_company)

    drafts = ["draft-co", "draft-authority", "draft-type", "draft-data", "draft-case", "draft-model", "draft-list"]
    secret_words = ["Secret draft source", "Secret timeline source", "A notice on a draft page."]
    for prefix, _viewset, _basename in RESOURCES:
        text = client.get(f"/api/v1/{prefix}/?page_size=100").content.decode()
        for word in drafts + secret_words:
            assert word not in text, (prefix, word)
    for path in [
        "/api/v1/cases/draft-case/",
        "/api/v1/companies/draft-co/",
        "/api/v1/authorities/draft-authority/",
        "/api/v1/remedy-types/draft-type/",
        "/api/v1/datasets/draft-data/",
        "/api/v1/trained-models/draft-model/",
        "/api/v1/exposure-lists/draft-list/",
        f"/api/v1/sources/{secret_source.pk}/",
    ]:
        assert client.get(path).status_code == 404, path
    for path in ["/api/v1/cases/public-case/", "/api/v1/companies/child-co/", "/api/v1/datasets/public-data/",
                 "/api/v1/exposure-lists/public-list/"]:  # fmt: skip
        response = client.get(path)
        assert response.status_code == 200
        for word in drafts + secret_words:
            assert word not in response.content.decode(), (path, word)
    record = client.get("/api/v1/cases/public-case/").json()
    assert record["authority"] is None and record["forum"] is None
    assert record["remedies"] == [] and record["parties"] == [] and record["datasets"] == []
    assert record["relations"] == []
    assert client.get("/api/v1/companies/child-co/").json()["parent"] is None
    assert client.get("/api/v1/cases/?company=draft-co").status_code == 400  # not a company readers can name


def test_only_published_correction_notices_and_nothing_else_editorial(client):
    case = CaseFactory(slug="corrected")
    correction = CorrectionFactory(page=case, reporter_email="private@example.net", passage="Private words.")
    notice = CorrectionNoticeFactory(page=case, text="An earlier version gave 2019. It was 2021.", is_material=True)
    notice.corrections.add(correction)
    body = client.get("/api/v1/correction-notices/").json()
    assert body["count"] == 1
    (shown,) = body["results"]
    assert shown == {
        "id": notice.pk,
        "api_url": f"http://testserver/api/v1/correction-notices/{notice.pk}/",
        "kind": "correction",
        "is_material": True,
        "text": "An earlier version gave 2019. It was 2021.",
        "published_at": shown["published_at"],
        "page": {
            "kind": "cases",
            "slug": "corrected",
            "title": str(case),
            "html_url": f"http://testserver/cases/corrected/#notice-{notice.pk}",
            "api_url": "http://testserver/api/v1/cases/corrected/",
        },
    }
    for prefix, _viewset, _basename in RESOURCES:
        text = client.get(f"/api/v1/{prefix}/").content.decode()
        assert "private@example.net" not in text and "Private words." not in text and "CR-" not in text


# --- Fields documented, names stable --------------------------------------------------------------------


def test_every_field_is_documented():
    """Each field of each resource has a description in the schema: the model's help_text, or one written here."""
    components = openapi_schema()["components"]["schemas"]
    undocumented = [
        f"{name}.{field}"
        for name, component in components.items()
        for field, spec in component.get("properties", {}).items()
        if not spec.get("description", "").strip()
    ]
    assert undocumented == []


def test_model_fields_take_their_help_text():
    components = openapi_schema()["components"]["schemas"]
    help_text = Case._meta.get_field("summary").help_text
    assert components["Case"]["properties"]["summary"]["description"] == help_text
    # drf-spectacular adds the choices after the help_text
    assert components["CaseDetail"]["properties"]["status"]["description"].startswith(
        "Where the proceeding stands now."
    )


def test_field_names_are_stable():
    """Version 1 promises these names: renaming or removing one breaks clients (add fields, never rename)."""
    components = openapi_schema()["components"]["schemas"]
    assert list(components["Case"]["properties"]) == [
        "slug", "api_url", "html_url", "title", "short_title", "kind", "status", "authority", "forum", "jurisdiction",
        "docket_numbers", "started_on", "started_on_precision", "decided_on", "decided_on_precision", "summary",
        "significance", "updated_at", "last_verified_at", "remedies",
    ]  # fmt: skip
    assert list(components["RemedyBrief"]["properties"]) == [
        "id", "api_url", "remedy_type", "origin", "binds", "status", "amount", "currency", "amount_usd",
    ]  # fmt: skip
    assert list(components["PaginatedCaseList"]["properties"]) == [
        "count", "total_pages", "page", "page_size", "next", "previous", "results",
    ]  # fmt: skip


def test_the_schema_lists_every_resource_and_every_case_filter(client):
    response = client.get("/api/schema/?format=json")
    assert response.status_code == 200
    schema = response.json()
    assert schema["openapi"].startswith("3.")
    for prefix, _viewset, _basename in RESOURCES:
        assert f"/api/v1/{prefix}/" in schema["paths"]
    parameters = {p["name"] for p in schema["paths"]["/api/v1/cases/"]["get"]["parameters"]}
    assert parameters == set(CaseFilter.base_filters) | {"page", "page_size"}
    assert client.get("/api/schema/").status_code == 200  # YAML


# --- Limits and other origins ---------------------------------------------------------------------------


def test_anonymous_clients_are_throttled_with_a_clear_429(client, settings):
    settings.API_ANON_RATE = "3/minute"
    for _ in range(3):
        assert client.get("/api/v1/cases/").status_code == 200
    response = client.get("/api/v1/cases/")
    assert response.status_code == 429
    assert 1 <= int(response["Retry-After"]) <= 60
    detail = response.json()["detail"]
    assert detail.startswith("Too many requests: the API answers 3 requests a minute from each client address.")
    assert "Expected available in" in detail
    other = client.get("/api/v1/cases/", REMOTE_ADDR="192.0.2.7")
    assert other.status_code == 200  # counted per address
    spoofed = client.get("/api/v1/cases/", HTTP_X_FORWARDED_FOR="198.51.100.1")
    assert spoofed.status_code == 429  # a client's own X-Forwarded-For does not buy a fresh count


def test_get_is_open_to_other_origins(client):
    response = client.get("/api/v1/cases/", HTTP_ORIGIN="https://researcher.example")
    assert response["Access-Control-Allow-Origin"] == "*"
    assert "Access-Control-Allow-Credentials" not in response
    preflight = client.options(
        "/api/v1/cases/", HTTP_ORIGIN="https://researcher.example", HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET"
    )
    assert preflight.status_code == 200
    assert set(preflight["Access-Control-Allow-Methods"].split(", ")) == {"GET", "HEAD", "OPTIONS"}
    site_page = client.get("/cases/", HTTP_ORIGIN="https://researcher.example")
    assert "Access-Control-Allow-Origin" not in site_page  # only the API


# --- Query counts ------------------------------------------------------------------------------------------

# Guards against N+1: each count is fixed however many records there are. A list is the count, the page, and one
# query per prefetched relation; a record is one query and one per prefetched relation.
QUERIES = {
    "/api/v1/cases/": 3,  # count, page, remedies with their types
    # + the remedy types and the company named, and the company tree walked once per level (three here): the
    # same queries the HTML list makes for this filter.
    "/api/v1/cases/?remedy=model-deletion&company=parent-co": 8,
    # case; datasets, their models with developers; relations both ways; remedies, their data and models;
    # citations of the case and its remedies; legal bases, parties, timeline: CaseQuerySet.for_detail, as the case page.
    "/api/v1/cases/the-case/": 11,
    "/api/v1/companies/": 2,
    "/api/v1/companies/{company}/": 6,  # + subsidiaries, data collected and received, models, exposure entries
    "/api/v1/authorities/": 2,
    "/api/v1/remedy-types/": 2,
    "/api/v1/remedies/": 5,  # + datasets and models reached, citations
    "/api/v1/datasets/": 3,  # + receivers
    "/api/v1/datasets/the-data/": 6,  # + receivers, models, remedies, cases, citations
    "/api/v1/trained-models/": 3,  # + datasets
    "/api/v1/exposure-lists/": 3,  # + precedents
    "/api/v1/exposure-lists/{exposure}/": 6,  # + precedents, entries (+ their cases, citations), citations
    "/api/v1/sources/": 2,
    "/api/v1/correction-notices/": 3,  # count, page, the pages (content types come from Django's cache)
}


@pytest.mark.parametrize("path, queries", QUERIES.items())
def test_query_counts(client, django_assert_num_queries, path, queries):
    scenarios.make_cases()
    for n in ("", "-2", "-3"):
        one_of_each(n)  # every relation populated, several times over: an N+1 would show
    exposure = ExposureListFactory()
    ExposureEntryFactory(exposure_list=exposure)
    path = path.format(
        company=Case.objects.get(slug="the-case").datasets.get().collected_by.slug, exposure=exposure.slug
    )
    page_content_types()  # Django caches content types: a running site has them, so they are not counted
    with django_assert_num_queries(queries):
        response = client.get(path)
    assert response.status_code == 200


# --- The docs page ---------------------------------------------------------------------------------------


def test_the_docs_page_documents_resources_filters_and_errors(client):
    scenarios.make_cases()
    response = client.get("/api/")
    assert response.status_code == 200
    page = response.content.decode()
    for prefix, _viewset, _basename in RESOURCES:
        assert f"/api/v1/{prefix}/" in page
    for name in CaseFilter.base_filters:
        assert f"<code>{name}</code>" in page
    assert "429 Too Many Requests" in page and "Access-Control-Allow-Origin" in page
    assert "kind=“nonsense” is not accepted" in page  # the real 400 body
    assert "Where the proceeding stands now." in page  # a help_text, through the schema
    assert "<code>AuthorityRef</code>" in page and "<code>InvalidQuery</code>" in page  # the nested objects too
    assert "?remedy=model-deletion" in page
    assert "style=" not in page and "<script>" not in page  # the site's CSP
