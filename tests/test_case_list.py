"""The case list page, /cases/: what it shows, how it reads, how it pages, what it forgives and what it costs."""

import re
from html import unescape

import pytest
from django.urls import reverse

from casebase.knowledge.models import PublicationStatus, RemedyOrigin
from tests.factories import (
    AuthorityFactory,
    CaseFactory,
    DatasetFactory,
    LegalBasisFactory,
    PartyFactory,
    RemedyFactory,
    RemedyTypeFactory,
)
from tests.test_filters import make_cases, make_origin_cases

pytestmark = pytest.mark.django_db

URL = reverse("knowledge:case_list")

# Queries the list costs however many cases match: the page of cases and its count, the prefetch of the rows'
# remedies with their types (which carry each remedy's origin for the chips, at no extra cost), and the facets:
# one grouped query for the groups on the case row (authority, jurisdiction, kind, status, year), the names of
# the authorities it found, the remedy types and their counts, and one aggregate each for how the remedy came
# about, data and legal basis.
LIST_QUERIES = 10
# Each slug in the address is looked up once to validate it (here a remedy type and an authority); an origin is
# checked against a fixed list, without a query.
FILTERED_LIST_QUERIES = LIST_QUERIES + 2


def text(response):
    """The page as a reader hears it: hidden parts and tags dropped, entities decoded, whitespace collapsed."""
    heard = re.sub(r'<span[^>]*aria-hidden="true"[^>]*>[^<]*</span>', "", response.text)
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", heard)).split()).replace(" )", ")").replace("( ", "(")


def title(response):
    return unescape(re.search(r"<title>(.*?)</title>", response.text, re.S).group(1)).strip()


def row_titles(response):
    return [unescape(t) for t in re.findall(r'<h3 class="case-row__title"><a href="[^"]*">(.*?)</a>', response.text)]


@pytest.fixture
def w():
    return make_cases()


def test_list_shows_published_cases_newest_first(client, w):
    """Drafts and withdrawn cases never appear, in rows or counts."""
    response = client.get(URL)
    assert response.status_code == 200
    assert row_titles(response) == [
        "Echo v. Other",
        "Delta v. Child",
        "bravo v. Grandchild",
        "Alpha v. Parent",
        "Charlie v. Other",
    ]
    assert "Foxtrot" not in response.text and "Golf" not in response.text
    assert title(response) == "5 cases — casebase"  # one page: no "page 1 of 1"


def test_draft_remedy_types_and_datasets_stay_hidden(client, w):
    page = text(client.get(URL))
    assert "Secret remedy" not in page  # neither as a facet option nor as a chip on Echo's row
    assert "Text (0 cases)" in page  # Delta's text dataset is a draft
    assert "Model or algorithm deletion (2 cases)" in page  # not the draft's or the withdrawn case's


def test_heading_and_title_carry_count_and_description(client, w):
    response = client.get(URL, {"remedy": "model-deletion"})
    summary = "2 cases with remedy: model or algorithm deletion"
    assert title(response) == f"{summary} — casebase"
    assert f'<h2 class="results-heading" id="results-heading">{summary}</h2>' in response.text


def test_facet_counts_are_inside_the_labels(client, w):
    """Each option says how many cases it would show, zeros kept and greyed, other groups narrowing the count."""
    response = client.get(URL, {"remedy": "model-deletion"})
    page = text(response)
    for label in (
        "Model or algorithm deletion (2 cases)",
        "Data deletion (2 cases)",  # not narrowed by its own group's choice; D's is only sought
        "Consumer redress (1 case)",
        "Product withdrawal (0 cases)",
        "Federal Trade Commission (FTC) (1 case)",  # only A of the model deletions
        "US District Court for the Northern District of California (N.D. Cal.) (0 cases)",
        "France (FR) (1 case)",
        "Face images (2 cases)",
        "COPPA Rule (1 case)",
        "2024 (0 cases)",
    ):
        assert label in page, label
    assert re.search(
        r'<li class="facet__option facet__option--none">\s*<input[^>]*value="product-withdrawal"', response.text
    )
    # Heard once, in words and without a stray space: "(2 cases)"; seen as "(2)".
    assert '<span class="facet__count" aria-hidden="true">(2)</span><span class="visually-hidden">(2 cases)</span>' in (
        response.text
    )


def test_facet_groups_are_fieldsets_in_details_open_when_active(client, w):
    response = client.get(URL, {"remedy": "model-deletion"})
    groups = re.findall(r'<details class="facet"( open)?>\s*<summary class="facet__summary">(\w[\w ]*)', response.text)
    assert groups[0] == (" open", "Remedy ")
    # The one box that includes remedies that do not bind is always in view.
    assert groups[1] == (" open", "Which remedies count")
    assert all(not is_open for is_open, _ in groups[2:])
    assert response.text.count("<fieldset") == response.text.count("<legend") == 9
    assert re.search(
        r'<input class="facet__input" type="checkbox" id="[^"]+" name="remedy" value="model-deletion" checked>',
        response.text,
    )
    assert re.search(
        r'<input class="facet__input" type="radio" id="f-kind-any" name="kind" value="" checked>', response.text
    )


def test_every_control_has_a_label(client, w):
    html = client.get(URL, {"q": "v", "company": "parent-co"}).text
    ids = re.findall(r'<(?:input|select)(?![^>]*type="hidden")[^>]* id="([^"]+)"', html)
    assert len(ids) > 20
    for control in ids:
        assert re.search(rf'<label class="[^"]+" for="{control}">', html), control


def test_the_form_is_one_get_form_without_a_page_field(client, w):
    """Applying filters starts again at page 1, and the sort joins the same form (the other is Compare)."""
    html = client.get(URL, {"remedy": "model-deletion", "page": "1"}).text
    assert html.count("<form ") == 2 and html.count('<form class="compare-form"') == 1
    assert '<form class="finder__filters" id="case-filters" method="get" action="/cases/"' in html
    assert 'name="page"' not in html
    assert '<select class="field__select" id="filter-sort" name="sort" form="case-filters">' in html
    assert '<a href="#results">Skip to results</a>' in html and 'id="results"' in html


def test_company_and_search_words_survive_the_form(client, w):
    html = client.get(URL, {"company": "parent-co", "q": "v"}).text
    assert '<input type="hidden" name="company" value="parent-co">' in html
    assert 'name="q" value="v"' in html
    assert '<option value="relevance" selected>' in html


def test_active_filters_remove_one_at_a_time(client, w):
    response = client.get(URL, {"remedy": ["model-deletion", "data-deletion"], "authority": "ftc"})
    page = text(response)
    assert "Active filters" in page
    assert "Remove filter: Remedy: Model or algorithm deletion" in page
    assert "Remove filter: Authority or court: FTC" in page
    assert 'href="/cases/?remedy=model-deletion&amp;remedy=data-deletion"' in response.text  # FTC removed
    assert '<a href="/cases/">Clear all filters</a>' in response.text


def test_no_active_filters_no_list(client, w):
    assert "Active filters" not in client.get(URL).text


def test_no_results_says_so(client, w):
    response = client.get(URL, {"remedy": "product-withdrawal"})
    assert response.status_code == 200
    assert "No cases match these filters." in text(response)
    assert title(response) == "0 cases with remedy: product withdrawal — casebase"


def test_empty_parameters_redirect_to_a_short_address(client, w):
    """A submitted GET form sends every field; the shareable address keeps only those with a value."""
    response = client.get(URL + "?q=&remedy=model-deletion&kind=&authority=&year_from=&sort=newest")
    assert response.status_code == 302
    assert response["Location"] == "/cases/?remedy=model-deletion&sort=newest"
    assert client.get(URL + "?q=&kind=")["Location"] == "/cases/"


@pytest.mark.parametrize(
    "params, problem",
    [
        ({"remedy": "bogus"}, "Remedy “bogus” was ignored"),
        ({"origin": "bogus"}, "Remedy origin “bogus” was ignored: use any, imposed, ordered, agreed"),
        ({"year_from": "abc"}, "From year “abc” was ignored"),
        ({"sort": "bogus"}, "Sort “bogus” was ignored"),
        ({"kind": "nonsense"}, "Kind of case “nonsense” was ignored"),
        ({"page": "x"}, "Page “x” was ignored"),
        ({"page": "999"}, "There is no page 999"),
        ({"authority": "<script>alert(1)</script>"}, "Authority or court “<script>alert(1)</script>” was ignored"),
    ],
)
def test_invalid_values_show_a_problem_and_the_rest_of_the_page(client, w, params, problem):
    """Never a 500 and never an empty page because of one bad value."""
    response = client.get(URL, params)
    assert response.status_code == 200
    assert "There is a problem with the filters" in response.text
    assert problem in text(response)
    assert "<script>alert" not in response.text
    assert title(response) == "Error: 5 cases — casebase"
    assert len(row_titles(response)) == 5


def test_a_bad_value_leaves_the_good_ones_in_force(client, w):
    response = client.get(URL, {"remedy": ["model-deletion", "bogus"], "year_from": "abc", "jurisdiction": "FR"})
    assert response.status_code == 200
    assert row_titles(response) == ["Charlie v. Other"]
    assert (
        title(response)
        == "Error: 1 case with remedy: model or algorithm deletion, jurisdiction: France (FR) — casebase"
    )


def many_cases(n, remedy_type, authority):
    """n published cases with everything a row and the facets look at, plus three that do not match."""
    legal_basis = LegalBasisFactory()
    for _ in range(n):
        case = CaseFactory(authority=authority, forum=AuthorityFactory(), legal_bases=[legal_basis])
        case.datasets.add(DatasetFactory())
        RemedyFactory(case=case, remedy_type=remedy_type)
        RemedyFactory(case=case, origin=RemedyOrigin.SOUGHT)  # so that every row's chips work out an origin too
        PartyFactory.create_batch(2, case=case)
    for _ in range(3):
        CaseFactory(title="Unrelated case")


def test_pagination_keeps_the_filters(client):
    remedy_type = RemedyTypeFactory(slug="model-deletion", name="Model deletion")
    authority = AuthorityFactory(slug="ftc")
    many_cases(25, remedy_type, authority)
    first = client.get(URL, {"remedy": "model-deletion", "sort": "title"})
    assert len(row_titles(first)) == 20
    assert title(first).startswith("25 cases with remedy: model deletion — page 1 of 2")
    assert '<a href="/cases/?remedy=model-deletion&amp;sort=title&amp;page=2" rel="next">' in first.text
    assert (
        'aria-current="page"' in first.text and '<nav class="pagination" aria-label="Pages of results">' in first.text
    )
    second = client.get(URL, {"remedy": "model-deletion", "sort": "title", "page": "2"})
    assert title(second).startswith("25 cases with remedy: model deletion — page 2 of 2")
    assert len(row_titles(second)) == 5
    assert "Unrelated case" not in second.text
    assert '<a href="/cases/?remedy=model-deletion&amp;sort=title" rel="prev">' in second.text
    assert set(row_titles(first)).isdisjoint(row_titles(second))


def test_out_of_range_page_shows_the_last_page(client):
    many_cases(21, RemedyTypeFactory(slug="model-deletion"), AuthorityFactory())
    response = client.get(URL, {"remedy": "model-deletion", "page": "7"})
    assert response.status_code == 200
    assert "There is no page 7: these results fill 2 pages, so the last is shown." in text(response)
    assert len(row_titles(response)) == 1


def test_no_inline_style_or_script(client, w):
    """The Content Security Policy forbids them."""
    html = client.get(URL, {"remedy": "model-deletion", "kind": "nonsense"}).text
    assert "style=" not in html
    assert "<script" not in html


@pytest.mark.parametrize("n", [10, 100])
def test_list_query_count(client, django_assert_num_queries, n):
    """Guards against N+1 on the case list: the same number of queries at 10 and at 100 cases."""
    remedy_type = RemedyTypeFactory(slug="model-deletion")
    authority = AuthorityFactory(slug="ftc")
    many_cases(n, remedy_type, authority)
    with django_assert_num_queries(LIST_QUERIES):
        assert client.get(URL).status_code == 200
    with django_assert_num_queries(FILTERED_LIST_QUERIES):
        response = client.get(URL, {"remedy": "model-deletion", "authority": "ftc", "year_from": "2000"})
    assert title(response).startswith(f"{n} cases with remedy:")
    assert len(row_titles(response)) == min(n, 20)
    with django_assert_num_queries(FILTERED_LIST_QUERIES):
        response = client.get(
            URL, {"remedy": "model-deletion", "origin": ["imposed", "sought"], "authority": "ftc", "year_from": "2000"}
        )
    assert re.match(
        rf"{n} cases with remedy: remedy type \d+, ordered or agreed or sought by a plaintiff,", title(response)
    )
    assert response.text.count('class="remedy-chips__item--not-imposed"') == min(n, 20)


def test_unpublished_rows_behind_a_published_case_stay_hidden(client):
    """A draft remedy type on a published case shows no chip on its row."""
    case = CaseFactory(title="Visible case")
    RemedyFactory(case=case, remedy_type=RemedyTypeFactory(name="Hidden type", status=PublicationStatus.DRAFT))
    RemedyFactory(case=case, remedy_type=RemedyTypeFactory(name="Shown type"))
    page = text(client.get(URL))
    assert "Visible case" in page and "Shown type" in page and "Hidden type" not in page


def test_search_words_run_the_search_once(client, django_assert_num_queries):
    """Guards against N+1 with search words: the search is a subquery of the list's own queries, so it costs none."""
    many_cases(10, RemedyTypeFactory(slug="model-deletion"), AuthorityFactory(slug="ftc"))
    with django_assert_num_queries(LIST_QUERIES):
        response = client.get(URL, {"q": "Unrelated"})
    assert title(response) == "3 cases matching “Unrelated” — casebase"


def test_penalty_sort_says_how_it_compares(client, w):
    response = client.get(URL, {"sort": "penalty"})
    assert row_titles(response)[:2] == ["bravo v. Grandchild", "Alpha v. Parent"]
    assert "Civil penalties are compared in US dollars" in response.text
    assert "Civil penalties are compared" not in client.get(URL).text


# --- How each remedy came about ----------------------------------------------------------------------


def words_without(html, hidden):
    """The text of `html` less its spans marked `hidden`: hidden from the eye, or from a screen reader."""
    html = re.sub(rf"<span {hidden}>[^<]*</span>", "", html)
    return " ".join(unescape(re.sub(r"<[^>]+>", "", html)).split())


def chips(response):
    """{case title: [(each remedy chip as seen, as heard)]} for the rows of the page."""
    rows = {}
    for row in response.text.split('<li class="case-row">')[1:]:
        case_title = unescape(re.search(r'<h3 class="case-row__title"><a href="[^"]*">(.*?)</a>', row).group(1))
        listed = re.search(r'<ul class="remedy-chips"[^>]*>(.*?)</ul>', row, re.S)
        items = re.findall(r"<li[^>]*>(.*?)</li>", listed.group(1), re.S) if listed else []
        rows[case_title] = [
            (words_without(item, 'class="visually-hidden"'), words_without(item, 'aria-hidden="true"'))
            for item in items
        ]
    return rows


def test_rows_say_when_a_remedy_was_not_imposed(client):
    """A chip names the origin when no remedy of its type on the case was ordered or agreed."""
    make_origin_cases()
    rows = chips(client.get(URL, {"sort": "title"}))
    assert rows == {
        "Papa v. Company": [  # its model deletion only sought, its data deletion ordered
            ("Model or algorithm deletion · sought", "Model or algorithm deletion, sought"),
            ("Data deletion", "Data deletion"),
        ],
        "Quebec v. Company": [
            ("Model or algorithm deletion", "Model or algorithm deletion"),
            ("Civil penalty or fine", "Civil penalty or fine"),
        ],
        "Romeo v. Company": [
            ("Model or algorithm deletion · voluntary", "Model or algorithm deletion, voluntary"),
            ("Data deletion · voluntary", "Data deletion, voluntary"),
        ],
        "Sierra v. Company": [
            ("Model or algorithm deletion · sought", "Model or algorithm deletion, sought"),
            ("Civil penalty or fine · proposed", "Civil penalty or fine, proposed"),
        ],
        # One model deletion ordered and one sought: it was imposed, so no word.
        "Tango v. Company": [("Model or algorithm deletion", "Model or algorithm deletion")],
        # Neither penalty binds, for different reasons; the draft type's voluntary remedy stays hidden.
        "Uniform v. Company": [
            ("Civil penalty or fine · proposed or sought", "Civil penalty or fine, proposed or sought")
        ],
    }


def test_model_deletions_bind_by_default(client):
    """The researcher's question, "which orders forced a company to delete a model?": binding ones, unless asked."""
    make_origin_cases()
    response = client.get(URL, {"remedy": "model-deletion", "sort": "title"})
    assert row_titles(response) == ["Quebec v. Company", "Tango v. Company"]  # not Papa, whose is only sought
    assert title(response) == "2 cases with remedy: model or algorithm deletion — casebase"
    page = text(response)
    for label in (
        "Model or algorithm deletion (2 cases)",  # Q, T
        "Data deletion (1 case)",  # P's ordered one, not R's voluntary one
        "Include remedies that do not bind (proposed, voluntary or sought) (5 cases)",  # P, Q, R, S, T
    ):
        assert label in page, label
    assert re.search(
        r'<input class="facet__input" type="checkbox" id="[^"]+" name="origin" value="any">', response.text
    )
    assert re.search(r'<fieldset class="facet__fieldset" aria-describedby="f-origin-hint">', response.text)
    assert 'name="origin" value="imposed"' not in response.text  # the old origin options are gone from the form

    # Naming the binding origins changes nothing but the words; the form keeps them as a hidden field.
    explicit = client.get(URL, {"remedy": "model-deletion", "origin": "imposed", "sort": "title"})
    assert row_titles(explicit) == ["Quebec v. Company", "Tango v. Company"]
    assert "Remove filter: Remedy origin: Ordered or agreed" in text(explicit)
    assert '<input type="hidden" name="origin" value="imposed">' in explicit.text


def test_the_remedies_that_do_not_bind_come_in_when_asked_labelled(client):
    make_origin_cases()
    response = client.get(URL, {"remedy": "model-deletion", "origin": "any", "sort": "title"})
    assert row_titles(response) == [
        "Papa v. Company",
        "Quebec v. Company",
        "Romeo v. Company",
        "Sierra v. Company",
        "Tango v. Company",
    ]
    summary = "5 cases with remedy: model or algorithm deletion, including remedies that do not bind"
    assert title(response) == f"{summary} — casebase"
    assert "Remove filter: Including remedies that do not bind" in text(response)
    assert 'href="/cases/?remedy=model-deletion&amp;sort=title"' in response.text  # the widening removed
    assert re.search(
        r'<input class="facet__input" type="checkbox" id="[^"]+" name="origin" value="any" checked>', response.text
    )
    assert '<input type="hidden" name="origin"' not in response.text  # the box carries it
    rows = chips(response)
    assert rows["Papa v. Company"][0][0] == "Model or algorithm deletion · sought"
    assert rows["Romeo v. Company"][0][0] == "Model or algorithm deletion · voluntary"
    assert rows["Quebec v. Company"][0][0] == "Model or algorithm deletion"


def test_an_empty_result_gives_tips_and_ways_back(client):
    make_origin_cases()
    response = client.get(URL, {"remedy": "model-deletion", "authority": "cnil", "q": "company"})
    assert row_titles(response) == []
    page = text(response)
    assert "No cases match these filters." in page and "What you can try" in page
    # One step back: the last filter in the list removed, the others kept.
    assert '<a href="/cases/?q=company&amp;remedy=model-deletion">Go back one step' in response.text
    assert '<a href="/cases/?q=company&amp;remedy=model-deletion&amp;authority=cnil&amp;origin=any">' in (
        response.text
    )  # the CNIL's model deletions were voluntary or sought
    assert '<a href="/search/?q=company">Search the whole site for “company”</a>' in response.text
    assert '<a href="/cases/">Clear all filters and see every case</a>' in response.text
