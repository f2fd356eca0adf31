"""The research pages in Chromium: axe-core's WCAG 2.2 AA rules on statistics (charts and tables), compare and a
versioned permalink; the charts' links work from the keyboard; no page scrolls sideways on a phone."""

import json
from io import StringIO

import pytest
from django.core.management import call_command

from casebase.knowledge.models import Case, Company
from tests.test_accessibility import (
    AXE_OPTIONS,
    PHONE,
    RESULTS,
    axe_script,
    describe,
    layout_problems,
    table_problems,
    visit,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def latest(page):
    return page.history.order_by("-history_id").first().history_id


def research_pages():
    everalbum = Case.objects.get(slug="ftc-everalbum")
    clearview = Company.objects.get(slug="clearview-ai")
    return [
        ("stats", "/stats/"),
        ("stats-tables", "/stats/?view=table"),
        ("compare", "/compare/?case=ftc-everalbum&case=ftc-v-rite-aid&case=ftc-v-humor-rainbow-okcupid"),
        ("compare-problem", "/compare/?case=ftc-everalbum&case=no-such-case"),
        ("case-version", f"/cases/ftc-everalbum/v/{latest(everalbum)}/"),
        ("company-version", f"/companies/clearview-ai/v/{latest(clearview)}/"),
    ]


def test_research_pages_pass_axe(audit_page, subtests):
    script = axe_script()
    call_command("seed", stdout=StringIO())
    RESULTS.mkdir(parents=True, exist_ok=True)
    for name, path in research_pages():
        for size, label in (({"width": 1280, "height": 800}, name), (PHONE, f"phone-{name}")):
            with subtests.test(msg=label, path=path):
                audit_page.set_viewport_size(size)
                visit(audit_page, path)
                audit_page.add_script_tag(path=str(script))
                results = audit_page.evaluate("options => axe.run(document, options)", AXE_OPTIONS)
                (RESULTS / f"research-{label}.json").write_text(json.dumps(results, indent=2))
                if results["violations"]:
                    pytest.fail(f"axe-core on {path}:\n{describe(results['violations'])}")
                problems = layout_problems(audit_page) + table_problems(audit_page)
                # The wide tables scroll inside their own region; the page itself never scrolls sideways.
                if audit_page.evaluate("() => document.documentElement.scrollWidth > window.innerWidth + 1"):
                    problems.append("the page scrolls sideways")
                if problems:
                    pytest.fail(f"on {path} at {size['width']}px:\n" + "\n".join(problems))


def test_chart_bars_are_links_a_keyboard_reaches(page):
    call_command("seed", stdout=StringIO())
    visit(page, "/stats/")
    link = page.locator("#penalties-by-jurisdiction svg a").first
    link.focus()
    assert page.evaluate("() => document.activeElement.getAttribute('href')").startswith(
        "/cases/?remedy=civil-penalty&jurisdiction="
    )
    page.keyboard.press("Enter")
    page.wait_for_url("**/cases/?remedy=civil-penalty&jurisdiction=*")
    assert page.title().split()[0].isdigit()  # "N cases with remedy: civil penalty…", the bar's count
