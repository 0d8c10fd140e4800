"""The shapes demo content is written in: plain data, no database access.

Content modules describe sections, authors and articles with these
dataclasses and block helpers; the builder turns them into pages. Bodies are
lists of `(block_type, value)` pairs in the StreamField's own raw format,
except that images and related articles name their target (an
`Illustration`, an article slug) and the builder swaps in database ids.
"""

from dataclasses import dataclass
from datetime import timedelta

GRAPHICS_CREDIT = "Byline Courier/Graphics"


@dataclass(frozen=True)
class Illustration:
    """A picture drawn by `news.demo.images`, with the words that go with it.

    The title identifies the image in the demo collection, so it must be unique.
    """

    title: str
    alt: str
    caption: str
    motif: str
    palette: tuple[str, ...]
    label: str = ""
    credit: str = GRAPHICS_CREDIT


def illustrator(palette):
    """`art(title, alt, caption, motif, label="")`: illustrations in one section's palette."""

    def art(title, alt, caption, motif, label=""):
        return Illustration(
            title=title, alt=alt, caption=caption, motif=motif, palette=palette, label=label
        )

    return art


@dataclass(frozen=True)
class Section:
    slug: str
    title: str
    introduction: str
    palette: tuple[str, ...]


@dataclass(frozen=True)
class ProfileLink:
    service: str
    url: str


@dataclass(frozen=True)
class Writer:
    slug: str
    name: str
    role: str
    short_bio: str
    long_bio: str
    email: str
    colour: str
    links: tuple[ProfileLink, ...] = ()


@dataclass(frozen=True)
class Story:
    slug: str
    section: str
    title: str
    standfirst: str
    age: timedelta
    authors: tuple[str, ...]
    tags: tuple[str, ...]
    lead_image: Illustration
    body: tuple = ()
    lead_image_caption: str = ""
    search_description: str = ""
    # Corrections log: (kind, age, note), kind "correction" or "update", age as for `age`.
    corrections: tuple = ()


# Body block helpers ------------------------------------------------------------


def ago(*, days=0, hours=0, minutes=0):
    return timedelta(days=days, hours=hours, minutes=minutes)


def p(html):
    """A paragraph; `html` may hold inline markup such as <i> or <b>."""
    return ("paragraph", f"<p>{html}</p>")


def heading(text, level="h2"):
    return ("heading", {"text": text, "level": level})


def quote(text, attribution, source=""):
    return ("quotation", {"quote": text, "attribution": attribution, "source": source})


def pull_quote(text, attribution=""):
    return ("pull_quote", {"text": text, "attribution": attribution})


def figure(illustration, *, caption="", credit="", alignment="full"):
    return (
        "image",
        {
            "image": illustration,
            "caption": caption,
            "credit": credit,
            "alt_text": "",
            "alignment": alignment,
        },
    )


def bullets(*items):
    return ("list", {"style": "unordered", "items": list(items)})


def numbered(*items):
    return ("list", {"style": "ordered", "items": list(items)})


def table(caption, header, *rows):
    return (
        "table",
        {
            "data": [list(header), *[list(row) for row in rows]],
            "first_row_is_table_header": True,
            "first_col_is_header": False,
            "table_header_choice": "row",
            "table_caption": caption,
        },
    )


def fact_box(title, *items):
    """A fact box whose body is a bulleted list of `items` (inline HTML allowed)."""
    body = "<ul>" + "".join(f"<li>{item}</li>" for item in items) + "</ul>"
    return ("fact_box", {"title": title, "body": body})


def related(slug, label=""):
    return ("related_article", {"article": slug, "label": label})
