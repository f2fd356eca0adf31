"""The read-only JSON API at /api/v1/, its OpenAPI schema at /api/schema/, and the API docs page at /api/."""

import json
from functools import cache

from django.conf import settings
from django.db.models import Prefetch
from django.http import JsonResponse, QueryDict
from django.template.response import TemplateResponse
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_safe
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_view
from drf_spectacular.views import SpectacularAPIView
from rest_framework import routers, serializers, viewsets
from rest_framework.exceptions import NotFound

from casebase.editorial.models import CorrectionNotice
from casebase.knowledge.filters import CaseFilter
from casebase.knowledge.models import (
    Authority,
    Case,
    Citation,
    Company,
    Dataset,
    ExposureList,
    Remedy,
    RemedyType,
)

from . import serializers as s
from .errors import InvalidQuery, handle_exception, rate_words, throttled
from .filters import RemedyFilter, StrictFilterBackend, case_filter_parameters, query_problems
from .public import public_sources, public_trained_models


class ApiViewMixin:
    """What every API view shares: our 400 body and a 429 that names the limit."""

    def get_exception_handler(self):
        return handle_exception

    def throttled(self, request, wait):
        raise throttled(settings.API_ANON_RATE, wait)


# --- Documented error bodies -------------------------------------------------------------------------


class ParameterProblemSerializer(serializers.Serializer):
    parameter = serializers.CharField(help_text="The query parameter refused.")
    values = serializers.ListField(child=serializers.CharField(), help_text="The values given that were refused.")
    message = serializers.CharField(help_text="Why, and what the parameter takes, in a sentence.")
    accepts = serializers.CharField(help_text="What the parameter takes, in words.")
    accepted = serializers.ListField(
        child=serializers.CharField(),
        help_text="Every value the parameter takes, where they can be listed; else empty.",
    )


class InvalidQuerySerializer(serializers.Serializer):
    detail = serializers.CharField(help_text="The parameters refused, in a sentence.")
    errors = ParameterProblemSerializer(many=True, help_text="One entry per parameter refused.")


class DetailSerializer(serializers.Serializer):
    detail = serializers.CharField(help_text="What went wrong, in a sentence.")


NOT_FOUND = OpenApiResponse(DetailSerializer, description="No published record has this identifier.")
BAD_QUERY = OpenApiResponse(
    InvalidQuerySerializer, description="A query parameter has a value the API does not accept; nothing was filtered."
)
THROTTLED = OpenApiResponse(
    DetailSerializer, description="Too many requests from this address: wait for the Retry-After seconds."
)


def documented(name, plural):
    """The schema's summaries and responses, error responses included, for a resource's list and detail."""

    def decorate(viewset):
        detail = viewset.detail_serializer_class or viewset.serializer_class
        path_parameters = []
        if viewset.lookup_field == "pk":
            path_parameters = [OpenApiParameter("id", int, OpenApiParameter.PATH, description=f"The {name}'s id.")]
        return extend_schema_view(
            list=extend_schema(
                summary=f"List {plural}",
                responses={200: viewset.serializer_class(many=True), 400: BAD_QUERY, 429: THROTTLED},
            ),
            retrieve=extend_schema(
                summary=f"One {name}",
                parameters=path_parameters,
                responses={200: detail, 404: NOT_FOUND, 429: THROTTLED},
            ),
        )(viewset)

    return decorate


class ReadOnlyResource(ApiViewMixin, viewsets.ReadOnlyModelViewSet):
    """A published resource, list and detail: writes answer 405."""

    lookup_field = "slug"
    lookup_value_regex = "[^/]+"  # anything up to the slash reaches the view, so a bad identifier is a JSON 404
    detail_serializer_class = None
    filter_backends = (StrictFilterBackend,)

    def get_serializer_class(self):
        if self.action == "retrieve" and self.detail_serializer_class:
            return self.detail_serializer_class
        return self.serializer_class

    def get_queryset(self):
        return self.detail_queryset() if self.action == "retrieve" else self.list_queryset()

    def get_object(self):
        # No identifier holds a NUL, and PostgreSQL refuses to compare text with one: answer as for any unknown one.
        if "\x00" in self.kwargs.get(self.lookup_url_kwarg or self.lookup_field, ""):
            raise NotFound()
        return super().get_object()

    def detail_queryset(self):
        return self.list_queryset()


@documented("case", "cases")
class CaseViewSet(ReadOnlyResource):
    """Published cases, filtered as the case list on the site filters them (the same FilterSet)."""

    serializer_class = s.CaseSerializer
    detail_serializer_class = s.CaseDetailSerializer
    filterset_class = CaseFilter

    def list_queryset(self):
        return Case.objects.published().for_list()

    def detail_queryset(self):
        return Case.objects.published().for_detail()


