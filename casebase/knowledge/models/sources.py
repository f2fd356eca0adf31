"""Sources: the documents every fact is cited from."""

from django.db import models
from simple_history.models import HistoricalRecords

from .common import DatePrecision, choice_rank, format_precise, normalise_precise, precise_date_constraints


class SourceKind(models.TextChoices):
    PRIMARY = "primary", "Primary document"
    PRESS_RELEASE = "press_release", "Government or court release"
    NEWS = "news", "News"
    ANALYSIS = "analysis", "Commentary"


class SourceQuerySet(models.QuerySet):
    def by_kind(self):
        """Primary documents first, then releases, news and analysis."""
        return self.order_by(choice_rank("kind", SourceKind), "title")


class Source(models.Model):
    """A citable document."""

    title = models.CharField(max_length=400, help_text="Title of the document as published.")
    publisher = models.CharField(
        max_length=200,
        blank=True,
        help_text="Whose document it is: the regulator, court, newspaper or firm that issued it.",
    )
    url = models.URLField(max_length=600, unique=True, help_text="Where the document was read.")
    hosted_by = models.CharField(
        max_length=200,
        blank=True,
        help_text="The site holding this copy when it is not the publisher's own (a docket service, a "
        "mirror, a firm reprinting an order); empty when the link is the publisher's own page.",
    )
    published_on = models.DateField(null=True, blank=True, help_text="Publication date of the document.")
    published_on_precision = models.CharField(
        max_length=5,
        choices=DatePrecision.choices,
        blank=True,
        help_text="How precisely the publication date is known.",
    )
    kind = models.CharField(
        max_length=20, choices=SourceKind.choices, default=SourceKind.NEWS, help_text="What sort of document this is."
    )
    archived_url = models.URLField(
        max_length=600, blank=True, help_text="A copy in a web archive, in case the original moves."
    )
    note = models.TextField(blank=True, help_text="What this source is good for, or where it is weak.")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = SourceQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["title"]
        constraints = precise_date_constraints("source", "published_on", "published_on_precision")

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        normalise_precise(self, "published_on", "published_on_precision")
        super().save(*args, **kwargs)

    @property
    def published_on_display(self):
        return format_precise(self.published_on, self.published_on_precision)

    @property
    def is_primary(self):
        return self.kind == SourceKind.PRIMARY

    @property
    def is_copy(self):
        """Whether the link is a copy hosted by someone other than the publisher."""
        return bool(self.hosted_by)
