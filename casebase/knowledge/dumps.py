"""The bulk dump of every public record: a SQLite database, a CSV per table, JSON, the schema and a README.

`write_dump` builds one versioned dump into settings.DUMPS_DIR (`manage.py dump_public`); `latest_dump` reads
what the downloads page lists. Only published records and the rows that hang off them go in; a reference to
anything else (a draft company, an editor) is left empty, so every foreign key in the database resolves.
"""

import csv
import datetime
import hashlib
import json
import re
import shutil
import sqlite3
import tempfile
import zipfile
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.db import connection, models, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from .exports import LICENCE, LICENCE_URL
from .models import (
    Authority,
    Case,
    CaseRelation,
    Citation,
    Company,
    Dataset,
    ExchangeRate,
    ExposureEntry,
    ExposureList,
    LegalBasis,
    Party,
    PublicEntity,
    Remedy,
    RemedyType,
    Source,
    TimelineEvent,
    TrainedModel,
)

# Bumped when a table or column is renamed or removed, so scripts written against a dump can tell.
DUMP_FORMAT = 1
NAME = re.compile(r"^casebase-(?P<version>\d{8}T\d{6}Z(?:-\d+)?)\.(?P<ext>zip|sqlite3|json)$")
# Never public: publication state (everything here is published), who verified a page, editors' notes.
EXCLUDED_FROM_PAGES = {"status", "last_verified_by", "verify_every_days"}  # the PublicEntity fields
EXCLUDED_BY_MODEL = {Source: {"note"}}

SQL_TYPES = {
    models.BooleanField: "INTEGER",
    models.DecimalField: "NUMERIC",
    models.DateField: "TEXT",  # ISO 8601, as DateTimeField (a subclass)
    models.IntegerField: "INTEGER",  # and its subclasses: auto, positive, small, big
    models.ForeignKey: "INTEGER",
}
FRICTIONLESS_TYPES = {"INTEGER": "integer", "NUMERIC": "number", "TEXT": "string"}


@dataclass(frozen=True)
class DumpColumn:
    name: str
    sql_type: str
    description: str
    references: str = ""  # the table a foreign key points to
    choices: tuple = ()
    data_type: str = "string"  # the Frictionless type
    computed: bool = False  # not a model field: made while dumping

    @property
    def type_label(self):
        if self.references:
            return f"integer, id in {self.references}"
        return self.data_type


@dataclass(frozen=True)
class Table:
    """One table of the dump: an entity with its public rows, or a link between two."""

    name: str
    model: type
    description: str
    public: Callable  # (public querysets so far) -> queryset of this table's public rows
    link_ends: tuple = ()  # for links: ((through field attname, column name, target table), …)
    url_name: str = ""  # reverse() name of the rows' pages, by slug
    columns: list = field(default_factory=list, compare=False)


def _sql_type(model_field):
    for kind, sql in SQL_TYPES.items():
        if isinstance(model_field, kind):
            return sql
    return "TEXT"


def _frictionless_type(model_field, sql_type):
    if isinstance(model_field, models.BooleanField):
        return "boolean"
    if isinstance(model_field, models.DateTimeField):
        return "datetime"
    if isinstance(model_field, models.DateField):
        return "date"
    return FRICTIONLESS_TYPES[sql_type]


def _describe(model, model_field):
    """The field's help_text, or a sentence for the few fields that have none (keys, precisions)."""
    if model_field.help_text:
        return str(model_field.help_text)
    if model_field.primary_key:
        return f"Identifier of the {model._meta.verbose_name}; stable from one dump to the next."
    if model_field.name.endswith("_precision"):
        return f"How precisely {model_field.name.removesuffix('_precision')} is known: day, month or year."
    if model_field.is_relation:
        return f"The {model_field.related_model._meta.verbose_name} this belongs to."
    if model_field.name == "created_at":
        return "When this record was first stored."
    if model_field.name == "updated_at":
        return "When this record was last changed."
    return str(model_field.verbose_name).capitalize() + "."


# --- Which rows are public --------------------------------------------------------------------------------


