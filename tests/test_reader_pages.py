"""Reader pages: companies, authorities, remedy lineages, datasets, exposure lists, about, errors, the case page's head.

What each page shows, what it hides (drafts and withdrawn records, on the page and in its related lists) and
what it costs in queries.
"""

import datetime
import json
import re

import pytest
from django.template import loader
from django.urls import path

from casebase.editorial.models import page_content_types
from casebase.knowledge.models import (
    AuthorityKind,
    CaseStatus,
    ExposureEntryStatus,
    ExposureLevel,
    PartyRole,
    PublicationStatus,
    RemedyOrigin,
    RemedyStatus,
    TrainedModelStatus,
)
from tests.factories import (
    AuthorityFactory,
    CaseFactory,
    CitationFactory,
    CompanyFactory,
    DatasetFactory,
    ExposureEntryFactory,
    ExposureListFactory,
    PartyFactory,
    RemedyFactory,
    RemedyTypeFactory,
    SourceFactory,
    TrainedModelFactory,
)

pytestmark = pytest.mark.django_db

HIDDEN = [PublicationStatus.DRAFT, PublicationStatus.WITHDRAWN]
DRAFT, WITHDRAWN, PUBLISHED = PublicationStatus.DRAFT, PublicationStatus.WITHDRAWN, PublicationStatus.PUBLISHED


def day(year, month=1, dd=1):
    return datetime.date(year, month, dd)


def text_of(response):
    assert response.status_code == 200, response.status_code
    return response.text


# ---------------------------------------------------------------------------
# Home
# ---------------------------------------------------------------------------


def test_home_shows_latest_cases_the_model_deletion_line_remedy_counts_and_search(client):
    """The front page: latest cases, the model-deletion precedents oldest first, remedy types with counts, search."""
    deletion = RemedyTypeFactory(slug="model-deletion", name="Model or algorithm deletion")
    penalty = RemedyTypeFactory(name="Civil penalty or fine")
    RemedyTypeFactory(name="Unused remedy")
    older = CaseFactory(title="In the Matter of Everalbum", decided_on=day(2021, 5, 7), significance="Second step.")
    oldest = CaseFactory(
        title="In the Matter of Cambridge Analytica", started_on=day(2019), decided_on=day(2019, 12, 6)
    )
    sought = CaseFactory(title="NYT v. Microsoft", decided_on=None, started_on=day(2023, 12, 27))
    RemedyFactory(case=older, remedy_type=deletion, origin=RemedyOrigin.AGREED)
    RemedyFactory(case=oldest, remedy_type=deletion, origin=RemedyOrigin.ORDERED)
    RemedyFactory(case=sought, remedy_type=deletion, origin=RemedyOrigin.SOUGHT, status=RemedyStatus.SOUGHT)
    RemedyFactory(case=oldest, remedy_type=penalty)
    draft = CaseFactory(title="Secret draft case", status=DRAFT)
    RemedyFactory(case=draft, remedy_type=deletion)

    page = text_of(client.get("/"))

    assert 'action="/search/"' in page and 'name="q"' in page
    assert 'href="/cases/"' in page and "Browse all 3 cases" in page
    lineage = page[page.index('id="lineage-heading"') :]
    assert lineage.index("Cambridge Analytica") < lineage.index("Everalbum")
    assert "Second step." in lineage
    assert "NYT v. Microsoft" not in lineage  # only sought: not on the line of imposed remedies
    # Cases in which it binds: Cambridge Analytica and Everalbum, not the one where it was only sought.
    assert re.search(r"Model or algorithm deletion</a></th><td class=\"num\">2</td>", page)
    assert re.search(r"Civil penalty or fine</a></th><td class=\"num\">1</td>", page)
    assert "Unused remedy" not in page
    assert "Secret draft case" not in page


# ---------------------------------------------------------------------------
# Companies
# ---------------------------------------------------------------------------


