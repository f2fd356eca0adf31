"""`make scaleout`: two app servers on one PostgreSQL and one Redis, as behind a load balancer.

Starts (or uses) a PostgreSQL and a Redis, loads a small corpus, and serves the site from TWO gunicorn servers
(2 workers each, production settings, CACHE_URL on the Redis). Then: a case page is cached on server A and
served from the cache by server B; its title is edited through the admin on server A; server B's next answer
is a miss with the new title, and so is A's. Neither server may leave files behind outside its temp dir.
A second round does the same with DATABASE_REPLICA_URL naming the same database (a stand-in replica: the
router and its connections are exercised, replication itself is not) and checks that pages were read
through the replica's connections.

    python -m bench.scaleout
    BENCH_POSTGRES_URL=postgres://postgres@127.0.0.1:5432/postgres python -m bench.scaleout
    REDIS_URL=redis://127.0.0.1:6379/5 python -m bench.scaleout    (else a throwaway redis-server)

Exits 0 when every check passes, 1 when one fails, 2 when something it needs is missing.
"""

import http.client
import json
import os
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlencode

from .prepare import MARK
from .servers import ROOT, VENV_BIN, Postgres, free_port, gunicorn, stop

REDIS_SERVER = Path("/usr/bin/redis-server")
CASES = 200
# The public name both servers answer to: a load balancer passes it on, and cached pages are keyed by it. Each
# round has its own (<round>.casebase.example), so it starts with nothing cached.
DOMAIN = "casebase.example"
REPLICA_APP = "casebase-replica"
# Not state of the app: the tools' own folders, bytecode, other benchmark runs, and source files, which the
# app never writes and which people edit in this tree while the run goes on.
IGNORED_DIRS = {".git", ".venv", "node_modules", "__pycache__", ".pytest_cache", ".ruff_cache", ".cache", "results"}
SOURCE_SUFFIXES = {".py", ".html", ".md", ".txt", ".css", ".js", ".toml", ".cfg", ".sh", ".patch"}


class Failed(Exception):
    pass


