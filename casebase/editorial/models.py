"""Editorial records: readers' correction reports, their events and messages, public notices, verifications."""

import datetime
import secrets

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, models, transaction
from django.db.models import Count, Max, Min, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from casebase.knowledge.models import Authority, Case, Company, Dataset, ExposureList, RemedyType

# The pages a reader can report on, verify or see notices for: every public detail page.
PAGE_MODELS = (Case, Company, RemedyType, Dataset, ExposureList, Authority)


def page_content_types():
    """Content types of the reportable page models, keyed by model class."""
    return ContentType.objects.get_for_models(*PAGE_MODELS)


def new_secret():
    """An unguessable token for a reader's private status link."""
    return secrets.token_urlsafe(32)


def published_pages_q(prefix=""):
    """A condition matching rows whose generic page is a published page (drafts never reach readers)."""
    condition = Q(pk__in=[])
    for model, content_type in page_content_types().items():
        condition |= Q(
            **{
                f"{prefix}content_type": content_type,
                f"{prefix}object_id__in": model.objects.published().values("pk"),
            }
        )
    return condition


class CorrectionKind(models.TextChoices):
    FACTUAL_ERROR = "factual_error", "Factual error"
    OUTDATED = "outdated", "Out of date"
    MISSING_INFORMATION = "missing_information", "Missing information"
    BROKEN_LINK = "broken_link", "Broken link"
    EXPERIENCE = "experience", "Share your experience"
    OTHER = "other", "Something else"


class CorrectionChannel(models.TextChoices):
    WEB = "web", "Web form"
    MAIL = "mail", "Mail"


class CorrectionState(models.TextChoices):
    NEW = "new", "New"
    QUARANTINED = "quarantined", "Quarantined"
    SPAM = "spam", "Spam"
    TRIAGE = "triage", "In triage"
    NEEDS_INFO = "needs_info", "Waiting on the reader"
    ACCEPTED = "accepted", "Accepted"
    PUBLISHED = "published", "Published"
    DECLINED = "declined", "Declined"
    DUPLICATE = "duplicate", "Duplicate"
    WITHDRAWN = "withdrawn", "Withdrawn"

    @classmethod
    def open_states(cls):
        """States in which the desk still owes the reader an outcome."""
        return [cls.NEW, cls.TRIAGE, cls.NEEDS_INFO, cls.ACCEPTED]

    @classmethod
    def closed_states(cls):
        """Final states; an editor may reopen most of them."""
        return [cls.PUBLISHED, cls.DECLINED, cls.DUPLICATE, cls.WITHDRAWN, cls.SPAM]

    @property
    def is_open(self):
        return self in self.open_states()

    @property
    def is_closed(self):
        return self in self.closed_states()

    @property
    def reader_label(self):
        """What the reader's status page says about this state."""
        return {
            self.NEW: "Received: waiting for an editor",
            self.QUARANTINED: "Received: waiting for an editor",
            self.SPAM: "Closed",
            self.TRIAGE: "An editor is looking into it",
            self.NEEDS_INFO: "The desk has asked you a question",
            self.ACCEPTED: "Accepted: the page will be corrected",
            self.PUBLISHED: "Corrected",
            self.DECLINED: "Closed without a change",
            self.DUPLICATE: "Already reported",
            self.WITHDRAWN: "Withdrawn by you",
        }[self]


class CorrectionPriority(models.TextChoices):
    LOW = "low", "Low"
    NORMAL = "normal", "Normal"
    HIGH = "high", "High"


