"""The desk and the public editorial pages in Chromium: no WCAG A/AA violation found by axe-core."""

import pytest
from django.test import Client

from casebase.editorial.models import CorrectionState
from tests.factories import (
    CannedReplyFactory,
    CaseFactory,
    CitationFactory,
    CorrectionFactory,
    CorrectionNoticeFactory,
    PublisherFactory,
    sign_in,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def test_desk_and_public_editorial_pages_pass_axe(audit_page, live_server):
    from tests.test_accessibility import AXE_OPTIONS, axe_script, describe

    script = axe_script()
    page = audit_page
    case = CaseFactory(summary="The order was made in 2019.")
    CitationFactory(case=case)
    CorrectionNoticeFactory(page=case, is_material=True, text="An earlier version gave the wrong **year**.")
    CorrectionNoticeFactory(page=case, kind="update", text="The appeal was filed.")
    report = CorrectionFactory(page=case, state=CorrectionState.ACCEPTED, passage="<b>2019</b> is wrong")
    CorrectionFactory(page=case)
    CannedReplyFactory()
    publisher = PublisherFactory()
    staff = sign_in(Client(), publisher)
    page.context.add_cookies([{"name": "sessionid", "value": staff.cookies["sessionid"].value, "url": live_server.url}])

    def audit(url, label, heading):
        page.goto(url)
        assert heading in page.locator("h1").inner_text(), f"the {label} did not open"
        page.add_script_tag(path=str(script))
        violations = page.evaluate("options => axe.run(document, options)", AXE_OPTIONS)["violations"]
        assert not violations, f"axe-core on the {label}:\n{describe(violations)}"

    audit(case.get_absolute_url(), "case page with notices", case.title)
    audit("/corrections/", "corrections log", "Corrections and updates")
    audit(f"/history/cases/{case.slug}/", "page change log", "Changes to")
    audit("/desk/", "desk queues", "Corrections desk")
    audit(f"/desk/reports/{report.number}/", "report on the desk", report.reference)
    audit(f"/desk/reports/{report.number}/publish/", "publish page", "and publish")
    page.get_by_role("button", name="Fix and publish").click()
    page.add_script_tag(path=str(script))
    violations = page.evaluate("options => axe.run(document, options)", AXE_OPTIONS)["violations"]
    assert not violations, f"axe-core on the publish page with errors:\n{describe(violations)}"
    audit("/desk/verify/", "verification queue", "due for re-check")
    audit(f"/desk/verify/cases/{case.slug}/", "verify form", "Verify")
