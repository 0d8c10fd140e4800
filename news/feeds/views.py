"""The four feed scopes (site, section, author, tag), each served in every format."""

from dataclasses import dataclass

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.http import HttpRequest, HttpResponse
from django.templatetags.static import static
from django.urls import reverse
from django.utils.html import escape
from taggit.models import Tag
from wagtail.models import Site

from authors.models import Author
from cms.http_cache import next_visibility_change
from cms.kept_fragments import keep
from cms.page_cache.keys import plugins_on, request_site_key
from cms.visibility import visible, visible_snippets

from ..absolute_urls import absolute_url, site_root_url
from ..models import ArticlePage, ArticlePageTag, NewsIndexPage
from ..seo import LOGO_SIZE, LOGO_STATIC_PATH
from .entries import feed_entries
from .formats import FeedLogo

# A small square icon (RSS readers show the RSS <image> at most 144 px wide).
FEED_ICON_STATIC_PATH = "icons/icon-144.png"


@dataclass
class FeedScope:
    """What one feed request is about; Django's Feed hands it to every method."""

    request: HttpRequest
    root_url: str
    title: str
    description: str
    link: str
    articles: object  # an ArticlePage queryset


class ArticleFeed(Feed):
    """Newest articles of a scope visible now, in the format of `feed_type`.

    Subclasses say which articles and how the feed is named (`get_scope`);
    the items, their dates, authors, categories and images are the same for
    every scope and format. `BYLINE_FEED_ITEMS` sets the length and
    `BYLINE_FEED_FULL_CONTENT` whether items carry the whole body.
    """

    def __init__(self, feed_type):
        super().__init__()
        self.feed_type = feed_type

    def get_scope(self, request, root_url, **kwargs):
        """Title, description, page link and articles, as keyword arguments of `FeedScope`.

        Raise `ObjectDoesNotExist` for an unknown scope (answered with 404).
        """
        raise NotImplementedError

    def __call__(self, request, *args, **kwargs):
        # The document is the same for every reader until an article of any feed is
        # published, unpublished, moved or saved live ("articles", "feeds"), a view
        # restriction changes, the next scheduled change, or an author, tag, image or
        # section it shows changes (filed under what it loads): kept whole
        # (cms.kept_fragments), as a sitemap is. An unknown scope (404) keeps nothing.
        def build():
            response = super(ArticleFeed, self).__call__(request, *args, **kwargs)
            return (
                response.content,
                response.headers["Content-Type"],
                response.headers.get("Last-Modified"),
            )

        content, content_type, last_modified = keep(
            request,
            "feed",
            build,
            keys=("feeds", "articles", "restrictions", request_site_key(request)),
            depends_on=(
                request.path,
                site_root_url(request),
                plugins_on(),  # their blocks render in the bodies
                str(settings.BYLINE_FEED_ITEMS),
                str(settings.BYLINE_FEED_FULL_CONTENT),
            ),
            until=next_visibility_change(),
        )
        response = HttpResponse(content, content_type=content_type)
        if last_modified is not None:
            response.headers["Last-Modified"] = last_modified
        return response

    def get_object(self, request, **kwargs):
        root_url = site_root_url(request)
        return FeedScope(
            request=request, root_url=root_url, **self.get_scope(request, root_url, **kwargs)
        )

    # Feed -------------------------------------------------------------------

    def title(self, scope):
        return scope.title

    def description(self, scope):
        return scope.description

    def link(self, scope):
        return scope.link

    def feed_url(self, scope):
        return absolute_url(scope.request, scope.request.path, root_url=scope.root_url)

    def author_name(self, scope):
        # Atom needs an author for entries without a byline: the publication.
        return settings.WAGTAIL_SITE_NAME

    def author_link(self, scope):
        return scope.root_url + "/"

    def feed_extra_kwargs(self, scope):
        # The paper's logo and icon, for feed readers' lists (RSS <image>, Atom
        # <logo>/<icon>, JSON Feed icon/favicon), from the static files.
        return {
            "logo": FeedLogo(
                url=absolute_url(scope.request, static(LOGO_STATIC_PATH)),
                width=LOGO_SIZE[0],
                height=LOGO_SIZE[1],
                icon_url=absolute_url(scope.request, static(FEED_ICON_STATIC_PATH)),
            )
        }

    def items(self, scope):
        full_content = settings.BYLINE_FEED_FULL_CONTENT
        # The locale names a translation in its feed id (.identity); a join, no query.
        articles = scope.articles.for_listing().select_related("locale").prefetch_related("tags")
        if not full_content:
            articles = articles.defer_streamfields()
        articles = list(articles[: settings.BYLINE_FEED_ITEMS])
        return feed_entries(
            articles, scope.request, root_url=scope.root_url, full_content=full_content
        )

    # Items ------------------------------------------------------------------

    def item_title(self, entry):
        # The feed generator escapes it once; Django's default escapes it twice.
        return entry.title

    def item_description(self, entry):
        # RSS descriptions and Atom summaries (type="html") are HTML.
        return escape(entry.summary)

    def item_link(self, entry):
        return entry.url

    def item_guid(self, entry):
        # Atom <id>, RSS <guid> and JSON Feed "id": a tag: URI that outlives the
        # article's address (see .identity), so not a permalink.
        return entry.id

    def item_guid_is_permalink(self, entry):
        return False

    def item_pubdate(self, entry):
        return entry.published

    def item_updateddate(self, entry):
        return entry.updated

    def item_categories(self, entry):
        return entry.categories

    def item_enclosure_url(self, entry):
        return entry.image.url if entry.image else None

    def item_enclosure_length(self, entry):
        return entry.image.length

    def item_enclosure_mime_type(self, entry):
        return entry.image.mime_type

    def item_extra_kwargs(self, entry):
        return {
            "byline": entry.authors,
            "content_html": entry.content_html,
            "image": entry.image,
            "summary_text": entry.summary,
        }


