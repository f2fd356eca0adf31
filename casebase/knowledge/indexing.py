"""Building and refreshing the search index: one SearchEntry per published record, kept current on commit.

`REFRESHES` is the one table of which changes refresh which entries (signals.py only wires it up). Changes made in
a transaction are collected and applied once, after it commits: an editor's one-step publish that touches a case,
its remedies and a company refreshes each entry once, and readers never see an entry of a rolled-back change.
Querying and ranking stay in search.py.
"""

from django.db import transaction
from django.db.models import Prefetch, Q
from django.utils.functional import cached_property

from casebase.caching import bump_on_commit

from .models import (
    Authority,
    Case,
    Company,
    Dataset,
    ExposureEntry,
    ExposureList,
    LegalBasis,
    Party,
    PublicationStatus,
    Remedy,
    RemedyType,
    SearchEntry,
    SearchKind,
)
from .search import backend, clean, join, plain

REBUILD_BATCH = 500
CASE, COMPANY = SearchKind.CASE, SearchKind.COMPANY
DATASET, EXPOSURE_LIST = SearchKind.DATASET, SearchKind.EXPOSURE_LIST


def company_names(company):
    """'WW International (WW International, Inc.; Weight Watchers; WW)'."""
    others = [name for name in [company.legal_name, *company.alias_list] if name and name != company.name]
    return f"{company.name} ({'; '.join(others)})" if others else company.name


class CompanyDirectory:
    """Every published company's names and parent, loaded in one query, for any number of documents."""

    @cached_property
    def by_id(self):
        return {c.pk: c for c in Company.objects.published().only("name", "legal_name", "aliases", "parent_id")}

    def names(self, company_id):
        company = self.by_id.get(company_id)
        return company_names(company) if company else ""

    def ancestors(self, company_id):
        seen, out = {company_id}, []
        company = self.by_id.get(company_id)
        while company and company.parent_id and company.parent_id not in seen:
            seen.add(company.parent_id)
            company = self.by_id.get(company.parent_id)
            if company:
                out.append(company_names(company))
        return out


def authority_name(authority):
    if authority is None or authority.status != PublicationStatus.PUBLISHED:
        return ""
    return f"{authority.name} ({authority.short_name})" if authority.short_name else authority.name


def case_entries(ids, directory):
    cases = (
        Case.objects.published()
        .filter(pk__in=ids)
        .select_related("authority", "forum")
        .prefetch_related(
            "parties",
            "legal_bases",
            "remedies__remedy_type",
            Prefetch("datasets", queryset=Dataset.objects.published().only("name")),
        )
    )
    for case in cases:
        party_ids = [party.company_id for party in case.parties.all()]
        remedies = list(case.remedies.all())
        yield SearchEntry(
            kind=SearchKind.CASE,
            object_id=case.pk,
            slug=case.slug,
            title=clean(case.title),
            detail=join(
                case.get_kind_display(),
                case.get_case_status_display(),
                authority_name(case.authority) and (case.authority.short_name or case.authority.name),
                case.jurisdiction,
                str(case.year or ""),
            ),
            names=join(
                case.short_title,
                *[directory.names(pk) for pk in party_ids],
                authority_name(case.authority),
                authority_name(case.forum),
                *case.docket_list,
                sep="; ",
            ),
            summary=join(case.summary, case.significance, sep=" "),
            body=join(
                plain(case.body),
                plain(case.open_questions),
                *[f"{r.remedy_type.name}: {r.summary} {r.quoted_text}" for r in remedies],
                *[d.name for d in case.datasets.all()],
                *[basis.name for basis in case.legal_bases.all()],
                *[name for pk in party_ids for name in directory.ancestors(pk)],
                sep=" ",
            ),
        )


def company_entries(ids, directory):
    for company in Company.objects.published().filter(pk__in=ids).select_related("parent"):
        parent = company.parent if company.parent and company.parent.is_published else None
        yield SearchEntry(
            kind=SearchKind.COMPANY,
            object_id=company.pk,
            slug=company.slug,
            title=clean(company.name),
            detail=join("Company", company.country, parent and f"part of {parent.name}"),
            names=join(company.legal_name, *company.alias_list, parent and parent.name, sep="; "),
            summary=plain(company.description),
            body="",
        )


