"""Search: ranking, aliases, prefixes, hostile input, publication, escaping, index upkeep, cost.

Every test runs on SQLite (FTS5) and on PostgreSQL (tsvector) and expects the same answers.
"""

import random
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from casebase.knowledge.models import Case, Company, Dataset, ExposureList, PublicationStatus, SearchEntry, SearchKind
from casebase.knowledge.search import FTS_TABLE, filter_cases, parse, search_site
from tests.factories import (
    CaseFactory,
    CompanyFactory,
    DatasetFactory,
    ExposureEntryFactory,
    ExposureListFactory,
    PartyFactory,
    RemedyFactory,
    RemedyTypeFactory,
)

pytestmark = pytest.mark.django_db

HIDDEN = [PublicationStatus.DRAFT, PublicationStatus.WITHDRAWN]
HOSTILE = [
    '"unbalanced',
    "AND OR NOT",
    "(((",
    ")))",
    "*",
    "-",
    "--",
    "col:foo",
    "title:clearview",
    "NEAR(",
    "NEAR(a b, 2)",
    "' OR 1=1 --",
    "'; DROP TABLE knowledge_case; --",
    "a & b | !c <-> d:*",
    "^clearview",
    '"" "" ""',
    "\\",
    "%_%",
    "🙂",
    "🙂 clearview 🙂",
    "\x00",
    "x" * 2000,
    "clearview " * 200,
    "",
    "   ",
    "\t\n",
]
# The search page costs the same queries however many results match: the count per kind, then one page; when the
# page has cases, their remedies for the chips (the cases, then their remedies with types); and on the first page
# only, the remedy types and the authorities with their case counts, for the best bets.
SEARCH_PAGE_QUERIES = 2
CHIP_QUERIES = 2
BEST_BET_QUERIES = 2


def titles(q, kind=None):
    """Titles of the first page of results, best first."""
    return [hit.title for hit in search_site(q, kind)[0:20]]


def slugs(queryset):
    return sorted(queryset.values_list("slug", flat=True))


# --- Ranking and matching -----------------------------------------------------------------------


def test_exact_title_match_outranks_a_passing_mention_in_a_body():
    """A case named for the word comes before one that mentions it once in its body."""
    CaseFactory(
        title="Regulator v. Someone Else",
        summary="An order about scraped photos.",
        body="Long account. " * 50 + "Counsel compared it to Clearview once. " + "More account. " * 50,
    )
    CaseFactory(title="Regulator v. Clearview AI", summary="An order about scraped photos.")
    assert titles("clearview") == ["Regulator v. Clearview AI", "Regulator v. Someone Else"]
    ranked = filter_cases(Case.objects.all(), "clearview").order_by("-search_rank")
    assert [case.title for case in ranked] == ["Regulator v. Clearview AI", "Regulator v. Someone Else"]


def test_field_weights_order_title_names_summary_body():
    """The same word ranks a case by where it appears: title, then party names, then summary, then body."""
    CaseFactory(title="In body", summary="An order.", body="The Zorblax matter.")
    CaseFactory(title="In summary", summary="An order against Zorblax.")
    named = CaseFactory(title="In names", summary="An order.")
    PartyFactory(case=named, company=CompanyFactory(name="Zorblax Labs"))
    CaseFactory(title="In the Matter of Zorblax", summary="An order.")
    assert titles("zorblax", SearchKind.CASE) == ["In the Matter of Zorblax", "In names", "In summary", "In body"]


def test_alias_of_a_party_finds_the_case_and_the_company():
    """'Weight Watchers' is an alias of WW International, a party to the Kurbo case."""
    ww = CompanyFactory(name="WW International", legal_name="WW International, Inc.", aliases="Weight Watchers\nWW")
    case = CaseFactory(title="United States v. Kurbo, Inc.", summary="A children's privacy order.")
    PartyFactory(case=case, company=ww)
    assert set(titles("Weight Watchers")) == {"United States v. Kurbo, Inc.", "WW International"}
    assert slugs(filter_cases(Case.objects.all(), "weight watchers")) == [case.slug]


