"""Existing sections show in menus, as they did before the menu followed show_in_menus.

Until now the masthead listed every visible section and ignored the flag, which
Wagtail stores as False by default, so the API said show_in_menus=false for
sections the menu showed. The menu (HTML and the API's site data) now lists the
sections with show_in_menus set; ticking it on every existing section keeps
each site's menu as it was. Their stored revisions get it too: the admin edits
the latest revision, and publishing an untouched False would drop the section
from the menu by surprise. Reversing leaves the flags as they are.
"""

from django.db import migrations


def show_sections_in_menus(apps, schema_editor):
    NewsIndexPage = apps.get_model("news", "NewsIndexPage")
    Revision = apps.get_model("wagtailcore", "Revision")
    ContentType = apps.get_model("contenttypes", "ContentType")

    section_ids = list(NewsIndexPage.objects.values_list("pk", flat=True))
    if not section_ids:
        return
    NewsIndexPage.objects.filter(pk__in=section_ids).update(show_in_menus=True)
    page_type = ContentType.objects.filter(app_label="wagtailcore", model="page").first()
    if page_type is None:
        return
    revisions = Revision.objects.filter(
        base_content_type=page_type, object_id__in=[str(pk) for pk in section_ids]
    )
    for revision in revisions.iterator():
        if revision.content.get("show_in_menus") is not True:
            revision.content["show_in_menus"] = True
            revision.save(update_fields=["content"])


class Migration(migrations.Migration):
    dependencies = [
        ("news", "0003_publication_date_schedules"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [migrations.RunPython(show_sections_in_menus, migrations.RunPython.noop)]
