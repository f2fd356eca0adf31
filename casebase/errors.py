"""Error pages of our own, so they keep to the site's Content Security Policy."""

from django.template.response import TemplateResponse


def csrf_failure(request, reason=""):
    """The form could not be checked (expired page or blocked cookies): say what to do, in our own design."""
    return TemplateResponse(request, "403_csrf.html", status=403)
