"""`manage.py load_demo_content`: a believable demo site, safe to run again, and
synthetic articles for scale work that are real, live, well-formed pages.

The demo site is built once for the module (inside a transaction that is
rolled back at the end) with small images, so renditions are cheap; each
test then runs in its own savepoint.
"""

from collections import Counter
from datetime import timedelta

import pytest
from bs4 import BeautifulSoup
from django.core.management import CommandError
from django.db import transaction
from django.utils import timezone
from taggit.models import Tag
from wagtail.models import Page, ReferenceIndex, Revision, Site
from wagtail.search.backends import get_search_backend

from authors.models import Author
from home.models import HomePage
from news.demo import content
from news.demo.renditions import PORTRAIT_SPECS, picture_specs, social_specs
from news.models import ArticlePage, NewsImage, NewsIndexPage, NewsRendition
from tests.demo_support import demo_loaded, load_demo

pytestmark = pytest.mark.django_db


# Errors ---------------------------------------------------------------------------


def test_without_a_home_page_the_error_says_how_to_get_one():
    HomePage.objects.get().delete()

    with pytest.raises(CommandError) as error:
        load_demo()

    message = str(error.value)
    assert "no home page" in message
    assert "python manage.py migrate" in message
    assert not NewsIndexPage.objects.exists()


def test_with_unapplied_migrations_the_error_says_to_migrate(monkeypatch):
    from django.db.migrations.executor import MigrationExecutor

    monkeypatch.setattr(MigrationExecutor, "migration_plan", lambda self, targets: [object()])
    pages = Page.objects.count()

    with pytest.raises(CommandError, match=r"Run `python manage.py migrate` first"):
        load_demo()
    assert Page.objects.count() == pages


# The demo site ------------------------------------------------------------------


@pytest.fixture(scope="module")
def demo_media(tmp_path_factory):
    return str(tmp_path_factory.mktemp("demo-media"))


@pytest.fixture(scope="module")
def demo_site(django_db_setup, django_db_blocker, demo_media):
    """The demo, built once with small pictures, and the command's output."""
    with demo_loaded(django_db_blocker, demo_media) as output:
        yield output


@pytest.fixture
def demo(demo_site, demo_media, settings):
    # The shared conftest gives each test its own empty media folder; the
    # demo's image files live in the module's.
    settings.MEDIA_ROOT = demo_media
    return demo_site


def demo_articles():
    return ArticlePage.objects.filter(slug__in=[story.slug for story in content.STORIES])


def test_builds_sections_with_introductions(demo):
    sections = NewsIndexPage.objects.child_of(HomePage.objects.get()).live()
    assert sections.count() >= 3
    assert {s.title for s in sections} >= {"World", "Politics", "Science", "Culture"}
    assert all(len(section.introduction) > 40 for section in sections)
    for section in sections:
        assert ArticlePage.objects.child_of(section).live().count() >= 5


def test_builds_authors_with_portraits_roles_bios_and_links(demo):
    authors = Author.objects.all()
    assert authors.count() >= 4
    for author in authors:
        assert author.portrait is not None
        assert author.portrait.width > 0
        assert author.role and author.short_bio and "<p>" in author.long_bio
        assert author.profile_links
        assert author.latest_revision is not None
    assert any(author.mastodon_link for author in authors)
    assert Author.objects.get(slug="priya-castellane").role == "Editor of the science desk"
    services = {link.value["service"] for a in authors for link in a.profile_links}
    assert {"mastodon", "bluesky", "website"} <= services


def test_builds_live_articles_with_bylines_images_and_quotations(demo):
    articles = list(demo_articles().live().order_by("-publication_date"))
    assert len(articles) >= 24
    now = timezone.now()
    assert sum(1 for a in articles if now - a.publication_date < timedelta(days=2)) >= 3
    assert all(now - a.publication_date < timedelta(days=28) for a in articles)

    with_quotation = 0
    for article in articles:
        assert article.standfirst
        assert 1 <= len(article.authors) <= 3
        assert article.live_revision_id == article.latest_revision_id
        image = article.lead_image
        assert image.credit == "Byline Courier/Graphics"
        assert image.description.startswith(("Illustration", "Chart"))
        assert image.default_caption
        quotations = [b.value for b in article.body if b.block_type == "quotation"]
        if quotations:
            with_quotation += 1
            assert all(q["quote"] and q["attribution"] for q in quotations)
    assert with_quotation >= 0.8 * len(articles)

    block_types = Counter(b.block_type for a in articles for b in a.body)
    for block_type in ("heading", "pull_quote", "image", "list", "table", "fact_box"):
        assert block_types[block_type] >= 2, block_type
    assert block_types["related_article"] >= 3
    assert block_types["embed"] == 0

    figures = [b.value for a in articles for b in a.body if b.block_type == "image"]
    assert all(f.display_caption and f.display_credit and f.display_alt for f in figures)
    related = [b.value for a in articles for b in a.body if b.block_type == "related_article"]
    assert all(value.is_available for value in related)


