"""A public page as it was at one version of its history (django-simple-history), for versioned permalinks.

A version of a page is one historical record of the page's own row; it stands until the page's next record.
What hangs off a case (remedies, parties, timeline, sources, related cases) is read from their own histories
as they stood at the end of that span, so a version shows what readers saw while it was current. Versions
saved while the page was a draft or withdrawn are never served, nor any version of a page that is not
published now.
"""

from dataclasses import dataclass

from django.db.models import Q
from django.http import Http404
from django.urls import reverse

from .models import (
    Authority,
    Case,
    CaseRelation,
    Citation,
    Company,
    Dataset,
    ExposureList,
    Party,
    PartyRole,
    PublicationStatus,
    RelationKind,
    Remedy,
    RemedyType,
    SourceKind,
    TimelineEvent,
    choice_rank,
    format_precise,
)

# The public URL prefix of each kind of page (DESIGN §5), as in /cases/<slug>/v/<history_id>/.
KINDS = {
    "cases": Case,
    "companies": Company,
    "authorities": Authority,
    "remedies": RemedyType,
    "datasets": Dataset,
    "exposure": ExposureList,
}
KIND_OF_MODEL = {model: kind for kind, model in KINDS.items()}
KIND_LABELS = {
    "cases": "Case",
    "companies": "Company",
    "authorities": "Authority",
    "remedies": "Remedy type",
    "datasets": "Dataset",
    "exposure": "Exposure list",
}
PUBLISHED = PublicationStatus.PUBLISHED


def kind_of(page):
    """The URL prefix of a page model instance ('cases', 'companies', …)."""
    return KIND_OF_MODEL[type(page)]


def title_of(page):
    """The page's full title, as its heading shows it."""
    return getattr(page, "title", None) or page.name


def version_path(page, history_id):
    return reverse(
        "knowledge:page_version", kwargs={"kind": kind_of(page), "slug": page.slug, "history_id": history_id}
    )


def is_public(record):
    return record.status == PUBLISHED and record.history_type != "-"


@dataclass
class LatestRecord:
    """What `with_current_version` annotated of a page's latest history record: enough to cite it."""

    history_id: int
    history_date: object
    status: str
    history_type: str
    title: str


def current_version(page):
    """The history record of the page as it stands now, if that is a published one.

    One query, or none when the page came from a queryset `with_current_version()`.
    """
    if hasattr(page, "current_version_id"):
        record = None
        if page.current_version_id is not None:
            record = LatestRecord(
                page.current_version_id,
                page.current_version_at,
                page.current_version_status,
                page.current_version_type,
                page.current_version_title,
            )
    else:
        record = page.history.order_by("-history_date", "-history_id").first()
    return record if record is not None and is_public(record) else None


@dataclass
class Version:
    page: object  # the page as it is now
    record: object  # its historical record at this version
    until: object  # when the next version began, or None if this is the current one

    @property
    def is_current(self):
        return self.until is None

    @property
    def kind(self):
        return kind_of(self.page)

    @property
    def snapshot(self):
        """The page as a model instance with this version's field values (not saved, no relations loaded)."""
        return self.record.instance

    @property
    def path(self):
        return version_path(self.page, self.record.history_id)


def find_version(kind, slug, history_id):
    """The published page `slug` of `kind` at version `history_id`, or Http404: two queries."""
    model = KINDS.get(kind)
    if model is None:
        raise Http404("No such kind of page.")
    page = model.objects.published().filter(slug=slug).first()
    if page is None:
        raise Http404("No published page at this address.")
    records = list(
        page.history.filter(
            Q(history_id=history_id)
            | Q(history_date__gt=page.history.filter(history_id=history_id).values("history_date")[:1])
        ).order_by("history_date", "history_id")
    )
    record = next((r for r in records if r.history_id == history_id), None)
    if record is None or not is_public(record):
        raise Http404("This version of the page was never public.")
    later = [r for r in records if (r.history_date, r.history_id) > (record.history_date, record.history_id)]
    return Version(page, record, later[0].history_date if later else None)


