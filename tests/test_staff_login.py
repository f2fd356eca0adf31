"""Staff sign-in: lockout per username and per address, two-factor for whoever can publish, idle sessions end."""

import datetime

import pytest
from axes.models import AccessAttempt
from django.contrib.auth.models import Group
from django.contrib.auth.password_validation import validate_password
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.factories import UserFactory, sign_in

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple"
LOGIN = "/admin/login/?next=/admin/"


def attempt(client, username, password, token=None, address="203.0.113.7"):
    data = {"username": username, "password": password}
    if token is not None:
        data["otp_token"] = token
    return client.post(LOGIN, data, REMOTE_ADDR=address)


def signed_in(client):
    return client.get("/admin/").status_code == 200


@pytest.fixture
def editor():
    user = UserFactory(username="editor", is_staff=True)
    user.groups.add(Group.objects.get(name="Editors"))
    return user


@pytest.fixture
def publisher(editor):
    editor.groups.add(Group.objects.get(name="Publishers"))
    return editor


def code_for(device):
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):0{device.digits}d}"


def test_editor_signs_in_with_a_password(editor):
    """Triage is not publishing: an editor without a device needs no second factor."""
    client = Client()
    assert attempt(client, "editor", PASSWORD).status_code == 302
    assert signed_in(client)


def test_failed_sign_ins_lock_the_username_even_for_the_right_password(editor):
    client = Client()
    statuses = [attempt(client, "editor", "wrong password").status_code for _ in range(5)]
    assert statuses == [200, 200, 200, 200, 429]  # the fifth failure locks
    response = attempt(client, "editor", PASSWORD, address="198.51.100.1")  # another address: still locked
    assert response.status_code == 429
    assert "Sign-in is locked for now" in response.content.decode()
    assert not signed_in(client)


def test_failed_sign_ins_lock_the_address_whatever_the_username(editor):
    client = Client()
    for n in range(5):
        attempt(client, f"guess{n}", "wrong password")
    assert attempt(client, "editor", PASSWORD).status_code == 429
    assert not signed_in(client)


def test_lockout_ends_after_the_cool_off(editor, settings):
    client = Client()
    for _ in range(5):
        attempt(client, "editor", "wrong password")
    assert attempt(client, "editor", PASSWORD).status_code == 429
    AccessAttempt.objects.update(attempt_time=timezone.now() - settings.AXES_COOLOFF_TIME - datetime.timedelta(1))
    assert attempt(client, "editor", PASSWORD).status_code == 302
    assert signed_in(client)


def test_publisher_needs_a_code_from_the_authenticator(publisher):
    client = Client()
    response = attempt(client, "editor", PASSWORD)
    assert response.status_code == 200  # the form asks for the code
    assert not signed_in(client)
    device = TOTPDevice.objects.create(user=publisher, name="phone", confirmed=True)
    assert attempt(client, "editor", PASSWORD, token=code_for(device)).status_code == 302
    assert signed_in(client)


def test_a_wrong_code_is_refused(publisher):
    device = TOTPDevice.objects.create(user=publisher, name="phone", confirmed=True)
    client = Client()
    wrong = f"{(int(code_for(device)) + 1) % 1000000:06d}"
    assert attempt(client, "editor", PASSWORD, token=wrong).status_code == 200
    assert not signed_in(client)


def test_superuser_without_second_factor_is_not_let_in():
    admin = UserFactory(username="root", is_staff=True, is_superuser=True)
    client = Client()
    client.force_login(admin)  # a password alone, however obtained, is not enough
    assert client.get("/admin/").status_code == 302
    assert signed_in(sign_in(Client(), admin))


def test_staff_sessions_end_after_two_idle_hours(editor, settings):
    """A request pushes the end two hours ahead (at most once a minute); two hours of silence end it."""
    assert settings.SESSION_COOKIE_AGE == 2 * 60 * 60
    client = sign_in(Client(), editor, second_factor=False)
    client.get("/admin/")  # starts the clock
    session = Session.objects.get(session_key=client.session.session_key)
    Session.objects.filter(pk=session.pk).update(expire_date=timezone.now() + datetime.timedelta(minutes=5))
    client.get("/admin/")  # within the minute: the clock stands
    assert Session.objects.get(pk=session.pk).expire_date - timezone.now() < datetime.timedelta(minutes=6)
    stored = client.session
    stored["_idle_clock"] -= 61  # as if the sign-in were a minute ago
    stored.save()
    client.get("/admin/")
    left = Session.objects.get(pk=session.pk).expire_date - timezone.now()
    assert datetime.timedelta(minutes=119) < left <= datetime.timedelta(hours=2)


def test_signed_in_pages_do_not_write_the_session_on_every_request(editor):
    client = sign_in(Client(), editor, second_factor=False)
    client.get("/admin/")
    with CaptureQueriesContext(connection) as queries:
        client.get("/admin/")
    assert not [q for q in queries.captured_queries if q["sql"].startswith("UPDATE") and "django_session" in q["sql"]]


def test_reader_pages_set_no_session_cookie(client):
    """Saving sessions on every request touches staff only: reader pages stay cacheable."""
    assert "sessionid" not in client.get("/").cookies


@pytest.mark.parametrize("password", ["short", "password1234", "123456789012"])
def test_weak_passwords_are_refused(password):
    with pytest.raises(ValidationError):
        validate_password(password)
