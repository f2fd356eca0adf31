"""CaseFilter: every parameter alone and together, facet counts, sorting and forgiving validation.

Expected results are worked out by hand from the small set of cases below, never by re-running a query.
"""

import datetime
from types import SimpleNamespace

import pytest
from django.http import QueryDict

from casebase.knowledge.filters import CaseFilter, without_blanks
from casebase.knowledge.models import (
    AuthorityKind,
    CaseKind,
    CaseStatus,
    DatePrecision,
    Modality,
    PublicationStatus,
    RemedyCategory,
    RemedyOrigin,
)
from casebase.knowledge.paging import page_of
from tests.factories import (
    AuthorityFactory,
    CaseFactory,
    CompanyFactory,
    DatasetFactory,
    LegalBasisFactory,
    PartyFactory,
    RemedyFactory,
    RemedyTypeFactory,
)

pytestmark = pytest.mark.django_db

DRAFT, WITHDRAWN = PublicationStatus.DRAFT, PublicationStatus.WITHDRAWN


def day(year, month=1, date=1):
    return datetime.date(year, month, date)


def make_cases():
    """Five published cases (A to E), one draft (F) and one withdrawn (G), with what each facet looks at.

    A  FTC; US; administrative order, final; decided 2021. Model deletion, $5m penalty. Parent. Face data. COPPA.
    B  FTC before N.D. Cal.; US; court action, settled; started 2019, decided 2022. Data deletion, penalties of
       $20m and $1k. Grandchild. Voice data.
    C  CNIL; FR; DPA decision, final; decided 2020. Model and data deletion, $50m redress. Other. Face data. GDPR.
    D  no authority, N.D. Cal. as forum; US-CA; private action, pending; started 2023 only. Data deletion (sought).
       Child. A draft text dataset.
    E  FTC; US; administrative order, proposed; decided 2024. A penalty without a dollar figure, and a remedy of a
       draft type. Other.
    F  draft: Garante; model deletion, $999m penalty; Parent; face and voice data; BIPA; decided 2018.
    G  withdrawn: ICO; model deletion; Grandchild; face data; decided 2017.
    Parent owns Child, which owns Grandchild.
    """
    t = SimpleNamespace()
    t.md = RemedyTypeFactory(slug="model-deletion", name="Model or algorithm deletion", sort_order=1)
    t.dd = RemedyTypeFactory(slug="data-deletion", name="Data deletion", sort_order=2)
    t.cp = RemedyTypeFactory(
        slug="civil-penalty", name="Civil penalty or fine", sort_order=3, category=RemedyCategory.MONETARY
    )
    t.cr = RemedyTypeFactory(
        slug="consumer-redress", name="Consumer redress", sort_order=4, category=RemedyCategory.MONETARY
    )
    t.pw = RemedyTypeFactory(slug="product-withdrawal", name="Product withdrawal", sort_order=5)
    t.secret = RemedyTypeFactory(slug="secret-remedy", name="Secret remedy", sort_order=6, status=DRAFT)

    t.ftc = AuthorityFactory(slug="ftc", name="Federal Trade Commission", short_name="FTC")
    t.court = AuthorityFactory(
        slug="nd-cal", name="US District Court for the Northern District of California", short_name="N.D. Cal.",
        kind=AuthorityKind.COURT,
    )  # fmt: skip
    t.cnil = AuthorityFactory(slug="cnil", name="Commission nationale", short_name="CNIL", jurisdiction="FR")
    t.garante = AuthorityFactory(slug="garante", name="Garante", short_name="", jurisdiction="IT")
    t.ico = AuthorityFactory(slug="ico", name="Information Commissioner's Office", short_name="ICO")

    t.parent = CompanyFactory(slug="parent-co", name="Parent Co")
    t.child = CompanyFactory(slug="child-co", name="Child Co", parent=t.parent)
    t.grandchild = CompanyFactory(slug="grandchild-co", name="Grandchild Co", parent=t.child)
    t.other = CompanyFactory(slug="other-co", name="Other Co")

    t.coppa = LegalBasisFactory(slug="coppa", name="COPPA Rule")
    t.gdpr = LegalBasisFactory(slug="gdpr", name="GDPR")
    t.bipa = LegalBasisFactory(slug="bipa", name="Illinois BIPA")

    t.face = DatasetFactory(modality=Modality.FACE_IMAGES)
    t.voice = DatasetFactory(modality=Modality.VOICE)
    t.draft_text = DatasetFactory(modality=Modality.TEXT, status=DRAFT)

    def case(title, *, started=None, decided=None, **kwargs):
        return CaseFactory(
            title=title,
            started_on=started,
            started_on_precision=DatePrecision.DAY if started else "",
            decided_on=decided,
            decided_on_precision=DatePrecision.DAY if decided else "",
            **kwargs,
        )

    t.a = case(
        "Alpha v. Parent", authority=t.ftc, jurisdiction="US", kind=CaseKind.ADMINISTRATIVE_ORDER,
        case_status=CaseStatus.FINAL_ORDER, started=day(2020), decided=day(2021, 5, 7), legal_bases=[t.coppa],
        datasets=[t.face],
    )  # fmt: skip
    RemedyFactory(case=t.a, remedy_type=t.md)
    RemedyFactory(case=t.a, remedy_type=t.cp, amount=5_000_000, currency="USD", amount_usd=5_000_000)
    PartyFactory(case=t.a, company=t.parent)

    t.b = case(
        "bravo v. Grandchild", authority=t.ftc, forum=t.court, jurisdiction="US",
        kind=CaseKind.FEDERAL_COURT_ACTION, case_status=CaseStatus.SETTLED, started=day(2019, 3, 1),
        decided=day(2022, 3, 1), datasets=[t.voice],
    )  # fmt: skip
    RemedyFactory(case=t.b, remedy_type=t.dd)
    RemedyFactory(case=t.b, remedy_type=t.cp, amount=20_000_000, currency="USD", amount_usd=20_000_000)
    RemedyFactory(case=t.b, remedy_type=t.cp, amount=1_000, currency="USD", amount_usd=1_000)
    PartyFactory(case=t.b, company=t.grandchild)

    t.c = case(
        "Charlie v. Other", authority=t.cnil, jurisdiction="FR", kind=CaseKind.DPA_DECISION,
        case_status=CaseStatus.FINAL_ORDER, decided=day(2020, 6, 1), legal_bases=[t.gdpr], datasets=[t.face],
    )  # fmt: skip
    RemedyFactory(case=t.c, remedy_type=t.md)
    RemedyFactory(case=t.c, remedy_type=t.dd)
    RemedyFactory(case=t.c, remedy_type=t.cr, amount=50_000_000, currency="USD", amount_usd=50_000_000)
    PartyFactory(case=t.c, company=t.other)

    t.d = case(
        "Delta v. Child", authority=None, forum=t.court, jurisdiction="US-CA", kind=CaseKind.PRIVATE_ACTION,
        case_status=CaseStatus.PENDING_TRIAL, started=day(2023, 2, 1), datasets=[t.draft_text],
    )  # fmt: skip
    RemedyFactory(case=t.d, remedy_type=t.dd, origin=RemedyOrigin.SOUGHT)
    PartyFactory(case=t.d, company=t.child)

    t.e = case(
        "Echo v. Other", authority=t.ftc, jurisdiction="US", kind=CaseKind.ADMINISTRATIVE_ORDER,
        case_status=CaseStatus.PROPOSED_ORDER, started=day(2024), decided=day(2024, 9, 1),
    )  # fmt: skip
    RemedyFactory(case=t.e, remedy_type=t.cp, amount=None, amount_usd=None)
    RemedyFactory(case=t.e, remedy_type=t.secret)
    PartyFactory(case=t.e, company=t.other)

    t.f = case(
        "Foxtrot draft", status=DRAFT, authority=t.garante, jurisdiction="IT", kind=CaseKind.DPA_DECISION,
        decided=day(2018, 2, 1), legal_bases=[t.bipa], datasets=[t.face, t.voice],
    )  # fmt: skip
    RemedyFactory(case=t.f, remedy_type=t.md)
    RemedyFactory(case=t.f, remedy_type=t.cp, amount=999_000_000, currency="USD", amount_usd=999_000_000)
    PartyFactory(case=t.f, company=t.parent)

    t.g = case(
        "Golf withdrawn", status=WITHDRAWN, authority=t.ico, jurisdiction="GB", kind=CaseKind.DPA_DECISION,
        decided=day(2017, 2, 1), datasets=[t.face],
    )  # fmt: skip
    RemedyFactory(case=t.g, remedy_type=t.md)
    PartyFactory(case=t.g, company=t.grandchild)
    return t


