"""The site's URLs plus `bare`, the fastest view the same server can serve: the ceiling for every page."""

from django.http import HttpResponse
from django.urls import include, path


def bare(request):
    """Nothing but a response, through the same middleware as every page."""
    return HttpResponse(b"ok\n", content_type="text/plain")


urlpatterns = [
    path("__bench__/bare/", bare, name="bench_bare"),
    path("", include("casebase.urls")),
]
