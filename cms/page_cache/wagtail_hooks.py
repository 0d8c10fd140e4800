"""Page cache wiring: what routing loads is not shown; comment events purge articles
(the comments plugin announces them through the plugin surface, cms.plugins.emit)."""

from wagtail import hooks

from . import invalidation, keys, recording


@hooks.register("before_serve_page")
def restart_record_for_page(page, request, serve_args, serve_kwargs):
    """What routing loaded is not shown, except the page served and what was loaded
    with it (``select_related``, e.g. an article's lead image)."""
    recording.restart_for_page(page, request, serve_args, serve_kwargs)
    recording.record(request, keys.served_key(page.pk), *keys.loaded_with(page))


@hooks.register("after_comment_create")
def purge_article_of_new_comment(comment, **kwargs):
    invalidation.comment_changed(comment)


@hooks.register("after_comment_moderate")
def purge_article_of_moderated_comment(comment, old_status=None, **kwargs):
    invalidation.comment_changed(comment, old_status=old_status)


@hooks.register("after_discussion_change")
def purge_article_of_changed_discussion(article_id, reason=None, comment=None, **kwargs):
    invalidation.discussion_changed(article_id, reason=reason, comment=comment)
