"""The synthetic corpus (manage.py generate_corpus): deterministic, counted, kept apart from real content, and
as sound as real data: it passes the record's checks, its pages render, and its search index is the one
`rebuild_index` builds."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.db.models import Q
from django.test.utils import CaptureQueriesContext

from casebase.knowledge import corpus
from casebase.knowledge.content_checks import FAIL, run_checks
from casebase.knowledge.indexing import rebuild_index
from casebase.knowledge.models import (
    Authority,
    Case,
    CaseRelation,
    Citation,
    Company,
    Dataset,
    DatePrecision,
    ExchangeRate,
    ExposureEntry,
    ExposureList,
    Party,
    PublicationStatus,
    Remedy,
    RemedyOrigin,
    SearchEntry,
    Source,
    TimelineEvent,
    TrainedModel,
)
from tests.factories import CaseFactory

pytestmark = pytest.mark.django_db

GENERATED = (Case, Company, Authority, Dataset, ExposureList, TrainedModel)


def snapshot():
    """What a corpus says, without keys or timestamps, in an order that does not depend on them."""
    return {
        "cases": list(
            Case.objects.order_by("slug").values_list(
                "slug", "title", "kind", "case_status", "authority__slug", "forum__slug", "jurisdiction",
                "started_on", "decided_on", "summary", "body", "open_questions", "status", "last_verified_at",
            )
        ),
        "remedies": sorted(
            Remedy.objects.values_list(
                "case__slug", "remedy_type__slug", "origin", "status", "amount", "currency", "amount_usd",
                "exchange_rate__usd_per_unit", "summary",
            )
        ),
        "companies": list(Company.objects.order_by("slug").values_list("slug", "name", "parent__slug", "status")),
        "parties": sorted(Party.objects.values_list("case__slug", "company__slug", "role")),
        "datasets": list(Dataset.objects.order_by("slug").values_list("slug", "name", "modality", "size_value")),
        "sources": list(Source.objects.order_by("url").values_list("url", "title", "kind", "published_on")),
        "timeline": sorted(TimelineEvent.objects.values_list("case__slug", "date", "title", "source__url")),
        "relations": sorted(CaseRelation.objects.values_list("from_case__slug", "to_case__slug", "kind")),
        "exposure": sorted(ExposureEntry.objects.values_list("exposure_list__slug", "company__slug", "level")),
    }  # fmt: skip


def test_the_same_seed_gives_the_same_corpus():
    corpus.generate(40, seed=5)
    first = snapshot()
    corpus.remove()
    assert not any(model.objects.exists() for model in GENERATED)
    assert not SearchEntry.objects.exists() and not Source.objects.exists()
    corpus.generate(40, seed=5)
    assert snapshot() == first
    corpus.remove()
    corpus.generate(40, seed=6)
    assert snapshot()["cases"] != first["cases"]


def test_counts_and_a_realistic_mix():
    counts = corpus.generate(150, seed=1)
    assert Case.objects.count() == counts["cases"] == 150
    for label, model in [
        ("companies", Company),
        ("remedies", Remedy),
        ("parties", Party),
        ("datasets", Dataset),
        ("trained models", TrainedModel),
        ("sources", Source),
        ("citations", Citation),
        ("timeline events", TimelineEvent),
        ("exposure entries", ExposureEntry),
        ("exchange rates", ExchangeRate),
    ]:
        assert model.objects.count() == counts[label] > 0, label
    published = sum(model.objects.published().count() for model in (Case, Company, Dataset, ExposureList))
    assert SearchEntry.objects.count() == counts["search entries"] == published
    # A mix like the real record's: most remedy types, every origin, several currencies, owned companies,
    # and some records readers must never see.
    assert Remedy.objects.values("remedy_type").distinct().count() >= 10
    assert set(Remedy.objects.values_list("origin", flat=True)) == set(RemedyOrigin.values)
    assert {"USD", "EUR", "GBP"} <= set(Remedy.objects.values_list("currency", flat=True))
    assert Company.objects.filter(parent__parent__isnull=False).exists()
    assert Case.objects.exclude(status=PublicationStatus.PUBLISHED).exists()
    assert Case.objects.filter(remedies__remedy_type__slug="model-deletion").exists()


def test_the_command_refuses_a_database_with_real_published_content(capsys):
    CaseFactory(slug="ftc-everalbum", status=PublicationStatus.PUBLISHED)
    with pytest.raises(CommandError, match="real published content"):
        call_command("generate_corpus", "--cases", "5")
    assert Case.objects.count() == 1
    call_command("generate_corpus", "--cases", "5", "--force")
    assert Case.objects.count() == 6
    assert Case.objects.filter(slug="ftc-everalbum").exists()


def test_drafts_are_not_real_content_and_a_second_run_replaces_the_first(capsys):
    CaseFactory(slug="draft-in-progress", status=PublicationStatus.DRAFT, authority=None)
    call_command("generate_corpus", "--cases", "12", "--seed", "3")
    call_command("generate_corpus", "--cases", "7", "--seed", "4")
    assert Case.objects.filter(slug__startswith=corpus.PREFIX).count() == 7
    assert Case.objects.filter(slug="draft-in-progress").exists()
    assert "Generated" in capsys.readouterr().out


def test_generated_data_passes_the_record_checks_and_model_validation():
    corpus.generate(150, seed=2)
    assert [str(f) for f in run_checks() if f.level == FAIL] == []
    for remedy in Remedy.objects.filter(amount__isnull=False).select_related("exchange_rate"):
        assert remedy.amount_usd == remedy.dollar_value()  # derived as Remedy.save() derives it
    for case in Case.objects.all():
        for field in ("started_on", "decided_on"):
            value, precision = getattr(case, field), getattr(case, f"{field}_precision")
            assert value is None or value == DatePrecision(precision).normalise(value)
    for model in (Case, Company, Authority, Dataset, TrainedModel, Source, Remedy, Party, TimelineEvent):
        for record in model.objects.all()[:25]:
            record.full_clean()
    for model in (ExposureList, ExposureEntry, Citation, ExchangeRate, CaseRelation):
        for record in model.objects.all()[:10]:
            record.full_clean()


def entries():
    fields = ["kind", "object_id", "slug", "title", "detail", "names", "summary", "body"]
    if connection.vendor == "postgresql":
        return {tuple(row[:-1]) + (str(row[-1]),) for row in SearchEntry.objects.values_list(*fields, "vector")}
    return set(SearchEntry.objects.values_list(*fields))


def test_the_search_index_is_the_one_rebuild_index_builds(client):
    corpus.generate(80, seed=3)
    written = entries()
    rebuild_index()
    assert entries() == written
    company = Company.objects.published().filter(slug__startswith=corpus.PREFIX).order_by("pk").first()
    response = client.get("/search/", {"q": company.name})
    assert company.get_absolute_url() in response.text


def test_published_pages_render_and_others_do_not(client):
    corpus.generate(60, seed=4)
    published = [
        *[model.objects.published().order_by("pk")[:3] for model in (Case, Company, Authority, Dataset)],
        ExposureList.objects.published(),
    ]
    for records in published:
        for record in records:
            assert client.get(record.get_absolute_url()).status_code == 200, record.get_absolute_url()
    for url in ["/", "/cases/", "/cases/?remedy=model-deletion", "/remedies/model-deletion/", "/companies/"]:
        assert client.get(url).status_code == 200, url
    hidden = Case.objects.exclude(status=PublicationStatus.PUBLISHED).first()
    assert client.get(hidden.get_absolute_url()).status_code == 404


def fullest_case():
    """A published case with as much on its page as a generated case has: data, a model, cited remedies, links."""
    cases = Case.objects.published().filter(
        datasets__trained_models__isnull=False, remedies__citations__isnull=False, legal_bases__isnull=False
    )
    return cases.filter(Q(relations_out__isnull=False) | Q(relations_in__isnull=False)).order_by("pk").first()


def test_query_counts_do_not_grow_with_the_corpus(client, django_assert_num_queries):
    """Guards against N+1 queries: the same pages cost the same queries with ten times the cases around them."""
    corpus.generate(60, seed=7)
    case = fullest_case()
    assert case is not None
    pages = [case.get_absolute_url(), "/cases/?remedy=model-deletion", "/cases/", "/", "/search/?q=voice+cloning"]
    costs = {}
    for url in pages:
        client.get(url)  # the first request fills per-process caches (content types, settings)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        costs[url] = len(queries)
    assert "remedy" in client.get("/cases/?remedy=model-deletion").text
    corpus.generate(600, seed=8)  # beside the first corpus: ten times the cases, the same pages
    for url in pages:
        with django_assert_num_queries(costs[url]):
            assert client.get(url).status_code == 200
