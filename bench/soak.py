"""`make soak`: mixed traffic against casebase under gunicorn on PostgreSQL, with a database restart midway.

Loopback only and bounded in time. It makes a throwaway PostgreSQL cluster (bench/servers.py), loads the seed
data (or a generated corpus with --cases), collects the static files into a temporary STATIC_ROOT and serves
the site with production settings (debug off, a secret key, plain HTTP) under gunicorn. Then 32 client
threads (http.client) send reader pages, search, the API and readers' reports through the real form for
SOAK_SECONDS (default 300; --quick: 60). Halfway through, PostgreSQL is restarted (pg_ctl restart -m fast).

Targets (exit status 1 when one is missed):
  - no 5xx but the 503 "briefly unavailable" page, and that only while the database is restarting;
  - the site answers 200 again within RECOVERY_TARGET_S of the database being back (timed by answers: the
    first 200 after the last 503; requests wait in gunicorn's queue, so a request's send time says little);
  - every report that got the thank-you redirect is in the database, no refused one is (unique markers);
  - the RSS of the gunicorn workers grows less than 10% from the end of the warm-up to the end of the run;
  - no request fails at the socket (reset, timeout).

    make soak                  five minutes
    make soak QUICK=1          one minute
    python -m bench.soak --seconds 120 --connections 32 --workers 3

For the run only, the rate limits are raised so that the API and the report form are really exercised:
API_ANON_RATE (all clients are 127.0.0.1), and CORRECTIONS_RATE_PER_ADDRESS is set to 8/h (--report-rate;
counted per worker, the cache being per process), so that a full run has reports both stored and refused
with 429. Figures go to bench/results/soak.json.
"""

import argparse
import http.client
import json
import os
import random
import re
import secrets
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter, defaultdict
from html import unescape
from pathlib import Path
from urllib.parse import urlencode, urlsplit

from . import load
from .prepare import FILTER, MARK, SEARCH
from .servers import ROOT, VENV_BIN, Postgres, gunicorn

RESULTS = ROOT / "bench" / "results" / "soak.json"
RECOVERY_TARGET_S = 10.0  # from pg_ctl's "server started" to the site's first 200
MEMORY_TARGET = 0.10
MIN_FILL_SECONDS = 3  # casebase.editorial.abuse.MIN_FILL_SECONDS: sooner, a report goes to quarantine
UNAVAILABLE = b"briefly unavailable"
SEARCHES = [SEARCH, "facial recognition", "children", "deletion", "biometric", "consent", "location data"]
READER_MIX = [("home", 1), ("case_list", 2), ("case", 3), ("search", 2), ("api", 2)]


def parse_args(argv):
    parser = argparse.ArgumentParser(prog="python -m bench.soak", description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="60 seconds")
    parser.add_argument("--seconds", type=int, default=int(os.environ.get("SOAK_SECONDS", "300")))
    parser.add_argument("--connections", type=int, default=32, help="client threads, each with its connection")
    parser.add_argument("--reporters", type=int, default=4, help="of which this many send readers' reports")
    parser.add_argument("--workers", type=int, default=3, help="gunicorn workers")
    parser.add_argument("--cases", type=int, default=0, help="a generated corpus of this many cases (0: the seed)")
    parser.add_argument("--restart-at", type=float, default=0.5, help="restart PostgreSQL at this part of the run")
    parser.add_argument("--no-restart", action="store_true")
    parser.add_argument(
        "--down-seconds", type=float, default=0, help="stop PostgreSQL this long instead of restarting it at once"
    )
    parser.add_argument(
        "--conn-max-age", type=int, default=0, help="DATABASE_CONN_MAX_AGE for the workers (persistent connections)"
    )
    parser.add_argument(
        "--report-rate",
        default="8/h",
        help="CORRECTIONS_RATE_PER_ADDRESS for the run (counted per worker: the cache is per process)",
    )
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    if args.quick:
        args.seconds = 60
    return args


