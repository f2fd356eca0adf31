"""The worked example of the corrections workflow, on the OkCupid case (run after `manage.py seed`).

A reader who read the news item casebase started from reports that Clarifai was ordered to delete its
models; the desk checks the sources, finds the page right and the news wrong, and publishes a
clarification. Every step goes through the real workflow, so the desk, the page, the corrections log
and the page's change log all show it. Safe to repeat: a second run changes nothing.
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand
from django.db import transaction

from casebase.editorial import pages
from casebase.editorial.actions import publish_correction
from casebase.editorial.models import Correction, CorrectionKind, CorrectionMessage, MessageVisibility
from casebase.editorial.workflow import apply_transition, file_report
from casebase.knowledge.models import Case

CASE_SLUG = "ftc-v-humor-rainbow-okcupid"
DEMO_EDITOR = "desk-demo"
DEMO_READER = "A reader (worked example)"

PASSAGE = (
    "The news story I read on 21 April 2026 says Clarifai was ordered that day to delete 3 million OkCupid "
    "user photos and destroy the facial-recognition models trained on them, settling an FTC case. Your page "
    "says the order does not reach Clarifai."
)
PROPOSED_FIX = "Say that the FTC ordered Clarifai to delete the models, the first US order of its kind."
NOTE = (
    "Checked against the sources cited on the page. The stipulated order of 30 March 2026 binds Humor Rainbow "
    "(OkCupid) and Match Group Americas only; Clarifai was not a party and was not accused. Clarifai certified "
    "the photo deletion to the FTC on 7 April 2026 and told Rep. Trahan on 16 April 2026 that the models were "
    "deleted too. 21 April is the date of the news reports, not of an order. The page is right; readers "
    "arriving from those reports need it said plainly."
)
NOTICE = (
    "Some news reports of 21 April 2026 said the FTC had ordered Clarifai to delete about 3 million OkCupid "
    "photos and the facial-recognition models trained on them. That is not what the sources show. The FTC's "
    "stipulated order of 30 March 2026 binds OkCupid's operator, Humor Rainbow, and Match Group Americas; "
    "Clarifai was not a party. Clarifai certified to the FTC on 7 April 2026 that it had deleted the photos, "
    "and told a member of Congress on 16 April 2026 that it had also deleted the models trained on them: "
    "both deletions were its own, not ordered."
)
RESOLUTION = (
    "Thank you. On checking the sources, the page was right on this point: Clarifai was not ordered to delete "
    "anything, and its deletions were its own. Because the news reports you read say otherwise, we have added "
    "a clarification to the page so that other readers are not misled."
)


class Command(BaseCommand):
    help = "Add the worked example of a reader's correction, triaged and published as a clarification."

    def handle(self, *args, **options):
        case = Case.objects.published().filter(slug=CASE_SLUG).first()
        if case is None:
            self.stdout.write(f"No published case {CASE_SLUG!r}: run `manage.py seed` first.")
            return
        if Correction.objects.for_page(case).filter(reporter_name=DEMO_READER).exists():
            self.stdout.write("The worked example is already there; nothing changed.")
            return
        with transaction.atomic():
            editor = demo_editor()
            report = run_example(case, editor)
            # Its work done, the account is switched off: it signs the example's log, never anything new.
            get_user_model().objects.filter(pk=editor.pk).update(is_active=False)
        self.stdout.write(self.style.SUCCESS(f"Added the worked example {report.reference} on “{case}”."))


def demo_editor():
    """An editor who may publish but cannot sign in: the example's steps are signed by this account."""
    user, created = get_user_model().objects.get_or_create(
        username=DEMO_EDITOR, defaults={"first_name": "Demo", "last_name": "Editor", "is_staff": False}
    )
    user.is_active = True
    if created:
        user.set_unusable_password()
    user.save()
    user.groups.add(*Group.objects.filter(name__in=["Editors", "Publishers"]))
    return get_user_model().objects.get(pk=user.pk)  # fresh, so permission caches see the groups


def run_example(case, editor):
    """Walk the report through the workflow: filed, claimed, noted, accepted, published as a clarification."""
    report = Correction(
        page=case,
        page_history_id=pages.latest_history_id(case),
        page_title=str(case),
        page_url=case.get_absolute_url(),
        kind=CorrectionKind.FACTUAL_ERROR,
        passage=PASSAGE,
        proposed_fix=PROPOSED_FIX,
        reporter_name=DEMO_READER,
    )
    file_report(report)
    apply_transition(report, "triage", editor)
    CorrectionMessage.objects.create(correction=report, visibility=MessageVisibility.INTERNAL, body=NOTE, author=editor)
    apply_transition(report, "accepted", editor, "The page is right; a clarification will help readers of the news.")
    publish_correction(report, editor, notice_kind="clarification", notice_text=NOTICE, resolution=RESOLUTION)
    report.refresh_from_db()
    return report
