"""The API's filters: the HTML list's CaseFilter, made strict; a small FilterSet for remedies.

The API filters cases with `CaseFilter` itself, so a query means the same set on the list page, in exports,
feeds and here. Where the list forgives (drops a bad value and says so), the API answers 400 naming the
parameter and the values it accepts, and filters nothing.
"""

import django_filters
from django.forms.forms import NON_FIELD_ERRORS
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.extensions import OpenApiFilterExtension

from casebase.knowledge.filters import MAX_YEAR, MIN_YEAR, ORIGIN_CHOICES, CaseFilter, remedy_scope
from casebase.knowledge.models import Case, Remedy, RemedyType

from .errors import InvalidQuery, ParameterProblem

# What each case filter accepts, in words, where a list of values cannot say it (DESIGN §5 names the parameters).
ACCEPTS = {
    "q": "search words, at most 200 characters; quote a phrase, prefix a word with - to exclude it",
    "remedy": "the slug of a published remedy type (see /api/v1/remedy-types/); repeat the parameter for several",
    "origin": "how the remedy came about; repeat for several. Without it a remedy counts only when it binds "
    "the company (ordered or agreed); any includes the remedies that do not bind",
    "authority": "the slug of a published authority or court (see /api/v1/authorities/), as authority or as forum",
    "jurisdiction": "an ISO 3166 code such as US, FR or US-IL, or a region such as EU (any case of letters)",
    "kind": "a kind of case",
    "status": "a case status",
    "company": "the slug of a published company (see /api/v1/companies/); its subsidiaries' cases count too",
    "modality": "a kind of data, matched against the case's published datasets",
    "legal_basis": "the slug of a legal basis",
    "year_from": f"a year from {MIN_YEAR} to {MAX_YEAR}: cases whose key date (decided, else started) is in or "
    "after it",
    "year_to": f"a year from {MIN_YEAR} to {MAX_YEAR}: cases whose key date is in or before it",
    "sort": "an order: newest (default; relevance when q is given), oldest, penalty, title or relevance",
    "case": "the slug of a published case (see /api/v1/cases/)",
}
REPEATABLE = ("remedy", "origin")


def accepted_values(flt):
    """The values a filter accepts when they can be listed: slugs of its queryset, or its choices."""
    queryset = getattr(flt, "queryset", None)
    if queryset is not None:
        to_field = flt.extra.get("to_field_name") or "pk"
        return [str(value) for value in queryset.order_by(to_field).values_list(to_field, flat=True)]
    choices = flt.extra.get("choices")
    if callable(choices):
        choices = choices()
    return [str(value) for value, _label in choices] if choices else []


def problem(flt, name, values, reason):
    accepted = accepted_values(flt)
    accepts = ACCEPTS.get(name, flt.label or name)
    listed = f" One of: {', '.join(accepted)}." if accepted else ""
    shown = ", ".join(f"“{value}”" for value in values)
    message = f"{name}={shown} is not accepted: {reason}. {name} takes {accepts}.{listed}"
    return ParameterProblem(name, list(values), message, accepts, accepted)


def known_values(flt, cleaned):
    """What a repeatable filter kept of the values it was given, as the values were spelt."""
    to_field = flt.extra.get("to_field_name")
    return {str(getattr(item, to_field)) if to_field else str(item) for item in cleaned or []}


def query_problems(filterset, params):
    """Every parameter of `params` that `filterset` (a bound FilterSet) ignored or adjusted, as ParameterProblems.

    The same judgement as the HTML list's "There is a problem" box, which drops these values and says so.
    """
    form = filterset.form
    form.is_valid()
    problems = []
    for name, flt in filterset.filters.items():
        given = [value for value in params.getlist(name) if value.strip()]
        if not given:
            continue
        if name not in REPEATABLE and len(given) > 1:
            problems.append(problem(flt, name, given, "it takes one value, not several"))
        elif name in form.errors:
            problems.append(problem(flt, name, given, str(form.errors[name][0]).rstrip(".")))
        elif name in REPEATABLE:
            known = known_values(flt, form.cleaned_data.get(name))
            unknown = list(dict.fromkeys(value for value in given if value not in known))
            if unknown:
                problems.append(problem(flt, name, unknown, "not a value we list"))
    problems.extend(year_order_problems(filterset))
    if not problems and form.errors.get(NON_FIELD_ERRORS):  # a rule of the form's that the checks above miss
        problems = [ParameterProblem("query", [], str(error), "", []) for error in form.errors[NON_FIELD_ERRORS]]
    return problems


def year_order_problems(filterset):
    """year_from after year_to: the list swaps them and says so; the API asks for them the right way round."""
    form = filterset.form
    if not {"year_from", "year_to"} <= set(form.fields):
        return []
    years = {}
    for name in ("year_from", "year_to"):
        if name in form.errors:
            return []
        years[name] = form.fields[name].clean(form[name].data) if form[name].data not in (None, "") else None
    if years["year_from"] and years["year_to"] and years["year_from"] > years["year_to"]:
        flt = filterset.filters["year_from"]
        reason = f"it is after year_to={years['year_to']}; give the earlier year as year_from"
        return [problem(flt, "year_from", [str(years["year_from"])], reason)]
    return []