def test_parent_company_names_find_a_subsidiarys_case():
    """A case against a subsidiary is found by its parent's names too."""
    parent = CompanyFactory(name="Metaverse Holdings", aliases="Facebucket")
    case = CaseFactory(title="Regulator v. Instasnap")
    PartyFactory(case=case, company=CompanyFactory(name="Instasnap", parent=parent))
    assert "Regulator v. Instasnap" in titles("facebucket")


@pytest.mark.parametrize(("q", "expected"), [("clear", "Clearview AI"), ("algorith", "Algorithm Corp")])
def test_prefixes_match_longer_words(q, expected):
    """'clear' finds Clearview, 'algorith' finds algorithm."""
    CompanyFactory(name="Clearview AI")
    CompanyFactory(name="Algorithm Corp")
    CompanyFactory(name="Unrelated Ltd")
    assert titles(q) == [expected]


def test_word_forms_match_through_stemming():
    """'algorithms' finds 'algorithm' and 'deletion' finds 'deleted': both databases stem English."""
    CaseFactory(title="Case A", summary="The algorithm was deleted.")
    assert titles("algorithms") == ["Case A"]
    assert titles("deletion") == ["Case A"]


def test_multi_word_queries_need_every_word_in_any_field():
    """Words combine with AND across fields: title, names and summary together."""
    both = CaseFactory(title="FTC v. Kurbo", summary="Children's health data in a weight-loss app.")
    CaseFactory(title="FTC v. Other", summary="Children's data in a game.")
    assert titles("kurbo children") == [both.title]
    assert titles("kurbo games") == []


def test_quoted_phrases_or_and_minus():
    """The websearch language: "phrase", a or b, -word."""
    CaseFactory(title="Case one", summary="Facial recognition at the pharmacy.")
    CaseFactory(title="Case two", summary="Recognition of facial features in photos.")
    CaseFactory(title="Case three", summary="Voice cloning.")
    assert titles('"facial recognition"') == ["Case one"]
    assert sorted(titles("cloning or pharmacy")) == ["Case one", "Case three"]
    assert titles("facial -pharmacy") == ["Case two"]


def test_stop_words_are_ignored_the_same_on_both_databases():
    """'the' and 'of' match nothing on their own and never block a match, even inside a quoted phrase."""
    CaseFactory(title="America v. Bank", summary="A dispute.")
    CaseFactory(title="Regulator v. Bank of America", summary="A dispute.")
    assert sorted(titles("the bank of america")) == ["America v. Bank", "Regulator v. Bank of America"]
    assert titles('"bank of america"') == ["Regulator v. Bank of America"]
    assert not parse("the of and")


def test_one_parse_compiles_to_both_query_languages():
    """Only letters and digits reach either database, always inside quotes."""
    query = parse('clear* "facial recognition" -italy kurbo OR ever-album NEAR( col:x \'; --')
    assert query.fts5() == (
        '(("clear"*) AND ("facial recognition") AND ("kurbo"* OR "ever album"*) AND ("near"*) AND ("col x"*)) '
        'NOT ("italy")'
    )
    assert query.tsquery() == (
        "('clear':*) & (('facial' <-> 'recognition')) & ('kurbo':* | ('ever' <-> 'album':*)) & ('near':*) "
        "& (('col' <-> 'x':*)) & !('italy')"
    )


def test_diacritics_are_folded():
    """'liberte' finds 'libertés' and the other way round."""
    CaseFactory(title="CNIL v. Someone", summary="Commission nationale de l'informatique et des libertés.")
    assert titles("liberte") == ["CNIL v. Someone"]
    assert titles("LIBERTÉS") == ["CNIL v. Someone"]


