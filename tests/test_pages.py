"""Reader pages: the home page and the case page, what they show, what they hide, what they cost."""

from datetime import date

import pytest

from casebase.editorial.models import page_content_types
from casebase.knowledge.models import PublicationStatus
from tests import test_reader_pages as reader_pages
from tests.factories import (
    AuthorityFactory,
    CaseFactory,
    CaseRelationFactory,
    CitationFactory,
    CompanyFactory,
    DatasetFactory,
    LegalBasisFactory,
    PartyFactory,
    RemedyFactory,
    RemedyTypeFactory,
    SourceFactory,
    TimelineEventFactory,
    TrainedModelFactory,
)

pytestmark = pytest.mark.django_db

HIDDEN = [PublicationStatus.DRAFT, PublicationStatus.WITHDRAWN]

# Queries the case page costs however many rows hang off the case (CaseQuerySet.for_detail): the case with its
# authority, forum and current version (for Cite this page); its datasets, and their models with developers;
# relations both ways in one query; the case's remedies with those of related records that reach its data ("What
# happened to the data and models") in one, then their data and models; the citations of the case and of all those
# remedies in one; legal bases, parties, timeline; the page's correction notices. Content types come from Django's
# per-process cache, as on a running site.
CASE_PAGE_QUERIES = 12
# The count, the latest cases with their remedies, remedy types with counts (the model-deletion type among them);
# no model-deletion type exists here, so its cases are not fetched (tests/test_reader_pages.py pins the full page).
HOME_PAGE_QUERIES = 4


def test_home_page_lists_published_cases_only(client):
    """The front page shows published cases and nothing else."""
    CaseFactory(title="FTC v. Everalbum")
    CaseFactory(title="Draft case", status=PublicationStatus.DRAFT)
    CaseFactory(title="Withdrawn case", status=PublicationStatus.WITHDRAWN)
    response = client.get("/")
    assert response.status_code == 200
    assert "FTC v. Everalbum" in response.text
    assert "Draft case" not in response.text
    assert "Withdrawn case" not in response.text
    assert "1 case" in response.text


def test_home_page_query_count(client, django_assert_num_queries):
    """Guards against N+1 on the home page: ten cases with remedies and parties cost a fixed number of queries."""
    for _ in range(10):
        case = CaseFactory(forum=AuthorityFactory())
        RemedyFactory.create_batch(2, case=case)
        PartyFactory.create_batch(2, case=case)
    with django_assert_num_queries(HOME_PAGE_QUERIES):
        assert client.get("/").status_code == 200


def test_home_page_shows_the_first_precedents_and_counts_them_all(client):
    """However many model-deletion cases there are, the front page lists the earliest few and links to all."""
    from casebase.knowledge.views import HOME_LINEAGE_CASES

    model_deletion = RemedyTypeFactory(slug="model-deletion", name="Model deletion")
    total = HOME_LINEAGE_CASES + 3
    for year in range(2000, 2000 + total):
        RemedyFactory(
            case=CaseFactory(title=f"Precedent of {year}", started_on=date(year, 1, 1), decided_on=date(year, 6, 1)),
            remedy_type=model_deletion,
        )
    text = client.get("/").text
    lineage = text[text.index('id="lineage-heading"') :].split("</section>")[0]
    shown = [year for year in range(2000, 2000 + total) if f"Precedent of {year}" in lineage]
    assert shown == list(range(2000, 2000 + HOME_LINEAGE_CASES))  # the oldest, in order of the lineage
    assert f'The model deletion precedents <span class="count">({total})</span>' in text
    assert f"(all {total})" in text


def test_case_page_shows_the_case(client):
    """A published case answers with its facts, parties, remedies and sources."""
    case = CaseFactory(title="FTC v. Everalbum, Inc.", docket_numbers="C-4743", significance="First model deletion.")
    PartyFactory(case=case, company=CompanyFactory(name="Everalbum"))
    RemedyFactory(case=case, remedy_type=RemedyTypeFactory(name="Model deletion"), summary="Delete the models.")
    TimelineEventFactory(case=case, title="Complaint filed")
    CitationFactory(case=case, source=SourceFactory(title="Decision and order"))
    response = client.get(case.get_absolute_url())
    assert response.status_code == 200
    for text in (
        "FTC v. Everalbum, Inc.",
        "C-4743",
        "First model deletion.",
        "Everalbum",
        "Model deletion",
        "Delete the models.",
        "Complaint filed",
        "Decision and order",
    ):
        assert text in response.text


@pytest.mark.parametrize("status", HIDDEN)
def test_case_page_hides_unpublished_cases(client, status):
    """Draft and withdrawn cases answer 404."""
    case = CaseFactory(status=status)
    assert client.get(case.get_absolute_url()).status_code == 404


def test_case_page_hides_links_to_unpublished_cases(client):
    """A relation to a draft case is not shown on a published page."""
    case = CaseFactory()
    CaseRelationFactory(from_case=case, to_case=CaseFactory(title="Secret draft", status=PublicationStatus.DRAFT))
    response = client.get(case.get_absolute_url())
    assert "Secret draft" not in response.text


