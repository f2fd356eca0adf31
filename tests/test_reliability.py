"""Failures are clear and short: methods reader pages refuse, the database-down page, error pages under the CSP,
a server that will not start without its static files, and staff Markdown that never loses text."""

import importlib
from html.parser import HTMLParser

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.db import OperationalError
from django.http import HttpResponse
from django.test import override_settings
from django.urls import include, path

from casebase.knowledge.templatetags.casebase import ALLOWED_ATTRIBUTES, ALLOWED_TAGS, render_markdown
from casebase.startup import check_can_serve
from tests.factories import CaseFactory, UserFactory, sign_in

READER_URLS = ["/", "/cases/", "/search/?q=model", "/about/"]


# --- Methods ---------------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("method", ["post", "put", "patch", "delete", "options", "trace"])
@pytest.mark.parametrize("url", READER_URLS)
def test_reader_pages_refuse_methods_they_do_not_serve(client, url, method):
    """A reader page only reads: 405 with Allow: GET, HEAD — not a CSRF 403, not a 200."""
    response = getattr(client, method)(url)
    assert response.status_code == 405
    assert response["Allow"] == "GET, HEAD"


@pytest.mark.django_db
def test_case_page_refuses_post_but_serves_head(client):
    case = CaseFactory()
    assert client.post(case.get_absolute_url()).status_code == 405
    assert client.head(case.get_absolute_url()).status_code == 200


@pytest.mark.django_db
def test_admin_login_still_takes_post(client):
    """The rule covers reader pages only: forms elsewhere still work."""
    response = client.post("/admin/login/", {"username": "nobody", "password": "wrong"})
    assert response.status_code == 200


# --- Error pages and the CSP -----------------------------------------------------------------------


class InlineFinder(HTMLParser):
    """Collects what a strict CSP blocks: inline scripts, style attributes and <style> elements."""

    def __init__(self):
        super().__init__()
        self.found = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        # A JSON-LD data block is not script: browsers never run it, and CSP does not apply to it.
        if tag == "script" and "src" not in attrs and attrs.get("type") != "application/ld+json":
            self.found.append("inline <script>")
        if tag == "style":
            self.found.append("<style>")
        if "style" in attrs:
            self.found.append(f"style= on <{tag}>")
        self.found.extend(f"{name}= on <{tag}>" for name in attrs if name.startswith("on"))


def inline_content(html):
    finder = InlineFinder()
    finder.feed(html)
    return finder.found


@pytest.mark.django_db
def test_csrf_failure_page_is_ours_and_keeps_to_the_csp():
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    response = client.post("/admin/login/", {"username": "a", "password": "b"})
    assert response.status_code == 403
    html = response.content.decode()
    assert "Your form could not be sent" in html
    assert "script-src 'self'" in response["Content-Security-Policy"]
    assert inline_content(html) == []


@pytest.mark.django_db
def test_admin_history_page_keeps_to_the_csp(client):
    case = CaseFactory()
    sign_in(client, UserFactory(username="admin", is_staff=True, is_superuser=True))
    response = client.get(f"/admin/knowledge/case/{case.pk}/history/")
    assert response.status_code == 200
    assert inline_content(response.content.decode()) == []


def raise_database_down(request):
    raise OperationalError("connection to server at 127.0.0.1 failed: Connection refused")


def fine(request):
    return HttpResponse("fine")


urlpatterns = [
    path("down/", raise_database_down),
    path("fine/", fine),
    path("", include("casebase.knowledge.urls")),
]


@override_settings(ROOT_URLCONF=__name__)
def test_database_down_answers_503_with_a_plain_page(client):
    """No traceback and no generic 500: a short page that says the site is briefly unavailable."""
    response = client.get("/down/")
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    html = response.content.decode()
    assert "briefly unavailable" in html
    assert "Traceback" not in html and "127.0.0.1" not in html
    assert client.get("/fine/").content == b"fine"


PRODUCTION_STORAGE = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "casebase.storage.StaticFilesStorage"},
}


def test_server_refuses_to_start_without_collected_static_files(tmp_path, settings, monkeypatch):
    settings.DEBUG = False
    settings.STORAGES = PRODUCTION_STORAGE
    settings.STATIC_ROOT = tmp_path / "static"
    monkeypatch.setenv("DJANGO_SECRET_KEY", "a-key-for-this-test")
    with pytest.raises(ImproperlyConfigured, match="collectstatic"):
        check_can_serve()
    call_command("collectstatic", "--no-input", verbosity=0)
    check_can_serve()


@pytest.mark.django_db
@pytest.mark.parametrize("module", ["casebase.wsgi", "casebase.asgi"])
def test_entry_points_run_the_start_checks(module, tmp_path, settings, monkeypatch):
    settings.DEBUG = False
    settings.STORAGES = PRODUCTION_STORAGE
    settings.STATIC_ROOT = tmp_path / "static"
    monkeypatch.setenv("DJANGO_SECRET_KEY", "a-key-for-this-test")
    with pytest.raises(ImproperlyConfigured, match="collectstatic"):
        importlib.reload(importlib.import_module(module))


