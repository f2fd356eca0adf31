"""ASGI entry point."""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "casebase.settings")
application = get_asgi_application()

# Refuse to serve, rather than fail at the first request, without a secret key or collected static files.
from casebase.startup import check_can_serve  # noqa: E402  (needs the settings loaded above)

check_can_serve()
