"""Named QuerySet methods: what readers may see, ownership roll-ups, the review queue, prefetching."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from casebase.knowledge.models import (
    Authority,
    Case,
    CaseKind,
    CaseStatus,
    Company,
    Modality,
    PublicationStatus,
    RemedyOrigin,
)
from tests.factories import (
    AuthorityFactory,
    CaseFactory,
    CaseRelationFactory,
    CitationFactory,
    CompanyFactory,
    DatasetFactory,
    ExposureListFactory,
    LegalBasisFactory,
    PartyFactory,
    RemedyFactory,
    RemedyTypeFactory,
    TimelineEventFactory,
    TrainedModelFactory,
)

pytestmark = pytest.mark.django_db

PUBLIC_ENTITY_FACTORIES = [
    AuthorityFactory,
    CompanyFactory,
    RemedyTypeFactory,
    DatasetFactory,
    CaseFactory,
    ExposureListFactory,
]


@pytest.mark.parametrize("factory", PUBLIC_ENTITY_FACTORIES, ids=lambda f: f._meta.model.__name__)
def test_published_excludes_drafts_and_withdrawn(factory):
    """Drafts and withdrawn records never reach readers."""
    published = factory()
    factory(status=PublicationStatus.DRAFT)
    factory(status=PublicationStatus.WITHDRAWN)
    assert list(factory._meta.model.objects.published()) == [published]


def test_with_subsidiaries_walks_the_whole_tree():
    """A parent's roll-up includes children and grandchildren, not siblings or its own parent."""
    holding = CompanyFactory(name="Holding")
    parent = CompanyFactory(name="Parent", parent=holding)
    child = CompanyFactory(name="Child", parent=parent)
    grandchild = CompanyFactory(name="Grandchild", parent=child)
    CompanyFactory(name="Unrelated")
    assert set(Company.objects.with_subsidiaries(parent)) == {parent, child, grandchild}
    assert set(Company.objects.with_subsidiaries(grandchild)) == {grandchild}


def test_with_subsidiaries_combines_with_published():
    """Draft subsidiaries stay hidden in a published roll-up."""
    parent = CompanyFactory()
    child = CompanyFactory(parent=parent)
    CompanyFactory(parent=parent, status=PublicationStatus.DRAFT)
    assert set(Company.objects.published().with_subsidiaries(parent)) == {parent, child}


def test_due_for_verification_orders_never_verified_first_then_oldest():
    """The review queue starts with pages nobody has checked, then the longest overdue."""
    now = timezone.now()
    ago = lambda days: now - datetime.timedelta(days=days)  # noqa: E731
    overdue_long = CompanyFactory(last_verified_at=ago(400), verify_every_days=180)
    never = CompanyFactory(last_verified_at=None)
    overdue_short = CompanyFactory(last_verified_at=ago(200), verify_every_days=180)
    due_today = CompanyFactory(last_verified_at=ago(180), verify_every_days=180)
    CompanyFactory(last_verified_at=ago(10), verify_every_days=180)  # not yet due
    CompanyFactory(last_verified_at=None, status=PublicationStatus.DRAFT)  # readers never see it

    queue = list(Company.objects.due_for_verification(now=now))

    assert queue == [never, overdue_long, overdue_short, due_today]


def test_due_for_verification_respects_each_records_cycle():
    """A short cycle falls due sooner than a long one checked on the same day."""
    now = timezone.now()
    checked = now - datetime.timedelta(days=70)
    short = ExposureListFactory(last_verified_at=checked, verify_every_days=60)
    ExposureListFactory(last_verified_at=checked, verify_every_days=365)
    assert list(ExposureListFactory._meta.model.objects.due_for_verification(now=now)) == [short]


def build_full_case(n=2):
    """A published case with n of everything the case page shows."""
    case = CaseFactory(forum=AuthorityFactory(kind="court"), legal_bases=LegalBasisFactory.create_batch(n))
    datasets = DatasetFactory.create_batch(n)
    case.datasets.set(datasets)
    for dataset in datasets:
        dataset.received_by.set(CompanyFactory.create_batch(n))
        for model in TrainedModelFactory.create_batch(n):
            model.datasets.add(dataset)
    for _ in range(n):
        PartyFactory(case=case)
        remedy = RemedyFactory(case=case, covers_datasets=datasets, covers_models=[TrainedModelFactory()])
        CitationFactory(case=None, remedy=remedy)
        TimelineEventFactory(case=case)
        CaseRelationFactory(from_case=case)
        CaseRelationFactory(to_case=case)
        CitationFactory(case=case)
    return case


