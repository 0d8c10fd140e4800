"""The README is tested: its examples run against the demo content.

Everything is read from README.md when the tests are collected, so a new or
changed example is tested as written (tests/readme_support.py parses it):

- every `curl` command in a shell block is sent through Django's test client
  to the demo site (`manage.py load_demo_content`, built once for the module)
  and must succeed with content: 2xx (a redirect only for `pages/find/`
  without `-L`), JSON that parses, a non-empty listing when it filters, and
  items that match every filter it names;
- the Python example of the "Search" section runs and finds articles;
- every `make <target>` and `manage.py <command>` it names exists.

Ids are the database's, so an example's ids stand for demo objects by the
rule in `DEMO_STAND_INS`. Slugs, tags and words are not translated: an
example that names what the demo lacks fails (see `KNOWN_GAPS`).
"""

import ast
import datetime
import json
import re
from dataclasses import dataclass
from urllib.parse import parse_qs, urljoin, urlsplit

import pytest
from django.contrib.auth import get_user_model
from django.core.management import get_commands
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from taggit.models import Tag

from authors.models import Author
from news.demo import content
from news.models import ArticlePage, NewsIndexPage
from tests.api_support import token_for
from tests.demo_support import demo_loaded
from tests.readme_support import (
    curl_commands,
    fenced_blocks,
    make_targets_mentioned,
    makefile_targets,
    manage_commands_mentioned,
    parse_curl,
    read_readme,
)

pytestmark = pytest.mark.django_db

README_TEXT = read_readme()
CURL_EXAMPLES = curl_commands(README_TEXT)
SEARCH_EXAMPLES = [
    block
    for block in fenced_blocks(README_TEXT)
    if block.language in ("python", "py") and "search" in block.section.lower()
]

# README examples that name slugs, tags, words or paths the demo content does
# not have: a temporary state. Fix the example in README.md (the replacements
# named here exist in the demo), then remove its entry; a strict xfail that
# starts passing fails, and so does an entry whose example is gone.
KNOWN_GAPS = {}


def gap(example_id):
    if example_id in KNOWN_GAPS:
        reason = f"README example names {KNOWN_GAPS[example_id]}, which the demo lacks"
        return [pytest.mark.xfail(strict=True, reason=reason)]
    return []


def search_call(source):
    """The example's search_articles(...) call node."""
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Call) and "search_articles" in (
            getattr(node.func, "id", None),
            getattr(node.func, "attr", None),
        ):
            return node
    raise AssertionError("the example does not call search_articles()")


def search_example_id(block):
    """The example's search_articles(...) call as written, whitespace collapsed."""
    return " ".join(ast.get_source_segment(block.text, search_call(block.text)).split())


# The demo ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def demo_media(tmp_path_factory):
    return str(tmp_path_factory.mktemp("readme-demo-media"))


@pytest.fixture(scope="module")
def demo_site(django_db_setup, django_db_blocker, demo_media):
    """The demo content, once for the module (tests/demo_support.py)."""
    with demo_loaded(django_db_blocker, demo_media):
        yield


@dataclass
class Demo:
    lead: ArticlePage  # the front page's lead story

    def stand_in(self, kind):
        """The demo object an example's id stands for (ids depend on the database)."""
        stand_ins = {
            "pages": lambda: self.lead.pk,
            "articles": lambda: self.lead.pk,
            "images": lambda: self.lead.lead_image_id,
            "authors": lambda: self.lead.authors[0].pk,
            "tags": lambda: self.lead.tags.order_by("pk").first().pk,
        }
        return stand_ins[kind]() if kind in stand_ins else None


@pytest.fixture
def demo(demo_site, demo_media, settings):
    settings.MEDIA_ROOT = demo_media  # conftest gives each test an empty folder otherwise
    return Demo(lead=ArticlePage.objects.get(slug=content.LEAD_STORY_SLUG))


@pytest.fixture
def token():
    admin = get_user_model().objects.create_superuser("readme", "readme@example.com", "pw")
    return token_for(admin)


# DEMO_STAND_INS: `/api/v2|v3/<kind>/<number>/` in an example means the demo's lead
# story (pages, articles), its lead image (images), its first author (authors) or
# one of its tags (tags); other numbers are sent as written.
_ID_IN_PATH = re.compile(r"^(?P<prefix>/api/v[23]/(?P<kind>[a-z_-]+)/)(?P<id>\d+)(?P<rest>/.*)?$")


def resolve_ids(path, demo):
    match = _ID_IN_PATH.match(path)
    if not match:
        return path, None
    stand_in = demo.stand_in(match["kind"])
    if stand_in is None:
        return path, int(match["id"])
    return f"{match['prefix']}{stand_in}{match['rest'] or ''}", stand_in


# Sending an example ---------------------------------------------------------------


REDIRECTS = (301, 302, 303, 307, 308)