@pytest.mark.django_db
def test_error_pages_render_without_a_manifest(client, tmp_path, settings):
    """Even before collectstatic, a missing page is a designed 404, never a 500."""
    settings.STORAGES = PRODUCTION_STORAGE
    settings.STATIC_ROOT = tmp_path / "static"
    response = client.get("/cases/no-such-case/")
    assert response.status_code == 404
    assert "css/site.css" in response.content.decode()


# --- Staff Markdown --------------------------------------------------------------------------------


@pytest.mark.parametrize("tag", ["script", "style", "title", "textarea", "iframe", "noscript", "xmp", "plaintext"])
def test_markdown_that_names_a_tag_keeps_every_word(tag):
    """Prose about HTML shows as typed; nothing after it is dropped."""
    text = f"The page loaded a <{tag}> element.\n\nThe next paragraph **survives** too, as does </{tag}> this."
    html = str(render_markdown(text))
    assert f"&lt;{tag}&gt; element." in html
    assert "<strong>survives</strong>" in html
    assert f"&lt;/{tag}&gt; this." in html


def test_markdown_keeps_its_own_formatting():
    html = str(
        render_markdown("A [link](https://www.ftc.gov/) and `<code>` and <https://example.org>.\n\n| a |\n|---|\n| b |")
    )
    assert '<a href="https://www.ftc.gov/" rel="noopener noreferrer">link</a>' in html
    assert "<code>&lt;code&gt;</code>" in html
    assert '<a href="https://example.org" rel="noopener noreferrer">https://example.org</a>' in html
    assert "<table>" in html


VECTORS = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "<svg onload=alert(1)>",
    "<svg><script>alert(1)</script></svg>",
    "<iframe src=javascript:alert(1)></iframe>",
    "<body onload=alert(1)>",
    "<a href=javascript:alert(1)>x</a>",
    "<a href='jav&#x09;ascript:alert(1)'>x</a>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    "<details open ontoggle=alert(1)>",
    "<input autofocus onfocus=alert(1)>",
    "<video><source onerror=alert(1)></video>",
    "<object data=javascript:alert(1)>",
    "<embed src=javascript:alert(1)>",
    "<form action=javascript:alert(1)><button>x</button></form>",
    "<meta http-equiv=refresh content='0;url=javascript:alert(1)'>",
    "<link rel=stylesheet href=javascript:alert(1)>",
    "<base href=javascript:alert(1)//>",
    "<style>@import 'javascript:alert(1)';</style>",
    "<div style=background:url(javascript:alert(1))>x</div>",
    '<noscript><p title="</noscript><img src=x onerror=alert(1)>">',
    "<title><img src=x onerror=alert(1)></title>",
    "<textarea><img src=x onerror=alert(1)></textarea>",
    "<!--<img src=x onerror=alert(1)>-->",
    "<![CDATA[<script>alert(1)</script>]]>",
    "[x](javascript:alert(1))",
    "[x](JaVaScRiPt:alert(1))",
    "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "[x](vbscript:msgbox(1))",
    "![x](javascript:alert(1))",
    '[x](https://a.example "onmouseover=alert(1)")',
    "<javascript:alert(1)>",
    "[x]: javascript:alert(1)\n\n[y][x]",
    '<a href="https://ok.example" onclick="alert(1)">x</a>',
    "<abbr title=x onmouseover=alert(1)>x</abbr>",
    "<th scope=col onclick=alert(1)>x</th>",
    "`<script>alert(1)</script>`",
    "    <script>alert(1)</script>",
    "> <script>alert(1)</script>",
    "* <img src=x onerror=alert(1)>",
    "<scr<script>ipt>alert(1)</script>",
    "<<script>script>alert(1)<</script>/script>",
    "%3Cscript%3Ealert(1)%3C/script%3E",
    "&lt;script&gt;alert(1)&lt;/script&gt;",
    '<img src="x" onerror="&#97;lert(1)">',
    "<svg><animate onbegin=alert(1) attributeName=x dur=1s>",
    "<marquee onstart=alert(1)>",
    "<isindex type=image src=1 onerror=alert(1)>",
    '<a href="&#106;avascript:alert(1)">x</a>',
    "<template><script>alert(1)</script></template>",
]
CONTEXTS = [
    "{v}",
    "Before {v} after",
    "| a |\n|---|\n| {v} |",
    "**{v}**",
]
PAYLOADS = [context.format(v=vector) for vector in VECTORS for context in CONTEXTS]


class ExecutableFinder(HTMLParser):
    """Anything a browser could run: a tag or attribute outside the allowlist, or a link to a script scheme."""

    def __init__(self):
        super().__init__()
        self.found = []

    def handle_starttag(self, tag, attrs):
        if tag not in ALLOWED_TAGS:
            self.found.append(f"<{tag}>")
        for name, value in attrs:
            if name not in ALLOWED_ATTRIBUTES.get(tag, set()) and name != "rel":
                self.found.append(f"{name}= on <{tag}>")
            if name == "href" and value and value.split(":", 1)[0].strip().lower() not in ("http", "https", "mailto"):
                self.found.append(f"href={value!r}")


def test_at_least_a_hundred_hostile_payloads():
    assert len(PAYLOADS) >= 100


@pytest.mark.parametrize("payload", PAYLOADS)
def test_hostile_markdown_renders_nothing_executable(payload):
    html = str(render_markdown(payload))
    finder = ExecutableFinder()
    finder.feed(html)
    assert finder.found == [], html
