"""The editors' admin for the knowledge base: every model, with history, search and inlines."""

from django.contrib import admin, messages
from django.db.models import Count
from simple_history.admin import SimpleHistoryAdmin

from .models import (
    Authority,
    Case,
    CaseRelation,
    Citation,
    Company,
    Dataset,
    ExchangeRate,
    ExposureEntry,
    ExposureList,
    LegalBasis,
    Party,
    PublicationStatus,
    Remedy,
    RemedyType,
    Source,
    TimelineEvent,
    TrainedModel,
)

TIMESTAMPS = ("created_at", "updated_at")
VERIFICATION = ("last_verified_at", "last_verified_by", "verify_every_days")


# ---------------------------------------------------------------------------
# Publication actions
# ---------------------------------------------------------------------------


def set_status(modeladmin, request, queryset, status, verb):
    """Save each record (not a bulk update) so the history keeps who changed it and why."""
    changed = 0
    for obj in queryset.exclude(status=status):
        obj.status = status
        obj._change_reason = f"{verb.capitalize()} from the admin"
        obj.save(update_fields=["status", "updated_at"])
        changed += 1
    modeladmin.message_user(request, f"{changed} record(s) {verb}.", messages.SUCCESS)


@admin.action(description="Publish selected records", permissions=["change"])
def publish(modeladmin, request, queryset):
    set_status(modeladmin, request, queryset, PublicationStatus.PUBLISHED, "published")


@admin.action(description="Withdraw selected records from readers", permissions=["change"])
def withdraw(modeladmin, request, queryset):
    set_status(modeladmin, request, queryset, PublicationStatus.WITHDRAWN, "withdrawn")


class PublicEntityAdmin(SimpleHistoryAdmin):
    """Shared settings for records with a slug, a publication status and a verification cycle."""

    actions = [publish, withdraw]
    # Only a whole-page review on the editors' desk moves the verification date.
    readonly_fields = ("last_verified_at", "last_verified_by", *TIMESTAMPS)
    list_per_page = 50
    # "12 results (Show all)" instead of a second count over the whole table on every filtered page.
    show_full_result_count = False


# ---------------------------------------------------------------------------
# Inlines
# ---------------------------------------------------------------------------


class CitationInline(admin.TabularInline):
    model = Citation
    fields = ("source", "pinpoint")
    autocomplete_fields = ["source"]
    extra = 0


class CaseCitationInline(CitationInline):
    fk_name = "case"


class RemedyCitationInline(CitationInline):
    fk_name = "remedy"


class DatasetCitationInline(CitationInline):
    fk_name = "dataset"


class ExposureListCitationInline(CitationInline):
    fk_name = "exposure_list"


class ExposureEntryCitationInline(CitationInline):
    fk_name = "exposure_entry"


class PartyInline(admin.TabularInline):
    model = Party
    fields = ("company", "role", "note")
    autocomplete_fields = ["company"]
    extra = 0


class RemedyInline(admin.StackedInline):
    model = Remedy
    fields = (
        ("remedy_type", "origin", "status"),
        "summary",
        ("amount", "currency", "exchange_rate", "amount_usd"),
        ("duration_months", "is_permanent", "deadline", "deadline_text"),
        "certification",
        ("compliance", "compliance_date", "compliance_date_precision", "compliance_source"),
        "compliance_note",
        "needs_verification",
    )
    readonly_fields = ("amount_usd",)
    autocomplete_fields = ["remedy_type", "exchange_rate", "compliance_source"]
    show_change_link = True  # covered data, models, quotes and sources are edited on the remedy itself
    extra = 0


class TimelineEventInline(admin.TabularInline):
    model = TimelineEvent
    fields = ("date", "date_precision", "title", "source", "needs_verification")
    autocomplete_fields = ["source"]
    extra = 0


class CaseRelationInline(admin.TabularInline):
    model = CaseRelation
    fk_name = "from_case"
    fields = ("kind", "to_case", "note")
    autocomplete_fields = ["to_case"]
    verbose_name = "relation to another case"
    verbose_name_plural = "relations to other cases"
    extra = 0


class ExposureEntryInline(admin.StackedInline):
    model = ExposureEntry
    fields = (("company", "segment"), ("level", "status", "last_reviewed"), "rationale", "related_cases")
    autocomplete_fields = ["company", "related_cases"]
    show_change_link = True
    extra = 0


# ---------------------------------------------------------------------------
# Sources, authorities, companies, taxonomies
# ---------------------------------------------------------------------------


