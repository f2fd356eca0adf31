from django.core.management.base import BaseCommand, CommandError

from casebase.knowledge.indexing import rebuild_index
from casebase.knowledge.seed import Loader, SeedError


class Command(BaseCommand):
    help = "Load the sourced seed data from fixtures/. Existing records are left untouched."

    def handle(self, *args, **options):
        try:
            created = Loader().run()
        except SeedError as exc:
            raise CommandError(f"Seed data not loaded: {exc}") from exc
        if not created:
            self.stdout.write("Seed data already present; nothing changed.")
            return
        rebuild_index()  # the signals kept it current record by record; this makes it whole
        summary = ", ".join(f"{n} {label}" for label, n in created.items())
        self.stdout.write(self.style.SUCCESS(f"Loaded {summary}."))
