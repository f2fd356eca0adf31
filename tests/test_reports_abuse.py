"""Abuse and privacy on the report form: spam goes to quarantine behind the same thank-you page, rates get 429."""

import sys
import time

import pytest
from django.core import mail
from django.core.cache import cache
from django.urls import reverse
from django.views.debug import ExceptionReporter

from casebase.editorial import abuse, pages, reports, tokens
from casebase.editorial.models import Correction, CorrectionState
from tests.factories import CaseFactory, report_form_data

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_rate_counts():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def case():
    return CaseFactory()


def report_url(page):
    return f"{reverse('editorial:report_new')}?page={pages.sign_page_reference(page, pages.latest_history_id(page))}"


def thank_you_body(response):
    """The thank-you page with the per-report parts (reference and status token) taken out."""
    token = next(part for part in response.request["PATH_INFO"].split("/") if ":" in part)
    reference = tokens.correction_for_token(token).reference
    return response.content.decode().replace(token, "TOKEN").replace(reference, "CR-N")


@pytest.mark.parametrize(
    ("overrides", "reason"),
    [
        ({"website": "https://cheap-pills.example"}, abuse.Quarantine.HONEYPOT),
        ({"started": None}, abuse.Quarantine.TIME_TRAP_MISSING),
        ({"started": "12345:forged"}, abuse.Quarantine.TIME_TRAP_MISSING),
        ({"started": "served now"}, abuse.Quarantine.TOO_FAST),
        ({"started": "served two days ago"}, abuse.Quarantine.TOO_OLD),
        (
            {
                "passage": "See www.a.example and https://b.example/x and c.example/y",
                "proposed_fix": "http://d.example",
            },
            abuse.Quarantine.TOO_MANY_LINKS,
        ),
    ],
)
def test_spam_signals_quarantine_behind_the_same_thank_you_page(
    client, case, overrides, reason, django_capture_on_commit_callbacks
):
    served = {"served now": time.time(), "served two days ago": time.time() - 2 * 86400}
    if overrides.get("started") in served:
        overrides = {"started": abuse.time_trap_token(now=served[overrides["started"]])}
    with django_capture_on_commit_callbacks(execute=True):
        spam = client.post(report_url(case), report_form_data(**overrides), follow=True)
    held = Correction.objects.get()
    assert held.state == CorrectionState.QUARANTINED
    assert held.quarantine_reason == reason
    assert held.events.get().actor_label == "system"
    assert mail.outbox == []  # no acknowledgement: the form is no relay for spam

    with django_capture_on_commit_callbacks(execute=True):
        genuine = client.post(report_url(case), report_form_data(), follow=True)
    assert Correction.objects.get(state=CorrectionState.NEW)
    # The sender cannot tell: same status, same page, same words.
    assert spam.status_code == genuine.status_code == 200
    assert thank_you_body(spam) == thank_you_body(genuine)
    assert spam.templates[0].name == genuine.templates[0].name == "editorial/report_thanks.html"


def test_three_links_are_fine(client, case):
    data = report_form_data(passage="See https://a.example/1", proposed_fix="and https://b.example/2")
    client.post(report_url(case), data)
    assert Correction.objects.get().state == CorrectionState.NEW


def test_rate_limit_per_address_answers_429_and_stores_nothing(client, settings):
    settings.CORRECTIONS_RATE_PER_ADDRESS = "2/h"
    for _ in range(2):
        assert client.post(report_url(CaseFactory()), report_form_data(), REMOTE_ADDR="198.51.100.4").status_code == 302
    response = client.post(report_url(CaseFactory()), report_form_data(), REMOTE_ADDR="198.51.100.4")
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    assert "Too many reports in a short time" in response.content.decode()
    assert Correction.objects.count() == 2
    # Another reader is not held up.
    assert client.post(report_url(CaseFactory()), report_form_data(), REMOTE_ADDR="198.51.100.5").status_code == 302


def test_rate_limit_per_page(client, settings, case):
    settings.CORRECTIONS_RATE_PER_PAGE = "2/h"
    for n in range(2):
        client.post(report_url(case), report_form_data(), REMOTE_ADDR=f"192.0.2.{n + 1}")
    response = client.post(report_url(case), report_form_data(), REMOTE_ADDR="192.0.2.9")
    assert response.status_code == 429
    assert Correction.objects.count() == 2
    # Other pages are open.
    assert client.post(report_url(CaseFactory()), report_form_data(), REMOTE_ADDR="192.0.2.9").status_code == 302


def test_invalid_forms_do_not_count_against_the_reader(client, settings, case):
    settings.CORRECTIONS_RATE_PER_ADDRESS = "1/h"
    for _ in range(3):
        client.post(report_url(case), report_form_data(passage=""))
    assert client.post(report_url(case), report_form_data()).status_code == 302


def test_ipv6_readers_are_counted_per_64_block():
    assert abuse.address_hash("2001:db8:1:2::1") == abuse.address_hash("2001:db8:1:2:ffff::9")
    assert abuse.address_hash("2001:db8:1:3::1") != abuse.address_hash("2001:db8:1:2::1")
    assert abuse.address_hash("not an address") == ""


def test_behind_the_proxy_the_readers_address_is_the_one_the_proxy_saw(rf, settings):
    settings.CORRECTIONS_PROXY_COUNT = 1
    request = rf.post("/", HTTP_X_FORWARDED_FOR="10.9.9.9, 203.0.113.50", REMOTE_ADDR="127.0.0.1")
    assert abuse.client_ip(request) == "203.0.113.50"  # the first entry is whatever the client claimed
    settings.CORRECTIONS_PROXY_COUNT = 0
    assert abuse.client_ip(request) == "127.0.0.1"


def test_hashes_are_keyed(settings):
    before = abuse.email_hash("ada@example.net")
    settings.CORRECTIONS_HASH_KEY = "another key"
    assert abuse.email_hash("ada@example.net") != before
    assert len(before) == 64 and "ada" not in before


def test_oversized_requests_are_refused_before_reading(client, case):
    response = client.post(report_url(case), report_form_data(passage="x" * (reports.MAX_REQUEST_BYTES + 1)))
    assert response.status_code == 413
    assert "Your report is too long to send" in response.content.decode()
    assert not Correction.objects.exists()


def test_readers_details_never_reach_an_error_report(client, case, monkeypatch):
    """A server error while filing: the report mailed to admins must not carry the reader's email or name."""
    caught = {}

    def explode(*args, **kwargs):
        raise RuntimeError("database fell over")

    def keep(sender, request, **kwargs):
        caught["request"] = request
        caught["exc_info"] = sys.exc_info()

    from django.core.signals import got_request_exception

    monkeypatch.setattr(reports, "_file", explode)
    got_request_exception.connect(keep)
    client.raise_request_exception = False
    try:
        response = client.post(report_url(case), report_form_data(reporter_email="secret.reader@example.net"))
    finally:
        got_request_exception.disconnect(keep)
    assert response.status_code == 500
    report = ExceptionReporter(caught["request"], *caught["exc_info"]).get_traceback_text()
    assert "database fell over" in report
    assert "secret.reader@example.net" not in report
    assert "Ada Reader" not in report