def test_tags_are_a_shared_vocabulary(demo):
    counts = Counter(tag.name for article in demo_articles() for tag in article.tags.all())
    assert set(counts) == set(content.TAG_VOCABULARY)
    assert sum(1 for n in counts.values() if n >= 3) >= 6
    assert Tag.objects.filter(name__in=content.TAG_VOCABULARY).count() == len(counts)


def test_sets_the_home_page_tagline_and_lead_story(demo):
    home = HomePage.objects.get()
    assert home.tagline == content.SITE_TAGLINE
    assert home.lead_story.slug == content.LEAD_STORY_SLUG
    assert not home.has_unpublished_changes


def test_renditions_are_made_ahead_of_time(demo):
    made = set(NewsRendition.objects.values_list("image_id", "filter_spec"))
    for article in demo_articles():
        for spec in picture_specs() + social_specs():
            assert (article.lead_image_id, spec) in made, (article.slug, spec)
    for author in Author.objects.all():
        assert (author.portrait_id, PORTRAIT_SPECS[0]) in made
    assert "renditions: 37/37 images" in demo


def test_reports_what_it_created(demo):
    assert "sections: 4 created, 0 kept" in demo
    assert "authors: 6 created, 0 kept" in demo
    assert f"articles: {len(content.STORIES)} created, 0 kept" in demo
    assert "Done in" in demo


def test_the_site_renders_the_demo_content(demo, client):
    home = client.get("/").content.decode()
    assert content.SITE_TAGLINE in home
    lead = ArticlePage.objects.get(slug=content.LEAD_STORY_SLUG)
    assert 'class="front-lead"' in home and lead.title in home
    assert all(f">{title}</a></h2>" in home for title in ("World", "Science", "Culture"))

    section = client.get("/science/").content.decode()
    assert "Research from the estuary to the night sky" in section
    assert "Seagrass in the Lowmere estuary is recovering faster than expected" in section

    response = client.get("/science/lowmere-seagrass-recovery/")
    article = response.content.decode()
    assert response.status_code == 200
    assert "<h1" in article and "Seagrass in the Lowmere estuary" in article
    assert (
        'rel="author" href="/authors/priya-castellane/"><bdi>Priya Castellane</bdi></a>' in article
    )
    assert "we used to joke that we were mapping a memory" in article
    assert "&mdash; <bdi>Dr Eilidh Rourke, who leads the marine station" in article
    assert "<caption>Seagrass in the Lowmere estuary (hectares)</caption>" in article
    assert '<span class="credit">Image: <bdi>Byline Courier/Graphics</bdi></span>' in article
    assert "Volunteers plant seeds in hessian bags" in article
    assert 'rel="tag" href="/tags/oceans/"' in article
    assert "Editor of the science desk" in article
    assert 'rel="me noopener"' in article  # her Mastodon link
    assert 'href="/science/meridian-coral-bleaching-later/"' in article

    author = client.get("/authors/ines-varga/").content.decode()
    assert "Editor of the world desk" in author
    assert "shipping reporter" in author  # the long bio
    assert "Estmark and the Meridian Islands sign a truce" in author

    tag = client.get("/tags/climate/").content.decode()
    assert tag.count('class="card__title"') >= 5


def test_the_lead_story_shows_comments_a_reply_a_pingback_and_a_webmention(demo, client):
    from byline_comments.models import Comment

    assert "comments: 4 created, 0 kept" in demo
    assert "mentions: 2 created, 0 kept" in demo
    lead = ArticlePage.objects.get(slug=content.LEAD_STORY_SLUG)
    shown = Comment.objects.filter(article=lead, status="approved")
    assert Counter(shown.values_list("kind", flat=True)) == {
        "comment": 4,
        "pingback": 1,
        "webmention": 1,
    }
    reply = shown.get(parent__isnull=False)
    assert reply.depth == 1 and reply.parent.author_name == "Tamsin Orr"
    # Each after the story went out, before the demo's "now".
    assert all(lead.publication_date < c.created_at < timezone.now() for c in shown)

    page = BeautifulSoup(client.get(lead.url).content, "html.parser")
    assert " ".join(page.select_one("#comments-title").get_text().split()) == "6 Comments so far"
    threads = page.select("#comments > ol.comment-list > li.comment")
    assert len(threads) == 5  # three comments and two mentions, the reply inside its thread
    replies = page.select("ol.comment-list--replies > li.comment")
    assert [r.select_one(".comment__author").get_text(strip=True) for r in replies] == [
        "Joel Brandt"
    ]
    mentions = [" ".join(m.get_text().split()) for m in page.select(".comment__mention")]
    assert mentions == [
        "Pingback: Fishing truce: what changes for the harbour towns – Harbour Lights",
        "Webmention: Truce at last – Maren Holt",
    ]
    assert page.select_one("form.comment-form textarea") is not None  # open for more


def test_a_second_run_adds_no_comments(demo):
    from byline_comments.models import Comment

    before = Comment.objects.count()
    output = load_demo()
    assert Comment.objects.count() == before
    assert "comments: 0 created, 1 kept" in output
    assert "mentions: 0 created, 1 kept" in output


