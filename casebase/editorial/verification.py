"""The re-verification queue: published pages whose review cycle has run out, oldest check first."""

import datetime
from dataclasses import dataclass

from django.db.models import Count, Q, Value
from django.utils import timezone

from casebase.knowledge.models import Case, CaseStatus

from .pages import PAGE_KINDS

OPEN_CASE_STATUSES = [status for status in CaseStatus if status.is_open]


def default_cycles(model):
    """(condition, days) pairs mirroring each model's default_verify_days(), for rows without their own cycle."""
    if model is Case:
        return [(Q(case_status__in=OPEN_CASE_STATUSES), 90), (~Q(case_status__in=OPEN_CASE_STATUSES), 365)]
    return [(Q(), model.DEFAULT_VERIFY_EVERY_DAYS)]


def own_cycles():
    """{model: the distinct cycles its published rows set for themselves}, for every kind of page in one query."""
    chosen = [
        kind.model.objects.published()
        .exclude(verify_every_days=None)
        .order_by()
        .values_list(Value(kind.slug), "verify_every_days")
        .distinct()
        for kind in PAGE_KINDS
    ]
    slugs = {kind.slug: kind.model for kind in PAGE_KINDS}
    found = {kind.model: set() for kind in PAGE_KINDS}
    # Ordered by a column of the result: the models' default orderings name columns a union does not have.
    for slug, days in chosen[0].union(*chosen[1:]).order_by("verify_every_days"):
        found[slugs[slug]].add(days)
    return found


def due_condition(model, now, cycles=None):
    """A condition true for rows of `model` due for a full re-check at `now`, evaluated by the database.

    A cycle is a number of days per row, and date arithmetic on a column differs between SQLite and
    PostgreSQL; instead each distinct cycle gets its own cut-off date (there are only a few). `cycles`: the
    distinct cycles the rows set themselves, when already known (own_cycles).
    """
    if cycles is None:
        published = model.objects.published()
        cycles = published.exclude(verify_every_days=None).values_list("verify_every_days", flat=True).distinct()
        cycles = cycles.order_by()
    condition = Q(last_verified_at__isnull=True)
    for days in sorted(cycles):
        condition |= Q(verify_every_days=days, last_verified_at__lte=now - datetime.timedelta(days=days))
    for when, days in default_cycles(model):
        condition |= when & Q(verify_every_days=None, last_verified_at__lte=now - datetime.timedelta(days=days))
    return condition


@dataclass
class DuePage:
    page: object
    kind: object

    @property
    def last_verified_at(self):
        return self.page.last_verified_at

    @property
    def due_since(self):
        return self.page.next_review_due


def due_pages(now=None):
    """Every published page due for re-check, never-checked pages first, then the longest unchecked."""
    now = now or timezone.now()
    found = []
    for kind in PAGE_KINDS:
        rows = kind.model.objects.published().filter(due_condition(kind.model, now))
        found += [DuePage(row, kind) for row in rows.order_by("last_verified_at", "created_at")]
    oldest = datetime.datetime.min.replace(tzinfo=datetime.UTC)
    return sorted(found, key=lambda due: (due.last_verified_at or oldest, due.page.created_at))


def due_count(now=None):
    """How many pages are due, for the desk's queue counts: two queries, however many kinds of page."""
    now = now or timezone.now()
    cycles = own_cycles()
    counts = [
        kind.model.objects.published()
        .filter(due_condition(kind.model, now, cycles[kind.model]))
        .order_by()
        .values_list(Value(kind.slug))
        .annotate(n=Count("pk"))
        .values_list("n", flat=True)
        for kind in PAGE_KINDS
    ]
    return sum(counts[0].union(*counts[1:], all=True).order_by("n"))