def send(client, request, path, query, host, secure, token):
    content_type = "application/octet-stream"
    extra = {"HTTP_HOST": host}
    for name, value in request.headers:
        value = value.replace("<token>", token)
        if name.lower() == "content-type":
            content_type = value
        else:
            extra["HTTP_" + name.upper().replace("-", "_")] = value
    data = (request.data or "").replace("<token>", token).encode()
    if request.data is not None and content_type == "application/octet-stream":
        content_type = "application/x-www-form-urlencoded"  # what curl -d sends
    url = f"{path}?{query}" if query else path
    return client.generic(
        request.method, url, data=data, content_type=content_type, secure=secure, **extra
    )


def follow(client, response, base_url, limit=5):
    """Follow redirects as `curl -L` does (with GET), across hosts if need be."""
    chain = [response]
    while response.status_code in REDIRECTS and len(chain) <= limit:
        target = urlsplit(urljoin(base_url, response["Location"]))
        base_url = target.geturl()
        url = f"{target.path}?{target.query}" if target.query else target.path
        response = client.get(url, HTTP_HOST=target.netloc, secure=target.scheme == "https")
        chain.append(response)
    assert response.status_code not in REDIRECTS, f"too many redirects: {chain}"
    return response


# What a response must show -----------------------------------------------------------


NOT_FILTERS = {"limit", "offset", "fields", "order", "rich_text_format", "search_operator"}


def query_values(query, name):
    """A parameter's values: repeated or comma-separated."""
    return [value for raw in query.get(name, []) for value in raw.split(",") if value]


def moment(value):
    parsed = parse_datetime(value)
    if parsed is None:
        parsed = datetime.datetime.combine(parse_date(value), datetime.time.min)
    return parsed if timezone.is_aware(parsed) else timezone.make_aware(parsed)


def articles_of(items):
    ids = [item["id"] for item in items]
    articles = ArticlePage.objects.filter(pk__in=ids).prefetch_related(
        "tags", "article_authors__author"
    )
    found = {article.pk: article for article in articles}
    missing = [pk for pk in ids if pk not in found]
    assert not missing, f"items {missing} are not articles"
    return [found[pk] for pk in ids]


def article_text(article):
    """What a search looks in: headline, standfirst, body, author names and tags."""
    parts = [article.title, article.standfirst, json.dumps(article.body.get_prep_value())]
    parts += [byline.author.name for byline in article.article_authors.all()]
    parts += [tag.name for tag in article.tags.all()]
    return " ".join(parts).lower()


def search_words(value):
    return [word.lower() for word in re.findall(r"\w+", value)]


def absent_from_demo(query):
    """The slugs a listing query names that no demo object has (for failure messages)."""
    kinds = {
        "section": lambda slug: (
            NewsIndexPage.objects.filter(slug=slug).exists()
            or (slug.isdigit() and NewsIndexPage.objects.filter(pk=slug).exists())
        ),
        "tag": lambda slug: Tag.objects.filter(slug=slug).exists(),
        "author": lambda slug: Author.objects.filter(slug=slug).exists(),
        "slug": lambda slug: (
            Author.objects.filter(slug=slug).exists() or Tag.objects.filter(slug=slug).exists()
        ),
    }
    return [
        f"{name}={value}"
        for name, exists in kinds.items()
        for value in query_values(query, name)
        if not exists(value)
    ]


def check_listing(data, query, path):
    items = data["items"]
    total = data.get("count", data.get("meta", {}).get("total_count"))
    assert total is not None and total >= len(items)
    filters = [name for name in query if name not in NOT_FILTERS]
    if filters:
        assert items, (
            f"the listing filtered by {filters} is empty; demo lacks: {absent_from_demo(query)}"
        )
    if "limit" in query:
        limit, offset = int(query["limit"][0]), int(query.get("offset", ["0"])[0])
        assert len(items) == max(0, min(limit, total - offset))
    about_articles = "/articles/" in path or query_values(query, "type") == ["news.ArticlePage"]
    articles = articles_of(items) if about_articles else []

    for section in query_values(query, "section"):
        for item, article in zip(items, articles, strict=True):
            parent = article.get_parent()
            assert section in (parent.slug, str(parent.pk)), article.slug
            if "section" in item:
                assert section in (item["section"]["slug"], str(item["section"]["id"]))
    if tags := set(query_values(query, "tag")):
        for item, article in zip(items, articles, strict=True):
            assert tags & {tag.slug for tag in article.tags.all()}, article.slug
            if "tags" in item:
                assert tags & {tag["slug"] for tag in item["tags"]}
    if authors := set(query_values(query, "author")):
        for item, article in zip(items, articles, strict=True):
            bylines = {byline.author.slug for byline in article.article_authors.all()}
            assert authors & bylines, article.slug
            if "authors" in item:
                assert authors & {author["slug"] for author in item["authors"]}
    for value in query_values(query, "published_after"):
        assert all(article.publication_date >= moment(value) for article in articles)
    for value in query_values(query, "published_before"):
        assert all(article.publication_date < moment(value) for article in articles)
    for value in query.get("search", []):
        words = search_words(value)
        for item, article in zip(items, articles or [None] * len(items), strict=True):
            text = json.dumps(item).lower() + (article_text(article) if article else "")
            assert all(word in text for word in words), (words, item.get("id"))
    for value in query_values(query, "slug"):
        assert all(item.get("slug", item.get("meta", {}).get("slug")) == value for item in items)
    for value in query_values(query, "type"):
        assert all(item["meta"]["type"] == value for item in items)
    if "*" in query_values(query, "fields") or "body" in query_values(query, "fields"):
        assert all("body" in item for item in items)
    for order in query_values(query, "order"):
        name = order.removeprefix("-")
        if articles and name in ("publication_date", "first_published_at", "title", "id"):
            values = [getattr(article, name if name != "id" else "pk") for article in articles]
            assert values == sorted(values, reverse=order.startswith("-")), order


