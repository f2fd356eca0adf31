"""WSGI entry point (gunicorn casebase.wsgi)."""

import os

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "casebase.settings")
application = get_wsgi_application()

# Refuse to serve, rather than fail at the first signed cookie, when debug is off and no key is set.
if not settings.DEBUG and not os.environ.get("DJANGO_SECRET_KEY"):
    raise ImproperlyConfigured("DJANGO_SECRET_KEY must be set when DJANGO_DEBUG is off.")
