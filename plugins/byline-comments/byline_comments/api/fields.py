"""`comment_count` on article API responses (v2 and v3), through `register_api_fields`."""

from django.db.models import Count

from ..models import Comment, CommentStatus

COUNT_ATTR = "_byline_comment_count"


def prefetch_comment_counts(articles):
    """One query for a whole listing: the approved comments of each article."""
    ids = [article.pk for article in articles if article.pk is not None]
    counts = dict(
        Comment.objects.filter(article_id__in=ids, status=CommentStatus.APPROVED)
        .values("article_id")
        .annotate(count=Count("pk"))
        .values_list("article_id", "count")
    )
    for article in articles:
        setattr(article, COUNT_ATTR, counts.get(article.pk, 0))


def comment_count(article) -> int:
    if not hasattr(article, COUNT_ATTR):
        prefetch_comment_counts([article])
    return getattr(article, COUNT_ATTR)


def comment_count_field():
    from cms.api.fields import ComputedField

    return ComputedField(
        "comment_count",
        comment_count,
        int,
        prefetch=prefetch_comment_counts,
        description="How many approved reader comments, pingbacks and webmentions the "
        "article has (list them at /api/v2/comments/?article=<id>).",
    )
