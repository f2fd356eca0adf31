"""Hostile text through every rendering path finds nothing executable (issue 9, item 4).

Every payload of tests/test_reliability.py plus attribute, URL and JSON/XML vectors goes, batch by
batch, through every Markdown field of every model (each Markdown field of a batch holds the same
chunk of payloads, so every payload passes through every Markdown field), and through plain names,
titles and source addresses (rotated so every payload lands in some). Then every page that shows
them, the desk's report page, the feeds, the API and its docs page, the exports and the citations
are read back and searched for anything a browser, feed reader or spreadsheet would run.
"""

import csv
import io
import json
import re
import xml.etree.ElementTree as ET
from html.parser import HTMLParser

import pytest
from django.contrib.contenttypes.models import ContentType

from casebase.editorial.models import CorrectionMessage, MessageVisibility
from tests.factories import (
    AuthorityFactory,
    CaseFactory,
    CitationFactory,
    CompanyFactory,
    CorrectionFactory,
    CorrectionNoticeFactory,
    DatasetFactory,
    EditorFactory,
    ExposureEntryFactory,
    ExposureListFactory,
    PartyFactory,
    RemedyFactory,
    RemedyTypeFactory,
    SourceFactory,
    TimelineEventFactory,
    sign_in,
)
from tests.test_reliability import PAYLOADS, ExecutableFinder, inline_content

