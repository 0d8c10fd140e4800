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


# Only these columns change without readers seeing it (the nightly erasure of
# personal data, moderation stamps written after the status itself).
_UNSEEN_FIELDS = {"ip_address", "user_agent", "moderated_at", "moderated_by"}


def _comment_saved(sender, instance, update_fields=None, **kwargs):
    if update_fields is not None and set(update_fields) <= _UNSEEN_FIELDS:
        return
    _touch(instance.article_id, create=True)


def _comment_deleted(sender, instance, **kwargs):
    # Deleted with its article: the cascade removes the options row too.
    _touch(instance.article_id, create=False)


def _touch(article_id, *, create):
    from cms import http_cache

    from .models import ArticleCommentOptions

    ArticleCommentOptions.touch(article_id, create=create)
    http_cache.content_changed()