@admin.register(Source)
class SourceAdmin(SimpleHistoryAdmin):
    list_display = ("title", "publisher", "hosted_by", "kind", "published_on")
    list_filter = ("kind",)
    search_fields = ("title", "publisher", "hosted_by", "url")
    date_hierarchy = "published_on"
    readonly_fields = TIMESTAMPS
    list_per_page = 50


@admin.register(Authority)
class AuthorityAdmin(PublicEntityAdmin):
    list_display = ("name", "short_name", "kind", "jurisdiction", "status")
    list_filter = ("status", "kind", "jurisdiction")
    search_fields = ("name", "short_name", "slug", "jurisdiction")
    prepopulated_fields = {"slug": ("short_name",)}


@admin.register(Company)
class CompanyAdmin(PublicEntityAdmin):
    list_display = ("name", "legal_name", "country", "parent", "status", "last_verified_at")
    list_filter = ("status", "country")
    list_select_related = ("parent",)
    search_fields = ("name", "legal_name", "aliases", "slug")
    autocomplete_fields = ["parent"]
    prepopulated_fields = {"slug": ("name",)}


@admin.register(LegalBasis)
class LegalBasisAdmin(SimpleHistoryAdmin):
    list_display = ("name", "slug", "jurisdiction")
    list_filter = ("jurisdiction",)
    search_fields = ("name", "slug", "description")
    prepopulated_fields = {"slug": ("name",)}


@admin.register(RemedyType)
class RemedyTypeAdmin(PublicEntityAdmin):
    list_display = ("name", "slug", "category", "sort_order", "status")
    list_filter = ("status", "category")
    search_fields = ("name", "slug", "definition")
    prepopulated_fields = {"slug": ("name",)}


# ---------------------------------------------------------------------------
# Data and models
# ---------------------------------------------------------------------------


@admin.register(Dataset)
class DatasetAdmin(PublicEntityAdmin):
    list_display = ("name", "modality", "collected_by", "status", "last_verified_at")
    list_filter = ("status", "modality")
    list_select_related = ("collected_by",)
    search_fields = ("name", "slug", "description", "collected_from")
    autocomplete_fields = ["collected_by", "received_by"]
    prepopulated_fields = {"slug": ("name",)}
    inlines = [DatasetCitationInline]


@admin.register(TrainedModel)
class TrainedModelAdmin(SimpleHistoryAdmin):
    list_display = ("name", "developer", "status")
    list_filter = ("status",)
    list_select_related = ("developer",)
    search_fields = ("name", "slug", "purpose", "developer__name")
    autocomplete_fields = ["developer", "datasets"]
    prepopulated_fields = {"slug": ("name",)}
    readonly_fields = TIMESTAMPS


# ---------------------------------------------------------------------------
# Cases and what hangs off them
# ---------------------------------------------------------------------------


class RemedyImposedFilter(admin.SimpleListFilter):
    """Cases by a remedy that binds the company, as the public list's `remedy` filter counts them (DESIGN §5)."""

    title = "remedy imposed"
    parameter_name = "remedy"

    def lookups(self, request, model_admin):
        return RemedyType.objects.values_list("slug", "name")

    def queryset(self, request, queryset):
        if self.value():
            return queryset.with_remedy(RemedyType.objects.filter(slug=self.value()))
        return queryset


@admin.register(Case)
class CaseAdmin(PublicEntityAdmin):
    list_display = ("__str__", "kind", "case_status", "authority", "jurisdiction", "decided_on", "status")
    list_display_links = ("__str__",)
    list_filter = ("status", "case_status", "kind", RemedyImposedFilter, "authority", "jurisdiction")
    list_select_related = ("authority",)
    search_fields = ("title", "short_title", "slug", "docket_numbers", "summary")
    autocomplete_fields = ["authority", "forum", "legal_bases", "datasets"]
    prepopulated_fields = {"slug": ("title",)}
    date_hierarchy = "decided_on"
    fieldsets = (
        (None, {"fields": ("title", "short_title", "slug", "status")}),
        (
            "Proceeding",
            {
                "fields": (
                    ("kind", "case_status"),
                    ("authority", "forum", "jurisdiction"),
                    "docket_numbers",
                    ("started_on", "started_on_precision"),
                    ("decided_on", "decided_on_precision"),
                )
            },
        ),
        ("Content", {"fields": ("summary", "significance", "body", "open_questions", "legal_bases", "datasets")}),
        ("Verification", {"fields": (*VERIFICATION, *TIMESTAMPS)}),
    )
    inlines = [PartyInline, RemedyInline, TimelineEventInline, CaseRelationInline, CaseCitationInline]


