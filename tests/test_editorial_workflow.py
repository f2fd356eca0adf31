"""The corrections workflow: every (state, transition, role) combination, and what a transition writes."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.test.utils import CaptureQueriesContext

from casebase.editorial import workflow
from casebase.editorial.models import CorrectionEvent, CorrectionMessage, CorrectionState, MessageVisibility
from casebase.editorial.workflow import READER, SYSTEM, TransitionNotAllowed, apply_transition, file_report
from tests.factories import CaseFactory, CorrectionFactory, EditorFactory, PublisherFactory, UserFactory

pytestmark = pytest.mark.django_db

S = CorrectionState
ANY_EDITOR = {"editor", "assignee", "publisher"}

# Written out by hand from DESIGN §7 (not derived from workflow.TRANSITIONS), so the test checks the table.
ALLOWED = {
    (S.QUARANTINED, S.NEW): ANY_EDITOR,
    (S.QUARANTINED, S.SPAM): ANY_EDITOR,
    (S.QUARANTINED, S.WITHDRAWN): {"reader"},
    (S.NEW, S.TRIAGE): ANY_EDITOR,
    (S.NEW, S.SPAM): ANY_EDITOR,
    (S.NEW, S.DUPLICATE): ANY_EDITOR,
    (S.NEW, S.WITHDRAWN): {"reader"},
    (S.TRIAGE, S.NEEDS_INFO): {"assignee"},
    (S.TRIAGE, S.ACCEPTED): {"assignee"},
    (S.TRIAGE, S.DECLINED): {"assignee"},
    (S.TRIAGE, S.DUPLICATE): ANY_EDITOR,
    (S.TRIAGE, S.WITHDRAWN): {"reader"},
    (S.NEEDS_INFO, S.TRIAGE): {"reader", "assignee"},
    (S.NEEDS_INFO, S.WITHDRAWN): {"reader"},
    (S.ACCEPTED, S.PUBLISHED): {"publisher"},
    (S.ACCEPTED, S.TRIAGE): {"assignee", "publisher"},
    (S.ACCEPTED, S.WITHDRAWN): {"reader"},
    (S.PUBLISHED, S.TRIAGE): ANY_EDITOR,
    (S.DECLINED, S.TRIAGE): ANY_EDITOR,
    (S.DUPLICATE, S.TRIAGE): ANY_EDITOR,
    (S.WITHDRAWN, S.TRIAGE): ANY_EDITOR,
    (S.SPAM, S.NEW): ANY_EDITOR,
}


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    """Users are made by the dozen here; the production hasher would spend seconds on each."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


ACTORS = ["reader", "system", "anonymous", "outsider", "editor", "assignee", "publisher"]


@pytest.fixture
def people():
    return {
        "reader": READER,
        "system": SYSTEM,
        "anonymous": AnonymousUser(),
        "outsider": UserFactory(is_staff=True),  # staff, but not on the desk
        "editor": EditorFactory(),
        "assignee": EditorFactory(),
        "publisher": PublisherFactory(),
    }


def attempt(people, page, original, source, target, who):
    """Try one transition with everything it could need; True if allowed."""
    actor = people[who]
    correction = CorrectionFactory(page=page, state=source, assignee=people["assignee"])
    try:
        apply_transition(
            correction,
            target,
            actor,
            note="Checked against the order.",
            message="Which page of the order do you mean?",
            resolution="The page already gives the date in the order.",
            duplicate_of=original,
            assignee=actor if who in ANY_EDITOR else people["editor"],
        )
    except TransitionNotAllowed:
        correction.refresh_from_db()
        assert correction.state == source, "a refused transition changes nothing"
        return False
    correction.refresh_from_db()
    assert correction.state == target
    return True


@pytest.mark.parametrize("source", S.values)
def test_permission_matrix(people, source):
    """Every target from this state, tried by every kind of actor: allowed exactly as ALLOWED says."""
    page = CaseFactory()
    original = CorrectionFactory(page=page, state=S.TRIAGE)
    wrong = []
    for target in S.values:
        for who in ACTORS:
            expected = who in ALLOWED.get((source, target), set())
            if attempt(people, page, original, source, target, who) != expected:
                wrong.append(f"{source} → {target} by {who}: {'refused' if expected else 'allowed'}")
    assert not wrong, "\n".join(wrong)


def test_the_table_holds_nothing_the_matrix_does_not_know():
    filed = {(None, S.NEW), (None, S.QUARANTINED)}
    assert set(workflow.TRANSITIONS) - filed == set(ALLOWED)


def test_a_reader_files_a_report_and_the_acknowledgement_waits_for_commit(django_capture_on_commit_callbacks):
    sent = []

    def receiver(sender, correction, event, mail, **kwargs):
        sent.append((correction.pk, event.to_state, mail))

    workflow.transition_committed.connect(receiver)
    try:
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            report = CorrectionFactory.build(page=CaseFactory())
            event = file_report(report)
        assert sent == [], "nothing is sent before the transaction commits"
        for callback in callbacks:
            callback()
    finally:
        workflow.transition_committed.disconnect(receiver)
    assert report.state == S.NEW
    assert (event.actor, event.actor_label, event.from_state, event.to_state) == (None, "reader", "", S.NEW)
    assert sent == [(report.pk, S.NEW, "acknowledgement")]


