"""The "Moderator" group moderates reader comments.

The project's news migration creates Writer, Editor and Moderator; this plugin
gives Moderator (and Editor) its own comment permissions, so core never names
the plugin. Either runs first: the groups are made here if missing.
"""

from django.db import migrations

ROLES = {"Moderator": ["view", "change", "delete"], "Editor": ["view", "change", "delete"]}


def grant(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    Group = apps.get_model("auth", "Group")
    comment_type, _ = ContentType.objects.get_or_create(
        app_label="byline_comments", model="comment"
    )
    admin_type, _ = ContentType.objects.get_or_create(app_label="wagtailadmin", model="admin")
    access_admin, _ = Permission.objects.get_or_create(
        content_type=admin_type,
        codename="access_admin",
        defaults={"name": "Can access Wagtail admin"},
    )
    for name, kinds in ROLES.items():
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.add(access_admin)
        for kind in kinds:
            found, _ = Permission.objects.get_or_create(
                content_type=comment_type,
                codename=f"{kind}_comment",
                defaults={"name": f"Can {kind} comment"},
            )
            group.permissions.add(found)


class Migration(migrations.Migration):
    dependencies = [
        ("byline_comments", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("wagtailadmin", "0001_create_admin_access_permissions"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
