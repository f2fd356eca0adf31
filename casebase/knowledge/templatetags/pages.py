"""Template helpers for the reader pages: absolute links, key dates and the case page's JSON-LD."""

import json

from django import template
from django.urls import reverse
from django.utils.safestring import mark_safe

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
