"""The knowledge model: database constraints, date precision, display helpers and history."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from casebase.knowledge.models import (
    Case,
    Citation,
    Company,
    DatePrecision,
    RelationKind,
    Source,
    TimelineEvent,
)
from tests.factories import (
    CaseFactory,
    CaseRelationFactory,
    CitationFactory,
    CompanyFactory,
    DatasetFactory,
    ExposureListFactory,
    RemedyFactory,
    SourceFactory,
    TimelineEventFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def rejected():
    """Expect the database itself to refuse the write."""
    return pytest.raises(IntegrityError)


# ---------------------------------------------------------------------------
# Constraints the database enforces
# ---------------------------------------------------------------------------


def test_slugs_are_unique():
    """Two companies cannot share a slug."""
    CompanyFactory(slug="clearview-ai")
    with rejected(), transaction.atomic():
        CompanyFactory(slug="clearview-ai")


def test_source_urls_are_unique():
    """A document is stored once, whoever cites it."""
    SourceFactory(url="https://www.ftc.gov/order.pdf")
    with rejected(), transaction.atomic():
        SourceFactory(url="https://www.ftc.gov/order.pdf")


def test_remedy_amounts_are_not_negative():
    """A penalty of minus five dollars is a typing error."""
    with rejected(), transaction.atomic():
        RemedyFactory(amount=Decimal("-5"), currency="USD")


def test_remedy_dollar_figure_is_not_negative_even_when_written_directly():
    """The derived dollar figure is checked by the database too, past the model's save()."""
    remedy = RemedyFactory(amount=Decimal("5"), currency="USD")
    with rejected(), transaction.atomic():
        type(remedy).objects.filter(pk=remedy.pk).update(amount_usd=Decimal("-5"))


def test_remedy_amount_needs_a_currency():
    """An amount without its currency cannot be compared or shown."""
    with rejected(), transaction.atomic():
        RemedyFactory(amount=Decimal("5000000"), currency="")


def test_remedy_amount_with_currency_is_accepted():
    """The valid pair goes through."""
    assert RemedyFactory(amount=Decimal("5000000"), currency="USD").pk


def test_remedy_is_permanent_or_has_a_duration():
    """A permanent ban has no duration in months."""
    with rejected(), transaction.atomic():
        RemedyFactory(is_permanent=True, duration_months=240)


def test_case_date_without_precision_is_rejected():
    """A date with no precision, written past save(), is refused by the database."""
    case = CaseFactory()
    with rejected(), transaction.atomic():
        Case.objects.filter(pk=case.pk).update(started_on_precision="")


def test_case_precision_without_date_is_rejected():
    """A precision with no date, written past save(), is refused by the database."""
    case = CaseFactory()
    with rejected(), transaction.atomic():
        Case.objects.filter(pk=case.pk).update(decided_on=None)


def test_source_date_precision_pair_is_enforced_on_bulk_create():
    """bulk_create skips save(), so only the constraint stands between us and a bad pair."""
    with rejected(), transaction.atomic():
        Source.objects.bulk_create(
            [Source(title="Order", url="https://example.org/a", published_on=datetime.date(2020, 1, 1))]
        )
    with rejected(), transaction.atomic():
        Source.objects.bulk_create(
            [Source(title="Order", url="https://example.org/b", published_on_precision=DatePrecision.YEAR)]
        )


def test_timeline_event_precision_must_be_known():
    """Every timeline event has a date precision."""
    event = TimelineEventFactory()
    with rejected(), transaction.atomic():
        TimelineEvent.objects.filter(pk=event.pk).update(date_precision="")


def test_dataset_collection_period_pair_is_enforced():
    """Dataset collection dates carry their precision too."""
    dataset = DatasetFactory()
    with rejected(), transaction.atomic():
        type(dataset).objects.filter(pk=dataset.pk).update(collection_start=datetime.date(2014, 9, 1))


def test_case_cannot_be_decided_before_it_started():
    """A decision date before the start date is refused."""
    with rejected(), transaction.atomic():
        CaseFactory(
            started_on=datetime.date(2022, 5, 1),
            started_on_precision=DatePrecision.DAY,
            decided_on=datetime.date(2021, 5, 1),
            decided_on_precision=DatePrecision.DAY,
        )


def test_citation_needs_an_owner():
    """A citation that belongs to nothing is refused."""
    with rejected(), transaction.atomic():
        CitationFactory(case=None)


def test_citation_has_only_one_owner():
    """A citation belongs to exactly one record."""
    dataset = DatasetFactory()
    with rejected(), transaction.atomic():
        CitationFactory(dataset=dataset)  # the factory also sets a case
    assert CitationFactory(case=None, dataset=dataset).dataset == dataset
    assert Citation.objects.count() == 1


def test_case_relation_not_to_itself():
    """A case cannot be related to itself."""
    case = CaseFactory()
    with rejected(), transaction.atomic():
        CaseRelationFactory(from_case=case, to_case=case)


def test_company_is_not_its_own_parent():
    """The database refuses a company that owns itself."""
    company = CompanyFactory()
    with rejected(), transaction.atomic():
        Company.objects.filter(pk=company.pk).update(parent=company)


def test_company_clean_rejects_parent_cycles():
    """Ownership loops through other companies are caught before saving."""
    grandparent = CompanyFactory()
    parent = CompanyFactory(parent=grandparent)
    grandparent.parent = parent
    with pytest.raises(ValidationError) as excinfo:
        grandparent.clean()
    assert "parent" in excinfo.value.message_dict
    grandparent.parent = grandparent
    with pytest.raises(ValidationError):
        grandparent.clean()


