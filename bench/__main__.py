"""`make bench`: casebase under gunicorn with production settings, loaded with wrk, side by side with a bare
view in the same server and with Datasette's faceted table page over the same data.

For each database (SQLite; PostgreSQL on BENCH_POSTGRES_URL or a postgres:// DATABASE_URL, where it creates
and drops a database of its own, else on a throwaway cluster) and each corpus size (generate_corpus), it
serves the site with 2 gunicorn workers and debug off on 127.0.0.1, runs wrk from a separate process against
each target for a fixed time, and prints one table with ratios to `bare` and to Datasette, the CSV export,
the workers' memory, and the targets of issue 8. Raw figures go to bench/results/latest.json.

    make bench                 the full run: SQLite and PostgreSQL, 1,000 and 100,000 cases
    make bench QUICK=1         SQLite, 1,000 cases, five targets, 3 s each: about a minute
    make bench ARGS="--db sqlite --cases 1000,10000 --seconds 5"

Not part of the test suite. It installs nothing; it says what is missing. Generated SQLite databases are
kept in bench/.cache for the next run (--no-cache to make them again).
"""

import argparse
import hashlib
import json
import os
import secrets
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from . import load
from .prepare import FILTER, MARK
from .scaleout import redis_server
from .servers import ROOT, VENV_BIN, Postgres, datasette, datasette_command, gunicorn, stop

TARGETS = [
    "static",
    "bare",
    "home",
    "case_list_filtered",
    "case_detail",
    "search",
    "api_list",
    "admin_changelist",
    "datasette_facets",
]
QUICK_TARGETS = ["static", "bare", "case_list_filtered", "case_detail", "search"]
# Measured a second time with the page cache on and warm (casebase/caching.py), beside `bare` in the same server.
WARM_TARGETS = ["bare", "home", "case_list_filtered", "case_detail", "search"]
OPTIONAL = {"api_list", "admin_changelist", "csv_export"}  # built by other work; "not available" until then
CACHE = ROOT / "bench" / ".cache"
DATASETTE_INSTALL = "python3 -m venv bench/.venv-datasette && bench/.venv-datasette/bin/pip install datasette"
RESULTS = ROOT / "bench" / "results" / "latest.json"


def parse_args(argv):
    parser = argparse.ArgumentParser(prog="python -m bench", description="Serve casebase under gunicorn and load it.")
    parser.add_argument("--quick", action="store_true", help="SQLite, 1,000 cases, five targets, 3 s each")
    parser.add_argument("--db", default="sqlite,postgres", help="sqlite, postgres or both (comma-separated)")
    parser.add_argument("--cases", default="1000,100000", help="corpus sizes, comma-separated")
    parser.add_argument("--seconds", type=int, default=10, help="length of each wrk run")
    parser.add_argument("--connections", type=int, default=8, help="wrk connections")
    parser.add_argument("--targets", default=",".join(TARGETS), help="which targets, comma-separated")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--no-cache", action="store_true", help="generate the SQLite corpora again")
    parser.add_argument("--no-export", action="store_true", help="skip the CSV export")
    parser.add_argument("--report", metavar="JSON", help="print the table of a saved run (bench/results/latest.json)")
    args = parser.parse_args(argv)
    if args.quick:
        args.db, args.cases, args.seconds, args.targets, args.no_export = (
            "sqlite",
            "1000",
            3,
            ",".join(QUICK_TARGETS),
            True,
        )
    args.dbs = [db.strip() for db in args.db.split(",") if db.strip()]
    args.sizes = [int(n) for n in args.cases.split(",")]
    args.target_list = [t.strip() for t in args.targets.split(",") if t.strip()]
    return args


def missing_tools(args):
    problems = []
    if not shutil.which("wrk"):
        problems.append("wrk is not installed: apt-get install -y wrk")
    if not (VENV_BIN / "gunicorn").exists():
        problems.append("gunicorn is not in the virtual environment: make venv")
    return problems


