"""Compare two to four cases side by side: authority, dates, status, remedies and amounts, data and consent."""

import re
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Prefetch
from django.db.models.functions import Coalesce, ExtractYear
from django.http import QueryDict
from django.urls import reverse

from .models import Case, Dataset, Party, PartyRole, PublicationStatus, Remedy, RemedyOrigin, choice_rank
from .models.jurisdictions import jurisdiction_label

MIN_CASES, MAX_CASES = 2, 4
PENALTY_TYPE = "civil-penalty"  # DESIGN §5: a stable remedy-type slug
MAX_SLUG = 120  # SlugField max_length: anything longer cannot name a case
SLUG = re.compile(r"[-a-zA-Z0-9_]+")
CASE_ADDRESS = re.compile(r"/cases/([-a-zA-Z0-9_]+)/?(?:[?#].*)?$")
MAX_CHOICES = 300  # beyond this a drop-down is no help: the pickers become text fields


def shorten(text, limit=60):
    return text if len(text) <= limit else text[: limit - 1] + "…"


def comparable_cases():
    """Published cases with everything a column shows: five queries however many cases."""
    return (
        Case.objects.published()
        .select_related("authority", "forum")
        .prefetch_related(
            "legal_bases",
            Prefetch(
                "remedies",
                queryset=Remedy.objects.filter(remedy_type__status=PublicationStatus.PUBLISHED)
                .select_related("remedy_type", "exchange_rate__source")
                .order_by("remedy_type__sort_order", "pk"),
            ),
            Prefetch("datasets", queryset=Dataset.objects.published().order_by("name")),
            Prefetch(
                "parties",
                queryset=Party.objects.filter(company__status=PublicationStatus.PUBLISHED)
                .select_related("company")
                .order_by(choice_rank("role", PartyRole), "company__name"),
            ),
        )
    )


@dataclass
class Comparison:
    cases: list  # in the order asked for
    problems: list = field(default_factory=list)
    asked: list = field(default_factory=list)  # the distinct slugs asked for, in order

    @property
    def ready(self):
        return len(self.cases) >= MIN_CASES

    @property
    def columns(self):
        """One column per case: the case, its jurisdiction's name, its binding civil penalties in US dollars, and
        the address of this comparison without it."""
        return [
            Column(
                case,
                jurisdiction_label(case.jurisdiction),
                penalty_total(case),
                query([c.slug for c in self.cases if c.pk != case.pk]),
            )
            for case in self.cases
        ]

    @property
    def slots(self):
        """The slugs the four pickers start with: the cases shown, then blanks."""
        chosen = [case.slug for case in self.cases]
        return chosen + [""] * (MAX_CASES - len(chosen))

    @property
    def title(self):
        names = [case.short_title or case.title for case in self.cases]
        return "Compare " + (", ".join(names[:-1]) + " and " + names[-1] if len(names) > 1 else "cases")


@dataclass
class Column:
    case: Case
    jurisdiction: str
    penalty_usd: Decimal | None
    without_url: str


def penalty_total(case):
    """The case's binding civil penalties in US dollars, from its prefetched remedies; None when none has a figure."""
    amounts = [
        remedy.amount_usd
        for remedy in case.remedies.all()
        if remedy.remedy_type.slug == PENALTY_TYPE
        and RemedyOrigin(remedy.origin).is_imposed
        and remedy.amount_usd is not None
    ]
    return sum(amounts, Decimal(0)) if amounts else None


def query(slugs):
    params = QueryDict(mutable=True)
    params.setlist("case", slugs)
    return f"{reverse('knowledge:compare')}?{params.urlencode()}" if slugs else reverse("knowledge:compare")


def slug_of(value):
    """A case's slug from what a reader typed or pasted: the slug itself, or the case page's address."""
    value = value.strip()
    found = CASE_ADDRESS.search(value)
    return found.group(1) if found else value


def compare_cases(slugs):
    """The published cases named by `slugs` (the `case` parameters), with a sentence for each problem; one query
    plus four prefetches when any slug looks like one.

    Repeats are dropped; unknown, unpublished and malformed names are reported as "no published case"; more
    than four are cut to the first four; fewer than two leave nothing to compare.
    """
    asked = list(dict.fromkeys(slug_of(slug) for slug in slugs if slug.strip()))
    problems = []
    # Only what could be a slug reaches the database (PostgreSQL refuses NUL bytes in a text parameter).
    plausible = [slug for slug in asked if len(slug) <= MAX_SLUG and SLUG.fullmatch(slug)]
    found = {case.slug: case for case in comparable_cases().filter(slug__in=plausible)} if plausible else {}
    for slug in asked:
        if slug not in found:
            problems.append(f"There is no published case “{shorten(slug)}”, so it was left out.")
    cases = [found[slug] for slug in asked if slug in found]
    if len(cases) > MAX_CASES:
        dropped = ", ".join(case.short_title or case.title for case in cases[MAX_CASES:])
        problems.append(
            f"Up to {MAX_CASES} cases can be compared at once: the first {MAX_CASES} are shown, not {dropped}."
        )
        cases = cases[:MAX_CASES]
    if len(cases) < MIN_CASES and asked:
        have = "one case" if len(cases) == 1 else "no case"
        problems.append(f"Choose at least {MIN_CASES} cases to compare: there is {have} to show.")
    return Comparison(cases, problems, asked)


def choices():
    """Every published case for the pickers, (slug, label) newest first, or None when there are too many to list
    (then the pickers take a case's address or slug); one query."""
    cases = Case.objects.published().latest_first().annotate(year=ExtractYear(Coalesce("decided_on", "started_on")))
    rows = list(cases.values_list("slug", "short_title", "title", "year")[: MAX_CHOICES + 1])
    if len(rows) > MAX_CHOICES:
        return None
    return [(slug, f"{short or title} ({year})" if year else short or title) for slug, short, title, year in rows]
