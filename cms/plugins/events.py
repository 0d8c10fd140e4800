"""Publish/unpublish/delete and comment events, delivered to plugin listeners.

A listener is a Wagtail hook function registered under the event's name:

    @hooks.register("after_article_publish")
    def notify(article, **kwargs):
        ...

Listeners run in hook order after the change is committed. One that raises
is logged with its plugin's name and the others still run; the editor's or
reader's request never fails because of a listener.
"""

import logging

from django.db import transaction
from wagtail import hooks

from .state import owner_name

logger = logging.getLogger("byline.plugins")

EVENTS = {
    "after_article_publish": (
        "An article went live, first publish or a new revision. Called as fn(article=...)."
    ),
    "after_article_unpublish": (
        "An article was taken offline (unpublished or expired). Called as fn(article=...)."
    ),
    "after_article_delete": (
        "An article was deleted; the instance is no longer in the database. "
        "Called as fn(article=...)."
    ),
    "after_comment_create": (
        "A reader comment, pingback or webmention was stored, whatever its verdict. "
        "Called as fn(comment=..., verdict=...)."
    ),
    "after_comment_moderate": (
        "A moderator changed a comment's status (approve, spam, trash). "
        "Called as fn(comment=..., old_status=...)."
    ),
    "after_discussion_change": (
        "What readers see of an article's discussion changed other than by a new comment "
        "or a moderation: a shown comment or mention edited (by an editor, or refreshed "
        "from its source) or deleted outright, or comments closed N days after "
        "publication. Called as fn(article_id=..., reason=..., comment=...): reason "
        '"edited", "deleted" (comment: the comment or mention) or "closed" (comment: None).'
    ),
}


def emit(event, **kwargs):
    """Call every listener of `event` once the current transaction commits."""
    if event not in EVENTS:
        raise ValueError(f"unknown event {event!r}; events are: {', '.join(sorted(EVENTS))}")
    transaction.on_commit(lambda: _deliver(event, kwargs))


def _deliver(event, kwargs):
    for listener in hooks.get_hooks(event):
        try:
            listener(**kwargs)
        except Exception:
            logger.exception("Plugin %r failed while handling %r", owner_name(listener), event)
