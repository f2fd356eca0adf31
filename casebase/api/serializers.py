"""What the API shows of each published record. Field names are stable; descriptions come from help_text.

Model fields carry their own help_text into the schema; fields made here (links, lists, references) say
theirs below. Only published records appear: references to drafts are null, lists leave them out.
"""

from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from casebase.editorial.models import CorrectionNotice
from casebase.editorial.pages import BY_MODEL
from casebase.knowledge.models import (
    Authority,
    Case,
    CaseRelation,
    CaseStatus,
    Citation,
    Company,
    Dataset,
    DatePrecision,
    ExchangeRate,
    ExposureEntry,
    ExposureList,
    LegalBasis,
    Party,
    PublicationStatus,
    Remedy,
    RemedyOrigin,
    RemedyType,
    Source,
    TimelineEvent,
    TrainedModel,
)

PRECISION_HELP = "How precisely {} is known: day, month or year (the date is then the first of its month or year)."


class PrecisionField(serializers.ChoiceField):
    """How precisely a date is known; null when the date itself is unknown (the model stores an empty string)."""

    def __init__(self, date_field, **kwargs):
        kwargs.setdefault("help_text", f"{PRECISION_HELP.format(date_field)} Null when {date_field} is.")
        super().__init__(choices=DatePrecision.choices, allow_null=True, read_only=True, **kwargs)

    def to_representation(self, value):
        return value or None


def api_url(basename, lookup="slug"):
    return serializers.HyperlinkedIdentityField(
        view_name=f"api:{basename}-detail", lookup_field=lookup, help_text="This record's address in the API."
    )


@extend_schema_field(OpenApiTypes.URI)
class HtmlUrlField(serializers.Field):
    """The address of the record's page on the site, for people."""

    def __init__(self, **kwargs):
        kwargs.setdefault("help_text", "The address of this record's page on the site, for people.")
        super().__init__(source="*", read_only=True, **kwargs)

    def to_representation(self, instance):
        return self.context["request"].build_absolute_uri(instance.get_absolute_url())


@extend_schema_field(OpenApiTypes.URI)
class CasesUrlField(serializers.Field):
    """The API's case list filtered to one record: `?company=<slug>` and the like."""

    def __init__(self, parameter, **kwargs):
        self.parameter = parameter
        kwargs.setdefault("help_text", f"The API's case list filtered by {parameter} to this record.")
        super().__init__(source="*", read_only=True, **kwargs)

    def to_representation(self, instance):
        path = f"{reverse('api:case-list')}?{self.parameter}={instance.slug}"
        return self.context["request"].build_absolute_uri(path)


@extend_schema_field({"type": "array", "items": {"type": "string"}})
class LinesField(serializers.Field):
    """A text field of one item per line, as a list."""

    def __init__(self, **kwargs):
        super().__init__(read_only=True, **kwargs)

    def to_representation(self, value):
        return [line.strip() for line in (value or "").splitlines() if line.strip()]


class PublishedRef(serializers.ModelSerializer):
    """A short reference to a published record; null for one that is not published."""

    def to_representation(self, instance):
        if getattr(instance, "status", PublicationStatus.PUBLISHED) != PublicationStatus.PUBLISHED:
            return None
        return super().to_representation(instance)


# --- References ----------------------------------------------------------------------------------------


class CaseRefSerializer(PublishedRef):
    api_url = api_url("case")
    html_url = HtmlUrlField()

    class Meta:
        model = Case
        fields = ["slug", "title", "api_url", "html_url"]


class CompanyRefSerializer(PublishedRef):
    api_url = api_url("company")
    html_url = HtmlUrlField()

    class Meta:
        model = Company
        fields = ["slug", "name", "api_url", "html_url"]


class AuthorityRefSerializer(PublishedRef):
    api_url = api_url("authority")
    html_url = HtmlUrlField()

    class Meta:
        model = Authority
        fields = ["slug", "name", "short_name", "api_url", "html_url"]


class RemedyTypeRefSerializer(PublishedRef):
    api_url = api_url("remedytype")
    html_url = HtmlUrlField()

    class Meta:
        model = RemedyType
        fields = ["slug", "name", "api_url", "html_url"]


class DatasetRefSerializer(PublishedRef):
    api_url = api_url("dataset")
    html_url = HtmlUrlField()

    class Meta:
        model = Dataset
        fields = ["slug", "name", "modality", "api_url", "html_url"]


class TrainedModelRefSerializer(serializers.ModelSerializer):
    api_url = api_url("trainedmodel")

    class Meta:
        model = TrainedModel
        fields = ["slug", "name", "api_url"]


