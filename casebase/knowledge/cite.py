"""Cite this page: plain text, Bluebook-style, BibTeX, RIS and CSL-JSON for one version of a public page.

Like Wikipedia's "Cite this page": the title, the publisher, the date of the version, the date the reader
retrieved it and a permanent link to exactly that version (versions.py serves it).
"""

import datetime
import json
from dataclasses import dataclass

from django.utils import timezone

from . import versions

SITE = "casebase"
AUTHOR = "casebase editors"
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December"]  # fmt: skip
# The Bluebook's own abbreviations (T12): May, June and July are not shortened, September is "Sept."
BLUEBOOK_MONTHS = ["Jan.", "Feb.", "Mar.", "Apr.", "May", "June", "July", "Aug.", "Sept.", "Oct.", "Nov.", "Dec."]
BIBTEX_MONTHS = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]
BIBTEX_ESCAPES = {
    "\\": r"\textbackslash{}",
    "{": r"\{",
    "}": r"\}",
    "&": r"\&",
    "%": r"\%",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
}
FORMATS = {
    "bib": ("application/x-bibtex; charset=utf-8", "bibtex"),
    "ris": ("application/x-research-info-systems; charset=utf-8", "ris"),
    "json": ("application/vnd.citationstyles.csl+json; charset=utf-8", "csl_json"),
}


def bibtex_escape(text):
    """Text safe inside a braced BibTeX field: LaTeX's special characters escaped, whitespace on one line."""
    return "".join(BIBTEX_ESCAPES.get(char, char) for char in " ".join(str(text).split()))


def one_line(text):
    return " ".join(str(text).split())


def long_date(day):
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def us_date(day):
    return f"{MONTHS[day.month - 1]} {day.day}, {day.year}"


def bluebook_date(day):
    return f"{BLUEBOOK_MONTHS[day.month - 1]} {day.day}, {day.year}"


