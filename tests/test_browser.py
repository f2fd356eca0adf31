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
    source = sources.get_by_role("link", name=re.compile("OkCupid and Match Group Americas")).first
    expect(source).to_be_visible()
    expect(sources).to_contain_text("McDermott Will & Schulte")
    # Clarifai's own deletion, on its linked record, is what happened to the photos and models.
    reach = page.get_by_role("region", name="What happened to the data and models")
    expect(reach).to_contain_text("Voluntary (not ordered)")
    expect(reach.get_by_role("link", name=re.compile("^Clarifai's")).first).to_have_attribute(
        "href", "/cases/clarifai-okcupid-voluntary-deletion/"
    )


def results_of(page):
    """The results region of the case list, named by its heading ("9 cases with remedy: …")."""
    return page.get_by_role("region", name=re.compile(r"^\d+ cases?\b"))


def results_heading(page):
    """The heading that names the results: it comes before the filter form, so a phone shows it first."""
    return page.get_by_role("heading", level=2, name=re.compile(r"^\d+ cases?\b"))


def test_reader_filters_cases_by_remedy_type_without_javascript(page_without_js):
    """The case list's GET form filters by remedy type as plain HTML, and the filter can be removed."""
    from playwright.sync_api import expect

    from casebase.knowledge.models import Case, RemedyType

    page = page_without_js
    call_command("seed", stdout=StringIO())
    total = Case.objects.published().count()
    # A remedy counts when it binds the company: ordered, or agreed in a settlement.
    deletion = RemedyType.objects.filter(slug="model-deletion")
    with_remedy = set(Case.objects.published().with_remedy(deletion).values_list("title", flat=True))
    count = len(with_remedy)

    page.goto("/cases/")
    expect(results_heading(page)).to_contain_text(f"{total} cases")
    page.locator("summary", has_text=re.compile(r"^Remedy\b")).click()
    # The label carries the count the option would give, heard once: "Model or algorithm deletion (9 cases)".
    page.get_by_role("checkbox", name=f"{MODEL_DELETION} ({count} cases)", exact=True).check()
    page.get_by_role("button", name="Apply filters").click()

    expect(page).to_have_url(re.compile(r"/cases/\?(.*&)?remedy=model-deletion(&|$)"))
    summary = f"{count} cases with remedy: {MODEL_DELETION.lower()}"
    expect(page).to_have_title(re.compile("^" + re.escape(summary)))
    results = results_of(page)
    expect(results_heading(page)).to_contain_text(summary)
    rows = results.get_by_role("listitem").filter(has=page.get_by_role("heading", level=3))
    expect(rows).to_have_count(count)
    for row in rows.all():
        expect(row.get_by_role("list", name="Remedies")).to_contain_text(MODEL_DELETION)
    shown = {title.strip() for title in rows.get_by_role("heading", level=3).all_inner_texts()}
    assert shown == with_remedy

    page.get_by_role("link", name=re.compile(rf"^Remove filter: .*{MODEL_DELETION}")).click()
    expect(page).not_to_have_url(re.compile(r"remedy="))
    expect(results_heading(page)).to_contain_text(f"{total} cases")


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


PHONE = {"width": 390, "height": 844}
LAPTOP = {"width": 1366, "height": 768}
FILTERED = "/cases/?remedy=model-deletion&authority=ftc"


def first_result_title(page):
    return results_of(page).get_by_role("heading", level=3).first


def assert_in_first_screen(page, locator, what):
    box = locator.bounding_box()
    height = page.viewport_size["height"]
    assert box is not None and box["y"] >= 0 and box["y"] + box["height"] <= height, (
        f"{what} is at {box} in a window {height}px high"
    )