class ExposureListRefSerializer(PublishedRef):
    api_url = api_url("exposurelist")
    html_url = HtmlUrlField()

    class Meta:
        model = ExposureList
        fields = ["slug", "title", "api_url", "html_url"]


class SourceRefSerializer(serializers.ModelSerializer):
    api_url = api_url("source", lookup="pk")

    class Meta:
        model = Source
        fields = ["id", "title", "publisher", "url", "kind", "api_url"]
        extra_kwargs = {"id": {"help_text": "Stable number of the source in the API."}}


class CitationSerializer(serializers.ModelSerializer):
    source = SourceRefSerializer(help_text="The document cited.")

    class Meta:
        model = Citation
        fields = ["source", "pinpoint"]


class LegalBasisSerializer(serializers.ModelSerializer):
    class Meta:
        model = LegalBasis
        fields = ["slug", "name", "jurisdiction"]


# --- Remedies ------------------------------------------------------------------------------------------


class ExchangeRateSerializer(serializers.ModelSerializer):
    source = SourceRefSerializer(help_text="Where the rate is published.")

    class Meta:
        model = ExchangeRate
        fields = ["currency", "date", "usd_per_unit", "reference", "source"]


REMEDY_ID_HELP = "Stable number of the remedy in the API."


class BindsField(serializers.BooleanField):
    def __init__(self, **kwargs):
        help_text = "Whether the remedy binds the company: ordered, or agreed in a consent order or settlement."
        super().__init__(source="origin", read_only=True, help_text=help_text, **kwargs)

    def to_representation(self, value):
        return RemedyOrigin(value).is_imposed


class RemedyBriefSerializer(serializers.ModelSerializer):
    """A remedy as a case list row shows it."""

    api_url = api_url("remedy", lookup="pk")
    remedy_type = serializers.SlugRelatedField(
        slug_field="slug", read_only=True, help_text="Which kind of remedy this is (a remedy type's slug)."
    )
    binds = BindsField()

    class Meta:
        model = Remedy
        fields = ["id", "api_url", "remedy_type", "origin", "binds", "status", "amount", "currency", "amount_usd"]
        extra_kwargs = {"id": {"help_text": REMEDY_ID_HELP}}


class RemedySerializer(serializers.ModelSerializer):
    api_url = api_url("remedy", lookup="pk")
    case = CaseRefSerializer(help_text="The case the remedy belongs to.")
    remedy_type = RemedyTypeRefSerializer(help_text="Which kind of remedy this is.")
    binds = BindsField()
    compliance_date_precision = PrecisionField("compliance_date")
    exchange_rate = ExchangeRateSerializer(
        allow_null=True,
        help_text="The reference rate used for the US-dollar figure (amounts not in dollars); null otherwise.",
    )
    compliance_source = SourceRefSerializer(
        allow_null=True, help_text="Where the certification or the company's statement is documented."
    )
    covers_datasets = DatasetRefSerializer(many=True, help_text="Published data the remedy reaches.")
    covers_models = TrainedModelRefSerializer(many=True, help_text="Models or algorithms the remedy reaches.")
    citations = CitationSerializer(many=True, help_text="Sources for this remedy, with pinpoints.")

    class Meta:
        model = Remedy
        fields = [
            "id",
            "api_url",
            "case",
            "remedy_type",
            "summary",
            "quoted_text",
            "origin",
            "binds",
            "status",
            "amount",
            "currency",
            "amount_usd",
            "exchange_rate",
            "duration_months",
            "is_permanent",
            "deadline",
            "deadline_text",
            "certification",
            "compliance",
            "compliance_date",
            "compliance_date_precision",
            "compliance_source",
            "compliance_note",
            "covers_datasets",
            "covers_models",
            "reaches_third_parties",
            "third_party_note",
            "needs_verification",
            "citations",
        ]
        extra_kwargs = {"id": {"help_text": REMEDY_ID_HELP}}


# --- Cases ---------------------------------------------------------------------------------------------

CASE_FIELDS = [
    "slug",
    "api_url",
    "html_url",
    "title",
    "short_title",
    "kind",
    "status",
    "authority",
    "forum",
    "jurisdiction",
    "docket_numbers",
    "started_on",
    "started_on_precision",
    "decided_on",
    "decided_on_precision",
    "summary",
    "significance",
    "updated_at",
    "last_verified_at",
]


