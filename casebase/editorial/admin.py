"""Admin for the editorial app: canned replies to edit, and read-only views of reports, notices and checks.

Reports move only through the desk (/desk/), where the workflow checks who may do what and logs it;
the admin never changes their state. The Editors and Publishers groups are made by migrations.
"""

from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html

from .models import CannedReply, Correction, CorrectionNotice, Verification


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Correction)
class CorrectionAdmin(ReadOnlyAdmin):
    list_display = ["reference", "state", "kind", "page_title", "channel", "received_at", "assignee", "on_desk"]
    list_filter = ["state", "kind", "channel", "priority"]
    search_fields = ["number", "page_title"]
    date_hierarchy = "received_at"
    # Readers' contact details, their hashes and the status-link secret stay out of the admin.
    exclude = ["secret", "reporter_email", "email_hash", "address_hash"]
    list_select_related = ["assignee"]

    @admin.display(description="Desk")
    def on_desk(self, correction):
        url = reverse("editorial:desk_report", args=[correction.number])
        return format_html('<a href="{}">Open on the desk</a>', url)


@admin.register(CorrectionNotice)
class CorrectionNoticeAdmin(admin.ModelAdmin):
    list_display = ["__str__", "kind", "is_material", "content_type", "object_id", "published_at", "published_by"]
    list_filter = ["kind", "is_material"]
    fields = ["kind", "is_material", "text", "published_at", "published_by", "page_history_id"]
    readonly_fields = ["published_at", "published_by", "page_history_id"]

    def has_add_permission(self, request):
        return False  # notices are published from the desk, with the page fix

    def has_delete_permission(self, request, obj=None):
        return False  # newsrooms never unpublish a correction silently


@admin.register(Verification)
class VerificationAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "content_type", "object_id", "outcome", "verified_by"]
    list_filter = ["outcome"]


@admin.register(CannedReply)
class CannedReplyAdmin(admin.ModelAdmin):
    list_display = ["title"]
    search_fields = ["title", "body"]
