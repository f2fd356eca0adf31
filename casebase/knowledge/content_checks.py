"""Checks of the published record against the rules of the seed data and the methodology.

Each check yields `Finding`s; `run_checks()` gathers them for `manage.py check_content` (and for
the editors' desk). Failures are things a reader must never see; warnings are things to look at.
"""

from dataclasses import dataclass
from urllib.parse import urlsplit

from django.db.models import Count, Exists, OuterRef, Q
from django.utils import timezone

from .models import (
    Case,
    CaseKind,
    CaseStatus,
    Citation,
    ExposureEntry,
    Party,
    PartyRole,
    PublicationStatus,
    Remedy,
    RemedyOrigin,
    RemedyStatus,
    Source,
    SourceKind,
    TimelineEvent,
)

FAIL = "fail"
WARN = "warn"

# Sites that hold copies of other people's documents: a primary document there must say whose it is.
MIRROR_HOSTS = (
    "clym.io",
    "courtlistener.com",
    "courtrules.app",
    "docketalarm.com",
    "docslib.org",
    "einpresswire.com",
    "evolvesalondayspa.com",
    "juristeca",
    "justia.com",
    "midpage.ai",
    "minerva26",
    "rsvtv.com",
    "scribd.com",
    "storage.courtlistener.com",
)

IN_FORCE = (RemedyStatus.IN_FORCE, RemedyStatus.COMPLIED)
NOT_BINDING = (RemedyOrigin.SOUGHT, RemedyOrigin.PROPOSED)
# Case statuses under which no remedy can be in force or complied with.
NOTHING_IN_FORCE = {
    CaseStatus.PROPOSED_ORDER: "the order is only proposed",
    CaseStatus.ANNULLED: "the decision was annulled",
    CaseStatus.VACATED: "the order was set aside",
    CaseStatus.DISMISSED: "the case was dismissed",
}
# Case statuses under which nothing is still merely proposed.
FINAL = (CaseStatus.FINAL_ORDER, CaseStatus.SETTLED, CaseStatus.CLOSED)


@dataclass(frozen=True)
class Finding:
    level: str
    record: str
    message: str

    def __str__(self):
        return f"{self.level.upper()} {self.record}: {self.message}"


def _case(case):
    return f"case {case.slug}"


def cases_without_sources():
    cited = Citation.objects.filter(case=OuterRef("pk"))
    for case in Case.objects.published().filter(~Exists(cited)).order_by("slug"):
        yield Finding(FAIL, _case(case), "a published case cites no source")


def cases_without_primary_document():
    primary = Citation.objects.filter(case=OuterRef("pk"), source__kind=SourceKind.PRIMARY)
    remedy_primary = Citation.objects.filter(remedy__case=OuterRef("pk"), source__kind=SourceKind.PRIMARY)
    missing = Case.objects.published().filter(~Exists(primary), ~Exists(remedy_primary)).order_by("slug")
    for case in missing:
        yield Finding(WARN, _case(case), "no primary legal document is linked yet")


def _host(url):
    return (urlsplit(url).hostname or "").removeprefix("www.")


def primary_copies_without_owner():
    for source in Source.objects.filter(kind=SourceKind.PRIMARY).order_by("url"):
        host = _host(source.url)
        where = f"source {source.url}"
        if source.hosted_by and not source.publisher:
            yield Finding(FAIL, where, f"a copy hosted by {source.hosted_by} does not say whose document it is")
        elif not source.hosted_by and any(mirror in host for mirror in MIRROR_HOSTS):
            yield Finding(FAIL, where, f"a primary document on {host}, which holds copies, is not marked as a copy")
        elif not source.hosted_by and "(via" in source.publisher:
            yield Finding(FAIL, where, "the publisher names a mirror: record it in hosted_by")


def amounts_without_conversion():
    remedies = (
        Remedy.objects.published()
        .filter(amount__isnull=False)
        .select_related("case", "remedy_type", "exchange_rate")
        .order_by("case__slug", "pk")
    )
    for remedy in remedies:
        where = f"{_case(remedy.case)} remedy {remedy.remedy_type.slug}"
        if not remedy.currency:
            yield Finding(FAIL, where, "an amount without a currency")
        elif remedy.amount_usd is None:
            yield Finding(FAIL, where, f"a {remedy.currency} amount without a US-dollar value")
        elif remedy.currency != "USD" and remedy.exchange_rate_id is None:
            yield Finding(FAIL, where, f"a {remedy.currency} amount without the reference rate it was converted at")


