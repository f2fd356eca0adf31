"""The search index (kept current by signals.py; queried through search.py)."""

from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.urls import reverse


class SearchKind(models.TextChoices):
    CASE = "case", "Case"
    COMPANY = "company", "Company"
    DATASET = "dataset", "Dataset"
    EXPOSURE_LIST = "exposure_list", "Exposure list"

    @property
    def plural(self):
        return {"case": "Cases", "company": "Companies", "dataset": "Datasets", "exposure_list": "Exposure lists"}[
            self.value
        ]

    @property
    def url_name(self):
        return {
            "case": "knowledge:case_detail",
            "company": "knowledge:company_detail",
            "dataset": "knowledge:dataset_detail",
            "exposure_list": "knowledge:exposurelist_detail",
        }[self.value]


class SearchEntry(models.Model):
    """One published record as search sees it: the text of its page in four weighted fields.

    Only published records have an entry. On SQLite an FTS5 table (created by the migration) indexes
    title, names, summary and body through triggers; on PostgreSQL `vector` holds the weighted tsvector.
    """

    kind = models.CharField(max_length=16, choices=SearchKind.choices, help_text="What sort of page this is.")
    object_id = models.PositiveBigIntegerField(help_text="Primary key of the record in its own table.")
    slug = models.SlugField(max_length=120, db_index=False, help_text="The record's slug, for its page address.")
    title = models.CharField(max_length=300, help_text="Title or name; the heaviest field.")
    detail = models.CharField(max_length=300, blank=True, help_text="One line shown under the title; not searched.")
    names = models.TextField(blank=True, help_text="Other names: aliases, legal names, parties, authorities.")
    summary = models.TextField(blank=True, help_text="Summary and significance, as plain text.")
    body = models.TextField(blank=True, help_text="Everything else on the page worth finding, as plain text.")
    vector = SearchVectorField(null=True, editable=False, help_text="Weighted tsvector (PostgreSQL only).")

    class Meta:
        verbose_name_plural = "search entries"
        constraints = [models.UniqueConstraint(fields=["kind", "object_id"], name="search_entry_unique")]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.title}"

    def get_absolute_url(self):
        return reverse(SearchKind(self.kind).url_name, args=[self.slug])
