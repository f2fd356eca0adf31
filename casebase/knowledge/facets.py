"""Facet counts for the case list: each group of options counted against the results of every other group's filters.

Every count calls the same CaseQuerySet methods as the filter it stands for, so an option's number is the number
of cases choosing it would show.
"""

from dataclasses import dataclass, field

from django.db.models import Count, F, Func, IntegerField, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce, ExtractYear

from .filters import ANY, NONBINDING_LABEL, remedy_scope
from .models import Authority, Case, CaseKind, CaseStatus, LegalBasis, Modality, Remedy, RemedyType
from .models.jurisdictions import jurisdiction_label


@dataclass
class FacetOption:
    value: str
    label: str
    count: int
    selected: bool = False


@dataclass
class Facet:
    """One group of options in the filter form, each option with the number of cases it would show."""

    name: str  # the URL parameter
    legend: str
    options: list[FacetOption] = field(default_factory=list)
    multiple: bool = False  # checkboxes, else radios with an "Any" option
    any_label: str = ""
    hint: str = ""
    expanded: bool = False  # shown open even with nothing chosen in it

    @property
    def open(self):
        return self.expanded or self.active

    @property
    def active(self):
        return any(option.selected for option in self.options)

    @property
    def selected_count(self):
        return sum(option.selected for option in self.options)


@dataclass
class YearFacet:
    """The year range: two selects whose options carry the number of cases in each year."""

    years: list[FacetOption]
    year_from: int | None
    year_to: int | None
    legend: str = "Year"

    @property
    def active(self):
        return bool(self.year_from or self.year_to)


def distinct_count(queryset, field="pk"):
    """A subquery counting the distinct values of `field` in `queryset`, which may refer to the outer row; 0 if none."""
    counted = queryset.order_by().annotate(
        n=Func(
            F(field), function="COUNT", template="%(function)s(DISTINCT %(expressions)s)", output_field=IntegerField()
        )
    )
    return Coalesce(Subquery(counted.values("n")), 0)


def key_year():
    return ExtractYear(Coalesce("decided_on", "started_on"))


