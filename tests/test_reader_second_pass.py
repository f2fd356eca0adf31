"""Reader pages, second pass: one meaning of "remedy" and one count for it everywhere; remedies in each case's key
facts; what related records did to a case's data; sources that say whose document they are; best bets in search;
navigation, list titles and the contrast of grey text.

Records are made with factories: nothing here depends on the seed's size.
"""

import datetime
import re
from decimal import Decimal
from html import unescape
from pathlib import Path

import pytest

from casebase.knowledge.models import (
    AuthorityKind,
    CaseKind,
    PartyRole,
    PublicationStatus,
    RemedyOrigin,
    RemedyStatus,
    SourceKind,
)
from tests.factories import (
    AuthorityFactory,
    CaseFactory,
    CaseRelationFactory,
    CitationFactory,
    CompanyFactory,
    DatasetFactory,
    ExchangeRateFactory,
    ExposureEntryFactory,
    ExposureListFactory,
    PartyFactory,
    RemedyFactory,
    RemedyTypeFactory,
    SourceFactory,
    TimelineEventFactory,
    TrainedModelFactory,
)
from tests.test_pages import CASE_PAGE_QUERIES  # with related records' remedies reaching the case's data

pytestmark = pytest.mark.django_db

DRAFT = PublicationStatus.DRAFT
ROOT = Path(__file__).resolve().parent.parent


def page_text(response):
    """The page as a reader hears it: what is hidden from them and tags dropped, entities decoded, spaces collapsed."""
    assert response.status_code == 200, response.status_code
    heard = re.sub(r'<span[^>]*aria-hidden="true"[^>]*>[^<]*</span>', "", response.text)
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", heard)).split())


def section(html, anchor):
    """The HTML of the <section id="anchor"> of a page, up to the next section at the same level."""
    start = html.index(f'<section id="{anchor}"')
    following = html.find("\n  <section id=", start + 1)
    return html[start : following if following != -1 else len(html)]


def day(year, month=1, date=1):
    return datetime.date(year, month, date)


# ---------------------------------------------------------------------------
# 1. One meaning of "remedy", one number for one question
# ---------------------------------------------------------------------------


def make_deletions():
    """Model deletions of every origin: two bind (ordered, agreed), three do not; a draft case's is never counted."""
    deletion = RemedyTypeFactory(slug="model-deletion", name="Model or algorithm deletion", sort_order=1)
    penalty = RemedyTypeFactory(slug="civil-penalty", name="Civil penalty or fine", sort_order=2)
    ftc = AuthorityFactory(slug="ftc", name="Federal Trade Commission", short_name="FTC")
    for title, origin, decided in (
        ("FTC v. Ordered", RemedyOrigin.ORDERED, day(2019, 12, 6)),
        ("FTC v. Agreed", RemedyOrigin.AGREED, day(2021, 5, 7)),
        ("Authors v. Sought", RemedyOrigin.SOUGHT, None),
        ("Company's own deletion", RemedyOrigin.VOLUNTARY, day(2026, 4, 16)),
        ("FTC v. Proposed", RemedyOrigin.PROPOSED, None),
    ):
        case = CaseFactory(title=title, authority=ftc, decided_on=decided, started_on=day(2018))
        RemedyFactory(case=case, remedy_type=deletion, origin=origin)
    RemedyFactory(case=CaseFactory(title="Draft v. Agreed", status=DRAFT, authority=ftc), remedy_type=deletion)
    RemedyFactory(case=CaseFactory(title="FTC v. Penalty", authority=ftc), remedy_type=penalty)
    return deletion


def test_one_number_for_which_orders_forced_a_model_deletion(client):
    """Home table and precedents, remedy list and page, case list and the search best bet all say 2."""
    make_deletions()

    home = client.get("/").text
    table = re.search(r'Model or algorithm deletion</a></th><td class="num">(\d+)</td>', home).group(1)
    precedents = re.search(r'precedents <span class="count">\((\d+)\)</span>', home).group(1)
    remedies = re.search(r'<span class="num">(\d+)</span> cases? in which it binds', client.get("/remedies/").text)
    lineage = client.get("/remedies/model-deletion/").text
    lineage_count = re.search(r'<span class="num">(\d+)</span> published cases? in which this remedy binds', lineage)
    listed = re.match(
        r"(\d+) cases? with remedy: model or algorithm deletion —",
        page_text(client.get("/cases/?remedy=model-deletion")),
    )
    search = client.get("/search/", {"q": "model deletion"}).text
    best_bet = re.search(
        r'<a href="/cases/\?remedy=model-deletion"><span class="num">(\d+)</span> cases? in which it binds', search
    )

    numbers = {
        "home table": table,
        "home precedents": precedents,
        "remedy list": remedies.group(1),
        "remedy page": lineage_count.group(1),
        "case list": listed.group(1),
        "search best bet": best_bet.group(1),
    }
    assert numbers == dict.fromkeys(numbers, "2")
    assert lineage.count('class="lineage__item') == 2