@documented("company", "companies")
class CompanyViewSet(ReadOnlyResource):
    """Published companies, by name."""

    serializer_class = s.CompanySerializer
    detail_serializer_class = s.CompanyDetailSerializer

    def list_queryset(self):
        return Company.objects.published().select_related("parent").order_by("name", "pk")

    def detail_queryset(self):
        return Company.objects.published().for_detail()


@documented("authority or court", "authorities and courts")
class AuthorityViewSet(ReadOnlyResource):
    """Published authorities and courts, by name."""

    serializer_class = s.AuthoritySerializer

    def list_queryset(self):
        return Authority.objects.published().order_by("name", "pk")


@documented("remedy type", "remedy types")
class RemedyTypeViewSet(ReadOnlyResource):
    """The published remedy taxonomy, in taxonomy order, with counts of cases."""

    serializer_class = s.RemedyTypeSerializer

    def list_queryset(self):
        return RemedyType.objects.published().with_case_counts().order_by("sort_order", "name", "pk")


@documented("remedy", "remedies")
class RemedyViewSet(ReadOnlyResource):
    """Remedies of published types in published cases, oldest case first; binding ones unless `origin` asks."""

    serializer_class = s.RemedySerializer
    filterset_class = RemedyFilter
    lookup_field = "pk"

    def list_queryset(self):
        return (
            Remedy.objects.published()
            .select_related("case", "remedy_type", "exchange_rate__source", "compliance_source")
            .prefetch_related(
                Prefetch("covers_datasets", queryset=Dataset.objects.published()),
                "covers_models",
                Prefetch("citations", queryset=Citation.objects.select_related("source")),
            )
            .key_date_ordered()
        )

    def detail_queryset(self):
        return self.list_queryset()


@documented("dataset", "datasets")
class DatasetViewSet(ReadOnlyResource):
    """Published datasets, by name."""

    serializer_class = s.DatasetSerializer
    detail_serializer_class = s.DatasetDetailSerializer

    def list_queryset(self):
        return (
            Dataset.objects.published()
            .for_list()
            .prefetch_related(Prefetch("received_by", queryset=Company.objects.published()))
            .order_by("name", "pk")
        )

    def detail_queryset(self):
        return Dataset.objects.published().for_list().for_detail()


@documented("trained model", "trained models")
class TrainedModelViewSet(ReadOnlyResource):
    """Models and algorithms that a published record names, by name."""

    serializer_class = s.TrainedModelSerializer

    def list_queryset(self):
        return (
            public_trained_models()
            .select_related("developer")
            .prefetch_related(Prefetch("datasets", queryset=Dataset.objects.published()))
            .order_by("name", "pk")
        )


@documented("exposure list", "exposure lists")
class ExposureListViewSet(ReadOnlyResource):
    """Published exposure lists: companies that may face the risk a precedent creates."""

    serializer_class = s.ExposureListSerializer
    detail_serializer_class = s.ExposureListDetailSerializer

    def list_queryset(self):
        return ExposureList.objects.published().for_list().order_by("title", "pk")

    def detail_queryset(self):
        return ExposureList.objects.published().for_detail()


@documented("source", "sources")
class SourceViewSet(ReadOnlyResource):
    """Documents that published records cite, by title."""

    serializer_class = s.SourceSerializer
    lookup_field = "pk"

    def list_queryset(self):
        return public_sources().order_by("title", "pk")


@documented("correction notice", "correction notices")
class CorrectionNoticeViewSet(ReadOnlyResource):
    """Published correction notices on published pages, newest first: the corrections log."""

    serializer_class = s.CorrectionNoticeSerializer
    lookup_field = "pk"

    def list_queryset(self):
        return CorrectionNotice.objects.public().select_related("content_type").prefetch_related("page")


class ApiRootView(ApiViewMixin, routers.APIRootView):
    """The API's resources and their addresses."""


class SchemaView(ApiViewMixin, SpectacularAPIView):
    """The OpenAPI 3 schema: YAML, or JSON with ?format=json."""


class Router(routers.DefaultRouter):
    include_format_suffixes = False
    APIRootView = ApiRootView


RESOURCES = [
    ("cases", CaseViewSet, "case"),
    ("companies", CompanyViewSet, "company"),
    ("authorities", AuthorityViewSet, "authority"),
    ("remedy-types", RemedyTypeViewSet, "remedytype"),
    ("remedies", RemedyViewSet, "remedy"),
    ("datasets", DatasetViewSet, "dataset"),
    ("trained-models", TrainedModelViewSet, "trainedmodel"),
    ("exposure-lists", ExposureListViewSet, "exposurelist"),
    ("sources", SourceViewSet, "source"),
    ("correction-notices", CorrectionNoticeViewSet, "correctionnotice"),
]


