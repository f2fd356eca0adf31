"""The bulk dump (`manage.py dump_public`) and the downloads page: every public row, nothing else, all readable."""

import csv
import hashlib
import io
import json
import sqlite3
import zipfile
from pathlib import Path

import pytest
from django.core.management import call_command
from django.urls import reverse

from casebase.knowledge import dumps
from casebase.knowledge.models import Case, PublicationStatus
from tests import test_filters as filter_tests
from tests.factories import (
    CitationFactory,
    CompanyFactory,
    DatasetFactory,
    ExchangeRateFactory,
    ExposureEntryFactory,
    ExposureListFactory,
    PartyFactory,
    RemedyFactory,
    SourceFactory,
    TimelineEventFactory,
    TrainedModelFactory,
)

pytestmark = pytest.mark.django_db

DRAFT = PublicationStatus.DRAFT


@pytest.fixture
def dump_dir(tmp_path, settings):
    settings.DUMPS_DIR = tmp_path / "dumps"
    settings.SITE_URL = "https://casebase.example.org"
    return settings.DUMPS_DIR


@pytest.fixture
def world():
    """The filter tests' cases (five published, a draft, a withdrawn one) and something in every other table."""
    w = filter_tests.make_cases()
    w.draft_co = CompanyFactory(slug="draft-co", name="Draft Co", status=DRAFT)
    PartyFactory(case=w.a, company=w.draft_co)  # a published case naming a draft company: the party is hidden
    w.a_dataset = DatasetFactory(slug="a-photos", collected_by=w.draft_co)  # a public dataset collected by a draft
    w.a.datasets.add(w.a_dataset)
    w.model = TrainedModelFactory(slug="face-model", developer=w.parent)
    w.model.datasets.add(w.a_dataset)
    w.hidden_model = TrainedModelFactory(slug="hidden-model", developer=w.draft_co)
    rate = ExchangeRateFactory()
    RemedyFactory(case=w.c, remedy_type=w.cp, amount=1000, currency="EUR", exchange_rate=rate)
    TimelineEventFactory(case=w.a)
    TimelineEventFactory(case=w.f, source=SourceFactory(url="https://example.org/draft-only"))
    CitationFactory(case=w.b)
    CitationFactory(case=w.f, source=SourceFactory(url="https://example.org/draft-citation"))
    exposure = ExposureListFactory(slug="scraped-images", precedents=[w.a, w.f])
    ExposureEntryFactory(exposure_list=exposure, company=w.other).related_cases.add(w.d)
    ExposureEntryFactory(exposure_list=exposure, company=w.draft_co)
    ExposureListFactory(slug="draft-list", status=DRAFT)
    return w


def open_db(path):
    db = sqlite3.connect(path)
    db.row_factory = sqlite3.Row
    return db


def column(db, sql):
    return [row[0] for row in db.execute(sql)]


def test_the_sqlite_dump_holds_every_public_row_and_nothing_else(dump_dir, world):
    manifest = dumps.write_dump()
    db = open_db(dump_dir / f"casebase-{manifest['version']}.sqlite3")
    querysets = dumps.public_rows()
    for table in dumps.TABLES:
        count = db.execute(f'SELECT COUNT(*) FROM "{table.name}"').fetchone()[0]
        assert count == querysets[table.name].count() == manifest["tables"][table.name], table.name
    assert set(column(db, "SELECT slug FROM cases")) == set(Case.objects.published().values_list("slug", flat=True))
    assert sorted(column(db, "SELECT title FROM cases")) == sorted(c.title for c in filter_tests.run("").qs)
    assert "draft-co" not in column(db, "SELECT slug FROM companies")
    assert "secret-remedy" not in column(db, "SELECT slug FROM remedy_types")
    assert "draft-list" not in column(db, "SELECT slug FROM exposure_lists")
    assert column(db, "SELECT slug FROM trained_models") == ["face-model"]
    assert "bipa" not in column(db, "SELECT slug FROM legal_bases")  # only on the draft case
    sources = column(db, "SELECT url FROM sources")
    assert "https://example.org/draft-only" not in sources and "https://example.org/draft-citation" not in sources
    assert db.execute("SELECT COUNT(*) FROM exposure_entries").fetchone()[0] == 1
    assert db.execute("SELECT COUNT(*) FROM exposure_list_precedents").fetchone()[0] == 1  # A, not the draft F
    parties = db.execute("SELECT c.slug FROM parties p JOIN companies c ON c.id = p.company_id").fetchall()
    assert "draft-co" not in {row[0] for row in parties}


