"""Research partials for the reader pages: Cite this page, the precedents of a case, a remedy's lineage timeline.

{% load research %}
{% cite_this case %}                          one query: the page's current version
{% precedents case %}                         no query after Case.objects.for_detail()
{% lineage_timeline remedy_type remedies include_nonbinding %}   one query: the 'follows' links
"""

from django import template

from .. import cite
from .. import precedents as precedent_network

register = template.Library()


@register.inclusion_tag("includes/_cite.html", takes_context=True)
def cite_this(context, page, record=None):
    """The "Cite this page" block for `page` at version `record` (default: the current one)."""
    return {"citation": cite.cite(page, context["request"], record), "page": page}


@register.inclusion_tag("includes/_precedents.html")
def precedents(case):
    """The cases a case follows and those that follow it; renders nothing when there are none."""
    return {"case": case, "precedents": precedent_network.precedents_of(case)}


@register.inclusion_tag("includes/_lineage_timeline.html")
def lineage_timeline(remedy_type, remedies, include_nonbinding=False):
    """The lineage of a remedy type drawn on a time axis, from the remedies the page already loaded."""
    timeline = precedent_network.build_timeline(remedy_type, remedies, include_nonbinding)
    return {"timeline": timeline, "base": ""}
