"""The public pages editorial works on: their kinds, signed references, versions and differences."""

import datetime
import difflib
from dataclasses import dataclass

from django.core import signing
from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Max, Q
from django.utils.html import escape
from django.utils.safestring import mark_safe

from casebase.knowledge.models import (
    Authority,
    Case,
    Company,
    Dataset,
    ExposureList,
    Remedy,
    RemedyType,
    Source,
    TimelineEvent,
)


@dataclass(frozen=True)
class PageKind:
    model: type
    slug: str  # the public URL prefix, reused in /history/<slug>/<page>/
    label: str
    text_fields: tuple  # fields an editor may fix from the desk, and that the desk compares across versions

    def title_of(self, page):
        return str(page)


PAGE_KINDS = [
    PageKind(Case, "cases", "Case", ("title", "short_title", "summary", "significance", "body", "open_questions")),
    PageKind(Company, "companies", "Company", ("name", "legal_name", "aliases", "description")),
    PageKind(RemedyType, "remedies", "Remedy type", ("name", "definition")),
    PageKind(
        Dataset,
        "datasets",
        "Dataset",
        ("name", "description", "size_note", "collected_from", "consent_terms", "actual_use"),
    ),
    PageKind(ExposureList, "exposure", "Exposure list", ("title", "summary", "criteria")),
    PageKind(Authority, "authorities", "Authority", ("name", "short_name", "description")),
]
BY_MODEL = {kind.model: kind for kind in PAGE_KINDS}
BY_SLUG = {kind.slug: kind for kind in PAGE_KINDS}

REFERENCE_SALT = "casebase.editorial.page-reference"


def kind_of(page):
    """The PageKind of a page instance (or of a historical record of one)."""
    model = getattr(page, "instance_type", None) or type(page)
    return BY_MODEL[model]


def latest_history_id(page):
    """The history record of the page as it stands now."""
    return page.history.aggregate(latest=Max("history_id"))["latest"]


def sign_page_reference(page, history_id=None):
    """A tamper-proof reference to a page and the version a reader is looking at, for the report link.

    Without `history_id` the version is named by the page's `updated_at`, which the page already has in
    hand: the reader pages then spend no query on the link.
    """
    data = {"m": page._meta.label_lower, "id": page.pk}
    if history_id is not None:
        data["h"] = history_id
    else:
        data["u"] = page.updated_at.isoformat()
    return signing.dumps(data, salt=REFERENCE_SALT, compress=True)


def version_at(page, updated_at):
    """The history id of the version saved at `updated_at`: the first record at or after it.

    `updated_at` is set just before the save and the history record just after it, so the record of
    that save is the first one not older than the timestamp.
    """
    record = page.history.filter(history_date__gte=updated_at).order_by("history_date", "history_id").first()
    return record.history_id if record else None


def read_page_reference(token):
    """(page, history_id) from a signed reference, or (None, None) if it is forged, stale or the page is not public."""
    try:
        data = signing.loads(token, salt=REFERENCE_SALT)
        model = next(kind.model for kind in PAGE_KINDS if kind.model._meta.label_lower == data["m"])
        page = model.objects.published().get(pk=data["id"])
    except (signing.BadSignature, ObjectDoesNotExist, StopIteration, KeyError, TypeError, ValueError):
        return None, None
    history_id = data.get("h")
    if history_id is None and isinstance(data.get("u"), str):
        try:
            history_id = version_at(page, datetime.datetime.fromisoformat(data["u"]))
        except ValueError:
            history_id = None
    if not isinstance(history_id, int) or not page.history.filter(history_id=history_id).exists():
        history_id = latest_history_id(page)
    return page, history_id


@dataclass
class FieldChange:
    name: str
    label: str
    before: str
    after: str

    @property
    def marked(self):
        """The two texts word by word, with <del> and <ins> around what changed (everything else escaped)."""
        old, new = self.before.split(" "), self.after.split(" ")
        parts = []
        for op, a1, a2, b1, b2 in difflib.SequenceMatcher(a=old, b=new, autojunk=False).get_opcodes():
            if op == "equal":
                parts.append(escape(" ".join(old[a1:a2])))
                continue
            if a2 > a1:
                parts.append(f"<del>{escape(' '.join(old[a1:a2]))}</del>")
            if b2 > b1:
                parts.append(f"<ins>{escape(' '.join(new[b1:b2]))}</ins>")
        return mark_safe(" ".join(parts))  # every piece above is escaped


def compare(page, history_id):
    """What changed in the page's desk fields between the version `history_id` and now."""
    kind = kind_of(page)
    seen = page.history.filter(history_id=history_id).first() if history_id else None
    if seen is None:
        return None
    changes = []
    for name in kind.text_fields:
        before, after = getattr(seen, name) or "", getattr(page, name) or ""
        if before != after:
            label = page._meta.get_field(name).verbose_name.capitalize()
            changes.append(FieldChange(name, label, before, after))
    return changes


# Bookkeeping, not content: a change to these alone is not an entry in the reader's change log.
NOT_CONTENT = {"id", "created_at", "updated_at", "last_verified_at", "last_verified_by", "verify_every_days"}


@dataclass
class LogEntry:
    at: object
    history_id: int
    first: bool  # the version that first went public
    fields: list
    reason: str
    notice: object = None


def change_log(page, notices=()):
    """The page's public versions, newest first: what each changed, and the notice behind it.

    Versions saved while the page was a draft or withdrawn are left out; readers never saw them.
    """
    model = type(page)
    fields = [f.name for f in model._meta.concrete_fields if f.name not in NOT_CONTENT]
    by_version = {notice.page_history_id: notice for notice in notices if notice.page_history_id}
    entries, previous = [], None
    for record in page.history.order_by("history_date", "history_id"):
        public = record.status == "published" and record.history_type != "-"
        if public:
            first = previous is None or previous.status != "published"
            names = [] if first else record.diff_against(previous, included_fields=fields).changed_fields
            notice = by_version.get(record.history_id)
            if first or names or notice:
                labels = [str(model._meta.get_field(name).verbose_name) for name in names]
                entries.append(
                    LogEntry(
                        record.history_date,
                        record.history_id,
                        first,
                        labels,
                        record.history_change_reason or "",
                        notice,
                    )
                )
        previous = record
    entries.reverse()
    return entries


def sources_of(page):
    """The sources a page cites, for the verify form's checklist (primary documents first)."""
    if isinstance(page, Case):
        condition = (
            Q(citations__case=page)
            | Q(citations__remedy__case=page)
            | Q(pk__in=TimelineEvent.objects.filter(case=page).values("source"))
            | Q(pk__in=Remedy.objects.filter(case=page).values("compliance_source"))
        )
    elif isinstance(page, Dataset):
        condition = Q(citations__dataset=page)
    elif isinstance(page, ExposureList):
        condition = Q(citations__exposure_list=page) | Q(citations__exposure_entry__exposure_list=page)
    elif isinstance(page, RemedyType):
        condition = Q(citations__remedy__remedy_type=page)
    else:
        return Source.objects.none()
    # Joins through citations repeat a source; a subquery keeps each once without DISTINCT on the ordering.
    return Source.objects.filter(pk__in=Source.objects.filter(condition).values("pk")).by_kind()
