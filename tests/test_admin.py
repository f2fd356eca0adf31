"""The editors' admin: who gets in, what the Editors group may do, and changelists without N+1."""

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from casebase.knowledge.models import Case, Citation, Party, PublicationStatus
from tests.factories import (
    AuthorityFactory,
    CaseFactory,
    CaseRelationFactory,
    CitationFactory,
    CompanyFactory,
    DatasetFactory,
    ExposureEntryFactory,
    ExposureListFactory,
    LegalBasisFactory,
    PartyFactory,
    RemedyFactory,
    RemedyTypeFactory,
    SourceFactory,
    TimelineEventFactory,
    TrainedModelFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor():
    """A staff member in the Editors group, not a superuser."""
    user = UserFactory(is_staff=True)
    user.groups.add(Group.objects.get(name="Editors"))
    return user


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


def admin_url(model, view, *args):
    return reverse(f"admin:knowledge_{model._meta.model_name}_{view}", args=args)


# ---------------------------------------------------------------------------
# The Editors group
# ---------------------------------------------------------------------------


def test_editors_group_exists_with_its_permissions():
    """Editors edit everything, delete only child rows, withdraw pages instead of deleting them."""
    codenames = set(Group.objects.get(name="Editors").permissions.values_list("codename", flat=True))
    for model in ("case", "company", "authority", "dataset", "exposurelist", "remedytype", "source"):
        assert {f"add_{model}", f"change_{model}", f"view_{model}"} <= codenames
    for model in ("case", "company", "authority", "dataset", "exposurelist", "remedytype"):
        assert f"delete_{model}" not in codenames
    for model in ("party", "timelineevent", "caserelation", "remedy", "citation", "exposureentry"):
        assert f"delete_{model}" in codenames
    assert {"view_historicalcase", "view_historicalcompany", "view_historicalremedy"} <= codenames
    assert "change_historicalcase" not in codenames


def test_editor_permissions_resolve_through_the_group(editor):
    """Django's permission check sees the group's permissions."""
    assert editor.has_perm("knowledge.change_case")
    assert editor.has_perm("knowledge.delete_remedy")
    assert not editor.has_perm("knowledge.delete_case")
    assert not editor.is_superuser


# ---------------------------------------------------------------------------
# Access
# ---------------------------------------------------------------------------


def test_non_staff_user_is_sent_to_login(client):
    """A signed-in reader without staff status does not get into the admin."""
    client.force_login(UserFactory())
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


def test_anonymous_visitor_is_sent_to_login(client):
    """The admin is closed to anonymous visitors."""
    response = client.get(admin_url(Case, "changelist"))
    assert response.status_code == 302


def test_editor_opens_the_admin_index(editor_client):
    """Editors reach the admin and see the knowledge models."""
    response = editor_client.get(reverse("admin:index"))
    assert response.status_code == 200
    assert admin_url(Case, "changelist") in response.text


@pytest.mark.parametrize(
    "factory",
    [CaseFactory, CompanyFactory, DatasetFactory, ExposureListFactory],
    ids=lambda f: f._meta.model.__name__,
)
def test_editor_opens_changelist_and_change_form(editor_client, factory):
    """Editors can list and edit pages."""
    obj = factory()
    model = type(obj)
    changelist = editor_client.get(admin_url(model, "changelist"))
    assert changelist.status_code == 200
    assert str(obj) in changelist.text
    assert editor_client.get(admin_url(model, "change", obj.pk)).status_code == 200
    assert editor_client.get(admin_url(model, "add")).status_code == 200


def test_editor_opens_a_full_case_change_form(editor_client):
    """The case form renders with every inline filled."""
    case = CaseFactory()
    PartyFactory(case=case)
    RemedyFactory(case=case)
    TimelineEventFactory(case=case)
    CaseRelationFactory(from_case=case)
    CitationFactory(case=case)
    response = editor_client.get(admin_url(Case, "change", case.pk))
    assert response.status_code == 200
    for prefix in ("parties", "remedies", "timeline", "relations_out", "citations"):
        assert f'name="{prefix}-TOTAL_FORMS" value="1"' in response.text


def test_editor_opens_a_case_history(editor_client):
    """Editors can read a page's change history."""
    case = CaseFactory(summary="First words.")
    case.summary = "Second words."
    case.save()
    response = editor_client.get(admin_url(Case, "history", case.pk))
    assert response.status_code == 200
    assert "Created" in response.text
    assert "First words." in response.text and "Second words." in response.text


def test_editor_cannot_delete_a_case(editor_client):
    """Pages are withdrawn, not deleted."""
    case = CaseFactory()
    assert editor_client.get(admin_url(Case, "delete", case.pk)).status_code == 403
    changelist = editor_client.get(admin_url(Case, "changelist"))
    assert "delete_selected" not in changelist.text


def test_autocomplete_works_for_editors(editor_client):
    """Editors can search companies from a case's party inline."""
    CompanyFactory(name="Clearview AI", aliases="Clearview")
    response = editor_client.get(
        reverse("admin:autocomplete"),
        {"term": "clearview", "app_label": "knowledge", "model_name": "party", "field_name": "company"},
    )
    assert response.status_code == 200
    assert [row["text"] for row in response.json()["results"]] == ["Clearview AI"]


# ---------------------------------------------------------------------------
# Writing through the admin
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("action, status", [("publish", "published"), ("withdraw", "withdrawn")])
def test_publish_and_withdraw_actions_keep_history(editor_client, editor, action, status):
    """The bulk actions change status one record at a time, so history records who did it."""
    cases = CaseFactory.create_batch(2, status=PublicationStatus.DRAFT if action == "publish" else "published")
    response = editor_client.post(
        admin_url(Case, "changelist"), {"action": action, "_selected_action": [c.pk for c in cases]}
    )
    assert response.status_code == 302
    for case in cases:
        case.refresh_from_db()
        assert case.status == status
        latest = case.history.first()
        assert latest.history_user == editor
        assert latest.history_change_reason == f"{status.capitalize()} from the admin"


def inline_management(prefix, total=0):
    return {f"{prefix}-TOTAL_FORMS": str(total), f"{prefix}-INITIAL_FORMS": "0"}


def test_editor_adds_a_case_with_a_party_and_a_citation(editor_client, editor):
    """A new case saved with inline rows gets them attached to it, with history by the editor."""
    authority, company, source = AuthorityFactory(), CompanyFactory(), SourceFactory()
    basis = LegalBasisFactory()
    data = {
        "title": "FTC v. Example",
        "short_title": "Example",
        "slug": "ftc-v-example",
        "status": "draft",
        "kind": "administrative_order",
        "case_status": "final_order",
        "authority": authority.pk,
        "jurisdiction": "US",
        "started_on": "2021-01-11",
        "started_on_precision": "day",
        "summary": "A summary.",
        "legal_bases": [basis.pk],
        "verify_every_days": "90",
        **inline_management("parties", 1),
        "parties-0-company": company.pk,
        "parties-0-role": "respondent",
        **inline_management("remedies"),
        **inline_management("timeline"),
        **inline_management("relations_out"),
        **inline_management("citations", 1),
        "citations-0-source": source.pk,
        "citations-0-pinpoint": "p. 4",
    }
    response = editor_client.post(admin_url(Case, "add"), data)
    assert response.status_code == 302, response.context["errors"] if response.context else response
    case = Case.objects.get(slug="ftc-v-example")
    assert Party.objects.get(case=case).company == company
    assert Citation.objects.get(case=case).pinpoint == "p. 4"
    assert case.history.first().history_user == editor


# ---------------------------------------------------------------------------
# N+1 guards
# ---------------------------------------------------------------------------


def one_of_everything():
    """Rows for every changelist, with the related records their columns show."""
    case = CaseFactory(forum=AuthorityFactory())
    PartyFactory(case=case)
    TimelineEventFactory(case=case)
    CaseRelationFactory(from_case=case)
    remedy = RemedyFactory(case=case)
    CitationFactory(case=None, remedy=remedy)
    CitationFactory(case=case)
    CompanyFactory(parent=CompanyFactory())
    RemedyTypeFactory()
    TrainedModelFactory()
    DatasetFactory()
    LegalBasisFactory()
    entry = ExposureEntryFactory()
    CitationFactory(case=None, exposure_entry=entry)
    CitationFactory(case=None, exposure_list=entry.exposure_list)


CHANGELIST_MODELS = [
    "source",
    "authority",
    "company",
    "legalbasis",
    "remedytype",
    "dataset",
    "trainedmodel",
    "case",
    "party",
    "timelineevent",
    "caserelation",
    "remedy",
    "exposurelist",
    "exposureentry",
    "citation",
]


def count_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_changelist_query_counts_do_not_grow_with_rows(editor_client):
    """Guards against N+1 in every changelist: 30 rows cost the same queries as 3."""
    urls = {name: reverse(f"admin:knowledge_{name}_changelist") for name in CHANGELIST_MODELS}
    for _ in range(3):
        one_of_everything()
    for url in urls.values():
        editor_client.get(url)  # warm caches (content types, sessions) before measuring
    few = {name: count_queries(editor_client, url) for name, url in urls.items()}
    for _ in range(27):
        one_of_everything()
    many = {name: count_queries(editor_client, url) for name, url in urls.items()}
    assert many == few


def test_case_changelist_filters_by_a_remedy_that_binds_as_the_public_list_does(editor_client):
    deletion = RemedyTypeFactory(slug="model-deletion")
    ordered = RemedyFactory(remedy_type=deletion, case__title="Ordered to delete").case
    RemedyFactory(remedy_type=deletion, origin="sought", case__title="Only sought")
    CaseFactory(title="No remedy")
    response = editor_client.get(admin_url(Case, "changelist"), {"remedy": "model-deletion"})
    assert response.status_code == 200
    assert list(response.context["cl"].result_list) == [ordered]
