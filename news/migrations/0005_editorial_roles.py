"""Writer, Editor and Moderator groups and the "Editorial review" workflow.

- Writer: signs in, adds and edits pages (its own drafts) and authors, uploads and
  chooses images and documents; cannot publish: "Submit for review" starts the
  workflow.
- Editor: edits, publishes, locks and unlocks any page and author, manages
  images and documents, and approves or rejects (with comments) in the
  "Editorial review" task.
- Moderator: signs in to moderate reader comments only (the comments plugin
  gives this group its permissions; core knows no plugin).

Page permissions are given on the tree's root, so on every section; a
narrower group gets them on one section instead (Settings > Groups). Running
this again changes nothing; the groups can be edited in the admin afterwards.
"""

from django.db import migrations

WRITER, EDITOR, MODERATOR = "Writer", "Editor", "Moderator"
WORKFLOW_NAME = TASK_NAME = "Editorial review"

PAGE_PERMISSIONS = {
    WRITER: ["add"],
    EDITOR: ["add", "change", "publish", "lock", "unlock"],
}
MODEL_PERMISSIONS = {
    WRITER: [
        ("authors", "author", ["add", "change"]),
    ],
    EDITOR: [
        ("authors", "author", ["add", "change", "delete", "publish", "lock", "unlock"]),
    ],
}
COLLECTION_PERMISSIONS = {
    WRITER: [
        ("news", "newsimage", ["add", "choose"]),
        ("wagtaildocs", "document", ["add", "choose"]),
    ],
    EDITOR: [
        ("news", "newsimage", ["add", "change", "delete", "choose"]),
        ("wagtaildocs", "document", ["add", "change", "delete", "choose"]),
    ],
}


def permission(apps, app_label, model, codename):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    content_type, _ = ContentType.objects.get_or_create(app_label=app_label, model=model)
    found, _ = Permission.objects.get_or_create(
        content_type=content_type,
        codename=f"{codename}_{model}",
        defaults={"name": f"Can {codename} {model}"},
    )
    return found


def create_roles(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Page = apps.get_model("wagtailcore", "Page")
    Collection = apps.get_model("wagtailcore", "Collection")
    GroupPagePermission = apps.get_model("wagtailcore", "GroupPagePermission")
    GroupCollectionPermission = apps.get_model("wagtailcore", "GroupCollectionPermission")
    ContentType = apps.get_model("contenttypes", "ContentType")
    Workflow = apps.get_model("wagtailcore", "Workflow")
    WorkflowTask = apps.get_model("wagtailcore", "WorkflowTask")
    WorkflowPage = apps.get_model("wagtailcore", "WorkflowPage")
    WorkflowContentType = apps.get_model("wagtailcore", "WorkflowContentType")
    GroupApprovalTask = apps.get_model("wagtailcore", "GroupApprovalTask")

    admin_access = permission(apps, "wagtailadmin", "admin", "access")
    groups = {}
    for name in (WRITER, EDITOR, MODERATOR):
        groups[name], _ = Group.objects.get_or_create(name=name)
        groups[name].permissions.add(admin_access)

    root = Page.objects.filter(depth=1).order_by("path").first()
    for name, types in PAGE_PERMISSIONS.items():
        for kind in types:
            GroupPagePermission.objects.get_or_create(
                group=groups[name],
                page=root,
                permission=permission(apps, "wagtailcore", "page", kind),
            )
    for name, entries in MODEL_PERMISSIONS.items():
        for app_label, model, kinds in entries:
            groups[name].permissions.add(
                *[permission(apps, app_label, model, kind) for kind in kinds]
            )
    root_collection = Collection.objects.filter(depth=1).order_by("path").first()
    for name, entries in COLLECTION_PERMISSIONS.items():
        for app_label, model, kinds in entries:
            for kind in kinds:
                GroupCollectionPermission.objects.get_or_create(
                    group=groups[name],
                    collection=root_collection,
                    permission=permission(apps, app_label, model, kind),
                )

    task_type, _ = ContentType.objects.get_or_create(
        app_label="wagtailcore", model="groupapprovaltask"
    )
    task = GroupApprovalTask.objects.filter(name=TASK_NAME).first()
    if task is None:
        task = GroupApprovalTask.objects.create(name=TASK_NAME, content_type=task_type, active=True)
    task.groups.add(groups[EDITOR])
    workflow, created = Workflow.objects.get_or_create(
        name=WORKFLOW_NAME, defaults={"active": True}
    )
    if created:
        WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=0)
    # Every page (the root's workflow) and every author goes through it.
    if root is not None:
        WorkflowPage.objects.update_or_create(page=root, defaults={"workflow": workflow})
    author_type, _ = ContentType.objects.get_or_create(app_label="authors", model="author")
    WorkflowContentType.objects.update_or_create(
        content_type=author_type, defaults={"workflow": workflow}
    )


class Migration(migrations.Migration):
    dependencies = [
        ("news", "0004_sections_show_in_menus"),
        ("authors", "0003_draft_state"),
        ("wagtailcore", "0098_apitoken"),
        ("wagtaildocs", "0014_alter_document_file_size"),
        ("wagtailadmin", "0001_create_admin_access_permissions"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(create_roles, migrations.RunPython.noop)]
