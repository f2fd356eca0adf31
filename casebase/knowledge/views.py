"""Reader pages of the knowledge base."""

from django.db.models import Prefetch
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse

from .best_bets import best_bets
from .filters import ANY, CaseFilter, without_blanks
from .models import (
    Authority,
    Case,
    CaseStatus,
    Company,
    Dataset,
    ExposureEntry,
    ExposureList,
    PublicationStatus,
    Remedy,
    RemedyOrigin,
    RemedyType,
)
from .paging import page_of
from .search import search_site

HOME_RECENT_CASES = 6
# The remedy whose line of precedents the front page traces (DESIGN §5: a stable slug), and how many of its
# earliest cases the page shows; the remedy type's page has the whole lineage.
HOME_LINEAGE_REMEDY = "model-deletion"
HOME_LINEAGE_CASES = 8


def home(request):
    """Front page: the latest cases, the first model-deletion precedents, remedy types with counts, search."""
    published = Case.objects.published()
    # Counted as everywhere else: cases in which the remedy binds the company (`imposed_count`).
    remedy_types = list(RemedyType.objects.published().with_case_counts().filter(imposed_count__gt=0))
    lineage_type = next((t for t in remedy_types if t.slug == HOME_LINEAGE_REMEDY), None)
    context = {
        "case_count": published.count(),
        "recent_cases": published.for_list().latest_first()[:HOME_RECENT_CASES],
        "lineage_type": lineage_type,
        "lineage_cases": published.with_remedy(RemedyType.objects.filter(slug=HOME_LINEAGE_REMEDY))
        .select_related("authority")
        .oldest_first()[:HOME_LINEAGE_CASES]
        if lineage_type
        else [],
        "remedy_types": remedy_types,
    }
    return TemplateResponse(request, "knowledge/home.html", context)


def case_detail(request, slug):
    """One case end to end with its sources, and what related records did to its data and models."""
    case = get_object_or_404(Case.objects.published().for_detail().with_current_version(), slug=slug)
    context = {"case": case, "data_reach": case.data_reach}
    return TemplateResponse(request, "knowledge/case_detail.html", context)


def company_detail(request, slug):
    """A company, its cases and its subsidiaries' cases, its data, models and exposure."""
    company = get_object_or_404(Company.objects.published().for_detail().with_current_version(), slug=slug)
    family = list(Company.objects.published().in_ownership_tree(company))
    cases = Case.objects.published().involving(family).with_company_parties(family)
    cases = cases.select_related("authority", "forum").latest_first()
    context = {"company": company, "cases": cases, "rolls_up": len(family) > 1}
    return TemplateResponse(request, "knowledge/company_detail.html", context)


def authority_detail(request, slug):
    """An authority: the cases it brought or decided, and those it heard as the court."""
    authority = get_object_or_404(Authority.objects.published().with_current_version(), slug=slug)
    cases = list(Case.objects.published().before(authority).for_list().latest_first())
    context = {
        "authority": authority,
        "brought": [case for case in cases if case.authority_id == authority.pk],
        "heard": [case for case in cases if case.authority_id != authority.pk],
    }
    return TemplateResponse(request, "knowledge/authority_detail.html", context)


def remedytype_detail(request, slug):
    """The lineage of a remedy: every published case in which it binds, oldest first, the first one marked.

    `?origin=any` adds the cases in which it was only proposed, volunteered or sought, each labelled.
    """
    remedy_type = get_object_or_404(RemedyType.objects.published().with_case_counts().with_current_version(), slug=slug)
    include_nonbinding = request.GET.get("origin") == ANY
    remedies = list(
        Remedy.objects.published()
        .filter(remedy_type=remedy_type)
        .matching(include_nonbinding=include_nonbinding)
        .for_lineage()
        .key_date_ordered()
    )
    first = next((remedy for remedy in remedies if RemedyOrigin(remedy.origin).is_imposed), None)
    context = {
        "remedy_type": remedy_type,
        "remedies": remedies,
        "first_case_id": first.case_id if first else None,
        "include_nonbinding": include_nonbinding,
        "nonbinding_only": remedy_type.case_count - remedy_type.imposed_count,
    }
    return TemplateResponse(request, "knowledge/remedytype_detail.html", context)


def dataset_detail(request, slug):
    """A dataset: key data, what people were told next to what it was used for, models, remedies, cases."""
    dataset = get_object_or_404(Dataset.objects.published().for_detail().with_current_version(), slug=slug)
    return TemplateResponse(request, "knowledge/dataset_detail.html", {"dataset": dataset})


