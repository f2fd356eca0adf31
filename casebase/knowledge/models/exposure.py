"""Exposure lists: companies facing the risk a precedent creates."""

from django.db import models
from django.db.models import Q
from django.urls import reverse
from simple_history.models import HistoricalRecords

from .cases import Case
from .citations import Citation
from .common import PublicationStatus, PublicEntity, PublishedQuerySet, choice_rank
from .parties import Company
from .sources import SourceKind


class ExposureListQuerySet(PublishedQuerySet):
    def for_list(self):
        """Each with `entry_count` (entries on published companies), `last_reviewed` and its published precedents."""
        visible = Q(entries__company__status=PublicationStatus.PUBLISHED)
        return self.annotate(
            entry_count=models.Count("entries", filter=visible, distinct=True),
            entries_last_reviewed=models.Max("entries__last_reviewed", filter=visible),
        ).prefetch_related(models.Prefetch("precedents", queryset=Case.objects.published().oldest_first()))

    def for_detail(self):
        """Everything the list's page shows: precedents, entries with their pending cases and sources, sources."""
        published_cases = Case.objects.published()
        citations = Citation.objects.select_related("source").order_by(choice_rank("source__kind", SourceKind), "pk")
        return self.prefetch_related(
            models.Prefetch("precedents", queryset=published_cases.select_related("authority", "forum").oldest_first()),
            models.Prefetch(
                "entries",
                queryset=ExposureEntry.objects.filter(company__status=PublicationStatus.PUBLISHED)
                .select_related("company")
                .prefetch_related(
                    models.Prefetch("related_cases", queryset=published_cases.latest_first()),
                    models.Prefetch("citations", queryset=citations),
                )
                .order_by("company__name"),
            ),
            models.Prefetch("citations", queryset=citations),
        )


class ExposureList(PublicEntity):
    """A curated list of companies facing the risk a precedent creates."""

    DEFAULT_VERIFY_EVERY_DAYS = 60

    title = models.CharField(max_length=200, help_text="The risk, in a few words.")
    summary = models.TextField(help_text="What the exposure is and why it exists (Markdown).")
    criteria = models.TextField(help_text="What puts a company on this list (Markdown).")
    precedents = models.ManyToManyField(
        Case, blank=True, related_name="exposure_lists", help_text="Cases the risk rests on."
    )

    objects = ExposureListQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["title"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("knowledge:exposurelist_detail", args=[self.slug])


class ExposureLevel(models.TextChoices):
    LOW = "low", "Low"
    MEDIUM = "medium", "Medium"
    HIGH = "high", "High"


class ExposureEntryStatus(models.TextChoices):
    POTENTIAL = "potential", "Potential exposure"
    ALLEGED = "alleged", "Alleged in a pending case"
    RESOLVED = "resolved", "Resolved"


class ExposureEntry(models.Model):
    """One company on an exposure list. Alleged or potential, never a verdict."""

    exposure_list = models.ForeignKey(ExposureList, on_delete=models.CASCADE, related_name="entries")
    company = models.ForeignKey(
        Company, on_delete=models.PROTECT, related_name="exposure_entries", help_text="The company."
    )
    segment = models.CharField(max_length=120, help_text="Its line of business here, such as 'image generation'.")
    rationale = models.TextField(help_text="Why it may face the same exposure, with the allegation's source.")
    level = models.CharField(
        max_length=6, choices=ExposureLevel.choices, help_text="Our editorial estimate of the exposure."
    )
    status = models.CharField(
        max_length=10,
        choices=ExposureEntryStatus.choices,
        default=ExposureEntryStatus.POTENTIAL,
        help_text="Where it stands.",
    )
    related_cases = models.ManyToManyField(
        Case, blank=True, related_name="exposure_entries", help_text="Pending cases that raise the allegation."
    )
    last_reviewed = models.DateField(null=True, blank=True, help_text="When an editor last reviewed this entry.")

    history = HistoricalRecords()

    class Meta:
        ordering = ["exposure_list", "company__name"]
        verbose_name_plural = "exposure entries"
        constraints = [models.UniqueConstraint(fields=["exposure_list", "company"], name="exposure_entry_unique")]

    def __str__(self):
        return f"{self.company} on {self.exposure_list}"
