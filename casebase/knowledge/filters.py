"""The case filters: one FilterSet for the HTML list, exports, feeds and the API, and its reader wording.

Each filter calls the CaseQuerySet method that holds its meaning; facet counts live in facets.py.
"""

from functools import cached_property

import django_filters
from django import forms
from django.core.validators import RegexValidator
from django.forms.forms import NON_FIELD_ERRORS
from django.http import QueryDict
from django_filters.fields import ModelMultipleChoiceField

from . import search
from .models import (
    Authority,
    Case,
    CaseKind,
    CaseStatus,
    Company,
    LegalBasis,
    Modality,
    RemedyOrigin,
    RemedyType,
)
from .models.jurisdictions import jurisdiction_label
from .paging import shorten

MIN_YEAR, MAX_YEAR = 1900, 2100
SORT_CHOICES = [
    ("newest", "Newest first"),
    ("oldest", "Oldest first"),
    ("penalty", "Largest penalty first"),
    ("title", "Title, A to Z"),
    ("relevance", "Best match to the search words"),
]


# The `origin` parameter. Without it a remedy counts only when it binds the company (ordered, or agreed in a
# consent order or settlement: DESIGN §5), on every page. `any` counts the remedies that do not bind too;
# `imposed` or a RemedyOrigin value names exactly which origins count.
ANY = "any"
IMPOSED = "imposed"
ORIGIN_CHOICES = [
    (ANY, "Including remedies that do not bind"),
    (IMPOSED, "Ordered or agreed"),
    *RemedyOrigin.choices,
]
NONBINDING_LABEL = "Include remedies that do not bind (proposed, voluntary or sought)"
# How each origin reads mid-sentence, in the description: "remedy: model deletion, sought by a plaintiff".
ORIGIN_WORDS = {
    ANY: "including remedies that do not bind",
    IMPOSED: "ordered or agreed",
    RemedyOrigin.ORDERED: "ordered",
    RemedyOrigin.AGREED: "agreed in settlement",
    RemedyOrigin.PROPOSED: "proposed",
    RemedyOrigin.VOLUNTARY: "voluntary",
    RemedyOrigin.SOUGHT: "sought by a plaintiff",
}
ORIGIN_VALUES = ", ".join(value for value, _label in ORIGIN_CHOICES[:-1]) + f" or {ORIGIN_CHOICES[-1][0]}"


def origins_meant(values):
    """The RemedyOrigin values that the `origin` parameters stand for, `imposed` spelt out (`any` is not one)."""
    origins = []
    for value in values:
        if value != ANY:
            origins.extend(RemedyOrigin.imposed() if value == IMPOSED else [value])
    return list(dict.fromkeys(origins))


def remedy_scope(values):
    """The `origin` parameters as keyword arguments of RemedyQuerySet.matching / CaseQuerySet.with_remedy."""
    if ANY in values:
        return {"include_nonbinding": True}
    return {"origins": origins_meant(values)}


def lower_first(text):
    """'Model deletion' -> 'model deletion' for use mid-sentence; acronyms such as 'FTC' stay as they are."""
    if len(text) > 1 and text[0].isupper() and text[1].islower():
        return text[0].lower() + text[1:]
    return text


# --- Form fields that forgive ---------------------------------------------------------------------


class KnownSlugsField(ModelMultipleChoiceField):
    """Keeps the slugs it knows and drops the others (the form reports them), so one typo does not void the rest."""

    def _check_values(self, value):
        values = frozenset(value)
        for item in values:
            self.validate_no_null_characters(item)
        return list(self.queryset.filter(**{f"{self.to_field_name}__in": values}))


class RemedyTypesFilter(django_filters.ModelMultipleChoiceFilter):
    field_class = KnownSlugsField


class KnownChoicesField(forms.MultipleChoiceField):
    """Keeps the choices it knows and drops the others (the form reports them), so one typo does not void the rest."""

    def clean(self, value):
        return [item for item in dict.fromkeys(self.to_python(value)) if self.valid_value(item)]


class OriginsFilter(django_filters.MultipleChoiceFilter):
    field_class = KnownChoicesField


