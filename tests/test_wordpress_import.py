"""Moving from WordPress: `manage.py import_wordpress` (plugins/byline-wordpress).

One import of the fixture export, shared by the module (rolled back after it);
tests/test_wordpress_import_runs.py has the tests that run imports of their own.

The export in tests/fixtures/wordpress/export.xml was written for these tests:
block-editor and classic posts, shortcodes, co-authors, attachments (one file
missing, one not an image), every comment status, a pingback and a trackback,
every post status, a page, malformed items and items Byline has no use for.
"""

import pytest
from bs4 import BeautifulSoup
from byline_comments.models import Comment
from django.db import transaction
from django.test import override_settings
from wagtail.models import PageViewRestriction, WorkflowState

from authors.models import Author
from home.models import HomePage
from news.models import ArticlePage, NewsImage
from tests.factories import make_embed
from tests.wordpress_support import EXPORT, MEDIA, run_import

pytestmark = pytest.mark.django_db

STEPS = ["Survey the channel", "Dredge the berth"]
EMBEDS = ("https://www.youtube.com/watch?v=harbour01", "https://www.youtube.com/watch?v=tides02")


@pytest.fixture(scope="module")
def wordpress_media(tmp_path_factory):
    return str(tmp_path_factory.mktemp("wordpress-media"))


@pytest.fixture(scope="module")
def import_output(django_db_setup, django_db_blocker, wordpress_media):
    """The fixture export imported once for the module, rolled back after it."""
    with (
        django_db_blocker.unblock(),
        override_settings(MEDIA_ROOT=wordpress_media),
        transaction.atomic(),
    ):
        yield run_import(str(EXPORT), "--media-dir", str(MEDIA))
        transaction.set_rollback(True)


@pytest.fixture
def imported(import_output, wordpress_media, settings):
    settings.MEDIA_ROOT = wordpress_media  # conftest gives each test an empty folder otherwise
    return import_output


def article(slug):
    return ArticlePage.objects.get(slug=slug)


# Posts ---------------------------------------------------------------------------------


def test_posts_become_articles_in_their_primary_categorys_section(imported):
    dredging = article("harbour-dredging-vote")
    # Yoast's primary category wins over the first one listed.
    assert dredging.get_parent().specific.title == "Local politics"
    assert dredging.url == "/local-politics/harbour-dredging-vote/"
    assert article("tide-gauge-readings").get_parent().slug == "science"
    assert dredging.title == "Harbour board votes to dredge in spring"
    assert dredging.standfirst == "The channel will be dredged before the autumn sailings."
    # wp:post_date_gmt 08:30 (BST 09:30): kept as an instant.
    assert dredging.publication_date.isoformat() == "2024-05-12T08:30:00+00:00"
    # Co-Authors Plus order, a WordPress user then a guest author.
    assert [a.name for a in dredging.authors] == ["Jane Doe", "Gus Writer"]
    # Tags, and the category that did not become the section, carry over.
    assert sorted(dredging.tags.values_list("slug", flat=True)) == [
        "dredging",
        "harbour",
        "science",
    ]
    assert dredging.lead_image.title == "The swing bridge, raised"
    # No excerpt: the standfirst is the opening text.
    assert article("tide-gauge-readings").standfirst.startswith(
        "Readings from the old tide gauge show the sea rising faster"
    )


def test_post_statuses(imported):
    assert article("harbour-dredging-vote").live
    scheduled = article("summer-ferry-timetable")
    assert not scheduled.live
    assert scheduled.go_live_at.isoformat() == "2099-06-01T06:00:00+00:00"
    assert scheduled.revisions.filter(approved_go_live_at__isnull=False).exists()
    draft = article("draft-the-council-budget")  # no slug in WordPress: from the title
    assert not draft.live and draft.latest_revision is not None
    pending = article("lifeboat-appeal")
    assert not pending.live
    state = WorkflowState.objects.get(object_id=str(pending.pk))
    assert state.status == WorkflowState.STATUS_IN_PROGRESS
    private = article("new-rota")
    assert private.live
    assert PageViewRestriction.objects.get(page=private).restriction_type == "login"
    protected = article("harbour-accounts")  # a password in WordPress
    assert protected.live
    restriction = PageViewRestriction.objects.get(page=protected)
    assert (restriction.restriction_type, restriction.password) == ("password", "ledger")
    about = article("about")  # a WordPress page
    assert about.get_parent().slug == "pages"
    assert not about.get_parent().show_in_menus
    assert not ArticlePage.objects.filter(title__in=["Binned post", "Home"]).exists()


def test_sticky_post_leads_the_front_page(imported, client):
    dredging = article("harbour-dredging-vote")
    assert HomePage.objects.get().lead_story_id == dredging.pk
    html = client.get("/").content.decode()
    assert "Harbour board votes to dredge in spring" in html


