import imaplib
import mailbox

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from casebase.editorial.mailintake import ImapError, ImapSource, MaildirSource, fetch


class Command(BaseCommand):
    help = (
        "File mail sent to the desk's address as reports (run on a schedule). Reads the IMAP mailbox set by "
        "CORRECTIONS_IMAP_* or, without a host, the Maildir in CORRECTIONS_MAILDIR; each message is marked done "
        "once filed, so nothing is filed twice."
    )

    def add_arguments(self, parser):
        parser.add_argument("--maildir", help="Read this Maildir instead of the configured mailbox.")
        parser.add_argument("--limit", type=int, help="File at most this many messages in this run.")

    def handle(self, *args, maildir=None, limit=None, **options):
        if maildir or (settings.CORRECTIONS_MAILDIR and not settings.CORRECTIONS_IMAP_HOST):
            path = maildir or settings.CORRECTIONS_MAILDIR
            try:
                source = MaildirSource(path)
            except (mailbox.NoSuchMailboxError, FileNotFoundError, NotADirectoryError) as error:
                raise CommandError(f"No Maildir at {path}") from error
            where = f"Maildir {path}"
        elif settings.CORRECTIONS_IMAP_HOST:
            source = ImapSource.from_settings()
            where = f"{settings.CORRECTIONS_IMAP_USER}@{settings.CORRECTIONS_IMAP_HOST}"
        else:
            raise CommandError(
                "No mailbox configured: set CORRECTIONS_IMAP_HOST (and user, password) or CORRECTIONS_MAILDIR."
            )
        try:
            counts = fetch(source, limit=limit)
        except (OSError, imaplib.IMAP4.error, ImapError) as error:
            raise CommandError(f"Could not read {where}: {error}") from error
        summary = ", ".join(f"{n} {outcome}" for outcome, n in sorted(counts.items())) or "no new mail"
        self.stdout.write(self.style.SUCCESS(f"{where}: {summary}."))
        if counts.get("failed"):
            raise CommandError(f"{counts['failed']} message(s) could not be filed; they stay for the next run.")