def as_of(model, until):
    """`model`'s rows as they stood just before `until` (now, if None), as historical records."""
    history = model.history.all()
    if until is not None:
        history = history.filter(history_date__lt=until)
    return history.latest_of_each().exclude(history_type="-")


@dataclass
class CaseVersion:
    """A case page as it was: its own fields and what hung off it at the time."""

    version: Version
    case: Case  # a snapshot instance
    authority: object
    forum: object
    remedies: list
    parties: list
    timeline: list
    relations_out: list
    relations_in: list
    citations: list


def case_version(version):
    """The case page at `version`: six queries (bodies, remedies, parties, timeline, relations, sources)."""
    until, pk = version.until, version.page.pk
    case = version.snapshot
    bodies = {a.pk: a for a in Authority.objects.published().filter(pk__in=[case.authority_id, case.forum_id])}
    remedies = list(
        as_of(Remedy, until)
        .filter(case_id=pk, remedy_type__status=PUBLISHED)
        .select_related("remedy_type", "exchange_rate__source")
        .order_by("remedy_type__sort_order", "id")
    )
    parties = list(
        as_of(Party, until)
        .filter(case_id=pk, company__status=PUBLISHED)
        .select_related("company")
        .order_by(choice_rank("role", PartyRole), "company__name")
    )
    timeline = list(as_of(TimelineEvent, until).filter(case_id=pk).select_related("source").order_by("date", "id"))
    for event in timeline:
        event.date_display = format_precise(event.date, event.date_precision)
    relations = list(
        as_of(CaseRelation, until)
        .filter(Q(from_case_id=pk, to_case__status=PUBLISHED) | Q(to_case_id=pk, from_case__status=PUBLISHED))
        .select_related("from_case", "to_case")
        .order_by("id")
    )
    for relation in relations:
        relation.inverse_label = RelationKind(relation.kind).inverse_label  # a method the history model lacks
    citations = list(
        as_of(Citation, until)
        .filter(case_id=pk)
        .select_related("source")
        .order_by(choice_rank("source__kind", SourceKind), "id")
    )
    return CaseVersion(
        version,
        case,
        bodies.get(case.authority_id),
        bodies.get(case.forum_id),
        remedies,
        parties,
        timeline,
        [r for r in relations if r.from_case_id == pk],
        [r for r in relations if r.to_case_id == pk],
        citations,
    )


# What the other kinds of page show of their own record: (label, field or property, Markdown?).
PAGE_FIELDS = {
    "companies": [
        ("Legal name", "legal_name", False),
        ("Other names", "aliases", False),
        ("Country", "country", False),
        ("Website", "website", False),
        ("About", "description", True),
    ],
    "authorities": [
        ("Short name", "short_name", False),
        ("Kind", "kind", False),
        ("Jurisdiction", "jurisdiction", False),
        ("Website", "website", False),
        ("About", "description", True),
    ],
    "remedies": [("Category", "category", False), ("Definition", "definition", True)],
    "datasets": [
        ("Kind of data", "modality", False),
        ("Size", "size_display", False),
        ("Collected from", "collected_from", False),
        ("Collection period", "collection_period_display", False),
        ("About the data", "description", True),
        ("What people were told", "consent_terms", True),
        ("What the data was used for", "actual_use", True),
    ],
    "exposure": [("Summary", "summary", True), ("Who is on this list", "criteria", True)],
}


def page_fields(version):
    """[(label, value, is_markdown)] of a non-case page at `version`, choices as their labels, empty ones left out."""
    snapshot = version.snapshot
    fields = []
    for label, name, is_markdown in PAGE_FIELDS[version.kind]:
        display = getattr(snapshot, f"get_{name}_display", None)
        value = display() if display else getattr(snapshot, name)
        if value:
            fields.append((label, value, is_markdown))
    return fields