def exposurelist_detail(request, slug):
    """An exposure list: why the risk exists, the precedents, and the companies that may face it."""
    exposure_list = get_object_or_404(ExposureList.objects.published().for_detail().with_current_version(), slug=slug)
    return TemplateResponse(request, "knowledge/exposurelist_detail.html", {"exposure_list": exposure_list})


# --- Stubs: each is being built; keep the signatures and names (URL names equal view names). ---


def case_list(request):
    """The filterable list of cases with facet counts: the same CaseFilter as the exports, feeds and API."""
    tidy = without_blanks(request.GET)
    if tidy is not None:  # a submitted GET form sends its empty fields too; keep shared addresses short
        return redirect(request.path + tidy)
    filterset = CaseFilter(request.GET)
    page, page_problem = page_of(filterset.qs.for_list(), request.GET.get("page"))
    context = {
        "filter": filterset,
        "page_obj": page,
        "summary": filterset.summary(page),
        "problems": filterset.problems + ([page_problem] if page_problem else []),
        "facets": filterset.facets(),
        "year_facet": filterset.year_facet(),
    }
    return TemplateResponse(request, "knowledge/case_list.html", context)


def company_list(request):
    """Every published company, alphabetical, with its cases counted with its subsidiaries'."""
    companies = Company.objects.published().select_related("parent").with_case_counts()
    return TemplateResponse(request, "knowledge/company_list.html", {"companies": companies})


def authority_list(request):
    """Every published authority and court, grouped by kind, with counts of cases."""
    authorities = Authority.objects.published().with_case_counts().by_kind()
    return TemplateResponse(request, "knowledge/authority_list.html", {"authorities": authorities})


def remedytype_list(request):
    """The remedy taxonomy by category, with definitions and counts of cases."""
    remedy_types = RemedyType.objects.published().with_case_counts().by_category()
    return TemplateResponse(request, "knowledge/remedytype_list.html", {"remedy_types": remedy_types})


def dataset_list(request):
    """Every published dataset with its kind, size, collector and count of cases."""
    datasets = Dataset.objects.published().for_list()
    return TemplateResponse(request, "knowledge/dataset_list.html", {"datasets": datasets})


def exposurelist_list(request):
    """Every published exposure list with its precedents and number of companies."""
    # The index names each list's companies, not only their number (`ExposureListQuerySet.for_list` counts them).
    entries = ExposureEntry.objects.filter(company__status=PublicationStatus.PUBLISHED).select_related("company")
    exposure_lists = (
        ExposureList.objects.published()
        .for_list()
        .prefetch_related(Prefetch("entries", queryset=entries.order_by("company__name")))
    )
    return TemplateResponse(request, "knowledge/exposurelist_list.html", {"exposure_lists": exposure_lists})


def search(request):
    """Ranked full-text search over cases, companies, datasets and exposure lists, 20 to a page, best bets first."""
    results = search_site(request.GET.get("q", ""), kind=request.GET.get("type"))
    page_obj, page_problem = page_of(results, request.GET.get("page")) if results.q else (None, None)
    context = {
        "q": results.q,
        "results": results,
        "page_obj": page_obj,
        "page_problem": page_problem,
        # The remedy type or authority the words name, with its filtered case list: atop the first page only.
        "best_bets": best_bets(results.query) if page_obj and page_obj.number == 1 else [],
    }
    return TemplateResponse(request, "knowledge/search.html", context)


def about(request):
    """What casebase is and who it is for, with the accessibility statement and privacy notice."""
    return TemplateResponse(request, "knowledge/about.html")


def methodology(request):
    """How cases are chosen, sourced, verified and corrected."""
    # Read from the models so the page cannot drift from the cycles the review queue uses.
    cycles = {
        "open_case": Case(case_status=CaseStatus.INVESTIGATION).default_verify_days(),
        "closed_case": Case(case_status=CaseStatus.CLOSED).default_verify_days(),
        "company": Company.DEFAULT_VERIFY_EVERY_DAYS,
        "dataset": Dataset.DEFAULT_VERIFY_EVERY_DAYS,
        "exposure_list": ExposureList.DEFAULT_VERIFY_EVERY_DAYS,
        "authority": Authority.DEFAULT_VERIFY_EVERY_DAYS,
        "remedy_type": RemedyType.DEFAULT_VERIFY_EVERY_DAYS,
    }
    return TemplateResponse(request, "knowledge/methodology.html", {"cycles": cycles})


def robots_txt(request):
    """robots.txt: everything may be crawled but the admin and the editors' desk; where the sitemap is."""
    lines = [
        "User-agent: *",
        f"Disallow: {reverse('admin:index')}",
        "Disallow: /desk/",  # the editors' desk (DESIGN §5); its app may not be installed yet
        "Allow: /",
        "",
        f"Sitemap: {request.build_absolute_uri(reverse('knowledge:sitemap'))}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")
