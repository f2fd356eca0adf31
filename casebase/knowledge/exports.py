"""Exports of the filtered case list: CSV, JSON and JSON Lines, one row per case, streamed in constant memory.

The rows are exactly `CaseFilter(...).qs`, the set and order of the HTML list, every page of it. Each column
is documented from the models' `help_text` (the data dictionary page reads `COLUMNS`).
"""

import csv
import json
import re
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

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

# Cases read per chunk, each chunk with one query per related table: the memory an export holds.
CHUNK_SIZE = 1000
# Rows written per piece of the response: few enough to keep memory flat, enough to keep writes large.
ROWS_PER_WRITE = 500
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


IMPOSED = frozenset(RemedyOrigin.imposed())


def _binding_total(row):
    amounts = [r.amount_usd for r in row.remedies if r.amount_usd is not None and r.origin in IMPOSED]
    return _money(sum(amounts, Decimal("0.00"))) if amounts else None


def _year(case):
    # Case.year, from the values read for the row.
    key_date = case.decided_on or case.started_on
    return key_date.year if key_date else None


def _docket_list(case):
    # Case.docket_list, from the values read for the row.
    return [line.strip() for line in case.docket_numbers.splitlines() if line.strip()]


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
        lambda r: r.case.authority__slug,
    ),
    Column(
        "authority_name",
        "text",
        "Full name of the authority.",
        lambda r: r.case.authority__name,
    ),
    Column(
        "forum",
        "text",
        f"Slug of the court. {help_of(Case, 'forum')}",
        lambda r: r.case.forum__slug,
    ),
    Column(
        "forum_name",
        "text",
        "Full name of the court or tribunal.",
        lambda r: r.case.forum__name,
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
        lambda r: _year(r.case),
    ),
    Column("docket_numbers", "text", help_of(Case, "docket_numbers"), lambda r: _docket_list(r.case), many=True),
    Column(
        "legal_bases",
        "text",
        f"Slugs of the legal bases. {help_of(Case, 'legal_bases')}",
        lambda r: r.legal_bases,
        many=True,
    ),
    Column(
        "companies",
        "text",
        "Slugs of the companies on the case, in the order of company_roles.",
        lambda r: [party.company__slug for party in r.parties],
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
        lambda r: r.modalities,
        Modality.choices,
        many=True,
    ),
    Column("remedy_count", "integer", "How many remedies the case records.", lambda r: len(r.remedies)),
    Column(
        "remedy_types",
        "text",
        f"Slug of each remedy's type, in taxonomy order. {help_of(Remedy, 'remedy_type')}",
        lambda r: [remedy.remedy_type__slug for remedy in r.remedies],
        many=True,
    ),
    Column(
        "remedy_type_names",
        "text",
        f"{PER_REMEDY} The name of the remedy type.",
        lambda r: [remedy.remedy_type__name for remedy in r.remedies],
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


# What a row reads, as plain values (named tuples): a model instance per case would cost more than its row.
CASE_FIELDS = [
    "pk",
    "slug",
    "title",
    "short_title",
    "kind",
    "case_status",
    "authority__slug",
    "authority__name",
    "forum__slug",
    "forum__name",
    "jurisdiction",
    "started_on",
    "started_on_precision",
    "decided_on",
    "decided_on_precision",
    "docket_numbers",
    "summary",
    "significance",
    "updated_at",
]
REMEDY_FIELDS = ["remedy_type__slug", "remedy_type__name", "origin", "status", "amount", "currency", "amount_usd"]
PARTY_FIELDS = ["company__slug", "role"]


@dataclass(slots=True)
class Row:
    """One case and what its row reads: the columns' `get` takes this."""

    case: tuple  # CASE_FIELDS
    url: str
    remedies: list  # REMEDY_FIELDS of each remedy of a published type, in taxonomy order (as Case.for_list)
    legal_bases: list  # slugs, by name
    parties: list  # PARTY_FIELDS of each party that is a published company, by role then slug
    modalities: list  # of the case's published datasets, each once, sorted


def _by_case(rows):
    """{case id: [row, ...]} from rows whose first value is the case id, keeping their order."""
    grouped = defaultdict(list)
    for row in rows:
        grouped[row[0]].append(row)
    return grouped


def _values_by_case(pairs):
    """{case id: [value, ...]} from (case id, value) pairs, keeping their order."""
    grouped = defaultdict(list)
    for case_id, value in pairs:
        grouped[case_id].append(value)
    return grouped


def _related(case_ids):
    """What the rows of these cases read beyond the case: one query per related table, however many cases."""
    published = PublicationStatus.PUBLISHED
    remedies = Remedy.objects.filter(case_id__in=case_ids, remedy_type__status=published)
    bases = Case.legal_bases.through.objects.filter(case_id__in=case_ids).order_by("legalbasis__name")
    parties = Party.objects.filter(case_id__in=case_ids, company__status=published).order_by(
        choice_rank("role", PartyRole), "company__slug"
    )
    datasets = Case.datasets.through.objects.filter(case_id__in=case_ids, dataset__status=published)
    return (
        _by_case(remedies.values_list("case_id", *REMEDY_FIELDS, named=True)),
        _values_by_case(bases.values_list("case_id", "legalbasis__slug")),
        _by_case(parties.values_list("case_id", *PARTY_FIELDS, named=True)),
        _values_by_case(datasets.values_list("case_id", "dataset__modality").order_by("dataset__modality").distinct()),
    )


def _values(cases, absolute):
    """A list of values in COLUMNS order per case of `cases` (a CaseFilter's qs), read in chunks.

    `absolute` turns a path into an address (request.build_absolute_uri).
    """
    # Reversed once: a reverse() per row would cost more than the rest of the row.
    before, _slug, after = absolute(reverse("knowledge:case_detail", args=["__slug__"])).rpartition("__slug__")
    getters = [column.get for column in COLUMNS]
    case_values = cases.values_list(*CASE_FIELDS, named=True).iterator(chunk_size=CHUNK_SIZE)
    for chunk in _batched(case_values, CHUNK_SIZE):
        remedies, bases, parties, modalities = _related([case.pk for case in chunk])
        for case in chunk:
            row = Row(
                case,
                f"{before}{case.slug}{after}",
                remedies.get(case.pk, []),
                bases.get(case.pk, []),
                parties.get(case.pk, []),
                modalities.get(case.pk, []),
            )
            yield [get(row) for get in getters]


def rows(cases, absolute):
    """One dict per case of `cases` (a CaseFilter's qs), keys in COLUMNS order, read in chunks."""
    for values in _values(cases, absolute):
        yield dict(zip(COLUMN_NAMES, values, strict=True))


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
    if isinstance(value, str):
        return _text_not_formula(value)
    if isinstance(value, list):
        return _text_not_formula(LIST_SEPARATOR.join(["" if item is None else str(item) for item in value]))
    return "" if value is None else value


def csv_chunks(cases, absolute):
    """The CSV text in pieces: a byte-order mark, the header, then the rows."""
    writer = csv.writer(_Line())
    yield "\ufeff" + writer.writerow(COLUMN_NAMES)
    for batch in _batched(_values(cases, absolute), ROWS_PER_WRITE):
        yield "".join(writer.writerow([_cell(value) for value in values]) for values in batch)


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
