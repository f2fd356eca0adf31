"""The reader's private status page: signed link, state and messages, answering the desk, withdrawing."""

import pytest
from django.core import signing
from django.urls import reverse

from casebase.editorial import tokens
from casebase.editorial.models import CorrectionEvent, CorrectionMessage, CorrectionState, MessageVisibility
from tests.factories import CorrectionFactory, EditorFactory

pytestmark = pytest.mark.django_db

S = CorrectionState


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def status_path(correction, name="status_detail"):
    return reverse(f"editorial:{name}", args=[tokens.status_token(correction)])


def test_status_link_is_signed_and_unguessable(client):
    correction = CorrectionFactory()
    token = tokens.status_token(correction)
    assert client.get(reverse("editorial:status_detail", args=[token])).status_code == 200
    # A tampered signature, the secret signed with another key, a report number alone: all 404.
    assert client.get(reverse("editorial:status_detail", args=[token[:-2] + "xx"])).status_code == 404
    forged = signing.dumps({"n": correction.number, "s": correction.secret}, salt="another salt")
    assert client.get(reverse("editorial:status_detail", args=[forged])).status_code == 404
    guessed = signing.dumps({"n": correction.number, "s": "guess"}, salt=tokens.STATUS_SALT)
    assert client.get(reverse("editorial:status_detail", args=[guessed])).status_code == 404
    # A new secret retires the old link.
    correction.secret = "a-new-secret"
    correction.save()
    assert client.get(reverse("editorial:status_detail", args=[token])).status_code == 404


def test_status_page_shows_state_and_the_conversation_but_never_internal_notes(client):
    correction = CorrectionFactory(state=S.NEEDS_INFO, passage="It says <script>alert(1)</script> https://evil.example")
    CorrectionMessage.objects.create(
        correction=correction, visibility=MessageVisibility.TO_READER, body="Which paragraph do you mean?"
    )
    CorrectionMessage.objects.create(
        correction=correction, visibility=MessageVisibility.INTERNAL, body="Probably a crank; check anyway."
    )
    response = client.get(status_path(correction))
    html = response.content.decode()
    assert correction.reference in html
    assert "The desk has asked you a question" in html
    assert "Which paragraph do you mean?" in html
    assert "Probably a crank" not in html
    # The reader's own text, escaped and with links not live.
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert 'href="https://evil.example' not in html
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    assert "no-cache" in response["Cache-Control"] or "private" in response["Cache-Control"]
    assert correction.reporter_email not in html  # never shown, even to the link holder


def test_the_reader_answers_the_desks_question(client, django_capture_on_commit_callbacks):
    editor = EditorFactory()
    correction = CorrectionFactory(state=S.NEEDS_INFO, assignee=editor)
    page = client.get(status_path(correction)).content.decode()
    assert "Answer the desk’s question" in page

    response = client.post(status_path(correction, "status_answer"), {"answer": ""})
    assert response.status_code == 400
    assert "Write your answer" in response.content.decode()
    assert "<title>Error: " in response.content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(status_path(correction, "status_answer"), {"answer": "Paragraph 3 of the order."})
    assert response.status_code == 302
    correction.refresh_from_db()
    assert correction.state == S.TRIAGE
    assert correction.assignee == editor  # back in the same editor's queue
    message = correction.messages.get(visibility=MessageVisibility.FROM_READER)
    assert message.body == "Paragraph 3 of the order."
    event = correction.events.get(to_state=S.TRIAGE)
    assert (event.from_state, event.actor_label, event.actor) == (S.NEEDS_INFO, "reader", None)
    followed = client.get(response["Location"]).content.decode()
    assert "your answer has been sent to the editor" in followed
    assert "Answer the desk’s question" not in followed


def test_no_answer_when_the_desk_is_not_asking(client):
    correction = CorrectionFactory(state=S.TRIAGE, assignee=EditorFactory())
    assert "Answer the desk’s question" not in client.get(status_path(correction)).content.decode()
    response = client.post(status_path(correction, "status_answer"), {"answer": "Extra."}, follow=True)
    assert "no longer waiting for an answer" in response.content.decode()
    assert not correction.messages.exists()
    assert client.get(status_path(correction, "status_answer")).status_code == 405


@pytest.mark.parametrize("state", [S.NEW, S.QUARANTINED, S.TRIAGE, S.NEEDS_INFO, S.ACCEPTED])
def test_the_reader_withdraws_an_open_report(client, state):
    correction = CorrectionFactory(state=state, assignee=EditorFactory())
    assert "Withdraw this report" in client.get(status_path(correction)).content.decode()
    confirm = client.get(status_path(correction, "status_withdraw"))
    assert confirm.status_code == 200
    refused = client.post(status_path(correction, "status_withdraw"), {})
    assert refused.status_code == 400
    assert "Tick the box to confirm" in refused.content.decode()
    response = client.post(status_path(correction, "status_withdraw"), {"confirm": "on"}, follow=True)
    correction.refresh_from_db()
    assert correction.state == S.WITHDRAWN
    assert correction.resolved_at is not None
    assert "Your report has been withdrawn" in response.content.decode()
    assert "Withdrawn by you" in response.content.decode()
    event = CorrectionEvent.objects.get(correction=correction, to_state=S.WITHDRAWN)
    assert event.actor_label == "reader"


@pytest.mark.parametrize("state", [S.PUBLISHED, S.DECLINED, S.DUPLICATE, S.WITHDRAWN, S.SPAM])
def test_closed_reports_cannot_be_withdrawn(client, state):
    correction = CorrectionFactory(state=state)
    assert "Withdraw this report" not in client.get(status_path(correction)).content.decode()
    response = client.post(status_path(correction, "status_withdraw"), {"confirm": "on"}, follow=True)
    assert "cannot be withdrawn" in response.content.decode()
    correction.refresh_from_db()
    assert correction.state == state


def test_closed_report_shows_the_desks_answer_and_the_surviving_reference(client):
    original = CorrectionFactory(state=S.TRIAGE)
    duplicate = CorrectionFactory(state=S.DUPLICATE, duplicate_of=original)
    assert original.reference in client.get(status_path(duplicate)).content.decode()
    declined = CorrectionFactory(state=S.DECLINED, resolution="The order itself gives 2019.")
    assert "The order itself gives 2019." in client.get(status_path(declined)).content.decode()


def test_spam_looks_closed_and_quarantine_looks_received(client):
    assert "Closed" in client.get(status_path(CorrectionFactory(state=S.SPAM))).content.decode()
    html = client.get(status_path(CorrectionFactory(state=S.QUARANTINED))).content.decode()
    assert "Received: waiting for an editor" in html
    assert "uarantin" not in html


def test_status_page_query_count(client, django_assert_num_queries):
    """The report, its page and its conversation: one query each however many messages (guards against N+1)."""
    correction = CorrectionFactory(state=S.NEEDS_INFO)
    for n in range(4):
        CorrectionMessage.objects.create(correction=correction, visibility=MessageVisibility.TO_READER, body=f"Q{n}")
    with django_assert_num_queries(3):
        assert client.get(status_path(correction)).status_code == 200