class CorrectionQuerySet(models.QuerySet):
    def open(self):
        """Reports the desk still has to resolve (quarantine and spam are kept apart)."""
        return self.filter(state__in=CorrectionState.open_states())

    def closed(self):
        return self.filter(state__in=CorrectionState.closed_states())

    def for_page(self, page):
        """Reports about one page."""
        return self.filter(content_type=ContentType.objects.get_for_model(page), object_id=page.pk)

    def for_desk(self):
        """What a desk row shows: assignee, page, and how many other open reports the same page has."""
        others = (
            Correction.objects.open()
            .filter(content_type=OuterRef("content_type"), object_id=OuterRef("object_id"))
            .exclude(pk=OuterRef("pk"))
            .order_by()
            .values("content_type")
            .annotate(n=Count("pk"))
            .values("n")
        )
        return (
            self.select_related("assignee", "content_type")
            .prefetch_related("page")
            .annotate(other_open=Coalesce(Subquery(others), 0))
        )

    def in_queue(self, name, user, now=None):
        """The reports in one of the desk's queues (DESK_QUEUES)."""
        return self.filter(queue_condition(name, user, now or timezone.now()))

    def queue_stats(self, user, now=None):
        """{queue: (count, oldest received_at)} for every desk queue, in one query."""
        now = now or timezone.now()
        aggregates = {}
        for name in DESK_QUEUES:
            condition = queue_condition(name, user, now)
            aggregates[f"{name}__count"] = Count("pk", filter=condition)
            aggregates[f"{name}__oldest"] = Min("received_at", filter=condition)
        row = self.aggregate(**aggregates)
        return {name: (row[f"{name}__count"], row[f"{name}__oldest"]) for name in DESK_QUEUES}


# The desk's queues, in the order the desk shows them: (name, label).
DESK_QUEUES = {
    "unassigned": "Unassigned",
    "mine": "Mine",
    "waiting": "Waiting on the reader",
    "accepted": "Accepted, not yet published",
    "quarantine": "Quarantine",
    "closed": "Recently closed",
}
RECENTLY_CLOSED_DAYS = 30


def queue_condition(name, user, now):
    """The condition for one desk queue."""
    S = CorrectionState
    working = [S.TRIAGE, S.NEEDS_INFO, S.ACCEPTED]
    conditions = {
        "unassigned": Q(state=S.NEW),
        "mine": Q(state__in=working, assignee=user),
        "waiting": Q(state=S.NEEDS_INFO),
        "accepted": Q(state=S.ACCEPTED),
        "quarantine": Q(state=S.QUARANTINED),
        "closed": Q(state__in=S.closed_states(), resolved_at__gte=now - datetime.timedelta(days=RECENTLY_CLOSED_DAYS)),
    }
    return conditions[name]


