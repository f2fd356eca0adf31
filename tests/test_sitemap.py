"""sitemap.xml and robots.txt: every published page with its last change, nothing a reader may not see."""

import xml.etree.ElementTree as ET

import pytest

from casebase.knowledge.models import PublicationStatus
from tests.factories import (
    AuthorityFactory,
    CaseFactory,
    CompanyFactory,
    DatasetFactory,
    ExposureListFactory,
    RemedyTypeFactory,
)

pytestmark = pytest.mark.django_db

NS = {"sm": "http://www.sitemaps.org/schemas/sitemap/0.9"}
FACTORIES = [CaseFactory, CompanyFactory, AuthorityFactory, RemedyTypeFactory, DatasetFactory, ExposureListFactory]
LIST_PAGES = ["/", "/cases/", "/companies/", "/authorities/", "/remedies/", "/datasets/", "/exposure/"]


def sitemap_entries(client):
    """{absolute URL: lastmod or None} from /sitemap.xml."""
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/xml")
    root = ET.fromstring(response.content)
    return {
        url.findtext("sm:loc", namespaces=NS): url.findtext("sm:lastmod", namespaces=NS)
        for url in root.findall("sm:url", NS)
    }


def test_sitemap_lists_the_front_lists_and_about_pages(client):
    """The front page, every list and the pages about the site are in the sitemap."""
    entries = sitemap_entries(client)
    for path in [*LIST_PAGES, "/about/", "/methodology/"]:
        assert f"http://testserver{path}" in entries


@pytest.mark.parametrize("factory", FACTORIES, ids=lambda f: f._meta.model.__name__)
def test_sitemap_lists_published_pages_with_their_last_change(client, factory):
    """Each published record is listed at its own page with lastmod from updated_at."""
    record = factory()
    entries = sitemap_entries(client)
    url = f"http://testserver{record.get_absolute_url()}"
    assert entries[url] == record.updated_at.date().isoformat()


@pytest.mark.parametrize("status", [PublicationStatus.DRAFT, PublicationStatus.WITHDRAWN])
@pytest.mark.parametrize("factory", FACTORIES, ids=lambda f: f._meta.model.__name__)
def test_sitemap_leaves_out_drafts_and_withdrawn(client, factory, status):
    """No draft or withdrawn record has a sitemap entry."""
    hidden = factory(status=status)
    entries = sitemap_entries(client)
    assert not any(url.endswith(hidden.get_absolute_url()) for url in entries)


def test_sitemap_query_count(client, django_assert_num_queries):
    """Guards against N+1: per kind of page, the paginator's count and one page of records, however many there are."""
    for factory in FACTORIES:
        factory.create_batch(5)
    with django_assert_num_queries(2 * len(FACTORIES)):
        sitemap_entries(client)


def test_robots_txt_allows_all_but_admin_and_desk_and_points_at_the_sitemap(client):
    """robots.txt is plain text, keeps crawlers out of the admin and the desk, and gives the absolute sitemap URL."""
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    lines = response.content.decode().splitlines()
    assert lines[0] == "User-agent: *"
    assert "Disallow: /admin/" in lines and "Disallow: /desk/" in lines
    assert "Disallow: /" not in lines
    assert "Sitemap: http://testserver/sitemap.xml" in lines
