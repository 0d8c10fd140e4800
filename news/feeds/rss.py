"""RSS 2.0 with full content, several authors and a media:content image."""

from django.utils.feedgenerator import Rss201rev2Feed

CONTENT_NS = "http://purl.org/rss/1.0/modules/content/"
DUBLIN_CORE_NS = "http://purl.org/dc/elements/1.1/"
MEDIA_RSS_NS = "http://search.yahoo.com/mrss/"


class BylineRssFeed(Rss201rev2Feed):
    """Django's RSS 2.0 plus the extensions feed readers look for.

    Items take three extra keys from `ArticleFeed.item_extra_kwargs`:
    `byline` (`FeedAuthor` list, one `dc:creator` each: RSS's own `<author>`
    wants an e-mail address, which Byline never publishes), `content_html`
    (`content:encoded`, left out in summary mode) and `image` (`FeedImage`,
    also sent as the enclosure).
    """

    def rss_attributes(self):
        return {
            **super().rss_attributes(),
            "xmlns:content": CONTENT_NS,
            "xmlns:dc": DUBLIN_CORE_NS,
            "xmlns:media": MEDIA_RSS_NS,
        }

    def add_root_elements(self, handler):
        super().add_root_elements(handler)
        logo = self.feed.get("logo")
        if logo is not None:
            # RSS 2.0 allows an <image> at most 144 px wide: the small icon.
            handler.startElement("image", {})
            handler.addQuickElement("url", logo.icon_url)
            handler.addQuickElement("title", self.feed["title"])
            handler.addQuickElement("link", self.feed["link"])
            handler.addQuickElement("width", "144")
            handler.addQuickElement("height", "144")
            handler.endElement("image")

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        for author in item.get("byline", ()):
            handler.addQuickElement("dc:creator", author.name)
        if item.get("content_html"):
            handler.addQuickElement("content:encoded", item["content_html"])
        image = item.get("image")
        if image is not None:
            handler.startElement(
                "media:content",
                {
                    "url": image.url,
                    "type": image.mime_type,
                    "medium": "image",
                    "width": str(image.width),
                    "height": str(image.height),
                    "fileSize": str(image.length),
                },
            )
            if image.alt:
                handler.addQuickElement("media:description", image.alt, {"type": "plain"})
            if image.credit:
                handler.addQuickElement("media:credit", image.credit)
            handler.endElement("media:content")
