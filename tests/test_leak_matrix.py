"""Leak matrix: nothing readers may not see now shows on any surface, to anyone.

One newsroom is built per module (rolled back afterwards): a public article and
one hidden item per state readers may not see (`HIDDEN_STATES`), plus an image
and a document in a private collection that only hidden content uses. Every
hidden item carries its own unique secret words (in its title, standfirst, body,
tag, comment, slug or file name). The public article links to each hidden one
from rich text and from a related-article block.

Each identity (`IDENTITIES`) then requests every surface (`surfaces()`): HTML
pages, archives, search, feeds, sitemaps, both APIs, images, documents,
comments and site data. A *probe* is one secret looked for in one response
(its body and headers); a secret that is part of the request URL is not looked
for there, as the requester knows it already. `PROBES` counts them; the last
test asserts the count stays above `PROBE_FLOOR`, so a shrinking matrix fails.
"""

import datetime
import io
import uuid

import pytest
from django.contrib.auth.models import Group, User
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.core.files.images import ImageFile
from django.db import transaction
from django.test import Client
from django.utils import timezone
from PIL import Image as PILImage
from wagtail.documents import get_document_model
from wagtail.models import APIToken, Collection, CollectionViewRestriction, PageViewRestriction

from news.models import ArticlePage, NewsImage
from tests.api_support import block, token_for
from tests.comment_support import make_comment
from tests.factories import make_article, make_author, make_section

pytestmark = pytest.mark.django_db

# The states a page can be in that readers may not see now, plus one that they may
# see but whose pending edit they may not ("pending").
HIDDEN_STATES = [
    "draft",  # never published
    "pending",  # live, with an unpublished edit: the secrets are only in the draft
    "password",  # password view restriction
    "login",  # login view restriction
    "groups",  # group view restriction
    "scheduled",  # go-live time ahead, not live
    "expired",  # expiry time passed, the row still says live
    "future",  # live row, publication date ahead
]
# Private files: an image and a document in a collection with a view restriction.
FILE_ITEMS = ["image", "document"]

WORD = "lanternfish"  # in every article, public and hidden: what searches look for
SECTION = "matrix"
SHARED_TAG = "matrix-shared"
# In the public article's title and slug: proof that a surface rendered it.
PUBLIC_MARK = "openmarkerzz"
PROBES = {"count": 0, "requests": 0, "identities": set()}
# The matrix as built makes 16,966 probes ((response, secret) pairs) in 1,012 requests;
# fewer than this floor means surfaces, identities or secrets went missing.
PROBE_FLOOR = 16_000

_RUN = uuid.uuid4().hex[:6]


def secret(name):
    """Words that appear nowhere but in the hidden item `name` (content: title, body, ...)."""
    return f"qz{name}{_RUN}qz"


def slug_secret(name):
    """The hidden article's slug: its URL. Distinct from `secret(name)`, so a
    request for the URL does not excuse the content."""
    return f"pz{name}{_RUN}pz"


ALL_SECRETS = [secret(name) for name in HIDDEN_STATES + FILE_ITEMS] + [
    slug_secret(name) for name in HIDDEN_STATES if name != "pending"
]


# The newsroom ---------------------------------------------------------------------------------


def _private_image(collection):
    buffer = io.BytesIO()
    PILImage.new("RGB", (160, 90), (90, 40, 40)).save(buffer, format="JPEG")
    image = NewsImage(
        title=f"Photo {secret('image')}",
        description=f"Alt {secret('image')}",
        file=ImageFile(buffer, name=f"{secret('image')}.jpg"),
        collection=collection,
    )
    image.save()
    return image


def _private_document(collection):
    document = get_document_model()(
        title=f"Papers {secret('document')}",
        # The file's content is its slug-style secret, so that serving the file (whose URL
        # names the content secret) is still caught.
        file=ContentFile(
            f"Minutes {slug_secret('document')}".encode(), f"{secret('document')}.txt"
        ),
        collection=collection,
    )
    document.save()
    return document


