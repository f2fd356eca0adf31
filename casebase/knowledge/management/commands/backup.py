import datetime
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from casebase.backups import BackupError, backup


class Command(BaseCommand):
    help = "Write a consistent backup of the whole database (pg_dump custom format, or a SQLite copy)."

    def add_arguments(self, parser):
        parser.add_argument("path", nargs="?", help="Where to write it (default: backups/casebase-<time>.<ext>).")

    def handle(self, path=None, **options):
        if path is None:
            stamp = datetime.datetime.now(datetime.UTC).strftime("%Y%m%dT%H%M%SZ")
            ext = "dump" if settings.DATABASES["default"]["ENGINE"].endswith("postgresql") else "sqlite3"
            path = Path(settings.BASE_DIR) / "backups" / f"casebase-{stamp}.{ext}"
        try:
            written = backup(path)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(self.style.SUCCESS(f"Backup written to {written} ({written.stat().st_size:,} bytes)."))
