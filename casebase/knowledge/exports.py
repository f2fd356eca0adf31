"""Exports of the filtered case list: CSV, JSON and JSON Lines, one row per case, streamed in constant memory.

The rows are exactly `CaseFilter(...).qs`, the set and order of the HTML list, every page of it. Each column
is documented from the models' `help_text` (the data dictionary page reads `COLUMNS`).
"""

import csv
import json
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Prefetch
from django.http import StreamingHttpResponse
from django.urls import reverse
from django.utils import timezone

from .models import (
    Case,
    CaseKind,
    CaseStatus,
    Dataset,
    DatePrecision,
    Modality,
    Party,
    PartyRole,
    PublicationStatus,
    Remedy,
    RemedyOrigin,
    RemedyStatus,
    choice_rank,
)

# Cases fetched per query while streaming, each chunk with its own prefetches: the memory an export holds.
CHUNK_SIZE = 500
# Rows written per piece of the response: few enough to keep memory flat, enough to keep writes large.
ROWS_PER_WRITE = 100
LIST_SEPARATOR = "; "
LICENCE = "CC BY 4.0"
LICENCE_URL = "https://creativecommons.org/licenses/by/4.0/"


def help_of(model, name):
    """The help_text of `model.name`: the single source of field documentation."""
    return str(model._meta.get_field(name).help_text)


@dataclass(frozen=True)
class Column:
    """One column of every export format, in a fixed order."""

    name: str
    kind: str  # text, url, date, datetime, integer, decimal, boolean; `many` makes it a list of them
    description: str
    get: Callable
    choices: tuple = ()
    many: bool = False

    @property
    def type_label(self):
        return f"list of {self.kind}" if self.many else self.kind


def _iso(value):
    return value.isoformat() if value is not None else None


def _money(value):
    # Decimal as text keeps every cent exactly, in JSON as in CSV.
    return str(value) if value is not None else None


def _remedies(case):
    return case.remedies.all()


def _binding_total(case):
    amounts = [r.amount_usd for r in _remedies(case) if r.amount_usd is not None and RemedyOrigin(r.origin).is_imposed]
    return _money(sum(amounts, Decimal("0.00"))) if amounts else None


def _url(case, context):
    return context.absolute(case.get_absolute_url())


PER_REMEDY = "One entry per remedy, in the order of remedy_types."


