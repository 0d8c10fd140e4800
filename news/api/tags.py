"""Tags in the API: the ones public articles carry, with their article counts."""

from django.db.models import Count
from django.urls import reverse
from taggit.models import Tag

from cms.api.fields import ComputedField
from cms.api.visibility import public_pages
from cms.public_address import public_url


def public_tags(request=None):
    """Tags of public articles, by name; a tag only drafts carry stays hidden."""
    from ..models import ArticlePage, ArticlePageTag

    articles = public_pages(request, ArticlePage).values("pk")
    used = ArticlePageTag.objects.filter(content_object__in=articles).values("tag_id")
    return Tag.objects.filter(pk__in=used).order_by("name", "pk")


def tag_html_url(tag) -> str:
    return public_url(reverse("tag_detail", kwargs={"slug": tag.slug}))


def tag_article_count(tag) -> int:
    if not hasattr(tag, "public_article_count"):
        prefetch_article_counts([tag])
    return tag.public_article_count


def prefetch_article_counts(tags):
    """Count each tag's public articles with one query for all of them."""
    from ..models import ArticlePage, ArticlePageTag

    counts = dict(
        ArticlePageTag.objects.filter(
            tag__in=[tag.pk for tag in tags],
            content_object__in=public_pages(model=ArticlePage).values("pk"),
        )
        .values("tag")
        .annotate(articles=Count("content_object", distinct=True))
        .values_list("tag", "articles")
    )
    for tag in tags:
        tag.public_article_count = counts.get(tag.pk, 0)


TAG_API_FIELDS = [
    ComputedField("html_url", tag_html_url, str, description="The tag's page on the site."),
    ComputedField(
        "article_count",
        tag_article_count,
        int,
        prefetch=prefetch_article_counts,
        description="How many public articles carry the tag.",
    ),
]