def _entity_tables():
    return [
        Table("authorities", Authority, "Who enforces or decides.", lambda p: Authority.objects.published(),
              url_name="knowledge:authority_detail"),
        Table("companies", Company, "Parties to cases.", lambda p: Company.objects.published(),
              url_name="knowledge:company_detail"),
        Table("remedy_types", RemedyType, "The taxonomy of remedies.", lambda p: RemedyType.objects.published(),
              url_name="knowledge:remedytype_detail"),
        Table("cases", Case, "Enforcement actions and lawsuits.", lambda p: Case.objects.published(),
              url_name="knowledge:case_detail"),
        Table("datasets", Dataset, "The data at the heart of cases, with consent terms and actual use.",
              lambda p: Dataset.objects.published(), url_name="knowledge:dataset_detail"),
        Table("exposure_lists", ExposureList, "Companies facing the risk a precedent creates.",
              lambda p: ExposureList.objects.published(), url_name="knowledge:exposurelist_detail"),
        Table("legal_bases", LegalBasis, "Laws the cases rely on.",
              lambda p: LegalBasis.objects.filter(pk__in=Case.legal_bases.through.objects.filter(
                  case__in=p["cases"]).values("legalbasis_id"))),
        Table("parties", Party, "Companies on cases, with their roles.",
              lambda p: Party.objects.filter(case__in=p["cases"], company__in=p["companies"])),
        Table("timeline_events", TimelineEvent, "Dated steps in cases.",
              lambda p: TimelineEvent.objects.filter(case__in=p["cases"])),
        Table("case_relations", CaseRelation, "Links between cases: appeals, parallel proceedings, precedents.",
              lambda p: CaseRelation.objects.filter(from_case__in=p["cases"], to_case__in=p["cases"])),
        Table("remedies", Remedy, "Each remedy in each case, with amounts in the original currency and US dollars.",
              lambda p: Remedy.objects.published()),
        Table("trained_models", TrainedModel, "Models and algorithms built on datasets.",
              lambda p: TrainedModel.objects.filter(
                  Q(developer__in=p["companies"])
                  | Q(pk__in=TrainedModel.datasets.through.objects.filter(dataset__in=p["datasets"])
                      .values("trainedmodel_id"))
                  | Q(pk__in=Remedy.covers_models.through.objects.filter(remedy__in=p["remedies"])
                      .values("trainedmodel_id")))),
        Table("exposure_entries", ExposureEntry, "Companies on exposure lists: alleged or potential, never verdicts.",
              lambda p: ExposureEntry.objects.filter(exposure_list__in=p["exposure_lists"],
                                                     company__in=p["companies"])),
        Table("exchange_rates", ExchangeRate, "Reference rates used for the US-dollar figures.",
              lambda p: ExchangeRate.objects.filter(pk__in=p["remedies"].values("exchange_rate_id"))),
        Table("citations", Citation, "Sources cited by cases, remedies, datasets and exposure records.",
              lambda p: Citation.objects.filter(
                  Q(case__in=p["cases"]) | Q(remedy__in=p["remedies"]) | Q(dataset__in=p["datasets"])
                  | Q(exposure_list__in=p["exposure_lists"]) | Q(exposure_entry__in=p["exposure_entries"]))),
        Table("sources", Source, "The documents every fact is cited from.",
              lambda p: Source.objects.filter(
                  Q(pk__in=p["citations"].values("source_id"))
                  | Q(pk__in=p["timeline_events"].values("source_id"))
                  | Q(pk__in=p["exchange_rates"].values("source_id"))
                  | Q(pk__in=p["remedies"].values("compliance_source_id")))),
    ]  # fmt: skip


