"""The "article_after_body" slot: comment count, threads, and the reply form."""

import time
from dataclasses import dataclass
from datetime import datetime

from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from cms import http_cache
from cms.kept_fragments import keep, stand_in
from cms.page_cache.keys import object_key, served_key
from news.models import ArticlePage

from .forms import CommentForm
from .models import ArticleCommentOptions
from .services import comments_open
from .submission import settings_for
from .threads import approved_threads, walk
from .tokens import PAGE_FORM_MAX_AGE, issue_form_token, read_posted_token

# The view that handles a failed post puts the bound form here, so the page
# it renders shows the reader's text and the errors.
BOUND_FORM_ATTR = "_byline_comment_form"
POSTED_PARAM = "comment_posted"
REPLY_PARAM = "replytocom"


def _int(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def discussion_options(article):
    """The article's comment options row (or None): dated by every change to its comments."""
    # One row at most (the article is its key): no ordering for first() to add.
    return next(iter(ArticleCommentOptions.objects.filter(pk=article.pk).order_by()[:1]), None)


def comment_section_context(article, request, options, form_token=None):
    """Everything the comments template shows, in a fixed number of queries. `options`
    is ``discussion_options(article)``; the form carries `form_token`, or one issued now."""
    settings = settings_for(article, request)
    openness = comments_open(article, settings, options)
    threads, count = approved_threads(article.pk)
    max_depth = max(1, settings.max_depth)
    replyable = {c.pk: c for c in walk(threads) if c.depth + 1 < max_depth and not c.is_mention}

    form = getattr(request, BOUND_FORM_ATTR, None) if request is not None else None
    if form is None or form.article.pk != article.pk:
        reply_to = _int(request.GET.get(REPLY_PARAM)) if request is not None else None
        form = CommentForm(
            article=article,
            settings=settings,
            initial={
                "form_token": form_token or issue_form_token(article.pk),
                "parent": reply_to if reply_to in replyable else None,
            },
        )
    else:
        # Re-rendered after an error: a fresh token, so sending again works.
        form.data = form.data.copy()
        form.data["form_token"] = issue_form_token(article.pk)
    parent_id = _int(form["parent"].value())
    posted = None
    if request is not None and request.GET.get(POSTED_PARAM):
        posted = read_posted_token(request.GET[POSTED_PARAM])
        # "Thank you: your comment is awaiting moderation" is for the poster only.
        http_cache.mark_private(request)

    return {
        "article": article,
        "threads": threads,
        "comment_count": count,
        "openness": openness,
        "settings": settings,
        "max_depth": max_depth,
        "replyable_ids": set(replyable),
        "form": form,
        "replying_to": replyable.get(parent_id),
        "form_action": reverse("byline_comments:post", args=[article.pk]),
        "posted_status": posted[1] if posted else None,
        "posted_comment_id": posted[0] if posted else None,
        "dates": DiscussionDates.of(options, openness, threads),
    }


@dataclass(frozen=True)
class DiscussionDates:
    """What HTTP caching needs to know of the discussion shown (``note``)."""

    changed_at: datetime | None
    newest: datetime | None
    closes_at: datetime | None
    expired: bool

    @classmethod
    def of(cls, options, openness, threads):
        return cls(
            changed_at=options.changed_at if options is not None else None,
            newest=max((comment.created_at for comment in walk(threads)), default=None),
            closes_at=openness.closes_at,
            expired=openness.reason == "expired",
        )

    def note(self, request, article_id, form_token):
        """Tell HTTP caching about the page's discussion.

        The form token is signed afresh on every render (its time is the start of the
        minimum fill time), so the ETag hashes a stand-in that changes every half
        token lifetime instead. Last-Modified counts the last change to the
        discussion (`ArticleCommentOptions.changed_at`, dated by every comment saved
        or deleted), the newest comment shown, and the moment comments closed by age.
        """
        if request is None:
            return
        epoch = int(time.time() // TOKEN_EPOCH_SECONDS)
        http_cache.note_volatile(request, form_token, f"form-token:{article_id}:{epoch}")
        closed_by_age = self.expired and self.closes_at <= timezone.now()
        http_cache.note_last_modified(
            request, self.changed_at, self.newest, self.closes_at if closed_by_age else None
        )


# A page revalidated (304) keeps the token it was first sent with, so its ETag
# changes every half token lifetime: a kept page never holds an expired form.
TOKEN_EPOCH_SECONDS = PAGE_FORM_MAX_AGE // 2

# The form token's place in the kept comments section (cms.kept_fragments).
FORM_TOKEN = "comment-form-token"


def render_comments_slot(context):
    """`register_template_slots` callable for "article_after_body"."""
    page = context.get("page")
    request = context.get("request")
    if not isinstance(page, ArticlePage) or page.pk is None:
        return ""
    options = discussion_options(page)
    if request is None or _shows_more_than_the_discussion(request):
        made = _rendered_section(page, request, options)
        made["dates"].note(request, page.pk, made["token"])
        return made["html"]
    # The same for every reader but its form token: named by the options row, which
    # every comment saved or deleted dates anew, however it was (a script too), and
    # which says whether an editor closed the discussion; kept until then, until it
    # closes by age (its closing time, served:<id>), or the comment settings change.
    settings = settings_for(page, request)
    closes_at = settings.closes_at(page)
    changed = (options.changed_at, options.comments_closed) if options is not None else None
    kept = keep(
        request,
        f"comments:{page.pk}",
        lambda: _rendered_section(page, request, options, form_token=stand_in(FORM_TOKEN)),
        keys=(f"page:{page.pk}", served_key(page.pk), object_key(settings)),
        depends_on=[str(changed), str(closes_at), stand_in(FORM_TOKEN)],
        until=closes_at.timestamp() if closes_at and closes_at > timezone.now() else None,
    )
    token = issue_form_token(page.pk)
    kept["dates"].note(request, page.pk, token)
    return kept["html"].replace(stand_in(FORM_TOKEN), token)


def _shows_more_than_the_discussion(request):
    """A reply being written, a thank-you after posting, a form sent back with errors."""
    return (
        REPLY_PARAM in request.GET
        or POSTED_PARAM in request.GET
        or getattr(request, BOUND_FORM_ATTR, None) is not None
    )


def _rendered_section(article, request, options, form_token=None):
    section = comment_section_context(article, request, options, form_token)
    html = render_to_string("byline_comments/comments.html", section, request=request)
    return {"html": html, "dates": section["dates"], "token": section["form"]["form_token"].value()}
