"""Accessibility of the reader pages in a real browser: axe-core's WCAG 2.2 AA rules, small screens,
the skip link, visible focus and print. axe-core comes from npm (package.json); `make test` installs it."""

import json
import re
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ROOT = Path(__file__).resolve().parent.parent
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
# Each page's full axe result lands here (git-ignored), so a run can be read after it passes too.
RESULTS = ROOT / "test-results" / "axe"
AXE_OPTIONS = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]},
    "resultTypes": ["violations"],
}
CASE_PAGE = "/cases/ftc-v-humor-rainbow-okcupid/"
PHONE = {"width": 390, "height": 844}

# (name, path, expected status): the name also names the JSON file of axe's results.
PAGES = [
    ("home", "/", 200),
    ("case-list", "/cases/", 200),
    ("case-list-filtered", "/cases/?remedy=model-deletion", 200),
    ("case", CASE_PAGE, 200),
    ("company", "/companies/clearview-ai/", 200),
    ("remedy-type", "/remedies/model-deletion/", 200),
    ("dataset", "/datasets/okcupid-user-photos/", 200),
    ("exposure-list", "/exposure/face-recognition-consumer-photos/", 200),
    ("search-results", "/search/?q=clearview", 200),
    ("about", "/about/", 200),
    ("not-found", "/cases/no-such-case/", 404),
    # Beyond the pages above: the other lists and pages a reader reaches, and the error states.
    ("case-list-page-2", "/cases/?page=2", 200),
    ("case-list-bad-filter", "/cases/?year_from=abc", 200),
    ("company-list", "/companies/", 200),
    ("authority-list", "/authorities/", 200),
    ("authority", "/authorities/ftc/", 200),
    ("remedy-type-list", "/remedies/", 200),
    ("dataset-list", "/datasets/", 200),
    ("exposure-list-index", "/exposure/", 200),
    ("methodology", "/methodology/", 200),
    ("search-empty", "/search/", 200),
    ("search-no-results", "/search/?q=zzzxq", 200),
    # The second pass over the reader pages: remedies that do not bind on request, an empty list with its tips,
    # best bets, a record linked for what happened to the data, a lineage with every origin.
    ("case-list-nonbinding", "/cases/?remedy=model-deletion&origin=any", 200),
    ("case-list-empty", "/cases/?q=zzzxq&remedy=model-deletion", 200),
    ("search-best-bets", "/search/?q=model+deletion", 200),
    ("voluntary-record", "/cases/clarifai-okcupid-voluntary-deletion/", 200),
    ("remedy-type-nonbinding", "/remedies/model-deletion/?origin=any", 200),
]
# Pages whose layout changes most on a phone, audited again at 390px: the case list with its filter form folded
# and opened, a case page with stacked key facts, and the stacking tables.
PHONE_AXE_PAGES = [
    ("phone-case-list-filtered", "/cases/?remedy=model-deletion&authority=ftc"),
    ("phone-case", CASE_PAGE),
    ("phone-companies", "/companies/"),
    ("phone-exposure-list", "/exposure/face-recognition-consumer-photos/"),
]
# Every page above that answers 200, and pages whose values once widened the page on a phone:
# a long file name in a case's text, long web addresses in summary lists.
PHONE_PAGES = [path for _, path, status in PAGES if status == 200] + [
    "/cases/ftc-everalbum/",
    "/companies/getty-images/",
    "/authorities/autoriteit-persoonsgegevens/",
]


def axe_script():
    """The path of axe-core's browser build; a missing install fails the test rather than skipping it."""
    if not AXE.is_file():
        pytest.fail(
            f"axe-core is not installed ({AXE.relative_to(ROOT)} is missing). "
            "Run `npm ci` in the project folder (make test does this when npm is installed; "
            "apt-get install npm).",
            pytrace=False,
        )
    return AXE


def describe(violations):
    """Every violation with its rule, impact, help text and the nodes it found, one block each."""
    lines = []
    for violation in violations:
        lines.append(f"- {violation['id']} ({violation['impact']}): {violation['help']}  <{violation['helpUrl']}>")
        for node in violation["nodes"]:
            lines.append(f"    at {' > '.join(map(str, node['target']))}")
            lines.append(f"       {node['html'][:200]}")
            if node.get("failureSummary"):
                lines.append("       " + node["failureSummary"].replace("\n", "\n       "))
    return "\n".join(lines)


def visit(tab, path, status=200):
    """Open a page and check it answered as expected (a stub's 500 page must not pass by accident)."""
    response = tab.goto(path)
    assert response.status == status, f"{path} answered {response.status}, expected {status}"


def layout_problems(tab):
    """DESIGN §8: every page has the site's skip link and a <main> to skip to."""
    return tab.evaluate(
        """() => {
            const problems = [];
            const skip = document.querySelector('body > a.skip-link[href="#main"]');
            if (!skip) problems.push('no skip link right inside <body>');
            if (!document.querySelector('main#main')) problems.push('no <main id="main">');
            return problems;
        }"""
    )


def table_problems(tab):
    """DESIGN §8: every table has a caption and every header cell a scope."""
    return tab.evaluate(
        """() => {
            const problems = [];
            document.querySelectorAll('table').forEach((table, i) => {
                const caption = table.querySelector(':scope > caption');
                if (!caption || !caption.textContent.trim()) problems.push(`table ${i + 1} has no <caption>`);
                table.querySelectorAll('th:not([scope])').forEach(th =>
                    problems.push(`table ${i + 1}: <th> "${th.textContent.trim()}" has no scope`));
            });
            return problems;
        }"""
    )


# Seeding costs seconds and a live-server test empties the database after itself, so each test
# below seeds once and checks its pages as subtests, each reported on its own.


