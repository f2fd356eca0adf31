"""The retention schedule of DESIGN §7: readers' contact details are deleted on schedule, spam entirely.

Contact details are the name, the email address, consent, and both keyed hashes (a hash still singles
a person out). Open reports are never purged: the desk may still need to write.
"""

import datetime

from django.db.models import Q
from django.utils import timezone

from .models import Correction, CorrectionState

S = CorrectionState

SPAM_DAYS = 30
DECLINED_DAYS = 183
CLOSED_DAYS = 90

CONTACT_CLEARED = {
    "reporter_name": "",
    "reporter_email": "",
    "consent_to_contact": False,
    "email_hash": "",
    "address_hash": "",
}
SPAM_CLEARED = {**CONTACT_CLEARED, "passage": "", "proposed_fix": "", "evidence_urls": ""}


def schedule(now):
    """(label, condition, fields cleared) for every rule, oldest rule first."""
    days = lambda n: now - datetime.timedelta(days=n)  # noqa: E731
    return [
        # Spam keeps its number (references are never reused) but loses everything the sender wrote.
        ("spam", Q(state=S.SPAM, received_at__lt=days(SPAM_DAYS)), SPAM_CLEARED),
        # Held back and never released: treated as spam for contact details; the text stays for the desk.
        ("quarantined", Q(state=S.QUARANTINED, received_at__lt=days(SPAM_DAYS)), CONTACT_CLEARED),
        ("declined", Q(state=S.DECLINED, resolved_at__lt=days(DECLINED_DAYS)), CONTACT_CLEARED),
        (
            "closed",
            Q(state__in=[S.PUBLISHED, S.DUPLICATE, S.WITHDRAWN], resolved_at__lt=days(CLOSED_DAYS)),
            CONTACT_CLEARED,
        ),
    ]


def purge(now=None, dry_run=False):
    """Apply the schedule; {rule: how many reports} (counted, not changed, with dry_run)."""
    now = now or timezone.now()
    counts = {}
    for label, condition, cleared in schedule(now):
        due = Correction.objects.filter(condition, purged_at__isnull=True)
        counts[label] = due.count() if dry_run else due.update(**cleared, purged_at=now)
    return counts
