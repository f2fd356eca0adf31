from django.apps import AppConfig


class KnowledgeConfig(AppConfig):
    name = "casebase.knowledge"
    label = "knowledge"

    def ready(self):
        from . import signals  # noqa: F401  (connects the search index's receivers)
