"""Forms of the editors' desk: queue filters, transitions, assignment, notes, publishing, verification."""

import re

from django import forms
from django.forms import modelform_factory

from .models import (
    CannedReply,
    Correction,
    CorrectionChannel,
    CorrectionKind,
    CorrectionPriority,
    CorrectionState,
    NoticeKind,
    VerificationOutcome,
)
from .pages import PAGE_KINDS
from .workflow import editors

ANY = [("", "Any")]


class QueueFilterForm(forms.Form):
    """The desk's GET filters; an unknown value is ignored rather than an error."""

    SORTS = [("oldest", "Oldest first"), ("newest", "Newest first"), ("priority", "Priority")]

    kind = forms.ChoiceField(choices=ANY + CorrectionKind.choices, required=False, label="Kind of problem")
    priority = forms.ChoiceField(choices=ANY + CorrectionPriority.choices, required=False)
    channel = forms.ChoiceField(choices=ANY + CorrectionChannel.choices, required=False, label="Arrived by")
    page_kind = forms.ChoiceField(
        choices=ANY + [(kind.slug, kind.label) for kind in PAGE_KINDS], required=False, label="Kind of page"
    )
    sort = forms.ChoiceField(choices=SORTS, required=False)

    def filters(self):
        """The valid filters as a dict (invalid ones dropped)."""
        self.is_valid()
        return {name: value for name, value in getattr(self, "cleaned_data", {}).items() if value}


REFERENCE = re.compile(r"^\s*(?:CR-?)?0*(\d{1,9})\s*$", re.IGNORECASE)


class TransitionForm(forms.Form):
    """One workflow step with what it may need: a note, a message to the reader, a reason, the original report."""

    to_state = forms.ChoiceField(choices=CorrectionState.choices, widget=forms.HiddenInput)
    note = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        label="Note for the log",
        help_text="Editors only: why you are doing this.",
        max_length=4000,
    )
    message = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        label="Question to the reader",
        help_text="The reader sees this on their status page and gets an email saying there is a question.",
        max_length=4000,
    )
    canned_reply = forms.ModelChoiceField(
        queryset=CannedReply.objects.all(),
        required=False,
        label="Or start from a canned reply",
        help_text="Used when the box above is left empty.",
    )
    resolution = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        label="What the reader is told",
        max_length=4000,
    )
    duplicate_of = forms.CharField(required=False, label="Reference of the original report", max_length=20)

    def clean_duplicate_of(self):
        value = self.cleaned_data["duplicate_of"]
        if not value:
            return None
        match = REFERENCE.match(value)
        original = Correction.objects.filter(number=int(match.group(1))).first() if match else None
        if original is None:
            raise forms.ValidationError("There is no report with that reference.")
        return original

    def clean(self):
        data = super().clean()
        if not data.get("message") and data.get("canned_reply"):
            data["message"] = data["canned_reply"].body
        if not data.get("resolution") and data.get("canned_reply"):
            data["resolution"] = data["canned_reply"].body
        return data

    def changes(self):
        """The fields apply_transition sets with the state."""
        data = self.cleaned_data
        return {name: data[name] for name in ("resolution", "duplicate_of") if data.get(name)}


class AssignForm(forms.Form):
    assignee = forms.ModelChoiceField(queryset=None, label="Assign to")
    note = forms.CharField(required=False, max_length=1000, label="Note for the log")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = editors()


class PriorityForm(forms.Form):
    priority = forms.ChoiceField(choices=CorrectionPriority.choices)


class InternalNoteForm(forms.Form):
    body = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=8000,
        label="Internal note",
        help_text="Only editors see internal notes; the reader never does.",
    )


NO_NOTICE = ""


class PublishForm(forms.Form):
    """The notice readers will see, and what the reader of the report is told."""

    notice_kind = forms.ChoiceField(
        choices=[*NoticeKind.choices, (NO_NOTICE, "No notice: a typo, fixed and logged only")],
        required=False,
        initial=NoticeKind.CORRECTION,
        label="Notice",
    )
    is_material = forms.BooleanField(
        required=False,
        label="Material error: show the notice at the top of the page",
        help_text="Wrong company, amount, date, outcome or authority.",
    )
    notice_text = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        label="Text of the notice (Markdown)",
        help_text="Say what was wrong and what is right: “An earlier version of this page stated … It is …”.",
        max_length=4000,
    )
    resolution = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        label="What the reader of the report is told",
        max_length=4000,
    )

    def clean(self):
        data = super().clean()
        if data.get("notice_kind") and not (data.get("notice_text") or "").strip():
            self.add_error("notice_text", "Write the notice readers will see, or choose “No notice”.")
        return data


def page_fix_form(model, fields, *args, **kwargs):
    """A form for the text fields of one page that the desk may fix."""
    form_class = modelform_factory(model, fields=fields)
    return form_class(*args, prefix="page", **kwargs)


class VerifyForm(forms.Form):
    outcome = forms.ChoiceField(choices=VerificationOutcome.choices, widget=forms.RadioSelect)
    sources = forms.ModelMultipleChoiceField(
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Sources checked",
        help_text="Tick each source you re-read for this check.",
    )
    note = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 3}), max_length=4000, label="Note")

    def __init__(self, *args, sources, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sources"].queryset = sources
