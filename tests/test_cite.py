"""Cite this page: every style parses (BibTeX with bibtexparser, RIS with rispy, CSL-JSON with json) and names the
exact version through its permalink, with the date of that version and the access date."""

import datetime
import json

import bibtexparser
import pytest
import rispy
from django.template import Context, Template
from django.test import RequestFactory

from casebase.knowledge import cite, versions
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

ACCESSED = datetime.date(2026, 9, 3)
# A title with every character BibTeX or RIS could trip on: LaTeX specials, braces, a newline, non-ASCII.
AWKWARD = "In re Smith & Wesson {AI} 100% $5 #1 under_score ~x^2 \\ Société\nGénérale"


@pytest.fixture(autouse=True)
def hosts(settings):
    settings.ALLOWED_HOSTS = ["casebase.example.org", "testserver"]


def citation_of(page, record=None):
    request = RequestFactory().get("/", HTTP_HOST="casebase.example.org", secure=True)
    return cite.cite(page, request, record, accessed=ACCESSED)


@pytest.fixture
def case():
    return CaseFactory(slug="smith", title=AWKWARD)


def test_bibtex_parses_and_keeps_the_title(case):
    citation = citation_of(case)
    library = bibtexparser.parse_string(citation.bibtex())
    assert not library.failed_blocks
    (entry,) = library.entries
    assert entry.entry_type == "misc"
    assert entry.key == citation.key == f"casebase-case-smith-v{citation.version_id}"
    fields = {field.key: field.value for field in entry.fields}
    assert fields["url"] == f"https://casebase.example.org/cases/smith/v/{citation.version_id}/"
    assert fields["urldate"] == "2026-09-03"
    assert fields["author"] == "{casebase editors}"
    assert fields["month"] == citation.version_at.strftime("%b").lower()
    # Every LaTeX special is escaped and the braces balance, so the whole title survives as one field.
    assert fields["title"] == (
        r"{In re Smith \& Wesson \{AI\} 100\% \$5 \#1 under\_score \textasciitilde{}x\textasciicircum{}2 "
        r"\textbackslash{} Société Générale}"
    )


def test_ris_parses_with_rispy(case):
    citation = citation_of(case)
    (entry,) = rispy.loads(citation.ris())
    assert entry["type_of_reference"] == "ELEC"
    assert entry["title"] == "In re Smith & Wesson {AI} 100% $5 #1 under_score ~x^2 \\ Société Générale"
    assert entry["urls"] == [citation.permalink]
    assert entry["access_date"] == "2026/09/03/"
    assert entry["authors"] == ["casebase editors"]
    assert entry["edition"] == f"version {citation.version_id}"
    assert entry["date"] == citation.version_at.strftime("%Y/%m/%d/")


def test_csl_json_is_a_list_of_one_webpage(case):
    citation = citation_of(case)
    (item,) = json.loads(citation.csl_json())
    assert item["type"] == "webpage"
    assert item["title"] == "In re Smith & Wesson {AI} 100% $5 #1 under_score ~x^2 \\ Société Générale"
    assert item["URL"] == citation.permalink
    assert item["accessed"] == {"date-parts": [[2026, 9, 3]]}
    day = citation.version_at.date()
    assert item["issued"] == {"date-parts": [[day.year, day.month, day.day]]}
    assert item["container-title"] == "casebase"


def test_plain_and_bluebook_name_the_version_and_the_access_date(case):
    citation = citation_of(case)
    citation.version_at = datetime.datetime(2026, 9, 1, 14, 5, tzinfo=datetime.UTC)
    assert citation.plain() == (
        "casebase editors. (2026, September 1). In re Smith & Wesson {AI} 100% $5 #1 under_score ~x^2 \\ Société "
        f"Générale. In casebase. Retrieved September 3, 2026, from {citation.permalink}"
    )
    assert citation.bluebook().endswith(
        f", casebase (Sept. 1, 2026, 14:05 UTC), {citation.permalink} (last visited Sept. 3, 2026)."
    )


@pytest.mark.parametrize(
    ("factory", "kind", "title"),
    [
        (lambda: CompanyFactory(slug="acme", name="Acme"), "companies", "Acme"),
        (
            lambda: AuthorityFactory(slug="ftc", name="Federal Trade Commission"),
            "authorities",
            "Federal Trade Commission",
        ),
        (lambda: RemedyTypeFactory(slug="model-deletion", name="Model deletion"), "remedies", "Model deletion"),
        (lambda: DatasetFactory(slug="photos", name="Photos"), "datasets", "Photos"),
        (lambda: ExposureListFactory(slug="voices", title="Voice cloning"), "exposure", "Voice cloning"),
    ],
)
def test_every_kind_of_page_can_be_cited(client, factory, kind, title):
    page = factory()
    citation = citation_of(page)
    assert citation.title == title
    assert citation.permalink.endswith(f"/{kind}/{page.slug}/v/{citation.version_id}/")
    response = client.get(citation.permalink.removeprefix("https://casebase.example.org"))
    assert response.status_code == 200
    assert title in response.text


