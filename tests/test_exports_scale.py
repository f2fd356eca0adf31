"""Exports at 10,000 cases: every filtered case once, and memory that does not grow with the number of cases."""

import csv
import datetime
import io
import json
import tracemalloc
from decimal import Decimal

import pytest
from django.db import connection
from django.http import QueryDict
from django.urls import reverse

from casebase.knowledge.filters import CaseFilter
from casebase.knowledge.models import (
    Case,
    CaseKind,
    CaseStatus,
    DatePrecision,
    Party,
    PublicationStatus,
    Remedy,
    RemedyOrigin,
    RemedyStatus,
)
from tests.factories import AuthorityFactory, CompanyFactory, RemedyTypeFactory

pytestmark = pytest.mark.django_db

CASES = 10_000
DRAFTS = 50


@pytest.fixture
def ten_thousand_cases():
    """10,000 published cases and 50 drafts, each with a remedy and a party, made in bulk (no signals, no history).

    Every other case has a civil penalty, the rest a model deletion; years run 2010 to 2019, 1,000 cases each.
    """
    authority = AuthorityFactory(slug="ftc")
    penalty = RemedyTypeFactory(slug="civil-penalty", name="Civil penalty")
    deletion = RemedyTypeFactory(slug="model-deletion", name="Model deletion")
    company = CompanyFactory(slug="acme")
    cases = Case.objects.bulk_create(
        [
            Case(
                slug=f"case-{number}",
                title=f"Authority v. Company {number}",
                kind=CaseKind.ADMINISTRATIVE_ORDER,
                case_status=CaseStatus.FINAL_ORDER,
                authority=authority,
                jurisdiction="US",
                decided_on=datetime.date(2010 + number % 10, 1, 1),
                decided_on_precision=DatePrecision.YEAR,
                summary=f"The authority alleged that company {number} misled its users; the order requires deletion.",
                status=PublicationStatus.PUBLISHED if number < CASES else PublicationStatus.DRAFT,
            )
            for number in range(CASES + DRAFTS)
        ],
        batch_size=2000,
    )
    Remedy.objects.bulk_create(
        [
            Remedy(
                case=case,
                remedy_type=penalty if index % 2 else deletion,
                summary="Pay the penalty." if index % 2 else "Delete the models.",
                origin=RemedyOrigin.ORDERED,
                status=RemedyStatus.IN_FORCE,
                amount=Decimal(1000 + index) if index % 2 else None,
                currency="USD" if index % 2 else "",
                amount_usd=Decimal(1000 + index) if index % 2 else None,
            )
            for index, case in enumerate(cases)
        ],
        batch_size=2000,
    )
    Party.objects.bulk_create([Party(case=case, company=company, role="respondent") for case in cases], batch_size=2000)
    # A live database keeps planner statistics (autovacuum on PostgreSQL); rows made in bulk a moment ago have none,
    # and without them the planner picks nested loops that take longer than the statement timeout.
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def stream(client, extension, query=""):
    """(number of rows, traced peak memory in bytes) of one export, read chunk by chunk as a client would."""
    client.get(reverse("knowledge:case_export_csv") + "?kind=guidance")  # whatever a first request imports
    tracemalloc.start()
    try:
        response = client.get(reverse(f"knowledge:case_export_{extension}") + (f"?{query}" if query else ""))
        rows = 0
        for number, chunk in enumerate(response.streaming_content):
            text = chunk.decode("utf-8")
            if extension == "csv":
                rows += sum(1 for _ in csv.reader(io.StringIO(text))) - (number == 0)  # less the header
            else:
                rows += sum(1 for line in text.splitlines() if line.strip())
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    return rows, peak


def test_export_rows_equal_the_filtered_count_with_memory_flat(client, ten_thousand_cases):
    """One test, so the 10,000 cases are made once: CSV at a tenth and at the whole, then JSON Lines and JSON."""
    assert CaseFilter(QueryDict("")).qs.count() == CASES

    small_rows, small_peak = stream(client, "csv", "year_from=2014&year_to=2014")
    assert small_rows == CaseFilter(QueryDict("year_from=2014&year_to=2014")).qs.count() == CASES // 10

    rows, peak = stream(client, "csv")
    assert rows == CASES
    # Ten times the cases, about the same memory: the export holds one chunk of cases at a time, never the list.
    assert peak < small_peak * 1.5, (peak, small_peak)
    assert peak < 16 * 1024 * 1024, peak

    query = "remedy=civil-penalty&year_from=2018"
    expected = CaseFilter(QueryDict(query)).qs.count()
    assert expected == CASES // 10  # half of the cases of 2018 and 2019 have a penalty
    assert stream(client, "jsonl", query)[0] == expected
    response = client.get(reverse("knowledge:case_export_json") + f"?{query}")
    document = json.loads(b"".join(response.streaming_content))
    assert document["count"] == len(document["cases"]) == expected
    assert len({case["slug"] for case in document["cases"]}) == expected
