"""Create the Editors group: edit every knowledge record, delete only child rows, read all history."""

from django.apps import apps as global_apps
from django.contrib.auth.management import create_permissions
from django.db import migrations

GROUP = "Editors"

# Child rows of a page: editors may delete these. Pages themselves are withdrawn, never deleted.
DELETABLE = {"party", "timelineevent", "caserelation", "remedy", "citation", "exposureentry"}


def create_editors_group(apps, schema_editor):
    using = schema_editor.connection.alias
    # post_migrate, which normally creates permissions, has not run yet inside this migration.
    for label in ("auth", "contenttypes", "knowledge"):
        create_permissions(global_apps.get_app_config(label), apps=apps, verbosity=0, using=using)

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")

    names = [model._meta.model_name for model in apps.get_app_config("knowledge").get_models()]
    history_models = [name for name in names if name.startswith("historical")]
    content_models = [name for name in names if name not in history_models]

    codenames = set()
    for name in content_models:
        codenames |= {f"add_{name}", f"change_{name}", f"view_{name}"}
        if name in DELETABLE:
            codenames.add(f"delete_{name}")
    codenames |= {f"view_{name}" for name in history_models}

    permissions = Permission.objects.using(using).filter(content_type__app_label="knowledge", codename__in=codenames)
    missing = codenames - set(permissions.values_list("codename", flat=True))
    if missing:
        raise RuntimeError(f"Permissions missing for the Editors group: {sorted(missing)}")

    group, _ = Group.objects.using(using).get_or_create(name=GROUP)
    group.permissions.add(*permissions)


def delete_editors_group(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Group.objects.using(schema_editor.connection.alias).filter(name=GROUP).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("knowledge", "0001_initial"),
    ]

    operations = [migrations.RunPython(create_editors_group, delete_editors_group)]
