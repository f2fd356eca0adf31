from django.urls import include, path, re_path

from . import views

app_name = "api"

router = views.Router()
for prefix, viewset, basename in views.RESOURCES:
    router.register(prefix, viewset, basename=basename)

urlpatterns = [
    path("api/", views.api_docs, name="api_docs"),
    path("api/v1/", include(router.urls)),
    path("api/schema/", views.SchemaView.as_view(), name="schema"),
    re_path(r"^api/(?P<path>.*)$", views.api_not_found, name="api_not_found"),
]
