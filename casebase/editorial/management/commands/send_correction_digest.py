from django.core.management.base import BaseCommand

from casebase.editorial.emails import queue_digest


class Command(BaseCommand):
    help = "Queue the editors' digest of new reports (run daily; the mail goes out through the task worker)."

    def add_arguments(self, parser):
        parser.add_argument("--hours", type=int, default=24, help="Cover reports received in this many hours.")

    def handle(self, *args, hours=24, **options):
        result = queue_digest(hours=hours)
        self.stdout.write(self.style.SUCCESS(f"Digest of the last {hours} hours queued (task {result.id})."))