def test_datasets_and_exposure_lists_are_searched_and_labelled():
    """Results of every kind, each labelled with its kind and linked to its page."""
    dataset = DatasetFactory(name="Quokka photo archive", consent_terms="Told photos stay private.")
    exposure = ExposureListFactory(title="Quokka image generators")
    company = CompanyFactory(name="Quokka Labs")
    case = CaseFactory(title="FTC v. Quokka")
    hits = search_site("quokka")[0:20]
    assert {(hit.kind, hit.url) for hit in hits} == {
        (SearchKind.DATASET, dataset.get_absolute_url()),
        (SearchKind.EXPOSURE_LIST, exposure.get_absolute_url()),
        (SearchKind.COMPANY, company.get_absolute_url()),
        (SearchKind.CASE, case.get_absolute_url()),
    }
    assert search_site("quokka", SearchKind.DATASET).count() == 1


# --- Hostile input --------------------------------------------------------------------------------


@pytest.mark.parametrize("q", HOSTILE)
def test_hostile_input_answers_200(client, q):
    """Syntax a database would reject is only ever words to search for."""
    CaseFactory(title="Regulator v. Clearview AI")
    response = client.get("/search/", {"q": q})
    assert response.status_code == 200
    response = client.get("/search/", {"q": q, "type": "case", "page": "2"})
    assert response.status_code == 200


@pytest.mark.parametrize("q", HOSTILE)
def test_hostile_input_never_raises_in_filter_cases(q):
    CaseFactory(title="Regulator v. Clearview AI")
    assert filter_cases(Case.objects.all(), q).count() in (0, 1)


def test_random_punctuation_never_breaks_a_query():
    """Fuzz: strings of operators, quotes and words are always valid queries on both databases."""
    CaseFactory(title="Regulator v. Clearview AI", summary="Near the column; NOT an OR AND case.")
    alphabet = list("\"'*-+()[]{}:^~!&|<>@#$%,.;/\\ ") + ["AND", "OR", "NOT", "NEAR", "or", "clear", "case", " "]
    rng = random.Random(20260330)
    for _ in range(300):
        q = "".join(rng.choice(alphabet) for _ in range(rng.randint(1, 12)))
        results = search_site(q)
        results.count()
        results[0:20]
        list(filter_cases(Case.objects.all(), q))


@pytest.mark.parametrize("q", ["", "   "])
def test_empty_query_shows_the_form_and_a_hint(client, django_assert_num_queries, q):
    """No query: a labelled search form and tips, no results, no queries."""
    CaseFactory(title="Regulator v. Clearview AI")
    with django_assert_num_queries(0):
        response = client.get("/search/", {"q": q})
    assert response.status_code == 200
    assert '<label for="search-q">' in response.text
    assert "Search tips" in response.text
    assert "search-result" not in response.text
    assert "<title>Search — casebase</title>" in response.text


def test_query_without_words_says_so(client):
    response = client.get("/search/", {"q": "(((*"})
    assert response.status_code == 200
    assert "has no words to search for" in response.text


# --- The page -------------------------------------------------------------------------------------


def test_page_shows_count_query_kind_title_and_snippet(client):
    """Count and query in <title> and heading, the query echoed in the input, each result labelled."""
    case = CaseFactory(title="Regulator v. Clearview AI", summary="Fined Clearview for scraping faces.")
    CompanyFactory(name="Clearview AI")
    response = client.get("/search/", {"q": "clearview"})
    assert response.status_code == 200
    assert "<title>2 results for “clearview” — casebase</title>" in response.text
    assert "2 results for “clearview”</h1>" in response.text
    assert 'value="clearview"' in response.text
    assert f'href="{case.get_absolute_url()}"' in response.text
    assert "Fined <mark>Clearview</mark> for scraping faces." in response.text
    assert '<p class="search-result__kind">Company</p>' in response.text
    assert 'Companies <span class="count">(1)</span>' in response.text


def test_one_result_is_singular(client):
    CompanyFactory(name="Clearview AI")
    assert "1 result for “clearview”" in client.get("/search/", {"q": "clearview"}).text


