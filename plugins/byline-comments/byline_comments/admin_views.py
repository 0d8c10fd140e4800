"""Admin views beside the moderation queue: reply as the editor, open or close an article."""

from django import forms
from django.contrib.admin.utils import quote
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from wagtail.admin import messages

from news.models import ArticlePage

from .forms import MAX_BODY_LENGTH, MAX_ID
from .models import ArticleCommentOptions, Comment, CommentStatus
from .moderation import CommentPermissionPolicy, queue_url
from .services import comments_open, reply_as_editor, set_comments_closed
from .submission import settings_for

policy = CommentPermissionPolicy(Comment)


def _require(request, action, object_id):
    if not policy.user_has_permission(request.user, action):
        raise PermissionDenied
    if object_id > MAX_ID:
        raise Http404


class EditorReplyForm(forms.Form):
    body = forms.CharField(
        label="Your reply",
        max_length=MAX_BODY_LENGTH,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="Published at once under your name, marked as from an editor.",
    )
    approve_parent = forms.BooleanField(
        label="Approve the comment you are answering", required=False, initial=True
    )


def reply(request, comment_id):
    _require(request, "change", comment_id)
    comment = get_object_or_404(Comment.objects.select_related("article"), pk=comment_id)
    form = EditorReplyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        answer = reply_as_editor(
            comment,
            request.user,
            form.cleaned_data["body"],
            approve_parent=form.cleaned_data["approve_parent"],
        )
        messages.success(request, f"Your reply to {comment.author_name} is published.")
        return redirect(
            reverse("byline_comments_comment:edit", args=[quote(answer.pk)])
            if request.POST.get("next") == "reply"
            else queue_url(article=comment.article_id)
        )
    return TemplateResponse(
        request,
        "byline_comments/admin/reply.html",
        {"comment": comment, "form": form, "queue_url": queue_url(article=comment.article_id)},
    )


def article_comments(request, article_id):
    """Open or close comments on one article, and see where its comments stand."""
    _require(request, "change", article_id)
    article = get_object_or_404(ArticlePage, pk=article_id)
    if request.method == "POST":
        closed = request.POST.get("comments_closed") == "1"
        set_comments_closed(article, closed)
        messages.success(
            request, f"Comments on “{article.title}” are now {'closed' if closed else 'open'}."
        )
        return redirect(reverse("byline_comments_admin:article", args=[article.pk]))
    options = ArticleCommentOptions.objects.filter(article_id=article.pk).first()
    settings = settings_for(article, request)
    counts = {
        status: Comment.objects.filter(article_id=article.pk, status=status).count()
        for status in CommentStatus.values
    }
    return TemplateResponse(
        request,
        "byline_comments/admin/article.html",
        {
            "article": article,
            "closed_by_editor": bool(options and options.comments_closed),
            "openness": comments_open(article, settings, options),
            "counts": [
                (CommentStatus(s).label, n, queue_url(article=article.pk, status=s))
                for s, n in counts.items()
            ],
            "queue_url": queue_url(article=article.pk),
        },
    )
