"""Editorial on reader pages: notices at the top and foot, the review footer, the report link, JSON-LD."""

import json
import re
from urllib.parse import parse_qs, urlsplit

import pytest
from django.template import Context, Template
from django.test import RequestFactory
from django.urls import reverse

from casebase.editorial import pages
from casebase.editorial.actions import verify_page
from tests.factories import (
    AuthorityFactory,
    CaseFactory,
    CompanyFactory,
    CorrectionNoticeFactory,
    DatasetFactory,
    EditorFactory,
    ExposureListFactory,
    RemedyTypeFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def render(source, **context):
    request = RequestFactory().get("/")
    return Template("{% load editorial %}" + source).render(Context({"request": request, **context}))


def test_material_notices_go_on_top_and_the_rest_in_the_footer():
    case = CaseFactory()
    top = CorrectionNoticeFactory(page=case, is_material=True, text="The amount was **$5m**, not $50m.")
    foot = CorrectionNoticeFactory(page=case, kind="update", text="The appeal was filed.")
    above = render("{% material_notices page %}", page=case)
    below = render("{% notices_footer page %}", page=case)
    assert f'id="notice-{top.pk}"' in above and "<strong>$5m</strong>" in above
    assert f'id="notice-{foot.pk}"' not in above
    assert "Corrections and updates" in below and f'id="notice-{foot.pk}"' in below
    assert f'id="notice-{top.pk}"' not in below


def test_a_page_without_notices_prints_no_section():
    assert render("{% material_notices page %}{% notices_footer page %}", page=CaseFactory()).strip() == ""


def test_the_notices_are_fetched_once_per_page(django_assert_num_queries):
    case = CaseFactory()
    CorrectionNoticeFactory(page=case)
    # One query for the notices, shared by both tags.
    with django_assert_num_queries(1):
        render("{% material_notices page %}{% notices_footer page %}", page=case)


def test_the_report_link_carries_a_signed_reference_to_the_version_shown():
    case = CaseFactory()
    url = render("{% report_url page %}", page=case)
    parts = urlsplit(url.replace("&amp;", "&"))
    assert parts.path == reverse("editorial:report_new")
    token = parse_qs(parts.query)["page"][0]
    assert pages.read_page_reference(token) == (case, pages.latest_history_id(case))


def test_the_same_link_for_every_reader_so_pages_stay_cacheable():
    case = CaseFactory()
    assert render("{% report_url page %}", page=case) == render("{% report_url page %}", page=case)


@pytest.mark.parametrize(
    "factory", [CaseFactory, CompanyFactory, RemedyTypeFactory, DatasetFactory, ExposureListFactory, AuthorityFactory]
)
def test_every_detail_page_has_the_review_footer_with_history_and_report_links(client, factory):
    page = factory()
    body = client.get(page.get_absolute_url()).content.decode()
    assert "Added to casebase" in body
    assert "Spotted an error?" in body
    assert reverse("editorial:page_history", args=[pages.kind_of(page).slug, page.slug]) in body
    assert reverse("editorial:report_new") + "?page=" in body


def test_the_footer_says_when_the_page_was_verified_and_is_next_due():
    case = CaseFactory()
    assert "Not yet re-checked" in render('{% include "includes/_page_review.html" with obj=page %}', page=case)
    verify_page(case, EditorFactory(), outcome="confirmed")
    text = render('{% include "includes/_page_review.html" with obj=page %}', page=case)
    assert f'Last verified <time datetime="{case.last_verified_at:%Y-%m-%d}' in text
    assert "Next review due" in text


def test_json_ld_names_each_correction():
    case = CaseFactory()
    notice = CorrectionNoticeFactory(page=case, kind="clarification", text="Clarifai was *not* a party.")
    html = render("{% correction_json_ld page %}", page=case)
    data = json.loads(re.search(r"<script[^>]*>(.*)</script>", html, re.S).group(1))
    [correction] = data["correction"]
    assert correction["@type"] == "CorrectionComment"
    assert correction["text"] == "Clarifai was not a party."
    assert correction["url"].endswith(f"{case.get_absolute_url()}#notice-{notice.pk}")
    assert render("{% correction_json_ld page %}", page=CaseFactory()) == ""
