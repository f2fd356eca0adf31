"""The statistics page: each chart's numbers, its SVG geometry, its CSV, and the filtered case list behind every bar.

Every count here means what the case list means by the same parameters (DESIGN §5): a remedy counts when it
binds the company (ordered or agreed), a year is the key date's (decided, else started), an authority is the
one that brought or decided the case or the court that heard it, and a kind of data is a published dataset's
modality. The tests check each bar's number against the list its link opens.
"""

import csv
import io
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import CharField, Count
from django.db.models.functions import Cast, Coalesce, Substr
from django.http import QueryDict
from django.urls import reverse

from .models import Case, Modality, PublicationStatus, Remedy, RemedyType
from .models.jurisdictions import jurisdiction_label
from .templatetags.casebase import money

PENALTY_TYPE = "civil-penalty"  # DESIGN §5: a stable remedy-type slug
DELETION_TYPE = "model-deletion"

# Geometry of the charts, in SVG user units (the SVG scales to the width of the page).
WIDTH = 760
LABEL_WIDTH = 230
VALUE_WIDTH = 170
ROW = 28
BAR = 18
TOP = 8
PANEL = 46
PANEL_BAR = 30
YEAR_ROW = 26
LABEL_CHARS = 30


def list_url(**params):
    """The case list filtered by `params` (lists repeat a parameter), as a site-relative address."""
    query = QueryDict(mutable=True)
    for name, value in params.items():
        for item in value if isinstance(value, (list, tuple)) else [value]:
            query.appendlist(name, str(item))
    return f"{reverse('knowledge:case_list')}?{query.urlencode()}"


def shorten(text, limit=LABEL_CHARS):
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def year_text(prefix=""):
    """The key date's year as text, '2021': the first four characters of the ISO date on every database.

    ExtractYear would do, but SQLite runs it as a Python function on every row: seconds at 10,000 cases.
    """
    key = Coalesce(f"{prefix}decided_on", f"{prefix}started_on")
    return Substr(Cast(key, output_field=CharField()), 1, 4)


def cases_word(count):
    return f"{count} case{'' if count == 1 else 's'}"


# --- Horizontal bar charts ---------------------------------------------------------------------------


@dataclass
class Bar:
    label: str
    value: Decimal | int
    value_text: str
    url: str
    title: str = ""  # what the bar's link says to a screen reader and in the tooltip
    row: dict = field(default_factory=dict)  # the bar's line in the data table and the CSV
    short: str = ""  # a shorter label for the chart, such as an authority's abbreviation
    x: float = 0
    y: float = 0
    width: float = 0

    @property
    def short_label(self):
        return shorten(self.short or self.label)

    @property
    def link_label(self):
        """What the bar's link says: the words it shows first (WCAG 2.5.3), then the full sentence."""
        return f"{self.short_label}, {self.value_text}. {self.title}. Open these cases in the list."

    @property
    def text_y(self):
        return self.y + BAR / 2 + 4.5

    @property
    def value_x(self):
        return LABEL_WIDTH + self.width + 6


@dataclass
class Column:
    name: str  # key in each row
    label: str
    numeric: bool = False


@dataclass
class BarChart:
    slug: str
    title: str
    description: str
    columns: list[Column]
    bars: list[Bar]
    note: str = ""
    kind: str = "bars"

    def __post_init__(self):
        top = max((bar.value for bar in self.bars), default=0) or 1
        area = WIDTH - LABEL_WIDTH - VALUE_WIDTH
        for index, bar in enumerate(self.bars):
            bar.y = TOP + index * ROW
            bar.x = LABEL_WIDTH
            bar.width = round(max(2.0, float(bar.value) / float(top) * area), 1) if bar.value else 0

    @property
    def height(self):
        return TOP * 2 + len(self.bars) * ROW

    @property
    def width(self):
        return WIDTH

    @property
    def label_x(self):
        return LABEL_WIDTH - 8

    @property
    def axis_x(self):
        return LABEL_WIDTH

    @property
    def rows(self):
        return [bar.row for bar in self.bars]

    @property
    def table(self):
        """[(bar, [(value, numeric)])]: each bar's cells after the first column, which is the bar's own link."""
        return [(bar, [(bar.row.get(c.name, ""), c.numeric) for c in self.columns[1:]]) for bar in self.bars]


# --- Small multiples: cases per year, one panel per remedy type ------------------------------------------


@dataclass
class Cell:
    year: int
    count: int
    url: str
    title: str
    x: float = 0
    y: float = 0
    height: float = 0
    width: float = 0

    @property
    def text_x(self):
        return round(self.x + self.width / 2, 1)


