"""What the benchmark measures: one URL per kind of page, found through the public API.

The same kinds are measured on every server, each on its own content (the
10,000-article database and the demo one hold different articles), so a
row compares like with like.
"""

import json
import math
from dataclasses import dataclass
from urllib.parse import urlsplit

from .server import fetch

# A section page lists this many articles (news.models.pages.ARTICLES_PER_PAGE).
ARTICLES_PER_PAGE = 12
DEEP_PAGE = 400
SEARCH_WORDS = "council"


@dataclass(frozen=True)
class Target:
    key: str  # stable name in the JSON and the chart
    label: str
    path: str
    kind: str  # "floor", "page", "api", "feed", "sitemap"


def _json(base_url, path):
    answer = fetch(base_url + path)
    if answer.status != 200:
        raise RuntimeError(f"{path} answered {answer.status} while looking for content to measure")
    return json.loads(answer.body)


def _path(url):
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def discover(base_url):
    """The targets on the server at ``base_url`` (its own content)."""
    latest = _json(base_url, "/api/v2/articles/?limit=1")["items"]
    if not latest:
        raise RuntimeError("The benchmark database has no public article to measure.")
    article = latest[0]
    article_path = _path(article["meta"]["html_url"])
    section_slug = article["section"]["slug"]
    in_section = _json(base_url, f"/api/v2/articles/?section={section_slug}&limit=1")
    last_page = max(1, math.ceil(in_section["meta"]["total_count"] / ARTICLES_PER_PAGE))
    deep = min(DEEP_PAGE, last_page)
    section_path = _path(article["section"]["html_url"])
    tags = _json(base_url, "/api/v2/tags/?limit=20")["items"]
    tag = max(tags, key=lambda item: item["article_count"])
    authors = _json(base_url, "/api/v2/authors/?limit=20")["items"]
    author_path = f"/authors/{authors[0]['slug']}/"
    return [
        Target("floor", "trivial view (floor)", "/bench/floor/", "floor"),
        Target("article", "article", article_path, "page"),
        Target("home", "home", "/", "page"),
        Target("section", "section, page 1", section_path, "page"),
        Target("section_deep", f"section, page {deep}", f"{section_path}?page={deep}", "page"),
        Target("tag", "tag", f"/tags/{tag['slug']}/", "page"),
        Target("author", "author", author_path, "page"),
        Target("search", "search", f"/search/?q={SEARCH_WORDS}", "page"),
        Target("feed", "feed (RSS)", "/feed/", "feed"),
        Target("sitemap_index", "sitemap index", "/sitemap.xml", "sitemap"),
        Target("sitemap_page", "sitemap of pages, p. 1", "/sitemap-pages.xml", "sitemap"),
        Target("sitemap_tags", "sitemap of tags", "/sitemap-tags.xml", "sitemap"),
        Target("sitemap_authors", "sitemap of authors", "/sitemap-authors.xml", "sitemap"),
        Target("api_v2_listing", "API v2 listing of 20", "/api/v2/articles/?limit=20", "api"),
        Target(
            "api_v2_listing_full",
            "API v2 listing, 6, fields=*",
            "/api/v2/pages/?type=news.ArticlePage&fields=*&limit=6",
            "api",
        ),
        Target("api_v2_detail", "API v2 detail", f"/api/v2/pages/{article['id']}/", "api"),
        Target(
            "api_v3_listing",
            "API v3 listing of 20",
            "/api/v3/pages/?type=news.ArticlePage&limit=20",
            "api",
        ),
        Target("api_v3_detail", "API v3 detail", f"/api/v3/pages/{article['id']}/", "api"),
    ]