class Run:
    def __init__(self):
        self.work = Path(tempfile.mkdtemp(prefix="casebase-scaleout-"))
        self.lines = []
        self.failed = False
        self.env = {
            key: value
            for key, value in os.environ.items()
            if not key.startswith(("DJANGO_", "DATABASE_", "CACHE_URL", "PYTEST", "PAGE_CACHE"))
        }
        self.env |= {
            "CASEBASE_BENCH": "1",
            "DJANGO_SETTINGS_MODULE": "bench.settings",
            "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
            "DJANGO_DEBUG": "0",
            "DJANGO_SECURE_COOKIES": "0",  # plain HTTP on loopback
            "DJANGO_SSL_REDIRECT": "0",
            "DJANGO_ALLOWED_HOSTS": f"127.0.0.1,.{DOMAIN}",
            "DJANGO_LOG_LEVEL": "ERROR",
            "BENCH_STATIC_ROOT": str(self.work / "static"),
            "DUMPS_DIR": str(self.work / "dumps"),
            "DATABASE_CONN_MAX_AGE": "60",  # kept connections show in pg_stat_activity
        }

    def check(self, ok, what):
        self.lines.append(f"  {'ok  ' if ok else 'FAIL'}  {what}")
        print(self.lines[-1], file=sys.stderr, flush=True)
        if not ok:
            self.failed = True
        return ok

    def note(self, what):
        self.lines.append(f"        {what}")
        print(self.lines[-1], file=sys.stderr, flush=True)

    def django(self, env, code):
        """Run `code` in a third app process with `env` (after django.setup()); returns its stdout."""
        script = f"import django; django.setup()\n{code}"
        out = subprocess.run([sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True)
        if out.returncode:
            raise Failed(f"app process failed: {out.stderr[-500:]}")
        return out.stdout

    def prepare(self, env):
        command = [sys.executable, "-m", "bench.prepare", "--cases", str(CASES), "--collectstatic"]
        out = subprocess.run(
            command, cwd=ROOT, env=env | {"DATABASE_STATEMENT_TIMEOUT_MS": "0"}, stdout=subprocess.PIPE, text=True
        )
        if out.returncode:
            raise Failed(f"bench.prepare failed ({out.returncode})")
        line = next(line for line in out.stdout.splitlines() if line.startswith(MARK))
        return json.loads(line.removeprefix(MARK))

    # --- one round: two servers, one edit ------------------------------------------------------------------

    def round(self, label, env, targets, title):
        path, cookie = targets["paths"]["case_detail"], targets["admin_cookie"]
        slug = path.strip("/").split("/")[-1]
        code = f"from casebase.knowledge.models import Case; print(Case.objects.get(slug={slug!r}).pk)"
        pk = int(self.django(env, code))
        host = f"{label}.{DOMAIN}"
        self.note(f"{label}: case page {path} as {host}")
        with (
            gunicorn(env, self.work / f"{label}-a.log") as (port_a, master_a),
            gunicorn(env, self.work / f"{label}-b.log") as (port_b, master_b),
        ):
            self.note(f"server A on :{port_a} (pid {master_a.pid}), server B on :{port_b} (pid {master_b.pid})")
            first = get(port_a, host, path)
            self.check(first.status == 200 and first.cache == "miss", f"A: first GET is a miss ({first})")
            second = get(port_a, host, path)
            self.check(second.status == 200 and second.cache == "hit", f"A: second GET is a hit ({second})")
            on_b = get(port_b, host, path)
            self.check(on_b.status == 200 and on_b.cache == "hit", f"B: GET is a hit from the shared cache ({on_b})")
            how = self.edit(port_a, host, pk, title, cookie, env)
            self.note(f"title changed to {title!r} {how}")
            after_b = get(port_b, host, path)
            self.check(
                after_b.status == 200 and after_b.cache == "miss" and title in after_b.text,
                f"B: next GET is a miss with the new title ({after_b}, {shown(after_b, title)})",
            )
            again_b = get(port_b, host, path)
            self.check(
                again_b.cache == "hit" and title in again_b.text, f"B: then a hit with the new title ({again_b})"
            )
            after_a = get(port_a, host, path)
            self.check(
                after_a.status == 200 and title in after_a.text,
                f"A: shows the new title ({after_a}, {shown(after_a, title)})",
            )
            if "replica" in label:
                # Pages stored in the cache render from the primary (casebase/caching.py); the API is not cached.
                listed = get(port_a, host, "/api/v1/cases/")
                self.check(listed.status == 200, f"A: the API's case list serves ({listed})")
                self.replica_connections(env)
            self.open_files([master_a, master_b])

    def edit(self, port, host, pk, title, cookie, env):
        """Save the case's title through the admin change form on `port`; fall back to a third app process."""
        try:
            return admin_edit(port, host, pk, title, cookie)
        except Failed as exc:
            self.note(f"the admin's change form did not save ({exc}); editing from a third app process instead")
            code = (
                "from casebase.knowledge.models import Case\n"
                f"case = Case.objects.get(pk={pk}); case.title = {title!r}; case.save()"
            )
            self.django(env, code)
            return "from a third app process (ORM save)"

    def replica_connections(self, env):
        code = (
            "from django.db import connections\n"
            "with connections['default'].cursor() as c:\n"
            f"    c.execute(\"SELECT count(*) FROM pg_stat_activity WHERE application_name = '{REPLICA_APP}' "
            'AND datname = current_database()")\n'
            "    print(c.fetchone()[0])"
        )
        count = int(self.django(env | {"DATABASE_REPLICA_URL": ""}, code))
        self.check(count > 0, f"reader pages were read through the replica alias ({count} replica connections open)")

    def open_files(self, masters):
        """No worker holds a file open for writing inside the project tree."""
        found = []
        for master in masters:
            for pid in [master.pid, *children(master.pid)]:
                for fd in Path(f"/proc/{pid}/fd").glob("*"):
                    try:
                        target = Path(os.readlink(fd))
                        flags = int(Path(f"/proc/{pid}/fdinfo/{fd.name}").read_text().split()[3], 8)
                    except (OSError, ValueError, IndexError):
                        continue
                    if target.is_relative_to(ROOT) and flags & (os.O_WRONLY | os.O_RDWR):
                        found.append(str(target))
        self.check(not found, f"no server process holds a file open for writing in the tree {sorted(set(found))}")


class Page:
    def __init__(self, status, headers, body):
        self.status, self.headers, self.text = status, headers, body.decode("utf-8", "replace")
        self.cache = headers.get("X-Cache", "-")

    def __str__(self):
        return f"HTTP {self.status}, X-Cache {self.cache}"


def shown(page, title):
    return "title shown" if title in page.text else "title MISSING"


def get(port, host, path):
    return Page(*request(port, host, "GET", path))


def request(port, host, method, path, body=None, cookie=None, content_type=None):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    headers = {"Host": host} | ({"Cookie": cookie} if cookie else {})
    if content_type:
        headers["Content-Type"] = content_type
    try:
        conn.request(method, path, body=body, headers=headers)
        response = conn.getresponse()
        return (
            response.status,
            {k: v for k, v in response.getheaders() if k.lower() != "set-cookie"}
            | {"Set-Cookie": [v for k, v in response.getheaders() if k.lower() == "set-cookie"]},
            response.read(),
        )
    finally:
        conn.close()


class FormFields(HTMLParser):
    """The fields a browser would submit from the page's form with id `form_id`, as (name, value) pairs."""

    def __init__(self, form_id):
        super().__init__()
        self.form_id, self.inside, self.fields = form_id, False, []
        self.select = self.textarea = None
        self.text = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self.inside = a.get("id") == self.form_id
        if not self.inside:
            return
        name = a.get("name")
        if tag == "input" and name and a.get("type", "text") not in ("submit", "button", "file", "image", "reset"):
            if a.get("type") in ("checkbox", "radio") and "checked" not in a:
                return
            self.fields.append((name, a.get("value", "on" if a.get("type") == "checkbox" else "")))
        elif tag == "select" and name:
            self.select = name
        elif tag == "option" and self.select and "selected" in a:
            self.fields.append((self.select, a.get("value", "")))
        elif tag == "textarea" and name:
            self.textarea, self.text = name, []

    def handle_data(self, data):
        if self.textarea:
            self.text.append(data)

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False
        elif tag == "select":
            self.select = None
        elif tag == "textarea" and self.textarea:
            value = "".join(self.text)
            self.fields.append((self.textarea, value[1:] if value.startswith("\n") else value))
            self.textarea = None


def admin_edit(port, host, pk, title, cookie):
    """Change the case's title with the admin's change form, as an editor's browser would submit it."""
    path = f"/admin/knowledge/case/{pk}/change/"
    status, headers, body = request(port, host, "GET", path, cookie=cookie)
    if status != 200:
        raise Failed(f"GET {path}: HTTP {status}")
    csrf = next((c.split(";")[0] for c in headers["Set-Cookie"] if c.startswith("csrftoken=")), None)
    if not csrf:
        raise Failed("no CSRF cookie")
    parser = FormFields("case_form")
    parser.feed(body.decode())
    fields = [(n, title if n == "title" else v) for n, v in parser.fields if "__prefix__" not in n]
    if not any(n == "title" for n, _ in fields) or not any(n == "csrfmiddlewaretoken" for n, _ in fields):
        raise Failed("no title field or CSRF token in the change form")
    fields.append(("_save", "Save"))
    status, headers, body = request(
        port,
        host,
        "POST",
        path,
        body=urlencode(fields),
        cookie=f"{cookie}; {csrf}",
        content_type="application/x-www-form-urlencoded",
    )
    if status != 302:
        errors = body.decode(errors="replace").count("errorlist")
        raise Failed(f"POST {path}: HTTP {status} with {errors} error lists")
    return "through the admin's change form on server A"


def children(pid):
    try:
        return [int(p) for p in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        return []


def snapshot():
    """{path: (size, mtime)} of the project tree, without the folders that are not the app's."""
    files = {}
    for folder, dirs, names in os.walk(ROOT):
        dirs[:] = [d for d in dirs if d not in IGNORED_DIRS and not d.startswith(".venv")]
        for name in names:
            path = Path(folder, name)
            try:
                stat = path.stat()
            except OSError:
                continue
            files[str(path.relative_to(ROOT))] = (stat.st_size, stat.st_mtime_ns)
    return files


def redis_server(work):
    """A throwaway Redis on a free port, nothing saved to disk: yields (url, process) or (None, None)."""
    given = os.environ.get("REDIS_URL") or os.environ.get("CACHE_URL")
    if given:
        return given, None
    if not REDIS_SERVER.exists():
        return None, None
    port = free_port()
    process = subprocess.Popen(
        [str(REDIS_SERVER), "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"]
        + ["--dir", str(work)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"redis://127.0.0.1:{port}/0"
    import redis

    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        try:
            redis.Redis.from_url(url).ping()
            return url, process
        except redis.ConnectionError:
            time.sleep(0.2)
    stop(process)
    return None, None


def main():
    if not (VENV_BIN / "gunicorn").exists():
        print("make scaleout needs gunicorn in the virtual environment: make venv", file=sys.stderr)
        return 2
    run = Run()
    given = os.environ.get("BENCH_POSTGRES_URL") or os.environ.get("DATABASE_URL", "")
    postgres = Postgres(given if given.startswith("postgres") else None)
    redis_url, redis_process = redis_server(run.work)
    missing = []
    if not postgres.url:
        missing.append(f"PostgreSQL: {postgres.why}")
    if not redis_url:
        missing.append("Redis: no /usr/bin/redis-server (apt-get install redis-server) and no REDIS_URL or CACHE_URL")
    name = f"casebase_scaleout_{os.getpid()}"
    before = snapshot()
    try:
        if missing:
            print("make scaleout needs:\n  " + "\n  ".join(missing), file=sys.stderr)
            return 2
        database_url = postgres.create(name)
        env = run.env | {"DATABASE_URL": database_url, "CACHE_URL": redis_url, "PAGE_CACHE": "1"}
        started = time.monotonic()
        targets = run.prepare(env)
        run.note(f"PostgreSQL database {name}, Redis {redis_url}: {targets['cases']} cases loaded")
        run.round("two-servers", env, targets, f"Scale-out edit {secrets.token_hex(3)}")
        replica = env | {"DATABASE_REPLICA_URL": f"{database_url}?application_name={REPLICA_APP}"}
        run.round("with-replica", replica, targets, f"Scale-out replica edit {secrets.token_hex(3)}")
        after = snapshot()
        changed = sorted(p for p in after.keys() | before.keys() if before.get(p) != after.get(p))
        state = [p for p in changed if Path(p).suffix not in SOURCE_SUFFIXES and Path(p).name != "Makefile"]
        run.check(not state, f"no files written in the project tree outside source files {state}")
        if changed and not state:
            run.note(f"source files edited in the tree meanwhile (not by the app): {len(changed)}")
        run.note(f"{time.monotonic() - started:.0f} s")
    except Failed as exc:
        run.check(False, str(exc))
    finally:
        if postgres.url:
            postgres.drop(name)
        postgres.close()
        if redis_process is not None:
            stop(redis_process)
        shutil.rmtree(run.work, ignore_errors=True)
    print("\nScale-out: two gunicorn servers (2 workers each) on one PostgreSQL and one Redis")
    print("\n".join(run.lines))
    print("\nPASSED" if not run.failed else "\nFAILED")
    return 1 if run.failed else 0


if __name__ == "__main__":
    sys.exit(main())
