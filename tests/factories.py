"""Content factories for tests: small functions that build real pages and snippets."""

import io
import itertools

from django.core.files.images import ImageFile
from django.utils import timezone
from PIL import Image as PILImage
from wagtail.models import Page

from authors.models import Author
from home.models import HomePage
from news.models import ArticleAuthor, ArticlePage, NewsImage, NewsIndexPage

_counter = itertools.count(1)


def make_image(title="Test image", *, width=1600, height=900, colour=(40, 90, 140), **fields):
    buffer = io.BytesIO()
    PILImage.new("RGB", (width, height), colour).save(buffer, format="JPEG")
    n = next(_counter)
    image = NewsImage(title=title, file=ImageFile(buffer, name=f"test-{n}.jpg"), **fields)
    image.save()
    return image


def home_page():
    return HomePage.objects.get(depth=2)


def make_section(title="World", *, parent=None, **fields):
    parent = parent or home_page()
    section = NewsIndexPage(title=title, **fields)
    parent.add_child(instance=section)
    return section


def make_author(name="Ada Reporter", **fields):
    fields.setdefault("role", "Reporter")
    fields.setdefault("short_bio", f"{name} covers the city for the Courier.")
    return Author.objects.create(name=name, **fields)


def make_article(section=None, *, title=None, authors=(), tags=(), body=(), publish=True, **fields):
    section = section or NewsIndexPage.objects.first() or make_section()
    n = next(_counter)
    fields.setdefault("standfirst", f"Standfirst of article {n}.")
    fields.setdefault("publication_date", timezone.now())
    article = ArticlePage(
        title=title or f"Article {n}",
        body=list(body),
        live=publish,
        article_authors=[
            ArticleAuthor(author=author, sort_order=position)
            for position, author in enumerate(authors)
        ],
        **fields,
    )
    if tags:
        article.tags.add(*tags)
    section.add_child(instance=article)
    if publish:
        article.save_revision().publish()
    return ArticlePage.objects.get(pk=article.pk)


__all__ = ["Page", "make_article", "make_author", "make_image", "make_section", "home_page"]