def dataset_entries(ids, directory):
    datasets = (
        Dataset.objects.published().filter(pk__in=ids).select_related("collected_by").prefetch_related("received_by")
    )
    for dataset in datasets:
        holders = [dataset.collected_by_id, *[c.pk for c in dataset.received_by.all()]]
        size = dataset.size_display if dataset.size_value is not None else ""  # a size note is too long here
        yield SearchEntry(
            kind=SearchKind.DATASET,
            object_id=dataset.pk,
            slug=dataset.slug,
            title=clean(dataset.name),
            detail=join("Dataset", dataset.get_modality_display(), size),
            names=join(*[directory.names(pk) for pk in holders if pk], sep="; "),
            summary=plain(dataset.description),
            body=join(
                dataset.collected_from,
                dataset.consent_terms,
                dataset.actual_use,
                dataset.size_note,
                dataset.get_modality_display(),
                sep=" ",
            ),
        )


def exposure_list_entries(ids, directory):
    lists = ExposureList.objects.published().filter(pk__in=ids).prefetch_related("entries")
    for exposure_list in lists:
        entries = list(exposure_list.entries.all())
        yield SearchEntry(
            kind=SearchKind.EXPOSURE_LIST,
            object_id=exposure_list.pk,
            slug=exposure_list.slug,
            title=clean(exposure_list.title),
            detail=join(
                "Exposure list",
                f"{len(entries)} compan{'y' if len(entries) == 1 else 'ies'}",
            ),
            names=join(*[directory.names(entry.company_id) for entry in entries], sep="; "),
            summary=plain(exposure_list.summary),
            body=join(
                plain(exposure_list.criteria),
                *[f"{entry.segment}: {entry.rationale}" for entry in entries],
                sep=" ",
            ),
        )


BUILDERS = {
    SearchKind.CASE: case_entries,
    SearchKind.COMPANY: company_entries,
    SearchKind.DATASET: dataset_entries,
    SearchKind.EXPOSURE_LIST: exposure_list_entries,
}
MODELS = {
    SearchKind.CASE: Case,
    SearchKind.COMPANY: Company,
    SearchKind.DATASET: Dataset,
    SearchKind.EXPOSURE_LIST: ExposureList,
}
UPDATE_FIELDS = ["slug", "title", "detail", "names", "summary", "body", "vector"]


@transaction.atomic
def update_index(changes):
    """Bring the entries for {kind: ids} up to date: published records (re)indexed, the rest removed."""
    changes = {SearchKind(kind): set(ids) - {None} for kind, ids in changes.items()}
    changes = {kind: ids for kind, ids in changes.items() if ids}
    if not changes:
        return
    engine, directory = backend(), CompanyDirectory()
    for kind, ids in changes.items():
        entries = list(BUILDERS[kind](ids, directory))
        gone = ids - {entry.object_id for entry in entries}
        if gone:
            SearchEntry.objects.filter(kind=kind, object_id__in=gone).delete()
        for entry in entries:
            entry.vector = engine.vector(entry)
        SearchEntry.objects.bulk_create(
            entries, update_conflicts=True, unique_fields=["kind", "object_id"], update_fields=UPDATE_FIELDS
        )
    bump_on_commit()  # search pages: entries are written in bulk, after the content's own commit


@transaction.atomic
def rebuild_index():
    """Drop every entry and index every published record again; returns {kind: count}."""
    engine = backend()
    engine.before_rebuild()
    SearchEntry.objects.all().delete()
    bump_on_commit()
    counts = {}
    for kind, model in MODELS.items():
        ids = list(model.objects.published().values_list("pk", flat=True))
        for start in range(0, len(ids), REBUILD_BATCH):
            update_index({kind: ids[start : start + REBUILD_BATCH]})
        counts[kind] = len(ids)
    engine.after_rebuild()
    return counts


# ---------------------------------------------------------------------------
# Which changes refresh which entries
# ---------------------------------------------------------------------------


def ids(queryset, field="pk"):
    return set(queryset.values_list(field, flat=True))