class Recorder:
    """Every response (or socket failure) of the run, with when it was sent and answered."""

    def __init__(self):
        self.started = time.monotonic()
        self.rows = []  # (sent, answered, kind, status or 0, flag); list.append is atomic
        self.reports = []  # dicts, one per submission

    def now(self):
        return time.monotonic() - self.started

    def add(self, sent, kind, status, flag=""):
        self.rows.append((sent, self.now(), kind, status, flag))


class Client:
    """One keep-alive connection to the server (reopened when the server closes it)."""

    def __init__(self, port, recorder, kind_timeout=30):
        self.port, self.recorder, self.timeout = port, recorder, kind_timeout
        self.conn = None

    def request(self, kind, method, path, body=None, headers=None):
        """(status, headers, body); status 0 when the socket failed."""
        sent = self.recorder.now()
        try:
            if self.conn is None:
                self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=self.timeout)
            self.conn.request(method, path, body=body, headers=headers or {})
            response = self.conn.getresponse()
            data = response.read()
        except (OSError, http.client.HTTPException) as exc:
            if self.conn is not None:
                self.conn.close()
            self.conn = None
            self.recorder.add(sent, kind, 0, type(exc).__name__)
            return 0, {}, b""
        flag = ""
        if response.status == 503:
            flag = "unavailable-page" if UNAVAILABLE in data else "other-503"
        self.recorder.add(sent, kind, response.status, flag)
        return response.status, dict(response.getheaders()), data


