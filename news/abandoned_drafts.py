"""New pages nobody came back to: found, listed in the admin and cleaned up by a periodic job.

Wagtail 8 autosaves the "add page" form: typing a title is enough to create a
draft page in the tree. Readers never see it (it was never published), but an
editor who closes the tab leaves it behind. A page counts as **abandoned**
when

- it has never been published and is not in a workflow;
- it has no child pages and is not an alias;
- every revision it has was made within ``EDITING_SESSION`` of its first one
  (nobody came back to it after the first sitting); and
- its last revision is older than ``BYLINE_ABANDONED_DRAFT_DAYS`` days (14).

The "Abandoned drafts" report (Reports menu) lists them; the
``delete_abandoned_drafts`` job (daily) deletes them, a bounded batch per run,
each deletion in the pages' history like an editor's.
"""

import logging
from datetime import timedelta

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db.models import CharField, Exists, F, OuterRef, Subquery
from django.db.models.functions import Cast
from django.utils import timezone
from wagtail.log_actions import log
from wagtail.models import Page, Revision, WorkflowState

logger = logging.getLogger("byline.news")

EDITING_SESSION = timedelta(hours=1)
DELETE_BATCH = 200


def abandoned_after() -> timedelta:
    return timedelta(days=getattr(settings, "BYLINE_ABANDONED_DRAFT_DAYS", 14))


def abandoned_drafts(now=None):
    """Pages that are abandoned drafts at ``now`` (see the module docstring), oldest first."""
    now = now or timezone.now()
    page_type = ContentType.objects.get_for_model(Page)
    page_key = Cast(OuterRef("pk"), output_field=CharField())
    first_revision = (
        Revision.objects.filter(base_content_type=page_type, object_id=page_key)
        .order_by("created_at")
        .values("created_at")[:1]
    )
    in_workflow = WorkflowState.objects.filter(
        base_content_type=page_type,
        object_id=page_key,
        status__in=[WorkflowState.STATUS_IN_PROGRESS, WorkflowState.STATUS_NEEDS_CHANGES],
    )
    return (
        Page.objects.filter(
            live=False,
            first_published_at__isnull=True,
            last_published_at__isnull=True,
            alias_of__isnull=True,
            numchild=0,
            depth__gt=2,  # never a site root
            latest_revision_created_at__lt=now - abandoned_after(),
        )
        .annotate(first_revision_at=Subquery(first_revision))
        .filter(latest_revision_created_at__lte=F("first_revision_at") + EDITING_SESSION)
        .exclude(Exists(in_workflow))
        .order_by("latest_revision_created_at", "pk")
    )


def delete_abandoned_drafts(now=None, limit=DELETE_BATCH) -> list[str]:
    """Delete up to ``limit`` abandoned drafts; returns their titles."""
    deleted = []
    for page in abandoned_drafts(now)[:limit]:
        page = page.specific_deferred
        log(instance=page, action="wagtail.delete", user=None)
        title = page.get_admin_display_title()
        page.delete()
        deleted.append(title)
    if deleted:
        logger.info("Deleted %d abandoned draft page(s): %s", len(deleted), ", ".join(deleted))
    return deleted
