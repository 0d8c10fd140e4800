"""Content and clients for the API test modules (tests/test_api_*.py)."""

import datetime
import uuid

from django.utils import timezone
from wagtail.models import APIToken

from tests.factories import make_article, make_author, make_embed, make_image, make_section

IMAGE_SIZE = {"width": 160, "height": 90}


def small_image(title="Picture", **fields):
    """Images smaller than every rendition width keep the tests fast."""
    return make_image(title, **IMAGE_SIZE, **fields)


def rich_author(name="Ada Reporter", **fields):
    fields.setdefault("long_bio", "<p>Ada has covered <b>the city</b> since 2010.</p>")
    fields.setdefault(
        "portrait", small_image(f"Portrait of {name}", description=f"{name}, smiling")
    )
    fields.setdefault(
        "profile_links",
        [{"type": "link", "value": {"service": "mastodon", "url": "https://social.example/@ada"}}],
    )
    fields.setdefault("email", f"{uuid.uuid4().hex[:8]}@private.example")
    return make_author(name, **fields)


def block(block_type, value):
    return {"type": block_type, "value": value, "id": str(uuid.uuid4())}


def full_body(*, images=(), related=None, embed_url=None):
    """A body with one block of each core type (image blocks for each image given)."""
    body = [
        block("paragraph", '<p>The <a href="https://example.org/">council</a> met.</p>'),
        block("heading", {"text": "What happens next", "level": "h3"}),
        block(
            "quotation",
            {
                "quote": "We will reopen the bridge.",
                "attribution": "Mara Okafor",
                "source": "",
                "source_url": "",
            },
        ),
        block("pull_quote", {"text": "Nobody expected it.", "attribution": ""}),
        block("list", {"style": "ordered", "items": ["Roads closed", "Schools open"]}),
        block(
            "table",
            {
                "data": [["Year", "Votes"], ["2023", "7"]],
                "first_row_is_table_header": True,
                "table_caption": "Votes by year",
            },
        ),
        block("fact_box", {"title": "Key facts", "body": "<p>The bridge is 200 m long.</p>"}),
    ]
    for image in images:
        body.append(
            block(
                "image",
                {
                    "image": image.pk,
                    "caption": "",
                    "credit": "",
                    "alt_text": "",
                    "alignment": "wide",
                },
            )
        )
    if related is not None:
        body.append(block("related_article", {"article": related.pk, "label": ""}))
    if embed_url is not None:
        body.append(block("embed", {"embed": embed_url, "caption": "The vote"}))
    return body


def newsroom(*, articles=3, authors_per_article=1, tags_per_article=1, images_per_article=1):
    """A section with ``articles`` full articles, newest first, and their authors."""
    section = make_section("World", slug="world")
    authors = [rich_author(f"Author {n}") for n in range(authors_per_article)]
    now = timezone.now()
    made = []
    for n in range(articles):
        images = [small_image(f"Body image {n}.{i}") for i in range(images_per_article)]
        made.append(
            make_article(
                section,
                title=f"Story {n}",
                authors=authors,
                tags=[f"topic-{t}" for t in range(tags_per_article)],
                body=full_body(images=images),
                lead_image=small_image(f"Lead {n}", description=f"Lead alt {n}"),
                publication_date=now - datetime.timedelta(hours=n),
            )
        )
    return section, authors, made


def build_story():
    """One article using every field: two authors, tags, a lead image, every block."""
    section = make_section("Science", slug="science")
    earlier = make_article(section, title="The earlier story")
    embed = make_embed()
    lead = small_image("Bridge", description="The bridge at dawn", default_caption="Dawn")
    body_image = small_image("Crowd", description="A crowd", credit="Jo Snap/Byline")
    body = full_body(images=[body_image], related=earlier, embed_url=embed.url)
    body.insert(1, block("paragraph", page_link(earlier)))
    ada = rich_author("Ada Reporter", role="Science editor")
    ben = rich_author("Ben Writer", profile_links=[])
    article = make_article(
        section,
        title="The bridge reopens",
        standfirst="After two years, traffic flows again.",
        authors=[ada, ben],
        tags=["Bridges", "Transport"],
        body=body,
        lead_image=lead,
        lead_image_credit="Sam Lens/Byline",
    )
    return {
        "article": article,
        "section": section,
        "earlier": earlier,
        "authors": [ada, ben],
        "lead": lead,
        "body_image": body_image,
    }


def build_catalogue():
    """Articles in two sections with tags, authors and dates to filter on."""
    world = make_section("World", slug="world")
    sport = make_section("Sport", slug="sport")
    ada, ben = rich_author("Ada Reporter"), rich_author("Ben Writer")
    day = timezone.make_aware(datetime.datetime(2024, 1, 15, 12))
    made = {
        "harbour": make_article(
            world,
            title="Harbour dredging plan agreed",
            authors=[ada],
            tags=["harbour", "council"],
            publication_date=day,
        ),
        "election": make_article(
            world,
            title="Council election called",
            authors=[ben],
            tags=["council"],
            publication_date=day + datetime.timedelta(days=30),
        ),
        "final": make_article(
            sport,
            title="Cup final tonight",
            authors=[ada, ben],
            tags=["football"],
            publication_date=day + datetime.timedelta(days=60),
        ),
    }
    made["sections"] = (world, sport)
    return made


FILTER_CASES = [
    ("section=world", ["election", "harbour"]),
    ("section={world_id}", ["election", "harbour"]),
    ("section=nowhere", []),
    ("tag=council", ["election", "harbour"]),
    ("tag=harbour,football", ["final", "harbour"]),
    ("tag=harbour&tag=football", ["final", "harbour"]),
    ("author=ada-reporter", ["final", "harbour"]),
    ("author=ben-writer&section=sport", ["final"]),
    ("published_after=2024-02-01", ["final", "election"]),
    ("published_before=2024-02-01", ["harbour"]),
    ("published_after=2024-01-01&published_before=2024-02-01", ["harbour"]),
    ("published_after=2024-02-14T12:00:00%2B00:00", ["final", "election"]),
    ("search=dredging", ["harbour"]),
    ("search=dredging&section=world&tag=council", ["harbour"]),
    ("order=title", ["election", "final", "harbour"]),
    ("order=-title", ["harbour", "final", "election"]),
    ("", ["final", "election", "harbour"]),
]


def expected_ids(catalogue, names):
    return [catalogue[name].pk for name in names]


def page_link(page, text="the earlier story"):
    """Rich text as stored: an internal link in Wagtail's database format."""
    return f'<p>See <a linktype="page" id="{page.pk}">{text}</a>.</p>'


def token_for(user):
    """A bearer token (its plain key) for ``user``."""
    _token, key = APIToken.create_token(user=user, name=f"test-{uuid.uuid4().hex[:6]}")
    return key
