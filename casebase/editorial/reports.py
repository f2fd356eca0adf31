"""The reader's side of the desk: the report form, the thank-you page, and the private status page.

No account: the thank-you page hands over a signed, unguessable status link (tokens.py), and that link
is the reader's key to see the report, answer the desk's question and withdraw. None of these pages
is cached (each carries a CSRF token or a private link), and none is indexed.
"""

import functools
import math

from django.contrib import messages
from django.db import IntegrityError
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from . import abuse, pages, tokens, workflow
from .forms import AnswerForm, ReportForm, WithdrawForm
from .models import Correction, CorrectionChannel, CorrectionMessage, CorrectionState, MessageVisibility

# A report is a few thousand characters; anything much bigger is not one (413 before the form is read).
MAX_REQUEST_BYTES = 64 * 1024


def private_page(view):
    """Never cached, never indexed, and refused when the request body is larger than any report."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > MAX_REQUEST_BYTES:
            response = TemplateResponse(request, "editorial/report_too_large.html", status=413)
        else:
            response = view(request, *args, **kwargs)
        response["X-Robots-Tag"] = "noindex, nofollow"
        return response

    return never_cache(wrapper)


def status_link_required(view):
    """Open the report named by the status token in the URL, or answer 404 (forged or mangled links)."""

    @functools.wraps(view)
    def wrapper(request, token, *args, **kwargs):
        correction = tokens.correction_for_token(token)
        if correction is None:
            raise Http404("No report has this status link.")
        return view(request, correction, token, *args, **kwargs)

    return wrapper


@require_http_methods(["GET", "POST"])
@sensitive_post_parameters("reporter_email", "reporter_name")
@private_page
def report_new(request):
    """The report form, for the page named by the signed `page` parameter (or an address the reader gives)."""
    reference = request.GET.get("page", "")
    page, history_id = pages.read_page_reference(reference) if reference else (None, None)
    form = ReportForm(request.POST if request.method == "POST" else None, page=page)
    if request.method == "POST" and form.is_valid():
        key = _submission_key(form, request)
        already = _filed_as(key)
        if already is not None:  # the same form sent again: the first one's thank-you page, nothing stored
            return redirect("editorial:report_thanks", token=tokens.status_token(already))
        wait = abuse.rate_limited(request, form.page)
        if wait:
            context = {"wait_minutes": max(1, math.ceil(wait / 60)), "page": form.page}
            response = TemplateResponse(request, "editorial/report_limited.html", context, status=429)
            response["Retry-After"] = str(wait)
            return response
        if form.page is not page:
            history_id = pages.latest_history_id(form.page)
        try:
            correction = _file(form, history_id, request, key)
        except IntegrityError:
            # The same form sent twice at once: the other request filed it first.
            correction = _filed_as(key)
            if correction is None:
                raise
        return redirect("editorial:report_thanks", token=tokens.status_token(correction))
    context = {"form": form, "page": page, "stale_link": bool(reference) and page is None}
    return TemplateResponse(request, "editorial/report_form.html", context)


def _submission_key(form, request):
    """What makes two POSTs one report: the served form (its time-trap token), the page, the fields, the sender."""
    data = form.cleaned_data
    page = form.page
    fields = ("kind", "passage", "proposed_fix", "evidence_urls", "reporter_name", "reporter_email", "website")
    return abuse.submission_key(
        data.get("started", ""),
        f"{page._meta.label_lower}:{page.pk}",
        *(data.get(name, "") for name in fields),
        abuse.address_hash(abuse.client_ip(request)),
    )


def _filed_as(key):
    return Correction.objects.filter(submission_key=key).first() if key else None


def _file(form, history_id, request, key=""):
    """Store the report from a valid form: in the queue, or in quarantine if it trips a spam signal."""
    correction = form.save(commit=False)
    correction.submission_key = key or None
    correction.page = form.page
    correction.page_history_id = history_id
    correction.page_title = str(form.page)[:300]
    correction.page_url = form.page.get_absolute_url()
    correction.channel = CorrectionChannel.WEB
    correction.email_hash = abuse.email_hash(correction.reporter_email)
    correction.address_hash = abuse.address_hash(abuse.client_ip(request))
    workflow.file_report(correction, quarantine_reason=form.quarantine_reason())
    return correction


@require_safe
@private_page
@status_link_required
def report_thanks(request, correction, token):
    """The confirmation: the reference, the private status link, and what happens next (also for quarantine)."""
    context = {"correction": correction, "status_url": request.build_absolute_uri(tokens.status_url(correction))}
    return TemplateResponse(request, "editorial/report_thanks.html", context)


@require_safe
@private_page
@status_link_required
def status_detail(request, correction, token):
    """Where the report stands, the desk's messages to the reader, and what the reader may do now."""
    return TemplateResponse(request, "editorial/status_detail.html", _status_context(correction, token))


