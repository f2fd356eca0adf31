"""The record's own rules: money in one currency, copies that say whose they are, and check_content."""

import datetime
import tomllib
from decimal import Decimal
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.template.loader import render_to_string

from casebase.knowledge import ecb
from casebase.knowledge.content_checks import FAIL, WARN, run_checks
from casebase.knowledge.models import (
    CaseKind,
    CaseStatus,
    ExchangeRate,
    PartyRole,
    Remedy,
    RemedyCompliance,
    RemedyOrigin,
    RemedyStatus,
    SourceKind,
)
from casebase.knowledge.seed import Loader, SeedError
from tests.factories import (
    CaseFactory,
    CitationFactory,
    CompanyFactory,
    ExchangeRateFactory,
    ExposureEntryFactory,
    PartyFactory,
    RemedyFactory,
    RemedyTypeFactory,
    SourceFactory,
)

pytestmark = pytest.mark.django_db

FIXTURES = Path(settings.BASE_DIR) / "fixtures"


# --- Money ---------------------------------------------------------------------------------------


def test_dollar_amount_is_its_own_dollar_value():
    """A USD amount needs no conversion; the dollar figure is never typed in separately."""
    remedy = RemedyFactory(amount=Decimal("5800000"), currency="USD")
    assert remedy.amount_usd == Decimal("5800000")


def test_other_currency_is_converted_at_its_reference_rate():
    """€20,000,000 at 1.0067 dollars to the euro is $20,134,000.00."""
    rate = ExchangeRateFactory(currency="EUR", usd_per_unit=Decimal("1.0067"))
    remedy = RemedyFactory(amount=Decimal("20000000"), currency="EUR", exchange_rate=rate)
    assert remedy.amount_usd == Decimal("20134000.00")


def test_other_currency_without_a_rate_has_no_dollar_value():
    """No guess: without a named rate there is no dollar figure, and check_content reports it."""
    remedy = RemedyFactory(amount=Decimal("7552800"), currency="GBP")
    assert remedy.amount_usd is None


def test_a_rate_for_another_currency_is_refused():
    """A euro rate cannot convert pounds."""
    rate = ExchangeRateFactory(currency="EUR")
    remedy = RemedyFactory.build(case=CaseFactory(), amount=Decimal("1"), currency="GBP", exchange_rate=rate)
    with pytest.raises(ValidationError, match="converts EUR"):
        remedy.clean()


def test_rate_lookup_takes_the_last_publication_of_the_week():
    """A decision on a Sunday uses Friday's rate, but never one more than a week old."""
    friday = ExchangeRateFactory(currency="EUR", date=datetime.date(2022, 7, 15))
    assert ExchangeRate.objects.on_or_before("EUR", datetime.date(2022, 7, 17)) == friday
    assert ExchangeRate.objects.on_or_before("EUR", datetime.date(2022, 7, 25)) is None


def test_amount_partial_names_the_rate_and_its_date():
    """Readers see '≈ $X at the ECB euro reference rate of 13 July 2022', linked to the source."""
    rate = ExchangeRateFactory(currency="EUR", usd_per_unit=Decimal("1.0067"), date=datetime.date(2022, 7, 13))
    remedy = RemedyFactory(amount=Decimal("20000000"), currency="EUR", exchange_rate=rate)
    html = render_to_string("includes/_amount.html", {"remedy": remedy})
    assert "€20,000,000" in html
    assert "≈&nbsp;$20,134,000 at the" in html
    assert "ECB euro reference rate</a> of 13 July 2022" in html
    assert f'href="{rate.source.url}"' in html


def test_amount_partial_says_when_no_rate_is_recorded():
    remedy = RemedyFactory(amount=Decimal("7552800"), currency="GBP")
    html = render_to_string("includes/_amount.html", {"remedy": remedy})
    assert "no reference rate recorded yet" in html


RATE_FIXTURE = """
[[source]]
key = "ecb"
title = "Euro foreign exchange reference rates"
url = "https://example.org/ecb"
kind = "primary"

[[source]]
key = "decision"
title = "A decision"
url = "https://example.org/decision"
kind = "primary"

[[exchange_rate]]
currency = "EUR"
date = "2022-07-13"
usd_per_unit = "1.0067"
reference = "ECB euro reference rate"
source = "ecb"

[[case]]
slug = "fined"
title = "A fine in euros"
kind = "dpa_decision"
case_status = "final_order"
jurisdiction = "GR"
decided_on = "2022-07-13"
summary = "Fined."
sources = ["decision"]

[[case.remedies]]
type = "civil-penalty"
summary = "A fine."
origin = "ordered"
status = "in_force"
amount = 20000000
currency = "EUR"
"""


