"""Datasets and the models trained on them."""

from django.db import models
from django.db.models import Q
from django.urls import reverse
from simple_history.models import HistoricalRecords

from .citations import Citation
from .common import (
    DatePrecision,
    PublicationStatus,
    PublicEntity,
    PublishedQuerySet,
    choice_rank,
    dates_in_order,
    format_precise,
    normalise_precise,
    precise_date_constraints,
)
from .parties import Company
from .sources import SourceKind
from .taxonomy import Modality


class DatasetQuerySet(PublishedQuerySet):
    def for_list(self):
        """Each with its collector and `case_count`, the published cases it is at the heart of."""
        return self.select_related("collected_by").annotate(
            case_count=models.Count("cases", filter=Q(cases__status=PublicationStatus.PUBLISHED), distinct=True)
        )

    def for_detail(self):
        """Everything the dataset page shows: recipients, models, the remedies that reached it, cases, sources."""
        from .cases import Case, Remedy  # cases.py imports this module

        return self.select_related("collected_by").prefetch_related(
            models.Prefetch("received_by", queryset=Company.objects.published()),
            models.Prefetch("trained_models", queryset=TrainedModel.objects.select_related("developer")),
            models.Prefetch(
                "remedies",
                queryset=Remedy.objects.published()
                .select_related("remedy_type", "case__authority", "case__forum")
                .key_date_ordered(),
            ),
            models.Prefetch(
                "cases", queryset=Case.objects.published().select_related("authority", "forum").key_date_ordered()
            ),
            models.Prefetch(
                "citations",
                queryset=Citation.objects.select_related("source").order_by(
                    choice_rank("source__kind", SourceKind), "pk"
                ),
            ),
        )


class Dataset(PublicEntity):
    """The data at the heart of a case, with what the people in it were told and what it was used for."""

    DEFAULT_VERIFY_EVERY_DAYS = 182

    name = models.CharField(max_length=200, help_text="A descriptive name for the data.")
    modality = models.CharField(
        max_length=20, choices=Modality.choices, db_index=True, help_text="What kind of data it is."
    )
    description = models.TextField(blank=True, help_text="What the data is and how it came together (Markdown).")
    size_value = models.DecimalField(
        max_digits=20, decimal_places=2, null=True, blank=True, help_text="How much data, as a number."
    )
    size_unit = models.CharField(max_length=60, blank=True, help_text="Unit of the size: photos, users, petabytes…")
    size_is_approximate = models.BooleanField(default=True, help_text="Whether the size is an estimate.")
    size_note = models.CharField(
        max_length=300, blank=True, help_text="The size as the sources put it, if a number cannot."
    )
    collected_by = models.ForeignKey(
        Company,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="datasets_collected",
        help_text="The company that collected the data.",
    )
    collected_from = models.TextField(blank=True, help_text="Whose data it is and how it was gathered.")
    received_by = models.ManyToManyField(
        Company, blank=True, related_name="datasets_received", help_text="Companies the data was passed to."
    )
    collection_start = models.DateField(null=True, blank=True, help_text="When collection began.")
    collection_start_precision = models.CharField(max_length=5, choices=DatePrecision.choices, blank=True)
    collection_end = models.DateField(null=True, blank=True, help_text="When collection ended.")
    collection_end_precision = models.CharField(max_length=5, choices=DatePrecision.choices, blank=True)
    consent_terms = models.TextField(help_text="What the people in the data were told or agreed to.")
    actual_use = models.TextField(help_text="What the data was actually used for.")

    objects = DatasetQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(size_value__isnull=True) | Q(size_value__gte=0), name="dataset_size_non_negative"
            ),
            *precise_date_constraints("dataset", "collection_start", "collection_start_precision"),
            *precise_date_constraints("dataset", "collection_end", "collection_end_precision"),
            dates_in_order("dataset_collection_period_order", "collection_start", "collection_end"),
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        normalise_precise(self, "collection_start", "collection_start_precision")
        normalise_precise(self, "collection_end", "collection_end_precision")
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("knowledge:dataset_detail", args=[self.slug])

    @property
    def size_display(self):
        """'~3,000,000 photos', or the sources' wording when there is no single number."""
        if self.size_value is None:
            return self.size_note
        number = f"{self.size_value:,.2f}".rstrip("0").rstrip(".")
        return f"{'~' if self.size_is_approximate else ''}{number} {self.size_unit}".strip()

    @property
    def collection_period_display(self):
        start = format_precise(self.collection_start, self.collection_start_precision)
        end = format_precise(self.collection_end, self.collection_end_precision)
        if start and end:
            return f"{start} – {end}"
        return start or end


class TrainedModelStatus(models.TextChoices):
    IN_USE = "in_use", "In use"
    ORDERED_DELETED = "ordered_deleted", "Ordered deleted"
    DELETED = "deleted", "Deleted (reported)"
    DELETION_CERTIFIED = "deletion_certified", "Deletion certified"
    RETRAINED = "retrained", "Retrained"
    UNKNOWN = "unknown", "Unknown"


class TrainedModel(models.Model):
    """A model or algorithm built on a dataset."""

    name = models.CharField(max_length=200, help_text="Name of the model, or a description where it has none.")
    slug = models.SlugField(max_length=120, unique=True, help_text="Stable identifier.")
    developer = models.ForeignKey(
        Company,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="trained_models",
        help_text="Who built it.",
    )
    purpose = models.TextField(blank=True, help_text="What the model does or was sold for.")
    datasets = models.ManyToManyField(
        Dataset, blank=True, related_name="trained_models", help_text="Data it was trained on."
    )
    status = models.CharField(
        max_length=20,
        choices=TrainedModelStatus.choices,
        default=TrainedModelStatus.UNKNOWN,
        help_text="What became of it.",
    )
    status_note = models.TextField(blank=True, help_text="Who says so, and when.")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name