@dataclass
class Panel:
    label: str
    slug: str  # remedy type slug, '' for all cases
    url: str  # the remedy type's page, or the whole list
    cells: list[Cell]
    total: int
    y: float = 0

    @property
    def text_y(self):
        return self.y + PANEL_BAR - 2

    @property
    def base_y(self):
        return self.y + PANEL_BAR + 4

    @property
    def short_label(self):
        return shorten(self.label, 34)

    @property
    def link_label(self):
        return f"{self.short_label}: {self.total} case{'' if self.total == 1 else 's'}"


@dataclass
class YearsChart:
    slug: str
    title: str
    description: str
    years: list[int]
    panels: list[Panel]
    note: str = ""
    kind: str = "years"
    column_width: float = 0
    year_labels: list = field(default_factory=list)

    def __post_init__(self):
        self.column_width = (WIDTH - LABEL_WIDTH - 10) / max(len(self.years), 1)
        # "All cases" has a scale of its own; the remedy types share one, so their bars compare.
        top_all = max((cell.count for cell in self.panels[0].cells), default=0) if self.panels else 0
        top = max((cell.count for panel in self.panels[1:] for cell in panel.cells), default=0) or 1
        for index, panel in enumerate(self.panels):
            panel.y = YEAR_ROW + index * PANEL
            scale = (top_all or 1) if index == 0 else top
            for column, cell in enumerate(panel.cells):
                cell.height = round(max(2.0, cell.count / scale * (PANEL_BAR - 10)), 1) if cell.count else 0
                cell.x = round(LABEL_WIDTH + column * self.column_width + 2, 1)
                cell.width = self.bar_width
                cell.y = round(panel.base_y - cell.height, 1)
        every = 1 if len(self.years) <= 20 else 2
        self.year_labels = [
            (round(LABEL_WIDTH + column * self.column_width + self.column_width / 2, 1), year)
            for column, year in enumerate(self.years)
            if column % every == 0
        ]

    @property
    def height(self):
        return YEAR_ROW + len(self.panels) * PANEL + 6

    @property
    def width(self):
        return WIDTH

    @property
    def bar_width(self):
        return round(max(self.column_width - 4, 2), 1)

    @property
    def label_x(self):
        return LABEL_WIDTH - 8

    @property
    def axis_x(self):
        return LABEL_WIDTH - 2

    @property
    def columns(self):
        return [Column("remedy_type", "Remedy type")] + [Column(str(year), str(year), True) for year in self.years]

    @property
    def rows(self):
        """One line per remedy type (and all cases), a column per year, for the data table."""
        return [{"remedy_type": panel.label, "slug": panel.slug, "cells": panel.cells} for panel in self.panels]

    @property
    def csv_rows(self):
        return [
            {
                "remedy_type": panel.label,
                "remedy_type_slug": panel.slug,
                "year": cell.year,
                "cases": cell.count,
                "list_url": cell.url,
            }
            for panel in self.panels
            for cell in panel.cells
        ]


def cases_per_year():
    """Published cases per key year: all of them, then one panel per remedy type that binds in any case."""
    all_counts, undated = {}, 0
    for row in Case.objects.published().annotate(year=year_text()).order_by().values("year").annotate(n=Count("pk")):
        if row["year"] is None:
            undated = row["n"]
        else:
            all_counts[int(row["year"])] = row["n"]
    by_type = {}
    rows = (
        Remedy.objects.published()
        .matching()
        .annotate(year=year_text("case__"))
        .exclude(year=None)
        .order_by()
        .values("remedy_type_id", "year")
        .annotate(n=Count("case", distinct=True))
    )
    for row in rows:
        by_type.setdefault(row["remedy_type_id"], {})[int(row["year"])] = row["n"]
    years = list(range(min(all_counts), max(all_counts) + 1)) if all_counts else []

    def cells(counts, **params):
        return [
            Cell(
                year,
                counts.get(year, 0),
                list_url(**params, year_from=year, year_to=year),
                f"{year}: {cases_word(counts.get(year, 0))}",
            )
            for year in years
        ]

    panels = [Panel("All cases", "", reverse("knowledge:case_list"), cells(all_counts), sum(all_counts.values()))]
    for remedy_type in RemedyType.objects.published().order_by("sort_order", "name"):
        counts = by_type.get(remedy_type.pk)
        if counts:
            panel_cells = cells(counts, remedy=remedy_type.slug)
            for cell in panel_cells:
                cell.title = f"{cell.year}: {cases_word(cell.count)} with remedy {remedy_type.name.lower()}"
            panels.append(
                Panel(
                    remedy_type.name,
                    remedy_type.slug,
                    remedy_type.get_absolute_url(),
                    panel_cells,
                    sum(counts.values()),
                )
            )
    note = (
        "A case counts in the year of its decision or settlement, or of its start while undecided. "
        "A remedy counts when it binds the company: ordered, or agreed in a consent order or settlement. "
        "A case with several remedy types counts once in each."
    )
    if undated:
        note += f" {cases_word(undated)} without a known date {'is' if undated == 1 else 'are'} not shown."
    return YearsChart(
        "cases-by-year",
        "Cases per year, by remedy type",
        "How many published cases each year imposed each kind of remedy.",
        years,
        panels,
        note,
    )