def test_the_remedies_that_do_not_bind_are_counted_apart_and_shown_only_when_asked(client):
    make_deletions()

    listed = page_text(client.get("/cases/", {"remedy": "model-deletion", "origin": "any"}))
    lineage = client.get("/remedies/model-deletion/", {"origin": "any"})
    search = client.get("/search/", {"q": "model deletion"}).text

    assert listed.startswith("5 cases with remedy: model or algorithm deletion, including remedies that do not bind")
    assert lineage.text.count('class="lineage__item') == 5
    for origin in ("Sought by a plaintiff", "Voluntary (not ordered)", "Proposed"):
        assert f'origin--other">{origin}</p>' in lineage.text  # each labelled on its row
    assert "Draft v. Agreed" not in lineage.text
    assert '<a href="/cases/?remedy=model-deletion&amp;origin=any"><span class="num">3</span> more' in search
    remedy_list = page_text(client.get("/remedies/"))
    assert "2 cases in which it binds · 3 more only proposed, volunteered or sought" in remedy_list


def test_a_type_with_no_binding_remedy_leaves_the_home_table(client):
    """The home table counts binding remedies, so a type only ever sought has no row there."""
    RemedyFactory(remedy_type=RemedyTypeFactory(name="Injunction against use in models"), origin=RemedyOrigin.SOUGHT)
    RemedyFactory(remedy_type=RemedyTypeFactory(name="Data deletion"))
    home = client.get("/").text
    table = home[home.index('<table class="count-table">') : home.index("</table>")]
    assert "Data deletion</a></th>" in table and "Injunction against use in models" not in table


# ---------------------------------------------------------------------------
# 2. The case header: remedies in the key facts, one status, a contents list on long pages
# ---------------------------------------------------------------------------


def key_facts(html):
    return re.search(r'<dl class="summary-list">(.*?)</dl>', html, re.S).group(1)


def test_key_facts_list_each_remedy_type_with_origin_and_amount_linked_to_its_lineage(client):
    case = CaseFactory(title="Regulator v. Acme")
    deletion = RemedyTypeFactory(slug="model-deletion", name="Model or algorithm deletion", sort_order=1)
    penalty = RemedyTypeFactory(slug="civil-penalty", name="Civil penalty or fine", sort_order=2)
    redress = RemedyTypeFactory(slug="consumer-redress", name="Consumer redress", sort_order=3)
    RemedyFactory(case=case, remedy_type=deletion, origin=RemedyOrigin.AGREED)
    RemedyFactory(case=case, remedy_type=deletion, origin=RemedyOrigin.AGREED)  # the same again: said once
    RemedyFactory(case=case, remedy_type=penalty, origin=RemedyOrigin.ORDERED, amount=5_000_000, currency="USD")
    rate = ExchangeRateFactory(currency="EUR", usd_per_unit=Decimal("1.1"), reference="ECB euro reference rate")
    RemedyFactory(
        case=case,
        remedy_type=penalty,
        origin=RemedyOrigin.ORDERED,
        amount=20_000_000,
        currency="EUR",
        exchange_rate=rate,
    )
    RemedyFactory(case=case, remedy_type=redress, origin=RemedyOrigin.SOUGHT, status=RemedyStatus.SOUGHT)
    RemedyFactory(case=case, remedy_type=RemedyTypeFactory(name="Draft type", status=DRAFT))

    html = client.get(case.get_absolute_url()).text
    facts = key_facts(html)
    heard = " ".join(unescape(re.sub(r"<[^>]+>", "", facts)).split())

    assert "<dt>Remedies</dt>" in facts
    assert heard.count("Model or algorithm deletion — agreed in settlement") == 1
    assert "Civil penalty or fine — ordered, $5,000,000; ordered, €20,000,000 ≈ $22,000,000 at the ECB euro" in heard
    assert "Consumer redress — sought by a plaintiff" in heard
    assert '<a href="/remedies/model-deletion/">Model or algorithm deletion</a>' in facts
    # Only sought here, so the link opens the lineage with the remedies that do not bind.
    assert '<a href="/remedies/consumer-redress/?origin=any">Consumer redress</a>' in facts
    assert "Draft type" not in facts
    assert "<dt>Status</dt>" not in facts  # the status is the tag under the title, once
    assert html.count(f'<span class="tag tag--{case.case_status}">') == 1


