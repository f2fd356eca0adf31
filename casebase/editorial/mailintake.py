"""Reports by mail: messages to the desk's address, fetched over IMAP or from a Maildir, filed like the form's.

Each message becomes a report with the sender, the subject and the plain-text part only (attachments and
HTML are dropped, links stay as text), matched to one of our pages when it links to one. A reply that
names a report's reference and comes from that report's sender is added to it instead. A message is
marked done only after its report is committed, and its Message-ID is unique among reports, so a
message is never filed twice.
"""

import contextlib
import datetime
import email.policy
import email.utils
import hashlib
import imaplib
import logging
import mailbox
import re
import ssl
from dataclasses import dataclass, field
from email.parser import BytesParser

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.views.decorators.debug import sensitive_variables

from . import abuse, pages, workflow
from .forms import MAX_TEXT
from .models import (
    Correction,
    CorrectionChannel,
    CorrectionKind,
    CorrectionMessage,
    CorrectionState,
    MessageVisibility,
)
from .page_links import first_page_named, page_for_url

logger = logging.getLogger(__name__)

# A mailed report may be as long as the form's two boxes together; past that it is cut and quarantined.
MAX_MAIL_TEXT = 2 * MAX_TEXT
MAX_SUBJECT = 200
REFERENCE_RE = re.compile(r"\bCR-(\d{1,9})\b", re.I)
# The IMAP keyword that marks a message as filed (the \Seen flag alone would be set by any mail client).
FILED_KEYWORD = "$CasebaseFiled"


@dataclass
class MailReport:
    """What the desk keeps of one message."""

    message_id: str
    sender_name: str = ""
    sender_email: str = ""
    subject: str = ""
    text: str = ""
    sent_at: datetime.datetime | None = None
    automatic: bool = False
    cut: bool = False
    links: list = field(default_factory=list)


def _text_of(part):
    try:
        return part.get_content()
    except (LookupError, UnicodeError, AssertionError):
        payload = part.get_payload(decode=True) or b""
        return payload.decode("utf-8", errors="replace")


def _clean(text):
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\x00", "")
    return re.sub(r"\n{3,}", "\n\n", text).strip()


def _is_automatic(message, sender_email):
    """Auto-replies, bounces and list mail (RFC 3834, RFC 3464): never filed, never answered."""
    auto = str(message.get("Auto-Submitted", "no")).strip().lower()
    precedence = str(message.get("Precedence", "")).strip().lower()
    local = sender_email.partition("@")[0].lower()
    return (
        auto != "no"
        or precedence in {"bulk", "junk", "list"}
        or message.get_content_type() == "multipart/report"
        or local in {"mailer-daemon", "postmaster"}
        or not sender_email
        or sender_email.lower() == settings.CORRECTIONS_MAIL_ADDRESS.lower()
    )


@sensitive_variables("raw", "message", "sender_email")
def parse_message(raw):
    """A MailReport from a message's bytes: sender, subject, plain-text part; attachments and HTML dropped."""
    message = BytesParser(policy=email.policy.default).parsebytes(raw)
    name, sender_email = email.utils.parseaddr(str(message.get("From", "")))
    try:
        EmailValidator()(sender_email)
    except ValidationError:
        sender_email = ""
    message_id = str(message.get("Message-ID", "")).strip()
    if not message_id:
        # No Message-ID: one made from the bytes still files the same message once.
        message_id = f"<{hashlib.sha256(raw).hexdigest()}@no-message-id.casebase.invalid>"
    try:
        sent_at = email.utils.parsedate_to_datetime(str(message.get("Date", "")))
    except (TypeError, ValueError):
        sent_at = None
    if sent_at is not None and timezone.is_naive(sent_at):
        sent_at = timezone.make_aware(sent_at, datetime.UTC)
    body = message.get_body(preferencelist=("plain",))
    text = _clean(_text_of(body)) if body is not None else ""
    if body is None:
        text = "(The message had no plain-text part; the desk keeps only plain text.)"
    cut = len(text) > MAX_MAIL_TEXT
    subject = " ".join(str(message.get("Subject", "")).split())[:MAX_SUBJECT]
    return MailReport(
        message_id=message_id[:500],
        sender_name=" ".join(name.split())[:200],
        sender_email=sender_email.lower(),
        subject=subject,
        text=text[:MAX_MAIL_TEXT],
        sent_at=sent_at,
        automatic=_is_automatic(message, sender_email),
        cut=cut,
        links=abuse.find_links(subject, text),
    )


