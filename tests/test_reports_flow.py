"""The whole corrections flow over HTTP: report, claim, question, answer, accept, publish, notice, history."""

import re

import pytest
from django.core import mail
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from casebase.editorial.models import Correction, CorrectionNotice, CorrectionState
from casebase.knowledge.models import Case
from tests.factories import CaseFactory, EditorFactory, PublisherFactory, report_form_data, sign_in

pytestmark = pytest.mark.django_db

S = CorrectionState


@pytest.fixture(autouse=True)
def setup(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    cache.clear()
    yield
    cache.clear()


def link_in(html, text):
    """The href of the link whose text starts with `text`."""
    match = re.search(r'<a href="([^"]+)"[^>]*>\s*' + re.escape(text), html)
    assert match, f"no link {text!r}"
    return match.group(1).replace("&amp;", "&")


def test_reader_to_desk_to_reader(django_capture_on_commit_callbacks):
    case = CaseFactory(
        slug="ftc-v-everalbum", title="FTC v. Everalbum", summary="The FTC ordered Everalbum to delete in 2019."
    )
    reader, editor_client, publisher_client = Client(), Client(), Client()
    editor, publisher = EditorFactory(email="ed@casebase.example"), PublisherFactory()
    sign_in(editor_client, editor, second_factor=False)
    sign_in(publisher_client, publisher, second_factor=True)

    # 1. The reader follows "Spotted an error?" from the page and sends a report.
    page_html = reader.get(case.get_absolute_url()).content.decode()
    form_url = link_in(page_html, "Spotted an error?")
    assert reader.get(form_url).status_code == 200
    data = report_form_data(passage="The summary says 2019.", proposed_fix="The order is from 2021.")
    with django_capture_on_commit_callbacks(execute=True):
        thanks = reader.post(form_url, data, follow=True)
    report = Correction.objects.get()
    assert report.reference in thanks.content.decode()
    status_url = link_in(thanks.content.decode(), "http://testserver/corrections/status/").removeprefix(
        "http://testserver"
    )
    [acknowledgement] = mail.outbox
    assert f"http://127.0.0.1:8000{status_url}" in acknowledgement.body

    # 2. An editor claims it from the desk and asks a question.
    assert report.reference in editor_client.get(reverse("editorial:desk_home")).content.decode()
    editor_client.post(reverse("editorial:desk_assign", args=[report.number]), {"claim": "1"})
    with django_capture_on_commit_callbacks(execute=True):
        editor_client.post(
            reverse("editorial:desk_transition", args=[report.number]),
            {"to_state": S.NEEDS_INFO, "message": "Where does the order give its date?"},
        )
    report.refresh_from_db()
    assert (report.state, report.assignee) == (S.NEEDS_INFO, editor)
    assert mail.outbox[-1].subject == f"A question about your report {report.reference}"

    # 3. The reader answers on the status page.
    status = reader.get(status_url).content.decode()
    assert "Where does the order give its date?" in status
    reader.post(reverse("editorial:status_answer", args=[status_url.split("/")[-2]]), {"answer": "On page 1."})
    report.refresh_from_db()
    assert report.state == S.TRIAGE
    assert "On page 1." in editor_client.get(reverse("editorial:desk_report", args=[report.number])).content.decode()

    # 4. The editor accepts; a publisher fixes the page and publishes the notice in one step.
    editor_client.post(reverse("editorial:desk_transition", args=[report.number]), {"to_state": S.ACCEPTED})
    report.refresh_from_db()
    assert report.state == S.ACCEPTED
    fields = ("title", "short_title", "summary", "significance", "body", "open_questions")
    publish = {f"page-{name}": getattr(case, name) for name in fields}
    publish |= {"page-summary": "The FTC ordered Everalbum to delete in 2021.", "notice_kind": "correction"}
    publish |= {"notice_text": "An earlier version of this page gave the order's year as 2019. It is 2021."}
    publish |= {"resolution": "Corrected: thank you."}
    with django_capture_on_commit_callbacks(execute=True):
        response = publisher_client.post(reverse("editorial:desk_publish", args=[report.number]), publish)
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.state == S.PUBLISHED
    assert Case.objects.get(pk=case.pk).summary.endswith("2021.")
    notice = CorrectionNotice.objects.get()
    assert list(notice.corrections.all()) == [report]
    assert mail.outbox[-1].subject == f"What we did about your report {report.reference}"
    assert "We have corrected the page" in mail.outbox[-1].body

    # 5. Readers see the notice on the page and in the log, and the fix in the page's change log.
    page_html = reader.get(case.get_absolute_url()).content.decode()
    assert "Corrections and updates" in page_html
    assert "gave the order" in page_html and "It is 2021." in page_html
    assert "It is 2021." in reader.get(reverse("editorial:corrections_log")).content.decode()
    history = reader.get(link_in(page_html, "See every change to this page")).content.decode()
    assert "Summary" in history
    assert f"#notice-{notice.pk}" in history

    # 6. The reader's status page says it is done, with the desk's answer; it can no longer be withdrawn.
    status = reader.get(status_url).content.decode()
    assert "Corrected" in status and "Corrected: thank you." in status
    assert "Withdraw this report" not in status