class JurisdictionField(forms.CharField):
    """An ISO 3166 code or a region such as EU, in capitals whatever the reader typed."""

    default_validators = [
        RegexValidator(r"^[A-Z]{2}(-[A-Z0-9]{1,3})?$", "it is not a code such as US, FR, US-IL or EU", "invalid")
    ]

    def to_python(self, value):
        return super().to_python(value).upper()


class JurisdictionFilter(django_filters.CharFilter):
    field_class = JurisdictionField


class YearFilter(django_filters.NumberFilter):
    field_class = forms.IntegerField

    def get_max_validator(self):
        return None  # the field's own max_value says it better


def choice_errors(what):
    return {"invalid_choice": f"it is not {what} we list"}


YEAR_ERRORS = {
    "invalid": "a year is four digits, such as 2021",
    "min_value": f"a year is between {MIN_YEAR} and {MAX_YEAR}",
    "max_value": f"a year is between {MIN_YEAR} and {MAX_YEAR}",
}


class CaseFilterForm(forms.Form):
    def clean(self):
        """Report remedy slugs and origins we do not know, and put years given the wrong way round in order."""
        cleaned = super().clean()
        if "remedy" in cleaned:
            self._report_unknown("remedy", {t.slug for t in cleaned["remedy"]}, "it is not a remedy type we list")
        if "origin" in cleaned:
            self._report_unknown("origin", set(cleaned["origin"]), f"use {ORIGIN_VALUES}")
        year_from, year_to = cleaned.get("year_from"), cleaned.get("year_to")
        if year_from and year_to and year_from > year_to:
            cleaned["year_from"], cleaned["year_to"] = year_to, year_from
            self.add_error(
                None, f"The years were the wrong way round, so cases from {year_to} to {year_from} are shown."
            )
        return cleaned

    def _report_unknown(self, name, known, reason):
        """One sentence per value of a repeatable parameter that its field dropped."""
        unknown = [value for value in self[name].data or [] if value.strip() and value not in known]
        for value in dict.fromkeys(unknown):
            self.add_error(None, f"{self.fields[name].label} “{shorten(value)}” was ignored: {reason}.")


# --- The FilterSet -----------------------------------------------------------------------------------


