"""Search entries for a generated corpus, built from the records in memory.

The signals index one record at a time and `indexing.rebuild_index` renders every Markdown field to
find its words, which at a hundred thousand cases takes far longer than writing them. Generated
text is written together with its plain words (`Doc`), so the entries can be made here directly,
field for field as `indexing.case_entries`, `company_entries` and `dataset_entries` make them
(tests/test_corpus.py checks that `rebuild_index` gives the same rows). Exposure lists are few and
go through the search module itself.
"""

from django.db import connection

from .. import indexing, search
from ..models import LegalBasis, PublicationStatus, SearchEntry, SearchKind


def pg_vector():
    """The SQL of PostgresBackend.vector(): a weighted tsvector per field, from the folded words."""
    parts = [f"setweight(to_tsvector(%s::regconfig, %s), '{search.PG_LETTERS[name]}')" for name in search.FIELDS]

    def params(entry):
        out = []
        for name in search.FIELDS:
            out += [search.PG_CONFIG, " ".join(search.words(getattr(entry, name)))]
        return out

    return {"vector": (" || ".join(parts), params)}


class Indexer:
    """Writes the search entries of generated records as they are written."""

    def __init__(self, writer):
        self.writer = writer
        self.engine = search.backend()
        self.computed = pg_vector() if connection.vendor == "postgresql" else None
        self.count = 0

    def start(self):
        """Before the first entry: on SQLite the full-text index is dropped here and rebuilt once in `finish`."""
        self.engine.before_rebuild()
        self.directory = indexing.CompanyDirectory()
        # Legal bases are read in name order, and names sort differently on each database: ask it.
        self.basis_rank = {
            pk: n for n, pk in enumerate(LegalBasis.objects.order_by("name").values_list("pk", flat=True))
        }

    def write(self, entries):
        self.writer.write(SearchEntry, entries, self.computed)
        self.count += len(entries)

    def entry(self, kind, record, **fields):
        return self.writer.new(SearchEntry, kind=kind, object_id=record.pk, slug=record.slug, **fields)

    def companies(self, companies):
        by_id = {c.pk: c for c in companies}
        entries = []
        for company in companies:
            if company.status != PublicationStatus.PUBLISHED:
                continue
            parent = by_id.get(company.parent_id)
            parent = parent if parent is not None and parent.status == PublicationStatus.PUBLISHED else None
            entries.append(
                self.entry(
                    SearchKind.COMPANY,
                    company,
                    title=search.clean(company.name),
                    detail=search.join("Company", company.country, parent and f"part of {parent.name}"),
                    names=search.join(company.legal_name, *company.alias_list, parent and parent.name, sep="; "),
                    summary=search.clean(company.description),  # one sentence, no Markdown
                    body="",
                )
            )
        self.write(entries)

    def datasets(self, datasets, recipients):
        """`recipients`: {dataset pk: [company pk]} (at most one each, so no order to follow)."""
        entries = []
        for dataset in datasets:
            if dataset.status != PublicationStatus.PUBLISHED:
                continue
            holders = [dataset.collected_by_id, *recipients.get(dataset.pk, [])]
            size = dataset.size_display if dataset.size_value is not None else ""
            entries.append(
                self.entry(
                    SearchKind.DATASET,
                    dataset,
                    title=search.clean(dataset.name),
                    detail=search.join("Dataset", dataset.get_modality_display(), size),
                    names=search.join(*[self.directory.names(pk) for pk in holders if pk], sep="; "),
                    summary=search.clean(dataset.description),  # one sentence, no Markdown
                    body=search.join(
                        dataset.collected_from,
                        dataset.consent_terms,
                        dataset.actual_use,
                        dataset.size_note,
                        dataset.get_modality_display(),
                        sep=" ",
                    ),
                )
            )
        self.write(entries)

    def cases(self, built):
        """Entries for a chunk of generated cases: `built` holds each case with the rows around it."""
        entries = []
        for b in built:
            case = b.case
            if case.status != PublicationStatus.PUBLISHED:
                continue
            party_ids = [p.company_id for p in sorted(b.parties, key=lambda p: (p.role, p.pk))]
            remedies = sorted(b.remedies, key=lambda r: (r.remedy_type.sort_order, r.pk))
            datasets = [d for d in b.datasets if d.status == PublicationStatus.PUBLISHED]  # one at most
            bases = sorted(b.bases, key=lambda basis: self.basis_rank[basis.pk])
            authority = case.authority
            entries.append(
                self.entry(
                    SearchKind.CASE,
                    case,
                    title=search.clean(case.title),
                    detail=search.join(
                        case.get_kind_display(),
                        case.get_case_status_display(),
                        indexing.authority_name(authority) and (authority.short_name or authority.name),
                        case.jurisdiction,
                        str(case.year or ""),
                    ),
                    names=search.join(
                        case.short_title,
                        *[self.directory.names(pk) for pk in party_ids],
                        indexing.authority_name(authority),
                        indexing.authority_name(case.forum),
                        *case.docket_list,
                        sep="; ",
                    ),
                    summary=search.join(case.summary, case.significance, sep=" "),
                    body=search.join(
                        b.plain_body,
                        b.plain_questions,
                        *[f"{r.remedy_type.name}: {r.summary} {r.quoted_text}" for r in remedies],
                        *[d.name for d in datasets],
                        *[basis.name for basis in bases],
                        *[name for pk in party_ids for name in self.directory.ancestors(pk)],
                        sep=" ",
                    ),
                )
            )
        self.write(entries)

    def finish(self, exposure_list_ids):
        """Exposure lists through the search module, then the full-text index built once (SQLite)."""
        indexing.update_index({SearchKind.EXPOSURE_LIST: exposure_list_ids})
        self.count += len(exposure_list_ids)
        self.engine.after_rebuild()
