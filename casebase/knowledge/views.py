"""Reader pages of the knowledge base."""

from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse

from .models import Authority, Case, Company, Dataset, ExposureList, RemedyType


def home(request):
    """Front page: the published cases, newest first."""
    cases = Case.objects.published().for_list().key_date_ordered()
    return TemplateResponse(request, "knowledge/home.html", {"cases": cases})


def case_detail(request, slug):
    """One case end to end with its sources."""
    case = get_object_or_404(Case.objects.published().for_detail(), slug=slug)
    return TemplateResponse(request, "knowledge/case_detail.html", {"case": case})


def company_detail(request, slug):
    """A company and its cases."""
    company = get_object_or_404(Company.objects.published(), slug=slug)
    return TemplateResponse(request, "knowledge/company_detail.html", {"company": company})


def authority_detail(request, slug):
    """An authority and its cases."""
    authority = get_object_or_404(Authority.objects.published(), slug=slug)
    return TemplateResponse(request, "knowledge/authority_detail.html", {"authority": authority})


def remedytype_detail(request, slug):
    """A remedy type and every case that imposed it."""
    remedy_type = get_object_or_404(RemedyType.objects.published(), slug=slug)
    return TemplateResponse(request, "knowledge/remedytype_detail.html", {"remedy_type": remedy_type})


def dataset_detail(request, slug):
    """A dataset: what people were told next to what it was used for."""
    dataset = get_object_or_404(Dataset.objects.published(), slug=slug)
    return TemplateResponse(request, "knowledge/dataset_detail.html", {"dataset": dataset})


def exposurelist_detail(request, slug):
    """A curated exposure list."""
    exposure_list = get_object_or_404(ExposureList.objects.published(), slug=slug)
    return TemplateResponse(request, "knowledge/exposurelist_detail.html", {"exposure_list": exposure_list})


# --- Stubs: each is being built; keep the signatures and names (URL names equal view names). ---


def case_list(request):
    """The filterable list of cases."""
    raise NotImplementedError


def company_list(request):
    """Every published company."""
    raise NotImplementedError


def authority_list(request):
    """Every published authority and court."""
    raise NotImplementedError


def remedytype_list(request):
    """The remedy taxonomy with counts of cases."""
    raise NotImplementedError


def dataset_list(request):
    """Every published dataset."""
    raise NotImplementedError


def exposurelist_list(request):
    """Every published exposure list."""
    raise NotImplementedError


def search(request):
    """Ranked full-text search over cases, companies, datasets and exposure lists."""
    raise NotImplementedError


def about(request):
    """What casebase is and who it is for."""
    raise NotImplementedError


def methodology(request):
    """How cases are chosen, sourced, verified and corrected."""
    raise NotImplementedError


def robots_txt(request):
    """robots.txt pointing at the sitemap."""
    raise NotImplementedError
