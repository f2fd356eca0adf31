"""Facet counts for the case list: each group of options counted against the results of every other group's filters.

Every count calls the same CaseQuerySet methods as the filter it stands for, so an option's number is the number
of cases choosing it would show.
"""

from collections import Counter
from dataclasses import dataclass, field
from functools import cached_property

from django.db.models import Count, F, Func, IntegerField, Q, Subquery
from django.db.models.functions import Coalesce, ExtractYear

from .filters import ANY, NONBINDING_LABEL, remedy_scope
from .models import Authority, Case, CaseKind, CaseStatus, Modality, Remedy, RemedyType
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


# The facet groups read off the case row itself, with the filters each is counted without: one grouped query
# counts them all (`CaseFacets.field_counts`).
FIELD_GROUPS = {
    "authority": ("authority",),
    "jurisdiction": ("jurisdiction",),
    "kind": ("kind",),
    "status": ("status",),
    "year": ("year_from", "year_to"),
}


class CaseFacets:
    """The facet groups of one bound CaseFilter, counted with published cases only.

    Every group costs one grouped query at most, whatever the number of options or cases: the groups on the case
    row share one query, the others count remedy, dataset or legal-basis links grouped by option.
    """

    def __init__(self, filterset):
        self.filterset = filterset

    @property
    def cleaned(self):
        return self.filterset.cleaned

    def _cases_without(self, *names):
        return self.filterset.apply(skip=names).values("pk")

    def _narrowed(self, *names):
        """Whether any filter besides `names` narrows the published cases (search words included)."""
        return any(value not in (None, "", [], ()) for key, value in self.cleaned.items() if key not in names)

    def facets(self):
        """Every facet group, with counts of published cases only."""
        return [
            self._remedy_facet(),
            self._origin_facet(),
            self._authority_facet(),
            self._jurisdiction_facet(),
            self._choice_facet("kind", CaseKind, "Any kind"),
            self._choice_facet("status", CaseStatus, "Any status"),
            self._modality_facet(),
            self._legal_basis_facet(),
        ]

    @cached_property
    def field_counts(self):
        """{group: {value: count}} for each group of FIELD_GROUPS, plus `ever` (authority: published cases at all).

        One query grouped by the fields of every such group: each group's count is filtered by the other groups'
        filters only, and a group whose own filter is not in use shares the count of the full result.
        """
        ignored = ("sort", "page")
        counts = {"n_total": Count("pk")}
        if self._narrowed(*ignored):
            counts["n_all"] = Count("pk", filter=Q(pk__in=self._cases_without()))
        for group, own in FIELD_GROUPS.items():
            if any(self.cleaned.get(name) not in (None, "") for name in own):
                counts[f"n_{group}"] = Count("pk", filter=Q(pk__in=self._cases_without(*own)))
        rows = (
            self.filterset.queryset.order_by()
            .annotate(year=key_year())
            .values("authority_id", "forum_id", "jurisdiction", "kind", "case_status", "year")
            .annotate(**counts)
        )
        result = {group: Counter() for group in (*FIELD_GROUPS, "ever")}
        for row in rows:
            keys = {
                "authority": {row["authority_id"], row["forum_id"]} - {None},
                "jurisdiction": {row["jurisdiction"]},
                "kind": {row["kind"]},
                "status": {row["case_status"]},
                "year": {row["year"]},
            }
            for authority in keys["authority"]:
                result["ever"][authority] += row["n_total"]
            for group, values in keys.items():
                n = row.get(f"n_{group}", row.get("n_all", row["n_total"]))
                for value in values:
                    result[group][value] += n
        return result

    # Remedy types are counted on the remedy rows themselves, with the origins the results count (binding ones
    # unless the reader asks for more), so that each count is the number of results choosing it would give.

    def _remedy_facet(self):
        scope = remedy_scope(self.cleaned.get("origin") or [])
        rows = Remedy.objects.matching(**scope).filter(case__in=self._cases_without("remedy", "origin"))
        types = (
            RemedyType.objects.published()
            .annotate(case_count=Count("remedies__case", distinct=True, filter=Q(remedies__in=rows.values("pk"))))
            .order_by(*RemedyType._meta.ordering)
        )
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
        counts, ever = self.field_counts["authority"], self.field_counts["ever"]
        authorities = Authority.objects.published().filter(pk__in=list(ever)).order_by("name")
        chosen = self.cleaned.get("authority")
        options = [
            FacetOption(
                a.slug,
                f"{a.name} ({a.short_name})" if a.short_name else a.name,
                counts[a.pk],
                chosen is not None and a.pk == chosen.pk,
            )
            for a in authorities
        ]
        return Facet("authority", "Authority or court", options, any_label="Any authority or court")

    def _jurisdiction_facet(self):
        counts = dict(self.field_counts["jurisdiction"])
        chosen = self.cleaned.get("jurisdiction")
        if chosen:
            counts.setdefault(chosen, 0)
        codes = sorted(counts, key=lambda code: jurisdiction_label(code).lower())
        options = [FacetOption(code, jurisdiction_label(code), counts[code], code == chosen) for code in codes]
        return Facet("jurisdiction", "Jurisdiction", options, any_label="Any jurisdiction")

    def _choice_facet(self, name, choices, any_label):
        counts = self.field_counts[name]
        chosen = self.cleaned.get(name)
        options = [FacetOption(value, label, counts.get(value, 0), value == chosen) for value, label in choices.choices]
        return Facet(name, self.filterset.filters[name].label, options, any_label=any_label)

    def _modality_facet(self):
        counts = self.filterset.apply(skip=("modality",)).count_by_modality()
        chosen = self.cleaned.get("modality")
        options = [FacetOption(v, label, counts.get(v, 0), v == chosen) for v, label in Modality.choices]
        return Facet("modality", "Kind of data", options, any_label="Any kind of data")

    def _legal_basis_facet(self):
        links = Case.legal_bases.through.objects.filter(case__in=self.filterset.queryset.values("pk"))
        rows = (
            links.order_by()
            .values("legalbasis_id", "legalbasis__slug", "legalbasis__name")
            .annotate(
                case_count=Count("case_id", distinct=True, filter=Q(case_id__in=self._cases_without("legal_basis"))),
            )
            .order_by("legalbasis__name", "legalbasis_id")
        )
        chosen = self.cleaned.get("legal_basis")
        options = [
            FacetOption(
                row["legalbasis__slug"],
                row["legalbasis__name"],
                row["case_count"],
                chosen is not None and row["legalbasis_id"] == chosen.pk,
            )
            for row in rows
        ]
        return Facet("legal_basis", "Legal basis", options, any_label="Any legal basis")

    def year_facet(self):
        """Years of the published cases' key dates, each with its count under the other filters."""
        counts = dict(self.field_counts["year"])
        counts.pop(None, None)
        year_from, year_to = self.cleaned.get("year_from"), self.cleaned.get("year_to")
        for year in (year_from, year_to):
            if year:
                counts.setdefault(year, 0)
        years = [FacetOption(str(year), str(year), counts[year]) for year in sorted(counts, reverse=True)]
        return YearFacet(years, year_from, year_to)
