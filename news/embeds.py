"""Embeds that never wait for their provider: stored answers in bulk, fetches in the worker.

A body's embed blocks keep only the URL. What readers see comes from
Wagtail's embed table (`wagtail.embeds.models.Embed`), read for every embed
of a page, feed or API answer in one query (`preload_embeds`). An embed that
is not stored yet renders as a link card, never as a fetch in the request:
the worker fetches it after publishing (`queue_embed_fetching`) and the
clock retries whatever is still missing (`news.tasks.fetch_pending_embeds`),
then purges the cached pages that show it.
"""

import logging
from urllib.parse import urlsplit

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.functional import cached_property
from wagtail.blocks import StreamValue, StructValue
from wagtail.blocks.list_block import ListValue
from wagtail.embeds.blocks import EmbedValue
from wagtail.embeds.embeds import get_embed, get_embed_hash
from wagtail.embeds.exceptions import EmbedException
from wagtail.embeds.models import Embed

logger = logging.getLogger("byline.embeds")

EMBED_SCHEMES = {"http", "https"}


class StoredEmbedValue(EmbedValue):
    """An embed block's value that only reads the embed table and never fetches.

    Stock `EmbedValue.html` asks the provider when the URL is not stored,
    inside the reader's request (and answers "" when it is down).
    """

    @cached_property
    def stored(self):
        """The stored `Embed` answer, or None (one query unless `preload_embeds` ran)."""
        return Embed.objects.filter(hash=self.hash).exclude(cache_until__lte=timezone.now()).first()

    @property
    def hash(self):
        return get_embed_hash(self.url, self.max_width, self.max_height)

    @property
    def html(self):
        """The provider's HTML, or "" until it has answered."""
        return self.stored.html if self.stored is not None else ""


def nested_values(value):
    """Every value nested in a block value: struct children, list items, stream children."""
    yield value
    if isinstance(value, StreamValue):
        for child in value:
            yield from nested_values(child.value)
    elif isinstance(value, StructValue):
        for child in value.values():
            yield from nested_values(child)
    elif isinstance(value, (list, ListValue)):
        for child in value:
            yield from nested_values(child)


def _embed_values(values):
    return [
        nested
        for value in values
        for nested in nested_values(value)
        if isinstance(nested, EmbedValue) and nested.url
    ]


def preload_embeds(values):
    """Load the stored answer of every embed found in `values` (block values) in one query."""
    embeds = [
        embed
        for embed in _embed_values(values)
        if "stored" not in embed.__dict__ and "html" not in embed.__dict__
    ]
    if not embeds:
        return
    hashes = [get_embed_hash(e.url, e.max_width, e.max_height) for e in embeds]
    stored = Embed.objects.filter(hash__in=set(hashes)).exclude(cache_until__lte=timezone.now())
    by_hash = {embed.hash: embed for embed in stored}
    for embed_value, embed_hash in zip(embeds, hashes, strict=True):
        embed = by_hash.get(embed_hash)
        if isinstance(embed_value, StoredEmbedValue):
            embed_value.__dict__["stored"] = embed  # None too: a link card, no query
        elif embed is not None:
            # A stock EmbedValue (a plugin's block): what
            # wagtail.embeds.format.embed_to_frontend_html renders for a stored embed.
            embed_value.__dict__["html"] = render_to_string(
                "wagtailembeds/embed_frontend.html", {"embed": embed}
            )


# Checking and fetching --------------------------------------------------------------


def embed_url_problem(url):
    """Why `url` cannot be an embed's address, or None when it can."""
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        parts = None
    if parts is None or parts.scheme.lower() not in EMBED_SCHEMES or not parts.hostname:
        return (
            "Enter the full web address of the video, post or map, starting with "
            "https:// (or http://), e.g. https://www.youtube.com/watch?v=..."
        )
    return None


def site_name(url):
    """The host readers recognise in a link card: www.example.com -> example.com."""
    host = (urlsplit(url).hostname or "").lower()
    return host.removeprefix("www.")


def has_finder(url):
    """Whether a configured finder (oEmbed provider) would answer for `url` at all."""
    from wagtail.embeds.finders import get_finders

    return any(finder.accept(url) for finder in get_finders())


def missing_embeds(values):
    """The embeds in `values` with no stored answer that some provider could give."""
    embeds = [embed for embed in _embed_values(values) if isinstance(embed, StoredEmbedValue)]
    preload_embeds(values)
    unique = {}
    for embed in embeds:
        if embed.stored is None and embed.hash not in unique and has_finder(embed.url):
            unique[embed.hash] = embed
    return list(unique.values())


def fetch_embeds(embeds):
    """Ask the providers for `embeds`; how many answered (and are now stored)."""
    fetched = 0
    for embed in embeds:
        try:
            get_embed(embed.url, embed.max_width, embed.max_height)
        except EmbedException as error:
            logger.info("No embed yet for %s: %s", embed.url, error)
            continue
        except Exception:  # a provider answering nonsense must not stop the others
            logger.exception("Fetching the embed for %s failed", embed.url)
            continue
        fetched += 1
    return fetched


def fetch_article_embeds(articles):
    """Fetch the missing embeds of `articles`; the articles that show a new one."""
    changed = []
    for article in articles:
        if fetch_embeds(missing_embeds([article.body])):
            changed.append(article)
    if changed:
        from cms.page_cache.invalidation import purge

        purge(
            {f"page:{article.pk}" for article in changed},
            urls=[article.get_full_url() for article in changed],
        )
    return changed


def queue_embed_fetching(article):
    """Have the worker fetch `article`'s embeds that are not stored yet (one query)."""
    if missing_embeds([article.body]):
        from .tasks import fetch_embeds_of_article

        fetch_embeds_of_article.enqueue(article.pk)