@pytest.fixture
def penalty_type():
    return RemedyTypeFactory(slug="civil-penalty")


def test_loader_converts_at_the_decision_date(tmp_path, penalty_type):
    (tmp_path / "f.toml").write_text(RATE_FIXTURE)
    Loader(tmp_path).run()
    remedy = Remedy.objects.get(case__slug="fined")
    assert remedy.exchange_rate.date == datetime.date(2022, 7, 13)
    assert remedy.amount_usd == Decimal("20134000.00")


def test_loader_refuses_a_typed_dollar_figure_for_another_currency(tmp_path, penalty_type):
    """A dollar figure copied from a news report would bypass the named rate."""
    (tmp_path / "f.toml").write_text(RATE_FIXTURE + "amount_usd = 20000000\n")
    with pytest.raises(SeedError, match="derived from a reference rate"):
        Loader(tmp_path).run()
    assert not Remedy.objects.exists()


def test_every_rate_in_the_fixtures_matches_the_ecb_history():
    """Each stored rate is the ECB's own figure for its day (crossed through the euro where needed)."""
    with open(FIXTURES / "exchange_rates.toml", "rb") as fh:
        rows = tomllib.load(fh)["exchange_rate"]
    assert rows
    history = ecb.history()
    for row in rows:
        day = datetime.date.fromisoformat(row["date"])
        found = ecb.usd_per_unit(history, row["currency"], day)
        assert found is not None, row
        assert (found[0], found[1]) == (day, Decimal(row["usd_per_unit"])), row


# --- check_content -------------------------------------------------------------------------------


def findings(level=FAIL):
    return [str(f) for f in run_checks() if f.level == level]


def sourced_case(**fields):
    case = CaseFactory(**fields)
    CitationFactory(case=case, source=SourceFactory(kind=SourceKind.PRIMARY, url=f"https://www.ftc.gov/{case.slug}"))
    return case


def test_a_sound_record_passes():
    case = sourced_case(case_status=CaseStatus.FINAL_ORDER)
    RemedyFactory(case=case, amount=Decimal("1000"), currency="USD")
    assert findings() == []
    out = StringIO()
    call_command("check_content", stdout=out)
    assert "The record passes: 0 failures" in out.getvalue()


def test_case_without_source_fails():
    CaseFactory(slug="unsourced")
    assert findings() == ["FAIL case unsourced: a published case cites no source"]
    with pytest.raises(CommandError, match="1 failure"):
        call_command("check_content", stdout=StringIO())


def test_draft_case_without_source_is_not_a_finding():
    """Drafts are work in progress; the rule is about what readers see."""
    CaseFactory(slug="draft", status="draft")
    assert findings() == []


def test_case_without_a_primary_document_warns():
    case = CaseFactory(slug="news-only")
    CitationFactory(case=case, source=SourceFactory(kind=SourceKind.NEWS))
    assert findings() == []
    assert findings(WARN) == ["WARN case news-only: no primary legal document is linked yet"]


def test_copy_on_a_mirror_must_say_so():
    case = CaseFactory()
    CitationFactory(case=case, source=SourceFactory(url="https://www.scribd.com/document/1/order"))
    assert findings() == [
        "FAIL source https://www.scribd.com/document/1/order: a primary document on scribd.com, "
        "which holds copies, is not marked as a copy"
    ]


def test_copy_must_say_whose_document_it_is():
    case = CaseFactory()
    CitationFactory(case=case, source=SourceFactory(url="https://x.org/o", hosted_by="Docket Alarm", publisher=""))
    assert findings() == [
        "FAIL source https://x.org/o: a copy hosted by Docket Alarm does not say whose document it is"
    ]


def test_marked_copy_with_owner_passes():
    case = CaseFactory()
    CitationFactory(
        case=case,
        source=SourceFactory(url="https://www.scribd.com/document/1/order", hosted_by="Scribd", publisher="FTC"),
    )
    assert findings() == []


def test_amount_without_rate_fails():
    case = sourced_case(slug="ico")
    RemedyFactory(case=case, remedy_type__slug="civil-penalty", amount=Decimal("7552800"), currency="GBP")
    assert findings() == ["FAIL case ico remedy civil-penalty: a GBP amount without a US-dollar value"]


