from django.urls import path

from . import views

app_name = "knowledge"

urlpatterns = [
    path("", views.home, name="home"),
    path("cases/<slug:slug>/", views.case_detail, name="case_detail"),
    path("companies/<slug:slug>/", views.company_detail, name="company_detail"),
    path("authorities/<slug:slug>/", views.authority_detail, name="authority_detail"),
    path("remedies/<slug:slug>/", views.remedytype_detail, name="remedytype_detail"),
    path("datasets/<slug:slug>/", views.dataset_detail, name="dataset_detail"),
    path("exposure/<slug:slug>/", views.exposurelist_detail, name="exposurelist_detail"),
]