# Bodies --------------------------------------------------------------------------------


def test_block_editor_body(imported):
    body = article("harbour-dredging-vote").body.raw_data
    types = [block["type"] for block in body]
    assert types == [
        "paragraph",
        "heading",
        "quotation",
        "pull_quote",
        "image",
        "embed",
        "list",
        "table",
        "separator",
        "paragraph",
    ]
    paragraph = BeautifulSoup(body[0]["value"], "html.parser")
    assert paragraph.find("b").get_text() == "seven to two"
    assert paragraph.find("a")["href"] == "https://harbour.example/minutes"
    assert body[1]["value"] == {"text": "What the board decided", "level": "h2"}
    assert body[2]["value"]["quote"] == "We dredge in spring or we lose the autumn sailings."
    assert body[2]["value"]["attribution"] == "Edda Morrow, harbour master"
    assert body[3]["value"] == {"text": "Spring or nothing.", "attribution": "Edda Morrow"}
    image = body[4]["value"]
    assert NewsImage.objects.get(pk=image["image"]).title == "The swing bridge, raised"
    assert image["caption"] == "The swing bridge at dawn."
    assert image["credit"] == "Ann Lens/Courier"
    assert image["alt_text"] == "The swing bridge, raised"
    assert body[5]["value"] == {"embed": EMBEDS[0], "caption": "A tour of the harbour works"}
    assert body[6]["value"] == {
        "style": "ordered",
        "items": ["Survey the channel", "Dredge the berth"],
    }
    assert body[7]["value"]["data"] == [["Year", "Cost"], ["2022", "£1.2m"], ["2023", "£1.9m"]]
    assert body[7]["value"]["first_row_is_table_header"]
    assert body[7]["value"]["table_caption"] == "Dredging costs by year"
    # The custom HTML block and the unknown shortcode: kept as text, escaped.
    assert body[8]["value"] is None  # wp:separator
    last = BeautifulSoup(body[9]["value"], "html.parser")
    assert last.find("script") is None
    assert '<script>alert("hello from WordPress")</script>' in last.get_text()
    assert 'Questions for the board? [contact-form-7 id="12" title="Ask"]' in last.get_text()


def test_classic_body(imported):
    body = article("tide-gauge-readings").body.raw_data
    types = [block["type"] for block in body]
    assert types == [
        "paragraph",
        "image",
        "embed",
        "quotation",
        "heading",
        "list",
        "table",
        "separator",
        "paragraph",
        "image",
        "image",
        "paragraph",
    ]
    # wpautop: a single newline is a line break, a blank line a new paragraph.
    assert "show the sea<br/>rising faster" in body[0]["value"]
    caption = body[1]["value"]  # [caption] shortcode with a credit line
    assert NewsImage.objects.get(pk=caption["image"]).title == "Harbour at low tide"
    assert (caption["caption"], caption["credit"]) == ("The harbour at low tide.", "Port Authority")
    assert caption["alignment"] == "right"
    assert body[2]["value"]["embed"] == EMBEDS[1]  # a URL on its own line
    assert body[3]["value"]["attribution"] == "Dr Ines Alder"
    assert body[5]["value"]["items"] == ["1924: the gauge is built", "1974: it is automated"]
    iframe = BeautifulSoup(body[8]["value"], "html.parser")
    assert iframe.find("iframe") is None and "<iframe" in iframe.get_text()
    # [gallery ids="10,11"]: one image block per attachment.
    assert [NewsImage.objects.get(pk=b["value"]["image"]).title for b in body[9:11]] == [
        "The swing bridge, raised",
        "Harbour at low tide",
    ]
    assert '[audio src="' in body[11]["value"]
    assert "The final figures come in June." in body[11]["value"]


def test_every_loss_is_reported(imported):
    output, error = imported
    for message in [
        "post 100 “Harbour board votes to dredge in spring”: custom HTML block (wp:html) "
        "kept as text",
        "block wp:latest-posts has no content in the export",
        "shortcode [contact-form-7] is kept as text",
        "shortcode [audio] is kept as text",
        "markup <iframe> kept as text",
        "formatting <u> is not kept (its text is)",
        "image https://courier.example/wp-content/uploads/2024/05/missing.jpg was not found",
        "1 item(s) of type 'nav_menu_item' skipped",
    ]:
        assert message in output


# Rendered pages and the API --------------------------------------------------------