def _over_rate(rate, **match):
    count, seconds = abuse.parse_rate(rate)
    since = timezone.now() - datetime.timedelta(seconds=seconds)
    return Correction.objects.filter(received_at__gte=since, **match).count() >= count


def quarantine_reason(report, page, sender_hash):
    """The spam signal a mailed report trips, or '' (the form's rules that apply to mail)."""
    if report.cut:
        return abuse.Quarantine.TOO_LONG
    if len(report.links) > abuse.MAX_LINKS:
        return abuse.Quarantine.TOO_MANY_LINKS
    if sender_hash and _over_rate(settings.CORRECTIONS_RATE_PER_ADDRESS, email_hash=sender_hash):
        return abuse.Quarantine.RATE
    if page is not None:
        page_match = {"content_type": ContentType.objects.get_for_model(page), "object_id": page.pk}
        if _over_rate(settings.CORRECTIONS_RATE_PER_PAGE, **page_match):
            return abuse.Quarantine.RATE
    return ""


def _history_as_of(page, when):
    """The page's version when the message was written (its latest if the date is missing or odd)."""
    if when is not None:
        seen = (
            page.history.filter(history_date__lte=when)
            .order_by("-history_date", "-history_id")
            .values_list("history_id", flat=True)
            .first()
        )
        if seen:
            return seen
    return pages.latest_history_id(page)


def _reply_target(report, sender_hash):
    """The open report this message answers: it names the reference and comes from the report's sender."""
    if not sender_hash:
        return None
    for number in REFERENCE_RE.findall(report.subject):
        correction = (
            Correction.objects.filter(number=int(number), email_hash=sender_hash)
            .exclude(state__in=[CorrectionState.SPAM, CorrectionState.QUARANTINED])
            .first()
        )
        if correction is not None:
            return correction
    return None


def _add_reply(correction, report):
    """File a reply on its report: the answer the desk waits for, or a further message from the reader."""
    if correction.messages.filter(visibility=MessageVisibility.FROM_READER, body=report.text).exists():
        return "duplicate"
    if correction.state == CorrectionState.NEEDS_INFO:
        workflow.apply_transition(
            correction, CorrectionState.TRIAGE, workflow.READER, "The reader answered by mail.", message=report.text
        )
    else:
        CorrectionMessage.objects.create(
            correction=correction, visibility=MessageVisibility.FROM_READER, body=report.text
        )
    return "reply"


@sensitive_variables("report", "correction")
def file_mail(report):
    """File one parsed message; returns what became of it: filed, quarantined, reply, automatic or duplicate."""
    if Correction.objects.filter(mail_message_id=report.message_id).exists():
        return "duplicate"
    if report.automatic:
        return "automatic"
    sender_hash = abuse.email_hash(report.sender_email)
    with transaction.atomic():
        target = _reply_target(report, sender_hash)
        if target is not None:
            return _add_reply(target, report)
        page = first_page_named(report.subject, report.text)
        ours = {link for link in report.links if page_for_url(link) is not None}
        evidence = [link for link in report.links if link not in ours][:3]
        correction = Correction(
            channel=CorrectionChannel.MAIL,
            mail_message_id=report.message_id,
            kind=CorrectionKind.OTHER,
            passage=f"Subject: {report.subject}\n\n{report.text}" if report.subject else report.text,
            evidence_urls="\n".join(evidence),
            reporter_name=report.sender_name,
            reporter_email=report.sender_email,
            # Whoever writes to the desk expects an answer by mail.
            consent_to_contact=bool(report.sender_email),
            email_hash=sender_hash,
        )
        if page is not None:
            correction.page = page
            correction.page_title = str(page)[:300]
            correction.page_url = page.get_absolute_url()
            correction.page_history_id = _history_as_of(page, report.sent_at)
        reason = quarantine_reason(report, page, sender_hash)
        try:
            with transaction.atomic():
                workflow.file_report(correction, quarantine_reason=reason)
        except IntegrityError:
            # Another run filed the same message a moment ago.
            if Correction.objects.filter(mail_message_id=report.message_id).exists():
                return "duplicate"
            raise
    return "quarantined" if reason else "filed"


