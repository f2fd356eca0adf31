"""The processes a benchmark starts and stops: gunicorn, Datasette, and a PostgreSQL to hold its databases.

Everything listens on 127.0.0.1 only, and everything started here is stopped here, by its own process id.
"""

import contextlib
import glob
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from .load import wait_until_up

ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = Path(sys.executable).parent


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def stop(process, grace=15):
    """Stop a process this benchmark started: SIGTERM, then SIGKILL after `grace` seconds."""
    if process.poll() is not None:
        return
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(grace)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


@contextlib.contextmanager
def gunicorn(env, log, workers=2):
    """The site under gunicorn with `env` (production settings): yields (port, master process)."""
    port = free_port()
    command = [
        str(VENV_BIN / "gunicorn"),
        "casebase.wsgi",
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        str(workers),
        "--timeout",
        "120",
        "--error-logfile",
        str(log),
    ]
    process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_until_up(port, "/__bench__/bare/", process=process)
        yield port, process
    finally:
        stop(process)


def datasette_command():
    """The Datasette executable: bench/.venv-datasette first, then the PATH; None when there is none."""
    local = ROOT / "bench" / ".venv-datasette" / "bin" / "datasette"
    if local.exists():
        return str(local)
    return shutil.which("datasette")


@contextlib.contextmanager
def datasette(database, log):
    """Datasette serving `database` read-only, facets allowed the time they need: yields its port."""
    port = free_port()
    settings = {
        "sql_time_limit_ms": "20000",
        "facet_time_limit_ms": "20000",  # else facets over 100,000 rows time out and the page comes back without them
        "suggest_facets": "off",  # only the facets asked for, as on our list
        "num_sql_threads": "3",
    }
    command = [datasette_command(), "serve", "-i", str(database), "-h", "127.0.0.1", "-p", str(port)]
    for name, value in settings.items():
        command += ["--setting", name, value]
    with open(log, "ab") as out:
        process = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT)
    try:
        wait_until_up(port, "/-/versions.json", process=process)
        yield port
    finally:
        stop(process)


class Postgres:
    """A PostgreSQL server to create benchmark databases on: the one named by a URL, or a throwaway cluster."""

    def __init__(self, url=None):
        self.url, self.cluster, self.why = url, None, ""
        if not self.url:
            self.start_cluster()

    def start_cluster(self):
        bindirs = sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=lambda p: int(Path(p).parent.name))
        bindir = os.environ.get("PG_BINDIR") or (bindirs[-1] if bindirs else "")
        if not bindir or not Path(bindir, "initdb").exists():
            self.why = "no PostgreSQL binaries (apt-get install postgresql) and no BENCH_POSTGRES_URL"
            return
        as_user = []
        if os.geteuid() == 0:  # PostgreSQL will not run as root
            as_user = ["runuser", "-u", "postgres", "--"]
        self.cluster = tempfile.mkdtemp(prefix="casebase-bench-pg-")
        if as_user:
            shutil.chown(self.cluster, "postgres")
        port = free_port()
        data = f"{self.cluster}/data"
        options = f"-c listen_addresses=127.0.0.1 -p {port} -k {self.cluster} -c fsync=off -c synchronous_commit=off"
        try:
            subprocess.run(
                [*as_user, f"{bindir}/initdb", "-D", data, "-U", "postgres", "-A", "trust", "-E", "UTF8", "--no-sync"],
                cwd=self.cluster,
                check=True,
                capture_output=True,
            )
            subprocess.run(
                [*as_user, f"{bindir}/pg_ctl", "-D", data, "-l", f"{self.cluster}/server.log", "-w", "-o", options]
                + ["start"],
                cwd=self.cluster,
                check=True,
                capture_output=True,
            )
        except subprocess.CalledProcessError as exc:
            self.why = f"could not start a throwaway cluster: {exc.stderr.decode()[-300:]}"
            shutil.rmtree(self.cluster, ignore_errors=True)
            self.cluster = None
            return
        self.bindir, self.as_user = bindir, as_user
        self.url = f"postgres://postgres@127.0.0.1:{port}/postgres"

    def database_url(self, name):
        parts = urlsplit(self.url)
        return urlunsplit(parts._replace(path=f"/{name}"))

    def execute(self, sql):
        import psycopg

        with psycopg.connect(self.database_url("postgres"), autocommit=True) as conn:
            conn.execute(sql)

    def create(self, name):
        self.execute(f'DROP DATABASE IF EXISTS "{name}"')
        self.execute(f'CREATE DATABASE "{name}"')
        return self.database_url(name)

    def drop(self, name):
        self.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    def close(self):
        if self.cluster:
            subprocess.run(
                [*self.as_user, f"{self.bindir}/pg_ctl", "-D", f"{self.cluster}/data", "-m", "immediate", "stop"],
                cwd=self.cluster,
                capture_output=True,
            )
            time.sleep(0.5)
            shutil.rmtree(self.cluster, ignore_errors=True)
            self.cluster = None
