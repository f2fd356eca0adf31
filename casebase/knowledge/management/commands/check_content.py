from django.core.management.base import BaseCommand, CommandError

from casebase.knowledge.content_checks import FAIL, run_checks


def plural(n, word):
    return f"{n} {word}{'' if n == 1 else 's'}"


class Command(BaseCommand):
    help = "Check the published record: sources, primary documents, money, exposure entries, roles, statuses."

    def add_arguments(self, parser):
        parser.add_argument("--quiet-warnings", action="store_true", help="Print failures only.")

    def handle(self, *args, quiet_warnings=False, **options):
        findings = run_checks()
        failures = [f for f in findings if f.level == FAIL]
        for finding in findings:
            if finding.level == FAIL or not quiet_warnings:
                self.stdout.write(str(finding))
        summary = f"{plural(len(failures), 'failure')}, {plural(len(findings) - len(failures), 'warning')}"
        if failures:
            raise CommandError(f"The record has problems: {summary}.")
        self.stdout.write(self.style.SUCCESS(f"The record passes: {summary}."))
