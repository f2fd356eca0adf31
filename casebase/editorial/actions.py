"""Editorial writes that span several models: publishing a correction, verifying a page."""

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from . import pages
from .models import Correction, CorrectionNotice, CorrectionState, Verification
from .workflow import TransitionNotAllowed, apply_transition, is_editor, is_publisher

# simple-history keeps at most 100 characters of a change reason.
REASON_LENGTH = 100


def fix_page(page, actor, changes, reason):
    """Save an editor's fix to a page's text fields with a history record saying who and why.

    Returns the page's history id afterwards (the version a notice is about).
    """
    kind = pages.kind_of(page)
    unknown = set(changes) - set(kind.text_fields)
    if unknown:
        raise ValueError(f"The desk cannot change {sorted(unknown)} on a {kind.label.lower()}; use the admin.")
    changed = {name: value for name, value in changes.items() if getattr(page, name) != value}
    if changed:
        for name, value in changed.items():
            setattr(page, name, value)
        page.full_clean(validate_unique=False, validate_constraints=False)
        page._change_reason = reason[:REASON_LENGTH]
        page._history_user = actor
        page.save()
    return pages.latest_history_id(page)


def publish_notice(page, actor, *, kind, text, is_material=False, changes=None, corrections=(), reason=""):
    """Fix the page (if `changes`) and publish a notice on it, in one transaction. Publishers only."""
    if not is_publisher(actor):
        raise TransitionNotAllowed("Only a publishing editor may publish a notice.")
    if not text.strip():
        raise ValidationError({"text": "Write the notice readers will see."})
    with transaction.atomic():
        page = type(page).objects.select_for_update().get(pk=page.pk)
        history_id = fix_page(page, actor, changes or {}, reason or f"{kind.capitalize()} published")
        notice = CorrectionNotice.objects.create(
            content_type=ContentType.objects.get_for_model(page),
            object_id=page.pk,
            kind=kind,
            is_material=is_material,
            text=text.strip(),
            published_by=actor,
            page_history_id=history_id,
        )
        if corrections:
            notice.corrections.add(*corrections)
    return notice


def publish_correction(
    correction, actor, *, notice_kind=None, notice_text="", is_material=False, changes=None, resolution="", note=""
):
    """Fix the page and publish the correction's notice in one transaction, then close the report as published.

    With `notice_kind` None the fix is made without a public notice (a typo), and still logged on the
    report and in the page's history. Returns the notice, or None.
    """
    with transaction.atomic():
        correction = Correction.objects.select_for_update().get(pk=correction.pk)
        if correction.state != CorrectionState.ACCEPTED or not is_publisher(actor):
            raise TransitionNotAllowed("Only an accepted report can be published, by a publishing editor.")
        page = correction.page
        if page is None or not page.is_published:
            # A notice on a draft or withdrawn page would never reach a reader.
            raise TransitionNotAllowed("This report's page is not published; correct it in the admin instead.")
        reason = f"{correction.reference}: {(notice_kind or 'typo').replace('_', ' ')}"
        behind = [correction, *correction.duplicates.all()]
        if notice_kind:
            notice = publish_notice(
                page,
                actor,
                kind=notice_kind,
                text=notice_text,
                is_material=is_material,
                changes=changes,
                corrections=behind,
                reason=reason,
            )
        else:
            notice = None
            fix_page(type(page).objects.select_for_update().get(pk=page.pk), actor, changes or {}, reason)
        apply_transition(
            correction,
            CorrectionState.PUBLISHED,
            actor,
            note or ("Notice published." if notice else "Fixed without a notice."),
            resolution=resolution or correction.resolution or "The page has been corrected. Thank you.",
        )
    return notice


def verify_page(page, actor, *, outcome, sources=(), note="", at=None):
    """Record that an editor re-checked the whole page, and move its review date.

    The page's verification fields change through a queryset update, so no history record claims an
    edit and `updated_at` stays the date of the last real change.
    """
    if not is_editor(actor):
        raise TransitionNotAllowed("Only an editor may verify a page.")
    at = at or timezone.now()
    with transaction.atomic():
        verification = Verification.objects.create(
            content_type=ContentType.objects.get_for_model(page),
            object_id=page.pk,
            verified_by=actor,
            verified_at=at,
            outcome=outcome,
            note=note.strip(),
        )
        verification.sources_checked.set(sources)
        type(page).objects.filter(pk=page.pk).update(last_verified_at=at, last_verified_by=actor)
    page.last_verified_at, page.last_verified_by = at, actor
    return verification
