"""Every URL for every kind of visitor, drafts that never leak, and the CSP on every page.

The matrix names every URL pattern of the site (the admin aside, which Django tests): a new URL
fails `test_the_matrix_covers_every_url` until someone says who may open it.
"""

import json
import sqlite3

import pytest
from django.core.management import call_command
from django.urls import get_resolver, reverse

from casebase.editorial.tokens import status_token
from casebase.knowledge.models import Case
from tests.factories import (
    AuthorityFactory,
    CaseFactory,
    CitationFactory,
    CompanyFactory,
    CorrectionFactory,
    CorrectionNoticeFactory,
    DatasetFactory,
    EditorFactory,
    ExposureListFactory,
    PartyFactory,
    PublisherFactory,
    RemedyFactory,
    RemedyTypeFactory,
    UserFactory,
    sign_in,
)
from tests.test_reliability import inline_content

pytestmark = pytest.mark.django_db

PUBLIC, DESK, PUBLISH, STATUS, ADMIN = "public", "desk", "publish", "status", "admin"
ROLES = ["anonymous", "status link holder", "editor", "publisher", "admin"]
# Who opens what: every role may read public pages; the desk is for editors (and admins); publishing
# for publishers (and admins); a status page for whoever holds its link; the admin for staff.
ALLOWED = {
    PUBLIC: set(ROLES),
    STATUS: set(ROLES),  # the signed link is the key, whoever holds it
    DESK: {"editor", "publisher", "admin"},
    PUBLISH: {"publisher", "admin"},
    ADMIN: {"editor", "publisher", "admin"},
}


@pytest.fixture
def world():
    """One published thing of every kind, a report with its status link, and drafts that must never show."""
    remedy_type = RemedyTypeFactory(slug="model-deletion", name="Model deletion")
    company = CompanyFactory(slug="everalbum", name="Everalbum")
    authority = AuthorityFactory(slug="ftc")
    case = CaseFactory(slug="ftc-everalbum", title="In re Everalbum", authority=authority)
    RemedyFactory(case=case, remedy_type=remedy_type)
    PartyFactory(case=case, company=company)
    CitationFactory(case=case)
    dataset = DatasetFactory(slug="ever-photos")
    case.datasets.add(dataset)
    exposure = ExposureListFactory(slug="face-recognition")
    report = CorrectionFactory(page=case, state="accepted", assignee=EditorFactory())
    CorrectionNoticeFactory(page=case)

    secret_company = CompanyFactory(slug="secret-draft-company", name="Zebracorp Draft", status="draft")
    secret_type = RemedyTypeFactory(slug="secret-remedy", name="Quokka remedy", status="draft")
    for status in ("draft", "withdrawn"):
        secret = CaseFactory(
            slug=f"secret-{status}-case", title=f"Narwhal {status} matter", authority=authority, status=status
        )
        RemedyFactory(case=secret, remedy_type=remedy_type)
        RemedyFactory(case=secret, remedy_type=secret_type)
        PartyFactory(case=secret, company=secret_company)
        CitationFactory(case=secret)
    DatasetFactory(slug="secret-draft-data", name="Okapi draft data", status="draft")
    ExposureListFactory(slug="secret-draft-list", title="Axolotl draft list", status="draft")
    return {
        "case": case,
        "company": company,
        "authority": authority,
        "remedy_type": remedy_type,
        "dataset": dataset,
        "exposure": exposure,
        "report": report,
        "history_id": case.history.latest().history_id,
    }


