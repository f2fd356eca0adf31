"""Full-text search: SQLite FTS5 or PostgreSQL weighted vectors, chosen by the database in use.

Every published case, company, dataset and exposure list has one `SearchEntry` row holding its
text in four fields weighted title > names > summary > body. The reader's words are parsed here,
once, into the same small language on both databases (websearch style: words, "quoted phrases",
`or`, `-word`; every word also matches as a prefix, so "clear" finds Clearview), then compiled to
an FTS5 MATCH expression ranked with bm25() column weights, or to a tsquery ranked with
ts_rank() over setweight() A/B/C/D. Anything a reader types is only ever words: punctuation is
dropped before a query is built, so no input can be a syntax error on either database.
Snippets are cut and highlighted in Python, the same on both, and HTML-escaped except the marks.
Building and refreshing the entries is indexing.py's job.
"""

import html
import re
import unicodedata
from dataclasses import dataclass, field

import markdown as md
from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.db import connection
from django.db.models import Count, Expression, F, FloatField, OuterRef, Subquery, Value
from django.db.models.expressions import RawSQL
from django.urls import reverse
from django.utils.html import format_html, strip_tags
from django.utils.safestring import SafeString, mark_safe

from .models import Case, SearchEntry, SearchKind

# Field weights, title first. bm25() takes them in column order; ts_rank() takes {D, C, B, A}.
# Both are 10 : 4 : 2 : 1, so a word in a title outweighs the same word in a long body.
FIELDS = ("title", "names", "summary", "body")
FTS_WEIGHTS = (10.0, 4.0, 2.0, 1.0)
PG_WEIGHTS = [0.1, 0.2, 0.4, 1.0]
PG_LETTERS = dict(zip(FIELDS, "ABCD", strict=True))
PG_CONFIG = "english"

MAX_QUERY_CHARS = 256
MAX_TERMS = 12
SNIPPET_WORDS = 32

FTS_TABLE = "knowledge_searchentry_fts"

# PostgreSQL's English stop words (tsearch_data/english.stop). PostgreSQL drops them from vectors
# and queries; dropping them from queries here too keeps SQLite's answers the same.
STOP_WORDS_TEXT = """i me my myself we our ours ourselves you your yours yourself yourselves he him his himself she
    her hers herself it its itself they them their theirs themselves what which who whom this that
    these those am is are was were be been being have has had having do does did doing a an the and
    but if or because as until while of at by for with about against between into through during
    before after above below to from up down in out on off over under again further then once here
    there when where why how all any both each few more most other some such no nor not only own
    same so than too very s t can will just don should now"""
STOP_WORDS = frozenset(STOP_WORDS_TEXT.split())

# Letters and digits in any script; everything else (punctuation, operators, emoji) separates words.
WORD = re.compile(r"[^\W_]+")
# A reader's query: optional minus, then a "quoted phrase" (the closing quote optional) or a bare run.
TOKEN = re.compile(r'(-?)"([^"]*)"?|(-?)([^\s"]+)')
# Control and private-use characters show as nothing (or as boxes) in a snippet; they are not indexed.
INVISIBLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ue000-\uf8ff]")


# ---------------------------------------------------------------------------
# Text
# ---------------------------------------------------------------------------