def _hidden_article(state, section, author, *, now, lead_image=None, body=()):
    words = secret(state)
    fields = {
        "title": f"Story {words}",
        "slug": slug_secret(state),
        "standfirst": f"The {WORD} standfirst {words}.",
        "authors": [author],
        "tags": [SHARED_TAG, f"tag {words}"],
        "body": [
            block("paragraph", f"<p>The {WORD} body {words}.</p>"),
            *body,
        ],
        "publication_date": now - datetime.timedelta(hours=1),
        "lead_image": lead_image,
    }
    if state == "draft":
        return make_article(section, publish=False, **fields)
    if state == "pending":
        # Published without the secrets; the secrets (a new title, slug, tag, body and
        # lead image) are in a later revision that is not published.
        live = make_article(
            section,
            title="Pending story",
            slug="pending-story",
            standfirst=f"The {WORD} live standfirst.",
            authors=[author],
            tags=[SHARED_TAG],
            body=[block("paragraph", f"<p>The {WORD} live body.</p>")],
            publication_date=fields["publication_date"],
        )
        live.title, live.slug, live.standfirst = (
            fields["title"],
            fields["slug"],
            fields["standfirst"],
        )
        live.body = fields["body"]
        live.tags.add(f"tag {words}")
        live.lead_image = lead_image
        live.save_revision()
        return ArticlePage.objects.get(pk=live.pk)
    if state == "scheduled":
        article = make_article(section, publish=False, **fields)
        article.go_live_at = now + datetime.timedelta(days=2)
        article.publication_date = article.go_live_at
        article.save_revision().publish()
        article = ArticlePage.objects.get(pk=article.pk)
        assert not article.live and article.go_live_at > now
        return article
    article = make_article(section, **fields)
    rows = ArticlePage.objects.filter(pk=article.pk)
    if state == "password":
        PageViewRestriction.objects.create(page=article, restriction_type="password", password="x")
    elif state == "login":
        PageViewRestriction.objects.create(page=article, restriction_type="login")
    elif state == "groups":
        restriction = PageViewRestriction.objects.create(page=article, restriction_type="groups")
        restriction.groups.set([Group.objects.create(name=f"Subscribers {_RUN}")])
    elif state == "expired":
        # publish_scheduled has not run: the row still says live.
        rows.update(expire_at=now - datetime.timedelta(minutes=5))
    elif state == "future":
        # Imported data: live, no go-live time, a publication date ahead.
        article.revisions.update(approved_go_live_at=None)
        rows.update(go_live_at=None, publication_date=now + datetime.timedelta(days=2))
    return rows.get()


def build_newsroom():
    now = timezone.now()
    section = make_section("Matrix desk", slug=SECTION)
    author = make_author("Mara Matrix")
    embargoed = Collection.get_first_root_node().add_child(name=f"Embargoed {_RUN}")
    CollectionViewRestriction.objects.create(collection=embargoed, restriction_type="login")
    image = _private_image(embargoed)
    document = _private_document(embargoed)

    extra = {
        # Only hidden content uses the private image and document.
        "login": {"lead_image": image},
        "expired": {
            "body": [
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
            ]
        },
        "password": {
            "body": [
                block("paragraph", f'<p>Read <a linktype="document" id="{document.pk}">it</a>.</p>')
            ]
        },
        "pending": {"lead_image": image},
    }
    hidden = {
        state: _hidden_article(state, section, author, now=now, **extra.get(state, {}))
        for state in HIDDEN_STATES
    }
    for state, article in hidden.items():
        # The pending article is public, comments included: its comment has no secret.
        words = "the live version" if state == "pending" else secret(state)
        make_comment(article, body=f"A comment on {words}")

    # The public article links to every hidden one, from rich text and related blocks;
    # the link texts are the author's own words, which readers may see.
    links = "".join(
        f'<a linktype="page" id="{article.pk}">see {state}</a> '
        for state, article in hidden.items()
    )
    public = make_article(
        section,
        title=f"Open story {PUBLIC_MARK}",
        slug=f"open-{PUBLIC_MARK}",
        standfirst=f"The {WORD} open standfirst {PUBLIC_MARK}.",
        authors=[author],
        tags=[SHARED_TAG],
        body=[
            block("paragraph", f"<p>The {WORD} open body. {links}</p>"),
            block("fact_box", {"title": "Links", "body": f"<p>{links}</p>"}),
            *[
                block("related_article", {"article": article.pk, "label": ""})
                for article in hidden.values()
            ],
        ],
        publication_date=now - datetime.timedelta(hours=2),
    )
    make_comment(public, body=f"A comment on {PUBLIC_MARK}")

    # Identities.
    superuser = User.objects.create_superuser(f"boss{_RUN}", f"boss{_RUN}@example.org", "pw")
    reader = User.objects.create_user(f"reader{_RUN}", f"reader{_RUN}@example.org", "pw")
    revoked, revoked_key = APIToken.create_token(user=superuser, name=f"revoked-{_RUN}")
    revoked.revoke()
    return {
        "now": now,
        "section": section,
        "author": author,
        "hidden": hidden,
        "public": public,
        "image": image,
        "document": document,
        "superuser": superuser,
        "reader_key": token_for(reader),
        "revoked_key": revoked_key,
    }