def test_rendered_article_page(imported, client):
    for url in EMBEDS:
        make_embed(url, title="Harbour video")
    response = client.get("/local-politics/harbour-dredging-vote/")
    assert response.status_code == 200
    soup = BeautifulSoup(response.content, "html.parser")
    assert soup.find("h1").get_text(strip=True) == "Harbour board votes to dredge in spring"
    text = soup.get_text(" ", strip=True)
    assert "Jane Doe" in text and "Gus Writer" in text
    assert "We dredge in spring or we lose the autumn sailings." in text
    figure_caption = " ".join(
        f.get_text(" ", strip=True) for f in soup.select("article figcaption, figcaption")
    )
    assert "The swing bridge at dawn." in figure_caption
    assert "Image: Ann Lens/Courier" in figure_caption
    assert soup.find("iframe", title="Harbour video") is not None
    # Escaped, never executed: the WordPress script is text on the page.
    assert not any("hello from WordPress" in (s.string or "") for s in soup.find_all("script"))
    assert 'alert("hello from WordPress")' in text
    # Approved comments and the pingback show; pending, spam and trash do not.
    assert "About time. The autumn sailings matter." in text
    assert "They do, and we will keep them." in text
    assert "Dredging at last" in text  # the pingback's title
    for hidden in ("Is this still on the agenda?", "Buy now", "Deleted by a moderator"):
        assert hidden not in text


def test_private_scheduled_and_draft_articles_are_not_public(imported, client):
    assert client.get("/uncategorized/new-rota/").status_code == 302  # to the login page
    assert client.get("/local-politics/summer-ferry-timetable/").status_code == 404
    assert client.get("/local-politics/draft-the-council-budget/").status_code == 404
    protected = client.get("/local-politics/harbour-accounts/")
    assert "The accounts, line by line." not in protected.content.decode()
    assert "password" in protected.content.decode().lower()


def test_api_v2_and_v3(imported, client):
    dredging = article("harbour-dredging-vote")
    v2 = client.get(f"/api/v2/pages/{dredging.pk}/").json()
    v3 = client.get(f"/api/v3/articles/{dredging.pk}/").json()
    for data in (v2, v3):
        assert data["title"] == "Harbour board votes to dredge in spring"
        assert data["standfirst"] == "The channel will be dredged before the autumn sailings."
        assert [a["name"] for a in data["authors"]] == ["Jane Doe", "Gus Writer"]
        blocks = {block["type"]: block["value"] for block in data["body"]}
        assert blocks["quotation"]["attribution"] == "Edda Morrow, harbour master"
        assert blocks["image"]["image"]["credit"] == "Ann Lens/Courier"
        assert blocks["image"]["image"]["caption"] == "The swing bridge at dawn."
        assert blocks["list"] == {
            "ordered": True,
            "items": ["Survey the channel", "Dredge the berth"],
        }
    # Drafts and private articles stay out of the public listings.
    titles = [item["title"] for item in client.get("/api/v3/articles/?limit=50").json()["items"]]
    assert "Harbour board votes to dredge in spring" in titles
    assert "Staff notice: new rota" not in titles
    assert "Draft: the council budget" not in titles


# Authors and images ------------------------------------------------------------------


def test_users_and_guest_authors_become_authors(imported):
    jane = Author.objects.get(slug="jdoe")
    assert jane.name == "Jane Doe"
    assert jane.role == "Harbour correspondent"
    assert jane.short_bio == "Jane has covered the harbour board for ten years."
    assert jane.email == "jane@courier.example"
    links = [(link.value["service"], link.value["url"]) for link in jane.profile_links]
    assert links == [
        ("mastodon", "https://social.example/@jane"),
        ("x", "https://x.com/janedoe"),
        ("website", "https://janedoe.example"),
    ]
    gus = Author.objects.get(slug="guest-writer")
    assert (gus.name, gus.short_bio) == ("Gus Writer", "Gus writes about boats.")
    assert Author.objects.count() == 3


def test_attachments_become_images(imported):
    bridge = NewsImage.objects.get(title="The swing bridge, raised")
    assert bridge.default_alt_text == "The swing bridge, raised for a yacht"
    assert (bridge.default_caption, bridge.credit) == (
        "The swing bridge at dawn.",
        "Ann Lens/Courier",
    )
    assert (bridge.width, bridge.height) == (64, 40)
    harbour = NewsImage.objects.get(title="Harbour at low tide")
    assert harbour.credit == "Port Authority"  # from the file's IPTC metadata WordPress kept
    assert NewsImage.objects.count() == 2
    output, _error = imported
    assert "attachment 12 “Lost photo”: file 2024/05/missing.jpg not found" in output
    assert "attachment 13 “Board minutes”" in output and "is not an image" in output


# Comments ------------------------------------------------------------------------------