def test_company_list_is_alphabetical_with_rolled_up_counts(client):
    """Companies A to Z; a parent's count includes its subsidiaries' and grandchildren's published cases."""
    parent = CompanyFactory(name="Amazon")
    child = CompanyFactory(name="Ring", parent=parent)
    grandchild = CompanyFactory(name="Ring Labs", parent=child)
    CompanyFactory(name="Zeta")
    CompanyFactory(name="Draft Co", status=DRAFT)
    PartyFactory(company=parent)
    PartyFactory(company=grandchild)
    PartyFactory(company=grandchild, case=CaseFactory(status=DRAFT))

    page = text_of(client.get("/companies/"))

    assert page.index(">Amazon<") < page.index(">Ring<") < page.index(">Ring Labs<") < page.index(">Zeta<")
    assert re.search(r">Amazon</a></th>.*?<td [^>]*class=\"num\">2</td>", page, re.S)
    assert re.search(r">Ring</a></th>.*?<td [^>]*class=\"num\">1</td>", page, re.S)
    assert "Draft Co" not in page


def test_company_page_rolls_up_a_grandchild_subsidiarys_case_with_its_role(client):
    """A parent's page lists the cases of every company below it, saying which company the case names."""
    parent = CompanyFactory(name="Amazon", aliases="Amazon.com\nAlexa", legal_name="Amazon.com, Inc.")
    child = CompanyFactory(name="Ring", parent=parent)
    grandchild = CompanyFactory(name="Ring Labs", parent=child)
    PartyFactory(company=grandchild, case=CaseFactory(title="FTC v. Ring Labs"), role=PartyRole.RESPONDENT)
    PartyFactory(company=parent, case=CaseFactory(title="US v. Amazon"), role=PartyRole.RESPONDENT)

    page = text_of(client.get(parent.get_absolute_url()))

    assert "FTC v. Ring Labs" in page and "US v. Amazon" in page
    assert "(as Ring Labs)" in page
    assert "Amazon.com, Alexa" in page and "Amazon.com, Inc." in page
    assert ">Ring</a>" in page  # its subsidiary
    child_page = text_of(client.get(child.get_absolute_url()))
    assert ">Amazon</a>" in child_page  # its parent
    assert "FTC v. Ring Labs" in child_page and "US v. Amazon" not in child_page


def test_company_page_shows_data_models_and_careful_exposure_wording(client):
    """Datasets it collected and received, models it developed with their status, exposure entries as allegations."""
    company = CompanyFactory(name="Everalbum")
    DatasetFactory(name="Ever users' photos", collected_by=company)
    DatasetFactory(name="Bought photos").received_by.add(company)
    TrainedModelFactory(name="Paravision face model", developer=company, status=TrainedModelStatus.ORDERED_DELETED)
    ExposureEntryFactory(
        company=company, exposure_list=ExposureListFactory(title="Face models"), status=ExposureEntryStatus.ALLEGED
    )

    page = text_of(client.get(company.get_absolute_url()))

    for text in ("Ever users&#x27; photos", "Bought photos", "Paravision face model", "ordered deleted", "Face models"):
        assert text in page
    assert "Alleged in a pending case" in page
    assert "alleged or potential exposure" in page and "not findings" in page


def test_company_page_lists_no_draft_or_withdrawn_records(client):
    """Draft cases, datasets and subsidiaries and withdrawn exposure lists stay off a published company's page."""
    company = CompanyFactory()
    PartyFactory(company=company, case=CaseFactory(title="Draft case", status=DRAFT))
    PartyFactory(company=company, case=CaseFactory(title="Withdrawn case", status=WITHDRAWN))
    DatasetFactory(name="Draft dataset", collected_by=company, status=DRAFT)
    DatasetFactory(name="Withdrawn dataset", status=WITHDRAWN).received_by.add(company)
    CompanyFactory(name="Draft subsidiary", parent=company, status=DRAFT)
    ExposureEntryFactory(company=company, exposure_list=ExposureListFactory(title="Withdrawn list", status=WITHDRAWN))

    page = text_of(client.get(company.get_absolute_url()))

    for hidden in ("Draft case", "Withdrawn case", "Draft dataset", "Withdrawn dataset", "Draft subsidiary"):
        assert hidden not in page
    assert "Withdrawn list" not in page
    assert "No published cases name" in page


