from django.core.management.base import BaseCommand

from casebase.knowledge.indexing import rebuild_index


class Command(BaseCommand):
    help = "Rebuild the search index from every published case, company, dataset and exposure list."

    def handle(self, *args, **options):
        counts = rebuild_index()
        summary = ", ".join(f"{n} {kind.plural.lower()}" for kind, n in counts.items())
        self.stdout.write(self.style.SUCCESS(f"Search index rebuilt: {summary}."))
