"""WSGI entry point (gunicorn casebase.wsgi)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "casebase.settings")
application = get_wsgi_application()

# Refuse to serve, rather than fail at the first request, without a secret key or collected static files.
from casebase.startup import check_can_serve  # noqa: E402  (needs the settings loaded above)

check_can_serve()
