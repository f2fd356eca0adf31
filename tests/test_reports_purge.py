"""The retention schedule (DESIGN §7): spam after 30 days, declined after 6 months, other closed after 90."""

import datetime

import pytest
from django.core.management import call_command
from django.utils import timezone

from casebase.editorial import retention
from casebase.editorial.models import Correction, CorrectionState
from tests.factories import CorrectionFactory

pytestmark = pytest.mark.django_db

S = CorrectionState
NOW = timezone.now()


def report(state, *, received_days_ago=0, resolved_days_ago=None):
    correction = CorrectionFactory(state=state, email_hash="e" * 64, address_hash="a" * 64)
    correction.received_at = NOW - datetime.timedelta(days=received_days_ago)
    if resolved_days_ago is not None:
        correction.resolved_at = NOW - datetime.timedelta(days=resolved_days_ago)
    correction.save()
    return correction


def purged(correction):
    correction.refresh_from_db()
    return correction.purged_at is not None


def assert_contact_gone(correction):
    correction.refresh_from_db()
    assert correction.reporter_name == correction.reporter_email == ""
    assert correction.email_hash == correction.address_hash == ""
    assert not correction.consent_to_contact


@pytest.mark.parametrize(
    ("state", "received", "resolved", "due"),
    [
        (S.SPAM, 31, 31, True),
        (S.SPAM, 29, 29, False),
        (S.QUARANTINED, 31, None, True),
        (S.QUARANTINED, 29, None, False),
        (S.DECLINED, 400, 184, True),
        (S.DECLINED, 400, 170, False),
        (S.PUBLISHED, 200, 91, True),
        (S.PUBLISHED, 200, 89, False),
        (S.DUPLICATE, 200, 91, True),
        (S.WITHDRAWN, 200, 91, True),
        (S.WITHDRAWN, 200, 60, False),
        # Open reports are never purged, however old: the desk may still need to write.
        (S.NEW, 900, None, False),
        (S.TRIAGE, 900, None, False),
        (S.NEEDS_INFO, 900, None, False),
        (S.ACCEPTED, 900, None, False),
    ],
)
def test_schedule(state, received, resolved, due):
    correction = report(state, received_days_ago=received, resolved_days_ago=resolved)
    retention.purge(now=NOW)
    assert purged(correction) is due
    if due:
        assert_contact_gone(correction)
    else:
        assert correction.reporter_email


def test_spam_loses_its_text_but_keeps_its_number():
    spam = report(S.SPAM, received_days_ago=40, resolved_days_ago=40)
    declined = report(S.DECLINED, received_days_ago=400, resolved_days_ago=200)
    retention.purge(now=NOW)
    spam.refresh_from_db()
    declined.refresh_from_db()
    assert spam.passage == spam.proposed_fix == spam.evidence_urls == ""
    assert Correction.objects.filter(number=spam.number).exists()  # references are never reused
    assert declined.passage  # the desk's record of a real report stays


def test_command_is_idempotent_and_has_a_dry_run(capsys):
    old = report(S.PUBLISHED, received_days_ago=200, resolved_days_ago=100)
    call_command("purge_reports", dry_run=True)
    assert "Due for purging: spam 0, quarantined 0, declined 0, closed 1." in capsys.readouterr().out
    assert not purged(old)
    call_command("purge_reports")
    assert "Purged: spam 0, quarantined 0, declined 0, closed 1." in capsys.readouterr().out
    first = Correction.objects.get(pk=old.pk).purged_at
    call_command("purge_reports")
    assert "closed 0." in capsys.readouterr().out
    assert Correction.objects.get(pk=old.pk).purged_at == first


def test_a_purged_reader_gets_no_more_mail(django_capture_on_commit_callbacks, mailoutbox):
    from casebase.editorial.workflow import apply_transition
    from tests.factories import EditorFactory

    old = report(S.PUBLISHED, received_days_ago=200, resolved_days_ago=100)
    retention.purge(now=NOW)
    with django_capture_on_commit_callbacks(execute=True):
        apply_transition(old, S.TRIAGE, EditorFactory(), "Reopened: the order was amended.")
    assert mailoutbox == []