def _link_tables():
    def link(name, through, description, first, second):
        (a_field, _, a_table), (b_field, _, b_table) = first, second
        return Table(
            name,
            through,
            description,
            lambda p: through.objects.filter(**{f"{a_field}__in": p[a_table], f"{b_field}__in": p[b_table]}),
            link_ends=(first, second),
        )

    return [
        link("case_legal_bases", Case.legal_bases.through, "Laws each case relies on.",
             ("case_id", "case_id", "cases"), ("legalbasis_id", "legal_basis_id", "legal_bases")),
        link("case_datasets", Case.datasets.through, "Data at the heart of each case.",
             ("case_id", "case_id", "cases"), ("dataset_id", "dataset_id", "datasets")),
        link("remedy_datasets", Remedy.covers_datasets.through, "Data each remedy reaches.",
             ("remedy_id", "remedy_id", "remedies"), ("dataset_id", "dataset_id", "datasets")),
        link("remedy_models", Remedy.covers_models.through, "Models or algorithms each remedy reaches.",
             ("remedy_id", "remedy_id", "remedies"), ("trainedmodel_id", "trained_model_id", "trained_models")),
        link("dataset_recipients", Dataset.received_by.through, "Companies each dataset was passed to.",
             ("dataset_id", "dataset_id", "datasets"), ("company_id", "company_id", "companies")),
        link("trained_model_datasets", TrainedModel.datasets.through, "Data each model was trained on.",
             ("trainedmodel_id", "trained_model_id", "trained_models"), ("dataset_id", "dataset_id", "datasets")),
        link("exposure_list_precedents", ExposureList.precedents.through, "Cases each exposure list rests on.",
             ("exposurelist_id", "exposure_list_id", "exposure_lists"), ("case_id", "case_id", "cases")),
        link("exposure_entry_cases", ExposureEntry.related_cases.through,
             "Pending cases that raise each exposure entry's allegation.",
             ("exposureentry_id", "exposure_entry_id", "exposure_entries"), ("case_id", "case_id", "cases")),
    ]  # fmt: skip


def _with_columns(tables):
    """The tables with their columns filled in from the models (names, types, help_text, choices, references)."""
    table_of = {table.model: table.name for table in tables if not table.link_ends}
    for table in tables:
        if table.link_ends:
            for _through_field, column, target in table.link_ends:
                table.columns.append(
                    DumpColumn(column, "INTEGER", f"The row in {target}.", references=target, data_type="integer")
                )
            continue
        skip = EXCLUDED_BY_MODEL.get(table.model, set())
        if issubclass(table.model, PublicEntity):
            skip = skip | EXCLUDED_FROM_PAGES
        for model_field in table.model._meta.concrete_fields:
            if model_field.name in skip:
                continue
            sql_type = _sql_type(model_field)
            table.columns.append(
                DumpColumn(
                    model_field.attname,
                    sql_type,
                    _describe(table.model, model_field),
                    references=table_of.get(model_field.related_model, "") if model_field.is_relation else "",
                    choices=tuple(model_field.choices or ()),
                    data_type=_frictionless_type(model_field, sql_type),
                )
            )
        if table.url_name:
            table.columns.append(DumpColumn("page_url", "TEXT", "The record's page on casebase.", computed=True))
    return tables


TABLES = _with_columns(_entity_tables() + _link_tables())
BY_NAME = {table.name: table for table in TABLES}


def public_rows():
    """{table name: queryset of its public rows}, each defined from the tables before it."""
    querysets = {}
    for table in TABLES:
        querysets[table.name] = table.public(querysets)
    return querysets


# --- Writing -------------------------------------------------------------------------------------------------


def _sql_value(value):
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, Decimal):
        return str(value)
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


def _create_statement(table):
    columns = []
    for column in table.columns:
        definition = f'"{column.name}" {column.sql_type}'
        if column.name == "id" and not table.link_ends:
            definition += " PRIMARY KEY"
        if column.references:
            definition += f' REFERENCES "{column.references}" ("id")'
        columns.append(definition)
    if table.link_ends:
        columns.append(f"PRIMARY KEY ({', '.join(column.name for column in table.columns)})")
    return f'CREATE TABLE "{table.name}" (\n  ' + ",\n  ".join(columns) + "\n)"


