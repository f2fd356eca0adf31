"""The worked example: a reader's report on the OkCupid case, published as a clarification."""

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import reverse

from casebase.editorial.management.commands.seed_editorial_demo import CASE_SLUG, DEMO_EDITOR, DEMO_READER
from casebase.editorial.models import Correction, CorrectionNotice, CorrectionState
from tests.factories import CaseFactory

pytestmark = pytest.mark.django_db


def test_the_worked_example_runs_the_whole_workflow_once(client):
    case = CaseFactory(slug=CASE_SLUG, title="FTC v. Humor Rainbow, Inc. (OkCupid)")
    call_command("seed_editorial_demo")
    call_command("seed_editorial_demo")  # safe to repeat
    report = Correction.objects.get(reporter_name=DEMO_READER)
    assert report.page == case
    assert report.state == CorrectionState.PUBLISHED
    assert [e.to_state for e in report.events.all()] == ["new", "triage", "accepted", "published"]
    notice = CorrectionNotice.objects.get()
    assert notice.kind == "clarification" and not notice.is_material
    assert list(notice.corrections.all()) == [report]
    assert "Clarifai was not a party" in client.get(case.get_absolute_url()).content.decode()
    assert "Clarifai was not a party" in client.get(reverse("editorial:corrections_log")).content.decode()
    history = client.get(reverse("editorial:page_history", args=["cases", case.slug])).content.decode()
    assert f"#notice-{notice.pk}" in history
    assert not get_user_model().objects.get(username=DEMO_EDITOR).is_active, "the demo account is switched off"


def test_without_the_seed_it_says_what_to_do(capsys):
    call_command("seed_editorial_demo")
    assert "run `manage.py seed` first" in capsys.readouterr().out
    assert not Correction.objects.exists()
