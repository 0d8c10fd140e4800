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


def make_embed(url="https://video.example/watch/harbour-tour", *, title="Harbour tour"):
    """Store the oEmbed answer for `url`, so rendering it never touches the network."""
    from wagtail.embeds.embeds import get_embed_hash
    from wagtail.embeds.models import Embed

    return Embed.objects.create(
        url=url,
        hash=get_embed_hash(url),
        type="video",
        html=f'<iframe title="{title}" src="{url}/player" width="640" height="360"></iframe>',
        title=title,
        provider_name="Video Example",
        width=640,
        height=360,
    )


def body_with_every_block(
    *, image, related_article, embed_url="https://video.example/watch/harbour-tour"
):
    """An article body that uses every core block type once, in this order."""
    return [
        (
            "paragraph",
            "<p>The harbour board met on <b>Tuesday</b> to settle the dredging plan.</p>",
        ),
        ("heading", {"text": "What the board decided", "level": "h2"}),
        (
            "quotation",
            {
                "quote": "We dredge in spring or we lose the autumn sailings.",
                "attribution": "Edda Morrow, harbour master",
                "source": "Board minutes",
                "source_url": "https://harbour.example/minutes",
            },
        ),
        ("pull_quote", {"text": "Spring or nothing.", "attribution": "Edda Morrow"}),
        (
            "image",
            {"image": image, "caption": "", "credit": "", "alt_text": "", "alignment": "wide"},
        ),
        ("embed", {"embed": embed_url, "caption": "A tour of the harbour works"}),
        ("heading", {"text": "The cost", "level": "h3"}),
        ("list", {"style": "ordered", "items": ["Survey the channel", "Dredge the berth"]}),
        (
            "table",
            {
                "data": [["Year", "Cost"], ["2022", "£1.2m"], ["2023", "£1.9m"]],
                "first_row_is_table_header": True,
                "first_col_is_header": False,
                "table_caption": "Dredging costs by year",
            },
        ),
        (
            "fact_box",
            {"title": "The harbour in numbers", "body": "<p>Four berths, one channel.</p>"},
        ),
        ("related_article", {"article": related_article, "label": ""}),
    ]


__all__ = [
    "Page",
    "body_with_every_block",
    "home_page",
    "make_article",
    "make_author",
    "make_embed",
    "make_image",
    "make_section",
]


def make_member(group_name, username=None):
    """A user in one of the newsroom's groups (Writer, Editor, Moderator), named after it."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    user = get_user_model().objects.create_user(
        username=username or group_name.lower(),
        password="pass-1234-word",
        first_name=group_name,
        last_name="Person",
        email=f"{(username or group_name).lower()}@example.com",
    )
    user.groups.add(Group.objects.get(name=group_name))
    return user
