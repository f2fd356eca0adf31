"""Abuse and privacy helpers for readers' reports: honeypot, signed time trap, keyed hashes, links, rates.

A report that trips a spam signal is not refused: it is filed in quarantine and the reader sees the
same thank-you page (fake success tells a robot nothing). Only the rate limits answer openly, with 429.
"""

import ipaddress
import re
import time

from django.conf import settings
from django.core import signing
from django.utils.crypto import salted_hmac
from django.views.decorators.debug import sensitive_variables
from django_ratelimit.core import get_usage

# The form's honeypot: a field people never see (hidden by CSS, skipped by keyboard) and robots fill in.
HONEYPOT_FIELD = "website"
# The form's time trap: when the form was served, signed so it cannot be forged or moved.
TIME_TRAP_FIELD = "started"
TIME_TRAP_SALT = "casebase.editorial.time-trap"
# A person needs more than this to read the form and write a report…
MIN_FILL_SECONDS = 3
# …and a served form is good for this long (a robot replaying one old token gets quarantined).
MAX_FORM_AGE_SECONDS = 24 * 60 * 60

# More links than this in one report (text and evidence together) is a spam signal.
MAX_LINKS = 3
# A link as spammers write it: with a scheme, starting with www., or a bare domain with a path.
LINK_RE = re.compile(r"(?:\bhttps?://|\bwww\.)[^\s<>\"']+|\b[a-z0-9-]+(?:\.[a-z0-9-]+)*\.[a-z]{2,}/[^\s<>\"']*", re.I)


class Quarantine:
    """The spam signals, worded as the desk's quarantine queue shows them."""

    HONEYPOT = "Honeypot field filled in"
    TIME_TRAP_MISSING = "Time trap missing or forged"
    TOO_FAST = "Sent within seconds of opening the form"
    TOO_OLD = "Sent from a form more than a day old"
    TOO_MANY_LINKS = f"More than {MAX_LINKS} links"
    TOO_LONG = "Longer than the form allows"
    RATE = "Too many reports from this sender or about this page"
    AUTOMATIC = "Automatic mail (auto-reply, bounce or list)"


def time_trap_token(now=None):
    """The signed time the form was served, for its hidden field."""
    return signing.dumps(int(now if now is not None else time.time()), salt=TIME_TRAP_SALT)


def time_trap_reason(token, now=None):
    """Why a served-at token is suspicious ('' when a person could have filled the form in that time)."""
    now = now if now is not None else time.time()
    try:
        served = signing.loads(token or "", salt=TIME_TRAP_SALT)
    except signing.BadSignature:
        return Quarantine.TIME_TRAP_MISSING
    if not isinstance(served, int):
        return Quarantine.TIME_TRAP_MISSING
    age = now - served
    if age < MIN_FILL_SECONDS:
        return Quarantine.TOO_FAST
    if age > MAX_FORM_AGE_SECONDS:
        return Quarantine.TOO_OLD
    return ""


def find_links(*texts):
    """Every link written in the texts, in order."""
    # Punctuation after a link belongs to the sentence, not the link.
    return [match.group(0).rstrip(".,;:!?)]}>'\"") for text in texts if text for match in LINK_RE.finditer(text)]


def _key():
    return settings.CORRECTIONS_HASH_KEY or settings.SECRET_KEY


@sensitive_variables("email")
def email_hash(email):
    """A keyed hash of an email address (case-insensitive), so the address itself is never needed to match."""
    email = (email or "").strip().lower()
    if not email:
        return ""
    return salted_hmac("casebase.editorial.email", email, secret=_key(), algorithm="sha256").hexdigest()


@sensitive_variables("parts")
def submission_key(started, *parts):
    """A keyed hash of the form's time-trap token and what was sent with it ('' without a token).

    The same served form sent twice with the same content (a double click, a resent POST) has the same
    key; two readers who open the form in the same second differ in what they write or where from.
    """
    if not started:
        return ""
    message = "\x1f".join([started, *(str(part) for part in parts)])
    return salted_hmac("casebase.editorial.submission", message, secret=_key(), algorithm="sha256").hexdigest()


def address_hash(ip):
    """A keyed hash of an IP address; IPv6 is taken per /64, the block one household or phone gets."""
    if not ip:
        return ""
    try:
        address = ipaddress.ip_address(ip.strip())
    except ValueError:
        return ""
    if address.version == 6:
        address = ipaddress.ip_network(f"{address}/64", strict=False).network_address
    return salted_hmac("casebase.editorial.address", str(address), secret=_key(), algorithm="sha256").hexdigest()


def client_ip(request):
    """The reader's IP address: REMOTE_ADDR, or behind our proxy the address the proxy saw."""
    count = settings.CORRECTIONS_PROXY_COUNT
    if count:
        forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
        if len(forwarded) >= count:
            return forwarded[-count]
    return request.META.get("REMOTE_ADDR", "")


def parse_rate(rate):
    """(count, seconds) from a rate such as "5/h" or "20/10m", as django-ratelimit reads it."""
    count, _, period = rate.partition("/")
    digits = "".join(ch for ch in period if ch.isdigit())
    unit = period[len(digits) :] or "s"
    seconds = {"s": 1, "m": 60, "h": 3600, "d": 86400}[unit.lower()]
    return int(count), seconds * (int(digits) if digits else 1)


def _page_key(page):
    return f"{page._meta.label_lower}:{page.pk}" if page is not None else "none"


def rate_limited(request, page, increment=True):
    """Count one report from this request's address and about this page; the seconds to wait if over a limit.

    Counts are kept in the cache (django-ratelimit: atomic increments in a shared cache such as Redis),
    keyed by the address's keyed hash, never the address itself. Returns 0 when within both limits.
    """
    address = address_hash(client_ip(request)) or "unknown"
    checks = [
        ("editorial.report.address", settings.CORRECTIONS_RATE_PER_ADDRESS, address),
        ("editorial.report.page", settings.CORRECTIONS_RATE_PER_PAGE, _page_key(page)),
    ]
    wait = 0
    for group, rate, value in checks:
        usage = get_usage(request, group=group, key=lambda _group, _request, v=value: v, rate=rate, increment=increment)
        if usage and usage["should_limit"]:
            wait = max(wait, usage["time_left"], 1)
    return wait