def company_dependents(company):
    """Entries that show this company's names: its own, its and its subsidiaries' cases, its data, its lists."""
    family = Company.objects.with_subsidiaries(company)
    return {
        COMPANY: {company.pk},
        CASE: ids(Case.objects.involving(family)),
        DATASET: ids(Dataset.objects.filter(Q(collected_by=company) | Q(received_by=company))),
        EXPOSURE_LIST: ids(ExposureEntry.objects.filter(company=company), "exposure_list_id"),
    }


# A changed (saved or deleted) record -> {kind: ids} of the entries whose text shows it. A case's entry holds its
# parties' names and aliases (and their parents'), its authority, remedies, datasets and legal bases.
REFRESHES = {
    Case: lambda case: {CASE: {case.pk}},
    Company: company_dependents,
    Dataset: lambda dataset: {DATASET: {dataset.pk}, CASE: ids(dataset.cases.all())},
    ExposureList: lambda exposure_list: {EXPOSURE_LIST: {exposure_list.pk}},
    Party: lambda party: {CASE: {party.case_id}},
    Remedy: lambda remedy: {CASE: {remedy.case_id}},
    ExposureEntry: lambda entry: {EXPOSURE_LIST: {entry.exposure_list_id}},
    Authority: lambda authority: {CASE: ids(Case.objects.before(authority))},
    RemedyType: lambda remedy_type: {CASE: ids(Remedy.objects.filter(remedy_type=remedy_type), "case_id")},
    LegalBasis: lambda basis: {CASE: ids(basis.cases.all())},
}
# Many-to-many links that are part of an entry's text: through model -> (the side whose entry shows it, its kind).
LINKS = {
    Case.datasets.through: (Case, CASE),
    Case.legal_bases.through: (Case, CASE),
    Dataset.received_by.through: (Dataset, DATASET),
}


def dependents(instance):
    """{kind: ids} of the entries a change to `instance` refreshes (read before a delete: links go with the row)."""
    return REFRESHES[type(instance)](instance)


def link_dependents(through, instance, action, pk_set):
    """{kind: ids} an m2m change refreshes, whichever side it was made from; None at a step that refreshes nothing.

    At `pre_clear` the owners are read (the links are gone by `post_clear`) and returned for the caller to keep.
    """
    owner_model, kind = LINKS[through]
    owner_field = next(f.attname for f in through._meta.fields if f.related_model is owner_model)
    other_field = next(f.attname for f in through._meta.fields if f.is_relation and f.attname != owner_field)
    if isinstance(instance, owner_model):
        return {kind: {instance.pk}} if action in ("post_add", "post_remove", "post_clear") else None
    if action == "pre_clear":
        return {kind: ids(through.objects.filter(**{other_field: instance.pk}), owner_field)}
    if action in ("post_add", "post_remove"):
        return {kind: set(pk_set or ())}
    return None


# ---------------------------------------------------------------------------
# Applying changes once per transaction
# ---------------------------------------------------------------------------


class Pending:
    """The entries to refresh when the current transaction commits."""

    def __init__(self):
        self.changes = {}

    def add(self, changes):
        for kind, keys in changes.items():
            self.changes.setdefault(SearchKind(kind), set()).update(keys)

    def apply(self):
        changes, self.changes = self.changes, {}
        update_index(changes)


def _commit_is_coming(connection):
    """Whether the current atomic block ends in a real COMMIT.

    Django's TestCase wraps each test in a transaction it rolls back, so nothing inside it ever commits: there a
    change is applied at once, as outside any transaction.
    """
    blocks = connection.atomic_blocks
    return connection.in_atomic_block and not (blocks and getattr(blocks[0], "_from_testcase", False))


def schedule(changes, using=None):
    """Refresh the entries {kind: ids} once the current transaction commits; outside a transaction, at once."""
    changes = {kind: set(keys) - {None} for kind, keys in changes.items()}
    changes = {kind: keys for kind, keys in changes.items() if keys}
    if not changes:
        return
    connection = transaction.get_connection(using)
    if not _commit_is_coming(connection):
        update_index(changes)
        return
    pending = getattr(connection, "_search_pending", None)
    # A rolled-back transaction drops its on-commit callbacks: start a new collection then.
    if pending is None or not any(entry[1] == pending.apply for entry in connection.run_on_commit):
        pending = connection._search_pending = Pending()
        transaction.on_commit(pending.apply, using=using)
    pending.add(changes)
