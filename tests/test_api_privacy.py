"""Privacy: what is not public never appears in either API version.

Each case makes one private article (with its own lead image and tag) next to
a public article that links to it, then looks for the private article, its
image and its tag everywhere: listings, details, find, search, the images and
tags endpoints, author counts and the public article's related-article block.
"""

import datetime

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.utils import timezone
from wagtail.models import PageViewRestriction

from tests.api_support import block, rich_author, small_image
from tests.factories import make_article, make_section

pytestmark = pytest.mark.django_db

PAST = datetime.timedelta(hours=1)


def restrict(page, restriction_type, **fields):
    restriction = PageViewRestriction.objects.create(
        page=page, restriction_type=restriction_type, **fields
    )
    if restriction_type == PageViewRestriction.GROUPS:
        restriction.groups.set([Group.objects.create(name="Subscribers")])


def draft(private, section):
    private.live = False
    private.save()


def unpublished(private, section):
    private.unpublish()


def expiry_passed(private, section):
    # Expired a minute ago; the scheduled-publishing command has not run yet.
    private.expire_at = timezone.now() - PAST
    private.save_revision().publish()
    private.expire_at = timezone.now() - PAST
    private.save(update_fields=["expire_at"])


def expired(private, section):
    expiry_passed(private, section)
    call_command("publish_scheduled")
    private.refresh_from_db()
    assert private.expired and not private.live


def password_restricted(private, section):
    restrict(private, PageViewRestriction.PASSWORD, password="secret")


def login_restricted_section(private, section):
    restrict(section, PageViewRestriction.LOGIN)


def group_restricted(private, section):
    restrict(private, PageViewRestriction.GROUPS)


CASES = [
    draft,
    unpublished,
    expiry_passed,
    expired,
    password_restricted,
    login_restricted_section,
    group_restricted,
]


def make_private_newsroom():
    """One private article per case, each in its own section with its own tag and
    lead image, and a public article linking to all of them."""
    author = rich_author("Ada Reporter")
    private = {}
    for case in CASES:
        slug = case.__name__.replace("_", "-")
        section = make_section(f"Desk {slug}", slug=slug)
        article = make_article(
            section,
            title=f"Private story {slug}",
            standfirst="Embargoed until Monday.",
            authors=[author],
            tags=[f"embargoed-{slug}"],
            lead_image=small_image(f"Private lead {slug}", description="Embargoed photo"),
        )
        private[case] = (article, section)
    public = make_article(
        make_section("World", slug="world"),
        title="Public story",
        authors=[author],
        tags=["open"],
        body=[
            block("related_article", {"article": article.pk, "label": ""})
            for article, _section in private.values()
        ],
        lead_image=small_image("Public lead"),
    )
    for case, (article, section) in private.items():
        case(article, section)
    return private, public, author


def ids(items):
    return {item["id"] for item in items}


def test_private_articles_never_appear(client):
    private, public, author = make_private_newsroom()

    def get(url, status=200):
        response = client.get(url)
        assert response.status_code == status, (url, response.status_code, response.content[:300])
        return response.json() if status == 200 else response

    listings = [
        "/api/v2/pages/",
        "/api/v2/pages/?type=news.ArticlePage&fields=*",
        "/api/v2/articles/",
        "/api/v2/pages/?search=Private",
        "/api/v2/articles/?search=Embargoed",
        "/api/v3/pages/",
        "/api/v3/pages/?type=news.ArticlePage",
        "/api/v3/pages/?search=Private",
        "/api/v3/articles/",
        "/api/v3/articles/?search=Embargoed",
    ]
    seen = set()
    for url in listings:
        seen |= ids(get(url)["items"])
    images = set()
    for url in ["/api/v2/images/", "/api/v3/images/", "/api/v2/images/?search=Private"]:
        images |= ids(get(url)["items"])
    tags = {tag["name"] for url in ["/api/v2/tags/", "/api/v3/tags/"] for tag in get(url)["items"]}
    assert public.pk in seen and public.lead_image_id in images and tags == {"open"}

    for case, (article, section) in private.items():
        name, pid, slug = case.__name__, article.pk, section.slug
        # Listings, search and section filters.
        assert pid not in seen, name
        for url in [f"/api/v2/articles/?section={slug}", f"/api/v3/articles/?section={slug}"]:
            assert get(url)["items"] == [], (name, url)
        # Details and find.
        for url in [
            f"/api/v2/pages/{pid}/",
            f"/api/v2/articles/{pid}/",
            f"/api/v3/pages/{pid}/",
            f"/api/v3/articles/{pid}/",
            f"/api/v2/pages/find/?id={pid}",
            f"/api/v3/pages/find/?id={pid}",
            f"/api/v2/pages/find/?html_path={article.url}",
            f"/api/v3/pages/find/?html_path={article.url}",
            f"/api/v2/images/{article.lead_image_id}/",
            f"/api/v3/images/{article.lead_image_id}/",
        ]:
            get(url, status=404)
        get(f"/api/v2/pages/?child_of={pid}", status=400)
        # Its image and its tag.
        assert article.lead_image_id not in images, name
        assert get(f"/api/v2/articles/?tag=embargoed-{slug}")["items"] == [], name

    # Embedded references: the public article's links and the author's count.
    for url in [f"/api/v2/pages/{public.pk}/", f"/api/v3/pages/{public.pk}/"]:
        data = get(url)
        assert [item["value"] for item in data["body"]] == [None] * len(CASES), url
        assert "Private story" not in str(data)
    for url in [f"/api/v2/authors/{author.pk}/", f"/api/v3/authors/{author.pk}/"]:
        assert get(url)["article_count"] == 1, url


def test_unpublished_changes_stay_private(client):
    article = make_article(title="Bridge reopens", standfirst="Traffic flows again.")
    article.title = "SECRET DRAFT HEADLINE"
    article.standfirst = "Not yet."
    article.save_revision()
    for url in [
        f"/api/v2/pages/{article.pk}/",
        f"/api/v3/pages/{article.pk}/",
        f"/api/v3/pages/{article.pk}/?version=draft",
        "/api/v3/articles/",
    ]:
        content = client.get(url).content.decode()
        assert "Bridge reopens" in content and "SECRET" not in content, url


def test_an_unpublished_section_is_not_embedded(client):
    section = make_section("Hidden desk", slug="hidden-desk")
    article = make_article(section, title="Visible story")
    section.unpublish()
    for url in [f"/api/v2/pages/{article.pk}/", f"/api/v3/pages/{article.pk}/"]:
        data = client.get(url).json()
        assert data["section"] is None and "Hidden desk" not in str(data["section"]), url


def test_images_nothing_public_uses_are_hidden(client):
    unused = small_image("Unused upload")
    for url in ["/api/v2/images/", "/api/v3/images/"]:
        assert unused.pk not in ids(client.get(url).json()["items"])
    assert client.get(f"/api/v2/images/{unused.pk}/").status_code == 404
