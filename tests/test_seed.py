"""The seed data in fixtures/ loads, is sound, and loading it again changes nothing."""

from io import StringIO

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import transaction
from django.db.models import Q

from casebase.knowledge.models import (
    Case,
    CaseKind,
    CaseRelation,
    Company,
    ExposureList,
    Party,
    PartyRole,
    PublicationStatus,
    Remedy,
    RemedyOrigin,
    TimelineEvent,
)
from casebase.knowledge.seed import Loader, SeedError

pytestmark = pytest.mark.django_db

REQUIRED_CASES = [
    "ftc-cambridge-analytica",
    "ftc-everalbum",
    "us-v-kurbo-ww",
    "us-v-edmodo",
    "us-v-amazon-alexa",
    "ftc-v-ring",
    "ftc-v-rite-aid",
    "ftc-avast-jumpshot",
    "ftc-x-mode",
    "aclu-v-clearview",
    "clearview-consumer-privacy-litigation",
    "garante-v-clearview",
    "cnil-v-clearview",
    "hdpa-v-clearview",
    "ico-v-clearview",
    "ap-v-clearview",
    "oaic-v-clearview",
    "garante-v-openai",
    "garante-v-replika",
    "pipc-v-scatter-lab",
    "andersen-v-stability-ai",
    "getty-v-stability-ai-us",
    "getty-v-stability-ai-uk",
    "ftc-v-humor-rainbow-okcupid",
]
DELETION_TYPES = ["data-deletion", "model-deletion"]


def seed():
    """Run the seed command and return what it printed."""
    out = StringIO()
    call_command("seed", stdout=out)
    return out.getvalue()


def row_counts():
    """Rows in every knowledge table, including history and many-to-many tables."""
    return {
        model._meta.label: model._default_manager.count()
        for model in apps.get_app_config("knowledge").get_models(include_auto_created=True)
    }


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    """Seed once for the module (it takes seconds); each test then runs in its own savepoint."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield seed()
        transaction.set_rollback(True)


def test_seed_loads(seeded):
    """The command loads the fixtures and says what it loaded."""
    assert seeded.startswith("Loaded ")
    assert Case.objects.exists()


def test_seed_has_at_least_twenty_published_cases(seeded):
    """The demo data is big enough to browse and filter."""
    assert Case.objects.published().count() >= 20


def test_required_cases_are_published(seeded):
    """Every case the site promises is there and published."""
    present = set(Case.objects.published().filter(slug__in=REQUIRED_CASES).values_list("slug", flat=True))
    assert [slug for slug in REQUIRED_CASES if slug not in present] == []


def test_every_published_case_cites_a_source(seeded):
    """Nothing is stated without a source."""
    unsourced = Case.objects.published().filter(citations__isnull=True).values_list("slug", flat=True)
    assert list(unsourced) == []


def test_every_remedy_has_a_published_type(seeded):
    """Researchers filter remedies by type, so every remedy has one readers can see."""
    assert Remedy.objects.exists()
    untyped = Remedy.objects.exclude(remedy_type__status=PublicationStatus.PUBLISHED)
    assert list(untyped.values_list("case__slug", "summary")) == []


@pytest.mark.parametrize("model", [Party, Remedy, TimelineEvent], ids=lambda m: m.__name__)
def test_case_children_point_to_existing_cases(seeded, model):
    """Parties, remedies and timeline events all belong to a stored case."""
    assert model.objects.exists()
    assert not model.objects.exclude(case__in=Case.objects.all()).exists()


def test_relations_join_existing_published_cases(seeded):
    """Every relation's target exists, so both pages show it."""
    assert CaseRelation.objects.exists()
    broken = CaseRelation.objects.exclude(
        to_case__status=PublicationStatus.PUBLISHED, from_case__status=PublicationStatus.PUBLISHED
    )
    assert list(broken.values_list("from_case__slug", "to_case__slug")) == []


def test_no_orphan_companies(seeded):
    """Every company is on a case, an exposure list or a dataset, or owns one that is."""
    used = (
        Q(parties__isnull=False)
        | Q(exposure_entries__isnull=False)
        | Q(datasets_collected__isnull=False)
        | Q(datasets_received__isnull=False)
        | Q(subsidiaries__isnull=False)
    )
    used_ids = Company.objects.filter(used).values("pk")
    orphans = Company.objects.exclude(pk__in=used_ids).values_list("slug", flat=True)
    assert sorted(orphans) == []


def test_clarifai_is_related_not_charged_in_the_okcupid_case(seeded):
    """The FTC's OkCupid order does not reach Clarifai; the news item that said so was wrong."""
    roles = set(
        Party.objects.filter(case__slug="ftc-v-humor-rainbow-okcupid", company__slug="clarifai").values_list(
            "role", flat=True
        )
    )
    assert PartyRole.RELATED in roles
    assert PartyRole.RESPONDENT not in roles


def test_clarifai_deletions_are_voluntary(seeded):
    """No authority ordered Clarifai to delete anything: its deletions are its own."""
    deletions = (
        Remedy.objects.filter(case__parties__company__slug="clarifai", remedy_type__slug__in=DELETION_TYPES)
        .exclude(case__kind=CaseKind.PRIVATE_ACTION)  # a plaintiff may seek deletion; that is not an order
        .distinct()
    )
    assert deletions.exists()
    assert set(deletions.values_list("origin", flat=True)) == {RemedyOrigin.VOLUNTARY}
    assert not Remedy.objects.filter(
        case__slug="ftc-v-humor-rainbow-okcupid", remedy_type__slug__in=DELETION_TYPES
    ).exists()