def urls(w):
    """(kind, method, url) for every URL pattern of the site."""
    case, n = w["case"], w["report"].number
    token = status_token(w["report"])
    hid = w["history_id"]
    public = [
        ("knowledge:home", "/"),
        ("knowledge:case_list", "/cases/?remedy=model-deletion"),
        ("knowledge:case_export_csv", "/cases/export.csv"),
        ("knowledge:case_export_json", "/cases/export.json"),
        ("knowledge:case_export_jsonl", "/cases/export.jsonl"),
        ("knowledge:case_list_feed", "/cases/feed.atom"),
        ("knowledge:company_case_feed", "/companies/everalbum/feed.atom"),
        ("knowledge:remedytype_case_feed", "/remedies/model-deletion/feed.atom"),
        ("knowledge:downloads", "/data/"),
        ("knowledge:data_dictionary", "/data/dictionary/"),
        ("knowledge:case_detail", case.get_absolute_url()),
        ("knowledge:company_list", "/companies/"),
        ("knowledge:company_detail", "/companies/everalbum/"),
        ("knowledge:authority_list", "/authorities/"),
        ("knowledge:authority_detail", "/authorities/ftc/"),
        ("knowledge:remedytype_list", "/remedies/"),
        ("knowledge:remedytype_detail", "/remedies/model-deletion/"),
        ("knowledge:dataset_list", "/datasets/"),
        ("knowledge:dataset_detail", "/datasets/ever-photos/"),
        ("knowledge:exposurelist_list", "/exposure/"),
        ("knowledge:exposurelist_detail", "/exposure/face-recognition/"),
        ("knowledge:search", "/search/?q=everalbum"),
        ("knowledge:about", "/about/"),
        ("knowledge:methodology", "/methodology/"),
        ("knowledge:robots_txt", "/robots.txt"),
        ("knowledge:sitemap", "/sitemap.xml"),
        ("knowledge:stats", "/stats/"),
        ("knowledge:stats_csv", "/stats/cases-by-year.csv"),
        ("knowledge:stats_svg", "/stats/cases-by-year.svg"),
        ("knowledge:compare", f"/compare/?case={case.slug}"),
        ("knowledge:page_version", f"/cases/{case.slug}/v/{hid}/"),
        ("knowledge:page_citation", f"/cite/cases/{case.slug}.bib"),
        ("editorial:corrections_log", "/corrections/"),
        ("editorial:corrections_feed", "/corrections/feed/"),
        ("editorial:page_history", f"/history/cases/{case.slug}/"),
        ("editorial:report_new", "/corrections/new/"),
        ("api:api_docs", "/api/"),
        ("api:api-root", "/api/v1/"),
        ("api:schema", "/api/schema/"),
        ("api:case-list", "/api/v1/cases/"),
        ("api:case-detail", f"/api/v1/cases/{case.slug}/"),
        ("api:company-list", "/api/v1/companies/"),
        ("api:company-detail", "/api/v1/companies/everalbum/"),
        ("api:authority-list", "/api/v1/authorities/"),
        ("api:authority-detail", "/api/v1/authorities/ftc/"),
        ("api:remedytype-list", "/api/v1/remedy-types/"),
        ("api:remedytype-detail", "/api/v1/remedy-types/model-deletion/"),
        ("api:remedy-list", "/api/v1/remedies/"),
        ("api:remedy-detail", f"/api/v1/remedies/{case.remedies.get().pk}/"),
        ("api:dataset-list", "/api/v1/datasets/"),
        ("api:dataset-detail", "/api/v1/datasets/ever-photos/"),
        ("api:trainedmodel-list", "/api/v1/trained-models/"),
        ("api:exposurelist-list", "/api/v1/exposure-lists/"),
        ("api:exposurelist-detail", "/api/v1/exposure-lists/face-recognition/"),
        ("api:source-list", "/api/v1/sources/"),
        ("api:correctionnotice-list", "/api/v1/correction-notices/"),
    ]
    rows = [(PUBLIC, "get", name, url) for name, url in public]
    rows += [
        (STATUS, "get", "editorial:report_thanks", f"/corrections/new/thanks/{token}/"),
        (STATUS, "get", "editorial:status_detail", f"/corrections/status/{token}/"),
        (STATUS, "get", "editorial:status_withdraw", f"/corrections/status/{token}/withdraw/"),
        (DESK, "get", "editorial:desk_home", "/desk/"),
        (DESK, "get", "editorial:desk_report", f"/desk/reports/{n}/"),
        (DESK, "post", "editorial:desk_note", f"/desk/reports/{n}/note/"),
        (DESK, "get", "editorial:desk_verification_queue", "/desk/verify/"),
        (DESK, "get", "editorial:desk_content_check", "/desk/content-check/"),
        (DESK, "get", "editorial:desk_verify", f"/desk/verify/cases/{case.slug}/"),
        (PUBLISH, "get", "editorial:desk_publish", f"/desk/reports/{n}/publish/"),
        (ADMIN, "get", "admin:index", "/admin/"),
    ]
    return rows


