"""The records of a synthetic corpus, made in a fixed order from one random generator."""

import datetime
import math
import random
from decimal import Decimal
from itertools import product

from ..models import (
    Authority,
    AuthorityKind,
    Case,
    CaseKind,
    CaseRelation,
    CaseStatus,
    Citation,
    Company,
    Dataset,
    DatePrecision,
    ExchangeRate,
    ExposureEntry,
    ExposureEntryStatus,
    ExposureLevel,
    ExposureList,
    LegalBasis,
    Party,
    PartyRole,
    PublicationStatus,
    RelationKind,
    Remedy,
    RemedyCompliance,
    RemedyOrigin,
    RemedyStatus,
    RemedyType,
    Source,
    SourceKind,
    TimelineEvent,
    TrainedModel,
    TrainedModelStatus,
)
from ..seed import FIXTURES_DIR, Loader, read
from . import text
from .index import Indexer
from .writer import Writer

PREFIX = "gen-"
HOST = ".example"  # RFC 2606: never a real site
# Generated dates are measured from this day, not from today, so a seed gives the same corpus on any day.
ANCHOR = datetime.datetime(2026, 6, 1, tzinfo=datetime.UTC)
CHUNK = 2000  # cases made and written per round

# How a case of each kind ends up, with weights; its remedies follow from that (`remedy_terms`).
STATUSES = {
    CaseKind.ADMINISTRATIVE_ORDER: {CaseStatus.FINAL_ORDER: 7, CaseStatus.PROPOSED_ORDER: 2, CaseStatus.CLOSED: 1},
    CaseKind.FEDERAL_COURT_ACTION: {
        CaseStatus.SETTLED: 5,
        CaseStatus.FINAL_ORDER: 3,
        CaseStatus.COMPLAINT_FILED: 2,
        CaseStatus.PENDING: 1,
        CaseStatus.ON_APPEAL: 1,
    },
    CaseKind.DPA_DECISION: {
        CaseStatus.FINAL_ORDER: 7,
        CaseStatus.ON_APPEAL: 1,
        CaseStatus.ANNULLED: 1,
        CaseStatus.INVESTIGATION: 1,
    },
    CaseKind.PRIVATE_ACTION: {
        CaseStatus.SETTLED: 4,
        CaseStatus.PENDING: 3,
        CaseStatus.PENDING_TRIAL: 1,
        CaseStatus.DISMISSED: 1,
        CaseStatus.COMPLAINT_FILED: 2,
        CaseStatus.VACATED: 1,
    },
    CaseKind.VOLUNTARY_COMMITMENT: {CaseStatus.CLOSED: 1},
    CaseKind.GUIDANCE: {CaseStatus.ISSUED: 1},
}
KIND_WEIGHTS = {
    CaseKind.PRIVATE_ACTION: 30,
    CaseKind.DPA_DECISION: 28,
    CaseKind.FEDERAL_COURT_ACTION: 18,
    CaseKind.ADMINISTRATIVE_ORDER: 18,
    CaseKind.VOLUNTARY_COMMITMENT: 3,
    CaseKind.GUIDANCE: 3,
}
DECIDED = {
    CaseStatus.FINAL_ORDER,
    CaseStatus.SETTLED,
    CaseStatus.CLOSED,
    CaseStatus.ON_APPEAL,
    CaseStatus.ANNULLED,
    CaseStatus.VACATED,
    CaseStatus.DISMISSED,
    CaseStatus.ISSUED,
}
KIND_AUTHORITIES = {
    CaseKind.ADMINISTRATIVE_ORDER: AuthorityKind.REGULATOR,
    CaseKind.FEDERAL_COURT_ACTION: AuthorityKind.REGULATOR,
    CaseKind.DPA_DECISION: AuthorityKind.DPA,
    CaseKind.VOLUNTARY_COMMITMENT: AuthorityKind.DPA,
    CaseKind.GUIDANCE: AuthorityKind.DPA,
}
EU_MEMBERS = ("FR", "DE", "IT", "NL", "IE", "GR", "SE")


class Doc:
    """Markdown and its plain text built together: the words `search.plain` would find in the Markdown."""

    def __init__(self):
        self.blocks, self.words = [], []

    def heading(self, words):
        self.blocks.append(f"## {words}")
        self.words.append(words)

    def para(self, sentences, bold=None):
        words = " ".join(sentences)
        self.blocks.append(f"{words} **{bold}**" if bold else words)
        self.words.append(f"{words} {bold}" if bold else words)

    def bullets(self, items):
        self.blocks.append("\n".join(f"- {item}" for item in items))
        self.words.extend(items)

    @property
    def markdown(self):
        return "\n\n".join(self.blocks)

    @property
    def plain(self):
        return " ".join(" ".join(self.words).split())