def test_query_is_escaped_everywhere(client):
    """The reader's words are never markup: heading, title and input are escaped."""
    response = client.get("/search/", {"q": '"><script>alert(1)</script>'})
    assert response.status_code == 200
    assert "<script>alert(1)" not in response.text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in response.text


def test_snippets_escape_html_in_content(client):
    """A summary holding markup shows it as text; only the <mark> tags are real."""
    CaseFactory(
        title="Regulator v. <b>Bold</b> Corp",
        summary="<script>alert('x')</script> Clearview said <img src=x onerror=alert(1)> nothing.",
    )
    response = client.get("/search/", {"q": "clearview"})
    assert response.status_code == 200
    assert "<script>alert" not in response.text
    assert "<img src=x" not in response.text
    assert "<b>Bold</b>" not in response.text
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; <mark>Clearview</mark> said &lt;img" in response.text
    assert "Regulator v. &lt;b&gt;Bold&lt;/b&gt; Corp" in response.text


def test_markup_in_content_cannot_fake_a_highlight():
    """A <mark> typed into content is text; control and private-use characters are not indexed."""
    CaseFactory(title="Case", summary="\ue000<mark>fake</mark>\x07\ue001 clearview")
    (hit,) = search_site("clearview")[0:20]
    assert str(hit.snippet) == "&lt;mark&gt;fake&lt;/mark&gt; <mark>clearview</mark>"


def test_long_bodies_give_short_snippets_around_the_match():
    CaseFactory(title="Case", summary="Short.", body="word " * 500 + "zorblax here " + "word " * 500)
    (hit,) = search_site("zorblax")[0:20]
    text = str(hit.snippet)
    assert text.startswith("… ") and text.endswith(" …")
    assert "<mark>zorblax</mark>" in text
    assert len(text.split()) < 45


def test_kind_filter_keeps_counts_for_every_kind(client):
    CaseFactory(title="FTC v. Quokka")
    CompanyFactory(name="Quokka Labs")
    response = client.get("/search/", {"q": "quokka", "type": "company"})
    assert "1 company for “quokka”" in response.text
    assert "FTC v. Quokka" not in response.text
    assert 'Cases <span class="count">(1)</span>' in response.text


@pytest.mark.parametrize("page", ["2", "3", "999", "0", "-1", "abc", "2.5", "", "99999999999999999999999"])
def test_pagination_never_fails(client, page):
    """Twenty to a page; a page that does not exist shows the nearest one."""
    for n in range(25):
        CompanyFactory(name=f"Quokka {n}")
    response = client.get("/search/", {"q": "quokka", "page": page})
    assert response.status_code == 200
    assert "25 results for “quokka”" in response.text
    shown = response.text.count('class="search-result ')
    assert shown in (20, 5)


def test_second_page_has_the_rest(client):
    for n in range(25):
        CompanyFactory(name=f"Quokka {n}")
    response = client.get("/search/", {"q": "quokka", "page": "2"})
    assert response.text.count('class="search-result ') == 5
    assert "— page 2 of 2" in response.text
    assert 'rel="prev"' in response.text


@pytest.mark.parametrize("matching", [25, 50])
def test_search_page_query_count(client, django_assert_num_queries, matching):
    """Guards against N+1 on the search page: 25 or 50 matching records of every kind cost the same queries."""
    for n in range(matching):
        company = CompanyFactory(name=f"Quokka {n}", aliases="Quokka Inc")
        case = CaseFactory(title=f"FTC v. Quokka {n}")
        PartyFactory(case=case, company=company)
        RemedyFactory(case=case)
        DatasetFactory(name=f"Quokka data {n}")
    ExposureListFactory(title="Quokka exposure")
    with django_assert_num_queries(SEARCH_PAGE_QUERIES + BEST_BET_QUERIES):
        assert client.get("/search/", {"q": "quokka", "type": "company"}).status_code == 200
    with django_assert_num_queries(SEARCH_PAGE_QUERIES + CHIP_QUERIES + BEST_BET_QUERIES):
        response = client.get("/search/", {"q": "quokka", "type": "case"})
    assert response.text.count('class="remedy-chips"') == 20
    with django_assert_num_queries(SEARCH_PAGE_QUERIES + CHIP_QUERIES):
        assert client.get("/search/", {"q": "quokka", "type": "case", "page": "2"}).status_code == 200