@pytest.fixture(scope="module")
def module_media(tmp_path_factory):
    return str(tmp_path_factory.mktemp("leak-matrix-media"))


@pytest.fixture(scope="module")
def newsroom(django_db_setup, django_db_blocker, module_media):
    """Built once for the module in a transaction that is rolled back afterwards."""
    from django.test import override_settings

    with (
        django_db_blocker.unblock(),
        override_settings(MEDIA_ROOT=module_media),
        transaction.atomic(),
    ):
        yield build_newsroom()
        transaction.set_rollback(True)


@pytest.fixture
def news(newsroom, module_media, settings):
    # The shared conftest gives each test an empty media folder; the files live here.
    settings.MEDIA_ROOT = module_media
    return newsroom


# Identities -----------------------------------------------------------------------------------


def _anonymous(news):
    return Client()


def _bogus_token(news):
    return Client(headers={"Authorization": "Bearer not-a-real-token-0123456789abcdef"})


def _revoked_token(news):
    return Client(headers={"Authorization": f"Bearer {news['revoked_key']}"})


def _low_privilege_token(news):
    return Client(headers={"Authorization": f"Bearer {news['reader_key']}"})


def _superuser_session(news):
    client = Client()
    client.force_login(news["superuser"])
    return client


# name: (client factory, surfaces it probes). A superuser's session legitimately opens
# login- and group-restricted pages on the site, so it probes the public APIs, where a
# session must count for nothing.
IDENTITIES = {
    "anonymous": (_anonymous, "all"),
    "bogus bearer token": (_bogus_token, "all"),
    "revoked token": (_revoked_token, "all"),
    "token without page permissions": (_low_privilege_token, "all"),
    "superuser session cookie": (_superuser_session, "api"),
}


# Surfaces -------------------------------------------------------------------------------------


