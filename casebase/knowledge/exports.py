"""Exports of the filtered case list: CSV, JSON and JSON Lines, one row per case, streamed in constant memory.

The rows are exactly `CaseFilter(...).qs`, the set and order of the HTML list, every page of it. Each column
is documented from the models' `help_text` (the data dictionary page reads `COLUMNS`).
"""

import csv
import json
import re
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


def _binding_total(row):
    amounts = [r.amount_usd for r in row.remedies if r.amount_usd is not None and RemedyOrigin(r.origin).is_imposed]
    return _money(sum(amounts, Decimal("0.00"))) if amounts else None


PER_REMEDY = "One entry per remedy, in the order of remedy_types."


COLUMNS = [
    Column("slug", "text", help_of(Case, "slug"), lambda r: r.case.slug),
    Column("url", "url", "The case's page on casebase.", lambda r: r.url),
    Column("title", "text", help_of(Case, "title"), lambda r: r.case.title),
    Column("short_title", "text", help_of(Case, "short_title"), lambda r: r.case.short_title),
    Column("kind", "text", help_of(Case, "kind"), lambda r: r.case.kind, CaseKind.choices),
    Column("case_status", "text", help_of(Case, "case_status"), lambda r: r.case.case_status, CaseStatus.choices),
    Column(
        "authority",
        "text",
        f"Slug of the authority. {help_of(Case, 'authority')}",
        lambda r: r.case.authority.slug if r.case.authority else None,
    ),
    Column(
        "authority_name",
        "text",
        "Full name of the authority.",
        lambda r: r.case.authority.name if r.case.authority else None,
    ),
    Column(
        "forum",
        "text",
        f"Slug of the court. {help_of(Case, 'forum')}",
        lambda r: r.case.forum.slug if r.case.forum else None,
    ),
    Column(
        "forum_name",
        "text",
        "Full name of the court or tribunal.",
        lambda r: r.case.forum.name if r.case.forum else None,
    ),
    Column("jurisdiction", "text", help_of(Case, "jurisdiction"), lambda r: r.case.jurisdiction),
    Column(
        "started_on",
        "date",
        f"{help_of(Case, 'started_on')} Stored as the first day of its period when known only to the month or year.",
        lambda r: _iso(r.case.started_on),
    ),
    Column(
        "started_on_precision",
        "text",
        "How precisely started_on is known.",
        lambda r: r.case.started_on_precision or None,
        DatePrecision.choices,
    ),
    Column(
        "decided_on",
        "date",
        f"{help_of(Case, 'decided_on')} Stored as the first day of its period when known only to the month or year.",
        lambda r: _iso(r.case.decided_on),
    ),
    Column(
        "decided_on_precision",
        "text",
        "How precisely decided_on is known.",
        lambda r: r.case.decided_on_precision or None,
        DatePrecision.choices,
    ),
    Column(
        "year",
        "integer",
        "Year of the key date: decided_on, else started_on. The year filters use it.",
        lambda r: r.case.year,
    ),
    Column("docket_numbers", "text", help_of(Case, "docket_numbers"), lambda r: r.case.docket_list, many=True),
    Column(
        "legal_bases",
        "text",
        f"Slugs of the legal bases. {help_of(Case, 'legal_bases')}",
        lambda r: [basis.slug for basis in r.legal_bases],
        many=True,
    ),
    Column(
        "companies",
        "text",
        "Slugs of the companies on the case, in the order of company_roles.",
        lambda r: [party.company.slug for party in r.parties],
        many=True,
    ),
    Column(
        "company_roles",
        "text",
        f"One entry per company, in the order of companies. {help_of(Party, 'role')}",
        lambda r: [party.role for party in r.parties],
        PartyRole.choices,
        many=True,
    ),
    Column(
        "data_modalities",
        "text",
        f"Kinds of data at the heart of the case, each once. {help_of(Dataset, 'modality')}",
        lambda r: list(dict.fromkeys(dataset.modality for dataset in r.datasets)),
        Modality.choices,
        many=True,
    ),
    Column("remedy_count", "integer", "How many remedies the case records.", lambda r: len(r.remedies)),
    Column(
        "remedy_types",
        "text",
        f"Slug of each remedy's type, in taxonomy order. {help_of(Remedy, 'remedy_type')}",
        lambda r: [remedy.remedy_type.slug for remedy in r.remedies],
        many=True,
    ),
    Column(
        "remedy_type_names",
        "text",
        f"{PER_REMEDY} The name of the remedy type.",
        lambda r: [remedy.remedy_type.name for remedy in r.remedies],
        many=True,
    ),
    Column(
        "remedy_origins",
        "text",
        f"{PER_REMEDY} {help_of(Remedy, 'origin')} Only ordered and agreed remedies bind the company.",
        lambda r: [remedy.origin for remedy in r.remedies],
        RemedyOrigin.choices,
        many=True,
    ),
    Column(
        "remedy_statuses",
        "text",
        f"{PER_REMEDY} {help_of(Remedy, 'status')}",
        lambda r: [remedy.status for remedy in r.remedies],
        RemedyStatus.choices,
        many=True,
    ),
    Column(
        "remedy_amounts",
        "decimal",
        f"{PER_REMEDY} {help_of(Remedy, 'amount')} Empty for remedies without an amount.",
        lambda r: [_money(remedy.amount) for remedy in r.remedies],
        many=True,
    ),
    Column(
        "remedy_currencies",
        "text",
        f"{PER_REMEDY} {help_of(Remedy, 'currency')}",
        lambda r: [remedy.currency or None for remedy in r.remedies],
        many=True,
    ),
    Column(
        "remedy_amounts_usd",
        "decimal",
        f"{PER_REMEDY} {help_of(Remedy, 'amount_usd')}",
        lambda r: [_money(remedy.amount_usd) for remedy in r.remedies],
        many=True,
    ),
    Column(
        "binding_amount_usd",
        "decimal",
        "Sum of remedy_amounts_usd over the remedies that bind the company (ordered or agreed); "
        "empty when none has a US-dollar figure.",
        _binding_total,
    ),
    Column("summary", "text", help_of(Case, "summary"), lambda r: r.case.summary),
    Column("significance", "text", help_of(Case, "significance"), lambda r: r.case.significance),
    Column("updated_at", "datetime", help_of(Case, "updated_at"), lambda r: _iso(r.case.updated_at)),
]
COLUMN_NAMES = [column.name for column in COLUMNS]