def exposure_entries_untraceable():
    entries = (
        ExposureEntry.objects.filter(exposure_list__status=PublicationStatus.PUBLISHED)
        .annotate(n_sources=Count("citations", distinct=True), n_cases=Count("related_cases", distinct=True))
        .select_related("exposure_list", "company")
        .order_by("exposure_list__slug", "company__slug")
    )
    for entry in entries:
        where = f"exposure list {entry.exposure_list.slug} entry {entry.company.slug}"
        if not entry.n_sources:
            yield Finding(FAIL, where, "an exposure entry cites no source")
        if not entry.n_cases:
            yield Finding(FAIL, where, "an exposure entry names no related case")


def roles_contradicting_kind():
    charged = Party.objects.filter(case__status=PublicationStatus.PUBLISHED, role=PartyRole.RESPONDENT)
    for party in charged.filter(case__kind=CaseKind.VOLUNTARY_COMMITMENT).select_related("case", "company"):
        yield Finding(
            FAIL,
            _case(party.case),
            f"{party.company.slug} is a respondent in a voluntary commitment, which charges no one",
        )
    for party in charged.filter(case__kind=CaseKind.GUIDANCE).select_related("case", "company"):
        yield Finding(
            FAIL, _case(party.case), f"{party.company.slug} is a respondent in guidance, which charges no one"
        )
    guidance_remedies = Remedy.objects.published().filter(case__kind=CaseKind.GUIDANCE).select_related("case")
    for remedy in guidance_remedies:
        yield Finding(FAIL, _case(remedy.case), "guidance carries a remedy: guidance orders nothing")


def remedies_contradicting_case():
    remedies = Remedy.objects.published().select_related("case", "remedy_type").order_by("case__slug", "pk")
    for remedy in remedies:
        where = f"{_case(remedy.case)} remedy {remedy.remedy_type.slug}"
        case_status = remedy.case.case_status
        if remedy.status in IN_FORCE and case_status in NOTHING_IN_FORCE:
            reason = NOTHING_IN_FORCE[CaseStatus(case_status)]
            yield Finding(FAIL, where, f"marked {remedy.get_status_display().lower()} but {reason}")
        if remedy.status in IN_FORCE and remedy.origin in NOT_BINDING:
            yield Finding(
                FAIL,
                where,
                f"marked {remedy.get_status_display().lower()} but only {remedy.get_origin_display().lower()}",
            )
        if remedy.origin == RemedyOrigin.SOUGHT and remedy.status not in (RemedyStatus.SOUGHT, RemedyStatus.EXPIRED):
            yield Finding(FAIL, where, f"sought by a plaintiff but marked {remedy.get_status_display().lower()}")
        if remedy.status == RemedyStatus.PROPOSED and case_status in FINAL:
            yield Finding(
                FAIL, where, f"still proposed although the case is {remedy.case.get_case_status_display().lower()}"
            )


def stale_verification_flags(now=None):
    """Warn where a 'not yet confirmed' flag has outlived its page's review cycle."""
    now = now or timezone.now()
    flagged = Case.objects.published().filter(
        Q(remedies__needs_verification=True) | Q(timeline__needs_verification=True)
    )
    for case in flagged.distinct().order_by("slug"):
        since = case.last_verified_at or case.created_at
        if (now - since).days > case.review_cycle_days:
            yield Finding(
                WARN,
                _case(case),
                f"a 'needs verification' flag is older than the page's {case.review_cycle_days}-day review cycle",
            )


def timeline_flags_without_source():
    events = TimelineEvent.objects.filter(case__status=PublicationStatus.PUBLISHED, source__isnull=True)
    for event in events.filter(needs_verification=False).select_related("case").order_by("case__slug", "date"):
        yield Finding(WARN, _case(event.case), f"timeline event {event.date_display} '{event.title}' has no source")


CHECKS = (
    cases_without_sources,
    cases_without_primary_document,
    primary_copies_without_owner,
    amounts_without_conversion,
    exposure_entries_untraceable,
    roles_contradicting_kind,
    remedies_contradicting_case,
    stale_verification_flags,
    timeline_flags_without_source,
)


def run_checks(now=None):
    """Every finding, failures first."""
    findings = []
    for check in CHECKS:
        findings.extend(check(now) if check is stale_verification_flags else check())
    return sorted(findings, key=lambda f: (f.level != FAIL, f.record))
