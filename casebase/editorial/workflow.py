"""The corrections workflow (DESIGN §7): one table of allowed transitions and the one function that applies it.

Every change of a report's state goes through `apply_transition` (or `file_report` for a new report),
which locks the row, checks the table and the actor's role, writes a CorrectionEvent and, once the
transaction has committed, sends `transition_committed` so mail is queued only for changes that
really happened (emails.py listens).
"""

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db import models, transaction
from django.db.models import Q
from django.dispatch import Signal
from django.utils import timezone

from .models import Correction, CorrectionEvent, CorrectionMessage, CorrectionState, MessageVisibility

S = CorrectionState

# Sent after commit with `correction`, `event` and `mail` (a ReaderMail value, or None).
transition_committed = Signal()


class Role(models.TextChoices):
    READER = "reader", "the reader, through the form, the mail address or the status link"
    SYSTEM = "system", "the system (spam signals)"
    EDITOR = "editor", "any editor on the desk"
    ASSIGNEE = "assignee", "the editor the report is assigned to"
    PUBLISHER = "publisher", "an editor allowed to publish correction notices"


class ReaderMail(models.TextChoices):
    """Which letter the reader gets after a transition (if they gave an address)."""

    ACKNOWLEDGEMENT = "acknowledgement", "We have your report"
    QUESTION = "question", "A question about your report"
    DECISION = "decision", "The outcome of your report"


# Stand-ins for the actor when no editor acts.
READER = Role.READER
SYSTEM = Role.SYSTEM

# What a transition requires of the actor besides its fields in **changes: a note saying why, a
# message to the reader, or (from the reader only) a message from them.
NOTE_REQUIRED = "note"
MESSAGE_REQUIRED = "message"
READER_MESSAGE = "reader_message"


@dataclass(frozen=True)
class Transition:
    source: str | None  # None: the report is being filed
    target: str
    roles: frozenset
    verb: str  # the desk's button label
    mail: str | None = None
    requires: tuple = ()  # NOTE_REQUIRED, MESSAGE_REQUIRED, READER_MESSAGE, or fields in **changes


def _t(source, target, roles, verb, mail=None, requires=()):
    return Transition(source, target, frozenset(roles), verb, mail, tuple(requires))


_REOPENABLE = (S.PUBLISHED, S.DECLINED, S.DUPLICATE, S.WITHDRAWN)
_WITHDRAWABLE = (S.NEW, S.QUARANTINED, S.TRIAGE, S.NEEDS_INFO, S.ACCEPTED)

# The whole workflow. A (source, target) pair not listed here is refused for everyone.
TRANSITIONS = {
    (t.source, t.target): t
    for t in [
        _t(None, S.NEW, {Role.READER}, "File", ReaderMail.ACKNOWLEDGEMENT),
        _t(None, S.QUARANTINED, {Role.SYSTEM}, "Quarantine"),
        _t(S.QUARANTINED, S.NEW, {Role.EDITOR}, "Release", ReaderMail.ACKNOWLEDGEMENT),
        _t(S.QUARANTINED, S.SPAM, {Role.EDITOR}, "Confirm spam"),
        # Spam the filters missed; it is purged with the rest of the spam.
        _t(S.NEW, S.SPAM, {Role.EDITOR}, "Mark as spam"),
        _t(S.NEW, S.TRIAGE, {Role.EDITOR}, "Claim", requires=("assignee",)),
        _t(S.TRIAGE, S.NEEDS_INFO, {Role.ASSIGNEE}, "Ask the reader", ReaderMail.QUESTION, (MESSAGE_REQUIRED,)),
        # The reader answers through the status link; or the reader stays silent and the assignee
        # goes on without them.
        _t(S.NEEDS_INFO, S.TRIAGE, {Role.READER, Role.ASSIGNEE}, "Go on without an answer", requires=(READER_MESSAGE,)),
        _t(S.TRIAGE, S.ACCEPTED, {Role.ASSIGNEE}, "Accept"),
        # A publisher who disagrees sends it back rather than publishing what they doubt.
        _t(S.ACCEPTED, S.TRIAGE, {Role.ASSIGNEE, Role.PUBLISHER}, "Send back", requires=(NOTE_REQUIRED,)),
        _t(S.ACCEPTED, S.PUBLISHED, {Role.PUBLISHER}, "Publish", ReaderMail.DECISION),
        _t(S.TRIAGE, S.DECLINED, {Role.ASSIGNEE}, "Decline", ReaderMail.DECISION, ("resolution",)),
        _t(S.NEW, S.DUPLICATE, {Role.EDITOR}, "Mark duplicate", ReaderMail.DECISION, ("duplicate_of",)),
        _t(S.TRIAGE, S.DUPLICATE, {Role.EDITOR}, "Mark duplicate", ReaderMail.DECISION, ("duplicate_of",)),
        *[_t(source, S.WITHDRAWN, {Role.READER}, "Withdraw") for source in _WITHDRAWABLE],
        *[_t(source, S.TRIAGE, {Role.EDITOR}, "Reopen", requires=(NOTE_REQUIRED,)) for source in _REOPENABLE],
        _t(S.SPAM, S.NEW, {Role.EDITOR}, "Not spam", ReaderMail.ACKNOWLEDGEMENT),
    ]
}

