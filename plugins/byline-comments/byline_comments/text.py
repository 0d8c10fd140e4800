"""Plain-text comment bodies made into safe HTML, and URL helpers.

A comment is stored exactly as typed. On the way out everything is escaped
first; only then are web addresses turned into links marked
``rel="nofollow ugc"``, so no markup a reader types can reach the page.
"""

import re
from urllib.parse import urlsplit

from django.utils.html import urlize
from django.utils.safestring import mark_safe
from django.utils.text import Truncator

UNTRUSTED_LINK_REL = "nofollow ugc"
_PARAGRAPH_BREAK = re.compile(r"\r?\n\s*\r?\n")
_LINE_BREAK = re.compile(r"\r\n|\r|\n")
# What counts as a link in a comment: what urlize would link, roughly.
LINK_PATTERN = re.compile(r"(?:https?://|www\.)[^\s<>\"']+", re.IGNORECASE)


def _urlize(text):
    # urlize escapes everything it does not turn into a link (autoescape=True),
    # so the only tags in its output are the <a> tags it made itself.
    html = urlize(text, trim_url_limit=60, nofollow=False, autoescape=True)
    return html.replace("<a href=", f'<a rel="{UNTRUSTED_LINK_REL}" href=')


def body_html(text):
    """HTML paragraphs for a plain-text comment, with its web addresses linked."""
    paragraphs = [p.strip() for p in _PARAGRAPH_BREAK.split(text or "") if p.strip()]
    return mark_safe(  # noqa: S308 - built from escaped text and urlize's own links
        "".join(
            "<p>{}</p>".format("<br>".join(_urlize(line) for line in _LINE_BREAK.split(p)))
            for p in paragraphs
        )
    )


def plain_excerpt(text, length=80):
    return Truncator(re.sub(r"\s+", " ", text or "").strip()).chars(length)


def count_links(text):
    return len(LINK_PATTERN.findall(text or ""))


def link_hosts(text):
    """Host names of the web addresses in `text` (lower case)."""
    hosts = []
    for match in LINK_PATTERN.findall(text or ""):
        url = match if "://" in match else f"http://{match}"
        host = urlsplit(url).hostname
        if host:
            hosts.append(host.lower())
    return hosts


def is_web_url(url):
    """True for an absolute http(s) address: the only kind a comment may link to."""
    try:
        parts = urlsplit(url or "")
    except ValueError:
        return False
    return parts.scheme in {"http", "https"} and bool(parts.hostname)


def display_host(url):
    try:
        return (urlsplit(url).hostname or "").removeprefix("www.")
    except ValueError:
        return ""


# Names shown with a comment --------------------------------------------------------------

# Bidirectional embeddings, overrides and isolates: in a name they could flip the
# text around it ("moc.elgoog" shown as "google.com"), so they are stripped.
_BIDI_CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069]")


def strip_bidi_controls(text):
    return _BIDI_CONTROLS.sub("", text or "")


def has_visible_text(text):
    """Whether `text` shows anything: not only spaces, zero-width or format
    characters (U+200B..U+200F, U+2060, U+FEFF, ...) or combining marks."""
    import unicodedata

    return any(
        not char.isspace() and unicodedata.category(char) not in {"Cf", "Cc", "Mn", "Me", "Zs"}
        for char in text or ""
    )