# ---------------------------------------------------------------------------
# Authorities
# ---------------------------------------------------------------------------


def test_authority_list_groups_by_kind_with_counts(client):
    """Authorities grouped by kind, each with published cases brought and heard."""
    ftc = AuthorityFactory(name="Federal Trade Commission", kind=AuthorityKind.REGULATOR)
    court = AuthorityFactory(name="N.D. Cal.", kind=AuthorityKind.COURT)
    CaseFactory.create_batch(2, authority=ftc, forum=court)
    CaseFactory(authority=ftc, status=DRAFT)
    AuthorityFactory(name="Draft authority", status=DRAFT)

    page = text_of(client.get("/authorities/"))

    regulators, courts = page.index(">Regulator</h2>"), page.index(">Court or tribunal</h2>")
    assert regulators < page.index("Federal Trade Commission") < courts
    assert re.search(r"Federal Trade Commission</a>.*?<td class=\"num\">2</td>\s*<td class=\"num\">0</td>", page, re.S)
    assert re.search(r"N.D. Cal.</a>.*?<td class=\"num\">0</td>\s*<td class=\"num\">2</td>", page, re.S)
    assert "Draft authority" not in page


def test_authority_page_lists_cases_brought_and_heard(client):
    """A court's page lists the cases it heard; a regulator's those it brought; drafts on neither."""
    ftc = AuthorityFactory(name="Federal Trade Commission")
    court = AuthorityFactory(name="N.D. Cal.", kind=AuthorityKind.COURT)
    CaseFactory(title="FTC v. Acme", authority=ftc, forum=court)
    CaseFactory(title="Authors v. Acme", authority=None, forum=court, kind="private_action")
    CaseFactory(title="Draft v. Acme", authority=None, forum=court, status=DRAFT)

    ftc_page = text_of(client.get(ftc.get_absolute_url()))
    court_page = text_of(client.get(court.get_absolute_url()))

    assert "FTC v. Acme" in ftc_page and "Authors v. Acme" not in ftc_page
    assert "Cases it heard as the court" in court_page
    assert "FTC v. Acme" in court_page and "Authors v. Acme" in court_page
    assert "Draft v. Acme" not in court_page


# ---------------------------------------------------------------------------
# Remedy types and their lineage
# ---------------------------------------------------------------------------


def test_remedytype_list_shows_definitions_and_counts(client):
    """Each remedy type with its definition, the cases in which it binds, and those in which it was only sought."""
    deletion = RemedyTypeFactory(name="Model deletion", definition="Delete the *model*.")
    RemedyFactory(remedy_type=deletion, origin=RemedyOrigin.ORDERED)
    RemedyFactory(remedy_type=deletion, origin=RemedyOrigin.SOUGHT)
    RemedyFactory(remedy_type=deletion, case=CaseFactory(status=DRAFT))
    RemedyTypeFactory(name="Draft remedy", status=DRAFT)

    page = text_of(client.get("/remedies/"))

    assert "Delete the <em>model</em>." in page
    binds = r'<span class="num">1</span> case in which it binds'
    assert re.search(binds + r'\s*· <span class="num">1</span> more only proposed, volunteered or sought', page)
    assert "Draft remedy" not in page