def _status_context(correction, token, **forms):
    conversation = correction.messages.filter(
        visibility__in=[MessageVisibility.TO_READER, MessageVisibility.FROM_READER]
    ).order_by("at", "pk")
    state = correction.state_enum
    return {
        "correction": correction,
        "token": token,
        "state_label": state.reader_label,
        "conversation": conversation,
        "page": _public_page(correction),
        "can_answer": state == CorrectionState.NEEDS_INFO,
        "can_withdraw": _may_withdraw(correction),
        "answer_form": forms.get("answer_form") or AnswerForm(),
        "S": CorrectionState,
    }


def _public_page(correction):
    """The report's page if readers may still see it (a withdrawn page is not linked)."""
    page = correction.page if correction.content_type_id else None
    return page if page is not None and getattr(page, "is_published", False) else None


def _may_withdraw(correction):
    return (correction.state, CorrectionState.WITHDRAWN) in workflow.TRANSITIONS


@require_POST
@sensitive_post_parameters("answer")
@private_page
@status_link_required
def status_answer(request, correction, token):
    """The reader answers the desk's question; the report goes back to its editor."""
    form = AnswerForm(request.POST)
    if correction.state != CorrectionState.NEEDS_INFO:
        messages.info(request, "The desk is no longer waiting for an answer, so nothing was sent.")
        return redirect("editorial:status_detail", token=token)
    if not form.is_valid():
        context = _status_context(correction, token, answer_form=form)
        return TemplateResponse(request, "editorial/status_detail.html", context, status=400)
    try:
        workflow.apply_transition(
            correction,
            CorrectionState.TRIAGE,
            workflow.READER,
            "The reader answered.",
            message=form.cleaned_data["answer"],
        )
    except workflow.TransitionNotAllowed:
        # The desk moved on between the page load and the answer; say so rather than lose it silently.
        CorrectionMessage.objects.create(
            correction=correction, visibility=MessageVisibility.FROM_READER, body=form.cleaned_data["answer"]
        )
    messages.success(request, "Thank you: your answer has been sent to the editor.")
    return redirect("editorial:status_detail", token=token)


@require_http_methods(["GET", "POST"])
@private_page
@status_link_required
def status_withdraw(request, correction, token):
    """Ask once, then withdraw the report."""
    if not _may_withdraw(correction):
        messages.info(request, "This report is already closed, so it cannot be withdrawn.")
        return redirect("editorial:status_detail", token=token)
    form = WithdrawForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            workflow.apply_transition(
                correction, CorrectionState.WITHDRAWN, workflow.READER, "Withdrawn by the reader."
            )
        except workflow.TransitionNotAllowed:
            messages.info(request, "This report was closed in the meantime, so it cannot be withdrawn.")
        else:
            messages.success(request, "Your report has been withdrawn. Thank you for telling us.")
        return redirect("editorial:status_detail", token=token)
    status = 400 if form.is_bound else 200
    context = {"correction": correction, "token": token, "form": form}
    return TemplateResponse(request, "editorial/status_withdraw.html", context, status=status)