COLUMNS = [
    Column("slug", "text", help_of(Case, "slug"), lambda c, x: c.slug),
    Column("url", "url", "The case's page on casebase.", _url),
    Column("title", "text", help_of(Case, "title"), lambda c, x: c.title),
    Column("short_title", "text", help_of(Case, "short_title"), lambda c, x: c.short_title),
    Column("kind", "text", help_of(Case, "kind"), lambda c, x: c.kind, CaseKind.choices),
    Column("case_status", "text", help_of(Case, "case_status"), lambda c, x: c.case_status, CaseStatus.choices),
    Column(
        "authority",
        "text",
        f"Slug of the authority. {help_of(Case, 'authority')}",
        lambda c, x: c.authority.slug if c.authority else None,
    ),
    Column(
        "authority_name", "text", "Full name of the authority.", lambda c, x: c.authority.name if c.authority else None
    ),
    Column(
        "forum",
        "text",
        f"Slug of the court. {help_of(Case, 'forum')}",
        lambda c, x: c.forum.slug if c.forum else None,
    ),
    Column("forum_name", "text", "Full name of the court or tribunal.", lambda c, x: c.forum.name if c.forum else None),
    Column("jurisdiction", "text", help_of(Case, "jurisdiction"), lambda c, x: c.jurisdiction),
    Column(
        "started_on",
        "date",
        f"{help_of(Case, 'started_on')} Stored as the first day of its period when known only to the month or year.",
        lambda c, x: _iso(c.started_on),
    ),
    Column(
        "started_on_precision",
        "text",
        "How precisely started_on is known.",
        lambda c, x: c.started_on_precision or None,
        DatePrecision.choices,
    ),
    Column(
        "decided_on",
        "date",
        f"{help_of(Case, 'decided_on')} Stored as the first day of its period when known only to the month or year.",
        lambda c, x: _iso(c.decided_on),
    ),
    Column(
        "decided_on_precision",
        "text",
        "How precisely decided_on is known.",
        lambda c, x: c.decided_on_precision or None,
        DatePrecision.choices,
    ),
    Column(
        "year",
        "integer",
        "Year of the key date: decided_on, else started_on. The year filters use it.",
        lambda c, x: c.year,
    ),
    Column("docket_numbers", "text", help_of(Case, "docket_numbers"), lambda c, x: c.docket_list, many=True),
    Column(
        "legal_bases",
        "text",
        f"Slugs of the legal bases. {help_of(Case, 'legal_bases')}",
        lambda c, x: [basis.slug for basis in c.legal_bases.all()],
        many=True,
    ),
    Column(
        "companies",
        "text",
        "Slugs of the companies on the case, in the order of company_roles.",
        lambda c, x: [party.company.slug for party in c.export_parties],
        many=True,
    ),
    Column(
        "company_roles",
        "text",
        f"One entry per company, in the order of companies. {help_of(Party, 'role')}",
        lambda c, x: [party.role for party in c.export_parties],
        PartyRole.choices,
        many=True,
    ),
    Column(
        "data_modalities",
        "text",
        f"Kinds of data at the heart of the case, each once. {help_of(Dataset, 'modality')}",
        lambda c, x: list(dict.fromkeys(dataset.modality for dataset in c.datasets.all())),
        Modality.choices,
        many=True,
    ),
    Column("remedy_count", "integer", "How many remedies the case records.", lambda c, x: len(_remedies(c))),
    Column(
        "remedy_types",
        "text",
        f"Slug of each remedy's type, in taxonomy order. {help_of(Remedy, 'remedy_type')}",
        lambda c, x: [r.remedy_type.slug for r in _remedies(c)],
        many=True,
    ),
    Column(
        "remedy_type_names",
        "text",
        f"{PER_REMEDY} The name of the remedy type.",
        lambda c, x: [r.remedy_type.name for r in _remedies(c)],
        many=True,
    ),
    Column(
        "remedy_origins",
        "text",
        f"{PER_REMEDY} {help_of(Remedy, 'origin')} Only ordered and agreed remedies bind the company.",
        lambda c, x: [r.origin for r in _remedies(c)],
        RemedyOrigin.choices,
        many=True,
    ),
    Column(
        "remedy_statuses",
        "text",
        f"{PER_REMEDY} {help_of(Remedy, 'status')}",
        lambda c, x: [r.status for r in _remedies(c)],
        RemedyStatus.choices,
        many=True,
    ),
    Column(
        "remedy_amounts",
        "decimal",
        f"{PER_REMEDY} {help_of(Remedy, 'amount')} Empty for remedies without an amount.",
        lambda c, x: [_money(r.amount) for r in _remedies(c)],
        many=True,
    ),
    Column(
        "remedy_currencies",
        "text",
        f"{PER_REMEDY} {help_of(Remedy, 'currency')}",
        lambda c, x: [r.currency or None for r in _remedies(c)],
        many=True,
    ),
    Column(
        "remedy_amounts_usd",
        "decimal",
        f"{PER_REMEDY} {help_of(Remedy, 'amount_usd')}",
        lambda c, x: [_money(r.amount_usd) for r in _remedies(c)],
        many=True,
    ),
    Column(
        "binding_amount_usd",
        "decimal",
        "Sum of remedy_amounts_usd over the remedies that bind the company (ordered or agreed); "
        "empty when none has a US-dollar figure.",
        lambda c, x: _binding_total(c),
    ),
    Column("summary", "text", help_of(Case, "summary"), lambda c, x: c.summary),
    Column("significance", "text", help_of(Case, "significance"), lambda c, x: c.significance),
    Column("updated_at", "datetime", help_of(Case, "updated_at"), lambda c, x: _iso(c.updated_at)),
]
COLUMN_NAMES = [column.name for column in COLUMNS]


