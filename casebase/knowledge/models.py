"""The knowledge base: authorities, companies, cases, remedies, datasets, models, exposure, sources."""

import datetime
from functools import reduce
from operator import or_

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.db.models.functions import Coalesce, Lower
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

# ---------------------------------------------------------------------------
# Shared pieces
# ---------------------------------------------------------------------------


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


# ---------------------------------------------------------------------------
# Sources
# ---------------------------------------------------------------------------


class SourceKind(models.TextChoices):
    PRIMARY = "primary", "Primary legal document"
    PRESS_RELEASE = "press_release", "Regulator or court press release"
    NEWS = "news", "News report"
    ANALYSIS = "analysis", "Analysis or commentary"


def choice_rank(field, choices):
    """An ordering expression that sorts a choice field in the order its choices are declared."""
    return models.Case(
        *[models.When(**{field: value, "then": rank}) for rank, value in enumerate(choices.values)],
        default=len(choices.values),
    )


class SourceQuerySet(models.QuerySet):
    def by_kind(self):
        """Primary documents first, then releases, news and analysis."""
        return self.order_by(choice_rank("kind", SourceKind), "title")


class Source(models.Model):
    """A citable document."""

    title = models.CharField(max_length=400, help_text="Title of the document as published.")
    publisher = models.CharField(
        max_length=200, blank=True, help_text="Who published it: a regulator, court, newspaper or firm."
    )
    url = models.URLField(max_length=600, unique=True, help_text="Where the document was read.")
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


# ---------------------------------------------------------------------------
# Authorities and companies
# ---------------------------------------------------------------------------


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

    def with_case_counts(self):
        """A list of the companies, each with `case_count`: published cases naming it or a published subsidiary.

        Counts roll up the ownership tree the way `with_subsidiaries` does, in three queries however deep it is.
        """
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


# ---------------------------------------------------------------------------
# Taxonomies
# ---------------------------------------------------------------------------


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


# ---------------------------------------------------------------------------
# Datasets and trained models
# ---------------------------------------------------------------------------


class DatasetQuerySet(PublishedQuerySet):
    def for_list(self):
        """Each with its collector and `case_count`, the published cases it is at the heart of."""
        return self.select_related("collected_by").annotate(
            case_count=models.Count("cases", filter=Q(cases__status=PublicationStatus.PUBLISHED), distinct=True)
        )

    def for_detail(self):
        """Everything the dataset page shows: recipients, models, the remedies that reached it, cases, sources."""
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
            models.CheckConstraint(
                condition=Q(collection_start__isnull=True)
                | Q(collection_end__isnull=True)
                | Q(collection_end__gte=models.F("collection_start")),
                name="dataset_collection_period_order",
            ),
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


# ---------------------------------------------------------------------------
# Cases
# ---------------------------------------------------------------------------


class CaseKind(models.TextChoices):
    ADMINISTRATIVE_ORDER = "administrative_order", "Administrative order"
    FEDERAL_COURT_ACTION = "federal_court_action", "Government court action"
    DPA_DECISION = "dpa_decision", "Data-protection authority decision"
    PRIVATE_ACTION = "private_action", "Private or class action"
    VOLUNTARY_COMMITMENT = "voluntary_commitment", "Voluntary commitment"


class CaseStatus(models.TextChoices):
    INVESTIGATION = "investigation", "Investigation"
    COMPLAINT_FILED = "complaint_filed", "Complaint filed"
    PROPOSED_ORDER = "proposed_order", "Proposed order"
    FINAL_ORDER = "final_order", "Final order"
    ON_APPEAL = "on_appeal", "On appeal"
    ANNULLED = "annulled", "Annulled or overturned"
    VACATED = "vacated", "Vacated or set aside"
    DISMISSED = "dismissed", "Dismissed"
    SETTLED = "settled", "Settled"
    PENDING_TRIAL = "pending_trial", "Pending trial"
    CLOSED = "closed", "Closed"

    @property
    def is_open(self):
        return self in {
            CaseStatus.INVESTIGATION,
            CaseStatus.COMPLAINT_FILED,
            CaseStatus.PROPOSED_ORDER,
            CaseStatus.ON_APPEAL,
            CaseStatus.PENDING_TRIAL,
        }