class Bench:
    def __init__(self, args):
        self.args = args
        self.work = Path(tempfile.mkdtemp(prefix="casebase-bench-"))
        self.static_root = self.work / "static"
        self.results, self.notes = [], []
        self.env = {
            key: value
            for key, value in os.environ.items()
            if not key.startswith(("DJANGO_", "DATABASE_", "CACHE_URL", "PYTEST"))
        }
        self.env |= {
            "CASEBASE_BENCH": "1",
            "DJANGO_SETTINGS_MODULE": "bench.settings",
            "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
            "DJANGO_DEBUG": "0",
            "DJANGO_SECURE_COOKIES": "0",  # plain HTTP on loopback: no HTTPS-only cookies,
            "DJANGO_SSL_REDIRECT": "0",  # and no redirect to HTTPS
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
            "DJANGO_LOG_LEVEL": "ERROR",
            "BENCH_STATIC_ROOT": str(self.static_root),
        }
        self.collected = False

    def log(self, message):
        print(message, file=sys.stderr, flush=True)

    # --- databases -----------------------------------------------------------------------

    def prepare(self, database_url, cases):
        """Migrate, generate `cases` (0: the corpus is there), collect static once; returns the chosen targets."""
        command = [sys.executable, "-m", "bench.prepare", "--seed", str(self.args.seed)]
        if cases:
            command += ["--cases", str(cases)]
        if not self.collected:
            command.append("--collectstatic")
        # Generating 100,000 cases runs statements longer than a page may (DATABASE_STATEMENT_TIMEOUT_MS).
        env = self.env | {"DATABASE_URL": database_url, "DATABASE_STATEMENT_TIMEOUT_MS": "0"}
        out = subprocess.run(command, cwd=ROOT, env=env, stdout=subprocess.PIPE, text=True)
        if out.returncode:
            raise RuntimeError(f"bench.prepare failed ({out.returncode}) on {database_url}")
        self.collected = True
        line = next(line for line in out.stdout.splitlines() if line.startswith(MARK))
        return json.loads(line.removeprefix(MARK))

    def fingerprint(self):
        """Changes when the corpus generator or the schema does, so a cached database is never stale."""
        digest = hashlib.sha256(str(self.args.seed).encode())
        files = sorted((ROOT / "casebase").glob("*/migrations/*.py")) + sorted(
            (ROOT / "casebase" / "knowledge" / "corpus").glob("*.py")
        )
        for path in files:
            digest.update(path.name.encode())
            digest.update(path.read_bytes())
        return digest.hexdigest()[:12]

    def sqlite(self, cases):
        """A SQLite database with the corpus: a copy of the cached one, or generated (and then cached)."""
        path = self.work / f"casebase-{cases}.sqlite3"
        cached = CACHE / f"sqlite-{cases}-{self.fingerprint()}.sqlite3"
        url = f"sqlite:///{path}"
        if cached.exists() and not self.args.no_cache:
            self.log(f"sqlite, {cases:,} cases: the generated corpus from {cached.relative_to(ROOT)}")
            shutil.copyfile(cached, path)
            return url, self.prepare(url, 0)
        self.log(f"sqlite, {cases:,} cases: migrating and generating")
        started = time.monotonic()
        targets = self.prepare(url, cases)
        self.notes.append(f"sqlite: {cases:,} cases generated in {time.monotonic() - started:.0f} s")
        CACHE.mkdir(exist_ok=True)
        for old in CACHE.glob(f"sqlite-{cases}-*.sqlite3"):
            old.unlink()
        with sqlite3.connect(path) as source, sqlite3.connect(cached) as copy:
            source.backup(copy)
        return url, targets

    # --- one server ----------------------------------------------------------------------

    def serve_and_load(self, db, cases, database_url, targets):
        """The targets with the page cache off, then those of WARM_TARGETS again with it on and warm."""
        wanted = [t for t in self.args.target_list if t != "datasette_facets"]
        cookie = targets["admin_cookie"]
        log = self.work / f"gunicorn-{db}-{cases}.log"
        with gunicorn(self.env | {"DATABASE_URL": database_url, "PAGE_CACHE": "0"}, log) as (port, master):
            workers = load.children(master.pid)
            if not self.args.no_export:
                # First, on fresh workers: later, memory left from the pages would hide the export's growth.
                self.export(db, cases, port, targets, workers)
            for target in wanted:
                self.run_target(db, cases, target, port, targets["paths"][target], cookie)
            rss = [round(load.memory_kb(pid, "VmRSS") / 1024, 1) for pid in load.children(master.pid)]
            self.results.append(load.Result(db, cases, "worker_rss", extra={"rss_mb": rss}, note="after the run"))
            self.save()
        warm = [t for t in WARM_TARGETS if t in wanted]
        if not warm:
            return
        redis_url, redis_process = redis_server(self.work)
        # Without Redis, each worker's own memory cache: the same hits, one less network round trip.
        env = (
            self.env
            | {"DATABASE_URL": database_url, "PAGE_CACHE": "1"}
            | ({"CACHE_URL": redis_url} if redis_url else {})
        )
        try:
            with gunicorn(env, self.work / f"gunicorn-{db}-{cases}-warm.log") as (port, master):
                for target in warm:
                    result = load.Result(db, cases, target, cache="warm")
                    self.guarded(result, self.load_target, result, port, targets["paths"][target], None)
                    if not redis_url:
                        result.note = f"{result.note}; per-worker memory cache (no redis-server)".strip("; ")
        finally:
            if redis_process is not None:
                stop(redis_process)

    def run_target(self, db, cases, target, port, path, cookie):
        result = load.Result(db, cases, target)
        self.guarded(result, self.load_target, result, port, path, cookie if target == "admin_changelist" else None)

    def guarded(self, result, work, *args):
        """Run one measurement into `result`; a failure is noted on its row and the run goes on."""
        self.results.append(result)
        try:
            work(*args)
        except Exception as exc:
            result.note = f"error: {exc!r}"[:200]
            self.log(f"  {result.target:<20} {result.note}")
        self.save()

    def load_target(self, result, port, path, cookie):
        """Probe once (status, queries, one request's time), then load with wrk and wait for the queue to drain."""
        target = result.target
        started = time.perf_counter()
        status, headers, _ = load.probe(port, path, cookie)
        result.extra["single_ms"] = round((time.perf_counter() - started) * 1000, 1)
        if status != 200:
            unknown = status == 404 or (target == "admin_changelist" and status == 302)
            result.note = "not available" if target in OPTIONAL and unknown else f"HTTP {status}"
            self.log(f"  {target:<20} {result.note} ({path})")
            return
        # The other worker warms up too (with the cache: a hit). A worker's first request also fills per-process
        # caches (content types), so the count is the steady one: the fewest of the next probes.
        probes = [load.probe(port, path, cookie)[1] for _ in range(3)]
        headers = probes[-1]
        counts = [int(h["X-Queries"]) for h in probes if "X-Queries" in h]
        result.queries = min(counts) if counts else None
        if result.cache == "warm" and target != "bare" and headers.get("X-Cache") != "hit":
            result.note = f"not served from the cache (X-Cache: {headers.get('X-Cache')})"
        figures = load.wrk(port, path, self.args.seconds, self.args.connections, cookie)
        result.rps, result.p50_ms, result.p99_ms = figures["rps"], figures["p50_ms"], figures["p99_ms"]
        result.note = "; ".join(part for part in (result.note, figures["errors"]) if part)
        load.drain(port)
        self.log(f"  {target:<20} {result.rps:9.1f} req/s  {result.queries} queries  cache {result.cache}  {path}")

    def export(self, db, cases, port, targets, workers):
        result = load.Result(db, cases, "csv_export")

        def measure():
            figures = load.export(port, targets["paths"]["csv_export"], workers)
            result.extra = {key: value for key, value in figures.items() if key != "status"}
            if figures["status"] != 200:
                result.note = "not available" if figures["status"] == 404 else f"HTTP {figures['status']}"
            self.log(f"  {'csv_export':<20} {result.note or figures}")

        self.guarded(result, measure)

    def datasette(self, cases, sqlite_url):
        if "datasette_facets" not in self.args.target_list:
            return
        result = load.Result("sqlite", cases, "datasette_facets")
        if not datasette_command():
            result.note = f"not available: {DATASETTE_INSTALL}"
            self.results.append(result)
            return
        self.guarded(result, self.load_datasette, result, sqlite_url)

    def load_datasette(self, result, sqlite_url):
        flat = self.work / "bench.db"
        flat.unlink(missing_ok=True)
        flatten(sqlite_url.removeprefix("sqlite:///"), flat)
        path = f"/bench/cases?remedy_types__arraycontains={FILTER}&_facet_array=remedy_types&_facet=authority"
        with datasette(flat, self.work / "datasette.log") as port:
            started = time.perf_counter()
            status, _, body = load.probe(port, path)
            result.extra["single_ms"] = round((time.perf_counter() - started) * 1000, 1)
            if status != 200 or b"facet" not in body:
                result.note = f"HTTP {status}"
                return
            load.probe(port, path)
            figures = load.wrk(port, path, self.args.seconds, self.args.connections)
        result.rps, result.p50_ms, result.p99_ms = figures["rps"], figures["p50_ms"], figures["p99_ms"]
        result.note = figures["errors"]
        self.log(f"  {'datasette_facets':<20} {result.rps:9.1f} req/s  {path}")

    def save(self):
        """The raw figures so far: a run that stops half-way still leaves them."""
        RESULTS.parent.mkdir(exist_ok=True)
        RESULTS.write_text(json.dumps([r.row() for r in self.results], indent=1) + "\n")

    # --- the whole run ---------------------------------------------------------------------

    def run(self):
        postgres = None
        try:
            for cases in self.args.sizes:
                for db in self.args.dbs:
                    if db == "sqlite":
                        url, targets = self.sqlite(cases)
                        self.serve_and_load("sqlite", cases, url, targets)
                        self.datasette(cases, url)
                        Path(url.removeprefix("sqlite:///")).unlink(missing_ok=True)
                    elif db == "postgres":
                        if postgres is None:
                            given = os.environ.get("BENCH_POSTGRES_URL") or os.environ.get("DATABASE_URL", "")
                            postgres = Postgres(given if given.startswith("postgres") else None)
                        if not postgres.url:
                            self.notes.append(f"postgres skipped: {postgres.why}")
                            continue
                        name = f"casebase_bench_{cases}_{os.getpid()}"
                        self.log(f"postgres, {cases:,} cases: migrating and generating")
                        started = time.monotonic()
                        try:
                            url = postgres.create(name)
                            targets = self.prepare(url, cases)
                            self.notes.append(
                                f"postgres: {cases:,} cases generated in {time.monotonic() - started:.0f} s"
                            )
                            self.serve_and_load("postgres", cases, url, targets)
                        finally:
                            postgres.drop(name)
        finally:
            if postgres is not None:
                postgres.close()
            shutil.rmtree(self.work, ignore_errors=True)


