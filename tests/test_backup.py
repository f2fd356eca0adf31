"""Backups: a round trip through `manage.py backup` and `restore` keeps content, history, corrections and notices."""

from io import StringIO

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import connection

from tests.factories import CaseFactory, CorrectionFactory, CorrectionNoticeFactory, RemedyFactory

pytestmark = pytest.mark.django_db(transaction=True)  # the backup reads committed rows, as in production

Case = apps.get_model("knowledge", "Case")
Correction = apps.get_model("editorial", "Correction")
CorrectionNotice = apps.get_model("editorial", "CorrectionNotice")


def snapshot():
    case = Case.objects.get(slug="everalbum")
    return {
        "case": (case.title, case.summary),
        "history": list(case.history.order_by("history_id").values_list("history_id", "title")),
        "remedies": list(case.remedies.values_list("summary", flat=True)),
        "corrections": list(Correction.objects.values_list("number", "state", "passage")),
        "events": Correction.objects.get().events.count(),
        "notices": list(CorrectionNotice.objects.values_list("kind", "text")),
    }


def test_backup_and_restore_round_trip(tmp_path):
    case = CaseFactory(slug="everalbum", title="In re Everalbum")
    case.summary = "Edited once, so the history has two versions."
    case.save()
    RemedyFactory(case=case)
    correction = CorrectionFactory(page=case)
    correction.events.create(actor_label="reader", from_state="", to_state="new", note="Filed")
    CorrectionNoticeFactory(page=case)
    before = snapshot()
    assert len(before["history"]) == 2

    out = StringIO()
    call_command("backup", str(tmp_path / "casebase.backup"), stdout=out)
    assert "Backup written" in out.getvalue()

    Correction.objects.all().delete()
    CorrectionNotice.objects.all().delete()
    case.history.all().delete()
    case.delete()
    assert not Case.objects.exists()

    call_command("restore", str(tmp_path / "casebase.backup"), "--yes", stdout=StringIO())
    connection.close()  # a new connection sees the restored database, as a restarted server would
    assert snapshot() == before


def test_restore_of_a_missing_file_changes_nothing(tmp_path):
    from django.core.management import CommandError

    CaseFactory(slug="everalbum")
    with pytest.raises(CommandError, match="no backup file"):
        call_command("restore", str(tmp_path / "nothing.dump"), "--yes")
    assert Case.objects.filter(slug="everalbum").exists()
