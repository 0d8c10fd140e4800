"""The comment form's POST endpoint (Post/Redirect/Get back to the article).

The form carries no CSRF token, so that article pages set no cookie and every
reader gets the same page from a CDN. Forged posts are refused all the same:
the browser's ``Origin`` (or, without one, ``Referer``) must name this site,
the check Django's CSRF middleware makes before it looks at its cookie, and a
page on another site cannot make a browser claim this one. Every post still
needs the signed form token of the page (bound to the article, at most a day
old, and timed for the minimum fill time). A forged post would carry no more
than an anonymous comment does anyway: the form takes no signed-in user.
"""

from urllib.parse import urlencode, urlsplit

from django.conf import settings as django_settings
from django.http import Http404
from django.shortcuts import redirect
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from news.models import ArticlePage

from .display import BOUND_FORM_ATTR, POSTED_PARAM
from .forms import MAX_ID, CommentForm
from .models import CommentStatus
from .services import CommentRefused, comments_open, submit_comment
from .submission import settings_for
from .tokens import posted_token


def _serve_article(article, request, status):
    """The article page as the reader saw it, with the form's errors and their text."""
    response = article.serve(request)
    response.status_code = status
    return response


CROSS_SITE_MESSAGE = (
    "This comment was not sent from a page of this site, so it was refused. "
    "If you wrote it here, please send it again."
)


def _origin_of(url):
    parts = urlsplit(url.strip())
    if not parts.scheme or not parts.netloc:
        return ""
    return f"{parts.scheme}://{parts.netloc}".lower()


def _site_origins(request):
    """The origins this site's own pages are served from."""
    return {
        f"{request.scheme}://{request.get_host()}".lower(),
        _origin_of(getattr(django_settings, "BYLINE_BASE_URL", "")),
        *(origin.rstrip("/").lower() for origin in django_settings.CSRF_TRUSTED_ORIGINS),
    } - {""}


def sent_from_this_site(request):
    """Whether the browser says the form was posted from one of this site's pages.

    Browsers send ``Origin`` with every POST; without it, ``Referer``. Without
    either, a plain-HTTP request is let through (as Django's CSRF middleware does,
    which there relies on the cookie; here the signed form token still applies),
    an HTTPS one is not.
    """
    origin = request.headers.get("Origin")
    if origin is not None:
        return _origin_of(origin) in _site_origins(request)
    referer = request.headers.get("Referer")
    if referer:
        return _origin_of(referer) in _site_origins(request)
    return not request.is_secure()


@csrf_exempt
@require_POST
def post_comment(request, article_id):
    article = None
    if article_id <= MAX_ID:
        article = ArticlePage.objects.visible().filter(pk=article_id).first()
    if article is None:
        raise Http404("No published article with this id takes comments.")
    settings = settings_for(article, request)
    form = CommentForm(request.POST, article=article, settings=settings)
    if not sent_from_this_site(request):
        # The page, with the text kept and the reason, for a reader whose browser
        # hid where the form was; nothing is stored.
        form.is_valid()
        form.add_error(None, CROSS_SITE_MESSAGE)
        setattr(request, BOUND_FORM_ATTR, form)
        return _serve_article(article, request, 403)
    if not comments_open(article, settings).open:
        # The page explains that comments are closed.
        return _serve_article(article, request, 403)
    if not form.is_valid():
        setattr(request, BOUND_FORM_ATTR, form)
        return _serve_article(article, request, 400)
    try:
        comment = submit_comment(
            article,
            {**form.cleaned_data, "parent_comment": form.parent_comment},
            request,
            settings=settings,
            channel="form",
            form_issued_at=form.form_issued_at,
        )
    except CommentRefused as refused:
        # Nothing stored: the page again, with the text kept and the reason.
        form.add_error(None, refused.message)
        setattr(request, BOUND_FORM_ATTR, form)
        response = _serve_article(article, request, refused.status)
        response["Retry-After"] = str(refused.retry_after)
        return response
    # Spam is answered like a held comment: no hint for whoever sends it.
    shown = "approved" if comment.status == CommentStatus.APPROVED else "pending"
    anchor = f"comment-{comment.pk}" if shown == "approved" else "comments"
    query = urlencode({POSTED_PARAM: posted_token(comment, shown)})
    return redirect(f"{article.get_url(request)}?{query}#{anchor}")