def test_remedy_lineage_is_in_date_order_with_the_first_imposed_case_marked(client):
    """Oldest key date first (decided, else started); binding remedies only unless asked; the first one is marked."""
    remedy_type = RemedyTypeFactory(name="Model deletion")
    sought = CaseFactory(title="Plaintiff v. Early", decided_on=None, started_on=day(2017))
    first = CaseFactory(title="FTC v. First", started_on=day(2018), decided_on=day(2019, 12, 6))
    pending = CaseFactory(title="FTC v. Pending", decided_on=None, started_on=day(2020, 3, 1))
    later = CaseFactory(title="FTC v. Later", started_on=day(2020), decided_on=day(2021, 5, 7))
    RemedyFactory(case=later, remedy_type=remedy_type, origin=RemedyOrigin.AGREED, summary="Later deletion.")
    RemedyFactory(case=pending, remedy_type=remedy_type, origin=RemedyOrigin.PROPOSED)
    RemedyFactory(case=first, remedy_type=remedy_type, origin=RemedyOrigin.ORDERED)
    RemedyFactory(
        case=sought,
        remedy_type=remedy_type,
        origin=RemedyOrigin.SOUGHT,
        status=RemedyStatus.SOUGHT,
        amount=5_000_000,
        currency="USD",
    )
    RemedyFactory(case=first, remedy_type=RemedyTypeFactory(name="Civil penalty"))  # another type: not listed

    binding = text_of(client.get(remedy_type.get_absolute_url()))
    page = text_of(client.get(remedy_type.get_absolute_url(), {"origin": "any"}))

    assert binding.index("FTC v. First") < binding.index("FTC v. Later")
    assert "Plaintiff v. Early" not in binding and "FTC v. Pending" not in binding
    assert "2</span> published cases in which this remedy binds the company" in binding
    assert "2</span> more cases in which it was only proposed, volunteered or sought" in binding
    assert f'href="{remedy_type.get_absolute_url()}?origin=any"' in binding
    titles = ["Plaintiff v. Early", "FTC v. First", "FTC v. Pending", "FTC v. Later"]
    positions = [page.index(title) for title in titles]
    assert positions == sorted(positions)
    assert page.count("First case in casebase to impose this remedy") == 1
    mark = page.index("First case in casebase to impose this remedy")
    assert positions[0] < mark < positions[1]
    assert "Sought by a plaintiff" in page and "Agreed in settlement" in page and "Proposed" in page
    assert "$5,000,000" in page
    assert "Civil penalty" not in page.split('id="lineage-heading"')[1]
    assert "2</span> cases in which it was only proposed, volunteered or sought" in page
    assert "Show only the cases in which it binds" in page


def test_remedy_lineage_hides_draft_cases_and_draft_datasets(client):
    """A draft case is not in the lineage, and cannot take the first-case mark."""
    remedy_type = RemedyTypeFactory()
    RemedyFactory(
        case=CaseFactory(title="Draft first", started_on=day(2010), decided_on=day(2010), status=DRAFT),
        remedy_type=remedy_type,
    )
    published = CaseFactory(title="Published later", decided_on=day(2020))
    RemedyFactory(
        case=published, remedy_type=remedy_type, covers_datasets=[DatasetFactory(name="Draft data", status=DRAFT)]
    )

    page = text_of(client.get(remedy_type.get_absolute_url()))

    assert "Draft first" not in page and "Draft data" not in page
    assert page.index("First case in casebase to impose this remedy") < page.index("Published later")


# ---------------------------------------------------------------------------
# Datasets
# ---------------------------------------------------------------------------


def test_dataset_list_shows_kind_size_collector_and_counts(client):
    """Every published dataset with its modality, size, collector and published cases."""
    dataset = DatasetFactory(name="Ever photos", size_value=3_000_000, size_unit="photos")
    CaseFactory(datasets=[dataset])
    CaseFactory(datasets=[dataset], status=DRAFT)
    DatasetFactory(name="Draft data", status=DRAFT)

    page = text_of(client.get("/datasets/"))

    assert "Ever photos" in page and "Face images" in page and "~3,000,000 photos" in page
    assert re.search(r"Ever photos</a></th>.*?<td [^>]*class=\"num\">1</td>", page, re.S)
    assert "Draft data" not in page


def test_dataset_page_sets_consent_terms_next_to_actual_use(client):
    """The consent gap: what people were told and what it was used for, side by side in one block."""
    dataset = DatasetFactory(consent_terms="Told the photos stay private.", actual_use="Trained a face model.")

    page = text_of(client.get(dataset.get_absolute_url()))

    block = re.search(r'<div class="consent-gap">(.*?)</section>', page, re.S).group(1)
    told, used = block.index("What people were told"), block.index("What it was actually used for")
    assert told < block.index("Told the photos stay private.") < used < block.index("Trained a face model.")