class Built:
    """One generated case and the rows that hang off it, before they are written."""

    def __init__(self, case, theme):
        self.case, self.theme = case, theme
        self.sources, self.parties, self.remedies, self.timeline, self.relations, self.citations = (
            [],
            [],
            [],
            [],
            [],
            [],
        )
        self.dataset, self.model, self.recipients, self.bases = None, None, [], []
        self.plain_body = self.plain_questions = ""

    @property
    def datasets(self):
        return [self.dataset] if self.dataset else []


def slugify(words):
    return "-".join("".join(ch if ch.isalnum() else " " for ch in words.lower()).split())


def initials(name):
    return "".join(word[0] for word in name.split() if word[0].isupper())


class Generator:
    """One run: every random choice comes from `self.rng`, in a fixed order, so a seed gives one corpus."""

    def __init__(self, cases, seed, progress):
        self.n_cases, self.seed = cases, seed
        # Slugs carry the seed, so corpora of different seeds can stand side by side.
        self.prefix = f"{PREFIX}{seed}-"
        self.rng = random.Random(seed)
        self.progress = progress
        self.counts = {}
        self.w = Writer()
        self.index = Indexer(self.w)
        self.rates = {(r.currency, r.date): r for r in ExchangeRate.objects.all()}
        self.new_rates = []
        # (case key, theme, first party's company, primary source key) of published cases other than guidance,
        # for relations and exposure lists: small, as it grows with the corpus.
        self.case_pool = []

    def write(self, model, rows, label=None):
        n = self.w.write(model, rows)
        if label:
            self.counts[label] = self.counts.get(label, 0) + n

    def pick(self, weighted):
        return self.rng.choices(list(weighted), weights=list(weighted.values()))[0]

    def status(self, draft=0.03, withdrawn=0.01):
        roll = self.rng.random()
        if roll < draft:
            return PublicationStatus.DRAFT
        if roll < draft + withdrawn:
            return PublicationStatus.WITHDRAWN
        return PublicationStatus.PUBLISHED

    def verified(self):
        if self.rng.random() < 0.4:
            return None
        return ANCHOR - datetime.timedelta(days=self.rng.randrange(1, 400))

    def day(self, start_year=2012, end_year=2025):
        start = datetime.date(start_year, 1, 1)
        return start + datetime.timedelta(days=self.rng.randrange((datetime.date(end_year, 12, 31) - start).days))

    # --- the run ---------------------------------------------------------------------------

    def run(self):
        self.progress.step("taxonomy")
        self.taxonomy()
        self.progress.step("authorities")
        self.authorities()
        self.progress.step("companies")
        self.companies()
        self.index.start()
        self.index.companies(self.all_companies)
        for start in range(0, self.n_cases, CHUNK):
            self.chunk(start, min(start + CHUNK, self.n_cases))
            self.progress.step("cases", min(start + CHUNK, self.n_cases), self.n_cases)
        self.progress.step("exposure lists")
        lists = self.exposure_lists()
        self.w.finish()
        self.progress.step("full-text index")
        self.index.finish([e.pk for e in lists])
        self.counts["search entries"] = self.index.count
        self.progress.done()
        return self.counts

    def taxonomy(self):
        """The site's own remedy types and legal bases (fixtures/): the slugs the real data is filtered by."""
        loader = Loader()
        loader.load_simple(RemedyType, read(FIXTURES_DIR / "remedy_types.toml")["remedy_type"], "remedy types")
        loader.load_simple(LegalBasis, read(FIXTURES_DIR / "legal_bases.toml")["legal_basis"], "legal bases")
        self.remedy_types = {t.slug: t for t in RemedyType.objects.all()}
        self.bases = {}
        for basis in sorted(LegalBasis.objects.all(), key=lambda b: b.slug):  # the same order on every database
            self.bases.setdefault(basis.jurisdiction, []).append(basis)
        self.rate_source = self.source(
            "Synthetic reference exchange rates",
            "casebase corpus generator",
            f"https://rates{HOST}/daily/{self.seed}",
            None,
        )
        self.write(Source, [self.rate_source], "sources")

    def source(self, title, publisher, url, date, kind=SourceKind.PRIMARY):
        return self.w.new(
            Source,
            title=title,
            publisher=publisher,
            url=url,
            kind=kind,
            published_on=date,
            published_on_precision=DatePrecision.DAY if date else "",
        )

    def authorities(self):
        self.jurisdictions = {code: (name, currency) for code, name, currency, _ in text.JURISDICTIONS}
        self.place_weights = {code: weight for code, _, _, weight in text.JURISDICTIONS}
        n = max(len(self.place_weights) * 2, min(300, self.n_cases // 300))
        # Every jurisdiction has a court and its usual enforcer; the rest are spread by weight.
        plan = [(code, AuthorityKind.COURT) for code in self.place_weights]
        plan += [
            (code, AuthorityKind.REGULATOR if code.startswith("US") else AuthorityKind.DPA)
            for code in self.place_weights
        ]
        kinds = [AuthorityKind.REGULATOR, AuthorityKind.DPA, AuthorityKind.COURT, AuthorityKind.ATTORNEY_GENERAL]
        while len(plan) < n:
            plan.append((self.pick(self.place_weights), self.rng.choice(kinds)))
        self.by_place, rows, seen = {}, [], set()
        for code, kind in plan:
            region = self.jurisdictions[code][0]
            name = ""
            for _ in range(20):
                name = self.rng.choice(text.AUTHORITY_NAMES[kind]).format(
                    region=region, division=self.rng.choice(text.DIVISIONS)
                )
                if name not in seen:
                    break
            else:
                name = f"{name} ({len(rows) + 1})"
            seen.add(name)
            authority = self.w.new(
                Authority,
                slug=f"{self.prefix}{slugify(name)}"[:120],
                name=name,
                short_name=initials(name)[:40],
                kind=kind,
                jurisdiction=code,
                website=f"https://{slugify(initials(name) + ' ' + code)}{HOST}/",
                description=f"A {kind.label.lower()} in {region}, invented for the synthetic corpus.",
                status=PublicationStatus.PUBLISHED,
                last_verified_at=self.verified(),
            )
            rows.append(authority)
            self.by_place.setdefault((code, kind), []).append(authority)
        self.write(Authority, rows, "authorities")

    def companies(self):
        total = max(40, int(self.n_cases * 0.35))
        names = [
            "".join(parts)
            for parts in product(text.COMPANY_STARTS, text.COMPANY_ENDS, text.COMPANY_KINDS, text.COMPANY_VARIANTS)
        ]
        chosen = self.rng.sample(names, min(total, len(names)))
        countries = sorted(code for code in self.jurisdictions if len(code) == 2 and code != "EU")
        # Three tiers, each written before the next, so a parent always exists: groups, divisions, the rest.
        tiers = [chosen[: total // 50], chosen[total // 50 : total // 10], chosen[total // 10 :]]
        self.by_country, self.all_companies, parents = {}, [], []
        for tier, tier_names in enumerate(tiers):
            rows = []
            for name in tier_names:
                if tier == 0:
                    name = name.split(" ")[0] + self.rng.choice(text.HOLDING_KINDS)
                country = self.rng.choice(countries)
                chance = 0.5 if tier == 1 else 0.15
                parent = self.rng.choice(parents) if parents and self.rng.random() < chance else None
                aliases = ""
                if self.rng.random() < 0.2:
                    aliases = f"{name.split(' ')[0]} Inc\nformerly {self.rng.choice(text.COMPANY_STARTS)}soft"
                number = len(self.all_companies) + len(rows) + 1
                rows.append(
                    self.w.new(
                        Company,
                        slug=f"{self.prefix}co-{number}-{slugify(name)}"[:120],
                        name=name,
                        legal_name=f"{name} {text.LEGAL_FORMS.get(country, 'Ltd')}",
                        aliases=aliases,
                        country=country,
                        website=f"https://{slugify(name)}-{number}{HOST}/",
                        parent=parent,
                        description=f"{name} is a technology company based in {self.jurisdictions[country][0]}.",
                        status=self.status(draft=0.01, withdrawn=0.0),
                        last_verified_at=self.verified(),
                    )
                )
            self.write(Company, rows, "companies")
            parents += rows
            self.all_companies += rows
            for company in rows:
                self.by_country.setdefault(company.country, []).append(company)

    def company_in(self, code):
        pool = self.by_country.get(code[:2]) or self.all_companies
        # A few companies draw many of the cases, as in the real record.
        if self.rng.random() < 0.3:
            return self.rng.choice(pool[: max(1, len(pool) // 20)])
        return self.rng.choice(pool)

    # --- cases, a chunk at a time ----------------------------------------------------------

    def chunk(self, start, stop):
        built = [self.build_case(i) for i in range(start, stop)]
        self.write(Source, [s for b in built for s in b.sources], "sources")
        self.write(Dataset, [b.dataset for b in built if b.dataset], "datasets")
        self.write(TrainedModel, [b.model for b in built if b.model], "trained models")
        self.write(Case, [b.case for b in built], "cases")
        self.write(Party, [p for b in built for p in b.parties], "parties")
        self.write(ExchangeRate, self.new_rates, "exchange rates")
        self.new_rates = []
        self.write(Remedy, [r for b in built for r in b.remedies], "remedies")
        self.write(TimelineEvent, [e for b in built for e in b.timeline], "timeline events")
        self.write(CaseRelation, [r for b in built for r in b.relations], "case relations")
        self.write(Citation, [c for b in built for c in b.citations], "citations")
        new = self.w.new
        links = {
            Case.datasets.through: [
                new(Case.datasets.through, case=b.case, dataset=b.dataset) for b in built if b.dataset
            ],
            Case.legal_bases.through: [
                new(Case.legal_bases.through, case=b.case, legalbasis=basis) for b in built for basis in b.bases
            ],
            Dataset.received_by.through: [
                new(Dataset.received_by.through, dataset=b.dataset, company=c) for b in built for c in b.recipients
            ],
            TrainedModel.datasets.through: [
                new(TrainedModel.datasets.through, trainedmodel=b.model, dataset=b.dataset) for b in built if b.model
            ],
            Remedy.covers_datasets.through: [],
            Remedy.covers_models.through: [],
        }
        for b in built:
            for remedy in b.remedies:
                slug = remedy.remedy_type.slug
                if slug in ("data-deletion", "model-deletion", "injunction") and b.dataset:
                    links[Remedy.covers_datasets.through].append(
                        new(Remedy.covers_datasets.through, remedy=remedy, dataset=b.dataset)
                    )
                if slug == "model-deletion" and b.model:
                    links[Remedy.covers_models.through].append(
                        new(Remedy.covers_models.through, remedy=remedy, trainedmodel=b.model)
                    )
        for through, rows in links.items():
            self.write(through, rows)
        self.index.datasets(
            [b.dataset for b in built if b.dataset],
            {b.dataset.pk: [c.pk for c in b.recipients] for b in built if b.dataset},
        )
        self.index.cases(built)

    def build_case(self, i):
        rng = self.rng
        theme = rng.choices(text.THEMES, weights=[t["weight"] for t in text.THEMES])[0]
        kind = self.pick(KIND_WEIGHTS)
        code = self.pick(self.place_weights)
        if kind in (CaseKind.FEDERAL_COURT_ACTION, CaseKind.ADMINISTRATIVE_ORDER) and not code.startswith("US"):
            kind = CaseKind.DPA_DECISION
        case_status = self.pick(STATUSES[kind])
        region, currency = self.jurisdictions[code]
        authority = forum = None
        if kind != CaseKind.PRIVATE_ACTION:
            wanted = KIND_AUTHORITIES[kind]
            if code.startswith("US") and wanted == AuthorityKind.DPA:
                wanted = AuthorityKind.REGULATOR
            places = [(code, wanted), (code, AuthorityKind.REGULATOR), (code, AuthorityKind.DPA)]
            authority = rng.choice(next(self.by_place[p] for p in places if p in self.by_place))
        if kind in (CaseKind.PRIVATE_ACTION, CaseKind.FEDERAL_COURT_ACTION) or case_status == CaseStatus.ON_APPEAL:
            forum = rng.choice(self.by_place[(code, AuthorityKind.COURT)])
        company = self.company_in(code)

        precision = rng.choices([DatePrecision.DAY, DatePrecision.MONTH, DatePrecision.YEAR], [85, 10, 5])[0]
        started = DatePrecision(precision).normalise(self.day())
        decided, decided_precision = None, ""
        if case_status in DECIDED:
            decided_precision = rng.choices([DatePrecision.DAY, DatePrecision.MONTH], [95, 5])[0]
            decided = started + datetime.timedelta(days=rng.randrange(60, 1500))
            decided = max(DatePrecision(decided_precision).normalise(decided), started)
        key_date = decided or started

        enforcer = authority or forum
        words = {
            "company": company.name,
            "product": theme["product"],
            "people": theme["people"],
            "data": theme["data"],
            "model": theme["model"],
            "region": region,
            "authority": enforcer.short_name,
            "start_year": started.year - rng.randrange(1, 6),
            "count": f"{rng.randrange(2, 90)} million" if rng.random() < 0.6 else f"{rng.randrange(20, 900)},000",
        }
        title = self.title(kind, company, authority, theme)
        body, questions = self.body(kind, words), self.questions()
        case = self.w.new(
            Case,
            slug=f"{self.prefix}{i + 1:06d}-{slugify(title)}"[:120].rstrip("-"),
            title=title,
            short_title=company.name if kind != CaseKind.GUIDANCE else "",
            kind=kind,
            case_status=case_status,
            authority=authority,
            forum=forum,
            jurisdiction=code,
            docket_numbers=self.docket(kind, started),
            started_on=started,
            started_on_precision=precision,
            decided_on=decided,
            decided_on_precision=decided_precision,
            summary=self.summary(kind, words),
            body=body.markdown,
            significance=rng.choice(text.SIGNIFICANCE).format(**words) if rng.random() < 0.3 else "",
            open_questions=questions.markdown,
            status=self.status(),
            last_verified_at=self.verified(),
        )
        b = Built(case, theme)
        b.plain_body, b.plain_questions = body.plain, questions.plain
        b.sources = self.case_sources(i, case, enforcer, code, key_date)
        b.parties = self.parties(case, kind, company, code)
        b.bases = self.legal_bases(code)
        if kind != CaseKind.GUIDANCE and rng.random() < 0.7:
            self.dataset(b, company, theme, started, i)
        self.remedies(b, case_status, words, currency, decided)
        if b.model is not None:
            b.model.status = self.model_status(b.remedies)
        b.timeline = self.timeline(case, started, decided, case_status, b.sources)
        b.relations = self.relations(case)
        pinpoints = ["", "p. 3", "paras. 12-19", "section II"]
        b.citations += [self.w.new(Citation, case=case, source=s, pinpoint=rng.choice(pinpoints)) for s in b.sources]
        if case.status == PublicationStatus.PUBLISHED and kind != CaseKind.GUIDANCE:
            self.case_pool.append((case.pk, theme["modality"], b.parties[0].company, b.sources[0].pk))
        return b

    def title(self, kind, company, authority, theme):
        rng = self.rng
        if kind == CaseKind.ADMINISTRATIVE_ORDER:
            return f"In the Matter of {company.legal_name}"
        if kind == CaseKind.FEDERAL_COURT_ACTION:
            return f"{authority.short_name} v. {company.legal_name}"
        if kind == CaseKind.DPA_DECISION:
            return f"{authority.short_name} decision on {company.name} ({theme['data']})"
        if kind == CaseKind.PRIVATE_ACTION:
            if rng.random() < 0.5:
                return f"In re {company.name} {theme['data'].title()} Privacy Litigation"
            return f"{rng.choice(text.SURNAMES)} v. {company.legal_name}"
        if kind == CaseKind.VOLUNTARY_COMMITMENT:
            return f"{company.name} commitments to the {authority.short_name} on {theme['data']}"
        return f"{authority.short_name} guidance on {rng.choice(text.GUIDANCE_TOPICS)}"

    def docket(self, kind, started):
        rng, yy = self.rng, started.year % 100
        if kind in (CaseKind.PRIVATE_ACTION, CaseKind.FEDERAL_COURT_ACTION):
            return f"No. {rng.randrange(1, 9)}:{yy:02d}-cv-{rng.randrange(1, 99999):05d}"
        if kind == CaseKind.ADMINISTRATIVE_ORDER:
            return f"File No. {yy:02d}{rng.randrange(1, 9)} {rng.randrange(1000, 9999)}"
        if kind == CaseKind.DPA_DECISION:
            return f"Decision {started.year}-{rng.randrange(1, 999):03d}"
        return ""

    def summary(self, kind, words):
        if kind == CaseKind.GUIDANCE:
            return f"The {words['authority']} set out how it reads the law on {words['data']} used to train models."
        return (
            f"{words['company']} used {words['data']} from {words['people']} to build a {words['model']}. "
            + self.rng.choice(text.OUTCOMES).format(**words)
        )

    def body(self, kind, words):
        rng, doc = self.rng, Doc()

        def pick(pool, k):
            return [sentence.format(**words) for sentence in rng.sample(pool, k)]

        doc.para(pick(text.OPENINGS, 1) + pick(text.CONDUCT, rng.randrange(2, 4)))
        doc.heading("What the plaintiffs allege" if kind == CaseKind.PRIVATE_ACTION else "What the authority found")
        doc.para(pick(text.CONDUCT, 2) + pick(text.FINDINGS, rng.randrange(1, 3)))
        if kind != CaseKind.GUIDANCE:
            doc.heading("The order")
            doc.para(pick(text.OUTCOMES, 2), bold=f"Delete the {words['data']} and the {words['model']}.")
            if rng.random() < 0.4:
                doc.bullets(pick(text.OUTCOMES, 2))
        doc.para(pick(text.FINDINGS, rng.randrange(1, 3)))
        return doc

    def questions(self):
        doc = Doc()
        if self.rng.random() < 0.4:
            doc.bullets(self.rng.sample(text.QUESTIONS, self.rng.randrange(1, 3)))
        return doc

    def case_sources(self, i, case, enforcer, code, key_date):
        rng, n = self.rng, i + 1
        host = slugify(f"{initials(enforcer.name)} {code}")
        out = [
            self.source(
                f"{case.title}: decision and order",
                enforcer.name,
                f"https://{host}{HOST}/cases/{self.seed}/{n}",
                key_date,
            )
        ]
        if rng.random() < 0.7:
            title = f"{enforcer.short_name} announces action in {case.title}"
            out.append(
                self.source(
                    title,
                    enforcer.name,
                    f"https://{host}{HOST}/news/{self.seed}/{n}",
                    key_date,
                    SourceKind.PRESS_RELEASE,
                )
            )
        outlet, outlet_host = rng.choice(text.NEWS_OUTLETS)
        out.append(
            self.source(
                f"What the {case.title} order means for AI training data",
                outlet,
                f"https://{outlet_host}{HOST}/{key_date.year}/{self.seed}/{n}/{case.slug.removeprefix(self.prefix)[:60]}",
                key_date + datetime.timedelta(days=rng.randrange(0, 30)),
                rng.choice([SourceKind.NEWS, SourceKind.ANALYSIS]),
            )
        )
        return out

    def parties(self, case, kind, company, code):
        if kind == CaseKind.GUIDANCE:
            return []
        # A voluntary commitment charges no one (content_checks): the company is named, not a respondent.
        main = PartyRole.RELATED if kind == CaseKind.VOLUNTARY_COMMITMENT else PartyRole.RESPONDENT
        parties, seen = [self.w.new(Party, case=case, company=company, role=main)], {company.pk}
        for role, chance in ((PartyRole.DATA_RECIPIENT, 0.15), (PartyRole.VENDOR, 0.1), (PartyRole.RELATED, 0.1)):
            if self.rng.random() < chance:
                other = self.company_in(code)
                if other.pk not in seen:
                    seen.add(other.pk)
                    parties.append(self.w.new(Party, case=case, company=other, role=role))
        return parties

    def legal_bases(self, code):
        candidates = list(self.bases.get(code, []))
        if code.startswith("US-"):
            candidates += self.bases.get("US", [])
        elif code in EU_MEMBERS:
            candidates += self.bases.get("EU", [])
        if not candidates:
            return []
        return self.rng.sample(candidates, min(len(candidates), self.rng.choice([1, 1, 2])))

    def dataset(self, b, company, theme, started, i):
        rng = self.rng
        start = started - datetime.timedelta(days=rng.randrange(200, 2000))
        b.dataset = self.w.new(
            Dataset,
            slug=f"{self.prefix}data-{i + 1:06d}-{slugify(company.name)}-{slugify(theme['unit'])}"[:120],
            name=f"{company.name} {theme['data']}, set {i + 1}",
            modality=theme["modality"],
            description=f"{theme['data'].capitalize()} collected by {company.name} through {theme['product']}.",
            size_value=Decimal(rng.choice([1, 2, 3, 5, 8, 12, 40, 150, 600]) * 10 ** rng.randrange(3, 7)),
            size_unit=theme["unit"],
            size_is_approximate=rng.random() < 0.8,
            collected_by=company,
            collected_from=f"Collected from {theme['people']}.",
            collection_start=start.replace(day=1),
            collection_start_precision=DatePrecision.MONTH,
            collection_end=started,
            collection_end_precision=DatePrecision.DAY,
            consent_terms=theme["told"],
            actual_use=theme["used"],
            status=self.status(draft=0.02, withdrawn=0.0),
            last_verified_at=self.verified(),
        )
        if rng.random() < 0.2:
            recipient = self.company_in("US")
            if recipient.pk != company.pk:
                b.recipients = [recipient]
        if rng.random() < 0.6:
            b.model = self.w.new(
                TrainedModel,
                slug=f"{self.prefix}model-{i + 1:06d}-{slugify(company.name)}"[:120],
                name=f"{company.name} {theme['model']}",
                developer=company,
                purpose=theme["used"],
            )

    def remedies(self, b, case_status, words, currency, decided):
        rng, case = self.rng, b.case
        if case.kind == CaseKind.GUIDANCE:
            return  # guidance orders nothing (content_checks)
        slugs = []
        for _ in range(rng.choices([1, 2, 3, 4], [30, 35, 25, 10])[0]):
            slug = self.pick(text.REMEDY_WEIGHTS)
            if slug not in slugs:
                slugs.append(slug)
        for slug in slugs:
            origin, status = self.remedy_terms(case.kind, case_status)
            remedy = self.w.new(
                Remedy,
                case=case,
                remedy_type=self.remedy_types[slug],
                summary=text.REMEDY_SUMMARIES[slug].format(**words),
                quoted_text=text.QUOTED.get(slug, "") if rng.random() < 0.5 else "",
                origin=origin,
                status=status,
                needs_verification=rng.random() < 0.03,
            )
            if slug == "conduct-ban":
                if rng.random() < 0.3:
                    remedy.is_permanent = True
                else:
                    remedy.duration_months = rng.choice([24, 60, 120, 240])
            if slug in ("model-deletion", "data-deletion") and decided:
                remedy.deadline = decided + datetime.timedelta(days=90)
                remedy.deadline_text = "within 90 days of the order"
            if status == RemedyStatus.COMPLIED and decided:
                remedy.compliance = RemedyCompliance.CERTIFIED
                remedy.compliance_date = decided + datetime.timedelta(days=rng.randrange(30, 200))
                remedy.compliance_date_precision = DatePrecision.DAY
                remedy.compliance_source = b.sources[0]
            if slug in text.MONEY and rng.random() < 0.9:
                self.amount(remedy, currency, decided or case.started_on)
            b.remedies.append(remedy)
            if rng.random() < 0.3:
                b.citations.append(self.w.new(Citation, remedy=remedy, source=b.sources[0], pinpoint="the order"))

    def remedy_terms(self, kind, case_status):
        """(origin, status) of a remedy that fit the case's stage, as content_checks requires."""
        rng = self.rng
        if kind == CaseKind.VOLUNTARY_COMMITMENT:
            return RemedyOrigin.VOLUNTARY, rng.choice([RemedyStatus.IN_FORCE, RemedyStatus.COMPLIED])
        if case_status in (CaseStatus.PROPOSED_ORDER, CaseStatus.INVESTIGATION):
            return RemedyOrigin.PROPOSED, RemedyStatus.PROPOSED
        if case_status in (CaseStatus.COMPLAINT_FILED, CaseStatus.PENDING, CaseStatus.PENDING_TRIAL):
            return RemedyOrigin.SOUGHT, RemedyStatus.SOUGHT
        if case_status == CaseStatus.DISMISSED:
            return RemedyOrigin.SOUGHT, rng.choice([RemedyStatus.SOUGHT, RemedyStatus.EXPIRED])
        if case_status in (CaseStatus.ANNULLED, CaseStatus.VACATED):
            return RemedyOrigin.ORDERED, RemedyStatus.ANNULLED
        if case_status == CaseStatus.ON_APPEAL:
            return RemedyOrigin.ORDERED, rng.choice([RemedyStatus.IN_FORCE, RemedyStatus.SUSPENDED])
        agreed = case_status == CaseStatus.SETTLED or rng.random() < 0.5
        status = rng.choices([RemedyStatus.IN_FORCE, RemedyStatus.COMPLIED, RemedyStatus.EXPIRED], [75, 15, 10])[0]
        return (RemedyOrigin.AGREED if agreed else RemedyOrigin.ORDERED), status

    def model_status(self, remedies):
        """What became of a model: deleted where a model-deletion remedy binds, else in use or unknown."""
        for remedy in remedies:
            if remedy.remedy_type.slug == "model-deletion" and remedy.origin in RemedyOrigin.imposed():
                if remedy.status == RemedyStatus.COMPLIED:
                    return TrainedModelStatus.DELETION_CERTIFIED
                if remedy.status == RemedyStatus.IN_FORCE:
                    return TrainedModelStatus.ORDERED_DELETED
        return self.rng.choice([TrainedModelStatus.IN_USE, TrainedModelStatus.UNKNOWN])

    def amount(self, remedy, currency, date):
        """A round amount in the case's currency, in dollars through the day's reference rate as Remedy.save()."""
        local = 10 ** self.rng.uniform(4.5, 9.2) / text.USD_PER_UNIT.get(currency, 1)
        unit = 10 ** max(0, int(math.log10(local)) - 1)
        remedy.amount = Decimal(round(local / unit) * unit)
        remedy.currency = currency
        if currency != "USD":
            remedy.exchange_rate = self.rate(currency, date)
        remedy.amount_usd = remedy.dollar_value()

    def rate(self, currency, date):
        """The synthetic reference rate of `currency` on `date`: one row per currency and day."""
        key = (currency, date)
        if key not in self.rates:
            days = (date - datetime.date(2010, 1, 1)).days
            drift = 1 + 0.08 * math.sin(days / 300 + len(currency)) + self.rng.uniform(-0.01, 0.01)
            self.rates[key] = self.w.new(
                ExchangeRate,
                currency=currency,
                date=date,
                usd_per_unit=Decimal(str(round(text.USD_PER_UNIT[currency] * drift, 10))),
                reference="Synthetic reference rate (generated corpus)",
                source=self.rate_source,
                note="Invented for the synthetic corpus; not a published rate.",
            )
            self.new_rates.append(self.rates[key])
        return self.rates[key]

    def timeline(self, case, started, decided, case_status, sources):
        rng = self.rng
        court = case.kind in (CaseKind.PRIVATE_ACTION, CaseKind.FEDERAL_COURT_ACTION)
        events = [(started, "Complaint filed" if court else "Investigation opened")]
        end = decided or started + datetime.timedelta(days=400)
        if rng.random() < 0.6:
            middle = started + datetime.timedelta(days=rng.randrange(0, max(1, (end - started).days)))
            events.append((middle, rng.choice(["Hearing held", "Proposed order published", "Motion argued"])))
        if decided:
            events.append((decided, "Settlement approved" if case_status == CaseStatus.SETTLED else "Decision issued"))
        return [
            self.w.new(TimelineEvent, case=case, date=day, date_precision=DatePrecision.DAY, title=title, source=source)
            for (day, title), source in zip(events, [rng.choice(sources) for _ in events], strict=True)
        ]

    def relations(self, case):
        if not self.case_pool or self.rng.random() > 0.08:
            return []
        other = self.rng.choice(self.case_pool)[0]
        kind = self.rng.choice([RelationKind.FOLLOWS, RelationKind.CITES, RelationKind.PARALLEL, RelationKind.RELATED])
        return [self.w.new(CaseRelation, from_case=case, to_case_id=other, kind=kind)]

    # --- exposure lists ----------------------------------------------------------------------

    def exposure_lists(self):
        """A few lists per theme, each entry on a company named in a case of the theme, citing that case's order."""
        rng = self.rng
        by_theme = {}
        for pooled in self.case_pool:
            by_theme.setdefault(pooled[1], []).append(pooled)
        lists, entries, citations, precedents, related = [], [], [], [], []
        for number in range(min(60, max(3, self.n_cases // 2500))):
            theme = text.THEMES[number % len(text.THEMES)]
            pool = by_theme.get(theme["modality"]) or self.case_pool
            exposure_list = self.w.new(
                ExposureList,
                slug=f"{self.prefix}exposure-{number + 1:03d}-{slugify(theme['model'])}",
                title=f"Companies training {theme['model']}s on {theme['data']}, list {number + 1}",
                summary=f"Orders to delete {theme['data']} and the models built on them put others at risk.",
                criteria=f"Companies that train a {theme['model']} on {theme['data']} gathered under narrower terms.",
                status=PublicationStatus.PUBLISHED,
                last_verified_at=self.verified(),
            )
            lists.append(exposure_list)
            for case_id, _, _, _ in rng.sample(pool, min(len(pool), 2)):
                precedents.append(
                    self.w.new(ExposureList.precedents.through, exposurelist=exposure_list, case_id=case_id)
                )
            seen = set()
            for case_id, _, company, source_id in rng.sample(pool, min(len(pool), rng.randrange(8, 30))):
                if company.pk in seen:
                    continue
                seen.add(company.pk)
                entry = self.w.new(
                    ExposureEntry,
                    exposure_list=exposure_list,
                    company=company,
                    segment=theme["model"],
                    rationale=f"Alleged to train a {theme['model']} on {theme['data']}; see the related case.",
                    level=rng.choice(list(ExposureLevel)),
                    status=rng.choice([ExposureEntryStatus.POTENTIAL, ExposureEntryStatus.ALLEGED]),
                    last_reviewed=(ANCHOR - datetime.timedelta(days=rng.randrange(1, 120))).date(),
                )
                entries.append(entry)
                related.append(self.w.new(ExposureEntry.related_cases.through, exposureentry=entry, case_id=case_id))
                citations.append(self.w.new(Citation, exposure_entry=entry, source_id=source_id, pinpoint="complaint"))
        self.write(ExposureList, lists, "exposure lists")
        self.write(ExposureEntry, entries, "exposure entries")
        self.write(Citation, citations, "citations")
        self.write(ExposureList.precedents.through, precedents)
        self.write(ExposureEntry.related_cases.through, related)
        return lists