def for_export(cases):
    """`cases` with everything a row reads, in a fixed number of queries per chunk of rows (drafts left out)."""
    return cases.for_list().prefetch_related(
        Prefetch("legal_bases", to_attr="export_legal_bases"),
        Prefetch(
            "parties",
            queryset=Party.objects.filter(company__status=PublicationStatus.PUBLISHED)
            .select_related("company")
            .order_by(choice_rank("role", PartyRole), "company__slug"),
            to_attr="export_parties",
        ),
        Prefetch(
            "datasets",
            queryset=Dataset.objects.published().only("pk", "modality").order_by("modality"),
            to_attr="export_datasets",
        ),
    )


@dataclass
class Row:
    """One case and what its row reads, each relation fetched once: the columns' `get` takes this."""

    case: Case
    url: str
    remedies: list
    legal_bases: list
    parties: list
    datasets: list


def rows(cases, absolute):
    """One dict per case of `cases` (a CaseFilter's qs), keys in COLUMNS order, read in chunks.

    `absolute` turns a path into an address (request.build_absolute_uri).
    """
    # Reversed once: a reverse() per row would cost more than the rest of the row.
    before, _slug, after = absolute(reverse("knowledge:case_detail", args=["__slug__"])).rpartition("__slug__")
    for case in for_export(cases).iterator(chunk_size=CHUNK_SIZE):
        row = Row(
            case,
            f"{before}{case.slug}{after}",
            list(case.remedies.all()),
            case.export_legal_bases,
            case.export_parties,
            case.export_datasets,
        )
        yield {column.name: column.get(row) for column in COLUMNS}
        _release(case)


def _release(case):
    """Drop what was prefetched for a row once it is written.

    A prefetched remedy or party points back at its case, a cycle that only the garbage collector's rare full
    pass would free: without this, every chunk already written would stay in memory until then.
    """
    case._prefetched_objects_cache.clear()
    case.export_parties = case.export_legal_bases = case.export_datasets = None


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


# A spreadsheet runs a cell that starts with one of these as a formula (CSV injection); a quote in front
# makes it text. Plain numbers such as -12.50 stay numbers.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
PLAIN_NUMBER = re.compile(r"[+-]?[0-9]+(?:\.[0-9]+)?")


def _text_not_formula(text):
    if text.startswith(FORMULA_STARTS) and not PLAIN_NUMBER.fullmatch(text):
        return "'" + text
    return text


def _cell(value):
    if value is None:
        return ""
    if isinstance(value, list):
        value = LIST_SEPARATOR.join("" if item is None else str(item) for item in value)
    if isinstance(value, str):
        return _text_not_formula(value)
    return value


def csv_chunks(cases, absolute):
    """The CSV text in pieces: a byte-order mark, the header, then the rows."""
    writer = csv.writer(_Line())
    yield "\ufeff" + writer.writerow(COLUMN_NAMES)
    for batch in _batched(rows(cases, absolute), ROWS_PER_WRITE):
        yield "".join(writer.writerow([_cell(value) for value in row.values()]) for row in batch)


# --- JSON and JSON Lines ------------------------------------------------------------------------------------


def _dumps(value):
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def jsonl_chunks(cases, absolute):
    """One JSON object per line, one line per case."""
    for batch in _batched(rows(cases, absolute), ROWS_PER_WRITE):
        yield "".join(_dumps(row) + "\n" for row in batch)


def json_chunks(cases, absolute, meta):
    """A single JSON document: `meta`, then `cases`, written one case at a time."""
    head = json.dumps(meta, ensure_ascii=False, indent=1)
    yield head[: head.rindex("}")].rstrip() + ',\n "cases": ['
    first = True
    for batch in _batched(rows(cases, absolute), ROWS_PER_WRITE):
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
    absolute = request.build_absolute_uri
    if extension == "csv":
        chunks = csv_chunks(cases, absolute)
    elif extension == "jsonl":
        chunks = jsonl_chunks(cases, absolute)
    else:
        chunks = json_chunks(cases, absolute, json_meta(request, filterset, cases.count()))
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
