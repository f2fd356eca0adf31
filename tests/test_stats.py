"""The statistics page: every bar's number equals the case list its link opens; tables, CSV, SVG; drafts hidden."""

import csv
import datetime
import io
from decimal import Decimal
from urllib.parse import urlsplit
from xml.etree import ElementTree

import pytest
from django.http import QueryDict

from casebase.knowledge import stats
from casebase.knowledge.filters import CaseFilter
from casebase.knowledge.models import Modality, PublicationStatus, RemedyOrigin
from tests.factories import (
    AuthorityFactory,
    CaseFactory,
    DatasetFactory,
    ExchangeRateFactory,
    RemedyFactory,
    RemedyTypeFactory,
)

pytestmark = pytest.mark.django_db

# The statistics page: cases per year (all cases; remedy rows; remedy types), penalties (one query for both
# charts), the timeline (its remedy type, remedies, 'follows' links), kinds of data (one). A constant, so a chart
# that starts querying per bar, per case or per year fails here.
STATS_QUERIES = 8


def day(year, month=1, dd=1):
    return datetime.date(year, month, dd)


@pytest.fixture
def record():
    """Cases over three years with remedies of three types, penalties in two currencies, data of two kinds,
    and one draft case with everything, which must count nowhere."""
    deletion = RemedyTypeFactory(slug="model-deletion", name="Model deletion")
    penalty = RemedyTypeFactory(slug="civil-penalty", name="Civil penalty")
    ban = RemedyTypeFactory(slug="conduct-ban", name="Conduct ban")
    ftc = AuthorityFactory(slug="ftc", name="Federal Trade Commission", short_name="FTC", jurisdiction="US")
    cnil = AuthorityFactory(slug="cnil", name="Commission nationale", short_name="CNIL", jurisdiction="FR")
    court = AuthorityFactory(slug="court", name="District Court", short_name="", jurisdiction="US")
    faces = DatasetFactory(modality=Modality.FACE_IMAGES)
    voice = DatasetFactory(modality=Modality.VOICE)
    hidden_data = DatasetFactory(modality=Modality.HEALTH, status=PublicationStatus.DRAFT)

    a = CaseFactory(slug="a", authority=ftc, decided_on=day(2021, 1, 11), datasets=[faces])
    b = CaseFactory(slug="b", authority=ftc, forum=court, decided_on=day(2023, 12, 19), datasets=[faces, voice])
    c = CaseFactory(slug="c", authority=cnil, jurisdiction="FR", decided_on=day(2022, 10, 17), datasets=[hidden_data])
    d = CaseFactory(slug="d", authority=None, decided_on=None, started_on=day(2023), datasets=[voice])
    draft = CaseFactory(slug="draft", authority=ftc, decided_on=day(2021, 6, 1), status=PublicationStatus.DRAFT)
    draft.datasets.set([faces])

    RemedyFactory(case=a, remedy_type=deletion)
    RemedyFactory(case=b, remedy_type=deletion)
    RemedyFactory(case=b, remedy_type=penalty, amount=Decimal("1000000"), currency="USD")
    RemedyFactory(case=b, remedy_type=ban)
    rate = ExchangeRateFactory(currency="EUR", date=day(2022, 10, 17), usd_per_unit=Decimal("0.9791"))
    RemedyFactory(case=c, remedy_type=penalty, amount=Decimal("20000000"), currency="EUR", exchange_rate=rate)
    RemedyFactory(case=c, remedy_type=penalty)  # a penalty without an amount still puts the case in the list
    RemedyFactory(case=d, remedy_type=deletion, origin=RemedyOrigin.SOUGHT)  # does not bind: counts nowhere
    RemedyFactory(case=d, remedy_type=ban, origin=RemedyOrigin.AGREED)
    RemedyFactory(case=draft, remedy_type=deletion)
    RemedyFactory(case=draft, remedy_type=penalty, amount=Decimal("5000000000"), currency="USD")
    return {"a": a, "b": b, "c": c, "d": d, "draft": draft}


def list_count(url):
    """How many cases the case list shows for a bar's link: the same CaseFilter as the HTML list."""
    parts = urlsplit(url)
    assert parts.path == "/cases/"
    return CaseFilter(QueryDict(parts.query)).qs.count()


def every_bar(charts):
    for chart in charts:
        if chart.kind == "years":
            for panel in chart.panels:
                for cell in panel.cells:
                    yield chart.slug, cell.url, cell.count
        elif chart.kind == "timeline":
            for bar in chart.years:
                yield chart.slug, bar.url, bar.count
        else:
            for bar in chart.bars:
                yield chart.slug, bar.url, bar.row["cases"]


def test_every_bar_counts_what_its_link_lists(record):
    seen = set()
    for slug, url, count in every_bar(stats.charts()):
        assert list_count(url) == count, (slug, url)
        seen.add(slug)
    assert seen == set(stats.CHART_BUILDERS)


def test_a_long_lineage_draws_its_first_cases_and_lists_them_all(record, monkeypatch):
    from casebase.knowledge import precedents

    monkeypatch.setattr(precedents, "MAX_DRAWN", 1)
    timeline = stats.deletion_timeline()
    assert [row.case.slug for row in timeline.rows] == ["a"]
    assert [row.case.slug for row in timeline.listed] == ["a", "b"]
    assert sum(bar.count for bar in timeline.years) == 2 and len(timeline.csv_rows) == 2
    assert "The first 1 of 2 cases are drawn" in timeline.note


