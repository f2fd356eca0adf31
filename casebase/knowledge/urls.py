from django.contrib.sitemaps.views import sitemap
from django.urls import path, re_path

from casebase.caching import cache_public_page as cached

from . import data_views, feeds, research_views, views
from .sitemaps import SITEMAPS

app_name = "knowledge"

# cached(): pages that are the same for every reader, from the shared page cache (casebase/caching.py).
# Not cached: the exports (streamed), the downloads page and dump files (they follow files on disk, not the
# database), and robots.txt (no query to save).

urlpatterns = [
    path("", cached(views.home), name="home"),
    path("cases/", cached(views.case_list), name="case_list"),
    # Exports and feeds of the filtered list take every filter parameter of /cases/.
    path("cases/export.csv", data_views.case_export_csv, name="case_export_csv"),
    path("cases/export.json", data_views.case_export_json, name="case_export_json"),
    path("cases/export.jsonl", data_views.case_export_jsonl, name="case_export_jsonl"),
    path("cases/feed.atom", cached(feeds.case_list_feed), name="case_list_feed"),
    path("companies/<slug:slug>/feed.atom", cached(feeds.company_case_feed), name="company_case_feed"),
    path("remedies/<slug:slug>/feed.atom", cached(feeds.remedytype_case_feed), name="remedytype_case_feed"),
    path("data/", data_views.downloads, name="downloads"),
    path("data/dictionary/", cached(data_views.data_dictionary), name="data_dictionary"),
    path("data/dumps/<str:name>", data_views.dump_file, name="dump_file"),
    path("cases/<slug:slug>/", cached(views.case_detail), name="case_detail"),
    path("companies/", cached(views.company_list), name="company_list"),
    path("companies/<slug:slug>/", cached(views.company_detail), name="company_detail"),
    path("authorities/", cached(views.authority_list), name="authority_list"),
    path("authorities/<slug:slug>/", cached(views.authority_detail), name="authority_detail"),
    path("remedies/", cached(views.remedytype_list), name="remedytype_list"),
    path("remedies/<slug:slug>/", cached(views.remedytype_detail), name="remedytype_detail"),
    path("datasets/", cached(views.dataset_list), name="dataset_list"),
    path("datasets/<slug:slug>/", cached(views.dataset_detail), name="dataset_detail"),
    path("exposure/", cached(views.exposurelist_list), name="exposurelist_list"),
    path("exposure/<slug:slug>/", cached(views.exposurelist_detail), name="exposurelist_detail"),
    path("search/", cached(views.search), name="search"),
    path("about/", cached(views.about), name="about"),
    path("methodology/", cached(views.methodology), name="methodology"),
    path("robots.txt", views.robots_txt, name="robots_txt"),
    path("sitemap.xml", cached(sitemap), {"sitemaps": SITEMAPS}, name="sitemap"),
    # Research (issue 7, developer 7c): statistics, compare, versioned permalinks, citation files.
    path("stats/", cached(research_views.stats), name="stats"),
    path("stats/<slug:chart>.csv", cached(research_views.stats_csv), name="stats_csv"),
    path("stats/<slug:chart>.svg", cached(research_views.stats_svg), name="stats_svg"),
    path("compare/", cached(research_views.compare), name="compare"),
    re_path(
        r"^(?P<kind>cases|companies|authorities|remedies|datasets|exposure)/(?P<slug>[-a-zA-Z0-9_]+)/v/(?P<history_id>[0-9]{1,18})/$",
        cached(research_views.page_version),
        name="page_version",
    ),
    re_path(
        r"^cite/(?P<kind>cases|companies|authorities|remedies|datasets|exposure)/(?P<slug>[-a-zA-Z0-9_]+)\.(?P<fmt>bib|ris|json)$",
        cached(research_views.page_citation),
        name="page_citation",
    ),
]