def fold(text):
    """Lower case without diacritics: 'Libertés' → 'libertes' (FTS5's remove_diacritics does the same)."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).lower()


def words(text):
    return WORD.findall(fold(text))


def clean(text):
    """Plain text on one line: no control or private-use characters, whitespace collapsed."""
    return " ".join(INVISIBLE.sub("", text or "").split())


def plain(markdown_text):
    """The words of a Markdown field without its markup, for indexing and snippets."""
    if not markdown_text:
        return ""
    return clean(html.unescape(strip_tags(md.markdown(markdown_text))))


def join(*parts, sep=" · "):
    return sep.join(clean(part) for part in parts if part and clean(part))


# ---------------------------------------------------------------------------
# Queries: one parse, two compilers
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Term:
    """A word (`parts` of one) or a phrase; `prefix` lets its last word match longer words."""

    parts: tuple
    prefix: bool

    def fts5(self):
        # Parts are letters and digits only, so the double-quoted FTS5 string cannot be broken out of.
        return '"' + " ".join(self.parts) + '"' + ("*" if self.prefix else "")

    def tsquery(self):
        """A tsquery operand; stop words leave gaps that the phrase distance keeps, as PostgreSQL counts them."""
        out, gap = [], 1
        for i, part in enumerate(self.parts):
            if part in STOP_WORDS:
                gap += 1
                continue
            lexeme = "'" + part.replace("'", "''") + "'"
            if self.prefix and i == len(self.parts) - 1:
                lexeme += ":*"
            out.append(lexeme if not out else f"{'<->' if gap == 1 else f'<{gap}>'} {lexeme}")
            gap = 1
        return "(" + " ".join(out) + ")" if len(out) > 1 else out[0]

    @property
    def searchable(self):
        return any(part not in STOP_WORDS for part in self.parts)


@dataclass
class ParsedQuery:
    """The reader's words: clauses all required (each a list of alternatives), and words to exclude."""

    clauses: list = field(default_factory=list)
    excluded: list = field(default_factory=list)

    def __bool__(self):
        return bool(self.clauses)

    def fts5(self):
        """An FTS5 MATCH expression: ("a"* OR "b"*) AND "c d" NOT ("e")."""
        expr = " AND ".join("(" + " OR ".join(t.fts5() for t in alts) + ")" for alts in self.clauses)
        if self.excluded:
            expr = f"({expr}) NOT (" + " OR ".join(t.fts5() for t in self.excluded) + ")"
        return expr

    def tsquery(self, ranking=False):
        """The same query as a raw tsquery: ('a':* | 'b':*) & ('c' <-> 'd') & !'e'.

        ts_rank() scores any query with a negation as 0, so the ranking query leaves the exclusions out.
        """
        expr = " & ".join("(" + " | ".join(t.tsquery() for t in alts) + ")" for alts in self.clauses)
        if self.excluded and not ranking:
            expr += " & !(" + " | ".join(t.tsquery() for t in self.excluded) + ")"
        return expr

    def search_query(self, ranking=False):
        return SearchQuery(self.tsquery(ranking), search_type="raw", config=PG_CONFIG)

    @property
    def stems(self):
        """What the highlighter looks for: each searched word, lightly stemmed, as a prefix."""
        found = []
        for alts in self.clauses:
            for term in alts:
                for part in term.parts:
                    stem = light_stem(part)
                    if part not in STOP_WORDS and stem not in found:
                        found.append(stem)
        return found


def parse(q):
    """Parse a reader's query; never fails. A query with nothing searchable is falsy."""
    query = ParsedQuery()
    pending_or = False
    count = 0
    for match in TOKEN.finditer((q or "")[:MAX_QUERY_CHARS]):
        negated = bool(match.group(1) or match.group(3))
        phrase = match.group(2)
        raw = match.group(4) if phrase is None else phrase
        if phrase is None and raw.lower() == "or":
            pending_or = bool(query.clauses)
            continue
        parts = tuple(words(raw))
        if not parts:
            continue
        # A quoted phrase is exact; a bare word or run such as "x-mo" matches as a prefix.
        term = Term(parts=parts, prefix=phrase is None)
        if not term.searchable or count >= MAX_TERMS:
            pending_or = False
            continue
        count += 1
        if negated:
            query.excluded.append(Term(parts=parts, prefix=False))
        elif pending_or:
            query.clauses[-1].append(term)
        else:
            query.clauses.append([term])
        pending_or = False
    return query


# ---------------------------------------------------------------------------
# Highlighting, the same on both databases
# ---------------------------------------------------------------------------

SUFFIXES = ("ations", "ation", "ions", "ion", "ings", "ing", "ies", "ied", "es", "ed", "s")


def light_stem(word):
    """'watchers' → 'watcher', 'deletion' → 'delet', 'companies' → 'compan': enough to highlight word forms."""
    for suffix in SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            return word[: -len(suffix)]
    return word


def _tokens(text, stems):
    """The words of `text` as (start, end, stem matched or None)."""
    out = []
    for match in WORD.finditer(text):
        folded = fold(match.group())
        hit = next((stem for stem in stems if folded.startswith(stem)), None)
        out.append((match.start(), match.end(), hit))
    return out


def _render(text, tokens, start, end):
    """text[start:end] escaped, with matched words in <mark>; neighbours share one ("Weight Watchers")."""
    spans = []
    for token_start, token_end, hit in tokens:
        if hit is None or token_start < start or token_end > end:
            continue
        if spans and not text[spans[-1][1] : token_start].strip():
            spans[-1][1] = token_end
        else:
            spans.append([token_start, token_end])
    pieces, cursor = [], start
    for span_start, span_end in spans:
        pieces.append(html.escape(text[cursor:span_start]))
        pieces.append(format_html("<mark>{}</mark>", text[span_start:span_end]))
        cursor = span_end
    pieces.append(html.escape(text[cursor:end]))
    return "".join(pieces)