# --- Publication ----------------------------------------------------------------------------------


@pytest.mark.parametrize("status", HIDDEN)
def test_unpublished_records_never_appear(client, status):
    """Drafts and withdrawn records of every kind are not in the index at all."""
    CaseFactory(title="Quokka case", status=status)
    CompanyFactory(name="Quokka company", status=status)
    DatasetFactory(name="Quokka dataset", status=status)
    ExposureListFactory(title="Quokka exposure", status=status)
    assert not SearchEntry.objects.filter(title__icontains="quokka").exists()
    assert titles("quokka") == []
    assert "0 results for “quokka”" in client.get("/search/", {"q": "quokka"}).text
    assert not filter_cases(Case.objects.all(), "quokka").exists()


@pytest.mark.parametrize("status", HIDDEN)
def test_records_disappear_when_unpublished_and_come_back(status):
    case = CaseFactory(title="Quokka case")
    company = CompanyFactory(name="Quokka company")
    assert set(titles("quokka")) == {"Quokka case", "Quokka company"}
    case.status = status
    case.save()
    company.status = status
    company.save()
    assert titles("quokka") == []
    case.status = PublicationStatus.PUBLISHED
    case.save()
    assert titles("quokka") == ["Quokka case"]


def test_unpublished_party_names_stay_out_of_a_case():
    """A draft company's aliases do not make a published case findable."""
    case = CaseFactory(title="Regulator v. Someone")
    PartyFactory(case=case, company=CompanyFactory(name="Secret Quokka", status=PublicationStatus.DRAFT))
    assert titles("quokka") == []


def test_deleting_records_removes_their_entries():
    case = CaseFactory(title="Quokka case")
    PartyFactory(case=case, company=CompanyFactory(name="Party"))
    dataset = DatasetFactory(name="Quokka dataset")
    exposure = ExposureListFactory(title="Quokka exposure")
    company = CompanyFactory(name="Quokka company")
    for record in (case, dataset, exposure, company):
        record.delete()
    assert titles("quokka") == []
    assert not SearchEntry.objects.filter(title__icontains="quokka").exists()


# --- The index follows changes ------------------------------------------------------------------


def test_renaming_an_alias_moves_the_case_to_the_new_name():
    company = CompanyFactory(name="WW International", aliases="Weight Watchers")
    case = CaseFactory(title="United States v. Kurbo")
    PartyFactory(case=case, company=company)
    company.aliases = "Slimming Society"
    company.save()
    assert titles("weight watchers") == []
    assert set(titles("slimming society")) == {"United States v. Kurbo", "WW International"}
    assert slugs(filter_cases(Case.objects.all(), "slimming")) == [case.slug]


def test_parties_added_and_removed_change_the_case():
    case = CaseFactory(title="Regulator v. Someone")
    party = PartyFactory(case=case, company=CompanyFactory(name="Quokka Labs"))
    assert "Regulator v. Someone" in titles("quokka")
    party.delete()
    assert "Regulator v. Someone" not in titles("quokka")


def test_related_text_changes_reach_the_case():
    """Remedy type names, datasets (many-to-many, either side) and a case's own edits re-index it."""
    case = CaseFactory(title="Regulator v. Someone", summary="An order.")
    remedy_type = RemedyTypeFactory(name="Algorithmic disgorgement")
    RemedyFactory(case=case, remedy_type=remedy_type)
    assert titles("disgorgement") == ["Regulator v. Someone"]
    remedy_type.name = "Model destruction"
    remedy_type.save()
    assert titles("destruction") == ["Regulator v. Someone"]
    dataset = DatasetFactory(name="Wombat archive")
    case.datasets.add(dataset)
    assert "Regulator v. Someone" in titles("wombat")
    dataset.cases.clear()
    assert "Regulator v. Someone" not in titles("wombat")
    case.title = "Regulator v. Platypus"
    case.save()
    assert titles("platypus") == ["Regulator v. Platypus"]


