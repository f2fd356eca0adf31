"""The reader's private status link: signed, unguessable, no account."""

from django.conf import settings
from django.core import signing
from django.urls import reverse
from django.utils.crypto import constant_time_compare

from .models import Correction

STATUS_SALT = "casebase.editorial.status-link"


def status_token(correction):
    """The token in a report's status link: its number and secret, signed."""
    return signing.dumps({"n": correction.number, "s": correction.secret}, salt=STATUS_SALT)


def correction_for_token(token, queryset=None):
    """The report a status token opens, or None if the token is forged, mangled or out of date."""
    try:
        data = signing.loads(token, salt=STATUS_SALT)
        number, secret = int(data["n"]), str(data["s"])
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return None
    correction = (queryset if queryset is not None else Correction.objects).filter(number=number).first()
    if correction is None or not constant_time_compare(correction.secret, secret):
        return None
    return correction


def status_url(correction, absolute=False):
    """The report's status page; `absolute` for mail (with SITE_URL)."""
    path = reverse("editorial:status_detail", args=[status_token(correction)])
    return f"{settings.SITE_URL}{path}" if absolute else path
