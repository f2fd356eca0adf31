"""Benchmark harness: how the reader pages scale with the size of the knowledge base.

Run with `make bench`. It builds a throwaway SQLite database (or uses DATABASE_URL), loads the
seed data, times each page, then multiplies the cases tenfold and times them again, printing the
two side by side with their ratio and query counts. Not part of the test suite.
"""

import atexit
import os
import shutil
import statistics
import sys
import tempfile
import time

ROUNDS = int(os.environ.get("BENCH_ROUNDS", "15"))
SCALE = int(os.environ.get("BENCH_SCALE", "10"))
PAGES = [
    ("home", "/"),
    ("case list", "/cases/"),
    ("case list, filtered", "/cases/?remedy=model-deletion&jurisdiction=US"),
    ("case list, searched", "/cases/?q=face+recognition"),
    ("search", "/search/?q=clearview"),
    ("case page", "/cases/ftc-everalbum/"),
    ("remedy lineage", "/remedies/model-deletion/"),
    ("company page", "/companies/amazon/"),
]


def setup():
    workdir = tempfile.mkdtemp(prefix="casebase-bench-")
    atexit.register(shutil.rmtree, workdir, ignore_errors=True)
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{workdir}/bench.sqlite3")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "casebase.settings")
    os.environ.setdefault("DJANGO_SECRET_KEY", "bench-only")
    os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "testserver")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)  # served as in production
    call_command("seed", stdout=open(os.devnull, "w"))  # noqa: SIM115


def multiply_cases(times):
    """Copy every published case (with its parties and remedies) `times - 1` more times."""
    from casebase.knowledge.models import Case, Party, Remedy
    from casebase.knowledge.search import rebuild_index

    originals = list(Case.objects.published().prefetch_related("parties", "remedies", "datasets", "legal_bases"))
    for copy in range(1, times):
        for case in originals:
            parties, remedies = list(case.parties.all()), list(case.remedies.all())
            datasets, bases = list(case.datasets.all()), list(case.legal_bases.all())
            clone = Case.objects.get(pk=case.pk)
            clone.pk = None
            clone.slug = f"{case.slug}-copy-{copy}"
            clone.save()
            clone.datasets.set(datasets)
            clone.legal_bases.set(bases)
            Party.objects.bulk_create(Party(case=clone, company_id=p.company_id, role=p.role) for p in parties)
            Remedy.objects.bulk_create(
                Remedy(
                    case=clone,
                    remedy_type_id=r.remedy_type_id,
                    summary=r.summary,
                    origin=r.origin,
                    status=r.status,
                    amount=r.amount,
                    currency=r.currency,
                    amount_usd=r.amount_usd,
                )
                for r in remedies
            )
    rebuild_index()
    return Case.objects.published().count()


def measure():
    """{page: (median seconds, queries)} for every page."""
    from django.core.signals import request_started
    from django.db import connection, reset_queries
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    request_started.disconnect(reset_queries)  # else each request empties the log being counted
    client = Client()
    results = {}
    for name, url in PAGES:
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        timings = []
        for _ in range(ROUNDS):
            start = time.perf_counter()
            client.get(url)
            timings.append(time.perf_counter() - start)
        results[name] = (statistics.median(timings), len(queries))
    return results


def main():
    setup()
    from casebase.knowledge.models import Case

    small_n = Case.objects.published().count()
    small = measure()
    large_n = multiply_cases(SCALE)
    large = measure()
    print(f"Reader pages at {small_n} and {large_n} published cases (median of {ROUNDS} requests each)\n")
    header = f"{'page':<22} {'ms @' + str(small_n):>10} {'ms @' + str(large_n):>10} {'ratio':>7} {'queries':>9}"
    print(header)
    print("-" * len(header))
    worst = 0.0
    for name, _url in PAGES:
        (t1, q1), (t2, q2) = small[name], large[name]
        ratio = t2 / t1
        worst = max(worst, ratio)
        queries = f"{q1}" if q1 == q2 else f"{q1}→{q2}"
        print(f"{name:<22} {t1 * 1000:>10.1f} {t2 * 1000:>10.1f} {ratio:>6.2f}x {queries:>9}")
    print(f"\nWorst ratio for {SCALE}x the cases: {worst:.2f}x. Query counts must not grow with the data;")
    print("the remedy lineage lists every case with that remedy, so its page itself grows tenfold.")
    return 0 if all(small[n][1] == large[n][1] for n, _ in PAGES) else 1


if __name__ == "__main__":
    sys.exit(main())
