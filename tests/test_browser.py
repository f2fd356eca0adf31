"""What a reader sees in a real browser, on the seed data."""

import re
from io import StringIO

import pytest
from django.core.management import call_command

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CASE_TITLE = "FTC v. Humor Rainbow, Inc. (OkCupid) and Match Group Americas, LLC"


def test_reader_goes_from_the_home_page_to_a_case(page):
    from playwright.sync_api import expect

    call_command("seed", stdout=StringIO())

    page.goto("/")
    cases = page.get_by_role("region", name=re.compile(r"\d+ cases?"))
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
