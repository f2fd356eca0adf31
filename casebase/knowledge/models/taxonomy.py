"""Taxonomies researchers filter by: legal bases, remedy types, data modalities."""

from django.db import models
from django.db.models import Q
from django.urls import reverse
from simple_history.models import HistoricalRecords

from .common import PublicationStatus, PublicEntity, PublishedQuerySet, choice_rank


class LegalBasis(models.Model):
    """A statute, rule or article a case relies on (FTC Act §5, COPPA, GDPR Art. 6, BIPA)."""

    slug = models.SlugField(max_length=80, unique=True, help_text="Stable identifier used in filters.")
    name = models.CharField(max_length=200, help_text="Short name, such as 'GDPR Art. 9' or 'COPPA Rule'.")
    jurisdiction = models.CharField(max_length=10, blank=True, help_text="Where the law applies (ISO code or EU).")
    description = models.TextField(blank=True, help_text="What the provision covers.")

    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "legal bases"

    def __str__(self):
        return self.name


class RemedyCategory(models.TextChoices):
    DATA_AND_MODELS = "data_models", "Data and models"
    MONETARY = "monetary", "Money"
    CONDUCT = "conduct", "Conduct"
    TRANSPARENCY = "transparency", "Notice and consent"
    OVERSIGHT = "oversight", "Oversight and compliance"


class RemedyOrigin(models.TextChoices):
    ORDERED = "ordered", "Ordered"
    AGREED = "agreed", "Agreed in settlement"
    PROPOSED = "proposed", "Proposed"
    VOLUNTARY = "voluntary", "Voluntary (not ordered)"
    SOUGHT = "sought", "Sought by a plaintiff"

    @classmethod
    def imposed(cls):
        """Origins that bind the company: an order, or terms it agreed to in a settlement."""
        return [cls.ORDERED, cls.AGREED]

    @property
    def is_imposed(self):
        return self in self.imposed()


class RemedyTypeQuerySet(PublishedQuerySet):
    def by_category(self):
        """Grouped by category in the order the categories are declared, then in taxonomy order."""
        return self.order_by(choice_rank("category", RemedyCategory), "sort_order", "name")

    def with_case_counts(self):
        """Each with `case_count` (published cases with it, any origin) and `imposed_count` (ordered or agreed)."""
        published = Q(remedies__case__status=PublicationStatus.PUBLISHED)
        return self.annotate(
            case_count=models.Count("remedies__case", filter=published, distinct=True),
            imposed_count=models.Count(
                "remedies__case", filter=published & Q(remedies__origin__in=RemedyOrigin.imposed()), distinct=True
            ),
        )


class RemedyType(PublicEntity):
    """A kind of remedy researchers filter by: model deletion, data deletion, civil penalty…"""

    DEFAULT_VERIFY_EVERY_DAYS = 365

    name = models.CharField(max_length=120, help_text="Name of the remedy type.")
    category = models.CharField(max_length=20, choices=RemedyCategory.choices, help_text="Broad family of the remedy.")
    definition = models.TextField(help_text="What counts as this remedy (Markdown).")
    sort_order = models.PositiveSmallIntegerField(default=100, help_text="Position in lists; lower first.")

    objects = RemedyTypeQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["sort_order", "name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("knowledge:remedytype_detail", args=[self.slug])


class Modality(models.TextChoices):
    FACE_IMAGES = "face_images", "Face images"
    IMAGES = "images", "Images"
    VOICE = "voice", "Voice and audio"
    VIDEO = "video", "Video"
    TEXT = "text", "Text"
    BOOKS = "books", "Books"
    LOCATION = "location", "Location"
    BROWSING = "browsing", "Browsing history"
    HEALTH = "health", "Health and body data"
    BIOMETRIC = "biometric", "Biometric templates"
    PROFILE = "profile", "Profile and social data"
    MESSAGES = "messages", "Private messages"
    OTHER = "other", "Other"