def surfaces(news):
    """(kind, url, expected statuses or None, public article shown?) for every surface."""
    public = news["public"]
    author = news["author"].slug
    day = timezone.localtime(public.publication_date)
    year, month = day.strftime("%Y"), day.strftime("%m")
    html = [
        "/",
        f"/{SECTION}/",
        public.url,
        f"/tags/{SHARED_TAG}/",
        f"/authors/{author}/",
        f"/{year}/",
        f"/{year}/{month}/",
        f"/search/?q={WORD}",
    ]
    feeds = [
        f"{base}{suffix}"
        for base in ["/", f"/sections/{SECTION}/", f"/tags/{SHARED_TAG}/", f"/authors/{author}/"]
        for suffix in ["feed/", "feed/atom/", "feed/json/"]
    ]
    sitemaps = ["/sitemap-pages.xml", "/news-sitemap.xml"]
    rows = [("site", url, None, True) for url in html + feeds + sitemaps]
    rows += [("site", url, None, False) for url in ["/authors/", "/sitemap.xml", "/robots.txt"]]

    api = [
        "/api/v2/pages/?limit=50",
        "/api/v2/pages/?type=news.ArticlePage&fields=*&limit=50",
        "/api/v2/articles/?fields=*",
        f"/api/v2/articles/?search={WORD}&fields=*",
        f"/api/v2/pages/?search={WORD}",
        f"/api/v2/articles/?tag={SHARED_TAG}&fields=*",
        f"/api/v2/articles/?section={SECTION}&author={author}",
        f"/api/v2/pages/{public.pk}/",
        f"/api/v2/articles/{public.pk}/",
        f"/api/v2/pages/{public.pk}/?rich_text_format=markdown",
        f"/api/v2/pages/{public.pk}/?rich_text_format=html",
        f"/api/v2/pages/{public.pk}/?rich_text_format=db_markdown",
        f"/api/v2/pages/{public.pk}/?rich_text_format=db_html",
        "/api/v3/pages/?limit=50",
        "/api/v3/pages/?type=news.ArticlePage&limit=50",
        "/api/v3/articles/",
        f"/api/v3/articles/?search={WORD}",
        f"/api/v3/pages/?search={WORD}",
        f"/api/v3/articles/?tag={SHARED_TAG}",
        f"/api/v3/pages/{public.pk}/",
        f"/api/v3/articles/{public.pk}/",
        f"/api/v3/pages/{public.pk}/?rich_text_format=markdown",
        f"/api/v3/pages/{public.pk}/?rich_text_format=db_markdown",
        f"/api/v3/pages/{public.pk}/?rich_text_format=db_html",
        f"/api/v2/comments/?article={public.pk}",
        f"/api/v3/comments/?article={public.pk}",
    ]
    rows += [("api", url, (200,), True) for url in api]
    rows += [
        ("api", url, (200,), False)
        for url in [
            "/api/v2/images/",
            "/api/v2/images/?search=photo",
            "/api/v3/images/",
            "/api/v2/documents/",
            "/api/v2/documents/?search=papers",
            "/api/v3/documents/",
            "/api/v2/authors/",
            f"/api/v2/authors/{news['author'].pk}/",
            "/api/v3/authors/",
            f"/api/v3/authors/{news['author'].pk}/",
            "/api/v2/tags/",
            "/api/v3/tags/",
            "/api/v2/site/",
            "/api/v3/site/",
        ]
    ]
    gone = (400, 401, 403, 404)
    for item, key in [("image", "images"), ("document", "documents")]:
        pk = news[item].pk
        rows += [("api", f"/api/{v}/{key}/{pk}/", gone, False) for v in ("v2", "v3")]
    # Wagtail serves a private collection's document only after a login.
    document = news["document"]
    rows += [("site", document.url, (302, 401, 403, 404), False)]

    for state, article in news["hidden"].items():
        pk = article.pk
        pending = state == "pending"
        path = article.url if article.live else f"/{SECTION}/{article.slug}/"
        # The pending article is public (its live version); the others are not there.
        detail = (200,) if pending else (404,)
        rows += [
            ("site", path, None, False),
            ("site", f"/tags/tag-{secret(state)}/", (404,), False),
            ("site", f"/tags/tag-{secret(state)}/feed/", (404,), False),
            ("site", f"/tags/tag-{secret(state)}/feed/json/", (404,), False),
        ]
        rows += [
            ("api", f"/api/v2/pages/{pk}/", detail, False),
            ("api", f"/api/v2/pages/{pk}/?fields=*", detail, False),
            ("api", f"/api/v2/articles/{pk}/", detail, False),
            ("api", f"/api/v3/pages/{pk}/", detail, False),
            ("api", f"/api/v3/articles/{pk}/", detail, False),
            ("api", f"/api/v3/pages/{pk}/?version=draft", None, False),
            ("api", f"/api/v3/pages/{pk}/revisions/", None, False),
            ("api", f"/api/v2/pages/find/?id={pk}", (302,) if pending else (404,), False),
            ("api", f"/api/v3/pages/find/?id={pk}", (302,) if pending else (404,), False),
            ("api", f"/api/v2/pages/find/?html_path={path}", None, False),
            ("api", f"/api/v3/pages/find/?html_path={path}", None, False),
            ("api", f"/api/v2/articles/?tag=tag-{secret(state)}", None, False),
            ("api", f"/api/v2/comments/?article={pk}", (200,) if pending else (400,), False),
            ("api", f"/api/v3/comments/?article={pk}", (200,) if pending else (400, 404), False),
        ]
    return rows


def probe(client, url, *, expected, shows_public, anonymous):
    """Request `url`; every secret not in the URL must be absent from the response.

    `expected` and `shows_public` are what an anonymous reader gets. Other identities
    may be refused more (a token without page permissions reads fewer pages on v3),
    never less: where anonymous readers are refused, so are they.
    """
    # The failed-token throttle (cms.abuse) counts in the cache; emptied before each
    # request, as before each test, so that every probe sees a real answer, not a 429.
    cache.clear()
    response = client.get(url)
    PROBES["requests"] += 1
    text = response.content.decode("utf-8", "replace")
    headers = " ".join(f"{name}: {value}" for name, value in response.headers.items())
    found = []
    if response.status_code >= 500:
        found.append(f"status {response.status_code}")
    refused = expected is not None and all(status >= 400 for status in expected)
    if anonymous and expected is not None and response.status_code not in expected:
        found.append(f"status {response.status_code}, expected {expected}")
    elif refused and response.status_code < 400:
        found.append(f"status {response.status_code} where anonymous readers get {expected}")
    for words in ALL_SECRETS:
        if words in url:
            continue
        PROBES["count"] += 1
        if words in text or words in headers:
            found.append(words)
    if anonymous and shows_public and response.status_code == 200 and PUBLIC_MARK not in text:
        found.append(f"control: the public article ({PUBLIC_MARK}) is missing")
    return found