class StrictFilterBackend(DjangoFilterBackend):
    """DRF's django-filter backend for list actions, answering 400 for any value the FilterSet would ignore."""

    def filter_queryset(self, request, queryset, view):
        if getattr(view, "action", None) != "list":
            return queryset
        filterset = self.get_filterset(request, queryset, view)
        if filterset is None:
            return queryset
        problems = query_problems(filterset, request.query_params)
        if problems:
            raise InvalidQuery(problems)
        return filterset.qs


# --- Remedies ----------------------------------------------------------------------------------------

# The remedies list's `origin`, read as the case list reads it (the same choices and the same scope): binding
# remedies unless asked otherwise.
REMEDY_ORIGIN_CHOICES = ORIGIN_CHOICES


class RemedyFilter(django_filters.FilterSet):
    """Remedies by type, origin and case; as on every page, a remedy counts only when it binds unless asked."""

    remedy = django_filters.ModelMultipleChoiceFilter(
        label="Remedy type",
        queryset=RemedyType.objects.published(),
        to_field_name="slug",
        method="filter_remedy",
    )
    origin = django_filters.MultipleChoiceFilter(
        label="Remedy origin", choices=REMEDY_ORIGIN_CHOICES, method="filter_remedy"
    )
    case = django_filters.ModelChoiceFilter(
        label="Case", queryset=Case.objects.published(), to_field_name="slug", field_name="case"
    )

    class Meta:
        model = Remedy
        fields = []

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        types = self.form.cleaned_data.get("remedy") or ()
        return queryset.matching(types, **remedy_scope(self.form.cleaned_data.get("origin") or []))

    def filter_remedy(self, queryset, name, value):
        return queryset  # type and origin hold on the same remedy: applied together in filter_queryset


# --- The parameters in the OpenAPI schema ------------------------------------------------------------


def query_parameter(name, flt, *, many=False, enum=None, **schema):
    """A query parameter object for the schema, described from the filter's label and what it accepts."""
    if many:
        items = {"type": "string", **({"enum": enum} if enum else {})}
        return {
            "in": "query",
            "name": name,
            "required": False,
            "description": f"{flt.label}: {ACCEPTS[name]}.",
            "schema": {"type": "array", "items": items},
            "style": "form",
            "explode": True,
        }
    schema = {"type": "string", **schema, **({"enum": enum} if enum else {})}
    return {
        "in": "query",
        "name": name,
        "required": False,
        "description": f"{flt.label}: {ACCEPTS[name]}.",
        "schema": schema,
    }


def choice_values(flt):
    return [str(value) for value, _label in flt.extra["choices"]]


def case_filter_parameters():
    """The case list's query parameters, from CaseFilter's own filters: names, labels, choices, limits.

    Slugs are described rather than enumerated, so the schema does not change when an editor publishes a record.
    """
    f = CaseFilter.base_filters
    years = {"type": "integer", "minimum": MIN_YEAR, "maximum": MAX_YEAR}
    return [
        query_parameter("q", f["q"], maxLength=200),
        query_parameter("remedy", f["remedy"], many=True),
        query_parameter("origin", f["origin"], many=True, enum=choice_values(f["origin"])),
        query_parameter("authority", f["authority"]),
        query_parameter("jurisdiction", f["jurisdiction"], pattern=r"^[A-Za-z]{2}(-[A-Za-z0-9]{1,3})?$"),
        query_parameter("kind", f["kind"], enum=choice_values(f["kind"])),
        query_parameter("status", f["status"], enum=choice_values(f["status"])),
        query_parameter("company", f["company"]),
        query_parameter("modality", f["modality"], enum=choice_values(f["modality"])),
        query_parameter("legal_basis", f["legal_basis"]),
        query_parameter("year_from", f["year_from"], **years),
        query_parameter("year_to", f["year_to"], **years),
        query_parameter("sort", f["sort"], enum=choice_values(f["sort"])),
    ]


def remedy_filter_parameters():
    f = RemedyFilter.base_filters
    return [
        query_parameter("remedy", f["remedy"], many=True),
        query_parameter("origin", f["origin"], many=True, enum=choice_values(f["origin"])),
        query_parameter("case", f["case"]),
    ]


class StrictFilterBackendSchema(OpenApiFilterExtension):
    """The schema's filter parameters, written out from the FilterSets instead of guessed from them."""

    target_class = StrictFilterBackend
    priority = 1  # ahead of drf-spectacular's own django-filter extension, which matches subclasses

    def get_schema_operation_parameters(self, auto_schema, *args, **kwargs):
        if getattr(auto_schema.view, "action", None) != "list":
            return []
        parameters = {CaseFilter: case_filter_parameters, RemedyFilter: remedy_filter_parameters}
        build = parameters.get(getattr(auto_schema.view, "filterset_class", None))
        return build() if build else []
