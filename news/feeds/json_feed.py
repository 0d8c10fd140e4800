"""JSON Feed 1.1 (https://jsonfeed.org/version/1.1) as a Django feed generator."""

import json

from django.utils.feedgenerator import SyndicationFeed

JSON_FEED_VERSION = "https://jsonfeed.org/version/1.1"


def _date(value):
    # RFC 3339, as the specification asks.
    return value.isoformat() if value else None


class JsonFeed(SyndicationFeed):
    """A JSON Feed 1.1 document built from the same feed and items as RSS and Atom.

    Reads the extra item keys `BylineRssFeed` documents, plus `summary_text`
    (the plain-text summary; `description` is HTML for the XML formats).
    Without `content_html` (summary mode) the summary is the `content_text`.
    """

    content_type = "application/feed+json; charset=utf-8"

    def as_dict(self):
        feed = {
            "version": JSON_FEED_VERSION,
            "title": self.feed["title"],
            "home_page_url": self.feed["link"],
            "feed_url": self.feed["feed_url"],
            "description": self.feed["description"],
            "language": self.feed["language"],
        }
        if self.feed.get("logo") is not None:
            feed["icon"] = self.feed["logo"].url
            feed["favicon"] = self.feed["logo"].icon_url
        if self.feed["author_name"]:
            feed["authors"] = [{"name": self.feed["author_name"], "url": self.feed["author_link"]}]
        feed["items"] = [self.item_dict(item) for item in self.items]
        return {key: value for key, value in feed.items() if value is not None}

    def item_dict(self, item):
        summary = item.get("summary_text") or ""
        entry = {
            "id": item["unique_id"] or item["link"],
            "url": item["link"],
            "title": item["title"],
        }
        if item.get("content_html"):
            entry["content_html"] = item["content_html"]
        else:
            entry["content_text"] = summary
        entry["summary"] = summary
        if item.get("image") is not None:
            entry["image"] = item["image"].url
        entry["date_published"] = _date(item["pubdate"])
        entry["date_modified"] = _date(item["updateddate"])
        byline = item.get("byline") or ()
        if byline:
            entry["authors"] = [{"name": author.name, "url": author.url} for author in byline]
        if item["categories"]:
            entry["tags"] = list(item["categories"])
        return {key: value for key, value in entry.items() if value is not None}

    def write(self, outfile, encoding):
        json.dump(self.as_dict(), outfile, ensure_ascii=False)