def check_json(response, path, query, expected_id):
    data = response.json()
    assert data, "empty JSON"
    if isinstance(data, dict) and isinstance(data.get("items"), list):
        check_listing(data, query, path)
    elif expected_id is not None:
        assert data["id"] == expected_id
    return data


# The curl examples -------------------------------------------------------------------


@pytest.mark.parametrize(
    "example",
    [pytest.param(command, id=command.text, marks=gap(command.text)) for command in CURL_EXAMPLES],
)
def test_curl_example(example, demo, client, token):
    request = parse_curl(example.words)
    url = urlsplit(request.url)
    assert url.scheme in ("http", "https") and url.netloc, request.url
    path, expected_id = resolve_ids(url.path, demo)
    query = parse_qs(url.query, keep_blank_values=True)

    response = send(client, request, path, url.query, url.netloc, url.scheme == "https", token)
    if response.status_code in REDIRECTS:
        # Only pages/find/ answers with a redirect, to the page's detail; -L follows it.
        assert path.endswith("/find/"), f"unexpected redirect to {response['Location']}"
        response = follow(client, response, request.url)
    assert 200 <= response.status_code < 300, (
        f"{request.method} {path}?{url.query}: {response.status_code} {response.content[:400]!r}"
    )
    assert response.content, "empty response"
    if "json" not in response.get("Content-Type", ""):
        return
    data = check_json(response, path, query, expected_id)

    if path.endswith("/find/"):
        for html_path in query.get("html_path", []):
            assert data["meta"]["html_url"].endswith(html_path)
    if request.method in ("PATCH", "PUT", "POST") and request.data:
        # What the write changed is what a reader gets now.
        sent = json.loads(request.data)
        public = client.get(path, HTTP_HOST=url.netloc).json()
        for name, value in sent.items():
            if name != "meta":
                assert public[name] == value, name


def test_the_readme_has_curl_examples():
    assert len(CURL_EXAMPLES) >= 10


def test_known_gaps_name_examples_the_readme_still_has():
    """Once README.md is fixed, its entry in KNOWN_GAPS goes too."""
    examples = {command.text for command in CURL_EXAMPLES}
    examples |= {search_example_id(block) for block in SEARCH_EXAMPLES}
    fixed = sorted(set(KNOWN_GAPS) - examples)
    assert not fixed, (
        f"README.md no longer has these examples: remove them from KNOWN_GAPS: {fixed}"
    )


# The Python search example ---------------------------------------------------------------


def search_call_arguments(source):
    """The literal arguments of the example's search_articles(...) call."""
    call = search_call(source)
    args = [ast.literal_eval(arg) for arg in call.args]
    return args, {keyword.arg: ast.literal_eval(keyword.value) for keyword in call.keywords}


@pytest.mark.parametrize(
    "example",
    [
        pytest.param(block, id=search_example_id(block), marks=gap(search_example_id(block)))
        for block in SEARCH_EXAMPLES
    ],
)
def test_search_example(example, demo):
    namespace = {}
    exec(compile(example.text, f"README.md:{example.line}", "exec"), namespace)
    results = namespace["results"]
    assert results.count() > 0

    (query, *_), filters = search_call_arguments(example.text)
    for article in results[0:20]:
        assert all(word in article_text(article) for word in search_words(query)), article.slug
        if "section" in filters:
            assert article.get_parent().slug == filters["section"]
        if "author" in filters:
            assert filters["author"] in {a.slug for a in article.authors}
        if "tag" in filters:
            assert filters["tag"] in {tag.slug for tag in article.tags.all()}


def test_the_readme_has_a_search_example():
    assert SEARCH_EXAMPLES, "no ```python block under a heading about Search"


# make targets and manage.py commands ---------------------------------------------------


MAKE_TARGETS = make_targets_mentioned(README_TEXT)
MANAGE_COMMANDS = manage_commands_mentioned(README_TEXT)


@pytest.mark.parametrize("target", sorted(MAKE_TARGETS), ids=lambda t: MAKE_TARGETS[t])
def test_make_target_exists(target):
    assert target in makefile_targets()


@pytest.mark.parametrize("command", sorted(MANAGE_COMMANDS), ids=lambda c: MANAGE_COMMANDS[c])
def test_manage_command_exists(command):
    assert command in get_commands()


def test_the_readme_names_make_targets_and_commands():
    assert {"run", "test", "help"} <= set(MAKE_TARGETS)
    assert "load_demo_content" in MANAGE_COMMANDS
