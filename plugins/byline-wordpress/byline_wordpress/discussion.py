"""WordPress comments, pingbacks and trackbacks → the comments plugin's Comment rows.

Only this module imports the comments plugin; without it (plugin off) the
importer reports the comments it had to leave out.
"""

import html
import ipaddress
import re

from django.apps import apps
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.html import strip_tags

from .models import ImportedObject, WordPressKind

# wp:comment_approved → Byline's status.
STATUSES = {
    "1": "approved",
    "0": "pending",
    "spam": "spam",
    "trash": "trash",
    "post-trashed": "trash",
}
MENTION_TYPES = {"pingback", "trackback"}


def comments_enabled():
    return apps.is_installed("byline_comments")


def plain_text(content):
    """A comment's HTML as the plain text Byline stores (links keep their address)."""
    content = re.sub(
        r'<a\b[^>]*href="([^"]+)"[^>]*>(.*?)</a>',
        lambda m: m[2] if strip_tags(m[2]).strip() in {m[1], ""} else f"{m[2]} ({m[1]})",
        content or "",
        flags=re.S | re.I,
    )
    content = re.sub(r"<br\s*/?>", "\n", content, flags=re.I)
    content = re.sub(r"</p>\s*", "\n\n", content, flags=re.I)
    text = html.unescape(strip_tags(content))
    return re.sub(r"\n{3,}", "\n\n", text).strip()[:5000]


def _web_url(value):
    value = (value or "").strip()
    return value if re.match(r"https?://[^\s/]+", value) and len(value) <= 500 else ""


def _ip(value):
    try:
        return str(ipaddress.ip_address((value or "").strip()))
    except ValueError:
        return None


def _email(value):
    value = (value or "").strip().lower()
    try:
        validate_email(value)
    except ValidationError:
        return ""
    return value


def import_comments(item, article, source, parse_date, report):
    """Create or update the item's comments on `article`, threads kept."""
    from byline_comments.models import Comment, CommentKind

    known = {
        row.wordpress_id: row.object_id
        for row in ImportedObject.objects.filter(
            source=source,
            kind=WordPressKind.COMMENT,
            wordpress_id__in=[c.id for c in item.comments],
        )
    }
    existing = Comment.objects.in_bulk(list(known.values()))
    by_wordpress_id = {}
    for wp_comment in item.comments:
        label = f"comment {wp_comment.id or '?'} on {item.label}"
        if not wp_comment.id.isdigit():
            report.error("comments", f"{label}: no numeric wp:comment_id; it was skipped")
            continue
        status = STATUSES.get(wp_comment.approved)
        if status is None:
            report.warn(
                "comments", f"{label}: unknown status {wp_comment.approved!r}, kept as pending"
            )
            status = "pending"
        created_at = parse_date(wp_comment.date_gmt, wp_comment.date)
        if created_at is None:
            report.warn("comments", f"{label}: no readable date, dated with its post")
            created_at = article.publication_date
        comment = existing.get(known.get(wp_comment.id)) or Comment(article=article)
        is_new = comment.pk is None
        comment.article = article
        comment.status = status
        comment.created_at = created_at
        comment.ip_address = _ip(wp_comment.ip)
        comment.body = plain_text(wp_comment.content)
        if wp_comment.type in MENTION_TYPES:
            # Byline shows both as pingbacks: "Pingback: <title> – <site>".
            source_url = _web_url(wp_comment.url)
            comment.kind = CommentKind.PINGBACK
            comment.source_url = source_url
            comment.source_title = (html.unescape(wp_comment.author) or source_url)[:300]
            host = re.sub(r"^https?://(www\.)?", "", source_url).split("/")[0]
            comment.author_name = (host or html.unescape(wp_comment.author) or "Pingback")[:100]
            comment.author_url = ""
            comment.author_email = ""
        else:
            comment.kind = CommentKind.COMMENT
            comment.author_name = (html.unescape(wp_comment.author).strip() or "Anonymous")[:100]
            comment.author_email = _email(wp_comment.email)
            comment.author_url = _web_url(wp_comment.url)
            comment.moderation_note = "Imported from WordPress"
        comment.parent = None
        comment.save()
        by_wordpress_id[wp_comment.id] = (wp_comment, comment)
        ImportedObject.objects.update_or_create(
            source=source,
            kind=WordPressKind.COMMENT,
            wordpress_id=wp_comment.id,
            defaults={"object_id": comment.pk},
        )
        report.count("comments", "created" if is_new else "updated")
    # Threads: parents first, so each reply's depth follows its parent's.
    placed = {wp_id for wp_id, (wp, _c) in by_wordpress_id.items() if wp.parent in {"", "0"}}
    waiting = [pair for pair in by_wordpress_id.values() if pair[0].id not in placed]
    while waiting:
        ready = [pair for pair in waiting if pair[0].parent in placed]
        missing = [pair for pair in waiting if pair[0].parent not in by_wordpress_id]
        for wp_comment, comment in ready:
            comment.parent = by_wordpress_id[wp_comment.parent][1]
            comment.save()
        for wp_comment, _comment in missing:
            report.warn(
                "comments",
                f"comment {wp_comment.id} on {item.label} replies to comment "
                f"{wp_comment.parent}, which is not in the export: kept as a comment",
            )
        if not ready and not missing:  # comment_parent loops: leave the rest unthreaded
            for wp_comment, _comment in waiting:
                report.warn(
                    "comments", f"comment {wp_comment.id} on {item.label}: its thread loops"
                )
            break
        placed.update(pair[0].id for pair in ready + missing)
        waiting = [pair for pair in waiting if pair[0].id not in placed]