def test_exposure_entries_add_company_names_to_the_list():
    exposure = ExposureListFactory(title="Image generators")
    entry = ExposureEntryFactory(exposure_list=exposure, company=CompanyFactory(name="Quokka Diffusion"))
    assert "Image generators" in titles("quokka")
    entry.delete()
    assert "Image generators" not in titles("quokka")


def test_full_text_index_stays_consistent_with_its_table():
    """SQLite: the FTS5 index agrees with the entries after inserts, updates and deletes (integrity-check).
    PostgreSQL: every entry has its vector."""
    company = CompanyFactory(name="Quokka Labs", aliases="Old Name")
    case = CaseFactory(title="Regulator v. Quokka")
    PartyFactory(case=case, company=company)
    company.aliases = "New Name"
    company.save()
    CaseFactory(title="Gone").delete()
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute(f"INSERT INTO {FTS_TABLE}({FTS_TABLE}, rank) VALUES ('integrity-check', 1)")
    else:
        assert not SearchEntry.objects.filter(vector__isnull=True).exists()


def test_rebuild_command_restores_a_lost_index():
    CaseFactory(title="Quokka case")
    SearchEntry.objects.all().delete()
    assert titles("quokka") == []
    out = StringIO()
    call_command("rebuild_search_index", stdout=out)
    assert "1 cases" in out.getvalue()
    assert titles("quokka") == ["Quokka case"]


def test_rebuild_recreates_sqlite_triggers_a_table_rebuild_dropped():
    """SQLite drops triggers when Django remakes a table in a migration; the rebuild command restores them."""
    if connection.vendor != "sqlite":
        pytest.skip("the FTS5 triggers exist on SQLite only")
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TRIGGER {FTS_TABLE}_insert")
    CaseFactory(title="Quokka case")
    assert titles("quokka") == []
    call_command("rebuild_search_index", stdout=StringIO())
    assert titles("quokka") == ["Quokka case"]
    CaseFactory(title="Quokka two")
    assert sorted(titles("quokka")) == ["Quokka case", "Quokka two"]


# --- filter_cases: the case list's q filter ----------------------------------------------------------


def test_filter_cases_contract():
    """Same model, restricted to the given queryset, annotated with search_rank, nothing ordered."""
    title = CaseFactory(title="Regulator v. Clearview", jurisdiction="FR")
    body = CaseFactory(title="Regulator v. Other", body="Mentions clearview.", jurisdiction="FR")
    CaseFactory(title="Regulator v. Clearview UK", jurisdiction="GB")
    CompanyFactory(name="Clearview AI")
    french = Case.objects.filter(jurisdiction="FR")
    result = filter_cases(french, "clearview")
    assert result.model is Case
    assert not result.query.order_by
    assert slugs(result) == sorted([title.slug, body.slug])
    ranks = dict(result.values_list("slug", "search_rank"))
    assert ranks[title.slug] > ranks[body.slug] > 0
    assert list(result.order_by("-search_rank").values_list("slug", flat=True)) == [title.slug, body.slug]


def test_filter_cases_composes_with_other_filters_and_counts():
    CaseFactory(title="Regulator v. Clearview", jurisdiction="FR")
    CaseFactory(title="Regulator v. Clearview UK", jurisdiction="GB")
    result = filter_cases(Case.objects.all(), "clearview")
    assert result.filter(jurisdiction="GB").count() == 1
    assert result.count() == 2


