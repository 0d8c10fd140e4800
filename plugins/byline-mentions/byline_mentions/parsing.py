"""Reading fetched documents: does a source link to us, what does it say, where are endpoints.

Sources are parsed with the standard library's HTML parser through
BeautifulSoup (fast enough for the 1 MiB limit), and with mf2py for
microformats only when the document mentions `h-entry` or `h-card`. mf2py
is always handed the document: given only a URL it would fetch it itself,
outside the guard.
"""

import re
from dataclasses import dataclass
from urllib.parse import quote, unquote, urljoin, urlsplit, urlunsplit

from bs4 import BeautifulSoup

HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
SOURCE_TYPES = HTML_TYPES | {"text/plain"}
EXCERPT_LENGTH = 300
TITLE_LENGTH = 300
# Elements whose URL attribute counts as a link to the target.
LINK_ATTRIBUTES = {
    "a": "href",
    "area": "href",
    "img": "src",
    "video": "src",
    "audio": "src",
    "source": "src",
}
BLOCKS = ["p", "li", "blockquote", "dd", "td", "figcaption", "h1", "h2", "h3", "h4", "div"]
# RFC 8288 Link header: <uri-reference>; param=value; ...
LINK_VALUE = re.compile(r"<([^>]*)>((?:\s*;\s*[^;,]*)*)")
REL_PARAM = re.compile(r"""(?:^|;)\s*rel\s*=\s*(?:"([^"]*)"|([^\s";,]+))""", re.IGNORECASE)


def normalise_url(url):
    """A URL in a form where equal addresses compare equal (fragment dropped).

    Lower-case scheme and host, default port left out, percent-encoding
    made uniform, an empty path made "/" and a trailing slash ignored.
    """
    try:
        parts = urlsplit((url or "").strip())
        port = parts.port
    except ValueError:
        return ""
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        return ""
    scheme = parts.scheme.lower()
    host = parts.hostname.lower().rstrip(".")
    if ":" in host:
        host = f"[{host}]"
    if port and port != (443 if scheme == "https" else 80):
        host = f"{host}:{port}"
    path = quote(unquote(parts.path or "/"), safe="/:@!$&'()*+,;=-._~")
    if len(path) > 1:
        path = path.rstrip("/")
    return urlunsplit((scheme, host, path, parts.query, ""))


def document_base(soup, url):
    base = soup.find("base", href=True)
    return urljoin(url, base["href"].strip()) if base is not None else url


def _clean(text):
    return " ".join((text or "").split())


# get_text(" ") puts a space between a link and the punctuation around it ("read
# this ." from "read <a>this</a>.", "( this )"): punctuation sticks to its word.
SPACE_BEFORE_PUNCTUATION = re.compile(r"\s+([.,;:!?…)\]}»”’])")
SPACE_AFTER_OPENING = re.compile(r"([(\[{«“])\s+")
# "Title | Site", "Title – Site": the separators sites put between the two.
TITLE_SEPARATORS = ("|", "–", "—", "-", "·", "::", ":", "•")


def _text_of(element):
    """An element's text with words spaced as a reader sees them."""
    text = SPACE_BEFORE_PUNCTUATION.sub(r"\1", _clean(element.get_text(" ")))
    return SPACE_AFTER_OPENING.sub(r"\1", text)


def without_site_name(title, site_name):
    """`title` without a trailing or leading site name ("Story | Site" → "Story").

    The mention is shown as "<title> – <site>", so a title that repeats the
    site's name would show it twice.
    """
    title, site = _clean(title), _clean(site_name)
    if not site or title.casefold() == site.casefold():
        return title
    for separator in TITLE_SEPARATORS:
        suffix = f" {separator} {site}"
        if title.casefold().endswith(suffix.casefold()):
            return title[: -len(suffix)].rstrip()
        prefix = f"{site} {separator} "
        if title.casefold().startswith(prefix.casefold()):
            return title[len(prefix) :].lstrip()
    return title


def _clip(text, length):
    text = _clean(text)
    return text if len(text) <= length else text[: length - 1].rstrip() + "…"


