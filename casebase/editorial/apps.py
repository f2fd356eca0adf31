from django.apps import AppConfig


class EditorialConfig(AppConfig):
    name = "casebase.editorial"
    label = "editorial"

    def ready(self):
        # Mail to readers is queued when a workflow transition commits (emails.py listens).
        from . import emails  # noqa: F401
