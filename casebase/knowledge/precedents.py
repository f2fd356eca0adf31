"""The precedent network: the cases a case follows and those that follow it, and a remedy's lineage as a timeline.

"Follows" is CaseRelation kind `follows`, recorded on the later case. Only published cases appear.
"""

import datetime
from dataclasses import dataclass, field

from django.db.models import Q

from .models import CaseRelation, PublicationStatus, RelationKind, Remedy, RemedyOrigin

FOLLOWS = RelationKind.FOLLOWS

# Timeline geometry, in SVG user units (the SVG scales to the width of the page).
WIDTH = 760
LEFT = 24
RIGHT = 24
AXIS_Y = 18
STRIP_TOP = 26
STRIP = 28
ROWS_TOP = 76
ROW = 28
DOT = 6
LABEL_CHARS = 46
# A long lineage (a synthetic corpus has a thousand) draws its first cases only; the year bars still count every
# case and the table and CSV list them all.
MAX_DRAWN = 60


def _prefetched(case, name):
    return name in getattr(case, "_prefetched_objects_cache", {})


def sort_key(case):
    return (case.key_date or datetime.date.max, case.title.lower(), case.pk)


@dataclass
class PrecedentLink:
    case: object
    note: str


@dataclass
class Precedents:
    """The cases this case follows (its precedents) and the cases that follow it, oldest first."""

    follows: list
    followed_by: list

    def __bool__(self):
        return bool(self.follows or self.followed_by)


def precedents_of(case):
    """A case's precedents both ways; no query when `for_detail` prefetched its relations, else one."""
    if _prefetched(case, "relations_out") and _prefetched(case, "relations_in"):
        outgoing = [r for r in case.relations_out.all() if r.kind == FOLLOWS]
        incoming = [r for r in case.relations_in.all() if r.kind == FOLLOWS]
    else:
        published = PublicationStatus.PUBLISHED
        relations = list(
            CaseRelation.objects.filter(kind=FOLLOWS)
            .filter(Q(from_case=case, to_case__status=published) | Q(to_case=case, from_case__status=published))
            .select_related("from_case", "to_case")
        )
        outgoing = [r for r in relations if r.from_case_id == case.pk]
        incoming = [r for r in relations if r.to_case_id == case.pk]
    follows = [PrecedentLink(r.to_case, r.note) for r in outgoing if r.to_case.is_published]
    followed_by = [PrecedentLink(r.from_case, r.note) for r in incoming if r.from_case.is_published]
    return Precedents(
        sorted(follows, key=lambda link: sort_key(link.case)), sorted(followed_by, key=lambda link: sort_key(link.case))
    )


# --- A remedy's lineage as a timeline ---------------------------------------------------------------------


def shorten(text, limit=LABEL_CHARS):
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


@dataclass
class TimelineRow:
    case: object
    origins: list  # RemedyOrigin members of this case's remedies of the type
    first: bool = False
    follows: list = field(default_factory=list)  # earlier rows of this timeline the case follows
    x: float = 0
    y: float = 0
    year_url: str = ""

    @property
    def binds(self):
        return any(origin.is_imposed for origin in self.origins)

    @property
    def origin_text(self):
        return "; ".join(origin.label for origin in self.origins)

    @property
    def authority(self):
        body = self.case.authority
        return body if body is not None and body.is_published else None

    @property
    def label(self):
        name = self.case.short_title or self.case.title
        words = shorten(name)
        body = self.authority.short_name or self.authority.name if self.authority else ""
        if body and body not in name:
            words += f" · {body}"
        if not self.binds:
            words += f" ({self.origin_text.lower()})"
        return words

    @property
    def title(self):
        """What the row's link says in full."""
        parts = [self.case.title, self.case.key_date_display, self.origin_text]
        if self.first:
            parts.append("the first case to impose it")
        return " — ".join(part for part in parts if part)

    @property
    def link_label(self):
        """The words the row shows first (WCAG 2.5.3), then the case in full."""
        return f"{self.label}{' — first' if self.first else ''}. {self.title}"

    @property
    def anchor_end(self):
        return self.x > WIDTH * 0.58

    @property
    def label_x(self):
        return round(self.x - DOT - 6, 1) if self.anchor_end else round(self.x + DOT + 6, 1)

    @property
    def text_y(self):
        return self.y + 4.5

    @property
    def radius(self):
        return DOT + 2 if self.first else DOT


@dataclass
class Connector:
    """A 'follows' link, drawn from the precedent's dot to the later case's."""

    precedent: TimelineRow
    follower: TimelineRow

    @property
    def path(self):
        """Down from the precedent, across between the rows, and into the later case's dot from above."""
        p, f = self.precedent, self.follower
        across = f.y - ROW / 2
        return f"M {p.x} {p.y + p.radius} C {p.x} {across}, {f.x} {across}, {f.x} {round(f.y - f.radius - 2, 1)}"

    @property
    def title(self):
        return f"{self.follower.case.title} follows {self.precedent.case.title}"


@dataclass
class YearBar:
    year: int
    count: int
    url: str
    x: float = 0
    width: float = 0
    height: float = 0

    @property
    def y(self):
        return STRIP_TOP + STRIP - self.height

    @property
    def title(self):
        return f"{self.year}: {self.count} case{'' if self.count == 1 else 's'}"


