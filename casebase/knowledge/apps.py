from django.apps import AppConfig


class KnowledgeConfig(AppConfig):
    name = "casebase.knowledge"
    label = "knowledge"

    def ready(self):
        from casebase import caching

        from . import signals  # noqa: F401  (connects the search index's receivers)

        caching.connect_signals()
