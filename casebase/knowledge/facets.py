"""Facet counts for the case list: each group of options counted against the results of every other group's filters.

Every count calls the same CaseQuerySet methods as the filter it stands for, so an option's number is the number
of cases choosing it would show.
"""

from collections import Counter
from dataclasses import dataclass, field
from functools import cached_property

from django.db import connections, router
from django.db.models import CharField, Count, Q
from django.db.models.functions import Cast, Coalesce, Substr

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


def key_year():
    """The key date's year, as text ('2021'): see stats.year_text for why not ExtractYear."""
    return Substr(Cast(Coalesce("decided_on", "started_on"), output_field=CharField()), 1, 4)


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

    A fixed number of grouped queries, whatever the number of options or cases: the groups on the case row share
    one (and the authorities' names one more); remedies, datasets and legal bases are counted on their links.
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

        One query: the published cases grouped by every field these groups read, each group's count filtered by
        the other groups' filters only (a group whose own filter is not in use shares the full result's count),
        then summed per group in SQL, so a few hundred rows come back however many cases there are.
        """
        counts = {"n_total": Count("pk")}
        if self._narrowed("sort"):
            counts["n_all"] = Count("pk", filter=Q(pk__in=self._cases_without()))
        for group, own in FIELD_GROUPS.items():
            if any(self.cleaned.get(name) not in (None, "") for name in own):
                counts[f"n_{group}"] = Count("pk", filter=Q(pk__in=self._cases_without(*own)))
        grouped = (
            self.filterset.queryset.order_by()
            .annotate(year=key_year())
            .values("authority_id", "forum_id", "jurisdiction", "kind", "case_status", "year")
            .annotate(**counts)
        )
        alias = router.db_for_read(Case)  # the replica, when reader pages read from one
        sql, params = grouped.query.get_compiler(alias).as_sql()
        fallback = "n_all" if "n_all" in counts else "n_total"
        count = {group: f"n_{group}" if f"n_{group}" in counts else fallback for group in FIELD_GROUPS}
        branches = [  # (group, value column, count column, condition)
            ("ever", "authority_id", "n_total", "authority_id IS NOT NULL"),
            (
                "ever",
                "forum_id",
                "n_total",
                "forum_id IS NOT NULL AND (authority_id IS NULL OR forum_id <> authority_id)",
            ),
            ("authority", "authority_id", count["authority"], "authority_id IS NOT NULL"),
            (
                "authority",
                "forum_id",
                count["authority"],
                "forum_id IS NOT NULL AND (authority_id IS NULL OR forum_id <> authority_id)",
            ),
            ("jurisdiction", "jurisdiction", count["jurisdiction"], "1 = 1"),
            ("kind", "kind", count["kind"], "1 = 1"),
            ("status", "case_status", count["status"], "1 = 1"),
            ("year", "year", count["year"], "year IS NOT NULL"),
        ]
        summed = " UNION ALL ".join(
            f"SELECT '{group}', CAST({column} AS TEXT), SUM({n}) FROM grouped WHERE {where} GROUP BY {column}"
            for group, column, n, where in branches
        )
        result = {group: Counter() for group in (*FIELD_GROUPS, "ever")}
        with connections[alias].cursor() as cursor:
            cursor.execute(f"WITH grouped AS ({sql}) {summed}", params)
            for group, value, n in cursor.fetchall():
                if group in ("authority", "ever", "year"):
                    value = int(value)  # keys and years come back as text
                result[group][value] += int(n)
        return result

    # Remedy types are counted on the remedy rows themselves, with the origins the results count (binding ones
    # unless the reader asks for more), so that each count is the number of results choosing it would give.

    def _remedy_facet(self):
        scope = remedy_scope(self.cleaned.get("origin") or [])
        rows = Remedy.objects.matching(**scope).filter(case__in=self._cases_without("remedy", "origin"))
        counts = dict(rows.order_by().values_list("remedy_type_id").annotate(n=Count("case_id", distinct=True)))
        types = RemedyType.objects.published()
        chosen = {remedy_type.pk for remedy_type in self.cleaned.get("remedy") or []}
        options = [FacetOption(t.slug, t.name, counts.get(t.pk, 0), t.pk in chosen) for t in types]
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