@dataclass
class PageCitation:
    """One version of one page, ready to cite in each style."""

    title: str
    kind: str  # URL prefix: cases, companies, …
    slug: str
    url: str  # the page now, absolute
    permalink: str  # this version, absolute; the page's own address when it has no public version on record
    version_id: int | None
    version_at: object  # datetime of the version (UTC), or None
    accessed: object  # date

    @property
    def kind_label(self):
        return versions.KIND_LABELS[self.kind]

    @property
    def key(self):
        singular = {"cases": "case", "companies": "company", "authorities": "authority", "remedies": "remedy",
                    "datasets": "dataset", "exposure": "exposure"}[self.kind]  # fmt: skip
        return f"casebase-{singular}-{self.slug}" + (f"-v{self.version_id}" if self.version_id else "")

    @property
    def version_day(self):
        return self.version_at.date() if self.version_at else None

    @property
    def version_text(self):
        """'30 March 2026, 14:05 UTC (version 123)'."""
        if not self.version_at:
            return ""
        return f"{long_date(self.version_at)}, {self.version_at:%H:%M} UTC (version {self.version_id})"

    # --- Styles

    def plain(self):
        """APA-like, as Wikipedia gives it: author, date of the version, title, site, date retrieved, link."""
        day = self.version_day
        when = f"{day.year}, {MONTHS[day.month - 1]} {day.day}" if day else "n.d."
        return (
            f"{AUTHOR}. ({when}). {one_line(self.title).rstrip('.')}. In {SITE}. "
            f"Retrieved {us_date(self.accessed)}, from {self.permalink}"
        )

    def bluebook(self):
        """Bluebook rule 18.2-style: title, site, date and time of the version, link, date last visited."""
        when = f"{bluebook_date(self.version_at)}, {self.version_at:%H:%M} UTC" if self.version_at else "n.d."
        return (
            f"{one_line(self.title)}, {SITE} ({when}), {self.permalink} (last visited {bluebook_date(self.accessed)})."
        )

    def bibtex(self):
        """A @misc entry: title and corporate author braced so BibTeX keeps their case, month as its macro."""
        fields = [
            ("title", "{{" + bibtex_escape(self.title) + "}}"),
            ("author", "{{" + AUTHOR + "}}"),
            ("organization", "{" + SITE + "}"),
            ("howpublished", "{" + SITE + "}"),
        ]
        if self.version_at:
            fields += [
                ("year", "{" + str(self.version_at.year) + "}"),
                ("month", BIBTEX_MONTHS[self.version_at.month - 1]),
                ("version", "{" + str(self.version_id) + "}"),
            ]
        fields += [
            ("url", "{" + self.permalink + "}"),
            ("urldate", "{" + self.accessed.isoformat() + "}"),
            ("note", "{" + bibtex_escape(self.note()) + "}"),
        ]
        body = ",\n".join(f"  {name} = {value}" for name, value in fields)
        return f"@misc{{{self.key},\n{body}\n}}\n"

    def note(self):
        parts = [f"{self.kind_label} page"]
        if self.version_at:
            parts.append(f"version {self.version_id} of {self.version_text.split(' (')[0]}")
        parts.append(f"accessed {long_date(self.accessed)}")
        parts.append(f"current version: {self.url}")
        return "; ".join(parts)

    def ris(self):
        """RIS for reference managers (Zotero, EndNote, Mendeley): an electronic source."""
        tags = [("TY", "ELEC"), ("TI", one_line(self.title)), ("AU", AUTHOR), ("T2", SITE), ("PB", SITE)]
        if self.version_at:
            tags += [
                ("PY", str(self.version_at.year)),
                ("DA", f"{self.version_at:%Y/%m/%d}/"),
                ("ET", f"version {self.version_id}"),
            ]
        tags += [
            ("UR", self.permalink),
            ("Y2", f"{self.accessed:%Y/%m/%d}/"),
            ("ID", self.key),
            ("N1", one_line(self.note())),
            ("ER", ""),
        ]
        return "\n".join(f"{tag}  - {value}" for tag, value in tags) + "\n"

    def csl(self):
        """The citation as a CSL-JSON item (citeproc, Zotero, Pandoc)."""
        item = {
            "id": self.key,
            "type": "webpage",
            "title": one_line(self.title),
            "container-title": SITE,
            "publisher": SITE,
            "author": [{"literal": AUTHOR}],
            "URL": self.permalink,
            "accessed": {"date-parts": [[self.accessed.year, self.accessed.month, self.accessed.day]]},
            "note": self.note(),
        }
        if self.version_at:
            day = self.version_day
            item["issued"] = {"date-parts": [[day.year, day.month, day.day]]}
            item["version"] = str(self.version_id)
        return item

    def csl_json(self):
        return json.dumps([self.csl()], ensure_ascii=False, indent=2) + "\n"

    def styles(self):
        """[(id, label, text)] in the order the block shows them."""
        return [
            ("plain", "Plain text", self.plain()),
            ("bluebook", "Bluebook style", self.bluebook()),
            ("bibtex", "BibTeX", self.bibtex()),
            ("ris", "RIS", self.ris()),
            ("csl-json", "CSL-JSON", self.csl_json()),
        ]


def cite(page, request, record=None, accessed=None):
    """The citation of `page` at version `record` (default: the current version, one query)."""
    if record is None:
        record = versions.current_version(page)
    absolute = request.build_absolute_uri
    url = absolute(page.get_absolute_url())
    return PageCitation(
        title=versions.title_of(record if record is not None else page),
        kind=versions.kind_of(page),
        slug=page.slug,
        url=url,
        permalink=absolute(versions.version_path(page, record.history_id)) if record is not None else url,
        version_id=record.history_id if record is not None else None,
        version_at=record.history_date.astimezone(datetime.UTC) if record is not None else None,
        accessed=accessed or timezone.localdate(),
    )
