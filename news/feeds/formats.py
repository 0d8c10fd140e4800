"""The feed formats Byline serves: generator, URL suffix, media type and label."""

from dataclasses import dataclass

from .atom import BylineAtomFeed
from .json_feed import JsonFeed
from .rss import BylineRssFeed


@dataclass(frozen=True)
class FeedLogo:
    """The publication's logo (`url`, square, `width` x `height`) and a small icon."""

    url: str
    width: int
    height: int
    icon_url: str


@dataclass(frozen=True)
class FeedFormat:
    name: str  # URL name suffix: feeds:<scope>_<name>
    path: str  # after "<scope>/feed/"
    generator: type
    media_type: str
    label: str


FEED_FORMATS = (
    FeedFormat("rss", "", BylineRssFeed, "application/rss+xml", "RSS"),
    FeedFormat("atom", "atom/", BylineAtomFeed, "application/atom+xml", "Atom"),
    FeedFormat("json", "json/", JsonFeed, "application/feed+json", "JSON Feed"),
)
