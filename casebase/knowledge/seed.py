"""Load the sourced seed data in fixtures/ (TOML files) into the database.

Records are matched by slug (sources by key, then URL). A record that already exists is left
exactly as it is, so running the loader again changes nothing and editors' work is never
overwritten. Everything happens in one transaction: a broken file loads nothing.
"""

import datetime
import tomllib
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import DatabaseError, transaction

from .models import (
    Authority,
    Case,
    CaseRelation,
    Citation,
    Company,
    Dataset,
    DatePrecision,
    ExchangeRate,
    ExposureEntry,
    ExposureList,
    LegalBasis,
    Party,
    PublicationStatus,
    PublicEntity,
    Remedy,
    RemedyType,
    Source,
    TimelineEvent,
    TrainedModel,
)

FIXTURES_DIR = Path(settings.BASE_DIR) / "fixtures"


class SeedError(Exception):
    """A fixture file refers to something that does not exist or holds a bad value."""


def parse_precise_date(value):
    """'2014' → (1 Jan 2014, year); '2022-03' → (1 Mar 2022, month); '2026-03-30' → (…, day)."""
    if value in (None, ""):
        return None, ""
    text = str(value)
    parts = text.split("-")
    try:
        if len(parts) == 1:
            return datetime.date(int(parts[0]), 1, 1), DatePrecision.YEAR
        if len(parts) == 2:
            return datetime.date(int(parts[0]), int(parts[1]), 1), DatePrecision.MONTH
        return datetime.date.fromisoformat(text), DatePrecision.DAY
    except ValueError as exc:
        raise SeedError(f"bad date {value!r}: {exc}") from exc


def read(path):
    with open(path, "rb") as fh:
        try:
            return tomllib.load(fh)
        except tomllib.TOMLDecodeError as exc:
            raise SeedError(f"{path.name}: {exc}") from exc


