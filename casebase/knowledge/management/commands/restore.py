from django.core.management.base import BaseCommand, CommandError

from casebase.backups import BackupError, restore
from casebase.caching import bump_content_version


class Command(BaseCommand):
    help = "Replace the database's contents with a backup made by `manage.py backup`."

    def add_arguments(self, parser):
        parser.add_argument("path", help="The backup file.")
        parser.add_argument("--yes", action="store_true", help="Do not ask for confirmation.")

    def handle(self, path, yes=False, **options):
        if not yes and input(f"Replace everything in the database with {path}? [y/N] ").strip().lower() != "y":
            raise CommandError("Nothing restored.")
        try:
            restore(path)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        bump_content_version()  # pages cached before the restore show what it replaced
        self.stdout.write(self.style.SUCCESS(f"Restored {path}."))
