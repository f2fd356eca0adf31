"""Backups of the whole database: pg_dump's custom format on PostgreSQL, SQLite's online backup API on SQLite.

Both are consistent snapshots taken while the site keeps serving; `restore` puts one back in place.
"""

import glob
import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

from django.db import connections


class BackupError(Exception):
    """The backup or restore could not be made; the message says why."""


def _pg_tool(name):
    """The newest installed PostgreSQL client tool, else the one on the PATH."""
    candidates = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"), key=lambda p: int(p.split("/")[4]))
    found = candidates[-1] if candidates else shutil.which(name)
    if not found:
        raise BackupError(f"{name} is not installed (Debian: apt-get install postgresql-client)")
    return found


def _pg_env(settings):
    env = dict(os.environ)
    env.update(
        PGHOST=settings.get("HOST") or "",
        PGPORT=str(settings.get("PORT") or ""),
        PGUSER=settings.get("USER") or "",
        PGPASSWORD=settings.get("PASSWORD") or "",
        PGDATABASE=settings["NAME"],
    )
    return env


def _run(command, env=None):
    result = subprocess.run(command, env=env, capture_output=True, text=True)
    if result.returncode != 0:
        raise BackupError(f"{Path(command[0]).name} failed: {result.stderr.strip()[-500:]}")


def _sqlite(connection):
    connection.ensure_connection()
    return connection.connection


def backup(path, using="default"):
    """Write a consistent copy of the database to `path`."""
    connection = connections[using]
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    if connection.vendor == "postgresql":
        _run(
            [_pg_tool("pg_dump"), "--format=custom", "--no-owner", f"--file={path}"],
            env=_pg_env(connection.settings_dict),
        )
    elif connection.vendor == "sqlite":
        target = sqlite3.connect(path)
        try:
            _sqlite(connection).backup(target)  # page by page, consistent while others write
        finally:
            target.close()
    else:
        raise BackupError(f"no backup method for {connection.vendor}")
    return path


def restore(path, using="default"):
    """Replace the database's contents with the backup at `path`."""
    connection = connections[using]
    path = Path(path)
    if not path.is_file():
        raise BackupError(f"no backup file at {path}")
    if connection.vendor == "postgresql":
        connection.close()
        _run(
            [_pg_tool("pg_restore"), "--clean", "--if-exists", "--no-owner", "--single-transaction",
             f"--dbname={connection.settings_dict['NAME']}", str(path)],
            env=_pg_env(connection.settings_dict),
        )  # fmt: skip
    elif connection.vendor == "sqlite":
        source = sqlite3.connect(path)
        try:
            source.backup(_sqlite(connection))
        finally:
            source.close()
    else:
        raise BackupError(f"no restore method for {connection.vendor}")