class CaseSerializer(serializers.ModelSerializer):
    """A case as the list shows it, with its remedies in brief."""

    api_url = api_url("case")
    html_url = HtmlUrlField()
    status = serializers.ChoiceField(
        source="case_status",
        choices=CaseStatus.choices,
        read_only=True,
        help_text=Case._meta.get_field("case_status").help_text,
    )
    authority = AuthorityRefSerializer(allow_null=True, help_text=Case._meta.get_field("authority").help_text)
    forum = AuthorityRefSerializer(allow_null=True, help_text=Case._meta.get_field("forum").help_text)
    docket_numbers = LinesField(help_text=Case._meta.get_field("docket_numbers").help_text)
    started_on_precision = PrecisionField("started_on")
    decided_on_precision = PrecisionField("decided_on")
    remedies = serializers.SerializerMethodField(
        help_text="Its remedies of published types, each with its type's slug, origin and amounts."
    )

    class Meta:
        model = Case
        fields = [*CASE_FIELDS, "remedies"]

    @extend_schema_field(RemedyBriefSerializer(many=True))
    def get_remedies(self, case):
        remedies = [r for r in case.remedies.all() if r.remedy_type.status == PublicationStatus.PUBLISHED]
        return RemedyBriefSerializer(remedies, many=True, context=self.context).data


class PartySerializer(serializers.ModelSerializer):
    company = CompanyRefSerializer(help_text="The company.")

    class Meta:
        model = Party
        fields = ["company", "role", "note"]


class TimelineEventSerializer(serializers.ModelSerializer):
    source = SourceRefSerializer(allow_null=True, help_text="Where this is documented.")

    class Meta:
        model = TimelineEvent
        fields = ["date", "date_precision", "title", "description", "source", "needs_verification"]


class RelationSerializer(serializers.Serializer):
    case = CaseRefSerializer(help_text="The other case.")
    kind = serializers.ChoiceField(
        choices=CaseRelation._meta.get_field("kind").choices, help_text="How the cases relate."
    )
    direction = serializers.ChoiceField(
        choices=[("out", "out"), ("in", "in")],
        help_text="out: this case is the one that relates (it follows, cites or appeals the other); "
        "in: the other case relates to this one.",
    )
    label = serializers.CharField(help_text="How the relation reads from this case: 'Follows precedent of', "
                                  "'Precedent for', 'Appealed in'…")  # fmt: skip
    note = serializers.CharField(help_text="One line on the link.")


class CaseDetailSerializer(CaseSerializer):
    """Everything the case page shows."""

    remedies = serializers.SerializerMethodField(help_text="Its remedies of published types, in full.")
    legal_bases = LegalBasisSerializer(many=True, help_text=Case._meta.get_field("legal_bases").help_text)
    parties = PartySerializer(many=True, help_text="Published companies on the case, with their roles.")
    datasets = DatasetRefSerializer(many=True, help_text="Published data at the heart of the case.")
    timeline = TimelineEventSerializer(many=True, help_text="Dated steps in the case, oldest first.")
    relations = serializers.SerializerMethodField(help_text="Links to other published cases, both ways.")
    citations = CitationSerializer(many=True, help_text="Sources for the case, primary documents first.")

    class Meta:
        model = Case
        fields = [
            *CASE_FIELDS,
            "body",
            "open_questions",
            "legal_bases",
            "parties",
            "datasets",
            "timeline",
            "relations",
            "remedies",
            "citations",
        ]

    @extend_schema_field(RemedySerializer(many=True))
    def get_remedies(self, case):
        remedies = [r for r in case.remedies.all() if r.remedy_type.status == PublicationStatus.PUBLISHED]
        return RemedySerializer(remedies, many=True, context=self.context).data

    @extend_schema_field(RelationSerializer(many=True))
    def get_relations(self, case):
        rows = [
            {"case": r.to_case, "kind": r.kind, "direction": "out", "label": r.get_kind_display(), "note": r.note}
            for r in case.relations_out.all()
        ] + [
            {"case": r.from_case, "kind": r.kind, "direction": "in", "label": r.inverse_label, "note": r.note}
            for r in case.relations_in.all()
        ]
        return RelationSerializer(rows, many=True, context=self.context).data


# --- Companies, authorities, remedy types ------------------------------------------------------------


class CompanySerializer(serializers.ModelSerializer):
    api_url = api_url("company")
    html_url = HtmlUrlField()
    aliases = LinesField(help_text=Company._meta.get_field("aliases").help_text)
    parent = CompanyRefSerializer(allow_null=True, help_text=Company._meta.get_field("parent").help_text)
    cases_url = CasesUrlField("company", help_text="The API's case list for this company and its subsidiaries.")

    class Meta:
        model = Company
        fields = [
            "slug",
            "api_url",
            "html_url",
            "name",
            "legal_name",
            "aliases",
            "country",
            "website",
            "parent",
            "description",
            "cases_url",
            "updated_at",
            "last_verified_at",
        ]