class Correction(models.Model):
    """A reader's report of an error on one page, by web form or by mail."""

    number = models.PositiveIntegerField(unique=True, editable=False, help_text="Public number: CR- and this.")
    secret = models.CharField(
        max_length=64, default=new_secret, editable=False, help_text="Token in the reader's private status link."
    )
    content_type = models.ForeignKey(
        ContentType,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="Kind of page the report is about; empty when a mailed report names none of our pages.",
    )
    object_id = models.PositiveBigIntegerField(null=True, blank=True, help_text="Which page the report is about.")
    page = GenericForeignKey("content_type", "object_id")
    page_history_id = models.PositiveBigIntegerField(
        null=True, blank=True, help_text="The history record of the page version the reader saw."
    )
    page_title = models.CharField(max_length=300, blank=True, help_text="The page's title when it was reported.")
    page_url = models.CharField(max_length=600, blank=True, help_text="The page's address when it was reported.")
    kind = models.CharField(
        max_length=24,
        choices=CorrectionKind.choices,
        default=CorrectionKind.FACTUAL_ERROR,
        help_text="What sort of problem the reader reports.",
    )
    passage = models.TextField(blank=True, help_text="The passage the reader says is wrong, in their words.")
    proposed_fix = models.TextField(blank=True, help_text="What the reader says the page should say.")
    evidence_urls = models.TextField(blank=True, help_text="Up to three links to evidence, one per line.")
    reporter_name = models.CharField(max_length=200, blank=True, help_text="Optional; never published.")
    reporter_email = models.EmailField(
        blank=True, help_text="Optional; used only to write about this report, and deleted on schedule."
    )
    consent_to_contact = models.BooleanField(
        default=False, help_text="The reader agreed that the desk may write to them about this report."
    )
    email_hash = models.CharField(
        max_length=64, blank=True, db_index=True, help_text="Keyed hash of the email, for rate limits and duplicates."
    )
    address_hash = models.CharField(
        max_length=64, blank=True, db_index=True, help_text="Keyed hash of the sender's IP address, never the address."
    )
    channel = models.CharField(
        max_length=8, choices=CorrectionChannel.choices, default=CorrectionChannel.WEB, help_text="How it arrived."
    )
    mail_message_id = models.CharField(
        max_length=500, null=True, blank=True, unique=True, help_text="Message-ID of a mailed report: filed once."
    )
    submission_key = models.CharField(
        max_length=64,
        null=True,
        blank=True,
        unique=True,
        editable=False,
        help_text="Keyed hash of one served form and what was sent with it: a web report sent twice is filed once.",
    )
    state = models.CharField(
        max_length=12,
        choices=CorrectionState.choices,
        default=CorrectionState.NEW,
        db_index=True,
        help_text="Where the report stands; changed only through the workflow.",
    )
    quarantine_reason = models.CharField(
        max_length=200, blank=True, help_text="Which spam signal held the report back."
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="assigned_corrections",
        help_text="The editor handling the report.",
    )
    priority = models.CharField(
        max_length=8, choices=CorrectionPriority.choices, default=CorrectionPriority.NORMAL, help_text="Desk priority."
    )
    duplicate_of = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="duplicates",
        help_text="The surviving report this one repeats.",
    )
    resolution = models.TextField(blank=True, help_text="The outcome as the reader is told it.")
    received_at = models.DateTimeField(default=timezone.now, db_index=True, help_text="When the report arrived.")
    first_response_at = models.DateTimeField(
        null=True, blank=True, help_text="When the desk first acted on the report."
    )
    resolved_at = models.DateTimeField(null=True, blank=True, help_text="When the report was closed.")
    purged_at = models.DateTimeField(null=True, blank=True, help_text="When the reader's contact details were deleted.")

    objects = CorrectionQuerySet.as_manager()

    class Meta:
        ordering = ["-received_at", "-number"]
        indexes = [models.Index(fields=["content_type", "object_id"], name="correction_page_idx")]

    def __str__(self):
        return self.reference

    def save(self, *args, **kwargs):
        if self.number is not None:
            return super().save(*args, **kwargs)
        # Number = highest + 1; two reports arriving together collide on the unique index, so retry.
        for _attempt in range(5):
            self.number = (Correction.objects.aggregate(top=Max("number"))["top"] or 0) + 1
            try:
                with transaction.atomic():
                    return super().save(*args, **kwargs)
            except IntegrityError:
                self.pk = None
                collided = Correction.objects.filter(number=self.number).exists()
                self.number = None
                if not collided:
                    raise
        raise IntegrityError("could not allocate a correction number")

    @property
    def reference(self):
        """The public reference, such as CR-00042."""
        return f"CR-{self.number:05d}" if self.number else "CR-?"

    @property
    def state_enum(self):
        return CorrectionState(self.state)

    @property
    def evidence_list(self):
        return [line.strip() for line in self.evidence_urls.splitlines() if line.strip()]


class CorrectionEvent(models.Model):
    """One step in a report's life: who moved it from which state to which, when and why."""

    correction = models.ForeignKey(Correction, on_delete=models.CASCADE, related_name="events")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    actor_label = models.CharField(max_length=20, blank=True, help_text='"reader" or "system" when no editor acted.')
    at = models.DateTimeField(default=timezone.now)
    from_state = models.CharField(max_length=12, choices=CorrectionState.choices, blank=True)
    to_state = models.CharField(max_length=12, choices=CorrectionState.choices)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self):
        return f"{self.correction}: {self.from_state or '—'} → {self.to_state}"

    @property
    def who(self):
        if self.actor_id:
            return self.actor.get_full_name() or self.actor.get_username()
        return self.actor_label or "system"


