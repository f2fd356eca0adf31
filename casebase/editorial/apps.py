from django.apps import AppConfig


class EditorialConfig(AppConfig):
    name = "casebase.editorial"
    label = "editorial"