@dataclass
class Timeline:
    slug: str
    title: str
    description: str
    remedy_type: object
    listed: list  # every dated case, oldest first: the table and the CSV
    rows: list  # those drawn
    connectors: list
    years: list
    undated: list
    include_nonbinding: bool = False
    kind: str = "timeline"
    note: str = ""

    @property
    def width(self):
        return WIDTH

    @property
    def height(self):
        return ROWS_TOP + len(self.rows) * ROW

    @property
    def strip_base(self):
        return STRIP_TOP + STRIP

    @property
    def axis_y(self):
        return AXIS_Y

    @property
    def marker_id(self):
        return f"arrow-{self.slug}"

    @property
    def ticks(self):
        """(x, year) for the axis labels: every year, or every second or fifth on long spans."""
        step = 1 if len(self.years) <= 16 else 2 if len(self.years) <= 32 else 5
        return [(round(bar.x + bar.width / 2, 1), bar.year) for bar in self.years if bar.year % step == 0]

    @property
    def csv_rows(self):
        return [
            {
                "date": row.case.key_date.isoformat(),
                "date_precision": row.case.decided_on_precision
                if row.case.decided_on
                else row.case.started_on_precision,
                "case": row.case.title,
                "case_url": row.case.get_absolute_url(),
                "authority": row.authority.name if row.authority else "",
                "jurisdiction": row.case.jurisdiction,
                "origin": row.origin_text,
                "follows": " ".join(precedent.case.slug for precedent in row.follows),
                "list_url": row.year_url,
            }
            for row in self.listed
        ]


def build_timeline(remedy_type, remedies, include_nonbinding=False, slug=None, chart=False):
    """Lay out the cases of `remedies` (a lineage, oldest first, each with its case) on a time axis.

    One query: the 'follows' links among these cases.
    """
    from .stats import list_url  # stats imports this module lazily; the helper lives there

    by_case = {}
    for remedy in remedies:
        row = by_case.get(remedy.case_id)
        if row is None:
            row = by_case[remedy.case_id] = TimelineRow(remedy.case, [])
        origin = RemedyOrigin(remedy.origin)
        if origin not in row.origins:
            row.origins.append(origin)
    dated = [row for row in by_case.values() if row.case.key_date]
    undated = [row for row in by_case.values() if not row.case.key_date]
    first = next((row for row in dated + undated if row.binds), None)
    if first is not None:
        first.first = True

    ids = list(by_case)
    links = (
        CaseRelation.objects.filter(kind=FOLLOWS, from_case__in=ids, to_case__in=ids).values_list(
            "from_case_id", "to_case_id"
        )
        if len(ids) > 1
        else []
    )
    rows_by_case = {row.case.pk: row for row in dated}
    drawn = dated[:MAX_DRAWN]
    drawn_ids = {row.case.pk for row in drawn}
    connectors = []
    for follower_id, precedent_id in links:
        follower, precedent = rows_by_case.get(follower_id), rows_by_case.get(precedent_id)
        if follower and precedent:
            follower.follows.append(precedent)
            if follower_id in drawn_ids and precedent_id in drawn_ids:
                connectors.append(Connector(precedent, follower))

    scope = {"origin": "any"} if include_nonbinding else {}
    years = []
    if dated:
        first_year = min(row.case.key_date.year for row in dated)
        last_year = max(row.case.key_date.year for row in dated)
        start = datetime.date(first_year, 1, 1)
        span = (datetime.date(last_year + 1, 1, 1) - start).days
        usable = WIDTH - LEFT - RIGHT

        def x_of(day):
            return round(LEFT + (day - start).days / span * usable, 1)

        counts = {}
        for row in dated:
            counts[row.case.key_date.year] = counts.get(row.case.key_date.year, 0) + 1
        top = max(counts.values())
        for year in range(first_year, last_year + 1):
            left, right = x_of(datetime.date(year, 1, 1)), x_of(datetime.date(year + 1, 1, 1))
            count = counts.get(year, 0)
            url = list_url(remedy=remedy_type.slug, **scope, year_from=year, year_to=year)
            height = round(max(2.0, count / top * (STRIP - 4)), 1) if count else 0
            years.append(YearBar(year, count, url, round(left + 1, 1), round(max(right - left - 2, 1), 1), height))
        year_urls = {bar.year: bar.url for bar in years}
        for index, row in enumerate(dated):
            row.x = x_of(row.case.key_date)
            row.y = ROWS_TOP + index * ROW + ROW / 2
            row.year_url = year_urls[row.case.key_date.year]

    name = remedy_type.name
    note = (
        "Each case sits at the date of its decision or settlement, or of its start while undecided; dates known "
        "only to the month or year sit at its start. A line joins a case to an earlier case it follows as a "
        "precedent. The bars count the cases of each year and open them in the case list."
    )
    if len(dated) > len(drawn):
        note += f" The first {len(drawn)} of {len(dated)} cases are drawn; the table lists them all."
    if undated:
        names = ", ".join(row.case.title for row in undated[:5])
        more = f" and {len(undated) - 5} more" if len(undated) > 5 else ""
        note += f" Not drawn, for want of a date: {names}{more}."
    return Timeline(
        slug or f"{remedy_type.slug}-timeline",
        f"{name}: the orders on a timeline" if chart else f"{name}: lineage on a timeline",
        f"Every published case in which {name.lower()} binds the company"
        + (", or was only proposed, volunteered or sought" if include_nonbinding else "")
        + ", by date, with the precedents each case follows.",
        remedy_type,
        dated,
        drawn,
        connectors,
        years,
        undated,
        include_nonbinding,
        note=note,
    )


def remedy_timeline(remedy_type, include_nonbinding=False, chart=False):
    """The lineage of `remedy_type` as a timeline, fetched here: two queries."""
    remedies = (
        Remedy.objects.published()
        .filter(remedy_type=remedy_type)
        .matching(include_nonbinding=include_nonbinding)
        .select_related("case__authority")
        .key_date_ordered()
    )
    return build_timeline(remedy_type, remedies, include_nonbinding, chart=chart)
