"""Atom feeds of cases: any filtered case list, a company's cases, a remedy type's cases.

Every feed is a CaseFilter over the request's parameters (the company or remedy type fixed by the address), so
it holds the cases the HTML list shows for the same filters: the newest additions first, at most FEED_SIZE.
"""

import re

from django.contrib.syndication.views import Feed
from django.http import QueryDict
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import format_html, format_html_join

from .filters import CaseFilter
from .models import Company, RemedyOrigin, RemedyType

FEED_SIZE = 50

# Characters XML 1.0 cannot carry: one in a title or text would make the whole feed a server error.
NOT_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _xml_text(value):
    if isinstance(value, str):
        return NOT_XML.sub("", value)
    if isinstance(value, list | tuple):
        return [_xml_text(item) for item in value]
    return value


class SafeAtom1Feed(Atom1Feed):
    """Atom that drops the control characters XML cannot hold instead of failing on them."""

    def __init__(self, *args, **kwargs):
        super().__init__(*[_xml_text(arg) for arg in args], **{key: _xml_text(v) for key, v in kwargs.items()})

    def add_item(self, *args, **kwargs):
        super().add_item(*[_xml_text(arg) for arg in args], **{key: _xml_text(v) for key, v in kwargs.items()})


def remedy_words(remedy):
    """'Civil penalty (agreed in settlement): 20,000,000.00 EUR (US$21,500,000.00)'; the origin unless ordered."""
    words = remedy.remedy_type.name
    if remedy.origin != RemedyOrigin.ORDERED:
        words += f" ({remedy.get_origin_display().lower()})"
    if remedy.amount is not None:
        words += f": {remedy.amount:,.2f} {remedy.currency}"
        if remedy.currency != "USD" and remedy.amount_usd is not None:
            words += f" (US${remedy.amount_usd:,.2f})"
    return words


class CaseFeed(Feed):
    """The cases of a CaseFilter as Atom; subclasses fix a company or a remedy type through `scope`."""

    feed_type = SafeAtom1Feed
    author_name = "casebase editors"
    url_name = "knowledge:case_list_feed"
    fixed = ()  # the parameters the address fixes

    def get_object(self, request, **kwargs):
        data = request.GET.copy()
        page = self.scope(data, **kwargs)
        filterset = CaseFilter(data)
        return {
            "filter": filterset,
            "link": page or reverse("knowledge:case_list") + filterset.query(),
            "feed_url": reverse(self.url_name, kwargs=kwargs or None) + self.feed_query(filterset),
        }

    def scope(self, data, **kwargs):
        """Fix the parameters the address names in `data`; the address of the page these cases belong to, or None."""
        return None

    def feed_query(self, filterset):
        """The feed's own query string: the valid filters, less those the address fixes and less the sort."""
        params = QueryDict(filterset.query().removeprefix("?"), mutable=True)
        for name in ("sort", *self.fixed):
            params.pop(name, None)
        encoded = params.urlencode()
        return f"?{encoded}" if encoded else ""

    def title(self, obj):
        description = obj["filter"].description()
        return f"casebase: cases {description}" if description else "casebase: all cases"

    def subtitle(self, obj):
        return "Enforcement cases newly added to casebase that match these filters, newest first."

    def link(self, obj):
        return obj["link"]

    def feed_url(self, obj):
        return obj["feed_url"]

    def items(self, obj):
        return obj["filter"].qs.for_list().order_by("-created_at", "-pk")[:FEED_SIZE]

    def item_title(self, case):
        return case.title

    def item_link(self, case):
        return case.get_absolute_url()

    def item_description(self, case):
        facts = " · ".join(
            part for part in (str(case.authority or case.forum or ""), case.jurisdiction, case.key_date_display) if part
        )
        remedies = format_html_join("", "<li>{}</li>", ((remedy_words(r),) for r in case.remedies.all()))
        return format_html(
            "<p>{}</p><p>{}</p>{}",
            case.summary,
            facts,
            format_html("<p>Remedies:</p><ul>{}</ul>", remedies) if remedies else "",
        )

    def item_categories(self, case):
        return list(dict.fromkeys(remedy.remedy_type.name for remedy in case.remedies.all()))

    def item_pubdate(self, case):
        return case.created_at

    def item_updateddate(self, case):
        return case.updated_at


class CompanyCaseFeed(CaseFeed):
    """Cases naming a company or one of its subsidiaries."""

    url_name = "knowledge:company_case_feed"
    fixed = ("company",)

    def scope(self, data, slug):
        company = get_object_or_404(Company.objects.published(), slug=slug)
        data.setlist("company", [company.slug])
        return company.get_absolute_url()


class RemedyTypeCaseFeed(CaseFeed):
    """Cases with a remedy of one type (binding ones unless `origin` says otherwise)."""

    url_name = "knowledge:remedytype_case_feed"
    fixed = ("remedy",)

    def scope(self, data, slug):
        remedy_type = get_object_or_404(RemedyType.objects.published(), slug=slug)
        data.setlist("remedy", [remedy_type.slug])
        return remedy_type.get_absolute_url()


case_list_feed = CaseFeed()
company_case_feed = CompanyCaseFeed()
remedytype_case_feed = RemedyTypeCaseFeed()
