"""A report sent twice is stored once: a double click, a resent POST, or two requests racing each other."""

import threading

import pytest
from django.core import signing
from django.core.cache import cache
from django.db import connection
from django.test import Client

from casebase.editorial import abuse, pages
from casebase.editorial.models import Correction, CorrectionEvent
from tests.factories import CaseFactory, report_form_data

REPORT_URL = "/corrections/new/"


@pytest.fixture(autouse=True)
def fresh_rate_counts():
    cache.clear()
    yield
    cache.clear()


def report_url(page):
    return f"{REPORT_URL}?page={pages.sign_page_reference(page, pages.latest_history_id(page))}"


def served_form(client, url):
    """GET the form as a browser does and read back its CSRF token and time trap."""
    response = client.get(url)
    assert response.status_code == 200
    form = response.context["form"]
    return {"csrfmiddlewaretoken": response.context["csrf_token"], "started": form.initial["started"]}


@pytest.mark.django_db
def test_the_same_form_sent_twice_is_stored_once(client):
    """Same CSRF token, same time trap, same words, seconds apart: one report, the same thank-you page."""
    client = Client(enforce_csrf_checks=True)
    case = CaseFactory()
    url = report_url(case)
    tokens = served_form(client, url)
    # The reader took a minute to write it (the time trap would quarantine a faster robot).
    tokens["started"] = abuse.time_trap_token(now=signing.loads(tokens["started"], salt=abuse.TIME_TRAP_SALT) - 60)
    data = report_form_data(**tokens)

    first = client.post(url, data, REMOTE_ADDR="203.0.113.7")
    second = client.post(url, data, REMOTE_ADDR="203.0.113.7")

    assert first.status_code == second.status_code == 302
    assert second["Location"] == first["Location"]
    assert first["Location"].startswith("/corrections/new/thanks/")
    correction = Correction.objects.get()
    assert correction.state == "new"
    assert CorrectionEvent.objects.filter(correction=correction).count() == 1
    thanks = client.get(second["Location"])
    assert thanks.status_code == 200
    assert correction.reference in thanks.content.decode()


@pytest.mark.django_db
def test_a_double_submission_does_not_use_up_the_rate_limit(client, settings):
    settings.CORRECTIONS_RATE_PER_ADDRESS = "1/h"
    case = CaseFactory()
    data = report_form_data()
    assert client.post(report_url(case), data).status_code == 302
    assert client.post(report_url(case), data).status_code == 302  # not 429: nothing new was sent
    assert Correction.objects.count() == 1


@pytest.mark.django_db
def test_a_quarantined_report_sent_twice_is_stored_once(client):
    case = CaseFactory()
    data = report_form_data(website="https://spam.example")
    first, second = client.post(report_url(case), data), client.post(report_url(case), data)
    assert first["Location"] == second["Location"]
    assert Correction.objects.get().state == "quarantined"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "change",
    [
        {"passage": "A different passage, so a different report."},
        {"proposed_fix": "A different fix."},
        {"reporter_email": "grace@example.net"},
        {"started": abuse.time_trap_token(now=1_700_000_000)},  # another served form
    ],
)
def test_a_different_report_from_the_same_form_is_stored(client, change):
    case = CaseFactory()
    data = report_form_data()
    client.post(report_url(case), data)
    client.post(report_url(case), {**data, **change})
    assert Correction.objects.count() == 2


@pytest.mark.django_db
def test_two_readers_who_opened_the_form_in_the_same_second_both_get_their_report_stored(client):
    """The time-trap token alone is not the key: the same second, the same words, two addresses."""
    case = CaseFactory()
    data = report_form_data()
    client.post(report_url(case), data, REMOTE_ADDR="203.0.113.7")
    client.post(report_url(case), data, REMOTE_ADDR="198.51.100.9")
    assert Correction.objects.count() == 2


@pytest.mark.django_db
def test_a_report_without_a_time_trap_is_not_merged(client):
    """No served form to name: nothing to recognise it by, so each is filed (in quarantine)."""
    case = CaseFactory()
    data = report_form_data(started="")
    client.post(report_url(case), data)
    client.post(report_url(case), data)
    assert Correction.objects.filter(submission_key=None).count() == 2


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor == "sqlite", reason="SQLite serialises writers: two requests never race")
def test_two_identical_posts_at_the_same_moment_store_one_report():
    """Both requests pass the look-up before either commits; the unique key makes the second one find the first."""
    case = CaseFactory()
    url = report_url(case)
    data = report_form_data()
    barrier = threading.Barrier(2)
    answers = []

    def send():
        try:
            barrier.wait(timeout=10)
            answers.append(Client().post(url, data, REMOTE_ADDR="203.0.113.7"))
        finally:
            connection.close()

    threads = [threading.Thread(target=send) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert [answer.status_code for answer in answers] == [302, 302]
    assert answers[0]["Location"] == answers[1]["Location"]
    assert Correction.objects.count() == 1


@pytest.mark.django_db
def test_the_loser_of_a_race_finds_the_winners_report(client, monkeypatch):
    """The second request looked before the first committed: the unique key stops it, and it answers the same."""
    from casebase.editorial import reports

    case = CaseFactory()
    data = report_form_data()
    first = client.post(report_url(case), data)
    looked_up = reports._filed_as
    calls = []

    def too_early(key):
        calls.append(key)
        return None if len(calls) == 1 else looked_up(key)

    monkeypatch.setattr(reports, "_filed_as", too_early)
    second = client.post(report_url(case), data)
    assert len(calls) == 2  # the look-up before filing, and the one after the unique key refused the insert
    assert second["Location"] == first["Location"]
    assert Correction.objects.count() == 1