def _fill(db, table, queryset, site_url):
    """Copy the public rows of one table into the SQLite database, in id order; returns the row count."""
    if table.link_ends:
        attnames = [end[0] for end in table.link_ends]
        order = attnames
    else:
        attnames = [column.name for column in table.columns if not column.computed]
        order = ["pk"]
    url_index = attnames.index("slug") if table.url_name else None
    placeholders = ", ".join("?" for _ in table.columns)
    statement = f'INSERT INTO "{table.name}" VALUES ({placeholders})'
    count = 0
    batch = []
    for row in queryset.order_by(*order).values_list(*attnames).iterator(chunk_size=2000):
        values = [_sql_value(value) for value in row]
        if url_index is not None:
            values.append(site_url + reverse(table.url_name, args=[row[url_index]]))
        batch.append(values)
        if len(batch) >= 2000:
            count += _insert(db, statement, batch)
            batch = []
    return count + _insert(db, statement, batch)


def _insert(db, statement, batch):
    before = db.total_changes
    db.executemany(statement, batch)
    return db.total_changes - before


def _drop_dangling_references(db):
    """Empty every reference to a row that is not in the dump (a draft company, a withdrawn case)."""
    for table in TABLES:
        if table.link_ends:
            continue
        for column in table.columns:
            if column.references:
                db.execute(
                    f'UPDATE "{table.name}" SET "{column.name}" = NULL WHERE "{column.name}" IS NOT NULL '
                    f'AND "{column.name}" NOT IN (SELECT id FROM "{column.references}")'
                )


def build_database(path, site_url, info):
    """Write the public tables into a new SQLite file at `path`; returns {table: row count}."""
    db = sqlite3.connect(path)
    try:
        for table in TABLES:
            db.execute(_create_statement(table))
        db.execute('CREATE TABLE "dump_info" ("key" TEXT PRIMARY KEY, "value" TEXT)')
        db.executemany('INSERT INTO "dump_info" VALUES (?, ?)', [(key, str(value)) for key, value in info.items()])
        counts = {}
        querysets = public_rows()
        for table in TABLES:
            counts[table.name] = _fill(db, table, querysets[table.name], site_url)
        _drop_dangling_references(db)
        for table in TABLES:
            for column in table.columns:
                if column.references:
                    db.execute(
                        f'CREATE INDEX "{table.name}_{column.name}" ON "{table.name}" ("{column.name}")'
                    )  # fmt: skip
        db.commit()
        db.execute("VACUUM")
    finally:
        db.close()
    return counts


@contextmanager
def snapshot():
    """A transaction in which every table is read as of one moment (REPEATABLE READ on PostgreSQL)."""
    outer = not connection.in_atomic_block
    with transaction.atomic():
        if outer and connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
        yield


def write_csvs(db_path, folder):
    """One CSV per table (UTF-8 with a byte-order mark, header row first), read back from the database."""
    folder.mkdir()
    db = sqlite3.connect(db_path)
    try:
        for table in TABLES:
            with open(folder / f"{table.name}.csv", "w", encoding="utf-8-sig", newline="") as out:
                writer = csv.writer(out)
                writer.writerow([column.name for column in table.columns])
                writer.writerows(db.execute(f'SELECT * FROM "{table.name}" ORDER BY rowid'))
    finally:
        db.close()


def write_json(db_path, path, info):
    """Every table as JSON: {"dump": info, "tables": {name: [rows as objects]}}, written row by row."""
    db = sqlite3.connect(db_path)
    try:
        with open(path, "w", encoding="utf-8") as out:
            out.write('{"dump": ' + json.dumps(info, ensure_ascii=False) + ',\n "tables": {')
            for index, table in enumerate(TABLES):
                names = [column.name for column in table.columns]
                out.write(("," if index else "") + f"\n  {json.dumps(table.name)}: [")
                cursor = db.execute(f'SELECT * FROM "{table.name}" ORDER BY rowid')
                for number, row in enumerate(cursor):
                    out.write(("," if number else "") + "\n   " + json.dumps(dict(zip(names, row, strict=True))))
                out.write("\n  ]")
            out.write("\n }\n}\n")
    finally:
        db.close()


