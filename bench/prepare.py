"""The Django side of a benchmark run, in its own process: migrate, generate the corpus, collect the static
files, sign in an administrator, and choose the pages to load. Prints the choices as one JSON line.

    CASEBASE_BENCH=1 DJANGO_SETTINGS_MODULE=bench.settings python -m bench.prepare --cases 1000
"""

import argparse
import json
import os
import sys

MARK = "BENCH-TARGETS "
ADMIN = "bench-admin"
SEARCH = "voice cloning"
FILTER = "model-deletion"


def admin_cookie():
    """A session cookie of a superuser signed in with password and TOTP, as the admin's sign-in would leave it."""
    from importlib import import_module

    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY, get_user_model
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    user, _ = get_user_model().objects.get_or_create(
        username=ADMIN, defaults={"is_staff": True, "is_superuser": True, "email": "bench@example.invalid"}
    )
    device, _ = TOTPDevice.objects.get_or_create(user=user, name="bench authenticator", defaults={"confirmed": True})
    session = import_module(settings.SESSION_ENGINE).SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.create()
    return f"{settings.SESSION_COOKIE_NAME}={session.session_key}"


def choose_targets():
    """{name: path} of the pages to load, with the cookie the admin needs and the export's expected rows."""
    from django.contrib.staticfiles.storage import staticfiles_storage
    from django.db.models import Q
    from django.utils.http import urlencode

    from casebase.knowledge.models import Case, RemedyType

    published = Case.objects.published()
    # A case page with everything a generated case can show: data, a model, cited remedies, related cases.
    rich = published.filter(
        datasets__trained_models__isnull=False, remedies__citations__isnull=False, legal_bases__isnull=False
    ).filter(Q(relations_out__isnull=False) | Q(relations_in__isnull=False))
    case = rich.order_by("pk").first() or published.order_by("pk").first()
    # The export of about 10,000 rows: the remedy filter whose count comes closest (all cases when fewer).
    counts = {t.slug: published.with_remedy([t]).count() for t in RemedyType.objects.published()}
    export_type = min(counts, key=lambda slug: abs(counts[slug] - 10_000))
    export_query = {"remedy": export_type} if counts[export_type] >= 10_000 * 0.5 else {}
    return {
        "cases": published.count(),
        "paths": {
            "static": staticfiles_storage.url("css/site.css"),
            "bare": "/__bench__/bare/",
            "home": "/",
            "case_list_filtered": f"/cases/?remedy={FILTER}",
            "case_detail": case.get_absolute_url(),
            "search": f"/search/?{urlencode({'q': SEARCH})}",
            "api_list": f"/api/v1/cases/?remedy={FILTER}",
            "admin_changelist": f"/admin/knowledge/case/?remedy={FILTER}",
            "csv_export": "/cases/export.csv" + (f"?{urlencode(export_query)}" if export_query else ""),
        },
        "filter_count": counts.get(FILTER, 0),
        "export_rows": counts[export_type] if export_query else published.count(),
        "admin_cookie": admin_cookie(),
    }


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=0, help="generate a corpus of this many cases")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--collectstatic", action="store_true")
    args = parser.parse_args(argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)
    if args.cases:
        call_command("generate_corpus", cases=args.cases, seed=args.seed, stdout=sys.stderr)
    if args.collectstatic:
        call_command("collectstatic", interactive=False, verbosity=0)
    print(MARK + json.dumps(choose_targets()), flush=True)


if __name__ == "__main__":
    main()
