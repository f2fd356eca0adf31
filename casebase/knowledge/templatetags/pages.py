"""Template helpers for the reader pages: absolute links, key dates and the case page's JSON-LD."""

import json
from dataclasses import dataclass

from django import template
from django.urls import reverse
from django.utils.safestring import mark_safe

from ..models import Case, RemedyOrigin, SourceKind

register = template.Library()

# The same escapes as django.utils.html.json_script: no "</script>" or "<!--" can end the data block early.
JSON_SCRIPT_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}
LICENCE_URL = "https://creativecommons.org/licenses/by/4.0/"


@register.simple_tag(takes_context=True)
def absolute_url(context, obj):
    """The full address of a page model for this request's host, for canonical links and OpenGraph."""
    return context["request"].build_absolute_uri(obj.get_absolute_url())


def json_ld_script(data):
    """A <script type="application/ld+json"> data block with <, > and & escaped, as json_script does."""
    text = json.dumps(data, ensure_ascii=False).translate(JSON_SCRIPT_ESCAPES)
    return mark_safe(f'<script type="application/ld+json">{text}</script>')


def case_schema(case, request):
    """schema.org description of a case page, from what the view already prefetched."""
    absolute = request.build_absolute_uri
    url = absolute(case.get_absolute_url())
    about = {}  # keyed by address: a company with two roles, or a court that is also the forum, appears once
    for party in case.parties.all():
        if party.company.is_published:
            about.setdefault(party.company.get_absolute_url(), ("Organization", party.company.name))
    for body in (case.authority, case.forum):
        if body is not None and body.is_published:
            about.setdefault(body.get_absolute_url(), ("GovernmentOrganization", body.name))
    data = {
        "@context": "https://schema.org",
        "@type": "Article",
        "headline": case.title,
        "description": " ".join(case.summary.split()),
        "url": url,
        "mainEntityOfPage": url,
        "datePublished": case.created_at.isoformat(),
        "dateModified": case.updated_at.isoformat(),
        "inLanguage": "en",
        "isAccessibleForFree": True,
        "license": LICENCE_URL,
        "publisher": {"@type": "Organization", "name": "casebase", "url": absolute(reverse("knowledge:home"))},
        "about": [{"@type": kind, "name": name, "url": absolute(path)} for path, (kind, name) in about.items()],
        "keywords": sorted(
            {remedy.remedy_type.name for remedy in case.remedies.all() if remedy.remedy_type.is_published}
        ),
        "citation": [
            {"@type": "CreativeWork", "name": citation.source.title, "url": citation.source.url}
            for citation in case.citations.all()
        ],
    }
    if case.jurisdiction:
        data["spatialCoverage"] = case.jurisdiction
    return data


@register.simple_tag(takes_context=True)
def case_json_ld(context, case):
    """The case page's JSON-LD block."""
    return json_ld_script(case_schema(case, context["request"]))


@register.filter
def first_paragraph(text):
    """The first block of a Markdown text, for a teaser that never cuts a sentence."""
    return (text or "").strip().split("\n\n", 1)[0]


SOURCE_KIND_HEADINGS = {
    SourceKind.PRIMARY: "Primary documents",
    SourceKind.PRESS_RELEASE: "Government and court releases",
    SourceKind.NEWS: "News",
    SourceKind.ANALYSIS: "Commentary",
}


@register.filter
def source_kind_heading(kind):
    """The heading over a page's sources of one kind: 'Primary documents', 'News'."""
    return SOURCE_KIND_HEADINGS.get(kind, SourceKind(kind).label if kind in SourceKind.values else kind)


@register.filter
def minus(value, other):
    """`value` less `other`, for counts such as the cases in which a remedy was only sought."""
    return (value or 0) - (other or 0)


@dataclass
class RemedyFact:
    """One remedy type of a case for its key facts: the remedies of that type worth a mention, and whether any binds."""

    remedy_type: object
    remedies: list
    binds: bool


@register.filter
def remedy_facts(remedies):
    """A case's remedies of published types grouped by type, in taxonomy order, for the key facts.

    Remedies of one type and origin without an amount say the same thing in a summary line: one of them stays.
    """
    facts, said = {}, set()
    for remedy in remedies:
        if not remedy.remedy_type.is_published:
            continue
        fact = facts.setdefault(remedy.remedy_type.pk, RemedyFact(remedy.remedy_type, [], False))
        fact.binds = fact.binds or RemedyOrigin(remedy.origin).is_imposed
        key = (remedy.remedy_type.pk, remedy.origin)
        if remedy.amount is None and key in said:
            continue
        said.add(key)
        fact.remedies.append(remedy)
    return list(facts.values())


def _primary(sources):
    return any(source is not None and source.is_primary for source in sources)


@register.filter
def cites_primary(record):
    """Whether a page's sources (a case's also those of its remedies and timeline) include a primary document."""
    sources = [citation.source for citation in record.citations.all()]
    if isinstance(record, Case):
        for remedy in record.remedies.all():
            sources += [citation.source for citation in remedy.citations.all()] + [remedy.compliance_source]
        sources += [event.source for event in record.timeline.all()]
    return _primary(sources)


# The contents list follows the key facts, which open the page: it lists what comes after them.
CASE_SECTIONS = [
    ("parties", "Parties"),
    ("remedies", "Remedies"),
    ("data-reach", "What happened to the data"),
    ("account", "The case"),
    ("data", "Data and models"),
    ("timeline", "Timeline"),
    ("related", "Related cases"),
    ("questions", "Open questions"),
    ("sources", "Sources"),
]
# A contents list helps only on a long page: one with at least this many sections after the key facts.
CONTENTS_MIN_SECTIONS = 5


@register.simple_tag
def case_contents(case, data_reach):
    """[(anchor, label)] of the sections the case page shows, or [] when the page is short enough to scan."""
    present = {
        "parties": bool(case.parties.all()),
        "remedies": bool(case.remedies.all()),
        "data-reach": bool(data_reach),
        "account": bool(case.body),
        "data": bool(case.datasets.all()),
        "timeline": bool(case.timeline.all()),
        "related": bool(case.relations_out.all() or case.relations_in.all()),
        "questions": bool(case.open_questions),
        "sources": True,
    }
    sections = [(anchor, label) for anchor, label in CASE_SECTIONS if present[anchor]]
    return sections if len(sections) >= CONTENTS_MIN_SECTIONS else []


@register.filter(is_safe=True)
def trim(value):
    """Rendered HTML without the whitespace around it, so an included partial can sit before punctuation."""
    return value.strip()