def test_a_long_case_page_has_a_contents_list_and_a_short_one_does_not(client):
    short = CaseFactory(title="Short case", body="")
    long = CaseFactory(title="Long case", body="What happened.", open_questions="Who knew?")
    dataset = DatasetFactory()
    long.datasets.add(dataset)
    PartyFactory(case=long)
    RemedyFactory(case=long)
    TimelineEventFactory(case=long)
    CaseRelationFactory(from_case=long)

    long_page = client.get(long.get_absolute_url()).text
    short_page = client.get(short.get_absolute_url()).text

    contents = re.search(r'<nav class="toc toc--page" aria-labelledby="contents-heading">(.*?)</nav>', long_page, re.S)
    anchors = re.findall(r'<a href="#([\w-]+)">([^<]+)</a>', contents.group(1))
    assert anchors == [  # after the key facts, which open the page
        ("parties", "Parties"),
        ("remedies", "Remedies"),
        ("account", "The case"),
        ("data", "Data and models"),
        ("timeline", "Timeline"),
        ("related", "Related cases"),
        ("questions", "Open questions"),
        ("sources", "Sources"),
    ]
    for anchor, _label in anchors:
        assert f'<section id="{anchor}"' in long_page
    assert long_page.index('<section id="facts"') < long_page.index("toc--page")
    assert long_page.index("<dt>Remedies</dt>") < long_page.index("<dt>Authority</dt>")  # what the order requires first
    assert "toc--page" not in short_page


# ---------------------------------------------------------------------------
# 3. What happened to the data and models; no uncharged company as a respondent
# ---------------------------------------------------------------------------


def make_dating_photos():
    """The OkCupid pattern: an order that does not reach the data, and the recipient's own deletion on a record
    of its own, linked to the case; plus remedies that must stay off the block."""
    photos = DatasetFactory(name="Dating-site photos")
    face_model = TrainedModelFactory(name="Face models trained on the photos")
    face_model.datasets.add(photos)
    recipient = CompanyFactory(name="Recipient AI")
    order = CaseFactory(title="FTC v. Dating Site", datasets=[photos])
    PartyFactory(case=order, company=CompanyFactory(name="Dating Site"), role=PartyRole.RESPONDENT)
    PartyFactory(case=order, company=recipient, role=PartyRole.RELATED, note="Received the photos; not charged.")
    PartyFactory(case=order, company=recipient, role=PartyRole.DATA_RECIPIENT)
    RemedyFactory(case=order, remedy_type=RemedyTypeFactory(name="Conduct ban"), origin=RemedyOrigin.AGREED)

    own = CaseFactory(
        title="Recipient AI's own deletion", kind=CaseKind.VOLUNTARY_COMMITMENT, authority=None, datasets=[photos]
    )
    PartyFactory(case=own, company=recipient, role=PartyRole.DATA_RECIPIENT)
    data_deletion = RemedyTypeFactory(slug="data-deletion", name="Data deletion")
    model_deletion = RemedyTypeFactory(slug="model-deletion", name="Model or algorithm deletion")
    RemedyFactory(
        case=own,
        remedy_type=data_deletion,
        origin=RemedyOrigin.VOLUNTARY,
        status=RemedyStatus.COMPLIED,
        summary="Deleted the photos and certified it.",
        covers_datasets=[photos],
    )
    RemedyFactory(
        case=own,
        remedy_type=model_deletion,
        origin=RemedyOrigin.VOLUNTARY,
        summary="Says it deleted the models.",
        covers_models=[face_model],
    )
    RemedyFactory(case=own, remedy_type=RemedyTypeFactory(name="Unrelated promise"), summary="Not about the data.")
    CaseRelationFactory(from_case=order, to_case=own)

    # Linked the other way, and reaching the data: shown too.
    suit = CaseFactory(title="Users v. Recipient AI")
    RemedyFactory(case=suit, remedy_type=data_deletion, origin=RemedyOrigin.SOUGHT, summary="Asks for deletion.",
                  covers_datasets=[photos])  # fmt: skip
    CaseRelationFactory(from_case=suit, to_case=order)
    # Not linked, or not published: never shown.
    RemedyFactory(case=CaseFactory(title="Unlinked v. Recipient"), remedy_type=data_deletion, covers_datasets=[photos])
    draft = CaseFactory(title="Draft record", status=DRAFT)
    RemedyFactory(case=draft, remedy_type=data_deletion, covers_datasets=[photos], summary="Draft deletion.")
    CaseRelationFactory(from_case=order, to_case=draft)
    return order, own