def test_reader_pages_pass_axe(audit_page, subtests):
    """axe-core finds no WCAG 2.0/2.1/2.2 A or AA violation, and layout and tables follow DESIGN §8."""
    script = axe_script()
    call_command("seed", stdout=StringIO())
    RESULTS.mkdir(parents=True, exist_ok=True)
    summary = []
    phone = [(name, path, 200) for name, path in PHONE_AXE_PAGES]
    for name, path, status in PAGES + phone:
        with subtests.test(msg=name, path=path):
            audit_page.set_viewport_size(PHONE if name.startswith("phone-") else {"width": 1280, "height": 800})
            visit(audit_page, path, status)
            if name == "phone-case-list-filtered":
                audit_page.locator("summary.finder__toggle").click()  # audit the form too, unfolded
            audit_page.add_script_tag(path=str(script))
            results = audit_page.evaluate("options => axe.run(document, options)", AXE_OPTIONS)
            violations = results["violations"]
            (RESULTS / f"{name}.json").write_text(json.dumps(results, indent=2))
            needs_review = [item["id"] for item in results["incomplete"]]
            rules = f" {[violation['id'] for violation in violations]}" if violations else ""
            line = (
                f"{path}: {len(violations)} violation(s){rules}, "
                f"{len(results['passes'])} rules passed, needs review: {needs_review or 'none'}"
            )
            summary.append(line)
            print(f"axe-core {results['testEngine']['version']} on {line}")
            if violations:
                pytest.fail(f"axe-core found {len(violations)} violation(s) on {path}:\n{describe(violations)}")
            problems = layout_problems(audit_page) + table_problems(audit_page)
            if problems:
                pytest.fail(f"on {path}:\n" + "\n".join(problems))
    (RESULTS / "summary.txt").write_text("\n".join(summary) + "\n")


def fits_a_phone_screen(page, path):
    """At 390 CSS pixels wide the page never scrolls sideways (WCAG 1.4.10 Reflow)."""
    page.set_viewport_size(PHONE)
    visit(page, path)
    width = page.evaluate("() => ({scroll: document.documentElement.scrollWidth, inner: window.innerWidth})")
    if width["scroll"] > width["inner"]:
        wide = page.evaluate(
            """() => [...document.querySelectorAll('body *')]
                .filter(el => el.getBoundingClientRect().right > window.innerWidth + 0.5)
                .slice(0, 10)
                .map(el => `${el.tagName.toLowerCase()}${el.className ? '.' + el.className : ''}`
                           + ` (right edge ${Math.round(el.getBoundingClientRect().right)}px)`)"""
        )
        pytest.fail(f"{path} is {width['scroll']}px wide in a {width['inner']}px window; too wide: {wide}")


def first_tab_reaches_the_skip_link(page, path):
    """The first Tab stop is a visible "Skip to main content" link that puts focus on <main>."""
    from playwright.sync_api import expect

    page.set_viewport_size(PHONE)
    visit(page, path)
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to main content")
    expect(skip).to_be_focused()
    expect(skip).to_be_in_viewport()

    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"#main$"))
    expect(page.get_by_role("main")).to_be_focused()


def focus_is_always_visible(page, path, stops):
    """Each of the first Tab stops shows a focus outline of at least 2px (WCAG 2.4.7)."""
    page.set_viewport_size({"width": 1280, "height": 800})
    visit(page, path)
    unmarked = []
    for _ in range(stops):
        page.keyboard.press("Tab")
        focus = page.evaluate(
            """() => {
                const el = document.activeElement;
                const style = getComputedStyle(el);
                return {
                    what: `${el.tagName.toLowerCase()} "${(el.textContent || el.value || '').trim().slice(0, 40)}"`,
                    outlined: style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2
                        && style.outlineColor !== 'rgba(0, 0, 0, 0)',
                };
            }"""
        )
        if not focus["outlined"]:
            unmarked.append(focus["what"])
    assert not unmarked, f"focused without a visible indicator on {path}: {unmarked}"


def prints_without_navigation(page, path):
    """Print hides the header, navigation and footer, and prints each source's address after its text."""
    from playwright.sync_api import expect

    page.set_viewport_size({"width": 1280, "height": 800})
    visit(page, path)
    page.emulate_media(media="print")
    try:
        expect(page.get_by_role("navigation", name="Main")).to_be_hidden()
        expect(page.locator(".site-footer")).to_be_hidden()
        expect(page.get_by_role("heading", level=1)).to_be_visible()
        source = page.get_by_role("region", name="Sources").locator("a[href^='http']").first
        href = source.get_attribute("href")
        printed = source.evaluate("a => getComputedStyle(a, '::after').content")
        assert href in printed, f"the source link prints {printed!r}, not its address {href}"
    finally:
        page.emulate_media(media="screen")


def test_phones_keyboards_and_print(page, subtests):
    """Pages reflow on a phone; the case list and case page start with a skip link, show focus and print cleanly."""
    call_command("seed", stdout=StringIO())
    checks = [("no sideways scroll on a phone", fits_a_phone_screen, path) for path in PHONE_PAGES]
    checks += [
        ("skip link first", first_tab_reaches_the_skip_link, "/"),
        ("skip link first", first_tab_reaches_the_skip_link, "/cases/"),
        ("skip link first", first_tab_reaches_the_skip_link, CASE_PAGE),
        ("focus visible", lambda tab, path: focus_is_always_visible(tab, path, stops=15), CASE_PAGE),
        ("focus visible", lambda tab, path: focus_is_always_visible(tab, path, stops=40), "/cases/"),
        ("print", prints_without_navigation, CASE_PAGE),
    ]
    for what, check, path in checks:
        with subtests.test(msg=what, path=path):
            check(page, path)
