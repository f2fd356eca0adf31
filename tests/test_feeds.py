"""Atom feeds: any filtered case list, a company's cases, a remedy type's cases; each parsed with feedparser."""

import feedparser
import pytest
from django.urls import reverse

from casebase.knowledge.feeds import FEED_SIZE
from casebase.knowledge.models import PublicationStatus, RemedyOrigin
from tests import test_filters as filter_tests
from tests.factories import CaseFactory, CompanyFactory, PartyFactory, RemedyFactory, RemedyTypeFactory
from tests.test_exports import (
    COMBINED_SCENARIOS,
    FILTER_SCENARIOS,
    ORIGIN_SCENARIOS,
    html_list_titles,
    letters,
    list_titles,
)

pytestmark = pytest.mark.django_db

FEED_URL = reverse("knowledge:case_list_feed")


def parse(response):
    """The feed as a feed reader sees it; fails on anything feedparser finds malformed."""
    assert response.status_code == 200
    assert response["Content-Type"] == "application/atom+xml; charset=utf-8"
    feed = feedparser.parse(response.content)
    assert not feed.bozo, feed.get("bozo_exception")
    assert feed.version == "atom10"
    return feed


def feed_titles(client, url):
    return [entry.title for entry in parse(client.get(url)).entries]


# --- The same set as the HTML list ---------------------------------------------------------------------------


def test_feed_holds_the_list_cases_for_every_filter_scenario(client):
    filter_tests.make_cases()
    for query, expected in FILTER_SCENARIOS:
        shown = list_titles(query)
        assert letters(shown) == set(expected), query
        assert sorted(feed_titles(client, f"{FEED_URL}?{query}")) == sorted(shown), query


def test_feed_holds_the_list_cases_for_every_origin_scenario(client):
    filter_tests.make_origin_cases()
    for query, expected in ORIGIN_SCENARIOS:
        shown = list_titles(query)
        assert letters(shown) == set(expected), query
        assert sorted(feed_titles(client, f"{FEED_URL}?{query}")) == sorted(shown), query


def test_feed_matches_the_rendered_list_page(client):
    filter_tests.make_cases()
    for query, expected in COMBINED_SCENARIOS:
        shown = html_list_titles(client, query)
        assert letters(shown) == set(expected), query
        assert sorted(feed_titles(client, f"{FEED_URL}?{query}")) == sorted(shown), query


def test_newest_additions_come_first_and_the_feed_is_capped(client):
    """A feed reader wants what is new on the site, whatever the cases' own dates."""
    CaseFactory.create_batch(FEED_SIZE + 2)
    newest = CaseFactory(title="Added last", decided_on=None, decided_on_precision="", started_on=None,
                         started_on_precision="")  # fmt: skip
    entries = parse(client.get(FEED_URL)).entries
    assert len(entries) == FEED_SIZE
    assert entries[0].title == newest.title


# --- What a feed says ---------------------------------------------------------------------------------------


def test_feed_names_its_filters_and_links_back_to_the_list(client):
    w = filter_tests.make_cases()
    feed = parse(client.get(f"{FEED_URL}?remedy=model-deletion&kind=bogus&sort=oldest"))
    assert feed.feed.title == "casebase: cases with remedy: model or algorithm deletion"
    links = {link.rel: link.href for link in feed.feed.links}
    assert links["alternate"] == "http://testserver/cases/?remedy=model-deletion&sort=oldest"
    assert links["self"] == "http://testserver/cases/feed.atom?remedy=model-deletion"  # the sort changes nothing here
    entry = next(entry for entry in feed.entries if entry.title == w.a.title)
    assert entry.link == f"http://testserver{w.a.get_absolute_url()}"
    assert entry.id == entry.link
    assert {tag.term for tag in entry.tags} == {"Model or algorithm deletion", "Civil penalty or fine"}
    assert "5,000,000.00 USD" in entry.summary
    assert w.a.summary in entry.summary
    assert entry.updated and entry.published


def test_a_feed_without_filters_follows_every_case(client):
    filter_tests.make_cases()
    feed = parse(client.get(FEED_URL))
    assert feed.feed.title == "casebase: all cases"
    assert letters(entry.title for entry in feed.entries) == set("ABCDE")


def test_remedies_that_do_not_bind_are_labelled(client):
    case = CaseFactory()
    RemedyFactory(case=case, remedy_type=RemedyTypeFactory(name="Model deletion"), origin=RemedyOrigin.SOUGHT)
    (entry,) = parse(client.get(FEED_URL)).entries
    assert "Model deletion (sought by a plaintiff)" in entry.summary


# --- Per company and per remedy type ---------------------------------------------------------------------------