@pytest.mark.parametrize("identity", IDENTITIES)
def test_no_surface_shows_hidden_content(news, identity, audit_figures):
    make_client, scope = IDENTITIES[identity]
    client = make_client(news)
    leaks = []
    probes_before = PROBES["count"]
    for kind, url, expected, shows_public in surfaces(news):
        if scope == "api" and kind != "api":
            continue
        found = probe(
            client,
            url,
            expected=expected,
            shows_public=shows_public,
            anonymous=identity == "anonymous",
        )
        leaks += [f"{url}: {what}" for what in found]
    PROBES["identities"].add(identity)
    audit_figures.add("probes", PROBES["count"] - probes_before)
    audit_figures.add("leaks", len(leaks))
    assert not leaks, f"{identity}:\n" + "\n".join(leaks)


# Rich-text links and related blocks to hidden pages: the author's words, no link -------------


def test_links_to_hidden_pages_keep_their_text_and_lose_their_url(news, client):
    pending = news["hidden"]["pending"]
    page = client.get(news["public"].url).content.decode()
    v2 = client.get(f"/api/v2/pages/{news['public'].pk}/").json()
    v3 = client.get(f"/api/v3/pages/{news['public'].pk}/").json()
    feed = client.get(f"/sections/{SECTION}/feed/json/").json()
    [entry] = [item for item in feed["items"] if PUBLIC_MARK in item["title"]]
    for name, rendered in [
        ("page", page),
        ("v2", v2["body"][0]["value"]),
        ("v3", v3["body"][0]["value"]),
        ("feed", entry["content_html"]),
    ]:
        for state in HIDDEN_STATES:
            if state == "pending":
                # Public (its live version): still a link, to its live URL.
                assert f'{pending.url}">see pending</a>' in rendered, name
            else:
                assert f"<a>see {state}</a>" in rendered, (name, state)
    # Wagtail's other formats: the text, no destination (Markdown) and no page id (database).
    url = f"/api/v3/pages/{news['public'].pk}/?rich_text_format="
    markdown = client.get(url + "markdown").json()["body"][0]["value"]
    db_html = client.get(url + "db_html").json()["body"][0]["value"]
    for state, article in news["hidden"].items():
        if state != "pending":
            assert f"see {state}" in markdown and f"[see {state}](" not in markdown, markdown
            assert f'id="{article.pk}"' not in db_html and f"<a>see {state}</a>" in db_html
    # Related-article blocks to hidden articles are left out (null in the APIs).
    related = [item["value"] for item in v3["body"] if item["type"] == "related_article"]
    assert [value is not None for value in related] == [s == "pending" for s in HIDDEN_STATES]


def test_a_link_becomes_live_when_its_page_does(news, client):
    # Lifting the restriction makes the same link a link again: nothing is cached wrongly.
    article = news["hidden"]["login"]
    PageViewRestriction.objects.filter(page=article).delete()
    page = client.get(news["public"].url).content.decode()
    assert f'<a href="{article.url}">see login</a>' in page


def test_tag_pages_of_tags_only_hidden_articles_carry_are_not_found(news, client):
    for state in HIDDEN_STATES:
        slug = f"tag-{secret(state)}"
        for url in [f"/tags/{slug}/", f"/tags/{slug}/feed/", f"/tags/{slug}/feed/atom/"]:
            assert client.get(url).status_code == 404, url
    assert client.get(f"/tags/{SHARED_TAG}/").status_code == 200


# The figure ------------------------------------------------------------------------------------


def planned_probes(news):
    """(probes, requests) the matrix makes: each identity, each of its surfaces, each secret."""
    probes = requests = 0
    for _make_client, scope in IDENTITIES.values():
        for kind, url, _expected, _shows in surfaces(news):
            if scope == "api" and kind != "api":
                continue
            requests += 1
            probes += sum(words not in url for words in ALL_SECRETS)
    return probes, requests


def test_the_matrix_probes_at_least_the_floor(news):
    probes, requests = planned_probes(news)
    print(f"\nleak matrix: {probes} probes in {requests} requests")
    assert probes >= PROBE_FLOOR
    if PROBES["identities"] == set(IDENTITIES):
        # The whole matrix ran above (file order): it made every planned probe.
        assert (PROBES["count"], PROBES["requests"]) == (probes, requests)
