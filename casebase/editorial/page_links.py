"""Which of our public pages a link names: matched through Django's URL resolver, never by pattern guessing."""

from urllib.parse import urlsplit

from django.conf import settings
from django.http.request import validate_host
from django.urls import Resolver404, resolve

from .abuse import find_links
from .models import PAGE_MODELS

# The reader-facing detail view of each reportable model, by its URL name.
DETAIL_VIEWS = {f"knowledge:{model._meta.model_name}_detail": model for model in PAGE_MODELS}


def _our_hosts():
    """Host names that are this site: SITE_URL's host and ALLOWED_HOSTS (both as configured)."""
    hosts = [urlsplit(settings.SITE_URL).hostname or ""]
    return [host for host in hosts + list(settings.ALLOWED_HOSTS) if host and host != "*"]


def page_for_url(url):
    """The published page a URL of ours points at, or None (other sites, lists, drafts, unknown slugs)."""
    url = url.strip().rstrip(".,;:!?)]>'\"")
    if url.startswith("www."):
        url = f"https://{url}"
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme not in ("http", "https", ""):
        return None
    if parts.netloc and not validate_host((parts.hostname or "").lower(), _our_hosts()):
        return None
    path = parts.path or "/"
    if not path.startswith("/"):
        return None
    try:
        match = resolve(path)
    except Resolver404:
        return None
    model = DETAIL_VIEWS.get(match.view_name)
    if model is None or "slug" not in match.kwargs:
        return None
    return model.objects.published().filter(slug=match.kwargs["slug"]).first()


def first_page_named(*texts):
    """The first of our published pages that the texts link to, or None."""
    for link in find_links(*texts):
        page = page_for_url(link)
        if page is not None:
            return page
    return None
