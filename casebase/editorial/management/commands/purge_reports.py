from django.core.management.base import BaseCommand

from casebase.editorial.retention import CLOSED_DAYS, DECLINED_DAYS, SPAM_DAYS, purge


class Command(BaseCommand):
    help = (
        "Delete readers' contact details on schedule (run daily): spam and unreleased quarantine after "
        f"{SPAM_DAYS} days (spam also loses its text), declined reports {DECLINED_DAYS} days after closing, "
        f"other closed reports after {CLOSED_DAYS} days. Open reports are never touched."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Count what is due without changing anything.")

    def handle(self, *args, dry_run=False, **options):
        counts = purge(dry_run=dry_run)
        summary = ", ".join(f"{label} {n}" for label, n in counts.items())
        verb = "Due for purging" if dry_run else "Purged"
        self.stdout.write(self.style.SUCCESS(f"{verb}: {summary}."))