@pytest.fixture
def w():
    return make_cases()


def run(query):
    """The filterset for a query string such as 'remedy=x&kind=y'."""
    return CaseFilter(QueryDict(query))


def titles(filterset):
    return [case.title for case in filterset.qs]


def letters(filterset):
    """The cases as a set of their letters, A to G."""
    return {case.title[0].upper() for case in filterset.qs}


def counts(filterset, name):
    """{option value: count} of one facet group."""
    facet = next(facet for facet in filterset.facets() if facet.name == name)
    return {option.value: option.count for option in facet.options}


# --- Each filter alone --------------------------------------------------------------------------------


def test_no_filters_lists_published_cases_only(w):
    """Drafts (F) and withdrawn cases (G) never appear."""
    assert letters(run("")) == set("ABCDE")


def test_a_filterset_without_data_is_the_published_list(w):
    assert letters(CaseFilter()) == set("ABCDE")


def test_a_caller_queryset_is_still_limited_to_published_cases(w):
    from casebase.knowledge.models import Case

    assert letters(CaseFilter(QueryDict(""), queryset=Case.objects.all())) == set("ABCDE")


@pytest.mark.parametrize(
    "query, expected",
    [
        ("remedy=model-deletion", "AC"),
        ("remedy=data-deletion", "BC"),  # a remedy binds by default: not D, whose data deletion is only sought
        ("remedy=data-deletion&origin=any", "BCD"),
        ("remedy=civil-penalty", "ABE"),
        ("remedy=model-deletion&remedy=data-deletion", "ABC"),  # OR within the group
        ("remedy=product-withdrawal", ""),
        ("authority=ftc", "ABE"),
        ("authority=nd-cal", "BD"),  # as forum: B's authority is the FTC, D has none
        ("authority=cnil", "C"),
        ("authority=garante", ""),  # only on a draft case
        ("jurisdiction=US", "ABE"),
        ("jurisdiction=us", "ABE"),
        ("jurisdiction=US-CA", "D"),
        ("kind=administrative_order", "AE"),
        ("kind=voluntary_commitment", ""),
        ("status=final_order", "AC"),
        ("status=pending_trial", "D"),
        ("company=parent-co", "ABD"),  # itself (A), its child (D) and its grandchild (B)
        ("company=child-co", "BD"),
        ("company=grandchild-co", "B"),
        ("company=other-co", "CE"),
        ("modality=face_images", "AC"),
        ("modality=voice", "B"),
        ("modality=text", ""),  # D's text dataset is a draft
        ("legal_basis=coppa", "A"),
        ("legal_basis=gdpr", "C"),
        ("legal_basis=bipa", ""),  # only on the draft case
        ("year_from=2021", "ABDE"),  # D by its start, having no decision
        ("year_to=2021", "AC"),  # B started in 2019 but was decided in 2022
        ("year_to=2019", ""),
        ("year_from=2022&year_to=2023", "BD"),
        ("year_from=2020&year_to=2020", "C"),
        ("q=Charlie", "C"),
        ("origin=sought", "D"),  # every other remedy is ordered
        ("origin=imposed", "ABCE"),
        ("remedy=data-deletion&origin=imposed", "BC"),  # not D, whose data deletion is only sought
        ("origin=any", "ABCDE"),  # without a remedy type it narrows nothing
    ],
)
def test_each_filter_alone(w, query, expected):
    filterset = run(query)
    assert filterset.is_valid(), filterset.errors
    assert letters(filterset) == set(expected)