class CaseQuerySet(PublishedQuerySet):
    def for_list(self):
        """Everything a case list row shows, in a fixed number of queries."""
        return self.select_related("authority", "forum").prefetch_related(
            models.Prefetch(
                "remedies",
                queryset=Remedy.objects.filter(remedy_type__status=PublicationStatus.PUBLISHED).select_related(
                    "remedy_type"
                ),
            ),
            models.Prefetch("parties", queryset=Party.objects.select_related("company")),
        )

    def for_detail(self):
        """Everything the case page shows, in a fixed number of queries."""
        published_cases = Case.objects.published().select_related("authority")
        return self.select_related("authority", "forum").prefetch_related(
            "legal_bases",
            models.Prefetch(
                "parties",
                queryset=Party.objects.select_related("company").order_by(
                    choice_rank("role", PartyRole), "company__name"
                ),
            ),
            models.Prefetch(
                "remedies",
                queryset=Remedy.objects.select_related("remedy_type")
                .prefetch_related(
                    models.Prefetch("covers_datasets", queryset=Dataset.objects.published()),
                    "covers_models",
                    models.Prefetch("citations", queryset=Citation.objects.select_related("source")),
                )
                .order_by("remedy_type__sort_order", "pk"),
            ),
            models.Prefetch(
                "datasets",
                queryset=Dataset.objects.published()
                .select_related("collected_by")
                .prefetch_related("received_by", "trained_models__developer"),
            ),
            models.Prefetch("timeline", queryset=TimelineEvent.objects.select_related("source")),
            models.Prefetch(
                "relations_out",
                queryset=CaseRelation.objects.filter(to_case__in=published_cases).select_related("to_case"),
            ),
            models.Prefetch(
                "relations_in",
                queryset=CaseRelation.objects.filter(from_case__in=published_cases).select_related("from_case"),
            ),
            models.Prefetch(
                "citations",
                queryset=Citation.objects.select_related("source").order_by(
                    choice_rank("source__kind", SourceKind), "pk"
                ),
            ),
        )

    def key_date_ordered(self):
        return self.order_by(
            models.F("decided_on").desc(nulls_last=True), models.F("started_on").desc(nulls_last=True), "title"
        )

    def latest_first(self):
        """Newest key date first (decided, else started), so pending cases sit among decided ones."""
        return self.order_by(Coalesce("decided_on", "started_on").desc(nulls_last=True), "title", "pk")

    def oldest_first(self):
        """Oldest key date first: the order a precedent line grew in."""
        return self.order_by(Coalesce("decided_on", "started_on").asc(nulls_last=True), "title", "pk")

    def in_years(self, year_from=None, year_to=None):
        """Cases whose key date (decided, else started) falls in these years, both inclusive; undated ones drop out."""
        cases = self
        if year_from:
            start = datetime.date(year_from, 1, 1)
            cases = cases.filter(Q(decided_on__gte=start) | Q(decided_on__isnull=True, started_on__gte=start))
        if year_to:
            end = datetime.date(year_to + 1, 1, 1)
            cases = cases.filter(Q(decided_on__lt=end) | Q(decided_on__isnull=True, started_on__lt=end))
        return cases

    def largest_penalty_first(self):
        """Largest civil penalty in US dollars first (`largest_penalty_usd`); cases without one last, newest first."""
        penalties = (
            Remedy.objects.published()
            .filter(case=models.OuterRef("pk"), remedy_type__slug="civil-penalty", amount_usd__isnull=False)
            .order_by("-amount_usd")
            .values("amount_usd")[:1]
        )
        return self.annotate(largest_penalty_usd=models.Subquery(penalties)).order_by(
            models.F("largest_penalty_usd").desc(nulls_last=True),
            Coalesce("decided_on", "started_on").desc(nulls_last=True),
            "title",
            "pk",
        )

    def sorted_by(self, key):
        """The list orders readers choose: newest, oldest, penalty, title, or relevance (needs `search_rank`)."""
        if key == "oldest":
            return self.oldest_first()
        if key == "penalty":
            return self.largest_penalty_first()
        if key == "title":
            return self.order_by(Lower("title"), "pk")
        if key == "relevance":
            return self.order_by(
                models.F("search_rank").desc(nulls_last=True),
                Coalesce("decided_on", "started_on").desc(nulls_last=True),
                "pk",
            )
        return self.latest_first()

    def imposing(self, remedy_type_slug):
        """Cases in which a remedy of this (published) type was ordered or agreed."""
        return self.filter(
            pk__in=Remedy.objects.published()
            .filter(remedy_type__slug=remedy_type_slug, origin__in=RemedyOrigin.imposed())
            .values("case_id")
        )

    def involving(self, companies):
        """Cases naming any of `companies`, each with `company_parties`: the parties among them, for their roles."""
        return self.filter(pk__in=Party.objects.filter(company__in=companies).values("case_id")).prefetch_related(
            models.Prefetch(
                "parties",
                queryset=Party.objects.filter(company__in=companies)
                .select_related("company")
                .order_by(choice_rank("role", PartyRole), "company__name"),
                to_attr="company_parties",
            )
        )