class CompanyDetailSerializer(CompanySerializer):
    subsidiaries = CompanyRefSerializer(many=True, help_text="Published companies it owns.")
    datasets_collected = DatasetRefSerializer(many=True, help_text="Published data it collected.")
    datasets_received = DatasetRefSerializer(many=True, help_text="Published data passed to it.")
    trained_models = TrainedModelRefSerializer(many=True, help_text="Models or algorithms it built.")
    exposure_lists = serializers.SerializerMethodField(help_text="Published exposure lists that name it.")

    class Meta(CompanySerializer.Meta):
        fields = [
            *CompanySerializer.Meta.fields,
            "subsidiaries",
            "datasets_collected",
            "datasets_received",
            "trained_models",
            "exposure_lists",
        ]

    @extend_schema_field(ExposureListRefSerializer(many=True))
    def get_exposure_lists(self, company):
        lists = [entry.exposure_list for entry in company.exposure_entries.all()]
        return ExposureListRefSerializer(lists, many=True, context=self.context).data


class AuthoritySerializer(serializers.ModelSerializer):
    api_url = api_url("authority")
    html_url = HtmlUrlField()
    cases_url = CasesUrlField("authority", help_text="The API's case list for this authority, as authority or forum.")

    class Meta:
        model = Authority
        fields = [
            "slug",
            "api_url",
            "html_url",
            "name",
            "short_name",
            "kind",
            "jurisdiction",
            "website",
            "description",
            "cases_url",
            "updated_at",
            "last_verified_at",
        ]


class RemedyTypeSerializer(serializers.ModelSerializer):
    api_url = api_url("remedytype")
    html_url = HtmlUrlField()
    case_count = serializers.IntegerField(
        source="imposed_count",
        read_only=True,
        help_text="Published cases in which a remedy of this type binds the company: the count every page gives.",
    )
    case_count_including_nonbinding = serializers.IntegerField(
        source="case_count",
        read_only=True,
        help_text="Published cases with a remedy of this type of any origin, proposed, voluntary and sought included.",
    )
    cases_url = CasesUrlField("remedy", help_text="The API's case list of cases in which this remedy binds.")

    class Meta:
        model = RemedyType
        fields = [
            "slug",
            "api_url",
            "html_url",
            "name",
            "category",
            "definition",
            "sort_order",
            "case_count",
            "case_count_including_nonbinding",
            "cases_url",
            "updated_at",
            "last_verified_at",
        ]


# --- Datasets and trained models ---------------------------------------------------------------------

DATASET_FIELDS = [
    "slug",
    "api_url",
    "html_url",
    "name",
    "modality",
    "description",
    "size_value",
    "size_unit",
    "size_is_approximate",
    "size_note",
    "collected_by",
    "collected_from",
    "received_by",
    "collection_start",
    "collection_start_precision",
    "collection_end",
    "collection_end_precision",
    "consent_terms",
    "actual_use",
    "case_count",
    "updated_at",
    "last_verified_at",
]


class DatasetSerializer(serializers.ModelSerializer):
    api_url = api_url("dataset")
    html_url = HtmlUrlField()
    collected_by = CompanyRefSerializer(allow_null=True, help_text=Dataset._meta.get_field("collected_by").help_text)
    received_by = CompanyRefSerializer(many=True, help_text="Published companies the data was passed to.")
    case_count = serializers.IntegerField(read_only=True, help_text="Published cases the data is at the heart of.")
    collection_start_precision = PrecisionField("collection_start")
    collection_end_precision = PrecisionField("collection_end")

    class Meta:
        model = Dataset
        fields = DATASET_FIELDS


class DatasetDetailSerializer(DatasetSerializer):
    trained_models = TrainedModelRefSerializer(many=True, help_text="Models or algorithms trained on the data.")
    cases = CaseRefSerializer(many=True, help_text="Published cases the data is at the heart of, oldest first.")
    citations = CitationSerializer(many=True, help_text="Sources for the dataset, primary documents first.")

    class Meta(DatasetSerializer.Meta):
        fields = [*DATASET_FIELDS, "trained_models", "cases", "citations"]