@pytest.mark.parametrize("q", ["", "   ", "*", "AND OR NOT", "🙂", "-"])
def test_filter_cases_without_words_returns_the_queryset_unchanged(q):
    CaseFactory.create_batch(3)
    result = filter_cases(Case.objects.all(), q)
    assert result.count() == 3
    assert set(result.values_list("search_rank", flat=True)) == {0.0}


def test_filter_cases_with_no_match_is_empty():
    CaseFactory(title="Regulator v. Clearview")
    assert list(filter_cases(Case.objects.all(), "zzzzzz")) == []


def test_filter_cases_only_sees_published_entries_but_keeps_the_callers_queryset():
    """The index holds published cases only; the caller's queryset decides the rest."""
    CaseFactory(title="Draft Clearview", status=PublicationStatus.DRAFT)
    assert not filter_cases(Case.objects.all(), "clearview").exists()


def test_filter_cases_ranks_inside_one_query_that_does_not_grow_with_the_matches():
    """Guards against sending matches back to the database: 5 or 50 matches, one query with the same SQL."""

    def ranked_sql():
        with CaptureQueriesContext(connection) as context:
            ranked = list(filter_cases(Case.objects.all(), "quokka").order_by("-search_rank", "pk"))
        assert len(context) == 1
        return ranked, context.captured_queries[0]["sql"]

    CaseFactory.create_batch(5, summary="An order about quokka photos.")
    CaseFactory(title="Regulator v. Quokka")
    CaseFactory(title="Unrelated")
    few, few_sql = ranked_sql()
    CaseFactory.create_batch(45, summary="An order about quokka photos.")
    many, many_sql = ranked_sql()
    assert len(few) == 6 and len(many) == 51
    assert few[0].title == many[0].title == "Regulator v. Quokka"
    assert many_sql == few_sql


# --- The seed data ------------------------------------------------------------------------------------


def test_seed_leaves_a_complete_index_that_finds_the_right_cases():
    """'Weight Watchers' finds Kurbo through its parent's alias; Clearview's own cases come first."""
    call_command("seed", stdout=StringIO())
    kinds = {SearchKind.CASE: Case, SearchKind.COMPANY: Company, SearchKind.DATASET: Dataset}
    for kind, model in {**kinds, SearchKind.EXPOSURE_LIST: ExposureList}.items():
        assert SearchEntry.objects.filter(kind=kind).count() == model.objects.published().count() > 0

    assert "us-v-kurbo-ww" in slugs(filter_cases(Case.objects.all(), "Weight Watchers"))
    assert Case.objects.get(slug="us-v-kurbo-ww").title in titles("Weight Watchers")

    # The seed has no case that only mentions Clearview, so add one, as an editor might.
    CaseFactory(
        title="Regulator v. Facefinder",
        summary="A face-search company fined for scraping, much as Clearview AI was.",
        body="The decision cites the Clearview AI decisions of 2022 and Clearview's own terms.",
    )
    ranked = list(filter_cases(Case.objects.published(), "clearview").order_by("-search_rank"))
    named = [case for case in ranked if "clearview" in case.title.lower()]
    assert len(named) >= 8
    assert ranked[len(named) :] == [Case.objects.get(title="Regulator v. Facefinder")]
    # Across every kind of page, the entries named for Clearview come before those that mention it.
    hits = [hit.title.lower() for hit in search_site("clearview")[0:40]]
    in_title = ["clearview" in title for title in hits]
    assert in_title == sorted(in_title, reverse=True)
    assert in_title.count(False) >= 2


def test_a_missing_page_says_which_page_is_shown(client):
    """Asking for page 999 shows the last page and says so, as the case list does."""
    for n in range(25):
        CompanyFactory(name=f"Quokka {n}")
    response = client.get("/search/", {"q": "quokka", "page": "999"})
    assert "There is no page 999: these results fill 2 pages, so the last is shown." in response.text
    assert response.text.count('class="search-result ') == 5
    assert 'href="/search/?q=quokka" rel="prev"' in response.text
