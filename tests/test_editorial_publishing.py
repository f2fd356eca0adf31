"""Publishing a correction (page fix and notice in one transaction), verification, versions and page references."""

import datetime

import pytest
from django.utils import timezone

from casebase.editorial import pages
from casebase.editorial.actions import publish_correction, publish_notice, verify_page
from casebase.editorial.models import CorrectionNotice, CorrectionState, Verification
from casebase.editorial.workflow import TransitionNotAllowed
from casebase.knowledge.models import Case, PublicationStatus
from tests.factories import (
    CaseFactory,
    CitationFactory,
    CorrectionFactory,
    EditorFactory,
    PublisherFactory,
    SourceFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def accepted():
    return CorrectionFactory(page=CaseFactory(summary="The order was made in 2019."), state=CorrectionState.ACCEPTED)


def test_publishing_fixes_the_page_and_prints_the_notice_together(accepted):
    publisher = PublisherFactory()
    notice = publish_correction(
        accepted,
        publisher,
        notice_kind="correction",
        notice_text="An earlier version of this page gave 2019. The order was made in 2021.",
        is_material=True,
        changes={"summary": "The order was made in 2021."},
    )
    case = Case.objects.get(pk=accepted.object_id)
    latest = case.history.latest("history_id")
    assert case.summary == "The order was made in 2021."
    assert latest.history_change_reason == f"{accepted.reference}: correction"
    assert latest.history_user == publisher
    assert notice.page_history_id == latest.history_id
    assert list(notice.corrections.all()) == [accepted]
    accepted.refresh_from_db()
    assert accepted.state == CorrectionState.PUBLISHED
    assert accepted.resolved_at is not None
    assert accepted.events.last().to_state == CorrectionState.PUBLISHED


def test_an_editor_who_may_not_publish_changes_nothing(accepted):
    with pytest.raises(TransitionNotAllowed):
        publish_correction(
            accepted, EditorFactory(), notice_kind="correction", notice_text="x", changes={"summary": "Changed."}
        )
    assert Case.objects.get(pk=accepted.object_id).summary == "The order was made in 2019."
    assert not CorrectionNotice.objects.exists()


def test_a_failed_transition_rolls_the_page_fix_back():
    report = CorrectionFactory(page=CaseFactory(summary="Before."), state=CorrectionState.TRIAGE)
    with pytest.raises(TransitionNotAllowed):
        publish_correction(
            report, PublisherFactory(), notice_kind="update", notice_text="Updated.", changes={"summary": "After."}
        )
    assert Case.objects.get(pk=report.object_id).summary == "Before."
    assert not CorrectionNotice.objects.exists()


def test_a_typo_is_fixed_without_a_notice_but_still_logged(accepted):
    assert publish_correction(accepted, PublisherFactory(), changes={"summary": "The order was made in 2021."}) is None
    case = Case.objects.get(pk=accepted.object_id)
    assert case.history.latest("history_id").history_change_reason == f"{accepted.reference}: typo"
    assert not CorrectionNotice.objects.exists()
    assert accepted.events.last().note == "Fixed without a notice."


def test_the_desk_changes_only_text_fields(accepted):
    with pytest.raises(ValueError, match="use the admin"):
        publish_correction(accepted, PublisherFactory(), notice_kind="update", notice_text="x", changes={"slug": "x"})


def test_a_notice_needs_text():
    with pytest.raises(Exception, match="notice readers will see"):
        publish_notice(CaseFactory(), PublisherFactory(), kind="update", text=" ")


def test_verifying_moves_the_review_date_without_an_edit():
    case = CaseFactory()
    source = SourceFactory()
    CitationFactory(case=case, source=source)
    updated_at, versions = case.updated_at, case.history.count()
    editor = EditorFactory()
    when = timezone.now()
    verification = verify_page(case, editor, outcome="confirmed", sources=[source], note="All dates checked.", at=when)
    case.refresh_from_db()
    assert (case.last_verified_at, case.last_verified_by) == (when, editor)
    assert case.updated_at == updated_at, "verifying is not an edit"
    assert case.history.count() == versions, "and no history record claims one"
    assert list(verification.sources_checked.all()) == [source]
    assert case.next_review_due == when + datetime.timedelta(days=365)


def test_an_ordinary_edit_does_not_move_the_review_date():
    case = CaseFactory()
    verify_page(case, EditorFactory(), outcome="confirmed")
    verified = Case.objects.get(pk=case.pk).last_verified_at
    case.summary = "Edited."
    case.save()
    assert Case.objects.get(pk=case.pk).last_verified_at == verified


def test_only_editors_verify():
    with pytest.raises(TransitionNotAllowed):
        verify_page(CaseFactory(), PublisherFactory.build(is_active=False), outcome="confirmed")
    assert not Verification.objects.exists()


def test_the_sources_of_a_case_include_its_remedies_and_timeline():
    case = CaseFactory()
    cited, other = SourceFactory(), SourceFactory()
    CitationFactory(case=case, source=cited)
    CitationFactory(case=case, source=cited)
    assert list(pages.sources_of(case)) == [cited]
    assert other not in pages.sources_of(case)


def test_a_page_reference_round_trips_and_refuses_forgery_and_drafts():
    case = CaseFactory()
    version = pages.latest_history_id(case)
    token = pages.sign_page_reference(case, version)
    assert pages.read_page_reference(token) == (case, version)
    assert pages.read_page_reference(token[:-2] + "xx") == (None, None)
    by_date = pages.sign_page_reference(case)
    assert pages.read_page_reference(by_date) == (case, version), "a version named by the page's updated_at"
    case.summary = "Changed after the reader loaded the page."
    case.save()
    assert pages.read_page_reference(by_date) == (case, version), "still the version the reader saw"
    assert pages.read_page_reference(token) == (case, version)
    draft = CaseFactory(status=PublicationStatus.DRAFT)
    assert pages.read_page_reference(pages.sign_page_reference(draft, 1)) == (None, None)


def test_the_desk_compares_the_version_the_reader_saw_with_the_page_now():
    case = CaseFactory(summary="The FTC ordered Clarifai to delete its models.")
    seen = pages.latest_history_id(case)
    case.summary = "Clarifai certified on its own that it deleted its models."
    case.save()
    [change] = pages.compare(case, seen)
    assert change.name == "summary"
    assert "<del>" in change.marked and "<ins>" in change.marked
    assert pages.compare(case, pages.latest_history_id(case)) == []


def test_the_change_log_lists_public_versions_with_their_notices():
    case = CaseFactory(status=PublicationStatus.DRAFT, summary="Draft wording.")
    case.summary = "Still a draft."
    case.save()
    case.status = PublicationStatus.PUBLISHED
    case.save()
    report = CorrectionFactory(page=case, state=CorrectionState.ACCEPTED)
    notice = publish_correction(
        report, PublisherFactory(), notice_kind="clarification", notice_text="Clarified.", changes={"summary": "Now."}
    )
    log = pages.change_log(case, CorrectionNotice.objects.for_page(case))
    assert [entry.first for entry in log] == [False, True], "drafts never show; publication is the first entry"
    assert log[0].notice == notice
    assert log[0].fields == ["summary"]


def test_no_notice_on_a_page_readers_cannot_see():
    report = CorrectionFactory(page=CaseFactory(status=PublicationStatus.WITHDRAWN), state=CorrectionState.ACCEPTED)
    with pytest.raises(TransitionNotAllowed, match="not published"):
        publish_correction(report, PublisherFactory(), notice_kind="update", notice_text="Updated.")
    assert not CorrectionNotice.objects.exists()
