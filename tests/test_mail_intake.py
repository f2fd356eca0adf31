"""Reports by mail, end to end: real messages written into a Maildir, filed by `fetch_correction_mail`."""

import mailbox

import pytest
from django.core import mail
from django.core.management import CommandError, call_command

from casebase.editorial import abuse, mailintake, pages
from casebase.editorial.models import Correction, CorrectionState, MessageVisibility
from tests.factories import CaseFactory, CorrectionFactory, EditorFactory, mail_bytes

pytestmark = pytest.mark.django_db

S = CorrectionState


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def maildir(tmp_path):
    """The desk's Maildir, as a mail server delivers into it."""
    return mailbox.Maildir(tmp_path / "desk", create=True)


def deliver(box, raw):
    return box.add(mailbox.MaildirMessage(raw))


def fetch(box, **options):
    call_command("fetch_correction_mail", maildir=box._path, verbosity=0, **options)


def test_a_message_becomes_a_report_about_the_page_it_links(maildir, django_capture_on_commit_callbacks):
    case = CaseFactory(slug="ftc-everalbum", title="FTC v. Everalbum")
    raw = mail_bytes(
        "Your page http://127.0.0.1:8000/cases/ftc-everalbum/ says the order is from 2019.\n"
        "The order itself, https://www.ftc.gov/system/files/everalbum-order.pdf, is dated 2021.\n",
        subject="Wrong date on the Everalbum page",
        sender='"Ada Reader" <Ada@Example.net>',
        html="<p>HTML <b>version</b> <script>bad()</script></p>",
        attachment=("order.pdf", b"%PDF-1.7 not kept"),
    )
    deliver(maildir, raw)
    with django_capture_on_commit_callbacks(execute=True):
        fetch(maildir)

    correction = Correction.objects.get()
    assert correction.channel == "mail"
    assert correction.state == S.NEW
    assert correction.page == case
    assert correction.page_history_id == pages.latest_history_id(case)
    assert correction.page_url == "/cases/ftc-everalbum/"
    assert correction.reporter_name == "Ada Reader"
    assert correction.reporter_email == "ada@example.net"
    assert correction.email_hash == abuse.email_hash("ada@example.net")
    assert correction.address_hash == ""
    assert correction.consent_to_contact
    assert correction.mail_message_id.startswith("<") and correction.mail_message_id.endswith("@example.net>")
    # Subject and the plain-text part only; the links stay as text; HTML and the attachment are gone.
    assert correction.passage.startswith("Subject: Wrong date on the Everalbum page\n\n")
    assert "http://127.0.0.1:8000/cases/ftc-everalbum/" in correction.passage
    assert "https://www.ftc.gov/system/files/everalbum-order.pdf" in correction.passage
    assert "version" not in correction.passage and "PDF" not in correction.passage
    assert correction.evidence_list == ["https://www.ftc.gov/system/files/everalbum-order.pdf"]
    assert correction.events.get().actor_label == "reader"
    # The sender is acknowledged, as a web reader is.
    [letter] = mail.outbox
    assert letter.to == ["ada@example.net"]
    assert correction.reference in letter.subject


def test_nothing_is_filed_twice(maildir):
    deliver(maildir, mail_bytes(message_id="<once@example.net>"))
    fetch(maildir)
    fetch(maildir)
    assert Correction.objects.count() == 1
    [key] = maildir.keys()
    message = maildir.get_message(key)
    assert message.get_subdir() == "cur"
    assert "S" in message.get_flags()
    # The same message delivered again (a second copy, a forwarding loop) is recognised by its Message-ID.
    deliver(maildir, mail_bytes(message_id="<once@example.net>"))
    fetch(maildir)
    assert Correction.objects.count() == 1


def test_a_message_without_message_id_is_filed_once(maildir):
    raw = mail_bytes().replace(b"Message-ID:", b"X-Old-Message-ID:")
    deliver(maildir, raw)
    deliver(maildir, raw)
    fetch(maildir)
    correction = Correction.objects.get()
    assert correction.mail_message_id.endswith("@no-message-id.casebase.invalid>")


def test_a_message_naming_no_page_of_ours_is_still_filed(maildir):
    deliver(maildir, mail_bytes("You got Clarifai wrong, see https://example.com/news and /cases/nope/."))
    fetch(maildir)
    correction = Correction.objects.get()
    assert correction.content_type is None and correction.object_id is None
    assert correction.page_title == ""


def test_draft_pages_and_other_sites_are_not_matched(maildir):
    CaseFactory(slug="secret-draft", status="draft")
    CaseFactory(slug="published-one")
    deliver(
        maildir,
        mail_bytes(
            "See http://127.0.0.1:8000/cases/secret-draft/ and https://evil.example/cases/published-one/ "
            "and http://127.0.0.1:8000/cases/ (the list)."
        ),
    )
    fetch(maildir)
    assert Correction.objects.get().content_type is None


def test_html_only_mail_keeps_no_html(maildir):
    from email.message import EmailMessage

    message = EmailMessage()
    message["From"] = "reader@example.net"
    message["Subject"] = "HTML only"
    message["Message-ID"] = "<html-only@example.net>"
    message.set_content("<p>Only <b>HTML</b></p>", subtype="html")
    deliver(maildir, message.as_bytes())
    fetch(maildir)
    passage = Correction.objects.get().passage
    assert "<b>" not in passage and "Only" not in passage
    assert "no plain-text part" in passage


