"""Reading a WordPress eXtended RSS (WXR) export as a stream.

The file is parsed with defusedxml's iterparse (no DTD, no entity expansion:
an export is untrusted input) and each top-level element of the channel is
handed out as a small dataclass, then cleared, so memory stays flat however
many posts the file holds. Malformed XML raises `ExportError` with the
position the parser stopped at.
"""

from dataclasses import dataclass, field
from xml.etree.ElementTree import ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import iterparse

WP = "{http://wordpress.org/export/1.2/}"
WP_NAMESPACES = (
    "http://wordpress.org/export/1.2/",
    "http://wordpress.org/export/1.1/",
    "http://wordpress.org/export/1.0/",
)
CONTENT = "{http://purl.org/rss/1.0/modules/content/}encoded"
EXCERPT_NAMESPACES = (
    "{http://wordpress.org/export/1.2/excerpt/}encoded",
    "{http://wordpress.org/export/1.1/excerpt/}encoded",
)
DC_CREATOR = "{http://purl.org/dc/elements/1.1/}creator"


class ExportError(Exception):
    """The file cannot be read further (not XML, truncated, a DTD...)."""


def _local(tag):
    """`wp:post_id` → ("wp", "post_id"); other namespaces keep their URI."""
    if tag.startswith("{"):
        uri, name = tag[1:].split("}", 1)
        if uri in WP_NAMESPACES:
            return "wp", name
        return uri, name
    return "", tag


def _text(element):
    return (element.text or "").strip() if element is not None else ""


def _wp_children(element):
    """{name: text} of an element's wp: children (the last wins)."""
    values = {}
    for child in element:
        namespace, name = _local(child.tag)
        if namespace == "wp" and len(child) == 0:
            values[name] = (child.text or "").strip()
    return values


def _meta_pairs(element, names=("postmeta", "commentmeta", "usermeta", "author_meta", "meta")):
    """{meta_key: meta_value} of an element's wp:postmeta-style children."""
    meta = {}
    for child in element:
        namespace, name = _local(child.tag)
        if namespace == "wp" and name in names:
            pairs = _wp_children(child)
            if pairs.get("meta_key"):
                meta[pairs["meta_key"]] = pairs.get("meta_value", "")
    return meta


@dataclass
class Author:
    """A wp:author of the channel (a WordPress user)."""

    id: str
    login: str
    email: str = ""
    display_name: str = ""
    first_name: str = ""
    last_name: str = ""
    meta: dict = field(default_factory=dict)


@dataclass
class Term:
    """A wp:category, wp:tag or wp:term of the channel."""

    taxonomy: str
    term_id: str
    slug: str
    name: str
    parent: str = ""
    description: str = ""


@dataclass
class ItemTerm:
    """A <category> of an item: a category, tag or (Co-Authors Plus) author."""

    domain: str
    slug: str
    name: str


@dataclass
class Comment:
    id: str
    author: str = ""
    email: str = ""
    url: str = ""
    ip: str = ""
    date: str = ""
    date_gmt: str = ""
    content: str = ""
    approved: str = ""
    type: str = ""
    parent: str = "0"
    user_id: str = "0"


@dataclass
class Item:
    """An <item>: a post, page, attachment or anything else WordPress stores as a post."""

    post_id: str
    title: str = ""
    link: str = ""
    creator: str = ""
    content: str = ""
    excerpt: str = ""
    post_date: str = ""
    post_date_gmt: str = ""
    slug: str = ""
    status: str = ""
    post_type: str = ""
    post_parent: str = "0"
    password: str = ""
    sticky: bool = False
    attachment_url: str = ""
    terms: list = field(default_factory=list)
    meta: dict = field(default_factory=dict)
    comments: list = field(default_factory=list)

    @property
    def label(self):
        """How messages name the item: its type, id and title."""
        title = self.title or "(no title)"
        return f"{self.post_type or 'item'} {self.post_id or '?'} “{title[:80]}”"

    def terms_in(self, domain):
        return [term for term in self.terms if term.domain == domain]


@dataclass
class Site:
    """What the channel says about the exported site."""

    title: str = ""
    link: str = ""
    base_site_url: str = ""
    base_blog_url: str = ""
    wxr_version: str = ""

    @property
    def source(self):
        return (self.base_blog_url or self.base_site_url or self.link or "wordpress").rstrip("/")


