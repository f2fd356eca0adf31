"""The editors' desk: who may open each URL, the queues, a report's page and its actions, verification."""

import pytest
from django.urls import reverse

from casebase.editorial.models import CorrectionNotice, CorrectionState, Verification
from casebase.knowledge.models import Case
from tests.factories import (
    CannedReplyFactory,
    CaseFactory,
    CitationFactory,
    CorrectionFactory,
    EditorFactory,
    PublisherFactory,
    SourceFactory,
    UserFactory,
    sign_in,
)

pytestmark = pytest.mark.django_db
S = CorrectionState


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def report():
    return CorrectionFactory(state=S.ACCEPTED, assignee=EditorFactory())


def desk_urls(report):
    """(method, url, needs publisher) for every desk URL."""
    case = Case.objects.get(pk=report.object_id)
    n = report.number
    return [
        ("get", reverse("editorial:desk_home"), False),
        ("get", reverse("editorial:desk_report", args=[n]), False),
        ("post", reverse("editorial:desk_transition", args=[n]), False),
        ("post", reverse("editorial:desk_assign", args=[n]), False),
        ("post", reverse("editorial:desk_priority", args=[n]), False),
        ("post", reverse("editorial:desk_note", args=[n]), False),
        ("get", reverse("editorial:desk_publish", args=[n]), True),
        ("get", reverse("editorial:desk_verification_queue"), False),
        ("get", reverse("editorial:desk_content_check"), False),
        ("get", reverse("editorial:desk_verify", args=["cases", case.slug]), False),
    ]


def client_as(client, who):
    """A client signed in as one kind of visitor."""
    if who == "anonymous":
        return client
    if who == "status link holder":
        # A reader who opened their status link has a session but no account.
        session = client.session
        session["seen_status"] = True
        session.save()
        return client
    user = {"outsider": lambda: UserFactory(is_staff=True), "editor": EditorFactory}.get(who, PublisherFactory)()
    return sign_in(client, user, second_factor=who != "publisher without second factor")


@pytest.mark.parametrize(
    "who, expected",
    [
        ("anonymous", "login"),
        ("status link holder", "login"),
        ("outsider", 403),
        ("editor", "editor"),
        ("publisher without second factor", "login"),
        ("publisher", "publisher"),
    ],
)
def test_permission_matrix_of_every_desk_url(client, report, who, expected):
    client = client_as(client, who)
    wrong = []
    for method, url, publishing in desk_urls(report):
        response = getattr(client, method)(url)
        if expected == "login":
            ok = response.status_code == 302 and response["Location"].startswith(reverse("admin:login"))
        elif expected == 403 or (publishing and expected == "editor"):
            ok = response.status_code == 403
        else:
            ok = response.status_code == (200 if method == "get" else 302)
        if not ok:
            wrong.append(f"{method.upper()} {url}: {response.status_code}")
    assert not wrong, "\n".join(wrong)


def test_action_urls_refuse_get(client, report):
    client = sign_in(client, EditorFactory(), second_factor=False)
    assert client.get(reverse("editorial:desk_transition", args=[report.number])).status_code == 405


def test_the_queues_show_counts_and_the_chosen_queue(client, django_assert_num_queries):
    editor = EditorFactory()
    page = CaseFactory()
    CorrectionFactory.create_batch(3, page=page)
    CorrectionFactory(state=S.QUARANTINED, quarantine_reason="honeypot")
    CorrectionFactory(state=S.TRIAGE, assignee=editor)
    client = sign_in(client, editor, second_factor=False)
    url = reverse("editorial:desk_home")
    client.get(url)
    # Guards against N+1: session, user, permissions (2) and second-factor devices; the queue's count, rows
    # and their pages (one query per kind of page); every queue's count and age in one aggregate; the
    # due-for-check count (the cycles of every kind of page, then their counts, in one query each). The session
    # is not written again within a minute of the last request (SessionIdleClockMiddleware).
    with django_assert_num_queries(11):
        response = client.get(url)
    body = response.content.decode()
    assert response.status_code == 200
    assert [row[2] for row in response.context["queues"]][:5] == [3, 1, 0, 0, 1]
    assert body.count('<td class="num">2</td>') == 3, "each of the three reports on one page has two others"


