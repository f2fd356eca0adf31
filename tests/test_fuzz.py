"""Hostile input: property-based requests over every filter parameter and public URL find no server error."""

import string
from urllib.parse import quote

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.factories import (
    AuthorityFactory,
    CaseFactory,
    CompanyFactory,
    DatasetFactory,
    ExposureListFactory,
    RemedyFactory,
    RemedyTypeFactory,
)

pytestmark = pytest.mark.django_db

FILTER_PARAMETERS = [
    "q",
    "remedy",
    "origin",
    "authority",
    "jurisdiction",
    "kind",
    "status",
    "company",
    "modality",
    "legal_basis",
    "year_from",
    "year_to",
    "sort",
    "page",
    "include",
    "format",
]
LIST_PAGES = ["/cases/", "/search/", "/companies/", "/datasets/", "/authorities/", "/remedies/", "/exposure/"]
DETAIL_PREFIXES = ["/cases/", "/companies/", "/remedies/", "/datasets/", "/exposure/", "/authorities/"]

# Text a reader, a script or a broken client might send: control characters and NUL, surrogates
# escaped by the client, right-to-left marks, SQL and search syntax, very long strings.
hostile_text = st.one_of(
    st.text(max_size=40),
    st.text(alphabet=st.characters(codec="utf-8"), max_size=200),
    st.sampled_from(
        [
            "\x00",
            "a\x00b",
            "' OR 1=1 --",
            '"unterminated',
            "NEAR(a b)",
            "a AND OR NOT",
            "*",
            "-",
            "\u202e",
            "%",
            "%%00",
            "9" * 40,
            "-1",
            "0",
            "1e309",
            "model-deletion",
            "ordered",
            "<script>alert(1)</script>",
            "x" * 5000,
        ]
    ),
)
params = st.lists(st.tuples(st.sampled_from(FILTER_PARAMETERS), hostile_text), max_size=8)

FUZZ = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    derandomize=True,  # the same examples every run: a failure here is reproducible, never flaky
)


@pytest.fixture
def corpus(db):
    """A little of everything, so filters have something to match and pages to render."""
    deletion = RemedyTypeFactory(slug="model-deletion")
    case = CaseFactory(slug="everalbum", authority=AuthorityFactory(slug="ftc"))
    RemedyFactory(case=case, remedy_type=deletion)
    CompanyFactory(slug="clarifai")
    DatasetFactory(slug="photos")
    ExposureListFactory(slug="voice")
    return case


def encode(pairs):
    return "&".join(f"{quote(name)}={quote(value, safe='')}" for name, value in pairs)


@FUZZ
@given(page=st.sampled_from(LIST_PAGES), pairs=params)
def test_filters_never_cause_a_server_error(client, corpus, page, pairs):
    response = client.get(page, QUERY_STRING=encode(pairs))
    assert response.status_code < 500, (page, pairs)


@FUZZ
@given(
    prefix=st.sampled_from(DETAIL_PREFIXES),
    slug=st.text(alphabet=string.ascii_letters + string.digits + "-_.~%!$'()*+,;=:@", min_size=1, max_size=300),
)
def test_detail_addresses_never_cause_a_server_error(client, corpus, prefix, slug):
    response = client.get(prefix + slug + "/")
    assert response.status_code in (200, 301, 404), (prefix, slug, response.status_code)


@pytest.mark.parametrize(
    "query",
    [
        "q=%ff%fe",  # not UTF-8
        "q=%",  # a broken escape
        "q=%zz",
        "remedy=" + "&remedy=".join(["model-deletion"] * 2000),  # a huge repeated parameter
        "q=" + "a" * 100_000,
        "page=" + "9" * 1000,
        "year_from=99999999999999999999&year_to=-5",
        "q=\x00",
        "q=%00",
    ],
    ids=lambda q: q[:30],
)
@pytest.mark.parametrize("page", ["/cases/", "/search/"])
def test_malformed_queries_get_a_page_not_an_error(client, corpus, page, query):
    response = client.get(page, QUERY_STRING=query)
    assert response.status_code in (200, 400), response.status_code


def test_oversized_body_is_refused_cleanly(client, corpus):
    """A body over the size cap is a 4xx, not a 500, wherever it is sent."""
    response = client.post("/admin/login/", {"username": "x" * 400_000, "password": "y"})
    assert 400 <= response.status_code < 500


@pytest.mark.parametrize(
    "path", ["/cases/%ff/", "/cases/%00/", "/%2e%2e/%2e%2e/etc/passwd", "/cases/" + "a" * 5000 + "/"]
)
def test_odd_paths_are_not_found(client, corpus, path):
    assert client.get(path).status_code in (400, 404)
