"""Data for researchers: exports of the filtered case list, the data dictionary, the downloads page and its files."""

import datetime

from django.http import FileResponse, Http404
from django.template.response import TemplateResponse

from . import dumps, exports
from .filters import CaseFilter


def case_export_csv(request):
    """The filtered case list, every page of it, as CSV (UTF-8 with a byte-order mark)."""
    return exports.export_response(request, CaseFilter(request.GET), "csv")


def case_export_json(request):
    """The filtered case list, every page of it, as one JSON document."""
    return exports.export_response(request, CaseFilter(request.GET), "json")


def case_export_jsonl(request):
    """The filtered case list, every page of it, as JSON Lines: one case per line."""
    return exports.export_response(request, CaseFilter(request.GET), "jsonl")


def data_dictionary(request):
    """Every column of the case exports and every table of the bulk dump, described from help_text."""
    context = {"columns": exports.COLUMNS, "tables": dumps.TABLES, "separator": exports.LIST_SEPARATOR}
    return TemplateResponse(request, "knowledge/data_dictionary.html", context)


def downloads(request):
    """The latest bulk dump with its size, date and SHA-256, and the exports of the case list."""
    dump = dumps.latest_dump()
    context = {
        "dump": dump,
        "created": datetime.datetime.fromisoformat(dump["created_at"]) if dump else None,
        "rows": sum(dump["tables"].values()) if dump else 0,
        "licence_url": exports.LICENCE_URL,
    }
    return TemplateResponse(request, "knowledge/downloads.html", context)


def dump_file(request, name):
    """One file of a dump, by its name on the downloads page."""
    path = dumps.dump_path(name)
    if path is None:
        raise Http404("No such dump.")
    return FileResponse(path.open("rb"), as_attachment=True, filename=name)