def test_to_many_filters_never_repeat_a_case(w):
    """B has two penalties and C both deletions: each still appears once."""
    assert sorted(titles(run("remedy=civil-penalty"))) == ["Alpha v. Parent", "Echo v. Other", "bravo v. Grandchild"]
    assert len(titles(run("remedy=model-deletion&remedy=data-deletion"))) == 3
    assert len(titles(run("remedy=model-deletion&remedy=data-deletion&origin=any"))) == 4
    assert len(titles(run("company=parent-co&remedy=civil-penalty&remedy=data-deletion"))) == 2  # A, B; not D
    assert len(titles(run("company=parent-co&remedy=civil-penalty&remedy=data-deletion&origin=any"))) == 3


# --- Filters together ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "query, expected",
    [
        ("remedy=data-deletion&authority=nd-cal", "B"),
        ("remedy=data-deletion&authority=nd-cal&origin=any", "BD"),
        ("remedy=data-deletion&authority=nd-cal&jurisdiction=US", "B"),
        ("company=other-co&remedy=civil-penalty", "E"),
        ("remedy=model-deletion&remedy=data-deletion&year_from=2021", "AB"),
        ("modality=face_images&status=final_order&legal_basis=gdpr", "C"),
        ("authority=ftc&kind=administrative_order&year_to=2022", "A"),
        ("company=parent-co&modality=voice", "B"),
        ("q=Charlie&remedy=data-deletion", "C"),
        ("q=Charlie&remedy=civil-penalty", ""),
    ],
)
def test_filters_combine_with_and(w, query, expected):
    assert letters(run(query)) == set(expected)


# --- Sorting ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "sort, expected",
    [
        ("", "EDBAC"),  # newest by key date: E 2024, D 2023 (started), B 2022, A 2021, C 2020
        ("newest", "EDBAC"),
        ("oldest", "CABDE"),
        # Largest civil penalty in dollars: B $20m (not its $1k), A $5m; then those without one, newest first —
        # E's penalty has no dollar figure and C's $50m is redress, not a penalty.
        ("penalty", "BAEDC"),
        ("title", "ABCDE"),  # "bravo" sorts between "Alpha" and "Charlie" whatever the case
        ("relevance", "EDBAC"),  # without search words, relevance means nothing: newest
    ],
)
def test_sorts(w, sort, expected):
    filterset = run(f"sort={sort}")
    assert "".join(case.title[0].upper() for case in filterset.qs) == expected


