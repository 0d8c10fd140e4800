"""The "article_after_body" slot: comment count, threads, and the reply form."""

import time

from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from cms import http_cache
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


def comment_section_context(article, request):
    """Everything the comments template shows, in a fixed number of queries."""
    settings = settings_for(article, request)
    options = ArticleCommentOptions.objects.filter(article_id=article.pk).first()
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
                "form_token": issue_form_token(article.pk),
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
    _date_for_http_caching(request, article, form, options, openness, threads)

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
    }


# A page revalidated (304) keeps the token it was first sent with, so its ETag
# changes every half token lifetime: a kept page never holds an expired form.
TOKEN_EPOCH_SECONDS = PAGE_FORM_MAX_AGE // 2


def _date_for_http_caching(request, article, form, options, openness, threads):
    """What HTTP caching needs to know about the discussion on the article page.

    The form token is signed afresh on every render (its time is the start of the
    minimum fill time), so the ETag hashes a stand-in that changes every half
    token lifetime instead. Last-Modified counts the last change to the
    discussion (`ArticleCommentOptions.changed_at`, dated by every comment saved
    or deleted), the newest comment shown, and the moment comments closed by age.
    """
    if request is None:
        return
    epoch = int(time.time() // TOKEN_EPOCH_SECONDS)
    http_cache.note_volatile(
        request, form["form_token"].value(), f"form-token:{article.pk}:{epoch}"
    )
    newest = max((comment.created_at for comment in walk(threads)), default=None)
    closed_by_age = openness.reason == "expired" and openness.closes_at <= timezone.now()
    http_cache.note_last_modified(
        request,
        options.changed_at if options is not None else None,
        newest,
        openness.closes_at if closed_by_age else None,
    )


def render_comments_slot(context):
    """`register_template_slots` callable for "article_after_body"."""
    page = context.get("page")
    request = context.get("request")
    if not isinstance(page, ArticlePage) or page.pk is None:
        return ""
    return render_to_string(
        "byline_comments/comments.html", comment_section_context(page, request), request=request
    )