TRANSITIONS_FROM = {}
for _transition in TRANSITIONS.values():
    TRANSITIONS_FROM.setdefault(_transition.source, []).append(_transition)


# Fields a transition may set along with the state.
CHANGEABLE = {"assignee", "duplicate_of", "resolution", "priority", "quarantine_reason"}


class TransitionNotAllowed(Exception):
    """The table has no such transition, or this actor may not make it."""


def is_editor(user):
    """May this user work on the desk? (READER, SYSTEM and anonymous users may not.)"""
    return bool(getattr(user, "is_active", False) and user.has_perm("editorial.change_correction"))


def is_publisher(user):
    return is_editor(user) and user.has_perm("editorial.publish_correctionnotice")


def roles_of(actor, correction):
    """The workflow roles `actor` holds for this report."""
    if actor in (Role.READER, Role.SYSTEM):
        return {Role(actor)}
    if not is_editor(actor):
        return set()
    roles = {Role.EDITOR}
    if correction.assignee_id and correction.assignee_id == actor.pk:
        roles.add(Role.ASSIGNEE)
    if is_publisher(actor):
        roles.add(Role.PUBLISHER)
    return roles


def available_transitions(correction, actor):
    """The transitions this actor may take on this report now, for the desk's buttons."""
    roles = roles_of(actor, correction)
    return [transition for transition in TRANSITIONS_FROM.get(correction.state, []) if transition.roles & roles]


def _check(transition, correction, actor, note, message, changes):
    if transition is None:
        raise TransitionNotAllowed(f"A report cannot go from {correction.get_state_display()} to that state.")
    if not transition.roles & roles_of(actor, correction):
        raise TransitionNotAllowed(f"You may not {transition.verb.lower()} this report.")
    unknown = set(changes) - CHANGEABLE
    if unknown:
        raise ValueError(f"apply_transition cannot change {sorted(unknown)}")
    if NOTE_REQUIRED in transition.requires and not note.strip():
        raise TransitionNotAllowed("Say why in the note.")
    if MESSAGE_REQUIRED in transition.requires and not message.strip():
        raise TransitionNotAllowed("Write the question to the reader.")
    if READER_MESSAGE in transition.requires and actor == Role.READER and not message.strip():
        raise TransitionNotAllowed("Write your answer.")
    if "resolution" in transition.requires and not (changes.get("resolution") or correction.resolution).strip():
        raise TransitionNotAllowed("Give the reason the reader will see.")
    if "assignee" in transition.requires and not is_editor(changes.get("assignee") or actor):
        raise TransitionNotAllowed("A report can only be assigned to an editor.")
    if "duplicate_of" in transition.requires:
        original = changes.get("duplicate_of")
        if original is None or original.pk == correction.pk:
            raise TransitionNotAllowed("Name the report this one repeats.")
        if original.state in (S.DUPLICATE, S.SPAM, S.QUARANTINED):
            raise TransitionNotAllowed(f"{original.reference} is not a surviving report.")


def _actor(actor):
    if actor in (Role.READER, Role.SYSTEM):
        return {"actor": None, "actor_label": str(actor)}
    return {"actor": actor, "actor_label": ""}


def _after_commit(correction, event, mail):
    transaction.on_commit(
        lambda: transition_committed.send(sender=Correction, correction=correction, event=event, mail=mail)
    )


