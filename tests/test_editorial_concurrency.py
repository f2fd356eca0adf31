"""Two editors acting on one report at once lose neither action: real concurrent transactions on PostgreSQL.

tests/test_editorial_workflow.py checks that the workflow asks for FOR UPDATE; these tests run two
transactions in two threads (two database connections) and watch the second one wait on the first's
row lock in pg_stat_activity, then check that the report and its history hold both actions, or that
the loser was told, never that one action silently overwrote the other.
"""

import threading
import time

import pytest
from django.db import connection, transaction

from casebase.editorial import workflow
from casebase.editorial.models import Correction, CorrectionEvent, CorrectionState
from casebase.editorial.workflow import TransitionNotAllowed
from tests.factories import CorrectionFactory, EditorFactory

S = CorrectionState

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="needs PostgreSQL: SQLite locks the whole database per writer, so two transactions never "
        "contend for one row (run with DATABASE_URL=postgres://…)",
    ),
]


def waiting_on_a_lock(timeout=5):
    """True once another backend of this database waits on a lock (the second editor's SELECT … FOR UPDATE)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND datname = current_database()"
            )
            if cursor.fetchone()[0]:
                return True
        time.sleep(0.02)
    return False


class Editor(threading.Thread):
    """One editor's request: its own connection, its own transaction; keeps what happened."""

    def __init__(self, act, hold=None):
        super().__init__()
        self.act, self.hold = act, hold
        self.holding = threading.Event()
        self.outcome = None

    def run(self):
        try:
            with transaction.atomic():
                self.outcome = self.act()
                self.holding.set()
                if self.hold is not None:
                    self.hold.wait(timeout=10)  # keep the row locked until the other editor is waiting on it
        except Exception as error:  # noqa: BLE001 - the test inspects it
            self.outcome = error
        finally:
            self.holding.set()
            connection.close()


def race(first_act, second_act):
    """Run first_act and hold its transaction open; start second_act; see it wait; let the first commit."""
    release = threading.Event()
    first = Editor(first_act, hold=release)
    first.start()
    assert first.holding.wait(timeout=10)
    second = Editor(second_act)
    second.start()
    waited = waiting_on_a_lock()
    release.set()
    first.join(timeout=20)
    second.join(timeout=20)
    assert not first.is_alive() and not second.is_alive()
    return first.outcome, second.outcome, waited


def test_a_reassignment_and_a_transition_at_once_both_survive():
    """B hands the report to C while D marks it a duplicate: without the lock D's save would put A back."""
    a, b, c, d = EditorFactory(), EditorFactory(), EditorFactory(), EditorFactory()
    original = CorrectionFactory(state=S.TRIAGE, assignee=a)
    report = CorrectionFactory(state=S.TRIAGE, assignee=a)
    # Each editor opened the desk page before the other acted: both hold the same stale copy.
    stale_b, stale_d = Correction.objects.get(pk=report.pk), Correction.objects.get(pk=report.pk)

    assigned, duplicated, waited = race(
        lambda: workflow.assign(stale_b, c, b),
        lambda: workflow.apply_transition(stale_d, S.DUPLICATE, d, duplicate_of=original),
    )

    assert waited, "the second transaction never waited on the first one's row lock"
    assert isinstance(assigned, CorrectionEvent) and isinstance(duplicated, CorrectionEvent)
    report.refresh_from_db()
    assert report.state == S.DUPLICATE
    assert report.assignee == c  # B's action survived D's
    assert report.duplicate_of == original
    events = list(CorrectionEvent.objects.filter(correction=report).order_by("at", "pk"))
    history = [(e.actor, e.from_state, e.to_state) for e in events]
    assert history == [(b, S.TRIAGE, S.TRIAGE), (d, S.TRIAGE, S.DUPLICATE)]


def test_two_editors_claiming_one_report_one_wins_and_the_other_is_told():
    a, b = EditorFactory(), EditorFactory()
    report = CorrectionFactory(state=S.NEW)
    stale_a, stale_b = Correction.objects.get(pk=report.pk), Correction.objects.get(pk=report.pk)

    claimed, refused, waited = race(
        lambda: workflow.apply_transition(stale_a, S.TRIAGE, a),
        lambda: workflow.apply_transition(stale_b, S.TRIAGE, b),
    )

    assert waited
    assert isinstance(claimed, CorrectionEvent)
    assert isinstance(refused, TransitionNotAllowed)  # B sees the claim happened, not a silent overwrite
    report.refresh_from_db()
    assert (report.state, report.assignee) == (S.TRIAGE, a)
    assert CorrectionEvent.objects.filter(correction=report).count() == 1


def test_two_reassignments_at_once_are_both_in_the_history():
    a, b, c, d = EditorFactory(), EditorFactory(), EditorFactory(), EditorFactory()
    report = CorrectionFactory(state=S.ACCEPTED, assignee=a)
    stale_b, stale_d = Correction.objects.get(pk=report.pk), Correction.objects.get(pk=report.pk)

    first, second, waited = race(lambda: workflow.assign(stale_b, c, b), lambda: workflow.assign(stale_d, a, d))

    assert waited
    assert isinstance(first, CorrectionEvent) and isinstance(second, CorrectionEvent)
    report.refresh_from_db()
    assert (report.state, report.assignee) == (S.ACCEPTED, a)  # the later action is the current one
    notes = list(CorrectionEvent.objects.filter(correction=report).order_by("at", "pk").values_list("note", flat=True))
    assert len(notes) == 2 and notes[0].startswith("Assigned to") and notes[1].startswith("Assigned to")
