"""The re-verification queue: published pages whose review cycle has run out, oldest check first."""

import datetime
from dataclasses import dataclass

from django.db.models import Q
from django.utils import timezone

from casebase.knowledge.models import Case, CaseStatus

from .pages import PAGE_KINDS

OPEN_CASE_STATUSES = [status for status in CaseStatus if status.is_open]


def default_cycles(model):
    """(condition, days) pairs mirroring each model's default_verify_days(), for rows without their own cycle."""
    if model is Case:
        return [(Q(case_status__in=OPEN_CASE_STATUSES), 90), (~Q(case_status__in=OPEN_CASE_STATUSES), 365)]
    return [(Q(), model.DEFAULT_VERIFY_EVERY_DAYS)]


def due_condition(model, now):
    """A condition true for rows of `model` due for a full re-check at `now`, evaluated by the database.

    A cycle is a number of days per row, and date arithmetic on a column differs between SQLite and
    PostgreSQL; instead each distinct cycle gets its own cut-off date (there are only a few).
    """
    published = model.objects.published()
    own = published.exclude(verify_every_days=None).values_list("verify_every_days", flat=True).distinct()
    condition = Q(last_verified_at__isnull=True)
    for days in own.order_by():
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
    """How many pages are due, for the desk's queue counts."""
    now = now or timezone.now()
    return sum(kind.model.objects.published().filter(due_condition(kind.model, now)).count() for kind in PAGE_KINDS)
