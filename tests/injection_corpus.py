"""Hostile text for tests/test_injection_corpus.py, and the check that finds it live.

Every payload carries a marker (``INJ-<n>``), so an escape is told from the
page's own scripts (the admin runs inline scripts; the site has JSON-LD): a
construct that can run code *and* holds a marker came from a payload.
"""

import json
import re
import unicodedata

from bs4 import BeautifulSoup

MARKER = "INJ-"

#: Markup and URLs that run code when a browser gets them unescaped.
MARKUP = [
    "<script>alert('INJ-1')</script>",
    "<img src=x onerror=\"alert('INJ-2')\">",
    "<a href=\"javascript:alert('INJ-3')\">click</a>",
    "<a href=\"data:text/html,<script>alert('INJ-4')</script>\">data</a>",
    '"><svg onload="alert(\'INJ-5\')">',
    "<iframe src=\"javascript:alert('INJ-6')\"></iframe>",
    "</title></textarea></script><script>alert('INJ-7')</script>",
    "<b onmouseover=alert('INJ-8')>never closed",
    "<style>body{background:url(\"javascript:alert('INJ-9')\")}</style>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert('INJ-10')>",
    "'-alert('INJ-11')-'\" onfocus=\"alert('INJ-11')\" autofocus \"",
    '<meta http-equiv="refresh" content="0;url=javascript:alert(\'INJ-12\')">',
]
#: Values for URL fields.
URLS = [
    "javascript:alert('INJ-13')",
    "data:text/html,<script>alert('INJ-14')</script>",
    " JaVaScRiPt:alert('INJ-15')",
]
#: Text that flips or hides: a right-to-left override, isolates, zero-width characters.
BIDI_OVERRIDE = "\u202e"
INVISIBLE = "\u200b\u200c\u200d\u2060\ufeff"
BIDI = [
    f"Ada{BIDI_OVERRIDE}INJ-16 gnp.exe",
    f"\u2067INJ-17\u2069 Ben{INVISIBLE}",
]
PAYLOADS = MARKUP + BIDI

URL_ATTRIBUTES = frozenset(
    {"href", "src", "action", "formaction", "xlink:href", "data", "poster", "background"}
)
DANGEROUS_SCHEMES = ("javascript:", "vbscript:", "data:")
#: Elements that load or run something when they come from a payload at all.
RUNNING_ELEMENTS = frozenset({"iframe", "object", "embed", "base", "form"})
BIDI_CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069]")


def _squeezed(value):
    """A URL as a browser reads it: without whitespace and control characters."""
    return "".join(ch for ch in value if not ch.isspace() and unicodedata.category(ch) != "Cc")


def _runs_in_text(value):
    squeezed = _squeezed(value).lower()
    return "javascript:" in squeezed or "expression(" in squeezed


def escapes_in_html(html, where):
    """Every construct in ``html`` that would run a payload, as readable strings."""
    found = []
    soup = BeautifulSoup(html, "html.parser")
    for element in soup.find_all(True):
        name = element.name.lower()
        if name in ("script", "style") and MARKER in element.get_text():
            if element.get("type") == "application/ld+json":
                # Data, if it stays JSON: a payload that broke out would not parse.
                try:
                    json.loads(element.get_text())
                    continue
                except ValueError:
                    pass
            found.append(f"{where}: <{name}> holding a payload")
        for attribute, value in element.attrs.items():
            value = " ".join(value) if isinstance(value, list) else str(value)
            if MARKER not in value:
                continue
            attribute = attribute.lower()
            if attribute.startswith("on"):
                found.append(f"{where}: <{name} {attribute}=…> event handler")
            elif attribute in URL_ATTRIBUTES and _squeezed(value).lower().startswith(
                DANGEROUS_SCHEMES
            ):
                found.append(f"{where}: <{name} {attribute}={value[:40]!r}>")
            elif _runs_in_text(value) and (
                attribute == "style" or (attribute == "content" and element.has_attr("http-equiv"))
            ):
                # CSS url(javascript:) / expression(), <meta http-equiv=refresh content=...>
                found.append(f"{where}: <{name} {attribute}=…javascript:…>")
            elif name in RUNNING_ELEMENTS:
                found.append(f"{where}: <{name}> built from a payload")
    return found


def marked_strings(data):
    """Every string in a JSON document holding a marker, with its path."""
    if isinstance(data, dict):
        for key, value in data.items():
            for path, text in marked_strings(value):
                yield f"{key}.{path}" if path else str(key), text
    elif isinstance(data, list):
        for index, value in enumerate(data):
            for path, text in marked_strings(value):
                yield f"{index}.{path}" if path else str(index), text
    elif isinstance(data, str) and MARKER in data:
        yield "", data


#: Elements that start a paragraph of their own in the Unicode bidirectional algorithm
#: as HTML applies it: a direction control inside one cannot reorder text outside it.
BIDI_PARAGRAPHS = {
    *("p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "dt", "dd", "td", "th", "caption"),
    *("div", "blockquote", "figcaption", "section", "article", "aside", "header", "footer"),
    *("nav", "main", "address", "pre", "body", "label", "legend", "option", "button"),
}


def _alone_in_its_paragraph(node):
    """Whether ``node`` is all the text of the bidi paragraph it sits in."""
    block = node.parent
    while block is not None and block.name not in BIDI_PARAGRAPHS:
        block = block.parent
    return block is not None and block.get_text().strip() == node.strip()


def unisolated_overrides(html, names, where):
    """Names holding a direction control that share a paragraph with other text, not inside
    ``<bdi>`` or ``dir``: there the control would reorder the text around them (a heading
    or table cell that holds only the name is a paragraph of its own, isolated already)."""
    found = []
    soup = BeautifulSoup(html, "html.parser")
    for node in soup.find_all(string=BIDI_CONTROLS):
        if node.strip() not in names:
            continue
        parent = node.parent
        if parent.name in ("script", "style", "title", "textarea") or parent.find_parent("head"):
            continue
        isolated = _alone_in_its_paragraph(node) or any(
            element.name == "bdi" or element.has_attr("dir")
            for element in [parent, *parent.parents]
            if element.name not in ("html", "[document]")
        )
        if not isolated:
            found.append(f"{where}: {str(node)[:40]!r} shown without isolation")
    return found