def highlight(text, stems):
    """The whole of `text`, escaped, with matched words marked."""
    return mark_safe(_render(text, _tokens(text, stems), 0, len(text)))


def snippet(text, stems, size=SNIPPET_WORDS):
    """(distinct words matched, escaped window of about `size` words around the best matches)."""
    tokens = _tokens(text, stems)
    if not tokens:
        return 0, SafeString("")
    best, best_score = 0, 0
    for i, (_, _, hit) in enumerate(tokens):
        if hit is None:
            continue
        start = max(0, i - 6)
        score = len({t[2] for t in tokens[start : start + size] if t[2]})
        if score > best_score:
            best, best_score = start, score
    window = tokens[best : best + size]
    start = 0 if best == 0 else window[0][0]
    end = len(text) if best + size >= len(tokens) else window[-1][1]
    rendered = _render(text, tokens, start, end)
    return best_score, mark_safe(("… " if start else "") + rendered + (" …" if end < len(text) else ""))


# ---------------------------------------------------------------------------
# Results
# ---------------------------------------------------------------------------


@dataclass
class Hit:
    """One result as the search page shows it."""

    kind: SearchKind
    title: str
    url: str
    detail: str
    title_html: SafeString
    snippet: SafeString
    rank: float
    chips: list = field(default_factory=list)  # a case's remedies, as its row on the case list shows them


def to_hit(entry, stems):
    candidates = [snippet(text, stems) for text in (entry.summary, entry.names, entry.body) if text]
    score, best = max(candidates, key=lambda c: c[0], default=(0, SafeString("")))
    if not score and entry.summary:
        best = snippet(entry.summary, [])[1]
    return Hit(
        kind=SearchKind(entry.kind),
        title=entry.title,
        url=reverse(SearchKind(entry.kind).url_name, args=[entry.slug]),
        detail=entry.detail,
        title_html=highlight(entry.title, stems),
        snippet=best,
        rank=entry.rank,
    )


class SearchResults:
    """Lazy results for Paginator: `count()` costs one grouped query, each page slice one more."""

    def __init__(self, q, kind=None):
        # What the reader typed, as it is echoed back: one line, no control characters, a sane length.
        self.q = "".join(ch for ch in " ".join((q or "").split()) if unicodedata.category(ch) != "Cc")
        self.q = self.q[:MAX_QUERY_CHARS]
        self.query = parse(self.q)
        self.kind = kind if kind in SearchKind.values else None
        self._counts = None

    @property
    def counts(self):
        """Matches per kind, in the kinds' order (all of them, whatever kind is selected)."""
        if self._counts is None:
            found = backend().counts(self.query) if self.query else {}
            self._counts = {kind: found.get(kind.value, 0) for kind in SearchKind}
        return self._counts

    @property
    def searchable(self):
        """Whether the query has any word to look for (`*` or `AND OR` has none)."""
        return bool(self.query)

    @property
    def tabs(self):
        """All kinds, then each kind: (kind value or None, label, count, whether selected)."""
        total = sum(self.counts.values())
        return [(None, "All", total, self.kind is None)] + [
            (kind.value, kind.plural, n, self.kind == kind.value) for kind, n in self.counts.items()
        ]

    @property
    def noun(self):
        """What is counted: 'results', or 'cases' when only cases are shown; singular for one."""
        one = self.count() == 1
        if not self.kind:
            return "result" if one else "results"
        kind = SearchKind(self.kind)
        return kind.label.lower() if one else kind.plural.lower()

    def count(self):
        if self.kind:
            return self.counts[SearchKind(self.kind)]
        return sum(self.counts.values())

    def __len__(self):
        return self.count()

    def __getitem__(self, index):
        if not isinstance(index, slice):
            raise TypeError("SearchResults supports slices only")
        start, stop = index.start or 0, index.stop
        if not self.query or stop is None or stop <= start or not self.count():
            return []
        kinds = [self.kind] if self.kind else None
        entries = backend().page(self.query, kinds, start, stop - start)
        stems = self.query.stems
        hits = [to_hit(entry, stems) for entry in entries]
        chips = remedy_chips([entry.object_id for entry in entries if entry.kind == SearchKind.CASE])
        for entry, hit in zip(entries, hits, strict=True):
            if entry.kind == SearchKind.CASE:
                hit.chips = chips.get(entry.object_id, [])
        return hits


