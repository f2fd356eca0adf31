"""Pages of results shared by the case list and search: forgiving page numbers, elided page links."""

from django.core.paginator import Paginator

PER_PAGE = 20


def shorten(text, limit=40):
    """`text` cut to `limit` characters with an ellipsis, for echoing reader input in messages."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def page_of(items, number, per_page=PER_PAGE):
    """The page asked for, or the nearest real one and a sentence saying why: never an error.

    The page carries `elided_range`, the page numbers (with gaps) that includes/_pagination.html links to.
    """
    paginator = Paginator(items, per_page)
    wanted, problem = 1, None
    text = "" if number is None else str(number).strip()
    if text:
        try:
            wanted = int(text)
        except ValueError:
            problem = f"Page “{shorten(text)}” was ignored: a page is a whole number, such as 2."
    if wanted < 1:
        wanted, problem = 1, f"There is no page {wanted}, so the first page is shown."
    elif wanted > paginator.num_pages:
        last = paginator.num_pages
        pages = f"{last} page{'' if last == 1 else 's'}"
        wanted, problem = last, f"There is no page {wanted}: these results fill {pages}, so the last is shown."
    page = paginator.page(wanted)
    page.elided_range = list(paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1))
    return page, problem