def datapackage(info, counts):
    """The schema as a Frictionless Tabular Data Package: every table, column, type, description and key."""
    resources = []
    for table in TABLES:
        fields = []
        for column in table.columns:
            described = {"name": column.name, "type": column.data_type, "description": column.description}
            if column.choices:
                described["constraints"] = {"enum": [value for value, _label in column.choices]}
                described["description"] += " One of: " + "; ".join(f"{v} ({label})" for v, label in column.choices)
            fields.append(described)
        schema = {"fields": fields}
        schema["primaryKey"] = [column.name for column in table.columns] if table.link_ends else ["id"]
        schema["foreignKeys"] = [
            {"fields": [column.name], "reference": {"resource": column.references, "fields": ["id"]}}
            for column in table.columns
            if column.references
        ]
        resources.append(
            {
                "name": table.name,
                "path": f"csv/{table.name}.csv",
                "profile": "tabular-data-resource",
                "description": table.description,
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8-sig",
                "rows": counts[table.name],
                "schema": schema,
            }
        )
    return {
        "profile": "tabular-data-package",
        "name": "casebase",
        "title": "casebase: enforcement actions against AI and data companies",
        "version": info["version"],
        "created": info["created_at"],
        "homepage": info["source"],
        "licenses": [{"name": "CC-BY-4.0", "path": LICENCE_URL, "title": "Creative Commons Attribution 4.0"}],
        "resources": resources,
    }


def readme(info, counts):
    """The dump's README: what it holds, the licence, how to cite it, how to open it."""
    created = info["created_at"][:10]
    tables = "\n".join(
        f"| `{table.name}` | {counts[table.name]} | {table.description} |" for table in TABLES
    )  # fmt: skip
    return f"""# casebase public data, version {info["version"]}

Every published record of casebase ({info["source"]}), enforcement actions against AI and data
companies, as of {info["created_at"]}. Drafts and withdrawn records are not included; a reference
to a record that is not public is left empty.

## Files

- `casebase.sqlite3`: a SQLite database of the tables below, with primary and foreign keys.
  Open it with `sqlite3`, Datasette (`datasette casebase.sqlite3`), pandas
  (`pandas.read_sql("select * from cases", sqlite3.connect("casebase.sqlite3"))`) or any SQL tool.
- `csv/<table>.csv`: the same tables, one CSV each (UTF-8 with a byte-order mark, a header row).
- `casebase.json`: the same tables as JSON: `{{"dump": {{...}}, "tables": {{"cases": [...], ...}}}}`.
- `schema.sql`: the database schema; `datapackage.json`: the tables, columns, types, allowed values
  and keys as a Frictionless Tabular Data Package, every column described.
- The site's data dictionary: {info["data_dictionary"]}

Dates are ISO 8601 (`YYYY-MM-DD`); a date known only to the month or year is stored as the first
day of its period and its `_precision` column says so. Amounts keep their original currency
(`amount`, `currency`) beside a US-dollar figure (`amount_usd`) converted at the reference rate in
`exchange_rate_id`. A remedy binds the company only when its `origin` is `ordered` or `agreed`.

## Tables

| table | rows | what it holds |
|---|---|---|
{tables}

## Licence

The data is available under the Creative Commons Attribution 4.0 International licence
({LICENCE}, {LICENCE_URL}):
you may copy, adapt and redistribute it for any purpose if you credit casebase and link to
{info["source"]}. The documents in `sources` belong to their publishers and are not covered by
this licence; quoted text is marked as quotation.

## How to cite

casebase. *casebase public data*, version {info["version"]} ({created}). {info["downloads"]}

```bibtex
@misc{{casebase_{info["version"].replace("-", "_")},
  author = {{{{casebase}}}},
  title = {{casebase public data, version {info["version"]}}},
  year = {{{created[:4]}}},
  date = {{{created}}},
  url = {{{info["downloads"]}}},
  note = {{Licensed under {LICENCE}}}
}}
```

Dump format {info["format"]}: a later format number means tables or columns were renamed or removed.
"""


