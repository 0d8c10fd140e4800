from django.apps import AppConfig


class CommentsConfig(AppConfig):
    name = "byline_comments"
    label = "byline_comments"
    verbose_name = "Reader comments"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from django.db.models.signals import post_delete, post_save

        from cms import http_cache

        from .models import ArticleCommentOptions, Comment

        # Comments are shown on article pages and counted in listings and the API,
        # and Wagtail's audit log does not see readers' comments: every change to
        # one dates its article's options row, which HTTP caching counts.
        http_cache.register_change_source(ArticleCommentOptions, "changed_at")
        post_save.connect(_comment_saved, sender=Comment, dispatch_uid="byline-comments-touch")
        post_delete.connect(_comment_deleted, sender=Comment, dispatch_uid="byline-comments-touch")

        from news.demo.signals import demo_site_built

        from .demo import add_demo_comments

        demo_site_built.connect(add_demo_comments, dispatch_uid="byline-comments-demo")


# Only these columns change without readers seeing it (the nightly erasure of
# personal data, moderation stamps written after the status itself).
_UNSEEN_FIELDS = {"ip_address", "user_agent", "moderated_at", "moderated_by"}


# Columns readers never see (spam check results, moderators' notes) beside the above;
# "status" changes are moderations, announced by services.moderate.
_NOT_SHOWN_FIELDS = _UNSEEN_FIELDS | {"check_results", "moderation_note", "status"}


def _comment_saved(sender, instance, update_fields=None, created=False, **kwargs):
    if update_fields is not None and set(update_fields) <= _UNSEEN_FIELDS:
        return
    _touch(instance.article_id, create=True)
    if created or (update_fields is not None and set(update_fields) <= _NOT_SHOWN_FIELDS):
        return  # a new comment and moderations have events of their own
    if update_fields is not None and "status" in update_fields:
        return
    _announce(instance, "edited")


def _comment_deleted(sender, instance, **kwargs):
    # Deleted with its article: the cascade removes the options row too.
    _touch(instance.article_id, create=False)
    _announce(instance, "deleted")


def _announce(comment, reason):
    """A shown comment (or mention) edited or deleted outright: readers' pages change."""
    from cms.plugins import emit

    from .models import CommentStatus

    if comment.status == CommentStatus.APPROVED:
        emit(
            "after_discussion_change",
            article_id=comment.article_id,
            reason=reason,
            comment=comment,
        )


def _touch(article_id, *, create):
    from cms import http_cache

    from .models import ArticleCommentOptions

    ArticleCommentOptions.touch(article_id, create=create)
    http_cache.content_changed()