def test_search_words_sort_by_relevance_by_default():
    assert run("q=deletion").sort_key == "relevance"
    assert run("q=deletion&sort=oldest").sort_key == "oldest"
    assert run("").sort_key == "newest"


def test_relevance_is_offered_only_with_search_words():
    assert "relevance" not in dict(run("").sort_choices)
    assert "relevance" in dict(run("q=face").sort_choices)


def test_sort_keeps_filters(w):
    assert "".join(case.title[0].upper() for case in run("remedy=civil-penalty&sort=penalty").qs) == "BAE"


# --- Facet counts -------------------------------------------------------------------------------------


def test_facet_counts_without_filters(w):
    """Every option counted over published cases only; options with none are kept at 0."""
    filterset = run("")
    assert counts(filterset, "remedy") == {
        "model-deletion": 2,  # A, C (not the draft F nor the withdrawn G)
        "data-deletion": 2,  # B, C; not D, whose data deletion is only sought
        "civil-penalty": 3,  # A, B (twice, counted once), E
        "consumer-redress": 1,  # C
        "product-withdrawal": 0,
    }  # and no draft "secret-remedy"
    assert counts(filterset, "authority") == {"ftc": 3, "nd-cal": 2, "cnil": 1}  # not Garante or ICO
    assert counts(filterset, "jurisdiction") == {"US": 3, "FR": 1, "US-CA": 1}
    assert counts(filterset, "kind") == {
        "administrative_order": 2,
        "federal_court_action": 1,
        "dpa_decision": 1,
        "private_action": 1,
        "voluntary_commitment": 0,
        "guidance": 0,
    }
    assert counts(filterset, "status") == dict.fromkeys(CaseStatus.values, 0) | {
        "final_order": 2,
        "settled": 1,
        "pending_trial": 1,
        "proposed_order": 1,
    }
    assert counts(filterset, "modality") == dict.fromkeys(Modality.values, 0) | {"face_images": 2, "voice": 1}
    assert counts(filterset, "legal_basis") == {"coppa": 1, "gdpr": 1}  # BIPA is only on the draft
    assert counts(filterset, "origin") == {"any": 5}  # with no remedy chosen, widening it changes nothing
    assert {year.value: year.count for year in filterset.year_facet().years} == {
        "2024": 1,
        "2023": 1,
        "2022": 1,
        "2021": 1,
        "2020": 1,
    }


def test_facet_counts_follow_the_other_groups(w):
    """Choosing a remedy narrows the other groups' counts but not the remedy group's own."""
    filterset = run("remedy=model-deletion")  # A, C
    assert counts(filterset, "remedy") == {
        "model-deletion": 2,
        "data-deletion": 2,
        "civil-penalty": 3,
        "consumer-redress": 1,
        "product-withdrawal": 0,
    }
    assert counts(filterset, "authority") == {"ftc": 1, "nd-cal": 0, "cnil": 1}
    assert counts(filterset, "jurisdiction") == {"US": 1, "FR": 1, "US-CA": 0}
    assert counts(filterset, "kind")["administrative_order"] == 1
    assert counts(filterset, "kind")["federal_court_action"] == 0
    assert counts(filterset, "modality")["face_images"] == 2
    assert counts(filterset, "modality")["voice"] == 0
    assert counts(filterset, "origin") == {"any": 2}  # D's sought remedy is a data deletion: still A, C


def test_facet_counts_with_two_groups(w):
    """Each group is counted against the other: remedies over the FTC's cases, authorities over model deletions."""
    filterset = run("remedy=model-deletion&authority=ftc")  # A
    assert letters(filterset) == {"A"}
    assert counts(filterset, "remedy") == {
        "model-deletion": 1,  # of A, B, E: A
        "data-deletion": 1,  # B
        "civil-penalty": 3,  # A, B, E
        "consumer-redress": 0,
        "product-withdrawal": 0,
    }
    assert counts(filterset, "authority") == {"ftc": 1, "nd-cal": 0, "cnil": 1}  # of A, C
    assert counts(filterset, "status") == dict.fromkeys(CaseStatus.values, 0) | {"final_order": 1}  # of A


def test_year_counts_ignore_the_year_range_only(w):
    filterset = run("remedy=model-deletion&remedy=data-deletion&year_from=2021")  # A, B (D's is only sought)
    assert letters(filterset) == set("AB")
    assert counts(filterset, "remedy")["model-deletion"] == 1  # of A, B, D, E: A
    assert counts(filterset, "remedy")["data-deletion"] == 1  # B
    assert counts(filterset, "remedy")["civil-penalty"] == 3  # A, B, E
    years = {year.value: year.count for year in filterset.year_facet().years}
    assert years == {"2024": 0, "2023": 0, "2022": 1, "2021": 1, "2020": 1}  # of A, B, C