def test_leaves_the_site_record_alone(demo):
    # Absolute URLs come from BYLINE_BASE_URL; the Site record only routes requests.
    site = Site.objects.get(is_default_site=True)
    assert (site.hostname, site.port) == ("localhost", 80)
    assert "Site address" not in demo


def test_search_finds_demo_articles(demo):
    results = get_search_backend().search("seagrass", ArticlePage.objects.live())
    assert "lowmere-seagrass-recovery" in [page.slug for page in results]


def test_a_second_run_creates_nothing(demo):
    def counts():
        return (
            Page.objects.count(),
            Author.objects.count(),
            NewsImage.objects.count(),
            NewsRendition.objects.count(),
            Tag.objects.count(),
            Revision.objects.count(),
        )

    before = counts()
    output = load_demo()

    assert counts() == before
    assert "articles: 0 created, 26 kept" in output
    assert "nothing new" in output
    assert Page.find_problems() == ([], [], [], [], [])


def test_a_second_run_keeps_what_editors_changed(demo):
    article = ArticlePage.objects.get(slug="rope-works-reopens")
    article.title = "The rope works is open again"
    article.save_revision().publish()
    Author.objects.filter(slug="femi-adeyemi").update(role="Chief critic")
    home = HomePage.objects.get()
    home.tagline = "Our own tagline"
    home.save_revision().publish()
    section = NewsIndexPage.objects.get(slug="culture")
    own = ArticlePage(title="An editor's story", slug="editors-story", standfirst="Ours.")
    section.add_child(instance=own)
    science = NewsIndexPage.objects.get(slug="science")
    science.slug = "research"
    science.save_revision().publish()
    Author.objects.filter(slug="maren-ekdahl").update(slug="maren")
    sections, authors = NewsIndexPage.objects.count(), Author.objects.count()

    output = load_demo()

    assert NewsIndexPage.objects.count() == sections
    assert Author.objects.count() == authors
    assert ArticlePage.objects.get(slug="lowmere-seagrass-recovery").url_path.startswith(
        "/home/research/"
    )

    assert (
        ArticlePage.objects.get(slug="rope-works-reopens").title == "The rope works is open again"
    )
    assert Author.objects.get(slug="femi-adeyemi").role == "Chief critic"
    assert HomePage.objects.get().tagline == "Our own tagline"
    assert ArticlePage.objects.filter(slug="editors-story").exists()
    assert ArticlePage.objects.filter(slug="rope-works-reopens").count() == 1
    assert "articles: 0 created" in output


def test_synthetic_articles_are_live_well_formed_pages(demo, client):
    before = set(ArticlePage.objects.values_list("pk", flat=True))

    output = load_demo("--articles", "50", "--batch-size", "20", "--skip-renditions")

    assert "articles: 20/50" in output and "articles: 50/50" in output
    new = ArticlePage.objects.exclude(pk__in=before)
    assert new.count() == 50 and new.live().count() == 50
    assert Page.find_problems() == ([], [], [], [], [])
    for section in NewsIndexPage.objects.all():
        assert section.numchild == section.get_children().count()
    assert len({page.get_parent().pk for page in new}) == 4
    assert len({byline.author_id for page in new for byline in page.article_authors.all()}) >= 4
    assert len({tag.name for page in new for tag in page.tags.all()}) >= 8

    for page in new.order_by("?")[:3]:
        assert page.url_path == f"{page.get_parent().url_path}{page.slug}/"
        assert page.live_revision_id == page.latest_revision_id
        assert not page.has_unpublished_changes
        restored = page.latest_revision.as_object()
        assert restored.title == page.title
        assert [a.pk for a in restored.authors] == [a.pk for a in page.authors]
        html = client.get(page.url).content.decode()
        assert page.title in html and page.standfirst in html
        assert 'class="block-quotation"' in html
        assert page.authors[0].name in html
        # What Wagtail itself would record as this page's references.
        recorded = set(ReferenceIndex.get_references_for_object(page).values_list("pk", flat=True))
        with transaction.atomic():
            ReferenceIndex.create_or_update_for_object(page)
        assert recorded
        assert (
            set(ReferenceIndex.get_references_for_object(page).values_list("pk", flat=True))
            == recorded
        )

    sample = new.first()
    results = get_search_backend().search(sample.title, ArticlePage)
    assert sample.pk in [page.pk for page in results]


def test_synthetic_batches_cost_the_same_queries_for_any_number_of_pages(demo):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from news.demo.synthetic import SyntheticArticles
    from news.demo.tally import Tally

    home = HomePage.objects.get()
    SyntheticArticles(home, tally=Tally()).run(4)  # the image pool exists from here on
    costs = []
    for count in (8, 80):
        with CaptureQueriesContext(connection) as queries:
            SyntheticArticles(home, tally=Tally(), batch_size=100).run(count)
        costs.append(len(queries))
    assert costs[0] == costs[1] < 100
