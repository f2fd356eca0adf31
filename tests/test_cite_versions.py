"""Versioned permalinks: /cases/<slug>/v/<history_id>/ shows the page as it was then, with a banner linking to the
current page; versions saved as drafts or withdrawn, and pages no longer published, are never served."""

import pytest

from casebase.knowledge.models import PublicationStatus, RelationKind
from tests.factories import (
    CaseFactory,
    CaseRelationFactory,
    CitationFactory,
    CompanyFactory,
    PartyFactory,
    RemedyFactory,
    SourceFactory,
    TimelineEventFactory,
)

pytestmark = pytest.mark.django_db

# A case as it was: the case and its version with the next one (2), authority and court (1), then remedies,
# parties, timeline, related cases and sources as they stood (5). The citation block cites this version: no query.
VERSION_QUERIES = 8


def latest_id(page):
    return page.history.order_by("-history_id").first().history_id


@pytest.fixture
def case():
    case = CaseFactory(slug="everalbum", title="Old title", summary="What it said first.")
    RemedyFactory(case=case, summary="Delete the photos.")
    PartyFactory(case=case, company=CompanyFactory(name="Everalbum Inc."))
    TimelineEventFactory(case=case, title="Complaint filed")
    CitationFactory(case=case, source=SourceFactory(title="The order"))
    CaseRelationFactory(from_case=case, to_case=CaseFactory(title="An earlier case"), kind=RelationKind.FOLLOWS)
    # An edit through the admin saves the case, then what hangs off it.
    case.refresh_from_db()
    case.save()
    return case


def test_an_earlier_version_shows_the_page_as_it_was(client, case, django_assert_num_queries):
    then = latest_id(case)
    remedy = case.remedies.get()
    case.title = "New title"
    case.summary = "What it says now."
    case.save()
    remedy.summary = "Delete the photos and the models."
    remedy.save()
    with django_assert_num_queries(VERSION_QUERIES):  # guards against a query per remedy, party or event
        response = client.get(f"/cases/everalbum/v/{then}/")
    html = response.text
    assert response.status_code == 200
    assert "Old title" in html and "What it said first." in html
    assert "Delete the photos." in html and "the models" not in html
    assert "Everalbum Inc." in html and "Complaint filed" in html and "The order" in html
    assert "Follows precedent of" in html and "An earlier case" in html
    assert "You are reading an earlier version of this page." in html
    assert 'href="/cases/everalbum/">Read the current version of this page</a>' in html
    assert '<meta name="robots" content="noindex">' in html
    assert f"/cases/everalbum/v/{then}/" in html  # the citation block cites this version
    assert " style=" not in html

    now = client.get(f"/cases/everalbum/v/{latest_id(case)}/").text
    assert "New title" in now and "the models" in now
    assert "This is the current version of this page" in now


def test_relations_and_parties_hide_what_is_not_published(client, case):
    other = case.relations_out.get().to_case
    other.status = PublicationStatus.WITHDRAWN
    other.save()
    company = case.parties.get().company
    company.status = PublicationStatus.DRAFT
    company.save()
    html = client.get(f"/cases/everalbum/v/{latest_id(case)}/").text
    assert "An earlier case" not in html and "Everalbum Inc." not in html


def test_draft_and_withdrawn_versions_are_never_served(client, case):
    case.status = PublicationStatus.DRAFT
    case.title = "Draft title"
    case.save()
    draft = latest_id(case)
    case.status = PublicationStatus.WITHDRAWN
    case.save()
    withdrawn = latest_id(case)
    case.status = PublicationStatus.PUBLISHED
    case.title = "Published again"
    case.save()
    assert client.get(f"/cases/everalbum/v/{draft}/").status_code == 404
    assert client.get(f"/cases/everalbum/v/{withdrawn}/").status_code == 404
    assert client.get(f"/cases/everalbum/v/{latest_id(case)}/").status_code == 200


def test_no_version_of_a_page_that_is_not_published_now(client, case):
    then = latest_id(case)
    case.status = PublicationStatus.WITHDRAWN
    case.save()
    assert client.get(f"/cases/everalbum/v/{then}/").status_code == 404


@pytest.mark.parametrize(
    "path",
    [
        "/cases/everalbum/v/{other}/",  # another page's version
        "/cases/everalbum/v/999999999/",
        "/cases/everalbum/v/999999999999999999/",
        "/cases/nope/v/{mine}/",
        "/companies/everalbum/v/{mine}/",  # the right number under the wrong kind
        "/desk/everalbum/v/{mine}/",
        "/cases/everalbum/v/abc/",
        "/cases/everalbum/v/-1/",
    ],
)
def test_other_addresses_are_not_found(client, case, path):
    other = CaseFactory(slug="other")
    url = path.format(other=latest_id(other), mine=latest_id(case))
    assert client.get(url).status_code == 404


def test_a_company_version_shows_its_own_text(client):
    company = CompanyFactory(slug="acme", name="Acme", description="Makes **anvils**.")
    then = latest_id(company)
    company.description = "Makes rockets."
    company.save()
    html = client.get(f"/companies/acme/v/{then}/").text
    assert "<strong>anvils</strong>" in html and "rockets" not in html
    assert 'href="/companies/acme/">Read the current version of this page</a>' in html
