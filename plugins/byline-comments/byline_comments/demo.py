"""Reader comments for the demo site (`manage.py load_demo_content`).

Connected to `news.demo.signals.demo_site_built`: the lead story gets a few
approved comments, one of them answered in a thread, so a newcomer sees
comments, replies and the reply form. Written for this project. An article
that has comments already is left alone, so a second run adds nothing.
"""

from datetime import timedelta

from .models import Comment, CommentKind, CommentStatus

# (name, website, hours after publication, text, replies as the same tuples)
DEMO_COMMENTS = (
    (
        "Tamsin Orr",
        "",
        2,
        "My brother has had his boat tied up at the quay for two seasons. The shared catch "
        "limit sounds fair, but who decides how it is split between the small boats and the "
        "big trawlers?",
        (
            (
                "Joel Brandt",
                "https://joelbrandt.example/",
                3,
                "The article says the joint patrol reports to the Council every quarter; the "
                "split is meant to be set at the first of those meetings.",
            ),
        ),
    ),
    (
        "Priya Anand",
        "",
        5,
        "Good to read a story about two governments actually agreeing on something. Eleven "
        "rounds of talks is a lot of patience.",
        (),
    ),
    (
        "Oskar Lind",
        "",
        7,
        "Will the Courier follow up when the first boats go out next month? I would like to "
        "hear from the crews themselves.",
        (),
    ),
)


def add_demo_comments(sender, *, articles, lead_slug, tally, **kwargs):
    article = articles.get(lead_slug)
    if article is None:
        return
    if Comment.objects.filter(article=article, kind=CommentKind.COMMENT).exists():
        tally.kept("comments")
        return
    published = article.publication_date
    for name, website, hours, text, replies in DEMO_COMMENTS:
        parent = _approved(article, name, website, published + timedelta(hours=hours), text)
        tally.created("comments")
        for reply_name, reply_site, reply_hours, reply_text in replies:
            _approved(
                article,
                reply_name,
                reply_site,
                published + timedelta(hours=reply_hours),
                reply_text,
                parent=parent,
            )
            tally.created("comments")


def _approved(article, name, website, created_at, text, parent=None):
    comment = Comment(
        article=article,
        parent=parent,
        kind=CommentKind.COMMENT,
        status=CommentStatus.APPROVED,
        author_name=name,
        author_url=website,
        body=text,
        created_at=created_at,
        moderation_note="demo content",
    )
    comment.save()
    return comment