# --- Penalties ---------------------------------------------------------------------------------------


@dataclass
class Tally:
    """Civil penalties under one heading: the cases, the dollar total and the amounts as ordered."""

    label: str
    key: str
    cases: set = field(default_factory=set)
    with_amount: set = field(default_factory=set)
    usd: Decimal = Decimal(0)
    original: dict = field(default_factory=dict)  # currency -> total
    unconverted: int = 0
    extra: dict = field(default_factory=dict)
    short: str = ""  # a short name for the chart's label

    def add(self, remedy):
        self.cases.add(remedy.case_id)
        if remedy.amount is None:
            return
        self.with_amount.add(remedy.case_id)
        self.original[remedy.currency] = self.original.get(remedy.currency, Decimal(0)) + remedy.amount
        if remedy.amount_usd is None:
            self.unconverted += 1
        else:
            self.usd += remedy.amount_usd

    @property
    def original_text(self):
        return "; ".join(money(total, currency) for currency, total in sorted(self.original.items()))

    @property
    def original_csv(self):
        return "; ".join(f"{currency} {total:.2f}" for currency, total in sorted(self.original.items()))


BODY_FIELDS = ("name", "short_name", "slug", "status", "jurisdiction")


def penalty_remedies():
    """Binding civil penalties in published cases, with each case's authority, court and jurisdiction."""
    return list(
        Remedy.objects.published()
        .filter(remedy_type__slug=PENALTY_TYPE)
        .matching()
        .select_related("case__authority", "case__forum")
        .only(
            "case_id",
            "amount",
            "currency",
            "amount_usd",
            "case__jurisdiction",
            *(f"case__{body}__{name}" for body in ("authority", "forum") for name in BODY_FIELDS),
        )
        .order_by("case_id", "pk")
    )


def penalty_bar(tally, url, key_column):
    value_text = money(tally.usd, "USD") if tally.with_amount else "no amount recorded"
    words = f"{cases_word(len(tally.cases))} with a civil penalty"
    if tally.unconverted:
        value_text += f" (+{tally.unconverted} not converted)"
    row = {
        key_column: tally.label,
        f"{key_column}_slug": tally.key,
        **tally.extra,
        "cases": len(tally.cases),
        "cases_with_amount": len(tally.with_amount),
        "total_usd": f"{tally.usd:.2f}",
        "total_usd_text": money(tally.usd, "USD") if tally.with_amount else "",
        "original_amounts": tally.original_csv,
        "original_text": tally.original_text,
        "list_url": url,
    }
    title = f"{tally.label}: {value_text} in {words}"
    return Bar(tally.label, tally.usd, value_text, url, title, row, short=tally.short)


PENALTY_NOTE = (
    "Civil penalties that bind the company (ordered, or agreed in a settlement), in US dollars at the reference "
    "rate of the decision date; the amounts as ordered, in their own currency, are in the table. Consumer "
    "redress is not a penalty and is not counted."
)


def penalties_by_authority(remedies):
    """Penalties under each published authority that brought or decided the case, or the court that heard it."""
    tallies = {}
    for remedy in remedies:
        case = remedy.case
        bodies = {body.pk: body for body in (case.authority, case.forum) if body is not None}
        for body in bodies.values():
            if body.status != PublicationStatus.PUBLISHED:
                continue
            tally = tallies.get(body.pk)
            if tally is None:
                tally = tallies[body.pk] = Tally(
                    body.name, body.slug, extra={"jurisdiction": body.jurisdiction}, short=body.short_name
                )
            tally.add(remedy)
    ordered = sorted(tallies.values(), key=lambda t: (-t.usd, -len(t.cases), t.label.lower()))
    bars = [penalty_bar(tally, list_url(remedy=PENALTY_TYPE, authority=tally.key), "authority") for tally in ordered]
    return BarChart(
        "penalties-by-authority",
        "Civil penalties by authority or court, in US dollars",
        "The total of the civil penalties in the cases each authority brought or decided, or each court heard.",
        [
            Column("authority", "Authority or court"),
            Column("jurisdiction", "Jurisdiction"),
            Column("cases", "Cases", True),
            Column("total_usd_text", "Total (USD)", True),
            Column("original_text", "As ordered"),
        ],
        bars,
        PENALTY_NOTE + " A case heard in a court counts under both the authority and the court.",
    )