def test_selected_options_are_marked(w):
    facets = {facet.name: facet for facet in run("remedy=data-deletion&kind=private_action").facets()}
    assert [o.value for o in facets["remedy"].options if o.selected] == ["data-deletion"]
    assert facets["remedy"].active and facets["kind"].active and not facets["authority"].active


def test_search_without_matches_counts_nothing(w):
    """No match is an empty list with every count at 0, not an error."""
    filterset = run("q=zzyzx&remedy=model-deletion")
    assert letters(filterset) == set()
    assert set(counts(filterset, "remedy").values()) == {0}
    assert set(counts(filterset, "authority").values()) == {0}
    assert {year.count for year in filterset.year_facet().years} == {0}


@pytest.mark.parametrize("query", ["", "remedy=model-deletion&origin=imposed&origin=sought"])
def test_facets_cost_a_fixed_number_of_queries(w, django_assert_num_queries, query):
    """Guards against N+1 in the facets: a fixed number of grouped queries, whatever the number of options.

    One grouped query for the groups on the case row (authority, jurisdiction, kind, status and the years, which
    it also serves), the names of the authorities found, the remedy types and their counts, and one each for which
    remedies count, data and legal basis.
    """
    filterset = run(query)
    filterset.is_valid()
    with django_assert_num_queries(7):
        filterset.facets()
    with django_assert_num_queries(0):
        filterset.year_facet()


# --- Invalid values are reported and ignored ----------------------------------------------------------


@pytest.mark.parametrize(
    "query, problem",
    [
        ("remedy=bogus", "Remedy “bogus” was ignored: it is not a remedy type we list."),
        ("remedy=secret-remedy", "Remedy “secret-remedy” was ignored"),  # a draft type is unknown to readers
        ("authority=nowhere", "Authority or court “nowhere” was ignored"),
        ("jurisdiction=U$", "Jurisdiction “U$” was ignored"),
        ("kind=nonsense", "Kind of case “nonsense” was ignored: it is not a kind of case we list."),
        ("status=lost", "Status “lost” was ignored"),
        ("company=nobody", "Company “nobody” was ignored"),
        ("modality=smell", "Kind of data “smell” was ignored"),
        ("legal_basis=magna-carta", "Legal basis “magna-carta” was ignored"),
        ("year_from=abc", "From year “abc” was ignored: a year is four digits, such as 2021."),
        ("year_to=12345", "To year “12345” was ignored"),
        ("sort=bogus", "Sort “bogus” was ignored"),
        ("q=" + "x" * 201, "Search “" + "x" * 39 + "…” was ignored"),
        ("kind=%00", "Kind of case"),
        ("remedy=%00", "Remedy"),
        (
            "origin=bogus",
            "Remedy origin “bogus” was ignored: use any, imposed, ordered, agreed, proposed, voluntary or sought.",
        ),
        ("origin=Imposed", "Remedy origin “Imposed” was ignored"),
        ("origin=%00", "Remedy origin"),
    ],
)
def test_invalid_values_are_reported_and_ignored(w, query, problem):
    filterset = run(query)
    assert not filterset.is_valid()
    assert any(problem in message for message in filterset.problems), filterset.problems
    assert letters(filterset) == set("ABCDE")
    filterset.facets()  # never raises either


def test_one_unknown_remedy_leaves_the_known_ones_in_force(w):
    filterset = run("remedy=model-deletion&remedy=bogus&kind=dpa_decision")
    assert letters(filterset) == {"C"}
    assert filterset.problems == ["Remedy “bogus” was ignored: it is not a remedy type we list."]


def test_several_problems_each_get_a_sentence(w):
    filterset = run("kind=nonsense&year_from=abc&sort=bogus&remedy=model-deletion")
    assert len(filterset.problems) == 3
    assert letters(filterset) == set("AC")


def test_years_the_wrong_way_round_are_swapped(w):
    filterset = run("year_from=2022&year_to=2021")
    assert letters(filterset) == set("AB")
    assert filterset.problems == ["The years were the wrong way round, so cases from 2021 to 2022 are shown."]


# --- Words and links ----------------------------------------------------------------------------------


def test_description_names_every_filter(w):
    filterset = run(
        "q=face&remedy=model-deletion&remedy=data-deletion&authority=ftc&jurisdiction=us&kind=administrative_order"
        "&status=final_order&company=parent-co&modality=face_images&legal_basis=coppa&year_from=2019&year_to=2021"
    )
    assert filterset.description() == (
        "matching “face” with remedy: model or algorithm deletion or data deletion, authority or court: FTC, "
        "jurisdiction: United States (US), kind of case: administrative order, status: final order, "
        "kind of data: face images, company: Parent Co or its subsidiaries, legal basis: COPPA Rule, "
        "year: 2019 to 2021"
    )


