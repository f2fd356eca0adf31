"""The Django admin, installed with casebase's own site (casebase.staff.StaffAdminSite)."""

from django.contrib.admin.apps import AdminConfig


class StaffAdminConfig(AdminConfig):
    default_site = "casebase.staff.StaffAdminSite"
