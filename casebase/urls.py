from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("", include("casebase.knowledge.urls")),
    path("", include("casebase.editorial.urls")),
    path("", include("casebase.api.urls")),
]
