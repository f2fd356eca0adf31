from django.apps import AppConfig


class KnowledgeConfig(AppConfig):
    name = "casebase.knowledge"
    label = "knowledge"