def excerpt_around(text, needle, length=EXCERPT_LENGTH):
    """About `length` characters of `text`, centred on `needle` when it is far in."""
    text = _clean(text)
    if len(text) <= length:
        return text
    position = text.find(needle) if needle else -1
    if position < 0:
        return _clip(text, length)
    start = max(0, min(position - length // 2, len(text) - length))
    window = text[start : start + length].strip()
    return ("…" if start > 0 else "") + window + ("…" if start + length < len(text) else "")


@dataclass
class SourceReport:
    """What a source document says about a target."""

    links_to_target: bool
    title: str = ""
    excerpt: str = ""
    author_name: str = ""
    author_url: str = ""
    site_name: str = ""


def _first(values):
    return values[0] if values else None


def _mf2_text(value):
    if isinstance(value, dict):
        return value.get("value") or value.get("html") or ""
    return value if isinstance(value, str) else ""


def _find_entry(items):
    """The first h-entry, looking inside h-feed children too."""
    for item in items:
        if "h-entry" in item.get("type", []):
            return item
        found = _find_entry(item.get("children", []))
        if found:
            return found
    return None


def _author_of(entry, items):
    author = _first(entry.get("properties", {}).get("author", [])) if entry else None
    if author is None:
        cards = [item for item in items if "h-card" in item.get("type", [])]
        author = cards[0] if len(cards) == 1 else None
    if isinstance(author, dict):
        props = author.get("properties", {})
        name = _mf2_text(_first(props.get("name", [])))
        url = _mf2_text(_first(props.get("url", [])))
        return _clean(name), url
    if isinstance(author, str):
        return ("", author) if author.startswith(("http://", "https://")) else (author, "")
    return "", ""


def microformats(html, url):
    """(h-entry or None, top-level items) of an HTML document, via mf2py."""
    import mf2py

    parsed = mf2py.parse(doc=html, url=url, html_parser="html.parser")
    items = parsed.get("items", [])
    return _find_entry(items), items


def _meta(soup, *names):
    for name in names:
        tag = soup.find("meta", attrs={"property": name}) or soup.find("meta", attrs={"name": name})
        if tag is not None and tag.get("content", "").strip():
            return _clean(tag["content"])
    return ""


def analyse_source(body_text, content_type, source_url, target_url):
    """Check that a source links to the target and pull out title, excerpt and author."""
    target = normalise_url(target_url)
    host = (urlsplit(source_url).hostname or "").removeprefix("www.")
    if content_type not in HTML_TYPES:
        found = target_url in body_text or (target and target in body_text)
        return SourceReport(
            links_to_target=bool(found),
            title=host,
            excerpt=excerpt_around(body_text, target_url) if found else "",
            site_name=host,
        )

    soup = BeautifulSoup(body_text, "html.parser")
    base = document_base(soup, source_url)
    link = None
    for tag in soup.find_all(list(LINK_ATTRIBUTES)):
        value = tag.get(LINK_ATTRIBUTES[tag.name])
        if value and normalise_url(urljoin(base, value.strip())) == target:
            link = tag
            break
    if link is None:
        return SourceReport(links_to_target=False)

    block = link.find_parent(BLOCKS) or link.parent
    excerpt = excerpt_around(_text_of(block), _text_of(link))
    site_name = _meta(soup, "og:site_name", "application-name") or host
    title = _clean(soup.title.get_text()) if soup.title else ""
    title = title or _meta(soup, "og:title")
    author_name, author_url = "", ""

    if "h-entry" in body_text or "h-card" in body_text:
        entry, items = microformats(body_text, base)
        if entry is not None:
            props = entry.get("properties", {})
            name = _clean(_mf2_text(_first(props.get("name", []))))
            content = _first(props.get("content", []))
            content_text = _clean(_mf2_text(content))
            content_html = content.get("html", "") if isinstance(content, dict) else ""
            # An entry without p-name gets its whole text as implied name (a note has no
            # title): only a name that is not the text itself is a title.
            if name and len(name) <= TITLE_LENGTH and not (content_text and content_text in name):
                title = name
            if content_text and target_url not in content_html and target not in content_html:
                # The link is outside the text (a reply's u-in-reply-to): show the text.
                excerpt = _clip(content_text, EXCERPT_LENGTH)
        author_name, author_url = _author_of(entry, items)
    if not author_name:
        author_name = _meta(soup, "author")

    return SourceReport(
        links_to_target=True,
        title=_clip(without_site_name(title, site_name), TITLE_LENGTH) or host,
        excerpt=excerpt,
        author_name=author_name[:100],
        author_url=author_url if author_url.startswith(("http://", "https://")) else "",
        site_name=site_name,
    )


# Endpoint discovery (sending) ------------------------------------------------------


def _rels(value):
    return {rel.lower() for rel in (value or "").split()}


def link_header_targets(header_values, rel):
    """URI references of every Link header value whose rel includes `rel`, in order."""
    found = []
    for header in header_values:
        for match in LINK_VALUE.finditer(header):
            params = match.group(2)
            rel_match = REL_PARAM.search(params)
            if rel_match and rel in _rels(rel_match.group(1) or rel_match.group(2)):
                found.append(match.group(1).strip())
    return found


@dataclass
class Endpoints:
    webmention: str = ""
    pingback: str = ""


def discover_endpoints(result, is_html):
    """A target's Webmention and Pingback endpoints, absolute, per the specifications.

    Webmention: the first HTTP Link header with rel="webmention", else the
    first <link> or <a> element with that rel and an href, in document
    order; a relative URL resolves against the page's address after
    redirects (and its <base>), and an empty href means the page itself.
    Pingback: the X-Pingback header, else <link rel="pingback" href>.
    """
    endpoints = Endpoints()
    header_links = link_header_targets(result.headers.getlist("Link"), "webmention")
    if header_links:
        endpoints.webmention = urljoin(result.url, header_links[0])
    endpoints.pingback = (result.headers.get("X-Pingback") or "").strip()
    if is_html and (not endpoints.webmention or not endpoints.pingback):
        soup = BeautifulSoup(result.text(), "html.parser")
        base = document_base(soup, result.url)
        if not endpoints.webmention:
            for tag in soup.find_all(["link", "a"], href=True):
                rel = tag.get("rel") or []
                rels = {r.lower() for r in (rel.split() if isinstance(rel, str) else rel)}
                if "webmention" in rels:
                    endpoints.webmention = urljoin(base, tag["href"].strip())
                    break
        if not endpoints.pingback:
            for tag in soup.find_all("link", href=True):
                rel = tag.get("rel") or []
                rels = {r.lower() for r in (rel.split() if isinstance(rel, str) else rel)}
                if "pingback" in rels:
                    endpoints.pingback = urljoin(base, tag["href"].strip())
                    break
    if endpoints.pingback:
        endpoints.pingback = urljoin(result.url, endpoints.pingback)
    return endpoints