def _item(element):
    values = _wp_children(element)
    item = Item(
        post_id=values.get("post_id", ""),
        title=_text(element.find("title")),
        link=_text(element.find("link")),
        creator=_text(element.find(DC_CREATOR)),
        content=(element.findtext(CONTENT) or ""),
        excerpt=next(
            (
                element.findtext(tag) or ""
                for tag in EXCERPT_NAMESPACES
                if element.find(tag) is not None
            ),
            "",
        ),
        post_date=values.get("post_date", ""),
        post_date_gmt=values.get("post_date_gmt", ""),
        slug=values.get("post_name", ""),
        status=values.get("status", ""),
        post_type=values.get("post_type", ""),
        post_parent=values.get("post_parent", "0") or "0",
        password=values.get("post_password", ""),
        sticky=values.get("is_sticky", "0") == "1",
        attachment_url=values.get("attachment_url", ""),
        meta=_meta_pairs(element, ("postmeta",)),
    )
    for child in element:
        namespace, name = _local(child.tag)
        if namespace == "" and name == "category":
            item.terms.append(
                ItemTerm(
                    domain=child.get("domain", ""),
                    slug=child.get("nicename", ""),
                    name=(child.text or "").strip(),
                )
            )
        elif namespace == "wp" and name == "comment":
            comment = _wp_children(child)
            item.comments.append(
                Comment(
                    id=comment.get("comment_id", ""),
                    author=comment.get("comment_author", ""),
                    email=comment.get("comment_author_email", ""),
                    url=comment.get("comment_author_url", ""),
                    ip=comment.get("comment_author_IP", ""),
                    date=comment.get("comment_date", ""),
                    date_gmt=comment.get("comment_date_gmt", ""),
                    content=comment.get("comment_content", ""),
                    approved=comment.get("comment_approved", ""),
                    type=comment.get("comment_type", ""),
                    parent=comment.get("comment_parent", "0") or "0",
                    user_id=comment.get("comment_user_id", "0") or "0",
                )
            )
    return item


def _author(element):
    values = _wp_children(element)
    meta = _meta_pairs(element)
    # Export plugins that carry more user fields add them as wp:author_<field>.
    for key, value in values.items():
        if key.startswith("author_") and key not in {
            "author_id",
            "author_login",
            "author_email",
            "author_display_name",
            "author_first_name",
            "author_last_name",
        }:
            meta.setdefault(key.removeprefix("author_"), value)
    return Author(
        id=values.get("author_id", ""),
        login=values.get("author_login", ""),
        email=values.get("author_email", ""),
        display_name=values.get("author_display_name", ""),
        first_name=values.get("author_first_name", ""),
        last_name=values.get("author_last_name", ""),
        meta=meta,
    )


def _term(name, element):
    values = _wp_children(element)
    if name == "category":
        return Term(
            "category",
            values.get("term_id", ""),
            values.get("category_nicename", ""),
            values.get("cat_name", ""),
            values.get("category_parent", ""),
            values.get("category_description", ""),
        )
    if name == "tag":
        return Term(
            "post_tag",
            values.get("term_id", ""),
            values.get("tag_slug", ""),
            values.get("tag_name", ""),
            description=values.get("tag_description", ""),
        )
    return Term(
        values.get("term_taxonomy", ""),
        values.get("term_id", ""),
        values.get("term_slug", ""),
        values.get("term_name", ""),
        values.get("term_parent", ""),
        values.get("term_description", ""),
    )


def read_export(source):
    """Yield the export's parts in file order: Site (once, before anything else),
    Author, Term and Item objects.

    `source` is a path or a binary file object. Raises ExportError when the
    XML is malformed (with the line and column) or carries a DTD or entities.
    """
    site = Site()
    site_sent = False
    depth = 0
    channel = None
    try:
        for event, element in iterparse(source, events=("start", "end"), forbid_dtd=True):
            if event == "start":
                depth += 1
                if depth == 2 and _local(element.tag) == ("", "channel"):
                    channel = element
                continue
            depth -= 1
            if depth != 2 or channel is None:
                if depth == 0 and channel is None:
                    raise ExportError("the file has no RSS <channel>: is it a WordPress export?")
                continue
            # A direct child of <channel> is complete.
            namespace, name = _local(element.tag)
            part = None
            if namespace == "" and name == "item":
                part = _item(element)
            elif namespace == "wp" and name == "author":
                part = _author(element)
            elif namespace == "wp" and name in {"category", "tag", "term"}:
                part = _term(name, element)
            elif (
                namespace == "wp" and name in {"base_site_url", "base_blog_url", "wxr_version"}
            ) or (namespace == "" and name in {"title", "link"}):
                setattr(site, name, _text(element))
            if part is not None:
                # The channel's own fields come first in an export: the site is
                # complete before its first user, term or item.
                if not site_sent:
                    site_sent = True
                    yield site
                yield part
            # What was handed out is not needed any more: keep memory flat.
            channel.clear()
    except ParseError as exc:
        line, column = getattr(exc, "position", (0, 0))
        raise ExportError(
            f"the XML is malformed at line {line}, column {column} ({exc}). Everything "
            "before that point was imported; repair the file (a truncated download or an "
            "unescaped character) and run the import again: it updates what is there."
        ) from exc
    except DefusedXmlException as exc:
        raise ExportError(
            f"the file declares a DTD or entities ({type(exc).__name__}); a WordPress export "
            "has none, so it is refused for safety."
        ) from exc
    if not site_sent:
        yield site