@admin.register(Party)
class PartyAdmin(SimpleHistoryAdmin):
    list_display = ("company", "role", "case")
    list_filter = ("role",)
    list_select_related = ("company", "case")
    search_fields = ("company__name", "case__title", "case__short_title", "note")
    autocomplete_fields = ["case", "company"]


@admin.register(TimelineEvent)
class TimelineEventAdmin(SimpleHistoryAdmin):
    list_display = ("date", "date_precision", "title", "case", "needs_verification")
    list_filter = ("needs_verification", "date_precision")
    list_select_related = ("case",)
    search_fields = ("title", "description", "case__title", "case__short_title")
    autocomplete_fields = ["case", "source"]
    date_hierarchy = "date"


@admin.register(CaseRelation)
class CaseRelationAdmin(SimpleHistoryAdmin):
    list_display = ("from_case", "kind", "to_case")
    list_filter = ("kind",)
    list_select_related = ("from_case", "to_case")
    search_fields = ("from_case__title", "from_case__short_title", "to_case__title", "to_case__short_title")
    autocomplete_fields = ["from_case", "to_case"]


@admin.register(ExchangeRate)
class ExchangeRateAdmin(SimpleHistoryAdmin):
    list_display = ("currency", "date", "usd_per_unit", "reference")
    list_filter = ("currency",)
    search_fields = ("currency", "reference")
    autocomplete_fields = ["source"]
    date_hierarchy = "date"


@admin.register(Remedy)
class RemedyAdmin(SimpleHistoryAdmin):
    list_display = ("remedy_type", "case", "origin", "status", "amount", "currency", "compliance", "needs_verification")
    list_filter = ("remedy_type", "origin", "status", "compliance", "reaches_third_parties", "needs_verification")
    list_select_related = ("remedy_type", "case")
    search_fields = ("summary", "quoted_text", "case__title", "case__short_title", "remedy_type__name")
    autocomplete_fields = [
        "case",
        "remedy_type",
        "covers_datasets",
        "covers_models",
        "exchange_rate",
        "compliance_source",
    ]
    readonly_fields = ("amount_usd",)
    inlines = [RemedyCitationInline]


# ---------------------------------------------------------------------------
# Exposure
# ---------------------------------------------------------------------------


@admin.register(ExposureList)
class ExposureListAdmin(PublicEntityAdmin):
    list_display = ("title", "entry_count", "status", "last_verified_at")
    list_filter = ("status",)
    search_fields = ("title", "slug", "summary", "criteria")
    autocomplete_fields = ["precedents"]
    prepopulated_fields = {"slug": ("title",)}
    inlines = [ExposureEntryInline, ExposureListCitationInline]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(entry_count=Count("entries"))

    @admin.display(description="entries", ordering="entry_count")
    def entry_count(self, obj):
        return obj.entry_count


@admin.register(ExposureEntry)
class ExposureEntryAdmin(SimpleHistoryAdmin):
    list_display = ("company", "exposure_list", "segment", "level", "status", "last_reviewed")
    list_filter = ("level", "status", "exposure_list")
    list_select_related = ("company", "exposure_list")
    search_fields = ("company__name", "segment", "rationale", "exposure_list__title")
    autocomplete_fields = ["exposure_list", "company", "related_cases"]
    inlines = [ExposureEntryCitationInline]


# ---------------------------------------------------------------------------
# Citations
# ---------------------------------------------------------------------------


@admin.register(Citation)
class CitationAdmin(SimpleHistoryAdmin):
    list_display = ("source", "pinpoint", "cited_by")
    list_select_related = (
        "source",
        "case",
        "remedy__case",
        "remedy__remedy_type",
        "dataset",
        "exposure_list",
        "exposure_entry__company",
        "exposure_entry__exposure_list",
    )
    search_fields = ("source__title", "pinpoint", "case__title", "dataset__name", "exposure_list__title")
    autocomplete_fields = ["source", "case", "remedy", "dataset", "exposure_list", "exposure_entry"]

    @admin.display(description="cited by")
    def cited_by(self, obj):
        owner = obj.case or obj.remedy or obj.dataset or obj.exposure_list or obj.exposure_entry
        return str(owner) if owner else "—"
