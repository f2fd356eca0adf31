"""Compare two to four cases side by side; every other request gets a clear message, never an error."""

import datetime
from decimal import Decimal

import pytest

from casebase.knowledge.compare import compare_cases
from casebase.knowledge.models import PartyRole, PublicationStatus, RemedyOrigin
from tests.factories import (
    CaseFactory,
    DatasetFactory,
    ExchangeRateFactory,
    LegalBasisFactory,
    PartyFactory,
    RemedyFactory,
    RemedyTypeFactory,
)

pytestmark = pytest.mark.django_db

# The compare page: the cases with authority and court (1), their legal bases, remedies (with type and rate),
# datasets and parties (4 prefetches), and the pickers' list of cases (1). The same for two cases or four:
# a constant guards against a query per case, remedy or dataset.
COMPARE_QUERIES = 6


@pytest.fixture
def cases():
    penalty = RemedyTypeFactory(slug="civil-penalty", name="Civil penalty")
    deletion = RemedyTypeFactory(slug="model-deletion", name="Model deletion")
    rate = ExchangeRateFactory(currency="EUR", date=datetime.date(2022, 7, 13), usd_per_unit=Decimal("1.0067"))
    made = []
    for n in range(5):
        case = CaseFactory(
            slug=f"case-{n}",
            title=f"Authority v. Company {n}",
            short_title=f"Case {n}",
            datasets=[DatasetFactory(name=f"Photos {n}", consent_terms=f"Told story {n}.", actual_use=f"Used {n}.")],
            legal_bases=[LegalBasisFactory(name=f"Statute {n}")],
        )
        PartyFactory(case=case, role=PartyRole.RESPONDENT)
        RemedyFactory(case=case, remedy_type=deletion)
        made.append(case)
    RemedyFactory(case=made[0], remedy_type=penalty, amount=Decimal("20000000"), currency="EUR", exchange_rate=rate)
    RemedyFactory(case=made[1], remedy_type=penalty, amount=Decimal("5000000"), currency="USD")
    RemedyFactory(case=made[1], remedy_type=penalty, amount=Decimal("9"), currency="USD", origin=RemedyOrigin.SOUGHT)
    return made


def test_two_cases_side_by_side(client, cases, django_assert_num_queries):
    with django_assert_num_queries(COMPARE_QUERIES):
        response = client.get("/compare/?case=case-1&case=case-0")
    html = response.text
    assert response.status_code == 200
    assert "<title>Compare Case 1 and Case 0 — casebase</title>" in html
    assert html.index("Authority v. Company 1") < html.index("Authority v. Company 0")  # the order asked for
    assert "€20,000,000" in html and "$20,134,000" in html  # the amount as ordered, and in dollars
    assert "$5,000,000" in html  # the sought $9 is not a penalty the company must pay
    assert "Told story 0." in html and "Used 1." in html and "Statute 1" in html
    assert 'scope="col"' in html and 'scope="row"' in html
    assert "There is a problem" not in html


def test_four_cases_cost_the_same(client, cases, django_assert_num_queries):
    with django_assert_num_queries(COMPARE_QUERIES):
        response = client.get("/compare/?" + "&".join(f"case=case-{n}" for n in range(4)))
    assert response.text.count('<th scope="col">') == 4
    assert "Remove<span" in response.text  # with more than two, each can be left out


@pytest.mark.parametrize(
    ("query", "message", "shown"),
    [
        ("", None, 0),
        ("?case=case-0", "Choose at least 2 cases to compare: there is one case to show.", 0),
        ("?case=case-0&case=case-0", "Choose at least 2 cases to compare: there is one case to show.", 0),
        ("?case=nope&case=case-0", "There is no published case “nope”, so it was left out.", 0),
        ("?case=nope&case=case-0&case=case-2", "There is no published case “nope”", 2),
        ("?case=hidden&case=case-0&case=case-1", "There is no published case “hidden”", 2),
        ("?" + "&".join(f"case=case-{n}" for n in range(5)), "the first 4 are shown, not Case 4", 4),
        ("?case=" + "x" * 5000 + "&case=case-0&case=case-1", "There is no published case “xxxx", 2),
        ("?case=%00&case=case-0&case=case-1", "There is no published case", 2),
        ("?case=&case=+&case=case-1&case=case-3", None, 2),
    ],
)
def test_anything_else_gets_a_message(client, cases, query, message, shown):
    CaseFactory(slug="hidden", status=PublicationStatus.DRAFT, title="Secret draft")
    response = client.get(f"/compare/{query}")
    html = response.text
    assert response.status_code == 200
    if message:
        assert message in html
        assert "<title>Error: " in html and 'role="alert"' in html
    else:
        assert "There is a problem" not in html
    assert html.count('<th scope="col">') == shown
    assert "Secret draft" not in html  # drafts are not even offered in the pickers


def test_pickers_start_with_the_cases_shown(client, cases):
    html = client.get("/compare/?case=case-2&case=case-3").text
    assert html.count('name="case"') == 4
    assert html.count("selected>") == 2
    assert '<option value="case-2" selected>' in html


def test_many_cases_get_text_fields_that_take_an_address(client, cases, monkeypatch):
    from casebase.knowledge import compare

    monkeypatch.setattr(compare, "MAX_CHOICES", 3)
    html = client.get("/compare/?case=http://testserver/cases/case-2/&case=/cases/case-4/?x=1").text
    assert "<select" not in html and html.count('<input type="text"') == 4
    assert 'value="case-2"' in html and 'value="case-4"' in html
    assert html.count('<th scope="col">') == 2
    assert "Paste each case's address" in html


def test_compare_cases_helper_keeps_order_and_drops_repeats(cases):
    comparison = compare_cases(["case-3", " case-1 ", "case-3"])
    assert [case.slug for case in comparison.cases] == ["case-3", "case-1"]
    assert comparison.ready and not comparison.problems
    assert comparison.columns[0].without_url == "/compare/?case=case-1"


@pytest.mark.parametrize("url", ["/compare/", "/stats/", "/cite/cases/case-0.bib", "/cases/case-0/v/1/"])
def test_research_pages_only_read(client, cases, url):
    assert client.post(url).status_code == 405
