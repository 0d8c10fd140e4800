"""WordPress shortcodes in post content.

`[caption]`, `[embed]` and `[gallery]` become the HTML the body converter
turns into image and embed blocks (figure/figcaption, as the block editor
writes them). Any other shortcode is left in the text exactly as written,
so readers see it as text (escaped like all text) and the import reports it.
"""

import html
import re

# WordPress's get_shortcode_regex() for any name: [name attrs], [name attrs /],
# [name attrs]content[/name]; [[name]] is an escaped shortcode.
SHORTCODE = re.compile(
    r"\[(\[?)([A-Za-z][\w-]*)(?![\w-])([^\]/]*(?:/(?!\])[^\]/]*)*?)"
    r"(?:(/)\]|\](?:([^\[]*(?:\[(?!/\2\])[^\[]*)*)(\[/\2\]))?)(\]?)"
)
ATTRIBUTE = re.compile(r"""([\w-]+)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s'"]+))""")

HANDLED = {"caption", "wp_caption", "embed", "gallery"}


def attributes(text):
    return {
        match[1].lower(): html.unescape(match[2] or match[3] or match[4] or "")
        for match in ATTRIBUTE.finditer(text or "")
    }


def _caption(attrs, content):
    """[caption]<img ...> Text[/caption] → figure with figcaption (WordPress's own markup)."""
    content = content or ""
    # The image (possibly inside a link) comes first, the caption text after it.
    match = re.match(r"\s*((?:<a\b[^>]*>\s*)?<img\b[^>]*>(?:\s*</a>)?)(.*)$", content, re.S)
    image, text = (match[1], match[2]) if match else ("", content)
    text = text.strip() or attrs.get("caption", "")
    align = attrs.get("align", "")
    return (
        f'<figure class="wp-caption {html.escape(align)}">{image}'
        f"<figcaption>{text}</figcaption></figure>"
    )


def _embed(attrs, content):
    url = (content or attrs.get("src") or "").strip()
    return (
        f'<figure class="wp-block-embed"><div class="wp-block-embed__wrapper">'
        f"{html.escape(url)}</div></figure>"
    )


def _gallery(attrs, content):
    ids = [part.strip() for part in attrs.get("ids", "").split(",") if part.strip().isdigit()]
    return "".join(
        f'<figure class="wp-block-image"><img class="wp-image-{pk}" src="" alt=""></figure>'
        for pk in ids
    )


def expand_shortcodes(text, report_unknown):
    """Replace the shortcodes Byline has blocks for; report the others (kept as text)."""

    def replace(match):
        if match[1] == "[" and match[7] == "]":
            return match[0][1:-1]  # [[name]]: WordPress prints it literally, without brackets
        name = match[2].lower()
        attrs = attributes(match[3])
        content = match[5]
        if name in {"caption", "wp_caption"}:
            return _caption(attrs, content)
        if name == "embed":
            return _embed(attrs, content)
        if name == "gallery":
            if not attrs.get("ids"):
                report_unknown(f"[{name}] without ids")
                return match[0]
            return _gallery(attrs, content)
        report_unknown(f"[{name}]")
        if content is not None:
            # The content of an unknown enclosing shortcode is still the post's text:
            # it goes through the converter, the tags stay as visible text.
            return (
                f"[{match[2]}{match[3]}]{expand_shortcodes(content, report_unknown)}[/{match[2]}]"
            )
        return match[0]

    return SHORTCODE.sub(replace, text or "")