class MaildirSource:
    """A local Maildir: messages without the Seen flag are new; filed ones move to cur/ with it."""

    def __init__(self, path):
        self.box = mailbox.Maildir(path, factory=None, create=False)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False

    def pending(self):
        for key in sorted(self.box.keys()):
            if "S" not in self.box.get_message(key).get_flags():
                yield key, self.box.get_bytes(key)

    def mark_done(self, key):
        message = self.box.get_message(key)
        message.set_subdir("cur")
        message.add_flag("S")
        self.box[key] = message


class ImapError(Exception):
    """The IMAP server refused or failed a command."""


class ImapSource:
    """A mailbox on an IMAP server (standard library imaplib): messages without our keyword are new."""

    def __init__(self, host, port, user, password, mailbox="INBOX", security="ssl", timeout=30):
        self.host, self.port, self.user, self.password = host, port, user, password
        self.mailbox, self.security, self.timeout = mailbox, security, timeout
        self.imap = None

    @classmethod
    def from_settings(cls):
        return cls(
            settings.CORRECTIONS_IMAP_HOST,
            settings.CORRECTIONS_IMAP_PORT,
            settings.CORRECTIONS_IMAP_USER,
            settings.CORRECTIONS_IMAP_PASSWORD,
            mailbox=settings.CORRECTIONS_IMAP_MAILBOX,
            security=settings.CORRECTIONS_IMAP_SECURITY,
        )

    @staticmethod
    def _ok(response, what):
        status, data = response
        if status != "OK":
            raise ImapError(f"IMAP {what} failed: {status}")
        return data

    @sensitive_variables("password")
    def __enter__(self):
        context = ssl.create_default_context()
        if self.security == "ssl":
            self.imap = imaplib.IMAP4_SSL(self.host, self.port, ssl_context=context, timeout=self.timeout)
        else:
            self.imap = imaplib.IMAP4(self.host, self.port, timeout=self.timeout)
            if self.security == "starttls":
                self.imap.starttls(ssl_context=context)
        try:
            self._ok(self.imap.login(self.user, self.password), "login")
            self._ok(self.imap.select(self._quoted(self.mailbox)), "select")
        except (imaplib.IMAP4.error, ImapError):
            self.imap.logout()
            raise
        return self

    def __exit__(self, *exc):
        if self.imap is not None:
            with contextlib.suppress(imaplib.IMAP4.error):
                self.imap.close()  # nothing selected after a failed select
            self.imap.logout()
        return False

    @staticmethod
    def _quoted(name):
        return '"' + name.replace("\\", "\\\\").replace('"', '\\"') + '"'

    def pending(self):
        data = self._ok(self.imap.uid("SEARCH", None, "UNKEYWORD", FILED_KEYWORD), "search")
        for uid in (data[0] or b"").split():
            # BODY.PEEK leaves \Seen alone: a message is marked only once it is filed.
            fetched = self._ok(self.imap.uid("FETCH", uid, "(BODY.PEEK[])"), "fetch")
            raw = next((item[1] for item in fetched if isinstance(item, tuple)), None)
            if raw is not None:
                yield uid, raw

    def mark_done(self, uid):
        self._ok(self.imap.uid("STORE", uid, "+FLAGS", f"({FILED_KEYWORD} \\Seen)"), "store")


def fetch(source, limit=None):
    """File every new message in `source`; returns a count of outcomes. A failed message is left for next time."""
    counts = {}
    with source:
        for number, (key, raw) in enumerate(source.pending()):
            if limit is not None and number >= limit:
                break
            try:
                outcome = file_mail(parse_message(raw))
            except Exception:
                # Logged without the message: it holds a reader's address.
                logger.exception("Could not file mail message %s; it stays in the mailbox for the next run", key)
                outcome = "failed"
            else:
                source.mark_done(key)
            counts[outcome] = counts.get(outcome, 0) + 1
    return counts