class Case(PublicEntity):
    """One enforcement action or lawsuit."""

    DEFAULT_VERIFY_EVERY_DAYS = 90

    title = models.CharField(max_length=300, help_text="The case name as courts or the authority style it.")
    short_title = models.CharField(max_length=120, blank=True, help_text="A short name for lists, such as 'Everalbum'.")
    kind = models.CharField(
        max_length=24, choices=CaseKind.choices, db_index=True, help_text="What sort of proceeding this is."
    )
    case_status = models.CharField(
        max_length=20, choices=CaseStatus.choices, db_index=True, help_text="Where the proceeding stands now."
    )
    authority = models.ForeignKey(
        Authority,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="cases",
        help_text="Who brought or decided the action; empty for private suits.",
    )
    forum = models.ForeignKey(
        Authority,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="cases_heard",
        help_text="The court or tribunal, where the case is in one.",
    )
    jurisdiction = models.CharField(
        max_length=10, db_index=True, help_text="ISO 3166 code (US, FR, US-IL) or a region such as EU."
    )
    docket_numbers = models.TextField(blank=True, help_text="Docket, file or decision numbers, one per line.")
    started_on = models.DateField(
        null=True, blank=True, help_text="When the action began: complaint, opening or first decision."
    )
    started_on_precision = models.CharField(max_length=5, choices=DatePrecision.choices, blank=True)
    decided_on = models.DateField(
        null=True, blank=True, help_text="When the order, decision or settlement was made final."
    )
    decided_on_precision = models.CharField(max_length=5, choices=DatePrecision.choices, blank=True)
    summary = models.TextField(help_text="Two or three sentences: who, what, and what was ordered.")
    body = models.TextField(blank=True, help_text="The full account (Markdown).")
    significance = models.CharField(max_length=300, blank=True, help_text="Why this case matters, in one line.")
    legal_bases = models.ManyToManyField(
        LegalBasis, blank=True, related_name="cases", help_text="Laws the case relies on."
    )
    open_questions = models.TextField(
        blank=True, help_text="What the sources leave open or do not confirm yet (Markdown)."
    )
    datasets = models.ManyToManyField(
        Dataset, blank=True, related_name="cases", help_text="Data at the heart of the case."
    )

    objects = CaseQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["-decided_on", "-started_on", "title"]
        constraints = [
            *precise_date_constraints("case", "started_on", "started_on_precision"),
            *precise_date_constraints("case", "decided_on", "decided_on_precision"),
            models.CheckConstraint(
                condition=Q(started_on__isnull=True)
                | Q(decided_on__isnull=True)
                | Q(decided_on__gte=models.F("started_on")),
                name="case_decided_after_started",
            ),
        ]

    def __str__(self):
        return self.short_title or self.title

    def save(self, *args, **kwargs):
        normalise_precise(self, "started_on", "started_on_precision")
        normalise_precise(self, "decided_on", "decided_on_precision")
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("knowledge:case_detail", args=[self.slug])

    def default_verify_days(self):
        """Open cases every 90 days, closed ones once a year."""
        return 90 if CaseStatus(self.case_status).is_open else 365

    @property
    def docket_list(self):
        return [line.strip() for line in self.docket_numbers.splitlines() if line.strip()]

    @property
    def started_on_display(self):
        return format_precise(self.started_on, self.started_on_precision)

    @property
    def decided_on_display(self):
        return format_precise(self.decided_on, self.decided_on_precision)

    @property
    def key_date(self):
        return self.decided_on or self.started_on

    @property
    def year(self):
        return self.key_date.year if self.key_date else None


class PartyRole(models.TextChoices):
    RESPONDENT = "respondent", "Respondent or defendant"
    PLAINTIFF = "plaintiff", "Plaintiff or complainant"
    DATA_PROVIDER = "data_provider", "Data provider"
    DATA_RECIPIENT = "data_recipient", "Data recipient"
    VENDOR = "vendor", "Vendor"
    RELATED = "related", "Related (named, not charged)"