class MessageVisibility(models.TextChoices):
    TO_READER = "to_reader", "To the reader"
    FROM_READER = "from_reader", "From the reader"
    INTERNAL = "internal", "Internal note"


class CorrectionMessage(models.Model):
    """A message to or from the reader, or an internal note the reader never sees."""

    correction = models.ForeignKey(Correction, on_delete=models.CASCADE, related_name="messages")
    visibility = models.CharField(max_length=12, choices=MessageVisibility.choices)
    body = models.TextField()
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self):
        return f"{self.correction}: {self.get_visibility_display()}"


class NoticeKind(models.TextChoices):
    CORRECTION = "correction", "Correction"
    CLARIFICATION = "clarification", "Clarification"
    UPDATE = "update", "Update"
    EDITORS_NOTE = "editors_note", "Editor's note"


class CorrectionNoticeQuerySet(models.QuerySet):
    def public(self):
        """Notices on published pages, newest first: what readers may see."""
        return self.filter(published_pages_q()).order_by("-published_at", "-pk")

    def for_page(self, page):
        return self.filter(content_type=ContentType.objects.get_for_model(page), object_id=page.pk)


class CorrectionNotice(models.Model):
    """A public notice on a page saying what was corrected, clarified or updated, and when."""

    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    object_id = models.PositiveBigIntegerField(help_text="The page the notice is printed on.")
    page = GenericForeignKey("content_type", "object_id")
    kind = models.CharField(
        max_length=16, choices=NoticeKind.choices, default=NoticeKind.CORRECTION, help_text="What sort of notice."
    )
    is_material = models.BooleanField(
        default=False,
        help_text="A material error (wrong company, amount, date, outcome, authority): shown at the top of the page.",
    )
    text = models.TextField(
        help_text="What was wrong and what is right (Markdown): 'An earlier version of this page stated … It is …'."
    )
    published_at = models.DateTimeField(default=timezone.now, db_index=True, help_text="When the notice went up.")
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    corrections = models.ManyToManyField(
        Correction, blank=True, related_name="notices", help_text="The reader reports behind this notice."
    )
    page_history_id = models.PositiveBigIntegerField(
        null=True, blank=True, help_text="The history record of the corrected page version."
    )

    objects = CorrectionNoticeQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-pk"]
        indexes = [models.Index(fields=["content_type", "object_id"], name="notice_page_idx")]
        permissions = [("publish_correctionnotice", "Can fix a page and publish a correction notice")]

    def __str__(self):
        return f"{self.get_kind_display()} of {self.published_at:%Y-%m-%d}"


class VerificationOutcome(models.TextChoices):
    CONFIRMED = "confirmed", "Confirmed: the page matches its sources"
    UPDATED = "updated", "Updated: the page was brought in line with its sources"


class Verification(models.Model):
    """A record that an editor re-checked a whole page against its sources."""

    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    object_id = models.PositiveBigIntegerField()
    page = GenericForeignKey("content_type", "object_id")
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="verifications"
    )
    verified_at = models.DateTimeField(default=timezone.now, db_index=True)
    outcome = models.CharField(max_length=10, choices=VerificationOutcome.choices)
    sources_checked = models.ManyToManyField("knowledge.Source", blank=True, related_name="verifications")
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["-verified_at", "-pk"]
        indexes = [models.Index(fields=["content_type", "object_id"], name="verification_page_idx")]

    def __str__(self):
        return f"Verification of {self.verified_at:%Y-%m-%d}"


class CannedReply(models.Model):
    """A stock reply editors start a message to the reader from."""

    title = models.CharField(max_length=120, unique=True)
    body = models.TextField()

    class Meta:
        ordering = ["title"]
        verbose_name_plural = "canned replies"

    def __str__(self):
        return self.title
