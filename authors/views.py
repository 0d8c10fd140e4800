"""Public author pages."""

from django.shortcuts import get_object_or_404, render

from news.models import ArticlePage
from news.models.pages import attach_sections, paginate
from news.seo import author_metadata

from .models import Author


def author_list(request):
    authors = Author.objects.select_related("portrait").prefetch_related("portrait__renditions")
    return render(
        request, "authors/author_list.html", {"authors": authors, "page_title": "Our journalists"}
    )


def author_detail(request, slug):
    author = get_object_or_404(
        Author.objects.select_related("portrait").prefetch_related("portrait__renditions"),
        slug=slug,
    )
    articles = paginate(
        request, ArticlePage.objects.filter(article_authors__author=author).for_listing()
    )
    attach_sections(articles.object_list)
    return render(
        request,
        "authors/author_page.html",
        {
            "author": author,
            "articles": articles,
            "page_title": author.name,
            "seo": author_metadata(author, request, articles),
        },
    )
