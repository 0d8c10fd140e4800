"""Background work (django-tasks): notifications, spam reports, erasing old personal data.

Each task takes ids, not objects, so any task backend can queue it. With
the default immediate backend they run in the request that enqueued them.
"""

import logging

from django_tasks import task

logger = logging.getLogger("byline.plugins.comments")


@task()
def notify_moderators(comment_id):
    from .models import Comment
    from .notifications import notify_moderators as send

    comment = Comment.objects.select_related("article").filter(pk=comment_id).first()
    return send(comment) if comment is not None else 0


@task()
def report_to_spam_service(comment_id, as_spam):
    """submit-spam / submit-ham to the Akismet-compatible service after a moderator's call."""
    from .checks.akismet import AkismetError, report
    from .models import Comment

    comment = Comment.objects.select_related("article").filter(pk=comment_id).first()
    if comment is None:
        return None
    try:
        return report(comment, as_spam)
    except AkismetError as exc:
        logger.warning("Could not report comment %s to the spam service: %s", comment_id, exc)
        return None


@task()
def erase_expired_personal_data():
    """Erase IP addresses and user agents past each site's retention period."""
    from .services import erase_expired_personal_data as erase

    return erase()


@task()
def announce_comments_closed_by_age():
    """Periodic: articles whose comments closed by age since the last run (their comment
    form is gone) are announced, so caches forget the pages that still show the form."""
    from .services import announce_closed_by_age

    return announce_closed_by_age()