def test_every_reference_resolves_and_references_to_drafts_are_emptied(dump_dir, world):
    manifest = dumps.write_dump()
    db = open_db(dump_dir / f"casebase-{manifest['version']}.sqlite3")
    assert db.execute("PRAGMA foreign_key_check").fetchall() == []
    assert db.execute("SELECT collected_by_id FROM datasets WHERE slug = 'a-photos'").fetchone()[0] is None
    forum = db.execute(
        "SELECT a.slug FROM cases c JOIN authorities a ON a.id = c.forum_id WHERE c.title LIKE 'bravo%'"
    ).fetchone()
    assert forum[0] == "nd-cal"


def test_private_fields_stay_out(dump_dir, world):
    manifest = dumps.write_dump()
    db = open_db(dump_dir / f"casebase-{manifest['version']}.sqlite3")
    case_columns = {row["name"] for row in db.execute("PRAGMA table_info(cases)")}
    assert {"status", "last_verified_by_id", "verify_every_days"}.isdisjoint(case_columns)
    assert {"slug", "title", "authority_id", "page_url", "last_verified_at"} <= case_columns
    assert "note" not in {row["name"] for row in db.execute("PRAGMA table_info(sources)")}
    # A remedy's and a trained model's own status are content, not publication state.
    assert "status" in {row["name"] for row in db.execute("PRAGMA table_info(remedies)")}
    page = db.execute("SELECT page_url FROM cases WHERE title LIKE 'Alpha%'").fetchone()[0]
    assert page == f"https://casebase.example.org{world.a.get_absolute_url()}"
    assert db.execute("SELECT value FROM dump_info WHERE key = 'licence'").fetchone()[0] == "CC BY 4.0"


def test_amounts_dates_and_flags_are_typed_for_sql(dump_dir, world):
    manifest = dumps.write_dump()
    db = open_db(dump_dir / f"casebase-{manifest['version']}.sqlite3")
    total = db.execute("SELECT SUM(amount_usd) FROM remedies WHERE currency = 'USD'").fetchone()[0]
    assert total == 5_000_000 + 20_000_000 + 1_000 + 50_000_000
    euro = db.execute("SELECT amount, currency, amount_usd FROM remedies WHERE currency = 'EUR'").fetchone()
    assert tuple(euro) == (1000, "EUR", 1006.7)
    assert db.execute("SELECT decided_on FROM cases WHERE title LIKE 'Alpha%'").fetchone()[0] == "2021-05-07"
    assert set(column(db, "SELECT needs_verification FROM remedies")) == {0}


def test_the_zip_holds_csv_json_schema_and_readme(dump_dir, world):
    manifest = dumps.write_dump()
    archive = zipfile.ZipFile(dump_dir / f"casebase-{manifest['version']}.zip")
    root = f"casebase-{manifest['version']}"
    names = set(archive.namelist())
    expected = {"README.md", "casebase.sqlite3", "casebase.json", "schema.sql", "datapackage.json"}
    assert {f"{root}/{name}" for name in expected} <= names
    assert {f"{root}/csv/{table.name}.csv" for table in dumps.TABLES} <= names

    for table in dumps.TABLES:
        data = archive.read(f"{root}/csv/{table.name}.csv")
        assert data.startswith(b"\xef\xbb\xbf")
        rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))
        assert len(rows) == manifest["tables"][table.name], table.name
        if rows:
            assert list(rows[0]) == [column.name for column in table.columns]

    document = json.loads(archive.read(f"{root}/casebase.json"))
    assert document["dump"]["version"] == manifest["version"]
    assert {name: len(rows) for name, rows in document["tables"].items()} == manifest["tables"]
    alpha = next(row for row in document["tables"]["cases"] if row["title"].startswith("Alpha"))
    assert alpha["decided_on"] == "2021-05-07"

    schema = archive.read(f"{root}/schema.sql").decode()
    assert 'CREATE TABLE "cases"' in schema and 'REFERENCES "authorities"' in schema

    package = json.loads(archive.read(f"{root}/datapackage.json"))
    assert package["licenses"][0]["name"] == "CC-BY-4.0"
    resources = {resource["name"]: resource for resource in package["resources"]}
    assert set(resources) == {table.name for table in dumps.TABLES}
    for resource in resources.values():
        assert all(field["description"].strip() for field in resource["schema"]["fields"]), resource["name"]
    case_fields = {field["name"]: field for field in resources["cases"]["schema"]["fields"]}
    assert case_fields["title"]["description"] == str(Case._meta.get_field("title").help_text)
    assert "final_order" in case_fields["case_status"]["constraints"]["enum"]
    assert case_fields["decided_on"]["type"] == "date"
    assert {"fields": ["authority_id"], "reference": {"resource": "authorities", "fields": ["id"]}} in resources[
        "cases"
    ]["schema"]["foreignKeys"]

    readme = archive.read(f"{root}/README.md").decode()
    assert "CC BY 4.0" in readme and "How to cite" in readme and manifest["version"] in readme
    assert "https://casebase.example.org/data/" in readme
    assert "| `cases` | 5 |" in readme

    with archive.open(f"{root}/casebase.sqlite3") as inside:
        assert inside.read() == (dump_dir / f"casebase-{manifest['version']}.sqlite3").read_bytes()