@pytest.mark.parametrize(
    "headers_or_sender",
    [
        {"Auto-Submitted": "auto-replied"},
        {"Precedence": "bulk"},
        "MAILER-DAEMON@mx.example.net",
        "editorial@casebase.invalid",
    ],
)
def test_automatic_mail_is_never_filed_nor_answered(maildir, headers_or_sender):
    if isinstance(headers_or_sender, dict):
        raw = mail_bytes(headers=headers_or_sender)
    else:
        raw = mail_bytes(sender=headers_or_sender)
    deliver(maildir, raw)
    fetch(maildir)
    assert not Correction.objects.exists()
    assert mail.outbox == []
    [key] = maildir.keys()
    assert "S" in maildir.get_message(key).get_flags()  # done with: not read again


def test_the_forms_abuse_rules_apply(maildir, settings, django_capture_on_commit_callbacks):
    deliver(maildir, mail_bytes("Links: https://a.example https://b.example https://c.example https://d.example"))
    deliver(maildir, mail_bytes("x" * (mailintake.MAX_MAIL_TEXT + 10), sender="long@example.net"))
    with django_capture_on_commit_callbacks(execute=True):
        fetch(maildir)
    reasons = set(Correction.objects.values_list("quarantine_reason", flat=True))
    assert reasons == {abuse.Quarantine.TOO_MANY_LINKS, abuse.Quarantine.TOO_LONG}
    assert set(Correction.objects.values_list("state", flat=True)) == {S.QUARANTINED}
    assert len(Correction.objects.get(reporter_email="long@example.net").passage) < mailintake.MAX_MAIL_TEXT + 100
    assert mail.outbox == []  # quarantined: no acknowledgement

    settings.CORRECTIONS_RATE_PER_ADDRESS = "2/h"
    Correction.objects.all().delete()
    for n in range(3):
        deliver(maildir, mail_bytes(f"Report {n}", sender="busy@example.net"))
    fetch(maildir)
    states = list(Correction.objects.order_by("number").values_list("state", flat=True))
    assert states == [S.NEW, S.NEW, S.QUARANTINED]


def test_a_reply_answers_the_desks_question(maildir, django_capture_on_commit_callbacks):
    editor = EditorFactory()
    correction = CorrectionFactory(state=S.NEEDS_INFO, assignee=editor, reporter_email="ada@example.net")
    correction.email_hash = abuse.email_hash("ada@example.net")
    correction.save()
    deliver(maildir, mail_bytes("Paragraph 3.", subject=f"Re: A question about your report {correction.reference}"))
    # The same reference from someone else is a new report, not a message on Ada's.
    deliver(maildir, mail_bytes("Me too.", subject=f"Re: {correction.reference}", sender="eve@example.net"))
    with django_capture_on_commit_callbacks(execute=True):
        fetch(maildir)
    correction.refresh_from_db()
    assert correction.state == S.TRIAGE
    assert correction.messages.get(visibility=MessageVisibility.FROM_READER).body == "Paragraph 3."
    assert Correction.objects.count() == 2
    assert Correction.objects.exclude(pk=correction.pk).get().reporter_email == "eve@example.net"


def test_a_message_that_fails_stays_for_the_next_run(maildir, monkeypatch):
    deliver(maildir, mail_bytes())

    def broken(report):
        raise RuntimeError("database hiccup")

    monkeypatch.setattr(mailintake, "file_mail", broken)
    with pytest.raises(CommandError, match="could not be filed"):
        fetch(maildir)
    [key] = maildir.keys()
    assert "S" not in maildir.get_message(key).get_flags()
    monkeypatch.undo()
    fetch(maildir)
    assert Correction.objects.count() == 1


def test_limit_and_configuration(maildir, settings, tmp_path):
    for n in range(3):
        deliver(maildir, mail_bytes(f"Report {n}"))
    fetch(maildir, limit=2)
    assert Correction.objects.count() == 2
    settings.CORRECTIONS_MAILDIR = maildir._path
    call_command("fetch_correction_mail", verbosity=0)
    assert Correction.objects.count() == 3

    settings.CORRECTIONS_MAILDIR = ""
    with pytest.raises(CommandError, match="No mailbox configured"):
        call_command("fetch_correction_mail")
    with pytest.raises(CommandError, match="No Maildir"):
        call_command("fetch_correction_mail", maildir=str(tmp_path / "missing"))


def test_parse_message_reads_odd_charsets_and_folds_the_subject():
    raw = (
        b"From: =?utf-8?q?Ren=C3=A9e?= <renee@example.net>\r\n"
        b"Subject: =?iso-8859-1?q?Erreur_=E0?=\r\n  corriger\r\n"
        b"Message-ID: <odd@example.net>\r\n"
        b"Content-Type: text/plain; charset=x-unknown\r\n\r\n"
        b"Caf\xc3\xa9 \x00text\r\n"
    )
    report = mailintake.parse_message(raw)
    assert report.sender_name == "Renée"
    assert report.subject == "Erreur à corriger"
    assert "Café text" in report.text and "\x00" not in report.text
