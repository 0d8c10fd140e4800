"""Post content (block editor or classic HTML) → the article body's StreamField data.

Block-editor content is HTML between `<!-- wp:name {attrs} -->` comments;
classic content is HTML whose paragraphs are blank lines (WordPress adds the
`<p>` tags when it shows the post: `wpautop`). Both go through the same HTML
converter, which makes the article body's own blocks: paragraph (rich text
with the body's features), heading, quotation, pull quote, image, embed,
list and table, and a separator when a body block of that name exists.

Nothing is dropped silently and nothing is passed on as raw HTML: markup the
body has no block for (an iframe, a script, a form) is kept as escaped text in
a paragraph, and every such case is reported through `warn`.
"""

import functools
import html
import json
import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from bs4 import BeautifulSoup, Comment, NavigableString
from django.utils.html import strip_tags

from .shortcodes import expand_shortcodes

# <!-- wp:name {"json": "attrs"} --> , <!-- /wp:name --> and <!-- wp:name /-->
BLOCK_DELIMITER = re.compile(
    r"<!--\s+(?P<closer>/)?wp:(?P<name>[a-z][a-z0-9_-]*(?:/[a-z][a-z0-9_-]*)?)\s+"
    r"(?P<attrs>\{(?:(?!-->).)*?\}\s+)?(?P<void>/)?-->",
    re.S,
)
# Blocks that are markers or layout only: nothing of the post's text is in them.
SILENT_BLOCKS = {"more", "nextpage", "spacer", "separator-spacer"}
# Blocks WordPress builds when the page is shown (no content in the export).
INLINE_TAGS = {
    "a", "abbr", "b", "bdi", "bdo", "br", "cite", "code", "data", "del", "dfn", "em", "font",
    "i", "ins", "kbd", "mark", "q", "s", "samp", "small", "span", "strike", "strong", "sub",
    "sup", "time", "tt", "u", "var", "wbr", "img", "label",
}  # fmt: skip
# Inline tags the rich text keeps (or that carry nothing readers see).
KEPT_INLINE = {"a", "b", "strong", "i", "em", "sub", "sup", "br", "span", "wbr", "p"}
# Wrappers whose content is the post's text: unwrapped.
CONTAINERS = {
    "div", "section", "article", "aside", "header", "footer", "main", "center", "nav",
    "dl", "dt", "dd", "details", "summary", "address", "hgroup", "body", "html",
}  # fmt: skip
SAFE_LINK_SCHEMES = {"http", "https", "mailto", "tel", ""}
ALIGNMENTS = {"alignleft": "left", "alignright": "right", "alignwide": "wide", "alignfull": "wide"}
CREDIT = re.compile(
    r"(?:^|\n|(?<=[.!?…])\s+|\s+[–—|]\s+)\(?(?:Image|Photo|Photograph|Picture|Illustration|"
    r"Credit)s?(?:\s+by)?\s*:\s*(?P<credit>[^\n]+?)\)?\s*$",
    re.I,
)
URL_ONLY = re.compile(r"^https?://\S+$")


def split_credit(text):
    """("caption", "credit") from a caption whose last line is "Image: ..." / "Photo: ..."."""
    text = (text or "").strip()
    match = CREDIT.search(text)
    if not match:
        return text, ""
    return text[: match.start()].strip(), match["credit"].strip()


@dataclass
class BodyContext:
    """What the converter needs from the importer (kept apart so it is testable alone)."""

    resolve_image: Callable  # (attachment_id or "", url) -> image id or None
    accepts_embed: Callable  # (url) -> bool
    warn: Callable  # (message) -> None
    block_names: set = field(default_factory=set)
    separator_value: object = None


def _block(kind, value):
    return {"type": kind, "value": value, "id": str(uuid.uuid4())}


@functools.cache
def _rich_text_converter():
    from wagtail.admin.rich_text.converters.contentstate import ContentstateConverter

    from news.blocks import RICH_TEXT_FEATURES

    return ContentstateConverter(RICH_TEXT_FEATURES)


def _rich_text(fragment):
    """Wagtail's database HTML for an HTML fragment, through the body's rich text features
    (what the admin's editor does when it saves): anything else is reduced to its text."""
    converter = _rich_text_converter()
    return converter.to_database_format(converter.from_database_format(fragment))


def _classes(tag):
    return set(tag.get("class") or [])


