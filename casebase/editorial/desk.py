"""The editors' desk at /desk/: queues of readers' reports, one report's page and its actions, verification."""

from functools import wraps

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.views.decorators.http import require_POST

from casebase.knowledge.content_checks import FAIL, run_checks
from casebase.knowledge.models import choice_rank
from casebase.knowledge.paging import page_of
from casebase.staff import is_fully_signed_in

from . import pages
from .actions import publish_correction, verify_page
from .desk_forms import (
    AssignForm,
    InternalNoteForm,
    PriorityForm,
    PublishForm,
    QueueFilterForm,
    TransitionForm,
    VerifyForm,
    page_fix_form,
)
from .models import (
    DESK_QUEUES,
    Correction,
    CorrectionEvent,
    CorrectionMessage,
    CorrectionPriority,
    CorrectionState,
    MessageVisibility,
)
from .verification import due_count, due_pages
from .workflow import TransitionNotAllowed, apply_transition, assign, available_transitions, is_editor, is_publisher

DESK_PER_PAGE = 50
SORTS = {
    "oldest": ["received_at", "pk"],
    "newest": ["-received_at", "-pk"],
    "priority": ["-priority_rank", "received_at"],
}
ASSIGNABLE = (CorrectionState.NEW, CorrectionState.TRIAGE, CorrectionState.NEEDS_INFO, CorrectionState.ACCEPTED)


def desk_required(view):
    """Editors only, signed in with every factor they need; others are sent to sign in or refused."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated or not is_fully_signed_in(request.user):
            return redirect_to_login(request.get_full_path(), reverse("admin:login"))
        if not is_editor(request.user):
            raise PermissionDenied("The desk is for editors.")
        return view(request, *args, **kwargs)

    return wrapper


def publisher_required(view):
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not is_publisher(request.user):
            raise PermissionDenied("Only publishing editors may publish.")
        return view(request, *args, **kwargs)

    return desk_required(wrapper)


def report_or_404(number):
    return get_object_or_404(Correction.objects.select_related("assignee", "duplicate_of"), number=number)


def back_to(report):
    return redirect("editorial:desk_report", number=report.number)


@desk_required
def desk_home(request):
    """The queues with counts and ages, and the reports in the chosen queue, filtered."""
    queue = request.GET.get("queue") if request.GET.get("queue") in DESK_QUEUES else "unassigned"
    filters = QueueFilterForm(request.GET or None)
    chosen = filters.filters()
    reports = Correction.objects.in_queue(queue, request.user).for_desk()
    reports = filter_reports(reports, chosen)
    sort = chosen.get("sort") or ("newest" if queue == "closed" else "oldest")
    page_obj, problem = page_of(reports.order_by(*SORTS[sort]), request.GET.get("page"), per_page=DESK_PER_PAGE)
    stats = Correction.objects.queue_stats(request.user)
    context = {
        "queue": queue,
        "queues": [(name, label, *stats[name]) for name, label in DESK_QUEUES.items()],
        "queue_label": DESK_QUEUES[queue],
        "filters": filters,
        "page_obj": page_obj,
        "reports": page_obj.object_list,
        "page_problem": problem,
        "due_count": due_count(),
    }
    return TemplateResponse(request, "editorial/desk_home.html", context)


def filter_reports(reports, chosen):
    """Apply the desk's filters (already validated) to a queue."""
    for field in ("kind", "priority", "channel"):
        if chosen.get(field):
            reports = reports.filter(**{field: chosen[field]})
    if chosen.get("page_kind"):
        model = pages.BY_SLUG[chosen["page_kind"]].model
        reports = reports.filter(content_type=ContentType.objects.get_for_model(model))
    return reports.annotate(priority_rank=choice_rank("priority", CorrectionPriority))


@desk_required
def desk_report(request, number):
    """One report: the reader's text, the page then and now, the log, the messages, and this editor's actions."""
    report = report_or_404(number)
    page = report.page
    context = {
        "report": report,
        "page": page,
        "page_kind": pages.kind_of(page) if page is not None else None,
        "changes": pages.compare(page, report.page_history_id) if page is not None else None,
        "others": Correction.objects.open().for_page(page).exclude(pk=report.pk) if page is not None else [],
        "events": report.events.select_related("actor"),
        "thread": report.messages.exclude(visibility=MessageVisibility.INTERNAL).select_related("author"),
        "notes": report.messages.filter(visibility=MessageVisibility.INTERNAL).select_related("author"),
        "transitions": [
            t for t in available_transitions(report, request.user) if t.target != CorrectionState.PUBLISHED
        ],
        "can_publish": report.state == CorrectionState.ACCEPTED and is_publisher(request.user),
        "transition_form": TransitionForm(),
        "assign_form": AssignForm(initial={"assignee": report.assignee_id}),
        "priority_form": PriorityForm(initial={"priority": report.priority}),
        "note_form": InternalNoteForm(),
        "can_assign": report.state in ASSIGNABLE,
    }
    return TemplateResponse(request, "editorial/desk_report.html", context)