class TrainedModelSerializer(serializers.ModelSerializer):
    api_url = api_url("trainedmodel")
    developer = CompanyRefSerializer(allow_null=True, help_text=TrainedModel._meta.get_field("developer").help_text)
    datasets = DatasetRefSerializer(many=True, help_text="Published data it was trained on.")

    class Meta:
        model = TrainedModel
        fields = ["slug", "api_url", "name", "developer", "purpose", "datasets", "status", "status_note", "updated_at"]
        extra_kwargs = {"updated_at": {"help_text": "When this record was last changed."}}


# --- Exposure lists ----------------------------------------------------------------------------------


class ExposureEntrySerializer(serializers.ModelSerializer):
    company = CompanyRefSerializer(help_text="The company.")
    related_cases = CaseRefSerializer(many=True, help_text="Published pending cases that raise the allegation.")
    citations = CitationSerializer(many=True, help_text="Sources for the entry.")

    class Meta:
        model = ExposureEntry
        fields = ["company", "segment", "rationale", "level", "status", "related_cases", "last_reviewed", "citations"]


EXPOSURE_FIELDS = [
    "slug",
    "api_url",
    "html_url",
    "title",
    "summary",
    "criteria",
    "precedents",
    "entry_count",
    "updated_at",
    "last_verified_at",
]


class ExposureListSerializer(serializers.ModelSerializer):
    api_url = api_url("exposurelist")
    html_url = HtmlUrlField()
    precedents = CaseRefSerializer(many=True, help_text="Published cases the risk rests on, oldest first.")
    entry_count = serializers.IntegerField(read_only=True, help_text="Published companies on the list.")

    class Meta:
        model = ExposureList
        fields = EXPOSURE_FIELDS


class ExposureListDetailSerializer(ExposureListSerializer):
    entries = ExposureEntrySerializer(
        many=True, help_text="Companies that may face the same exposure: alleged or potential, never a verdict."
    )
    citations = CitationSerializer(many=True, help_text="Sources for the list.")
    entry_count = serializers.SerializerMethodField(help_text="Published companies on the list.")

    class Meta(ExposureListSerializer.Meta):
        fields = [*EXPOSURE_FIELDS, "entries", "citations"]

    def get_entry_count(self, exposure_list) -> int:
        return len(exposure_list.entries.all())  # for_detail prefetches the entries on published companies


# --- Sources and correction notices ------------------------------------------------------------------


class SourceSerializer(serializers.ModelSerializer):
    api_url = api_url("source", lookup="pk")
    published_on_precision = PrecisionField(
        "published_on", help_text=Source._meta.get_field("published_on_precision").help_text + " Null when unknown."
    )

    class Meta:
        model = Source
        fields = [
            "id",
            "api_url",
            "title",
            "publisher",
            "url",
            "hosted_by",
            "published_on",
            "published_on_precision",
            "kind",
            "archived_url",
            "note",
        ]
        extra_kwargs = {"id": {"help_text": "Stable number of the source in the API."}}


class NoticePageSerializer(serializers.Serializer):
    kind = serializers.CharField(help_text="Which kind of page: cases, companies, remedies, datasets, exposure or "
                                 "authorities (its address prefix on the site).")  # fmt: skip
    slug = serializers.SlugField(help_text="The page's slug.")
    title = serializers.CharField(help_text="The page's title now.")
    html_url = serializers.URLField(help_text="The page on the site; the notice is at #notice-<id>.")
    api_url = serializers.URLField(help_text="The page's record in the API.")


# The API resource of each kind of page a notice can be printed on.
PAGE_RESOURCES = {
    Case: "case",
    Company: "company",
    RemedyType: "remedytype",
    Dataset: "dataset",
    ExposureList: "exposurelist",
    Authority: "authority",
}


class CorrectionNoticeSerializer(serializers.ModelSerializer):
    """A published notice: what was corrected, clarified or updated on a published page, and when."""

    api_url = api_url("correctionnotice", lookup="pk")
    page = serializers.SerializerMethodField(help_text="The published page the notice is printed on.")

    class Meta:
        model = CorrectionNotice
        fields = ["id", "api_url", "kind", "is_material", "text", "published_at", "page"]
        extra_kwargs = {"id": {"help_text": "Stable number of the notice; its anchor on the page is #notice-<id>."}}

    @extend_schema_field(NoticePageSerializer)
    def get_page(self, notice):
        page, request = notice.page, self.context["request"]
        resource = PAGE_RESOURCES[type(page)]
        return {
            "kind": BY_MODEL[type(page)].slug,
            "slug": page.slug,
            "title": str(page),
            "html_url": request.build_absolute_uri(f"{page.get_absolute_url()}#notice-{notice.pk}"),
            "api_url": request.build_absolute_uri(reverse(f"api:{resource}-detail", args=[page.slug])),
        }