def test_company_feed_holds_its_cases_and_its_subsidiaries(client):
    w = filter_tests.make_cases()
    url = reverse("knowledge:company_case_feed", args=[w.parent.slug])
    assert url == "/companies/parent-co/feed.atom"
    feed = parse(client.get(url))
    assert letters(entry.title for entry in feed.entries) == set("ABD")  # not the draft F
    assert letters(entry.title for entry in feed.entries) == letters(html_list_titles(client, "company=parent-co"))
    links = {link.rel: link.href for link in feed.feed.links}
    assert links["alternate"] == "http://testserver/companies/parent-co/"
    assert "Parent Co" in feed.feed.title


def test_company_feed_takes_further_filters(client):
    w = filter_tests.make_cases()
    url = reverse("knowledge:company_case_feed", args=[w.parent.slug]) + "?remedy=civil-penalty&company=other-co"
    feed = parse(client.get(url))
    assert letters(entry.title for entry in feed.entries) == set("AB")  # the address's company wins
    links = {link.rel: link.href for link in feed.feed.links}
    assert links["self"] == "http://testserver/companies/parent-co/feed.atom?remedy=civil-penalty"


def test_remedy_type_feed_holds_the_cases_it_binds(client):
    filter_tests.make_cases()
    url = reverse("knowledge:remedytype_case_feed", args=["data-deletion"])
    assert url == "/remedies/data-deletion/feed.atom"
    feed = parse(client.get(url))
    assert letters(entry.title for entry in feed.entries) == set("BC")  # D's data deletion is only sought
    widened = parse(client.get(url + "?origin=any"))
    assert letters(entry.title for entry in widened.entries) == set("BCD")
    assert feed.feed.title == "casebase: cases with remedy: data deletion"
    links = {link.rel: link.href for link in feed.feed.links}
    assert links["alternate"] == "http://testserver/remedies/data-deletion/"


@pytest.mark.parametrize(
    "name, slug",
    [
        ("knowledge:company_case_feed", "draft-co"),
        ("knowledge:company_case_feed", "no-such-company"),
        ("knowledge:remedytype_case_feed", "secret-remedy"),
        ("knowledge:remedytype_case_feed", "no-such-remedy"),
    ],
)
def test_feeds_of_drafts_and_unknown_pages_are_not_found(client, name, slug):
    CompanyFactory(slug="draft-co", status=PublicationStatus.DRAFT)
    RemedyTypeFactory(slug="secret-remedy", status=PublicationStatus.DRAFT)
    assert client.get(reverse(name, args=[slug])).status_code == 404


def test_drafts_never_appear_in_a_feed(client):
    w = filter_tests.make_cases()
    PartyFactory(case=w.f, company=w.other)
    for url in (
        FEED_URL,
        f"{FEED_URL}?authority=garante",
        reverse("knowledge:company_case_feed", args=["other-co"]),
        reverse("knowledge:remedytype_case_feed", args=["model-deletion"]),
    ):
        text = client.get(url).content.decode()
        assert "Foxtrot" not in text and "Golf" not in text, url
    echo = client.get(reverse("knowledge:company_case_feed", args=["other-co"])).content.decode()
    assert "Secret remedy" not in echo  # Echo's remedy of a draft type


# --- Cost and methods ----------------------------------------------------------------------------------------

# The cases and one prefetch of their remedies with their types, however many cases there are (no N+1).
FEED_QUERIES = 2


@pytest.mark.parametrize("cases", [2, 8])
def test_feed_query_count_does_not_grow_with_the_cases(client, django_assert_num_queries, cases):
    for _ in range(cases):
        RemedyFactory(case=CaseFactory())
    with django_assert_num_queries(FEED_QUERIES):
        client.get(FEED_URL)


def test_company_feed_query_count(client, django_assert_num_queries):
    w = filter_tests.make_cases()
    # The company from the address, then the filter's own check of it, one walk per level of the ownership tree
    # (child, grandchild, and the empty level below), then the cases and their remedies.
    with django_assert_num_queries(1 + 1 + 3 + FEED_QUERIES):
        client.get(reverse("knowledge:company_case_feed", args=[w.parent.slug]))


def test_feeds_only_read(client):
    assert client.post(FEED_URL).status_code == 405


def test_feed_link_partial_advertises_the_feed():
    from django.template.loader import render_to_string

    html = render_to_string("includes/_feed_link.html", {"href": "/cases/feed.atom?remedy=a&kind=b", "title": "Cases"})
    assert html.strip() == (
        '<link rel="alternate" type="application/atom+xml" title="Cases" href="/cases/feed.atom?remedy=a&amp;kind=b">'
    )
