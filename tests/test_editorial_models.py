"""Editorial models: references, secrets, numbering, public notices and the desk groups."""

import pytest
from django.contrib.auth.models import Group

from casebase.editorial.models import Correction, CorrectionNotice, CorrectionState
from casebase.knowledge.models import PublicationStatus
from tests.factories import CaseFactory, CorrectionFactory, CorrectionNoticeFactory, EditorFactory, PublisherFactory

pytestmark = pytest.mark.django_db


def test_reports_are_numbered_in_order_with_a_public_reference():
    first, second = CorrectionFactory(), CorrectionFactory()
    assert second.number == first.number + 1
    assert first.reference == f"CR-{first.number:05d}"


def test_each_report_has_its_own_unguessable_secret():
    first, second = CorrectionFactory(), CorrectionFactory()
    assert len(first.secret) >= 40
    assert first.secret != second.secret


def test_a_report_points_at_its_page_and_is_found_by_page():
    report = CorrectionFactory()
    assert Correction.objects.for_page(report.page).get() == report
    assert report.state_enum is CorrectionState.NEW
    assert report.state_enum.is_open


def test_notices_on_unpublished_pages_are_not_public():
    shown = CorrectionNoticeFactory()
    CorrectionNoticeFactory(page=CaseFactory(status=PublicationStatus.DRAFT))
    assert list(CorrectionNotice.objects.public()) == [shown]


def test_editors_triage_and_only_publishers_publish():
    editor, publisher = EditorFactory(), PublisherFactory()
    assert editor.has_perm("editorial.change_correction")
    assert not editor.has_perm("editorial.publish_correctionnotice")
    assert publisher.has_perm("editorial.publish_correctionnotice")
    assert Group.objects.filter(name="Publishers").exists()
