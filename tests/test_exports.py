"""Exports of the case list: exactly the list's cases for every filter scenario, every page, one row per case.

The filter scenarios are read from tests/test_filters.py itself, so each one added there is checked here too.
"""

import csv
import io
import json
from decimal import Decimal

import pytest
from django.http import QueryDict
from django.urls import reverse

from casebase.knowledge import exports
from casebase.knowledge.filters import CaseFilter
from casebase.knowledge.models import Case, Dataset, Party, PublicationStatus, Remedy, RemedyOrigin
from casebase.knowledge.paging import PER_PAGE
from tests import test_filters as filter_tests
from tests.factories import (
    AuthorityFactory,
    CaseFactory,
    CompanyFactory,
    DatasetFactory,
    ExchangeRateFactory,
    LegalBasisFactory,
    PartyFactory,
    RemedyFactory,
    RemedyTypeFactory,
)

pytestmark = pytest.mark.django_db

FORMATS = ["csv", "json", "jsonl"]
LIST_URL = reverse("knowledge:case_list")


def scenarios(test):
    """The parameters of one parametrized test of tests/test_filters.py."""
    mark = next(mark for mark in test.pytestmark if mark.name == "parametrize")
    return mark.args[1]


COMBINED_SCENARIOS = scenarios(filter_tests.test_filters_combine_with_and)
FILTER_SCENARIOS = scenarios(filter_tests.test_each_filter_alone) + COMBINED_SCENARIOS
ORIGIN_SCENARIOS = scenarios(filter_tests.test_origin_alone_matches_any_remedy_of_the_case) + scenarios(
    filter_tests.test_remedy_and_origin_hold_on_the_same_remedy
)
SORT_SCENARIOS = scenarios(filter_tests.test_sorts)


def export(client, extension, query=""):
    """(response, rows as dicts) of one export; the streamed body read to the end."""
    response = client.get(reverse(f"knowledge:case_export_{extension}") + (f"?{query}" if query else ""))
    assert response.status_code == 200
    body = b"".join(response.streaming_content).decode("utf-8")
    if extension == "csv":
        assert body.startswith("\ufeff")
        rows = list(csv.DictReader(io.StringIO(body.removeprefix("\ufeff"))))
    elif extension == "json":
        document = json.loads(body)
        assert document["count"] == len(document["cases"])
        rows = document["cases"]
    else:
        rows = [json.loads(line) for line in body.splitlines()]
    return response, rows


def html_list_titles(client, query):
    """The titles the HTML list shows for `query`, in its order (one page: the scenarios have few cases)."""
    response = client.get(f"{LIST_URL}?{query}")
    assert response.status_code == 200
    page = response.context["page_obj"]
    assert page.paginator.num_pages == 1
    return [case.title for case in page.object_list]


def letters(titles):
    return {title[0].upper() for title in titles}


# --- The same set as the HTML list, for every scenario of the filter tests ---------------------------------
# Each group builds its cases once and runs every scenario on them: building them costs far more than a scenario.


def list_titles(query):
    """The titles the HTML list shows for `query`, every page, in its order: the list's own CaseFilter queryset."""
    return [case.title for case in CaseFilter(QueryDict(query)).qs]


def export_titles(client, extension, query):
    return [row["title"] for row in export(client, extension, query)[1]]


def test_exports_hold_the_list_cases_for_every_filter_scenario(client):
    filter_tests.make_cases()
    for query, expected in FILTER_SCENARIOS:
        shown = list_titles(query)
        assert letters(shown) == set(expected), query
        for extension in FORMATS:
            assert export_titles(client, extension, query) == shown, (extension, query)


def test_exports_hold_the_list_cases_for_every_origin_scenario(client):
    filter_tests.make_origin_cases()
    for query, expected in ORIGIN_SCENARIOS:
        shown = list_titles(query)
        assert letters(shown) == set(expected), query
        for extension in FORMATS:
            assert export_titles(client, extension, query) == shown, (extension, query)


def test_exports_match_the_rendered_list_page(client):
    """The filters combined, checked against the page a reader gets rather than its queryset."""
    filter_tests.make_cases()
    for query, expected in COMBINED_SCENARIOS:
        shown = html_list_titles(client, query)
        assert letters(shown) == set(expected), query
        for extension in FORMATS:
            assert export_titles(client, extension, query) == shown, (extension, query)


def test_exports_keep_the_list_order(client):
    filter_tests.make_cases()
    for sort, expected in SORT_SCENARIOS:
        for extension in FORMATS:
            titles = export_titles(client, extension, f"sort={sort}")
            assert "".join(title[0].upper() for title in titles) == expected, (extension, sort)