def test_filters_narrow_the_queue_and_bad_values_are_ignored(client):
    CorrectionFactory(kind="broken_link")
    CorrectionFactory(kind="outdated")
    client = sign_in(client, EditorFactory(), second_factor=False)
    response = client.get(reverse("editorial:desk_home"), {"kind": "broken_link"})
    assert [r.kind for r in response.context["reports"]] == ["broken_link"]
    response = client.get(reverse("editorial:desk_home"), {"kind": "nonsense", "queue": "nonsense"})
    assert len(response.context["reports"]) == 2


def test_the_readers_text_is_escaped_never_markdown_and_links_are_not_live(client):
    report = CorrectionFactory(
        passage="<script>alert(1)</script> **bold**",
        proposed_fix="[click](https://evil.example)",
        evidence_urls="https://evidence.example/order.pdf",
    )
    client = sign_in(client, EditorFactory(), second_factor=False)
    body = client.get(reverse("editorial:desk_report", args=[report.number])).content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt; **bold**" in body
    assert "<strong>bold</strong>" not in body
    assert 'href="https://evil.example"' not in body
    assert 'href="https://evidence.example' not in body
    assert "<code>https://evidence.example/order.pdf</code>" in body


def test_the_report_shows_the_page_as_the_reader_saw_it_against_now(client):
    case = CaseFactory(summary="The FTC ordered Clarifai to delete its models.")
    report = CorrectionFactory(page=case, page_history_id=case.history.latest("history_id").history_id)
    case.summary = "Clarifai deleted its models on its own."
    case.save()
    client = sign_in(client, EditorFactory(), second_factor=False)
    body = client.get(reverse("editorial:desk_report", args=[report.number])).content.decode()
    assert "<del>" in body and "<ins>" in body


def test_only_the_actions_this_editor_may_take_are_offered(client):
    assignee, other = EditorFactory(), EditorFactory()
    report = CorrectionFactory(state=S.TRIAGE, assignee=assignee)
    url = reverse("editorial:desk_report", args=[report.number])
    mine = sign_in(client, assignee, second_factor=False).get(url).content.decode()
    assert "Ask the reader" in mine and "Accept" in mine and "Decline" in mine
    client.logout()
    theirs = sign_in(client, other, second_factor=False).get(url).content.decode()
    assert "Ask the reader" not in theirs and "Accept</button>" not in theirs
    assert "Mark duplicate" in theirs, "any editor may mark a duplicate"


def test_claim_ask_with_a_canned_reply_and_note(client):
    editor = EditorFactory()
    reply = CannedReplyFactory(body="Could you tell us which page of the order says so?")
    report = CorrectionFactory()
    client = sign_in(client, editor, second_factor=False)
    client.post(reverse("editorial:desk_assign", args=[report.number]), {"claim": "1"})
    report.refresh_from_db()
    assert (report.state, report.assignee) == (S.TRIAGE, editor)
    response = client.post(
        reverse("editorial:desk_transition", args=[report.number]),
        {"to_state": S.NEEDS_INFO, "canned_reply": reply.pk, "note": ""},
        follow=True,
    )
    report.refresh_from_db()
    assert report.state == S.NEEDS_INFO
    assert report.messages.get().body == reply.body
    assert "is now: waiting on the reader" in response.content.decode()
    client.post(reverse("editorial:desk_note", args=[report.number]), {"body": "Checked the docket."})
    assert report.messages.filter(visibility="internal").get().body == "Checked the docket."


def test_a_refused_action_says_why(client):
    report = CorrectionFactory(state=S.TRIAGE, assignee=EditorFactory())
    client = sign_in(client, EditorFactory(), second_factor=False)
    response = client.post(
        reverse("editorial:desk_transition", args=[report.number]), {"to_state": S.ACCEPTED}, follow=True
    )
    assert "You may not accept this report." in response.content.decode()
    report.refresh_from_db()
    assert report.state == S.TRIAGE


