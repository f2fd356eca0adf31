"""sitemap.xml: published pages only, with their last-modified dates."""

from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from .models import Authority, Case, Company, Dataset, ExposureList, RemedyType


class PagesSitemap(Sitemap):
    """The front page, the lists and the pages about the site."""

    names = [
        "home",
        "case_list",
        "company_list",
        "authority_list",
        "remedytype_list",
        "dataset_list",
        "exposurelist_list",
        "about",
        "methodology",
    ]

    def items(self):
        return self.names

    def location(self, item):
        return reverse(f"knowledge:{item}")


class PublishedSitemap(Sitemap):
    """Every published record of one model, at its own page, last modified when it was last saved."""

    model = None

    def items(self):
        return self.model.objects.published().only("slug", "updated_at").order_by("slug")

    def lastmod(self, item):
        return item.updated_at


class CaseSitemap(PublishedSitemap):
    model = Case


class CompanySitemap(PublishedSitemap):
    model = Company


class AuthoritySitemap(PublishedSitemap):
    model = Authority


class RemedyTypeSitemap(PublishedSitemap):
    model = RemedyType


class DatasetSitemap(PublishedSitemap):
    model = Dataset


class ExposureListSitemap(PublishedSitemap):
    model = ExposureList


SITEMAPS = {
    "pages": PagesSitemap,
    "cases": CaseSitemap,
    "companies": CompanySitemap,
    "authorities": AuthoritySitemap,
    "remedies": RemedyTypeSitemap,
    "datasets": DatasetSitemap,
    "exposure": ExposureListSitemap,
}