class CaseFacets:
    """The facet groups of one bound CaseFilter, counted with published cases only."""

    def __init__(self, filterset):
        self.filterset = filterset

    @property
    def cleaned(self):
        return self.filterset.cleaned

    def _cases_without(self, *names):
        return self.filterset.apply(skip=names).values("pk")

    def facets(self):
        """Every facet group, one query each, with counts of published cases only."""
        return [
            self._remedy_facet(),
            self._origin_facet(),
            self._authority_facet(),
            self._jurisdiction_facet(),
            self._choice_facet("kind", "kind", CaseKind, "Any kind"),
            self._choice_facet("status", "case_status", CaseStatus, "Any status"),
            self._modality_facet(),
            self._legal_basis_facet(),
        ]

    # Remedy types are counted on the remedy rows themselves, with the origins the results count (binding ones
    # unless the reader asks for more), so that each count is the number of results choosing it would give.

    def _remedy_facet(self):
        scope = remedy_scope(self.cleaned.get("origin") or [])
        rows = Remedy.objects.matching(**scope).filter(
            case__in=self._cases_without("remedy", "origin"), remedy_type=OuterRef("pk")
        )
        types = RemedyType.objects.published().annotate(case_count=distinct_count(rows, "case_id"))
        chosen = {remedy_type.pk for remedy_type in self.cleaned.get("remedy") or []}
        options = [FacetOption(t.slug, t.name, t.case_count, t.pk in chosen) for t in types]
        hint = "A remedy counts when it binds the company: ordered, or agreed in a consent order or settlement."
        return Facet("remedy", "Remedy", options, multiple=True, hint=hint)

    def _origin_facet(self):
        """One box that widens the remedy filter to remedies that do not bind, with the cases it would show."""
        widened = self.filterset.with_remedies(
            self.filterset.apply(skip=("remedy", "origin")), self.cleaned.get("remedy") or (), [ANY]
        )
        chosen = ANY in (self.cleaned.get("origin") or [])
        option = FacetOption(ANY, NONBINDING_LABEL, widened.count(), chosen)
        hint = "Proposed, voluntary and sought remedies bind no one, or not yet; each is labelled on its row."
        return Facet("origin", "Which remedies count", [option], multiple=True, hint=hint, expanded=True)

    def _authority_facet(self):
        cases = Case.objects.filter(pk__in=self._cases_without("authority"))
        authorities = (
            Authority.objects.published()
            .annotate(
                case_count=distinct_count(cases.before(OuterRef("pk"))),
                ever=distinct_count(self.filterset.queryset.before(OuterRef("pk"))),
            )
            .filter(ever__gt=0)
            .order_by("name")
        )
        chosen = self.cleaned.get("authority")
        options = [
            FacetOption(
                a.slug,
                f"{a.name} ({a.short_name})" if a.short_name else a.name,
                a.case_count,
                chosen is not None and a.pk == chosen.pk,
            )
            for a in authorities
        ]
        return Facet("authority", "Authority or court", options, any_label="Any authority or court")

    def _value_counts(self, skip, expression):
        """{value: count} over every published case's value of `expression`, counting the filtered ones."""
        filtered = self._cases_without(*skip)
        rows = (
            self.filterset.queryset.order_by()
            .annotate(value=expression)
            .values("value")
            .annotate(case_count=Count("pk", filter=Q(pk__in=filtered)))
        )
        return {row["value"]: row["case_count"] for row in rows}

    def _jurisdiction_facet(self):
        counts = self._value_counts(["jurisdiction"], F("jurisdiction"))
        chosen = self.cleaned.get("jurisdiction")
        if chosen:
            counts.setdefault(chosen, 0)
        codes = sorted(counts, key=lambda code: jurisdiction_label(code).lower())
        options = [FacetOption(code, jurisdiction_label(code), counts[code], code == chosen) for code in codes]
        return Facet("jurisdiction", "Jurisdiction", options, any_label="Any jurisdiction")

    def _choice_facet(self, name, field_name, choices, any_label):
        counts = self._value_counts([name], F(field_name))
        chosen = self.cleaned.get(name)
        options = [FacetOption(value, label, counts.get(value, 0), value == chosen) for value, label in choices.choices]
        return Facet(name, self.filterset.filters[name].label, options, any_label=any_label)

    def _modality_facet(self):
        counts = self.filterset.apply(skip=("modality",)).count_by_modality()
        chosen = self.cleaned.get("modality")
        options = [FacetOption(v, label, counts.get(v, 0), v == chosen) for v, label in Modality.choices]
        return Facet("modality", "Kind of data", options, any_label="Any kind of data")

    def _legal_basis_facet(self):
        cases = Case.objects.filter(pk__in=self._cases_without("legal_basis"))
        bases = (
            LegalBasis.objects.annotate(
                case_count=distinct_count(cases.under_legal_basis(OuterRef("pk"))),
                ever=distinct_count(self.filterset.queryset.under_legal_basis(OuterRef("pk"))),
            )
            .filter(ever__gt=0)
            .order_by("name")
        )
        chosen = self.cleaned.get("legal_basis")
        options = [FacetOption(b.slug, b.name, b.case_count, chosen is not None and b.pk == chosen.pk) for b in bases]
        return Facet("legal_basis", "Legal basis", options, any_label="Any legal basis")

    def year_facet(self):
        """Years of the published cases' key dates, each with its count under the other filters."""
        counts = self._value_counts(["year_from", "year_to"], key_year())
        counts.pop(None, None)
        year_from, year_to = self.cleaned.get("year_from"), self.cleaned.get("year_to")
        for year in (year_from, year_to):
            if year:
                counts.setdefault(year, 0)
        years = [FacetOption(str(year), str(year), counts[year]) for year in sorted(counts, reverse=True)]
        return YearFacet(years, year_from, year_to)