@require_POST
@desk_required
def desk_transition(request, number):
    """Take one workflow step on a report."""
    report = report_or_404(number)
    form = TransitionForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(error for errors in form.errors.values() for error in errors))
        return back_to(report)
    to_state = form.cleaned_data["to_state"]
    try:
        apply_transition(
            report,
            to_state,
            request.user,
            form.cleaned_data["note"],
            message=form.cleaned_data["message"],
            **form.changes(),
        )
    except TransitionNotAllowed as refusal:
        messages.error(request, str(refusal))
    else:
        messages.success(request, f"{report.reference} is now: {report.get_state_display().lower()}.")
    return back_to(report)


@require_POST
@desk_required
def desk_assign(request, number):
    """Claim a report or hand it to another editor."""
    report = report_or_404(number)
    form = AssignForm({"assignee": request.user.pk} if "claim" in request.POST else request.POST)
    if not form.is_valid():
        messages.error(request, "Choose an editor to assign the report to.")
        return back_to(report)
    try:
        assign(report, form.cleaned_data["assignee"], request.user, form.cleaned_data["note"])
    except TransitionNotAllowed as refusal:
        messages.error(request, str(refusal))
    else:
        assignee = report.assignee
        who = "you" if assignee == request.user else (assignee.get_full_name() or assignee.get_username())
        messages.success(request, f"{report.reference} is assigned to {who}.")
    return back_to(report)


@require_POST
@desk_required
def desk_priority(request, number):
    """Set a report's priority (logged)."""
    report = report_or_404(number)
    form = PriorityForm(request.POST)
    if form.is_valid() and form.cleaned_data["priority"] != report.priority:
        report.priority = form.cleaned_data["priority"]
        report.save(update_fields=["priority"])
        CorrectionEvent.objects.create(
            correction=report,
            actor=request.user,
            from_state=report.state,
            to_state=report.state,
            note=f"Priority: {report.get_priority_display().lower()}.",
        )
        messages.success(request, f"{report.reference} has {report.get_priority_display().lower()} priority.")
    return back_to(report)


@require_POST
@desk_required
def desk_note(request, number):
    """Add an internal note, which the reader never sees."""
    report = report_or_404(number)
    form = InternalNoteForm(request.POST)
    if form.is_valid():
        CorrectionMessage.objects.create(
            correction=report,
            visibility=MessageVisibility.INTERNAL,
            body=form.cleaned_data["body"],
            author=request.user,
        )
        messages.success(request, "Internal note added.")
    else:
        messages.error(request, "Write the note first.")
    return back_to(report)


@publisher_required
def desk_publish(request, number):
    """Fix the page and publish the notice for an accepted report, in one step."""
    report = report_or_404(number)
    page = report.page
    if report.state != CorrectionState.ACCEPTED or page is None:
        messages.error(request, "Only an accepted report about one of our pages can be published.")
        return back_to(report)
    kind = pages.kind_of(page)
    data = request.POST if request.method == "POST" else None
    form = PublishForm(data, initial={"resolution": report.resolution})
    fix = page_fix_form(type(page), kind.text_fields, data, instance=page)
    if data is not None and form.is_valid() and fix.is_valid():
        changes = {name: fix.cleaned_data[name] for name in fix.changed_data}
        try:
            publish_correction(report, request.user, changes=changes, **form.cleaned_data)
        except (TransitionNotAllowed, ValidationError, ValueError) as refusal:
            messages.error(request, "; ".join(getattr(refusal, "messages", [str(refusal)])))
        else:
            messages.success(request, f"{report.reference} is published and the reader has been told.")
            return back_to(report)
    context = {"report": report, "page": page, "page_kind": kind, "form": form, "fix": fix}
    return TemplateResponse(request, "editorial/desk_publish.html", context, status=400 if data else 200)


@desk_required
def desk_verification_queue(request):
    """Pages due for a full re-check against their sources, oldest check first."""
    page_obj, problem = page_of(due_pages(), request.GET.get("page"), per_page=DESK_PER_PAGE)
    context = {"page_obj": page_obj, "due": page_obj.object_list, "page_problem": problem}
    return TemplateResponse(request, "editorial/desk_verification_queue.html", context)


@desk_required
def desk_content_check(request):
    """What `check_content` finds in the published record: failures first, then warnings."""
    findings = run_checks()
    context = {
        "failures": [f for f in findings if f.level == FAIL],
        "warnings": [f for f in findings if f.level != FAIL],
    }
    return TemplateResponse(request, "editorial/desk_content_check.html", context)


@desk_required
def desk_verify(request, kind, slug):
    """Record a full re-check of one page: who checked which sources, the outcome and a note."""
    page_kind = pages.BY_SLUG.get(kind)
    if page_kind is None:
        raise Http404("No such kind of page.")
    page = get_object_or_404(page_kind.model.objects.published(), slug=slug)
    data = request.POST if request.method == "POST" else None
    form = VerifyForm(data, sources=pages.sources_of(page))
    if data is not None and form.is_valid():
        verify_page(
            page,
            request.user,
            outcome=form.cleaned_data["outcome"],
            sources=form.cleaned_data["sources"],
            note=form.cleaned_data["note"],
        )
        messages.success(request, f"“{page}” is verified; next review due {page.next_review_due:%-d %B %Y}.")
        return redirect("editorial:desk_verification_queue")
    context = {"page": page, "page_kind": page_kind, "form": form}
    return TemplateResponse(request, "editorial/desk_verify.html", context, status=400 if data else 200)