# URL patterns covered elsewhere with their own fixtures: POST-only actions whose permission rules the
# desk's own matrix tests (tests/test_editorial_desk.py), a status answer, a dump file that needs a dump,
# detail URLs of records this world has no example of, and the catch-all 404 of the API.
COVERED_ELSEWHERE = {
    "editorial:desk_transition",
    "editorial:desk_assign",
    "editorial:desk_priority",
    "editorial:status_answer",
    "knowledge:dump_file",
    "api:trainedmodel-detail",
    "api:source-detail",
    "api:correctionnotice-detail",
    "api:api_not_found",
}


def url_names():
    names = set()

    def walk(resolver, namespace=""):
        for pattern in resolver.url_patterns:
            if hasattr(pattern, "url_patterns"):
                if pattern.namespace != "admin":
                    walk(pattern, pattern.namespace or namespace)
            elif pattern.name:
                names.add(f"{namespace}:{pattern.name}")

    walk(get_resolver())
    return names


def test_the_matrix_covers_every_url(world):
    covered = {name for _, _, name, _ in urls(world)} | COVERED_ELSEWHERE
    assert sorted(url_names() - covered) == []


def client_as(client, who, report):
    if who == "anonymous":
        return client
    if who == "status link holder":
        client.get(f"/corrections/status/{status_token(report)}/")  # opening the link is all a reader does
        return client
    user = {
        "editor": EditorFactory,
        "publisher": PublisherFactory,
        "admin": lambda: UserFactory(username="root", is_staff=True, is_superuser=True),
    }[who]()
    return sign_in(client, user, second_factor=who != "editor")


@pytest.mark.parametrize("who", ROLES)
def test_every_url_for_every_kind_of_visitor(client, world, who):
    client = client_as(client, who, world["report"])
    wrong = []
    for kind, method, name, url in urls(world):
        data = {"note": "Checked against the order."} if method == "post" else None
        response = getattr(client, method)(url, data) if data else getattr(client, method)(url)
        status = response.status_code
        if who in ALLOWED[kind]:
            ok = status in ((302,) if method == "post" else (200,))
        elif who in ALLOWED[DESK] and kind == PUBLISH:
            ok = status == 403  # an editor is told they may not publish
        else:
            ok = status == 302 and response["Location"].startswith(reverse("admin:login"))
        if not ok:
            wrong.append(f"{who}: {method.upper()} {url} ({name}) answered {status}")
    assert wrong == []


SECRETS = [
    "Narwhal draft matter",
    "Narwhal withdrawn matter",
    "secret-draft-case",
    "secret-withdrawn-case",
    "Zebracorp Draft",
    "secret-draft-company",
    "Quokka remedy",
    "secret-remedy",
    "Okapi draft data",
    "Axolotl draft list",
]


def body_of(response):
    if response.streaming:
        return b"".join(response.streaming_content).decode("utf-8", "replace")
    return response.content.decode("utf-8", "replace")


