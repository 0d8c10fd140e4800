from django.shortcuts import render

from news.models import ArticlePage

from .blocks import fact_checks_of

RECENT_ARTICLES = 200


def overview(request):
    """Admin page: recent articles that rate claims, with their ratings."""
    articles = ArticlePage.objects.order_by("-publication_date")[:RECENT_ARTICLES]
    rows = [(article, fact_checks_of(article)) for article in articles]
    return render(
        request,
        "byline_factcheck/admin/overview.html",
        {"rows": [(article, checks) for article, checks in rows if checks]},
    )
