"""The comment form's POST endpoint (Post/Redirect/Get back to the article)."""

from urllib.parse import urlencode

from django.http import Http404
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from news.models import ArticlePage

from .display import BOUND_FORM_ATTR, POSTED_PARAM
from .forms import MAX_ID, CommentForm
from .models import CommentStatus
from .services import comments_open, submit_comment
from .submission import settings_for
from .tokens import posted_token


def _serve_article(article, request, status):
    """The article page as the reader saw it, with the form's errors and their text."""
    response = article.serve(request)
    response.status_code = status
    return response


@require_POST
def post_comment(request, article_id):
    article = None
    if article_id <= MAX_ID:
        article = ArticlePage.objects.visible().filter(pk=article_id).first()
    if article is None:
        raise Http404("No published article with this id takes comments.")
    settings = settings_for(article, request)
    form = CommentForm(request.POST, article=article, settings=settings)
    if not comments_open(article, settings).open:
        # The page explains that comments are closed.
        return _serve_article(article, request, 403)
    if not form.is_valid():
        setattr(request, BOUND_FORM_ATTR, form)
        return _serve_article(article, request, 400)
    comment = submit_comment(
        article,
        {**form.cleaned_data, "parent_comment": form.parent_comment},
        request,
        settings=settings,
        channel="form",
        form_issued_at=form.form_issued_at,
    )
    # Spam is answered like a held comment: no hint for whoever sends it.
    shown = "approved" if comment.status == CommentStatus.APPROVED else "pending"
    anchor = f"comment-{comment.pk}" if shown == "approved" else "comments"
    query = urlencode({POSTED_PARAM: posted_token(comment, shown)})
    return redirect(f"{article.get_url(request)}?{query}#{anchor}")
