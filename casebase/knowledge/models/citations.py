"""Citations: a source cited by one case, remedy, dataset or exposure record."""

from django.db import models
from simple_history.models import HistoricalRecords

from .common import exactly_one_of
from .sources import Source

CITING_FIELDS = ("case", "remedy", "dataset", "exposure_entry", "exposure_list")


class Citation(models.Model):
    """A source cited by one case, remedy, dataset or exposure record, with an optional pinpoint."""

    source = models.ForeignKey(
        Source, on_delete=models.PROTECT, related_name="citations", help_text="The document cited."
    )
    pinpoint = models.CharField(max_length=300, blank=True, help_text="Page, paragraph or a short quotation.")
    case = models.ForeignKey("Case", null=True, blank=True, on_delete=models.CASCADE, related_name="citations")
    remedy = models.ForeignKey("Remedy", null=True, blank=True, on_delete=models.CASCADE, related_name="citations")
    dataset = models.ForeignKey("Dataset", null=True, blank=True, on_delete=models.CASCADE, related_name="citations")
    exposure_list = models.ForeignKey(
        "ExposureList", null=True, blank=True, on_delete=models.CASCADE, related_name="citations"
    )
    exposure_entry = models.ForeignKey(
        "ExposureEntry", null=True, blank=True, on_delete=models.CASCADE, related_name="citations"
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(condition=exactly_one_of(CITING_FIELDS), name="citation_exactly_one_owner")
        ]

    def __str__(self):
        return f"{self.source}{' — ' + self.pinpoint if self.pinpoint else ''}"