def test_manifest_sizes_and_checksums_match_the_files(dump_dir, world):
    manifest = dumps.write_dump()
    assert [file["name"] for file in manifest["files"]] == [
        f"casebase-{manifest['version']}.zip",
        f"casebase-{manifest['version']}.sqlite3",
    ]
    for file in manifest["files"]:
        data = (dump_dir / file["name"]).read_bytes()
        assert file["size"] == len(data)
        assert file["sha256"] == hashlib.sha256(data).hexdigest()
    assert json.loads((dump_dir / f"casebase-{manifest['version']}.json").read_text()) == manifest
    assert not [path for path in dump_dir.iterdir() if path.name.startswith(".building")]


def test_command_writes_a_new_version_each_time_and_keeps_the_newest(dump_dir, world):
    out = io.StringIO()
    for _ in range(3):
        call_command("dump_public", "--keep", "2", stdout=out)
    versions = [manifest["version"] for manifest in dumps.dumps()]
    assert len(versions) == 2 and versions == sorted(versions, reverse=True)
    assert len(list(dump_dir.glob("casebase-*"))) == 2 * 3  # a zip, a database and a manifest each
    assert "sha256" in out.getvalue() and "Deleted the older dump" in out.getvalue()


def test_command_writes_where_it_is_told(tmp_path, world):
    call_command("dump_public", "--dir", str(tmp_path / "elsewhere"), stdout=io.StringIO())
    assert len(list((tmp_path / "elsewhere").glob("casebase-*.zip"))) == 1


def test_an_empty_site_dumps_empty_tables(dump_dir):
    manifest = dumps.write_dump()
    assert set(manifest["tables"].values()) == {0}
    db = open_db(dump_dir / f"casebase-{manifest['version']}.sqlite3")
    assert db.execute("SELECT COUNT(*) FROM cases").fetchone()[0] == 0


# --- The downloads page and its files -----------------------------------------------------------------------


def test_downloads_page_lists_the_latest_dump(client, dump_dir, world):
    dumps.write_dump()
    latest = dumps.write_dump()
    response = client.get(reverse("knowledge:downloads"))
    assert response.status_code == 200
    text = response.content.decode()
    assert latest["version"] in text
    for file in latest["files"]:
        assert file["sha256"] in text
        assert reverse("knowledge:dump_file", args=[file["name"]]) in text
    assert "<caption" in text and 'scope="col"' in text
    assert "KB" in text or "bytes" in text
    assert 'datetime="' + latest["created_at"] + '"' in text
    assert "CC BY 4.0" in text


def test_downloads_page_without_a_dump(client, dump_dir):
    response = client.get(reverse("knowledge:downloads"))
    assert response.status_code == 200
    assert "No full download has been published yet" in response.content.decode()


def test_downloads_page_reads_no_database(client, dump_dir, world, django_assert_num_queries):
    dumps.write_dump()
    with django_assert_num_queries(0):
        client.get(reverse("knowledge:downloads"))


def test_dump_files_are_served(client, dump_dir, world):
    manifest = dumps.write_dump()
    name = manifest["files"][1]["name"]
    response = client.get(reverse("knowledge:dump_file", args=[name]))
    assert response.status_code == 200
    assert response["Content-Disposition"] == f'attachment; filename="{name}"'
    data = b"".join(response.streaming_content)
    assert hashlib.sha256(data).hexdigest() == manifest["files"][1]["sha256"]


@pytest.mark.parametrize(
    "name", ["casebase-20990101T000000Z.zip", "..%2Fsettings.py", "README.md", "casebase-x.zip", ".building-abc"]
)
def test_only_our_dump_files_are_served(client, dump_dir, world, name):
    dumps.write_dump()
    assert client.get(f"/data/dumps/{name}").status_code == 404


def test_dump_path_refuses_anything_outside_the_folder(dump_dir):
    assert dumps.dump_path("../casebase-20990101T000000Z.zip") is None
    assert dumps.dump_path("/etc/passwd") is None


def test_dumps_dir_is_git_ignored():
    ignored = (Path(__file__).resolve().parent.parent / ".gitignore").read_text().splitlines()
    assert "dumps/" in ignored
