"""Approved comments of an article, arranged in threads, in a fixed number of queries."""

from .models import Comment


def approved_threads(article_id):
    """(top-level comments with `.thread_replies` filled in, number of approved comments).

    One query, whatever the number of comments. A reply whose parent is not
    shown (held, spam, trash or deleted) is shown at the top level rather
    than hidden, as a reader would expect after a moderator removes the
    comment it answered.
    """
    comments = list(Comment.objects.filter(article_id=article_id).for_display())
    by_id = {comment.pk: comment for comment in comments}
    roots = []
    for comment in comments:
        comment.thread_replies = []
    for comment in comments:
        parent = by_id.get(comment.parent_id)
        if parent is not None and parent is not comment:
            parent.thread_replies.append(comment)
        else:
            roots.append(comment)
    return roots, len(comments)


def walk(comments):
    """Every comment of the threads, depth first."""
    for comment in comments:
        yield comment
        yield from walk(comment.thread_replies)
