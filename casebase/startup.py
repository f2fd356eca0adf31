"""Checks that stop a production server at start rather than at its first request."""

import os

from django.conf import settings
from django.contrib.staticfiles.storage import ManifestFilesMixin, staticfiles_storage
from django.core.exceptions import ImproperlyConfigured


def check_can_serve():
    """Refuse to serve with debug off when the secret key or the collected static files are missing."""
    if settings.DEBUG:
        return
    if not os.environ.get("DJANGO_SECRET_KEY"):
        raise ImproperlyConfigured("DJANGO_SECRET_KEY must be set when DJANGO_DEBUG is off.")
    if isinstance(staticfiles_storage, ManifestFilesMixin) and not staticfiles_storage.exists(
        staticfiles_storage.manifest_name
    ):
        raise ImproperlyConfigured(
            f"No static files manifest in {settings.STATIC_ROOT}: run `python manage.py collectstatic --no-input` "
            "before starting the server."
        )