def test_at_least_two_exposure_lists(seeded):
    """The exposure lists the news item calls for are there, with entries."""
    lists = ExposureList.objects.published()
    assert lists.count() >= 2
    assert not lists.filter(entries__isnull=True).exists()


def test_seeding_twice_changes_nothing(seeded):
    """A second run creates nothing, history included, so editors' work is never overwritten."""
    before = row_counts()
    assert seed() == "Seed data already present; nothing changed.\n"
    assert row_counts() == before


BROKEN_FIXTURE = """
[[source]]
key = "order"
title = "An order"
url = "https://example.org/order"
kind = "primary"

[[company]]
slug = "real-company"
name = "Real Company"

[[case]]
slug = "broken-case"
title = "A case naming a company that does not exist"
kind = "administrative_order"
case_status = "final_order"
jurisdiction = "US"
summary = "Broken on purpose."
sources = ["order"]

[[case.parties]]
company = "no-such-company"
role = "respondent"
"""


def test_broken_fixture_raises_and_loads_nothing(tmp_path):
    """One unknown slug stops the whole load and leaves the database as it was."""
    (tmp_path / "broken.toml").write_text(BROKEN_FIXTURE)
    before = row_counts()
    with pytest.raises(SeedError, match="no-such-company"):
        Loader(tmp_path).run()
    assert row_counts() == before


def test_invalid_choice_in_a_shared_table_stops_the_load(tmp_path):
    """An authority with an unknown kind is rejected like any other invalid record."""
    (tmp_path / "bad.toml").write_text(
        '[[authority]]\nslug = "nowhere"\nname = "Nowhere Board"\nkind = "not-a-kind"\njurisdiction = "US"\n'
    )
    before = row_counts()
    with pytest.raises(SeedError, match="not-a-kind"):
        Loader(tmp_path).run()
    assert row_counts() == before


def test_companies_load_after_their_parents_at_any_depth(tmp_path):
    """A grandchild listed before its parent and grandparent still loads."""
    (tmp_path / "tree.toml").write_text(
        '[[company]]\nslug = "tree-c"\nname = "C"\nparent = "tree-b"\n'
        '[[company]]\nslug = "tree-b"\nname = "B"\nparent = "tree-a"\n'
        '[[company]]\nslug = "tree-a"\nname = "A"\n'
    )
    Loader(tmp_path).run()
    assert Company.objects.get(slug="tree-c").parent.parent.slug == "tree-a"


def test_the_seed_record_passes_check_content(seeded):
    """The content check runs in every test run: no published fact breaks the record's rules."""
    from casebase.knowledge.content_checks import FAIL, run_checks

    assert [str(f) for f in run_checks() if f.level == FAIL] == []


def test_every_amount_has_a_dollar_value_from_a_named_rate(seeded):
    """Largest penalty first sorts every penalty: each amount has a US-dollar value, non-dollar ones by a rate."""
    amounts = Remedy.objects.filter(amount__isnull=False)
    assert amounts.filter(currency="EUR").exists() and amounts.filter(currency="GBP").exists()
    assert not amounts.filter(amount_usd__isnull=True).exists()
    assert not amounts.exclude(currency="USD").filter(exchange_rate__isnull=True).exists()


MISSING_VERIFIED_CASES = [
    "ftc-donotpay",
    "ftc-v-ascend-ecom",
    "ftc-v-ecommerce-empire-builders",
    "ftc-v-fba-machine",
    "clarifai-bipa-class-action-2022",
    "lee-luda-users-v-scatter-lab",
    "edpb-opinion-28-2024",
]


def test_cases_the_fact_sheets_verify_are_present(seeded):
    present = set(Case.objects.published().values_list("slug", flat=True))
    assert [slug for slug in MISSING_VERIFIED_CASES if slug not in present] == []


def test_guidance_is_shown_as_guidance(seeded):
    """EDPB Opinion 28/2024 is an opinion: no one is charged and nothing is ordered."""
    opinion = Case.objects.get(slug="edpb-opinion-28-2024")
    assert opinion.kind == CaseKind.GUIDANCE
    assert not opinion.parties.filter(role=PartyRole.RESPONDENT).exists()
    assert not opinion.remedies.exists()


def test_the_field_is_covered_beyond_the_first_sheets(seeded):
    """44 cases at the first audit, 7 it found missing, and at least 25 more from public sources."""
    assert Case.objects.published().count() >= 44 + 7 + 25


def test_clarifai_photo_deletion_certified_models_only_reported(seeded):
    """The worked example: photos certified to the FTC on 7 April 2026; the models only said deleted in a letter."""
    remedies = Remedy.objects.filter(case__slug="clarifai-okcupid-voluntary-deletion")
    photos = remedies.get(remedy_type__slug="data-deletion")
    models = remedies.get(remedy_type__slug="model-deletion")
    assert (photos.compliance, photos.compliance_date.isoformat()) == ("certified", "2026-04-07")
    assert photos.compliance_source is not None
    assert (models.compliance, models.compliance_date.isoformat()) == ("reported", "2026-04-16")
    assert not Party.objects.filter(
        case__slug="clarifai-okcupid-voluntary-deletion", company__slug="clarifai", role=PartyRole.RESPONDENT
    ).exists()