class Party(models.Model):
    """A company on a case, with its role."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="parties")
    company = models.ForeignKey(Company, on_delete=models.PROTECT, related_name="parties", help_text="The company.")
    role = models.CharField(max_length=20, choices=PartyRole.choices, help_text="Its part in the case.")
    note = models.CharField(max_length=300, blank=True, help_text="Anything the role alone does not say.")

    history = HistoricalRecords()

    class Meta:
        ordering = ["role", "pk"]
        verbose_name_plural = "parties"
        constraints = [models.UniqueConstraint(fields=["case", "company", "role"], name="party_unique_role")]

    def __str__(self):
        return f"{self.company} ({self.get_role_display()})"


class TimelineEvent(models.Model):
    """A dated step in a case."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="timeline")
    date = models.DateField(help_text="When it happened.")
    date_precision = models.CharField(
        max_length=5,
        choices=DatePrecision.choices,
        default=DatePrecision.DAY,
        help_text="How precisely the date is known.",
    )
    title = models.CharField(max_length=200, help_text="What happened, in a few words.")
    description = models.TextField(blank=True, help_text="More detail (Markdown).")
    source = models.ForeignKey(
        Source,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Where this is documented.",
    )
    needs_verification = models.BooleanField(
        default=False, help_text="Shown with a 'not yet confirmed' mark until checked against a primary source."
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["date", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(date_precision__in=DatePrecision.values), name="timeline_date_precision"
            ),
        ]

    def __str__(self):
        return f"{self.date_display}: {self.title}"

    def save(self, *args, **kwargs):
        normalise_precise(self, "date", "date_precision")
        super().save(*args, **kwargs)

    @property
    def date_display(self):
        return format_precise(self.date, self.date_precision)


class RelationKind(models.TextChoices):
    APPEAL_OF = "appeal_of", "Appeal of"
    PARALLEL = "parallel", "Parallel proceeding"
    FOLLOWS = "follows", "Follows precedent of"
    CITES = "cites", "Cites"
    RELATED = "related", "Related"

    @property
    def inverse_label(self):
        """How the relation reads from the other case's page."""
        return {
            RelationKind.APPEAL_OF: "Appealed in",
            RelationKind.PARALLEL: "Parallel proceeding",
            RelationKind.FOLLOWS: "Precedent for",
            RelationKind.CITES: "Cited by",
            RelationKind.RELATED: "Related",
        }[self]


class CaseRelation(models.Model):
    """A link between two cases, shown on both pages."""

    from_case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="relations_out")
    to_case = models.ForeignKey(
        Case, on_delete=models.CASCADE, related_name="relations_in", help_text="The other case."
    )
    kind = models.CharField(max_length=12, choices=RelationKind.choices, help_text="How the cases relate.")
    note = models.CharField(max_length=300, blank=True, help_text="One line on the link.")

    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["from_case", "to_case", "kind"], name="case_relation_unique"),
            models.CheckConstraint(condition=~Q(from_case=models.F("to_case")), name="case_relation_not_self"),
        ]

    def __str__(self):
        return f"{self.from_case} — {self.get_kind_display()} — {self.to_case}"

    @property
    def inverse_label(self):
        return RelationKind(self.kind).inverse_label


# ---------------------------------------------------------------------------
# Remedies
# ---------------------------------------------------------------------------


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


class RemedyStatus(models.TextChoices):
    PROPOSED = "proposed", "Proposed"
    IN_FORCE = "in_force", "In force"
    COMPLIED = "complied", "Complied or certified"
    SUSPENDED = "suspended", "Suspended"
    ANNULLED = "annulled", "Annulled or set aside"
    SOUGHT = "sought", "Sought, not granted"
    EXPIRED = "expired", "Expired or lifted"


class RemedyQuerySet(models.QuerySet):
    def published(self):
        """Remedies readers may see: of a published type, in a published case."""
        return self.filter(case__status=PublicationStatus.PUBLISHED, remedy_type__status=PublicationStatus.PUBLISHED)

    def key_date_ordered(self):
        """Oldest case first by its key date (decided, else started): the lineage order."""
        return self.order_by(
            Coalesce("case__decided_on", "case__started_on").asc(nulls_last=True), "case__title", "case_id", "pk"
        )

    def for_lineage(self):
        """Everything a remedy type's lineage shows for each remedy: its case, the data it reached, sources."""
        return self.select_related("case__authority", "case__forum").prefetch_related(
            models.Prefetch("covers_datasets", queryset=Dataset.objects.published()),
            models.Prefetch("citations", queryset=Citation.objects.select_related("source")),
        )


