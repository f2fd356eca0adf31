"""Authorities and companies."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.db.models.expressions import RawSQL
from django.urls import reverse
from simple_history.models import HistoricalRecords

from .common import PublicationStatus, PublicEntity, PublishedQuerySet, choice_rank


class AuthorityKind(models.TextChoices):
    REGULATOR = "regulator", "Regulator"
    DPA = "dpa", "Data-protection authority"
    COURT = "court", "Court or tribunal"
    ATTORNEY_GENERAL = "attorney_general", "Attorney general or prosecutor"
    ADVISORY = "advisory", "Advisory or coordinating body"


class AuthorityQuerySet(PublishedQuerySet):
    def by_kind(self):
        """Grouped by kind in the order the kinds are declared, then by name."""
        return self.order_by(choice_rank("kind", AuthorityKind), "name")

    def with_case_counts(self):
        """Each with `case_count` (published cases it brought or decided) and `heard_count` (heard as forum)."""
        published = PublicationStatus.PUBLISHED
        return self.annotate(
            case_count=models.Count("cases", filter=Q(cases__status=published), distinct=True),
            heard_count=models.Count("cases_heard", filter=Q(cases_heard__status=published), distinct=True),
        )


class Authority(PublicEntity):
    """Who enforces or decides: a regulator, data-protection authority, prosecutor or court."""

    DEFAULT_VERIFY_EVERY_DAYS = 365

    name = models.CharField(max_length=200, help_text="Full official name.")
    short_name = models.CharField(max_length=40, blank=True, help_text="Common abbreviation, such as FTC or CNIL.")
    kind = models.CharField(max_length=20, choices=AuthorityKind.choices, help_text="What sort of body this is.")
    jurisdiction = models.CharField(
        max_length=10, db_index=True, help_text="ISO 3166 code (US, FR, US-IL) or a region such as EU."
    )
    website = models.URLField(blank=True, help_text="The body's official website.")
    description = models.TextField(blank=True, help_text="What this body does, in a sentence or two (Markdown).")

    objects = AuthorityQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "authorities"

    def __str__(self):
        return self.short_name or self.name

    def get_absolute_url(self):
        return reverse("knowledge:authority_detail", args=[self.slug])


class CompanyQuerySet(PublishedQuerySet):
    def with_subsidiaries(self, company):
        """The company and every company below it in the ownership tree."""
        ids, frontier = {company.pk}, {company.pk}
        while frontier:
            frontier = set(self.model.objects.filter(parent_id__in=frontier).values_list("pk", flat=True)) - ids
            ids |= frontier
        return self.filter(pk__in=ids)

    def in_ownership_tree(self, company):
        """The companies `with_subsidiaries` finds, by one recursive subquery: no query of its own, however deep."""
        table, parent = self.model._meta.db_table, self.model._meta.get_field("parent").column
        below = (
            f'WITH RECURSIVE tree(id) AS (SELECT "id" FROM "{table}" WHERE "id" = %s '
            f'UNION SELECT c."id" FROM "{table}" c INNER JOIN tree ON c."{parent}" = tree.id) SELECT id FROM tree'
        )  # UNION, not UNION ALL: a cycle in bad data ends the walk instead of looping
        return self.filter(pk__in=RawSQL(below, [company.pk]))

    def with_case_counts(self):
        """A list of the companies, each with `case_count`: published cases naming it or a published subsidiary.

        Counts roll up the ownership tree the way `with_subsidiaries` does, in three queries however deep it is.
        """
        from .cases import Party  # cases.py imports this module

        companies = list(self)
        children, published = {}, set()
        for pk, parent_id, status in self.model.objects.values_list("pk", "parent_id", "status"):
            children.setdefault(parent_id, []).append(pk)
            if status == PublicationStatus.PUBLISHED:
                published.add(pk)
        cases = {}
        for company_id, case_id in Party.objects.filter(case__status=PublicationStatus.PUBLISHED).values_list(
            "company_id", "case_id"
        ):
            cases.setdefault(company_id, set()).add(case_id)
        for company in companies:
            ids, frontier, found = {company.pk}, [company.pk], set(cases.get(company.pk, ()))
            while frontier:
                frontier = [child for pk in frontier for child in children.get(pk, ()) if child not in ids]
                ids.update(frontier)
                found.update(case for child in frontier if child in published for case in cases.get(child, ()))
            company.case_count = len(found)
        return companies

    def for_detail(self):
        """Everything the company page shows besides its cases: parent, subsidiaries, data, models, exposure."""
        from .data import Dataset, TrainedModel  # these modules import this one
        from .exposure import ExposureEntry

        published = Dataset.objects.published()
        return self.select_related("parent").prefetch_related(
            models.Prefetch("subsidiaries", queryset=Company.objects.published()),
            models.Prefetch("datasets_collected", queryset=published),
            models.Prefetch("datasets_received", queryset=published.select_related("collected_by")),
            models.Prefetch(
                "trained_models", queryset=TrainedModel.objects.prefetch_related(models.Prefetch("datasets", published))
            ),
            models.Prefetch(
                "exposure_entries",
                queryset=ExposureEntry.objects.filter(exposure_list__status=PublicationStatus.PUBLISHED)
                .select_related("exposure_list")
                .order_by("exposure_list__title"),
            ),
        )


class Company(PublicEntity):
    """A party to cases: respondent, plaintiff, data provider, vendor."""

    DEFAULT_VERIFY_EVERY_DAYS = 182

    name = models.CharField(max_length=200, help_text="The company's name as it is best known.")
    legal_name = models.CharField(max_length=250, blank=True, help_text="Registered legal name, if different.")
    aliases = models.TextField(
        blank=True, help_text="Other names, one per line (trading names, former names); search finds these too."
    )
    country = models.CharField(max_length=2, blank=True, help_text="ISO 3166 country code of its headquarters.")
    website = models.URLField(blank=True, help_text="The company's own website.")
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="subsidiaries",
        help_text="Parent company; its page includes this company's cases.",
    )
    description = models.TextField(blank=True, help_text="What the company does (Markdown).")

    objects = CompanyQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "companies"
        constraints = [
            models.CheckConstraint(condition=~Q(parent=models.F("id")), name="company_not_own_parent"),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("knowledge:company_detail", args=[self.slug])

    @property
    def alias_list(self):
        return [line.strip() for line in self.aliases.splitlines() if line.strip()]

    def clean(self):
        node, seen = self.parent, set()
        while node is not None:
            if node.pk == self.pk or node.pk in seen:
                raise ValidationError({"parent": "A company cannot be its own parent, directly or through others."})
            seen.add(node.pk)
            node = node.parent
