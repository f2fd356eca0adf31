"""Shared pieces: publication status, dates with precision, published querysets, verification fields."""

import datetime
from functools import reduce
from operator import or_

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone


class PublicationStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    PUBLISHED = "published", "Published"
    WITHDRAWN = "withdrawn", "Withdrawn"


class DatePrecision(models.TextChoices):
    DAY = "day", "Day"
    MONTH = "month", "Month"
    YEAR = "year", "Year"

    def format(self, value):
        """Render a date only as precisely as it is known: '2014', 'March 2022', '30 March 2026'."""
        if value is None:
            return ""
        if self == DatePrecision.YEAR:
            return f"{value.year}"
        if self == DatePrecision.MONTH:
            return value.strftime("%B %Y")
        return f"{value.day} {value.strftime('%B %Y')}"

    def normalise(self, value):
        """The canonical stored date for this precision: the first day of the month or year."""
        if value is None:
            return None
        if self == DatePrecision.YEAR:
            return value.replace(month=1, day=1)
        if self == DatePrecision.MONTH:
            return value.replace(day=1)
        return value


def precise_date_constraints(prefix, field, precision_field):
    """Database checks that a date and its precision are set together."""
    return [
        models.CheckConstraint(
            condition=(Q(**{f"{field}__isnull": True}) & Q(**{precision_field: ""}))
            | (Q(**{f"{field}__isnull": False}) & Q(**{f"{precision_field}__in": DatePrecision.values})),
            name=f"{prefix}_{field}_precision",
        )
    ]


def dates_in_order(name, start, end):
    """A database check that `end` does not come before `start` when both are known."""
    return models.CheckConstraint(
        condition=Q(**{f"{start}__isnull": True})
        | Q(**{f"{end}__isnull": True})
        | Q(**{f"{end}__gte": models.F(start)}),
        name=name,
    )


def format_precise(value, precision):
    """Format a (date, precision) pair for readers."""
    if value is None:
        return ""
    return DatePrecision(precision or DatePrecision.DAY).format(value)


def normalise_precise(instance, field, precision_field):
    """Store a date at the start of its period so sorting and year filters stay honest."""
    value = getattr(instance, field)
    precision = getattr(instance, precision_field)
    if value is None:
        setattr(instance, precision_field, "")
        return
    if not precision:
        precision = DatePrecision.DAY
        setattr(instance, precision_field, precision)
    setattr(instance, field, DatePrecision(precision).normalise(value))


class PublishedQuerySet(models.QuerySet):
    def published(self):
        """Only records readers may see."""
        return self.filter(status=PublicationStatus.PUBLISHED)

    def with_current_version(self):
        """Each with its latest history record as `current_version_id`, `_at`, `_status`, `_type` and `_title`.

        What "Cite this page" needs of the current version (versions.current_version), with no query of its own.
        """
        records = self.model.history.model.objects.filter(id=models.OuterRef("pk")).order_by(
            "-history_date", "-history_id"
        )
        title = "title" if any(field.name == "title" for field in self.model._meta.fields) else "name"
        fields = {"id": "history_id", "at": "history_date", "status": "status", "type": "history_type", "title": title}
        return self.annotate(
            **{f"current_version_{name}": models.Subquery(records.values(field)[:1]) for name, field in fields.items()}
        )

    def due_for_verification(self, now=None):
        """Published records whose verification cycle has run out, oldest first."""
        now = now or timezone.now()
        due = [row.pk for row in self.published() if row.is_due_for_verification(now)]
        return self.filter(pk__in=due).order_by(models.F("last_verified_at").asc(nulls_first=True))


class PublicEntity(models.Model):
    """Fields every public page carries: slug, publication status, timestamps and verification."""

    DEFAULT_VERIFY_EVERY_DAYS = 180

    slug = models.SlugField(
        max_length=120, unique=True, help_text="Stable part of the page address; never change once published."
    )
    status = models.CharField(
        max_length=12,
        choices=PublicationStatus.choices,
        default=PublicationStatus.DRAFT,
        db_index=True,
        help_text="Only published records appear to readers, anywhere.",
    )
    created_at = models.DateTimeField(auto_now_add=True, help_text="When this record was first stored.")
    updated_at = models.DateTimeField(auto_now=True, help_text="When this record was last changed.")
    last_verified_at = models.DateTimeField(
        null=True, blank=True, help_text="When an editor last re-checked the whole page against its sources."
    )
    last_verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The editor who last re-checked the whole page.",
    )
    verify_every_days = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        help_text="Days between full re-checks of this page; empty for the default cycle of its kind.",
    )

    objects = PublishedQuerySet.as_manager()

    class Meta:
        abstract = True

    @property
    def is_published(self):
        return self.status == PublicationStatus.PUBLISHED

    def default_verify_days(self):
        """The review cycle of this kind of page (DESIGN: exposure lists 60 days, companies 6 months…)."""
        return self.DEFAULT_VERIFY_EVERY_DAYS

    @property
    def review_cycle_days(self):
        return self.verify_every_days or self.default_verify_days()

    @property
    def next_review_due(self):
        """When the next full re-check falls due, or None if never verified."""
        if self.last_verified_at is None:
            return None
        return self.last_verified_at + datetime.timedelta(days=self.review_cycle_days)

    def is_due_for_verification(self, now=None):
        due = self.next_review_due
        return due is None or due <= (now or timezone.now())


def choice_rank(field, choices):
    """An ordering expression that sorts a choice field in the order its choices are declared."""
    return models.Case(
        *[models.When(**{field: value, "then": rank}) for rank, value in enumerate(choices.values)],
        default=len(choices.values),
    )


def exactly_one_of(fields):
    """A condition that exactly one of the nullable foreign keys is set."""
    return reduce(
        or_,
        [
            Q(**{f"{field}__isnull": False}, **{f"{other}__isnull": True for other in fields if other != field})
            for field in fields
        ],
    )