def test_comments_pingbacks_and_trackbacks(imported):
    dredging = article("harbour-dredging-vote")
    comments = {c.author_name: c for c in Comment.objects.filter(article=dredging)}
    assert len(comments) == 8
    mara = comments["Mara Okafor"]
    assert (mara.status, mara.kind, mara.depth) == ("approved", "comment", 0)
    assert mara.author_email == "mara@reader.example"
    assert mara.author_url == "https://mara.example"
    assert mara.ip_address == "203.0.113.7"
    assert mara.body == "About time. The autumn sailings matter."
    assert mara.created_at.isoformat() == "2024-05-12T10:00:00+00:00"
    # Threads: a reply, and a reply to it listed before its parent in the export.
    edda, jon = comments["Edda Morrow"], comments["Jon Pier"]
    assert (edda.parent, edda.depth) == (mara, 1)
    assert (jon.parent, jon.depth) == (edda, 2)
    assert jon.ip_address == "2001:db8::5"
    assert comments["Waiting Reader"].status == "pending"
    assert comments["Cheap Pills"].status == "spam"
    assert comments["Binned Reader"].status == "trash"
    pingback = comments["tides.example"]
    assert (pingback.kind, pingback.status) == ("pingback", "approved")
    assert pingback.source_url == "https://tides.example/2024/05/dredging-at-last/"
    assert pingback.source_title == "Tide Tables Blog » Dredging at last"
    assert pingback.author_email == ""
    trackback = comments["oldport.example"]
    assert (trackback.kind, trackback.status) == ("pingback", "pending")
    assert trackback.source_url == "https://oldport.example/diary/may/"


def test_importing_announces_nothing_to_other_sites(imported):
    from byline_mentions.models import SentMention

    # The dredging article links to harbour.example: no mention is queued for it.
    assert SentMention.objects.count() == 0


# Old addresses ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("/?p=100", "/local-politics/harbour-dredging-vote/"),
        ("/?p=100&utm_source=mail", "/local-politics/harbour-dredging-vote/"),
        ("/?page_id=107", "/pages/about/"),
        ("/2024/05/12/harbour-dredging-vote/", "/local-politics/harbour-dredging-vote/"),
        ("/2024/05/12/harbour-dredging-vote", "/local-politics/harbour-dredging-vote/"),
        ("/2024/05/harbour-dredging-vote/", "/local-politics/harbour-dredging-vote/"),
        ("/2024/05/tide-gauge-readings/", "/science/tide-gauge-readings/"),
        ("/2024/05/20/tide-gauge-readings/", "/science/tide-gauge-readings/"),
        ("/about/", "/pages/about/"),
        ("/category/local-politics/", "/local-politics/"),
        ("/category/science/", "/science/"),
        ("/category/local-politics/feed/", "/sections/local-politics/feed/"),
        ("/tag/harbour/", "/tags/harbour/"),
        ("/tag/harbour/feed/", "/tags/harbour/feed/"),
        ("/author/jdoe/", "/authors/jdoe/"),
        ("/author/guest-writer/", "/authors/guest-writer/"),
        ("/2024/05/12/harbour-dredging-vote/bridge/", "/local-politics/harbour-dredging-vote/"),
        ("/?attachment_id=10", "/local-politics/harbour-dredging-vote/"),
    ],
)
def test_old_addresses_redirect(imported, client, old, new):
    response = client.get(old)
    assert response.status_code == 301, old
    assert response["Location"] == new
    assert client.get(new).status_code == 200


def test_old_attachment_page_without_a_post_redirects_to_the_file(imported, client):
    response = client.get("/?attachment_id=11")
    assert response.status_code == 301
    assert response["Location"] == NewsImage.objects.get(title="Harbour at low tide").file.url


def test_feed_keeps_its_address(imported, client):
    import feedparser

    response = client.get("/feed/")
    assert response.status_code == 200
    feed = feedparser.parse(response.content)
    titles = [entry.title for entry in feed.entries]
    assert "Harbour board votes to dredge in spring" in titles
    assert "Staff notice: new rota" not in titles


def test_unknown_ids_and_other_query_strings_are_left_alone(imported, client):
    assert client.get("/?p=999").status_code == 200  # the front page, as before
    assert client.get("/?s=harbour").status_code == 200


# The command's report ------------------------------------------------------------


def test_malformed_items_are_named_and_the_rest_is_imported(imported):
    output, error = imported
    assert (
        "ERROR: post abc “Broken item without an id”: the item has no numeric wp:post_id" in output
    )
    assert "ERROR: post 109 “Broken date”: no readable date (wp:post_date 'yesterday')" in output
    assert "2 item(s) could not be imported" in error
    assert "run the import again" in error
    assert ArticlePage.objects.count() == 8
    assert "posts                 8        0        1        " in output  # 1 skipped: trash


def test_progress_and_summary(imported):
    output, _error = imported
    assert output.startswith("Pass 1 of 2: users, categories and attachments")
    assert "Pass 2 of 2: posts and pages, with their comments" in output
    assert "created  updated  skipped  warnings  errors" in output
    assert "comments              8        0        0" in output
    assert "peak memory" in output