def test_exposure_entry_needs_sources_and_cases():
    entry = ExposureEntryFactory(company=CompanyFactory(slug="ideogram"), exposure_list__slug="images")
    assert findings() == [
        "FAIL exposure list images entry ideogram: an exposure entry cites no source",
        "FAIL exposure list images entry ideogram: an exposure entry names no related case",
    ]
    entry.related_cases.set([sourced_case()])
    CitationFactory(case=None, exposure_entry=entry)
    assert findings() == []


def test_voluntary_commitment_has_no_respondent():
    case = sourced_case(slug="volunteered", kind=CaseKind.VOLUNTARY_COMMITMENT)
    PartyFactory(case=case, company=CompanyFactory(slug="clarifai"), role=PartyRole.RESPONDENT)
    assert findings() == [
        "FAIL case volunteered: clarifai is a respondent in a voluntary commitment, which charges no one"
    ]


def test_guidance_orders_nothing():
    case = sourced_case(slug="opinion", kind=CaseKind.GUIDANCE, case_status=CaseStatus.ISSUED)
    RemedyFactory(case=case)
    assert findings() == ["FAIL case opinion: guidance carries a remedy: guidance orders nothing"]


@pytest.mark.parametrize(
    ("case_status", "origin", "status", "expected"),
    [
        (
            CaseStatus.PROPOSED_ORDER,
            RemedyOrigin.AGREED,
            RemedyStatus.IN_FORCE,
            "in force but the order is only proposed",
        ),
        (CaseStatus.ANNULLED, RemedyOrigin.ORDERED, RemedyStatus.IN_FORCE, "in force but the decision was annulled"),
        (CaseStatus.DISMISSED, RemedyOrigin.ORDERED, RemedyStatus.COMPLIED, "certified but the case was dismissed"),
        (CaseStatus.PENDING, RemedyOrigin.SOUGHT, RemedyStatus.IN_FORCE, "sought by a plaintiff but marked in force"),
        (CaseStatus.SETTLED, RemedyOrigin.AGREED, RemedyStatus.PROPOSED, "still proposed although the case is settled"),
    ],
)
def test_remedy_status_must_fit_the_case(case_status, origin, status, expected):
    case = sourced_case(slug="c", case_status=case_status)
    RemedyFactory(case=case, remedy_type__slug="model-deletion", origin=origin, status=status)
    assert any(expected in line for line in findings()), findings()


@pytest.mark.parametrize(
    ("case_status", "origin", "status"),
    [
        (CaseStatus.PROPOSED_ORDER, RemedyOrigin.AGREED, RemedyStatus.PROPOSED),
        (CaseStatus.ANNULLED, RemedyOrigin.ORDERED, RemedyStatus.ANNULLED),
        (CaseStatus.PENDING, RemedyOrigin.SOUGHT, RemedyStatus.SOUGHT),
        (CaseStatus.PENDING, RemedyOrigin.ORDERED, RemedyStatus.IN_FORCE),  # a preservation order mid-suit
        (CaseStatus.FINAL_ORDER, RemedyOrigin.ORDERED, RemedyStatus.COMPLIED),
    ],
)
def test_consistent_remedy_statuses_pass(case_status, origin, status):
    case = sourced_case(case_status=case_status)
    RemedyFactory(case=case, origin=origin, status=status)
    assert findings() == []


def test_old_verification_flag_warns_once_the_cycle_has_run():
    case = sourced_case(slug="flagged", case_status=CaseStatus.FINAL_ORDER)
    RemedyFactory(case=case, needs_verification=True)
    later = case.created_at + datetime.timedelta(days=case.review_cycle_days + 1)
    assert [str(f) for f in run_checks(now=later) if f.level == WARN] == [
        f"WARN case flagged: a 'needs verification' flag is older than the page's "
        f"{case.review_cycle_days}-day review cycle"
    ]
    assert [f for f in run_checks() if f.level == WARN] == []


def test_compliance_is_recorded_with_its_date_and_source():
    source = SourceFactory()
    remedy = RemedyFactory(
        compliance=RemedyCompliance.CERTIFIED, compliance_date=datetime.date(2026, 4, 7), compliance_source=source
    )
    assert remedy.is_certified
    assert remedy.compliance_date_display == "7 April 2026"