class CaseFilter(django_filters.FilterSet):
    """The filter parameters of DESIGN §5 over published cases; facets combine with AND, options within one with OR.

    Invalid values never raise: the form reports them (`problems`) and the rest of the filters still apply.
    """

    q = django_filters.CharFilter(
        label="Search",
        method="filter_q",
        max_length=200,
        error_messages={"max_length": "search words are limited to 200 characters"},
    )
    remedy = RemedyTypesFilter(
        label="Remedy", queryset=RemedyType.objects.published(), to_field_name="slug", method="filter_remedy"
    )
    # With `remedy`, both must hold on one remedy row: "model deletion, ordered", not a model deletion sought and
    # some other remedy ordered.
    origin = OriginsFilter(label="Remedy origin", choices=ORIGIN_CHOICES, method="filter_origin")
    authority = django_filters.ModelChoiceFilter(
        label="Authority or court",
        queryset=Authority.objects.published(),
        to_field_name="slug",
        method="filter_authority",
        error_messages=choice_errors("an authority or court"),
    )
    jurisdiction = JurisdictionFilter(label="Jurisdiction", field_name="jurisdiction", method="filter_jurisdiction")
    kind = django_filters.ChoiceFilter(
        label="Kind of case",
        choices=CaseKind.choices,
        method="filter_kind",
        error_messages=choice_errors("a kind of case"),
    )
    status = django_filters.ChoiceFilter(
        label="Status",
        field_name="case_status",
        choices=CaseStatus.choices,
        method="filter_status",
        error_messages=choice_errors("a case status"),
    )
    company = django_filters.ModelChoiceFilter(
        label="Company",
        queryset=Company.objects.published(),
        to_field_name="slug",
        method="filter_company",
        error_messages=choice_errors("a company"),
    )
    modality = django_filters.ChoiceFilter(
        label="Kind of data",
        choices=Modality.choices,
        method="filter_modality",
        error_messages=choice_errors("a kind of data"),
    )
    legal_basis = django_filters.ModelChoiceFilter(
        label="Legal basis",
        queryset=LegalBasis.objects.all(),
        to_field_name="slug",
        method="filter_legal_basis",
        error_messages=choice_errors("a legal basis"),
    )
    year_from = YearFilter(
        label="From year", method="filter_year_from", min_value=MIN_YEAR, max_value=MAX_YEAR, error_messages=YEAR_ERRORS
    )
    year_to = YearFilter(
        label="To year", method="filter_year_to", min_value=MIN_YEAR, max_value=MAX_YEAR, error_messages=YEAR_ERRORS
    )
    # Applied last, by filter_queryset, so that it can sort by the search rank.
    sort = django_filters.ChoiceFilter(
        label="Sort",
        choices=SORT_CHOICES,
        method="sort_later",
        error_messages={"invalid_choice": "sort by newest, oldest, penalty, title or relevance"},
    )

    class Meta:
        model = Case
        fields = []
        form = CaseFilterForm

    def __init__(self, data=None, queryset=None, **kwargs):
        # Readers only ever see published cases, whatever queryset a caller passes.
        queryset = (Case.objects.all() if queryset is None else queryset).published()
        # Always bound, so that no parameters means "no filters" rather than an unvalidated form.
        super().__init__(QueryDict() if data is None else data, queryset, **kwargs)
        self._company_tree = None

    # --- Filter methods: to-many relations go through pk__in, so no join ever repeats a case.

    def filter_q(self, queryset, name, value):
        # Not called by `apply`, which starts from `searched`; kept so the filter works on its own too.
        return search.filter_cases(queryset, value)

    # Not called by `apply`, which joins the remedy types and origins on one remedy row (`with_remedies`);
    # kept so that each filter works on its own too.

    def filter_remedy(self, queryset, name, remedy_types):
        return self.with_remedies(queryset, remedy_types, ())

    def filter_origin(self, queryset, name, origins):
        return self.with_remedies(queryset, (), origins)

    @staticmethod
    def with_remedies(queryset, remedy_types, origins):
        """Cases with a remedy of one of `remedy_types` that binds the company, or of `origins`; either may be empty.

        With no type chosen, `origins` alone narrows to cases with a remedy of those origins; `any` alone narrows
        nothing (it only widens the remedy counts).
        """
        scope = remedy_scope(origins)
        if not remedy_types and not scope.get("origins"):
            return queryset
        return queryset.with_remedy(remedy_types, **scope)

    def filter_authority(self, queryset, name, authority):
        return queryset.before(authority)

    def filter_jurisdiction(self, queryset, name, code):
        return queryset.in_jurisdiction(code)

    def filter_kind(self, queryset, name, kind):
        return queryset.of_kind(kind)

    def filter_status(self, queryset, name, case_status):
        return queryset.with_status(case_status)

    def filter_company(self, queryset, name, company):
        if self._company_tree is None:  # the walk down the tree costs a query per level: do it once
            self._company_tree = Company.objects.published().with_subsidiaries(company)
        return queryset.involving(self._company_tree)

    def filter_modality(self, queryset, name, modality):
        return queryset.with_modality(modality)

    def filter_legal_basis(self, queryset, name, legal_basis):
        return queryset.under_legal_basis(legal_basis)

    def filter_year_from(self, queryset, name, year):
        return queryset.in_years(year_from=year)

    def filter_year_to(self, queryset, name, year):
        return queryset.in_years(year_to=year)

    def sort_later(self, queryset, name, value):
        return queryset

    # --- Filtering and sorting

    @property
    def cleaned(self):
        """The valid parameters (invalid ones are left out, and reported by `problems`)."""
        self.form.is_valid()  # validates once; a False here only means something is left out
        return self.form.cleaned_data

    @cached_property
    def searched(self):
        """The published cases matching the search words, with `search_rank`; the search runs once per filterset."""
        words = self.cleaned.get("q")
        return search.filter_cases(self.queryset, words) if words else self.queryset

    def apply(self, skip=()):
        """The searched cases narrowed by every valid filter except those named in `skip`; unsorted."""
        queryset = self.searched
        for name, value in self.cleaned.items():
            if name not in ("q", "sort", "remedy", "origin") and name not in skip:
                queryset = self.filters[name].filter(queryset, value)
        types = () if "remedy" in skip else self.cleaned.get("remedy") or ()
        origins = () if "origin" in skip else self.cleaned.get("origin") or ()
        return self.with_remedies(queryset, types, origins)

    def filter_queryset(self, queryset):
        # `queryset` is a copy of self.queryset: start from `searched` instead, so facets share its search.
        return self.apply().sorted_by(self.sort_key)

    @property
    def searching(self):
        return bool(self.cleaned.get("q"))

    @property
    def sort_key(self):
        """The sort in force: as asked, else relevance when searching, else newest first."""
        sort = self.cleaned.get("sort")
        if sort == "relevance" and not self.searching:
            return "newest"
        return sort or ("relevance" if self.searching else "newest")

    @property
    def sort_choices(self):
        """The sorts worth offering: relevance only when there are search words."""
        return [(key, label) for key, label in SORT_CHOICES if key != "relevance" or self.searching]

    # --- What the reader asked for, in words

    @property
    def problems(self):
        """One sentence per parameter that was ignored or adjusted, for the 'There is a problem' box."""
        messages = []
        for name, errors in self.errors.items():
            if name == NON_FIELD_ERRORS:
                messages.extend(errors)
                continue
            raw = self.form[name].data
            raw = ", ".join(raw) if isinstance(raw, list) else str(raw)
            messages.append(f"{self.filters[name].label} “{shorten(raw)}” was ignored: {next(iter(errors))}.")
        return messages

    def active_filters(self):
        """(parameter, value, label) for every filter in force, in the order of the form."""
        cleaned, active = self.cleaned, []
        if cleaned.get("q"):
            active.append(("q", cleaned["q"], f"Search: “{cleaned['q']}”"))
        for remedy_type in cleaned.get("remedy") or []:
            active.append(("remedy", remedy_type.slug, f"Remedy: {remedy_type.name}"))
        for origin in cleaned.get("origin") or []:
            label = dict(ORIGIN_CHOICES)[origin]
            active.append(("origin", origin, label if origin == ANY else f"Remedy origin: {label}"))
        if cleaned.get("authority"):
            active.append(("authority", cleaned["authority"].slug, f"Authority or court: {cleaned['authority']}"))
        if cleaned.get("jurisdiction"):
            code = cleaned["jurisdiction"]
            active.append(("jurisdiction", code, f"Jurisdiction: {jurisdiction_label(code)}"))
        for name, choices in (("kind", CaseKind), ("status", CaseStatus), ("modality", Modality)):
            if cleaned.get(name):
                active.append((name, cleaned[name], f"{self.filters[name].label}: {choices(cleaned[name]).label}"))
        if cleaned.get("company"):
            company = cleaned["company"]
            active.append(("company", company.slug, f"Company: {company.name} and its subsidiaries"))
        if cleaned.get("legal_basis"):
            basis = cleaned["legal_basis"]
            active.append(("legal_basis", basis.slug, f"Legal basis: {basis.name}"))
        for name in ("year_from", "year_to"):
            if cleaned.get(name):
                active.append((name, str(cleaned[name]), f"{self.filters[name].label}: {cleaned[name]}"))
        return active

    def query(self, drop=None):
        """The query string of the valid parameters ('?…', or '' when none), less `drop` = (name, value)."""
        params = QueryDict(mutable=True)
        for name, value, _label in self.active_filters():
            if (name, value) != drop:
                params.appendlist(name, value)
        if self.cleaned.get("sort"):
            params["sort"] = self.cleaned["sort"]
        encoded = params.urlencode()
        return f"?{encoded}" if encoded else ""

    def removal_links(self):
        """[(label, query string without that one filter)], for the 'Active filters' list."""
        return [(label, self.query(drop=(name, value))) for name, value, label in self.active_filters()]

    def clear_query(self):
        """The query string that clears every filter but keeps the sort."""
        return f"?sort={self.cleaned['sort']}" if self.cleaned.get("sort") else ""

    def description(self):
        """'matching “x” with remedy: data deletion, authority or court: FTC', or '' with no filters."""
        cleaned, parts = self.cleaned, []
        origins = self._origin_words()
        if cleaned.get("remedy"):
            remedies = " or ".join(lower_first(t.name) for t in cleaned["remedy"])
            parts.append(f"remedy: {remedies}, {origins}" if origins else f"remedy: {remedies}")
        elif origins and ANY not in (cleaned.get("origin") or []):  # `any` alone narrows nothing
            parts.append(f"remedy origin: {origins}")
        if cleaned.get("authority"):
            parts.append(f"authority or court: {cleaned['authority']}")
        if cleaned.get("jurisdiction"):
            parts.append(f"jurisdiction: {jurisdiction_label(cleaned['jurisdiction'])}")
        for name, choices in (("kind", CaseKind), ("status", CaseStatus), ("modality", Modality)):
            if cleaned.get(name):
                parts.append(f"{self.filters[name].label.lower()}: {lower_first(choices(cleaned[name]).label)}")
        if cleaned.get("company"):
            parts.append(f"company: {cleaned['company'].name} or its subsidiaries")
        if cleaned.get("legal_basis"):
            parts.append(f"legal basis: {cleaned['legal_basis'].name}")
        year_from, year_to = cleaned.get("year_from"), cleaned.get("year_to")
        if year_from and year_to:
            parts.append(f"year: {year_from} to {year_to}" if year_from != year_to else f"year: {year_from}")
        elif year_from or year_to:
            parts.append(f"year: {year_from} or later" if year_from else f"year: {year_to} or earlier")
        words = [f"matching “{cleaned['q']}”"] if cleaned.get("q") else []
        if parts:
            words.append("with " + ", ".join(parts))
        return " ".join(words)

    def _origin_words(self):
        """'ordered or agreed or sought by a plaintiff', without repeating what `imposed` or `any` already says."""
        chosen = self.cleaned.get("origin") or []
        if ANY in chosen:
            return ORIGIN_WORDS[ANY]
        spelt_out = set(RemedyOrigin.imposed()) if IMPOSED in chosen else set()
        return " or ".join(ORIGIN_WORDS[origin] for origin in chosen if origin not in spelt_out)

    def summary(self, page):
        """'9 cases with remedy: model deletion', and '— page 2 of 3' when there are pages: the title and heading."""
        count = page.paginator.count
        description = self.description()
        pages = f" — page {page.number} of {page.paginator.num_pages}" if page.paginator.num_pages > 1 else ""
        return f"{count} case{'' if count == 1 else 's'}{' ' + description if description else ''}{pages}"

    @property
    def kept_origins(self):
        """Origins named in the address that the form offers no box for: carried as hidden fields."""
        return [origin for origin in self.cleaned.get("origin") or [] if origin != ANY]

    def widened(self):
        """The query string of these filters with the remedies that do not bind included, or None if they are."""
        if not self.cleaned.get("remedy") or self.cleaned.get("origin"):
            return None
        params = QueryDict(self.query().removeprefix("?"), mutable=True)
        params.appendlist("origin", ANY)
        return f"?{params.urlencode()}"

    # --- Facet counts are facets.py's job; these keep them one call away for the view and the tests

    def facets(self):
        """Every facet group with counts of published cases only (CaseFacets)."""
        return self._facets.facets()

    def year_facet(self):
        """Years of the published cases' key dates, each with its count under the other filters."""
        return self._facets.year_facet()

    @cached_property
    def _facets(self):
        from .facets import CaseFacets  # facets.py imports this module's origin vocabulary, so not at the top

        return CaseFacets(self)


def without_blanks(query):
    """`query` (a QueryDict) re-encoded without its empty parameters, or None when it has none.

    A GET form sends every field, so a submitted filter form would otherwise give long, noisy addresses.
    """
    kept = QueryDict(mutable=True)
    dropped = False
    for name, values in query.lists():
        for value in values:
            if value.strip():
                kept.appendlist(name, value)
            else:
                dropped = True
    if not dropped:
        return None
    encoded = kept.urlencode()
    return f"?{encoded}" if encoded else ""
