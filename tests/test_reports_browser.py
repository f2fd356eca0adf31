"""The corrections flow once in Chromium: a reader without JavaScript reports, an editor asks, the reader answers."""

import re

import pytest
from django.core.cache import cache
from django.test import Client

from casebase.editorial import abuse
from casebase.editorial.models import Correction, CorrectionState
from tests.factories import CaseFactory, EditorFactory, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def quick_readers(monkeypatch, settings):
    """A test fills the form in well under the time trap's few seconds; a person does not."""
    monkeypatch.setattr(abuse, "MIN_FILL_SECONDS", 0)
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    cache.clear()


def test_report_answer_and_withdraw_without_javascript(page_without_js, live_server):
    from playwright.sync_api import expect

    page = page_without_js
    case = CaseFactory(slug="ftc-v-everalbum", title="FTC v. Everalbum")

    # The reader finds the link at the foot of the page.
    page.goto(case.get_absolute_url())
    page.get_by_role("link", name="Spotted an error? Tell the editors").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Report a problem with a page")

    # Sending nothing: GOV.UK's error summary, each problem a link to its field.
    page.get_by_role("button", name="Send report").click()
    expect(page).to_have_title(re.compile(r"^Error: "))
    summary = page.get_by_role("alert")
    expect(summary).to_contain_text("There is a problem")
    expect(summary.get_by_role("link", name="Tell us what is wrong or missing")).to_have_attribute(
        "href", "#id_passage"
    )
    expect(page.get_by_role("textbox", name="Leave this field empty")).to_be_hidden()  # the honeypot

    page.get_by_role("radio", name="Out of date").check()
    page.get_by_label("What is wrong or missing?").fill("The page says the order is still under appeal.")
    page.get_by_label("Your email address (optional)").fill("ada@example.net")
    page.get_by_role("checkbox", name="The desk may email me about this report").check()
    page.get_by_role("button", name="Send report").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Report received")
    report = Correction.objects.get()
    assert report.state == CorrectionState.NEW
    expect(page.get_by_role("status")).to_contain_text(report.reference)

    # The private status link.
    page.locator(".status-link a").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(report.reference)
    expect(page.locator("main")).to_contain_text("Received: waiting for an editor")
    status_url = page.url

    # An editor claims it on the desk and asks a question (signed in through the test client's session).
    editor = EditorFactory()
    staff = sign_in(Client(), editor, second_factor=False)
    desk = page.context.browser.new_context(base_url=live_server.url, java_script_enabled=False)
    desk.add_cookies([{"name": "sessionid", "value": staff.cookies["sessionid"].value, "url": live_server.url}])
    desk_page = desk.new_page()
    try:
        desk_page.goto(f"/desk/reports/{report.number}/")
        desk_page.get_by_role("button", name=re.compile("^Claim")).first.click()
        desk_page.get_by_label("Question to the reader").fill("Which court's docket shows the appeal?")
        desk_page.get_by_role("button", name="Ask the reader").click()
    finally:
        desk.close()
    report.refresh_from_db()
    assert report.state == CorrectionState.NEEDS_INFO

    # The reader answers on the status page; then withdraws.
    page.goto(status_url)
    expect(page.locator("main")).to_contain_text("Which court's docket shows the appeal?")
    page.get_by_label("Your answer").fill("The Ninth Circuit's.")
    page.get_by_role("button", name="Send answer").click()
    expect(page.get_by_role("status").first).to_contain_text("your answer has been sent to the editor")
    report.refresh_from_db()
    assert report.state == CorrectionState.TRIAGE

    page.get_by_role("link", name="Withdraw this report").click()
    page.get_by_role("checkbox", name="Yes, withdraw my report").check()
    page.get_by_role("button", name="Withdraw report").click()
    expect(page.locator("main")).to_contain_text("Withdrawn by you")
    report.refresh_from_db()
    assert report.state == CorrectionState.WITHDRAWN


def test_report_and_status_pages_pass_axe(audit_page):
    """The form (fresh and with errors), the thank-you page and the status page: no WCAG A/AA violation."""
    from tests.test_accessibility import AXE_OPTIONS, axe_script, describe

    script = axe_script()
    page = audit_page
    case = CaseFactory(slug="ftc-v-everalbum", title="FTC v. Everalbum")
    page.goto(case.get_absolute_url())
    page.get_by_role("link", name="Spotted an error? Tell the editors").click()

    def audit(label):
        page.add_script_tag(path=str(script))
        violations = page.evaluate("options => axe.run(document, options)", AXE_OPTIONS)["violations"]
        assert not violations, f"axe-core on the {label}:\n{describe(violations)}"

    audit("report form")
    page.get_by_role("button", name="Send report").click()
    audit("report form with errors")
    page.get_by_role("radio", name="Factual error").check()
    page.get_by_label("What is wrong or missing?").fill("The year is wrong.")
    page.get_by_role("button", name="Send report").click()
    audit("thank-you page")
    page.locator(".status-link a").click()
    audit("status page")
    page.get_by_role("link", name="Withdraw this report").click()
    audit("withdraw page")