def for_export(cases):
    """`cases` with everything a row reads, in a fixed number of queries per chunk of rows (drafts left out)."""
    return cases.for_list().prefetch_related(
        "legal_bases",
        Prefetch(
            "parties",
            queryset=Party.objects.filter(company__status=PublicationStatus.PUBLISHED)
            .select_related("company")
            .order_by(choice_rank("role", PartyRole), "company__slug"),
            to_attr="export_parties",
        ),
        Prefetch("datasets", queryset=Dataset.objects.published().only("pk", "modality").order_by("modality")),
    )


@dataclass
class ExportContext:
    """What every row needs besides its case: how to make an address absolute."""

    absolute: Callable[[str], str]


def rows(cases, context):
    """One dict per case of `cases` (a CaseFilter's qs), keys in COLUMNS order, read in chunks."""
    for case in for_export(cases).iterator(chunk_size=CHUNK_SIZE):
        yield {column.name: column.get(case, context) for column in COLUMNS}


def _batched(iterable, size):
    batch = []
    for item in iterable:
        batch.append(item)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


# --- CSV --------------------------------------------------------------------------------------------------


class _Line:
    """A file-like object whose write returns the line, so csv.writer can feed a generator."""

    def write(self, value):
        return value


def _cell(value):
    if value is None:
        return ""
    if isinstance(value, list):
        return LIST_SEPARATOR.join("" if item is None else str(item) for item in value)
    return value


def csv_chunks(cases, context):
    """The CSV text in pieces: a byte-order mark, the header, then the rows."""
    writer = csv.writer(_Line())
    yield "\ufeff" + writer.writerow(COLUMN_NAMES)
    for batch in _batched(rows(cases, context), ROWS_PER_WRITE):
        yield "".join(writer.writerow([_cell(value) for value in row.values()]) for row in batch)


# --- JSON and JSON Lines ------------------------------------------------------------------------------------


def _dumps(value):
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def jsonl_chunks(cases, context):
    """One JSON object per line, one line per case."""
    for batch in _batched(rows(cases, context), ROWS_PER_WRITE):
        yield "".join(_dumps(row) + "\n" for row in batch)


def json_chunks(cases, context, meta):
    """A single JSON document: `meta`, then `cases`, written one case at a time."""
    head = json.dumps(meta, ensure_ascii=False, indent=1)
    yield head[: head.rindex("}")].rstrip() + ',\n "cases": ['
    first = True
    for batch in _batched(rows(cases, context), ROWS_PER_WRITE):
        text = ",".join("\n  " + _dumps(row) for row in batch)
        yield text if first else "," + text
        first = False
    yield "\n ]\n}\n"


# --- Responses ----------------------------------------------------------------------------------------------

FORMATS = {
    "csv": ("text/csv; charset=utf-8", "attachment"),
    "json": ("application/json; charset=utf-8", "inline"),
    "jsonl": ("application/x-ndjson; charset=utf-8", "attachment"),
}


def filename(extension, today=None):
    return f"casebase-cases-{(today or timezone.localdate()).isoformat()}.{extension}"


def export_response(request, filterset, extension):
    """The filtered cases as a streamed download in one of FORMATS."""
    cases = filterset.qs
    context = ExportContext(absolute=request.build_absolute_uri)
    if extension == "csv":
        chunks = csv_chunks(cases, context)
    elif extension == "jsonl":
        chunks = jsonl_chunks(cases, context)
    else:
        chunks = json_chunks(cases, context, json_meta(request, filterset, cases.count()))
    content_type, disposition = FORMATS[extension]
    response = StreamingHttpResponse((chunk.encode() for chunk in chunks), content_type=content_type)
    response["Content-Disposition"] = f'{disposition}; filename="{filename(extension)}"'
    response["X-Robots-Tag"] = "noindex"
    return response


def json_meta(request, filterset, count):
    """What the JSON export says about itself before its cases."""
    description = filterset.description()
    return {
        "title": f"casebase: {count} case{'' if count == 1 else 's'}{' ' + description if description else ''}",
        "source": request.build_absolute_uri(reverse("knowledge:case_list") + filterset.query()),
        "generated_at": timezone.now().replace(microsecond=0).isoformat(),
        "licence": LICENCE,
        "licence_url": LICENCE_URL,
        "data_dictionary": request.build_absolute_uri(reverse("knowledge:data_dictionary")),
        "problems": filterset.problems,
        "count": count,
        "columns": COLUMN_NAMES,
    }
