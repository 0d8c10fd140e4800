"""Helpers for the reader-comment tests (tests/test_comments_*.py)."""

import itertools
import time

from bs4 import BeautifulSoup
from byline_comments.models import Comment, CommentSettings, CommentStatus
from byline_comments.tokens import FORM_SALT
from django.core import signing
from django.utils import timezone
from wagtail.models import Site

_serial = itertools.count(1)


def site_settings(**values):
    """The default site's comment settings, with `values` saved on them."""
    settings = CommentSettings.for_site(Site.objects.get(is_default_site=True))
    for name, value in values.items():
        setattr(settings, name, value)
    settings.save()
    return settings


def relaxed_settings(**values):
    """No minimum fill time or rate limit: tests post as fast as they like."""
    defaults = {"min_fill_seconds": 0, "rate_limit_count": 0}
    return site_settings(**{**defaults, **values})


def aged_token(article_id, seconds_ago=60, origin=""):
    """A form token issued `seconds_ago` (so the fill-time check is satisfied)."""
    payload = {"a": article_id, "o": origin, "t": round(time.time() - seconds_ago, 3)}
    return signing.dumps(payload, salt=FORM_SALT)


def make_comment(article, *, status=CommentStatus.APPROVED, parent=None, **fields):
    n = next(_serial)
    fields.setdefault("author_name", f"Reader {n}")
    fields.setdefault("author_email", f"reader{n}@example.org")
    fields.setdefault("body", f"Comment number {n} about the story.")
    fields.setdefault("created_at", timezone.now())
    comment = Comment(article=article, parent=parent, status=status, **fields)
    comment.save()
    return comment


def form_data(article, **overrides):
    n = next(_serial)
    data = {
        "author_name": "Maya Lind",
        "author_email": f"maya{n}@example.org",
        "author_url": "",
        "body": f"The ferry timetable changed twice this year ({n}).",
        "form_token": aged_token(article.pk),
        "homepage_url": "",
        "parent": "",
    }
    data.update(overrides)
    return data


def soup(response):
    return BeautifulSoup(response.content, "html.parser")


def text_of(node):
    return " ".join(node.get_text(" ", strip=True).split()) if node is not None else ""


def prose(node):
    """Text as a reader sees it: inline tags add no spaces."""
    return " ".join(node.get_text().split()) if node is not None else ""