def test_dataset_page_shows_key_data_models_remedies_cases_and_sources(client):
    """Key data, models with status, the remedies that reached it with their cases, the cases, the sources."""
    collector = CompanyFactory(name="Everalbum")
    dataset = DatasetFactory(collected_by=collector, collected_from="App users.", size_value=None, size_note="Millions")
    dataset.received_by.add(CompanyFactory(name="Paravision"), CompanyFactory(name="Draft buyer", status=DRAFT))
    TrainedModelFactory(name="Face model", status=TrainedModelStatus.DELETION_CERTIFIED).datasets.add(dataset)
    case = CaseFactory(title="FTC v. Everalbum", datasets=[dataset])
    RemedyFactory(case=case, covers_datasets=[dataset], remedy_type=RemedyTypeFactory(name="Model deletion"))
    RemedyFactory(case=CaseFactory(title="Draft case", status=DRAFT), covers_datasets=[dataset])
    CitationFactory(case=None, dataset=dataset, source=SourceFactory(title="The complaint"))

    page = text_of(client.get(dataset.get_absolute_url()))

    for text in ("Key data", "Everalbum", "App users.", "Millions", "Paravision", "Face model", "Deletion certified"):
        assert text in page
    reach = page[page.index('id="remedies-heading"') : page.index('id="cases-heading"')]
    assert "Model deletion" in reach and "FTC v. Everalbum" in page and "The complaint" in page
    assert "Draft case" not in page and "Draft buyer" not in page


# ---------------------------------------------------------------------------
# Exposure lists
# ---------------------------------------------------------------------------


def test_exposure_list_index_hides_withdrawn_lists(client):
    """The index shows published lists with their entry counts and precedents, with the careful-wording note."""
    precedent = CaseFactory(short_title="Everalbum (FTC)")
    exposure_list = ExposureListFactory(title="Voice cloning", precedents=[precedent])
    ExposureEntryFactory.create_batch(2, exposure_list=exposure_list)
    ExposureListFactory(title="Withdrawn list", status=WITHDRAWN)

    page = text_of(client.get("/exposure/"))

    assert "Voice cloning" in page and "Everalbum (FTC)" in page
    assert re.search(r'Companies listed <span class="count">\(2\)</span></dt>', page)
    assert "alleged or potential" in page and "not findings" in page
    assert "Withdrawn list" not in page


def test_exposure_page_words_entries_as_alleged_or_potential(client):
    """A visible note that entries are not findings, status labels, and a table with caption and scope."""
    exposure_list = ExposureListFactory(title="Voice cloning trained on narrow consent", criteria="Sells voices.")
    pending = CaseFactory(title="Lehrman v. Lovo", short_title="Lehrman v. Lovo", case_status=CaseStatus.PENDING_TRIAL)
    alleged = ExposureEntryFactory(
        exposure_list=exposure_list,
        company=CompanyFactory(name="Lovo"),
        status=ExposureEntryStatus.ALLEGED,
        level=ExposureLevel.HIGH,
        rationale="Actors say they were told *internal research only*.",
        last_reviewed=day(2026, 11, 27),
    )
    alleged.related_cases.add(pending, CaseFactory(title="Draft related", short_title="Draft related", status=DRAFT))
    ExposureEntryFactory(exposure_list=exposure_list, company=CompanyFactory(name="ElevenLabs"))
    ExposureEntryFactory(exposure_list=exposure_list, company=CompanyFactory(name="Hidden Co", status=DRAFT))

    page = text_of(client.get(exposure_list.get_absolute_url()))

    assert "Alleged or potential exposure, not findings." in page
    assert "Alleged in a pending case" in page and "Potential exposure" in page
    assert "<caption" in page and '<th scope="row" role="rowheader">' in page
    assert '<th scope="col" role="columnheader">Company</th>' in page
    assert "<em>internal research only</em>" in page and "High" in page and "27 Nov 2026" in page
    assert "Lehrman v. Lovo" in page and "Sells voices." in page
    assert page.index(">ElevenLabs<") < page.index(">Lovo<")
    assert "Draft related" not in page and "Hidden Co" not in page
    assert "2 companies that may face this exposure" in page


