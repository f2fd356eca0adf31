from django.urls import path

from . import public

app_name = "editorial"

urlpatterns = [
    # Public: the corrections log, its feed, and each page's change log (developer A).
    path("corrections/", public.corrections_log, name="corrections_log"),
    path("corrections/feed/", public.corrections_feed, name="corrections_feed"),
    path("history/<slug:kind>/<slug:slug>/", public.page_history, name="page_history"),
]
