"""Make the URLs inside rendered HTML absolute, for feed readers."""

import re
from urllib.parse import urljoin

# Attributes rendered by our templates and by rich text are double-quoted;
# embed HTML from oEmbed providers may use single quotes.
_URL_ATTRIBUTE = re.compile(
    r"""(?P<lead>\s(?:href|src|poster|cite)=)(?P<quote>["'])(?P<url>.*?)(?P=quote)""",
    re.IGNORECASE,
)
_SRCSET_ATTRIBUTE = re.compile(
    r"""(?P<lead>\ssrcset=)(?P<quote>["'])(?P<url>.*?)(?P=quote)""", re.IGNORECASE
)


def _absolute(base_url, url):
    url = url.strip()
    if not url or url.startswith(("data:", "mailto:", "tel:")):
        return url
    return urljoin(base_url, url)


def absolutize_urls(html, base_url):
    """`html` with every link, image and source URL resolved against `base_url`.

    `base_url` is the article's own address, so in-page anchors (`#facts`)
    keep pointing into the article.
    """

    def replace_url(match):
        url = _absolute(base_url, match["url"])
        return f"{match['lead']}{match['quote']}{url}{match['quote']}"

    def replace_srcset(match):
        candidates = []
        for candidate in match["url"].split(","):
            parts = candidate.strip().split(None, 1)
            if parts:
                parts[0] = _absolute(base_url, parts[0])
                candidates.append(" ".join(parts))
        return f"{match['lead']}{match['quote']}{', '.join(candidates)}{match['quote']}"

    html = _URL_ATTRIBUTE.sub(replace_url, html)
    return _SRCSET_ATTRIBUTE.sub(replace_srcset, html)


# Runs of whitespace with a line break in them: block templates' indentation and
# blank lines. Preformatted elements, where they are content, are left alone.
_LINE_BREAK_RUN = re.compile(r"[ \t\r\f\v]*\n\s*")
_PREFORMATTED = re.compile(r"(<(pre|textarea)\b.*?</\2\s*>)", re.IGNORECASE | re.DOTALL)


def collapse_whitespace(html):
    """`html` with each indented line break made one newline.

    Browsers and feed readers render a run of whitespace as one space (a newline
    included), so nothing a reader sees changes; in a full-content feed over half
    the body HTML was template indentation, sent again on every poll.
    """
    parts = _PREFORMATTED.split(html)
    # split() with two groups yields text, whole element, tag name, text, ...
    for index in range(0, len(parts), 3):
        parts[index] = _LINE_BREAK_RUN.sub("\n", parts[index])
    return "".join(part for position, part in enumerate(parts) if position % 3 != 2).strip()
