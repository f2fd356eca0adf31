"""The reader's report form: the page and version it records, GOV.UK validation, and what it stores."""

import pytest
from django.core.cache import cache
from django.urls import reverse

from casebase.editorial import abuse, pages, tokens
from casebase.editorial.models import Correction, CorrectionEvent, CorrectionState
from tests.factories import CaseFactory, CompanyFactory, report_form_data

pytestmark = pytest.mark.django_db

REPORT_URL = reverse("editorial:report_new")


@pytest.fixture(autouse=True)
def fresh_rate_counts():
    """Rate counts live in the cache; each test starts with none."""
    cache.clear()
    yield
    cache.clear()


def report_url(page, history_id=None):
    history_id = history_id or pages.latest_history_id(page)
    return f"{REPORT_URL}?page={pages.sign_page_reference(page, history_id)}"


def test_form_names_the_page_and_is_private(client):
    case = CaseFactory(title="FTC v. Everalbum")
    response = client.get(report_url(case))
    assert response.status_code == 200
    html = response.content.decode()
    assert "You are reporting a problem with" in html
    assert f'href="{case.get_absolute_url()}"' in html
    assert "csrfmiddlewaretoken" in html
    assert 'name="started"' in html  # the time trap
    # The page carries a CSRF token and a time trap: no shared cache may keep it, no search engine index it.
    assert "no-cache" in response["Cache-Control"] or "private" in response["Cache-Control"]
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    # No page address to type when the link names the page.
    assert 'name="page_address"' not in html
    # The plain note on what the email is for.
    assert "we use them only to write to you about this report" in html


def test_report_records_the_page_and_the_version_the_reader_saw(client, django_capture_on_commit_callbacks):
    case = CaseFactory(title="FTC v. Everalbum")
    seen = pages.latest_history_id(case)
    case.summary = "A later edit the reader did not see."
    case.save()
    assert pages.latest_history_id(case) != seen

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(report_url(case, seen), report_form_data(), REMOTE_ADDR="203.0.113.7")

    correction = Correction.objects.get()
    assert response.status_code == 302
    assert response["Location"].startswith("/corrections/new/thanks/")
    assert correction.page == case
    assert correction.page_history_id == seen
    assert correction.page_title == str(case)
    assert correction.page_url == case.get_absolute_url()
    assert correction.state == CorrectionState.NEW
    assert correction.channel == "web"
    assert correction.kind == "factual_error"
    assert correction.evidence_list == ["https://www.ftc.gov/legal-library/browse/cases-proceedings/everalbum"]
    assert correction.consent_to_contact
    # Addresses only as keyed hashes: the IP address is stored nowhere.
    assert correction.email_hash == abuse.email_hash("ADA@example.net ")
    assert correction.address_hash == abuse.address_hash("203.0.113.7")
    assert "203.0.113.7" not in str(Correction.objects.values().get())
    event = CorrectionEvent.objects.get(correction=correction)
    assert (event.from_state, event.to_state, event.actor_label) == ("", "new", "reader")


def test_errors_follow_the_gov_uk_pattern_and_keep_the_readers_text(client):
    case = CaseFactory()
    data = report_form_data(kind=None, passage="", proposed_fix="It was 2021 <b>really</b>.")
    response = client.post(report_url(case), data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "<title>Error: Report a problem" in html
    assert "There is a problem" in html
    assert '<a href="#id_kind">Select the kind of problem</a>' in html
    assert '<a href="#id_passage">Tell us what is wrong or missing</a>' in html
    assert '<span class="visually-hidden">Error:</span> Tell us what is wrong or missing' in html
    assert 'aria-invalid="true"' in html
    # The reader's text is kept, escaped.
    assert "It was 2021 &lt;b&gt;really&lt;/b&gt;." in html
    assert not Correction.objects.exists()


def test_an_email_needs_consent_and_consent_needs_an_email(client):
    case = CaseFactory()
    response = client.post(report_url(case), report_form_data(consent_to_contact=None))
    assert "Tick the box so we may email you about this report" in response.content.decode()
    response = client.post(report_url(case), report_form_data(reporter_email=""))
    assert "Enter your email address, or untick the box" in response.content.decode()
    assert not Correction.objects.exists()
    # Neither is fine: an anonymous report.
    response = client.post(report_url(case), report_form_data(reporter_email="", consent_to_contact=None))
    assert response.status_code == 302
    assert Correction.objects.get().reporter_email == ""


def test_length_limits_are_errors_with_the_count(client):
    case = CaseFactory()
    response = client.post(report_url(case), report_form_data(passage="x" * 2001))
    assert "Keep this to 2000 characters or fewer (it has 2001)" in response.content.decode()
    assert not Correction.objects.exists()


def test_evidence_is_up_to_three_web_links(client):
    case = CaseFactory()
    four = "\n".join(f"https://example.org/{n}" for n in range(4))
    response = client.post(report_url(case), report_form_data(evidence_urls=four))
    assert "Give at most 3 links, one per line" in response.content.decode()
    response = client.post(report_url(case), report_form_data(evidence_urls="javascript:alert(1)"))
    assert "starting with https:// or http://" in response.content.decode()
    assert not Correction.objects.exists()


def test_a_stale_or_forged_page_link_asks_for_the_address(client):
    case = CaseFactory(slug="ftc-everalbum")
    response = client.get(f"{REPORT_URL}?page=forged")
    html = response.content.decode()
    assert "no longer names a page we publish" in html
    assert 'name="page_address"' in html

    response = client.post(f"{REPORT_URL}?page=forged", report_form_data(page_address="https://example.com/x/"))
    assert "Enter the address of a case, company" in response.content.decode()

    response = client.post(
        f"{REPORT_URL}?page=forged", report_form_data(page_address="http://testserver/cases/ftc-everalbum/")
    )
    assert response.status_code == 302
    correction = Correction.objects.get()
    assert correction.page == case
    assert correction.page_history_id == pages.latest_history_id(case)


def test_a_draft_page_cannot_be_reported_through_an_old_link(client):
    company = CompanyFactory()
    link = report_url(company)
    company.status = "draft"
    company.save()
    assert "no longer names a page we publish" in client.get(link).content.decode()


def test_the_form_needs_csrf(client):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    response = strict.post(report_url(CaseFactory()), report_form_data())
    assert response.status_code == 403
    assert not Correction.objects.exists()


def test_only_get_and_post(client):
    assert client.put(REPORT_URL).status_code == 405


def test_thank_you_page_gives_reference_and_private_status_link(client):
    case = CaseFactory(title="FTC v. Everalbum")
    response = client.post(report_url(case), report_form_data(), follow=True)
    correction = Correction.objects.get()
    html = response.content.decode()
    assert response.status_code == 200
    assert correction.reference in html
    assert "Report received" in html
    assert "What happens next" in html
    assert f"http://testserver{tokens.status_url(correction)}" in html
    assert response["X-Robots-Tag"] == "noindex, nofollow"


def test_form_query_count(client, django_assert_num_queries):
    """The page behind the signed reference, and a check that its version exists: no more per field or choice."""
    case = CaseFactory()
    url = report_url(case)
    with django_assert_num_queries(2):
        assert client.get(url).status_code == 200