def remedy_chips(case_ids):
    """{case id: remedy chips} for cases in a page of results: two queries, none without cases."""
    if not case_ids:
        return {}
    return {case.pk: case.remedy_chips for case in Case.objects.published().filter(pk__in=case_ids).for_list()}


def search_site(q, kind=None):
    """Ranked results for a reader's query over every kind of page, or only `kind`."""
    return SearchResults(q, kind)


def filter_cases(queryset, q):
    """The cases in `queryset` matching the reader's words `q`, annotated with `search_rank`.

    Contract used by the case list's `q` filter: returns a queryset of the same model, never raises
    on any user input, and orders nothing (the caller sorts; `search_rank` is there for "relevance",
    higher is better). When `q` has no searchable words the rows are unchanged, each with rank 0.
    """
    query = parse(q)
    if not query:
        return queryset.annotate(search_rank=Value(0.0, output_field=FloatField()))
    # The match and the rank stay in SQL: a subquery on the index narrows the rows, another ranks each one.
    matches, rank = backend().case_search(query)
    return queryset.filter(pk__in=matches).annotate(search_rank=rank)


# ---------------------------------------------------------------------------
# The two databases
# ---------------------------------------------------------------------------


class SQLiteBackend:
    """FTS5 over SearchEntry's columns; bm25() is lower for better matches, so it is negated."""

    table = SearchEntry._meta.db_table
    score = f"-bm25({FTS_TABLE}, {', '.join(map(str, FTS_WEIGHTS))})"
    joined = f"{FTS_TABLE} JOIN {SearchEntry._meta.db_table} AS e ON e.id = {FTS_TABLE}.rowid"

    def counts(self, query):
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT e.kind, COUNT(*) FROM {self.joined} WHERE {FTS_TABLE} MATCH %s GROUP BY e.kind",
                [query.fts5()],
            )
            return dict(cursor.fetchall())

    def page(self, query, kinds, offset, limit):
        where, params = f"{FTS_TABLE} MATCH %s", [query.fts5()]
        if kinds:
            where += f" AND e.kind IN ({', '.join(['%s'] * len(kinds))})"
            params += kinds
        columns = "e.id, e.kind, e.object_id, e.slug, e.title, e.detail, e.names, e.summary, e.body"
        sql = (
            f"SELECT {columns}, {self.score} AS rank FROM {self.joined} WHERE {where} "
            "ORDER BY 10 DESC, e.title, e.id LIMIT %s OFFSET %s"
        )
        return list(SearchEntry.objects.raw(sql, [*params, limit, offset]))

    def case_search(self, query):
        """(the ids of the matching cases, each case's rank) as SQL for the case list, the match given once."""
        matches = RawSQL(
            f"SELECT e.object_id FROM {self.joined} WHERE {FTS_TABLE} MATCH %s AND e.kind = %s",
            [query.fts5(), SearchKind.CASE.value],
        )
        return matches, FTSCaseRank(query.fts5())

    def vector(self, entry):
        return None

    def before_rebuild(self):
        # The index may have drifted from its table (triggers lost in a table rebuild); deleting rows
        # through the triggers would then ask FTS5 to remove words it never had. So the triggers go
        # while the table is refilled, and FTS5 re-reads it afterwards.
        ensure_sqlite_schema()
        with connection.cursor() as cursor:
            for trigger in SQLITE_TRIGGERS:
                cursor.execute(f"DROP TRIGGER IF EXISTS {trigger}")
            cursor.execute(f"INSERT INTO {FTS_TABLE}({FTS_TABLE}) VALUES ('delete-all')")

    def after_rebuild(self):
        with connection.cursor() as cursor:
            cursor.execute(f"INSERT INTO {FTS_TABLE}({FTS_TABLE}) VALUES ('rebuild')")
        ensure_sqlite_schema()


