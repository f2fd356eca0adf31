"""The editorial admin: canned replies to edit; reports, notices and checks to read, never to move."""

import pytest
from django.urls import reverse

from tests.factories import (
    CannedReplyFactory,
    CorrectionFactory,
    CorrectionNoticeFactory,
    EditorFactory,
    PublisherFactory,
    sign_in,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.mark.parametrize("model", ["correction", "correctionnotice", "verification", "cannedreply"])
def test_editors_see_each_changelist(client, model):
    CorrectionFactory()
    CorrectionNoticeFactory()
    CannedReplyFactory()
    sign_in(client, EditorFactory(), second_factor=False)
    assert client.get(reverse(f"admin:editorial_{model}_changelist")).status_code == 200


def test_a_report_in_the_admin_shows_no_contact_details_and_cannot_be_changed(client):
    report = CorrectionFactory(reporter_email="private@example.net")
    sign_in(client, PublisherFactory())
    response = client.get(reverse("admin:editorial_correction_change", args=[report.pk]))
    assert response.status_code == 200
    body = response.content.decode()
    assert "private@example.net" not in body
    assert report.secret not in body
    assert client.post(reverse("admin:editorial_correction_change", args=[report.pk]), {}).status_code == 403


def test_notices_cannot_be_deleted_or_added_in_the_admin(client):
    notice = CorrectionNoticeFactory()
    sign_in(client, PublisherFactory())
    assert client.get(reverse("admin:editorial_correctionnotice_add")).status_code == 403
    assert client.get(reverse("admin:editorial_correctionnotice_delete", args=[notice.pk])).status_code == 403


def test_editors_keep_canned_replies(client):
    sign_in(client, EditorFactory(), second_factor=False)
    response = client.post(
        reverse("admin:editorial_cannedreply_add"), {"title": "Need a source", "body": "Which document says so?"}
    )
    assert response.status_code == 302
