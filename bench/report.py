"""The benchmark's table, and the targets of issue 8 (item 3) checked against it."""

import json
import os

from .load import Result

PAGES = ("home", "case_list_filtered", "case_detail", "search", "api_list", "admin_changelist")


def read_results(path):
    """The rows of a latest.json back as Results, to print its table again."""
    keys = ("db", "cases", "target", "cache", "rps", "p50_ms", "p99_ms", "queries", "note")
    rows = json.loads(path.read_text())
    return [
        Result(**{k: row[k] for k in keys if k in row}, extra={k: v for k, v in row.items() if k not in keys})
        for row in rows
    ]


def fmt(value, spec):
    return "" if value is None else format(value, spec)


def note(result):
    """The row's note, with the time of its single probe where wrk could not time the page itself."""
    single = result.extra.get("single_ms")
    if single and (result.p50_ms is None or (result.rps or 0) < 1):
        return f"{result.note}{'; ' if result.note else ''}one request alone {single / 1000:.1f} s".strip()
    return result.note


def index(results):
    return {(r.db, r.cases, r.target, r.cache): r for r in results}


def print_report(results, notes, args, load_before, load_after, seconds):
    by_key = index(results)
    if load_before is not None:
        print(
            f"\ncasebase under gunicorn (2 sync workers, debug off) on 127.0.0.1; wrk -t1 -c{args.connections} "
            f"-d{args.seconds}s per target; {os.cpu_count()} cores; load average {load_before[0]:.1f} before, "
            f"{load_after[0]:.1f} after; {seconds / 60:.1f} min in all\n"
        )
    header = (
        f"{'db':<9}{'cases':>8}  {'target':<20}{'cache':<6}{'req/s':>9}{'p50 ms':>9}{'p99 ms':>9}{'queries':>9}"
        f"{'x bare':>8}{'x datasette':>13}  note"
    )
    print(header)
    print("-" * len(header))
    for r in results:
        if r.target in ("csv_export", "worker_rss"):
            continue
        bare = by_key.get((r.db, r.cases, "bare", r.cache))
        peer = by_key.get(("sqlite", r.cases, "datasette_facets", "off"))
        to_bare = r.rps / bare.rps if r.rps is not None and bare and bare.rps else None
        to_peer = r.rps / peer.rps if r.rps is not None and peer and peer.rps and r.target in PAGES else None
        print(
            f"{r.db:<9}{r.cases:>8,}  {r.target:<20}{r.cache if r.target != 'datasette_facets' else '':<6}"
            f"{fmt(r.rps, '9.1f'):>9}{fmt(r.p50_ms, '9.1f'):>9}"
            f"{fmt(r.p99_ms, '9.1f'):>9}{fmt(r.queries, '9d'):>9}{fmt(to_bare, '8.3f'):>8}"
            f"{fmt(to_peer, '13.1f'):>13}  {note(r)}"
        )
    exports = [r for r in results if r.target == "csv_export"]
    if exports:
        print("\nCSV export (one streamed download, ~10,000 rows where the corpus has them)")
        for r in exports:
            if r.note:
                print(f"  {r.db:<9}{r.cases:>8,}  {r.note}")
            else:
                growth = r.extra.get("peak_growth_mb")
                print(
                    f"  {r.db:<9}{r.cases:>8,}  {r.extra['rows']:,} rows in {r.extra['seconds']:.2f} s: "
                    f"{r.extra['rows_per_s']:,.0f} rows/s, peak worker memory growth "
                    f"{'unknown' if growth is None else f'{growth:.1f} MB'}"
                )
    print("\nWorker memory (RSS of each gunicorn worker after its run)")
    for r in results:
        if r.target == "worker_rss":
            print(f"  {r.db:<9}{r.cases:>8,}  {', '.join(f'{mb:.0f} MB' for mb in r.extra['rss_mb'])}")
    for line in notes:
        print(f"  {line}")
    print_targets(results, by_key)


def print_targets(results, by_key):
    """Issue 8, item 3, at the largest size measured, for each database."""
    sizes = sorted({r.cases for r in results})
    if not sizes:
        return
    top, bottom = sizes[-1], sizes[0]
    print(f"\nTargets (issue 8, item 3) at {top:,} cases")
    for db in sorted({r.db for r in results if r.target == "bare"}):

        def get(target, cases=top, db=db, cache="off"):
            return by_key.get((db, cases, target, cache))

        lines = []
        for target, cache, share_wanted in (
            ("case_list_filtered", "warm", 0.5),
            ("case_detail", "warm", 0.5),
            ("case_list_filtered", "off", 0.1),
            ("case_detail", "off", 0.1),
            ("search", "off", 0.1),
        ):
            r, bare = get(target, cache=cache), get("bare", cache=cache)
            if r and r.rps is not None and bare and bare.rps:
                share = r.rps / bare.rps
                what = f"{target} at least {share_wanted:.0%} of bare (cache {cache})"
                lines.append(verdict(share >= share_wanted, what, f"{share:.1%}"))
        peer = get("datasette_facets", db="sqlite")
        for cache in ("warm", "off"):
            r = get("case_list_filtered", cache=cache)
            if r and r.rps is not None and peer and peer.rps:
                what = f"case_list_filtered at least 20x Datasette (cache {cache})"
                lines.append(verdict(r.rps >= 20 * peer.rps, what, f"{r.rps / peer.rps:.1f}x"))
        for cache in ("warm", "off"):
            r, small = get("case_list_filtered", cache=cache), get("case_list_filtered", bottom, cache=cache)
            if top != bottom and r and r.rps is not None and small and small.rps:
                ratio = r.rps / small.rps
                what = f"list at {top:,} at least 80% of at {bottom:,} (cache {cache})"
                lines.append(verdict(ratio >= 0.8, what, f"{ratio:.0%}"))
        counts = {t: (get(t, bottom), get(t)) for t in PAGES}
        measured = {t: (a.queries, b.queries) for t, (a, b) in counts.items() if a and b and b.queries is not None}
        if measured:
            worst = max(q for pair in measured.values() for q in pair if q is not None)
            same = all(a == b for a, b in measured.values())
            detail = ", ".join(f"{t} {a}" + ("" if a == b else f"->{b}") for t, (a, b) in measured.items())
            lines.append(verdict(worst <= 12 and same, "at most 12 queries a page, the same at both sizes", detail))
        export = get("csv_export")
        if export and not export.note and export.extra.get("rows_per_s"):
            growth = export.extra.get("peak_growth_mb")
            ok = export.extra["rows_per_s"] >= 20_000 and growth is not None and growth < 50
            lines.append(
                verdict(
                    ok,
                    "CSV export 20,000 rows/s, under 50 MB",
                    f"{export.extra['rows_per_s']:,.0f} rows/s, {fmt(growth, '.1f')} MB",
                )
            )
        elif export:
            lines.append(f"  -    CSV export: {export.note}")
        rss = get("worker_rss")
        if rss:
            worst = max(rss.extra["rss_mb"], default=0)
            lines.append(verdict(worst < 200, "worker memory under 200 MB", f"{worst:.0f} MB"))
        print(f" {db}:")
        print("\n".join(lines))


def verdict(ok, what, value):
    return f"  {'met ' if ok else 'MISS'} {what}: {value}"