# ---------------------------------------------------------------------------
# Unpublished pages, errors, static pages
# ---------------------------------------------------------------------------

DETAIL_FACTORIES = [AuthorityFactory, CompanyFactory, RemedyTypeFactory, DatasetFactory, ExposureListFactory]


@pytest.mark.parametrize("status", HIDDEN)
@pytest.mark.parametrize("factory", DETAIL_FACTORIES, ids=lambda f: f._meta.model.__name__)
def test_unpublished_detail_pages_answer_404(client, factory, status):
    """Draft and withdrawn records have no page."""
    record = factory(status=status)
    response = client.get(record.get_absolute_url())
    assert response.status_code == 404


def test_404_uses_the_designed_page(client):
    """With debug off, a missing page answers with our own template: a heading, a search form, ways back."""
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "404.html" in [template.name for template in response.templates]
    assert "Page not found" in response.text and 'action="/search/"' in response.text
    assert 'class="skip-link"' in response.text


def boom(request):
    raise RuntimeError("boom")


urlpatterns = [path("boom/", boom)]


def test_500_page_renders_without_a_request_or_the_database(django_assert_num_queries):
    """The server-error page must render when everything else has failed: no request, no query, no URL lookup."""
    with django_assert_num_queries(0):
        html = loader.get_template("500.html").render()
    assert "Sorry, something went wrong" in html
    assert 'href="/static/css/site.css"' in html
    assert "{%" not in html


@pytest.mark.urls(__name__)
def test_500_page_is_served_for_an_unhandled_error(client):
    """An exception in a view answers 500 with the designed page."""
    client.raise_request_exception = False
    response = client.get("/boom/")
    assert response.status_code == 500
    assert "Sorry, something went wrong" in response.content.decode()


def test_about_page_has_the_accessibility_and_privacy_sections(client):
    """The footer links to #accessibility and #privacy on the about page; both exist."""
    page = text_of(client.get("/about/"))
    assert 'id="accessibility"' in page and 'id="privacy"' in page
    assert "Accessibility statement" in page and "CC BY 4.0" in page


def test_methodology_states_the_review_cycles_and_the_unconfirmed_mark(client):
    """Sources ranked primary first, the 'Not yet confirmed' mark, and the cycles the review queue uses."""
    page = text_of(client.get("/methodology/"))
    assert page.index("Primary legal documents") < page.index("News reports")
    assert "Not yet confirmed" in page
    for days in (90, 365, 182, 60):
        assert f'<td class="num">{days}</td>' in page


# ---------------------------------------------------------------------------
# The case page's head: canonical, OpenGraph, JSON-LD
# ---------------------------------------------------------------------------


def json_ld_blocks(html):
    return re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)


def test_case_page_head_has_canonical_opengraph_and_parseable_json_ld(client):
    """The case page carries its canonical URL, OpenGraph tags and a schema.org Article that parses as JSON."""
    case = CaseFactory(title="In the Matter of Everalbum, Inc.", summary="The FTC  found\nthe app misled users.")
    PartyFactory(case=case, company=CompanyFactory(name="Everalbum"))
    PartyFactory(case=case, company=CompanyFactory(name="Hidden", status=DRAFT))
    RemedyFactory(case=case, remedy_type=RemedyTypeFactory(name="Model deletion"))
    RemedyFactory(case=case, remedy_type=RemedyTypeFactory(name="Draft remedy type", status=DRAFT))
    CitationFactory(case=case, source=SourceFactory(title="Decision and order", url="https://ftc.gov/order.pdf"))
    url = f"http://testserver{case.get_absolute_url()}"

    page = text_of(client.get(case.get_absolute_url()))

    assert f'<link rel="canonical" href="{url}">' in page
    assert '<meta property="og:type" content="article">' in page
    assert f'<meta property="og:url" content="{url}">' in page
    assert '<meta property="og:title" content="In the Matter of Everalbum, Inc.">' in page
    assert 'name="citation_title"' in page
    (block,) = json_ld_blocks(page)
    data = json.loads(block)
    assert data["@type"] == "Article" and data["url"] == url and data["headline"] == case.title
    assert data["description"] == "The FTC found the app misled users."
    assert [item["name"] for item in data["about"] if item["@type"] == "Organization"] == ["Everalbum"]
    bodies = [item["name"] for item in data["about"] if item["@type"] == "GovernmentOrganization"]
    assert bodies == [case.authority.name]
    assert data["keywords"] == ["Model deletion"]
    assert data["citation"] == [
        {"@type": "CreativeWork", "name": "Decision and order", "url": "https://ftc.gov/order.pdf"}
    ]


