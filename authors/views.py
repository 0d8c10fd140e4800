"""The public list of authors (each author's own page is the news app's author archive)."""

from django.shortcuts import render

from cms.visibility import visible_snippets

from .models import Author


def author_list(request):
    authors = visible_snippets(
        Author.objects.select_related("portrait").prefetch_related("portrait__renditions")
    )
    return render(
        request, "authors/author_list.html", {"authors": authors, "page_title": "Our journalists"}
    )