def test_summary_counts_and_pages(w):
    filterset = run("remedy=model-deletion")
    page, problem = page_of(filterset.qs, None)
    assert problem is None
    assert filterset.summary(page) == "2 cases with remedy: model or algorithm deletion"  # one page: no "page 1 of 1"
    filterset = run("year_from=2024")
    assert filterset.summary(page_of(filterset.qs, "1")[0]) == "1 case with year: 2024 or later"
    filterset = run("")
    assert filterset.summary(page_of(list(range(45)), "2")[0]) == "45 cases — page 2 of 3"


def test_removal_links_drop_one_filter_and_keep_the_rest(w):
    filterset = run("remedy=model-deletion&remedy=data-deletion&kind=bogus&authority=ftc&sort=oldest&page=2")
    assert filterset.removal_links() == [
        ("Remedy: Model or algorithm deletion", "?remedy=data-deletion&authority=ftc&sort=oldest"),
        ("Remedy: Data deletion", "?remedy=model-deletion&authority=ftc&sort=oldest"),
        ("Authority or court: FTC", "?remedy=model-deletion&remedy=data-deletion&sort=oldest"),
    ]  # the invalid kind and the page are dropped
    assert filterset.clear_query() == "?sort=oldest"


# --- Paging and tidy addresses ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "number, shown, problem",
    [
        (None, 1, None),
        ("", 1, None),
        ("2", 2, None),
        ("3", 3, None),
        ("4", 3, "There is no page 4: these results fill 3 pages, so the last is shown."),
        ("999", 3, "There is no page 999"),
        ("0", 1, "There is no page 0, so the first page is shown."),
        ("-2", 1, "There is no page -2"),
        ("x", 1, "Page “x” was ignored: a page is a whole number, such as 2."),
        ("1.5", 1, "Page “1.5” was ignored"),
    ],
)
def test_page_of(number, shown, problem):
    page, message = page_of(list(range(45)), number)
    assert page.number == shown
    assert (message is None) if problem is None else problem in message


def test_an_empty_list_has_one_page():
    page, message = page_of([], "5")
    assert page.number == 1 and page.paginator.count == 0
    assert "There is no page 5" in message


def test_without_blanks():
    assert without_blanks(QueryDict("remedy=a&remedy=b")) is None
    assert without_blanks(QueryDict("q=&remedy=a&kind=&remedy=")) == "?remedy=a"
    assert without_blanks(QueryDict("q=+&sort=")) == ""


# --- Remedy origin: how each remedy came about, on the same remedy row as its type ------------------------


def make_origin_cases():
    """Six published cases (P to U) and one draft (V), told apart by how each remedy came about.

    P  FTC.  Model deletion only sought by a plaintiff; data deletion ordered.
    Q  FTC.  Model deletion and civil penalty agreed in a settlement.
    R  CNIL. Model and data deletion, both voluntary.
    S  CNIL. Model deletion sought; civil penalty proposed.
    T  FTC.  Model deletion ordered, and a second model deletion sought.
    U  CNIL. Civil penalties proposed and sought; a voluntary remedy of a draft type.
    V  draft: FTC. Model deletion agreed.
    """
    t = SimpleNamespace()
    t.md = RemedyTypeFactory(slug="model-deletion", name="Model or algorithm deletion", sort_order=1)
    t.dd = RemedyTypeFactory(slug="data-deletion", name="Data deletion", sort_order=2)
    t.cp = RemedyTypeFactory(
        slug="civil-penalty", name="Civil penalty or fine", sort_order=3, category=RemedyCategory.MONETARY
    )
    t.secret = RemedyTypeFactory(slug="secret-remedy", name="Secret remedy", sort_order=4, status=DRAFT)
    t.ftc = AuthorityFactory(slug="ftc", name="Federal Trade Commission", short_name="FTC")
    t.cnil = AuthorityFactory(slug="cnil", name="Commission nationale", short_name="CNIL", jurisdiction="FR")
    ordered, agreed, proposed = RemedyOrigin.ORDERED, RemedyOrigin.AGREED, RemedyOrigin.PROPOSED
    voluntary, sought = RemedyOrigin.VOLUNTARY, RemedyOrigin.SOUGHT

    def case(title, authority, *remedies, **kwargs):
        made = CaseFactory(title=title, authority=authority, **kwargs)
        for remedy_type, origin in remedies:
            RemedyFactory(case=made, remedy_type=remedy_type, origin=origin)
        return made

    t.p = case("Papa v. Company", t.ftc, (t.md, sought), (t.dd, ordered))
    t.q = case("Quebec v. Company", t.ftc, (t.md, agreed), (t.cp, agreed))
    t.r = case("Romeo v. Company", t.cnil, (t.md, voluntary), (t.dd, voluntary))
    t.s = case("Sierra v. Company", t.cnil, (t.md, sought), (t.cp, proposed))
    t.t = case("Tango v. Company", t.ftc, (t.md, ordered), (t.md, sought))
    t.u = case("Uniform v. Company", t.cnil, (t.cp, proposed), (t.cp, sought), (t.secret, voluntary))
    t.v = case("Victor draft", t.ftc, (t.md, agreed), status=DRAFT)
    return t


