"""A generated WXR export of any size, for measuring the import (not for tests of content).

`manage.py wordpress_sample_export out.xml --posts 10000` writes one: users,
categories, and posts with block-editor bodies of about 10 KB each (a
10,000-post export is about 100 MB) and two comments each, streamed to disk.
"""

from xml.sax.saxutils import escape

HEADER = """<?xml version="1.0" encoding="UTF-8" ?>
<rss version="2.0" xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/"
 xmlns:content="http://purl.org/rss/1.0/modules/content/"
 xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:wp="http://wordpress.org/export/1.2/">
<channel>
<title>Generated Courier</title><link>https://generated.example</link>
<wp:wxr_version>1.2</wp:wxr_version>
<wp:base_site_url>https://generated.example</wp:base_site_url>
<wp:base_blog_url>https://generated.example</wp:base_blog_url>
"""
SECTIONS = ("politics", "science", "sport", "culture")
WORDS = [
    "harbour",
    "board",
    "council",
    "ferry",
    "channel",
    "tide",
    "bridge",
    "vote",
    "spring",
    "autumn",
    "sailing",
    "crew",
    "engine",
    "budget",
    "reader",
    "survey",
    "berth",
    "dredging",
    "gauge",
    "weather",
]


def _paragraph(number, index):
    words = " ".join(WORDS[(number * 7 + index * 3 + k) % len(WORDS)] for k in range(60))
    return f"<!-- wp:paragraph -->\n<p>{words.capitalize()}.</p>\n<!-- /wp:paragraph -->\n\n"


def _item(number, paragraphs):
    body = "".join(_paragraph(number, index) for index in range(paragraphs))
    body += "<!-- wp:heading -->\n<h2>Background</h2>\n<!-- /wp:heading -->\n\n"
    section = SECTIONS[number % len(SECTIONS)]
    comments = "".join(
        f"""<wp:comment><wp:comment_id>{number * 10 + c}</wp:comment_id>
<wp:comment_author>Reader {c}</wp:comment_author>
<wp:comment_author_email>reader{c}@example.com</wp:comment_author_email>
<wp:comment_author_IP>192.0.2.{c + 1}</wp:comment_author_IP>
<wp:comment_date_gmt>2024-01-02 10:0{c}:00</wp:comment_date_gmt>
<wp:comment_content>Comment {c} on post {number}.</wp:comment_content>
<wp:comment_approved>1</wp:comment_approved><wp:comment_type>comment</wp:comment_type>
<wp:comment_parent>{number * 10 if c else 0}</wp:comment_parent></wp:comment>
"""
        for c in range(2)
    )
    day = 1 + number % 28
    return f"""<item><title>Generated story {number}</title>
<link>https://generated.example/2024/01/{day:02d}/story-{number}/</link>
<dc:creator>writer{number % 5}</dc:creator>
<content:encoded><![CDATA[{body}]]></content:encoded>
<excerpt:encoded><![CDATA[The {number}th generated story.]]></excerpt:encoded>
<wp:post_id>{1000 + number}</wp:post_id>
<wp:post_date>2024-01-{day:02d} 10:00:00</wp:post_date>
<wp:post_date_gmt>2024-01-{day:02d} 10:00:00</wp:post_date_gmt>
<wp:post_name>story-{number}</wp:post_name><wp:status>publish</wp:status>
<wp:post_parent>0</wp:post_parent><wp:post_type>post</wp:post_type>
<category domain="category" nicename="{section}"><![CDATA[{section.title()}]]></category>
<category domain="post_tag" nicename="tag-{number % 50}"><![CDATA[Tag {number % 50}]]></category>
{comments}</item>
"""


def write_sample_export(handle, posts, paragraphs=20):
    """Write a WXR export of `posts` posts to the text file `handle`."""
    handle.write(HEADER)
    for number in range(5):
        handle.write(
            f"<wp:author><wp:author_id>{number + 1}</wp:author_id>"
            f"<wp:author_login>writer{number}</wp:author_login>"
            f"<wp:author_display_name>{escape(f'Writer {number}')}</wp:author_display_name>"
            "</wp:author>\n"
        )
    for number in range(posts):
        handle.write(_item(number, paragraphs))
    handle.write("</channel>\n</rss>\n")
