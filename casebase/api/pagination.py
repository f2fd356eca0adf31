"""Pages of API results with their counts; a bad page number is a 400 naming the pages there are."""

from django.core.paginator import InvalidPage
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response

from .errors import InvalidQuery, ParameterProblem

PAGE_SIZE = 50
MAX_PAGE_SIZE = 100


class CountedPagination(PageNumberPagination):
    """`?page=` and `?page_size=` (1 to 100, default 50), with the count of results and of pages."""

    page_size = PAGE_SIZE
    page_size_query_param = "page_size"
    max_page_size = MAX_PAGE_SIZE

    def get_page_size(self, request):
        raw = request.query_params.get(self.page_size_query_param)
        if raw is None or not raw.strip():
            return self.page_size
        size = _whole_number(raw)
        if size is None or not 1 <= size <= self.max_page_size:
            accepts = f"a whole number from 1 to {self.max_page_size}; {self.page_size} when not given"
            message = f"page_size=“{raw}” is not accepted. page_size takes {accepts}."
            raise InvalidQuery([ParameterProblem("page_size", [raw], message, accepts)])
        return size

    def paginate_queryset(self, queryset, request, view=None):
        self.request = request
        size = self.get_page_size(request)
        paginator = self.django_paginator_class(queryset, size)
        raw = request.query_params.get(self.page_query_param) or "1"
        number = _whole_number(raw)
        try:
            if number is None:
                raise InvalidPage
            self.page = paginator.page(number)
        except InvalidPage:
            last = paginator.num_pages
            accepts = f"a whole number from 1 to {last}: these results fill {last} page{'' if last == 1 else 's'}"
            message = f"page=“{raw}” is not accepted. page takes {accepts}."
            raise InvalidQuery([ParameterProblem("page", [raw], message, accepts)]) from None
        return list(self.page)

    def get_paginated_response(self, data):
        return Response(
            {
                "count": self.page.paginator.count,
                "total_pages": self.page.paginator.num_pages,
                "page": self.page.number,
                "page_size": self.page.paginator.per_page,
                "next": self.get_next_link(),
                "previous": self.get_previous_link(),
                "results": data,
            }
        )

    def get_paginated_response_schema(self, schema):
        link = {"type": "string", "format": "uri", "nullable": True}
        return {
            "type": "object",
            "required": ["count", "total_pages", "page", "page_size", "next", "previous", "results"],
            "properties": {
                "count": {"type": "integer", "description": "How many results the query has, on all pages."},
                "total_pages": {"type": "integer", "description": "How many pages the results fill (at least 1)."},
                "page": {"type": "integer", "description": "The number of this page, from 1."},
                "page_size": {"type": "integer", "description": "Results per page (page_size, default 50)."},
                "next": {**link, "description": "The next page's address, or null on the last page."},
                "previous": {**link, "description": "The previous page's address, or null on the first page."},
                "results": {**schema, "description": "The records on this page."},
            },
        }

    def get_schema_operation_parameters(self, view):
        return [
            {
                "name": self.page_query_param,
                "required": False,
                "in": "query",
                "description": "Page number, from 1 (the default) to total_pages.",
                "schema": {"type": "integer", "minimum": 1},
            },
            {
                "name": self.page_size_query_param,
                "required": False,
                "in": "query",
                "description": f"Results per page, from 1 to {self.max_page_size}; {self.page_size} when not given.",
                "schema": {"type": "integer", "minimum": 1, "maximum": self.max_page_size},
            },
        ]


def _whole_number(text):
    """`text` as a whole number, or None; surrounding spaces allowed, as the HTML list allows them."""
    text = text.strip()
    if not text.isascii() or not text.isdigit():
        return None
    return int(text)
