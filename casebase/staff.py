"""Staff sign-in: the admin site with two-factor for anyone who can publish, and the rule for who needs it."""

from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.admin.sites import AdminSite
from django_otp import devices_for_user, user_has_device
from django_otp.admin import OTPAdminAuthenticationForm

PUBLISH_PERMISSION = "editorial.publish_correctionnotice"


def needs_second_factor(user):
    """Whoever can change what the public reads at once needs a second factor: superusers and publishers."""
    return user.is_active and (user.is_superuser or user.has_perm(PUBLISH_PERMISSION))


def is_fully_signed_in(user):
    """Signed in with every factor this user needs."""
    if not user.is_authenticated:
        return False
    verified = getattr(user, "is_verified", None)
    return not (needs_second_factor(user) or user_has_device(user)) or bool(verified and verified())


class StaffAuthenticationForm(OTPAdminAuthenticationForm):
    """Password, then a TOTP code from the authenticator app for staff who have one or need one."""

    def _chosen_device(self, user):
        # Most staff have one authenticator: use it without asking them to pick it from a list.
        device = super()._chosen_device(user)
        if device is None:
            devices = list(devices_for_user(user))
            device = devices[0] if len(devices) == 1 else None
        return device

    def clean(self):
        self.cleaned_data = AdminAuthenticationForm.clean(self)
        user = self.get_user()
        if user is not None and (needs_second_factor(user) or user_has_device(user)):
            self.clean_otp(user)
        return self.cleaned_data


class StaffAdminSite(AdminSite):
    """The Django admin, open only to staff signed in with every factor they need."""

    login_form = StaffAuthenticationForm
    login_template = "otp/admin111/login.html"

    def has_permission(self, request):
        return super().has_permission(request) and is_fully_signed_in(request.user)