def _text(tag):
    for br in tag.find_all("br"):
        br.replace_with("\n")
    return re.sub(r"[ \t\r\f\v]+", " ", tag.get_text()).strip()


class Converter:
    def __init__(self, context):
        self.context = context
        self.blocks = []
        self.reported = set()

    # Output -------------------------------------------------------------------

    def warn_once(self, message):
        if message not in self.reported:
            self.reported.add(message)
            self.context.warn(message)

    def add(self, kind, value):
        if kind == "paragraph" and self.blocks and self.blocks[-1]["type"] == "paragraph":
            self.blocks[-1]["value"] += value  # one rich text block for consecutive paragraphs
            return
        self.blocks.append(_block(kind, value))

    def paragraph_html(self, fragment):
        for tag in BeautifulSoup(fragment, "html.parser").find_all(True):
            if tag.name not in KEPT_INLINE and tag.name not in {"ul", "ol", "li"}:
                self.warn_once(f"formatting <{tag.name}> is not kept (its text is)")
        value = _rich_text(fragment)
        if BeautifulSoup(value, "html.parser").get_text().strip():
            self.add("paragraph", value)

    def escaped(self, tag, why):
        """Markup the body has no block for: its source as visible text, reported."""
        self.warn_once(f"{why} kept as text")
        source = str(tag)
        if len(source) > 5000:
            source = source[:5000] + " …"
        self.add("paragraph", f"<p>{html.escape(source)}</p>")

    # Walking the HTML ---------------------------------------------------------

    def convert(self, fragment):
        soup = BeautifulSoup(fragment, "html.parser")
        self.clean_links(soup)
        self.children(soup)

    def clean_links(self, soup):
        for link in soup.find_all("a"):
            scheme = urlsplit(link.get("href") or "").scheme.lower()
            if scheme not in SAFE_LINK_SCHEMES:
                self.warn_once(f"a {scheme}: link was removed (its text is kept)")
                link.unwrap()

    def children(self, node):
        run = []
        for child in list(node.children):
            if isinstance(child, Comment):
                continue
            if isinstance(child, NavigableString):
                run.append(str(child))
            elif child.name == "img" or (child.name == "a" and self.only_image(child)):
                self.flush(run)
                run = []
                self.image(child.find("img") if child.name == "a" else child)
            elif child.name in INLINE_TAGS:
                run.append(str(child))
            else:
                self.flush(run)
                run = []
                self.element(child)
        self.flush(run)

    @staticmethod
    def only_image(link):
        images = link.find_all("img")
        return len(images) == 1 and not link.get_text().strip()

    def flush(self, run):
        """Inline content between blocks: paragraphs at blank lines (wpautop)."""
        text = "".join(run)
        for piece in re.split(r"\n\s*\n", text):
            piece = piece.strip()
            if not piece or not html.unescape(strip_tags(piece)).strip("\xa0 \n\t"):
                continue
            if URL_ONLY.match(piece) and "<" not in piece:
                self.embed(html.unescape(piece), "", bare=True)
                continue
            self.paragraph_html("<p>" + piece.replace("\n", "<br/>") + "</p>")

    def element(self, tag):
        name = tag.name
        if name == "p":
            self.children(tag)
        elif re.fullmatch(r"h[1-6]", name):
            text = tag.get_text(" ", strip=True)[:200]
            if text:
                level = {"h1": "h2", "h2": "h2", "h3": "h3"}.get(name, "h4")
                self.add("heading", {"text": text, "level": level})
        elif name in {"ul", "ol"}:
            self.list(tag)
        elif name == "blockquote":
            pull = "wp-block-pullquote" in _classes(tag) or (
                tag.parent is not None and "wp-block-pullquote" in _classes(tag.parent)
            )
            self.quotation(tag, pull=pull)
        elif name == "figure":
            self.figure(tag)
        elif name == "table":
            self.table(tag, caption="")
        elif name == "hr":
            self.separator()
        elif name == "pre":
            self.warn_once("preformatted text (<pre>) is kept as a paragraph")
            text = html.escape(tag.get_text()).strip("\n").replace("\n", "<br/>")
            if text.strip():
                self.add("paragraph", f"<p>{text}</p>")
        elif name == "iframe" and self.iframe_embed(tag):
            pass
        elif name in CONTAINERS or name == "li":
            self.children(tag)
        elif name == "figcaption":
            self.paragraph_html(f"<p>{tag.decode_contents()}</p>")
        else:
            self.escaped(tag, f"markup <{name}>")

    def list(self, tag):
        if tag.find("img") or tag.find("figure"):
            self.children(tag)  # an old-style gallery: images in list items
            return
        items = []
        for item in tag.find_all("li", recursive=False):
            nested = [sub.extract() for sub in item.find_all(["ul", "ol"])]
            items.append(item.get_text(" ", strip=True))
            for sub in nested:
                items.extend(f"– {li.get_text(' ', strip=True)}" for li in sub.find_all("li"))
                item.append(sub)
        items = [item for item in items if item]
        if not items:
            return
        if tag.find("a") or any(len(item) > 500 for item in items):
            # Links or long items: the rich text keeps lists with their links.
            self.paragraph_html(str(tag))
            return
        style = "ordered" if tag.name == "ol" else "unordered"
        self.add("list", {"style": style, "items": items})

    def quotation(self, tag, *, pull=False, caption=""):
        cite = tag.find(["cite", "footer"])
        attribution = _text(cite) if cite else caption
        if cite:
            cite.extract()
        paragraphs = [_text(p) for p in tag.find_all("p")] or [_text(tag)]
        quote = "\n\n".join(p for p in paragraphs if p)
        if not quote:
            return
        attribution = attribution.lstrip("—–- ").strip()
        if pull and "pull_quote" in self.context.block_names:
            self.add("pull_quote", {"text": quote, "attribution": attribution[:255]})
        else:
            self.add(
                "quotation",
                {"quote": quote, "attribution": attribution[:255], "source": "", "source_url": ""},
            )

    def figure(self, tag):
        classes = _classes(tag)
        caption_tag = tag.find("figcaption")
        caption = caption_tag.extract() if caption_tag else None
        if "wp-block-embed" in classes or any(c.startswith("wp-block-embed-") for c in classes):
            wrapper = tag.find(class_="wp-block-embed__wrapper") or tag
            self.embed(wrapper.get_text().strip(), _text(caption) if caption else "")
        elif tag.find("blockquote"):
            self.quotation(
                tag.find("blockquote"),
                pull="wp-block-pullquote" in classes,
                caption=_text(caption) if caption else "",
            )
        elif tag.find("table"):
            self.table(tag.find("table"), caption=_text(caption) if caption else "")
        elif tag.find("figure"):
            self.children(tag)  # a gallery of figures
            if caption:
                self.paragraph_html(f"<p>{caption.decode_contents()}</p>")
        elif tag.find("img"):
            self.image(tag.find("img"), caption=caption, figure=tag)
        else:
            self.children(tag)
            if caption:
                self.paragraph_html(f"<p>{caption.decode_contents()}</p>")

    def image(self, img, caption=None, figure=None):
        classes = _classes(img) | (_classes(figure) if figure is not None else set())
        attachment_id = next(
            (c.removeprefix("wp-image-") for c in classes if re.fullmatch(r"wp-image-\d+", c)),
            img.get("data-id", ""),
        )
        url = img.get("src") or ""
        caption_text, credit = split_credit(_text(caption) if caption is not None else "")
        image_id = self.context.resolve_image(attachment_id, url)
        if image_id is None:
            where = url or f"attachment {attachment_id}"
            self.context.warn(
                f"image {where} was not found (not among the export's attachments, or its "
                "file is missing from --media-dir): add the file and run the import again"
            )
            if caption_text:
                self.add("paragraph", f"<p>{html.escape(caption_text)}</p>")
            return
        alignment = next((ALIGNMENTS[c] for c in classes if c in ALIGNMENTS), "full")
        self.add(
            "image",
            {
                "image": image_id,
                "caption": caption_text[:500],
                "credit": credit[:255],
                "alt_text": (img.get("alt") or "")[:255],
                "alignment": alignment,
            },
        )

    def embed(self, url, caption, bare=False):
        url = (url or "").strip()
        if url and self.context.accepts_embed(url):
            self.add("embed", {"embed": url, "caption": caption[:255]})
            return
        if url and not bare:
            self.warn_once(f"embed {url} has no oEmbed provider: kept as a link")
        if url:
            link = html.escape(url)
            self.add("paragraph", f'<p><a href="{link}">{link}</a></p>')
        if caption:
            self.add("paragraph", f"<p>{html.escape(caption)}</p>")

    def iframe_embed(self, tag):
        """A YouTube or Vimeo player iframe: its video page, as an embed."""
        src = tag.get("src") or ""
        match = re.match(r"(?:https?:)?//(?:www\.)?youtube(?:-nocookie)?\.com/embed/([\w-]+)", src)
        if match:
            url = f"https://www.youtube.com/watch?v={match[1]}"
        else:
            match = re.match(r"(?:https?:)?//player\.vimeo\.com/video/(\d+)", src)
            url = f"https://vimeo.com/{match[1]}" if match else ""
        if url and self.context.accepts_embed(url):
            self.add("embed", {"embed": url, "caption": ""})
            return True
        return False

    def table(self, tag, caption):
        rows = []
        header = bool(tag.find("thead")) or bool(tag.find("tr") and tag.find("tr").find("th"))
        for row in tag.find_all("tr"):
            rows.append([cell.get_text(" ", strip=True) for cell in row.find_all(["td", "th"])])
        rows = [row for row in rows if row]
        if not rows:
            return
        width = max(len(row) for row in rows)
        rows = [row + [""] * (width - len(row)) for row in rows]
        own_caption = tag.find("caption")
        self.add(
            "table",
            {
                "data": rows,
                "first_row_is_table_header": header,
                "first_col_is_header": False,
                "table_caption": caption or (_text(own_caption) if own_caption else ""),
            },
        )

    def separator(self):
        if "separator" in self.context.block_names:
            self.blocks.append(_block("separator", self.context.separator_value))
        else:
            self.warn_once(
                "a separator (<hr>) was left out: the article body has no separator block"
            )


