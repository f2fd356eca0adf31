import sys
import time

from django.core.management.base import BaseCommand, CommandError

from casebase.knowledge import corpus


class Command(BaseCommand):
    help = (
        "Fill the database with a synthetic corpus of N cases (and authorities, companies, remedies, datasets, "
        "models, sources, timelines and exposure lists around them), the same for the same seed. For load tests: "
        "it refuses a database holding real published records unless --force, and replaces an earlier corpus."
    )

    def add_arguments(self, parser):
        parser.add_argument("--cases", type=int, required=True, help="How many cases to generate.")
        parser.add_argument("--seed", type=int, default=1, help="Random seed; the same seed gives the same corpus.")
        parser.add_argument(
            "--force", action="store_true", help="Write even though the database holds real published records."
        )

    def handle(self, *args, cases, seed, force, **options):
        real = corpus.real_content()
        if real and not force:
            found = ", ".join(f"{n} {label}" for label, n in real.items())
            raise CommandError(
                f"This database holds real published content ({found}); a synthetic corpus would be mixed into it. "
                "Use a database of its own, or --force."
            )
        started = time.monotonic()
        removed = corpus.remove()
        if removed:
            self.stderr.write(f"Removed the earlier generated corpus ({removed:,} rows).")
        try:
            counts = corpus.generate(cases, seed=seed, progress=corpus.Progress(sys.stderr))
        except corpus.CorpusError as exc:
            raise CommandError(str(exc)) from exc
        summary = ", ".join(f"{n:,} {label}" for label, n in counts.items())
        self.stdout.write(self.style.SUCCESS(f"Generated in {time.monotonic() - started:.0f}s: {summary}."))