def penalties_by_jurisdiction(remedies):
    """Penalties under each jurisdiction of the cases."""
    tallies = {}
    for remedy in remedies:
        code = remedy.case.jurisdiction
        tally = tallies.get(code)
        if tally is None:
            tally = tallies[code] = Tally(jurisdiction_label(code), code)
        tally.add(remedy)
    ordered = sorted(tallies.values(), key=lambda t: (-t.usd, -len(t.cases), t.label.lower()))
    bars = [
        penalty_bar(tally, list_url(remedy=PENALTY_TYPE, jurisdiction=tally.key), "jurisdiction") for tally in ordered
    ]
    return BarChart(
        "penalties-by-jurisdiction",
        "Civil penalties by jurisdiction, in US dollars",
        "The total of the civil penalties in the cases of each jurisdiction.",
        [
            Column("jurisdiction", "Jurisdiction"),
            Column("cases", "Cases", True),
            Column("total_usd_text", "Total (USD)", True),
            Column("original_text", "As ordered"),
        ],
        bars,
        PENALTY_NOTE,
    )


# --- Kinds of data -----------------------------------------------------------------------------------


def cases_by_modality():
    """Published cases with a published dataset of each kind of data."""
    counts = Case.objects.published().count_by_modality()
    bars = []
    for value, label in sorted(Modality.choices, key=lambda choice: (-counts.get(choice[0], 0), choice[1])):
        count = counts.get(value, 0)
        if not count:
            continue
        url = list_url(modality=value)
        row = {"modality": label, "modality_slug": value, "cases": count, "list_url": url}
        bars.append(Bar(label, count, cases_word(count), url, f"{label}: {cases_word(count)}", row))
    return BarChart(
        "cases-by-modality",
        "Cases by kind of data",
        "How many published cases involve data of each kind.",
        [Column("modality", "Kind of data"), Column("cases", "Cases", True)],
        bars,
        "A case with data of several kinds counts once under each.",
    )


# --- The page ----------------------------------------------------------------------------------------


def deletion_timeline():
    """The model-deletion orders on a timeline: the remedy type's lineage (see precedents.py)."""
    from .precedents import remedy_timeline  # precedents draws the same lineage on the remedy-type page

    remedy_type = RemedyType.objects.published().filter(slug=DELETION_TYPE).first()
    return remedy_timeline(remedy_type, chart=True) if remedy_type else None


def charts():
    """Every chart of the statistics page, in page order; one query each (two for the timeline)."""
    remedies = penalty_remedies()
    found = [
        cases_per_year(),
        penalties_by_authority(remedies),
        penalties_by_jurisdiction(remedies),
        deletion_timeline(),
        cases_by_modality(),
    ]
    return [chart for chart in found if chart is not None]


CHART_BUILDERS = {
    "cases-by-year": cases_per_year,
    "penalties-by-authority": lambda: penalties_by_authority(penalty_remedies()),
    "penalties-by-jurisdiction": lambda: penalties_by_jurisdiction(penalty_remedies()),
    "model-deletion-timeline": deletion_timeline,
    "cases-by-modality": cases_by_modality,
}


def chart(slug):
    """One chart by its slug, or None."""
    builder = CHART_BUILDERS.get(slug)
    return builder() if builder else None


CSV_COLUMNS = {
    "cases-by-year": ["remedy_type", "remedy_type_slug", "year", "cases", "list_url"],
    "penalties-by-authority": [
        "authority",
        "authority_slug",
        "jurisdiction",
        "cases",
        "cases_with_amount",
        "total_usd",
        "original_amounts",
        "list_url",
    ],
    "penalties-by-jurisdiction": [
        "jurisdiction",
        "jurisdiction_slug",
        "cases",
        "cases_with_amount",
        "total_usd",
        "original_amounts",
        "list_url",
    ],
    "model-deletion-timeline": [
        "date",
        "date_precision",
        "case",
        "case_url",
        "authority",
        "jurisdiction",
        "origin",
        "follows",
        "list_url",
    ],
    "cases-by-modality": ["modality", "modality_slug", "cases", "list_url"],
}


def chart_csv(found, absolute):
    """The chart's data as CSV text with a byte-order mark (so spreadsheets read UTF-8); links made absolute."""
    rows = found.csv_rows if hasattr(found, "csv_rows") else found.rows
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.DictWriter(out, fieldnames=CSV_COLUMNS[found.slug], extrasaction="ignore", lineterminator="\r\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({**row, **{key: absolute(row[key]) for key in ("list_url", "case_url") if row.get(key)}})
    return out.getvalue()