def test_the_case_page_says_what_related_records_did_to_its_data_and_models(client):
    order, own = make_dating_photos()

    html = client.get(order.get_absolute_url()).text
    block = section(html, "data-reach")
    heard = " ".join(unescape(re.sub(r"<[^>]+>", " ", block)).split())

    assert "What happened to the data and models" in heard
    assert "Deleted the photos and certified it." in heard and "Says it deleted the models." in heard
    assert "Asks for deletion." in heard  # from the suit that links to this case
    assert "Not about the data." not in heard and "Draft deletion." not in heard and "Unlinked" not in heard
    assert heard.count("Voluntary (not ordered)") == 2 and "Sought by a plaintiff" in heard
    assert f'see the linked record: <a href="{own.get_absolute_url()}">' in block
    assert "Face models trained on the photos" in heard and "Dating-site photos" in heard
    assert html.index('id="remedies"') < html.index('id="data-reach"') < html.index('id="sources"')


def test_no_block_without_related_remedies_reaching_the_data(client):
    order, own = make_dating_photos()
    assert 'id="data-reach"' not in client.get(own.get_absolute_url()).text  # the order's remedies reach no data


def test_a_company_not_charged_is_never_listed_as_a_respondent(client):
    order, _own = make_dating_photos()

    html = client.get(order.get_absolute_url()).text
    parties = section(html, "parties")
    groups = dict(re.findall(r"<div><dt>([^<]+)</dt>(.*?)</div>", parties, re.S))

    assert "Dating Site" in groups["Respondent or defendant"]
    assert "Recipient AI" not in groups["Respondent or defendant"]
    assert "Recipient AI" in groups["Related (named, not charged)"] and "Recipient AI" in groups["Data recipient"]


def test_the_data_block_costs_the_same_however_many_remedies_it_shows(client, django_assert_num_queries):
    """Guards against N+1 in "What happened to the data and models": one query and three prefetches in all."""
    order, own = make_dating_photos()
    url = order.get_absolute_url()
    with django_assert_num_queries(CASE_PAGE_QUERIES):
        client.get(url)
    photos = order.datasets.get()
    for _ in range(5):
        related = CaseFactory()
        CaseRelationFactory(from_case=related, to_case=order)
        remedy = RemedyFactory(case=related, covers_datasets=[photos], covers_models=[TrainedModelFactory()])
        CitationFactory(case=None, remedy=remedy)
    with django_assert_num_queries(CASE_PAGE_QUERIES):
        response = client.get(url)
    assert section(response.text, "data-reach").count("see the linked record") == 8


# ---------------------------------------------------------------------------
# 4. Sources say whose document they are and what kind; pages without a primary document say so
# ---------------------------------------------------------------------------


def test_inline_sources_name_publisher_kind_and_the_host_of_a_copy(client):
    case = CaseFactory()
    order = SourceFactory(title="Decision and order", publisher="Federal Trade Commission", kind=SourceKind.PRIMARY)
    copy = SourceFactory(
        title="Complaint", publisher="Federal Trade Commission", kind=SourceKind.PRIMARY, hosted_by="Docket Alarm"
    )
    blog = SourceFactory(title="FTC orders deletion", publisher="A Law Firm LLP", kind=SourceKind.ANALYSIS)
    remedy = RemedyFactory(case=case)
    CitationFactory(case=None, remedy=remedy, source=order, pinpoint="Part II")
    CitationFactory(case=None, remedy=remedy, source=copy)
    TimelineEventFactory(case=case, source=blog)
    CitationFactory(case=case, source=copy)

    heard = page_text(client.get(case.get_absolute_url()))

    assert "Decision and order (Federal Trade Commission · Primary document) — Part II" in heard
    assert "Complaint (Federal Trade Commission · Primary document; copy hosted by Docket Alarm)" in heard
    assert "FTC orders deletion (A Law Firm LLP · Commentary)" in heard  # not the title alone
    assert "Primary documents Complaint , Federal Trade Commission" in heard  # the sources list, by kind
    assert "copy hosted by Docket Alarm" in heard.split("Primary documents")[-1]
    assert "No primary legal document linked yet" not in heard