def file_report(correction, *, quarantine_reason=""):
    """Store a new report from a reader (or hold it in quarantine) and write its first event."""
    target = S.QUARANTINED if quarantine_reason else S.NEW
    actor = Role.SYSTEM if quarantine_reason else Role.READER
    transition = TRANSITIONS[(None, target)]
    with transaction.atomic():
        correction.state = target
        correction.quarantine_reason = quarantine_reason
        correction.save()
        event = CorrectionEvent.objects.create(
            correction=correction, to_state=target, note=quarantine_reason, **_actor(actor)
        )
        _after_commit(correction, event, transition.mail)
    return event


def apply_transition(correction, to_state, actor, note="", *, message="", **changes):
    """Move a report to `to_state` as `actor` (a user, READER or SYSTEM), or raise TransitionNotAllowed.

    `message` is written to (or, from the reader, from) the reader in the same transaction; `changes`
    set assignee, duplicate_of, resolution, priority or quarantine_reason with the state. Returns the event.
    """
    with transaction.atomic():
        locked = Correction.objects.select_for_update().get(pk=correction.pk)
        transition = TRANSITIONS.get((locked.state, to_state))
        _check(transition, locked, actor, note, message, changes)

        now = timezone.now()
        from_state = locked.state
        if to_state == S.TRIAGE and from_state == S.NEW and "assignee" not in changes:
            changes["assignee"] = actor
        if from_state in CorrectionState.closed_states() and to_state == S.TRIAGE:
            changes.setdefault("assignee", actor)
            locked.resolved_at = None
        for field, value in changes.items():
            setattr(locked, field, value)
        locked.state = to_state
        if locked.first_response_at is None and actor not in (Role.READER, Role.SYSTEM):
            locked.first_response_at = now
        if CorrectionState(to_state).is_closed:
            locked.resolved_at = now
        locked.save()

        if message.strip():
            CorrectionMessage.objects.create(
                correction=locked,
                visibility=MessageVisibility.FROM_READER if actor == Role.READER else MessageVisibility.TO_READER,
                body=message.strip(),
                author=None if actor in (Role.READER, Role.SYSTEM) else actor,
                at=now,
            )
        event = CorrectionEvent.objects.create(
            correction=locked,
            from_state=from_state,
            to_state=to_state,
            note=note.strip(),
            at=now,
            **_actor(actor),
        )
        _after_commit(locked, event, transition.mail)

    _copy_back(locked, correction)
    return event


def _copy_back(source, target):
    for field in Correction._meta.concrete_fields:
        setattr(target, field.attname, getattr(source, field.attname))


def assign(correction, assignee, actor, note=""):
    """Hand an open report to another editor (claiming a new one moves it into triage)."""
    if correction.state == S.NEW:
        return apply_transition(correction, S.TRIAGE, actor, note, assignee=assignee)
    with transaction.atomic():
        locked = Correction.objects.select_for_update().get(pk=correction.pk)
        if Role.EDITOR not in roles_of(actor, locked):
            raise TransitionNotAllowed("You may not assign this report.")
        if locked.state not in (S.TRIAGE, S.NEEDS_INFO, S.ACCEPTED):
            raise TransitionNotAllowed("Only open reports can be reassigned.")
        if not is_editor(assignee):
            raise TransitionNotAllowed("A report can only be assigned to an editor.")
        locked.assignee = assignee
        if locked.first_response_at is None:
            locked.first_response_at = timezone.now()
        locked.save(update_fields=["assignee", "first_response_at"])
        label = assignee.get_full_name() or assignee.get_username()
        event = CorrectionEvent.objects.create(
            correction=locked,
            from_state=locked.state,
            to_state=locked.state,
            note=f"Assigned to {label}. {note}".strip(),
            **_actor(actor),
        )
    _copy_back(locked, correction)
    return event


def editors():
    """Active users who may work on the desk, for the assign menu."""
    perm = {"codename": "change_correction", "content_type__app_label": "editorial"}
    may_edit = (
        Q(is_superuser=True)
        | Q(**{f"groups__permissions__{key}": value for key, value in perm.items()})
        | Q(**{f"user_permissions__{key}": value for key, value in perm.items()})
    )
    return get_user_model().objects.filter(may_edit, is_active=True).distinct().order_by("username")