def phone_shows_the_results_first(page):
    """At 390px: the count and the active filters, then one "Filter cases (2 active)" control, then the results."""
    from playwright.sync_api import expect

    page.set_viewport_size(PHONE)
    page.goto(FILTERED)
    heading, toggle = results_heading(page), page.locator("summary.finder__toggle")
    chips = page.get_by_role("list", name="Active filters")
    expect(toggle).to_have_text("Filter cases (2 active)")
    expect(page.get_by_role("button", name="Apply filters")).to_be_hidden()  # folded away
    first = first_result_title(page)
    order = [
        heading.bounding_box()["y"],
        chips.bounding_box()["y"],
        toggle.bounding_box()["y"],
        first.bounding_box()["y"],
    ]
    assert order == sorted(order), order
    assert_in_first_screen(page, first, "the first result")

    toggle.click()
    apply = page.get_by_role("button", name="Apply filters")
    expect(apply).to_be_in_viewport()  # without scrolling past every group
    page.locator("summary.facet__summary", has_text="Legal basis").scroll_into_view_if_needed()
    expect(apply).to_be_in_viewport()  # it stays in reach further down the form


def laptop_shows_form_and_results_side_by_side(page):
    """At 1366px the form is open beside the results, with no toggle, and the first result is on screen."""
    from playwright.sync_api import expect

    page.set_viewport_size(LAPTOP)
    page.goto(FILTERED)
    expect(page.locator("summary.finder__toggle")).to_be_hidden()
    expect(page.get_by_role("searchbox", name="Search within cases")).to_be_visible()
    expect(page.get_by_role("button", name="Apply filters")).to_be_visible()
    form = page.get_by_role("form", name="Filter cases").bounding_box()
    assert form["x"] + form["width"] <= results_heading(page).bounding_box()["x"], "the form is not beside the results"
    assert_in_first_screen(page, first_result_title(page), "the first result")


def tables_stack_on_a_phone(page, path):
    """At 390px no cell of a list table lies beyond the right edge: rows stack instead of scrolling sideways."""
    page.set_viewport_size(PHONE)
    page.goto(path)
    outside = page.evaluate(
        """() => [...document.querySelectorAll('table.data-table--stack th, table.data-table--stack td')]
            .filter(cell => cell.getBoundingClientRect().right > window.innerWidth + 0.5)
            .slice(0, 5).map(cell => cell.textContent.trim().slice(0, 40))"""
    )
    assert page.locator("table.data-table--stack").count() == 1
    assert not outside, f"cells off-screen on {path}: {outside}"


def fact_labels_fit_their_content(page):
    """At 390px the key facts' label column is as wide as its longest label, not a fixed share of the screen."""
    page.set_viewport_size(PHONE)
    page.goto("/cases/ftc-everalbum/")
    widths = page.evaluate(
        """() => {
            const list = document.querySelector('.summary-list');
            const labels = [...list.querySelectorAll('dt')];
            const widest = Math.max(...labels.map(dt => {
                const range = document.createRange(); range.selectNodeContents(dt);
                return range.getBoundingClientRect().width;
            }));
            const value = list.querySelector('dd').getBoundingClientRect().left;
            return {column: labels[0].getBoundingClientRect().width, widest, value};
        }"""
    )
    assert widths["column"] <= widths["widest"] + 1, widths
    assert widths["value"] <= widths["column"] + 48, widths  # the values start right after it


def test_case_list_and_tables_on_a_phone_and_a_laptop(page, subtests):
    """The reader's core question answered on a phone at 390px and a laptop at 1366px."""
    call_command("seed", stdout=StringIO())
    with subtests.test(msg="phone: results first"):
        phone_shows_the_results_first(page)
    with subtests.test(msg="laptop: form beside results"):
        laptop_shows_form_and_results_side_by_side(page)
    for path in ("/companies/", "/datasets/", "/exposure/face-recognition-consumer-photos/"):
        with subtests.test(msg="phone: tables stack", path=path):
            tables_stack_on_a_phone(page, path)
    with subtests.test(msg="phone: fact labels fit"):
        fact_labels_fit_their_content(page)
