"""The public corrections log, its Atom feed and each page's change log."""

import pytest
from django.urls import reverse

from casebase.editorial.actions import publish_correction
from casebase.editorial.models import CorrectionState
from casebase.knowledge.models import PublicationStatus
from tests.factories import (
    CaseFactory,
    CompanyFactory,
    CorrectionFactory,
    CorrectionNoticeFactory,
    DatasetFactory,
    PublisherFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def test_the_log_lists_notices_on_published_pages_only(client):
    shown = CorrectionNoticeFactory(text="An earlier version gave **2019**.")
    CorrectionNoticeFactory(page=CaseFactory(status=PublicationStatus.DRAFT), text="Secret draft notice.")
    response = client.get(reverse("editorial:corrections_log"))
    assert response.status_code == 200
    body = response.content.decode()
    assert "<strong>2019</strong>" in body, "notices are Markdown"
    assert f"{shown.page.get_absolute_url()}#notice-{shown.pk}" in body
    assert "Secret draft notice" not in body


def test_the_log_costs_the_same_for_any_number_of_notices(client, django_assert_num_queries):
    for factory_page in (CaseFactory, CompanyFactory, DatasetFactory):
        CorrectionNoticeFactory.create_batch(3, page=factory_page())
    # Guards against N+1: a count, the page of notices, and one query per kind of page (three here)
    # for the notices' pages. The first request warms the content-type cache the filter reads.
    client.get(reverse("editorial:corrections_log"))
    with django_assert_num_queries(5):
        client.get(reverse("editorial:corrections_log"))


def test_a_bad_page_number_is_a_message_not_an_error(client):
    CorrectionNoticeFactory()
    response = client.get(reverse("editorial:corrections_log"), {"page": "nine"})
    assert response.status_code == 200
    assert "a page is a whole number" in response.content.decode()


def test_the_feed_is_atom_with_each_notice(client):
    notice = CorrectionNoticeFactory(kind="clarification")
    response = client.get(reverse("editorial:corrections_feed"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    body = response.content.decode()
    assert f"Clarification: {notice.page}" in body
    assert f"#notice-{notice.pk}" in body


def test_a_page_change_log_shows_versions_and_the_notice_behind_a_fix(client):
    case = CaseFactory(summary="Before.")
    report = CorrectionFactory(page=case, state=CorrectionState.ACCEPTED)
    notice = publish_correction(
        report, PublisherFactory(), notice_kind="correction", notice_text="Fixed.", changes={"summary": "After."}
    )
    response = client.get(reverse("editorial:page_history", args=["cases", case.slug]))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Added to casebase" in body
    assert "Summary" in body
    assert f"#notice-{notice.pk}" in body


@pytest.mark.parametrize("kind", ["cases", "nonsense"])
def test_no_change_log_for_drafts_or_unknown_kinds(client, kind):
    draft = CaseFactory(status=PublicationStatus.DRAFT)
    assert client.get(reverse("editorial:page_history", args=[kind, draft.slug])).status_code == 404


def test_every_kind_of_page_has_a_change_log(client):
    for page, kind in ((CompanyFactory(), "companies"), (DatasetFactory(), "datasets")):
        assert client.get(reverse("editorial:page_history", args=[kind, page.slug])).status_code == 200
