"""Reader views that are not Wagtail pages: tag and author archives, and search."""

from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from taggit.models import Tag

from cms.visibility import visible_snippets

from . import seo
from .forms import SearchForm
from .models import ArticlePage
from .models.pages import paginate, visible_sections
from .search import kept_search, max_results, search_terms


def tag_detail(request, slug):
    tag = get_object_or_404(Tag, slug=slug)
    articles = paginate(
        request,
        ArticlePage.objects.filter(tags=tag).for_listing(),
        listing=f"listing:tag:{tag.slug}",
    )
    if not articles.paginator.count:
        # The tag is on no article readers may see now (or on none at all):
        # its page would only tell that such articles exist.
        raise Http404("No articles with this tag")
    return render(
        request,
        "news/tag_page.html",
        {
            "tag": tag,
            "articles": articles,
            "page_title": f"Articles tagged “{tag.name}”",
            "seo": seo.tag_metadata(tag, request, articles),
        },
    )


def author_archive(request, slug):
    """An author's page: who they are, then their articles (the archive lives with the articles)."""
    from authors.models import Author

    author = get_object_or_404(
        visible_snippets(
            Author.objects.select_related("portrait").prefetch_related("portrait__renditions")
        ),
        slug=slug,
    )
    articles = paginate(
        request,
        ArticlePage.objects.filter(article_authors__author=author).for_listing(),
        listing=f"listing:author:{author.slug}",
    )
    return render(
        request,
        "news/author_page.html",
        {
            "author": author,
            "articles": articles,
            "page_title": author.name,
            "seo": seo.author_metadata(author, request, articles),
        },
    )


SEARCH_RESULTS_PER_PAGE = 20


def search(request):
    """The search page: /search/?q=words&section=slug&author=slug&tag=slug&order=date."""
    sections = visible_sections()
    form = SearchForm(request.GET or None, sections=sections)
    results = None
    many_results = False
    query = ""
    data = {}
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        query = data["q"]
        if search_terms(query):
            matches = kept_search(
                query,
                section=data["section"],
                author=data["author"],
                tag=data["tag"],
                order=data["order"],
            )
            results = paginate(request, matches, per_page=SEARCH_RESULTS_PER_PAGE)
            # More matched than a search returns: the newest that many are shown.
            many_results = results.paginator.count >= max_results()
    title = f"Search results for “{query}”" if results is not None else "Search"
    seo_metadata = seo.listing_metadata(
        request,
        title,
        f"Search the articles of {seo.site_name()}.",
        reverse("search"),
        robots="noindex, follow",
    )
    context = {
        "form": form,
        "search_query": query,
        "results": results,
        "many_results": many_results,
        "author_filter": data.get("author"),
        "tag_filter": data.get("tag"),
        "pagination_query": form.query_string() if results is not None else "",
        "page_title": title,
        "seo": seo_metadata,
    }
    return render(request, "news/search_page.html", context, status=400 if form.errors else 200)