def test_case_page_json_ld_escapes_script_end_tags(client):
    """A title containing </script> cannot end the data block early: <, > and & are escaped as json_script does."""
    title = 'Acme </script><script>alert("x")</script> & <!-- Co'
    case = CaseFactory(title=title)

    page = text_of(client.get(case.get_absolute_url()))

    (block,) = json_ld_blocks(page)
    assert "<" not in block and ">" not in block and "&" not in block
    assert "\\u003C/script\\u003E" in block and "\\u0026" in block
    assert json.loads(block)["headline"] == title


# ---------------------------------------------------------------------------
# Query counts: fixed however many related rows a page shows (guards against N+1)
# ---------------------------------------------------------------------------


def build_company_list(n):
    parent, authority = CompanyFactory(), AuthorityFactory()
    for _ in range(n):
        PartyFactory(company=CompanyFactory(parent=parent), case=CaseFactory(authority=authority))
    return "/companies/"


def build_company_detail(n):
    # A two-level tree: the ownership tree is walked in the database, in the query for the family.
    company, authority = CompanyFactory(), AuthorityFactory()
    for _ in range(n):
        subsidiary = CompanyFactory(parent=company)
        PartyFactory(company=subsidiary, case=CaseFactory(authority=authority))
        PartyFactory(company=company, case=CaseFactory(authority=authority))
        collected = DatasetFactory(collected_by=company)
        collected.received_by.add(subsidiary)
        DatasetFactory(collected_by=subsidiary).received_by.add(company)
        TrainedModelFactory(developer=company).datasets.add(collected)
        ExposureEntryFactory(company=company)
    return company.get_absolute_url()


def build_authority_list(n):
    for _ in range(n):
        CaseFactory(authority=AuthorityFactory(), forum=AuthorityFactory(kind=AuthorityKind.COURT))
    return "/authorities/"


def build_authority_detail(n):
    authority, remedy_type = AuthorityFactory(kind=AuthorityKind.COURT), RemedyTypeFactory()
    for _ in range(n):
        case = CaseFactory(authority=None, forum=authority)
        RemedyFactory(case=case, remedy_type=remedy_type)
        PartyFactory(case=case)
        CaseFactory(authority=authority)
    return authority.get_absolute_url()


def build_remedytype_list(n):
    authority = AuthorityFactory()
    for _ in range(n):
        RemedyFactory(remedy_type=RemedyTypeFactory(), case=CaseFactory(authority=authority))
    return "/remedies/"


def build_remedytype_detail(n):
    remedy_type, authority, court = RemedyTypeFactory(), AuthorityFactory(), AuthorityFactory()
    for _ in range(n):
        case = CaseFactory(authority=authority, forum=court)
        remedy = RemedyFactory(remedy_type=remedy_type, case=case, covers_datasets=[DatasetFactory(collected_by=None)])
        CitationFactory(case=None, remedy=remedy)
    return remedy_type.get_absolute_url()


def build_dataset_list(n):
    authority = AuthorityFactory()
    for _ in range(n):
        CaseFactory(authority=authority, datasets=[DatasetFactory()])
    return "/datasets/"