def test_cases_per_year_by_remedy_type(record):
    chart = stats.cases_per_year()
    assert chart.years == [2021, 2022, 2023]
    rows = {panel.label: [cell.count for cell in panel.cells] for panel in chart.panels}
    assert rows["All cases"] == [1, 1, 2]  # the draft's 2021 is not counted
    assert rows["Model deletion"] == [1, 0, 1]  # d only sought it
    assert rows["Civil penalty"] == [0, 1, 1]
    assert rows["Conduct ban"] == [0, 0, 2]  # d agreed to it: that binds
    assert chart.panels[1].url == "/remedies/model-deletion/"


def test_penalties_keep_the_original_currency_and_total_in_dollars(record):
    remedies = stats.penalty_remedies()
    by_authority = {bar.row["authority_slug"]: bar.row for bar in stats.penalties_by_authority(remedies).bars}
    assert set(by_authority) == {"ftc", "court", "cnil"}  # the court heard b: it counts there too
    assert by_authority["cnil"]["total_usd"] == "19582000.00"
    assert by_authority["cnil"]["original_text"] == "€20,000,000"
    assert by_authority["cnil"]["cases"] == 1 and by_authority["cnil"]["cases_with_amount"] == 1
    assert by_authority["ftc"]["total_usd"] == "1000000.00"  # not the draft's five billion
    by_place = [bar.row["jurisdiction_slug"] for bar in stats.penalties_by_jurisdiction(remedies).bars]
    assert by_place == ["FR", "US"]  # largest first


def test_cases_by_kind_of_data_count_published_datasets_only(record):
    bars = {bar.row["modality_slug"]: bar.row["cases"] for bar in stats.cases_by_modality().bars}
    assert bars == {"face_images": 2, "voice": 2}  # health is a draft dataset; the draft case uses faces


def test_model_deletion_timeline_marks_the_first_and_links_precedents(record):
    from tests.factories import CaseRelationFactory

    CaseRelationFactory(from_case=record["b"], to_case=record["a"], kind="follows")
    timeline = stats.deletion_timeline()
    assert [row.case.slug for row in timeline.rows] == ["a", "b"]
    assert timeline.rows[0].first and not timeline.rows[1].first
    assert [(c.precedent.case.slug, c.follower.case.slug) for c in timeline.connectors] == [("a", "b")]
    assert timeline.csv_rows[1]["follows"] == "a"


def test_page_in_both_views(client, record, django_assert_num_queries):
    with django_assert_num_queries(STATS_QUERIES):  # guards against a query per bar, per case or per year
        response = client.get("/stats/")
    html = response.text
    assert response.status_code == 200
    assert html.count("<svg") == 5
    assert 'href="/cases/?remedy=civil-penalty&amp;authority=cnil"' in html
    assert "View data as a table" in html and "/stats/cases-by-year.csv" in html
    assert " style=" not in html and "<style" not in html and "<script" not in html  # strict CSP
    assert "Draft" not in html

    tables = client.get("/stats/?view=table").text
    assert "<svg" not in tables and tables.count("<table") == 5
    assert '<th scope="row"><a href="/cases/?remedy=civil-penalty&amp;authority=cnil"' in tables
    assert "€20,000,000" in tables

    assert client.get("/stats/?view=<script>").text.count("<svg") == 5  # an unknown view is the charts


def test_csv_has_a_byte_order_mark_and_absolute_links(client, record):
    response = client.get("/stats/penalties-by-jurisdiction.csv")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert 'filename="casebase-penalties-by-jurisdiction.csv"' in response["Content-Disposition"]
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    rows = list(csv.DictReader(io.StringIO(text.removeprefix("\ufeff"))))
    assert [row["jurisdiction_slug"] for row in rows] == ["FR", "US"]
    assert rows[0]["original_amounts"] == "EUR 20000000.00"
    assert rows[0]["list_url"] == "http://testserver/cases/?remedy=civil-penalty&jurisdiction=FR"

    years = list(csv.DictReader(io.StringIO(client.get("/stats/cases-by-year.csv").content.decode("utf-8-sig"))))
    assert len(years) == 4 * 3  # all cases and three remedy types, three years each


def test_svg_download_is_a_standalone_svg(client, record):
    response = client.get("/stats/model-deletion-timeline.svg")
    assert response["Content-Type"] == "image/svg+xml; charset=utf-8"
    root = ElementTree.fromstring(response.content)
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    links = [a.get("href") for a in root.iter("{http://www.w3.org/2000/svg}a")]
    assert links and all(link.startswith("http://testserver/") for link in links)


@pytest.mark.parametrize("url", ["/stats/nope.csv", "/stats/nope.svg", "/stats/x.csv.csv"])
def test_unknown_chart_is_not_found(client, url):
    assert client.get(url).status_code == 404


def test_an_empty_record_still_answers(client):
    response = client.get("/stats/")
    assert response.status_code == 200
    assert client.get("/stats/cases-by-year.csv").status_code == 200
    assert client.get("/stats/model-deletion-timeline.csv").status_code == 404  # no such remedy type yet