def _site_name():
    return settings.WAGTAIL_SITE_NAME


class SiteFeed(ArticleFeed):
    def get_scope(self, request, root_url):
        site = Site.find_for_request(request)
        articles = ArticlePage.objects.all()
        if site is not None:
            articles = articles.descendant_of(site.root_page)
        return {
            "title": _site_name(),
            "description": f"The latest articles from {_site_name()}.",
            "link": root_url + "/",
            "articles": articles,
        }


class SectionFeed(ArticleFeed):
    def get_scope(self, request, root_url, slug):
        site = Site.find_for_request(request)
        sections = visible(NewsIndexPage.objects.all())
        if site is not None:
            sections = sections.descendant_of(site.root_page)
        section = sections.filter(slug=slug).first()
        if section is None:
            raise NewsIndexPage.DoesNotExist(slug)
        return {
            "title": f"{section.title} | {_site_name()}",
            "description": section.introduction or f"The latest {section.title} articles.",
            "link": section.get_full_url(request),
            "articles": ArticlePage.objects.child_of(section),
        }


class AuthorFeed(ArticleFeed):
    def get_scope(self, request, root_url, slug):
        author = visible_snippets(Author.objects.all()).get(slug=slug)
        return {
            "title": f"{author.name} | {_site_name()}",
            "description": f"Articles by {author.name}"
            + (f", {author.role}." if author.role else "."),
            "link": absolute_url(request, author.get_absolute_url(), root_url=root_url),
            "articles": ArticlePage.objects.filter(article_authors__author=author),
        }


class TagFeed(ArticleFeed):
    def get_scope(self, request, root_url, slug):
        # As the tag page: a tag no visible article carries has no feed (404).
        tagged = ArticlePageTag.objects.filter(content_object__in=ArticlePage.objects.visible())
        tag = Tag.objects.filter(pk__in=tagged.values("tag_id")).get(slug=slug)
        return {
            "title": f"Articles tagged “{tag.name}” | {_site_name()}",
            "description": f"Articles tagged “{tag.name}” on {_site_name()}.",
            "link": absolute_url(
                request, reverse("tag_detail", kwargs={"slug": tag.slug}), root_url=root_url
            ),
            "articles": ArticlePage.objects.filter(tags=tag),
        }
