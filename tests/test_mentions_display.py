"""How a pingback or webmention reads under an article: "<title> – <site>", said once.

Sources' titles often end with their site's name ("Story | Site"), and the
line already names the site; a link followed by punctuation in the source must
not gain a space before it in the excerpt.
"""

import pytest
from byline_mentions.parsing import analyse_source, without_site_name

from tests.comment_support import make_comment, soup
from tests.factories import make_article

TARGET = "https://courier.example/world/truce/"


def page(title, paragraph, *, site_name="Harbour Lights", h_entry=False):
    entry = ' class="h-entry"' if h_entry else ""
    return (
        f"<html><head><title>{title}</title>"
        f'<meta property="og:site_name" content="{site_name}"></head>'
        f"<body><article{entry}><p>{paragraph}</p></article></body></html>"
    )


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("Fishing truce | Harbour Lights", "Fishing truce"),
        ("Fishing truce – Harbour Lights", "Fishing truce"),
        ("Fishing truce - harbour lights", "Fishing truce"),
        ("Harbour Lights | Fishing truce", "Fishing truce"),
        ("Harbour Lights", "Harbour Lights"),  # nothing else to call it
        ("Lights over the harbour", "Lights over the harbour"),
        ("Fishing truce | Harbour Lights – Harbour Lights", "Fishing truce | Harbour Lights"),
    ],
)
def test_the_site_name_is_taken_off_the_title(title, expected):
    assert without_site_name(title, "Harbour Lights") == expected


def test_a_source_title_loses_its_site_name_and_the_excerpt_keeps_its_punctuation():
    report = analyse_source(
        page(
            "What the truce changes | Harbour Lights",
            f'We read <a href="{TARGET}">the Courier’s report</a>, and <em>then</em> the '
            f'minutes (<a href="{TARGET}">again</a>). Good news!',
        ),
        "text/html",
        "https://harbourlights.example/truce/",
        TARGET,
    )
    assert report.links_to_target
    assert report.title == "What the truce changes"
    assert report.site_name == "Harbour Lights"
    assert report.excerpt == (
        "We read the Courier’s report, and then the minutes (again). Good news!"
    )


@pytest.mark.django_db
def test_the_mention_line_names_the_site_once(client):
    article = make_article(title="Truce signed")
    report = analyse_source(
        page(
            "Fishing truce | The Byline Courier",
            f'<a href="{TARGET}">Read it</a>.',
            site_name="The Byline Courier",
        ),
        "text/html",
        "https://courier-mirror.example/truce/",
        TARGET,
    )
    make_comment(
        article,
        kind="pingback",
        author_name=report.site_name,
        source_url="https://courier-mirror.example/truce/",
        source_title=report.title,
        body=report.excerpt,
    )
    line = soup(client.get(article.url)).select_one(".comment__mention")
    text = " ".join(line.get_text().split())
    # Not "Fishing truce | The Byline Courier – The Byline Courier".
    assert text == "Pingback: Fishing truce – The Byline Courier"