def _sha256(path):
    digest = hashlib.sha256()
    with open(path, "rb") as source:
        for block in iter(lambda: source.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def dumps_dir():
    return Path(settings.DUMPS_DIR)


def _new_version(folder, now):
    base = now.strftime("%Y%m%dT%H%M%SZ")
    version, number = base, 1
    while any((folder / f"casebase-{version}.{ext}").exists() for ext in ("zip", "sqlite3", "json")):
        number += 1
        version = f"{base}-{number}"
    return version


def write_dump(folder=None, site_url=None, now=None):
    """Write a new dump into `folder` (settings.DUMPS_DIR); returns its manifest, as the downloads page reads it."""
    folder = Path(folder or dumps_dir())
    folder.mkdir(parents=True, exist_ok=True)
    site_url = (site_url or settings.SITE_URL).rstrip("/")
    now = (now or timezone.now()).astimezone(datetime.UTC)
    version = _new_version(folder, now)
    info = {
        "version": version,
        "format": DUMP_FORMAT,
        "created_at": now.replace(microsecond=0).isoformat(),
        "source": site_url + "/",
        "downloads": site_url + reverse("knowledge:downloads"),
        "data_dictionary": site_url + reverse("knowledge:data_dictionary"),
        "licence": LICENCE,
        "licence_url": LICENCE_URL,
    }
    building = Path(tempfile.mkdtemp(prefix=".building-", dir=folder))
    try:
        root = building / f"casebase-{version}"
        root.mkdir()
        db_path = root / "casebase.sqlite3"
        with snapshot():
            counts = build_database(db_path, site_url, info)
        write_csvs(db_path, root / "csv")
        write_json(db_path, root / "casebase.json", info)
        db = sqlite3.connect(db_path)
        try:
            schema = ";\n\n".join(sql for (sql,) in db.execute("SELECT sql FROM sqlite_master WHERE sql IS NOT NULL"))
        finally:
            db.close()
        (root / "schema.sql").write_text(schema + ";\n", encoding="utf-8")
        (root / "datapackage.json").write_text(json.dumps(datapackage(info, counts), indent=1), encoding="utf-8")
        (root / "README.md").write_text(readme(info, counts), encoding="utf-8")
        archive = building / f"casebase-{version}.zip"
        with zipfile.ZipFile(archive, "w", compression=zipfile.ZIP_DEFLATED) as zipped:
            for path in sorted(root.rglob("*")):
                if path.is_file():
                    zipped.write(path, path.relative_to(building).as_posix())
        files = []
        for path, description in (
            (archive, "Everything: SQLite database, a CSV per table, JSON, schema and README (ZIP)"),
            (db_path, "The SQLite database alone"),
        ):
            final = folder / f"casebase-{version}{path.suffix}"
            shutil.move(path, final)
            files.append(
                {"name": final.name, "description": description, "size": final.stat().st_size, "sha256": _sha256(final)}
            )
        manifest = {**info, "files": files, "tables": counts}
        # Written last and renamed into place: the downloads page never sees a dump half written.
        staged = building / "manifest.json"
        staged.write_text(json.dumps(manifest, indent=1), encoding="utf-8")
        staged.replace(folder / f"casebase-{version}.json")
    finally:
        shutil.rmtree(building, ignore_errors=True)
    return manifest


def dumps(folder=None):
    """Every complete dump's manifest in `folder`, newest first."""
    folder = Path(folder or dumps_dir())
    if not folder.is_dir():
        return []
    manifests = []
    for path in folder.glob("casebase-*.json"):
        if NAME.match(path.name):
            try:
                manifests.append(json.loads(path.read_text(encoding="utf-8")))
            except (OSError, ValueError):
                continue  # unreadable: listed by no one rather than breaking the page
    return sorted(manifests, key=lambda manifest: manifest.get("version", ""), reverse=True)


def latest_dump(folder=None):
    found = dumps(folder)
    return found[0] if found else None


def prune(keep, folder=None):
    """Delete all but the `keep` newest dumps; returns the versions deleted."""
    folder = Path(folder or dumps_dir())
    deleted = []
    for manifest in dumps(folder)[keep:]:
        version = manifest["version"]
        for ext in ("zip", "sqlite3", "json"):
            (folder / f"casebase-{version}.{ext}").unlink(missing_ok=True)
        deleted.append(version)
    return deleted


def dump_path(name, folder=None):
    """The file of a dump by its file name, or None when the name is not one of ours or the file is gone."""
    if not NAME.match(name):
        return None
    path = Path(folder or dumps_dir()) / name
    return path if path.is_file() else None