def test_company_clean_accepts_a_chain():
    """A plain ownership chain is fine."""
    CompanyFactory(parent=CompanyFactory(parent=CompanyFactory())).clean()


# ---------------------------------------------------------------------------
# Dates with precision
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("given", "precision", "stored", "shown"),
    [
        (datetime.date(2014, 9, 17), DatePrecision.YEAR, datetime.date(2014, 1, 1), "2014"),
        (datetime.date(2022, 3, 17), DatePrecision.MONTH, datetime.date(2022, 3, 1), "March 2022"),
        (datetime.date(2026, 3, 30), DatePrecision.DAY, datetime.date(2026, 3, 30), "30 March 2026"),
    ],
)
def test_dates_are_stored_at_the_start_of_their_period(given, precision, stored, shown):
    """A date is stored at the start of its period and shown only as precisely as it is known."""
    case = CaseFactory(started_on=None, decided_on=given, decided_on_precision=precision)
    case.refresh_from_db()
    assert case.decided_on == stored
    assert case.decided_on_display == shown


def test_date_without_precision_defaults_to_day_and_precision_without_date_is_cleared():
    """save() fills in or clears the precision so the pair stays consistent."""
    case = CaseFactory(
        started_on=datetime.date(2020, 2, 13),
        started_on_precision="",
        decided_on=None,
        decided_on_precision=DatePrecision.MONTH,
    )
    case.refresh_from_db()
    assert case.started_on_precision == DatePrecision.DAY
    assert case.decided_on_precision == ""
    assert case.decided_on_display == ""


def test_timeline_and_source_dates_are_normalised():
    """Timeline events and sources follow the same rule."""
    event = TimelineEventFactory(date=datetime.date(2019, 7, 14), date_precision=DatePrecision.MONTH)
    source = SourceFactory(published_on=datetime.date(2026, 4, 21), published_on_precision=DatePrecision.YEAR)
    assert (event.date, event.date_display) == (datetime.date(2019, 7, 1), "July 2019")
    assert (source.published_on, source.published_on_display) == (datetime.date(2026, 1, 1), "2026")


# ---------------------------------------------------------------------------
# Display helpers
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fields", "shown"),
    [
        ({"size_value": Decimal("3000000"), "size_unit": "photos"}, "~3,000,000 photos"),
        ({"size_value": Decimal("2.5"), "size_unit": "terabytes", "size_is_approximate": False}, "2.5 terabytes"),
        ({"size_value": None, "size_note": "millions of images"}, "millions of images"),
    ],
)
def test_dataset_size_display(fields, shown):
    """Sizes read as the sources give them."""
    assert DatasetFactory.build(**fields).size_display == shown


@pytest.mark.parametrize(
    ("fields", "shown"),
    [
        ({"is_permanent": True}, "Permanent"),
        ({"duration_months": 240}, "20 years"),
        ({"duration_months": 12}, "1 year"),
        ({"duration_months": 18}, "18 months"),
        ({}, ""),
    ],
)
def test_remedy_duration_display(fields, shown):
    """Durations read in years when they are whole years."""
    assert RemedyFactory.build(**fields).duration_display == shown


@pytest.mark.parametrize(
    ("kind", "label"),
    [
        (RelationKind.APPEAL_OF, "Appealed in"),
        (RelationKind.PARALLEL, "Parallel proceeding"),
        (RelationKind.FOLLOWS, "Precedent for"),
        (RelationKind.CITES, "Cited by"),
        (RelationKind.RELATED, "Related"),
    ],
)
def test_relation_inverse_label(kind, label):
    """A relation reads correctly from the other case's page."""
    assert kind.inverse_label == label
    assert CaseRelationFactory.build(kind=kind).inverse_label == label


def test_case_docket_list_and_str():
    """Dockets are one per line; lists use the short title."""
    case = CaseFactory.build(short_title="Everalbum", docket_numbers="C-4743\n\n 192 3172 ")
    assert case.docket_list == ["C-4743", "192 3172"]
    assert str(case) == "Everalbum"


def test_review_cycles_default_by_kind_of_page():
    """Open cases every 90 days, closed ones yearly, companies and datasets 6 months, exposure lists 60 days."""
    assert CaseFactory(case_status="complaint_filed").review_cycle_days == 90
    assert CaseFactory(case_status="final_order").review_cycle_days == 365
    assert CompanyFactory().review_cycle_days == 182
    assert DatasetFactory().review_cycle_days == 182
    assert ExposureListFactory().review_cycle_days == 60


def test_an_editors_review_cycle_wins_over_the_default():
    """A cycle set by hand is kept, even when it equals another kind's default."""
    case = CaseFactory(case_status="final_order", verify_every_days=180)
    case.refresh_from_db()
    assert case.review_cycle_days == 180


# ---------------------------------------------------------------------------
# History
# ---------------------------------------------------------------------------


def test_history_records_each_change_with_its_author():
    """Every save writes a historical record that keeps who made it and why."""
    editor = UserFactory()
    case = CaseFactory(summary="First version.")
    assert case.history.count() == 1

    case.summary = "Second version."
    case._history_user = editor
    case._change_reason = "Corrected the amount"
    case.save()

    assert case.history.count() == 2
    latest = case.history.first()
    assert latest.history_type == "~"
    assert latest.history_user == editor
    assert latest.history_change_reason == "Corrected the amount"
    assert latest.summary == "Second version."
    assert case.history.last().summary == "First version."


def test_history_is_kept_for_child_rows():
    """Child rows such as remedies keep history too."""
    remedy = RemedyFactory()
    remedy.status = "complied"
    remedy.save()
    assert remedy.history.count() == 2
