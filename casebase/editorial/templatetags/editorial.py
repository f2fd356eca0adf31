"""Editorial on reader pages: correction notices, the "Spotted an error?" link, the change-log link, JSON-LD.

Reader pages stay cacheable for everyone: nothing here depends on who is reading.
"""

from urllib.parse import urlencode

from django import template
from django.urls import reverse
from django.utils.html import strip_tags

from casebase.knowledge.templatetags.casebase import render_markdown
from casebase.knowledge.templatetags.pages import json_ld_script

from .. import pages
from ..models import CorrectionNotice

register = template.Library()


def notices_of(page):
    """The page's notices, oldest first, fetched once per page object however many tags ask."""
    if not hasattr(page, "_editorial_notices"):
        page._editorial_notices = list(CorrectionNotice.objects.for_page(page).order_by("published_at", "pk"))
    return page._editorial_notices


@register.inclusion_tag("editorial/_notices_top.html")
def material_notices(page):
    """Material corrections (wrong company, amount, date, outcome, authority), for the top of the page."""
    return {"notices": [notice for notice in notices_of(page) if notice.is_material]}


@register.inclusion_tag("editorial/_notices_footer.html")
def notices_footer(page):
    """The "Corrections and updates" section at the foot of the page: every notice that is not material."""
    return {"notices": [notice for notice in notices_of(page) if not notice.is_material], "page": page}


@register.simple_tag
def report_url(page):
    """The report form for this page and the version on screen (a signed reference, the same for every reader)."""
    token = pages.sign_page_reference(page)
    return f"{reverse('editorial:report_new')}?{urlencode({'page': token})}"


@register.simple_tag
def page_history_url(page):
    """The page's public change log."""
    return reverse("editorial:page_history", args=[pages.kind_of(page).slug, page.slug])


@register.simple_tag(takes_context=True)
def correction_json_ld(context, page):
    """schema.org `correction` for the page's notices, as its own JSON-LD block (empty when there are none)."""
    notices = notices_of(page)
    if not notices:
        return ""
    url = context["request"].build_absolute_uri(page.get_absolute_url())
    data = {
        "@context": "https://schema.org",
        "@type": "WebPage",
        "@id": url,
        "url": url,
        "correction": [
            {
                "@type": "CorrectionComment",
                "url": f"{url}#notice-{notice.pk}",
                "datePublished": notice.published_at.isoformat(),
                "text": " ".join(strip_tags(render_markdown(notice.text)).split()),
            }
            for notice in notices
        ],
    }
    return json_ld_script(data)