def test_a_spam_signal_files_the_report_in_quarantine_without_mail(django_capture_on_commit_callbacks):
    sent = []
    workflow.transition_committed.connect(lambda mail, **kw: sent.append(mail), weak=False, dispatch_uid="t")
    try:
        with django_capture_on_commit_callbacks(execute=True):
            report = CorrectionFactory.build(page=CaseFactory())
            event = file_report(report, quarantine_reason="honeypot filled in")
    finally:
        workflow.transition_committed.disconnect(dispatch_uid="t")
    assert report.state == S.QUARANTINED
    assert event.actor_label == "system"
    assert sent == [None]


def test_a_transition_writes_an_event_and_stamps_first_response_and_resolution():
    editor = EditorFactory()
    report = CorrectionFactory()
    apply_transition(report, S.TRIAGE, editor)
    assert report.assignee == editor, "claiming assigns the report to the claimant"
    assert report.first_response_at is not None
    apply_transition(report, S.DECLINED, editor, resolution="The order gives 2021, as the page does.")
    assert report.resolved_at is not None
    events = list(CorrectionEvent.objects.filter(correction=report).values_list("from_state", "to_state", "actor"))
    assert events == [(S.NEW, S.TRIAGE, editor.pk), (S.TRIAGE, S.DECLINED, editor.pk)]


def test_reopening_needs_a_reason_and_clears_the_resolution_time():
    editor = EditorFactory()
    report = CorrectionFactory(state=S.DECLINED, assignee=editor)
    with pytest.raises(TransitionNotAllowed, match="Say why"):
        apply_transition(report, S.TRIAGE, editor)
    apply_transition(report, S.TRIAGE, editor, "The reader sent the order's page.")
    assert report.resolved_at is None
    assert report.state == S.TRIAGE


def test_declining_needs_a_reason_for_the_reader():
    editor = EditorFactory()
    report = CorrectionFactory(state=S.TRIAGE, assignee=editor)
    with pytest.raises(TransitionNotAllowed, match="reason"):
        apply_transition(report, S.DECLINED, editor)


def test_a_question_goes_to_the_reader_and_the_answer_comes_back_apart_from_internal_notes():
    editor = EditorFactory()
    report = CorrectionFactory(state=S.TRIAGE, assignee=editor)
    with pytest.raises(TransitionNotAllowed, match="question"):
        apply_transition(report, S.NEEDS_INFO, editor)
    apply_transition(report, S.NEEDS_INFO, editor, message="Which paragraph of the order?")
    with pytest.raises(TransitionNotAllowed, match="answer"):
        apply_transition(report, S.TRIAGE, READER)
    apply_transition(report, S.TRIAGE, READER, message="Paragraph 12.")
    messages = list(CorrectionMessage.objects.filter(correction=report).values_list("visibility", "body"))
    assert messages == [
        (MessageVisibility.TO_READER, "Which paragraph of the order?"),
        (MessageVisibility.FROM_READER, "Paragraph 12."),
    ]


def test_a_duplicate_points_at_a_surviving_report_never_itself():
    editor = EditorFactory()
    report = CorrectionFactory()
    with pytest.raises(TransitionNotAllowed):
        apply_transition(report, S.DUPLICATE, editor, duplicate_of=report)
    dead = CorrectionFactory(state=S.DUPLICATE)
    with pytest.raises(TransitionNotAllowed, match="not a surviving"):
        apply_transition(report, S.DUPLICATE, editor, duplicate_of=dead)
    original = CorrectionFactory()
    apply_transition(report, S.DUPLICATE, editor, duplicate_of=original)
    assert report.duplicate_of == original


def test_only_desk_fields_change_with_a_transition():
    with pytest.raises(ValueError, match="reporter_email"):
        apply_transition(CorrectionFactory(), S.TRIAGE, EditorFactory(), reporter_email="x@example.net")


def test_reassigning_is_logged_and_only_to_editors():
    first, second = EditorFactory(), EditorFactory()
    report = CorrectionFactory(state=S.TRIAGE, assignee=first)
    with pytest.raises(TransitionNotAllowed):
        workflow.assign(report, UserFactory(), first)
    event = workflow.assign(report, second, first)
    assert report.assignee == second
    assert (event.from_state, event.to_state) == (S.TRIAGE, S.TRIAGE)
    assert "Assigned to" in event.note


def test_the_desk_offers_only_what_this_editor_may_do():
    assignee, publisher = EditorFactory(), PublisherFactory()
    report = CorrectionFactory(state=S.ACCEPTED, assignee=assignee)
    assert [t.target for t in workflow.available_transitions(report, assignee)] == [S.TRIAGE]
    assert {t.target for t in workflow.available_transitions(report, publisher)} == {S.TRIAGE, S.PUBLISHED}


def test_editors_lists_desk_users_only():
    editor, publisher = EditorFactory(), PublisherFactory()
    UserFactory(is_staff=True)
    assert set(workflow.editors()) == {editor, publisher}


@pytest.mark.skipif(not connection.features.has_select_for_update, reason="this database has no row locks")
def test_the_row_is_locked_while_the_transition_is_checked():
    report = CorrectionFactory()
    with CaptureQueriesContext(connection) as queries:
        apply_transition(report, S.TRIAGE, EditorFactory())
    assert any("FOR UPDATE" in query["sql"] for query in queries)