@csrf_exempt  # a 404 for any method, not a CSRF failure
def api_not_found(request, path=""):
    """Any other address under /api/: a 404 in JSON, as the API's own."""
    detail = f"No such address in the API. Its resources are listed at {reverse('api:api-root')}."
    return JsonResponse({"detail": detail}, status=404)


# --- The docs page -----------------------------------------------------------------------------------


@cache
def openapi_schema():
    """The schema as a dict, generated once per process: it depends on code only, never on the data."""
    return SchemaGenerator().get_schema(request=None, public=True)


def resource_docs():
    """Each resource: its paths, what it is, and its fields (name, type, description) from the schema."""
    schema = openapi_schema()
    components = schema["components"]["schemas"]
    docs = []
    for prefix, viewset, _basename in RESOURCES:
        list_path = f"/api/v1/{prefix}/"
        detail_path = next(path for path in schema["paths"] if path.startswith(list_path) and path != list_path)
        operation = schema["paths"][detail_path]["get"]
        component = operation["responses"]["200"]["content"]["application/json"]["schema"]["$ref"].split("/")[-1]
        docs.append(
            {
                "name": prefix.replace("-", " ").capitalize(),
                "list_path": list_path,
                "detail_path": detail_path,
                "about": (viewset.__doc__ or "").strip(),
                "fields": component_fields(components, component),
                "component": component,
            }
        )
    return docs


def nested_docs(resources):
    """The objects records hold (references, parties, citations…), each with its fields: [(name, fields)]."""
    components = openapi_schema()["components"]["schemas"]
    shown = {resource["component"] for resource in resources}
    return [
        (name, component_fields(components, name))
        for name, component in sorted(components.items())
        if "properties" in component and name not in shown and not name.startswith("Paginated")
    ]


def component_fields(components, name):
    """[(field, type in words, description)] of one schema component."""
    rows = []
    for field, spec in components[name]["properties"].items():
        # drf-spectacular appends each choice to the description; the type column lists them already.
        rows.append((field, type_words(components, spec), spec.get("description", "").split("\n\n")[0]))
    return rows


def type_words(components, spec):
    """A field's type as a reader would say it: 'string (date)', 'list of CompanyRef objects', 'one of: …'."""
    nullable = spec.get("nullable", False)
    if "oneOf" in spec:  # drf-spectacular's way of saying "this enum, or null"
        options = [o for o in spec["oneOf"] if o.get("$ref", "").split("/")[-1] not in ("NullEnum", "BlankEnum")]
        nullable = nullable or len(options) < len(spec["oneOf"])
        spec = options[0]
    if "allOf" in spec:
        nullable = nullable or spec.get("nullable", False)
        spec = spec["allOf"][0]
    if "$ref" in spec:
        name = spec["$ref"].split("/")[-1]
        target = components[name]
        words = f"one of: {', '.join(str(v) for v in target['enum'] if v)}" if "enum" in target else f"{name} object"
    elif spec.get("type") == "array":
        words = f"list of {type_words(components, spec['items'])}"
    else:
        words = spec.get("type", "value") + (f" ({spec['format']})" if "format" in spec else "")
    return words + (", or null" if nullable else "")


def example_error():
    """A real 400 body, as the API gives it for ?kind=nonsense."""
    filterset = CaseFilter(QueryDict("kind=nonsense"))
    return InvalidQuery(query_problems(filterset, QueryDict("kind=nonsense"))).body()


def example_case(request):
    """The newest published case as the case list gives it, or None on an empty site."""
    case = Case.objects.published().for_list().latest_first().first()
    return s.CaseSerializer(case, context={"request": request}).data if case else None


@csrf_exempt  # answer 405, not a CSRF failure, to a form posted here
@require_safe
def api_docs(request):
    """The API for people: what each resource holds, the filters, paging, errors, limits, with examples."""
    case = example_case(request)
    resources = resource_docs()
    context = {
        "resources": resources,
        "nested": nested_docs(resources),
        "parameters": case_filter_parameters(),
        "rate": rate_words(settings.API_ANON_RATE),
        "example_case": json.dumps(case, indent=2, ensure_ascii=False) if case else "",
        "example_slug": case["slug"] if case else "ftc-v-everalbum",
        "example_error": json.dumps(example_error(), indent=2, ensure_ascii=False),
    }
    return TemplateResponse(request, "api/docs.html", context)
