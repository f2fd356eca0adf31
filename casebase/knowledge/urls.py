from django.contrib.sitemaps.views import sitemap
from django.urls import path, re_path

from . import data_views, feeds, research_views, views
from .sitemaps import SITEMAPS

app_name = "knowledge"

urlpatterns = [
    path("", views.home, name="home"),
    path("cases/", views.case_list, name="case_list"),
    # Exports and feeds of the filtered list take every filter parameter of /cases/.
    path("cases/export.csv", data_views.case_export_csv, name="case_export_csv"),
    path("cases/export.json", data_views.case_export_json, name="case_export_json"),
    path("cases/export.jsonl", data_views.case_export_jsonl, name="case_export_jsonl"),
    path("cases/feed.atom", feeds.case_list_feed, name="case_list_feed"),
    path("companies/<slug:slug>/feed.atom", feeds.company_case_feed, name="company_case_feed"),
    path("remedies/<slug:slug>/feed.atom", feeds.remedytype_case_feed, name="remedytype_case_feed"),
    path("data/", data_views.downloads, name="downloads"),
    path("data/dictionary/", data_views.data_dictionary, name="data_dictionary"),
    path("data/dumps/<str:name>", data_views.dump_file, name="dump_file"),
    path("cases/<slug:slug>/", views.case_detail, name="case_detail"),
    path("companies/", views.company_list, name="company_list"),
    path("companies/<slug:slug>/", views.company_detail, name="company_detail"),
    path("authorities/", views.authority_list, name="authority_list"),
    path("authorities/<slug:slug>/", views.authority_detail, name="authority_detail"),
    path("remedies/", views.remedytype_list, name="remedytype_list"),
    path("remedies/<slug:slug>/", views.remedytype_detail, name="remedytype_detail"),
    path("datasets/", views.dataset_list, name="dataset_list"),
    path("datasets/<slug:slug>/", views.dataset_detail, name="dataset_detail"),
    path("exposure/", views.exposurelist_list, name="exposurelist_list"),
    path("exposure/<slug:slug>/", views.exposurelist_detail, name="exposurelist_detail"),
    path("search/", views.search, name="search"),
    path("about/", views.about, name="about"),
    path("methodology/", views.methodology, name="methodology"),
    path("robots.txt", views.robots_txt, name="robots_txt"),
    path("sitemap.xml", sitemap, {"sitemaps": SITEMAPS}, name="sitemap"),
    # Research (issue 7, developer 7c): statistics, compare, versioned permalinks, citation files.
    path("stats/", research_views.stats, name="stats"),
    path("stats/<slug:chart>.csv", research_views.stats_csv, name="stats_csv"),
    path("stats/<slug:chart>.svg", research_views.stats_svg, name="stats_svg"),
    path("compare/", research_views.compare, name="compare"),
    re_path(
        r"^(?P<kind>cases|companies|authorities|remedies|datasets|exposure)/(?P<slug>[-a-zA-Z0-9_]+)/v/(?P<history_id>[0-9]{1,18})/$",
        research_views.page_version,
        name="page_version",
    ),
    re_path(
        r"^cite/(?P<kind>cases|companies|authorities|remedies|datasets|exposure)/(?P<slug>[-a-zA-Z0-9_]+)\.(?P<fmt>bib|ris|json)$",
        research_views.page_citation,
        name="page_citation",
    ),
]
