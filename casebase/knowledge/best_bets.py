"""Best bets: the remedy type or authority a search query names, shown above the results.

A reader who types "model deletion", "FTC" or "Garante" is most likely asking for the cases with that
remedy, or before that body; the answer is the filtered case list, with the same count the list, the
home page and the remedy pages give. Remedy types and authorities are few, so each search reads them all
(one query each, counts included) and matches the reader's words against their names here, with the
query language of `search.parse`: every clause must match, excluded words must not, and a word matches
the start of a name's word, lightly stemmed ("deletions" names "deletion").

A query names a record when its words make up at least half of one of the record's names — its name,
short name or slug — so "FTC" and "civil penalty" name theirs, while "order" names nothing.
"""

from collections import Counter
from dataclasses import dataclass

from django.db.models import Count
from django.urls import reverse
from django.utils.http import urlencode

from .models import Authority, Case, RemedyType
from .search import STOP_WORDS, light_stem, words

MAX_BEST_BETS = 3
MIN_COVERAGE = 0.5
# A shorter word must be a name's whole word ("FTC", "DPC"); from four letters on, its start is enough.
MIN_PREFIX = 4


@dataclass
class BestBet:
    """A remedy type or authority named by the query, with the filtered case list it stands for."""

    kind: str  # "Remedy" or the authority's kind
    title: str
    url: str
    cases_url: str
    case_count: int
    cases_label: str  # "cases in which it binds the company", "cases brought, decided or heard"
    more_url: str = ""  # for a remedy: the list including the remedies that do not bind
    more_count: int = 0
    coverage: float = 0.0


def significant(text):
    """The words of a name that a query has to say: folded, stop words dropped."""
    return [word for word in words(text) if word not in STOP_WORDS]


def part_matches(part, name_words, prefix):
    """Whether one word of the query is one of `name_words`, or (typed bare, long enough) the start of one."""
    if len(part) < 2:  # a lone letter names nothing ("d" is not D.D.C.)
        return False
    stem = light_stem(part)
    if prefix and len(stem) >= MIN_PREFIX:
        return any(word.startswith(stem) for word in name_words)
    return any(word in (part, stem) for word in name_words)


def term_matches(term, name_words):
    """Every word of the term is among the name's words."""
    return all(part_matches(part, name_words, term.prefix) for part in term.parts if part not in STOP_WORDS)


def coverage(query, names):
    """The share of its best-covered name that the query says; 0 when the query does not match the record."""
    all_words = {word for name in names for word in significant(name)}
    if any(term_matches(term, all_words) for term in query.excluded):
        return 0.0
    chosen = []
    for alternatives in query.clauses:
        term = next((term for term in alternatives if term_matches(term, all_words)), None)
        if term is None:
            return 0.0
        chosen.append(term)
    parts = [(part, term.prefix) for term in chosen for part in term.parts if part not in STOP_WORDS]
    best = 0.0
    for name in names:
        name_words = significant(name)
        if name_words:
            said = [word for word in name_words if any(part_matches(p, [word], prefix) for p, prefix in parts)]
            best = max(best, len(said) / len(name_words))
    return best


def remedy_type_bets(query):
    cases_url = reverse("knowledge:case_list")
    for remedy_type in RemedyType.objects.published().with_case_counts():
        names = [remedy_type.name, remedy_type.slug.replace("-", " ")]
        score = coverage(query, names)
        if score >= MIN_COVERAGE:
            more = remedy_type.case_count - remedy_type.imposed_count
            yield BestBet(
                kind="Remedy",
                title=remedy_type.name,
                url=remedy_type.get_absolute_url(),
                cases_url=f"{cases_url}?{urlencode({'remedy': remedy_type.slug})}",
                case_count=remedy_type.imposed_count,
                cases_label="in which it binds the company",
                more_url=f"{cases_url}?{urlencode({'remedy': remedy_type.slug, 'origin': 'any'})}" if more else "",
                more_count=more,
                coverage=score,
            )


def authority_bets(query):
    # The case list's `authority` filter matches the body that brought or decided a case and the court that
    # heard it: count the same way, and only for the authorities the words name (one grouped query).
    matched = []
    for authority in Authority.objects.published():
        names = [authority.name, authority.short_name, authority.slug.replace("-", " ")]
        score = coverage(query, [name for name in names if name])
        if score >= MIN_COVERAGE:
            matched.append((authority, score))
    if not matched:
        return
    counts = Counter()
    rows = Case.objects.published().before([a for a, _ in matched]).order_by().values_list("authority_id", "forum_id")
    for authority_id, forum_id, n in rows.annotate(n=Count("pk")):
        for pk in {authority_id, forum_id} - {None}:
            counts[pk] += n
    cases_url = reverse("knowledge:case_list")
    for authority, score in matched:
        title = authority.name
        if authority.short_name and authority.short_name != authority.name:
            title += f" ({authority.short_name})"
        yield BestBet(
            kind=authority.get_kind_display(),
            title=title,
            url=authority.get_absolute_url(),
            cases_url=f"{cases_url}?{urlencode({'authority': authority.slug})}",
            case_count=counts[authority.pk],
            cases_label="brought, decided or heard",
            coverage=score,
        )


def best_bets(query):
    """The remedy types and authorities `query` (a parsed query) names, best covered first; two queries."""
    if not query:
        return []
    bets = [*remedy_type_bets(query), *authority_bets(query)]
    bets.sort(key=lambda bet: -bet.coverage)  # stable: remedy types before authorities at equal cover
    return bets[:MAX_BEST_BETS]