@pytest.mark.parametrize("where", ["case", "remedy", "timeline"])
def test_a_primary_document_anywhere_on_a_case_page_counts(client, where):
    case = CaseFactory()
    primary = SourceFactory(kind=SourceKind.PRIMARY)
    CitationFactory(case=case, source=SourceFactory(kind=SourceKind.NEWS))
    if where == "case":
        CitationFactory(case=case, source=primary)
    elif where == "remedy":
        CitationFactory(case=None, remedy=RemedyFactory(case=case), source=primary)
    else:
        TimelineEventFactory(case=case, source=primary)
    assert "No primary legal document linked yet" not in client.get(case.get_absolute_url()).text


def test_pages_without_a_primary_document_say_so_near_the_top(client):
    case = CaseFactory()
    CitationFactory(case=case, source=SourceFactory(kind=SourceKind.NEWS))
    TimelineEventFactory(case=case, source=SourceFactory(kind=SourceKind.PRESS_RELEASE))
    dataset = DatasetFactory()
    CitationFactory(case=None, dataset=dataset, source=SourceFactory(kind=SourceKind.ANALYSIS))
    exposure_list = ExposureListFactory()
    primary_list = ExposureListFactory()
    CitationFactory(case=None, exposure_list=primary_list, source=SourceFactory(kind=SourceKind.PRIMARY))

    for record in (case, dataset, exposure_list):
        html = client.get(record.get_absolute_url()).text
        notice = html.find("No primary legal document linked yet")
        assert -1 < notice < html.index("<h2"), record  # before the first section
    assert "No primary legal document linked yet" not in client.get(primary_list.get_absolute_url()).text


# ---------------------------------------------------------------------------
# 6. Search: best bets for remedy types and authorities; remedy chips on case results
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "q, title, cases_url, count",
    [
        ("model deletion", "Model or algorithm deletion", "/cases/?remedy=model-deletion", 2),
        ("Model deletions", "Model or algorithm deletion", "/cases/?remedy=model-deletion", 2),
        ("FTC", "Federal Trade Commission (FTC)", "/cases/?authority=ftc", 6),
        ("federal trade commission", "Federal Trade Commission (FTC)", "/cases/?authority=ftc", 6),
        ("Garante", "Garante per la protezione dei dati personali", "/cases/?authority=garante", 1),
    ],
)
def test_a_query_naming_a_remedy_or_an_authority_shows_it_first(client, q, title, cases_url, count):
    make_deletions()
    garante = AuthorityFactory(
        slug="garante", name="Garante per la protezione dei dati personali", short_name="", kind=AuthorityKind.DPA
    )
    CaseFactory(title="Garante v. Chatbot", authority=garante)

    html = client.get("/search/", {"q": q}).text

    bets = html.index('<section class="best-bets"')
    assert bets < html.index('class="search-types"')
    bet = html[bets : html.index("</section>", bets)]
    assert f">{title}</a></h3>" in bet
    assert f'<a href="{cases_url}"><span class="num">{count}</span> case' in bet


def test_best_bets_need_the_query_to_name_the_record(client):
    make_deletions()
    for q in ("order", "f", "fine", "ftc -trade", "clearview"):
        assert 'class="best-bets"' not in client.get("/search/", {"q": q}).text, q
    html = client.get("/search/", {"q": "civil penalties"}).text
    bets = html[html.index('<section class="best-bets"') : html.index("</section>")]
    assert ">Civil penalty or fine</a></h3>" in bets