def test_the_block_names_the_current_version_in_one_query(rf, case, django_assert_num_queries):
    case.summary = "Changed."
    case.save()
    latest = case.history.order_by("-history_id").first()
    request = rf.get("/cases/smith/")
    template = Template("{% load research %}{% cite_this case %}")
    with django_assert_num_queries(1):  # the page's latest history record, nothing else
        html = template.render(Context({"case": case, "request": request}))
    assert f"/cases/smith/v/{latest.history_id}/" in html
    assert "Cite this page" in html and "Date retrieved" in html and "Bluebook style" in html
    assert f'href="/cite/cases/smith.bib?version={latest.history_id}"' in html
    assert " style=" not in html


@pytest.mark.parametrize(
    "factory", [CaseFactory, CompanyFactory, AuthorityFactory, DatasetFactory, ExposureListFactory, RemedyTypeFactory]
)
def test_a_page_loaded_with_its_current_version_cites_it_without_a_query(factory, django_assert_num_queries):
    page = factory()
    page.save()  # a second version: the latest one must win
    loaded = type(page).objects.with_current_version().get(pk=page.pk)
    with django_assert_num_queries(0):
        annotated = citation_of(loaded)
    assert annotated == citation_of(page)
    assert annotated.version_id == page.history.order_by("-history_id").first().history_id


def test_a_page_whose_latest_version_is_not_public_cites_its_address_when_annotated(case):
    case.status = PublicationStatus.DRAFT
    case.save()
    loaded = type(case).objects.with_current_version().get(pk=case.pk)
    assert citation_of(loaded).version_id is None
    case.history.all().delete()
    loaded = type(case).objects.with_current_version().get(pk=case.pk)
    assert citation_of(loaded).permalink == "https://casebase.example.org/cases/smith/"


def test_a_title_ending_in_a_full_stop_gets_one(case):
    case.title = "In the Matter of Everalbum, Inc."
    case.save()
    assert "Everalbum, Inc.. " not in citation_of(case).plain()
    assert "Everalbum, Inc. In casebase." in citation_of(case).plain()


def test_a_page_with_no_public_version_on_record_cites_its_address(case):
    case.history.all().delete()  # e.g. loaded without history
    citation = citation_of(case)
    assert citation.version_id is None and citation.permalink == "https://casebase.example.org/cases/smith/"
    assert not bibtexparser.parse_string(citation.bibtex()).failed_blocks
    assert rispy.loads(citation.ris())[0]["urls"] == [citation.permalink]
    assert "(n.d.)" in citation.plain()


@pytest.mark.parametrize(
    ("fmt", "content_type"),
    [
        ("bib", "application/x-bibtex; charset=utf-8"),
        ("ris", "application/x-research-info-systems; charset=utf-8"),
        ("json", "application/vnd.citationstyles.csl+json; charset=utf-8"),
    ],
)
def test_citation_files(client, case, fmt, content_type):
    first = case.history.get().history_id
    case.title = "Renamed"
    case.save()
    response = client.get(f"/cite/cases/smith.{fmt}?version={first}")
    assert response.status_code == 200
    assert response["Content-Type"] == content_type
    assert f'filename="casebase-case-smith-v{first}.{fmt}"' in response["Content-Disposition"]
    body = response.content.decode()
    assert f"/cases/smith/v/{first}/" in body
    assert "Société" in body  # the title of that version, not the current one
    assert "Renamed" in client.get(f"/cite/cases/smith.{fmt}").content.decode()


@pytest.mark.parametrize(
    "url",
    [
        "/cite/cases/smith.bib?version=abc",
        "/cite/cases/smith.bib?version=%C2%B2",  # a superscript two: a digit to str.isdigit, not to int()
        "/cite/cases/smith.bib?version=99999999999999999999999",
        "/cite/cases/smith.bib?version=999999",
        "/cite/cases/nope.bib",
        "/cite/cases/smith.pdf",
        "/cite/desk/smith.bib",
    ],
)
def test_bad_citation_requests_are_not_found(client, case, url):
    assert client.get(url).status_code == 404


def test_drafts_cannot_be_cited(client, case):
    draft_version = case.history.get().history_id
    case.status = PublicationStatus.DRAFT
    case.save()
    assert client.get("/cite/cases/smith.bib").status_code == 404
    case.status = PublicationStatus.PUBLISHED
    case.save()
    case.history.filter(history_id=draft_version).update(status=PublicationStatus.DRAFT)
    assert client.get(f"/cite/cases/smith.ris?version={draft_version}").status_code == 404


def test_kind_table_matches_the_public_urls():
    assert versions.KINDS.keys() == versions.KIND_LABELS.keys()