def flatten(source, target):
    """Datasette's table: one row per published case with its authority and the remedy types that bind it.

    A plain table in a copy of the database, as a researcher would export it: remedy types as a JSON array
    (Datasette's array facet and `arraycontains` filter), no indexes beyond the key.
    """
    with sqlite3.connect(target) as db:
        db.execute("ATTACH DATABASE ? AS site", (f"file:{source}?mode=ro",))
        db.execute(
            """CREATE TABLE cases AS
            SELECT c.id, c.slug, c.title, c.kind, c.case_status, c.jurisdiction, a.name AS authority,
                   COALESCE(c.decided_on, c.started_on) AS key_date,
                   (SELECT json_group_array(slug) FROM (
                        SELECT DISTINCT t.slug FROM site.knowledge_remedy r
                        JOIN site.knowledge_remedytype t ON t.id = r.remedy_type_id
                        WHERE r.case_id = c.id AND r.origin IN ('ordered', 'agreed') AND t.status = 'published'
                        ORDER BY t.slug)) AS remedy_types
            FROM site.knowledge_case c LEFT JOIN site.knowledge_authority a ON a.id = c.authority_id
            WHERE c.status = 'published'"""
        )
        db.commit()
        db.execute("DETACH DATABASE site")


def main(argv=None):
    args = parse_args(sys.argv[1:] if argv is None else argv)
    if args.report:
        from .report import print_report, read_results

        print_report(read_results(Path(args.report)), [], args, None, None, 0)
        return 0
    problems = missing_tools(args)
    if problems:
        print("make bench needs:\n  " + "\n  ".join(problems), file=sys.stderr)
        return 2
    bench = Bench(args)
    started = time.monotonic()
    load_before = os.getloadavg()
    try:
        bench.run()
    finally:
        from .report import print_report

        print_report(bench.results, bench.notes, args, load_before, os.getloadavg(), time.monotonic() - started)
        bench.save()
        print(f"\nRaw figures: {RESULTS.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