def read_case_page(case):
    """Touch every relation the case page renders."""
    seen = [case.authority, case.forum, *case.legal_bases.all()]
    for party in case.parties.all():
        seen.append(party.company)
    for remedy in case.remedies.all():
        seen += [remedy.remedy_type, *remedy.covers_datasets.all(), *remedy.covers_models.all()]
        seen += [citation.source for citation in remedy.citations.all()]
    for dataset in case.datasets.all():
        seen += [dataset.collected_by]
        seen += [model.developer for model in dataset.trained_models.all()]
    seen += [event.source for event in case.timeline.all()]
    seen += [relation.to_case for relation in case.relations_out.all()]
    seen += [relation.from_case for relation in case.relations_in.all()]
    seen += [citation.source for citation in case.citations.all()]
    return seen


def test_for_detail_prefetches_everything_the_page_reads(django_assert_num_queries):
    """Guards against N+1 on the case page: once loaded, reading every relation costs no query."""
    case = Case.objects.for_detail().get(pk=build_full_case().pk)
    with django_assert_num_queries(0):
        seen = read_case_page(case)
    assert all(seen)
    assert len(case.relations_out.all()) == len(case.relations_in.all()) == 2


def test_for_detail_query_count_does_not_grow_with_rows(django_assert_num_queries):
    """Guards against N+1: loading a case with five of everything costs what loading two does."""
    small, large = build_full_case(2), build_full_case(5)
    with CaptureQueriesContext(connection) as small_queries:
        read_case_page(Case.objects.for_detail().get(pk=small.pk))
    with django_assert_num_queries(len(small_queries)):
        read_case_page(Case.objects.for_detail().get(pk=large.pk))


def test_for_detail_hides_unpublished_related_cases_and_datasets():
    """Links to draft cases or datasets do not leak onto a published page."""
    case = CaseFactory()
    CaseRelationFactory(from_case=case, to_case=CaseFactory(status=PublicationStatus.DRAFT))
    CaseRelationFactory(from_case=CaseFactory(status=PublicationStatus.WITHDRAWN), to_case=case)
    case.datasets.set([DatasetFactory(status=PublicationStatus.DRAFT)])
    loaded = Case.objects.for_detail().get(pk=case.pk)
    assert list(loaded.relations_out.all()) == []
    assert list(loaded.relations_in.all()) == []
    assert list(loaded.datasets.all()) == []


def test_for_list_prefetches_rows(django_assert_num_queries):
    """Guards against N+1 on case lists: authority, forum and remedies with their types come with the rows."""
    for _ in range(3):
        case = CaseFactory(forum=AuthorityFactory())
        RemedyFactory.create_batch(2, case=case)
    cases = list(Case.objects.published().for_list())
    with django_assert_num_queries(0):
        for case in cases:
            assert case.authority and case.forum
            assert all(remedy.remedy_type for remedy in case.remedies.all())


# --- One meaning per filter: the CaseQuerySet methods every caller uses ------------------------------


def titles(queryset):
    return sorted(queryset.values_list("title", flat=True))


def test_before_matches_authority_or_forum_once():
    """`before` is "brought or decided by, or heard by as the court"; a case with both set appears once."""
    ftc, court = AuthorityFactory(), AuthorityFactory()
    CaseFactory(title="Brought", authority=ftc)
    CaseFactory(title="Heard", forum=ftc)
    CaseFactory(title="Both", authority=ftc, forum=ftc)
    CaseFactory(title="Elsewhere", authority=court)
    assert titles(Case.objects.before(ftc)) == ["Both", "Brought", "Heard"]
    assert titles(Case.objects.before([ftc, court])) == ["Both", "Brought", "Elsewhere", "Heard"]
    assert titles(Case.objects.before(Authority.objects.filter(pk=court.pk))) == ["Elsewhere"]


def test_with_remedy_binds_by_default_on_the_same_remedy_row():
    """Binding origins by default; type and origin must hold on one remedy, and drafts' remedies never count."""
    deletion, penalty = RemedyTypeFactory(), RemedyTypeFactory()
    RemedyFactory(case=CaseFactory(title="Ordered"), remedy_type=deletion, origin=RemedyOrigin.ORDERED)
    RemedyFactory(case=CaseFactory(title="Agreed"), remedy_type=deletion, origin=RemedyOrigin.AGREED)
    sought = CaseFactory(title="Sought")
    RemedyFactory(case=sought, remedy_type=deletion, origin=RemedyOrigin.SOUGHT)
    RemedyFactory(case=sought, remedy_type=penalty, origin=RemedyOrigin.ORDERED)
    draft_type = RemedyTypeFactory(status=PublicationStatus.DRAFT)
    RemedyFactory(case=CaseFactory(title="Draft type"), remedy_type=draft_type, origin=RemedyOrigin.ORDERED)
    assert titles(Case.objects.with_remedy([deletion])) == ["Agreed", "Ordered"]
    assert titles(Case.objects.with_remedy([deletion], include_nonbinding=True)) == ["Agreed", "Ordered", "Sought"]
    assert titles(Case.objects.with_remedy([deletion], origins=[RemedyOrigin.SOUGHT])) == ["Sought"]
    assert titles(Case.objects.with_remedy([penalty], origins=[RemedyOrigin.SOUGHT])) == []
    assert titles(Case.objects.with_remedy()) == ["Agreed", "Ordered", "Sought"]