def add_rows(case, n):
    """Hang n more of everything the case page shows off the case."""
    case.legal_bases.add(*LegalBasisFactory.create_batch(n))
    for _ in range(n):
        dataset = DatasetFactory()
        dataset.received_by.add(CompanyFactory())
        TrainedModelFactory().datasets.add(dataset)
        case.datasets.add(dataset)
        PartyFactory(case=case)
        remedy = RemedyFactory(case=case, covers_datasets=[dataset], covers_models=[TrainedModelFactory()])
        CitationFactory(case=None, remedy=remedy)
        TimelineEventFactory(case=case)
        related = CaseRelationFactory(from_case=case).to_case
        RemedyFactory(case=related, covers_datasets=[dataset], covers_models=[TrainedModelFactory()])
        CaseRelationFactory(to_case=case)
        CitationFactory(case=case)


def test_case_page_query_count(client, django_assert_num_queries):
    """Guards against N+1 on the case page: the count stays the same as rows are added."""
    case = CaseFactory(forum=AuthorityFactory(kind="court"))
    add_rows(case, 3)
    page_content_types()
    with django_assert_num_queries(CASE_PAGE_QUERIES):
        assert client.get(case.get_absolute_url()).status_code == 200
    add_rows(case, 4)
    with django_assert_num_queries(CASE_PAGE_QUERIES):
        assert client.get(case.get_absolute_url()).status_code == 200


def test_unpublished_companies_and_authorities_are_not_named(client):
    """A draft company is not listed among a case's parties, and a draft authority not on its list row."""
    draft_authority = AuthorityFactory(name="Secret Board", short_name="", status=PublicationStatus.DRAFT)
    case = CaseFactory(title="Visible case", authority=draft_authority)
    PartyFactory(case=case, company=CompanyFactory(name="Shown Corp"))
    PartyFactory(case=case, company=CompanyFactory(name="Hidden Corp", status=PublicationStatus.DRAFT))
    page = client.get(case.get_absolute_url()).content.decode()
    assert "Shown Corp" in page and "Hidden Corp" not in page and "Secret Board" not in page
    home = client.get("/").content.decode()
    assert "Visible case" in home and "Secret Board" not in home


# Issue 8: no public page costs more than this many queries, whatever the size of the corpus.
MAX_PAGE_QUERIES = 12


def populated_case():
    case = CaseFactory(forum=AuthorityFactory(kind="court"))
    add_rows(case, 3)
    return case


def company_three_levels_deep():
    # The ownership tree is walked in the database: a deeper tree costs no more queries.
    top = CompanyFactory()
    middle = CompanyFactory(parent=top)
    bottom = CompanyFactory(parent=middle)
    for company in (top, middle, bottom):
        PartyFactory(company=company, case=populated_case())
    return top


# Each public page but home, the case list and search (pinned in their own tests), built with every relation filled.
FULL_PAGES = {
    "case_detail": lambda: populated_case().get_absolute_url(),
    "company_detail": lambda: reader_pages.build_company_detail(5),
    "company_detail_deep_tree": lambda: company_three_levels_deep().get_absolute_url(),
    "authority_detail": lambda: reader_pages.build_authority_detail(5),
    "remedytype_detail": lambda: reader_pages.build_remedytype_detail(5),
    "remedytype_detail_any_origin": lambda: reader_pages.build_remedytype_detail(5) + "?origin=any",
    "dataset_detail": lambda: reader_pages.build_dataset_detail(5),
    "exposurelist_detail": lambda: reader_pages.build_exposurelist_detail(5),
    "company_list": lambda: reader_pages.build_company_list(5),
    "authority_list": lambda: reader_pages.build_authority_list(5),
    "remedytype_list": lambda: reader_pages.build_remedytype_list(5),
    "dataset_list": lambda: reader_pages.build_dataset_list(5),
    "exposurelist_list": lambda: reader_pages.build_exposurelist_list(5),
    "stats": lambda: populated_case() and "/stats/",
    "compare": lambda: f"/compare/?case={populated_case().slug}&case={populated_case().slug}",
    "api_case_list": lambda: populated_case() and "/api/v1/cases/",
    "api_case_detail": lambda: f"/api/v1/cases/{populated_case().slug}/",
    "case_feed": lambda: populated_case() and "/cases/feed.atom",
    "company_feed": lambda: company_three_levels_deep().get_absolute_url() + "feed.atom",
    "remedytype_feed": lambda: reader_pages.build_remedytype_detail(5) + "feed.atom",
}


@pytest.mark.parametrize("build", FULL_PAGES.values(), ids=FULL_PAGES.keys())
def test_no_public_page_costs_more_than_twelve_queries(client, django_assert_max_num_queries, build):
    """Issue 8's ceiling on every page, with every relation the page shows filled several times over."""
    url = build()
    page_content_types()  # Django caches content types: a running site has them
    with django_assert_max_num_queries(MAX_PAGE_QUERIES):
        assert client.get(url).status_code == 200