def test_invalid_values_are_forgiven_as_on_the_list_and_reported_in_json(client):
    filter_tests.make_cases()
    query = "remedy=model-deletion&remedy=bogus&kind=nonsense&year_from=abc"
    assert letters(html_list_titles(client, query)) == set("AC")
    _response, rows = export(client, "csv", query)
    assert letters(row["title"] for row in rows) == set("AC")
    response = client.get(reverse("knowledge:case_export_json") + f"?{query}")
    document = json.loads(b"".join(response.streaming_content))
    assert document["count"] == 2
    assert any("bogus" in problem for problem in document["problems"])
    assert any("nonsense" in problem for problem in document["problems"])


def test_every_page_is_exported(client):
    """The list pages its cases; the export holds all of them."""
    CaseFactory.create_batch(PER_PAGE * 2 + 3)
    CaseFactory(status=PublicationStatus.DRAFT)
    response = client.get(LIST_URL)
    assert response.context["page_obj"].paginator.num_pages == 3
    for extension in FORMATS:
        _response, rows = export(client, extension)
        assert len(rows) == PER_PAGE * 2 + 3, extension
        assert len({row["slug"] for row in rows}) == len(rows)


# --- Columns and rows ---------------------------------------------------------------------------------------


def test_csv_is_utf8_with_a_byte_order_mark_and_a_fixed_header(client):
    CaseFactory(title="Commission nationale v. Société Générale — “test”")
    response, rows = export(client, "csv")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="casebase-cases-')
    body = b"".join(client.get(reverse("knowledge:case_export_csv")).streaming_content)
    assert body.startswith(b"\xef\xbb\xbf")
    header = next(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    assert header == exports.COLUMN_NAMES
    assert rows[0]["title"] == "Commission nationale v. Société Générale — “test”"


def test_every_format_has_the_same_columns_in_the_same_order(client):
    CaseFactory()
    for extension in FORMATS:
        _response, rows = export(client, extension)
        assert list(rows[0]) == exports.COLUMN_NAMES, extension
    document = json.loads(b"".join(client.get(reverse("knowledge:case_export_json")).streaming_content))
    assert document["columns"] == exports.COLUMN_NAMES


def test_column_order_is_stable():
    """Scripts read columns by position: a new column goes at the end, or the data dictionary says otherwise."""
    assert exports.COLUMN_NAMES[:6] == ["slug", "url", "title", "short_title", "kind", "case_status"]
    assert exports.COLUMN_NAMES.index("remedy_types") < exports.COLUMN_NAMES.index("remedy_origins")
    assert len(exports.COLUMN_NAMES) == len(set(exports.COLUMN_NAMES))


@pytest.fixture
def flattened():
    """One case with three remedies (one in euros, one only sought), two parties, two kinds of data."""
    penalty = RemedyTypeFactory(slug="civil-penalty", name="Civil penalty", sort_order=3)
    deletion = RemedyTypeFactory(slug="model-deletion", name="Model deletion", sort_order=1)
    redress = RemedyTypeFactory(slug="consumer-redress", name="Consumer redress", sort_order=4)
    case = CaseFactory(
        slug="cnil-v-clearview",
        title="CNIL v. Clearview",
        authority=AuthorityFactory(slug="cnil", name="Commission nationale"),
        docket_numbers="SAN-2022-019\nMED 2021-134",
        legal_bases=[LegalBasisFactory(slug="gdpr-6"), LegalBasisFactory(slug="gdpr-9")],
        datasets=[DatasetFactory(modality="face_images"), DatasetFactory(modality="biometric")],
    )
    RemedyFactory(case=case, remedy_type=deletion, origin=RemedyOrigin.ORDERED)
    rate = ExchangeRateFactory(currency="EUR", usd_per_unit=Decimal("1.0500"))
    RemedyFactory(case=case, remedy_type=penalty, amount=Decimal("20000000"), currency="EUR", exchange_rate=rate)
    RemedyFactory(case=case, remedy_type=redress, origin=RemedyOrigin.SOUGHT, amount=Decimal("5"), currency="USD")
    PartyFactory(case=case, company=CompanyFactory(slug="clearview"))
    PartyFactory(case=case, company=CompanyFactory(slug="vendor-co"), role="vendor")
    return case


def test_remedies_are_flattened_one_entry_per_remedy(client, flattened):
    _response, (row,) = export(client, "jsonl")
    assert row["remedy_count"] == 3
    assert row["remedy_types"] == ["model-deletion", "civil-penalty", "consumer-redress"]
    assert row["remedy_type_names"] == ["Model deletion", "Civil penalty", "Consumer redress"]
    assert row["remedy_origins"] == ["ordered", "ordered", "sought"]
    assert row["remedy_amounts"] == [None, "20000000.00", "5.00"]
    assert row["remedy_currencies"] == [None, "EUR", "USD"]
    assert row["remedy_amounts_usd"] == [None, "21000000.00", "5.00"]
    # Only remedies that bind the company count towards the total: not the redress only sought.
    assert row["binding_amount_usd"] == "21000000.00"
    assert row["companies"] == ["clearview", "vendor-co"]
    assert row["company_roles"] == ["respondent", "vendor"]
    assert row["data_modalities"] == ["biometric", "face_images"]
    assert row["legal_bases"] == ["gdpr-6", "gdpr-9"]
    assert row["docket_numbers"] == ["SAN-2022-019", "MED 2021-134"]
    assert row["authority"] == "cnil"
    assert row["url"] == "http://testserver/cases/cnil-v-clearview/"
    assert row["decided_on"] == "2021-05-07" and row["decided_on_precision"] == "day"
    assert row["year"] == 2021


def test_csv_joins_lists_keeping_empty_entries_in_place(client, flattened):
    _response, (row,) = export(client, "csv")
    assert row["remedy_types"] == "model-deletion; civil-penalty; consumer-redress"
    assert row["remedy_amounts"] == "; 20000000.00; 5.00"
    assert row["remedy_currencies"] == "; EUR; USD"
    assert row["remedy_amounts_usd"] == "; 21000000.00; 5.00"
    assert row["forum"] == "" and row["year"] == "2021"


def test_json_says_what_it_holds(client):
    filter_tests.make_cases()
    response = client.get(reverse("knowledge:case_export_json") + "?remedy=model-deletion")
    assert response["Content-Type"] == "application/json; charset=utf-8"
    document = json.loads(b"".join(response.streaming_content))
    assert document["title"] == "casebase: 2 cases with remedy: model or algorithm deletion"
    assert document["source"] == "http://testserver/cases/?remedy=model-deletion"
    assert document["licence"] == "CC BY 4.0"
    assert document["data_dictionary"] == "http://testserver/data/dictionary/"
    assert document["count"] == 2 and document["problems"] == []


def test_an_empty_result_is_still_a_valid_file(client):
    for extension in FORMATS:
        _response, rows = export(client, extension, "remedy=model-deletion")
        assert rows == [], extension


# --- Drafts never appear ----------------------------------------------------------------------------------


def test_drafts_are_hidden_in_every_column(client):
    """Draft cases, remedy types, companies and datasets: none reaches an export, not even as a slug."""
    w = filter_tests.make_cases()
    PartyFactory(case=w.a, company=CompanyFactory(slug="secret-co", status=PublicationStatus.DRAFT))
    for extension in FORMATS:
        _response, rows = export(client, extension)
        text = json.dumps(rows)
        assert {row["title"][0].upper() for row in rows} == set("ABCDE")
        for hidden in ("Foxtrot draft", "Golf withdrawn", "secret-remedy", "Secret remedy", "secret-co"):
            assert hidden not in text, (extension, hidden)
        delta = next(row for row in rows if row["title"].startswith("Delta"))
        assert delta["data_modalities"] in ([], "")  # its only dataset, of text, is a draft
        echo = next(row for row in rows if row["title"].startswith("Echo"))
        assert echo["remedy_count"] in (1, "1")  # its remedy of a draft type is not counted


# --- Cost ---------------------------------------------------------------------------------------------------

# Guards against N+1: the cases in one query, then for each chunk of them one query per related table (remedies
# with their types, legal bases, parties with their companies, datasets), the same at 30 cases as at 300.
QUERIES_PER_CHUNK = 4
EXPORT_QUERIES = 1 + QUERIES_PER_CHUNK


def make_export_cases(count):
    """`count` cases, each with a remedy, a party, a legal basis and a dataset; every third with a second remedy.

    Built by the factories and saved in bulk: saving 300 cases one by one (history, search index) takes most of a
    minute.
    """
    authority, basis, dataset, company = AuthorityFactory(), LegalBasisFactory(), DatasetFactory(), CompanyFactory()
    penalty, deletion = RemedyTypeFactory(slug="civil-penalty"), RemedyTypeFactory(slug="model-deletion")
    cases = Case.objects.bulk_create(CaseFactory.build_batch(count, authority=authority))
    Case.legal_bases.through.objects.bulk_create(
        [Case.legal_bases.through(case=case, legalbasis=basis) for case in cases]
    )
    Case.datasets.through.objects.bulk_create([Case.datasets.through(case=case, dataset=dataset) for case in cases])
    Remedy.objects.bulk_create(
        [
            RemedyFactory.build(
                case=case, remedy_type=penalty, amount=Decimal(number), currency="USD", amount_usd=Decimal(number)
            )
            for number, case in enumerate(cases)
        ]
        + [RemedyFactory.build(case=case, remedy_type=deletion) for case in cases[::3]]
    )
    Party.objects.bulk_create([PartyFactory.build(case=case, company=company) for case in cases])


@pytest.mark.parametrize("cases", [30, 300])
def test_export_query_count_does_not_grow_with_the_cases(client, django_assert_num_queries, cases):
    make_export_cases(cases)
    with django_assert_num_queries(EXPORT_QUERIES):
        assert len(export(client, "csv")[1]) == cases
    with django_assert_num_queries(EXPORT_QUERIES):
        export(client, "jsonl")
    # The JSON export counts its cases first, for its header.
    with django_assert_num_queries(EXPORT_QUERIES + 1):
        export(client, "json")


def test_rows_are_the_same_whatever_the_chunk_size(client, django_assert_num_queries, monkeypatch):
    """Each chunk's remedies, parties, legal bases and data land on the chunk's own cases, at every boundary."""
    make_export_cases(30)
    whole = export(client, "jsonl")[1]
    monkeypatch.setattr(exports, "CHUNK_SIZE", 7)
    with django_assert_num_queries(1 + QUERIES_PER_CHUNK * 5):  # 30 cases in chunks of 7: five chunks
        assert export(client, "jsonl")[1] == whole
    assert [row["remedy_count"] for row in whole].count(2) == 10


def test_each_filter_slug_is_looked_up_once(client, django_assert_num_queries):
    filter_tests.make_cases()
    with django_assert_num_queries(EXPORT_QUERIES + 2):  # the remedy type and the authority, to validate them
        export(client, "jsonl", "remedy=model-deletion&authority=ftc")


# --- Requests -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("extension", FORMATS)
def test_exports_only_read(client, extension):
    assert client.post(reverse(f"knowledge:case_export_{extension}")).status_code == 405


@pytest.mark.parametrize(
    "query",
    ["q=%00", "remedy=%00", "year_from=99999999999999999999", "q=" + "x" * 500, "sort=%F0%9F", "page=-1", "q=NEAR("],
)
def test_hostile_queries_get_an_export_not_an_error(client, query):
    CaseFactory()
    for extension in FORMATS:
        response = client.get(reverse(f"knowledge:case_export_{extension}") + f"?{query}")
        assert response.status_code == 200
        b"".join(response.streaming_content)


def test_export_addresses():
    assert reverse("knowledge:case_export_csv") == "/cases/export.csv"
    assert reverse("knowledge:case_export_json") == "/cases/export.json"
    assert reverse("knowledge:case_export_jsonl") == "/cases/export.jsonl"


# --- The data dictionary ------------------------------------------------------------------------------------


def test_export_columns_are_documented_from_help_text():
    by_name = {column.name: column for column in exports.COLUMNS}
    assert by_name["title"].description == Case._meta.get_field("title").help_text
    assert Remedy._meta.get_field("origin").help_text in by_name["remedy_origins"].description
    assert Party._meta.get_field("role").help_text in by_name["company_roles"].description
    assert Dataset._meta.get_field("modality").help_text in by_name["data_modalities"].description
    assert all(column.description.strip() for column in exports.COLUMNS)


def test_data_dictionary_page_lists_every_column_and_table(client, django_assert_num_queries):
    with django_assert_num_queries(0):  # built from the models' help_text, never from the data
        response = client.get(reverse("knowledge:data_dictionary"))
    assert response.status_code == 200
    text = response.content.decode()
    for column in exports.COLUMNS:
        assert f'id="export-{column.name}"' in text
    assert Case._meta.get_field("case_status").help_text in text
    assert "<code>final_order</code> Final order" in text
    from casebase.knowledge.dumps import TABLES

    for table in TABLES:
        assert f'id="table-{table.name}"' in text
    assert 'href="/static/css/research.css"' in text


# --- The partials the list page includes ------------------------------------------------------------------


def test_export_links_follow_the_filters():
    """includes/_export_links.html, as the case list includes it with query=filter.query."""
    from django.template.loader import render_to_string

    html = render_to_string("includes/_export_links.html", {"query": "?remedy=model-deletion&sort=oldest"})
    for path in ("/cases/export.csv", "/cases/export.json", "/cases/export.jsonl", "/cases/feed.atom"):
        assert f'href="{path}?remedy=model-deletion&amp;sort=oldest"' in html
    assert "Follow these results" in html
    assert 'href="/data/dictionary/"' in html
    assert 'href="/cases/export.csv"' in render_to_string("includes/_export_links.html", {"query": ""})