# Block-editor structure ---------------------------------------------------------


def top_level_blocks(content):
    """[(name or None, attrs, inner HTML)] of the top-level blocks; None is freeform HTML."""
    parts = []
    depth = 0
    position = 0
    opened = None
    for match in BLOCK_DELIMITER.finditer(content):
        if depth == 0 and match.start() > position:
            parts.append((None, {}, content[position : match.start()]))
        if match["closer"]:
            depth = max(0, depth - 1)
            if depth == 0 and opened is not None:
                name, attrs, inner_start = opened
                parts.append((name, attrs, content[inner_start : match.start()]))
                opened = None
                position = match.end()
            continue
        attrs = {}
        if match["attrs"]:
            try:
                attrs = json.loads(match["attrs"])
            except ValueError:
                attrs = {}
        if match["void"]:
            if depth == 0:
                parts.append((match["name"], attrs, ""))
                position = match.end()
            continue
        if depth == 0:
            opened = (match["name"], attrs, match.end())
        depth += 1
    if opened is not None:  # an unclosed block: the rest is its content
        name, attrs, inner_start = opened
        parts.append((name, attrs, content[inner_start:]))
    elif position < len(content):
        parts.append((None, {}, content[position:]))
    return parts


def convert_body(content, context):
    """The raw StreamField data (a list of {type, value, id}) for a post's content."""
    converter = Converter(context)

    def unknown_shortcode(name):
        converter.warn_once(f"shortcode {name} is kept as text")

    for name, attrs, inner in top_level_blocks(content or ""):
        short_name = (name or "").removeprefix("core/")
        if short_name in SILENT_BLOCKS:
            continue
        inner = BLOCK_DELIMITER.sub("", inner)  # nested blocks: their HTML is enough
        if short_name == "html":
            if inner.strip():
                converter.escaped(
                    BeautifulSoup(inner.strip(), "html.parser"), "custom HTML block (wp:html)"
                )
            continue
        if name and not inner.strip():
            if short_name == "embed" and attrs.get("url"):
                converter.embed(attrs["url"], "")
            elif short_name != "separator":
                converter.warn_once(
                    f"block wp:{short_name} has no content in the export (WordPress builds it "
                    "when the page is shown): left out"
                )
            continue
        converter.convert(expand_shortcodes(inner, unknown_shortcode))
    return converter.blocks


def plain_text(blocks, limit):
    """The first words of a body (for a standfirst when the post has no excerpt)."""
    for block in blocks:
        if block["type"] == "paragraph":
            text = " ".join(BeautifulSoup(block["value"], "html.parser").get_text(" ").split())
            if text:
                if len(text) <= limit:
                    return text
                return text[: limit - 1].rsplit(" ", 1)[0] + "…"
    return ""
