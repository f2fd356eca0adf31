"""Cases and what hangs off them: parties, timeline, relations, remedies."""

import datetime

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.db.models.functions import Coalesce, Lower
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
from .data import Dataset, TrainedModel
from .money import ExchangeRate
from .parties import Authority, Company
from .sources import Source, SourceKind
from .taxonomy import LegalBasis, RemedyOrigin, RemedyType


class CaseKind(models.TextChoices):
    ADMINISTRATIVE_ORDER = "administrative_order", "Administrative order"
    FEDERAL_COURT_ACTION = "federal_court_action", "Government court action"
    DPA_DECISION = "dpa_decision", "Data-protection authority decision"
    PRIVATE_ACTION = "private_action", "Private or class action"
    VOLUNTARY_COMMITMENT = "voluntary_commitment", "Voluntary commitment"
    GUIDANCE = "guidance", "Guidance or opinion (not an enforcement action)"

    @property
    def is_enforcement(self):
        """Whether the record is an action against someone: guidance and opinions are not."""
        return self != CaseKind.GUIDANCE


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
    PENDING = "pending", "Pending before the court"
    PENDING_TRIAL = "pending_trial", "Pending trial"
    CLOSED = "closed", "Closed"
    ISSUED = "issued", "Issued (guidance)"

    @property
    def is_open(self):
        return self in {
            CaseStatus.INVESTIGATION,
            CaseStatus.COMPLAINT_FILED,
            CaseStatus.PROPOSED_ORDER,
            CaseStatus.ON_APPEAL,
            CaseStatus.PENDING,
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
        )

    def for_detail(self):
        """Everything the case page shows, in a fixed number of queries (`CaseDetailIterable` loads the rest)."""
        queryset = self.select_related("authority", "forum").prefetch_related(
            "legal_bases",
            models.Prefetch(
                "parties",
                queryset=Party.objects.filter(company__status=PublicationStatus.PUBLISHED)
                .select_related("company")
                .order_by(choice_rank("role", PartyRole), "company__name"),
            ),
            models.Prefetch("timeline", queryset=TimelineEvent.objects.select_related("source")),
        )
        queryset._iterable_class = CaseDetailIterable
        return queryset

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
        """Largest binding civil penalty in dollars first (`largest_penalty_usd`); cases without one last."""
        penalties = (
            Remedy.objects.published()
            .filter(
                case=models.OuterRef("pk"),
                remedy_type__slug="civil-penalty",
                origin__in=RemedyOrigin.imposed(),  # a penalty only sought or proposed is not a penalty paid
                amount_usd__isnull=False,
            )
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

    # --- The filters: one method per meaning, called by the list, facets, API, exports, feeds and stats alike.
    # To-many relations go through pk__in, so no join ever repeats a case.

    def before(self, authorities):
        """Cases brought or decided by any of `authorities`, or heard by it as the court (authority or forum).

        `authorities` is one authority (or its key, or an OuterRef) or an iterable/queryset of them.
        """
        if _one(authorities):
            return self.filter(Q(authority=authorities) | Q(forum=authorities))
        return self.filter(Q(authority__in=authorities) | Q(forum__in=authorities))

    def with_remedy(self, types=(), include_nonbinding=False, origins=()):
        """Cases with a published remedy of one of `types` (any type when empty) that binds the company.

        The one meaning of "remedy" on every page, list and count (DESIGN §5): by default a remedy counts when it
        was ordered or agreed (RemedyOrigin.imposed()); the options are those of RemedyQuerySet.matching, and
        type and origin hold on the same remedy row.
        """
        remedies = Remedy.objects.published().matching(types, include_nonbinding, origins)
        return self.filter(pk__in=remedies.values("case_id"))

    def with_modality(self, modalities):
        """Cases with a published dataset of this kind of data (a Modality value, or several)."""
        modalities = [modalities] if isinstance(modalities, str) else list(modalities)
        links = Case.datasets.through.objects.filter(
            dataset__status=PublicationStatus.PUBLISHED, dataset__modality__in=modalities
        )
        return self.filter(pk__in=links.values("case_id"))

    def count_by_modality(self):
        """{modality: how many of these cases `with_modality` it would keep}, in one grouped query."""
        links = Case.datasets.through.objects.filter(
            case__in=self.values("pk"), dataset__status=PublicationStatus.PUBLISHED
        )
        rows = links.order_by().values("dataset__modality").annotate(case_count=models.Count("case", distinct=True))
        return {row["dataset__modality"]: row["case_count"] for row in rows}

    def under_legal_basis(self, bases):
        """Cases relying on any of `bases` (one legal basis, its key or an OuterRef, or an iterable of them)."""
        if _one(bases):  # a case names a basis at most once, so the join repeats no case (and takes an OuterRef)
            return self.filter(legal_bases=bases)
        links = Case.legal_bases.through.objects.filter(legalbasis__in=bases)
        return self.filter(pk__in=links.values("case_id"))

    def involving(self, companies):
        """Cases naming any of `companies` as a party (pass `with_subsidiaries` to count a group's cases)."""
        return self.filter(pk__in=Party.objects.filter(company__in=companies).values("case_id"))

    def with_company_parties(self, companies):
        """Each case with `company_parties`: its parties among `companies`, for their roles (one prefetch)."""
        return self.prefetch_related(
            models.Prefetch(
                "parties",
                queryset=Party.objects.filter(company__in=companies)
                .select_related("company")
                .order_by(choice_rank("role", PartyRole), "company__name"),
                to_attr="company_parties",
            )
        )

    def of_kind(self, kind):
        """Cases of this CaseKind."""
        return self.filter(kind=kind)

    def in_jurisdiction(self, code):
        """Cases in this jurisdiction code (US, FR, US-IL, EU), exactly as stored."""
        return self.filter(jurisdiction=code)

    def with_status(self, case_status):
        """Cases whose proceeding stands at this CaseStatus (the `status` filter; `published()` is another thing)."""
        return self.filter(case_status=case_status)


class CaseDetailIterable(models.query.ModelIterable):
    """Cases as `for_detail` yields them: what prefetch_related would fetch a query per relation for, in fewer.

    Relations both ways come in one query, the case's remedies with those of related cases that reach its data in
    one, and the citations of the case and of all those remedies in one. They land in the same caches
    prefetch_related fills, so `case.relations_out.all()`, `case.remedies.all()`, `case.citations.all()` and
    `remedy.citations.all()` read them without a query; `case.data_reach` lists the reaching remedies.
    """

    def __iter__(self):
        cases = list(super().__iter__())
        if cases:
            _load_case_pages(cases)
        yield from cases


def _load_case_pages(cases):
    """Datasets and their models, relations, remedies (the cases' own and those reaching their data), citations."""
    published = PublicationStatus.PUBLISHED
    by_pk = {case.pk: case for case in cases}
    models.prefetch_related_objects(
        cases,
        models.Prefetch(
            "datasets",
            queryset=Dataset.objects.published()
            .select_related("collected_by")
            .prefetch_related(
                models.Prefetch("trained_models", queryset=TrainedModel.objects.select_related("developer"))
            ),
        ),
    )

    relations = CaseRelation.objects.filter(
        Q(from_case__in=list(by_pk), to_case__status=published)
        | Q(to_case__in=list(by_pk), from_case__status=published)
    )
    out, inward, other_cases = {pk: [] for pk in by_pk}, {pk: [] for pk in by_pk}, {}
    for relation in relations.select_related("from_case", "to_case").order_by("pk"):
        if relation.from_case_id in by_pk and relation.to_case.status == published:
            out[relation.from_case_id].append(relation)
            other_cases[relation.to_case_id] = relation.to_case
        if relation.to_case_id in by_pk and relation.from_case.status == published:
            inward[relation.to_case_id].append(relation)
            other_cases[relation.from_case_id] = relation.from_case
    for relation in [r for rows in out.values() for r in rows]:
        relation.from_case = by_pk[relation.from_case_id]
    for relation in [r for rows in inward.values() for r in rows]:
        relation.to_case = by_pk[relation.to_case_id]

    # "What happened to the data": remedies in related records that reach a case's datasets or their models.
    datasets = {case.pk: list(case.datasets.all()) for case in cases}
    trained = {pk: [m for d in rows for m in d.trained_models.all()] for pk, rows in datasets.items()}
    wanted = Q(case__in=list(by_pk))
    if other_cases and any(datasets.values()):
        reaching = (
            Remedy.objects.published()
            .filter(case__in=list(other_cases))
            .covering(
                [d.pk for rows in datasets.values() for d in rows], [m.pk for rows in trained.values() for m in rows]
            )
        )
        # Each side of the OR is on the indexed case key, so neither database scans every remedy.
        wanted |= Q(case__in=list(other_cases), pk__in=reaching.values("pk"))
    remedies = list(
        Remedy.objects.filter(wanted)
        .select_related("remedy_type", "exchange_rate__source", "compliance_source")
        .key_date_ordered()
    )
    for remedy in remedies:
        remedy.case = by_pk.get(remedy.case_id) or other_cases[remedy.case_id]
    models.prefetch_related_objects(
        remedies, models.Prefetch("covers_datasets", queryset=Dataset.objects.published()), "covers_models"
    )

    citations = Citation.objects.filter(Q(case__in=list(by_pk)) | Q(remedy__in=[remedy.pk for remedy in remedies]))
    case_citations, remedy_citations = {}, {}
    for citation in citations.select_related("source").order_by("pk"):
        if citation.case_id:
            case_citations.setdefault(citation.case_id, []).append(citation)
        else:
            remedy_citations.setdefault(citation.remedy_id, []).append(citation)
    for remedy in remedies:
        _prefill(remedy, "citations", remedy_citations.get(remedy.pk, []))

    kind_rank = {kind: rank for rank, kind in enumerate(SourceKind.values)}
    for case in cases:
        related = {r.to_case_id for r in out[case.pk]} | {r.from_case_id for r in inward[case.pk]}
        reach_data = {d.pk for d in datasets[case.pk]}
        reach_models = {m.pk for m in trained[case.pk]}
        _prefill(case, "relations_out", out[case.pk])
        _prefill(case, "relations_in", inward[case.pk])
        own = [remedy for remedy in remedies if remedy.case_id == case.pk]
        _prefill(case, "remedies", sorted(own, key=lambda remedy: (remedy.remedy_type.sort_order, remedy.pk)))
        case.data_reach = [
            remedy
            for remedy in remedies
            if remedy.case_id in related
            and remedy.remedy_type.status == published
            and (
                any(d.pk in reach_data for d in remedy.covers_datasets.all())
                or any(m.pk in reach_models for m in remedy.covers_models.all())
            )
        ]
        # Primary documents first, as on every page (choice_rank of SourceKind).
        own_citations = case_citations.get(case.pk, [])
        _prefill(
            case, "citations", sorted(own_citations, key=lambda c: (kind_rank.get(c.source.kind, len(kind_rank)), c.pk))
        )


def _prefill(instance, name, objects):
    """Cache `objects` as the reverse relation `name` of `instance`, as prefetch_related does."""
    queryset = getattr(instance, name).get_queryset()
    queryset._result_cache = list(objects)
    queryset._prefetch_done = True
    if not hasattr(instance, "_prefetched_objects_cache"):
        instance._prefetched_objects_cache = {}
    instance._prefetched_objects_cache[name] = queryset


def _one(value):
    """Whether a filter argument names one record (an instance, a key or an expression) rather than several."""
    return isinstance(value, models.Model | models.expressions.Combinable | int | str)


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
            dates_in_order("case_decided_after_started", "started_on", "decided_on"),
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
    def remedy_chips(self):
        """[(remedy type, origins)] for list rows, from the prefetched remedies, in taxonomy order.

        `origins` names how the remedies of that type came about ("sought", "voluntary") only when
        none of them binds the company; it is empty when any was ordered or agreed.
        """
        by_type = {}
        for remedy in self.remedies.all():
            by_type.setdefault(remedy.remedy_type, set()).add(RemedyOrigin(remedy.origin))
        return [
            (remedy_type, [] if any(o.is_imposed for o in origins) else [o.value for o in RemedyOrigin if o in origins])
            for remedy_type, origins in by_type.items()
        ]

    @property
    def key_date_display(self):
        """The key date as precisely as it is known: decided, else started."""
        return self.decided_on_display if self.decided_on else self.started_on_display

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


class RemedyStatus(models.TextChoices):
    PROPOSED = "proposed", "Proposed"
    IN_FORCE = "in_force", "In force"
    COMPLIED = "complied", "Complied or certified"
    SUSPENDED = "suspended", "Suspended"
    ANNULLED = "annulled", "Annulled or set aside"
    SOUGHT = "sought", "Sought, not granted"
    EXPIRED = "expired", "Expired or lifted"


class RemedyCompliance(models.TextChoices):
    CERTIFIED = "certified", "Certified to the authority or court"
    REPORTED = "reported", "Reported by the company, not certified"
    UNKNOWN = "unknown", "Unknown"
    OVERDUE = "overdue", "Overdue"
    NOT_REQUIRED = "not_required", "Nothing to comply with yet"


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
        return self.select_related(
            "case__authority", "case__forum", "exchange_rate__source", "compliance_source"
        ).prefetch_related(
            models.Prefetch("covers_datasets", queryset=Dataset.objects.published()),
            models.Prefetch("citations", queryset=Citation.objects.select_related("source")),
        )

    def matching(self, types=(), include_nonbinding=False, origins=()):
        """Remedies of one of `types` (remedy types or their keys; any type when empty) that bind the company.

        A remedy binds when it was ordered, or agreed in a consent order or settlement (RemedyOrigin.imposed()).
        `include_nonbinding` counts those proposed, voluntary or only sought too; `origins` (RemedyOrigin
        values), when given, names exactly the origins that count instead.
        """
        # A queryset of types stays a subquery: testing its truth would run it.
        remedies = self.filter(remedy_type__in=types) if isinstance(types, models.QuerySet) or types else self
        if origins:
            return remedies.filter(origin__in=origins)
        return remedies if include_nonbinding else remedies.filter(origin__in=RemedyOrigin.imposed())

    def covering(self, datasets=(), trained_models=()):
        """Remedies that reach any of `datasets` or `trained_models` (instances or keys), each once."""
        # Through the link tables' indexes: a join from every remedy to its links would scan them all.
        data_links = Remedy.covers_datasets.through.objects.filter(dataset__in=datasets)
        model_links = Remedy.covers_models.through.objects.filter(trainedmodel__in=trained_models)
        return self.filter(Q(pk__in=data_links.values("remedy_id")) | Q(pk__in=model_links.values("remedy_id")))


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
        max_digits=16,
        decimal_places=2,
        null=True,
        blank=True,
        help_text="The amount in US dollars, for comparison: the amount itself when in dollars, else converted "
        "at the reference rate below.",
    )
    exchange_rate = models.ForeignKey(
        ExchangeRate,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="remedies",
        help_text="The reference rate of the decision date used for the US-dollar figure (amounts not in dollars).",
    )
    duration_months = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="How long the remedy lasts, in months; empty if permanent or not stated."
    )
    is_permanent = models.BooleanField(default=False, help_text="Whether the remedy has no end date.")
    deadline = models.DateField(null=True, blank=True, help_text="When it must be done by, if the order says.")
    deadline_text = models.CharField(
        max_length=200, blank=True, help_text="The deadline as the order words it, e.g. 'within 90 days of the order'."
    )
    certification = models.CharField(
        max_length=400,
        blank=True,
        help_text="The certification or compliance report the order requires, to whom and when.",
    )
    compliance = models.CharField(
        max_length=12,
        choices=RemedyCompliance.choices,
        default=RemedyCompliance.UNKNOWN,
        help_text="What is known of compliance: certified, only reported by the company, unknown or overdue.",
    )
    compliance_date = models.DateField(null=True, blank=True, help_text="When compliance was certified or reported.")
    compliance_date_precision = models.CharField(max_length=5, choices=DatePrecision.choices, blank=True)
    compliance_source = models.ForeignKey(
        Source,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Where the certification or the company's statement is documented.",
    )
    compliance_note = models.CharField(max_length=400, blank=True, help_text="What the record of compliance says.")
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
            *precise_date_constraints("remedy", "compliance_date", "compliance_date_precision"),
        ]

    def __str__(self):
        return f"{self.remedy_type} — {self.case}"

    def save(self, *args, **kwargs):
        normalise_precise(self, "compliance_date", "compliance_date_precision")
        self.amount_usd = self.dollar_value()
        super().save(*args, **kwargs)

    def clean(self):
        super().clean()
        rate = self.exchange_rate if self.exchange_rate_id else None
        if self.amount is not None and rate is not None and rate.currency != self.currency:
            raise ValidationError(
                {"exchange_rate": f"This rate converts {self.exchange_rate.currency}, not {self.currency}."}
            )

    def dollar_value(self):
        """The amount in dollars: itself in USD, else through its reference rate; None when neither applies."""
        if self.amount is None:
            return None
        if self.currency == "USD":
            return self.amount
        if self.exchange_rate_id and self.exchange_rate.currency == self.currency:
            return self.exchange_rate.to_usd(self.amount)
        return None

    @property
    def compliance_date_display(self):
        return format_precise(self.compliance_date, self.compliance_date_precision)

    @property
    def is_certified(self):
        return self.compliance == RemedyCompliance.CERTIFIED

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
