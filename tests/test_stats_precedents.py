"""The precedent network: a case lists the cases it follows and those that follow it; a remedy type's lineage is
drawn as a timeline with a line to each precedent. Unpublished cases appear in neither."""

import datetime

import pytest
from django.template import Context, Template

from casebase.knowledge.models import Case, PublicationStatus, RelationKind, Remedy, RemedyOrigin
from casebase.knowledge.precedents import build_timeline, precedents_of
from tests.factories import CaseFactory, CaseRelationFactory, RemedyFactory, RemedyTypeFactory

pytestmark = pytest.mark.django_db
FOLLOWS = RelationKind.FOLLOWS


def day(year, month=1, dd=1):
    return datetime.date(year, month, dd)


@pytest.fixture
def line():
    """Cambridge Analytica (2019) <- Everalbum (2021) <- Rite Aid (2023) <- Avast (2024), with a draft follower
    and a merely related case."""
    deletion = RemedyTypeFactory(slug="model-deletion", name="Model deletion")
    cases = {}
    for slug, year in (("cambridge", 2019), ("everalbum", 2021), ("rite-aid", 2023), ("avast", 2024)):
        cases[slug] = CaseFactory(slug=slug, title=f"In re {slug}", started_on=day(year), decided_on=day(year, 6, 1))
        RemedyFactory(case=cases[slug], remedy_type=deletion)
    cases["draft"] = CaseFactory(slug="draft", title="Draft follower", status=PublicationStatus.DRAFT)
    RemedyFactory(case=cases["draft"], remedy_type=deletion)
    cases["sought"] = CaseFactory(slug="sought", title="In re sought", decided_on=None, started_on=day(2025))
    RemedyFactory(case=cases["sought"], remedy_type=deletion, origin=RemedyOrigin.SOUGHT)
    for later, earlier in (("everalbum", "cambridge"), ("rite-aid", "everalbum"), ("avast", "rite-aid")):
        CaseRelationFactory(from_case=cases[later], to_case=cases[earlier], kind=FOLLOWS, note=f"{later} note")
    CaseRelationFactory(from_case=cases["draft"], to_case=cases["everalbum"], kind=FOLLOWS)
    CaseRelationFactory(from_case=cases["sought"], to_case=cases["everalbum"], kind=RelationKind.RELATED)
    cases["type"] = deletion
    return cases


def test_a_case_lists_both_directions_without_a_query(line, django_assert_num_queries):
    case = Case.objects.published().for_detail().get(slug="everalbum")
    with django_assert_num_queries(0):  # for_detail prefetched the relations
        found = precedents_of(case)
    assert [link.case.slug for link in found.follows] == ["cambridge"]
    assert [link.case.slug for link in found.followed_by] == ["rite-aid"]  # not the draft, not 'related'
    assert found.followed_by[0].note == "rite-aid note"


def test_without_the_prefetch_one_query_and_still_only_published(line, django_assert_num_queries):
    case = Case.objects.get(slug="everalbum")
    with django_assert_num_queries(1):
        found = precedents_of(case)
    assert [link.case.slug for link in found.followed_by] == ["rite-aid"]


def test_the_partial(line):
    template = Template("{% load research %}{% precedents case %}")
    case = Case.objects.published().for_detail().get(slug="rite-aid")
    html = template.render(Context({"case": case}))
    assert "This case follows" in html and 'href="/cases/everalbum/"' in html
    assert "Cases that follow this one" in html and 'href="/cases/avast/"' in html
    assert "Draft follower" not in html
    lonely = Case.objects.published().for_detail().get(slug="sought")
    assert template.render(Context({"case": lonely})).strip() == ""  # 'related' is not a precedent


def lineage(remedy_type, include_nonbinding=False):
    """The remedies as the remedy-type page loads them (views.remedytype_detail)."""
    return list(
        Remedy.objects.published()
        .filter(remedy_type=remedy_type)
        .matching(include_nonbinding=include_nonbinding)
        .for_lineage()
        .key_date_ordered()
    )


def test_lineage_timeline(line, django_assert_num_queries):
    remedies = lineage(line["type"])
    with django_assert_num_queries(1):  # the 'follows' links among the lineage's cases
        timeline = build_timeline(line["type"], remedies)
    assert [row.case.slug for row in timeline.rows] == ["cambridge", "everalbum", "rite-aid", "avast"]
    assert [row.first for row in timeline.rows] == [True, False, False, False]
    assert sorted((c.precedent.case.slug, c.follower.case.slug) for c in timeline.connectors) == [
        ("cambridge", "everalbum"),
        ("everalbum", "rite-aid"),
        ("rite-aid", "avast"),
    ]
    xs = [row.x for row in timeline.rows]
    assert xs == sorted(xs) and len(set(xs)) == 4  # placed by date
    assert [(bar.year, bar.count) for bar in timeline.years if bar.count] == [
        (2019, 1),
        (2021, 1),
        (2023, 1),
        (2024, 1),
    ]
    assert timeline.years[0].url == "/cases/?remedy=model-deletion&year_from=2019&year_to=2019"


def test_lineage_with_remedies_that_do_not_bind(line):
    timeline = build_timeline(line["type"], lineage(line["type"], include_nonbinding=True), include_nonbinding=True)
    sought = timeline.rows[-1]
    assert sought.case.slug == "sought" and not sought.binds and "(sought by a plaintiff)" in sought.label
    assert timeline.years[-1].url == "/cases/?remedy=model-deletion&origin=any&year_from=2025&year_to=2025"


def test_lineage_partial_renders_svg_without_inline_style(line):
    template = Template("{% load research %}{% lineage_timeline remedy_type remedies %}")
    html = template.render(Context({"remedy_type": line["type"], "remedies": lineage(line["type"])}))
    assert html.count("<svg") == 1 and html.count("marker-end=") == 3
    assert 'href="/cases/cambridge/"' in html and "— first" in html
    assert " style=" not in html and "<style" not in html
    empty = RemedyTypeFactory(slug="nothing-yet")
    assert template.render(Context({"remedy_type": empty, "remedies": []})).strip() == ""