def test_with_modality_counts_published_datasets_once():
    """A case with two face datasets appears once; a draft dataset's kind of data does not count."""
    two = CaseFactory(title="Two faces")
    two.datasets.set([DatasetFactory(), DatasetFactory()])
    draft = CaseFactory(title="Draft data")
    draft.datasets.set([DatasetFactory(status=PublicationStatus.DRAFT)])
    voice = CaseFactory(title="Voice")
    voice.datasets.set([DatasetFactory(modality=Modality.VOICE)])
    assert titles(Case.objects.with_modality(Modality.FACE_IMAGES)) == ["Two faces"]
    assert titles(Case.objects.with_modality([Modality.FACE_IMAGES, Modality.VOICE])) == ["Two faces", "Voice"]
    assert Case.objects.count_by_modality() == {Modality.FACE_IMAGES: 1, Modality.VOICE: 1}


def test_under_legal_basis_one_or_several():
    coppa, bipa = LegalBasisFactory(), LegalBasisFactory()
    CaseFactory(title="Both").legal_bases.set([coppa, bipa])
    CaseFactory(title="COPPA").legal_bases.set([coppa])
    CaseFactory(title="None")
    assert titles(Case.objects.under_legal_basis(coppa)) == ["Both", "COPPA"]
    assert titles(Case.objects.under_legal_basis([coppa, bipa])) == ["Both", "COPPA"]
    assert titles(Case.objects.under_legal_basis([bipa])) == ["Both"]


def test_involving_and_with_company_parties():
    """`involving` filters only (no prefetch of its own); `with_company_parties` adds the roles for a page."""
    parent = CompanyFactory()
    child = CompanyFactory(parent=parent)
    case = CaseFactory(title="Child's")
    PartyFactory(case=case, company=child)
    CaseFactory(title="Nobody's")
    family = Company.objects.with_subsidiaries(parent)
    assert titles(Case.objects.involving([parent])) == []
    assert titles(Case.objects.involving(family)) == ["Child's"]
    [loaded] = Case.objects.involving(family).with_company_parties(family)
    assert [party.company for party in loaded.company_parties] == [child]


def test_of_kind_in_jurisdiction_with_status():
    CaseFactory(title="FTC order", kind=CaseKind.ADMINISTRATIVE_ORDER, jurisdiction="US")
    CaseFactory(title="CNIL", kind=CaseKind.DPA_DECISION, jurisdiction="FR", case_status=CaseStatus.ON_APPEAL)
    assert titles(Case.objects.of_kind(CaseKind.DPA_DECISION)) == ["CNIL"]
    assert titles(Case.objects.in_jurisdiction("US")) == ["FTC order"]
    assert titles(Case.objects.with_status(CaseStatus.ON_APPEAL)) == ["CNIL"]
    assert titles(Case.objects.with_status(CaseStatus.FINAL_ORDER)) == ["FTC order"]


def test_largest_penalty_first_counts_only_binding_penalties():
    """A penalty a plaintiff only seeks does not put its case at the top of 'largest penalty first'."""
    from decimal import Decimal

    from casebase.knowledge.models import Case, RemedyOrigin, RemedyStatus
    from tests.factories import CaseFactory, RemedyFactory, RemedyTypeFactory

    penalty = RemedyTypeFactory(slug="civil-penalty")
    sought = CaseFactory(title="Sought")
    RemedyFactory(
        case=sought,
        remedy_type=penalty,
        amount=Decimal("9000000000"),
        currency="USD",
        origin=RemedyOrigin.SOUGHT,
        status=RemedyStatus.SOUGHT,
    )
    ordered = CaseFactory(title="Ordered")
    RemedyFactory(case=ordered, remedy_type=penalty, amount=Decimal("5000000"), currency="USD")
    ranked = list(Case.objects.filter(pk__in=[sought.pk, ordered.pk]).largest_penalty_first())
    assert ranked == [ordered, sought]
    assert ranked[1].largest_penalty_usd is None
