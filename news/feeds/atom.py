"""Atom 1.0 with full content and every author of the byline."""

from django.utils.feedgenerator import Atom1Feed


class BylineAtomFeed(Atom1Feed):
    """Django's Atom 1.0 with one `<author>` per byline name and an HTML `<content>`.

    Takes the same extra item keys as `BylineRssFeed`; the lead image is the
    entry's `<link rel="enclosure">`.
    """

    def add_root_elements(self, handler):
        super().add_root_elements(handler)
        logo = self.feed.get("logo")
        if logo is not None:
            handler.addQuickElement("icon", logo.icon_url)
            handler.addQuickElement("logo", logo.url)

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        for author in item.get("byline", ()):
            handler.startElement("author", {})
            handler.addQuickElement("name", author.name)
            handler.addQuickElement("uri", author.url)
            handler.endElement("author")
        if item.get("content_html"):
            handler.addQuickElement("content", item["content_html"], {"type": "html"})