class Loader:
    """One run of the seed loader; counts what it created."""

    def __init__(self, directory=FIXTURES_DIR):
        self.directory = Path(directory)
        self.created = {}
        self.sources = {}

    def count(self, label):
        self.created[label] = self.created.get(label, 0) + 1

    def make(self, model, **fields):
        """Create a record after the same validation the admin applies."""
        obj = model(**fields)
        try:
            obj.full_clean()
        except ValidationError as exc:
            raise SeedError(f"{model.__name__} {fields.get('slug') or fields.get('title') or ''}: {exc}") from exc
        obj.save()
        return obj

    def lookup(self, model, slug, where):
        try:
            return model.objects.get(slug=slug)
        except model.DoesNotExist:
            raise SeedError(f"{where}: no {model.__name__} with slug {slug!r}") from None

    def source(self, ref, where):
        key = ref["key"] if isinstance(ref, dict) else ref
        if key not in self.sources:
            raise SeedError(f"{where}: unknown source key {key!r}")
        return self.sources[key]

    def cite(self, refs, where, **owner):
        for ref in refs or []:
            pinpoint = ref.get("pinpoint", "") if isinstance(ref, dict) else ""
            self.make(Citation, source=self.source(ref, where), pinpoint=pinpoint, **owner)

    # -- top-level tables -------------------------------------------------

    def load_sources(self, rows):
        for row in rows:
            key = row.pop("key")
            existing = Source.objects.filter(url=row["url"]).first()
            if existing is None:
                date, precision = parse_precise_date(row.pop("date", None))
                existing = self.make(Source, **row, published_on=date, published_on_precision=precision)
                self.count("sources")
            self.sources[key] = existing

    def load_exchange_rates(self, rows):
        for row in rows:
            row = dict(row)
            date, _ = parse_precise_date(row.pop("date"))
            if ExchangeRate.objects.filter(currency=row["currency"], date=date).exists():
                continue
            row["source"] = self.source(row["source"], f"exchange rate {row['currency']} {date}")
            row["usd_per_unit"] = Decimal(str(row["usd_per_unit"]))
            self.make(ExchangeRate, date=date, **row)
            self.count("exchange rates")

    def load_simple(self, model, rows, label):
        for row in rows:
            if model.objects.filter(slug=row["slug"]).exists():
                continue
            row = dict(row)
            if isinstance(row.get("aliases"), list):
                row["aliases"] = "\n".join(row["aliases"])
            if issubclass(model, PublicEntity):
                row.setdefault("status", PublicationStatus.PUBLISHED)
            self.make(model, **row)
            self.count(label)

    def load_companies(self, rows):
        """Companies, each after its parent, however deep the ownership tree."""
        pending = [dict(row) for row in rows]
        while pending:
            ready = [
                row for row in pending if not row.get("parent") or Company.objects.filter(slug=row["parent"]).exists()
            ]
            if not ready:
                raise SeedError(f"company {pending[0]['slug']}: no Company with slug {pending[0]['parent']!r}")
            for row in ready:
                pending.remove(row)
                if row.get("parent"):
                    row["parent"] = Company.objects.get(slug=row["parent"])
            self.load_simple(Company, ready, "companies")

    def load_datasets(self, rows):
        for row in rows:
            if Dataset.objects.filter(slug=row["slug"]).exists():
                continue
            row = dict(row)
            where = f"dataset {row['slug']}"
            received_by = row.pop("received_by", [])
            sources = row.pop("sources", [])
            for field in ("collection_start", "collection_end"):
                row[field], row[f"{field}_precision"] = parse_precise_date(row.get(field))
            if row.get("collected_by"):
                row["collected_by"] = self.lookup(Company, row["collected_by"], where)
            if row.get("size_value") is not None:
                row["size_value"] = Decimal(str(row["size_value"]))
            row.setdefault("status", PublicationStatus.PUBLISHED)
            dataset = self.make(Dataset, **row)
            dataset.received_by.set([self.lookup(Company, slug, where) for slug in received_by])
            self.cite(sources, where, dataset=dataset)
            self.count("datasets")

    def load_trained_models(self, rows):
        for row in rows:
            if TrainedModel.objects.filter(slug=row["slug"]).exists():
                continue
            row = dict(row)
            where = f"trained model {row['slug']}"
            datasets = row.pop("datasets", [])
            if row.get("developer"):
                row["developer"] = self.lookup(Company, row["developer"], where)
            model = self.make(TrainedModel, **row)
            model.datasets.set([self.lookup(Dataset, slug, where) for slug in datasets])
            self.count("trained models")

    def load_case(self, data):
        if Case.objects.filter(slug=data["slug"]).exists():
            return None
        data = dict(data)
        where = f"case {data['slug']}"
        children = {key: data.pop(key, []) for key in ("parties", "remedies", "timeline", "relations", "sources")}
        legal_bases = data.pop("legal_bases", [])
        datasets = data.pop("datasets", [])
        for field in ("authority", "forum"):
            if data.get(field):
                data[field] = self.lookup(Authority, data[field], where)
        data["docket_numbers"] = "\n".join(data.get("docket_numbers", []))
        for field in ("started_on", "decided_on"):
            data[field], data[f"{field}_precision"] = parse_precise_date(data.get(field))
        data.setdefault("status", PublicationStatus.PUBLISHED)
        case = self.make(Case, **data)
        case.legal_bases.set([self.lookup(LegalBasis, slug, where) for slug in legal_bases])
        case.datasets.set([self.lookup(Dataset, slug, where) for slug in datasets])
        for party in children["parties"]:
            self.make(
                Party,
                case=case,
                company=self.lookup(Company, party["company"], where),
                role=party["role"],
                note=party.get("note", ""),
            )
        for row in children["remedies"]:
            self.load_remedy(case, dict(row), where)
        for row in children["timeline"]:
            date, precision = parse_precise_date(row["date"])
            self.make(
                TimelineEvent,
                case=case,
                date=date,
                date_precision=precision,
                title=row["title"],
                description=row.get("description", ""),
                source=self.source(row["source"], where) if row.get("source") else None,
                needs_verification=row.get("needs_verification", False),
            )
        self.cite(children["sources"], where, case=case)
        self.count("cases")
        return case, children["relations"]

    def load_remedy(self, case, row, where):
        covers_datasets = row.pop("covers_datasets", [])
        covers_models = row.pop("covers_models", [])
        sources = row.pop("sources", [])
        row["remedy_type"] = self.lookup(RemedyType, row.pop("type"), where)
        if row.get("amount") is not None:
            row["amount"] = Decimal(str(row["amount"]))
        self.convert(case, row, where)
        if isinstance(row.get("deadline"), str):
            row["deadline"] = datetime.date.fromisoformat(row["deadline"])
        row["compliance_date"], row["compliance_date_precision"] = parse_precise_date(row.get("compliance_date"))
        if row.get("compliance_source"):
            row["compliance_source"] = self.source(row["compliance_source"], where)
        remedy = self.make(Remedy, case=case, **row)
        remedy.covers_datasets.set([self.lookup(Dataset, slug, where) for slug in covers_datasets])
        remedy.covers_models.set([self.lookup(TrainedModel, slug, where) for slug in covers_models])
        self.cite(sources, where, remedy=remedy)

    def convert(self, case, row, where):
        """Attach the reference rate of the decision date to an amount not in dollars.

        The dollar figure is always derived (the amount itself, or amount × rate), never typed in;
        an amount whose rate is missing loads without one and `check_content` reports it.
        """
        rate_date, _ = parse_precise_date(row.pop("rate_date", None))
        given_usd = row.pop("amount_usd", None)
        currency = row.get("currency", "")
        if row.get("amount") is None or not currency:
            return
        if currency == "USD":
            if given_usd is not None and Decimal(str(given_usd)) != row["amount"]:
                raise SeedError(f"{where}: amount_usd {given_usd} differs from the amount in USD")
            return
        if given_usd is not None:
            raise SeedError(
                f"{where}: amount_usd is derived from a reference rate for {currency} amounts; "
                "remove it and add the rate to fixtures/exchange_rates.toml"
            )
        if rate_date is None and case.decided_on_precision == DatePrecision.DAY:
            rate_date = case.decided_on
        if rate_date is not None:
            row["exchange_rate"] = ExchangeRate.objects.on_or_before(currency, rate_date)

    def load_exposure(self, data):
        if ExposureList.objects.filter(slug=data["slug"]).exists():
            return
        data = dict(data)
        where = f"exposure list {data['slug']}"
        entries = data.pop("entries", [])
        precedents = data.pop("precedents", [])
        sources = data.pop("sources", [])
        data.setdefault("status", PublicationStatus.PUBLISHED)
        exposure_list = self.make(ExposureList, **data)
        exposure_list.precedents.set([self.lookup(Case, slug, where) for slug in precedents])
        self.cite(sources, where, exposure_list=exposure_list)
        for row in entries:
            row = dict(row)
            related = row.pop("related_cases", [])
            entry_sources = row.pop("sources", [])
            row["company"] = self.lookup(Company, row["company"], where)
            if row.get("last_reviewed"):
                row["last_reviewed"] = datetime.date.fromisoformat(str(row["last_reviewed"]))
            entry = self.make(ExposureEntry, exposure_list=exposure_list, **row)
            entry.related_cases.set([self.lookup(Case, slug, where) for slug in related])
            self.cite(entry_sources, where, exposure_entry=entry)
        self.count("exposure lists")

    # -- the whole run ----------------------------------------------------

    def gather(self):
        """Every table of every fixture file, checked for clashing definitions."""
        tables = {name: [] for name in TABLES}
        seen = {}
        for path in sorted(self.directory.rglob("*.toml")):
            data = read(path)
            unknown = set(data) - set(TABLES)
            if unknown:
                raise SeedError(f"{path.name}: unknown table(s) {', '.join(sorted(unknown))}")
            for name, rows in data.items():
                for row in rows:
                    if name == "exchange_rate":
                        ident = (name, f"{row.get('currency')} {row.get('date')}")
                    else:
                        ident = (name, row.get("key") or row.get("slug"))
                    if ident[1] is None:
                        raise SeedError(f"{path.name}: a {name} has no {'key' if name == 'source' else 'slug'}")
                    if ident in seen:
                        raise SeedError(f"{path.name}: {name} {ident[1]!r} is already defined in {seen[ident]}")
                    seen[ident] = path.name
                    tables[name].append(row)
        return tables

    @transaction.atomic
    def run(self):
        tables = self.gather()
        try:
            self.load_sources([dict(row) for row in tables["source"]])
            self.load_exchange_rates(tables["exchange_rate"])
            self.load_simple(Authority, tables["authority"], "authorities")
            self.load_companies(tables["company"])
            self.load_simple(LegalBasis, tables["legal_basis"], "legal bases")
            self.load_simple(RemedyType, tables["remedy_type"], "remedy types")
            self.load_datasets(tables["dataset"])
            self.load_trained_models(tables["trained_model"])
            pending_relations = [loaded for row in tables["case"] if (loaded := self.load_case(row))]
            for case, relations in pending_relations:
                for row in relations:
                    other = self.lookup(Case, row["to"], f"case {case.slug}")
                    _, created = CaseRelation.objects.get_or_create(
                        from_case=case, to_case=other, kind=row["kind"], defaults={"note": row.get("note", "")}
                    )
                    if created:
                        self.count("case relations")
            for row in tables["exposure_list"]:
                self.load_exposure(row)
        except (KeyError, TypeError, ValueError, DatabaseError) as exc:
            raise SeedError(repr(exc)) from exc
        return self.created


TABLES = (
    "source",
    "exchange_rate",
    "authority",
    "company",
    "legal_basis",
    "remedy_type",
    "dataset",
    "trained_model",
    "case",
    "exposure_list",
)