def test_case_results_carry_their_remedy_chips(client):
    make_deletions()
    html = client.get("/search/", {"q": "FTC", "type": "case"}).text
    results = {
        re.search(r"v\. (\w+)</a></h2>", result).group(1): result
        for result in html.split('<li class="search-result search-result--case">')[1:]
        if re.search(r"v\. (\w+)</a></h2>", result)
    }
    assert '<ul class="remedy-chips" aria-label="Remedies">' in results["Ordered"]
    assert "<li>Model or algorithm deletion</li>" in results["Ordered"]
    proposed = results["Proposed"]
    assert '<li class="remedy-chips__item--not-imposed">Model or algorithm deletion' in proposed
    assert '<span class="visually-hidden">, </span>proposed</span>' in proposed
    assert "remedy-chips" not in results["Penalty"].split("</li>")[0] or "Civil penalty or fine" in results["Penalty"]


# ---------------------------------------------------------------------------
# 7. Navigation and wording
# ---------------------------------------------------------------------------


def test_authorities_are_in_the_main_navigation(client):
    html = client.get("/authorities/").text
    nav = re.search(r'<nav class="site-nav" aria-label="Main">(.*?)</nav>', html, re.S).group(1)
    assert '<a href="/authorities/" aria-current="page">Authorities</a>' in nav


@pytest.mark.parametrize(
    "factory, parent, label",
    [
        (CaseFactory, "/cases/", "Cases"),
        (CompanyFactory, "/companies/", "Companies"),
        (AuthorityFactory, "/authorities/", "Authorities and courts"),
        (RemedyTypeFactory, "/remedies/", "Remedies"),
        (DatasetFactory, "/datasets/", "Datasets"),
        (ExposureListFactory, "/exposure/", "Exposure lists"),
    ],
    ids=["case", "company", "authority", "remedy-type", "dataset", "exposure-list"],
)
def test_detail_pages_have_breadcrumbs(client, factory, parent, label):
    html = client.get(factory().get_absolute_url()).text
    crumbs = re.search(r'<nav class="breadcrumbs wrap" aria-label="Breadcrumb">(.*?)</nav>', html, re.S).group(1)
    assert re.findall(r'<a href="([^"]+)">([^<]+)</a>', crumbs) == [("/", "Home"), (parent, label)]
    assert html.index('aria-label="Breadcrumb"') < html.index('<main id="main"')


def test_the_exposure_index_names_each_lists_companies(client):
    exposure_list = ExposureListFactory(title="Voice cloning")
    for name in ("Zeta Voices", "Alpha Audio"):
        ExposureEntryFactory(exposure_list=exposure_list, company=CompanyFactory(name=name))
    ExposureEntryFactory(exposure_list=exposure_list, company=CompanyFactory(name="Hidden Co", status=DRAFT))

    heard = page_text(client.get("/exposure/"))

    assert "Companies listed (2) Alpha Audio Zeta Voices" in heard
    assert "Hidden Co" not in heard


def test_company_and_dataset_lists_count_in_their_titles(client):
    CompanyFactory.create_batch(3)
    CompanyFactory(status=DRAFT)
    DatasetFactory.create_batch(2, collected_by=None)
    companies, datasets = client.get("/companies/").text, client.get("/datasets/").text
    assert "<title>Companies (3) — casebase</title>" in companies
    assert '<h1>Companies <span class="count">(3)</span></h1>' in companies
    assert "<title>Datasets (2) — casebase</title>" in datasets


def test_list_tables_stack_on_a_phone_with_each_cells_column_named(client):
    """Below 40rem the CSS shows a cell's column name before it; the roles keep the table a table."""
    CompanyFactory()
    html = client.get("/companies/").text
    assert '<table class="data-table data-table--stack" role="table">' in html
    assert '<td role="cell" data-label="Country">' in html and '<th scope="row" role="rowheader">' in html
    css = (ROOT / "static" / "css" / "site.css").read_text()
    assert re.search(r"@media \(max-width: 40rem\) \{\s*\.data-table--stack, ", css)


def contrast(foreground, background):
    def luminance(colour):
        channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
        linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    light, dark = sorted((luminance(foreground), luminance(background)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def test_grey_text_that_carries_data_meets_seven_to_one():
    """Counts, dates, origins and publishers are grey (--muted) on white and on the wash: both at least 7:1."""
    css = (ROOT / "static" / "css" / "site.css").read_text()
    colours = dict(re.findall(r"--(muted|paper|wash|warn-bg):\s*(#[0-9a-fA-F]{6});", css))
    for background in ("paper", "wash", "warn-bg"):
        assert contrast(colours["muted"], colours[background]) >= 7, background
