"""The downloads page and the data dictionary in Chromium: axe-core's WCAG 2.2 AA rules at desktop and phone
widths, tables with captions and scopes, no sideways scrolling; a dump downloads from its link."""

import hashlib
import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from casebase.knowledge import dumps
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

PAGES = [("downloads", "/data/"), ("data-dictionary", "/data/dictionary/")]


@pytest.fixture
def seeded_dump(tmp_path, settings):
    settings.DUMPS_DIR = tmp_path / "dumps"
    call_command("seed", stdout=StringIO())
    return dumps.write_dump()


def test_data_pages_pass_axe(audit_page, subtests, seeded_dump):
    script = axe_script()
    RESULTS.mkdir(parents=True, exist_ok=True)
    for name, path in PAGES:
        for size, label in (({"width": 1280, "height": 800}, name), (PHONE, f"phone-{name}")):
            with subtests.test(msg=label, path=path):
                audit_page.set_viewport_size(size)
                visit(audit_page, path)
                audit_page.add_script_tag(path=str(script))
                results = audit_page.evaluate("options => axe.run(document, options)", AXE_OPTIONS)
                (RESULTS / f"data-{label}.json").write_text(json.dumps(results, indent=2))
                if results["violations"]:
                    pytest.fail(f"axe-core on {path}:\n{describe(results['violations'])}")
                problems = layout_problems(audit_page) + table_problems(audit_page)
                if audit_page.evaluate("() => document.documentElement.scrollWidth > window.innerWidth + 1"):
                    problems.append("the page scrolls sideways")
                if problems:
                    pytest.fail(f"on {path} at {size['width']}px:\n" + "\n".join(problems))


def test_the_dump_downloads_from_its_link_with_the_checksum_shown(page, seeded_dump):
    visit(page, "/data/")
    zipped = seeded_dump["files"][0]
    with page.expect_download() as download:
        page.get_by_role("link", name=zipped["name"]).click()
    path = download.value.path()
    assert hashlib.sha256(Path(path).read_bytes()).hexdigest() == zipped["sha256"]
    assert page.get_by_text(zipped["sha256"]).is_visible()
