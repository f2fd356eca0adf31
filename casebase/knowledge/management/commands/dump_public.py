from django.core.management.base import BaseCommand, CommandError

from casebase.knowledge.dumps import dumps_dir, prune, write_dump


class Command(BaseCommand):
    help = (
        "Write a versioned dump of every public record into DUMPS_DIR: a ZIP with a SQLite database, a CSV per "
        "table, JSON, the schema and a README, beside the SQLite file alone; the downloads page lists the newest."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dir", help="Where to write it (default: the DUMPS_DIR setting).")
        parser.add_argument(
            "--keep", type=int, default=5, help="How many dumps to keep, this one included; older ones are deleted."
        )

    def handle(self, dir=None, keep=5, **options):
        if keep < 1:
            raise CommandError("--keep must be at least 1: the dump just written is kept.")
        folder = dir or dumps_dir()
        manifest = write_dump(folder)
        for file in manifest["files"]:
            self.stdout.write(f"{file['name']}  {file['size']:,} bytes  sha256 {file['sha256']}")
        rows = sum(manifest["tables"].values())
        self.stdout.write(self.style.SUCCESS(f"Dump {manifest['version']} written to {folder}: {rows:,} rows."))
        for version in prune(keep, folder):
            self.stdout.write(f"Deleted the older dump {version}.")
