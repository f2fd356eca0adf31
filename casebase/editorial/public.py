"""Public editorial pages: the site-wide corrections log, its Atom feed, and each page's change log."""

from django.contrib.syndication.views import Feed
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.views.decorators.http import require_safe

from casebase.knowledge.feeds import SafeAtom1Feed
from casebase.knowledge.paging import page_of
from casebase.knowledge.templatetags.casebase import render_markdown

from . import pages
from .models import CorrectionNotice

FEED_SIZE = 50
LOG_PER_PAGE = 25


@require_safe
def corrections_log(request):
    """Every notice on a published page, newest first: what was corrected, clarified or updated, and when."""
    notices = CorrectionNotice.objects.public().select_related("content_type").prefetch_related("page")
    page_obj, problem = page_of(notices, request.GET.get("page"), per_page=LOG_PER_PAGE)
    context = {"page_obj": page_obj, "notices": page_obj.object_list, "page_problem": problem}
    return TemplateResponse(request, "editorial/corrections_log.html", context)


class CorrectionsFeed(Feed):
    """The corrections log as an Atom feed."""

    feed_type = SafeAtom1Feed
    title = "casebase corrections and updates"
    subtitle = "Every correction, clarification, update and editor's note published on casebase."
    author_name = "casebase editors"

    def link(self):
        return reverse("editorial:corrections_log")

    def items(self):
        return CorrectionNotice.objects.public().prefetch_related("page")[:FEED_SIZE]

    def item_title(self, notice):
        return f"{notice.get_kind_display()}: {notice.page}"

    def item_description(self, notice):
        return render_markdown(notice.text)

    def item_link(self, notice):
        return f"{notice.page.get_absolute_url()}#notice-{notice.pk}"

    def item_pubdate(self, notice):
        return notice.published_at

    def item_updateddate(self, notice):
        return notice.published_at


corrections_feed = require_safe(CorrectionsFeed())


@require_safe
def page_history(request, kind, slug):
    """A public page's change log: each published version, what it changed, and the notice behind it."""
    page_kind = pages.BY_SLUG.get(kind)
    if page_kind is None:
        raise Http404("No such kind of page.")
    page = get_object_or_404(page_kind.model.objects.published(), slug=slug)
    notices = list(CorrectionNotice.objects.for_page(page))
    context = {"page": page, "page_kind": page_kind, "entries": pages.change_log(page, notices)}
    return TemplateResponse(request, "editorial/page_history.html", context)
