"""The reader's forms: a report about a page, an answer to the desk's question, a withdrawal."""

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator

from . import abuse
from .models import Correction, CorrectionKind
from .page_links import page_for_url

MAX_TEXT = 2000
MAX_EVIDENCE_LINKS = 3
MAX_URL = 500


class ProblemsMixin:
    """Validation is the server's (GOV.UK pattern): no browser `required`, one summary of every problem."""

    use_required_attribute = False

    def problems(self):
        """(field id, message) for the error summary, in the order the fields appear."""
        found = []
        for name in self.fields:
            for message in self.errors.get(name, []):
                found.append((self[name].auto_id, message))
        for message in self.non_field_errors():
            found.append(("", message))
        return found


class ReportForm(ProblemsMixin, forms.ModelForm):
    """A reader's report about one page; the page itself comes from the signed link, or from `page_address`."""

    page_address = forms.CharField(
        label="The address of the page",
        max_length=MAX_URL,
        required=False,
        help_text="Copy it from your browser's address bar, for example https://casebase.example.org/cases/ftc-everalbum/.",
    )
    evidence_urls = forms.CharField(
        label="Links to evidence (optional)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "spellcheck": "false"}),
        help_text="Up to three links to the order, a press release or a news report, one per line.",
    )
    # Robots fill in every field they find; people never see this one (see abuse.py).
    website = forms.CharField(label="Leave this field empty", required=False, max_length=200)
    started = forms.CharField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Correction
        fields = [
            "kind",
            "passage",
            "proposed_fix",
            "evidence_urls",
            "reporter_name",
            "reporter_email",
            "consent_to_contact",
        ]
        labels = {
            "kind": "What kind of problem is it?",
            "passage": "What is wrong or missing?",
            "proposed_fix": "What should the page say? (optional)",
            "reporter_name": "Your name (optional)",
            "reporter_email": "Your email address (optional)",
        }
        help_texts = {
            "passage": "Quote or describe the part of the page you mean. Do not include personal information "
            "about yourself or anyone else.",
            "proposed_fix": "If you know, tell us what is right, and where you found it.",
            "reporter_name": "We never publish it.",
            "reporter_email": "We use it only to tell you what happens to this report and, if we need to, "
            "to ask you about it. We never publish it, and we delete it once the report is closed.",
        }
        widgets = {
            "kind": forms.RadioSelect,
            "passage": forms.Textarea(attrs={"rows": 5}),
            "proposed_fix": forms.Textarea(attrs={"rows": 4}),
            "reporter_email": forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
            "reporter_name": forms.TextInput(attrs={"autocomplete": "name"}),
        }
        error_messages = {
            "kind": {"required": "Select the kind of problem"},
            "passage": {"required": "Tell us what is wrong or missing"},
            "reporter_email": {"invalid": "Enter an email address in the correct format, like name@example.com"},
        }

    consent_to_contact = forms.BooleanField(
        label="The desk may email me about this report",
        required=False,
        help_text="Needed if you give your email address.",
    )

    field_order = [
        "page_address",
        "kind",
        "passage",
        "proposed_fix",
        "evidence_urls",
        "reporter_name",
        "reporter_email",
        "consent_to_contact",
        "website",
        "started",
    ]

    def __init__(self, *args, page=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.page = page
        if page is not None:
            del self.fields["page_address"]
        self.fields["kind"].choices = CorrectionKind.choices  # no blank choice among the radios
        self.fields["passage"].required = True
        # No `maxlength` on the boxes: the browser would cut pasted text silently; the server says so instead.
        for name in ("passage", "proposed_fix"):
            self.fields[name].validators.append(_max_length(MAX_TEXT))
        self.fields["website"].widget.attrs.update({"tabindex": "-1", "autocomplete": "off"})
        if not self.is_bound:
            self.initial.setdefault("started", abuse.time_trap_token())

    def clean_page_address(self):
        address = self.cleaned_data["page_address"].strip()
        if not address:
            raise ValidationError("Enter the address of the page the problem is on")
        page = page_for_url(address)
        if page is None:
            raise ValidationError(
                "Enter the address of a case, company, remedy, dataset, exposure list or authority page on casebase"
            )
        self.page = page
        return address

    def clean_evidence_urls(self):
        lines = [line.strip() for line in self.cleaned_data["evidence_urls"].splitlines() if line.strip()]
        if len(lines) > MAX_EVIDENCE_LINKS:
            raise ValidationError(f"Give at most {MAX_EVIDENCE_LINKS} links, one per line")
        check = URLValidator(schemes=["http", "https"])
        for line in lines:
            try:
                if len(line) > MAX_URL:
                    raise ValidationError("too long")
                check(line)
            except ValidationError:
                raise ValidationError("Enter each link on its own line, starting with https:// or http://") from None
        return "\n".join(lines)

    def clean(self):
        cleaned = super().clean()
        email, consent = cleaned.get("reporter_email"), cleaned.get("consent_to_contact")
        if email and not consent:
            self.add_error(
                "consent_to_contact", "Tick the box so we may email you about this report, or leave your email out"
            )
        if consent and not email and "reporter_email" not in self.errors:
            self.add_error("reporter_email", "Enter your email address, or untick the box below")
        return cleaned

    def quarantine_reason(self):
        """The spam signal this valid report trips, or '' (honeypot, time trap, too many links)."""
        data = self.cleaned_data
        if data.get("website"):
            return abuse.Quarantine.HONEYPOT
        reason = abuse.time_trap_reason(data.get("started"))
        if reason:
            return reason
        texts = (data.get("passage"), data.get("proposed_fix"), data.get("reporter_name"), data.get("evidence_urls"))
        if len(abuse.find_links(*texts)) > abuse.MAX_LINKS:
            return abuse.Quarantine.TOO_MANY_LINKS
        return ""


def _max_length(limit):
    def validate(value):
        if len(value) > limit:
            raise ValidationError(f"Keep this to {limit} characters or fewer (it has {len(value)})")

    return validate


class AnswerForm(ProblemsMixin, forms.Form):
    """The reader's answer to the desk's question, from the status page."""

    answer = forms.CharField(
        label="Your answer",
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="Do not include personal information you do not need to share.",
        error_messages={
            "required": "Write your answer",
            "max_length": f"Keep your answer to {MAX_TEXT} characters or fewer",
        },
    )


class WithdrawForm(ProblemsMixin, forms.Form):
    """Withdrawing a report: one confirmation, nothing to type."""

    confirm = forms.BooleanField(
        label="Yes, withdraw my report",
        error_messages={"required": "Tick the box to confirm that you want to withdraw your report"},
    )
