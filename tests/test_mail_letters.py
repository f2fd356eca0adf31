"""Mail to readers and editors: sent by a task after commit, in our own words, never echoing the reader."""

import datetime

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from casebase.editorial import emails, tokens
from casebase.editorial.models import CorrectionState
from casebase.editorial.workflow import READER, apply_transition, file_report
from tests.factories import CaseFactory, CorrectionFactory, EditorFactory, PublisherFactory

pytestmark = pytest.mark.django_db

S = CorrectionState
# What a reader typed: none of it may appear in any letter.
TYPED = {
    "passage": "BUY CHEAP PILLS at https://pills.example now",
    "proposed_fix": "Visit https://pills.example for more",
    "reporter_name": "Cheap Pills Shop",
    "evidence_urls": "https://pills.example/evidence",
}


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def new_report(**fields):
    correction = CorrectionFactory.build(page=CaseFactory(title="FTC v. Everalbum"), **{**TYPED, **fields})
    correction.page_title = "FTC v. Everalbum"
    return correction


def assert_no_echo(message):
    text = f"{message.subject}\n{message.body}\n{message.to}\n{message.reply_to}"
    for typed in TYPED.values():
        assert typed not in text
    assert "pills.example" not in text


def test_acknowledgement_after_commit_with_reference_and_status_link(django_capture_on_commit_callbacks):
    correction = new_report()
    with django_capture_on_commit_callbacks() as callbacks:
        file_report(correction)
        assert mail.outbox == []  # nothing leaves before the transaction commits
    for callback in callbacks:
        callback()
    [letter] = mail.outbox
    assert letter.to == [correction.reporter_email]
    assert letter.subject == f"We have your report {correction.reference}"
    assert tokens.status_url(correction, absolute=True) in letter.body
    assert "FTC v. Everalbum" in letter.body
    assert letter.reply_to == ["editorial@casebase.invalid"]
    assert letter.extra_headers["Auto-Submitted"] == "auto-generated"
    assert_no_echo(letter)


def test_no_letter_without_consent_or_for_quarantine(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        file_report(new_report(consent_to_contact=False))
        file_report(new_report(reporter_email="", consent_to_contact=False))
        file_report(new_report(), quarantine_reason="Honeypot field filled in")
    assert mail.outbox == []


def test_question_and_decisions(django_capture_on_commit_callbacks):
    editor, publisher = EditorFactory(), PublisherFactory()
    correction = CorrectionFactory(state=S.TRIAGE, assignee=editor, **TYPED)
    with django_capture_on_commit_callbacks(execute=True):
        apply_transition(correction, S.NEEDS_INFO, editor, message="Which paragraph of the order?")
    [question] = mail.outbox
    assert question.subject == f"A question about your report {correction.reference}"
    assert tokens.status_url(correction, absolute=True) in question.body
    assert "Which paragraph" not in question.body  # the question is read on the status page
    assert_no_echo(question)

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        apply_transition(correction, S.TRIAGE, READER, message="Paragraph 3.")
    assert mail.outbox == []  # the reader's own answer is not acknowledged by mail

    with django_capture_on_commit_callbacks(execute=True):
        apply_transition(correction, S.DECLINED, editor, resolution="The order says 2019 on page 2.")
    [decision] = mail.outbox
    assert decision.subject == f"What we did about your report {correction.reference}"
    assert "decided not to change the page" in decision.body
    assert_no_echo(decision)

    mail.outbox.clear()
    accepted = CorrectionFactory(state=S.ACCEPTED, assignee=editor, **TYPED)
    with django_capture_on_commit_callbacks(execute=True):
        apply_transition(accepted, S.PUBLISHED, publisher)
    [published] = mail.outbox
    assert "We have corrected the page" in published.body
    assert f"http://127.0.0.1:8000{accepted.page_url}" in published.body


def test_duplicate_letter_gives_the_surviving_reference(django_capture_on_commit_callbacks):
    editor = EditorFactory()
    original = CorrectionFactory(state=S.TRIAGE, assignee=editor)
    repeat = CorrectionFactory(state=S.NEW, **TYPED)
    with django_capture_on_commit_callbacks(execute=True):
        apply_transition(repeat, S.DUPLICATE, editor, duplicate_of=original)
    [letter] = mail.outbox
    assert original.reference in letter.body
    assert_no_echo(letter)


def test_task_skips_a_reader_purged_meanwhile():
    correction = CorrectionFactory()
    correction.reporter_email = ""
    correction.purged_at = timezone.now()
    correction.save()
    assert emails.send_reader_mail.call(correction.pk, "acknowledgement") == 0
    assert emails.send_reader_mail.call(10**9, "acknowledgement") == 0
    assert mail.outbox == []


def test_the_task_queue_holds_ids_only(settings, monkeypatch, django_capture_on_commit_callbacks):
    """With the database queue the arguments sit in a table and its admin: no address there."""
    from django_tasks_db.management.commands import db_worker
    from django_tasks_db.models import DBTaskResult

    # The worker drops database connections between tasks, as a long-running process should; here that
    # would end the test's own transaction.
    monkeypatch.setattr(db_worker, "close_old_connections", lambda: None)
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
    correction = new_report()
    with django_capture_on_commit_callbacks(execute=True):
        file_report(correction)
    [queued] = DBTaskResult.objects.all()
    assert queued.args_kwargs == {"args": [correction.pk, "acknowledgement"], "kwargs": {}}
    assert mail.outbox == []  # the worker sends it, not the request
    call_command("db_worker", batch=True, interval=0, startup_delay=False, reload=False, verbosity=0)
    [letter] = mail.outbox
    assert letter.to == [correction.reporter_email]


def test_daily_digest_to_editors_without_readers_words():
    editor = EditorFactory(email="editor@casebase.example")
    EditorFactory(email="")
    CorrectionFactory(**TYPED)
    CorrectionFactory(state=S.QUARANTINED, **TYPED)
    old = CorrectionFactory(**TYPED)
    old.received_at = timezone.now() - datetime.timedelta(days=3)
    old.save()
    CorrectionFactory(state=S.SPAM)
    call_command("send_correction_digest", verbosity=0)
    [digest] = mail.outbox
    assert digest.to == [editor.email]
    assert digest.subject == "casebase desk: 2 new reports"
    assert "Waiting for an editor: 2 new, 1 in quarantine." in digest.body
    assert "http://127.0.0.1:8000/desk/" in digest.body
    assert old.reference not in digest.body
    assert_no_echo(digest)


def test_no_digest_on_a_quiet_day():
    EditorFactory(email="editor@casebase.example")
    call_command("send_correction_digest", verbosity=0)
    assert mail.outbox == []