class Remedy(models.Model):
    """One remedy in one case."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="remedies")
    remedy_type = models.ForeignKey(
        RemedyType, on_delete=models.PROTECT, related_name="remedies", help_text="Which kind of remedy this is."
    )
    summary = models.TextField(help_text="What the remedy requires, in plain words.")
    quoted_text = models.TextField(blank=True, help_text="The order's own words, where a source quotes them.")
    origin = models.CharField(max_length=10, choices=RemedyOrigin.choices, help_text="How the remedy came about.")
    status = models.CharField(max_length=10, choices=RemedyStatus.choices, help_text="Where the remedy stands now.")
    amount = models.DecimalField(
        max_digits=16, decimal_places=2, null=True, blank=True, help_text="Money amount in the original currency."
    )
    currency = models.CharField(max_length=3, blank=True, help_text="ISO 4217 code of the amount (USD, EUR, GBP, KRW).")
    amount_usd = models.DecimalField(
        max_digits=16, decimal_places=2, null=True, blank=True, help_text="The amount in US dollars, for comparison."
    )
    duration_months = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="How long the remedy lasts, in months; empty if permanent or not stated."
    )
    is_permanent = models.BooleanField(default=False, help_text="Whether the remedy has no end date.")
    deadline = models.DateField(null=True, blank=True, help_text="When it must be done by, if the order says.")
    covers_datasets = models.ManyToManyField(
        Dataset, blank=True, related_name="remedies", help_text="Data the remedy reaches."
    )
    covers_models = models.ManyToManyField(
        TrainedModel, blank=True, related_name="remedies", help_text="Models or algorithms the remedy reaches."
    )
    reaches_third_parties = models.BooleanField(
        default=False, help_text="Whether it binds or must be passed on to vendors or other third parties."
    )
    third_party_note = models.CharField(max_length=300, blank=True, help_text="Who else it reaches, and how.")
    needs_verification = models.BooleanField(
        default=False, help_text="Shown with a 'not yet confirmed' mark until checked against a primary source."
    )

    objects = RemedyQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["remedy_type__sort_order", "pk"]
        verbose_name_plural = "remedies"
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__isnull=True) | Q(amount__gte=0), name="remedy_amount_non_negative"
            ),
            models.CheckConstraint(
                condition=Q(amount_usd__isnull=True) | Q(amount_usd__gte=0), name="remedy_amount_usd_non_negative"
            ),
            models.CheckConstraint(
                condition=Q(amount__isnull=True) | ~Q(currency=""), name="remedy_amount_has_currency"
            ),
            models.CheckConstraint(
                condition=~(Q(is_permanent=True) & Q(duration_months__isnull=False)),
                name="remedy_permanent_or_duration",
            ),
        ]

    def __str__(self):
        return f"{self.remedy_type} — {self.case}"

    @property
    def duration_display(self):
        if self.is_permanent:
            return "Permanent"
        if not self.duration_months:
            return ""
        if self.duration_months % 12 == 0:
            years = self.duration_months // 12
            return f"{years} year{'s' if years != 1 else ''}"
        return f"{self.duration_months} months"


# ---------------------------------------------------------------------------
# Exposure
# ---------------------------------------------------------------------------


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


# ---------------------------------------------------------------------------
# Citations
# ---------------------------------------------------------------------------

CITING_FIELDS = ("case", "remedy", "dataset", "exposure_entry", "exposure_list")


def exactly_one_of(fields):
    """A condition that exactly one of the nullable foreign keys is set."""
    return reduce(
        or_,
        [
            Q(**{f"{field}__isnull": False}, **{f"{other}__isnull": True for other in fields if other != field})
            for field in fields
        ],
    )


class Citation(models.Model):
    """A source cited by one case, remedy, dataset or exposure record, with an optional pinpoint."""

    source = models.ForeignKey(
        Source, on_delete=models.PROTECT, related_name="citations", help_text="The document cited."
    )
    pinpoint = models.CharField(max_length=300, blank=True, help_text="Page, paragraph or a short quotation.")
    case = models.ForeignKey(Case, null=True, blank=True, on_delete=models.CASCADE, related_name="citations")
    remedy = models.ForeignKey(Remedy, null=True, blank=True, on_delete=models.CASCADE, related_name="citations")
    dataset = models.ForeignKey(Dataset, null=True, blank=True, on_delete=models.CASCADE, related_name="citations")
    exposure_list = models.ForeignKey(
        ExposureList, null=True, blank=True, on_delete=models.CASCADE, related_name="citations"
    )
    exposure_entry = models.ForeignKey(
        ExposureEntry, null=True, blank=True, on_delete=models.CASCADE, related_name="citations"
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(condition=exactly_one_of(CITING_FIELDS), name="citation_exactly_one_owner")
        ]

    def __str__(self):
        return f"{self.source}{' — ' + self.pinpoint if self.pinpoint else ''}"


# ---------------------------------------------------------------------------
# Search index (kept current by signals.py; queried through search.py)
# ---------------------------------------------------------------------------


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