@pytest.fixture
def o():
    return make_origin_cases()


@pytest.mark.parametrize(
    "query, expected",
    [
        ("", "PQRSTU"),
        ("origin=imposed", "PQT"),  # P by its ordered data deletion; not the draft V
        ("origin=ordered", "PT"),
        ("origin=agreed", "Q"),
        ("origin=proposed", "SU"),
        ("origin=voluntary", "R"),  # not U, whose voluntary remedy is of a draft type
        ("origin=sought", "PSTU"),
        ("origin=voluntary&origin=proposed", "RSU"),  # OR within the group
        ("origin=imposed&origin=ordered", "PQT"),  # overlapping choices change nothing
        ("origin=any", "PQRSTU"),  # narrows nothing without a remedy type
        ("origin=any&origin=sought", "PQRSTU"),  # `any` takes in every other origin
    ],
)
def test_origin_alone_matches_any_remedy_of_the_case(o, query, expected):
    filterset = run(query)
    assert filterset.is_valid(), filterset.errors
    assert letters(filterset) == set(expected)


@pytest.mark.parametrize(
    "query, expected",
    [
        ("remedy=model-deletion", "QT"),  # binding by default: P's and S's are sought, R's voluntary
        ("remedy=model-deletion&origin=any", "PQRST"),
        ("remedy=model-deletion&origin=any&origin=sought", "PQRST"),
        # P has an ordered remedy and a model deletion, but its model deletion was only sought.
        ("remedy=model-deletion&origin=imposed", "QT"),
        ("remedy=model-deletion&origin=sought", "PST"),  # T too: one of its two model deletions was sought
        ("remedy=data-deletion&origin=imposed", "P"),
        ("remedy=data-deletion&origin=sought", ""),
        ("remedy=model-deletion&remedy=data-deletion&origin=voluntary", "R"),
        ("remedy=model-deletion&remedy=data-deletion&origin=imposed", "PQT"),  # P by its data deletion
        ("remedy=civil-penalty&origin=proposed", "SU"),
        ("remedy=civil-penalty&origin=imposed", "Q"),
        ("remedy=model-deletion&origin=imposed&authority=cnil", ""),
        ("remedy=model-deletion&origin=voluntary&authority=cnil", "R"),
        ("remedy=model-deletion&origin=imposed&origin=bogus", "QT"),  # the unknown origin is dropped
    ],
)
def test_remedy_and_origin_hold_on_the_same_remedy(o, query, expected):
    assert letters(run(query)) == set(expected)


def test_origin_never_repeats_a_case(o):
    """T has two model deletions, one ordered and one sought: it appears once."""
    assert [case.title for case in run("remedy=model-deletion&origin=imposed&origin=sought&sort=title").qs] == [
        "Papa v. Company",
        "Quebec v. Company",
        "Sierra v. Company",
        "Tango v. Company",
    ]


def test_remedy_counts_bind_by_default(o):
    filterset = run("")
    # Binding only: model deletion Q, T; data deletion P; civil penalty Q. Widening changes nothing without a type.
    assert counts(filterset, "remedy") == {"model-deletion": 2, "data-deletion": 1, "civil-penalty": 1}
    assert counts(filterset, "origin") == {"any": 6}


def test_widened_remedy_counts_take_in_every_origin(o):
    filterset = run("origin=any")
    assert letters(filterset) == set("PQRSTU")
    # Model deletion P, Q, R, S, T; data deletion P, R; civil penalty Q, S, U (not U's draft type).
    assert counts(filterset, "remedy") == {"model-deletion": 5, "data-deletion": 2, "civil-penalty": 3}


def test_origin_and_remedy_counts_keep_to_the_same_remedy(o):
    """Each group counts against the other's choice on the same remedy row, as the results do."""
    filterset = run("remedy=model-deletion&origin=imposed")  # Q, T
    assert letters(filterset) == set("QT")
    assert counts(filterset, "remedy") == {
        "model-deletion": 2,  # Q, T (P's and S's are sought, R's voluntary)
        "data-deletion": 1,  # P's ordered one (R's is voluntary)
        "civil-penalty": 1,  # Q (S's and U's are proposed or sought)
    }
    assert counts(filterset, "origin") == {"any": 5}  # every model deletion: P, Q, R, S, T
    assert counts(filterset, "authority") == {"ftc": 2, "cnil": 0}


