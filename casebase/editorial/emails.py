"""Mail to readers and editors, sent by Django's Tasks framework so no request waits on a mail server.

The workflow sends `transition_committed` once a change has committed; the receiver here only queues a
task with the report's id (never an address, which would then sit in the task queue and its logs). The
task reads the report afresh and writes from our own templates: a letter never repeats anything the
reader typed, so the form cannot be used to mail chosen text to a chosen address.
"""

import datetime

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMessage
from django.db.models import Q
from django.dispatch import receiver
from django.tasks import task
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.views.decorators.debug import sensitive_variables

from . import tokens, workflow
from .models import Correction, CorrectionState

ReaderMail = workflow.ReaderMail

SUBJECTS = {
    ReaderMail.ACKNOWLEDGEMENT: "We have your report {reference}",
    ReaderMail.QUESTION: "A question about your report {reference}",
    ReaderMail.DECISION: "What we did about your report {reference}",
}

# Mail we send is automatic: auto-responders must not answer it (RFC 3834).
AUTOMATIC = {"Auto-Submitted": "auto-generated"}


@receiver(workflow.transition_committed)
def queue_reader_mail(sender, correction, event, mail, **kwargs):
    """After a committed transition that writes to the reader, queue the letter (if they may be written to)."""
    if mail and may_write_to(correction):
        send_reader_mail.enqueue(correction.pk, str(mail))


def may_write_to(correction):
    """Did the reader give an address, agree to be written to, and is the address still kept?"""
    return bool(correction.reporter_email and correction.consent_to_contact and correction.purged_at is None)


def site_url(path):
    return f"{settings.SITE_URL}{path}"


@task()
def send_reader_mail(correction_id, letter):
    """Send one letter about a report to its reader; returns how many were sent (0 when no longer wanted)."""
    correction = Correction.objects.select_related("duplicate_of").filter(pk=correction_id).first()
    if correction is None or not may_write_to(correction):
        return 0
    letter = ReaderMail(letter)
    message = reader_letter(correction, letter)
    return message.send()


@sensitive_variables("correction")
def reader_letter(correction, letter):
    """The EmailMessage for one letter about a report (our words only, plus references and our own links)."""
    context = {
        "reference": correction.reference,
        "state_label": correction.state_enum.reader_label,
        "status_url": tokens.status_url(correction, absolute=True),
        "page_title": correction.page_title,
        "page_url": site_url(correction.page_url) if correction.page_url.startswith("/") else "",
        "state": correction.state,
        "duplicate_reference": correction.duplicate_of.reference if correction.duplicate_of_id else "",
        "S": CorrectionState,
        "desk_address": settings.CORRECTIONS_MAIL_ADDRESS,
    }
    body = render_to_string(f"editorial/mail/{letter.value}.txt", context)
    return EmailMessage(
        subject=SUBJECTS[letter].format(reference=correction.reference),
        body=body,
        to=[correction.reporter_email],
        reply_to=[settings.CORRECTIONS_MAIL_ADDRESS],
        headers=AUTOMATIC,
    )


def editor_addresses():
    """Where the digest goes: every active editor with an email address."""
    return list(
        workflow.editors()
        .exclude(Q(email="") | Q(email__isnull=True))
        .values_list(get_user_model().get_email_field_name(), flat=True)
    )


def desk_url():
    try:
        return site_url(reverse("editorial:desk_home"))
    except NoReverseMatch:  # the desk's address, once it has one
        return site_url("/desk/")


@task()
def send_editors_digest(since):
    """Mail editors the reports received since `since` (ISO time) and what waits; returns how many were sent."""
    since = datetime.datetime.fromisoformat(since)
    new = list(
        Correction.objects.filter(received_at__gte=since)
        .exclude(state=CorrectionState.SPAM)
        .order_by("received_at", "number")
        .only("number", "kind", "state", "channel", "page_title", "received_at")
    )
    recipients = editor_addresses()
    if not new or not recipients:
        return 0
    context = {
        "new": new,
        "since": since,
        "unassigned": Correction.objects.filter(state=CorrectionState.NEW).count(),
        "quarantined": Correction.objects.filter(state=CorrectionState.QUARANTINED).count(),
        "desk_url": desk_url(),
    }
    message = EmailMessage(
        subject=f"casebase desk: {len(new)} new report{'s' if len(new) != 1 else ''}",
        body=render_to_string("editorial/mail/digest.txt", context),
        to=recipients,
        headers=AUTOMATIC,
    )
    return message.send()


def queue_digest(now=None, hours=24):
    """Queue the digest of the last `hours` (the daily command)."""
    since = (now or timezone.now()) - datetime.timedelta(hours=hours)
    return send_editors_digest.enqueue(since.isoformat())
