"""Reader views that are not Wagtail pages: tag listings."""

from django.shortcuts import get_object_or_404, render
from taggit.models import Tag

from .models import ArticlePage
from .models.pages import attach_sections, paginate


def tag_detail(request, slug):
    tag = get_object_or_404(Tag, slug=slug)
    articles = paginate(request, ArticlePage.objects.filter(tags=tag).for_listing())
    attach_sections(articles.object_list)
    return render(
        request,
        "news/tag_page.html",
        {"tag": tag, "articles": articles, "page_title": f"Articles tagged “{tag.name}”"},
    )
