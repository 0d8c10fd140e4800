"""Articles announce their own lifecycle to plugins, through the plugin surface.

Wagtail's page signals for ArticlePage become the plugin events
`after_article_publish`, `after_article_unpublish` and `after_article_delete`
(cms.plugins.emit delivers them after the transaction commits).
"""

from django.db.models.signals import post_delete
from wagtail.signals import page_published, page_unpublished

from cms.plugins import emit


def _published(sender, instance, **kwargs):
    # Wagtail also sends page_published when it only *schedules* a page that
    # was never live; listeners are promised an article that went live.
    if instance.live:
        emit("after_article_publish", article=instance)


def _unpublished(sender, instance, **kwargs):
    emit("after_article_unpublish", article=instance)


def _deleted(sender, instance, **kwargs):
    emit("after_article_delete", article=instance)


def connect_article_events():
    from .models import ArticlePage

    page_published.connect(_published, sender=ArticlePage, dispatch_uid="byline-pub")
    page_unpublished.connect(_unpublished, sender=ArticlePage, dispatch_uid="byline-unpub")
    post_delete.connect(_deleted, sender=ArticlePage, dispatch_uid="byline-del")
