"""A synthetic corpus for load tests: authorities, companies, cases and everything hanging off them.

`generate(cases, seed)` fills the database with invented but plausible records, the same for the
same seed (one `random.Random(seed)`; dates measured from a fixed day). Every generated record has
a slug starting `gen-` and every generated source a host under `.example`, so `real_content()` can
tell real records from generated ones and `remove()` can take a corpus out again.

Rows are written in bulk (writer.py), which skips `save()` and the signals: the derived fields
`save()` would set (dates at their precision, amounts in US dollars through a reference rate) are
set here the same way, and the search index is written alongside (index.py) instead of by the
signals. No django-simple-history rows are written: synthetic records have no editorial history,
and theirs starts with the first edit anyone makes to one.
"""

import time

from django.db import connection, transaction
from django.db.models import Q

from casebase.caching import bump_on_commit

from ..models import (
    Authority,
    Case,
    CaseRelation,
    Citation,
    Company,
    Dataset,
    ExchangeRate,
    ExposureEntry,
    ExposureList,
    Party,
    Remedy,
    SearchEntry,
    Source,
    TimelineEvent,
    TrainedModel,
)
from .generator import HOST, PREFIX, Generator

PUBLIC_MODELS = (Case, Company, Authority, Dataset, ExposureList)


class CorpusError(Exception):
    """The corpus cannot be written as asked."""


def real_content():
    """{label: count} of published records that were not generated: what a corpus must not be mixed into."""
    found = {}
    for model in PUBLIC_MODELS:
        count = model.objects.published().exclude(slug__startswith=PREFIX).count()
        if count:
            found[str(model._meta.verbose_name_plural)] = count
    return found


def generated_sources():
    return Source.objects.filter(url__regex=rf"^https://[a-z0-9.-]+\{HOST}/")


def generate(cases, seed=1, progress=None):
    """Write a corpus of `cases` cases and the records around them in one transaction; returns {label: count}."""
    if cases < 1:
        raise CorpusError("a corpus needs at least one case")
    with transaction.atomic():
        counts = Generator(cases, seed, progress or Progress(None)).run()
        bump_on_commit()  # rows written with raw SQL send no signals
    # Planner statistics, as after any bulk load: PostgreSQL's autovacuum would gather them before long,
    # SQLite never does on its own, and without them it can pick a scan over an index.
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return counts


@transaction.atomic
def remove():
    """Delete every generated record with one DELETE per table: no signals, no history, no rows loaded."""
    case = Q(case__slug__startswith=PREFIX)
    remedy = Q(remedy__case__slug__startswith=PREFIX)
    steps = [
        (SearchEntry, Q(slug__startswith=PREFIX)),
        (Citation, Q(source__in=generated_sources())),
        (Case.datasets.through, case),
        (Case.legal_bases.through, case),
        (Remedy.covers_datasets.through, remedy),
        (Remedy.covers_models.through, remedy),
        (TrainedModel.datasets.through, Q(trainedmodel__slug__startswith=PREFIX)),
        (Dataset.received_by.through, Q(dataset__slug__startswith=PREFIX)),
        (ExposureList.precedents.through, Q(exposurelist__slug__startswith=PREFIX)),
        (ExposureEntry.related_cases.through, Q(exposureentry__exposure_list__slug__startswith=PREFIX)),
        (ExposureEntry, Q(exposure_list__slug__startswith=PREFIX)),
        (ExposureList, Q(slug__startswith=PREFIX)),
        (TimelineEvent, case),
        (CaseRelation, Q(from_case__slug__startswith=PREFIX) | Q(to_case__slug__startswith=PREFIX)),
        (Remedy, case),
        (Party, case),
        (Case, Q(slug__startswith=PREFIX)),
        (TrainedModel, Q(slug__startswith=PREFIX)),
        (Dataset, Q(slug__startswith=PREFIX)),
        (ExchangeRate, Q(source__in=generated_sources())),
        (Source, Q(pk__in=generated_sources())),
        (Company, Q(slug__startswith=PREFIX)),
        (Authority, Q(slug__startswith=PREFIX)),
    ]
    bump_on_commit()
    removed = 0
    for model, condition in steps:
        # One statement each, in an order where nothing still points at the rows going; the search
        # entries go through FTS5's delete trigger on SQLite.
        removed += model.objects.filter(condition)._raw_delete(connection.alias)
    return removed


class Progress:
    """A progress bar on one line of a terminal, or a line per stage when the stream is a file or pipe."""

    WIDTH = 30

    def __init__(self, stream):
        self.stream = stream
        self.tty = bool(stream is not None and getattr(stream, "isatty", lambda: False)())
        self.started = time.monotonic()
        self.label = None

    def step(self, label, done=None, total=None):
        if self.stream is None:
            return
        elapsed = time.monotonic() - self.started
        bar = ""
        if total:
            filled = self.WIDTH * done // total
            bar = f"[{'#' * filled}{'.' * (self.WIDTH - filled)}] {done:,}/{total:,} "
        if self.tty:
            self.stream.write(f"\r{label:<16} {bar}{elapsed:6.1f}s\033[K")
        elif label != self.label or done == total:
            self.stream.write(f"{label:<16} {bar}{elapsed:6.1f}s\n")
        self.label = label
        self.stream.flush()

    def done(self):
        if self.stream is not None and self.tty:
            self.stream.write("\n")
            self.stream.flush()
