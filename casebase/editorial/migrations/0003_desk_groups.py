"""Give the Editors group the desk, and make a Publishers group that may publish correction notices.

Every editor triages; only a publisher (a member of both groups) fixes a page and publishes its notice.
"""

from django.apps import apps as global_apps
from django.contrib.auth.management import create_permissions
from django.db import migrations

EDITORS = "Editors"
PUBLISHERS = "Publishers"

EDITOR_CODENAMES = {
    "view_correction",
    "change_correction",
    "view_correctionevent",
    "view_correctionmessage",
    "add_correctionmessage",
    "view_correctionnotice",
    "view_verification",
    "add_verification",
    "view_cannedreply",
    "add_cannedreply",
    "change_cannedreply",
    "delete_cannedreply",
}
PUBLISHER_CODENAMES = {"publish_correctionnotice", "add_correctionnotice", "change_correctionnotice"}


def _permissions(apps, using, codenames):
    Permission = apps.get_model("auth", "Permission")
    permissions = Permission.objects.using(using).filter(content_type__app_label="editorial", codename__in=codenames)
    missing = codenames - set(permissions.values_list("codename", flat=True))
    if missing:
        raise RuntimeError(f"Editorial permissions missing: {sorted(missing)}")
    return permissions


def create_groups(apps, schema_editor):
    using = schema_editor.connection.alias
    # post_migrate, which normally creates permissions, has not run yet inside this migration.
    create_permissions(global_apps.get_app_config("editorial"), apps=apps, verbosity=0, using=using)
    Group = apps.get_model("auth", "Group")
    editors, _ = Group.objects.using(using).get_or_create(name=EDITORS)
    editors.permissions.add(*_permissions(apps, using, EDITOR_CODENAMES))
    publishers, _ = Group.objects.using(using).get_or_create(name=PUBLISHERS)
    publishers.permissions.add(*_permissions(apps, using, PUBLISHER_CODENAMES))


def remove_groups(apps, schema_editor):
    using = schema_editor.connection.alias
    Group = apps.get_model("auth", "Group")
    Group.objects.using(using).filter(name=PUBLISHERS).delete()
    editors = Group.objects.using(using).filter(name=EDITORS).first()
    if editors:
        editors.permissions.remove(*_permissions(apps, using, EDITOR_CODENAMES))


class Migration(migrations.Migration):
    dependencies = [("editorial", "0002_editorial_models")]

    operations = [migrations.RunPython(create_groups, remove_groups)]
