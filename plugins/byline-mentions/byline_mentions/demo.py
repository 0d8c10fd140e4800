"""A pingback and a webmention for the demo site (`manage.py load_demo_content`).

Connected to `news.demo.signals.demo_site_built`: the lead story is mentioned
by a blog (a pingback, shown with the blog's name) and by a person's site (a
webmention, shown with the author's name). They are stored approved, with
the fields a verified mention gets, without the verification fetch: the
example sites do not exist. An article mentioned already is left alone.
"""

from datetime import timedelta

DEMO_MENTIONS = (
    # (kind, site or author name, author URL, source URL, title, excerpt, hours after publication)
    (
        "pingback",
        "Harbour Lights",
        "https://harbourlights.example/",
        "https://harbourlights.example/2026/fishing-truce-what-changes/",
        "Fishing truce: what changes for the harbour towns",
        "The Courier has the details of the truce signed on Tuesday: the grounds east of the "
        "Skerry Bank reopen next month, with a shared limit on herring and mackerel.",
        4,
    ),
    (
        "webmention",
        "Maren Holt",
        "https://maren.example/",
        "https://maren.example/notes/truce-at-last",
        "Truce at last",
        "Eleven rounds of talks, and the boats can finally go out again. A good summary in the "
        "Byline Courier, with a map of the grounds.",
        6,
    ),
)


def add_demo_mentions(sender, *, articles, lead_slug, tally, **kwargs):
    from byline_comments.models import Comment, CommentStatus

    article = articles.get(lead_slug)
    if article is None:
        return
    kinds = {kind for kind, *_ in DEMO_MENTIONS}
    if Comment.objects.filter(article=article, kind__in=kinds).exists():
        tally.kept("mentions")
        return
    published = article.publication_date
    for kind, name, author_url, source_url, title, excerpt, hours in DEMO_MENTIONS:
        Comment(
            article=article,
            kind=kind,
            status=CommentStatus.APPROVED,
            author_name=name,
            author_url=author_url,
            source_url=source_url,
            source_title=title,
            body=excerpt,
            created_at=published + timedelta(hours=hours),
            moderation_note="demo content",
        ).save()
        tally.created("mentions")