def build_dataset_detail(n):
    dataset, authority, remedy_type = DatasetFactory(), AuthorityFactory(), RemedyTypeFactory()
    for _ in range(n):
        developer = CompanyFactory()
        dataset.received_by.add(developer)
        TrainedModelFactory(developer=developer).datasets.add(dataset)
        case = CaseFactory(authority=authority, forum=AuthorityFactory(), datasets=[dataset])
        RemedyFactory(case=case, remedy_type=remedy_type, covers_datasets=[dataset])
        CitationFactory(case=None, dataset=dataset)
    return dataset.get_absolute_url()


def build_exposurelist_list(n):
    authority = AuthorityFactory()
    for _ in range(n):
        exposure_list = ExposureListFactory(precedents=[CaseFactory(authority=authority)])
        ExposureEntryFactory(exposure_list=exposure_list)
    return "/exposure/"


def build_exposurelist_detail(n):
    exposure_list, authority = ExposureListFactory(), AuthorityFactory()
    for _ in range(n):
        exposure_list.precedents.add(CaseFactory(authority=authority, forum=AuthorityFactory()))
        entry = ExposureEntryFactory(exposure_list=exposure_list)
        entry.related_cases.add(CaseFactory(authority=authority))
        CitationFactory(case=None, exposure_entry=entry)
        CitationFactory(case=None, exposure_list=exposure_list)
    return exposure_list.get_absolute_url()


def build_home(n):
    deletion, penalty, authority = RemedyTypeFactory(slug="model-deletion"), RemedyTypeFactory(), AuthorityFactory()
    for _ in range(n):
        case = CaseFactory(authority=authority)
        RemedyFactory(case=case, remedy_type=deletion)
        RemedyFactory(case=case, remedy_type=penalty)
        PartyFactory(case=case)
    return "/"


# Queries each page costs, whatever the number of rows (see each builder for what grows).
PAGE_QUERIES = {
    # Every detail page also fetches its correction notices once (editorial's _page_review.html); its current
    # version for Cite this page comes with the page's own query (`with_current_version`).
    # count, latest cases + their remedies, remedy types with counts (the lineage's type among them), its first cases
    build_home: 5,
    # the companies, the whole ownership tree, the parties of published cases
    build_company_list: 3,
    # the company and its parent; subsidiaries, data collected, received, models, their data, exposure entries;
    # the family, however deep the tree; its cases; their parties among the family
    build_company_detail: 11,
    # the authorities with both counts
    build_authority_list: 1,
    # the authority; its cases with authority and forum, their remedies
    build_authority_detail: 4,
    # the types with both counts
    build_remedytype_list: 1,
    # the type; remedies with case, authority and forum; the data they cover; their sources
    build_remedytype_detail: 6,  # +1: the timeline's precedent links
    # the datasets with collector and count
    build_dataset_list: 1,
    # the dataset and collector; recipients, models with developers, remedies with cases, cases, sources
    build_dataset_detail: 7,
    # the lists with counts; their precedents; their entries with companies, named on the index
    build_exposurelist_list: 3,
    # the list; precedents, entries with companies, their related cases, their sources, the list's sources
    build_exposurelist_detail: 7,
}


@pytest.mark.parametrize("rows", [10, 100])
@pytest.mark.parametrize("build", PAGE_QUERIES, ids=lambda build: build.__name__.removeprefix("build_"))
def test_page_query_count_is_fixed(client, django_assert_num_queries, build, rows):
    """Guards against N+1: each page costs the same number of queries with 10 or 100 related rows."""
    url = build(rows)
    page_content_types()  # Django caches content types: a running site has them, so they are not counted
    with django_assert_num_queries(PAGE_QUERIES[build]):
        assert client.get(url).status_code == 200


@pytest.mark.parametrize("url", ["/about/", "/methodology/", "/robots.txt"])
def test_static_pages_cost_no_queries(client, django_assert_num_queries, url):
    """About, methodology and robots.txt never touch the database."""
    with django_assert_num_queries(0):
        assert client.get(url).status_code == 200
