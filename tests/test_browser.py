"""What a reader sees in a real browser, on the seed data."""

import re
from io import StringIO

import pytest
from django.core.management import call_command

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CASE_TITLE = "FTC v. Humor Rainbow, Inc. (OkCupid) and Match Group Americas, LLC"
KURBO_TITLE = "United States v. Kurbo, Inc. and WW International, Inc."
MODEL_DELETION = "Model or algorithm deletion"


def test_reader_goes_from_the_home_page_to_a_case(page):
    from playwright.sync_api import expect

    call_command("seed", stdout=StringIO())

    page.goto("/")
    cases = page.get_by_role("region", name="Latest cases")
    expect(cases).to_contain_text("OkCupid")

    cases.get_by_role("link", name=CASE_TITLE).click()

    expect(page).to_have_url(re.compile(r"/cases/ftc-v-humor-rainbow-okcupid/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(CASE_TITLE)
    parties = page.get_by_role("region", name="Parties")
    expect(parties).to_contain_text("Match Group Americas")
    expect(parties).to_contain_text("Clarifai")
    sources = page.get_by_role("region", name="Sources")
    source = sources.get_by_role("link", name=re.compile("FTC order against OkCupid and Match Group Americas"))
    expect(source).to_be_visible()
    expect(sources).to_contain_text("McDermott Will & Schulte")


def results_of(page):
    """The results region of the case list, named by its heading ("9 cases with remedy: … — page 1 of 1")."""
    return page.get_by_role("region", name=re.compile(r"^\d+ cases?\b"))


def test_reader_filters_cases_by_remedy_type_without_javascript(page_without_js):
    """The case list's GET form filters by remedy type as plain HTML, and the filter can be removed."""
    from playwright.sync_api import expect

    from casebase.knowledge.models import Case

    page = page_without_js
    call_command("seed", stdout=StringIO())
    total = Case.objects.published().count()
    with_remedy = set(
        Case.objects.published()
        .filter(remedies__remedy_type__slug="model-deletion")
        .distinct()
        .values_list("title", flat=True)
    )
    count = len(with_remedy)

    page.goto("/cases/")
    expect(results_of(page).get_by_role("heading", level=2)).to_contain_text(f"{total} cases")
    page.locator("summary", has_text=re.compile(r"^Remedy\b")).click()
    # The label carries the count the option would give: "Model or algorithm deletion (9 cases)".
    page.get_by_role("checkbox", name=re.compile(rf"^{MODEL_DELETION} \({count} cases\s*\)$")).check()
    page.get_by_role("button", name="Apply filters").click()

    expect(page).to_have_url(re.compile(r"/cases/\?(.*&)?remedy=model-deletion(&|$)"))
    summary = f"{count} cases with remedy: {MODEL_DELETION.lower()}"
    expect(page).to_have_title(re.compile("^" + re.escape(summary)))
    results = results_of(page)
    expect(results.get_by_role("heading", level=2)).to_contain_text(summary)
    rows = results.get_by_role("listitem").filter(has=page.get_by_role("heading", level=3))
    expect(rows).to_have_count(count)
    for row in rows.all():
        expect(row.get_by_role("list", name="Remedies")).to_contain_text(MODEL_DELETION)
    shown = {title.strip() for title in rows.get_by_role("heading", level=3).all_inner_texts()}
    assert shown == with_remedy

    page.get_by_role("link", name=re.compile(rf"^Remove filter: .*{MODEL_DELETION}")).click()
    expect(page).not_to_have_url(re.compile(r"remedy="))
    expect(results_of(page).get_by_role("heading", level=2)).to_contain_text(f"{total} cases")


def test_reader_opens_a_case_from_the_list(page):
    """Each result on the case list links to its case page."""
    from playwright.sync_api import expect

    call_command("seed", stdout=StringIO())
    page.goto("/cases/")
    first = results_of(page).get_by_role("heading", level=3).first.get_by_role("link")
    title = first.inner_text().strip()
    href = first.get_attribute("href")
    first.click()

    expect(page).to_have_url(re.compile(re.escape(href) + "$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(title)


def test_reader_searches_and_opens_a_result(page):
    """Searching for "Weight Watchers" finds the Kurbo case, and the result opens it."""
    from playwright.sync_api import expect

    call_command("seed", stdout=StringIO())
    page.goto("/search/")
    search = page.get_by_role("main").get_by_role("search")
    search.get_by_role("searchbox", name=re.compile(r"^Search")).fill("Weight Watchers")
    search.get_by_role("button", name="Search").click()

    expect(page).to_have_url(re.compile(r"/search/\?q=Weight(\+|%20)Watchers$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Weight Watchers")
    result = page.get_by_role("main").get_by_role("link", name=KURBO_TITLE)
    expect(result).to_have_attribute("href", "/cases/us-v-kurbo-ww/")
    result.click()

    expect(page).to_have_url(re.compile(r"/cases/us-v-kurbo-ww/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(KURBO_TITLE)
