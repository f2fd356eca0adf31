"""Research pages: statistics with charts, compare, versioned permalinks and citation downloads."""

import re

from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.template.loader import render_to_string
from django.template.response import TemplateResponse

from . import cite, versions
from . import compare as comparing
from . import stats as statistics

VIEWS = ("chart", "table")
VERSION_ID = re.compile(r"[0-9]{1,18}")


def stats(request):
    """Charts of the published cases, each with a data table, a CSV and a link from every bar to the list."""
    view = request.GET.get("view")
    context = {"charts": statistics.charts(), "view": view if view in VIEWS else "chart"}
    return TemplateResponse(request, "knowledge/stats.html", context)


def stats_csv(request, chart):
    """One chart's data as CSV (UTF-8 with a byte-order mark)."""
    found = statistics.chart(chart)
    if found is None:
        raise Http404("No such chart.")
    response = HttpResponse(
        statistics.chart_csv(found, request.build_absolute_uri), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="casebase-{found.slug}.csv"'
    return response


def stats_svg(request, chart):
    """One chart as a standalone SVG file, its links absolute."""
    found = statistics.chart(chart)
    if found is None:
        raise Http404("No such chart.")
    base = request.build_absolute_uri("/").rstrip("/")
    svg = render_to_string("knowledge/chart.svg", {"chart": found, "base": base, "standalone": True}, request)
    response = HttpResponse(svg, content_type="image/svg+xml; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="casebase-{found.slug}.svg"'
    return response


def compare(request):
    """Two to four cases side by side (`?case=a&case=b`); anything else gets a message and the pickers."""
    comparison = comparing.compare_cases(request.GET.getlist("case"))
    context = {"comparison": comparison, "choices": comparing.choices(), "max_cases": comparing.MAX_CASES}
    return TemplateResponse(request, "knowledge/compare.html", context)


def page_version(request, kind, slug, history_id):
    """A public page as it was at one version, with a banner linking to the current page."""
    version = versions.find_version(kind, slug, int(history_id))
    if kind == "cases":
        context = {"version": version, "then": versions.case_version(version)}
        return TemplateResponse(request, "knowledge/case_version.html", context)
    context = {"version": version, "fields": versions.page_fields(version), "kind_label": versions.KIND_LABELS[kind]}
    return TemplateResponse(request, "knowledge/page_version.html", context)


def page_citation(request, kind, slug, fmt):
    """The citation of a page as a file for reference managers: BibTeX, RIS or CSL-JSON (`?version=` one)."""
    model = versions.KINDS.get(kind)
    if model is None or fmt not in cite.FORMATS:
        raise Http404("No such citation.")
    page = get_object_or_404(model.objects.published(), slug=slug)
    record = None
    if request.GET.get("version"):
        wanted = request.GET["version"]
        if not VERSION_ID.fullmatch(wanted):  # str.isdigit would let "²" through to int()
            raise Http404("No such version.")
        record = versions.find_version(kind, slug, int(wanted)).record
    citation = cite.cite(page, request, record)
    content_type, style = cite.FORMATS[fmt]
    response = HttpResponse(getattr(citation, style)(), content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{citation.key}.{fmt}"'
    return response