class Soak:
    def __init__(self, args):
        self.args = args
        self.run_id = secrets.token_hex(4)
        self.work = Path(tempfile.mkdtemp(prefix="casebase-soak-"))
        self.env = {
            key: value
            for key, value in os.environ.items()
            if not key.startswith(("DJANGO_", "DATABASE_", "CACHE_URL", "PYTEST", "CORRECTIONS_", "API_"))
        }
        self.env |= {
            "CASEBASE_BENCH": "1",
            "DJANGO_SETTINGS_MODULE": "bench.settings",
            "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
            "DJANGO_DEBUG": "0",
            "DJANGO_SECURE_COOKIES": "0",
            "DJANGO_SSL_REDIRECT": "0",
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
            "DJANGO_LOG_LEVEL": "ERROR",
            "BENCH_STATIC_ROOT": str(self.work / "static"),
            # Raised for the run (see the docstring): every client is 127.0.0.1.
            "API_ANON_RATE": "1000000/minute",
            "CORRECTIONS_RATE_PER_ADDRESS": args.report_rate,
            "CORRECTIONS_RATE_PER_PAGE": "20/h",
        }
        self.env["DATABASE_CONN_MAX_AGE"] = str(args.conn_max_age)
        self.recorder = Recorder()
        self.stop = threading.Event()
        self.events = {}
        self.memory = {}
        self.notes = []
        self.lock = threading.Lock()
        self.counter = 0

    def log(self, message):
        print(message, file=sys.stderr, flush=True)

    # --- setting up ------------------------------------------------------------------------

    def prepare(self, url):
        env = self.env | {"DATABASE_URL": url, "DATABASE_STATEMENT_TIMEOUT_MS": "0"}
        python = [sys.executable]
        if self.args.cases:
            command = [*python, "-m", "bench.prepare", "--cases", str(self.args.cases), "--seed", str(self.args.seed)]
        else:
            for step in (["migrate", "--no-input", "-v0"], ["seed"]):
                subprocess.run([*python, "manage.py", *step], cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL)
            command = [*python, "-m", "bench.prepare"]
        out = subprocess.run(
            [*command, "--collectstatic"], cwd=ROOT, env=env, stdout=subprocess.PIPE, text=True, check=True
        )
        line = next(line for line in out.stdout.splitlines() if line.startswith(MARK))
        return json.loads(line.removeprefix(MARK))

    def discover(self, port, targets):
        """Case pages and filtered case lists, as a reader finds them on the case list."""
        status, _, body = load.probe(port, "/cases/")
        if status != 200:
            raise RuntimeError(f"/cases/ answered {status}")
        html = body.decode()
        cases = sorted(set(re.findall(r'href="(/cases/[a-z0-9-]+/)"', html)))
        lists = sorted({unescape(h) for h in re.findall(r'href="(/cases/\?[^"]+)"', html)})[:30]
        self.cases = cases[:40] or [targets["paths"]["case_detail"]]
        self.lists = [f"/cases/?remedy={FILTER}", *lists]
        self.api = [f"/api/v1/cases/?remedy={FILTER}", "/api/v1/cases/"]

    # --- the traffic -------------------------------------------------------------------------

    def path_for(self, kind, rng):
        if kind == "home":
            return "/"
        if kind == "case_list":
            return rng.choice(self.lists)
        if kind == "case":
            return rng.choice(self.cases)
        if kind == "search":
            return "/search/?" + urlencode({"q": rng.choice(SEARCHES)})
        return rng.choice(self.api)

    def reader(self, port, index):
        rng = random.Random(index)
        client = Client(port, self.recorder)
        kinds, weights = zip(*READER_MIX, strict=True)
        while not self.stop.is_set():
            kind = rng.choices(kinds, weights)[0]
            client.request(kind, "GET", self.path_for(kind, rng))

    def reporter(self, port, index):
        rng = random.Random(1000 + index)
        client = Client(port, self.recorder)
        while not self.stop.is_set():
            if not self.report_once(client, rng) and not self.stop.is_set():
                self.stop.wait(0.5)  # the page or the form did not come: the database is probably down

    def report_once(self, client, rng):
        case = rng.choice(self.cases)
        status, _, body = client.request("case", "GET", case)
        link = re.search(r'href="(/corrections/new/\?page=[^"]+)"', body.decode(errors="replace"))
        if status != 200 or not link:
            return False
        form_url = unescape(link.group(1))
        status, headers, body = client.request("report_form", "GET", form_url)
        html = body.decode(errors="replace")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
        started = re.search(r'name="started" value="([^"]+)"', html)
        kind = re.search(r'name="kind" value="([^"]+)"', html)
        cookie = re.search(r"(csrftoken=[^;]+)", headers.get("Set-Cookie", ""))
        if status != 200 or not (token and started and kind and cookie):
            return False
        # A person takes more than the time trap's minimum to read the form and write.
        if self.stop.wait(MIN_FILL_SECONDS + 0.5 + rng.random()):
            return True
        with self.lock:
            self.counter += 1
            marker = f"SOAK-{self.run_id}-{self.counter:05d}"
        fields = {
            "csrfmiddlewaretoken": token.group(1),
            "kind": kind.group(1),
            "passage": f"{marker}: the date in the second paragraph looks wrong to me.",
            "proposed_fix": "",
            "evidence_urls": "",
            "reporter_name": "",
            "reporter_email": "",
            "website": "",  # the honeypot stays empty
            "started": unescape(started.group(1)),
        }
        headers = {"Content-Type": "application/x-www-form-urlencoded", "Cookie": cookie.group(1)}
        sent = self.recorder.now()
        status, answer, _ = client.request("report_post", "POST", form_url, urlencode(fields), headers)
        location = answer.get("Location", "")
        report = {"marker": marker, "page": case, "sent": round(sent, 2), "answered": round(self.recorder.now(), 2)}
        report |= {"status": status, "reference": None}
        if status == 302 and "/corrections/new/thanks/" in location:
            report["outcome"] = "thanked"
            status, _, body = client.request("report_thanks", "GET", urlsplit(location).path)
            found = re.search(rb"CR-\d+", body)
            report["reference"] = found.group(0).decode() if status == 200 and found else None
        elif 400 <= status < 500 or status == 503:
            report["outcome"] = "refused"
        else:
            report["outcome"] = "unknown"  # a socket failure or an answer that says neither
        self.recorder.reports.append(report)
        return True

    def restart_database(self, postgres):
        how = f"stop -m fast, {self.args.down_seconds:g} s, start" if self.args.down_seconds else "restart -m fast"
        self.log(f"  {self.recorder.now():6.1f} s  restarting PostgreSQL (pg_ctl {how})")
        self.events["restart_issued"] = self.recorder.now()
        pg_ctl = [*postgres.as_user, f"{postgres.bindir}/pg_ctl", "-D", f"{postgres.cluster}/data"]
        pg_ctl += ["-l", f"{postgres.cluster}/server.log", "-m", "fast", "-w"]
        # `restart` keeps the server's options; a plain `start` needs them again (as servers.Postgres gave them).
        port = urlsplit(postgres.url).port
        options = f"-c listen_addresses=127.0.0.1 -p {port} -k {postgres.cluster}"
        options += " -c fsync=off -c synchronous_commit=off"
        stop_start = [[*pg_ctl, "stop"], [*pg_ctl, "-o", options, "start"]]
        steps = stop_start if self.args.down_seconds else [[*pg_ctl, "restart"]]
        for number, step in enumerate(steps):
            if number:
                time.sleep(self.args.down_seconds)
            out = subprocess.run(step, cwd=postgres.cluster, capture_output=True, text=True)
            if out.returncode:
                self.notes.append(f"{' '.join(step[-2:])} failed: {out.stderr[-300:]}")
        self.events["database_back"] = self.recorder.now()
        self.log(f"  {self.recorder.now():6.1f} s  PostgreSQL is back")

    def workers_rss(self, master):
        return {pid: load.memory_kb(pid, "VmRSS") for pid in load.children(master.pid)}

    def load(self, port, master, postgres):
        args = self.args
        threads = [
            threading.Thread(target=self.reporter if i < args.reporters else self.reader, args=(port, i), daemon=True)
            for i in range(args.connections)
        ]
        self.memory["idle"] = self.workers_rss(master)
        self.recorder.started = time.monotonic()
        for thread in threads:
            thread.start()
        # Memory is compared from the end of the warm-up: by then each worker has served every kind of page.
        warmup = max(10.0, args.seconds * 0.2)
        restart_at = args.seconds * args.restart_at
        restarted = args.no_restart
        series = self.memory["series"] = []
        while (now := self.recorder.now()) < args.seconds:
            if not restarted and now >= restart_at:
                self.restart_database(postgres)
                restarted = True
                continue
            rss = self.workers_rss(master)
            series.append({"t": round(now, 1), "rss_kb": sum(rss.values()), "responses": len(self.recorder.rows)})
            if "after_warmup" not in self.memory and now >= warmup:
                self.memory["after_warmup"] = rss
                self.log(f"  {now:6.1f} s  warm-up over: {len(self.recorder.rows)} responses")
            elif len(series) % 3 == 0:
                megabytes = sum(rss.values()) / 1024
                self.log(f"  {now:6.1f} s  {len(self.recorder.rows)} responses, workers {megabytes:.1f} MB")
            upcoming = [args.seconds, now + 5.0] + ([restart_at] if not restarted else [])
            upcoming += [warmup] if "after_warmup" not in self.memory else []
            self.stop.wait(max(0.05, min(t for t in upcoming if t > now) - now))
        self.stop.set()
        for thread in threads:
            thread.join(60)
        self.events["end"] = self.recorder.now()
        self.memory["end"] = self.workers_rss(master)

    # --- checking ------------------------------------------------------------------------------

    def stored_markers(self, url):
        import psycopg

        with psycopg.connect(url) as conn:
            rows = conn.execute(
                "SELECT passage, number FROM editorial_correction WHERE passage LIKE %s",
                (f"SOAK-{self.run_id}-%",),
            ).fetchall()
        stored = defaultdict(list)
        for passage, number in rows:
            stored[passage.split(":", 1)[0]].append(f"CR-{number:05d}")
        return stored

    def analyse(self, stored):
        rows, reports, events = self.recorder.rows, self.recorder.reports, self.events
        by_status = Counter(status for *_, status, _ in rows)
        by_kind = defaultdict(Counter)
        for _, _, kind, status, _ in rows:
            by_kind[kind][status] += 1
        issued, back = events.get("restart_issued"), events.get("database_back")
        unavailable = [r for r in rows if r[3] == 503]
        server_errors = [r for r in rows if r[3] >= 500 and r[3] != 503]
        first_200 = last_503 = None
        if issued is not None:
            # Requests wait in gunicorn's queue, so time by answers: the last 503, then the first 200 after it.
            last_503 = max((done for _, done, _, status, _ in unavailable if done >= issued), default=issued)
            first_200 = min((done for _, done, _, status, _ in rows if status == 200 and done > last_503), default=None)

        outage_end = first_200 if first_200 is not None else events["end"]

        def in_outage(done):
            return issued is not None and issued <= done <= back + RECOVERY_TARGET_S

        stray_503 = [r for r in unavailable if not in_outage(r[1]) or r[4] != "unavailable-page"]
        socket_errors = Counter(r[4] for r in rows if r[3] == 0)

        thanked = {r["marker"]: r for r in reports if r["outcome"] == "thanked"}
        refused = {r["marker"] for r in reports if r["outcome"] == "refused"}
        unknown = {r["marker"] for r in reports if r["outcome"] == "unknown"}
        lost = sorted(m for m in thanked if m not in stored)
        refused_but_stored = sorted(m for m in refused if m in stored)
        duplicated = sorted(m for m, numbers in stored.items() if len(numbers) > 1)
        wrong_reference = sorted(
            m for m, r in thanked.items() if m in stored and r["reference"] and r["reference"] not in stored[m]
        )
        refused_by = Counter(r["status"] for r in reports if r["outcome"] == "refused")

        def growth():
            before, after = self.memory["after_warmup"], self.memory["end"]
            common = [pid for pid in before if pid in after]
            if not common:
                return None, None, None
            total = sum(before[p] for p in common), sum(after[p] for p in common)
            worst = max((after[p] - before[p]) / before[p] for p in common)
            return (total[1] - total[0]) / total[0], worst, len(common) != len(before) or len(after) != len(before)

        total_growth, worst_growth, replaced = growth()
        latencies_503 = sorted(done - sent for sent, done, _, status, _ in unavailable)
        duration = events["end"]
        summary = {
            "run_id": self.run_id,
            "seconds": round(duration, 1),
            "connections": self.args.connections,
            "reporters": self.args.reporters,
            "workers": self.args.workers,
            "requests": len(rows),
            "requests_per_second": round(len(rows) / duration, 1) if duration else None,
            "by_status": {str(k): v for k, v in sorted(by_status.items())},
            "by_kind": {kind: {str(k): v for k, v in sorted(c.items())} for kind, c in sorted(by_kind.items())},
            "server_errors_not_503": len(server_errors),
            "server_errors_by_kind": dict(Counter(r[2] for r in server_errors)),
            "unavailable_503": len(unavailable),
            "unavailable_503_outside_outage_or_not_the_page": len(stray_503),
            "unavailable_503_max_seconds": round(latencies_503[-1], 2) if latencies_503 else None,
            "socket_errors": dict(socket_errors),
            "restart_issued_at": round(issued, 2) if issued is not None else None,
            "database_back_at": round(back, 2) if back is not None else None,
            "last_503_at": round(last_503, 2) if last_503 is not None else None,
            "first_200_after_restart_at": round(first_200, 2) if first_200 is not None else None,
            "recovery_seconds": round(max(0.0, first_200 - back), 2) if first_200 is not None else None,
            "outage_seconds": round(first_200 - issued, 2) if first_200 is not None else None,
            "latency_seconds": self.latencies(),
            "reports": {
                "submitted": len(reports),
                "thanked": len(thanked),
                "refused": len(refused),
                "refused_by_status": {str(k): v for k, v in sorted(refused_by.items())},
                "unknown": len(unknown),
                "unknown_stored": sum(1 for m in unknown if m in stored),
                "stored_in_database": len(stored),
                "lost": lost,
                "refused_but_stored": refused_but_stored,
                "duplicated": duplicated,
                "wrong_reference": wrong_reference,
                "in_outage": sum(1 for r in reports if issued is not None and issued <= r["answered"] <= outage_end),
            },
            "memory_kb": {k: {str(p): v for p, v in m.items()} for k, m in self.memory.items() if k != "series"},
            "memory_series": self.memory["series"],
            "memory_growth": round(total_growth, 4) if total_growth is not None else None,
            "memory_growth_worst_worker": round(worst_growth, 4) if worst_growth is not None else None,
            "workers_replaced": replaced,
            "timeline": self.timeline(),
            "notes": self.notes,
        }
        return summary

    def latencies(self):
        """p50 and p99 of each kind of request, queueing in gunicorn's backlog included."""
        times = defaultdict(list)
        for sent, done, kind, status, _ in self.recorder.rows:
            if status:
                times[kind].append(done - sent)
        return {
            kind: {"p50": round(t[len(t) // 2], 3), "p99": round(t[min(len(t) - 1, int(len(t) * 0.99))], 3)}
            for kind, t in sorted((kind, sorted(t)) for kind, t in times.items())
        }

    def timeline(self):
        """Responses per second of the run, by status."""
        seconds = defaultdict(Counter)
        for _, done, _, status, _ in self.recorder.rows:
            seconds[int(done)][status] += 1
        return [{"t": t, **{str(k): v for k, v in sorted(c.items())}} for t, c in sorted(seconds.items())]

    def targets(self, s):
        rep = s["reports"]
        checks = [
            ("no 5xx but the 503 page", s["server_errors_not_503"] == 0, f"{s['server_errors_not_503']} other 5xx"),
            (
                "503 only in the outage, always the page",
                s["unavailable_503_outside_outage_or_not_the_page"] == 0,
                f"{s['unavailable_503_outside_outage_or_not_the_page']} stray",
            ),
            ("no socket errors", not s["socket_errors"], ", ".join(f"{k} {v}" for k, v in s["socket_errors"].items())),
            ("reports: none thanked and lost", not rep["lost"], f"{len(rep['lost'])} lost"),
            ("reports: none refused and stored", not rep["refused_but_stored"], f"{len(rep['refused_but_stored'])}"),
            ("reports: none stored twice", not rep["duplicated"], f"{len(rep['duplicated'])}"),
            ("reports: every outcome clear", rep["unknown"] == 0, f"{rep['unknown']} unknown"),
            (
                f"worker memory growth < {MEMORY_TARGET:.0%}",
                s["memory_growth"] is not None and s["memory_growth"] < MEMORY_TARGET,
                f"{s['memory_growth']:.1%}" if s["memory_growth"] is not None else "workers replaced",
            ),
        ]
        if not self.args.no_restart:
            checks.append(
                (
                    f"200 again within {RECOVERY_TARGET_S:.0f} s of the database",
                    s["recovery_seconds"] is not None and s["recovery_seconds"] <= RECOVERY_TARGET_S,
                    f"{s['recovery_seconds']} s",
                )
            )
        return checks

    def print_summary(self, s, checks, load_before, load_after):
        rep = s["reports"]
        stray = s["unavailable_503_outside_outage_or_not_the_page"]
        lines = [
            "",
            f"casebase soak: {s['seconds']:.0f} s, {s['connections']} connections ({s['reporters']} sending reports), "
            f"{s['workers']} gunicorn workers, PostgreSQL restarted at {s['restart_issued_at']} s",
            f"load average before {load_before[0]:.2f}, after {load_after[0]:.2f} ({os.cpu_count()} cores)",
            "",
            f"{'requests':<34}{s['requests']:>10}  ({s['requests_per_second']} per second)",
        ]
        for kind, figures in s["latency_seconds"].items():
            lines.append(f"{'  ' + kind + ' p50 / p99 (s)':<34}{figures['p50']:>10.2f} / {figures['p99']:.2f}")
        for status, count in s["by_status"].items():
            lines.append(f"{'  HTTP ' + (status if status != '0' else 'socket error'):<34}{count:>10}")
        lines += [
            f"{'5xx other than 503':<34}{s['server_errors_not_503']:>10}",
            f"{'503 (the page) in the outage':<34}{s['unavailable_503']:>10}  "
            f"(slowest {s['unavailable_503_max_seconds']} s, stray {stray})",
            f"{'database back after restart':<34}{_fmt(s['database_back_at'], s['restart_issued_at'])}",
            f"{'last 503 answered after restart':<34}{_fmt(s['last_503_at'], s['restart_issued_at'])}",
            f"{'restart issued to 200 again':<34}{_fmt(s['outage_seconds'])}",
            f"{'200 again after the database':<34}{_fmt(s['recovery_seconds'])}",
            f"{'reports submitted':<34}{rep['submitted']:>10}  ({rep['in_outage']} in the outage)",
            f"{'  thanked (CR- reference)':<34}{rep['thanked']:>10}",
            f"{'  refused (4xx, 503)':<34}{rep['refused']:>10}  {rep['refused_by_status']}",
            f"{'  unknown':<34}{rep['unknown']:>10}",
            f"{'  in the database':<34}{rep['stored_in_database']:>10}",
            f"{'  thanked but lost':<34}{len(rep['lost']):>10}",
            f"{'  refused but stored':<34}{len(rep['refused_but_stored']):>10}",
            f"{'worker RSS after warm-up (MB)':<34}{_mb(s['memory_kb'].get('after_warmup', {}))}",
            f"{'worker RSS at the end (MB)':<34}{_mb(s['memory_kb'].get('end', {}))}",
            f"{'memory growth (all, worst)':<34}{_pct(s['memory_growth'])}, {_pct(s['memory_growth_worst_worker'])}",
            "",
        ]
        for name, ok, detail in checks:
            lines.append(f"  {'ok  ' if ok else 'MISS'}  {name}" + ("" if ok else f": {detail}"))
        for note in s["notes"]:
            lines.append(f"  note: {note}")
        print("\n".join(lines))

    # --- the whole run ---------------------------------------------------------------------------

    def run(self):
        postgres = Postgres()  # always our own cluster: the run restarts it
        if not postgres.url:
            print(f"make soak needs PostgreSQL: {postgres.why}", file=sys.stderr)
            return 2
        try:
            url = postgres.create("casebase_soak")
            self.log("soak: migrating and loading " + (f"{self.args.cases:,} cases" if self.args.cases else "the seed"))
            targets = self.prepare(url)
            log = self.work / "gunicorn.log"
            load_before = os.getloadavg()
            with gunicorn(self.env | {"DATABASE_URL": url}, log, workers=self.args.workers) as (port, master):
                self.discover(port, targets)
                for _ in range(self.args.workers * 2):  # every worker has served a page before the clock starts
                    load.probe(port, "/")
                self.log(f"soak: {self.args.seconds} s at {self.args.connections} connections on port {port}")
                self.load(port, master, postgres)
            stored = self.stored_markers(url)
            summary = self.analyse(stored)
            errors = [line for line in log.read_text(errors="replace").splitlines() if "Traceback" in line]
            summary["gunicorn_tracebacks"] = len(errors)
            if errors:
                keep = ROOT / "bench" / "results" / "soak-gunicorn.log"
                shutil.copyfile(log, keep)
                self.notes.append(f"gunicorn logged {len(errors)} tracebacks: {keep.relative_to(ROOT)}")
            summary["load_average"] = {"before": load_before, "after": os.getloadavg()}
            checks = self.targets(summary)
            summary["targets"] = {name: ok for name, ok, _ in checks}
            RESULTS.parent.mkdir(exist_ok=True)
            RESULTS.write_text(json.dumps(summary, indent=1) + "\n")
            self.print_summary(summary, checks, load_before, os.getloadavg())
            print(f"\nFigures: {RESULTS.relative_to(ROOT)}")
            return 0 if all(ok for _, ok, _ in checks) else 1
        finally:
            postgres.close()
            shutil.rmtree(self.work, ignore_errors=True)


def _fmt(value, since=None):
    if value is None:
        return f"{'-':>10}"
    return f"{value - since if since is not None else value:>9.2f}s"


def _mb(memory):
    return "  ".join(f"{kb / 1024:.1f}" for kb in memory.values()) or "-"


def _pct(value):
    return f"{value:.1%}" if value is not None else "-"


def main(argv=None):
    args = parse_args(sys.argv[1:] if argv is None else argv)
    if not (VENV_BIN / "gunicorn").exists():
        print("make soak needs gunicorn in the virtual environment: make venv", file=sys.stderr)
        return 2
    return Soak(args).run()


if __name__ == "__main__":
    sys.exit(main())