def test_drafts_and_withdrawn_records_never_leak(client, world):
    """Lists, counts, search, feeds, sitemap, API, exports, history, citations: nothing unpublished shows."""
    leaks = []
    for kind, _method, name, url in urls(world):
        if kind != PUBLIC:
            continue
        body = body_of(client.get(url))
        leaks += [f"{name} ({url}) shows {secret!r}" for secret in SECRETS if secret in body]
    for url in ["/search/?q=narwhal", "/search/?q=zebracorp", "/api/v1/cases/?q=narwhal", "/cases/?q=narwhal"]:
        body = client.get(url).content.decode()
        leaks += [f"{url} shows {secret!r}" for secret in SECRETS if secret in body]
    assert leaks == []
    counted = json.loads(client.get("/api/v1/cases/").content)["count"]
    assert counted == Case.objects.published().count() == 1


@pytest.mark.parametrize("status", ["draft", "withdrawn"])
def test_unpublished_pages_are_not_found_by_any_address(client, world, status):
    secret = Case.objects.get(slug=f"secret-{status}-case")
    hid = secret.history.latest().history_id
    for url in [
        secret.get_absolute_url(),
        f"/cases/{secret.slug}/v/{hid}/",
        f"/cite/cases/{secret.slug}.bib",
        f"/history/cases/{secret.slug}/",
        f"/api/v1/cases/{secret.slug}/",
        "/companies/secret-draft-company/",
        "/companies/secret-draft-company/feed.atom",
        "/remedies/secret-remedy/",
        "/datasets/secret-draft-data/",
        "/exposure/secret-draft-list/",
    ]:
        assert client.get(url).status_code == 404, url


def test_the_public_dump_holds_no_unpublished_row(world, tmp_path, settings):
    settings.DUMPS_DIR = tmp_path
    call_command("dump_public", "--dir", str(tmp_path), verbosity=0)
    [database] = list(tmp_path.rglob("*.sqlite3")) or list(tmp_path.rglob("*.sqlite"))
    rows = sqlite3.connect(database).iterdump()
    text = "\n".join(rows)
    assert [secret for secret in SECRETS if secret in text] == []
    assert "In re Everalbum" in text


HTML_ROLES = ["anonymous", "publisher"]


@pytest.mark.parametrize("who", HTML_ROLES)
def test_every_html_page_keeps_to_the_csp(client, world, who):
    """Reader pages, research pages, the desk, error pages: a strict policy and nothing inline."""
    client = client_as(client, who, world["report"])
    pages = [url for kind, method, _name, url in urls(world) if method == "get" and kind != ADMIN]
    pages += ["/no-such-page/", "/cases/no-such-case/"]
    wrong = []
    for url in pages:
        response = client.get(url)
        if not response.get("Content-Type", "").startswith("text/html") or response.status_code not in (200, 404):
            continue
        policy = response.get("Content-Security-Policy", "")
        if "script-src 'self'" not in policy or "unsafe-inline" in policy:
            wrong.append(f"{url}: policy {policy!r}")
        found = inline_content(response.content.decode())
        if found:
            wrong.append(f"{url}: {found}")
    assert wrong == []


def test_admin_pages_keep_to_the_csp(client, world):
    """The admin's own pages (sign-in, index, a changelist, a change form, history) carry nothing inline either."""
    anonymous = client.get("/admin/login/")
    assert inline_content(anonymous.content.decode()) == []
    client = client_as(client, "admin", world["report"])
    case = world["case"]
    wrong = []
    for url in [
        "/admin/",
        "/admin/knowledge/case/",
        f"/admin/knowledge/case/{case.pk}/change/",
        f"/admin/knowledge/case/{case.pk}/history/",
        "/admin/knowledge/source/",
        "/admin/editorial/correction/",
        "/admin/auth/user/",
    ]:
        response = client.get(url)
        assert response.status_code == 200, url
        policy = response.get("Content-Security-Policy", "")
        if "script-src 'self'" not in policy or "unsafe-inline" in policy:
            wrong.append(f"{url}: policy {policy!r}")
        if found := inline_content(response.content.decode()):
            wrong.append(f"{url}: {found}")
    assert wrong == []