EXTRA_VECTORS = [
    # attributes: breaking out of a quoted or unquoted attribute value
    '" onmouseover="alert(1)',
    "' onfocus='alert(1)' autofocus='",
    '"><img src=x onerror=alert(1)>',
    "'><svg onload=alert(1)>",
    "x onmouseover=alert(1)",
    '" style="background:url(javascript:alert(1))',
    # URLs, bare, as plain names and source addresses
    "javascript:alert(1)",
    " javascript:alert(1)",
    "JAVASCRIPT:alert(1)",
    "java\tscript:alert(1)",
    "\x01javascript:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "vbscript:msgbox(1)",
    "//evil.example/%2e%2e",
    # JSON-LD and JSON contexts
    "</script><script>alert(1)</script>",
    '"}]</script><script>alert(1)</script>',
    "\u2028\u2029<script>alert(1)</script>",
    '{"@context":"x"}<!--<script>',
    # XML (Atom) contexts
    "]]><script>alert(1)</script><![CDATA[",
    '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e "alert(1)">]>&e;',
    "</title><script>alert(1)</script>",
    "&lt;script&gt;alert(1)&lt;/script&gt; &amp;lt;img src=x onerror=alert(1)&amp;gt;",
    # templates and formulas
    "{{ request }}{% debug %}",
    '=HYPERLINK("https://evil.example","x")',
    "+cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
]
ALL = PAYLOADS + EXTRA_VECTORS
CHUNK = 12  # payloads per Markdown field per batch
BATCHES = range((len(ALL) + CHUNK - 1) // CHUNK)

MARKDOWN_FIELDS = [
    ("case", "summary"),
    ("case", "body"),
    ("case", "open_questions"),
    ("remedy_type", "definition"),
    ("dataset", "description"),
    ("dataset", "consent_terms"),
    ("dataset", "actual_use"),
    ("exposure", "summary"),
    ("exposure", "criteria"),
    ("entry", "rationale"),
    ("authority", "description"),
    ("company", "description"),
    ("event", "description"),
    ("notice", "text"),
]
PLAIN_FIELDS = [
    ("case", "title", 300),
    ("case", "short_title", 120),
    ("case", "significance", 300),
    ("company", "name", 200),
    ("authority", "name", 200),
    ("remedy_type", "name", 200),
    ("dataset", "name", 200),
    ("exposure", "title", 200),
    ("entry", "segment", 120),
    ("event", "title", 200),
    ("source", "title", 300),
    ("source", "publisher", 200),
    ("source", "url", 500),
    ("remedy", "summary", None),
    ("citation", "pinpoint", 300),
    ("report", "passage", None),
    ("report", "proposed_fix", None),
    ("report", "evidence_urls", None),
    ("report", "reporter_name", 200),
    ("message", "body", None),
]
# Source addresses get URL vectors (they must never become live javascript: links).
URL_VECTORS = [v for v in ALL if re.match(r"\W*(java|vb|data|JAVA)", v) or "javascript:" in v.lower()]


def test_at_least_a_hundred_hostile_payloads():
    assert len(ALL) >= 100 and len(URL_VECTORS) >= 10


def chunk(batch):
    return ALL[batch * CHUNK : (batch + 1) * CHUNK]


def plain(batch, index, limit):
    value = ALL[(batch * CHUNK + index * 7) % len(ALL)]
    return value[:limit] if limit else value


# --- finders ------------------------------------------------------------------------------------------------

URL_ATTRIBUTES = {"href", "src", "action", "formaction", "data", "poster", "xlink:href", "background", "cite"}
SCHEME = re.compile(r"^([a-z][a-z0-9+.\-]*):")
DANGEROUS_TAGS = {"iframe", "object", "embed", "base", "frame", "frameset", "applet", "noscript", "template"}


def scheme_of(value):
    cleaned = re.sub(r"[\x00-\x20]", "", value or "").lower()
    found = SCHEME.match(cleaned)
    return found.group(1) if found else ""


class PageFinder(HTMLParser):
    """What a browser could run in a whole page: inline script and handlers, script schemes, embedding tags."""

    def __init__(self):
        super().__init__()
        self.found = []
        self.in_json = False
        self.json_blocks = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in DANGEROUS_TAGS:
            self.found.append(f"<{tag}>")
        if tag == "script":
            if attrs.get("type") == "application/ld+json":
                self.in_json = True
                self.json_blocks.append("")
            elif not (attrs.get("src") or "").startswith("/static/"):
                self.found.append(f"<script src={attrs.get('src')!r}>")
        if tag == "meta" and (attrs.get("http-equiv") or "").lower() == "refresh":
            self.found.append("<meta refresh>")
        if tag == "link" and scheme_of(attrs.get("href")) not in ("", "http", "https"):
            self.found.append(f"<link href={attrs.get('href')!r}>")
        for name, value in attrs.items():
            if name.startswith("on") or name in ("style", "srcdoc"):
                self.found.append(f"{name}= on <{tag}>")
            if name in URL_ATTRIBUTES and scheme_of(value) not in ("", "http", "https", "mailto"):
                self.found.append(f"{name}={value!r} on <{tag}>")

    def handle_endtag(self, tag):
        if tag == "script":
            self.in_json = False

    def handle_data(self, data):
        if self.in_json:
            self.json_blocks[-1] += data


def executable_in_page(html):
    finder = PageFinder()
    finder.feed(html)
    found = finder.found + [f"<style> or inline: {item}" for item in inline_content(html) if "ld+json" not in item]
    for block in finder.json_blocks:
        try:
            json.loads(block)
        except ValueError:
            found.append("JSON-LD broken out of")
    return sorted(set(found))


def executable_in_fragment(html):
    """For HTML a feed reader renders: the Markdown allowlist is all it may hold."""
    finder = ExecutableFinder()
    finder.feed(html)
    return finder.found


# --- the world of one batch ---------------------------------------------------------------------------------


def build(batch):
    markdown = "\n\n".join(chunk(batch))
    values = dict.fromkeys(MARKDOWN_FIELDS, markdown)
    for index, (owner, field, limit) in enumerate(PLAIN_FIELDS):
        values[(owner, field)] = plain(batch, index, limit)
    values[("source", "url")] = URL_VECTORS[batch % len(URL_VECTORS)]

    def of(owner):
        return {field: value for (who, field), value in values.items() if who == owner}

    authority = AuthorityFactory(**of("authority"))
    company = CompanyFactory(**of("company"))
    remedy_type = RemedyTypeFactory(**of("remedy_type"))
    dataset = DatasetFactory(collected_by=company, **of("dataset"))
    case = CaseFactory(authority=authority, datasets=[dataset], **of("case"))
    source = SourceFactory(**of("source"))
    PartyFactory(case=case, company=company)
    RemedyFactory(case=case, remedy_type=remedy_type, **of("remedy"))
    TimelineEventFactory(case=case, source=source, **of("event"))
    CitationFactory(case=case, source=source, **of("citation"))
    exposure = ExposureListFactory(precedents=[case], **of("exposure"))
    ExposureEntryFactory(exposure_list=exposure, company=company, **of("entry"))
    CorrectionNoticeFactory(page=case, **of("notice"))
    report = CorrectionFactory(page=case, **of("report"))
    CorrectionMessage.objects.create(correction=report, visibility=MessageVisibility.FROM_READER, **of("message"))
    assert ContentType.objects.get_for_model(case)
    return {
        "case": case,
        "company": company,
        "authority": authority,
        "remedy_type": remedy_type,
        "dataset": dataset,
        "exposure": exposure,
        "report": report,
    }


def html_pages(w):
    case = w["case"]
    hid = case.history.latest().history_id
    pages = [
        "/",
        "/cases/",
        case.get_absolute_url(),
        f"/cases/{case.slug}/v/{hid}/",
        f"/companies/{w['company'].slug}/",
        "/companies/",
        f"/authorities/{w['authority'].slug}/",
        "/authorities/",
        f"/remedies/{w['remedy_type'].slug}/",
        "/remedies/",
        f"/datasets/{w['dataset'].slug}/",
        "/datasets/",
        f"/exposure/{w['exposure'].slug}/",
        "/exposure/",
        f"/compare/?case={case.slug}&case={case.slug}",
        "/stats/",
        "/corrections/",
        f"/history/cases/{case.slug}/",
        f"/search/?q={case.slug}",
        "/api/",
    ]
    for kind, page in [("companies", "company"), ("authorities", "authority"), ("datasets", "dataset")]:
        record = w[page].history.latest()
        pages.append(f"/{kind}/{w[page].slug}/v/{record.history_id}/")
    return pages


@pytest.mark.django_db
@pytest.mark.parametrize("batch", BATCHES)
def test_hostile_text_renders_nothing_executable(client, batch):
    w = build(batch)
    found = {}

    for url in html_pages(w):
        response = client.get(url)
        assert response.status_code == 200, url
        problems = executable_in_page(response.content.decode())
        if problems:
            found[url] = problems

    # The desk: every reader field of the report, as an editor sees it.
    desk = sign_in(client, EditorFactory(), second_factor=False)
    for url in (f"/desk/reports/{w['report'].number}/", "/desk/"):
        response = desk.get(url)
        assert response.status_code == 200, url
        problems = executable_in_page(response.content.decode())
        if problems:
            found[url] = problems
    client.logout()

    # Feeds: well-formed XML whose HTML parts hold only what the Markdown allowlist lets through.
    for url in ("/cases/feed.atom", "/corrections/feed/", f"/companies/{w['company'].slug}/feed.atom"):
        response = client.get(url)
        assert response.status_code == 200
        root = ET.fromstring(response.content)
        for element in root.iter():
            if element.get("type") in ("html", "xhtml") and element.text:
                problems = executable_in_fragment(element.text)
                if problems:
                    found[f"{url} <{element.tag}>"] = problems
            if element.tag.endswith("link") and scheme_of(element.get("href")) not in ("http", "https"):
                found.setdefault(url, []).append(f"link {element.get('href')!r}")

    # The API: JSON data, never HTML.
    for url in ("/api/v1/cases/", f"/api/v1/cases/{w['case'].slug}/", "/api/v1/sources/", "/api/v1/companies/"):
        response = client.get(url, HTTP_ACCEPT="text/html")
        assert response["Content-Type"].startswith("application/json"), url
        json.loads(response.content)

    # Exports: data files, and no cell a spreadsheet would run.
    response = client.get("/cases/export.csv")
    assert response["Content-Type"].startswith("text/csv")
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    for row in csv.reader(io.StringIO(text)):
        for cell in row:
            if cell[:1] in ("=", "+", "-", "@", "\t", "\r") and not re.fullmatch(r"[+-]?[0-9]+(\.[0-9]+)?", cell):
                found.setdefault("/cases/export.csv", []).append(cell[:60])
    response = client.get("/cases/export.json")
    assert response["Content-Type"].startswith("application/json")
    json.loads(b"".join(response.streaming_content))
    response = client.get("/cases/export.jsonl")
    assert not response["Content-Type"].startswith("text/html")
    for line in b"".join(response.streaming_content).splitlines():
        json.loads(line)

    # Citations: files for reference managers, never HTML a browser would render.
    for fmt in ("bib", "ris", "json"):
        response = client.get(f"/cite/cases/{w['case'].slug}.{fmt}")
        assert response.status_code == 200
        assert not response["Content-Type"].startswith("text/html")
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["Content-Disposition"].startswith("attachment")
        if fmt == "json":
            json.loads(response.content)

    assert found == {}


def test_csv_cells_that_look_like_formulas_are_neutralised():
    from casebase.knowledge.exports import _cell

    assert _cell("=1+1") == "'=1+1"
    assert _cell("+cmd") == "'+cmd"
    assert _cell("-cmd") == "'-cmd"
    assert _cell("@SUM(1)") == "'@SUM(1)"
    assert _cell("\tx") == "'\tx"
    assert _cell(["=a", "b"]) == "'=a; b"
    assert _cell("-12.50") == "-12.50"  # a number stays a number
    assert _cell("Everalbum") == "Everalbum"
    assert _cell(3) == 3


@pytest.mark.parametrize(
    "html",
    [
        '<a href="javascript:alert(1)">x</a>',
        '<a href=" JaVa\tScRiPt:alert(1)">x</a>',
        "<img src=x onerror=alert(1)>",
        "<script>alert(1)</script>",
        '<script type="application/ld+json">{"a": "</script><script>alert(1)</script>',
        "<iframe src=https://a.example></iframe>",
    ],
)
def test_the_page_finder_finds_what_it_looks_for(html):
    assert executable_in_page(html)


@pytest.mark.django_db
def test_the_payloads_reach_the_pages_as_text(client):
    """The checks above look at pages that really show the payloads, escaped."""
    w = build(0)
    html = client.get(w["case"].get_absolute_url()).content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    source_url = URL_VECTORS[0]
    assert f'href="{source_url}"' not in html