class FTSCaseRank(Expression):
    """A case's -bm25() for an FTS5 MATCH expression, or NULL when its entry does not match."""

    output_field = FloatField()

    def __init__(self, match):
        super().__init__()
        self.match, self.case = match, F("pk")

    def get_source_expressions(self):
        return [self.case]

    def set_source_expressions(self, exprs):
        (self.case,) = exprs

    def as_sql(self, compiler, connection):
        case_sql, case_params = compiler.compile(self.case)
        # bm25() reads the whole index each time its query starts, so ranking inside a per-case subquery costs
        # matches squared. OFFSET 0 keeps SQLite from flattening the ranking into the per-case lookup: the matches
        # are ranked once, and each case finds its rank through an automatic index. The MATCH text is a parameter.
        sql = (
            f"(SELECT r.rank FROM (SELECT e.object_id AS case_id, {SQLiteBackend.score} AS rank "
            f"FROM {SQLiteBackend.joined} WHERE {FTS_TABLE} MATCH %s AND e.kind = %s LIMIT -1 OFFSET 0) AS r "
            f"WHERE r.case_id = {case_sql})"
        )
        return sql, [self.match, SearchKind.CASE.value, *case_params]


class PostgresBackend:
    """A weighted tsvector per entry with a GIN index; ts_rank() with the same weights.

    Normalization 1 divides the rank by 1 + log(length), as bm25() discounts long documents, so a
    company whose name is the query is not buried under long cases that repeat it.
    """

    def matching(self, query):
        rank = SearchRank(F("vector"), query.search_query(ranking=True), weights=PG_WEIGHTS, normalization=Value(1))
        return SearchEntry.objects.filter(vector=query.search_query()).annotate(rank=rank)

    def counts(self, query):
        rows = SearchEntry.objects.filter(vector=query.search_query()).values_list("kind").annotate(n=Count("pk"))
        return dict(rows.order_by())

    def page(self, query, kinds, offset, limit):
        entries = self.matching(query).defer("vector").order_by("-rank", "title", "pk")
        if kinds:
            entries = entries.filter(kind__in=kinds)
        return list(entries[offset : offset + limit])

    def case_search(self, query):
        """(the ids of the matching cases, each case's rank) as subqueries for the case list."""
        entries = SearchEntry.objects.filter(kind=SearchKind.CASE)
        matches = entries.filter(vector=query.search_query()).values("object_id")
        ranks = self.matching(query).filter(kind=SearchKind.CASE, object_id=OuterRef("pk")).values("rank")
        return matches, Subquery(ranks[:1], output_field=FloatField())

    def vector(self, entry):
        """setweight(to_tsvector(...), 'A') || …, from folded text split as FTS5 splits it."""
        vectors = [
            SearchVector(Value(" ".join(words(getattr(entry, name)))), config=PG_CONFIG, weight=PG_LETTERS[name])
            for name in FIELDS
        ]
        combined = vectors[0]
        for vector in vectors[1:]:
            combined = combined + vector
        return combined

    def before_rebuild(self):
        pass

    def after_rebuild(self):
        pass


def backend():
    return PostgresBackend() if connection.vendor == "postgresql" else SQLiteBackend()


# The current FTS5 schema; the migration that first made it keeps its own frozen copy.
SQLITE_SCHEMA = [
    f"""CREATE VIRTUAL TABLE IF NOT EXISTS {FTS_TABLE} USING fts5(
        title, names, summary, body,
        content='knowledge_searchentry', content_rowid='id',
        tokenize='porter unicode61 remove_diacritics 2', prefix='2 3'
    )""",
    f"""CREATE TRIGGER IF NOT EXISTS {FTS_TABLE}_insert AFTER INSERT ON knowledge_searchentry BEGIN
        INSERT INTO {FTS_TABLE}(rowid, title, names, summary, body)
        VALUES (new.id, new.title, new.names, new.summary, new.body);
    END""",
    f"""CREATE TRIGGER IF NOT EXISTS {FTS_TABLE}_delete AFTER DELETE ON knowledge_searchentry BEGIN
        INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, title, names, summary, body)
        VALUES ('delete', old.id, old.title, old.names, old.summary, old.body);
    END""",
    f"""CREATE TRIGGER IF NOT EXISTS {FTS_TABLE}_update AFTER UPDATE ON knowledge_searchentry BEGIN
        INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, title, names, summary, body)
        VALUES ('delete', old.id, old.title, old.names, old.summary, old.body);
        INSERT INTO {FTS_TABLE}(rowid, title, names, summary, body)
        VALUES (new.id, new.title, new.names, new.summary, new.body);
    END""",
]


SQLITE_TRIGGERS = [f"{FTS_TABLE}_insert", f"{FTS_TABLE}_delete", f"{FTS_TABLE}_update"]


def ensure_sqlite_schema():
    """Create the FTS5 table and its triggers if missing (SQLite drops triggers when Django remakes a table)."""
    with connection.cursor() as cursor:
        for sql in SQLITE_SCHEMA:
            cursor.execute(sql)