def test_origin_alone_narrows_the_remedy_counts(o):
    filterset = run("origin=sought")  # P, S, T, U
    assert letters(filterset) == set("PSTU")
    assert counts(filterset, "remedy") == {"model-deletion": 3, "data-deletion": 0, "civil-penalty": 1}  # PST; U
    assert counts(filterset, "origin") == {"any": 6}  # widening with no type chosen narrows nothing
    assert counts(filterset, "authority") == {"ftc": 2, "cnil": 2}


def test_the_widening_box_counts_what_it_would_show(o):
    filterset = run("authority=cnil&remedy=model-deletion")  # the CNIL's model deletions: none binds
    assert letters(filterset) == set()
    assert counts(filterset, "origin") == {"any": 2}  # R voluntary, S sought
    assert counts(filterset, "remedy") == {"model-deletion": 0, "data-deletion": 0, "civil-penalty": 0}
    widened = run("authority=cnil&remedy=model-deletion&origin=any")
    assert letters(widened) == set("RS")
    assert counts(widened, "remedy") == {"model-deletion": 2, "data-deletion": 1, "civil-penalty": 2}  # of R, S, U


def test_one_box_includes_the_remedies_that_do_not_bind(o):
    facets = {facet.name: facet for facet in run("remedy=model-deletion&origin=any").facets()}
    origin = facets["origin"]
    assert [facet.name for facet in run("").facets()][:3] == ["remedy", "origin", "authority"]
    assert origin.legend == "Which remedies count" and origin.multiple and origin.open
    assert [(option.value, option.label, option.selected) for option in origin.options] == [
        ("any", "Include remedies that do not bind (proposed, voluntary or sought)", True)
    ]
    assert "each is labelled on its row" in origin.hint
    assert "binds the company" in facets["remedy"].hint
    closed = {facet.name: facet for facet in run("").facets()}["origin"]
    assert closed.open and not closed.options[0].selected


def test_origins_the_form_has_no_box_for_are_kept(o):
    filterset = run("remedy=model-deletion&origin=sought&origin=any&origin=imposed")
    assert filterset.kept_origins == ["sought", "imposed"]
    assert filterset.widened() is None  # already widened
    assert run("remedy=model-deletion&authority=ftc").widened() == "?remedy=model-deletion&authority=ftc&origin=any"
    assert run("authority=ftc").widened() is None  # no remedy chosen: nothing to widen


def test_an_unknown_origin_leaves_the_known_ones_in_force(o):
    filterset = run("origin=sought&origin=bogus&origin=&remedy=model-deletion")
    assert letters(filterset) == set("PST")
    assert filterset.problems == [
        "Remedy origin “bogus” was ignored: use any, imposed, ordered, agreed, proposed, voluntary or sought."
    ]
    assert counts(filterset, "origin")["any"] == 5


def test_origin_in_words_and_links(o):
    filterset = run("remedy=model-deletion&origin=imposed&origin=bogus&authority=ftc&sort=oldest")
    described = "with remedy: model or algorithm deletion, ordered or agreed, authority or court: FTC"
    assert filterset.description() == described
    assert filterset.summary(page_of(filterset.qs, None)[0]) == f"2 cases {described}"
    assert filterset.removal_links() == [
        ("Remedy: Model or algorithm deletion", "?origin=imposed&authority=ftc&sort=oldest"),
        ("Remedy origin: Ordered or agreed", "?remedy=model-deletion&authority=ftc&sort=oldest"),
        ("Authority or court: FTC", "?remedy=model-deletion&origin=imposed&sort=oldest"),
    ]
    assert filterset.query() == "?remedy=model-deletion&origin=imposed&authority=ftc&sort=oldest"


@pytest.mark.parametrize(
    "query, description",
    [
        ("origin=sought", "with remedy origin: sought by a plaintiff"),
        ("origin=voluntary&origin=proposed", "with remedy origin: voluntary or proposed"),
        (
            "origin=imposed&origin=ordered&origin=sought",  # `imposed` already says "ordered": not said twice
            "with remedy origin: ordered or agreed or sought by a plaintiff",
        ),
        ("remedy=data-deletion&origin=agreed", "with remedy: data deletion, agreed in settlement"),
        ("remedy=data-deletion", "with remedy: data deletion"),  # binding, as everywhere: not said each time
        ("remedy=data-deletion&origin=any", "with remedy: data deletion, including remedies that do not bind"),
        (
            "remedy=data-deletion&origin=any&origin=sought",
            "with remedy: data deletion, including remedies that do not bind",
        ),
        ("origin=any", ""),  # narrows nothing, so says nothing
    ],
)
def test_origin_descriptions(o, query, description):
    assert run(query).description() == description
