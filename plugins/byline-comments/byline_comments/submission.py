"""What the spam checks know about a comment beyond its model fields.

`services` attaches a `Submission` to each comment before running the
pipeline: how it arrived, when its form was issued, the honeypot's value
and the site's settings. A check that finds no submission (a third party
calling `run_comment_checks` on a bare comment) gets a neutral one.
"""

from dataclasses import dataclass
from typing import Any

CHANNEL_FORM = "form"
CHANNEL_API = "api"
CHANNEL_MENTION = "mention"


@dataclass
class Submission:
    channel: str
    settings: Any
    form_issued_at: float | None = None
    honeypot: str = ""
    # This comment's number within its address's rate-limit window, when counted
    # before storing (services.submit_comment).
    rate_count: int | None = None


def settings_for(article=None, request=None):
    """The CommentSettings of the request's site, else of the article's site."""
    from wagtail.models import Site

    from .models import CommentSettings

    if request is not None:
        site = Site.find_for_request(request)
        if site is not None:
            return CommentSettings.for_request(request)  # cached on the request
    site = article.get_site() if article is not None else None
    if site is None:
        site = Site.objects.filter(is_default_site=True).first() or Site.objects.first()
    if site is None:
        return CommentSettings()  # no site at all: defaults, never saved
    return CommentSettings.for_site(site)


def submission_of(comment, request=None):
    submission = getattr(comment, "submission", None)
    if submission is None:
        submission = Submission(
            channel=CHANNEL_MENTION if comment.kind != "comment" else CHANNEL_FORM,
            settings=settings_for(getattr(comment, "article", None), request),
        )
        comment.submission = submission
    return submission
