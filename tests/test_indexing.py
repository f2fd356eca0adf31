"""Index upkeep: changes collected during a transaction and applied once, on commit (both databases)."""

import pytest
from django.db import transaction
from django.urls import reverse

from casebase.knowledge import indexing
from casebase.knowledge.models import SearchEntry, SearchKind
from tests.factories import CaseFactory, CompanyFactory, PartyFactory, RemedyFactory

# Real commits: Django's TestCase never commits, so on-commit work would never run inside it.
pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def refreshed(monkeypatch):
    """Every (kind, id) that update_index refreshes, once per refresh."""
    calls, real = [], indexing.update_index

    def spy(changes):
        calls.extend((SearchKind(kind), key) for kind, keys in changes.items() for key in keys)
        return real(changes)

    monkeypatch.setattr(indexing, "update_index", spy)
    return calls


def titles_found(client, q):
    response = client.get(reverse("knowledge:search"), {"q": q})
    return [hit.title for hit in response.context["page_obj"].object_list]


def test_related_changes_in_one_transaction_refresh_each_entry_once_on_commit(client, refreshed):
    """A case, its remedy, its party and the party's company changed together: each entry refreshed once, after."""
    company = CompanyFactory(name="Quokka Labs")
    case = CaseFactory(title="People v. Quokka Labs")
    refreshed.clear()
    with transaction.atomic():
        case.title = "People v. Wombat Labs"
        case.save()
        RemedyFactory(case=case)
        PartyFactory(case=case, company=company)
        company.name = "Wombat Labs"
        company.save()
        assert refreshed == []  # nothing yet: the transaction has not committed
        assert SearchEntry.objects.get(kind=SearchKind.CASE, object_id=case.pk).title == "People v. Quokka Labs"
    assert sorted(refreshed) == sorted([(SearchKind.CASE, case.pk), (SearchKind.COMPANY, company.pk)])
    assert "People v. Wombat Labs" in titles_found(client, "wombat")
    assert "Wombat Labs" in titles_found(client, "wombat")


def test_a_rolled_back_transaction_refreshes_nothing(client, refreshed):
    case = CaseFactory(title="Numbat v. Dingo")
    refreshed.clear()
    with pytest.raises(RuntimeError), transaction.atomic():
        case.title = "Platypus v. Dingo"
        case.save()
        raise RuntimeError
    assert refreshed == []
    assert titles_found(client, "platypus") == []
    with transaction.atomic():  # the next transaction collects afresh
        type(case).objects.filter(pk=case.pk).update(title="Echidna v. Dingo")
        indexing.schedule({SearchKind.CASE: {case.pk}})
    assert refreshed == [(SearchKind.CASE, case.pk)]
    assert titles_found(client, "echidna") == ["Echidna v. Dingo"]


def test_outside_a_transaction_a_change_applies_at_once(refreshed):
    case = CaseFactory(title="Bilby v. Quoll")
    assert (SearchKind.CASE, case.pk) in refreshed
    assert SearchEntry.objects.filter(kind=SearchKind.CASE, object_id=case.pk).exists()