def test_marking_a_duplicate_by_reference(client):
    original, report = CorrectionFactory(), CorrectionFactory()
    client = sign_in(client, EditorFactory(), second_factor=False)
    client.post(
        reverse("editorial:desk_transition", args=[report.number]),
        {"to_state": S.DUPLICATE, "duplicate_of": original.reference},
    )
    report.refresh_from_db()
    assert report.duplicate_of == original


def test_publishing_from_the_desk_fixes_the_page_and_prints_the_notice(client, report):
    client = sign_in(client, PublisherFactory())
    url = reverse("editorial:desk_publish", args=[report.number])
    case = Case.objects.get(pk=report.object_id)
    form = client.get(url)
    assert form.status_code == 200
    data = {f"page-{name}": getattr(case, name) for name in ("title", "short_title", "summary", "significance")}
    data |= {"page-body": case.body, "page-open_questions": case.open_questions}
    data |= {"page-summary": "Corrected summary.", "notice_kind": "correction", "is_material": "on"}
    data |= {"notice_text": "An earlier version misstated the order.", "resolution": "Corrected; thank you."}
    response = client.post(url, data)
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.summary == "Corrected summary."
    notice = CorrectionNotice.objects.get()
    assert notice.is_material and list(notice.corrections.all()) == [report]
    report.refresh_from_db()
    assert (report.state, report.resolution) == (S.PUBLISHED, "Corrected; thank you.")


def test_a_notice_without_text_is_sent_back_with_the_error(client, report):
    client = sign_in(client, PublisherFactory())
    response = client.post(reverse("editorial:desk_publish", args=[report.number]), {"notice_kind": "correction"})
    assert response.status_code == 400
    assert "There is a problem" in response.content.decode()
    assert not CorrectionNotice.objects.exists()


def test_the_verification_queue_and_the_verify_form(client):
    case = CaseFactory()
    source = SourceFactory()
    CitationFactory(case=case, source=source)
    client = sign_in(client, EditorFactory(), second_factor=False)
    queue = client.get(reverse("editorial:desk_verification_queue"))
    assert case in [item.page for item in queue.context["due"]]
    url = reverse("editorial:desk_verify", args=["cases", case.slug])
    assert source.title in client.get(url).content.decode()
    response = client.post(url, {"outcome": "confirmed", "sources": [source.pk], "note": "All good."})
    assert response.status_code == 302
    verification = Verification.objects.get()
    assert list(verification.sources_checked.all()) == [source]
    queue = client.get(reverse("editorial:desk_verification_queue"))
    assert case not in [item.page for item in queue.context["due"]]


def test_content_check_page_lists_what_check_content_finds(client):
    """Editors see the record's failures and warnings without a shell."""
    CaseFactory(slug="unsourced-case")
    client = sign_in(client, EditorFactory(), second_factor=False)
    response = client.get(reverse("editorial:desk_content_check"))
    html = response.content.decode()
    assert "Failures (1)" in html
    assert "case unsourced-case" in html and "a published case cites no source" in html


def test_the_due_count_agrees_with_the_queue_across_kinds_and_cycles():
    """Own cycles, default cycles (open and closed cases) and never-checked pages, on cases and companies."""
    from datetime import timedelta

    from django.utils import timezone

    from casebase.editorial.verification import due_count, due_pages
    from casebase.knowledge.models import CaseStatus
    from tests.factories import CompanyFactory

    now = timezone.now()
    mine = [
        (CaseFactory(last_verified_at=None), True),  # never checked
        (CaseFactory(last_verified_at=now - timedelta(days=100), case_status=CaseStatus.FINAL_ORDER), False),  # 365
        (CaseFactory(last_verified_at=now - timedelta(days=100), case_status=CaseStatus.PENDING), True),  # open: 90
        (CaseFactory(last_verified_at=now - timedelta(days=40), verify_every_days=30), True),  # its own cycle
        (CaseFactory(last_verified_at=now - timedelta(days=20), verify_every_days=30), False),
        (CompanyFactory(last_verified_at=now - timedelta(days=20), verify_every_days=10), True),
        (CompanyFactory(last_verified_at=now - timedelta(days=20), verify_every_days=45), False),
    ]
    due = [item.page for item in due_pages(now)]
    assert [page in due for page, _ in mine] == [expected for _, expected in mine]
    assert due_count(now) == len(due)
